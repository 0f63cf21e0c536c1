#!/bin/bash
# What a service manager would start on the fresh server (scripts/test-services), done by hand as setup-server's
# notice tells a user without one: the server's own dockerd and Caddy, both from the packages setup-server
# installed, chrooted into its root file system. FreshServerDaemons runs this as pid 1 of a new pid and mount
# namespace (unshare), in this machine's network namespace: every mount made here stays out of the machine's mount
# table, and when this script dies the kernel kills every process of the namespace and drops its mounts.
#
# Environment: FRESH_ROOT (the server's root), DAEMONS_DIR (logs, the ready file), CADDY_CONFIG (Caddy's initial
# configuration, a path inside the root), CADDY_ADMIN (its admin API, for the readiness check), CGROUP_PARENT.
set -euo pipefail

root=$FRESH_ROOT
dir=$DAEMONS_DIR
fail() { echo "fresh-server-daemons: $*" >&2; exit 1; }
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }

# Wait up to $1 tenths of a second for the command after it to succeed.
await() {
    local tenths=$1; shift
    for ((i = 0; i < tenths; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

# dockerd unpacks image layers in a chroot of its own, after a remount of / (MS_SLAVE): in a chroot whose / is no
# mount point every pull fails with "remount /, flags: 0x84000: invalid argument". scripts/test-services makes the
# root a mount point; this namespace's own bind of it keeps dockerd independent of that.
mount --bind "$root" "$root"
# Its own /proc, which shows this pid namespace; sysfs with this machine's cgroup hierarchies on it; and /dev.
mount -t proc proc "$root/proc"
mount -t sysfs sysfs "$root/sys"
mount --rbind /sys/fs/cgroup "$root/sys/fs/cgroup"
mount --rbind /dev "$root/dev"

# The defaults (socket /var/run/docker.sock of group docker, data and exec roots) are the chroot's own paths; the
# network settings are those of this machine's test dockerd, which shares the network namespace.
(exec chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /usr/sbin/dockerd --bridge none \
    --iptables=false --ip-forward=false --ip-masq=false --cgroup-parent "$CGROUP_PARENT") >"$dir/dockerd.log" 2>&1 &
dockerd=$!
await 600 in_root docker info || fail "dockerd does not answer; see $dir/dockerd.log"

# As caddy-api.service runs it: user caddy, `caddy run --environ --resume`.
(exec chroot --userspec=caddy:caddy "$root" env -i HOME=/var/lib/caddy PATH=/usr/bin:/bin LANG=C.UTF-8 \
    /usr/bin/caddy run --environ --resume --config "$CADDY_CONFIG") >"$dir/caddy.log" 2>&1 &
caddy=$!
await 150 in_root curl -sf --noproxy '*' "$CADDY_ADMIN/config/" || fail "Caddy does not answer; see $dir/caddy.log"

stop() {
    trap - TERM INT
    kill -TERM "$caddy" 2>/dev/null || true
    # Killed containers need no stop timeout; dockerd then exits quickly and takes its containerd with it.
    in_root docker ps -q | xargs -r timeout 10 chroot "$root" /usr/bin/docker kill >/dev/null 2>&1 || true
    kill -TERM "$dockerd" 2>/dev/null || true
    await 150 bash -c "! kill -0 $dockerd" || true
    exit 0
}
trap stop TERM INT
touch "$dir/ready"
# wait returns on every signal and whenever a child exits; pid 1 must keep reaping orphans.
while true; do
    wait || true
done

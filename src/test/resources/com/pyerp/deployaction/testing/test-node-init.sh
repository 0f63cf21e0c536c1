#!/bin/bash
# The init of one TestNode: TestNode runs it as pid 1 of the node's own pid, network, mount and UTS namespaces
# (unshare). It gives the node its own /run, sysfs and hostname, mounts the node's private directories, starts
# the node's dockerd, Caddy (when asked) and sshd, then touches $NODE_DIR/ready and waits. On SIGTERM it stops
# them; when it dies, the kernel kills every process left in its pid namespace, and the namespaces go with them.
#
# Environment: NODE_NAME, NODE_DIR (its files, written by TestNode), SSH_PORT, PROXY (1 for Caddy).
# $NODE_DIR/mounts holds "SOURCE TARGET" lines to bind-mount.
set -euo pipefail

dir=$NODE_DIR
export DOCKER_HOST=unix:///run/docker.sock
fail() { echo "test-node-init: $*" >&2; exit 1; }

# Wait up to $1 tenths of a second for the command after it to succeed.
await() {
    local tenths=$1; shift
    for ((i = 0; i < tenths; i++)); do
        "$@" >/dev/null 2>&1 && return 0
        sleep 0.1
    done
    return 1
}

hostname "$NODE_NAME"
ip link set lo up
mount -t proc proc /proc
# A new sysfs shows the node's own network devices, but hides the host's cgroup hierarchies under
# /sys/fs/cgroup, which dockerd and runc need: move them over onto the new sysfs.
mkdir -p "$dir/cgroup"
mount --rbind /sys/fs/cgroup "$dir/cgroup"
mount -t sysfs sysfs /sys
mount --move "$dir/cgroup" /sys/fs/cgroup
# Its own /run: /var/run/docker.sock, /run/docker, /run/containerd and /run/sshd are the node's.
mount -t tmpfs -o mode=0755 tmpfs /run
mkdir -p /run/sshd /run/lock
ln -s /dev/shm /run/shm
while read -r source target; do
    [ -n "$source" ] && mount --bind "$source" "$target"
done <"$dir/mounts"

pids=()
/usr/sbin/dockerd --config-file "$dir/daemon.json" >"$dir/dockerd.log" 2>&1 &
dockerd=$!
pids+=("$dockerd")
await 600 /usr/bin/docker info || fail "dockerd does not answer; see $dir/dockerd.log"

if [ "$PROXY" = 1 ]; then
    env HOME="$dir/caddy/home" XDG_DATA_HOME="$dir/caddy/data" XDG_CONFIG_HOME="$dir/caddy/config" \
        /usr/bin/caddy run --config "$dir/caddy/caddy.json" >"$dir/caddy.log" 2>&1 &
    pids+=($!)
    await 150 curl -sf --noproxy '*' http://127.0.0.1:2019/config/ || fail "Caddy does not answer; see $dir/caddy.log"
fi

/usr/sbin/sshd -D -f "$dir/sshd/sshd_config" -E "$dir/sshd/sshd.log" >"$dir/sshd.out" 2>&1 &
pids+=($!)
await 100 bash -c "</dev/tcp/127.0.0.1/$SSH_PORT" || fail "sshd does not answer; see $dir/sshd/sshd.log"

stop() {
    trap - TERM INT
    kill "${pids[@]:1}" 2>/dev/null || true
    # Killed containers need no stop timeout; dockerd then exits quickly and takes containerd with it.
    /usr/bin/docker ps -q | xargs -r timeout 10 /usr/bin/docker kill >/dev/null 2>&1 || true
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

# Other servers on this machine for the deploy benches, as TestNode makes them in the tests: each node runs
# src/test/resources/.../testing/test-node-init.sh as pid 1 of new pid, network, mount and UTS namespaces, with
# its own dockerd (no bridge, no iptables, its own data root and cgroup parent), its own sshd for the deploy
# user and, if asked, its own Caddy (admin 127.0.0.1:2019, server pyerp on 127.0.0.1:18680, both on the node's
# loopback). socat relays join the loopbacks: the node's 127.0.0.1:5000 leads to the test services' registry,
# and node_forward leads a port of this machine into the node. The main dockerd never sees a node; node_stop_all
# leaves no process, mount (they go with the namespaces), cgroup or directory behind.
#
# Sourced by a bench, which defines die and await and has sourced services.env (SSH_KEY_FILE, SSH_USER,
# REGISTRY). Nodes live in $bench_nodes/NAME; NAME is [a-z][a-z0-9]{0,9}, as TestNode's.
#   node_start NAME SSH_PORT PROXY(0|1) [DIR]   DIR (optional): the node sees a directory of its own there
#                                                 NODE_CPU=F (e.g. 0.3): the node, its containers included, gets
#                                                 at most F of one core (CFS quota), as a server of its own would
#                                                 have its own; empty: it shares the machine's cores
#   node_forward NAME PORT [NODE_PORT]            127.0.0.1:PORT here leads to the node's 127.0.0.1:NODE_PORT
#   in_node NAME COMMAND...                        runs COMMAND in the node, with its docker
#   node_known_host NAME                           the known_hosts line of its sshd
#   node_stop_all

declare -A node_unshare=() node_init=() node_ssh_port=()
node_relays=()

node_dir() { printf '%s/%s\n' "$bench_nodes" "$1"; }
node_cgroup() { printf 'pyerp-node-%s\n' "$1"; }

node_stop() {
  local name=$1 dir pid init=${node_init[$1]:-} unshare=${node_unshare[$1]:-}
  dir=$(node_dir "$name")
  [ -z "$init" ] || kill -TERM "$init" 2>/dev/null || true   # its init stops dockerd; the kernel the rest
  if [ -n "$unshare" ]; then
    for ((k = 0; k < 300; k++)); do kill -0 "$unshare" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$init" 2>/dev/null || true
    kill -KILL "$unshare" 2>/dev/null || true   # an init that never got ready: --kill-child takes it along
    wait "$unshare" 2>/dev/null || true
  fi
  # What an interrupted run left: an init or relay still running from the node's directory.
  for pid in $(pgrep -f "$dir/" || true); do kill -KILL "$pid" 2>/dev/null || true; done
  find /sys/fs/cgroup -depth -type d \( -name "$(node_cgroup "$name")" -o -path "*/$(node_cgroup "$name")/*" \) \
    -exec rmdir {} + 2>/dev/null || true
  rm -rf "$dir"
  unset "node_unshare[$name]" "node_init[$name]"
}

node_stop_all() {
  local name pid
  for name in "${!node_init[@]}"; do kill -TERM "${node_init[$name]}" 2>/dev/null || true; done   # all at once
  for name in "${!node_init[@]}"; do node_stop "$name"; done
  for pid in "${node_relays[@]}"; do wait "$pid" 2>/dev/null || true; done   # nsenter exits with its socat
  node_relays=()
  [ ! -d "$bench_nodes" ] || for name in "$bench_nodes"/*/; do [ -d "$name" ] && node_stop "$(basename "$name")"; done
  rm -rf "$bench_nodes"
}

# A relay from $3 (in namespaces $2 of node $1's init, "" = this machine's) to $5 (in namespaces $4), joined by a
# unix socket in the node's directory; both socat processes live in the node's pid namespace and die with it (the
# subshells keep bash from reporting their nsenter as killed).
node_relay() {
  local name=$1 listen_ns=$2 listen=$3 connect_ns=$4 connect=$5 dir init=${node_init[$1]} relay
  dir=$(node_dir "$name")
  relay=$dir/relay/${#node_relays[@]}
  # shellcheck disable=SC2086
  (nsenter -t "$init" -p $connect_ns -- socat "UNIX-LISTEN:$relay.sock,fork,unlink-early" "$connect" || true) \
    >"$relay-connect.log" 2>&1 </dev/null &
  node_relays+=($!)
  await 50 test -S "$relay.sock" || die "node $name: a relay does not start ($relay-connect.log)"
  # shellcheck disable=SC2086
  (nsenter -t "$init" -p $listen_ns -- socat "$listen" "UNIX-CONNECT:$relay.sock" || true) >"$relay.log" 2>&1 </dev/null &
  node_relays+=($!)
}

node_forward() {
  local name=$1 port=$2 node_port=${3:-$2}
  node_relay "$name" "" "TCP-LISTEN:$port,bind=127.0.0.1,fork,reuseaddr" "-n -m" "TCP:127.0.0.1:$node_port"
  await 50 bash -c "</dev/tcp/127.0.0.1/$port" || die "node $name: no relay on 127.0.0.1:$port"
}

in_node() {
  local name=$1; shift
  nsenter -t "${node_init[$name]}" -n -m -p -u -- env DOCKER_HOST=unix:///run/docker.sock NO_PROXY='*' no_proxy='*' "$@"
}

node_known_host() {
  printf '[127.0.0.1]:%s %s\n' "${node_ssh_port[$1]}" "$(cut -d' ' -f1,2 "$(node_dir "$1")/sshd/host_ed25519.pub")"
}

node_start() {
  local name=$1 ssh_port=$2 proxy=$3 private=${4:-} dir t
  [[ $name =~ ^[a-z][a-z0-9]{0,9}$ ]] || die "node name '$name' is not [a-z][a-z0-9]{0,9}"
  node_stop "$name"
  dir=$(node_dir "$name")
  mkdir -p "$dir/relay" "$dir/sshd" "$dir/caddy/home" "$dir/caddy/data" "$dir/caddy/config"
  chmod 755 "$bench_nodes" "$dir" "$dir/sshd"
  cp src/test/resources/com/pyerp/deployaction/testing/test-node-init.sh "$dir/init.sh"
  : >"$dir/mounts"
  if [ -n "$private" ]; then
    install -d -m 1777 "$dir/private" "$private"
    printf '%s %s\n' "$dir/private" "$private" >"$dir/mounts"
  fi
  cat >"$dir/daemon.json" <<JSON
{"bridge": "none", "iptables": false, "ip-forward": false, "ip-masq": false,
 "data-root": "$dir/docker", "exec-root": "/run/docker", "pidfile": "/run/docker.pid",
 "hosts": ["unix:///run/docker.sock"], "group": "docker", "cgroup-parent": "$(node_cgroup "$name")"}
JSON
  cat >"$dir/caddy/caddy.json" <<'JSON'
{"admin": {"listen": "127.0.0.1:2019", "config": {"persist": false}},
 "apps": {"http": {"servers": {"pyerp": {"listen": ["127.0.0.1:18680"], "automatic_https": {"disable": true}}}}}}
JSON
  ssh-keygen -q -t ed25519 -N '' -C "bench-$name" -f "$dir/sshd/host_ed25519"
  cp "$SSH_KEY_FILE.pub" "$dir/sshd/authorized_keys"; chmod 644 "$dir/sshd/authorized_keys"
  cat >"$dir/sshd/sshd_config" <<CFG
Port $ssh_port
ListenAddress 127.0.0.1
AddressFamily inet
HostKey $dir/sshd/host_ed25519
PidFile none
PasswordAuthentication no
KbdInteractiveAuthentication no
AuthorizedKeysFile $dir/sshd/authorized_keys
StrictModes no
UsePAM no
PermitRootLogin no
AllowUsers $SSH_USER
MaxStartups 100:30:200
MaxSessions 50
LogLevel VERBOSE
Subsystem sftp /usr/lib/openssh/sftp-server
CFG
  local cpu_group=''
  if [ -n "${NODE_CPU:-}" ]; then
    # cgroup v1, as here: the containers go below it (dockerd's cgroup-parent), so its quota covers them too.
    cpu_group=/sys/fs/cgroup/cpu/$(node_cgroup "$name")
    [ -d /sys/fs/cgroup/cpu ] || die "NODE_CPU needs cgroup v1's cpu hierarchy at /sys/fs/cgroup/cpu"
    mkdir -p "$cpu_group"
    awk -v f="$NODE_CPU" 'BEGIN { printf "%d\n", f * 100000 }' >"$cpu_group/cpu.cfs_quota_us"
  fi
  env -u DOCKER_HOST -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY -u no_proxy -u NO_PROXY \
    NODE_NAME="$name" NODE_DIR="$dir" SSH_PORT="$ssh_port" PROXY="$proxy" CPU_GROUP="$cpu_group" \
    bash -c '[ -z "$CPU_GROUP" ] || echo $$ >"$CPU_GROUP/cgroup.procs"; exec "$@"' node-cpu unshare --net --mount --propagation private --pid --uts --fork --kill-child bash "$dir/init.sh" \
    >"$dir/init.log" 2>&1 </dev/null &
  node_unshare[$name]=$!
  node_ssh_port[$name]=$ssh_port
  for ((k = 0; k < 900; k++)); do
    [ ! -f "$dir/ready" ] || break
    kill -0 "${node_unshare[$name]}" 2>/dev/null || break
    sleep 0.1
  done
  [ -f "$dir/ready" ] || { cat "$dir/init.log" >&2; tail -20 "$dir/dockerd.log" >&2; die "node $name did not start"; }
  node_init[$name]=$(pgrep -P "${node_unshare[$name]}")
  [ -z "$cpu_group" ] || grep -qx "${node_init[$name]}" "$cpu_group/cgroup.procs" || die "node $name is not in $cpu_group"
  node_relay "$name" "-n -m" "TCP-LISTEN:5000,bind=127.0.0.1,fork,reuseaddr" "" "TCP:$REGISTRY"
  node_forward "$name" "$ssh_port"
}

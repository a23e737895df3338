# Shared by the benchmark scripts (sourced, not run): the work directory, process bookkeeping,
# clean-up on any exit, free ports, the gateway publish step, medians. A script sources this first (die
# is here for its tool checks), then calls bench_start <name>, and appends the PID of everything it starts to
# the pids array, so it is all stopped by PID.

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() { echo "run.sh: $*" >&2; exit 1; }

# Stops the script unless every tool named is on PATH (a name) or executable (a path); the Redis
# ones say which Debian package brings them.
require_tools() {
    local tool
    for tool in "$@"; do
        case "$tool" in
            */redis-server | */redis-cli) [[ -x "$tool" ]] || die "$tool not found: install redis-server (apt-get install -y redis-server), see bench/README.md" ;;
            */*) [[ -x "$tool" ]] || die "$tool not found" ;;
            *) command -v "$tool" >/dev/null || die "$tool not found" ;;
        esac
    done
}

# Creates $work, a temporary directory kept on failure (see cleanup), and arms the clean-up.
bench_start() {
    work="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
    chmod 755 "$work"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
}

# Publishes src/Suppression.Gateway in Release into $work/gw unless GATEWAY_DLL names a published one.
publish_gateway() {
    if [[ -z "$GATEWAY_DLL" ]]; then
        echo "gateway: publishing src/Suppression.Gateway (Release)..."
        timeout 600 dotnet publish "$repo/src/Suppression.Gateway" -c Release -o "$work/gw" -nologo -v quiet \
            >"$work/publish.log" 2>&1 || { tail -n 30 "$work/publish.log" >&2; die "publish failed"; }
        GATEWAY_DLL="$work/gw/Suppression.Gateway.dll"
    fi
    [[ -f "$GATEWAY_DLL" ]] || die "$GATEWAY_DLL not found"
}

pids=()
# Commands run on exit before the PIDs are signalled, for what needs its own stop command first
# (a Postfix instance: `postfix -c <dir> stop`).
stop_commands=()

cleanup() {
    local status=$?
    for command in "${stop_commands[@]}"; do
        eval "$command" || true
    done
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        # Bounded wait: 5 s, then SIGKILL.
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [[ "${KEEP_WORK:-0}" == 1 || $status -ne 0 ]]; then
        echo "run.sh: logs kept in $work" >&2
    else
        rm -rf "$work"
    fi
    exit "$status"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# User + system CPU time of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Starts the published gateway in the background with its SMTP and HTTP listeners on
# $smtp_port and $http_port, the admin key $admin_key and the data directory $work/data, plus any
# further --Suppression:... arguments given; sets $gateway_pid and waits for /healthz. A script
# running several gateways sets gateway_name (default "gateway"): the log is $work/$gateway_name.log
# and, for any name but the default, the data directory $work/$gateway_name-data.
start_gateway() {
    local name="${gateway_name:-gateway}"
    local data="$work/data"
    [[ "$name" == gateway ]] || data="$work/$name-data"
    (cd "$(dirname "$GATEWAY_DLL")" && exec env Logging__LogLevel__Default=Warning dotnet "$GATEWAY_DLL" \
        --urls "http://127.0.0.1:$http_port" --Suppression:Smtp:Address=127.0.0.1 --Suppression:Smtp:Port="$smtp_port" \
        --Suppression:DataDirectory="$data" --Suppression:Admin:ApiKeys:0="$admin_key" "$@" \
        >"$work/$name.log" 2>&1) &
    gateway_pid=$!
    pids+=("$gateway_pid")
    for _ in $(seq 240); do
        curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$gateway_pid" 2>/dev/null || die "gateway exited; see $work/$name.log"
        sleep 0.5
    done
    die "gateway did not answer /healthz; see $work/$name.log"
}

# Imports suppressed-0..N-1@<domain> (SendGrid unsubscribes; domain $2, default fault.example: the
# recipients bench/faults/load.py sends every second message to) through the running gateway's API.
# The list stays in $work/suppressed.csv.
import_suppressed() {
    python3 -c "
import sys
print('email,created')
for i in range(int(sys.argv[1])): print(f'suppressed-{i}@{sys.argv[2]},1700000000')" "$1" "${2:-fault.example}" >"$work/suppressed.csv"
    curl -sf -H "Authorization: Bearer $admin_key" -H 'Content-Type: text/csv' -T "$work/suppressed.csv" -X POST \
        "http://127.0.0.1:$http_port/api/v1/suppressions/import" >"$work/import.json" || die "import failed"
}

# Waits until a 220 banner arrives on 127.0.0.1:$1, for at most $2 seconds, while $3 (a PID) lives.
wait_for_smtp() {
    local port=$1 limit=$2 pid=$3 deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || return 1
        if python3 - "$port" <<'PY' 2>/dev/null; then
import socket, sys
with socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=2) as s:
    s.settimeout(2)
    banner = s.recv(512)
    s.sendall(b"QUIT\r\n")
    sys.exit(0 if banner.startswith(b"220") else 1)
PY
            return 0
        fi
        sleep 0.5
    done
    echo "run.sh: nothing answered on port $port within $limit s" >&2
    return 1
}

# A free loopback port whose Redis Cluster bus port (port + 10000) is free too.
cluster_port() {
    local port
    while true; do
        port=$(free_port)
        ((port + 10000 < 65536)) && python3 -c 'import socket,sys; s=socket.socket(); s.bind(("127.0.0.1", int(sys.argv[1])))' $((port + 10000)) 2>/dev/null && { echo "$port"; return; }
    done
}

# Starts a Redis Cluster of 3 primaries and 3 replicas on free loopback ports the way .ci/run does,
# with the settings docs/operations.md asks for. The arguments are redis-server's persistence
# options (default: none, as in CI). Sets cluster_ports, node_pid (port -> PID) and redis_config
# (the StackExchange.Redis configuration string for --Suppression:Redis); logs go to $work/redis.log.
start_redis_cluster() {
    local server="${REDIS_SERVER:-redis-server}" cli="${REDIS_CLI:-redis-cli}" port
    local persistence=("$@")
    ((${#persistence[@]})) || persistence=(--appendonly no)
    cluster_ports=()
    declare -gA node_pid
    for _ in 1 2 3 4 5 6; do
        port=$(cluster_port)
        mkdir -p "$work/redis/$port"
        "$server" --bind 127.0.0.1 --port "$port" --dir "$work/redis/$port" --save '' "${persistence[@]}" \
            --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
            --hash-max-listpack-entries 512 --hash-max-listpack-value 256 --daemonize no >>"$work/redis.log" 2>&1 &
        node_pid[$port]=$!
        pids+=($!)
        cluster_ports+=("$port")
    done
    for port in "${cluster_ports[@]}"; do
        for _ in $(seq 50); do "$cli" -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
    done
    # shellcheck disable=SC2046 # one argument per node
    "$cli" --cluster create $(printf '127.0.0.1:%s ' "${cluster_ports[@]}") --cluster-replicas 1 --cluster-yes >"$work/cluster.log" 2>&1 \
        || die "cluster create failed; see $work/cluster.log"
    for port in "${cluster_ports[@]}"; do
        for _ in $(seq 100); do "$cli" -p "$port" cluster info | grep -q cluster_state:ok && break; sleep 0.2; done
        "$cli" -p "$port" cluster info | grep -q cluster_state:ok || die "cluster not ok on port $port; see $work/redis.log"
    done
    # Every replica has finished its first sync before the load starts: a primary killed before that
    # leaves a replica that refuses to take over ("Disconnected from master for longer than allowed"),
    # and a fault run would watch a shard lost for good instead of a failover. On a loaded machine that
    # first sync has taken longer than the seconds of load before the kill.
    local synced=0
    for _ in $(seq 150); do
        synced=0
        for port in $("$cli" -p "${cluster_ports[0]}" cluster nodes | awk '/slave/ { split($2, a, "[:@]"); print a[2] }'); do
            "$cli" -p "$port" info replication | grep -q '^master_link_status:up' && synced=$((synced + 1))
        done
        ((synced == 3)) && break
        sleep 0.2
    done
    ((synced == 3)) || die "only $synced of 3 replicas finished their first sync within 30 s; see $work/redis.log"
    redis_config=$(printf '127.0.0.1:%s,' "${cluster_ports[@]}" | sed 's/,$//')
}

#!/usr/bin/env bash
# Webhook delivery runs (bench/README.md, "Webhooks"): one-click unsubscribes through the real
# gateway process, each an unsubscribe.received event, delivered to a local receiver that verifies
# every request with the official Standard Webhooks library (receiver.mjs). Loopback only.
#
#   SCENARIO=load     5,000 unsubscribes/s for 60 s: every event arrives, the lag from the change to
#                     the receiver's verified copy (p50/p99/max), and the closed-loop POST rate of a
#                     gateway with webhooks on against one with them off, in alternating rounds
#   SCENARIO=outage   the receiver stopped for DOWN_SECONDS (600) while unsubscribes keep coming,
#                     then started again: every event arrives, how long after, and how many twice
#   SCENARIO=sigkill  the gateway killed with SIGKILL right after unsubscribes were answered 200,
#                     then started again: every event still arrives
#   SCENARIO=cluster  two gateway instances on one Redis Cluster (3 primaries + 3 replicas), the
#                     load split between them: each event delivered once
#   SCENARIO=all      sigkill, cluster, load, outage in turn
set -euo pipefail

SCENARIO="${SCENARIO:-load}"
RATE="${RATE:-5000}"                       # load: unsubscribes started per second (open loop)
DURATION="${DURATION:-60}"                 # load: seconds at RATE
WARMUP="${WARMUP:-20000}"                  # load: closed-loop POSTs first (JIT, pools), delivered before the run
ROUNDS="${ROUNDS:-5}"                      # load: closed-loop rounds per gateway for the POST-rate comparison
ROUND_REQUESTS="${ROUND_REQUESTS:-10000}"  # load: POSTs per comparison round
CONCURRENCY="${CONCURRENCY:-32}"           # client workers (keep-alive connections)
CLIENT="${CLIENT:-httpclient}"             # the load client's HTTP: httpclient, or raw (a socket per worker speaking just enough HTTP/1.1)
DOWN_SECONDS="${DOWN_SECONDS:-600}"        # outage: how long the receiver is stopped
OUTAGE_RATE="${OUTAGE_RATE:-20}"           # outage: unsubscribes per second throughout
KILL_REQUESTS="${KILL_REQUESTS:-2000}"     # sigkill: POSTs answered before the kill
DRAIN_TIMEOUT="${DRAIN_TIMEOUT:-180}"      # seconds to wait for every event to arrive
SAMPLE="${SAMPLE:-100}"                    # the receiver checks every SAMPLE-th request with the official library too (1: all)
WEBHOOK_ARGS="${WEBHOOK_ARGS:-}"           # extra endpoint settings, word-split, e.g. --Suppression:Webhooks:Endpoints:0:Concurrency=32
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
LOAD_DLL="${LOAD_DLL:-}"                   # use an already built UnsubscribeLoad.dll
START_TIMEOUT="${START_TIMEOUT:-120}"
REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}"
REDIS_CLI="${REDIS_CLI:-$(command -v redis-cli || echo /usr/bin/redis-cli)}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../common.sh
source "$here/../common.sh"

case "$SCENARIO" in
    load | outage | sigkill | cluster) scenarios=("$SCENARIO") ;;
    all) scenarios=(sigkill cluster load outage) ;;
    *) die "SCENARIO must be load, outage, sigkill, cluster or all, not '$SCENARIO'" ;;
esac
require_tools "$REDIS_SERVER" "$REDIS_CLI" node python3 dotnet curl
[[ -d "$repo/tests/webhooks-verifier/node_modules/standardwebhooks" ]] \
    || die "the verifier library is missing: (cd tests/webhooks-verifier && npm ci)"

bench_start webhooks-bench

publish_gateway
if [[ -z "$LOAD_DLL" ]]; then
    echo "client: building bench/unsubscribe/UnsubscribeLoad (Release)..."
    timeout 600 dotnet build "$repo/bench/unsubscribe/UnsubscribeLoad" -c Release -o "$work/load" -nologo -v quiet \
        >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; die "build failed"; }
    LOAD_DLL="$work/load/UnsubscribeLoad.dll"
fi

random_base64() { python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())'; }
token_key="1:$(random_base64)"
secret="whsec_$(random_base64)"
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

# --- processes -----------------------------------------------------------------------------------

# start_redis NAME: one redis-server without persistence; its port lands in redis_port.
start_redis() {
    redis_port=$(free_port)
    mkdir -p "$work/redis-$1"
    "$REDIS_SERVER" --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis-$1" --save '' --appendonly no \
        --daemonize no >"$work/redis-$1.log" 2>&1 &
    pids+=($!)
    wait_redis "$redis_port"
}

wait_redis() {
    for _ in $(seq 150); do
        "$REDIS_CLI" -p "$1" ping >/dev/null 2>&1 && return 0
        sleep 0.2
    done
    die "redis-server on port $1 did not start"
}

# A free loopback port whose cluster bus port (port + 10000) is free too.
cluster_port() {
    python3 - <<'PY'
import socket
while True:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
    if port + 10000 < 65536:
        b = socket.socket()
        try:
            b.bind(("127.0.0.1", port + 10000)); b.close(); s.close(); print(port); break
        except OSError:
            pass
    s.close()
PY
}

# start_cluster: six redis-servers made one cluster (as .ci/run); the connection string lands in cluster.
start_cluster() {
    local ports=() port
    for _ in 1 2 3 4 5 6; do
        port=$(cluster_port)
        mkdir -p "$work/cluster/$port"
        "$REDIS_SERVER" --bind 127.0.0.1 --port "$port" --dir "$work/cluster/$port" --save '' --appendonly no \
            --cluster-enabled yes --cluster-config-file nodes.conf --cluster-node-timeout 2000 \
            --daemonize no >"$work/cluster/$port/redis.log" 2>&1 &
        pids+=($!)
        ports+=("$port")
    done
    for port in "${ports[@]}"; do wait_redis "$port"; done
    "$REDIS_CLI" --cluster create $(printf '127.0.0.1:%s ' "${ports[@]}") --cluster-replicas 1 --cluster-yes \
        >"$work/cluster/create.log" 2>&1 || die "cluster create failed; see $work/cluster/create.log"
    for port in "${ports[@]}"; do
        for _ in $(seq 100); do
            "$REDIS_CLI" -p "$port" cluster info 2>/dev/null | grep -q 'cluster_state:ok' && break
            sleep 0.2
        done
    done
    cluster="$(printf '127.0.0.1:%s,' "${ports[@]}" | sed 's/,$//')"
}

# start_receiver NAME PORT: receiver.mjs on PORT, logging to $work/received-NAME.log; PID in receiver_pid.
start_receiver() {
    node "$here/receiver.mjs" "$2" "$secret" "$work/received-$1.log" "$SAMPLE" >>"$work/receiver-$1.out" 2>&1 &
    receiver_pid=$!
    pids+=($!)
    for _ in $(seq 50); do
        curl -sf "http://127.0.0.1:$2/stats" >/dev/null && return 0
        sleep 0.1
    done
    die "the receiver did not start; see $work/receiver-$1.out"
}

# start_gateway NAME STORE HTTP_PORT [RECEIVER_PORT]: the published gateway on that store, with one
# webhook endpoint (all events but delivery.blocked) when a receiver port is given; PID in gateway_pid.
start_gateway() {
    local name=$1 store=$2 http=$3 receiver=${4:-} webhooks=()
    if [[ -n "$receiver" ]]; then
        webhooks=(--Suppression:Webhooks:AllowPrivateNetworks=true
            --Suppression:Webhooks:Endpoints:0:Id=bench
            --Suppression:Webhooks:Endpoints:0:Url="http://127.0.0.1:$receiver/hooks"
            --Suppression:Webhooks:Endpoints:0:Secret="$secret")
        # shellcheck disable=SC2206 # WEBHOOK_ARGS is meant to be word-split
        webhooks+=($WEBHOOK_ARGS)
    fi
    mkdir -p "$work/data-$name"
    (cd "$(dirname "$GATEWAY_DLL")" && exec env Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
        dotnet "$GATEWAY_DLL" --urls "http://127.0.0.1:$http" \
        --Suppression:Smtp:Address=127.0.0.1 --Suppression:Smtp:Port="$(free_port)" \
        --Suppression:DataDirectory="$work/data-$name" --Suppression:Redis="$store" \
        --Suppression:Tokens:Keys:0="$token_key" --Suppression:Admin:ApiKeys:0="$admin_key" \
        --Suppression:Unsubscribe:RequestsPerMinute=100000000 \
        --Suppression:PublicBaseUrl=https://unsubscribe.bench.example "${webhooks[@]}") >>"$work/gateway-$name.log" 2>&1 &
    gateway_pid=$!
    pids+=($!)
    disown "$gateway_pid" # the sigkill scenario's kill is no news
    for _ in $(seq $((START_TIMEOUT * 5))); do
        curl -sf "http://127.0.0.1:$http/readyz" >/dev/null && return 0
        kill -0 "$gateway_pid" 2>/dev/null || break
        sleep 0.2
    done
    tail -n 20 "$work/gateway-$name.log" >&2
    die "the $name gateway did not become ready"
}

# load HTTP_PORT RUN_ID [options...]: the load client; its figures line on stdout.
load() {
    local http=$1 run_id=$2
    shift 2
    timeout 900 dotnet "$LOAD_DLL" --base-url "http://127.0.0.1:$http" --token-key "$token_key" \
        --concurrency "$CONCURRENCY" --client "$CLIENT" --run-id "$run_id" --warmup 0 "$@" >"$work/round-$run_id.out" 2>>"$work/load.log" \
        || { cat "$work/round-$run_id.out" >>"$work/load.log"; tail -n 12 "$work/load.log" >&2; die "the load client failed ($run_id)"; }
    grep '^requests=' "$work/round-$run_id.out"
}

figure() { grep -o "\b$1=[^ ]*" | head -n 1 | cut -d= -f2; }

# unique RECEIVER_PORT / duplicates RECEIVER_PORT: from the receiver's counts.
stat_of() { curl -sf "http://127.0.0.1:$1/stats" | python3 -c "import json, sys; print(json.load(sys.stdin)['$2'])"; }

# drain RECEIVER_PORT EXPECTED: waits until the receiver has EXPECTED distinct events; prints the seconds it took.
drain() {
    local start=$SECONDS
    while (($(stat_of "$1" unique) < $2)); do
        ((SECONDS - start < DRAIN_TIMEOUT)) || { echo "run.sh: only $(stat_of "$1" unique) of $2 events arrived within $DRAIN_TIMEOUT s" >&2; return 1; }
        sleep 0.2
    done
    echo $((SECONDS - start))
}

# lags LOG FROM_LINE: p50/p99/max of the lags (ms) logged from that line on.
lags() {
    tail -n +"$2" "$1" | awk '{ print $2 }' | sort -n | awk '{ v[NR] = $1 } END {
        if (NR == 0) { print "events=0"; exit }
        i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
        printf "events=%d p50_ms=%d p99_ms=%d max_ms=%d\n", NR, v[int((NR + 1) / 2)], v[i99], v[NR] }'
}

# --- scenarios -----------------------------------------------------------------------------------

scenario_load() {
    echo "=== load: $RATE unsubscribes/s for $DURATION s, webhooks on; then the POST rate, webhooks on against off"
    start_redis load-on
    local redis_on=$redis_port redis_on_pid=${pids[-1]}
    start_redis load-off
    local redis_off=$redis_port redis_off_pid=${pids[-1]} receiver=$(free_port) on=$(free_port) off=$(free_port)
    start_receiver load "$receiver"
    start_gateway load-on "127.0.0.1:$redis_on" "$on" "$receiver"
    local on_pid=$gateway_pid
    start_gateway load-off "127.0.0.1:$redis_off" "$off"
    local off_pid=$gateway_pid
    echo "webhooks on: gateway pid $on_pid (HTTP $on), off: pid $off_pid (HTTP $off), receiver pid $receiver_pid"

    # Warm-up, in slices with pauses (tier-1 JIT runs on a background thread a saturated machine starves).
    for slice in 1 2 3 4; do
        load "$on" "won$slice" --requests $((WARMUP / 4)) >/dev/null
        load "$off" "woff$slice" --requests $((WARMUP / 4)) >/dev/null
        sleep 1
    done
    drain "$receiver" "$((WARMUP / 4 * 4))" >/dev/null
    local from=$(($(wc -l <"$work/received-load.log") + 1)) sent=$((WARMUP / 4 * 4))

    local requests=$((RATE * DURATION)) figures cpu_before cpu_after
    cpu_before="$(cpu_ticks "$on_pid") $(cpu_ticks "$redis_on_pid") $(cpu_ticks "$receiver_pid")"
    figures=$(load "$on" paced --requests "$requests" --rate "$RATE")
    sent=$((sent + requests))
    local seconds=$(figure seconds <<<"$figures")
    echo "paced, webhooks on:  $requests POSTs in $seconds s ($(figure rps <<<"$figures")/s; POST p50 $(figure p50_ms <<<"$figures") ms, p99 $(figure p99_ms <<<"$figures") ms, failed $(figure failed <<<"$figures"))"
    local drained
    drained=$(drain "$receiver" "$sent") || die "events lost or late"
    echo "delivered: every event ($sent distinct), the last $drained s after the load ended; duplicates $(stat_of "$receiver" duplicates), rejected $(stat_of "$receiver" rejected); $(stat_of "$receiver" official) also checked by the official library, $(stat_of "$receiver" disagreed) judged differently"
    echo "lag, change to verified receipt: $(lags "$work/received-load.log" "$from")"
    cpu_after="$(cpu_ticks "$on_pid") $(cpu_ticks "$redis_on_pid") $(cpu_ticks "$receiver_pid")"
    awk -v before="$cpu_before" -v after="$cpu_after" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {
        split(before, b); split(after, a)
        printf "CPU per unsubscribe, POST to delivered event: gateway %.0f us, redis-server %.0f us, receiver %.0f us\n",
            (a[1] - b[1]) / hz * 1e6 / n, (a[2] - b[2]) / hz * 1e6 / n, (a[3] - b[3]) / hz * 1e6 / n }'

    # The same paced load without webhooks: the rate the gateway sustains either way.
    cpu_before="$(cpu_ticks "$off_pid") $(cpu_ticks "$redis_off_pid")"
    figures=$(load "$off" paced-off --requests "$requests" --rate "$RATE")
    cpu_after="$(cpu_ticks "$off_pid") $(cpu_ticks "$redis_off_pid")"
    echo "paced, webhooks off: $requests POSTs in $(figure seconds <<<"$figures") s ($(figure rps <<<"$figures")/s; POST p50 $(figure p50_ms <<<"$figures") ms, p99 $(figure p99_ms <<<"$figures") ms, failed $(figure failed <<<"$figures"))"
    awk -v before="$cpu_before" -v after="$cpu_after" -v hz="$(getconf CLK_TCK)" -v n="$requests" 'BEGIN {
        split(before, b); split(after, a)
        printf "CPU per unsubscribe without webhooks: gateway %.0f us, redis-server %.0f us\n", (a[1] - b[1]) / hz * 1e6 / n, (a[2] - b[2]) / hz * 1e6 / n }'

    # CPU per POST, microseconds, of the gateway + its redis-server (the receiver's is on its own line
    # above): what webhooks cost the system that serves the POSTs, whatever else shares the machine.
    printf '%-6s %10s %10s %7s %22s %22s\n' round "on req/s" "off req/s" "on/off" "on gw+redis us/POST" "off gw+redis us/POST"
    local hz
    hz=$(getconf CLK_TCK)
    for round in $(seq "$ROUNDS"); do
        local a b ca cb t0 t1
        # Quiet first: the previous round's events are delivered, so each round counts its own.
        drain "$receiver" "$sent" >/dev/null || die "events lost"
        t0=$(($(cpu_ticks "$on_pid") + $(cpu_ticks "$redis_on_pid")))
        a=$(load "$on" "ron$round" --requests "$ROUND_REQUESTS" | figure rps)
        sent=$((sent + ROUND_REQUESTS))
        drain "$receiver" "$sent" >/dev/null || die "events lost"
        t1=$(($(cpu_ticks "$on_pid") + $(cpu_ticks "$redis_on_pid")))
        ca=$(((t1 - t0) * 1000000 / hz / ROUND_REQUESTS))
        t0=$(($(cpu_ticks "$off_pid") + $(cpu_ticks "$redis_off_pid")))
        b=$(load "$off" "roff$round" --requests "$ROUND_REQUESTS" | figure rps)
        t1=$(($(cpu_ticks "$off_pid") + $(cpu_ticks "$redis_off_pid")))
        cb=$(((t1 - t0) * 1000000 / hz / ROUND_REQUESTS))
        echo "$a" >>"$work/on.rps"
        echo "$b" >>"$work/off.rps"
        echo "$ca" >>"$work/on.cpu"
        echo "$cb" >>"$work/off.cpu"
        printf '%-6s %10s %10s %7.3f %22s %22s\n' "$round" "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print a / b }')" "$ca" "$cb"
    done
    local a b
    a=$(median <"$work/on.rps")
    b=$(median <"$work/off.rps")
    printf 'median POST rate: webhooks on %.0f/s, off %.0f/s, ratio %.3f\n' "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print a / b }')"
    a=$(median <"$work/on.cpu")
    b=$(median <"$work/off.cpu")
    printf 'median gateway + redis-server CPU per POST: webhooks on %.0f us, off %.0f us, ratio off/on %.3f (the POST rate ratio when they alone share the CPU)\n' "$a" "$b" "$(awk -v a="$a" -v b="$b" 'BEGIN { print b / a }')"
    drain "$receiver" "$sent" >/dev/null || die "events of the comparison rounds lost"
    echo "all $sent events delivered; duplicates $(stat_of "$receiver" duplicates)"
}

scenario_outage() {
    echo "=== outage: the receiver stopped for $DOWN_SECONDS s while $OUTAGE_RATE unsubscribes/s keep coming"
    start_redis outage
    local receiver=$(free_port) http=$(free_port)
    start_receiver outage "$receiver"
    start_gateway outage "127.0.0.1:$redis_port" "$http" "$receiver"
    local before=$((OUTAGE_RATE * 10)) during=$((OUTAGE_RATE * DOWN_SECONDS)) after=$((OUTAGE_RATE * 10))
    load "$http" before --requests "$before" --rate "$OUTAGE_RATE" >/dev/null
    kill "$receiver_pid"
    wait "$receiver_pid" 2>/dev/null || true
    echo "receiver stopped at $(date -u +%T); sending $during unsubscribes over $DOWN_SECONDS s"
    load "$http" during --requests "$during" --rate "$OUTAGE_RATE" >/dev/null
    local state
    state=$(curl -sf -H "Authorization: Bearer $admin_key" "http://127.0.0.1:$http/api/v1/webhooks")
    echo "while down: $state"
    start_receiver outage "$receiver"
    echo "receiver started again at $(date -u +%T)"
    load "$http" after --requests "$after" --rate "$OUTAGE_RATE" >/dev/null
    local total=$((before + during + after)) drained
    drained=$(drain "$receiver" "$total") || die "events lost"
    echo "delivered: all $total events, the last $drained s after the post-outage load ended (which ran 10 s); duplicates $(stat_of "$receiver" duplicates), rejected $(stat_of "$receiver" rejected)"
}

scenario_sigkill() {
    echo "=== sigkill: the gateway killed right after $KILL_REQUESTS unsubscribes were answered 200"
    start_redis sigkill
    local receiver=$(free_port) http=$(free_port) store="127.0.0.1:$redis_port"
    start_receiver sigkill "$receiver"
    start_gateway sigkill "$store" "$http" "$receiver"
    # The client gets every 200 before it exits; the kill follows at once.
    load "$http" kill --requests "$KILL_REQUESTS" >/dev/null
    kill -9 "$gateway_pid"
    local at_kill
    at_kill=$(stat_of "$receiver" unique)
    echo "killed: $at_kill of $KILL_REQUESTS events had arrived; starting the gateway again"
    start_gateway sigkill "$store" "$http" "$receiver"
    local drained
    drained=$(drain "$receiver" "$KILL_REQUESTS") || die "events lost across the kill"
    echo "delivered: all $KILL_REQUESTS events, the last $drained s after the restart was ready; duplicates $(stat_of "$receiver" duplicates)"
}

scenario_cluster() {
    echo "=== cluster: two gateway instances on one Redis Cluster, the load split between them"
    start_cluster
    local receiver=$(free_port) a=$(free_port) b=$(free_port) requests=$((RATE * 10))
    start_receiver cluster "$receiver"
    start_gateway cluster-a "$cluster" "$a" "$receiver"
    start_gateway cluster-b "$cluster" "$b" "$receiver"
    load "$a" ca --requests "$((requests / 2))" --rate "$((RATE / 2))" >/dev/null &
    local first=$!
    load "$b" cb --requests "$((requests / 2))" --rate "$((RATE / 2))" >/dev/null
    wait "$first"
    local drained
    drained=$(drain "$receiver" "$requests") || die "events lost"
    sleep 5 # a second delivery would come now, if any
    local duplicates
    duplicates=$(stat_of "$receiver" duplicates)
    echo "delivered: all $requests events (sent through two instances), the last $drained s after the load; duplicates $duplicates"
    ((duplicates == 0)) || echo "run.sh: WARNING: $duplicates events delivered twice" >&2
}

for scenario in "${scenarios[@]}"; do
    "scenario_$scenario"
done

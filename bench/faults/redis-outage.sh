#!/usr/bin/env bash
# Fault run: Redis killed (SIGKILL) mid-load and started again, or (CLUSTER=1) a Redis Cluster
# primary killed mid-load and left dead, so its replica takes over. Promises checked (check.py): no
# suppressed recipient reaches the sink, clients get 4xx while the list cannot be consulted, every
# message acknowledged with 250 is at the sink, and the flow resumes by itself. See bench/README.md.
set -euo pipefail

SECONDS_BEFORE="${SECONDS_BEFORE:-8}"     # load before the kill
OUTAGE="${OUTAGE:-6}"                      # seconds Redis stays down
SECONDS_AFTER="${SECONDS_AFTER:-12}"       # load after the restart
THREADS="${THREADS:-8}"                    # concurrent SMTP clients
SUPPRESSED="${SUPPRESSED:-1000}"           # suppressed recipients imported first
GATEWAY_DLL="${GATEWAY_DLL:-}"
REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}"
REDIS_CLI="${REDIS_CLI:-$(command -v redis-cli || echo /usr/bin/redis-cli)}"
SMTP_SINK="${SMTP_SINK:-/usr/sbin/smtp-sink}"
CLUSTER="${CLUSTER:-0}"                    # 1: 3 primaries + 3 replicas, kill one primary for good

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../common.sh"
for tool in "$REDIS_SERVER" "$REDIS_CLI" "$SMTP_SINK"; do [[ -x "$tool" ]] || die "$tool not found (apt-get install -y redis-server postfix)"; done
command -v curl >/dev/null || die "curl not found"

bench_start fault-redis
publish_gateway

redis_port=$(free_port)
sink_port=$(free_port)
http_port=$(free_port)
smtp_port=$(free_port)
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
mkdir -p "$work/redis" "$work/sink"
chmod 777 "$work/sink"

start_redis() {
    # appendfsync always: every acknowledged write is on disk, so a SIGKILL loses no suppression.
    "$REDIS_SERVER" --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis" --save '' --appendonly yes --appendfsync always \
        --daemonize no >>"$work/redis.log" 2>&1 &
    redis_pid=$!
    pids+=("$redis_pid")
    for _ in $(seq 50); do "$REDIS_CLI" -p "$redis_port" ping >/dev/null 2>&1 && return 0; sleep 0.1; done
    die "redis-server did not start; see $work/redis.log"
}

if [[ "$CLUSTER" == 1 ]]; then
    # appendfsync always, as for the single server: a SIGKILLed primary loses no acknowledged write.
    start_redis_cluster --appendonly yes --appendfsync always
else
    start_redis
    redis_config="127.0.0.1:$redis_port"
fi
sink_user=()
[[ $(id -u) == 0 ]] && sink_user=(-u nobody)
"$SMTP_SINK" "${sink_user[@]}" -D "$work/sink/dump" 127.0.0.1:"$sink_port" 256 >"$work/sink.log" 2>&1 &
pids+=($!)

start_gateway --Suppression:Redis="$redis_config" \
    --Suppression:Upstream:Host=127.0.0.1 --Suppression:Upstream:Port="$sink_port" --Suppression:Upstream:Tls=None

import_suppressed "$SUPPRESSED"
echo "imported $SUPPRESSED suppressed recipients; load: $THREADS clients for $((SECONDS_BEFORE + OUTAGE + SECONDS_AFTER)) s"

python3 "$here/load.py" 127.0.0.1 "$smtp_port" "$((SECONDS_BEFORE + OUTAGE + SECONDS_AFTER))" "$THREADS" "$work/client.jsonl" "$SUPPRESSED" &
load_pid=$!
pids+=("$load_pid")
sleep "$SECONDS_BEFORE"
outage_start=$(date +%s.%N)
if [[ "$CLUSTER" == 1 ]]; then
    victim=$("$REDIS_CLI" -p "${cluster_ports[0]}" cluster nodes | awk '/master/ && !/fail/ { split($2, a, "[:@]"); print a[2]; exit }')
    kill -9 "${node_pid[$victim]}"
    echo "redis: primary 127.0.0.1:$victim killed (SIGKILL) at $(date -u +%T), not restarted"
    recovered=0
    for _ in $(seq 100); do
        survivor=$(printf '%s\n' "${cluster_ports[@]}" | grep -v "^$victim$" | head -n 1)
        "$REDIS_CLI" -p "$survivor" cluster info | grep -q cluster_state:ok && "$REDIS_CLI" -p "$survivor" cluster nodes | grep -q "$victim.*fail" && { recovered=1; break; }
        sleep 0.2
    done
    # Not a pass: with no replica taking over, the run would only have watched the slots stay down.
    ((recovered == 1)) || die "the cluster was not ok again within 20 s of the kill: no replica took over; see $work/redis.log"
    ready_during=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/readyz")
    outage_end=$(date +%s.%N)
    echo "redis: cluster ok again at $(date -u +%T) after failover to the replica (readyz: $ready_during)"
else
    kill -9 "$redis_pid"
    echo "redis: killed (SIGKILL) at $(date -u +%T)"
    sleep "$OUTAGE"
    ready_during=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$http_port/readyz")
    start_redis
    outage_end=$(date +%s.%N)
    echo "redis: started again at $(date -u +%T) (readyz during the outage: $ready_during)"
fi
wait "$load_pid"
sleep 2
python3 "$here/check.py" "$work/client.jsonl" "$work/sink/dump" "$outage_start" "$outage_end"

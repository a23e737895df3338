#!/usr/bin/env bash
# Soak: steady SMTP load through the gateway for DURATION seconds (each message to one deliverable
# and one suppressed recipient, so every message also writes a blocked-delivery audit record), with
# the gateway's resident memory and managed heap sampled every SAMPLE seconds. The store is a
# separate redis-server, so the figures are the gateway's own. See bench/README.md.
set -euo pipefail

DURATION="${DURATION:-1800}"
SAMPLE="${SAMPLE:-30}"
THREADS="${THREADS:-4}"
SUPPRESSED="${SUPPRESSED:-1000}"
GATEWAY_DLL="${GATEWAY_DLL:-}"
REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}"
REDIS_CLI="${REDIS_CLI:-$(command -v redis-cli || echo /usr/bin/redis-cli)}"
SMTP_SINK="${SMTP_SINK:-/usr/sbin/smtp-sink}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../common.sh"
for tool in "$REDIS_SERVER" "$REDIS_CLI" "$SMTP_SINK"; do [[ -x "$tool" ]] || die "$tool not found (apt-get install -y redis-server postfix)"; done
command -v dotnet-counters >/dev/null || true

bench_start soak
publish_gateway

redis_port=$(free_port); sink_port=$(free_port); http_port=$(free_port); smtp_port=$(free_port)
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
"$REDIS_SERVER" --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no --daemonize no >"$work/redis.log" 2>&1 &
pids+=($!)
sink_user=()
[[ $(id -u) == 0 ]] && sink_user=(-u nobody)
"$SMTP_SINK" "${sink_user[@]}" 127.0.0.1:"$sink_port" 256 >"$work/sink.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do "$REDIS_CLI" -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.1; done

# Workstation GC, as the figures in docs/benchmarks.md were measured.
export DOTNET_gcServer=0
start_gateway --Suppression:Redis="127.0.0.1:$redis_port" \
    --Suppression:Upstream:Host=127.0.0.1 --Suppression:Upstream:Port="$sink_port" --Suppression:Upstream:Tls=None

import_suppressed "$SUPPRESSED"

: >"$work/client.jsonl"
python3 "$here/../faults/load.py" 127.0.0.1 "$smtp_port" "$DURATION" "$THREADS" "$work/client.jsonl" "$SUPPRESSED" &
load_pid=$!
pids+=("$load_pid")
echo "elapsed_s rss_mb messages"
start=$SECONDS
while kill -0 "$load_pid" 2>/dev/null; do
    rss=$(awk '/VmRSS/ { print int($2 / 1024) }' "/proc/$gateway_pid/status")
    sent=$(wc -l <"$work/client.jsonl")
    echo "$((SECONDS - start)) $rss $sent" | tee -a "$work/samples.txt"
    sleep "$SAMPLE"
done
wait "$load_pid" || true
python3 - "$work/samples.txt" "$work/client.jsonl" <<'PY'
import json, sys
samples = [tuple(map(int, line.split())) for line in open(sys.argv[1])]
outcomes = [json.loads(line) for line in open(sys.argv[2])]
ok = sum(1 for o in outcomes if o["code"] == 250)
half = [rss for t, rss, _ in samples if t >= samples[-1][0] / 2]
first_half = [rss for t, rss, _ in samples if 60 <= t < samples[-1][0] / 2]
print(f"messages: {len(outcomes)}, 250: {ok}; rss MB: first {samples[0][1]}, max {max(s[1] for s in samples)}, last {samples[-1][1]}; "
      f"median of the first half (after 60 s) {sorted(first_half)[len(first_half) // 2] if first_half else 'n/a'}, "
      f"median of the second half {sorted(half)[len(half) // 2]}")
PY

#!/usr/bin/env bash
# Scale benchmark: load ADDRESSES suppressed addresses into a redis-server through the import API,
# record Redis memory per address, then time SMTP recipient checks against that list and, side by
# side in alternating rounds, against a second gateway whose redis-server is empty. See
# bench/README.md; figures in docs/benchmarks.md.
set -euo pipefail

ADDRESSES="${ADDRESSES:-10000000}"         # suppressed addresses imported into the loaded list
PART="${PART:-1000000}"                    # rows per import request (one streamed CSV upload each)
ROUNDS="${ROUNDS:-4}"                      # measured rounds per list, alternating between the lists
RCPTS="${RCPTS:-5000}"                     # timed RCPTs per round per list
SESSIONS="${SESSIONS:-4}"                  # concurrent SMTP sessions of the probe
RATE="${RATE:-1000}"                       # RCPTs per second in total; 0 = back to back
SUPPRESSED_SHARE="${SUPPRESSED_SHARE:-0.5}" # share of RCPTs to an imported (suppressed) address
PER_TRANSACTION="${PER_TRANSACTION:-10}"   # RCPTs between MAIL and RSET
WARMUP="${WARMUP:-6000}"                   # unmeasured RCPTs per gateway before the rounds, in 3 slices; 0 skips
VERIFY="${VERIFY:-1}"                      # 1: count every stored entry (HLEN of each bucket) after the import
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
STORE_FORMAT="${STORE_FORMAT:-Compact}"    # Suppression:NewStoreFormat of both (new) stores: Compact or Hashed
START_TIMEOUT="${START_TIMEOUT:-120}"
REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}"
REDIS_CLI="${REDIS_CLI:-$(command -v redis-cli || echo /usr/bin/redis-cli)}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../common.sh
source "$here/../common.sh"

require_tools python3 dotnet curl "$REDIS_SERVER" "$REDIS_CLI"
((ADDRESSES >= 1 && PART >= 1 && ROUNDS >= 1 && RCPTS >= SESSIONS)) || die "ADDRESSES, PART, ROUNDS must be positive and RCPTS at least SESSIONS"

echo "load before: $(uptime)"
bench_start scale-bench
publish_gateway
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
lists=(empty loaded)
declare -A redis_port redis_pid http_port smtp_port gateway_pid

# One redis-server per list, as bench/unsubscribe starts it (no persistence, the listpack limits
# spelled out since the memory figure depends on them), latency percentiles for HGET on.
for list in "${lists[@]}"; do
    redis_port[$list]=$(free_port)
    mkdir -p "$work/redis-$list"
    "$REDIS_SERVER" --bind 127.0.0.1 --port "${redis_port[$list]}" --dir "$work/redis-$list" --save '' --appendonly no \
        --hash-max-listpack-entries 512 --hash-max-listpack-value 256 \
        --latency-tracking yes --latency-tracking-info-percentiles "50 90 99 99.9" \
        --daemonize no >"$work/redis-$list.log" 2>&1 &
    redis_pid[$list]=$!
    pids+=("${redis_pid[$list]}")
done
redis() { "$REDIS_CLI" -p "${redis_port[$1]}" "${@:2}"; }
for list in "${lists[@]}"; do
    for _ in $(seq 50); do redis "$list" ping >/dev/null 2>&1 && break; sleep 0.2; done
    redis "$list" ping >/dev/null 2>&1 || die "redis-server ($list) did not start; see $work/redis-$list.log"
done
echo "redis: $("$REDIS_SERVER" --version | awk '{ print $3 }'), empty on ${redis_port[empty]} (pid ${redis_pid[empty]}), loaded on ${redis_port[loaded]} (pid ${redis_pid[loaded]})"

# Starts the gateway of list $1 on its ports, logging to gateway-$1$2.log, and waits for /healthz.
# The probe never delivers a message (MAIL, RCPTs, RSET, again), so every RSET counts against the
# junk-command limit, as in Postfix; the limit is lifted here so the sessions last the run.
start_list_gateway() {
    local list=$1 log="$work/gateway-$1${2:-}.log" deadline=$((SECONDS + START_TIMEOUT))
    (cd "$(dirname "$GATEWAY_DLL")" && exec env Logging__LogLevel__Default=Warning dotnet "$GATEWAY_DLL" \
        --urls "http://127.0.0.1:${http_port[$list]}" --Suppression:Smtp:Address=127.0.0.1 \
        --Suppression:Smtp:Port="${smtp_port[$list]}" --Suppression:DataDirectory="$work/data-$list" \
        --Suppression:Admin:ApiKeys:0="$admin_key" --Suppression:Redis="127.0.0.1:${redis_port[$list]}" \
        --Suppression:Smtp:MaxJunkCommands=2000000000 --Suppression:NewStoreFormat="$STORE_FORMAT" \
        >"$log" 2>&1) &
    gateway_pid[$list]=$!
    pids+=("${gateway_pid[$list]}")
    until curl -sf "http://127.0.0.1:${http_port[$list]}/healthz" >/dev/null 2>&1; do
        kill -0 "${gateway_pid[$list]}" 2>/dev/null || die "the $list gateway exited; see $log"
        ((SECONDS < deadline)) || die "the $list gateway did not answer /healthz; see $log"
        sleep 0.5
    done
    echo "gateway ($list): pid ${gateway_pid[$list]}, HTTP ${http_port[$list]}, SMTP ${smtp_port[$list]}"
}
for list in "${lists[@]}"; do
    http_port[$list]=$(free_port)
    smtp_port[$list]=$(free_port)
    start_list_gateway "$list"
done

# --- import --------------------------------------------------------------------------------------
# As the earlier 10,000,000 memory figure was made: SendGrid global-unsubscribe exports of a million
# rows each, one POST after another; here generated on the fly and streamed (chunked) into curl.
memory_field() { redis loaded info memory | awk -F: -v k="$1" '$1 == k { sub(/\r/, "", $2); print $2 }'; }
memory_before=$(memory_field used_memory)
echo "import: $ADDRESSES addresses in requests of $PART rows into the loaded list (used_memory before: $memory_before)"
import_started=$(date +%s.%N)
for ((start = 0; start < ADDRESSES; start += PART)); do
    count=$((ADDRESSES - start < PART ? ADDRESSES - start : PART))
    seconds=$(python3 "$here/addresses.py" "$start" "$count" \
        | curl -s -o "$work/import.json" -w '%{time_total}' -H "Authorization: Bearer $admin_key" -H 'Content-Type: text/csv' \
            -T - -X POST "http://127.0.0.1:${http_port[loaded]}/api/v1/suppressions/import")
    imported=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("imported"))' "$work/import.json" 2>/dev/null || echo "?")
    [[ "$imported" == "$count" ]] || die "import of rows $start.. imported $imported of $count: $(head -c 300 "$work/import.json")"
    echo "  rows $start..$((start + count - 1)): ${seconds}s"
done
import_seconds=$(awk -v a="$import_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
memory_after=$(memory_field used_memory)
echo "import: $ADDRESSES rows in ${import_seconds}s ($(awk -v n="$ADDRESSES" -v s="$import_seconds" 'BEGIN { printf "%.0f", n / s }') rows/s)"
echo "memory: used_memory $memory_after bytes ($(memory_field used_memory_human)), rss $(memory_field used_memory_rss_human);" \
    "$(awk -v a="$memory_before" -v b="$memory_after" -v n="$ADDRESSES" 'BEGIN { printf "%.1f", (b - a) / n }') bytes per address" \
    "over the empty server; keys: $(redis loaded dbsize)"
bucket='sup:b:{00000}'
if [[ "$(redis loaded exists "$bucket")" == 1 ]]; then
    echo "memory: $bucket is a $(redis loaded object encoding "$bucket") of $(redis loaded hlen "$bucket") mailboxes in $(redis loaded memory usage "$bucket") bytes"
fi
if ((VERIFY)); then
    stored=$(redis loaded --scan --pattern 'sup:b:*' | awk '{ print "HLEN", $0 }' | redis loaded | awk '{ n += $1 } END { print n + 0 }')
    ((stored == ADDRESSES)) || die "redis-server holds $stored entries, expected $ADDRESSES"
    echo "verify: $stored entries stored, one per address"
fi
echo "gateway (loaded): peak RSS $(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/${gateway_pid[loaded]}/status") MB after the import"

# A fresh process for the measurement, so that both gateways have the same history (start-up and
# warm-up) and the loaded one's import (its heap, thread pool, tiered code) is not what differs.
kill "${gateway_pid[loaded]}"
wait "${gateway_pid[loaded]}" 2>/dev/null || true
for i in "${!pids[@]}"; do [[ "${pids[$i]}" == "${gateway_pid[loaded]}" ]] && unset 'pids[i]'; done
start_list_gateway loaded -measured

# --- recipient checks ----------------------------------------------------------------------------
probe() {
    local list=$1
    shift
    python3 "$here/rcpt_latency.py" --server "127.0.0.1:${smtp_port[$list]}" --imported "$ADDRESSES" --sessions "$SESSIONS" \
        --suppressed-share "$SUPPRESSED_SHARE" --per-transaction "$PER_TRANSACTION" "$@"
}

if ((WARMUP > 0)); then
    # Back to back, in slices with pauses: tier-1 JIT runs on a background thread that a busy
    # two-core machine starves (see bench/unsubscribe).
    for slice in 1 2 3; do
        for list in "${lists[@]}"; do
            probe "$list" --rcpts $((WARMUP / 3)) --rate 0 --seed $((900 + slice)) >/dev/null || die "warm-up against the $list gateway failed"
        done
        sleep 1
    done
fi

clock_ticks=$(getconf CLK_TCK)
metrics() { curl -sf "http://127.0.0.1:${http_port[$1]}/metrics" >"$2" || die "GET /metrics ($1) failed"; }
figure() { tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2; exit }'; }

echo "rounds: $ROUNDS per list x $RCPTS RCPTs, $SESSIONS sessions, $RATE RCPT/s, ${SUPPRESSED_SHARE} suppressed, $PER_TRANSACTION RCPTs per MAIL..RSET"
printf '%-5s %-7s %6s | %-27s | %-27s | %-20s | %-16s | %s\n' round list rate "suppressed p50/p90/p99/max" "clear p50/p90/p99/max" \
    "gateway check mean" "redis HGET p50/p99" "CPU us/RCPT gw, redis"
: >"$work/rounds.txt"
for round in $(seq "$ROUNDS"); do
    order=("${lists[@]}")
    ((round % 2 == 0)) && order=(loaded empty)   # alternate which list goes first
    for list in "${order[@]}"; do
        metrics "$list" "$work/metrics-before"
        redis "$list" config resetstat >/dev/null
        gateway_before=$(cpu_ticks "${gateway_pid[$list]}")
        redis_before=$(cpu_ticks "${redis_pid[$list]}")
        client=$(probe "$list" --rcpts "$RCPTS" --rate "$RATE" --seed "$round" --out "$work/samples-$list-$round.txt") \
            || die "the probe against the $list gateway failed in round $round"
        gateway_after=$(cpu_ticks "${gateway_pid[$list]}")
        redis_after=$(cpu_ticks "${redis_pid[$list]}")
        metrics "$list" "$work/metrics-after"
        redis "$list" info all >"$work/redis-info"
        check=$(python3 "$here/report.py" histogram "$work/metrics-before" "$work/metrics-after")
        hget=$(python3 "$here/report.py" redis "$work/redis-info")
        cpu=$(awk -v g=$((gateway_after - gateway_before)) -v r=$((redis_after - redis_before)) -v hz="$clock_ticks" -v n="$RCPTS" \
            'BEGIN { printf "gateway_cpu_us=%.0f redis_cpu_us=%.0f", g / hz * 1e6 / n, r / hz * 1e6 / n }')
        line="list=$list round=$round $client $check $hget $cpu"
        echo "$line" >>"$work/rounds.txt"
        f() { figure "$1" <<<"$line"; }
        printf '%-5s %-7s %6s | %-27s | %-27s | %-20s | %-16s | %s\n' "$round" "$list" "$(f rate)" \
            "$(f suppressed_p50_us)/$(f suppressed_p90_us)/$(f suppressed_p99_us)/$(f suppressed_max_us) us" \
            "$(f clear_p50_us)/$(f clear_p90_us)/$(f clear_p99_us)/$(f clear_max_us) us" \
            "$(f check_mean_us) us (p99 <=$(f check_p99_le_ms) ms)" "$(f hget_p50_us)/$(f hget_p99_us) us" \
            "$(f gateway_cpu_us), $(f redis_cpu_us)"
    done
done

python3 "$here/report.py" summary "$work/rounds.txt" "$work"

for list in "${lists[@]}"; do
    kill -0 "${gateway_pid[$list]}" 2>/dev/null || die "the $list gateway exited during the run; see $work/gateway-$list*.log"
done
for log in "$work"/gateway-*.log; do
    # Only what was logged once started: start-up warns of generated keys and an http PublicBaseUrl.
    if awk '/Application started/ { started = 1 } started' "$log" | grep -qE '(warn|fail|crit): '; then
        echo "run.sh: WARNING: a gateway logged warnings or errors; see $log" >&2
        KEEP_WORK=1
    fi
done
echo "load after: $(uptime)"

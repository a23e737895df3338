#!/usr/bin/env bash
# Batch check benchmark: a redis-server holding ENTRIES suppressed addresses (imported through the
# gateway, as bench/scale loads them), then POST /api/v1/suppressions/check of ADDRESSES addresses as a
# streamed NDJSON (and CSV) body, ROUNDS times per format: addresses/s (median), the gateway's and
# redis-server's CPU per address, the gateway's peak memory, and every answer verified present, in
# input order, with the expected verdict. Target: >= 200,000 addresses/s. See bench/README.md.
set -euo pipefail

ENTRIES="${ENTRIES:-10000000}"             # suppressed addresses in the list
ADDRESSES="${ADDRESSES:-1000000}"          # addresses per check request (half listed, half not)
ROUNDS="${ROUNDS:-5}"                      # measured requests per format; the figure is the median
FORMATS="${FORMATS:-ndjson csv}"           # request (and answer) formats to measure
PART="${PART:-1000000}"                    # rows per import request while loading the list
WARMUP="${WARMUP:-100000}"                 # addresses of one unmeasured check per format first; 0 skips
LIST_DIR="${LIST_DIR:-}"                   # keep the loaded list here (an RDB per ENTRIES) and reuse it next time
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
START_TIMEOUT="${START_TIMEOUT:-120}"
REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}"
REDIS_CLI="${REDIS_CLI:-$(command -v redis-cli || echo /usr/bin/redis-cli)}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../common.sh
source "$here/../common.sh"

require_tools python3 dotnet curl "$REDIS_SERVER" "$REDIS_CLI"
((ENTRIES >= 1 && ADDRESSES >= 2 && ROUNDS >= 1 && PART >= 1)) || die "ENTRIES, ROUNDS and PART must be positive, ADDRESSES at least 2"
for format in $FORMATS; do
    [[ "$format" == ndjson || "$format" == csv ]] || die "FORMATS takes ndjson and csv, not '$format'"
done

echo "load before: $(uptime)"
bench_start check-bench
publish_gateway
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

# The list's redis-server: no persistence unless LIST_DIR keeps it, the listpack limits of bench/scale.
redis_dir="$work/redis"
rdb="list.rdb"
if [[ -n "$LIST_DIR" ]]; then
    mkdir -p "$LIST_DIR"
    redis_dir="$LIST_DIR"
    rdb="list-$ENTRIES.rdb"
fi
mkdir -p "$redis_dir"
reusing=no
[[ -n "$LIST_DIR" && -s "$redis_dir/$rdb" ]] && reusing=yes
redis_port=$(free_port)
"$REDIS_SERVER" --bind 127.0.0.1 --port "$redis_port" --dir "$redis_dir" --dbfilename "$rdb" --save '' --appendonly no \
    --hash-max-listpack-entries 512 --hash-max-listpack-value 256 --daemonize no >"$work/redis.log" 2>&1 &
redis_pid=$!
pids+=("$redis_pid")
redis() { "$REDIS_CLI" -p "$redis_port" "$@"; }
for _ in $(seq 600); do redis ping 2>/dev/null | grep -q PONG && break; sleep 0.2; done
redis ping 2>/dev/null | grep -q PONG || die "redis-server did not start; see $work/redis.log"
echo "redis: $("$REDIS_SERVER" --version | awk '{ print $3 }') on $redis_port (pid $redis_pid), keys: $(redis dbsize)"

http_port=$(free_port)
smtp_port=$(free_port)
(cd "$(dirname "$GATEWAY_DLL")" && exec env Logging__LogLevel__Default=Warning dotnet "$GATEWAY_DLL" \
    --urls "http://127.0.0.1:$http_port" --Suppression:Smtp:Address=127.0.0.1 --Suppression:Smtp:Port="$smtp_port" \
    --Suppression:DataDirectory="$work/data" --Suppression:Admin:ApiKeys:0="$admin_key" \
    --Suppression:Redis="127.0.0.1:$redis_port" >"$work/gateway.log" 2>&1) &
gateway_pid=$!
pids+=("$gateway_pid")
deadline=$((SECONDS + START_TIMEOUT))
until curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1; do
    kill -0 "$gateway_pid" 2>/dev/null || die "the gateway exited; see $work/gateway.log"
    ((SECONDS < deadline)) || die "the gateway did not answer /healthz; see $work/gateway.log"
    sleep 0.5
done
echo "gateway: pid $gateway_pid, HTTP $http_port"

# --- the list ------------------------------------------------------------------------------------
# SendGrid global-unsubscribe exports of PART rows, generated on the fly and streamed into the import
# API: the store's own code writes its own layout (docs/data-model.md), pipelined a chunk at a time.
stored_entries() { redis --scan --pattern 'sup:b:*' | awk '{ print "HLEN", $0 }' | redis | awk '{ n += $1 } END { print n + 0 }'; }
# Decided by the saved file, not by the key count: the gateway writes a few keys of its own at start.
if [[ "$reusing" == yes ]]; then
    echo "list: reusing $redis_dir/$rdb"
else
    echo "list: importing $ENTRIES addresses in requests of $PART rows"
    load_started=$(date +%s.%N)
    for ((start = 0; start < ENTRIES; start += PART)); do
        count=$((ENTRIES - start < PART ? ENTRIES - start : PART))
        python3 "$here/../scale/addresses.py" "$start" "$count" \
            | curl -s -o "$work/import.json" -H "Authorization: Bearer $admin_key" -H 'Content-Type: text/csv' \
                -T - -X POST "http://127.0.0.1:$http_port/api/v1/suppressions/import"
        imported=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("imported"))' "$work/import.json" 2>/dev/null || echo "?")
        [[ "$imported" == "$count" ]] || die "import of rows $start.. imported $imported of $count: $(head -c 300 "$work/import.json")"
    done
    echo "list: loaded in $(awk -v a="$load_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')s"
    if [[ -n "$LIST_DIR" ]]; then
        redis save >/dev/null && echo "list: saved to $redis_dir/$rdb for the next run"
    fi
fi
stored=$(stored_entries)
((stored == ENTRIES)) || die "redis-server holds $stored entries, expected $ENTRIES (a LIST_DIR of another size?)"
echo "list: $stored entries, used_memory $(redis info memory | awk -F: '$1 == "used_memory_human" { sub(/\r/, "", $2); print $2 }')"

# --- the checks ----------------------------------------------------------------------------------
# One file per format, made once; curl streams it (-T: read as it is sent, never whole in memory)
# and reads the answers while it sends, as a client of a body of any length must.
check() {
    local format=$1 file=$2 out=$3 type
    [[ "$format" == csv ]] && type=text/csv || type=application/x-ndjson
    curl -sS -o "$out" -w '%{http_code} %{time_total}\n' -H "Authorization: Bearer $admin_key" -H "Content-Type: $type" \
        -T "$file" -X POST "http://127.0.0.1:$http_port/api/v1/suppressions/check?class=marketing"
}
for format in $FORMATS; do
    python3 "$here/addresses.py" input "$ENTRIES" "$ADDRESSES" "$format" "$work/check.$format"
    if ((WARMUP > 0)); then
        python3 "$here/addresses.py" input "$ENTRIES" "$WARMUP" "$format" "$work/warmup.$format"
        read -r code _ < <(check "$format" "$work/warmup.$format" "$work/answers.$format")
        [[ "$code" == 200 ]] || die "the warm-up check ($format) answered $code: $(head -c 300 "$work/answers.$format")"
        python3 "$here/addresses.py" verify "$ENTRIES" "$WARMUP" "$format" "$work/answers.$format" >/dev/null
    fi
done
echo "input: $ADDRESSES addresses per request, $(du -m "$work/check.ndjson" 2>/dev/null | cut -f1 || echo '?') MB as NDJSON"

clock_ticks=$(getconf CLK_TCK)
hget_calls() { redis info commandstats | awk -F'[:=,]' '$1 == "cmdstat_hget" { print $3 }'; }
printf '%-7s %-5s %14s %10s | %-25s | %s\n' format round addresses/s seconds "CPU us/address gw, redis" "HGET per address"
: >"$work/rounds.txt"
for round in $(seq "$ROUNDS"); do
    for format in $FORMATS; do
        redis config resetstat >/dev/null
        gateway_before=$(cpu_ticks "$gateway_pid")
        redis_before=$(cpu_ticks "$redis_pid")
        read -r code seconds < <(check "$format" "$work/check.$format" "$work/answers.$format")
        gateway_after=$(cpu_ticks "$gateway_pid")
        redis_after=$(cpu_ticks "$redis_pid")
        [[ "$code" == 200 ]] || die "the check ($format, round $round) answered $code: $(head -c 300 "$work/answers.$format")"
        python3 "$here/addresses.py" verify "$ENTRIES" "$ADDRESSES" "$format" "$work/answers.$format" >/dev/null \
            || die "the answers of round $round ($format) do not verify; kept in $work/answers.$format"
        hgets=$(hget_calls)
        line=$(awk -v f="$format" -v r="$round" -v n="$ADDRESSES" -v s="$seconds" -v g=$((gateway_after - gateway_before)) \
            -v rd=$((redis_after - redis_before)) -v hz="$clock_ticks" -v h="${hgets:-0}" \
            'BEGIN { printf "format=%s round=%s rate=%.0f seconds=%.2f gateway_cpu_us=%.2f redis_cpu_us=%.2f hget_per_address=%.2f",
                     f, r, n / s, s, g / hz * 1e6 / n, rd / hz * 1e6 / n, h / n }')
        echo "$line" >>"$work/rounds.txt"
        f() { tr ' ' '\n' <<<"$line" | awk -F= -v k="$1" '$1 == k { print $2 }'; }
        printf '%-7s %-5s %14s %10s | %-25s | %s\n' "$format" "$round" "$(f rate)" "$(f seconds)" "$(f gateway_cpu_us), $(f redis_cpu_us)" "$(f hget_per_address)"
    done
done

echo
for format in $FORMATS; do
    figure() { grep "format=$format " "$work/rounds.txt" | tr ' ' '\n' | awk -F= -v k="$1" '$1 == k { print $2 }' | median; }
    printf 'median %-6s %.0f addresses/s (target 200000), CPU per address: gateway %.2f us, redis-server %.2f us; every answer verified\n' \
        "$format" "$(figure rate)" "$(figure gateway_cpu_us)" "$(figure redis_cpu_us)"
done
echo "gateway: peak RSS $(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$gateway_pid/status") MB"
kill -0 "$gateway_pid" 2>/dev/null || die "the gateway exited during the run; see $work/gateway.log"
if awk '/Application started/ { started = 1 } started' "$work/gateway.log" | grep -qE '(warn|fail|crit): '; then
    echo "run.sh: WARNING: the gateway logged warnings or errors; see $work/gateway.log" >&2
    KEEP_WORK=1
fi
echo "load after: $(uptime)"

#!/usr/bin/env bash
# Unsubscribe benchmark: throughput and latency of RFC 8058 one-click POSTs to /u/{token}, each a
# new suppression written to the store (redis-server or the embedded one). Loopback only. See
# bench/README.md.
set -euo pipefail

ROUNDS="${ROUNDS:-5}"                      # measured rounds per backend (alternating when BACKEND=both)
REQUESTS="${REQUESTS:-5000}"               # measured POSTs per round, one new recipient each
CONCURRENCY="${CONCURRENCY:-16}"           # concurrent client workers, one keep-alive connection each
WARMUP="${WARMUP:-20000}"                  # unmeasured POSTs per gateway before the rounds (JIT tiering, pools); 0 skips
WARMUP_SLICES="${WARMUP_SLICES:-4}"        # the warm-up is sent in this many slices...
WARMUP_PAUSE="${WARMUP_PAUSE:-1}"          # ...each followed by this many seconds of idle
CLIENT_WARMUP="${CLIENT_WARMUP:-500}"      # unmeasured POSTs at the start of every round (the client's own JIT); 0 skips
VERIFY="${VERIFY:-20}"                     # recipients per round looked up through the admin API afterwards; 0 skips
BACKEND="${BACKEND:-redis}"                # redis, embedded, or both
REDIS_PERSISTENCE="${REDIS_PERSISTENCE:-none}" # none, everysec or always (appendfsync; always = like the embedded store)
ROUND_TIMEOUT="${ROUND_TIMEOUT:-300}"      # seconds before a round is declared failed
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
LOAD_DLL="${LOAD_DLL:-}"                   # use an already built UnsubscribeLoad.dll
GATEWAY_LOG_LEVEL="${GATEWAY_LOG_LEVEL:-Warning}"
GATEWAY_ARGS="${GATEWAY_ARGS:-}"           # extra command-line configuration, word-split
START_TIMEOUT="${START_TIMEOUT:-120}"      # seconds to wait for a listener to answer
REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}"
REDIS_CLI="${REDIS_CLI:-$(command -v redis-cli || echo /usr/bin/redis-cli)}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# shellcheck source=../common.sh
source "$here/../common.sh"

case "$BACKEND" in
    redis | embedded) backends=("$BACKEND") ;;
    both) backends=(redis embedded) ;;
    *) die "BACKEND must be redis, embedded or both, not '$BACKEND'" ;;
esac
case "$REDIS_PERSISTENCE" in
    none) redis_persistence=(--appendonly no) ;;
    everysec | always) redis_persistence=(--appendonly yes --appendfsync "$REDIS_PERSISTENCE") ;;
    *) die "REDIS_PERSISTENCE must be none, everysec or always, not '$REDIS_PERSISTENCE'" ;;
esac
command -v python3 >/dev/null || die "python3 not found"
command -v dotnet >/dev/null || die "dotnet not found"
if [[ " ${backends[*]} " == *" redis "* ]]; then
    require_tools "$REDIS_SERVER" "$REDIS_CLI"
fi

bench_start unsubscribe-bench

# Waits until GET $1 answers 200, for at most $2 seconds, while $3 (a PID) lives.
wait_for_http() {
    local url=$1 limit=$2 pid=$3 deadline=$((SECONDS + $2))
    while ((SECONDS < deadline)); do
        kill -0 "$pid" 2>/dev/null || return 1
        if python3 -c 'import sys, urllib.request; sys.exit(0 if urllib.request.urlopen(sys.argv[1], timeout=2).status == 200 else 1)' \
            "$url" 2>/dev/null; then
            return 0
        fi
        sleep 0.5
    done
    echo "run.sh: $url did not answer 200 within $limit s" >&2
    return 1
}

clock_ticks=$(getconf CLK_TCK)

# The value of key $1 in the tool's "key=value ..." figures line on stdin.
figure() { grep -o "\b$1=[^ ]*" | head -n 1 | cut -d= -f2; }

# Suppression entries stored in redis-server: one field per address in the sup:b:{bucket} hashes.
redis_entries() {
    "$REDIS_CLI" -p "$redis_port" --scan --pattern 'sup:b:*' | awk '{ print "HLEN", $0 }' \
        | "$REDIS_CLI" -p "$redis_port" | awk '{ n += $1 } END { print n + 0 }'
}

token_key="1:$(python3 -c 'import base64, os; print(base64.b64encode(os.urandom(32)).decode())')"
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
run_tag="$(date +%H%M%S)-$$"

# --- builds --------------------------------------------------------------------------------------
publish_gateway
if [[ -z "$LOAD_DLL" ]]; then
    echo "client: building bench/unsubscribe/UnsubscribeLoad (Release)..."
    timeout 600 dotnet build "$here/UnsubscribeLoad" -c Release -o "$work/load" -nologo -v quiet \
        >"$work/build.log" 2>&1 || { tail -n 30 "$work/build.log" >&2; die "build failed"; }
    LOAD_DLL="$work/load/UnsubscribeLoad.dll"
fi
[[ -f "$LOAD_DLL" ]] || die "$LOAD_DLL not found"

# --- redis-server (as .ci/run starts it; REDIS_PERSISTENCE adds an append-only file) ---------------
redis_port=""
if [[ " ${backends[*]} " == *" redis "* ]]; then
    redis_port=$(free_port)
    mkdir -p "$work/redis"
    "$REDIS_SERVER" --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis" --save '' "${redis_persistence[@]}" \
        --hash-max-listpack-entries 512 --hash-max-listpack-value 256 --daemonize no >"$work/redis.log" 2>&1 &
    pids+=($!)
    redis_pid=$!
    for _ in $(seq 50); do
        "$REDIS_CLI" -p "$redis_port" ping >/dev/null 2>&1 && break
        kill -0 "$redis_pid" 2>/dev/null || break
        sleep 0.2
    done
    "$REDIS_CLI" -p "$redis_port" ping >/dev/null 2>&1 || die "redis-server did not start; see $work/redis.log"
    echo "redis: $("$REDIS_SERVER" --version | awk '{ print $3 }') pid $redis_pid on 127.0.0.1:$redis_port, persistence $REDIS_PERSISTENCE"
fi

# --- gateways, one per backend -------------------------------------------------------------------
declare -A gateway_pid http_port
for backend in "${backends[@]}"; do
    http_port[$backend]=$(free_port)
    smtp_port=$(free_port)
    mkdir -p "$work/data-$backend"
    store=()
    if [[ "$backend" == redis ]]; then
        store=(--Suppression:Redis="127.0.0.1:$redis_port")
    fi
    # shellcheck disable=SC2086 # GATEWAY_ARGS is meant to be word-split
    (cd "$(dirname "$GATEWAY_DLL")" && exec env \
        Logging__LogLevel__Default="$GATEWAY_LOG_LEVEL" \
        Logging__LogLevel__Microsoft.AspNetCore="$GATEWAY_LOG_LEVEL" \
        dotnet "$GATEWAY_DLL" \
        --urls "http://127.0.0.1:${http_port[$backend]}" \
        --Suppression:Smtp:Address=127.0.0.1 \
        --Suppression:Smtp:Port="$smtp_port" \
        --Suppression:DataDirectory="$work/data-$backend" \
        "${store[@]}" \
        --Suppression:Tokens:Keys:0="$token_key" \
        --Suppression:Admin:ApiKeys:0="$admin_key" \
        --Suppression:Unsubscribe:RequestsPerMinute=100000000 \
        --Suppression:PublicBaseUrl=https://unsubscribe.bench.example \
        $GATEWAY_ARGS) >"$work/gateway-$backend.log" 2>&1 &
    pids+=($!)
    gateway_pid[$backend]=$!
    if ! wait_for_http "http://127.0.0.1:${http_port[$backend]}/healthz" "$START_TIMEOUT" "${gateway_pid[$backend]}"; then
        tail -n 30 "$work/gateway-$backend.log" >&2
        die "the $backend gateway did not answer on its HTTP port"
    fi
    echo "gateway ($backend): pid ${gateway_pid[$backend]}, HTTP 127.0.0.1:${http_port[$backend]}, SMTP 127.0.0.1:$smtp_port"
done

# Runs the load client against backend $1 with run id $2 and the remaining options; its output
# goes to $work/load.log, its figures line to stdout.
load() {
    local backend=$1 run_id=$2
    shift 2
    echo "--- $backend $run_id" >>"$work/load.log"
    if ! timeout "$ROUND_TIMEOUT" dotnet "$LOAD_DLL" --base-url "http://127.0.0.1:${http_port[$backend]}" --token-key "$token_key" \
        --concurrency "$CONCURRENCY" --run-id "$run_id" "$@" >"$work/round.out" 2>>"$work/load.log"; then
        cat "$work/round.out" >>"$work/load.log"
        echo "run.sh: the load client failed against the $backend gateway ($run_id); last lines of $work/load.log:" >&2
        tail -n 12 "$work/load.log" >&2
        return 1
    fi
    cat "$work/round.out" >>"$work/load.log"
    grep '^requests=' "$work/round.out"
}

echo "load: $ROUNDS rounds x $REQUESTS one-click POSTs (+ $CLIENT_WARMUP client warm-up), concurrency $CONCURRENCY, one new recipient each"
posts=0
if ((WARMUP > 0)); then
    # In slices with pauses: tier-1 JIT compilation runs on a background thread, which a saturated
    # two-core machine starves; the pauses let it catch up, so round 1 starts on optimized code.
    for slice in $(seq "$WARMUP_SLICES"); do
        for backend in "${backends[@]}"; do
            load "$backend" "$run_tag-w$slice" --requests $((WARMUP / WARMUP_SLICES)) --warmup 0 >/dev/null
        done
        sleep "$WARMUP_PAUSE"
    done
    posts=$((posts + WARMUP / WARMUP_SLICES * WARMUP_SLICES))
fi

# --- rounds --------------------------------------------------------------------------------------
printf '%-6s %-9s %8s %8s %8s %8s %8s %8s %10s %s\n' round backend seconds "req/s" "p50 ms" "p90 ms" "p99 ms" "max ms" verified "CPU us/POST (gateway, redis)"
for round in $(seq "$ROUNDS"); do
    for backend in "${backends[@]}"; do
        gateway_before=$(cpu_ticks "${gateway_pid[$backend]}")
        redis_before=$([[ "$backend" == redis ]] && cpu_ticks "$redis_pid" || echo 0)
        figures=$(load "$backend" "$run_tag-r$round" --requests "$REQUESTS" --warmup "$CLIENT_WARMUP" \
            --verify "$VERIFY" --admin-key "$admin_key")
        gateway_after=$(cpu_ticks "${gateway_pid[$backend]}")
        redis_after=$([[ "$backend" == redis ]] && cpu_ticks "$redis_pid" || echo 0)
        # Per POST of the round, warm-up included; the VERIFY lookups are a rounding error.
        cpu=$(awk -v g=$((gateway_after - gateway_before)) -v r=$((redis_after - redis_before)) -v hz="$clock_ticks" \
            -v n=$((REQUESTS + CLIENT_WARMUP)) -v redis="$([[ "$backend" == redis ]] && echo 1 || echo 0)" \
            'BEGIN { printf "%.0f", g / hz * 1e6 / n; if (redis) printf ", %.0f", r / hz * 1e6 / n }')
        verified=$( ((VERIFY > 0)) && grep -o 'verified=[^ ]*' "$work/round.out" | cut -d= -f2 || echo -)
        printf '%-6s %-9s %8s %8s %8s %8s %8s %8s %10s %s\n' "$round" "$backend" \
            "$(figure seconds <<<"$figures")" "$(figure rps <<<"$figures")" "$(figure p50_ms <<<"$figures")" \
            "$(figure p90_ms <<<"$figures")" "$(figure p99_ms <<<"$figures")" "$(figure max_ms <<<"$figures")" "$verified" "$cpu"
        for key in rps p50_ms p99_ms; do
            figure "$key" <<<"$figures" >>"$work/$backend.$key"
        done
        awk -v g=$((gateway_after - gateway_before)) -v hz="$clock_ticks" -v n=$((REQUESTS + CLIENT_WARMUP)) \
            'BEGIN { printf "%.0f\n", g / hz * 1e6 / n }' >>"$work/$backend.cpu"
    done
    posts=$((posts + REQUESTS + CLIENT_WARMUP))
done

for backend in "${backends[@]}"; do
    printf 'median %-9s %8.0f req/s   p50 %.3f ms   p99 %.3f ms   (%.0f us of gateway CPU per POST)\n' "$backend" \
        "$(median <"$work/$backend.rps")" "$(median <"$work/$backend.p50_ms")" "$(median <"$work/$backend.p99_ms")" \
        "$(median <"$work/$backend.cpu")"
done

# --- checks --------------------------------------------------------------------------------------
# Every POST named a different recipient and was answered 200, so redis-server must hold exactly
# one entry per POST sent: a 200 means a stored write, not a cached or dropped one.
if [[ -n "$redis_port" ]]; then
    stored=$(redis_entries)
    echo "redis: $stored suppression entries stored, $posts one-click POSTs answered 200"
    ((stored == posts)) || die "redis-server holds $stored entries, expected $posts"
fi

for backend in "${backends[@]}"; do
    kill -0 "${gateway_pid[$backend]}" 2>/dev/null || die "the $backend gateway exited during the run; see $work/gateway-$backend.log"
    # Only what was logged once started: start-up warns of generated keys and of Kestrel's endpoints.
    if awk '/Application started/ { started = 1 } started' "$work/gateway-$backend.log" | grep -qE '(warn|fail|crit): '; then
        echo "run.sh: WARNING: the $backend gateway logged warnings or errors; see $work/gateway-$backend.log" >&2
        KEEP_WORK=1
    fi
done

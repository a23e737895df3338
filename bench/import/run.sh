#!/usr/bin/env bash
# Import benchmark: how long POST /api/v1/suppressions/import takes for a large ESP export, the
# second import of the same file (must change nothing), a whole-list export and a chain verify,
# and the gateway's peak memory (VmHWM) while it does so. See bench/README.md.
set -euo pipefail

ROWS="${ROWS:-1000000}"                    # rows in the generated SendGrid bounces file
ROUNDS="${ROUNDS:-3}"                      # fresh gateway + store per round; the figures are medians
BACKEND="${BACKEND:-both}"                 # redis, embedded, or both (alternating per round)
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
START_TIMEOUT="${START_TIMEOUT:-120}"
REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}"
REDIS_CLI="${REDIS_CLI:-$(command -v redis-cli || echo /usr/bin/redis-cli)}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../common.sh"

case "$BACKEND" in
    redis | embedded) backends=("$BACKEND") ;;
    both) backends=(redis embedded) ;;
    *) die "BACKEND must be redis, embedded or both, not '$BACKEND'" ;;
esac
require_tools python3 dotnet curl
if [[ " ${backends[*]} " == *" redis "* ]]; then
    [[ -x "$REDIS_SERVER" && -x "$REDIS_CLI" ]] || die "redis-server not found (apt-get install -y redis-server)"
fi

bench_start import-bench
publish_gateway

file="$work/sendgrid-bounces.csv"
python3 - "$file" "$ROWS" <<'PY'
import sys
path, rows = sys.argv[1], int(sys.argv[2])
with open(path, "w") as out:
    out.write("email,created,status,reason\n")
    for i in range(rows):
        out.write(f"bounced.{i}@bench{i % 97}.example,{1700000000 + i},5.1.1,"
                  f"\"550 5.1.1 The email account that you tried to reach does not exist\"\n")
PY
echo "file: $ROWS rows, $(du -m "$file" | cut -f1) MB"

admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

wait_for_http() {
    local deadline=$((SECONDS + START_TIMEOUT))
    while ((SECONDS < deadline)); do
        kill -0 "$2" 2>/dev/null || return 1
        curl -sf "$1" >/dev/null 2>&1 && return 0
        sleep 0.5
    done
    return 1
}

# Seconds taken by one curl call; its body goes to $work/response.json.
timed() { curl -s -o "$work/response.json" -w '%{time_total}' -H "Authorization: Bearer $admin_key" "$@"; }

field() { python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$work/response.json" "$1"; }

declare -A first second export verify memory
for round in $(seq "$ROUNDS"); do
    for backend in "${backends[@]}"; do
        store=()
        if [[ "$backend" == redis ]]; then
            redis_port=$(free_port)
            mkdir -p "$work/redis-$round"
            "$REDIS_SERVER" --bind 127.0.0.1 --port "$redis_port" --dir "$work/redis-$round" --save '' --appendonly no \
                --daemonize no >"$work/redis-$round.log" 2>&1 &
            redis_pid=$!
            pids+=("$redis_pid")
            for _ in $(seq 50); do "$REDIS_CLI" -p "$redis_port" ping >/dev/null 2>&1 && break; sleep 0.2; done
            store=(--Suppression:Redis="127.0.0.1:$redis_port")
        fi

        http_port=$(free_port)
        (cd "$(dirname "$GATEWAY_DLL")" && exec env Logging__LogLevel__Default=Warning dotnet "$GATEWAY_DLL" \
            --urls "http://127.0.0.1:$http_port" --Suppression:Smtp:Address=127.0.0.1 --Suppression:Smtp:Port="$(free_port)" \
            --Suppression:DataDirectory="$work/data-$backend-$round" --Suppression:Admin:ApiKeys:0="$admin_key" "${store[@]}" \
            >"$work/gateway-$backend-$round.log" 2>&1) &
        gateway_pid=$!
        pids+=("$gateway_pid")
        wait_for_http "http://127.0.0.1:$http_port/healthz" "$gateway_pid" || die "gateway did not start; see $work/gateway-$backend-$round.log"
        api="http://127.0.0.1:$http_port/api/v1"

        t1=$(timed -H 'Content-Type: text/csv' -T "$file" -X POST "$api/suppressions/import")
        [[ "$(field imported)" == "$ROWS" ]] || die "first import did not import every row: $(head -c 300 "$work/response.json")"
        t2=$(timed -H 'Content-Type: text/csv' -T "$file" -X POST "$api/suppressions/import")
        [[ "$(field imported)" == 0 && "$(field unchanged)" == "$ROWS" ]] || die "second import changed something: $(head -c 300 "$work/response.json")"
        t3=$(curl -s -o "$work/export.csv" -w '%{time_total}' -H "Authorization: Bearer $admin_key" "$api/suppressions/export")
        exported=$(($(wc -l <"$work/export.csv") - 1))
        [[ "$exported" == "$ROWS" ]] || die "export has $exported rows, not $ROWS"
        t4=$(timed "$api/audit/verify")
        [[ "$(field ok)" == True ]] || die "verify failed: $(cat "$work/response.json")"
        hwm=$(awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$gateway_pid/status")

        echo "round $round $backend: import=${t1}s reimport=${t2}s export=${t3}s verify=${t4}s peak_rss=${hwm}MB"
        first[$backend]+="$t1 "; second[$backend]+="$t2 "; export[$backend]+="$t3 "; verify[$backend]+="$t4 "; memory[$backend]+="$hwm "

        kill "$gateway_pid"; wait "$gateway_pid" 2>/dev/null || true
        if [[ "$backend" == redis ]]; then kill "$redis_pid"; wait "$redis_pid" 2>/dev/null || true; fi
        rm -rf "$work/data-$backend-$round" "$work/redis-$round" "$work/export.csv"
    done
done

med() { tr ' ' '\n' | grep -v '^$' | median; }
for backend in "${backends[@]}"; do
    rate=$(python3 -c "print(round($ROWS / $(med <<<"${first[$backend]}")))")
    echo "median $backend ($ROUNDS rounds, $ROWS rows): import=$(med <<<"${first[$backend]}")s (${rate} rows/s)" \
        "reimport=$(med <<<"${second[$backend]}")s export=$(med <<<"${export[$backend]}")s verify=$(med <<<"${verify[$backend]}")s" \
        "peak_rss=$(med <<<"${memory[$backend]}")MB"
done

#!/usr/bin/env bash
# Redis memory per suppressed address through the real gateway, in both stored formats, on one
# redis-server per list (see bench/README.md; figures in docs/benchmarks.md, memory):
#   text      a store marked text (sup:format = 1, as one written before the compact format was)
#             gets ADDRESSES rows through the import API;
#   upgraded  the same store after POST /api/v1/storage/upgrade (timed: the upgrade's rate);
#   compact   a store never written to (so the gateway marks it compact) gets the same rows;
#   api       a compact store gets API_ADDRESSES opt-outs through POST /api/v1/suppressions, which
#             carry no import batch (what one-click unsubscribes cost).
# used_memory is read before and after each load; bytes per address is the difference over the count.
set -euo pipefail

ADDRESSES="${ADDRESSES:-1000000}"          # rows imported into the text and the compact list
API_ADDRESSES="${API_ADDRESSES:-20000}"    # opt-outs through the API into the api list; 0 skips it
PART="${PART:-1000000}"                    # rows per import request
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}"
REDIS_CLI="${REDIS_CLI:-$(command -v redis-cli || echo /usr/bin/redis-cli)}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../common.sh
source "$here/../common.sh"

for tool in python3 dotnet curl; do command -v "$tool" >/dev/null || die "$tool not found"; done
for tool in "$REDIS_SERVER" "$REDIS_CLI"; do
    [[ -x "$tool" ]] || die "$tool not found: install redis-server (apt-get install -y redis-server)"
done

bench_start memory-bench
publish_gateway
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

# Starts redis-server $1 (a name) with the listpack limits spelled out, as bench/scale does.
declare -A rport
start_redis() {
    rport[$1]=$(free_port)
    mkdir -p "$work/redis-$1"
    "$REDIS_SERVER" --bind 127.0.0.1 --port "${rport[$1]}" --dir "$work/redis-$1" --save '' --appendonly no \
        --hash-max-listpack-entries 512 --hash-max-listpack-value 256 --daemonize no >"$work/redis-$1.log" 2>&1 &
    pids+=("$!")
    for _ in $(seq 50); do "$REDIS_CLI" -p "${rport[$1]}" ping >/dev/null 2>&1 && return 0; sleep 0.2; done
    die "redis-server $1 did not start; see $work/redis-$1.log"
}
used_memory() { "$REDIS_CLI" -p "${rport[$1]}" info memory | awk -F: '$1 == "used_memory" { sub(/\r/, "", $2); print $2 }'; }
per_address() { awk -v a="$1" -v b="$2" -v n="$3" 'BEGIN { printf "%.1f", (b - a) / n }'; }

# Starts a gateway on redis-server $1 and sets http_port.
start_on() {
    http_port=$(free_port)
    smtp_port=$(free_port)
    gateway_name="gateway-$1" start_gateway --Suppression:Redis="127.0.0.1:${rport[$1]}"
}

import_rows() {
    local list=$1 start count seconds
    for ((start = 0; start < ADDRESSES; start += PART)); do
        count=$((ADDRESSES - start < PART ? ADDRESSES - start : PART))
        python3 "$here/../scale/addresses.py" "$start" "$count" \
            | curl -sf -o "$work/import-$list.json" -H "Authorization: Bearer $admin_key" -H 'Content-Type: text/csv' \
                -T - -X POST "http://127.0.0.1:$http_port/api/v1/suppressions/import" || die "import into $list failed"
    done
    python3 -c 'import json, sys; n = json.load(open(sys.argv[1]))["imported"]; sys.exit(0 if n > 0 else 1)' "$work/import-$list.json" \
        || die "import into $list imported nothing: $(head -c 300 "$work/import-$list.json")"
}

format_of() { curl -sf -H "Authorization: Bearer $admin_key" "http://127.0.0.1:$http_port/api/v1/storage"; }

echo "redis: $("$REDIS_SERVER" --version | awk '{ print $3 }'); $ADDRESSES addresses per import list"

# --- text, then upgraded -------------------------------------------------------------------------
start_redis text
"$REDIS_CLI" -p "${rport[text]}" set sup:format 1 >/dev/null
start_on text
before=$(used_memory text)
import_rows text
after=$(used_memory text)
text_bytes=$(per_address "$before" "$after" "$ADDRESSES")
echo "text:     $(format_of), $text_bytes B/address"

started=$(date +%s.%N)
curl -sf -o "$work/upgrade.json" -H "Authorization: Bearer $admin_key" -X POST "http://127.0.0.1:$http_port/api/v1/storage/upgrade" \
    || die "upgrade failed"
upgrade_seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
upgraded=$(used_memory text)
echo "upgraded: $(cat "$work/upgrade.json")"
echo "upgraded: $(per_address "$before" "$upgraded" "$ADDRESSES") B/address; upgrade took ${upgrade_seconds} s" \
    "($(awk -v n="$ADDRESSES" -v s="$upgrade_seconds" 'BEGIN { printf "%.0f", n / s }') mailboxes/s)"

# --- compact from the start ----------------------------------------------------------------------
start_redis compact
start_on compact
before=$(used_memory compact)
import_rows compact
after=$(used_memory compact)
echo "compact:  $(format_of), $(per_address "$before" "$after" "$ADDRESSES") B/address"
bucket='sup:b:{00000}'
echo "compact:  $bucket is a $("$REDIS_CLI" -p "${rport[compact]}" object encoding "$bucket") of" \
    "$("$REDIS_CLI" -p "${rport[compact]}" hlen "$bucket") mailboxes in $("$REDIS_CLI" -p "${rport[compact]}" memory usage "$bucket") bytes"

# --- API opt-outs (no batch) ---------------------------------------------------------------------
if ((API_ADDRESSES > 0)); then
    start_redis api
    start_on api
    before=$(used_memory api)
    # The audit chains hold a record per opt-out too: their memory is counted separately.
    python3 "$here/api_optouts.py" --url "http://127.0.0.1:$http_port" --key "$admin_key" --count "$API_ADDRESSES"
    after=$(used_memory api)
    buckets=$("$REDIS_CLI" -p "${rport[api]}" --scan --pattern 'sup:b:*' | awk '{ print "MEMORY", "USAGE", $0 }' \
        | "$REDIS_CLI" -p "${rport[api]}" | awk '{ n += $1 } END { print n + 0 }')
    echo "api:      $API_ADDRESSES opt-outs: $(per_address "$before" "$after" "$API_ADDRESSES") B/address in all," \
        "of which the bucket hashes $(per_address 0 "$buckets" "$API_ADDRESSES") (MEMORY USAGE; the rest is the audit chains)"
fi

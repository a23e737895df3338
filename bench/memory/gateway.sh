#!/usr/bin/env bash
# Redis memory per suppressed address through the real gateway, in each stored format, on one
# redis-server per list (see bench/README.md; figures in docs/benchmarks.md, memory):
#   text       a store marked text (sup:format = 1, as one written before the compact format was)
#              gets ADDRESSES rows through the import API; then the same store is upgraded with
#              POST /api/v1/storage/upgrade, and again with ?format=hashed (each timed);
#   compact    a store never written to (so the gateway marks it compact) gets the same rows;
#   hashed     a store never written to, with Suppression:NewStoreFormat=Hashed, gets the same rows;
#   api        a compact store gets API_ADDRESSES opt-outs through POST /api/v1/suppressions, which
#              carry no import batch (what one-click unsubscribes cost);
#   api-hashed the same into a hashed store.
# LISTS picks the lists (text includes its two upgrades).
# used_memory is read before and after each load; bytes per address is the difference over the count.
set -euo pipefail

ADDRESSES="${ADDRESSES:-1000000}"          # rows imported into the text and the compact list
API_ADDRESSES="${API_ADDRESSES:-20000}"    # opt-outs through the API into the api list; 0 skips it
PART="${PART:-1000000}"                    # rows per import request
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
LISTS="${LISTS:-text compact hashed api api-hashed}"
REDIS_SERVER="${REDIS_SERVER:-$(command -v redis-server || echo /usr/bin/redis-server)}"
REDIS_CLI="${REDIS_CLI:-$(command -v redis-cli || echo /usr/bin/redis-cli)}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../common.sh
source "$here/../common.sh"

require_tools python3 dotnet curl "$REDIS_SERVER" "$REDIS_CLI"

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

want() { [[ " $LISTS " == *" $1 "* ]]; }

# Starts a gateway on redis-server $1 (a name), with any further settings, and sets http_port.
start_on() {
    local name=$1
    shift
    http_port=$(free_port)
    smtp_port=$(free_port)
    gateway_name="gateway-$name" start_gateway --Suppression:Redis="127.0.0.1:${rport[$name]}" "$@"
}

# Times POST /api/v1/storage/upgrade?format=$2 on list $1, whose memory before its load was $3.
upgrade_to() {
    local list=$1 format=$2 before=$3 started seconds
    started=$(date +%s.%N)
    curl -sf -o "$work/upgrade-$format.json" -H "Authorization: Bearer $admin_key" -X POST \
        "http://127.0.0.1:$http_port/api/v1/storage/upgrade?format=$format" || die "upgrade to $format failed"
    seconds=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
    echo "$list -> $format: $(cat "$work/upgrade-$format.json")"
    echo "$list -> $format: $(per_address "$before" "$(used_memory "$list")" "$ADDRESSES") B/address; upgrade took ${seconds} s" \
        "($(awk -v n="$ADDRESSES" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }') mailboxes/s)"
}

describe_bucket() {
    local bucket='sup:b:{00000}'
    [[ "$("$REDIS_CLI" -p "${rport[$1]}" exists "$bucket")" == 1 ]] || return 0
    echo "$1: $bucket is a $("$REDIS_CLI" -p "${rport[$1]}" object encoding "$bucket") of" \
        "$("$REDIS_CLI" -p "${rport[$1]}" hlen "$bucket") mailboxes in $("$REDIS_CLI" -p "${rport[$1]}" memory usage "$bucket") bytes"
}

# API_ADDRESSES opt-outs into list $1 (a fresh store, with any further settings).
api_optouts() {
    local list=$1 before after buckets
    shift
    start_redis "$list"
    start_on "$list" "$@"
    before=$(used_memory "$list")
    # The audit chains hold a record per opt-out too: their memory is counted separately.
    python3 "$here/api_optouts.py" --url "http://127.0.0.1:$http_port" --key "$admin_key" --count "$API_ADDRESSES"
    after=$(used_memory "$list")
    buckets=$("$REDIS_CLI" -p "${rport[$list]}" --scan --pattern 'sup:b:*' | awk '{ print "MEMORY", "USAGE", $0 }' \
        | "$REDIS_CLI" -p "${rport[$list]}" | awk '{ n += $1 } END { print n + 0 }')
    echo "$list: $(format_of), $API_ADDRESSES opt-outs: $(per_address "$before" "$after" "$API_ADDRESSES") B/address in all," \
        "of which the bucket hashes $(per_address 0 "$buckets" "$API_ADDRESSES") (MEMORY USAGE; the rest is the audit chains)"
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

# --- text, then upgraded to compact, then to hashed ---------------------------------------------
if want text; then
    start_redis text
    "$REDIS_CLI" -p "${rport[text]}" set sup:format 1 >/dev/null
    start_on text
    before=$(used_memory text)
    import_rows text
    echo "text:     $(format_of), $(per_address "$before" "$(used_memory text)" "$ADDRESSES") B/address"
    upgrade_to text compact "$before"
    upgrade_to text hashed "$before"
fi

# --- compact from the start ----------------------------------------------------------------------
if want compact; then
    start_redis compact
    start_on compact
    before=$(used_memory compact)
    import_rows compact
    echo "compact:  $(format_of), $(per_address "$before" "$(used_memory compact)" "$ADDRESSES") B/address"
    describe_bucket compact
fi

# --- hashed from the start -----------------------------------------------------------------------
if want hashed; then
    start_redis hashed
    start_on hashed --Suppression:NewStoreFormat=Hashed
    before=$(used_memory hashed)
    import_rows hashed
    echo "hashed:   $(format_of), $(per_address "$before" "$(used_memory hashed)" "$ADDRESSES") B/address"
    describe_bucket hashed
fi

# --- API opt-outs (no batch) ---------------------------------------------------------------------
if ((API_ADDRESSES > 0)); then
    if want api; then api_optouts api; fi
    if want api-hashed; then api_optouts api-hashed --Suppression:NewStoreFormat=Hashed; fi
fi

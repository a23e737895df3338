#!/usr/bin/env bash
# What strangers' reports cost the gateway's memory (issue 15, item 8): PARALLEL reports of each
# SHAPE (see reports.py) arrive at once at a feedback address of a gateway on its embedded store;
# the gateway's RSS is sampled throughout. GATEWAY_DLL runs an already published build (for a
# before/after comparison, publish the older commit yourself); RUNS repeats each shape.
set -euo pipefail

PARALLEL="${PARALLEL:-4}"
BYTES="${BYTES:-3000000}"
SHAPES="${SHAPES:-parts fields groups}"
RUNS="${RUNS:-1}"
GATEWAY_DLL="${GATEWAY_DLL:-}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../common.sh
source "$here/../common.sh"

require_tools python3 dotnet curl

bench_start reports-memory-bench
publish_gateway
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"

for shape in $SHAPES; do
    for run in $(seq "$RUNS"); do
        http_port=$(free_port)
        smtp_port=$(free_port)
        gateway_name="gateway-$shape-$run" start_gateway --Suppression:Feedback:Addresses:0=bounces@gateway.test "$@"
        python3 "$here/reports.py" "$smtp_port" "$gateway_pid" "$shape" "$BYTES" "$PARALLEL"
        kill "$gateway_pid"
        wait "$gateway_pid" 2>/dev/null || true
    done
done

#!/usr/bin/env bash
# Two published gateways side by side: runs run.sh against BEFORE and AFTER, PAIRS times, so both
# builds see the same machine minutes, and prints each run's medians. The order flips every pair
# (before/after, then after/before), so neither build always runs second. See bench/README.md.
#
#   BEFORE=/tmp/gw-main/Suppression.Gateway.dll AFTER=/tmp/gw-branch/Suppression.Gateway.dll bench/relay/compare.sh
#
# BEFORE_ENV and AFTER_ENV add environment variables (NAME=value, space-separated) to each side's
# runs, so one build can be compared with itself under a runtime setting (AFTER defaults to BEFORE):
#
#   BEFORE=/tmp/gw/Suppression.Gateway.dll AFTER_ENV="DOTNET_gcServer=0" bench/relay/compare.sh
#
# Every other setting is run.sh's (ROUNDS, MESSAGES, ...); the defaults here are shorter rounds
# and no latency run. Hold the benchmark lock around the whole comparison, not each run.
set -euo pipefail

: "${BEFORE:?BEFORE must name a published Suppression.Gateway.dll}"
: "${AFTER:=$BEFORE}"
BEFORE_ENV="${BEFORE_ENV:-}"
AFTER_ENV="${AFTER_ENV:-}"
PAIRS="${PAIRS:-3}"
export ROUNDS="${ROUNDS:-3}" MESSAGES="${MESSAGES:-10000}" WARMUP_MESSAGES="${WARMUP_MESSAGES:-5000}" LATENCY="${LATENCY:-0}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
log="$(mktemp "${TMPDIR:-/tmp}/relay-compare.XXXXXX")"

printf '%-5s %-7s %12s %12s %12s %8s\n' pair build "direct msg/s" "gateway msg/s" "gw us/msg" ratio
for pair in $(seq "$PAIRS"); do
    order=$( ((pair % 2)) && echo "before after" || echo "after before")
    for build in $order; do
        dll=$([[ "$build" == before ]] && echo "$BEFORE" || echo "$AFTER")
        settings=$([[ "$build" == before ]] && echo "$BEFORE_ENV" || echo "$AFTER_ENV")
        # shellcheck disable=SC2086 # the settings are meant to be word-split into NAME=value pairs
        env $settings GATEWAY_DLL="$dll" "$here/run.sh" >"$log" 2>&1 || { cat "$log" >&2; exit 1; }
        grep -q WARNING "$log" && grep WARNING "$log" >&2
        direct=$(sed -n 's/^median direct: *\([0-9.]*\).*/\1/p' "$log")
        gateway=$(sed -n 's/^median gateway: *\([0-9.]*\) messages.*/\1/p' "$log")
        cpu=$(sed -n 's/^median gateway:.*(\([0-9.]*\) us.*/\1/p' "$log")
        ratio=$(sed -n 's/^ratio gateway\/direct: *//p' "$log")
        printf '%-5s %-7s %12s %12s %12s %8s\n' "$pair" "$build" "$direct" "$gateway" "$cpu" "$ratio"
    done
done
rm -f "$log"

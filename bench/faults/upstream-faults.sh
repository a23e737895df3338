#!/usr/bin/env bash
# Fault run: the upstream misbehaves at random (flaky_upstream.py between the gateway and
# smtp-sink): 421 at connect, 451 to RCPT, connections dropped before the end of the data, and
# dropped after the sink took the message but before its 250 reached the gateway. Checked
# (check.py): every message the client got 250 for is at the sink, no suppressed recipient is, and
# copies beyond one come only from the at-least-once window. See bench/README.md.
set -euo pipefail

DURATION="${DURATION:-30}"                 # seconds of load
THREADS="${THREADS:-8}"
SUPPRESSED="${SUPPRESSED:-1000}"
SEED="${SEED:-1}"                          # the proxy's random seed
ODDS="${ODDS:-0.05 0.05 0.05 0.03}"        # connect 421, RCPT 451, drop before ".", drop after "."
GATEWAY_DLL="${GATEWAY_DLL:-}"
SMTP_SINK="${SMTP_SINK:-/usr/sbin/smtp-sink}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../common.sh"
[[ -x "$SMTP_SINK" ]] || die "$SMTP_SINK not found (apt-get install -y postfix)"
command -v curl >/dev/null || die "curl not found"

bench_start fault-upstream
publish_gateway

sink_port=$(free_port)
proxy_port=$(free_port)
http_port=$(free_port)
smtp_port=$(free_port)
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
mkdir -p "$work/sink"
chmod 777 "$work/sink"
sink_user=()
[[ $(id -u) == 0 ]] && sink_user=(-u nobody)
"$SMTP_SINK" "${sink_user[@]}" -D "$work/sink/dump" 127.0.0.1:"$sink_port" 256 >"$work/sink.log" 2>&1 &
pids+=($!)
# shellcheck disable=SC2086 # ODDS is four words
python3 "$here/flaky_upstream.py" "$proxy_port" "$sink_port" "$SEED" $ODDS >"$work/proxy.log" 2>&1 &
proxy_pid=$!
pids+=("$proxy_pid")

start_gateway \
    --Suppression:Upstream:Host=127.0.0.1 --Suppression:Upstream:Port="$proxy_port" --Suppression:Upstream:Tls=None

import_suppressed "$SUPPRESSED"
echo "imported $SUPPRESSED suppressed recipients; load: $THREADS clients for $DURATION s; upstream odds (421 at connect, 451 to RCPT, drop before '.', drop after '.'): $ODDS"

python3 "$here/load.py" 127.0.0.1 "$smtp_port" "$DURATION" "$THREADS" "$work/client.jsonl" "$SUPPRESSED"
sleep 2
kill "$proxy_pid"
wait "$proxy_pid" 2>/dev/null || true
echo "upstream faults injected: $(grep -o "connect421=.*" "$work/proxy.log" || echo "(no counts: see $work/proxy.log)")"
python3 "$here/check.py" "$work/client.jsonl" "$work/sink/dump" 0 0

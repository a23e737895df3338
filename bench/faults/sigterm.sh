#!/usr/bin/env bash
# Fault run: SIGTERM with one idle session and one in the middle of DATA (sigterm_client.py), then
# the sink is checked for the message that was in progress. See bench/README.md.
set -euo pipefail

GRACE="${GRACE:-30}"                      # seconds the process may take to exit (the host's shutdown timeout)
GATEWAY_DLL="${GATEWAY_DLL:-}"
SMTP_SINK="${SMTP_SINK:-/usr/sbin/smtp-sink}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
source "$here/../common.sh"
[[ -x "$SMTP_SINK" ]] || die "$SMTP_SINK not found (apt-get install -y postfix)"

bench_start fault-sigterm
publish_gateway

sink_port=$(free_port)
http_port=$(free_port)
smtp_port=$(free_port)
mkdir -p "$work/sink"
chmod 777 "$work/sink"
sink_user=()
[[ $(id -u) == 0 ]] && sink_user=(-u nobody)
"$SMTP_SINK" "${sink_user[@]}" -D "$work/sink/dump" 127.0.0.1:"$sink_port" 256 >"$work/sink.log" 2>&1 &
pids+=($!)

cd "$(dirname "$GATEWAY_DLL")"
Logging__LogLevel__Default=Warning dotnet "$GATEWAY_DLL" \
    --urls "http://127.0.0.1:$http_port" --Suppression:Smtp:Address=127.0.0.1 --Suppression:Smtp:Port="$smtp_port" \
    --Suppression:DataDirectory="$work/data" --Suppression:Upstream:Host=127.0.0.1 --Suppression:Upstream:Port="$sink_port" \
    --Suppression:Upstream:Tls=None >"$work/gateway.log" 2>&1 &
gateway_pid=$!
pids+=("$gateway_pid")
for _ in $(seq 240); do curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && break; kill -0 "$gateway_pid" || die "gateway exited; see $work/gateway.log"; sleep 0.5; done

status=0
python3 "$here/sigterm_client.py" 127.0.0.1 "$smtp_port" "$gateway_pid" "$GRACE" || status=1
sleep 1
if grep -q "drain-1@drain.example" "$work/sink/dump" 2>/dev/null; then
    echo "sink: the message in progress was delivered"
else
    echo "sink: the message in progress is MISSING"
    status=1
fi
wait "$gateway_pid" 2>/dev/null && echo "gateway exit code: 0" || echo "gateway exit code: $?"
exit "$status"

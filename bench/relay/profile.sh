#!/usr/bin/env bash
# Where the gateway's CPU goes under the relay benchmark's load: a `perf record -g` CPU profile of
# the gateway process, then, under the same load, a count of its system calls per message and per
# conversation (client, upstream, Redis). Loopback only; needs perf and root. See bench/README.md.
set -euo pipefail

MESSAGES="${MESSAGES:-60000}"              # messages of load while perf samples (must outlast SECONDS_SAMPLED)
WARMUP_MESSAGES="${WARMUP_MESSAGES:-20000}"
SESSIONS="${SESSIONS:-20}"
SIZE="${SIZE:-2048}"
SECONDS_SAMPLED="${SECONDS_SAMPLED:-10}"   # CPU profile length; the syscall count runs 4 s
FREQUENCY="${FREQUENCY:-999}"              # perf samples per second per CPU
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
GATEWAY_ARGS="${GATEWAY_ARGS:-}"           # extra command-line configuration, word-split (e.g. a DKIM signer)
RECIPIENTS="${RECIPIENTS:-1}"              # recipients per message; the gateway relays one copy each
OUT="${OUT:-}"                             # keep perf.data and the reports here (default: a new temporary directory)

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SMTP_SINK="${SMTP_SINK:-$(command -v smtp-sink || echo /usr/sbin/smtp-sink)}"
SMTP_SOURCE="${SMTP_SOURCE:-$(command -v smtp-source || echo /usr/sbin/smtp-source)}"
# shellcheck source=../common.sh
source "$here/../common.sh"
for tool in "$SMTP_SINK" "$SMTP_SOURCE"; do
    [[ -x "$tool" ]] || die "$tool not found: apt-get install -y postfix, then postfix stop (see bench/README.md)"
done
command -v perf >/dev/null || die "perf not found (apt-get install -y linux-perf)"

bench_start relay-profile
KEEP_WORK=1
OUT="${OUT:-$work}"
mkdir -p "$OUT"

sink_port=$(free_port)
gateway_port=$(free_port)
http_port=$(free_port)
sink_flags=(-c -m 1000 -t 30)
[[ $EUID -ne 0 ]] || sink_flags+=(-u nobody)
"$SMTP_SINK" "${sink_flags[@]}" "127.0.0.1:$sink_port" 1000 >"$work/sink.log" 2>&1 &
pids+=($!)
wait_for_smtp "$sink_port" 10 "${pids[-1]}" || die "smtp-sink did not start"

publish_gateway
mkdir -p "$work/data"
# Perf maps name the JIT-compiled methods; W^X off keeps their addresses stable for perf.
(cd "$(dirname "$GATEWAY_DLL")" && exec env DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
    Logging__LogLevel__Default=Warning Logging__LogLevel__Microsoft.AspNetCore=Warning \
    dotnet "$GATEWAY_DLL" --Suppression:Smtp:Address=127.0.0.1 --Suppression:Smtp:Port="$gateway_port" \
    --Suppression:Upstream:Host=127.0.0.1 --Suppression:Upstream:Port="$sink_port" \
    --Suppression:DataDirectory="$work/data" --urls "http://127.0.0.1:$http_port" $GATEWAY_ARGS) >"$work/gateway.log" 2>&1 &
gateway_pid=$!
pids+=("$gateway_pid")
wait_for_smtp "$gateway_port" 120 "$gateway_pid" || die "the gateway did not answer; see $work/gateway.log"

send() {
    "$SMTP_SOURCE" -s "$SESSIONS" -m "$1" -l "$SIZE" -r "$RECIPIENTS" -M bench.example -d \
        -f sender@bench.example -t rcpt@bench.example "127.0.0.1:$gateway_port" >>"$work/source.log" 2>&1
}
sink_messages() { tr '\r' '\n' <"$work/sink.log" | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -n 1 | grep . || echo 0; }

send "$WARMUP_MESSAGES"

# 1. CPU profile.
send "$MESSAGES" &
load=$!
sleep 1
before=$(sink_messages); ticks_before=$(cpu_ticks "$gateway_pid")
perf record -F "$FREQUENCY" -g -p "$gateway_pid" -o "$OUT/perf.data" -- sleep "$SECONDS_SAMPLED" 2>"$work/perf.log"
after=$(sink_messages); ticks_after=$(cpu_ticks "$gateway_pid")
wait "$load"
messages=$((after - before))
awk -v t=$((ticks_after - ticks_before)) -v hz="$(getconf CLK_TCK)" -v n="$messages" \
    'BEGIN { printf "profile: %d messages in the sampled window, %.0f us of gateway CPU per message\n", n, t / hz * 1e6 / n }'
perf script -i "$OUT/perf.data" -F comm,tid,period,ip,sym,dso 2>/dev/null >"$OUT/perf.txt"

# 2. System calls per message, by socket (tracing slows the gateway, so this is a separate window).
send "$MESSAGES" &
load=$!
sleep 2
ls -l "/proc/$gateway_pid/fd" >"$OUT/fds.txt" 2>/dev/null || true
ss -tanpe >"$OUT/sockets.txt"
before=$(sink_messages)
events=sendto,recvfrom,sendmsg,recvmsg,epoll_wait,sched_yield,futex,getpid
perf record -e "$(sed 's/\([a-z_]*\)/syscalls:sys_enter_\1/g' <<<"$events")" -p "$gateway_pid" \
    -o "$OUT/syscalls.data" -- sleep 4 2>>"$work/perf.log"
after=$(sink_messages)
wait "$load"
perf script -i "$OUT/syscalls.data" -F event,trace 2>/dev/null >"$OUT/syscalls.txt"

python3 "$here/profile_report.py" --profile "$OUT/perf.txt" --syscalls "$OUT/syscalls.txt" \
    --fds "$OUT/fds.txt" --sockets "$OUT/sockets.txt" --messages $((after - before)) \
    --gateway-port "$gateway_port" --sink-port "$sink_port"
echo "perf data and reports kept in $OUT"

#!/usr/bin/env bash
# Relay benchmark: throughput and added latency of the gateway against a direct path to the same
# upstream sink. Loopback only. See bench/README.md.
set -euo pipefail

ROUNDS="${ROUNDS:-5}"                      # measured rounds per path, alternating direct/gateway
MESSAGES="${MESSAGES:-20000}"              # messages per round
SESSIONS="${SESSIONS:-20}"                 # concurrent SMTP sessions (smtp-source -s)
SIZE="${SIZE:-2048}"                       # payload bytes per message (smtp-source -l)
REUSE_SESSIONS="${REUSE_SESSIONS:-1}"      # 1: sessions send back to back (-d); 0: one connection per message
WARMUP_MESSAGES="${WARMUP_MESSAGES:-10000}" # per path, before the measured rounds (JIT tiering, pools); 0 skips
ROUND_TIMEOUT="${ROUND_TIMEOUT:-300}"      # seconds before a round is declared failed
LATENCY="${LATENCY:-1}"                    # 1: run latency.py after the throughput rounds
LATENCY_THREADS="${LATENCY_THREADS:-20}"
LATENCY_MESSAGES="${LATENCY_MESSAGES:-500}" # per thread per round
LATENCY_ROUNDS="${LATENCY_ROUNDS:-3}"
LATENCY_RATE="${LATENCY_RATE:-1000}"       # total messages/s of the probe; 0 = back to back (see latency.py)
GATEWAY="${GATEWAY:-1}"                    # 0: direct path only (harness check without a gateway)
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
FORWARDER="${FORWARDER:-0}"                # 1: a third path through HAProxy in TCP mode, a byte forwarder (the floor of any relay)
PIN="${PIN:-0}"                            # 1: client and sink on LOAD_CPUS, the relay (gateway or forwarder) on RELAY_CPUS
LOAD_CPUS="${LOAD_CPUS:-0}"
RELAY_CPUS="${RELAY_CPUS:-1}"
GATEWAY_LOG_LEVEL="${GATEWAY_LOG_LEVEL:-Warning}"
GATEWAY_ARGS="${GATEWAY_ARGS:-}"           # extra command-line configuration, word-split
START_TIMEOUT="${START_TIMEOUT:-120}"      # seconds to wait for a listener to answer
SENDER="${SENDER:-sender@bench.example}"
RECIPIENT="${RECIPIENT:-rcpt@bench.example}"
RECIPIENTS="${RECIPIENTS:-1}"              # recipients per message (smtp-source -r); the gateway relays one copy each

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

SMTP_SINK="${SMTP_SINK:-$(command -v smtp-sink || echo /usr/sbin/smtp-sink)}"
SMTP_SOURCE="${SMTP_SOURCE:-$(command -v smtp-source || echo /usr/sbin/smtp-source)}"

# shellcheck source=../common.sh
source "$here/../common.sh"

for tool in "$SMTP_SINK" "$SMTP_SOURCE"; do
    [[ -x "$tool" ]] || die "$tool not found: install postfix (it provides smtp-sink and smtp-source), see bench/README.md"
done
command -v python3 >/dev/null || die "python3 not found"
if [[ "$FORWARDER" == 1 ]]; then
    require_tools haproxy
fi
# With PIN=1 the relay gets cores of its own, so the ratio compares what one relay core does with
# what the client and sink do on theirs, instead of how much CPU the relay takes from them.
load_pin=()
relay_pin=()
if [[ "$PIN" == 1 ]]; then
    require_tools taskset
    load_pin=(taskset -c "$LOAD_CPUS")
    relay_pin=(taskset -c "$RELAY_CPUS")
fi
if [[ "$GATEWAY" == 1 && -z "$GATEWAY_DLL" ]]; then
    command -v dotnet >/dev/null || die "dotnet not found"
fi

bench_start relay-bench

# Messages the sink has counted so far (smtp-sink -c rewrites one counter line with CR).
sink_messages() {
    tr '\r' '\n' < "$work/sink.log" | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -n 1 | grep . || echo 0
}

# Sends $2 messages to 127.0.0.1:$1; prints the elapsed seconds.
send_batch() {
    local port=$1 count=$2 start end
    local flags=(-s "$SESSIONS" -m "$count" -l "$SIZE" -M bench.example -f "$SENDER" -t "$RECIPIENT" -r "$RECIPIENTS")
    if [[ "$REUSE_SESSIONS" == 1 ]]; then
        flags+=(-d)
    fi
    start=$(date +%s.%N)
    if ! timeout "$ROUND_TIMEOUT" "${load_pin[@]}" "$SMTP_SOURCE" "${flags[@]}" "127.0.0.1:$port" >>"$work/source.log" 2>&1; then
        echo "run.sh: smtp-source against port $port failed or timed out; last lines:" >&2
        tail -n 5 "$work/source.log" >&2
        return 1
    fi
    end=$(date +%s.%N)
    awk -v s="$start" -v e="$end" 'BEGIN { printf "%.3f\n", e - s }'
}

clock_ticks=$(getconf CLK_TCK)

# --- upstream sink -------------------------------------------------------------------------------
sink_port=$(free_port)
sink_flags=(-c -m 1000 -t 30 -h sink.bench.example)
if [[ $EUID -eq 0 ]]; then
    sink_flags+=(-u nobody)  # smtp-sink refuses to run as root without -u
fi
"${load_pin[@]}" "$SMTP_SINK" "${sink_flags[@]}" "127.0.0.1:$sink_port" 1000 >"$work/sink.log" 2>&1 &
pids+=($!)
sink_pid=$!
wait_for_smtp "$sink_port" 10 "$sink_pid" || die "smtp-sink did not start; see $work/sink.log"
echo "sink: smtp-sink pid $sink_pid on 127.0.0.1:$sink_port"

# --- gateway -------------------------------------------------------------------------------------
gateway_port=""
if [[ "$GATEWAY" == 1 ]]; then
    publish_gateway
    gateway_port=$(free_port)
    http_port=$(free_port)
    mkdir -p "$work/data"
    # shellcheck disable=SC2086 # GATEWAY_ARGS is meant to be word-split
    (cd "$(dirname "$GATEWAY_DLL")" && exec "${relay_pin[@]}" env \
        Logging__LogLevel__Default="$GATEWAY_LOG_LEVEL" \
        Logging__LogLevel__Microsoft.AspNetCore="$GATEWAY_LOG_LEVEL" \
        dotnet "$GATEWAY_DLL" \
        --Suppression:Smtp:Address=127.0.0.1 \
        --Suppression:Smtp:Port="$gateway_port" \
        --Suppression:Upstream:Host=127.0.0.1 \
        --Suppression:Upstream:Port="$sink_port" \
        --Suppression:DataDirectory="$work/data" \
        --urls "http://127.0.0.1:$http_port" \
        $GATEWAY_ARGS) >"$work/gateway.log" 2>&1 &
    pids+=($!)
    gateway_pid=$!
    if ! wait_for_smtp "$gateway_port" "$START_TIMEOUT" "$gateway_pid"; then
        tail -n 30 "$work/gateway.log" >&2
        die "the gateway did not answer on its SMTP port"
    fi
    echo "gateway: pid $gateway_pid, SMTP 127.0.0.1:$gateway_port, HTTP 127.0.0.1:$http_port, upstream 127.0.0.1:$sink_port"
fi

# --- byte forwarder ------------------------------------------------------------------------------
# HAProxy in TCP mode copies bytes between the client and the sink without reading them: no SMTP,
# no lookup, no per-copy work. Whatever it costs is what any relay in the middle costs at the least
# (two connections per message instead of one), so its ratio to direct bounds every relay's.
forwarder_port=""
if [[ "$FORWARDER" == 1 ]]; then
    forwarder_port=$(free_port)
    cat >"$work/haproxy.cfg" <<CFG
global
    maxconn 4096
defaults
    mode tcp
    timeout connect 5s
    timeout client 120s
    timeout server 120s
frontend smtp
    bind 127.0.0.1:$forwarder_port
    default_backend sink
backend sink
    server sink 127.0.0.1:$sink_port
CFG
    "${relay_pin[@]}" haproxy -db -f "$work/haproxy.cfg" >"$work/haproxy.log" 2>&1 &
    pids+=($!)
    forwarder_pid=$!
    wait_for_smtp "$forwarder_port" 10 "$forwarder_pid" || die "haproxy did not start; see $work/haproxy.log"
    echo "forwarder: haproxy $(haproxy -v | sed -n '1s/^HAProxy version \([^ ]*\).*/\1/p') pid $forwarder_pid on 127.0.0.1:$forwarder_port"
fi

mode=$([[ "$REUSE_SESSIONS" == 1 ]] && echo "persistent sessions" || echo "one connection per message")
echo "load: $ROUNDS rounds x $MESSAGES messages, $SESSIONS sessions ($mode), $SIZE-byte payload, $RECIPIENTS recipient(s) per message"

# --- throughput ----------------------------------------------------------------------------------
if ((WARMUP_MESSAGES > 0)); then
    send_batch "$sink_port" "$WARMUP_MESSAGES" >/dev/null
    if [[ -n "$gateway_port" ]]; then
        send_batch "$gateway_port" "$WARMUP_MESSAGES" >/dev/null
    fi
    if [[ -n "$forwarder_port" ]]; then
        send_batch "$forwarder_port" "$WARMUP_MESSAGES" >/dev/null
    fi
fi

printf '%-6s %-9s %9s %12s %10s %s\n' round path seconds "messages/s" "sink delta" "relay CPU us/msg"
for path in direct gateway forwarder; do
    : >"$work/$path.rates"
    : >"$work/$path.cpu"
done
for round in $(seq "$ROUNDS"); do
    for path in direct gateway forwarder; do
        case "$path" in
            direct) port=$sink_port relay_pid="" ;;
            gateway) port=$gateway_port relay_pid=${gateway_pid:-} ;;
            forwarder) port=$forwarder_port relay_pid=${forwarder_pid:-} ;;
        esac
        [[ -n "$port" ]] || continue
        before=$(sink_messages)
        cpu_before=$([[ -n "$relay_pid" ]] && cpu_ticks "$relay_pid" || echo 0)
        seconds=$(send_batch "$port" "$MESSAGES")
        cpu_after=$([[ -n "$relay_pid" ]] && cpu_ticks "$relay_pid" || echo 0)
        sleep 0.2  # let the sink print its counter
        delta=$(($(sink_messages) - before))
        rate=$(awk -v n="$MESSAGES" -v s="$seconds" 'BEGIN { printf "%.0f", n / s }')
        echo "$rate" >>"$work/$path.rates"
        cpu=$([[ -n "$relay_pid" ]] && awk -v t=$((cpu_after - cpu_before)) -v hz="$clock_ticks" -v n="$MESSAGES" \
            'BEGIN { printf "%.0f", t / hz * 1e6 / n }' || echo -)
        if [[ -n "$relay_pid" ]]; then
            echo "$cpu" >>"$work/$path.cpu"
        fi
        printf '%-6s %-9s %9s %12s %10s %s\n' "$round" "$path" "$seconds" "$rate" "$delta" "$cpu"
        # Every accepted message must have reached the upstream (before-queue relay, no spool); the
        # gateway sends one upstream transaction per recipient, which the sink counts as a message each.
        expected=$([[ "$path" == gateway ]] && echo $((MESSAGES * RECIPIENTS)) || echo "$MESSAGES")
        ((delta == expected)) || echo "run.sh: WARNING: $path round $round: sink counted $delta of $expected messages" >&2
    done
done

direct_median=$(median <"$work/direct.rates")
echo "median direct:  $direct_median messages/s"
if [[ -n "$gateway_port" ]]; then
    gateway_median=$(median <"$work/gateway.rates")
    echo "median gateway: $gateway_median messages/s ($(median <"$work/gateway.cpu") us of gateway CPU per message)"
    awk -v g="$gateway_median" -v d="$direct_median" 'BEGIN { printf "ratio gateway/direct: %.3f\n", g / d }'
fi
if [[ -n "$forwarder_port" ]]; then
    forwarder_median=$(median <"$work/forwarder.rates")
    echo "median forwarder: $forwarder_median messages/s ($(median <"$work/forwarder.cpu") us of haproxy CPU per message)"
    awk -v f="$forwarder_median" -v d="$direct_median" 'BEGIN { printf "ratio forwarder/direct: %.3f\n", f / d }'
fi

# --- latency -------------------------------------------------------------------------------------
if [[ "$LATENCY" == 1 ]]; then
    targets=(--target "direct=127.0.0.1:$sink_port")
    if [[ -n "$gateway_port" ]]; then
        targets+=(--target "gateway=127.0.0.1:$gateway_port")
    fi
    if [[ -n "$forwarder_port" ]]; then
        targets+=(--target "forwarder=127.0.0.1:$forwarder_port")
    fi
    timeout $((ROUND_TIMEOUT * LATENCY_ROUNDS * 2)) "${load_pin[@]}" python3 "$here/latency.py" "${targets[@]}" \
        --threads "$LATENCY_THREADS" --messages "$LATENCY_MESSAGES" --rounds "$LATENCY_ROUNDS" --rate "$LATENCY_RATE" \
        --size "$SIZE" --sender "$SENDER" --recipient "$RECIPIENT"
fi

if [[ -n "$gateway_port" ]] && ! kill -0 "$gateway_pid" 2>/dev/null; then
    die "the gateway exited during the run; see $work/gateway.log"
fi

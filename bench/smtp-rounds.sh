# Shared by the SMTP scripts that compare paths in alternating rounds (bench/postfix/run.sh,
# bench/relay/two-instances.sh); sourced after common.sh and bench_start. The upstream sink, rounds
# of smtp-source batches timed until their last message arrived at the sink, and the CPU that
# process trees and the whole machine spent meanwhile.

SMTP_SINK="${SMTP_SINK:-$(command -v smtp-sink || echo /usr/sbin/smtp-sink)}"
SMTP_SOURCE="${SMTP_SOURCE:-$(command -v smtp-source || echo /usr/sbin/smtp-source)}"
clock_ticks=$(getconf CLK_TCK)

# The round in progress: its waiter and smtp-source processes (under timeout), stopped by PID if the
# run ends early.
round_pids=()
stop_round() { for pid in "${round_pids[@]}"; do kill "$pid" 2>/dev/null || true; done; }
stop_commands+=(stop_round)

# Starts smtp-sink (counting, -c) on a free loopback port; sets sink_port and sink_pid.
start_sink() {
    sink_port=$(free_port)
    local flags=(-c -m 1000 -t 30 -h sink.bench.example)
    [[ $EUID -ne 0 ]] || flags+=(-u nobody)  # smtp-sink refuses to run as root without -u
    "$SMTP_SINK" "${flags[@]}" "127.0.0.1:$sink_port" 1000 >"$work/sink.log" 2>&1 &
    sink_pid=$!
    pids+=("$sink_pid")
    wait_for_smtp "$sink_port" 10 "$sink_pid" || die "smtp-sink did not start; see $work/sink.log"
}

# Messages the sink has counted so far (smtp-sink -c rewrites one counter line, ended by CR).
sink_messages() {
    tail -c 200 "$work/sink.log" | tr '\r' '\n' | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -n 1 | grep . || echo 0
}

# User + system CPU time of process $1 and its children, live ones and reaped ones (the parent's
# cutime/cstime), in clock ticks. Postfix's master starts and retires its daemons (max_use,
# max_idle), so a round's Postfix CPU is this tree's difference; for the gateway it is its own. A
# process may exit between the glob and the read (cat then fails, which must not end the run).
tree_ticks() {
    { cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$1" '
        { pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " ")
          if (pid == root || f[2] == root) total += f[12] + f[13] + f[14] + f[15] }
        END { print total + 0 }'
}

# Busy and total CPU ticks of the whole machine (every core, every process, ours or not).
machine_ticks() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9; exit }' /proc/stat; }

# CPU ticks as microseconds per message: $1 ticks, $2 messages.
us_per_message() { awk -v t="$1" -v hz="$clock_ticks" -v n="$2" 'BEGIN { printf "%.0f", t / hz * 1e6 / n }'; }

# What run_round measures the CPU of: name -> space-separated PIDs (each with its children).
declare -A cpu_groups=()

# One round: every batch given as port:sessions:messages:recipient sent at once by its own
# smtp-source (persistent sessions, $SIZE-byte messages from $SENDER), then a wait until the sink
# has counted $1 more messages. Sets round_client (seconds until the last client finished),
# round_e2e (until the last message arrived at the sink, or the last client finished if later),
# round_delta (messages the sink counted), round_cpu[name] (ticks of each of cpu_groups),
# round_busy and round_total (the machine's busy and total ticks). Runs in this shell, not a
# subshell, so that an early exit stops the round's processes. Returns 1 when a client failed or
# the sink fell short.
declare -A round_cpu=()
run_round() {
    local expected=$1 before waiter start client_end arrival reached status=0 name pid batch
    local port sessions messages recipient busy_before total_before busy_after total_after
    local -A ticks_before=()
    shift
    before=$(sink_messages)
    # Raised priority: the waiter sleeps nearly all the time but must wake on time on a saturated machine.
    nice -n -10 python3 "$repo/bench/sink_wait.py" "$work/sink.log" $((before + expected)) \
        --timeout "$ROUND_TIMEOUT" --stall "$STALL_TIMEOUT" >"$work/wait.out" &
    waiter=$!
    round_pids=("$waiter")
    sleep 0.2  # its interpreter starts before the clock does
    for name in "${!cpu_groups[@]}"; do
        ticks_before[$name]=0
        for pid in ${cpu_groups[$name]}; do ticks_before[$name]=$((ticks_before[$name] + $(tree_ticks "$pid"))); done
    done
    read -r busy_before total_before < <(machine_ticks)
    start=$(date +%s.%N)
    for batch in "$@"; do
        IFS=: read -r port sessions messages recipient <<<"$batch"
        ((messages > 0)) || continue
        timeout "$ROUND_TIMEOUT" "$SMTP_SOURCE" -d -s "$sessions" -m "$messages" -l "$SIZE" -M bench.example -f "$SENDER" \
            -t "$recipient" "127.0.0.1:$port" >>"$work/source.log" 2>&1 &
        round_pids+=($!)
    done
    for pid in "${round_pids[@]:1}"; do
        wait "$pid" || status=1
    done
    client_end=$(date +%s.%N)
    if ((status != 0)); then
        echo "run.sh: WARNING: an smtp-source failed or timed out; last lines of $work/source.log:" >&2
        tail -n 5 "$work/source.log" >&2
    fi
    wait "$waiter" || status=1
    round_pids=()
    read -r arrival reached <"$work/wait.out"
    read -r busy_after total_after < <(machine_ticks)
    round_cpu=()
    for name in "${!cpu_groups[@]}"; do
        round_cpu[$name]=$((-ticks_before[$name]))
        for pid in ${cpu_groups[$name]}; do round_cpu[$name]=$((round_cpu[$name] + $(tree_ticks "$pid"))); done
    done
    round_client=$(awk -v s="$start" -v c="$client_end" 'BEGIN { printf "%.3f", c - s }')
    round_e2e=$(awk -v s="$start" -v c="$client_end" -v a="$arrival" 'BEGIN { printf "%.3f", (a > c ? a : c) - s }')
    round_delta=$((reached - before))
    round_busy=$((busy_after - busy_before))
    round_total=$((total_after - total_before))
    return "$status"
}

# The machine's busy share during the last round, e.g. "97%".
round_machine_busy() { awk -v b="$round_busy" -v t="$round_total" 'BEGIN { printf "%.0f%%", t ? 100 * b / t : 0 }'; }

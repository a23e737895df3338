#!/usr/bin/env bash
# One gateway instance against two (issue 6): two gateways share one Redis Cluster (3 primaries +
# 3 replicas, started here the way .ci/run does) and relay to one smtp-sink; in alternating rounds
# the same load goes to one instance (SESSIONS sessions) or is split across both (two smtp-source
# processes, half the sessions and messages each). Loopback only. See bench/README.md.
set -euo pipefail

ROUNDS="${ROUNDS:-5}"                      # measured rounds per setup, alternating one/two
MESSAGES="${MESSAGES:-20000}"              # messages per round
SESSIONS="${SESSIONS:-20}"                 # concurrent persistent sessions in all (smtp-source -s -d)
SIZE="${SIZE:-2048}"                       # payload bytes per message (smtp-source -l)
SUPPRESSED="${SUPPRESSED:-10000}"          # suppressed addresses imported into the shared list
WARMUP_MESSAGES="${WARMUP_MESSAGES:-10000}" # unmeasured messages per instance first; 0 skips
ROUND_TIMEOUT="${ROUND_TIMEOUT:-300}"      # seconds before a round is declared failed
STALL_TIMEOUT="${STALL_TIMEOUT:-30}"       # seconds without a message at the sink before a round is declared failed
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
GATEWAY_ARGS="${GATEWAY_ARGS:-}"           # extra command-line configuration for both, word-split
START_TIMEOUT="${START_TIMEOUT:-120}"      # seconds to wait for a gateway's SMTP banner
SENDER="${SENDER:-sender@bench.example}"
RECIPIENT="${RECIPIENT:-rcpt@bench.example}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=../common.sh
source "$here/../common.sh"
# shellcheck source=../smtp-rounds.sh
source "$here/../smtp-rounds.sh"

for tool in "$SMTP_SINK" "$SMTP_SOURCE"; do
    [[ -x "$tool" ]] || die "$tool not found: apt-get install -y postfix, then postfix stop (see bench/README.md)"
done
for tool in "${REDIS_SERVER:-redis-server}" "${REDIS_CLI:-redis-cli}" python3 curl; do
    command -v "$tool" >/dev/null || die "$tool not found (apt-get install -y redis-server)"
done
[[ -n "$GATEWAY_DLL" ]] || command -v dotnet >/dev/null || die "dotnet not found"
((SESSIONS >= 2)) || die "SESSIONS must be at least 2 to split across two instances"

bench_start two-instances
set -E  # the ERR trap in functions too: a failed command ends the run with its line, not silently
trap 'echo "two-instances.sh: line $LINENO: \"$BASH_COMMAND\" failed" >&2' ERR

start_sink
echo "sink: smtp-sink pid $sink_pid on 127.0.0.1:$sink_port"
start_redis_cluster
echo "redis: cluster of 3 primaries + 3 replicas on 127.0.0.1:${cluster_ports[*]} (pids ${node_pid[*]})"

# --- two gateways: what docs/operations.md says instances must share, shared --------------------------
publish_gateway
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
token_key="1:$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')"
audit_key="$(python3 -c 'import base64, secrets; print(base64.b64encode(secrets.token_bytes(32)).decode())')"
# shellcheck disable=SC2206 # GATEWAY_ARGS is meant to be word-split
shared=(--Suppression:Redis="$redis_config" --Suppression:Tokens:Keys:0="$token_key" --Suppression:Audit:Key="$audit_key"
    --Suppression:Upstream:Host=127.0.0.1 --Suppression:Upstream:Port="$sink_port" $GATEWAY_ARGS)
declare -A instance_pid instance_smtp instance_http instance_log_lines
for instance in a b; do
    gateway_name="gateway-$instance"
    smtp_port=$(free_port)
    http_port=$(free_port)
    start_gateway "${shared[@]}"
    wait_for_smtp "$smtp_port" "$START_TIMEOUT" "$gateway_pid" || die "gateway $instance did not answer on its SMTP port; see $work/$gateway_name.log"
    instance_pid[$instance]=$gateway_pid
    instance_smtp[$instance]=$smtp_port
    instance_http[$instance]=$http_port
    # Start-up warnings (the http PublicBaseUrl) are expected; the run's own are counted at the end.
    instance_log_lines[$instance]=$(wc -l <"$work/$gateway_name.log")
    echo "gateway $instance: pid $gateway_pid, SMTP 127.0.0.1:$smtp_port, HTTP 127.0.0.1:$http_port"
done

http_port=${instance_http[a]}
import_suppressed "$SUPPRESSED" bench.example
imported=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("imported", -1))' "$work/import.json")
((imported == SUPPRESSED)) || die "gateway a imported $imported of $SUPPRESSED addresses; see $work/import.json"
# One list: what was imported through a is what b sees.
curl -sf -o /dev/null -H "Authorization: Bearer $admin_key" \
    "http://127.0.0.1:${instance_http[b]}/api/v1/suppressions/suppressed-$((SUPPRESSED - 1))@bench.example" \
    || die "gateway b does not see the addresses imported through gateway a"
echo "imported $imported suppressed addresses through gateway a; gateway b sees them"

# --- rounds ---------------------------------------------------------------------------------------
cpu_groups=([gateways]="${instance_pid[a]} ${instance_pid[b]}" [redis]="${node_pid[*]}")
half_sessions=$((SESSIONS / 2))
half_messages=$((MESSAGES / 2))

# A round in setup $1 ("one" on instance $2, or "two") of $3 messages.
setup_round() {
    local setup=$1 instance=$2 count=$3 half=$(($3 / 2))
    if [[ $setup == one ]]; then
        run_round "$count" "${instance_smtp[$instance]}:$SESSIONS:$count:$RECIPIENT"
    else
        run_round "$count" "${instance_smtp[a]}:$half_sessions:$half:$RECIPIENT" \
            "${instance_smtp[b]}:$((SESSIONS - half_sessions)):$((count - half)):$RECIPIENT"
    fi || echo "two-instances.sh: WARNING: $setup: the sink counted $round_delta of $count messages, or a client failed" >&2
}

if ((WARMUP_MESSAGES > 0)); then
    setup_round one a "$WARMUP_MESSAGES"
    setup_round one b "$WARMUP_MESSAGES"
fi

echo "load: $ROUNDS rounds x $MESSAGES messages per setup, $SIZE-byte payload, one recipient (not suppressed);" \
    "one: $SESSIONS sessions to one instance (a in odd rounds, b in even ones); two: $half_sessions + $((SESSIONS - half_sessions)) sessions," \
    "$half_messages + $((MESSAGES - half_messages)) messages; setups alternate, the first one swapping each round"
printf '%-6s %-10s %9s %11s %10s %15s %13s %8s\n' round setup seconds messages/s "sink delta" "gateways us/msg" "redis us/msg" machine
: >"$work/one.rates"; : >"$work/two.rates"; : >"$work/one.cpu"; : >"$work/two.cpu"
for round in $(seq "$ROUNDS"); do
    instance=$( ((round % 2)) && echo a || echo b)
    order=(one two)
    ((round % 2)) || order=(two one)
    for setup in "${order[@]}"; do
        setup_round "$setup" "$instance" "$MESSAGES"
        rate=$(awk -v n="$MESSAGES" -v s="$round_e2e" 'BEGIN { printf "%.0f", n / s }')
        gateway_cpu=$(us_per_message "${round_cpu[gateways]}" "$MESSAGES")
        echo "$rate" >>"$work/$setup.rates"
        echo "$gateway_cpu" >>"$work/$setup.cpu"
        label=$([[ $setup == one ]] && echo "one ($instance)" || echo two)
        printf '%-6s %-10s %9s %11s %10s %15s %13s %8s\n' "$round" "$label" "$round_e2e" "$rate" "$round_delta" "$gateway_cpu" \
            "$(us_per_message "${round_cpu[redis]}" "$MESSAGES")" "$(round_machine_busy)"
        ((round_delta == MESSAGES)) || echo "two-instances.sh: WARNING: round $round, $setup: the sink counted $round_delta of $MESSAGES messages" >&2
    done
done

one=$(median <"$work/one.rates")
two=$(median <"$work/two.rates")
echo "median one instance:   $one messages/s ($(median <"$work/one.cpu") us of gateway CPU per message)"
echo "median two instances:  $two messages/s ($(median <"$work/two.cpu") us of gateway CPU per message, both together)"
awk -v a="$two" -v b="$one" 'BEGIN { printf "ratio two/one: %.3f\n", a / b }'

for instance in a b; do
    kill -0 "${instance_pid[$instance]}" 2>/dev/null || die "gateway $instance exited during the run; see $work/gateway-$instance.log"
    problems=$(tail -n +$((instance_log_lines[$instance] + 1)) "$work/gateway-$instance.log" | grep -c -E " (warn|fail|crit): " || true)
    ((problems == 0)) || echo "two-instances.sh: WARNING: gateway $instance logged $problems warnings or errors during the run; see $work/gateway-$instance.log" >&2
done

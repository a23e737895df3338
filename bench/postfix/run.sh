#!/usr/bin/env bash
# Relay vs Postfix vs direct (issue 6): the same load sent (a) straight to smtp-sink, (b) through
# the gateway and (c) through a real Postfix doing the same job (check_recipient_access against the
# same suppressed addresses, relayhost = the sink, disk queue), in alternating rounds of one run.
# Postfix answers before it delivers, so every round is timed until its last message arrived at the
# sink. Loopback only; run as root (Postfix's master). See bench/README.md.
set -euo pipefail

ROUNDS="${ROUNDS:-5}"                      # measured rounds per path
MESSAGES="${MESSAGES:-10000}"              # messages per round and path
SESSIONS="${SESSIONS:-20}"                 # concurrent SMTP sessions (smtp-source -s), persistent (-d)
SIZE="${SIZE:-2048}"                       # payload bytes per message (smtp-source -l)
SUPPRESSED="${SUPPRESSED:-10000}"          # suppressed addresses, in the gateway's list and Postfix's map
SUPPRESSED_SHARE="${SUPPRESSED_SHARE:-0}"  # share of messages sent to a suppressed recipient (0..1)
WARMUP_MESSAGES="${WARMUP_MESSAGES:-10000}" # unmeasured messages to the sink and the gateway first; 0 skips
POSTFIX_WARMUP_MESSAGES="${POSTFIX_WARMUP_MESSAGES:-2000}" # the same for Postfix (its daemons start on demand)
PATHS="${PATHS:-direct gateway postfix}"   # which paths to run
ROUND_TIMEOUT="${ROUND_TIMEOUT:-300}"      # seconds before a round is declared failed
STALL_TIMEOUT="${STALL_TIMEOUT:-30}"       # seconds without a message at the sink before a round is declared failed
GATEWAY_DLL="${GATEWAY_DLL:-}"             # use an already published Suppression.Gateway.dll
GATEWAY_ARGS="${GATEWAY_ARGS:-}"           # extra command-line configuration, word-split
START_TIMEOUT="${START_TIMEOUT:-120}"      # seconds to wait for a listener to answer
SENDER="${SENDER:-sender@bench.example}"
RECIPIENT="${RECIPIENT:-rcpt@bench.example}"

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

POSTFIX="${POSTFIX:-$(command -v postfix || echo /usr/sbin/postfix)}"
POSTMAP="${POSTMAP:-$(command -v postmap || echo /usr/sbin/postmap)}"

# shellcheck source=../common.sh
source "$here/../common.sh"
# shellcheck source=../smtp-rounds.sh
source "$here/../smtp-rounds.sh"

for tool in "$SMTP_SINK" "$SMTP_SOURCE" "$POSTFIX" "$POSTMAP"; do
    [[ -x "$tool" ]] || die "$tool not found: apt-get install -y postfix, then postfix stop (see bench/README.md)"
done
command -v python3 >/dev/null || die "python3 not found"
command -v curl >/dev/null || die "curl not found"
[[ $EUID -eq 0 ]] || die "run as root: Postfix's master starts as root and its daemons switch to the postfix user"
id postfix >/dev/null 2>&1 && getent group postdrop >/dev/null || die "the postfix user or postdrop group is missing (the postfix package creates them)"
[[ -n "$GATEWAY_DLL" ]] || command -v dotnet >/dev/null || die "dotnet not found"
awk -v s="$SUPPRESSED_SHARE" 'BEGIN { exit !(s >= 0 && s < 1) }' || die "SUPPRESSED_SHARE must be in [0, 1)"

bench_start postfix-bench
set -E  # the ERR trap in functions too: a failed command ends the run with its line, not silently
trap 'echo "run.sh: line $LINENO: \"$BASH_COMMAND\" failed" >&2' ERR

# --- upstream sink -------------------------------------------------------------------------------
start_sink
echo "sink: smtp-sink pid $sink_pid on 127.0.0.1:$sink_port"

# --- gateway, with the suppressed list imported through its API ----------------------------------
publish_gateway
smtp_port=$(free_port)
http_port=$(free_port)
admin_key="$(python3 -c 'import secrets; print(secrets.token_hex(16))')"
# shellcheck disable=SC2086 # GATEWAY_ARGS is meant to be word-split
start_gateway --Suppression:Upstream:Host=127.0.0.1 --Suppression:Upstream:Port="$sink_port" $GATEWAY_ARGS
wait_for_smtp "$smtp_port" "$START_TIMEOUT" "$gateway_pid" || die "the gateway did not answer on its SMTP port; see $work/gateway.log"
import_suppressed "$SUPPRESSED" bench.example
gateway_log_lines=$(wc -l <"$work/gateway.log")  # start-up warnings (generated keys, http PublicBaseUrl) are expected
imported=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1])).get("imported", -1))' "$work/import.json")
((imported == SUPPRESSED)) || die "the gateway imported $imported of $SUPPRESSED addresses; see $work/import.json"
echo "gateway: pid $gateway_pid, SMTP 127.0.0.1:$smtp_port, HTTP 127.0.0.1:$http_port, embedded store unless GATEWAY_ARGS says otherwise; $imported suppressed addresses imported"

# --- Postfix: a private instance under $work/postfix, nothing of the system's configuration used ---
pf="$work/postfix"
postfix_port=$(free_port)
mkdir -p "$pf/etc" "$pf/queue"
# Postfix's own defaults except what makes it this job: loopback only, no local delivery, the
# suppressed addresses discarded at RCPT (the gateway's default, BlockedRecipient=Drop: the client
# gets 250, the recipient nothing), everything else relayed to the sink, logging to a file.
cat >"$pf/etc/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix.bench.example
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relayhost = [127.0.0.1]:$sink_port
smtpd_recipient_restrictions = check_recipient_access hash:$pf/etc/suppressed, permit_mynetworks, reject
maillog_file = $pf/maillog
maillog_file_prefixes = $pf
EOF
# The stock master.cf's services, without chroot (the queue is not a prepared chroot) and with
# smtpd on the benchmark's port.
cat >"$pf/etc/master.cf" <<EOF
127.0.0.1:$postfix_port inet n - n - - smtpd
cleanup    unix  n - n -    0 cleanup
qmgr       unix  n - n 300  1 qmgr
rewrite    unix  - - n -    - trivial-rewrite
bounce     unix  - - n -    0 bounce
defer      unix  - - n -    0 bounce
trace      unix  - - n -    0 bounce
verify     unix  - - n -    1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -    - proxymap
proxywrite unix  - - n -    1 proxymap
smtp       unix  - - n -    - smtp
relay      unix  - - n -    - smtp
showq      unix  n - n -    - showq
error      unix  - - n -    - error
retry      unix  - - n -    - error
discard    unix  - - n -    - discard
anvil      unix  - - n -    1 anvil
scache     unix  - - n -    1 scache
postlog    unix-dgram n - n - 1 postlogd
EOF
tail -n +2 "$work/suppressed.csv" | cut -d, -f1 | sed 's/$/ DISCARD suppressed/' >"$pf/etc/suppressed"
"$POSTMAP" -c "$pf/etc" "hash:$pf/etc/suppressed"
[[ "$("$POSTMAP" -c "$pf/etc" -q "suppressed-$((SUPPRESSED - 1))@bench.example" "hash:$pf/etc/suppressed")" == DISCARD* ]] \
    || die "Postfix's map does not hold the suppressed addresses; see $pf/etc/suppressed"

postfix_master=""
# `postfix stop` first (the master stops its daemons), then by PID whatever is left of the master and
# the daemons it had; runs on every exit, so no Postfix of ours outlives the run.
stop_postfix() {
    local master daemons=()
    master=$(awk '{ print $1; exit }' "$pf/queue/pid/master.pid" 2>/dev/null || true)
    [[ -n "$master" ]] || master="$postfix_master"
    [[ -n "$master" ]] && kill -0 "$master" 2>/dev/null || return 0
    mapfile -t daemons < <({ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v root="$master" '{ line = $0; sub(/^.*\) /, "", line); split(line, f, " "); if (f[2] == root) print $1 }')
    "$POSTFIX" -c "$pf/etc" stop >/dev/null 2>&1 || true
    for pid in "$master" "${daemons[@]}"; do
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    echo "postfix: stopped (master pid $master and ${#daemons[@]} daemons)"
}
stop_commands+=(stop_postfix)
"$POSTFIX" -c "$pf/etc" check >"$work/postfix-check.log" 2>&1 || { cat "$work/postfix-check.log" >&2; die "postfix check failed"; }
"$POSTFIX" -c "$pf/etc" start >>"$work/postfix-check.log" 2>&1 || { tail -n 20 "$pf/maillog" >&2; die "postfix did not start"; }
postfix_master=$(awk '{ print $1; exit }' "$pf/queue/pid/master.pid")
pids+=("$postfix_master")
wait_for_smtp "$postfix_port" 20 "$postfix_master" || die "Postfix's smtpd did not answer; see $pf/maillog"
echo "postfix: $(postconf -h mail_version), master pid $postfix_master, smtpd 127.0.0.1:$postfix_port, relayhost [127.0.0.1]:$sink_port, queue $pf/queue, $(wc -l <"$pf/etc/suppressed") suppressed in hash:$pf/etc/suppressed"

# --- rounds ---------------------------------------------------------------------------------------
# The messages and sessions that go to a suppressed recipient (suppressed-0@bench.example) when
# SUPPRESSED_SHARE > 0; the rest go to $RECIPIENT, which no list holds.
suppressed_messages=$(awk -v m="$MESSAGES" -v s="$SUPPRESSED_SHARE" 'BEGIN { printf "%d", m * s + 0.5 }')
suppressed_sessions=0
if ((suppressed_messages > 0)); then
    suppressed_sessions=$(awk -v n="$SESSIONS" -v s="$SUPPRESSED_SHARE" 'BEGIN { v = int(n * s + 0.5); print (v < 1 ? 1 : v) }')
    ((suppressed_sessions < SESSIONS)) || die "SUPPRESSED_SHARE leaves no session for the deliverable recipient"
fi

port_of() { case $1 in direct) echo "$sink_port" ;; gateway) echo "$smtp_port" ;; postfix) echo "$postfix_port" ;; esac; }
server_of() { case $1 in direct) echo "" ;; gateway) echo "$gateway_pid" ;; postfix) echo "$postfix_master" ;; esac; }

# A round of $2 messages on path $1, split between the deliverable and the suppressed recipient;
# the sink must count them all on the direct path and all but the suppressed ones through a relay.
path_round() {
    local path=$1 count=$2 port suppressed=$((suppressed_messages * $2 / MESSAGES)) expected
    port=$(port_of "$path")
    expected=$([[ $path == direct ]] && echo "$count" || echo $((count - suppressed)))
    cpu_groups=()
    [[ $path == direct ]] || cpu_groups[server]=$(server_of "$path")
    run_round "$expected" "$port:$((SESSIONS - suppressed_sessions)):$((count - suppressed)):$RECIPIENT" \
        "$port:$suppressed_sessions:$suppressed:suppressed-0@bench.example" \
        || echo "run.sh: WARNING: $path: the sink counted $round_delta of $expected messages, or a client failed" >&2
}

read -ra paths <<<"$PATHS"
for path in "${paths[@]}"; do
    warmup=$([[ $path == postfix ]] && echo "$POSTFIX_WARMUP_MESSAGES" || echo "$WARMUP_MESSAGES")
    ((warmup == 0)) || path_round "$path" "$warmup"
done

echo "load: $ROUNDS rounds x $MESSAGES messages per path, $SESSIONS persistent sessions, $SIZE-byte payload, one recipient;" \
    "$suppressed_messages of them ($suppressed_sessions sessions) to a suppressed recipient; paths rotate each round"
printf '%-6s %-8s %9s %9s %11s %10s %12s %8s\n' round path "client s" "e2e s" "messages/s" "sink delta" "server us/msg" "machine"
for path in "${paths[@]}"; do : >"$work/$path.rates"; : >"$work/$path.cpu"; done
for round in $(seq "$ROUNDS"); do
    for i in "${!paths[@]}"; do
        path=${paths[$(((i + round - 1) % ${#paths[@]}))]}
        path_round "$path" "$MESSAGES"
        rate=$(awk -v n="$MESSAGES" -v s="$round_e2e" 'BEGIN { printf "%.0f", n / s }')
        cpu=$([[ $path == direct ]] && echo - || us_per_message "${round_cpu[server]}" "$MESSAGES")
        echo "$rate" >>"$work/$path.rates"
        [[ $path == direct ]] || echo "$cpu" >>"$work/$path.cpu"
        printf '%-6s %-8s %9s %9s %11s %10s %12s %8s\n' "$round" "$path" "$round_client" "$round_e2e" "$rate" "$round_delta" "$cpu" "$(round_machine_busy)"
    done
done

declare -A medians
for path in "${paths[@]}"; do
    medians[$path]=$(median <"$work/$path.rates")
    cpu=$([[ $path == direct ]] && echo "" || echo " ($(median <"$work/$path.cpu") us of $path CPU per message)")
    printf 'median %-8s %8s messages/s%s\n' "$path:" "${medians[$path]}" "$cpu"
done
ratio() { [[ -n "${medians[$1]:-}" && -n "${medians[$2]:-}" ]] && awk -v a="${medians[$1]}" -v b="${medians[$2]}" -v t="$3" -v n="$1/$2" \
    'BEGIN { printf "ratio %-16s %.3f (target >= %s: %s)\n", n ":", a / b, t, (a / b >= t ? "met" : "not met") }' || true; }
ratio gateway direct 0.7
ratio gateway postfix 4
[[ -n "${medians[postfix]:-}" && -n "${medians[direct]:-}" ]] && awk -v a="${medians[postfix]}" -v b="${medians[direct]}" 'BEGIN { printf "ratio postfix/direct:    %.3f\n", a / b }'

# --- what the servers said -----------------------------------------------------------------------
left=$(find "$pf/queue/incoming" "$pf/queue/active" "$pf/queue/deferred" "$pf/queue/hold" -type f | wc -l)
deferred=$(grep -c 'status=deferred' "$pf/maillog" || true)
bounced=$(grep -c 'status=bounced' "$pf/maillog" || true)
echo "postfix: $left messages left in the queue, $deferred deferred and $bounced bounced deliveries in its log"
((left == 0 && deferred == 0 && bounced == 0)) || echo "run.sh: WARNING: Postfix did not deliver everything; see $pf/maillog" >&2
kill -0 "$gateway_pid" 2>/dev/null || die "the gateway exited during the run; see $work/gateway.log"
problems=$(tail -n +$((gateway_log_lines + 1)) "$work/gateway.log" | grep -c -E " (warn|fail|crit): " || true)
((problems == 0)) || echo "run.sh: WARNING: the gateway logged $problems warnings or errors during the run; see $work/gateway.log" >&2

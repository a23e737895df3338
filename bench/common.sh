# Shared by the benchmark scripts (sourced, not run): the work directory, process bookkeeping,
# clean-up on any exit, free ports, the gateway publish step, medians. A script sources this first (die
# is here for its tool checks), then calls bench_start <name>, and appends the PID of everything it starts to
# the pids array, so it is all stopped by PID.

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

die() { echo "run.sh: $*" >&2; exit 1; }

# Creates $work, a temporary directory kept on failure (see cleanup), and arms the clean-up.
bench_start() {
    work="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
    chmod 755 "$work"
    trap cleanup EXIT
    trap 'exit 130' INT TERM
}

# Publishes src/Suppression.Gateway in Release into $work/gw unless GATEWAY_DLL names a published one.
publish_gateway() {
    if [[ -z "$GATEWAY_DLL" ]]; then
        echo "gateway: publishing src/Suppression.Gateway (Release)..."
        timeout 600 dotnet publish "$repo/src/Suppression.Gateway" -c Release -o "$work/gw" -nologo -v quiet \
            >"$work/publish.log" 2>&1 || { tail -n 30 "$work/publish.log" >&2; die "publish failed"; }
        GATEWAY_DLL="$work/gw/Suppression.Gateway.dll"
    fi
    [[ -f "$GATEWAY_DLL" ]] || die "$GATEWAY_DLL not found"
}

pids=()

cleanup() {
    local status=$?
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        # Bounded wait: 5 s, then SIGKILL.
        for _ in $(seq 50); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [[ "${KEEP_WORK:-0}" == 1 || $status -ne 0 ]]; then
        echo "run.sh: logs kept in $work" >&2
    else
        rm -rf "$work"
    fi
    exit "$status"
}

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# User + system CPU time of a process, in clock ticks.
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat" 2>/dev/null || echo 0; }

# The median of the numbers on stdin, one per line.
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR == 0) print 0; else if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Starts the published gateway in the background with its SMTP and HTTP listeners on
# $smtp_port and $http_port, the admin key $admin_key and the data directory $work/data, plus any
# further --Suppression:... arguments given; sets $gateway_pid and waits for /healthz.
start_gateway() {
    (cd "$(dirname "$GATEWAY_DLL")" && exec env Logging__LogLevel__Default=Warning dotnet "$GATEWAY_DLL" \
        --urls "http://127.0.0.1:$http_port" --Suppression:Smtp:Address=127.0.0.1 --Suppression:Smtp:Port="$smtp_port" \
        --Suppression:DataDirectory="$work/data" --Suppression:Admin:ApiKeys:0="$admin_key" "$@" \
        >"$work/gateway.log" 2>&1) &
    gateway_pid=$!
    pids+=("$gateway_pid")
    for _ in $(seq 240); do
        curl -sf "http://127.0.0.1:$http_port/healthz" >/dev/null 2>&1 && return 0
        kill -0 "$gateway_pid" 2>/dev/null || die "gateway exited; see $work/gateway.log"
        sleep 0.5
    done
    die "gateway did not answer /healthz; see $work/gateway.log"
}

# Imports suppressed-0..N-1@fault.example (SendGrid unsubscribes) through the running gateway's API:
# the recipients bench/faults/load.py sends every second message to.
import_suppressed() {
    python3 -c "
import sys
print('email,created')
for i in range(int(sys.argv[1])): print(f'suppressed-{i}@fault.example,1700000000')" "$1" >"$work/suppressed.csv"
    curl -sf -H "Authorization: Bearer $admin_key" -H 'Content-Type: text/csv' -T "$work/suppressed.csv" -X POST \
        "http://127.0.0.1:$http_port/api/v1/suppressions/import" >"$work/import.json" || die "import failed"
}

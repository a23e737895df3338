#!/usr/bin/env bash
# Issue 18's guard, measured: relays the 371 real-world messages of tests/corpus/messages through the
# real gateway (List-Unsubscribe stamping and DKIM signing on) to a byte-recording upstream, two
# recipients each, and prints the counts: messages relayed and refused as documented, copies whose
# header block or body is not the client's, BODY=8BITMIME and SMTPUTF8 passed on against needed,
# DKIM failures per verifier (python3-dkim, Perl's Mail::DKIM). Runs the test class
# Relay.FaithfulRelayCorpusTests, which writes the report; about a minute without the build.
#   bench/faithful/run.sh                      # build, then measure
#   NO_BUILD=1 bench/faithful/run.sh           # measure the last build
#   FAITHFUL_REPORT_DIR=/tmp/f bench/faithful/run.sh   # keep report.txt (every change, file by file) and copies/ there
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
keep="${FAITHFUL_REPORT_DIR:-}"
report="${keep:-$(mktemp -d "${TMPDIR:-/tmp}/faithful-relay.XXXXXX")}"
log="$(mktemp "${TMPDIR:-/tmp}/faithful-relay-log.XXXXXX")"
trap '[[ -n "$keep" ]] || rm -rf "$report"; rm -f "$log"' EXIT

build=()
[[ "${NO_BUILD:-0}" == 1 ]] && build=(--no-build)
if ! FAITHFUL_REPORT_DIR="$report" dotnet test "$repo/tests/Suppression.Gateway.Tests/Suppression.Gateway.Tests.csproj" "${build[@]}" \
        --filter "FullyQualifiedName~FaithfulRelay" --nologo --verbosity quiet >"$log" 2>&1; then
    failed=1
fi

[[ -s "$report/summary.txt" ]] || { cat "$log" >&2; echo "run.sh: no figures written" >&2; exit 1; }
declare -A n
while IFS='=' read -r key value; do n[$key]=$value; done <"$report/summary.txt"
verifier() { [[ "$1" == -1 ]] && echo "not run (verifier not installed)" || echo "$1"; }
cat <<REPORT
Faithful relay: tests/corpus/messages through the gateway, ${n[messages]} messages, 2 recipients each
  messages                               ${n[messages]}
  relayed                                ${n[relayed]} (expected ${n[expected_relayed]})
  refused as documented                  ${n[refused_as_documented]} (expected ${n[expected_refused]})
  other outcome than documented          ${n[unexpected_outcomes]}
  copies                                 ${n[copies]}
  changed header blocks                  ${n[copies_changed_header_block]} copies of ${n[messages_changed_header_block]} messages
    mbox From line lost                  ${n[messages_with:mbox From line lost]} messages
    field added (undocumented)           ${n[messages_with:header field added (undocumented)]} messages
    field changed                        ${n[messages_with:header field changed]} messages
    field lost                           ${n[messages_with:header field lost]} messages
    field moved                          ${n[messages_with:header field moved]} messages
    gateway field missing                ${n[messages_with:gateway field missing]} messages
  changed bodies                         ${n[copies_changed_body]} copies of ${n[messages_changed_body]} messages
    empty line after header changed      ${n[messages_with:empty line after the header block]} messages
  BODY=8BITMIME passed on / needed       ${n[body8bitmime_passed_on]} / ${n[body8bitmime_needed]} copies
  SMTPUTF8 passed on / needed            ${n[smtputf8_passed_on]} / ${n[smtputf8_needed]} copies
  copies the gateway signs               ${n[copies_to_sign]}
  DKIM failures, python3-dkim            $(verifier "${n[dkim_failures_dkimpy]}") (copies it cannot parse: ${n[dkim_unreadable_dkimpy]}, checked by Mail::DKIM only)
  DKIM failures, Mail::DKIM              $(verifier "${n[dkim_failures_mail_dkim]}")
REPORT
[[ -n "$keep" ]] && echo "Every change, file by file: $report/report.txt; the copies: $report/copies/"
if [[ -n "${failed:-}" ]]; then
    echo
    echo "FAILED (zero changes is the target):"
    grep -E "\[FAIL\]|\[SKIP\]|Failed!|Passed!" "$log" | sed -E 's/^\[xUnit.net [0-9:.]+\] +//' || true
    exit 1
fi

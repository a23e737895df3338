#!/usr/bin/env bash
# Measures the gateway's bounce and complaint reading on tests/corpus/feedback (618 real-world
# samples, verdicts from sisimai): prints the confusion table (reference verdict x gateway verdict)
# and the issue-17 figures. Runs one test, Feedback.Corpus.CorpusTests, which writes the table; no
# server, no Redis. About a minute with the build, a few seconds without.
# With --heldout, the same table and figures on tests/corpus/feedback-heldout (344 samples from
# other bounce parsers' test data, never tuned against), from Feedback.Corpus.HeldOutCorpusTests.
#   bench/feedback/run.sh            # build, then measure
#   bench/feedback/run.sh --heldout  # the held-out corpus
#   NO_BUILD=1 bench/feedback/run.sh # measure the last build
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
report="$(mktemp "${TMPDIR:-/tmp}/feedback-corpus.XXXXXX")"
trap 'rm -f "$report"' EXIT

tests=Feedback.Corpus.CorpusTests
report_variable=FEEDBACK_CORPUS_REPORT
case "${1:-}" in
    "") ;;
    --heldout) tests=Feedback.Corpus.HeldOutCorpusTests; report_variable=FEEDBACK_HELDOUT_REPORT ;;
    *) echo "usage: $0 [--heldout]" >&2; exit 2 ;;
esac

build=()
[[ "${NO_BUILD:-0}" == 1 ]] && build=(--no-build)
if ! env "$report_variable=$report" dotnet test "$repo/tests/Suppression.Smtp.Tests/Suppression.Smtp.Tests.csproj" "${build[@]}" \
        --filter "FullyQualifiedName~$tests" --nologo --verbosity quiet >"$report.log" 2>&1; then
    # The figures are still written when an invariant test fails; say so, with the failure.
    echo "run.sh: a corpus test failed (log below the figures)" >&2
    failed=1
fi

[[ -s "$report" ]] || { cat "$report.log" >&2; rm -f "$report.log"; echo "run.sh: no figures written" >&2; exit 1; }
cat "$report"
[[ -n "${failed:-}" ]] && { echo; grep -A12 -E "^\s+Failed " "$report.log" || true; }
rm -f "$report.log"
exit "${failed:-0}"

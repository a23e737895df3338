#!/usr/bin/env python3
"""Builds tests/corpus/feedback/ from sisimai's set-of-emails and the verdicts sisimai gives them; with a
provenance.csv (collect-heldout.py writes one), any folder of samples, such as tests/corpus/feedback-heldout/.

Not run by CI: the corpus and manifest.csv it writes are committed. To redo them:
  1. check out github.com/sisimai/set-of-emails (BSD-2-Clause) and github.com/sisimai/p5-sisimai
     (BSD-2-Clause) at the commits named below;
  2. (cd set-of-emails/maildir/bsd && perl -I p5-sisimai/lib sisimai-facts.pl *.eml) > facts.jsonl
     (needs Debian's libclass-accessor-lite-perl and libjson-perl);
  3. make-corpus.py set-of-emails/maildir/bsd facts.jsonl tests/corpus/feedback
For the held-out corpus, see collect-heldout.py.
"""
import csv, json, os, shutil, sys

SOURCE_REPOSITORY = "sisimai/set-of-emails"
SOURCE_COMMIT = "18e585c22288b83c1f6943949cb86b2623b362ce"
LICENCE = "BSD-2-Clause"
REFERENCE = "sisimai 5.1.0 (sisimai/p5-sisimai 21cfb9321ba94f9bc72f2b5a46e2dda70c1d9c45)"

# The rule: a global hard bounce only when the mailbox or domain does not exist or is
# permanently disabled. That is sisimai's own hardbounce flag (Sisimai::SMTP::Failure.is_hardbounce:
# userunknown, hostunknown, hasmoved, and notaccept with a permanent code), so the flag is used as
# given. "suspend" stays soft, as sisimai has it: a suspended account (unpaid, over a limit) may come back.
# ARF ("feedback") is a complaint, except Feedback-Type auth-failure, a DMARC/SPF failure report that
# says nothing about what the recipient wants. "delivered" and "vacation" are not bounces. Everything
# else (mailboxfull, filtered, rejected, blocked, expired, policy, spam, rate limits, undefined,
# onhold, ...) is soft at most.
def verdict(fact):
    reason = fact["r"]
    if reason == "feedback":
        return "none" if fact["ft"] == "auth-failure" else "complaint"
    if reason in ("delivered", "vacation"):
        return "none"
    return "hard" if fact["hb"] else "soft"

def family(name):
    # sisimai names each sample after the module that reads it: lhost-X is the MTA or ESP that wrote
    # the bounce, rhost-X the receiving provider whose reply it quotes, arf/rfc3464 the bare formats.
    return name.rsplit("-", 1)[0]

def agent_family(fact):
    # A sample from elsewhere has no such name: the family is the module sisimai read it with
    # (its smtpagent), spelt the same way.
    agent = fact["agent"]
    return {"Feedback-Loop": "arf", "RFC3464": "rfc3464", "RFC3834": "rfc3834"}.get(agent, "lhost-" + agent.lower())

def set_of_emails(name):
    return {"family": family(name), "source_repository": SOURCE_REPOSITORY, "source_path": "maildir/bsd/" + name,
            "source_commit": SOURCE_COMMIT, "licence": LICENCE}

def main(source, facts_path, target, provenance_path=None):
    provenance = None
    if provenance_path:
        with open(provenance_path, newline="", encoding="utf-8") as f:
            provenance = {row["file"]: row for row in csv.DictReader(f)}
    os.makedirs(target, exist_ok=True)
    rows, skipped = [], []
    with open(facts_path, encoding="utf-8", errors="replace") as facts:
        for line in facts:
            entry = json.loads(line)
            name = entry["file"]
            if not entry["facts"]:
                skipped.append(name)  # the reference reads nothing in it: no independent verdict
                continue
            shutil.copyfile(os.path.join(source, name), os.path.join(target, name))
            origin = set_of_emails(name) if provenance is None else dict(provenance[name], family=agent_family(entry["facts"][0]))
            seen = set()
            for fact in entry["facts"]:
                key = (fact["to"].lower(), fact["r"])
                if key in seen:
                    continue
                seen.add(key)
                rows.append([name, origin["family"], origin["source_repository"], origin["source_path"], origin["source_commit"], origin["licence"],
                             verdict(fact), fact["r"], fact["to"], fact["alias"], fact["st"], fact["ft"]])
    with open(os.path.join(target, "manifest.csv"), "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["file", "family", "source_repository", "source_path", "source_commit", "licence",
                         "expected_verdict", "reference_reason", "reference_recipient", "reference_alias", "reference_status", "reference_feedback_type"])
        writer.writerows(sorted(rows))
    print(f"{len({r[0] for r in rows})} files, {len(rows)} rows; skipped (no reference verdict): {' '.join(skipped)}")

if __name__ == "__main__":
    main(*sys.argv[1:5])

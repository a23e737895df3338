#!/usr/bin/env python3
"""Collects the held-out corpus's candidate samples (tests/corpus/feedback-heldout/) from public bounce
parsers' test data, none of them sisimai's, and leaves out every one already in sisimai's set-of-emails
or in tests/corpus/feedback.

Not run by CI: the corpus it leads to is committed. To redo it:
  1. clone each repository of SOURCES at the commit named there (MIRRORS/<owner>+<name>/repo, a bare
     git directory or a clone's .git), and sisimai/set-of-emails anywhere;
  2. collect-heldout.py MIRRORS STAGING set-of-emails/ tests/corpus/feedback/ [more folders to exclude]
     writes STAGING/<source>-<nn>.eml and STAGING/provenance.csv;
  3. (cd STAGING && perl -I p5-sisimai/lib sisimai-facts.pl *.eml) > facts.jsonl
  4. make-corpus.py STAGING facts.jsonl tests/corpus/feedback-heldout STAGING/provenance.csv

A sample is left out when it is the same as one in an excluded folder (or an earlier sample) once line
ends, blank lines and runs of white space are set aside; mbox files there are split at "From ".
"""
import csv, fnmatch, hashlib, os, re, subprocess, sys

# (short name, repository, commit, licence, path patterns): every file matching is a candidate.
SOURCES = [
    ("bounceparser", "rjbs/Mail-DeliveryStatus-BounceParser", "3133a16326c596e0e9fc97469930aee535962bcf",
     "Artistic-1.0-Perl OR GPL-1.0-or-later", ["t/corpus/*.msg", "xt/corpus/*.msg"]),
    ("flufl", "wRAR/flufl.bounce", "796a6b901710175ca367f79c0ac6d963201db91d",
     "LGPL-3.0-only", ["flufl/bounce/tests/data/*.txt"]),
    ("phpbounce", "cfortune/PHP-Bounce-Handler", "956e65b0d502b1904546c3c46480409ded41d755",
     "BSD-3-Clause", ["eml/*"]),
    ("zoonru", "zoonru/PHP-Bounce-Handler", "13f8b3a764ff7d20824c6ed4527fdecc093b3e0a",
     "MIT", ["eml/*"]),
    ("bounceemail", "getoutreach/bounce_email", "e804c547ac72edc10855c680a71afc811fefc67f",
     "MIT", ["test/bounces/*", "test/non_bounces/*"]),
    ("flanker", "mailgun/flanker", "c7f70738dbb39eda2861b03917b63ec9fa828f5d",
     "Apache-2.0", ["tests/fixtures/messages/bounce/*", "tests/fixtures/messages/complaints/*"]),
]

# Test data written or edited by hand, not as an MTA wrote it: left out.
HAND_MADE = {
    "rjbs/Mail-DeliveryStatus-BounceParser:t/corpus/postfix-orig.msg",  # postfix.msg with an Original-Recipient added
    "mailgun/flanker:tests/fixtures/messages/bounce/delayed.eml",        # RFC 3464's example
    "mailgun/flanker:tests/fixtures/messages/bounce/delayed-broken.eml", # a hand-cut fragment of a DSN
}

def normal(data):
    # Line ends, blank lines and runs of white space do not count (a port of a test suite re-wraps them).
    lines = (b" ".join(line.split()) for line in data.replace(b"\r\n", b"\n").replace(b"\r", b"\n").split(b"\n"))
    return hashlib.sha256(b"\n".join(line for line in lines if line)).hexdigest()

def excluded(folders):
    hashes = set()
    for folder in folders:
        for root, _, files in os.walk(folder):
            for name in files:
                with open(os.path.join(root, name), "rb") as f:
                    data = f.read()
                hashes.add(normal(data))
                if data.startswith(b"From "):  # an mbox: each message too, with and without its From_ line
                    for message in re.split(rb"\n(?=From )", data):
                        hashes.add(normal(message))
                        hashes.add(normal(message.split(b"\n", 1)[-1]))
    return hashes

def git_dir(mirrors, repository):
    base = os.path.join(mirrors, repository.replace("/", "+"), "repo")
    return os.path.join(base, ".git") if os.path.isdir(os.path.join(base, ".git")) else base

def main(mirrors, staging, *exclude):
    seen = excluded(exclude)
    os.makedirs(staging, exist_ok=True)
    rows, dropped = [], []
    for short, repository, commit, licence, patterns in SOURCES:
        gd = git_dir(mirrors, repository)
        paths = subprocess.run(["git", "--git-dir", gd, "ls-tree", "-r", "--name-only", commit],
                               check=True, capture_output=True, text=True).stdout.splitlines()
        number = 0
        for path in sorted(p for p in paths if any(fnmatch.fnmatch(p, pattern) for pattern in patterns)):
            data = subprocess.run(["git", "--git-dir", gd, "show", f"{commit}:{path}"], check=True, capture_output=True).stdout
            if not data.strip() or f"{repository}:{path}" in HAND_MADE:
                continue
            key = normal(data)
            if key in seen:
                dropped.append(f"{repository}:{path}")
                continue
            seen.add(key)
            number += 1
            name = f"{short}-{number:02d}.eml"
            with open(os.path.join(staging, name), "wb") as out:
                out.write(data)
            rows.append([name, repository, path, commit, licence])
    with open(os.path.join(staging, "provenance.csv"), "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["file", "source_repository", "source_path", "source_commit", "licence"])
        writer.writerows(rows)
    print(f"{len(rows)} candidates; {len(dropped)} left out as duplicates:", *dropped, sep="\n  ")

if __name__ == "__main__":
    main(*sys.argv[1:])

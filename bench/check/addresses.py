"""The batch check benchmark's inputs and its verification.

  addresses.py input <entries> <count> <ndjson|csv> <path>
      writes <count> addresses to check: even positions name a listed address (one of the <entries>
      imported by bench/scale/addresses.py, spread over the list), odd ones an address never listed.
  addresses.py verify <entries> <count> <ndjson|csv> <answers>
      checks that the answers hold every address in input order with the expected verdict, and that
      the stream ends with its complete record; prints "verified=<count>" or exits non-zero.
"""
import csv
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scale"))
from addresses import address  # noqa: E402  (the same address space as the imported list)


def index(k, entries):
    # A step coprime with nearly any list size spreads the listed half over the whole list.
    return (k // 2 * 7919) % entries if k % 2 == 0 else entries + k


def expected(k, entries):
    return "suppressed" if k % 2 == 0 else "deliver"


def write_input(entries, count, form, path):
    with open(path, "w") as out:
        if form == "csv":
            out.write("email\n")
        step = 10000
        for first in range(0, count, step):
            last = min(first + step, count)
            if form == "csv":
                out.write("".join(f"{address(index(k, entries))}\n" for k in range(first, last)))
            else:
                out.write("".join(f'{{"address":"{address(index(k, entries))}"}}\n' for k in range(first, last)))


def fail(message):
    print(f"verify: {message}", file=sys.stderr)
    sys.exit(1)


def verify(entries, count, form, path):
    with open(path, newline="") as answers:
        if form == "csv":
            rows = csv.reader(answers)
            if next(rows, None) != ["address", "verdict", "scope", "reason", "source", "created_at", "error"]:
                fail("the CSV header is missing")
            records = ((row[0], row[1], row) for row in rows)
        else:
            def parsed():
                for line in answers:
                    record = json.loads(line)
                    yield record.get("address"), record.get("verdict", "complete" if record.get("complete") else "incomplete"), record
            records = parsed()
        k = 0
        for got_address, verdict, record in records:
            if k == count:
                if verdict != "complete":
                    fail(f"the stream ends with {record!r}, not its complete record")
                k += 1
                continue
            if k > count:
                fail("records after the complete record")
            want = address(index(k, entries))
            if got_address != want or verdict != expected(k, entries):
                fail(f"answer {k}: {got_address} {verdict}, expected {want} {expected(k, entries)} ({record!r})")
            k += 1
        if k != count + 1:
            fail(f"{max(k - 1, 0)} answers and {'a' if k > count else 'no'} complete record for {count} addresses")
    print(f"verified={count}")


if __name__ == "__main__":
    command, entries, count, form, path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], sys.argv[5]
    if command == "input":
        write_input(entries, count, form, path)
    else:
        verify(entries, count, form, path)

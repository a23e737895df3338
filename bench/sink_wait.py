#!/usr/bin/env python3
"""Waits until smtp-sink's running counter reaches a target and prints when it did.

`smtp-sink -c` rewrites one line ("sess=N quit=N mesg=N", ended by CR) on every event. This reads
the last bytes of its log every few milliseconds, so a round is timed until its last message
arrived at the sink, not until the client finished: Postfix queues, and answers the client before
it delivers. One process polling, instead of a shell loop forking `tail`, so the waiting costs
almost no CPU on a machine the benchmark already saturates.

Prints "<unix time when the target was reached> <count>" and exits 0; or, when the count stops
moving for --stall seconds or --timeout passes first, "<now> <count>" and exits 1.
"""
import argparse
import os
import re
import sys
import time

COUNTER = re.compile(rb"mesg=(\d+)")


def count(path):
    with open(path, "rb") as log:
        size = os.fstat(log.fileno()).st_size
        log.seek(max(0, size - 200))
        found = COUNTER.findall(log.read())
    return int(found[-1]) if found else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sink_log")
    parser.add_argument("target", type=int, help="the sink's message count to wait for")
    parser.add_argument("--timeout", type=float, default=300, help="seconds in all")
    parser.add_argument("--stall", type=float, default=30, help="seconds without a new message")
    parser.add_argument("--interval", type=float, default=0.005, help="seconds between reads")
    args = parser.parse_args()

    start = time.time()
    last, last_change = count(args.sink_log), start
    while last < args.target:
        time.sleep(args.interval)
        now = time.time()
        current = count(args.sink_log)
        if current != last:
            last, last_change = current, now
        elif now - last_change > args.stall or now - start > args.timeout:
            print(f"{now:.6f} {last}")
            return 1
    print(f"{time.time():.6f} {last}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

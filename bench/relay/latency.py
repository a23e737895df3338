#!/usr/bin/env python3
"""Per-message latency probe for the relay benchmark (see bench/README.md).

Each thread holds one persistent SMTP session and sends messages one after another, so the
concurrency is fixed at --threads. For every message it records the time from sending MAIL to
receiving the reply to the final "." of DATA. Targets are measured in alternating rounds so that
drift on the machine affects them alike. Prints p50/p99 per target and, when the targets are
named "direct" and "gateway", the latency the gateway adds.

The sessions are paced (--rate, total messages/s) by default. Sent truly back to back (--rate 0),
20 Python threads saturate the GIL at a few thousand messages/s and the figures measure the
probe's own queueing (p50 about 5 ms against smtp-sink, which answers in microseconds), hiding
whatever the server adds. Paced well below that limit, the probe's share is a few hundred
microseconds and the difference between targets is the server's.

Python's smtplib does not pipeline: each message is MAIL, RCPT, DATA and the content, each waiting
for its reply, which is what a simple submitting client does.
"""

import argparse
import math
import os
import smtplib
import sys
import threading
import time


def parse_target(text):
    name, _, address = text.partition("=")
    host, _, port = address.rpartition(":")
    if not name or not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected name=host:port, got {text!r}")
    return name, host, int(port)


def percentile(sorted_values, fraction):
    """Nearest-rank percentile of an already sorted list."""
    if not sorted_values:
        return float("nan")
    rank = max(1, math.ceil(fraction * len(sorted_values)))
    return sorted_values[rank - 1]


class Message:
    def __init__(self, sender, recipient, size):
        line = "X" * 76 + "\r\n"
        body = (line * (size // len(line) + 1))[:size]
        if not body.endswith("\r\n"):
            body = body[:-2] + "\r\n"
        self.template = (
            f"From: <{sender}>\r\n"
            f"To: <{recipient}>\r\n"
            "Subject: relay latency probe\r\n"
            "Message-ID: <{id}@latency.bench.example>\r\n"
            "\r\n" + body
        )
        self.prefix = f"{os.getpid()}.{time.time_ns()}"

    def render(self, thread, sequence):
        # A unique Message-ID per message, so no layer can treat two messages as one.
        return self.template.replace("{id}", f"{self.prefix}.{thread}.{sequence}", 1).encode("ascii")


def run_session(host, port, thread, count, args, message, samples, errors, start, deadline):
    session = None
    sequence = 0
    try:
        session = smtplib.SMTP(host, port, local_hostname="latency.bench.example", timeout=args.timeout)
        session.ehlo()
        start.wait(timeout=args.timeout)
        # Paced sessions: each sends every `interval` seconds, staggered so the sends spread out.
        interval = args.threads / args.rate if args.rate > 0 else 0.0
        next_send = time.monotonic() + interval * thread / args.threads
        for sequence in range(count):
            now = time.monotonic()
            if now > deadline:
                errors.append("deadline reached")
                break
            if interval:
                if next_send > now:
                    time.sleep(next_send - now)
                else:
                    next_send = now  # behind schedule: no catch-up burst
                next_send += interval
            data = message.render(thread, sequence)
            began = time.perf_counter_ns()
            code, reply = session.mail(args.sender)
            if code != 250:
                errors.append(f"MAIL {code} {reply!r}")
                session.rset()
                continue
            code, reply = session.rcpt(args.recipient)
            if code not in (250, 251):
                errors.append(f"RCPT {code} {reply!r}")
                session.rset()
                continue
            code, reply = session.data(data)
            ended = time.perf_counter_ns()
            if code != 250:
                errors.append(f"DATA {code} {reply!r}")
                continue
            samples.append((ended - began) / 1e6)
        session.quit()
    except (OSError, smtplib.SMTPException, threading.BrokenBarrierError) as error:
        errors.append(f"session {thread} after {sequence} messages: {error!r}")
        start.abort()  # the others must not wait for a session that will never start
        if session is not None:
            try:
                session.close()
            except OSError:
                pass


def run_round(target, count, args, message):
    name, host, port = target
    samples, errors = [], []
    start = threading.Barrier(args.threads + 1)
    deadline = time.monotonic() + args.round_timeout
    threads = [
        threading.Thread(
            target=run_session,
            args=(host, port, index, count, args, message, samples, errors, start, deadline),
            daemon=True,
        )
        for index in range(args.threads)
    ]
    for thread in threads:
        thread.start()
    try:
        start.wait(timeout=args.timeout)
    except threading.BrokenBarrierError:
        errors.append("not every session connected in time")
    began = time.perf_counter()
    for thread in threads:
        thread.join(timeout=max(0.0, deadline - time.monotonic()) + args.timeout)
    elapsed = time.perf_counter() - began
    if any(thread.is_alive() for thread in threads):
        errors.append(f"{name}: sessions still running after the round deadline")
    return samples, errors, elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--target", action="append", type=parse_target, required=True,
                        help="name=host:port; repeat (e.g. direct=127.0.0.1:2526 gateway=127.0.0.1:2525)")
    parser.add_argument("--threads", type=int, default=20, help="concurrent sessions (default 20)")
    parser.add_argument("--messages", type=int, default=500, help="messages per session per round (default 500)")
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds per target (default 3)")
    parser.add_argument("--warmup", type=int, default=20, help="unrecorded messages per session first (default 20)")
    parser.add_argument("--rate", type=float, default=1000.0,
                        help="total messages/s over all sessions; 0 sends back to back (default 1000)")
    parser.add_argument("--size", type=int, default=2048, help="body bytes (default 2048)")
    parser.add_argument("--sender", default="sender@bench.example")
    parser.add_argument("--recipient", default="rcpt@bench.example")
    parser.add_argument("--timeout", type=float, default=30.0, help="socket timeout, seconds (default 30)")
    parser.add_argument("--round-timeout", type=float, default=300.0, help="seconds per round (default 300)")
    args = parser.parse_args()
    if args.threads < 1 or args.messages < 1 or args.rounds < 1 or args.size < 2:
        parser.error("--threads, --messages, --rounds must be at least 1 and --size at least 2")

    message = Message(args.sender, args.recipient, args.size)
    results = {name: {"samples": [], "errors": [], "seconds": 0.0} for name, _, _ in args.target}

    if args.warmup > 0:
        for target in args.target:
            _, errors, _ = run_round(target, args.warmup, args, message)
            results[target[0]]["errors"].extend(errors)

    for _ in range(args.rounds):
        for target in args.target:
            samples, errors, elapsed = run_round(target, args.messages, args, message)
            result = results[target[0]]
            result["samples"].extend(samples)
            result["errors"].extend(errors)
            result["seconds"] += elapsed

    print(f"latency, MAIL to final reply, ms ({args.threads} sessions x {args.messages} messages x "
          f"{args.rounds} rounds, {args.size}-byte body, "
          f"{'paced at %g messages/s' % args.rate if args.rate > 0 else 'back to back'}, persistent sessions, no pipelining):")
    print(f"{'target':<10} {'messages':>8} {'errors':>6} {'msg/s':>7} {'mean':>8} {'p50':>8} {'p90':>8} {'p99':>8} {'max':>8}")
    summary = {}
    for name, result in results.items():
        values = sorted(result["samples"])
        count = len(values)
        rate = count / result["seconds"] if result["seconds"] else 0.0
        mean = sum(values) / count if count else float("nan")
        summary[name] = {"p50": percentile(values, 0.50), "p99": percentile(values, 0.99)}
        print(f"{name:<10} {count:>8} {len(result['errors']):>6} {rate:>7.0f} {mean:>8.3f} "
              f"{percentile(values, 0.50):>8.3f} {percentile(values, 0.90):>8.3f} "
              f"{percentile(values, 0.99):>8.3f} {values[-1] if values else float('nan'):>8.3f}")
        for error in result["errors"][:5]:
            print(f"  {name} error: {error}", file=sys.stderr)

    if "direct" in summary and "gateway" in summary:
        direct, gateway = summary["direct"], summary["gateway"]
        print(f"added by the gateway: p50 {gateway['p50'] - direct['p50']:+.3f} ms, "
              f"p99 {gateway['p99'] - direct['p99']:+.3f} ms")

    return 1 if any(result["errors"] for result in results.values()) else 0


if __name__ == "__main__":
    sys.exit(main())

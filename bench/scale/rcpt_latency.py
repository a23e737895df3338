#!/usr/bin/env python3
"""RCPT latency probe: times RCPT TO -> reply, per recipient, over a few persistent SMTP sessions.

Each session sends EHLO once, then MAIL FROM, --per-transaction RCPTs, RSET, and again, until the
sessions together have sent --rcpts RCPTs. A recipient is suppressed with probability
--suppressed-share: then it is address(i) for a random i below --imported (bench/scale/addresses.py,
the addresses the list was loaded with), else address(i) for an i above every imported one (same
shape, never imported). The time is from just before the RCPT line is written to the socket to
just after its reply line is read (perf_counter_ns); MAIL and RSET are not timed.

The sessions are paced to --rate RCPTs/s in total (0: back to back): each session's n-th RCPT is
due at start + n * sessions / rate, and is sent at once when it is late, so a slow reply delays the
ones after it rather than being hidden (the time is always measured from the actual send).

Prints one line of key=value figures (microseconds, nearest-rank percentiles) and, with --out,
writes every sample as "<class> <microseconds>" lines for the caller to pool across rounds.
"""
import argparse
import gc
import random
import socket
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from addresses import address  # noqa: E402


def percentile(sorted_values, fraction):
    if not sorted_values:
        return float("nan")
    rank = max(1, -(-len(sorted_values) * fraction // 1))  # nearest rank, ceil(n * p)
    return sorted_values[int(rank) - 1]


def summary(name, values):
    values = sorted(values)
    return (f"{name}_n={len(values)} {name}_p50_us={percentile(values, 0.50):.0f} {name}_p90_us={percentile(values, 0.90):.0f} "
            f"{name}_p99_us={percentile(values, 0.99):.0f} {name}_max_us={values[-1] if values else float('nan'):.0f}")


class Session:
    def __init__(self, host, port, timeout):
        self.sock = socket.create_connection((host, port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.reader = self.sock.makefile("rb")

    def reply(self):
        # Multi-line replies ("250-...") end with the line whose fourth character is a space.
        while True:
            line = self.reader.readline()
            if not line:
                raise ConnectionError("connection closed by the server")
            if line[3:4] != b"-":
                return line

    def command(self, line, expect=b"2"):
        self.sock.sendall(line)
        reply = self.reply()
        if not reply.startswith(expect):
            raise RuntimeError(f"{line.strip().decode()} -> {reply.strip().decode()}")
        return reply

    def close(self):
        try:
            self.sock.sendall(b"QUIT\r\n")
            self.reply()
        except OSError:
            pass
        self.sock.close()


def run_session(index, options, count, samples, errors, start_at):
    rng = random.Random(options.seed * 1000 + index)
    try:
        session = Session(options.host, options.port, options.timeout)
        if not session.reply().startswith(b"220"):
            raise RuntimeError("no 220 greeting")
        session.command(b"EHLO scale.bench.example\r\n")
        interval = options.sessions / options.rate if options.rate > 0 else 0.0
        # Sessions start a little apart so their RCPTs interleave rather than arrive together.
        due = start_at + (interval * index / options.sessions)
        sent = 0
        while sent < count:
            session.command(b"MAIL FROM:<sender@scale.bench.example>\r\n")
            seen, suppressed_here = set(), 0
            for _ in range(min(options.per_transaction, count - sent)):
                # With fewer imported addresses than RCPTs per transaction, the rest go to clear ones.
                suppressed = rng.random() < options.suppressed_share and suppressed_here < options.imported
                suppressed_here += suppressed
                while True:
                    i = rng.randrange(options.imported) if suppressed else options.imported + rng.randrange(1 << 40)
                    if i not in seen:  # a recipient repeated in one transaction is not checked again
                        seen.add(i)
                        break
                line = f"RCPT TO:<{address(i)}>\r\n".encode()
                if interval:
                    wait = due - time.perf_counter()
                    if wait > 0:
                        time.sleep(wait)
                    due += interval
                started = time.perf_counter_ns()
                session.sock.sendall(line)
                reply = session.reply()
                elapsed = time.perf_counter_ns() - started
                if not reply.startswith(b"250"):
                    raise RuntimeError(f"RCPT -> {reply.strip().decode()}")
                samples.append((suppressed, elapsed / 1000))
                sent += 1
            session.command(b"RSET\r\n")
        session.close()
    except Exception as exception:  # reported by the main thread; any failure fails the run
        errors.append(f"session {index}: {exception!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", required=True, help="host:port of the SMTP listener")
    parser.add_argument("--rcpts", type=int, default=5000, help="RCPTs in all sessions together")
    parser.add_argument("--sessions", type=int, default=4)
    parser.add_argument("--rate", type=float, default=1000, help="RCPTs per second in total; 0 = back to back")
    parser.add_argument("--imported", type=int, required=True, help="addresses 0..N-1 were imported (suppressed)")
    parser.add_argument("--suppressed-share", type=float, default=0.5)
    parser.add_argument("--per-transaction", type=int, default=10, help="RCPTs between MAIL and RSET")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=30)
    parser.add_argument("--out", help="write every sample as '<suppressed|clear> <us>' lines here")
    options = parser.parse_args()
    options.host, port = options.server.rsplit(":", 1)
    options.port = int(port)
    if options.imported < 1:
        parser.error("--imported must be at least 1")

    gc.disable()  # a collection pause in the probe would look like a slow reply
    samples, errors = [], []
    per_session = [options.rcpts // options.sessions + (1 if i < options.rcpts % options.sessions else 0)
                   for i in range(options.sessions)]
    start_at = time.perf_counter() + 0.2  # connections and EHLO first, then the paced RCPTs
    threads = [threading.Thread(target=run_session, args=(i, options, per_session[i], samples, errors, start_at))
               for i in range(options.sessions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - start_at
    if errors:
        print("\n".join(errors), file=sys.stderr)
        return 1

    if options.out:
        with open(options.out, "w") as out:
            out.writelines(f"{'suppressed' if suppressed else 'clear'} {us:.1f}\n" for suppressed, us in samples)
    suppressed = [us for is_suppressed, us in samples if is_suppressed]
    clear = [us for is_suppressed, us in samples if not is_suppressed]
    print(f"rcpts={len(samples)} seconds={seconds:.2f} rate={len(samples) / seconds:.0f} "
          f"{summary('suppressed', suppressed)} {summary('clear', clear)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

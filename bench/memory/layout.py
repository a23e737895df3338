#!/usr/bin/env python3
"""Redis memory per suppressed address for candidate bucket layouts, measured on a real redis-server.

Writes N mailboxes in the given layout straight into an empty redis-server through `redis-cli --pipe`
(no gateway involved: this isolates the storage format) and prints used_memory per address.

  python3 bench/memory/layout.py --port 6399 --layout v1 --count 10000000

Layouts (fields are always 10 bytes of a digest in a bucket hash sup:b:{<5 hex>}, 262,144 buckets):
  v1        today's value: "@<address>\\n<scope>\\t<reason>\\t<source>\\t<secs>\\t<batch>"
  v1-entry  today's value without the address line (what the entry text alone costs)
  compact   6 bytes: a marker, reason and source in one byte, 4 bytes of seconds since 2020
  int       one integer (reason, source and minutes since 2020 packed into 31 bits): listpack int
  compact+address  compact, a 3-byte interned batch number and the address after it, in the one value
  compact+archive  compact, plus sup:x:{<bucket>} with "@<address>\\n+global\\t<batch>" per mailbox
"""
import argparse
import hashlib
import os
import random
import struct
import subprocess
import sys

DOMAINS = ["gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "aol.com",
           "icloud.com", "gmx.de", "web.de", "mail.ru", "example.org"]
FIRST = ["anna", "ben", "carla", "dan", "eva", "frank", "gina", "hugo", "ida", "jon"]


def resp(*parts):
    out = [b"*%d\r\n" % len(parts)]
    for part in parts:
        if isinstance(part, str):
            part = part.encode()
        out.append(b"$%d\r\n%s\r\n" % (len(part), part))
    return b"".join(out)


def commands(layout, count, seed):
    rng = random.Random(seed)
    batch = "b-" + os.urandom(8).hex()
    for n in range(count):
        address = f"{rng.choice(FIRST)}.{rng.choice(FIRST)}{n}@{rng.choice(DOMAINS)}"
        digest = hashlib.sha256(("suppression-v1:" + address).encode()).digest()
        bucket = "%05x" % (int.from_bytes(digest[:3], "big") >> 6)
        field = digest[3:13]
        seconds = 1_700_000_000 + rng.randrange(30_000_000)
        key = "sup:b:{" + bucket + "}"
        if layout == "v1":
            value = f"@{address}\nglobal\tunsubscribe\timport\t{seconds}\t{batch}"
        elif layout == "v1-entry":
            value = f"global\tunsubscribe\timport\t{seconds}"
        elif layout in ("compact", "compact+archive"):
            value = struct.pack(">BBI", 1, (0 << 4) | 6, seconds - 1_577_836_800)
        elif layout == "compact+address":
            value = struct.pack(">BBI", 1, (0 << 4) | 6, seconds - 1_577_836_800) + (1).to_bytes(3, "big") + address.encode()
        elif layout == "int":
            minutes = (seconds - 1_577_836_800) // 60
            value = str(((0 << 4 | 6) << 23) | (minutes & 0x7FFFFF))
        else:
            sys.exit(f"unknown layout {layout}")
        yield resp("HSET", key, field, value)
        if layout == "compact+archive":
            yield resp("HSET", "sup:x:{" + bucket + "}", field, f"@{address}\n+global\t{batch}")


def used_memory(port):
    info = subprocess.run(["redis-cli", "-p", str(port), "info", "memory"], capture_output=True, text=True, check=True).stdout
    return int(next(line.split(":")[1] for line in info.splitlines() if line.startswith("used_memory:")))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--layout", required=True)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    subprocess.run(["redis-cli", "-p", str(args.port), "flushall"], check=True, capture_output=True)
    before = used_memory(args.port)
    pipe = subprocess.Popen(["redis-cli", "-p", str(args.port), "--pipe"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL)
    chunk = []
    for command in commands(args.layout, args.count, args.seed):
        chunk.append(command)
        if len(chunk) == 10_000:
            pipe.stdin.write(b"".join(chunk))
            chunk.clear()
    pipe.stdin.write(b"".join(chunk))
    pipe.stdin.close()
    pipe.wait()
    after = used_memory(args.port)
    encoding = subprocess.run(["redis-cli", "-p", str(args.port), "object", "encoding", "sup:b:{00000}"], capture_output=True, text=True).stdout.strip()
    print(f"{args.layout}\t{args.count}\t{(after - before) / args.count:.1f} B/address\t(used_memory {before} -> {after}, sup:b:{{00000}} {encoding})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Sends PARALLEL stranger reports of one SHAPE at once to a feedback address and samples the
gateway's resident memory (VmRSS) every 50 ms until every reply is in. Prints the replies, the RSS
before, the peak and the growth. Used by bench/memory/reports.sh.

Shapes (each about BYTES long):
  parts   a multipart/mixed of empty parts ("--b" and an empty line each): the red team's 300,000-part message
  fields  a header block of short fields ("X: y"), at most the header limit, then a line of body
  groups  a DSN whose delivery-status part is all tiny recipient groups
"""
import socket
import sys
import threading
import time

port, pid, shape, size, parallel = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])


def message() -> bytes:
    if shape == "parts":
        return (b"From: stranger@example.net\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b\"\r\n\r\n"
                + b"--b\r\n\r\n" * (size // 7) + b"--b--\r\n")
    if shape == "fields":
        return b"X: y\r\n" * (size // 6) + b"\r\nbody\r\n"
    if shape == "groups":
        return (b"From: MAILER-DAEMON@example.net\r\nMIME-Version: 1.0\r\n"
                b"Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n"
                b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; x\r\n\r\n"
                + b"A: b\r\n\r\n" * (size // 8) + b"--b--\r\n")
    raise SystemExit(f"unknown shape {shape}")


def rss_kib() -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def reply(connection, reader) -> str:
    lines = []
    while True:
        line = reader.readline().decode("ascii", "replace").rstrip("\r\n")
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            return " / ".join(lines)


def send(data: bytes, replies: list, index: int) -> None:
    with socket.create_connection(("127.0.0.1", port)) as connection:
        reader = connection.makefile("rb")
        reply(connection, reader)
        for command in (b"EHLO mx.stranger.example", b"MAIL FROM:<>", b"RCPT TO:<bounces@gateway.test>", b"DATA"):
            connection.sendall(command + b"\r\n")
            reply(connection, reader)
        connection.sendall(data + b".\r\n")
        replies[index] = reply(connection, reader)
        connection.sendall(b"QUIT\r\n")


data = message()
before = rss_kib()
replies = [None] * parallel
threads = [threading.Thread(target=send, args=(data, replies, i)) for i in range(parallel)]
started = time.monotonic()
for thread in threads:
    thread.start()
peak = before
while any(thread.is_alive() for thread in threads):
    peak = max(peak, rss_kib())
    time.sleep(0.05)
elapsed = time.monotonic() - started
for text in sorted(set(replies)):
    print(f"  reply x{replies.count(text)}: {text[:120]}")
print(f"{shape}: {parallel} x {len(data):,} bytes in {elapsed:.1f} s; RSS {before // 1024} MiB before, "
      f"peak {peak // 1024} MiB, growth {(peak - before) // 1024} MiB")

"""SIGTERM drain check, run by sigterm.sh: with one session idle and one in the middle of DATA,
the gateway is sent SIGTERM. Expected (RFC 5321 3.8, 4.1.1.5): the idle session is told 421 and
closed, a new connection is refused (or told 421), the message in progress is finished and
acknowledged 250, and the process exits on its own within the grace period."""
import os
import signal
import socket
import sys
import time

host, port, pid, grace = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])


def connect():
    s = socket.create_connection((host, port), timeout=30)
    f = s.makefile("rb")
    return s, f


def reply(f):
    lines = []
    while True:
        line = f.readline().decode()
        if not line:
            return "".join(lines) or "(closed)"
        lines.append(line)
        if len(line) < 4 or line[3] != "-":
            return "".join(lines)


def send(s, f, text):
    s.sendall(text.encode())
    return reply(f)


results = {}
idle, idle_f = connect()
reply(idle_f)
send(idle, idle_f, "EHLO idle.example\r\n")

busy, busy_f = connect()
reply(busy_f)
send(busy, busy_f, "EHLO busy.example\r\n")
assert send(busy, busy_f, "MAIL FROM:<news@drain.example>\r\n").startswith("250")
assert send(busy, busy_f, "RCPT TO:<reader@drain.example>\r\n").startswith("250")
assert send(busy, busy_f, "DATA\r\n").startswith("354")
busy.sendall(b"From: news@drain.example\r\nTo: reader@drain.example\r\nMessage-ID: <drain-1@drain.example>\r\nSubject: drain\r\n\r\n")

os.kill(pid, signal.SIGTERM)
signalled = time.time()
time.sleep(1)

results["idle session"] = reply(idle_f).strip()
try:
    late, late_f = connect()
    results["new connection"] = reply(late_f).strip()
except OSError as error:
    results["new connection"] = f"refused ({error.__class__.__name__})"

busy.sendall(b"the message that was in progress\r\n.\r\n")
results["message in progress"] = reply(busy_f).strip()
results["after it"] = reply(busy_f).strip()

while time.time() - signalled < grace + 5:
    if not os.path.exists(f"/proc/{pid}") or open(f"/proc/{pid}/stat").read().split()[2] == "Z":
        break
    time.sleep(0.2)
exited_after = time.time() - signalled
results["process exited after"] = f"{exited_after:.1f} s" if exited_after < grace + 5 else "still running"

for name, value in results.items():
    print(f"{name}: {value}")
ok = (results["idle session"].startswith("421")
      and (results["new connection"].startswith("refused") or results["new connection"].startswith("421"))
      and results["message in progress"].startswith("250")
      and exited_after < grace)
print("RESULT: " + ("pass" if ok else "FAIL"))
sys.exit(0 if ok else 1)

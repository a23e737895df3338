"""SMTP load for the fault runs: N threads send for a while, each message to one deliverable and one
suppressed recipient, and every outcome is written as a JSON line (message id, reply code, time).
Python's smtplib is the client; one connection per thread, reopened after an error."""
import json
import smtplib
import sys
import threading
import time
import uuid

host, port, seconds, threads, out_path = sys.argv[1], int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
suppressed_count = int(sys.argv[6])
lock = threading.Lock()
out = open(out_path, "w")


def record(entry):
    with lock:
        out.write(json.dumps(entry) + "\n")


def worker(number):
    deadline = time.time() + seconds
    client = None
    sequence = 0
    while time.time() < deadline:
        sequence += 1
        message_id = f"{uuid.uuid4().hex}@fault.example"
        deliverable = f"reader-{number}-{sequence}@fault.example"
        suppressed = f"suppressed-{(number * 100003 + sequence) % suppressed_count}@fault.example"
        body = (f"From: news@fault.example\r\nTo: {deliverable}\r\nSubject: fault run\r\n"
                f"Message-ID: <{message_id}>\r\n\r\nHello\r\n")
        started = time.time()
        deliverable_refused = False
        try:
            if client is None:
                client = smtplib.SMTP(host, port, timeout=30)
                client.ehlo("load.fault.example")
            refused = client.sendmail("news@fault.example", [deliverable, suppressed], body)
            # 250 for the message; a refused recipient (the other one was accepted) is not delivered.
            code = 250
            detail = json.dumps({k: v[0] for k, v in refused.items()}) if refused else ""
            if deliverable in refused:
                deliverable_refused = True
        except smtplib.SMTPRecipientsRefused as error:
            code = min(v[0] for v in error.recipients.values())
            detail = "all recipients refused"
            client = reset(client)
        except smtplib.SMTPResponseException as error:
            code = error.smtp_code
            detail = str(error.smtp_error)[:200]
            client = reset(client)
        except (OSError, smtplib.SMTPException) as error:
            code = 0
            detail = type(error).__name__
            client = close(client)
            time.sleep(0.1)
        record({"id": message_id, "code": code, "start": started, "end": time.time(), "detail": detail,
                "deliverable": deliverable, "suppressed": suppressed, "deliverableRefused": deliverable_refused})
    close(client)


def reset(client):
    try:
        client.rset()
        return client
    except Exception:
        return close(client)


def close(client):
    if client is not None:
        try:
            client.quit()
        except Exception:
            pass
    return None


workers = [threading.Thread(target=worker, args=(n,)) for n in range(threads)]
for w in workers:
    w.start()
for w in workers:
    w.join()
out.close()

"""Reads a fault run's client log and smtp-sink dump, prints the counts, and exits 1 when a promise
is broken: a suppressed recipient reached the sink, a message the client got 250 for is missing, a
message was refused with 5xx, or no 250 came back after the fault."""
import json
import re
import sys

client_log, dump_path, outage_start, outage_end = sys.argv[1], sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
outcomes = [json.loads(line) for line in open(client_log)]
dump = open(dump_path, encoding="utf-8", errors="replace").read() if dump_path != "-" else ""

delivered = {}  # message id -> recipients seen at the sink (a message may arrive more than once)
for block in re.split(r"(?m)^X-Client-Addr: ", dump)[1:]:
    recipients = re.findall(r"(?m)^X-Rcpt-Args: <([^>]*)>", block)
    found = re.search(r"(?mi)^Message-ID: <([^>]+)>", block)
    if found:
        delivered.setdefault(found.group(1), []).append(recipients)

acknowledged = [o for o in outcomes if o["code"] == 250]
deferred = [o for o in outcomes if 400 <= o["code"] < 500]
refused = [o for o in outcomes if o["code"] >= 500]
failed = [o for o in outcomes if o["code"] == 0]
# A 250 with the deliverable recipient refused at RCPT (4xx) carried only the suppressed one: nothing to deliver.
expected = [o for o in acknowledged if not o.get("deliverableRefused")]
missing = [o for o in expected if o["id"] not in delivered]
leaked = [rcpt for copies in delivered.values() for rcpts in copies for rcpt in rcpts if rcpt.startswith("suppressed-")]
duplicates = sum(len(copies) - 1 for copies in delivered.values())
unacknowledged_delivered = [o for o in outcomes if o["code"] != 250 and o["id"] in delivered]
during = [o for o in outcomes if outage_start <= o["start"] <= outage_end]
after = [o for o in outcomes if o["start"] > outage_end + 5]
resumed = sum(1 for o in after if o["code"] == 250)

print(f"messages sent: {len(outcomes)}; 250: {len(acknowledged)} ({len(acknowledged) - len(expected)} of them with the deliverable recipient deferred at RCPT); "
      f"4xx: {len(deferred)}; 5xx: {len(refused)}; no reply (connection): {len(failed)}")
if outage_start > 0:
  print(f"started during the fault: {len(during)} attempts, {sum(1 for o in during if o['code'] == 250)} got 250, "
        f"{sum(1 for o in during if 400 <= o['code'] < 500)} got 4xx")
  print(f"from 5 s after the fault ended: {len(after)} attempts, {resumed} got 250")
print(f"at the sink: {len(delivered)} messages ({duplicates} extra copies); suppressed recipients delivered: {len(leaked)}")
print(f"250 but missing at the sink: {len(missing)}; delivered without a 250 (at-least-once window): {len(unacknowledged_delivered)}")
# No attempt 5 s after the fault is not a pass: the flow resuming by itself was never observed.
not_observed = outage_start > 0 and len(after) == 0
if not_observed:
    print("no message was sent from 5 s after the fault: the flow resuming was not observed (make SECONDS_AFTER longer)")
# Every message is valid, so a 5xx can only be a fault passed on as permanent: the sender would drop
# mail it should have retried.
if refused:
    print(f"5xx replies (should have been 4xx): {sorted({o['detail'] for o in refused})[:5]}")
broken = len(leaked) > 0 or len(missing) > 0 or len(refused) > 0 or not_observed or (len(after) > 0 and resumed == 0)
print("RESULT: " + ("FAIL" if broken else "pass"))
sys.exit(1 if broken else 0)

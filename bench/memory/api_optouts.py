#!/usr/bin/env python3
"""Opts COUNT addresses out through POST /api/v1/suppressions, over a few keep-alive connections,
for bench/memory/gateway.sh: what one-click and API opt-outs cost in Redis (no import batch)."""
import argparse
import http.client
import json
import sys
import threading
import urllib.parse

sys.path.insert(0, __file__.rsplit("/", 2)[0] + "/scale")
from addresses import address  # noqa: E402


def worker(url, key, indexes, failures):
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
    headers = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
    for i in indexes:
        connection.request("POST", "/api/v1/suppressions", json.dumps({"address": address(i), "reason": "unsubscribe"}), headers)
        response = connection.getresponse()
        response.read()
        if response.status != 201:
            failures.append(response.status)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--connections", type=int, default=8)
    args = parser.parse_args()
    failures = []
    threads = [threading.Thread(target=worker, args=(args.url, args.key, range(n, args.count, args.connections), failures))
               for n in range(args.connections)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"api_optouts.py: {len(failures)} of {args.count} opt-outs failed (statuses {sorted(set(failures))})")


if __name__ == "__main__":
    main()

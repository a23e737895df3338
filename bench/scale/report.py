#!/usr/bin/env python3
"""Figures for bench/scale/run.sh, which keeps the shell free of arithmetic on floats.

  report.py histogram BEFORE AFTER
      The gateway's recipient-check histogram between two /metrics scrapes: count, exact mean (from
      _sum and _count) and p50/p90/p99 as the bucket bound they fall under (check_p99_le_ms=0.25), all
      verdicts together.
  report.py redis INFO_FILE
      redis-server's own HGET figures from INFO commandstats and latencystats (after CONFIG RESETSTAT).
  report.py summary ROUNDS_FILE SAMPLES_DIR
      The medians of the rounds per list, the pooled percentiles of every sample, and the ratio
      loaded/empty at each percentile.
"""
import math
import re
import statistics
import sys
from pathlib import Path

METRIC = "suppression_smtp_recipient_check_duration_milliseconds"
SERIES = re.compile(r'^(?P<name>\w+)\{(?P<labels>[^}]*)\}\s+(?P<value>\S+)$')


def scrape(path):
    """Buckets (le -> cumulative count), sum and count, added up over every verdict."""
    buckets, total, count = {}, 0.0, 0.0
    for line in Path(path).read_text().splitlines():
        match = SERIES.match(line)
        if not match or not match["name"].startswith(METRIC):
            continue
        value = float(match["value"])
        suffix = match["name"][len(METRIC):]
        if suffix == "_bucket":
            le = re.search(r'le="([^"]+)"', match["labels"])[1]
            bound = math.inf if le == "+Inf" else float(le)
            buckets[bound] = buckets.get(bound, 0.0) + value
        elif suffix == "_sum":
            total += value
        elif suffix == "_count":
            count += value
    return buckets, total, count


def histogram(before_path, after_path):
    before, after = scrape(before_path), scrape(after_path)
    count = after[2] - before[2]
    mean = (after[1] - before[1]) / count if count else float("nan")
    bounds = sorted(after[0])
    cumulative = [(bound, after[0][bound] - before[0].get(bound, 0.0)) for bound in bounds]

    def under(fraction):
        for bound, seen in cumulative:
            if count and seen >= fraction * count:
                return f"{bound:g}"
        return "?"

    print(f"check_n={count:.0f} check_mean_us={mean * 1000:.0f} check_p50_le_ms={under(0.5)} "
          f"check_p90_le_ms={under(0.9)} check_p99_le_ms={under(0.99)}")


def redis(path):
    text = Path(path).read_text()
    calls = re.search(r"cmdstat_hget:calls=(\d+),usec=\d+,usec_per_call=([\d.]+)", text)
    latency = re.search(r"latency_percentiles_usec_hget:(\S+)", text)
    figures = {"hget_calls": calls[1] if calls else "0", "hget_mean_us": calls[2] if calls else "nan"}
    if latency:
        for part in latency[1].split(","):
            name, value = part.split("=")
            figures[f"hget_{name.replace('.', '_')}_us"] = value
    print(" ".join(f"{key}={value}" for key, value in figures.items()))


def percentile(sorted_values, fraction):
    return sorted_values[max(1, math.ceil(len(sorted_values) * fraction)) - 1]


def summary(rounds_path, samples_dir):
    rounds = {}
    for line in Path(rounds_path).read_text().splitlines():
        fields = dict(part.split("=", 1) for part in line.split())
        rounds.setdefault(fields["list"], []).append(fields)
    lists = [name for name in ("empty", "loaded") if name in rounds]

    def median(name, key):
        values = [float(r[key]) for r in rounds[name] if r.get(key) not in (None, "nan", "?")]
        return statistics.median(values) if values else float("nan")

    print(f"medians of {len(rounds[lists[0]])} rounds (client RCPT -> reply, microseconds; max is the largest of any round):")
    print(f"{'list':<8} {'class':<11} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>8}   gateway check mean   redis HGET p50/p99/mean   CPU us/RCPT (gateway, redis)")
    for name in lists:
        for klass in ("suppressed", "clear"):
            largest = max(float(r[f"{klass}_max_us"]) for r in rounds[name])
            print(f"{name:<8} {klass:<11} {median(name, f'{klass}_p50_us'):7.0f} {median(name, f'{klass}_p90_us'):7.0f} "
                  f"{median(name, f'{klass}_p99_us'):7.0f} {largest:8.0f}   "
                  + (f"{median(name, 'check_mean_us'):10.0f} us        {median(name, 'hget_p50_us'):6.3f}/{median(name, 'hget_p99_us'):.3f}/{median(name, 'hget_mean_us'):.2f} us"
                     f"     {median(name, 'gateway_cpu_us'):.0f}, {median(name, 'redis_cpu_us'):.0f}" if klass == "suppressed" else ""))

    pooled = {}
    for name in lists:
        for klass in ("suppressed", "clear"):
            values = []
            for path in sorted(Path(samples_dir).glob(f"samples-{name}-*.txt")):
                values += [float(line.split()[1]) for line in path.read_text().splitlines() if line.startswith(klass)]
            pooled[name, klass] = sorted(values)
    print("pooled over every round (client RCPT -> reply, microseconds):")
    print(f"{'list':<8} {'class':<11} {'n':>7} {'p50':>7} {'p90':>7} {'p99':>7} {'max':>8}")
    for (name, klass), values in pooled.items():
        if values:
            print(f"{name:<8} {klass:<11} {len(values):7d} {percentile(values, 0.5):7.0f} {percentile(values, 0.9):7.0f} "
                  f"{percentile(values, 0.99):7.0f} {values[-1]:8.0f}")
    if len(lists) == 2:
        print("ratio loaded/empty (pooled):")
        for klass in ("suppressed", "clear"):
            loaded, empty = pooled["loaded", klass], pooled["empty", klass]
            if loaded and empty:
                ratios = " ".join(f"{label}={percentile(loaded, p) / percentile(empty, p):.2f}"
                                  for label, p in (("p50", 0.5), ("p90", 0.9), ("p99", 0.99)))
                print(f"  {klass:<11} {ratios}")
        print(f"  redis HGET mean (median of rounds): loaded {median('loaded', 'hget_mean_us'):.2f} us, "
              f"empty {median('empty', 'hget_mean_us'):.2f} us")


if __name__ == "__main__":
    command, *arguments = sys.argv[1:]
    {"histogram": histogram, "redis": redis, "summary": summary}[command](*arguments)

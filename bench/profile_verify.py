# ruff: noqa: E402 (Django is set up before the project is imported)
"""Issue 42: cProfile of one process serving the verify page (or the API) through
bench.lookup_site.application (FastLane around Django's WSGI handler, as gunicorn runs it), on the
database a `bench/lookup.py --keep` run left (Redis rate limit, buffered lookup log, request log).

    CPU=1 python bench/profile_verify.py verify|api [requests] [--database-url URL]

Prints the CPU microseconds per request without the profiler, then the top functions by cumulative
time (CPU=1: process CPU time, not wall time, so waiting on PostgreSQL and other load do not count),
and by own time. TOP=N lines (default 40); COUNT: the certificates the kept database holds.
"""

import cProfile
import os
import pstats
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
URL = sys.argv[sys.argv.index("--database-url") + 1] if "--database-url" in sys.argv else None
from bench.lookup import in_process_environ

os.environ.update(in_process_environ(URL))
import django

django.setup()
from bench.lookup import call_in_process, in_process_paths
from bench.lookup_site import application

count = int(os.environ.get("COUNT", "1000000"))
target = sys.argv[1] if len(sys.argv) > 1 else "verify"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
rng = random.Random(8)
paths = in_process_paths(target, 2000, rng, count)


def call(path):
    return call_in_process(application, path, rng)


st = {call(p) for p in paths[:200]}  # warm up
print("statuses", st)
t0 = time.process_time()
w0 = time.perf_counter()
for k in range(N):
    call(paths[k % len(paths)])
cpu = time.process_time() - t0
print(
    f"{target}: {N} requests, {cpu / N * 1e6:.0f} us CPU per request in this process (no profiler), wall {time.perf_counter() - w0:.1f}s"
)
pr = cProfile.Profile(time.process_time) if os.environ.get("CPU") else cProfile.Profile()
pr.enable()
for k in range(N):
    call(paths[k % len(paths)])
pr.disable()
s = pstats.Stats(pr)
s.sort_stats("cumulative")
tot = s.total_tt
print(f"profiled total {tot:.2f}s for {N} requests")
rows = sorted(
    (
        (
            ct,
            tt,
            nc,
            f"{f.replace('site-packages/', '').replace(str(ROOT) + '/', '').replace('/root/.pyenv/versions/3.11.7/lib/python3.11/', '')}:{line}({fn})",
        )
        for (f, line, fn), (cc, nc, tt, ct, _) in s.stats.items()
    ),
    reverse=True,
)
print(" cum%   tot%   calls/req  function")
for ct, tt, nc, name in rows[: int(os.environ.get("TOP", "40"))]:
    print(f"{ct / tot * 100:5.1f}% {tt / tot * 100:5.1f}% {nc / N:8.2f}  {name}")
print("--- by own time")
rows2 = sorted(((tt, ct, nc, name) for ct, tt, nc, name in rows), reverse=True)
for tt, ct, nc, name in rows2[:30]:
    print(f"{ct / tot * 100:5.1f}% {tt / tot * 100:5.1f}% {nc / N:8.2f}  {name}")
print("--- cum 40-90")
for ct, tt, nc, name in rows[40:100]:
    print(f"{ct / tot * 100:5.1f}% {tt / tot * 100:5.1f}% {nc / N:8.2f}  {name}")

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
import io
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
from urllib.parse import quote

from bench.lookup import certificate_row, unsaved_certificate
from bench.lookup_site import application
from certificates import signing
from certificates.models import Certificate

count = int(os.environ.get("COUNT", "1000000"))
target = sys.argv[1] if len(sys.argv) > 1 else "verify"
N = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
first = Certificate.objects.order_by("pk").first()
inst, occ = first.institution, first.occupation
rng = random.Random(8)
paths = []
for i in (rng.randrange(count) for _ in range(2000)):
    r = certificate_row(i)
    if target == "verify":
        cert = unsaved_certificate(i, occ, inst)
        paths.append(f"/certificates/verify/{r['code']}/?s={signing.sign(cert)}")
    else:
        paths.append(f"/api/v1/certificates/verify?code={r['code']}&name={quote(r['holder_name'])}")


def call(path):
    p, _, q = path.partition("?")
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": p,
        "QUERY_STRING": q,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "REMOTE_ADDR": f"127.0.0.{rng.randrange(1, 250)}",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }
    status = []
    body = application(env, lambda s, h, exc=None: status.append(s))
    b"".join(body)
    getattr(body, "close", lambda: None)()
    return status[0]


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

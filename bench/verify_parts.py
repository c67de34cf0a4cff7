# ruff: noqa: E402 (Django is set up before the project is imported)
"""Issue 42 item 1: CPU microseconds of the parts of the verification page and API that a change touched,
each timed alone (best of 5 rounds, process CPU time), on the database a `bench/lookup.py --keep` run left.
Steadier than a whole request on a loaded machine: run it in the old and the new tree alternately.

    python bench/verify_parts.py
"""

import logging
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.lookup import in_process_environ  # noqa: E402

os.environ.update(in_process_environ("postgres://postgres@127.0.0.1:5432/portal_bench_lookup"))
import django

django.setup()
from django.utils import translation

from bench.lookup import certificate_row as bench_row
from bench.lookup import unsaved_certificate
from certificates import lookup, signing, verify_page
from certificates.models import Certificate

first = Certificate.objects.order_by("pk").first()
inst, occ = first.institution, first.occupation
r = bench_row(12345)
cert = unsaved_certificate(12345, occ, inst)
sig = signing.sign(cert)
translation.activate("zh-hans")
row = lookup.certificate_row(r["code"])
result = lookup.verify(r["code"], sig)
assert result.matches, result


def best(f, n=20000, reps=5):
    b = 1e9
    for _ in range(reps):
        t = time.process_time()
        for _ in range(n):
            f()
        b = min(b, (time.process_time() - t) / n * 1e6)
    return b


print(f"render {best(lambda: verify_page.render(result)):.2f} us")
print(f"check {best(lambda: signing.check(row, sig), 5000):.2f} us")
print(f"canonical_bytes {best(lambda: signing.canonical_bytes(row)):.2f} us")
print(f"PublicCertificate.of {best(lambda: lookup.PublicCertificate.of(row)):.2f} us")
from portal.logs import JsonFormatter

rec = logging.LogRecord(
    "portal.request", 20, "x", 1, "%s %s %s", ("GET", "/certificates/verify/X/", 200), None
)
for k, v in {
    "method": "GET",
    "path": "/p/",
    "view": "certificates:verify",
    "status": 200,
    "ms": 0.4,
    "user": None,
}.items():
    setattr(rec, k, v)
fmt = JsonFormatter()
print(f"log format {best(lambda: fmt.format(rec)):.2f} us")
from portal import ratelimit

print(f"parse_rate {best(lambda: ratelimit.parse_rate('600/m')):.2f} us")
# the middleware chain around a trivial response: full fast lane request through the app
from django.http import HttpResponse
from django.test import RequestFactory

from portal.middleware import ContentSecurityPolicyMiddleware, LanguageMiddleware, RequestIdMiddleware

rf = RequestFactory()
req = rf.get("/certificates/verify/X/")
logging.getLogger("portal.request").disabled = True
chain = RequestIdMiddleware(ContentSecurityPolicyMiddleware(LanguageMiddleware(lambda r: HttpResponse("x"))))
print(f"portal middleware (RequestId+CSP+Language, log off) {best(lambda: chain(req)):.2f} us")
from certificates.public_views import private

print(f"HttpResponse+private {best(lambda: private(HttpResponse('x'))):.2f} us")

# ruff: noqa: E402 (Django is set up before the project is imported)
"""Issue 42: instruction counts of the PDF paths under callgrind (the same whatever the machine's load).
One process per mode; each sets up Django, renders and signs once to warm up, then repeats its step N
times; subtract the 'setup' run's total and divide by N:

    valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.MODE.out python bench/pdf_callgrind.py MODE N

MODE: setup (nothing repeated), bare (WeasyPrint on the certificate's HTML), printing (the portal's
path: context, QR, template, render, PAdES signature), sign (the signature alone on the same PDF).
printing_before / sign_before: the same with certificates/pdf_signing.py replaced by the file named
in PDF_SIGNING_BEFORE (e.g. `git show REV:certificates/pdf_signing.py > /tmp/before.py`).
Run with PYTHONHASHSEED=0 so that the runs differ only by what they repeat.
"""

import importlib.util
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("LOG_LEVEL", "CRITICAL")
os.environ["MEDIA_ROOT"] = tempfile.mkdtemp()
import django

django.setup()
from django.conf import settings

settings.MEDIA_ROOT = os.environ["MEDIA_ROOT"]
import logging

logging.disable(logging.CRITICAL)
mode, n = sys.argv[1], int(sys.argv[2])
if mode.endswith("_before"):
    spec = importlib.util.spec_from_file_location(
        "certificates.pdf_signing", os.environ["PDF_SIGNING_BEFORE"]
    )
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    sys.modules["certificates.pdf_signing"] = old
    import certificates

    certificates.pdf_signing = old
from bench import certificates as bc
from certificates import printing
from certificates.pdf_signing import sign_pdf
from portal import pdf

certs = bc._certificates(1)
data, html = bc._render_path(certs)
printing.render_certificates(certs)
pdf.html_to_pdf(html)
sign_pdf(data)  # warm: fonts, signer, caches
for _ in range(n if mode != "setup" else 0):
    if mode == "bare":
        pdf.html_to_pdf(html)
    elif mode.startswith("printing"):
        printing.render_certificates(certs)
    elif mode.startswith("sign"):
        sign_pdf(data)
print(mode, n, "done")

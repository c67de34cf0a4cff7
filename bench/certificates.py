"""Certificate benchmarks (issue 7). Prints figures and ratios measured in the same run; asserts nothing
about time.

    python bench/certificates.py pdf   [--singles 20] [--batch 200] [--workers 2]
    python bench/certificates.py alloc [--processes 8] [--per-process 250] [--database-url URL]
    python bench/certificates.py all   (both, with the defaults)
    python bench/certificates.py mem   [--batch 2000]
    python bench/certificates.py qr    [--batch 200] [--repeats 20]

mem (issue 42 item 4): the peak resident memory of one process printing a batch of --batch certificates as
one signed document through certificates.printing.render_certificates within printing.pdf_only() (what the
batch worker, printing.store_batch_pdf, does: the PDF alone, no HTML kept), in a
process of its own; beside it, the same process's peak before the render (Django, fonts, the
certificates and their photos: the baseline of the run). Target: under 400 MB.

qr (issue 42 item 2): the CPU time of one certificate's QR code (offline.qr_text of --batch bench
certificates, best of --repeats rounds over all of them, per code): segno's encoder
(``printing.qr_code(text).matrix``, fixed mask) against certificates/qr_matrix.py (the same modules), then
the PDF's PNG data URI (printing.qr_png_data_uri) built from either.

pdf: the time of one certificate PDF and of a batch printed as one document through the portal's path
(certificates.printing.render_certificates: context with QR codes, template, portal.pdf, and whatever
the printing module adds, e.g. issue 8's PAdES signature) against the floor: WeasyPrint rendering the
same HTML alone (portal.pdf.html_to_pdf with the shared font configuration; for the batch also with the
cyclic collector paused and one young collection after, as printing renders a part). The batch is also split
over --workers processes (each prints its share as one document). Sizes per certificate.

alloc: --processes processes (own PostgreSQL connections) issue --per-process certificates each at once
through certificates.allocation.allocate_code in a dedicated database (created and migrated on first
use): distinct codes, contiguous serials per institution/year/level, wall time and certificates/s.
The issue's figure is 8 x 2,000: pass --per-process 2000 (a minute or two on 2 cores).
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
os.environ.setdefault("LOG_LEVEL", "WARNING")

BENCH_DB = "postgres://postgres@127.0.0.1:5432/portal_bench_certificates"
PREFIX = ("S", "0000", "12", "011001")


# --- PDF ---------------------------------------------------------------------------------------------


def _photos(n):
    from PIL import Image, ImageDraw

    from certificates.photos import normalise_photo

    out = []
    for i in range(n):
        image = Image.new("RGB", (600, 840), "white")
        draw = ImageDraw.Draw(image)
        draw.ellipse((190, 120, 410, 400), fill=(60 + i * 7 % 120, 60, 80))
        draw.rectangle((90, 450, 510, 840), fill=(30, 40 + i * 11 % 150, 110))
        buffer = io.BytesIO()
        image.save(buffer, "JPEG")
        out.append(normalise_photo(buffer.getvalue()))
    return out


def bench_certificates(n):
    """Unsaved certificates with stored photos: the PDF path does not need the database."""
    import datetime

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage
    from stdnum.cn import ric

    from certificates.models import Certificate
    from portal.models import Institution, Occupation

    occupation = Occupation(code="4-03-02-01", name="中式烹调师")
    institution = Institution(name="天津市海河装备制造有限公司", credit_code="91120116MA05K1XQ0B")
    photos = [default_storage.save(f"bench/photo-{i}.jpg", ContentFile(p)) for i, p in enumerate(_photos(20))]
    names = ["张伟", "王芳", "李娜", "刘洋", "欧阳晓燕", "钱锺书", "赵敏", "黄鑫"]
    certificates = []
    for i in range(n):
        body = f"120101199001{i % 28 + 1:02d}{i % 1000:03d}"
        certificates.append(
            Certificate(
                code=f"S000012011001263{i + 1:06d}",
                serial=i + 1,
                year=2026,
                level=3,
                holder_name=names[i % len(names)],
                sex="M" if i % 2 else "F",
                id_number=body + ric.calc_check_digit(body + "0"),
                occupation=occupation,
                occupation_name=occupation.name,
                occupation_code=occupation.code,
                work_type="——",
                institution=institution,
                institution_name=institution.name,
                issue_date=datetime.date(2026, 5, 12),
                photo=photos[i % len(photos)],
                source_key=f"bench:{i}",
            )
        )
    return certificates


def _timed(fn, *args):
    """CPU seconds of this process (not wall time): the machine is shared, and other processes' load
    must not count as our cost. The parallel run below reports wall time."""
    start = time.process_time()
    result = fn(*args)
    return time.process_time() - start, result


def _render_path(certificates):
    """Issue 7's path without the printing module's post-processing: context, template, render_pdf."""
    from django.utils import translation

    from certificates import printing
    from portal.pdf import render_pdf

    with translation.override("zh-hans"):
        return render_pdf(printing.TEMPLATE, printing.document_context(list(certificates)))


def bare_paused(html):
    """WeasyPrint on the same HTML with the cyclic collector paused and one collection of the youngest
    generation after, as certificates.printing.render_certificates renders a part (issue 42 item 2)."""
    import gc

    from portal import pdf
    from portal.gcpause import paused_cyclic_gc

    with paused_cyclic_gc():
        data = pdf.html_to_pdf(html)
        gc.collect(0)
    return data


def _render_share(certificates):
    from certificates import printing

    elapsed, (data, _html) = _timed(printing.render_certificates, certificates)
    return elapsed, len(data)


def bench_pdf(singles, batch, workers, repeats=2):
    import django

    media = tempfile.mkdtemp(prefix="bench-certificates-")
    os.environ["MEDIA_ROOT"] = media
    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = media
    from certificates import constants, printing
    from portal import pdf

    certificates = bench_certificates(max(singles, batch))
    printing.render_certificates(certificates[:1])  # warm up: fonts, caches
    rows = {"render": [], "printing": [], "bare": [], "auto_mask": []}
    sizes = []
    for certificate in certificates[:singles]:
        t, (data, html) = _timed(_render_path, [certificate])
        rows["render"].append(t)
        # what the path cost before the QR mask was fixed: segno scores all 8 masks (constants.QR_MASK)
        fixed_mask, constants.QR_MASK = constants.QR_MASK, None
        try:
            rows["auto_mask"].append(_timed(_render_path, [certificate])[0])
        finally:
            constants.QR_MASK = fixed_mask
        t, (signed, _html) = _timed(printing.render_certificates, [certificate])
        rows["printing"].append(t)
        sizes.append((len(data), len(signed)))
        t, _ = _timed(pdf.html_to_pdf, html)
        rows["bare"].append(t)
    # min, not median: the machine is shared, and the least disturbed run is the best estimate of the cost
    render, full, bare, auto_mask = (min(rows[k]) for k in ("render", "printing", "bare", "auto_mask"))
    print(
        f"load average {' / '.join(f'{v:.1f}' for v in os.getloadavg())} (1/5/15 min) on {os.cpu_count()} cores"
    )
    print(f"PDF, one certificate per document (CPU time, best of {singles} runs each):")
    print(f"  bare render      {bare * 1000:7.1f} ms   WeasyPrint on the same HTML, shared fonts (the floor)")
    print(
        f"  render path      {render * 1000:7.1f} ms   context + QR (PNG) + template + portal.pdf.render_pdf"
    )
    print(
        f"                   ratio {render / bare:.2f}, overhead {100 * (render / bare - 1):+.0f}% over the floor"
    )
    print(
        f"  same, QR mask    {auto_mask * 1000:7.1f} ms   segno choosing the best of 8 masks (before the fixed mask): "
        f"{100 * (auto_mask / bare - 1):+.0f}%"
    )
    print(
        f"  printing module  {full * 1000:7.1f} ms   certificates.printing.render_certificates (+ post-processing,"
    )
    print(
        f"                   e.g. issue 8's PAdES signature): ratio {full / bare:.2f}, {100 * (full / bare - 1):+.0f}%"
    )
    print(
        f"  size             {statistics.median(s for s, _ in sizes) / 1024:7.1f} KB per certificate PDF "
        f"({statistics.median(s for _, s in sizes) / 1024:.1f} KB as printed by the printing module)"
    )

    share = certificates[:batch]
    t_render = t_full = t_bare = t_paused = float("inf")
    for _ in range(repeats):  # interleaved, best of each
        t, (data, html) = _timed(_render_path, share)
        t_render = min(t_render, t)
        t_full = min(t_full, _timed(printing.render_certificates, share)[0])
        t_bare = min(t_bare, _timed(pdf.html_to_pdf, html)[0])
        t_paused = min(t_paused, _timed(bare_paused, html)[0])
    print(f"PDF, {batch} certificates as one document (one process, CPU time, best of {repeats}):")
    print(f"  bare render      {t_bare:7.2f} s   = {t_bare / batch * 1000:6.1f} ms per certificate")
    print(
        f"  bare, gc paused  {t_paused:7.2f} s   = {t_paused / batch * 1000:6.1f} ms per certificate   "
        "(the collector paused, one young collection after, as printing renders a part)"
    )
    print(
        f"  render path      {t_render:7.2f} s   = {t_render / batch * 1000:6.1f} ms per certificate, "
        f"ratio {t_render / t_bare:.2f} ({100 * (t_render / t_bare - 1):+.0f}%)"
    )
    print(
        f"  printing module  {t_full:7.2f} s   = {t_full / batch * 1000:6.1f} ms per certificate, "
        f"ratio {t_full / t_bare:.2f} ({100 * (t_full / t_bare - 1):+.0f}%)"
    )
    print(
        f"  size             {len(data) / 1024:7.1f} KB total, {len(data) / batch / 1024:.1f} KB per certificate"
    )
    print(
        f"  vs singles       {render * batch:7.2f} s if printed one by one ({render * batch / t_render:.1f}x the batch time)"
    )

    if workers > 1:
        import multiprocessing

        chunks = [share[i::workers] for i in range(workers)]
        context = multiprocessing.get_context("fork")
        start = time.perf_counter()
        with context.Pool(workers) as pool:
            results = pool.map(_render_share, chunks)
        wall = time.perf_counter() - start
        print(f"PDF, the same {batch} over {workers} worker processes (each its share as one document):")
        print(f"  wall         {wall:7.2f} s   = {wall / batch * 1000:6.1f} ms per certificate")
        print(f"  speed-up     {t_full / wall:7.2f}x  vs one process (cores: {os.cpu_count()})")
        print(f"  sizes        {', '.join(f'{size / 1024:.0f} KB' for _t, size in results)}")
    print(f"load average at the end {' / '.join(f'{v:.1f}' for v in os.getloadavg())} (1/5/15 min)")


# --- Allocation --------------------------------------------------------------------------------------


def _ensure_database(url):
    import psycopg

    name = url.rsplit("/", 1)[1]
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')


def bench_qr(count, repeats):
    import django

    media = tempfile.mkdtemp(prefix="bench-certificates-")
    os.environ["MEDIA_ROOT"] = media
    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = media
    import base64
    import io

    from PIL import Image

    from certificates import constants, offline, printing
    from certificates.qr_matrix import matrix

    certificates = bench_certificates(count)
    texts = [offline.qr_text(c) for c in certificates]
    error, mask = constants.QR_ERROR_LEVEL, constants.QR_MASK
    if any(tuple(matrix(t, error, mask)) != tuple(printing.qr_code(t).matrix) for t in texts):
        raise SystemExit("qr_matrix differs from segno's modules")

    def segno_png(text):  # qr_png_data_uri as it was: segno's matrix
        rows = printing.qr_code(text).matrix
        image = Image.frombytes("L", (len(rows), len(rows)), b"".join(rows).translate(printing._DARK_BLACK))
        buffer = io.BytesIO()
        image.save(buffer, "PNG")
        return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")

    variants = {
        "segno matrix (printing.qr_code(text).matrix)": lambda t: printing.qr_code(t).matrix,
        "qr_matrix.matrix (the same modules)": lambda t: matrix(t, error, mask),
        "PNG data URI from segno's matrix (before)": segno_png,
        "PNG data URI, printing.qr_png_data_uri (after)": printing.qr_png_data_uri,
    }
    versions = sorted({printing.qr_code(t).version for t in texts})
    print(
        f"QR codes of {len(texts)} bench certificates (versions {versions}), CPU ms per code, best of {repeats}:"
    )
    for label, fn in variants.items():
        best = min(_timed(lambda f=fn: [f(t) for t in texts])[0] for _ in range(repeats))
        print(f"  {label}: {best / len(texts) * 1000:.3f} ms")


def bench_alloc(processes, per_process, database_url):
    _ensure_database(database_url)
    os.environ["DATABASE_URL"] = database_url
    os.environ["CONN_MAX_AGE"] = "0"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from certificates.models import Certificate, CertificateSerialCounter, IssuanceItem
    from portal.models import Institution, Occupation

    IssuanceItem.objects.update(certificate=None)
    Certificate.objects.filter(source_key__startswith="bench-alloc:").delete()
    CertificateSerialCounter.objects.filter(institution_seq=PREFIX[3], year=2026, level=3).delete()
    occupation, _ = Occupation.objects.get_or_create(code="4-03-02-01", defaults={"name": "中式烹调师"})
    institution, _ = Institution.objects.get_or_create(
        credit_code="91120116MA05K1XQ0B",
        defaults={
            "name": "基准测试单位",
            "contact_name": "张",
            "contact_phone": "1",
            "contact_email": "b@example.org",
        },
    )
    from django.db import connection

    connection.close()
    start_at = time.time() + 4  # every process starts at the same instant, after Django has loaded
    children = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "alloc-child",
                str(per_process),
                str(occupation.pk),
                str(institution.pk),
                f"p{n}",
                str(start_at),
            ],
            env={**os.environ},
            stdout=subprocess.PIPE,
        )
        for n in range(processes)
    ]
    results = [json.loads(child.communicate()[0].decode().strip().splitlines()[-1]) for child in children]
    assert all(child.returncode == 0 for child in children)
    wall = max(r["end"] for r in results) - start_at
    codes = [code for r in results for code in r["codes"]]
    serials = sorted(int(code[-6:]) for code in codes)
    total = processes * per_process
    distinct = len(set(codes)) == len(codes) == total
    contiguous = serials == list(range(1, total + 1))
    counter = CertificateSerialCounter.objects.get(institution_seq=PREFIX[3], year=2026, level=3).last_serial
    per_cert = [r["per_cert_ms"] for r in results]
    print(
        f"Allocation: {processes} processes x {per_process} certificates at once (PostgreSQL, own connections):"
    )
    print(
        f"  certificates {total}   distinct codes: {distinct}   serials 1..{total} contiguous: {contiguous}   counter: {counter}"
    )
    print(f"  wall         {wall:7.2f} s   = {total / wall:7.0f} certificates/s")
    print(
        f"  per process  median {statistics.median(per_cert):.2f} ms per certificate (allocate + insert, one transaction each)"
    )
    # the floor: one process alone, no contention
    child = subprocess.run(
        [
            sys.executable,
            __file__,
            "alloc-child",
            str(per_process),
            str(occupation.pk),
            str(institution.pk),
            "solo",
            "0",
        ],
        env={**os.environ},
        stdout=subprocess.PIPE,
        check=True,
    )
    solo = json.loads(child.stdout.decode().strip().splitlines()[-1])
    print(
        f"  one process alone: {solo['per_cert_ms']:.2f} ms per certificate = {1000 / solo['per_cert_ms']:.0f} certificates/s"
    )
    print(
        f"  ratio        {total / wall / (1000 / solo['per_cert_ms']):.2f}x the single-process rate with {processes} processes"
    )
    Certificate.objects.filter(source_key__startswith="bench-alloc:").delete()
    return distinct and contiguous


def alloc_child(per_process, occupation_id, institution_id, tag, start_at):
    import django

    django.setup()
    from django.db import connection, transaction

    from certificates.allocation import allocate_code
    from certificates.models import Certificate

    connection.ensure_connection()
    while time.time() < start_at:
        time.sleep(0.002)
    codes = []
    begin = time.perf_counter()
    for i in range(per_process):
        with transaction.atomic():
            code = allocate_code(PREFIX, 2026, 3)
            Certificate.objects.create(
                code=str(code),
                serial=code.serial,
                year=2026,
                level=3,
                holder_name="基准",
                sex="M",
                id_number="120101199001010009",
                occupation_id=occupation_id,
                occupation_name="中式烹调师",
                occupation_code="4-03-02-01",
                institution_id=institution_id,
                institution_name="基准测试单位",
                issue_date="2026-05-12",
                photo="bench/none.jpg",
                source_key=f"bench-alloc:{tag}:{i}",
            )
        codes.append(str(code))
    elapsed = time.perf_counter() - begin
    print(json.dumps({"codes": codes, "end": time.time(), "per_cert_ms": elapsed / per_process * 1000}))


MEMORY_TARGET_MB = 400  # issue 42 item 4: a batch of 2,000 certificates by one worker under 400 MB


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM) in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def mem_child(batch):
    import django

    media = tempfile.mkdtemp(prefix="bench-certificates-")
    os.environ["MEDIA_ROOT"] = media
    django.setup()
    from django.conf import settings

    settings.MEDIA_ROOT = media
    from certificates import printing

    certificates = bench_certificates(batch)
    printing.render_certificates(certificates[:1])  # fonts and caches, as a worker that printed before
    before = peak_rss_mb()
    started = time.process_time()
    with printing.pdf_only():  # as store_batch_pdf: the PDF alone, no HTML kept
        data, _html = printing.render_certificates(certificates)
    cpu = time.process_time() - started
    print(json.dumps({"before": before, "peak": peak_rss_mb(), "bytes": len(data), "cpu": cpu}))


def bench_mem(batch):
    out = subprocess.run(
        [sys.executable, __file__, "mem-child", str(batch)], capture_output=True, text=True, check=True
    )
    figures = json.loads(out.stdout.strip().splitlines()[-1])
    peak, before = figures["peak"], figures["before"]
    verdict = "met" if peak < MEMORY_TARGET_MB else "NOT met"
    print(
        f"memory: a batch of {batch:,} certificates as one signed PDF ({figures['bytes'] / 1e6:.1f} MB, "
        f"{figures['cpu']:.1f} s CPU) in one process: peak resident {peak:.0f} MB (target < {MEMORY_TARGET_MB} "
        f"MB: {verdict}); the same process before the render {before:.0f} MB, so the render adds "
        f"{peak - before:.0f} MB ({(peak - before) / batch * 1024:.0f} KB per certificate)"
    )


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "mem-child":
        mem_child(int(sys.argv[2]))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "alloc-child":
        per_process, occupation_id, institution_id, tag, start_at = sys.argv[2:7]
        alloc_child(int(per_process), int(occupation_id), int(institution_id), tag, float(start_at))
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("what", choices=["pdf", "alloc", "mem", "qr", "all"], nargs="?", default="all")
    parser.add_argument("--singles", type=int, default=20, help="single-certificate PDFs to time")
    parser.add_argument(
        "--batch", type=int, default=200, help="certificates in the one-document batch (issue: 1000)"
    )
    parser.add_argument(
        "--workers", type=int, default=os.cpu_count() or 1, help="processes for the split batch"
    )
    parser.add_argument(
        "--repeats",
        type=int,
        help="batch renders per variant, the best kept (default 2; qr: rounds, default 20)",
    )
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--per-process", type=int, default=250, help="certificates per process (issue: 2000)")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", BENCH_DB))
    args = parser.parse_args()
    ok = True
    if args.what in ("alloc", "all"):
        # alloc first: it sets DATABASE_URL before Django loads
        ok = bench_alloc(args.processes, args.per_process, args.database_url)
    if args.what in ("pdf", "all"):
        bench_pdf(args.singles, args.batch, args.workers, args.repeats or 2)
    if args.what == "mem":
        bench_mem(args.batch)
    if args.what == "qr":
        bench_qr(args.batch, args.repeats or 20)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

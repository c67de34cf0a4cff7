"""Per-ticket cost of the 准考证 batch's rendering (issue 44), without a database: N synthetic tickets
(no photo, as bench/certification.py section 4) through the real template and portal.pdf.html_to_pdf. Run:

    .venv/bin/python bench/ticket_pages.py 2000 time   # CPU (and wall) ms per ticket, beside 100 in the same run
    .venv/bin/python bench/ticket_pages.py 50 calls    # Python calls per ticket (cProfile), load-independent
    .venv/bin/python bench/ticket_pages.py 100 prof    # cProfile, by cumulative time
    .venv/bin/python bench/ticket_pages.py 2000 mem    # resident memory and CPU of the batch (streamed, no HTML)
    .venv/bin/python bench/ticket_pages.py 2000 mem-list   # the same, every part held and then joined (as before)

Knobs to measure a part's share (figures only, the portal prints neither): ``QR=none`` (an empty SVG),
``QR=png`` (the code as a 25 x 25 PNG), ``NOTAGS=1`` (an untagged PDF), ``GC=on`` (the cyclic garbage
collector left running, as before tickets.paused_cyclic_gc), ``REPEAT=1`` (one run of each size, not the best
of 2), ``BASE=100`` (the small batch printed beside N in ``time``; 0 for none), ``PART=0`` (the batch in one
WeasyPrint call, as before tickets.TICKET_PART_PAGES; ``PART=250`` another part size), ``PART_GC=off`` (no
collection after each part), ``HTML=1`` (``mem``: the HTML kept, as tickets.render outside portal.pdf.pdf_only).

The tickets go through tickets.render_pages, parts and join included. ``time`` prints the process's peak
resident memory during each size's runs (VmHWM of /proc/self/status, reset before them through
/proc/self/clear_refs; the fonts and Django loaded before count in it).
"""

import contextlib
import cProfile
import datetime
import gc
import os
import pstats
import sys
import time
from pathlib import Path
from types import SimpleNamespace as NS

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

from django.utils import translation  # noqa: E402

from certification import tickets  # noqa: E402

N = int(sys.argv[1]) if len(sys.argv) > 1 else 200
MODE = sys.argv[2] if len(sys.argv) > 2 else "time"
TZ = datetime.timezone(datetime.timedelta(hours=8))

if os.environ.get("NOTAGS"):
    import weasyprint

    _write_pdf = weasyprint.HTML.write_pdf

    def _untagged(self, *args, **kwargs):
        kwargs["pdf_tags"] = False
        return _write_pdf(self, *args, **kwargs)

    weasyprint.HTML.write_pdf = _untagged


def qr(text):
    if os.environ.get("QR") == "none":
        return "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 1 1'/%3E"
    if os.environ.get("QR") == "png":
        import base64
        import io

        import segno

        out = io.BytesIO()
        segno.make(text, error="m", mask=tickets.QR_MASK).save(out, kind="png", border=0, scale=1)
        return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()
    return tickets.qr_data_uri(text)


def pages(n):
    return [
        {
            "seat": NS(number=i % 100 + 1),
            "candidate": NS(name=f"考生{i}"),
            "session": NS(place="考点", room=str(101 + i // 100)),
            "institution": "某某职业技能等级认定机构",
            "occupation": "电工（维修电工）",
            "level": "四级/中级工",
            "kind": "理论知识考试",
            "masked_number": "1101********1234",
            "document_label": "",
            "photo_url": "",
            "starts_at": datetime.datetime(2026, 6, 10, 9, tzinfo=TZ),
            "ends_at": datetime.datetime(2026, 6, 10, 11, tzinfo=TZ),
            "qr": qr(f"ZKZ-{1000 + i}-K7Q2M4XW9PA3TZ5B"),
        }
        for i in range(n)
    ]


if os.environ.get("GC") == "on":
    tickets.paused_cyclic_gc = contextlib.nullcontext
if os.environ.get("PART") is not None:
    tickets.TICKET_PART_PAGES = int(os.environ["PART"]) or 10**9
if os.environ.get("PART_GC") == "off":
    tickets.gc = NS(collect=lambda *args: 0, isenabled=gc.isenabled, disable=gc.disable, enable=gc.enable)


def run(n):
    with (
        translation.override("zh-hans"),
        tickets.paused_cyclic_gc(),
    ):  # as tickets.render, contexts included
        return tickets.render_pages(pages(n))[0]


def reset_peak_rss():
    """Linux: the peak resident memory (VmHWM) set back to the current resident size (clear_refs 5)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass


def peak_rss_mb():
    """The process's peak resident memory since the last reset_peak_rss (VmHWM), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


COLLECTOR = {"collections": 0, "cpu": 0.0, "start": 0.0}


def _collector_clock(phase, info):
    """gc.callbacks: how many collections ran and the CPU time they took (GC=on)."""
    if phase == "start":
        COLLECTOR["start"] = time.process_time()
    else:
        COLLECTOR["collections"] += 1
        COLLECTOR["cpu"] += time.process_time() - COLLECTOR["start"]


def timed(n):
    """Best of REPEAT runs by wall-clock: (wall s, CPU s of this process, PDF bytes, collections, their CPU s)."""
    best = None
    for _ in range(int(os.environ.get("REPEAT", 2))):
        COLLECTOR.update(collections=0, cpu=0.0)
        start, cpu_start = time.perf_counter(), time.process_time()
        data = run(n)
        wall, used = time.perf_counter() - start, time.process_time() - cpu_start
        if best is None or wall < best[0]:
            best = (wall, used, data, COLLECTOR["collections"], COLLECTOR["cpu"])
    return best


def calls(n):
    profile = cProfile.Profile()
    profile.enable()
    run(n)
    profile.disable()
    return pstats.Stats(profile).total_calls


def rss():
    status = Path("/proc/self/status").read_text()
    now = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    return f"resident {now / 1024:,.0f} MB, peak {peak_rss_mb():,.0f} MB"


def memory_of_the_batch(n):
    """tickets.render_pages as the batch runs it (tickets.plan_pdf: within portal.pdf.pdf_only, the parts
    streamed into the join), with the resident memory (now, peak) every 5 parts and at the end, and the CPU.
    ``HTML=1``: the HTML kept (tickets.render outside pdf_only, as the tests call it)."""
    from portal import pdf
    from portal.pdf import pdf_only

    contexts, size = pages(n), tickets.TICKET_PART_PAGES
    keep_html = bool(os.environ.get("HTML"))
    original, count = pdf.render_pdf, [0]

    def render_pdf(template, context):
        if count[0] and count[0] % 5 == 0:
            print(f"  before part {count[0] + 1}: {rss()}", flush=True)
        count[0] += 1
        return original(template, context)

    pdf.render_pdf = render_pdf  # what portal.pdf.render_joined calls for each part
    reset_peak_rss()
    print(
        f"{n} tickets, parts of {size}, HTML {'kept' if keep_html else 'not kept'}; before: {rss()}",
        flush=True,
    )
    cpu = time.process_time()
    with contextlib.nullcontext() if keep_html else pdf_only():
        data, html = run_pages(contexts)
    used = time.process_time() - cpu
    print(
        f"batch: {used / n * 1000:.1f} ms CPU per ticket, {len(data) // 1024} KB, HTML {len(html):,} characters; "
        f"{rss()}",
        flush=True,
    )


def run_pages(contexts):
    with translation.override("zh-hans"), tickets.paused_cyclic_gc():  # as tickets.render
        return tickets.render_pages(contexts)


def memory_of_parts_and_join(n):
    """Every part rendered and held, then all joined (tickets.render_pages before the join streamed), with
    the resident memory (now, peak) and CPU after each step; no HTML kept."""
    from portal.pdf import render_pdf
    from portal.pdf_join import join_tagged

    contexts, size = pages(n), tickets.TICKET_PART_PAGES
    reset_peak_rss()
    print(f"{n} tickets, parts of {size}; before: {rss()}", flush=True)
    cpu = time.process_time()
    with translation.override("zh-hans"), tickets.paused_cyclic_gc():
        parts = []
        for start in range(0, n, size):
            parts.append(render_pdf(tickets.TEMPLATE, {"pages": contexts[start : start + size]})[0])
            tickets.gc.collect()
        used = time.process_time() - cpu
        print(
            f"parts rendered: {used / n * 1000:.1f} ms CPU per ticket, {sum(map(len, parts)) // 1024} KB; {rss()}"
        )
        cpu = time.process_time()
        data = join_tagged(parts)
        used = time.process_time() - cpu
        print(f"joined: {used / n * 1000:.1f} ms CPU per ticket, {len(data) // 1024} KB; {rss()}", flush=True)


def main():
    run(1)  # fonts loaded once per process
    if MODE == "time":
        base = int(os.environ.get("BASE", 100))
        gc.callbacks.append(_collector_clock)
        part = tickets.TICKET_PART_PAGES
        print(f"parts of {part if part < 10**9 else 'all the'} tickets", flush=True)
        for n in [base, N] if base and base != N else [N]:
            reset_peak_rss()
            wall, cpu, data, collections, in_gc = timed(n)
            print(
                f"{n} tickets: {wall:.2f} s = {wall / n * 1000:.1f} ms per ticket wall, "
                f"{cpu / n * 1000:.1f} ms CPU per ticket ({collections} garbage collections, "
                f"{in_gc / n * 1000:.1f} ms CPU per ticket), {len(data) // 1024} KB, "
                f"peak resident memory {peak_rss_mb():,.0f} MB",
                flush=True,
            )
    elif MODE == "mem":
        memory_of_the_batch(N)
    elif MODE == "mem-list":
        memory_of_parts_and_join(N)
    elif MODE == "calls":
        base, more = calls(20), calls(20 + N)  # the marginal cost: fixed costs (fonts, subsetting) cancel out
        print(f"Python calls per ticket (cProfile, marginal over {N} tickets): {(more - base) / N:,.0f}")
    else:
        profile = cProfile.Profile()
        profile.enable()
        run(N)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()

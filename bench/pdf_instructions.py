"""Issue 42 item 2: the instructions one certificate of a batch PDF costs this Python process, counted by
valgrind's callgrind: the same whatever else the machine runs. CPU times of bench/certificates.py moved
by a third and more between runs of the same code on the shared 2-core machine (stop 36: a batch of 200
at 68.5 and 69.6 ms a certificate for two trees the alternating in-process comparison told apart by 8-18 %).

    python bench/pdf_instructions.py [--pages 20] [printing bare]

For each target, two processes under callgrind set up Django and the bench certificates of
bench/certificates.py (photos stored in a temporary MEDIA_ROOT), render one certificate as warm-up, then
0 and --pages certificates as one document; the difference over --pages is the cost of one certificate:
- printing: certificates.printing.render_certificates within printing.pdf_only() (context, QR code,
  template, WeasyPrint with the collector paused, the signature: what the batch worker does);
- bare: WeasyPrint alone on the same HTML (portal.pdf.html_to_pdf, collector paused, one young collection
  after), the HTML written before the counted run by a process outside callgrind.
Prints the instructions a certificate and the ratio of printing to bare. Needs valgrind (Debian package)."""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import callgrind  # noqa: E402 (needs the repository root on sys.path)


def setup(media: str) -> None:
    os.environ["MEDIA_ROOT"] = media
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


def certificates(count: int):
    from bench.certificates import bench_certificates

    return bench_certificates(count)


def write_html(pages: int, path: Path, media: str) -> None:
    """The HTML of the printing path for ``pages`` bench certificates (outside callgrind)."""
    setup(media)
    from django.template.loader import render_to_string
    from django.utils import translation

    from certificates import printing

    with translation.override("zh-hans"):
        html = render_to_string(printing.TEMPLATE, printing.document_context(certificates(pages)))
    path.write_text(html)


def child(target: str, pages: int, html_path: str, media: str, built: int) -> None:
    setup(media)
    from certificates import printing

    if target == "printing":
        batch = certificates(built)  # as many in both counted runs: only the rendering differs
        with printing.pdf_only():
            printing.render_certificates(batch[:1])  # warm-up: fonts, templates, the signing key
            if pages:
                printing.render_certificates(batch[1 : pages + 1])
        return
    from bench.certificates import bare_paused

    warm_up = Path(html_path + ".1").read_text()
    bare_paused(warm_up)
    if pages:
        bare_paused(Path(html_path).read_text())


def counted(target: str, pages: int, work: Path, built: int) -> int:
    command = [sys.executable, __file__, "child", target, str(pages), str(work / "pages.html")]
    command += [str(work / "media"), str(built)]
    return callgrind.program_total(callgrind.costs(command, work / f"{target}.{pages}.out"))


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child(sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5], int(sys.argv[6]))
        return 0
    if len(sys.argv) > 1 and sys.argv[1] == "html":
        write_html(int(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
        return 0
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("targets", nargs="*", default=["printing", "bare"])
    parser.add_argument("--pages", type=int, default=20)
    args = parser.parse_args()
    per_page = {}
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        media = str(work / "media")
        for pages, name in ((args.pages, "pages.html"), (1, "pages.html.1")):
            command = [sys.executable, __file__, "html", str(pages), str(work / name), media]
            subprocess.run(command, check=True, capture_output=True, timeout=600)
        for target in args.targets:
            base = counted(target, 0, work, args.pages + 1)
            total = counted(target, args.pages, work, args.pages + 1)
            per_page[target] = (total - base) / args.pages
    callgrind.print_table("certificate", per_page, "bare")
    print(f"({args.pages} certificates as one document after one of warm-up, this process only)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Issue 44 / issue 42 item 4, the 准考证 batch's memory (certification/README.md "准考证 speed"): the batch is
rendered tickets.TICKET_PART_PAGES tickets at a time and the parts joined by portal.pdf_join.join_tagged. Here
the parts are made small so that 6 seats make several: still one document in seat order, one structure tree
over every page, the QR codes read back by zbarimg from the joined file, and the collector paused around the
whole batch (an explicit collection after each part, no automatic one). The join streams: a part is rendered
only when the one before is joined and is not kept after, and the batch that sends the PDF alone
(tickets.plan_pdf, the public download) keeps no HTML (portal.pdf.pdf_only)."""

import gc
import io
import subprocess
import sys

import pytest
from django.core.cache import cache
from pypdf import PdfReader

from certification import tickets
from portal import pdf
from tests.certification.test_tickets import (  # noqa: F401
    NAMES,
    TOOLS,
    ask,
    pdf_pages,
    plan,
    seat_numbers,
    seated,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def renders(monkeypatch):
    """pdf.render_pdf counted, with whether the collector was on at each call."""
    calls = []
    original = pdf.render_pdf

    def counted(template, context):
        calls.append((len(context["pages"]), gc.isenabled()))
        return original(template, context)

    monkeypatch.setattr(pdf, "render_pdf", counted)
    return calls


def test_a_batch_in_parts_is_one_document_in_seat_order(seated, renders, monkeypatch):  # noqa: F811
    monkeypatch.setattr(tickets, "TICKET_PART_PAGES", 4)
    seats = tickets.plan_seats(seated)
    data, html = tickets.render(seats)
    assert [size for size, _on in renders] == [4, 2]
    texts = pdf_pages(data)
    assert len(texts) == len(seats) == 6
    for text, seat, name in zip(texts, seats, NAMES, strict=True):
        assert seat.candidate.name == name and name in text and seat_numbers(text) == [seat.number]
    assert html.count("职业技能等级认定准考证") >= 6


def test_the_joined_batch_keeps_one_structure_tree(seated, monkeypatch):  # noqa: F811
    monkeypatch.setattr(tickets, "TICKET_PART_PAGES", 2)
    one_part = tickets.render(tickets.plan_seats(seated)[:2])[0]
    joined = tickets.render(tickets.plan_seats(seated))[0]
    top = [
        len(PdfReader(io.BytesIO(data)).trailer["/Root"]["/StructTreeRoot"]["/K"])
        for data in (one_part, joined)
    ]
    assert top[1] == 3 * top[0]  # the top elements of the three parts, under the one root
    reader = PdfReader(io.BytesIO(joined))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) and catalog["/Lang"] == "zh-CN"
    root = catalog["/StructTreeRoot"].get_object()
    for element in root["/K"]:
        assert element.get_object().raw_get("/P").idnum == catalog.raw_get("/StructTreeRoot").idnum
    keys = [int(page["/StructParents"]) for page in reader.pages]
    assert len(set(keys)) == 6 and int(root["/ParentTreeNextKey"]) > max(keys)


def test_the_collector_stays_paused_around_the_whole_batch(seated, renders, monkeypatch):  # noqa: F811
    monkeypatch.setattr(tickets, "TICKET_PART_PAGES", 2)
    paused_collections = []

    def clock(phase, info):
        if phase == "start" and not gc.isenabled():
            paused_collections.append(info["generation"])

    seats = tickets.plan_seats(seated)
    was = gc.isenabled()
    gc.enable()
    try:
        gc.callbacks.append(clock)
        tickets.render(seats)
        gc.callbacks.remove(clock)
        assert [size for size, _on in renders] == [2, 2, 2]
        assert not any(on for _size, on in renders)  # off for every part, between parts too
        assert paused_collections == [2, 2, 2]  # while paused, only the full collection after each part
        assert gc.isenabled()  # and back on after the batch
    finally:
        if not was:
            gc.disable()


@pytest.mark.skipif(not all(TOOLS), reason="zbarimg (zbar-tools) or pdftoppm (poppler-utils) missing")
def test_zbarimg_reads_every_token_from_the_joined_pdf(seated, tmp_path, monkeypatch):  # noqa: F811
    monkeypatch.setattr(tickets, "TICKET_PART_PAGES", 2)
    seats = tickets.plan_seats(seated)[:3]
    pdf, _html = tickets.render(seats)
    (tmp_path / "t.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "200", "-gray", "-png", str(tmp_path / "t.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    images = sorted(tmp_path.glob("page*.png"))
    assert len(images) == 3
    read = []
    for image in images:
        out = subprocess.run(
            ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
            capture_output=True,
            timeout=60,
        )
        read.append(out.stdout.decode().split())
    assert read == [[tickets.token(seat)] for seat in seats]


@pytest.fixture
def held(monkeypatch):
    """pdf.render_pdf watched: before each part renders, the references still held (beyond this
    fixture's own) to each part made before, as the batch stands at that moment."""
    made, seen = [], []
    original = pdf.render_pdf

    def watched(template, context):
        # getrefcount's argument, the loop's name and the list `made`: 3 references are ours
        seen.append([sys.getrefcount(part) - 3 for part in made])
        rendered = original(template, context)
        made.append(rendered[0])
        return rendered

    monkeypatch.setattr(pdf, "render_pdf", watched)
    return seen


@pytest.mark.parametrize("kept", [True, False], ids=["html kept", "pdf only"])
def test_a_part_is_released_before_the_next_one_renders(seated, held, monkeypatch, kept):  # noqa: F811
    """The batch streams into the join: while a part renders, no part before it is held, but the first
    (the join holds it until the second is there). A batch that listed its parts before joining them held
    every one (1 reference each, to the last)."""
    monkeypatch.setattr(tickets, "TICKET_PART_PAGES", 1)
    seats = tickets.plan_seats(seated)
    if kept:
        data, html = tickets.render(seats)
        assert all(name in html for name in NAMES)
    else:
        with pdf.pdf_only():
            data, html = tickets.render(seats)
        assert html == ""
    assert held == [[], [1], [0, 0], [0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0, 0]]
    assert [seat_numbers(text) for text in pdf_pages(data)] == [[seat.number] for seat in seats]


def test_the_plan_batch_and_the_public_download_keep_no_html(client, seated, monkeypatch):  # noqa: F811
    """tickets.plan_pdf (打印准考证) and the candidate's own download send the PDF alone: every part renders
    within portal.pdf.pdf_only(); elsewhere (tickets.render) the HTML is still returned."""
    monkeypatch.setattr(tickets, "TICKET_PART_PAGES", 4)
    kept = []
    original = pdf.render_pdf
    monkeypatch.setattr(
        pdf,
        "render_pdf",
        lambda template, context: kept.append(pdf.html_kept.get()) or original(template, context),
    )
    data, html = tickets.plan_pdf(seated)
    assert html == "" and len(pdf_pages(data)) == 6
    assert kept == [False, False]
    assert pdf.html_kept.get() is True  # switched back on leaving the batch
    seat = tickets.plan_seats(seated)[0]
    candidate = seat.candidate
    kept.clear()
    cache.clear()  # the public download's rate limit counts in the cache
    response = ask(client, candidate.id_number, candidate.name)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert kept == [False]

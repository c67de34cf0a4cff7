"""Issue 44, the 准考证 batch's speed (certification/README.md "准考证 speed"): what the speed-ups must not
change. The memoised page references of portal/pdf.py still point every structure element of the tagged batch
at its own page, and the garbage collector's pause of tickets.render is exact across threads: only the last
render out turns the collector back on."""

import gc
import io
import threading

import pydyf
import pytest
from pypdf import PdfReader

from certification import tickets
from portal import pdf
from tests.certification.test_tickets import plan, seated  # noqa: F401 (fixtures)


@pytest.mark.django_db
@pytest.mark.parametrize("part_pages", [100, 4], ids=["one part", "parts of 4 and 2, joined"])
def test_the_batch_is_tagged_and_each_page_s_structure_points_at_that_page(seated, part_pages, monkeypatch):  # noqa: F811
    monkeypatch.setattr(tickets, "TICKET_PART_PAGES", part_pages)
    data, _html = tickets.render(tickets.plan_seats(seated))
    reader = PdfReader(io.BytesIO(data))
    catalog = reader.trailer["/Root"]
    assert bool(catalog["/MarkInfo"]["/Marked"]) and catalog["/Lang"] == "zh-CN"
    nums = catalog["/StructTreeRoot"]["/ParentTree"].get_object()["/Nums"]
    pages = [page.indirect_reference.idnum for page in reader.pages]
    assert len(pages) == 6
    per_page = dict(zip(nums[0::2], nums[1::2], strict=True))
    # each page's /StructParents names its entry of the one parent tree (renumbered by the join)
    keys = [int(page["/StructParents"]) for page in reader.pages]
    assert len(set(keys)) == len(pages) and all(key in per_page for key in keys)
    for number, (page, key) in enumerate(zip(pages, keys, strict=True)):
        elements = [ref.get_object() for ref in per_page[key]]
        assert elements and {element.raw_get("/Pg").idnum for element in elements} == {page}, number


def test_the_page_references_follow_added_pages():
    pdf._memoised_page_references()
    document = pydyf.PDF()
    first = pydyf.Dictionary({"Type": "/Page"})
    document.add_page(first)
    assert document.page_references == (f"{first.number} 0 R".encode(),)
    assert document.page_references is document.page_references  # built once, not on every read
    second = pydyf.Dictionary({"Type": "/Page"})
    document.add_page(second)
    assert document.page_references == (f"{first.number} 0 R".encode(), f"{second.number} 0 R".encode())


@pytest.fixture
def collector_on():
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


def test_the_collector_stays_off_until_the_last_of_two_threaded_renders_ends(collector_on):
    first_in, second_in, first_out, second_may_leave = (threading.Event() for _ in range(4))
    seen = {}

    def first():
        with tickets.paused_cyclic_gc():
            first_in.set()
            second_in.wait(10)
        first_out.set()

    def second():
        first_in.wait(10)
        with tickets.paused_cyclic_gc():
            second_in.set()
            first_out.wait(10)
            seen["after the first left"] = gc.isenabled()
            second_may_leave.wait(10)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    first_out.wait(10)
    while "after the first left" not in seen and threads[1].is_alive():
        threads[1].join(0.01)
    seen["main, while the second renders"] = gc.isenabled()
    second_may_leave.set()
    for thread in threads:
        thread.join(10)
    assert seen == {"after the first left": False, "main, while the second renders": False}
    assert gc.isenabled()  # the last out turned it back on


def test_a_collector_already_off_stays_off():
    was = gc.isenabled()
    gc.disable()
    try:
        with tickets.paused_cyclic_gc():
            assert not gc.isenabled()
        assert not gc.isenabled()
    finally:
        if was:
            gc.enable()

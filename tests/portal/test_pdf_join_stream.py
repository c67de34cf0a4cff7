"""portal/pdf_join.py writes the joined file itself, one part at a time (issue 42 item 4): every object of a
part renumbered and written as qpdf parses it, the part then closed. These check the file it writes: valid
for qpdf and pypdf, every /StructParents and /StructParent resolving in the one parent tree, inherited page
attributes kept, text that looks like a reference left alone, and no part kept once it is joined."""

import io
import logging
import re
import shutil
import subprocess
import sys
import warnings

import pikepdf
import pytest
from pypdf import PdfReader

from portal import pdf
from portal.pdf_join import join_tagged

# a title with what the renumbering must leave alone: parentheses, a backslash and "1 0 R" as text
TITLE = r"证书 (1 0 R) \ 批次"


def part(*bodies: str) -> bytes:
    """A tagged PDF of one page per body, with a link on each page (an annotation in the structure tree)."""
    pages = "".join(
        f'<div style="break-after: page"><h1>{body}</h1><p><a href="https://portal.local/{index}">链接{index}</a></p></div>'
        for index, body in enumerate(bodies)
    )
    return pdf.html_to_pdf(
        f'<html lang="zh-CN"><head><title>{TITLE}</title></head><body>{pages}</body></html>'
    )


@pytest.fixture(scope="module")
def parts():
    return [part("甲", "乙"), part("丙"), part("丁", "戊")]


@pytest.fixture(scope="module")
def joined(parts):
    return join_tagged(iter(parts))


def parent_tree(document) -> dict:
    root = document.Root.StructTreeRoot
    nums = root.ParentTree.Nums
    return {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}


def test_the_joined_file_is_clean_for_qpdf_and_pypdf(joined, caplog):
    if shutil.which("qpdf"):
        check = subprocess.run(["qpdf", "--check", "-"], input=joined, capture_output=True, timeout=60)
        assert check.returncode == 0, check.stdout + check.stderr
    with pikepdf.open(io.BytesIO(joined)) as document:
        assert document.check_pdf_syntax() == []
        assert document.get_warnings() == []
        assert len(document.pages) == 5
        # object streams with a cross-reference stream (PDF 1.5), as qpdf's own save wrote them
        assert document.trailer.get("/Type") == "/XRef"
        assert document.pdf_version >= "1.5"
    with caplog.at_level(logging.WARNING, logger="pypdf"), warnings.catch_warnings():
        warnings.simplefilter("error")
        reader = PdfReader(io.BytesIO(joined), strict=True)
        texts = [page.extract_text() for page in reader.pages]
    assert caplog.records == []
    assert [text.split()[0] for text in texts] == ["甲", "乙", "丙", "丁", "戊"]


def test_every_page_and_link_resolves_in_the_one_parent_tree(joined):
    with pikepdf.open(io.BytesIO(joined)) as document:
        tree = parent_tree(document)
        root = document.Root.StructTreeRoot
        assert int(root.ParentTreeNextKey) == max(tree) + 1
        links = 0
        for page in document.pages:
            elements = tree[int(page.obj.StructParents)]
            assert len(elements) > 0
            # the elements with marked content on this page name this page
            assert all(element.Pg.objgen == page.obj.objgen for element in elements)
            for annot in page.obj.get("/Annots", []):
                element = tree[int(annot.StructParent)]
                assert element.S == "/Link"
                references = [
                    kid for kid in element.K if isinstance(kid, pikepdf.Dictionary) and "/Obj" in kid
                ]
                assert [kid.Obj.objgen for kid in references] == [annot.objgen]
                assert references[0].Pg.objgen == page.obj.objgen
                links += 1
        assert links == 5
        # the parts' top elements hang from the joined root, and nothing else does
        assert len(root.K) == 3
        assert all(element.P.objgen == root.objgen for element in root.K)
        # no key is shared by two parts: one key per page and per link
        assert len(tree) == 10


def test_text_that_reads_like_a_reference_is_left_as_it_is(joined):
    with pikepdf.open(io.BytesIO(joined)) as document:
        assert str(document.docinfo.Title) == TITLE
        assert "/Producer" not in document.docinfo
        assert document.Root.Lang == "zh-CN"
        assert document.Root.MarkInfo.Marked is True
        assert document.Root.ViewerPreferences.DisplayDocTitle is True


def test_the_joined_file_is_about_the_size_of_its_parts(parts, joined):
    # each part keeps its own fonts; its small objects go into object streams, not one by one
    assert len(joined) < 1.05 * sum(len(data) for data in parts)
    with pikepdf.open(io.BytesIO(joined)) as document:
        size = int(document.trailer.Size)
    written_alone = len(re.findall(rb"\n\d+ 0 obj\n", joined))  # streams, object streams, the xref stream
    assert written_alone < size / 3


def test_pages_that_inherit_their_attributes_keep_them():
    """A page may take /MediaBox and /Resources from its /Pages node; the joined file has /Pages of its own
    (qpdf copies such attributes onto the pages when it lists them: this checks that it still does)."""
    with pikepdf.open(io.BytesIO(part("己"))) as document:
        page = document.pages[0].obj
        node = page.Parent
        for key in ("/MediaBox", "/Resources"):
            node[key] = page[key]
            del page[key]
        buffer = io.BytesIO()
        document.save(buffer)
    inheriting = buffer.getvalue()
    stored = PdfReader(io.BytesIO(inheriting)).trailer["/Root"]["/Pages"]["/Kids"][0].get_object()
    assert "/MediaBox" not in stored and "/Resources" not in stored  # as the file has it: inherited
    joined = join_tagged([inheriting, part("庚")])
    with pikepdf.open(io.BytesIO(joined)) as document:
        first = document.pages[0].obj
        assert "/MediaBox" in first and "/Font" in first.Resources
        assert first.Parent.objgen == document.Root.Pages.objgen
    assert PdfReader(io.BytesIO(joined)).pages[0].extract_text().split()[0] == "己"


def test_a_part_is_not_kept_once_it_is_joined():
    """The parts may come one by one (a generator): none is held by the join while the next is made."""
    held = []

    def parts():
        previous = None
        for body in ("甲", "乙", "丙"):
            if previous is not None:
                # this generator's own reference and getrefcount's argument: nothing else
                held.append(sys.getrefcount(previous) - 2)
            previous = part(body)
            yield previous

    data = join_tagged(parts())
    # the first part is held until the second is there (one part alone is returned as it is)
    assert held == [1, 0]
    assert len(PdfReader(io.BytesIO(data)).pages) == 3


def test_one_part_from_a_generator_is_returned_as_it_is_and_none_is_an_error():
    data = part("一")
    assert join_tagged(iter([data])) is data
    with pytest.raises(ValueError):
        join_tagged(iter([]))

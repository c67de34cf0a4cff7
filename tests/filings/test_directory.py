"""The public institution directory (评价机构目录): filed institutions only, no personal data, search
and filters, a public page per filed institution, and the XLSX in the columns of seed 004 附件4."""

import io
from datetime import date

import pytest
from django.utils import translation
from openpyxl import load_workbook

from filings import after_filing, directory, page_cache, workflow
from filings.constants import State
from filings.constants_after import SanctionKind
from tests.portal.factories import OccupationFactory

from .factories import in_state
from .factories_after import FiledFilingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(dave, carol):
    welder = OccupationFactory(code="6-25-04-05", name="焊工", standard_year=2018)
    cook = OccupationFactory(code="4-03-02-01", name="中式烹调师", standard_year=2018)
    a = FiledFilingFactory(name="甲焊接培训中心", occupations=[(welder, "345"), (cook, "5")])
    b = FiledFilingFactory(name="乙烹饪学校", kind="technical_school", occupations=[(cook, "2345")])
    draft = FiledFilingFactory(name="丙草稿机构", state=State.DRAFT, occupations=[(welder, "3")])
    publicity = FiledFilingFactory(name="丁公示机构", state=State.IN_PUBLICITY, occupations=[(welder, "3")])
    revoked = FiledFilingFactory(name="戊被撤销机构", occupations=[(welder, "3")])
    after_filing.revoke(revoked, dave, reason="违规")
    cancelled = FiledFilingFactory(name="己注销机构", state=State.CANCELLED, occupations=[(welder, "3")])
    after_filing.impose_sanction(
        a, carol, kind=SanctionKind.CRITICISM, reason="通报批评：考务记录缺失", on=date(2026, 5, 1)
    )
    after_filing.impose_sanction(
        a, carol, kind=SanctionKind.INTERVIEW, reason="内部约谈记录", is_public=False, on=date(2026, 5, 2)
    )
    return {"a": a, "b": b, "others": [draft, publicity, revoked, cancelled]}


def test_directory_lists_filed_institutions_only(client, world):
    body = client.get("/filings/directory/").content.decode()
    assert "甲焊接培训中心" in body and "乙烹饪学校" in body
    for other in world["others"]:
        assert other.name not in body
    assert world["a"].filing_number in body


def test_no_personal_data(client, world):
    a = world["a"]
    pages = [
        client.get("/filings/directory/").content.decode(),
        client.get(f"/filings/directory/{a.pk}/").content.decode(),
    ]
    book = load_workbook(io.BytesIO(client.get("/filings/directory/export.xlsx").content))
    pages.append(
        "\n".join(str(c.value) for row in book.active.iter_rows() for c in row if c.value is not None)
    )
    for text in pages:
        for person in a.people.all():
            assert person.id_number not in text and person.name not in text
        assert a.legal_representative_phone not in text  # a mobile number
        assert a.legal_representative not in text
        assert a.contact_email not in text
        assert not directory.MOBILE.search(text)


def test_mobile_contact_phone_is_left_out():
    assert directory.public_phone("13912345678") == "——"
    assert directory.public_phone("+86 13912345678") == "——"
    assert directory.public_phone("022-23456789") == "022-23456789"


def test_search_by_occupation_level_kind_and_name(client, world):
    def names(query):
        return [f.name for f in directory.search(**query)]

    assert names({"occupation": "焊工"}) == ["甲焊接培训中心"]
    assert set(names({"occupation": "4-03"})) == {"甲焊接培训中心", "乙烹饪学校"}
    assert names({"occupation": "中式烹调师", "level": 2}) == ["乙烹饪学校"]
    assert names({"kind": "technical_school"}) == ["乙烹饪学校"]
    assert names({"q": "焊接"}) == ["甲焊接培训中心"]
    body = client.get("/filings/directory/", {"occupation": "焊工"}).content.decode()
    assert "甲焊接培训中心" in body and "乙烹饪学校" not in body


def test_public_page_shows_scope_validity_status_and_public_sanctions(client, world):
    a = world["a"]
    body = client.get(f"/filings/directory/{a.pk}/").content.decode()
    assert "焊工" in body and "6-25-04-05" in body
    assert f"{a.valid_from:%Y-%m-%d} — {a.valid_until:%Y-%m-%d}" in body
    assert "通报批评：考务记录缺失" in body
    assert "内部约谈记录" not in body  # not made public
    for other in world["others"]:
        assert client.get(f"/filings/directory/{other.pk}/").status_code == 404


def test_status_shows_open_rectification(client, world, carol):
    b = world["b"]
    after_filing.impose_sanction(
        b, carol, kind=SanctionKind.RECTIFICATION, reason="整改", deadline=date(2099, 1, 1)
    )
    body = client.get(f"/filings/directory/{b.pk}/").content.decode()
    assert "限期整改中" in body


def test_xlsx_has_the_annex_4_columns(client, world):
    response = client.get("/filings/directory/export.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[1]) == directory.ANNEX4_COLUMNS
    assert directory.ANNEX4_COLUMNS == [
        "序号", "机构名称", "详细地址", "联系人", "联系方式", "机构备案号", "职业名称", "工种名称", "职业编码", "等级范围"
    ]  # fmt: skip
    data = rows[2:]
    assert len(data) == 3  # 甲: two occupations, 乙: one
    by_name = {}
    for row in data:
        by_name.setdefault(row[1], []).append(row)
    assert {r[8] for r in by_name["甲焊接培训中心"]} == {"6-25-04-05", "4-03-02-01"}
    assert by_name["乙烹饪学校"][0][9] == "二级/技师、三级/高级工、四级/中级工、五级/初级工"
    assert by_name["乙烹饪学校"][0][7] == "——"  # no work type
    assert by_name["乙烹饪学校"][0][4] == "022-23456789"


def test_xlsx_is_formula_injection_safe(client, db):
    FiledFilingFactory(name='=HYPERLINK("http://evil.example","x")', address="+1+1", contact_name="@SUM(A1)")
    sheet = load_workbook(io.BytesIO(client.get("/filings/directory/export.xlsx").content)).active
    row = list(sheet.iter_rows(min_row=3, values_only=True))[0]
    assert row[1] == '\'=HYPERLINK("http://evil.example","x")'
    assert row[2] == "'+1+1" and row[3] == "'@SUM(A1)"
    for cell in sheet[3][1:]:
        assert cell.data_type == "s"


def test_directory_constant_queries(client, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get("/filings/directory/")
    for _ in range(10):
        FiledFilingFactory(
            occupations=[
                (OccupationFactory(standard_year=2018), "34"),
                (OccupationFactory(standard_year=2018), "5"),
            ]
        )
    with django_assert_max_num_queries(8):
        client.get("/filings/directory/")
    with django_assert_max_num_queries(8):
        client.get("/filings/directory/export.xlsx")


def test_cached_directory_follows_filing_revocation_and_sanctions(client, world, carol, dave):
    """The page's content is cached (filings.page_cache), yet a newly filed institution appears, a
    revoked one disappears and a published sanction or a renamed occupation shows at once."""

    def page(**query):
        return client.get("/filings/directory/", query).content.decode()

    assert "甲焊接培训中心" in page() and "乙烹饪学校" in page()  # the second from the cache
    assert "庚新备案机构" not in page()
    newcomer = in_state(
        State.PUBLISHED, name="庚新备案机构"
    )  # seed 001 第十条(五): the notice follows the ministry's publication
    workflow.record_filing(newcomer, carol)
    assert "庚新备案机构" in page()
    after_filing.revoke(world["b"], dave, reason="违规")
    assert "乙烹饪学校" not in page() and "甲焊接培训中心" in page()
    assert "限期整改中" not in page(q="甲焊接")
    after_filing.impose_sanction(
        world["a"], carol, kind=SanctionKind.RECTIFICATION, reason="整改", deadline=date(2099, 1, 1)
    )
    assert "限期整改中" in page(q="甲焊接")
    welder = world["a"].occupations.get(occupation__code="6-25-04-05").occupation
    welder.name = "焊工（电焊）"
    welder.save()
    assert "焊工（电焊）" in page(q="甲焊接")


def test_cached_directory_is_per_query_and_language(client, world):
    assert "乙烹饪学校" not in client.get("/filings/directory/", {"q": "焊接"}).content.decode()
    assert "乙烹饪学校" in client.get("/filings/directory/", {"q": "烹饪"}).content.decode()
    chinese = client.get("/filings/directory/").content.decode()
    client.cookies["django_language"] = "en"  # as the navbar's language switch leaves it
    with translation.override("zh-hans"):  # the middleware activates English for the thread
        english = client.get("/filings/directory/").content.decode()
    assert "机构名称" in chinese and "机构名称" not in english


def test_version_is_bumped_again_after_commit(django_capture_on_commit_callbacks, world):
    """A request that read the rows before the commit cached them under the version bumped at the save;
    the bump after the commit leaves that fragment behind."""
    with django_capture_on_commit_callbacks(execute=True):
        world["a"].save()
        at_save = page_cache.version(page_cache.DIRECTORY)
    assert page_cache.version(page_cache.DIRECTORY) != at_save

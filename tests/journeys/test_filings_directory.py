"""In a real Chromium: a visitor searches the institution directory by occupation and opens an
institution's public page (scope, validity, status)."""

from datetime import date

import pytest

from tests.filings.factories_after import FiledFilingFactory
from tests.portal.factories import OccupationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _artifacts():
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "test-artifacts"
    path.mkdir(exist_ok=True)
    return path


def test_visitor_searches_directory_by_occupation(live_server, page):
    welder = OccupationFactory(code="6-25-04-05", name="焊工", standard_year=2018)
    cook = OccupationFactory(code="4-03-02-01", name="中式烹调师", standard_year=2018)
    target = FiledFilingFactory(
        name="天津市甲焊接技能评价中心", occupations=[(welder, "345")], filed_on=date(2026, 3, 1)
    )
    FiledFilingFactory(name="天津市乙烹饪学校", occupations=[(cook, "45")])

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="评价机构目录").first.click()
    page.wait_for_url("**/filings/directory/")
    assert page.get_by_test_id("directory-row").count() == 2

    page.fill("#id_occupation", "焊工")
    page.get_by_test_id("directory-submit").click()
    page.wait_for_url("**occupation=*")
    rows = page.get_by_test_id("directory-row")
    assert rows.count() == 1
    assert "天津市甲焊接技能评价中心" in rows.first.inner_text()
    page.screenshot(path=str(_artifacts() / "filings-directory.png"), full_page=True)

    page.get_by_role("link", name="天津市甲焊接技能评价中心").click()
    page.wait_for_url(f"**/filings/directory/{target.pk}/")
    assert page.get_by_role("heading", name="天津市甲焊接技能评价中心").is_visible()
    assert page.get_by_test_id("validity").inner_text() == "2026-03-01 — 2029-02-28"
    assert "焊工" in page.get_by_test_id("scope").inner_text()
    assert page.get_by_test_id("filing-number").inner_text() == target.filing_number
    page.screenshot(path=str(_artifacts() / "filings-directory-institution.png"), full_page=True)

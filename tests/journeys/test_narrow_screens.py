"""Issue 29 item 12: small screens and narrow columns. At 375 px wide no page is wider than the
window (wide tables scroll inside their own box); at 1366 px no table cell is squeezed to one
Chinese character per line."""

from datetime import date

import pytest
from django.test import Client

from filings.constants import State as FilingState
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, person_id
from tests.filings.factories import in_state
from tests.filings.factories_after import FiledFilingFactory
from tests.portal.factories import OccupationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1366, "height": 900}

# Every cell at least two Chinese characters wide unless it keeps to one line (nowrap), and a short
# header (up to six characters, like 评价方式 or 实施日期) on one line, not folded character by character.
SQUEEZED_CELLS = """() => {
  const lines = cell => {
    const range = document.createRange();
    range.selectNodeContents(cell);
    return new Set([...range.getClientRects()].map(r => Math.round(r.top))).size;
  };
  return [...document.querySelectorAll('table th, table td')]
    .filter(c => c.offsetParent !== null && c.innerText.trim().length > 1)
    .filter(c => (c.offsetWidth < 32 && getComputedStyle(c).whiteSpace !== 'nowrap')
              || (c.tagName === 'TH' && c.innerText.trim().length <= 6 && lines(c) > 1))
    .map(c => c.innerText.trim().slice(0, 20) + ' (' + c.offsetWidth + 'px)');
}"""

# At 375 px a table scrolls in its box; its cells still hold four characters a line, not one or two.
PHONE_SQUEEZED_CELLS = """() => [...document.querySelectorAll('table td')]
  .filter(c => c.offsetParent !== null && c.innerText.trim().length > 4)
  .filter(c => c.offsetWidth < 64 && getComputedStyle(c).whiteSpace !== 'nowrap')
  .map(c => c.innerText.trim().slice(0, 20) + ' (' + c.offsetWidth + 'px)')"""

# What sticks out past the window, for the failure message.
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .map(e => e.tagName.toLowerCase() + '.' + [...e.classList].join('.') + ' ' +
       Math.round(e.getBoundingClientRect().right) + 'px')"""


def _login(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def _data(alice, carol):
    welder = OccupationFactory(code="6-25-04-05", name="焊工", standard_year=2018)
    for i in range(3):
        FiledFilingFactory(
            name=f"天津市第{i}职业技能等级认定评价服务有限责任公司（滨海新区分公司）",
            occupations=[(welder, "12345")],
            filed_on=date(2026, 3, 1),
        )
    in_state(FilingState.SUBMITTED, institution=alice.institution)
    in_state(
        FilingState.SUBMITTED, name="天津市滨海新区某某职业技能等级认定评价服务有限责任公司（第二分公司）"
    )
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, staffed=True)
    for i in range(3):
        CandidateFactory(plan=plan, name=f"考生{i}", id_number=person_id(500 + i))
    return plan


def _pages(plan):
    return [
        ("directory", "/filings/directory/", None),
        ("mine", "/filings/", "alice"),
        ("queue", "/filings/queue/submitted/", "carol"),
        ("plan", f"/certification/plans/{plan.pk}/", "alice"),
    ]


def test_pages_fit_a_phone_and_cells_are_not_squeezed(live_server, page, alice, carol, tmp_path):
    plan = _data(alice, carol)
    people = {"alice": alice, "carol": carol}
    too_wide, squeezed = {}, {}
    for name, path, who in _pages(plan):
        page.context.clear_cookies()
        if who:
            _login(page, live_server, people[who])
        for label, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
            page.set_viewport_size(viewport)
            page.goto(live_server.url + path)
            page.wait_for_load_state("load")
            assert "登录" not in page.title(), path
            page.screenshot(path=str(tmp_path / f"{name}-{label}.png"), full_page=True)
            if label == "phone":
                width = page.evaluate("document.documentElement.scrollWidth")
                if width > PHONE["width"]:
                    too_wide[path] = width
                    print(path, width, page.evaluate(OVERFLOWING))
                cells = page.evaluate(PHONE_SQUEEZED_CELLS)
                if cells:
                    squeezed[f"{path} at 375 px"] = cells
            else:
                cells = page.evaluate(SQUEEZED_CELLS)
                if cells:
                    squeezed[path] = cells
    print("screenshots in", tmp_path)
    assert (too_wide, squeezed) == ({}, {}), (
        f"wider than a 375 px phone: {too_wide}; squeezed cells: {squeezed}"
    )

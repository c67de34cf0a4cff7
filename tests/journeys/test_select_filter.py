"""In a real Chromium (issue 29 item 11g): the occupation list (86 entries in the catalogue) has a
search box; typing part of a name or a code keeps only the matching occupations and picks the first."""

import pytest

from portal.models import Occupation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_filters_the_occupations(live_server, page):
    Occupation.objects.bulk_create(
        [Occupation(code=f"6-{n // 10:02d}-01-{n % 10 + 1:02d}", name=f"测试工种{n:02d}") for n in range(40)]
    )
    Occupation.objects.create(code="4-03-02-01", name="中式烹调师")
    Occupation.objects.create(code="4-03-02-02", name="中式面点师")
    page.goto(live_server.url + "/eligibility/check/")
    box = page.locator("input[data-type-ahead-for=occupation]")
    box.fill("中式")
    visible = page.locator("#id_occupation option:not([hidden])").all_inner_texts()
    assert visible == ["请选择职业", "4-03-02-01 中式烹调师", "4-03-02-02 中式面点师"]
    assert page.locator("#id_occupation option:checked").inner_text() == "4-03-02-01 中式烹调师"
    box.fill("4-03-02-02")
    assert page.locator("#id_occupation").input_value() == str(Occupation.objects.get(name="中式面点师").pk)
    box.fill("不存在的职业")
    assert page.get_by_text("没有符合的选项").is_visible()
    box.fill("")
    assert page.locator("#id_occupation option:not([hidden])").count() == 43

"""Issue 29 item 8: words, not codes. A clerk reads 五级/初级工 and 用人单位自主评价, and the person's name
and unit, never "级别 45", a bare Y/S, a login name such as "centre" or "demo-inst9"."""

import datetime

import pytest
from django.urls import reverse

from filings.constants import State
from filings.constants_after import ChangeKind
from filings.forms.application import AssignForm
from filings.models import ChangeRequest
from portal import audit, levels
from tests.portal.factories import OccupationFactory, UserFactory

from .factories import FilingFactory
from .factories_after import FiledFilingFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "kept, shown",
    [
        ("45", "四级/中级工、五级/初级工"),
        ("5", "五级/初级工"),
        ([1, 3], "一级/高级技师、三级/高级工"),
        ("", ""),
    ],
)
def test_levels_by_name(kept, shown):
    assert levels.levels_text(kept) == shown


def test_a_level_code_by_name_and_anything_else_as_written():
    assert levels.level_name(5) == levels.level_name("5") == "五级/初级工"
    assert levels.level_name(None) == ""
    assert levels.level_name("九") == "九"


def test_an_added_scope_change_names_its_levels(client, carol):
    filing = FiledFilingFactory()
    occupation = OccupationFactory(code="4-02-02-06", name="公路收费及监控员")
    change = ChangeRequest.objects.create(
        filing=filing, kind=ChangeKind.SCOPE, reason="拟增加职业", occupation=occupation, levels="45"
    )
    client.force_login(carol)
    for url in ("/filings/after/", f"/filings/after/changes/{change.pk}/"):
        body = client.get(url).content.decode()
        assert "四级/中级工、五级/初级工" in body, url
        assert "级别 45" not in body, url


def test_the_queue_names_the_route(client, carol):
    FilingFactory(state=State.SUBMITTED, route="S", name="某协会", due_on=datetime.date(2026, 3, 10))
    client.force_login(carol)
    body = client.get(reverse("filings:queue", args=["submitted"])).content.decode()
    row = body[body.index("某协会") :]
    row = row[: row.index("</tr>")]
    assert "社会培训评价组织" in row
    assert "<td>S</td>" not in row


def test_staff_offered_by_name_and_applicants_by_name_and_unit(carol):
    carol.first_name = "王审核"
    carol.save()
    assert [label for _value, label in AssignForm().fields["assignee"].choices][1:] == ["王审核"]
    unnamed = UserFactory(username="demo-inst9", applicant=True)
    assert unnamed.display_name == unnamed.institution.name
    unnamed.first_name = "演示联系人"
    assert unnamed.display_name == f"演示联系人（{unnamed.institution.name}）"


def test_the_trail_names_the_person_and_unit_not_the_login(client, carol):
    filing = FilingFactory(state=State.SUBMITTED)
    applicant = UserFactory(username="demo-inst9", first_name="演示联系人", institution=filing.institution)
    audit.record("filing_submitted", filing, applicant)
    client.force_login(carol)
    body = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    assert f"演示联系人（{filing.institution.name}）" in body
    assert "demo-inst9" not in body

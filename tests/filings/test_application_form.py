"""The applicant's form: drafts at any time, nothing lost on a bad submit, section-by-section
messages, the institution conditions before submitting."""

import pytest
from django.urls import reverse

from filings.constants import State
from filings.models import Filing
from tests.portal.factories import OccupationFactory, id_number

from .factories import FilingFactory, in_state

pytestmark = pytest.mark.django_db


def _management(prefix, total, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _post_data(filing, **extra):
    data = {
        "version": filing.version,
        "action": "save",
        "f-route": "Y",
        "f-kind": "enterprise",
        "f-name": filing.name,
        "f-credit_code": filing.credit_code,
    }
    for prefix in ("occ", "eq", "p_staff", "p_expert", "p_assessor", "p_supervisor"):
        data.update(_management(prefix, 0))
    data.update(extra)
    return data


def test_new_filing_prefilled_from_the_institution(client, alice):
    client.force_login(alice)
    response = client.post(reverse("filings:new"), {"route": "S"})
    filing = Filing.objects.get(institution=alice.institution)
    assert response["Location"] == reverse("filings:edit", args=[filing.pk])
    assert (filing.name, filing.credit_code, filing.route, filing.state) == (
        alice.institution.name,
        alice.institution.credit_code,
        "S",
        State.DRAFT,
    )
    again = client.post(reverse("filings:new"), {"route": "S"}, follow=True)
    assert "已有一份同类型的备案申请在办理中" in again.content.decode()


def test_draft_saves_rows(client, alice):
    filing = FilingFactory(institution=alice.institution)
    cook = OccupationFactory(code="4-03-02-01", name="中式烹调师", in_social_directory=True)
    client.force_login(alice)
    data = _post_data(
        filing,
        **_management("occ", 2),
        **{
            "occ-0-occupation": cook.pk,
            "occ-0-level_choices": ["4", "5"],
            "occ-0-person_times": "600",
            "occ-0-basis": "national_standard",
            "occ-0-start_date": "2018-05-01",
            "occ-1-occupation": "",
            "occ-1-person_times": "0",
            "occ-1-basis": "national_standard",
        },
    )
    data.update(_management("p_expert", 1))
    data.update(
        {"p_expert-0-name": "赵专家", "p_expert-0-id_number": id_number(7), "p_expert-0-employer": "天津大学"}
    )
    response = client.post(reverse("filings:edit", args=[filing.pk]), data)
    assert response.status_code == 302, response.context and response.context["sets"]["occupations"].errors
    row = filing.occupations.get()
    assert (row.levels, row.person_times) == ("45", 600)
    assert filing.people.get().role == "expert"
    filing.refresh_from_db()
    assert filing.version == 1


def test_bad_id_number_keeps_everything_typed(client, alice):
    filing = FilingFactory(institution=alice.institution)
    client.force_login(alice)
    data = _post_data(
        filing,
        **_management("p_staff", 1),
        **{
            "f-address": "新地址 8 号",
            "p_staff-0-name": "钱工作",
            "p_staff-0-id_number": "120101198001010011",
        },
    )
    response = client.post(reverse("filings:edit", args=[filing.pk]), data)
    assert response.status_code == 200
    text = response.content.decode()
    assert "居民身份证号码校验位不正确" in text
    assert "钱工作" in text and "新地址 8 号" in text  # nothing lost
    assert "专职工作人员" in text  # the section is named
    filing.refresh_from_db()
    assert filing.address != "新地址 8 号"


def test_incomplete_submit_names_the_sections(client, alice):
    filing = FilingFactory(institution=alice.institution, it_description="")
    client.force_login(alice)
    response = client.post(
        reverse("filings:edit", args=[filing.pk]), _post_data(filing, action="submit"), follow=True
    )
    text = response.content.decode()
    for section in ("二、申报职业", "三、场地设备", "四、人员情况", "五、申报材料"):
        assert section in text
    filing.refresh_from_db()
    assert filing.state == State.DRAFT


def test_complete_submit(client, alice):
    filing = in_state(State.DRAFT, institution=alice.institution)
    client.force_login(alice)
    page = client.get(reverse("filings:edit", args=[filing.pk]))
    assert "机构条件核对" in page.content.decode()
    form, sets = page.context["form"], page.context["sets"]
    data = {"version": filing.version, "action": "submit"}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value not in (None, False):
            data[f"f-{name}"] = value
    for formset in (s for name, s in sets.items() if name != "work_plan"):  # the one form among them
        data.update(_management(formset.prefix, len(formset.initial_forms), len(formset.initial_forms)))
        for row in formset.initial_forms:
            for name, field in row.fields.items():
                value = row.initial.get(name, field.initial)
                if name == "level_choices":
                    data[f"{row.prefix}-{name}"] = [str(v) for v in value]
                elif hasattr(value, "pk"):
                    data[f"{row.prefix}-{name}"] = value.pk
                elif value not in (None, False):
                    data[f"{row.prefix}-{name}"] = value
    response = client.post(reverse("filings:edit", args=[filing.pk]), data)
    assert response.status_code == 302, (
        [str(m) for m in response.context["messages"]] if response.context else ""
    )
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED
    assert filing.due_on is not None


def test_submitted_filing_is_not_editable(client, alice):
    filing = in_state(State.SUBMITTED, institution=alice.institution)
    client.force_login(alice)
    response = client.get(reverse("filings:edit", args=[filing.pk]))
    assert response.status_code == 302


def test_dates_render_in_the_format_the_date_input_reads(client, alice):
    """A <input type=date> only shows an ISO date: anything else would be blank, and lost on saving."""
    filing = in_state(State.DRAFT, institution=alice.institution)
    client.force_login(alice)
    html = client.get(reverse("filings:edit", args=[filing.pk])).content.decode()
    assert 'value="2015-03-01"' in html


def test_stale_save_keeps_what_was_typed(client, alice):
    filing = FilingFactory(institution=alice.institution)
    old_version = filing.version
    filing.address = "别人刚保存的地址"
    filing.save()
    client.force_login(alice)
    data = _post_data(filing, **{"f-address": "我正在输入的地址"})
    data["version"] = old_version
    response = client.post(reverse("filings:edit", args=[filing.pk]), data)
    text = response.content.decode()
    assert response.status_code == 200
    assert "该申请已被他人修改，请刷新后重试" in text
    assert "我正在输入的地址" in text
    filing.refresh_from_db()
    assert filing.address == "别人刚保存的地址"

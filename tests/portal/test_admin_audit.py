"""Admin changes reach the audit trail (issue 22, finding 6): what the centre adds, changes and deletes
in the Django admin shows in audit.trail(obj) with the actor and the changed fields (old -> new), a
delete keeps the object's repr, ID numbers are masked, and every domain ModelAdmin is covered."""

import datetime

import pytest
from django.contrib import admin
from django.forms.models import model_to_dict
from django.urls import reverse

from certification.models import ExpertQualification, StaffingRatio
from portal import admin_audit, audit
from portal.identifiers import mask_id_number
from portal.models import AuditEvent
from tests.certification.factories import ExpertQualificationFactory
from tests.portal.factories import CalendarDayFactory, OccupationFactory, UserFactory, id_number

pytestmark = pytest.mark.django_db


def form_data(obj, **changes):
    """The POST body of an admin change form: the object's values with ``changes`` applied (a false
    boolean is left out, as a browser leaves out an unticked box)."""
    from django.db.models.fields.files import FieldFile

    values = {**model_to_dict(obj), **changes}
    data = {}
    for name, value in values.items():
        if value is None or value is False or isinstance(value, FieldFile):  # a file input left empty
            continue
        if value is True:
            value = "on"
        elif isinstance(value, datetime.date):
            value = value.isoformat()
        data[name] = value
    return data


def admin_url(obj, view="change"):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_{view}", args=[obj.pk])


def only_event(obj, event):
    rows = [row for row in audit.trail(obj) if row.event == event]
    assert len(rows) == 1, [row.event for row in audit.trail(obj)]
    return rows[0]


def test_centre_change_of_an_expert_qualification_is_in_its_trail(client, carol):
    qualification = ExpertQualificationFactory(certificate_number="GJKPY000001")
    client.force_login(carol)
    response = client.post(
        admin_url(qualification),
        form_data(qualification, valid_until="2031-06-30", certificate_number="GJKPY000009"),
    )
    assert response.status_code == 302

    row = only_event(qualification, "admin_changed")
    assert row.actor == carol and row.internal
    assert row.data["model"] == "certification.expertqualification"
    assert row.data["fields"]["valid_until"] == {
        "label": "有效期至",
        "old": "2030-12-31",
        "new": "2031-06-30",
    }
    assert row.data["fields"]["certificate_number"]["old"] == "GJKPY000001"
    assert "有效期至：2030-12-31 → 2031-06-30" in row.comment
    assert "资格证书编号：GJKPY000001 → GJKPY000009" in row.comment
    assert audit.label(row.event) == "管理后台修改"


def test_centre_change_of_a_staffing_ratio_is_in_its_trail(client, carol):
    ratio = StaffingRatio.objects.create(occupation=OccupationFactory(chef=True), source="国家职业技能标准")
    client.force_login(carol)
    response = client.post(admin_url(ratio), form_data(ratio, min_assessors=4))
    assert response.status_code == 302

    row = only_event(ratio, "admin_changed")
    assert row.actor == carol
    assert row.data["fields"] == {"min_assessors": {"label": "最少考评员", "old": "3", "new": "4"}}
    assert row.comment == f"考评人员配比「{ratio}」：最少考评员：3 → 4"


def test_centre_change_of_a_calendar_day_is_in_its_trail(client, carol):
    day = CalendarDayFactory(date=datetime.date(2027, 2, 7), is_working_day=False, note="")
    client.force_login(carol)
    response = client.post(admin_url(day), form_data(day, is_working_day=True, note="春节调休上班"))
    assert response.status_code == 302

    row = only_event(day, "admin_changed")
    assert row.actor == carol
    assert row.data["fields"]["is_working_day"] == {"label": "是否工作日", "old": "否", "new": "是"}
    assert "说明：（空） → 春节调休上班" in row.comment
    day.refresh_from_db()
    assert day.is_working_day and day.updated_by == carol


def test_admin_addition_records_the_new_object(client, carol):
    occupation = OccupationFactory(chef=True)
    client.force_login(carol)
    data = {
        "occupation": occupation.pk,
        "candidates_per_invigilator": 15,
        "min_invigilators_per_room": 2,
        "candidates_per_assessor": 5,
        "min_assessors": 4,
        "min_panel": 5,
        "source": "中式烹调师国家职业技能标准",
    }
    response = client.post(reverse("admin:certification_staffingratio_add"), data)
    assert response.status_code == 302

    ratio = StaffingRatio.objects.get(occupation=occupation)
    row = only_event(ratio, "admin_added")
    assert row.actor == carol and row.data["object"] == str(ratio)
    assert row.data["fields"]["min_assessors"] == {"label": "最少考评员", "old": "", "new": "4"}
    assert "依据：中式烹调师国家职业技能标准" in row.comment
    assert audit.label(row.event) == "管理后台新增"


def test_admin_deletion_records_the_repr(client, carol):
    qualification = ExpertQualificationFactory(certificate_number="GJKPY000007")
    described = str(qualification)
    key = {"target_type__model": "expertqualification", "target_id": str(qualification.pk)}
    client.force_login(carol)
    response = client.post(admin_url(qualification, "delete"), {"post": "yes"})
    assert response.status_code == 302
    assert not ExpertQualification.objects.filter(pk=qualification.pk).exists()

    row = AuditEvent.objects.get(event="admin_deleted", **key)
    assert row.actor == carol
    assert row.data["object"] == described and described in row.comment
    assert row.data["values"]["certificate_number"] == "GJKPY000007"
    assert audit.label(row.event) == "管理后台删除"


def test_bulk_deletion_records_each_object(client, carol):
    ratios = [StaffingRatio.objects.create(occupation=OccupationFactory()) for _ in range(2)]
    client.force_login(carol)
    response = client.post(
        reverse("admin:certification_staffingratio_changelist"),
        {"action": "delete_selected", "_selected_action": [r.pk for r in ratios], "post": "yes"},
    )
    assert response.status_code == 302
    assert not StaffingRatio.objects.exists()
    deleted = AuditEvent.objects.filter(event="admin_deleted", target_type__model="staffingratio")
    assert sorted(deleted.values_list("target_id", flat=True)) == sorted(str(r.pk) for r in ratios)
    assert {row.data["object"] for row in deleted} == {str(r) for r in ratios}


def test_admin_change_shows_on_the_certificate_timeline_with_id_numbers_masked(admin_client, client, carol):
    from tests.certificates.factories import CertificateFactory

    certificate = CertificateFactory(holder_name="张伟", id_number=id_number(1))
    new_id = id_number(2)
    response = admin_client.post(
        admin_url(certificate), form_data(certificate, holder_name="张为", id_number=new_id)
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    row = only_event(certificate, "admin_changed")
    assert row.data["fields"]["holder_name"]["new"] == "张为"
    assert row.data["fields"]["id_number"] == {
        "label": "证件号码",
        "old": mask_id_number(id_number(1)),
        "new": mask_id_number(new_id),
    }
    stored = f"{row.comment} {row.data}"
    assert id_number(1) not in stored and new_id not in stored

    client.force_login(carol)
    page = client.get(reverse("certificates:staff_certificate", args=[certificate.code])).content.decode()
    # The staff page shows the holder's number in full; its timeline shows the change masked.
    assert "管理后台修改" in page and "张伟 → 张为" in page
    assert f"{mask_id_number(id_number(1))} → {mask_id_number(new_id)}" in page


def test_passwords_set_in_the_admin_are_never_recorded(admin_client):
    user = UserFactory(username="frank")
    response = admin_client.post(
        reverse("admin:auth_user_password_change", args=[user.pk]),
        {"password1": "Zx9-very-secret", "password2": "Zx9-very-secret", "usable_password": "true"},
    )
    assert response.status_code == 302
    row = only_event(user, "admin_changed")
    assert "Zx9-very-secret" not in f"{row.comment} {row.data}"
    user.refresh_from_db()
    assert user.password[:20] not in f"{row.comment} {row.data}"


def test_applicant_cannot_reach_the_admin(client, alice):
    qualification = ExpertQualificationFactory()
    client.force_login(alice)
    assert client.get(reverse("admin:index")).status_code == 302  # to the admin's login page
    response = client.post(admin_url(qualification), form_data(qualification, valid_until="2031-06-30"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
    qualification.refresh_from_db()
    assert qualification.valid_until == datetime.date(2030, 12, 31)
    assert not AuditEvent.objects.filter(event__startswith="admin_").exists()


def test_every_domain_model_admin_is_audited():
    registry = admin.site._registry
    domain = [model for model in registry if model._meta.app_label in admin_audit.AUDITED_APPS]
    assert len(domain) > 30
    uncovered = [
        model._meta.label
        for model in domain
        if admin_audit.is_audited(model) and not isinstance(registry[model], admin_audit.AuditedAdminMixin)
    ]
    assert uncovered == []
    # The trail itself is the one exception: nobody writes it in the admin.
    assert not isinstance(registry[AuditEvent], admin_audit.AuditedAdminMixin)
    assert [m._meta.label_lower for m in domain if not admin_audit.is_audited(m)] == ["portal.auditevent"]


def change_form_post(client, url, changes=None, inline_changes=None):
    """POSTs the admin change form at ``url`` as a browser would: every field of the form and its
    inlines as the page shows it, with ``changes`` (field: value) and ``inline_changes``
    ({(prefix, index): {field: value}}) applied."""
    from django.db.models.fields.files import FieldFile
    from django.forms import MultiWidget

    page = client.get(url)
    assert page.status_code == 200
    data = {}

    def add(form, prefix_changes):
        for bound in form:
            value = prefix_changes.get(bound.name, bound.value())
            if value is None or value is False or isinstance(value, FieldFile):
                continue
            widget = bound.field.widget
            if isinstance(widget, MultiWidget):  # the admin's date and time boxes
                for i, part in enumerate(widget.decompress(value)):
                    data[f"{bound.html_name}{widget.widgets_names[i]}"] = part
                continue
            data[bound.html_name] = "on" if value is True else value

    add(page.context["adminform"].form, changes or {})
    for inline in page.context["inline_admin_formsets"]:
        formset = inline.formset
        add(formset.management_form, {})
        for index, form in enumerate(formset.forms):
            add(form, (inline_changes or {}).get((formset.prefix, index), {}))
    return client.post(url, data)


def test_inline_changes_are_on_the_parent_timeline(admin_client, client, carol):
    from tests.certification.factories import PlanFactory

    plan = PlanFactory(staffed=True, submitted=True, created_by=UserFactory(applicant=True))
    staff = plan.staff.order_by("pk").first()
    old_id = staff.id_number
    response = change_form_post(
        admin_client, admin_url(plan), {"site": "天津市南开区考点"}, {("staff", 0): {"name": "监考改名"}}
    )
    assert response.status_code == 302, response.context["adminform"].form.errors

    row = only_event(plan, "admin_changed")
    assert list(row.data["fields"]) == ["site"]  # nothing else changed
    assert row.data["fields"]["site"]["new"] == "天津市南开区考点"
    (inline,) = row.data["inlines"]
    assert inline["action"] == "changed" and inline["fields"]["name"]["new"] == "监考改名"
    assert old_id not in f"{row.comment} {row.data}"

    client.force_login(carol)
    page = client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
    assert "管理后台修改" in page and "监考改名" in page


def test_no_role_keeps_the_right_on_the_removed_mail_tables():
    """filings/certification EmailNotice moved into portal.OutboxMail: their view right is taken back
    (migration portal 0005), the view right on the outbox stays."""
    from django.contrib.auth.models import Permission

    held = Permission.objects.filter(group__name__in=["centre_staff", "bureau"])
    assert not held.filter(codename="view_emailnotice").exists()
    assert held.filter(content_type__app_label="portal", codename="view_outboxmail").exists()


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_admin_change_in_chromium_shows_on_the_certificate_page(live_server, page, browser):
    """The superuser corrects a holder's name in the admin; centre staff see it on the certificate's
    timeline, with who did it."""
    from django.contrib.auth.models import Group

    from portal import roles
    from portal.models import User
    from tests.certificates.factories import CertificateFactory

    certificate = CertificateFactory(holder_name="张伟")
    User.objects.create_superuser("root", password="admin-pw-2026", first_name="系统管理员")
    carol = User.objects.create_user("carol", password="centre-pw-2026", first_name="王审核", is_staff=True)
    carol.groups.add(Group.objects.get_or_create(name=roles.CENTRE)[0])

    page.goto(live_server.url + admin_url(certificate))
    page.fill("input[name=username]", "root")
    page.fill("input[name=password]", "admin-pw-2026")
    page.locator("input[type=submit]").click()
    page.fill("input[name=holder_name]", "张为")
    page.locator("input[name=_save]").click()
    page.wait_for_url("**/certificates/certificate/")

    staff = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
    staff.goto(
        live_server.url
        + "/accounts/login/?next="
        + reverse("certificates:staff_certificate", args=[certificate.code])
    )
    staff.fill("input[name=username]", "carol")
    staff.fill("input[name=password]", "centre-pw-2026")
    staff.locator("form button[type=submit]").last.click()
    staff.wait_for_url("**/c/" + certificate.code + "/")
    timeline = staff.locator("ul.timeline").inner_text()
    assert "管理后台修改" in timeline and "姓名：张伟 → 张为" in timeline and "系统管理员" in timeline
    staff.screenshot(path="/tmp/adminaudit-certificate-timeline.png", full_page=True)
    staff.context.close()

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from portal import audit
from portal.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_groups_created_by_migration():
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "applicant",
        "centre_staff",
        "bureau",
        "expert",
    }
    assert Group.objects.get(name="centre_staff").permissions.filter(codename="change_calendarday").exists()


def test_audit_trail_is_append_only(alice):
    event = audit.record("account_registered", alice.institution, alice)
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()
    assert AuditEvent.objects.count() == 1


def test_unknown_audit_event_refused(alice):
    with pytest.raises(KeyError):
        audit.record("no_such_event", alice.institution, alice)


def test_admin_pages_render_with_search(admin_client):
    for model in ["user", "institution", "calendarday", "occupation", "auditevent", "notification"]:
        response = admin_client.get(reverse(f"admin:portal_{model}_changelist"), {"q": "天津"})
        assert response.status_code == 200, model


def test_staff_banner_from_december(client, carol, settings):
    import time_machine

    client.force_login(carol)
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        assert (
            "2027 年的法定节假日安排尚未在工作日历中确认完整"
            in client.get(reverse("dashboard")).content.decode()
        )
    with time_machine.travel("2026-11-20 10:00 +0800", tick=False):
        assert 'data-testid="calendar-banner"' not in client.get(reverse("dashboard")).content.decode()


def test_applicant_never_sees_banner(client, alice):
    import time_machine

    client.force_login(alice)
    with time_machine.travel("2026-12-01 10:00 +0800", tick=False):
        assert 'data-testid="calendar-banner"' not in client.get(reverse("dashboard")).content.decode()


def test_error_pages_in_chinese(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_role_groups_survive_a_flush():
    from django.core.management import call_command

    call_command("flush", interactive=False, verbosity=0)
    assert set(Group.objects.values_list("name", flat=True)) >= {
        "applicant",
        "centre_staff",
        "bureau",
        "expert",
    }

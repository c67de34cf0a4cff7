"""Issue 44 mends: the sign-in pages find their plan through certification.views.own_plan / visible_plan
(no copy of the lookup in attendance_views), and the centre's draw form lives in certification.forms with no
bound of its own: how many may be drawn is the service's rule (1 .. the day's sessions), and that rule's
refusal is what the centre reads."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from certification import attendance_views, forms, session_check_views
from certification.models import SessionCheckDraw
from tests.certification.test_session_checks import DAY, day_sessions  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db


def test_the_sign_in_views_use_the_one_plan_lookup():
    assert not hasattr(attendance_views, "_plan_session")
    from certification import views

    assert attendance_views.own_plan is views.own_plan and attendance_views.visible_plan is views.visible_plan


def test_the_session_check_forms_live_in_forms_py():
    assert session_check_views.DrawForm is forms.DrawForm
    assert session_check_views.FindingsForm is forms.FindingsForm
    assert session_check_views.WeekForm is forms.WeekForm
    assert forms.DrawForm({"day": "2026-06-10", "n": "5000"}).is_valid()  # no bound of the form's own
    assert not forms.DrawForm({"day": "2026-06-10", "n": "0"}).is_valid()


@pytest.mark.parametrize("n", ["5", "1500"])
def test_too_many_is_refused_by_the_service_s_rule(client, carol, day_sessions, n):  # noqa: F811
    client.force_login(carol)
    response = client.post(reverse("certification:session_checks_draw"), {"day": DAY.isoformat(), "n": n})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("抽取数量应在 1 至 4 之间" in t for t in texts), texts
    assert not SessionCheckDraw.objects.exists()


def test_another_plan_s_session_is_404_on_the_sign_in_pages(client, alice, bob, day_sessions):  # noqa: F811
    theirs = day_sessions[3]  # bob's institution's
    for who in (alice,):
        client.force_login(who)
        for name in ("session_sign_in", "session_sign_in_sheet"):
            assert (
                client.get(reverse(f"certification:{name}", args=[theirs.plan_id, theirs.pk])).status_code
                == 404
            )
        mark = reverse("certification:session_sign_in_mark", args=[theirs.plan_id, theirs.pk])
        assert client.post(mark, {"rest": "present"}).status_code == 404
    mine = day_sessions[0]
    client.force_login(bob)
    assert (
        client.get(reverse("certification:session_sign_in", args=[theirs.plan_id, mine.pk])).status_code
        == 404
    )

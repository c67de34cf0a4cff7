"""Issue 44 item 4: the centre's calendar of every institution's exam sessions, the day's on-site checks drawn
with portal.draws (pool and seed kept, repeatable), and a check's findings recorded as a supervision record of
the institution's filing (《天津市职业技能等级认定工作管理办法（试行）》第十九条)."""

import datetime

import pytest
from django.urls import reverse

from certification import session_checks, sessions
from certification.constants import StaffRole
from certification.models import ExamSession, PlanStaff, SessionCheck, SessionCheckDraw
from filings.models import Inspection
from portal.errors import NotPermitted, PortalError
from portal.models import AuditEvent
from tests.certification.factories import PlanFactory, filed_institution, person_id
from tests.portal.factories import UserFactory

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.date(2026, 6, 10)


def at(day, hour):
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=TZ)


def a_plan(user, n):
    filed_institution(user.institution)
    plan = PlanFactory(institution=user.institution, staffed=True)
    PlanStaff.objects.create(
        plan=plan, role=StaffRole.SUPERVISOR, name=f"督导{n}", id_number=person_id(400 + n)
    )
    return plan


def a_session(plan, user, day=DAY, hour=9, room="101"):
    return sessions.create_session(
        plan,
        user,
        kind=ExamSession.Kind.THEORY,
        starts_at=at(day, hour),
        ends_at=at(day, hour + 1),
        place="考点",
        room=room,
        capacity=10,
        supervisor=plan.staff.filter(role=StaffRole.SUPERVISOR).order_by("-pk").first(),
        assessors=[],
    )


@pytest.fixture
def day_sessions(alice, bob):
    """Four sessions on DAY (three of alice's institution, one of bob's), one the day before, one the day
    after: the pool of DAY's draw is the four."""
    plan_a, plan_b = a_plan(alice, 1), a_plan(bob, 2)
    rows = [a_session(plan_a, alice, hour=h, room=f"10{h}") for h in (8, 10, 14)]
    rows.append(a_session(plan_b, bob, hour=9, room="201"))
    a_session(plan_a, alice, day=DAY - datetime.timedelta(days=1), room="099")
    a_session(plan_a, alice, day=DAY + datetime.timedelta(days=1), room="111")
    return rows


def test_the_draw_takes_the_day_s_sessions_only_and_can_be_repeated(day_sessions, carol):
    draw = session_checks.draw_checks(DAY, 2, carol, seed="0f0f0f0f0f0f0f0f")
    assert sorted(draw.pool) == sorted(s.pk for s in day_sessions)
    assert len(draw.chosen) == 2 and set(draw.chosen) <= set(draw.pool)
    assert session_checks.replay(draw) == draw.chosen
    assert set(SessionCheck.objects.values_list("session_id", flat=True)) == set(draw.chosen)
    assert AuditEvent.objects.filter(event="certification_session_checks_drawn").count() == 1


@pytest.mark.parametrize("n, ok", [(0, False), (1, True), (4, True), (5, False)])
def test_how_many_may_be_drawn(day_sessions, carol, n, ok):
    """1 .. the number of the day's sessions (4 here): just under, at and just over each end."""
    if ok:
        assert len(session_checks.draw_checks(DAY, n, carol).chosen) == n
    else:
        with pytest.raises(PortalError, match="1 至 4"):
            session_checks.draw_checks(DAY, n, carol)
        assert not SessionCheckDraw.objects.exists()


def test_one_draw_a_day_and_a_day_without_sessions(day_sessions, carol):
    session_checks.draw_checks(DAY, 1, carol)
    with pytest.raises(PortalError, match="已经抽取过"):
        session_checks.draw_checks(DAY, 1, carol)
    with pytest.raises(PortalError, match="没有考场安排"):
        session_checks.draw_checks(DAY + datetime.timedelta(days=5), 1, carol)


def test_only_the_centre_draws_and_records(day_sessions, alice, dave):
    for user in (alice, dave):
        with pytest.raises(NotPermitted):
            session_checks.draw_checks(DAY, 1, user)
        with pytest.raises(NotPermitted):
            session_checks.record_findings(
                day_sessions[0], user, method="onsite", inspectors="甲", findings="乙"
            )


def test_findings_become_a_supervision_record_of_the_filing(day_sessions, carol, alice):
    draw = session_checks.draw_checks(DAY, 4, carol)
    session = day_sessions[0]
    check = session_checks.record_findings(
        session,
        carol,
        method="onsite",
        inspectors="王督导、李督导",
        findings="考场签到表与名册一致。",
        measure="",
    )
    assert check.draw == draw  # the drawn check, not a second one
    inspection = Inspection.objects.get()
    assert inspection.filing.institution == alice.institution
    assert inspection.kind == "daily" and inspection.method == "onsite" and inspection.inspected_on == DAY
    assert "考场签到表与名册一致。" in inspection.findings and session.room in inspection.findings
    with pytest.raises(PortalError, match="已登记"):
        session_checks.record_findings(session, carol, method="remote", inspectors="甲", findings="乙")
    with pytest.raises(PortalError, match="检查方式"):
        session_checks.record_findings(
            day_sessions[1], carol, method="records", inspectors="甲", findings="乙"
        )
    with pytest.raises(PortalError, match="检查发现"):
        session_checks.record_findings(
            day_sessions[1], carol, method="remote", inspectors="甲", findings="  "
        )
    # a session not drawn may still get findings (远程监控)
    session_checks.record_findings(
        day_sessions[1], carol, method="remote", inspectors="甲", findings="画面清晰。"
    )
    assert Inspection.objects.count() == 2


def test_a_session_of_an_institution_without_a_filing_in_force(carol):
    user = UserFactory(applicant=True)
    filed_institution(
        user.institution, valid_until=DAY - datetime.timedelta(days=1)
    )  # expired the day before
    plan = PlanFactory(institution=user.institution, staffed=True)
    supervisor = PlanStaff.objects.create(
        plan=plan, role=StaffRole.SUPERVISOR, name="督导", id_number=person_id(499)
    )
    session = ExamSession.objects.create(
        plan=plan, kind="theory", starts_at=at(DAY, 9), ends_at=at(DAY, 10), place="考点", room="1", capacity=5,
        supervisor=supervisor,
    )  # fmt: skip
    with pytest.raises(PortalError, match="没有有效的评价机构备案"):
        session_checks.record_findings(session, carol, method="onsite", inspectors="甲", findings="乙")


# --- pages ---------------------------------------------------------------------------------------------


def test_the_calendar_shows_the_week_and_the_centre_draws_from_it(client, day_sessions, carol, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 9, 10, tzinfo=TZ), tick=False)
    client.force_login(carol)
    url = reverse("certification:session_calendar")
    page = client.get(url, {"week": DAY.isoformat()}).content.decode()
    assert page.count('data-testid="calendar-session"') == 6  # the week of 2026-06-08 .. 06-14
    assert page.count('data-testid="draw-form"') == 3  # 06-09 (today), 06-10, 06-11; none in the past
    response = client.post(reverse("certification:session_checks_draw"), {"day": DAY.isoformat(), "n": 2})
    assert response.status_code == 302 and response["Location"].endswith("?week=2026-06-10")
    page = client.get(response["Location"]).content.decode()
    assert "已抽取 2/4 个考场" in page and page.count("已抽中") == 2
    response = client.post(reverse("certification:session_checks_draw"), {"day": DAY.isoformat(), "n": 1})
    assert "已经抽取过" in client.get(response["Location"]).content.decode()


def test_the_bureau_reads_the_calendar_and_others_are_refused(client, day_sessions, dave, alice):
    client.force_login(dave)
    page = client.get(reverse("certification:session_calendar"), {"week": DAY.isoformat()}).content.decode()
    assert page.count('data-testid="calendar-session"') == 6 and 'data-testid="draw-form"' not in page
    assert (
        client.post(
            reverse("certification:session_checks_draw"), {"day": DAY.isoformat(), "n": 1}
        ).status_code
        == 403
    )
    check_url = reverse("certification:session_check", args=[day_sessions[0].pk])
    assert client.get(check_url).status_code == 200
    assert (
        client.post(check_url, {"method": "onsite", "inspectors": "甲", "findings": "乙"}).status_code == 403
    )
    assert not Inspection.objects.exists()
    client.force_login(alice)
    assert client.get(reverse("certification:session_calendar")).status_code == 403


def test_the_findings_form_keeps_what_was_typed_on_a_refusal(client, day_sessions, carol):
    client.force_login(carol)
    url = reverse("certification:session_check", args=[day_sessions[0].pk])
    page = client.post(url, {"method": "onsite", "inspectors": "王督导", "findings": ""}).content.decode()
    assert "王督导" in page and "findings-form" in page
    response = client.post(url, {"method": "onsite", "inspectors": "王督导", "findings": "一切正常。"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert 'data-testid="recorded"' in page and "findings-form" not in page
    assert Inspection.objects.count() == 1


def test_an_empty_week_points_to_the_next_day_with_sessions(client, day_sessions, carol):
    client.force_login(carol)
    page = client.get(reverse("certification:session_calendar"), {"week": "2026-05-20"}).content.decode()
    assert 'data-testid="no-sessions"' in page
    assert "下一个有考场安排的日期：2026-06-09" in page and "?week=2026-06-09" in page
    page = client.get(reverse("certification:session_calendar"), {"week": "2026-06-20"}).content.decode()
    assert 'data-testid="later"' not in page

"""Issue 44: a session edited and deleted by the institution that owns the plan (certification.sessions.
update_session / delete_session, the pages in session_views): the rules of a new session still hold (逢评必督,
nobody in two rooms at once), and those its seats add (never fewer seats than allocated, the kind kept, no
clash for its candidates); a deletion only while nobody in it is marked present or absent, its seats going back
to waiting. Both audited."""

import datetime

import pytest
from django.contrib.messages import get_messages

from certification import attendance, session_checks, sessions
from certification.constants import StaffRole
from certification.models import ExamSession, PlanStaff, Seat
from portal.errors import NotPermitted, PortalError
from portal.models import AuditEvent
from tests.certification.test_session_views import arrange, at, form_data, plan, staff, url  # noqa: F401

pytestmark = pytest.mark.django_db


def edit_kwargs(session, **changes):
    kwargs = {
        "kind": session.kind,
        "starts_at": session.starts_at,
        "ends_at": session.ends_at,
        "place": session.place,
        "room": session.room,
        "capacity": session.capacity,
        "supervisor": session.supervisor,
        "assessors": list(session.assessors.all()),
    }
    kwargs.update(changes)
    return kwargs


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# --- the service: update_session ----------------------------------------------------------------------


def test_an_edit_is_saved_and_audited_with_what_changed(alice, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    edited = sessions.update_session(session, alice, **edit_kwargs(session, room="102", capacity=12))
    edited.refresh_from_db()
    assert (edited.room, edited.capacity) == ("102", 12)
    event = AuditEvent.objects.get(event="certification_session_updated")
    assert event.data["changed"] == ["room", "capacity"] and event.data["session"] == session.pk


def test_an_edit_keeps_a_supervisor_of_the_plan(alice, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    with pytest.raises(PortalError, match="逢评必督"):
        sessions.update_session(session, alice, **edit_kwargs(session, supervisor=None))
    assessor = staff(plan, StaffRole.ASSESSOR)[1]
    with pytest.raises(PortalError, match="督导员须为本方案的质量督导员"):
        sessions.update_session(session, alice, **edit_kwargs(session, supervisor=assessor))
    session.refresh_from_db()
    assert session.supervisor == staff(plan, StaffRole.SUPERVISOR)[0]


def test_an_edit_into_another_room_s_time_is_refused_for_its_people_but_not_for_itself(alice, plan):  # noqa: F811
    first = arrange(plan, alice, "101", 10, start=9)  # 督导0 + 考评0, 09:00-11:00
    second = arrange(plan, alice, "102", 10, start=13, supervisor=1)  # 督导1 + 考评1, 13:00-15:00
    # its own time, shifted within itself: no clash with itself
    sessions.update_session(first, alice, **edit_kwargs(first, starts_at=at(10), ends_at=at(12)))
    with pytest.raises(PortalError, match="同一人不能同时在两个考场"):
        sessions.update_session(
            second,
            alice,
            **edit_kwargs(
                second, starts_at=at(11), ends_at=at(13), assessors=staff(plan, StaffRole.ASSESSOR)[:1]
            ),
        )
    # back to back (ends as the other starts) is allowed
    sessions.update_session(
        second,
        alice,
        **edit_kwargs(
            second, starts_at=at(12), ends_at=at(14), assessors=staff(plan, StaffRole.ASSESSOR)[:1]
        ),
    )


@pytest.mark.parametrize("capacity, ok", [(3, False), (4, True), (5, True)])
def test_capacity_never_below_the_seats_allocated(alice, plan, capacity, ok):  # noqa: F811
    session = arrange(plan, alice, "101", 4)
    sessions.allocate(plan, alice)
    assert session.seats.count() == 4
    if ok:
        sessions.update_session(session, alice, **edit_kwargs(session, capacity=capacity))
    else:
        with pytest.raises(PortalError, match="座位数不能少于 4"):
            sessions.update_session(session, alice, **edit_kwargs(session, capacity=capacity))
    session.refresh_from_db()
    assert session.capacity == (capacity if ok else 4)


def test_a_new_time_clashing_with_a_candidate_s_other_seat_is_refused(alice, plan):  # noqa: F811
    theory = arrange(plan, alice, "101", 10, start=9)
    practical = arrange(plan, alice, "实训室", 10, start=13, supervisor=1, kind=ExamSession.Kind.PRACTICAL)
    sessions.allocate(plan, alice)  # every candidate in both
    with pytest.raises(PortalError, match="考生00") as refused:
        sessions.update_session(practical, alice, **edit_kwargs(practical, starts_at=at(10), ends_at=at(12)))
    assert "冲突" in str(refused.value)
    practical.refresh_from_db()
    assert practical.starts_at == at(13)
    sessions.update_session(practical, alice, **edit_kwargs(practical, starts_at=at(11), ends_at=at(12)))
    practical.refresh_from_db()
    assert practical.starts_at == at(11) and theory.seats.count() == 6


def test_the_kind_is_kept_once_seats_are_allocated(alice, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    sessions.update_session(session, alice, **edit_kwargs(session, kind=ExamSession.Kind.PRACTICAL))
    sessions.update_session(session, alice, **edit_kwargs(session, kind=ExamSession.Kind.THEORY))
    sessions.allocate(plan, alice)
    with pytest.raises(PortalError, match="不能更改考核类型"):
        sessions.update_session(session, alice, **edit_kwargs(session, kind=ExamSession.Kind.PRACTICAL))


def test_only_the_owning_institution_edits_or_deletes(alice, bob, carol, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    for who in (bob, carol):
        with pytest.raises(NotPermitted):
            sessions.update_session(session, who, **edit_kwargs(session, room="x"))
        with pytest.raises(NotPermitted):
            sessions.delete_session(session, who)
    assert ExamSession.objects.get().room == "101"


# --- the service: delete_session ----------------------------------------------------------------------


def test_a_deleted_session_s_seats_go_back_to_waiting(alice, plan):  # noqa: F811
    first = arrange(plan, alice, "101", 3, start=9)
    arrange(plan, alice, "102", 3, start=9, supervisor=1)
    sessions.allocate(plan, alice)
    assert sessions.waiting(plan) == 0  # two sessions of one kind count that kind once
    assert sessions.delete_session(first, alice) == 3
    assert not ExamSession.objects.filter(pk=first.pk).exists()
    assert sessions.waiting(plan) == 3  # the theory kind still has a session: three candidates wait
    assert Seat.objects.count() == 3
    event = AuditEvent.objects.get(event="certification_session_deleted")
    assert event.data["released"] == 3 and event.data["room"] == "101"
    assert sessions.allocate(plan, alice).seated == 0  # no room left of that kind (102 is full)


def test_a_session_with_anyone_marked_is_not_deleted(alice, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    sessions.allocate(plan, alice)
    seat = session.seats.select_related("candidate", "session__plan").first()
    attendance.mark(seat, alice, "absent", today=datetime.date(2026, 6, 10))
    with pytest.raises(PortalError, match="1 名考生登记了到场或缺考"):
        sessions.delete_session(session, alice)
    attendance.mark(seat, alice, "", today=datetime.date(2026, 6, 10))  # unmarked again: it may go
    assert sessions.delete_session(session, alice) == 6
    assert (
        not AuditEvent.objects.filter(event="certification_session_deleted")
        .exclude(data__session=session.pk)
        .exists()
    )


def test_a_session_drawn_for_an_on_site_check_is_not_deleted_nor_moved_to_another_day(alice, carol, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    session_checks.draw_checks(datetime.date(2026, 6, 10), 1, carol)
    with pytest.raises(PortalError, match="现场督导"):
        sessions.delete_session(session, alice)
    tomorrow = edit_kwargs(session, starts_at=at(9, day=11), ends_at=at(11, day=11))
    with pytest.raises(PortalError, match="不能改到其他日期"):
        sessions.update_session(session, alice, **tomorrow)
    sessions.update_session(session, alice, **edit_kwargs(session, starts_at=at(14), ends_at=at(16)))


# --- the pages ----------------------------------------------------------------------------------------


def test_the_edit_page_is_the_new_session_form_filled_in(client, alice, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    client.force_login(alice)
    detail = client.get(url("session", plan, session.pk)).content.decode()
    assert (
        url("session_edit", plan, session.pk) in detail
        and url("session_delete_confirm", plan, session.pk) in detail
    )
    assert 'data-testid="next-step"' in detail
    page = client.get(url("session_edit", plan, session.pk)).content.decode()
    assert (
        "修改考场安排" in page
        and 'value="101"' in page
        and 'value="2026-06-10"' in page
        and 'value="09:00"' in page
    )
    assert 'data-testid="next-step"' in page
    response = client.post(
        url("session_edit", plan, session.pk),
        form_data(plan, kind="theory", room="103", capacity="15", starts="10:00", ends="12:00"),
    )
    assert response.status_code == 302 and response["Location"] == url("session", plan, session.pk)
    session.refresh_from_db()
    assert (session.room, session.capacity, session.starts_at) == ("103", 15, at(10))
    assert ExamSession.objects.count() == 1


def test_the_edit_page_says_the_rule_s_refusal_and_keeps_what_was_typed(client, alice, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    client.force_login(alice)
    response = client.post(url("session_edit", plan, session.pk), form_data(plan, supervisor="", room="105"))
    page = response.content.decode()
    assert (
        response.status_code == 200 and "逢评必督" in page and "第二十一条" in page and 'value="105"' in page
    )
    assert ExamSession.objects.get().room == "101"


def test_others_get_404_on_the_edit_and_delete_pages(client, alice, bob, carol, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    for who in (bob, carol):
        client.force_login(who)
        for name in ("session_edit", "session_delete_confirm"):
            assert client.get(url(name, plan, session.pk)).status_code == 404
        assert client.post(url("session_delete", plan, session.pk)).status_code == 404
    client.force_login(carol)
    assert (
        url("session_edit", plan, session.pk)
        not in client.get(url("session", plan, session.pk)).content.decode()
    )
    assert ExamSession.objects.count() == 1


def test_delete_through_the_confirmation_page(client, alice, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    sessions.allocate(plan, alice)
    client.force_login(alice)
    page = client.get(url("session_delete_confirm", plan, session.pk)).content.decode()
    assert "6 个座位将被取消" in page and url("session_delete", plan, session.pk) in page
    stray = client.get(url("session_delete", plan, session.pk))
    assert stray.status_code == 302 and stray["Location"] == url("session_delete_confirm", plan, session.pk)
    assert ExamSession.objects.exists()
    response = client.post(url("session_delete", plan, session.pk))
    assert response.status_code == 302 and response["Location"] == url("sessions", plan)
    assert any("6 名考生的座位已取消" in m for m in messages_of(response))
    assert not ExamSession.objects.exists() and not Seat.objects.exists()


def test_delete_is_refused_with_a_clear_message_once_anyone_is_marked(client, alice, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    sessions.allocate(plan, alice)
    seat = session.seats.select_related("candidate", "session__plan").first()
    attendance.mark(seat, alice, "present", today=datetime.date(2026, 6, 10))
    client.force_login(alice)
    page = client.get(url("session_delete_confirm", plan, session.pk)).content.decode()
    assert "签到记录须保留，不能删除该考场" in page and 'data-testid="delete-form"' not in page
    response = client.post(url("session_delete", plan, session.pk))
    assert response.status_code == 302 and response["Location"] == url("session", plan, session.pk)
    assert any("不能删除该考场" in m for m in messages_of(response))
    assert ExamSession.objects.filter(pk=session.pk).exists() and session.seats.count() == 6
    assert not AuditEvent.objects.filter(event="certification_session_deleted").exists()


def test_staff_of_another_plan_are_not_taken(alice, plan):  # noqa: F811
    session = arrange(plan, alice, "101", 10)
    from tests.certification.factories import PlanFactory, person_id

    other = PlanFactory(institution=alice.institution, submitted=True, staffed=True)
    stranger = PlanStaff.objects.create(
        plan=other, role=StaffRole.SUPERVISOR, name="外人", id_number=person_id(777)
    )
    with pytest.raises(PortalError, match="本方案的质量督导员"):
        sessions.update_session(session, alice, **edit_kwargs(session, supervisor=stranger))

"""Issue 44: a candidate moved to another session. The ticket printed before the move names a seat that is
gone, so it does not sign in; the sign-in page says where the candidate sits now (found from the old ticket's
seat id through Seat.former_seats), and the session page says which of its candidates need a new ticket."""

import datetime

import pytest
from django.urls import reverse

from certification import attendance, sessions, tickets
from certification.constants import StaffRole
from certification.models import ExamSession, Seat
from tests.certification.factories import CandidateFactory, PlanFactory

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))


def _session(plan, room, hour=9, kind=ExamSession.Kind.THEORY):
    return ExamSession.objects.create(
        plan=plan, kind=kind, starts_at=datetime.datetime(2026, 6, 10, hour, tzinfo=TZ),
        ends_at=datetime.datetime(2026, 6, 10, hour + 2, tzinfo=TZ), place="考点", room=room, capacity=10,
        supervisor=plan.staff.get(role=StaffRole.SUPERVISOR),
    )  # fmt: skip


@pytest.fixture
def plan(alice):
    plan = PlanFactory(institution=alice.institution, approved=True, staffed=True)
    for i in range(3):
        CandidateFactory(plan=plan, name=f"考生{i}", row=i + 2)
    first = _session(plan, "101")
    sessions.allocate(plan, alice)  # everyone in 101
    _session(plan, "102")
    _session(plan, "103")
    assert first.seats.count() == 3
    return plan


def room(plan, name):
    return ExamSession.objects.get(plan=plan, room=name)


def seat_of(plan, name):
    return Seat.objects.select_related("candidate", "session__plan").get(
        session__plan=plan, candidate__name=name
    )


def scan(client, plan, session, text):
    url = reverse("certification:session_sign_in_mark", args=[plan.pk, session.pk])
    response = client.post(url, {"token": text}, follow=True)
    return [str(m) for m in response.context["messages"]]


def test_the_old_ticket_says_where_the_candidate_sits_now(client, plan, alice, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 10, 8, 30, tzinfo=TZ), tick=False)
    old = seat_of(plan, "考生1")
    old_pk, old_ticket = old.pk, tickets.token(old)
    moved = sessions.move(old, room(plan, "102"), alice)
    assert moved.former_seats == [old_pk] and tickets.seat_for(old_ticket) is None
    client.force_login(alice)
    said = scan(client, plan, room(plan, "101"), old_ticket)
    assert said == [
        f"考生1 已调至 {room(plan, '102')}（座位 {moved.number:02d}），原准考证已作废，请打印新准考证。"
    ]
    # scanned at the room it was moved to: the same refusal, naming this session
    said = scan(client, plan, room(plan, "102"), old_ticket)
    assert said == [f"考生1 已调至 本考场（座位 {moved.number:02d}），原准考证已作废，请打印新准考证。"]
    assert not Seat.objects.exclude(attendance="").exists()
    # the new ticket signs in
    said = scan(client, plan, room(plan, "102"), tickets.token(moved))
    assert said == [f"{moved.number:02d} 号 考生1：到场。"]


def test_moved_twice_the_first_ticket_still_finds_the_seat(plan, alice):
    first = seat_of(plan, "考生0")
    first_pk, ticket = first.pk, tickets.token(first)
    second = sessions.move(first, room(plan, "102"), alice)
    second_pk, second_ticket = second.pk, tickets.token(second)
    third = sessions.move(second, room(plan, "103"), alice)
    assert third.former_seats == [first_pk, second_pk] and None not in third.former_seats
    assert attendance.moved_from_ticket(ticket) == third
    assert attendance.moved_from_ticket(second_ticket) == third
    assert attendance.moved_from_ticket(tickets.token(third)) is None  # not a former seat: it is the seat
    assert attendance.moved_from_ticket("ZKZ-1-AAAAAAAAAAAAAAAA") is None  # forged: nothing said


def test_a_forged_ticket_of_a_former_seat_is_not_told_where(client, plan, alice, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 10, 8, 30, tzinfo=TZ), tick=False)
    old = seat_of(plan, "考生2")
    good = tickets.token(old)
    sessions.move(old, room(plan, "102"), alice)
    forged = good[:-1] + ("B" if good.endswith("A") else "A")
    client.force_login(alice)
    said = scan(client, plan, room(plan, "101"), forged)
    assert said[0].startswith("准考证二维码无效") and "102" not in said[0]


def test_the_session_page_shows_who_needs_a_new_ticket(client, plan, alice):
    sessions.move(seat_of(plan, "考生1"), room(plan, "102"), alice)
    client.force_login(alice)
    page = client.get(reverse("certification:session", args=[plan.pk, room(plan, "102").pk])).content.decode()
    assert 'data-testid="moved-tickets"' in page and "须重新打印准考证：考生1" in page
    assert page.count('data-testid="new-ticket"') == 1
    assert "下一步：为调至本考场的考生重新打印准考证" in page
    page = client.get(reverse("certification:session", args=[plan.pk, room(plan, "101").pk])).content.decode()
    assert 'data-testid="moved-tickets"' not in page and 'data-testid="new-ticket"' not in page

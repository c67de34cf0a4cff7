"""Issue 44 item 1: exam sessions and seats — no session without a supervisor (seed 001 第二十一条), nobody in
two places at once, never over capacity (certification/sessions.py)."""

import datetime

import pytest

from certification import sessions
from certification.constants import StaffRole
from certification.models import ExamSession, PlanStaff, Seat
from portal.errors import NotPermitted, PortalError
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, person_id

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(hour, minute=0, day=10):
    return datetime.datetime(2026, 6, day, hour, minute, tzinfo=TZ)


NINE, ELEVEN = at(9), at(11)


@pytest.fixture
def plan(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, staffed=True)
    for i in range(30):
        CandidateFactory(plan=plan, name=f"考生{i:02d}", row=i + 2)
    PlanStaff.objects.create(plan=plan, role=StaffRole.SUPERVISOR, name="督导1", id_number=person_id(301))
    return plan


def staff(plan, role):
    return list(plan.staff.filter(role=role).order_by("pk"))


def session(plan, alice, kind=ExamSession.Kind.THEORY, start=NINE, end=ELEVEN, room="101", capacity=20, assessors=None, supervisor=True):  # fmt: skip
    return sessions.create_session(
        plan, alice, kind=kind, starts_at=start, ends_at=end, place="考点", room=room, capacity=capacity,
        supervisor=staff(plan, StaffRole.SUPERVISOR)[int(supervisor) - 1] if supervisor else None,
        assessors=staff(plan, StaffRole.ASSESSOR)[:1] if assessors is None else assessors,
    )  # fmt: skip


def test_no_session_without_a_supervisor(plan, alice):
    with pytest.raises(PortalError) as error:
        session(plan, alice, supervisor=False)
    assert "逢评必督" in str(error.value) and "第二十一条" in str(error.value)
    assert "《" in str(error.value)  # the notice by its own title, never "seed 001"
    assert not ExamSession.objects.exists()


def test_only_the_plans_own_institution_arranges_sessions(plan, bob):
    with pytest.raises(NotPermitted):
        session(plan, bob)


def test_an_assessor_is_never_in_two_rooms_at_once(plan, alice):
    assessor = staff(plan, StaffRole.ASSESSOR)[:1]
    session(plan, alice, start=at(9), end=at(11), room="101", assessors=assessor)
    with pytest.raises(PortalError) as error:  # overlapping by one minute
        session(plan, alice, kind=ExamSession.Kind.PRACTICAL, start=at(10, 59), end=at(12), room="102", assessors=assessor)  # fmt: skip
    assert "同一人不能同时在两个考场" in str(error.value)
    # back to back is allowed; so is another assessor at the same time (the supervisor is busy, though)
    session(plan, alice, kind=ExamSession.Kind.PRACTICAL, start=at(11), end=at(12), room="102", assessors=assessor)  # fmt: skip
    with pytest.raises(PortalError):
        session(plan, alice, start=at(9, 30), end=at(10), room="103", assessors=staff(plan, StaffRole.ASSESSOR)[1:2])  # fmt: skip


def test_allocation_never_exceeds_capacity_and_says_who_is_left(plan, alice):
    session(plan, alice, start=at(9), end=at(11), room="101", capacity=20)
    session(plan, alice, start=at(9), end=at(11), room="102", capacity=5, supervisor=2, assessors=[])
    outcome = sessions.allocate(plan, alice)
    counts = {s.room: s.seats.count() for s in ExamSession.objects.all()}
    assert counts == {"101": 20, "102": 5} and outcome.seated == 25
    assert len(outcome.unseated) == 5 and all("座位已满" in reason for _name, reason in outcome.unseated)
    assert sorted(Seat.objects.filter(session__room="101").values_list("number", flat=True)) == list(
        range(1, 21)
    )
    again = sessions.allocate(plan, alice)  # the seats given stay; nobody is seated twice
    assert again.seated == 0 and Seat.objects.count() == 25


def test_nobody_is_double_booked(plan, alice):
    session(plan, alice, kind=ExamSession.Kind.THEORY, start=at(9), end=at(11), room="101", capacity=30)
    session(plan, alice, kind=ExamSession.Kind.PRACTICAL, start=at(10), end=at(12), room="102", capacity=30, assessors=staff(plan, StaffRole.ASSESSOR)[1:2], supervisor=2)  # fmt: skip
    outcome = sessions.allocate(plan, alice)
    assert outcome.seated == 30 and len(outcome.unseated) == 30  # the practical overlaps the theory
    assert all("时间冲突" in reason for _name, reason in outcome.unseated)
    for candidate_id in Seat.objects.values_list("candidate_id", flat=True):
        assert Seat.objects.filter(candidate_id=candidate_id).count() == 1


def test_a_manual_move_keeps_the_rules(plan, alice):
    first = session(plan, alice, start=at(9), end=at(11), room="101", capacity=30)
    second = session(plan, alice, start=at(14), end=at(16), room="102", capacity=1, assessors=staff(plan, StaffRole.ASSESSOR)[1:2])  # fmt: skip
    sessions.allocate(plan, alice)
    seats = list(first.seats.order_by("number"))
    moved = sessions.move(seats[0], second, alice)
    assert moved.session == second and first.seats.count() == 29
    with pytest.raises(PortalError) as error:
        sessions.move(seats[1], second, alice)
    assert "座位已满" in str(error.value) and first.seats.count() == 29

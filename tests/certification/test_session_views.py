"""Issue 44 item 1, the pages: the institution arranges its plan's sessions through a form, allocates the
seats and moves a candidate; the centre reads; another institution gets 404 (certification/session_views.py
over certification/sessions.py)."""

import datetime

import pytest
from django.urls import reverse

from certification import session_views, sessions
from certification.constants import StaffRole
from certification.models import ExamSession, PlanStaff, Seat
from portal.models import AuditEvent
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, person_id

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))


def at(hour, day=10):
    return datetime.datetime(2026, 6, day, hour, tzinfo=TZ)


@pytest.fixture
def plan(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, submitted=True, staffed=True)
    for i in range(6):
        CandidateFactory(plan=plan, name=f"考生{i:02d}", row=i + 2, id_number=person_id(500 + i))
    PlanStaff.objects.create(plan=plan, role=StaffRole.SUPERVISOR, name="督导1", id_number=person_id(301))
    return plan


def staff(plan, role):
    return list(plan.staff.filter(role=role).order_by("pk"))


def arrange(plan, alice, room, capacity, start=9, supervisor=0, kind=ExamSession.Kind.THEORY):
    return sessions.create_session(
        plan, alice, kind=kind, starts_at=at(start), ends_at=at(start + 2), place="考点", room=room,
        capacity=capacity, supervisor=staff(plan, StaffRole.SUPERVISOR)[supervisor],
        assessors=staff(plan, StaffRole.ASSESSOR)[supervisor : supervisor + 1],
    )  # fmt: skip


def url(name, plan, *more):
    return reverse(f"certification:{name}", args=[plan.pk, *more])


def form_data(plan, **changes):
    data = {
        "kind": "practical",
        "day": "2026-06-10",
        "starts": "09:00",
        "ends": "11:30",
        "place": "河西区友谊路 1 号",
        "room": "实训室 7",
        "capacity": "20",
        "supervisor": str(staff(plan, StaffRole.SUPERVISOR)[0].pk),
        "assessors": [str(staff(plan, StaffRole.ASSESSOR)[0].pk), str(staff(plan, StaffRole.ASSESSOR)[1].pk)],
    }
    data.update(changes)
    return data


def test_the_plan_page_links_to_its_sessions(client, alice, plan):
    client.force_login(alice)
    page = client.get(url("plan", plan)).content.decode()
    assert url("sessions", plan) in page and "尚未安排考场" in page


def test_a_session_created_through_the_form(client, alice, plan):
    client.force_login(alice)
    page = client.get(url("session_new", plan)).content.decode()
    assert "督导1" in page and "考评0" in page and "监考0" not in page  # the plan's own staff, by role
    assert 'data-testid="next-step"' in page and "回到考场安排页面自动分配座位" in page
    response = client.post(url("session_new", plan), form_data(plan))
    assert response.status_code == 302 and response["Location"] == url("sessions", plan)
    session = ExamSession.objects.get()
    assert session.starts_at == at(9) and session.ends_at == datetime.datetime(2026, 6, 10, 11, 30, tzinfo=TZ)
    assert session.room == "实训室 7" and session.capacity == 20
    assert sorted(a.name for a in session.assessors.all()) == ["考评0", "考评1"]
    assert AuditEvent.objects.filter(event="certification_session_created").count() == 1
    listing = client.get(url("sessions", plan)).content.decode()
    assert "实训室 7" in listing and "0 / 20" in listing and "督导0" in listing and "考评0、考评1" in listing
    assert "自动分配座位（尚有 6 个座位待分配）" in listing


def test_no_supervisor_is_refused_with_article_21_and_keeps_what_was_typed(client, alice, plan):
    client.force_login(alice)
    response = client.post(url("session_new", plan), form_data(plan, supervisor=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "逢评必督" in page and "第二十一条" in page and "《" in page
    assert 'value="河西区友谊路 1 号"' in page and 'value="实训室 7"' in page and 'value="20"' in page
    assert 'value="11:30"' in page and 'value="2026-06-10"' in page
    assessor = staff(plan, StaffRole.ASSESSOR)[1]
    assert f'value="{assessor.pk}"' in page and "checked" in page
    assert not ExamSession.objects.exists()


def test_bad_times_and_a_busy_assessor_are_said_in_chinese(client, alice, plan):
    client.force_login(alice)
    page = client.post(url("session_new", plan), form_data(plan, ends="08:00")).content.decode()
    assert "结束时间须晚于开始时间" in page
    arrange(plan, alice, "101", 10, start=9)  # 督导0 and 考评0 from 09:00 to 11:00
    page = client.post(url("session_new", plan), form_data(plan)).content.decode()
    assert "同一人不能同时在两个考场" in page and ExamSession.objects.count() == 1


def test_allocate_says_how_many_were_seated_and_who_was_not(client, alice, plan):
    client.force_login(alice)
    response = client.post(url("session_allocate", plan), follow=True)
    assert "尚未安排考场" in response.content.decode() and not Seat.objects.exists()
    arrange(plan, alice, "101", 4)
    arrange(plan, alice, "102", 1, supervisor=1)
    page = client.post(url("session_allocate", plan), follow=True).content.decode()
    assert (
        "已为 5 名考生分配座位" in page and "1 人次未能分配座位：考生05（理论知识考试的考场座位已满" in page
    )
    assert "4 / 4" in page and "1 / 1" in page and Seat.objects.count() == 5
    # the rooms are full: the next step says so instead of offering the same allocation again
    # one candidate waits (two sessions of one kind count that kind once)
    assert "尚有 1 个座位待分配，但现有考场已满" in page and "自动分配座位（尚有" not in page


def test_the_seats_of_a_session_with_masked_numbers_and_pages(client, alice, plan, monkeypatch):
    first = arrange(plan, alice, "101", 6)
    sessions.allocate(plan, alice)
    client.force_login(alice)
    page = client.get(url("session", plan, first.pk)).content.decode()
    assert "考生00" in page and "6 / 6" in page
    assert person_id(500) not in page and person_id(500)[-4:] in page  # masked
    monkeypatch.setattr(session_views, "SEATS_PER_PAGE", 4)
    second = client.get(url("session", plan, first.pk) + "?page=2").content.decode()
    assert "考生05" in second and "考生00" not in second


def test_a_seat_moved_to_another_session(client, alice, plan):
    first = arrange(plan, alice, "101", 6)
    second = arrange(plan, alice, "102", 1, start=14)
    sessions.allocate(plan, alice)
    client.force_login(alice)
    seats = list(first.seats.order_by("number"))
    assert "102" in client.get(url("session", plan, first.pk)).content.decode()  # offered as a target
    page = client.post(
        url("seat_move", plan, first.pk, seats[0].pk), {"to": second.pk}, follow=True
    ).content.decode()
    assert "已将 考生00 调整到考场 102，座位号 1" in page
    assert second.seats.get().candidate.name == "考生00"
    page = client.post(
        url("seat_move", plan, first.pk, seats[1].pk), {"to": second.pk}, follow=True
    ).content.decode()
    assert "考场 102 座位已满" in page and first.seats.count() == 5
    page = client.post(
        url("seat_move", plan, first.pk, seats[1].pk), {"to": ""}, follow=True
    ).content.decode()
    assert "请选择要调整到的考场" in page
    assert AuditEvent.objects.filter(event="certification_seat_moved").count() == 1


def test_another_institution_gets_404_and_the_centre_only_reads(client, alice, bob, carol, erin, plan):
    first = arrange(plan, alice, "101", 6)
    second = arrange(plan, alice, "102", 6, start=14)
    sessions.allocate(plan, alice)
    seat = first.seats.first()
    reads = [url("sessions", plan), url("session", plan, first.pk)]
    writes = [
        url("session_new", plan),
        url("session_allocate", plan),
        url("seat_move", plan, first.pk, seat.pk),
    ]
    for user in (bob, erin):
        client.force_login(user)
        for address in reads + writes:
            assert client.get(address).status_code == 404, address
            assert client.post(address, {"to": second.pk, **form_data(plan)}).status_code == 404, address
    client.force_login(carol)
    for address in reads:
        page = client.get(address)
        assert page.status_code == 200
        assert b'data-testid="allocate"' not in page.content and b'name="to"' not in page.content
    for address in writes:
        assert client.post(address, {"to": second.pk, **form_data(plan)}).status_code == 404, address
    assert ExamSession.objects.count() == 2 and first.seats.count() == 6 and not second.seats.exists()


def test_the_demo_plan_in_the_queue_has_its_exam_day():
    from certification import demo
    from certification.models import AssessmentPlan
    from portal.demo import load_demo_accounts
    from portal.models import User

    load_demo_accounts()
    filed_institution(User.objects.get(username="applicant").institution, levels="45")
    assert "2 exam sessions, 22 seats, 2 waiting" in " ".join(demo.load())
    assert "already arranged" in " ".join(demo.load())
    plan = AssessmentPlan.objects.get(title=demo.TITLES[0])
    assert sorted(plan.sessions.values_list("room", flat=True)) == ["实训室 1", "理论考场 1"]


def test_a_supervisor_arranged_in_a_session_is_not_removed_from_the_plan(client, alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, staffed=True)  # a draft: its staff may change
    arrange(plan, alice, "101", 5)
    supervisor = staff(plan, StaffRole.SUPERVISOR)[0]
    client.force_login(alice)
    page = client.post(url("staff_remove", plan, supervisor.pk), follow=True).content.decode()
    assert "督导0 已安排在考场" in page and PlanStaff.objects.filter(pk=supervisor.pk).exists()

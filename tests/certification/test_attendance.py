"""Issue 44 item 3: sign-in and absence. Marking opens on the session's day; an absent candidate gets no
score for that exam (the score sheet and the candidate's page refuse it; the pre-filled sheet writes 缺考, read
back as no score); the plan page shows 缺考; the results summary counts the absent apart; the sign-in page and
the 签到表 PDF."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from certification import attendance, imports, sessions, summary
from certification.constants import StaffRole
from certification.models import ExamSession, Seat
from portal.errors import NotPermitted, PortalError
from portal.models import AuditEvent

from .factories import CandidateFactory, PlanFactory, scores_xlsx

pytestmark = pytest.mark.django_db
TZ = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.date(2026, 6, 10)


@pytest.fixture
def plan(alice):
    plan = PlanFactory(institution=alice.institution, approved=True, staffed=True)
    for i in range(4):
        CandidateFactory(plan=plan, name=f"考生{i}", row=i + 2)
    supervisor = plan.staff.get(role=StaffRole.SUPERVISOR)
    for kind, hour, room in ((ExamSession.Kind.THEORY, 9, "101"), (ExamSession.Kind.PRACTICAL, 14, "实训室")):
        ExamSession.objects.create(
            plan=plan, kind=kind, starts_at=datetime.datetime(2026, 6, 10, hour, tzinfo=TZ),
            ends_at=datetime.datetime(2026, 6, 10, hour + 2, tzinfo=TZ), place="考点", room=room, capacity=10,
            supervisor=supervisor,
        )  # fmt: skip
    sessions.allocate(plan, alice)
    return plan


def seat_of(plan, name, kind=ExamSession.Kind.THEORY):
    return Seat.objects.select_related("candidate", "session__plan").get(
        session__plan=plan, session__kind=kind, candidate__name=name
    )


@pytest.mark.parametrize("today, ok", [(DAY - datetime.timedelta(days=1), False), (DAY, True), (DAY + datetime.timedelta(days=1), True)])  # fmt: skip
def test_marking_opens_on_the_session_s_day(plan, alice, today, ok):
    seat = seat_of(plan, "考生0")
    if ok:
        assert attendance.mark(seat, alice, "absent", today=today).attendance == "absent"
        assert AuditEvent.objects.filter(event="certification_attendance_marked").count() == 1
    else:
        with pytest.raises(PortalError, match="考核当日（2026-06-10）起"):
            attendance.mark(seat, alice, "absent", today=today)


def test_only_the_institution_marks(plan, bob, carol):
    for user in (bob, carol):
        with pytest.raises(NotPermitted):
            attendance.mark(seat_of(plan, "考生0"), user, "present", today=DAY)


def test_an_absent_candidate_gets_no_score_for_that_exam(plan, alice):
    attendance.mark(seat_of(plan, "考生0"), alice, "absent", today=DAY)  # missed the theory exam only
    absent = CandidateFactory._meta.model.objects.get(plan=plan, name="考生0")
    problems = imports.enter_score(
        absent, alice, theory=Decimal("80"), practical=Decimal("75"), other_result="", note=""
    )
    assert problems == ["考生0 理论知识考试缺考，不能录入该项成绩。"]
    assert (
        imports.enter_score(absent, alice, theory=None, practical=Decimal("75"), other_result="", note="")
        == []
    )
    sheet = SimpleUploadedFile("s.xlsx", scores_xlsx([(absent.id_number, 80, 75)]))
    outcome = imports.import_scores(plan, sheet, alice)
    assert [text for _line, text in outcome.errors] == ["考生0 理论知识考试缺考，不能录入该项成绩。"]


def test_the_pre_filled_sheet_writes_absent_and_reads_it_back_as_no_score(plan, alice):
    attendance.mark(seat_of(plan, "考生1", ExamSession.Kind.PRACTICAL), alice, "absent", today=DAY)
    rows = list(load_workbook(io.BytesIO(imports.score_template(plan))).active.iter_rows(values_only=True))
    by_name = {row[0]: row for row in rows[1:]}
    assert by_name["考生1"][5] == "缺考" and by_name["考生0"][5] is None
    candidate = plan.candidates.get(name="考生1")
    sheet = SimpleUploadedFile("s.xlsx", scores_xlsx([(candidate.id_number, 70, "缺考")]))
    outcome = imports.import_scores(plan, sheet, alice)
    assert outcome.errors == []
    candidate.refresh_from_db()
    assert candidate.theory_score == Decimal("70") and candidate.practical_score is None


def test_a_candidate_with_a_score_is_not_marked_absent(plan, alice):
    candidate = plan.candidates.get(name="考生2")
    imports.enter_score(candidate, alice, theory=Decimal("66"), practical=None, other_result="", note="")
    with pytest.raises(PortalError, match="成绩已经录入"):
        attendance.mark(seat_of(plan, "考生2"), alice, "absent", today=DAY)
    attendance.mark(
        seat_of(plan, "考生2", ExamSession.Kind.PRACTICAL), alice, "absent", today=DAY
    )  # the other exam


def test_the_rest_present_and_the_counts(plan, alice):
    session = ExamSession.objects.get(plan=plan, kind=ExamSession.Kind.THEORY)
    attendance.mark(seat_of(plan, "考生3"), alice, "absent", today=DAY)
    assert attendance.mark_rest_present(session, alice, today=DAY) == 3
    assert attendance.counts(session) == {"present": 3, "absent": 1, "unmarked": 0}


def test_the_summary_counts_the_absent_apart(plan, alice):
    attendance.mark(seat_of(plan, "考生3"), alice, "absent", today=DAY)
    attendance.mark(seat_of(plan, "考生3", ExamSession.Kind.PRACTICAL), alice, "absent", today=DAY)
    attendance.mark(seat_of(plan, "考生1"), alice, "absent", today=DAY)
    assert summary.absent_count(alice.institution) == 0  # the plan's results are not verified yet
    type(plan).objects.filter(pk=plan.pk).update(state="verified", verified_on=DAY)
    assert summary.absent_count(alice.institution) == 2  # people, not seats
    assert summary.absent_count(alice.institution, datetime.date(2026, 7, 1)) == 0


# --- pages ---------------------------------------------------------------------------------------------


def sign_in_url(plan, name="session_sign_in"):
    session = ExamSession.objects.get(plan=plan, kind=ExamSession.Kind.THEORY)
    return reverse(f"certification:{name}", args=[plan.pk, session.pk])


def test_the_sign_in_page_on_a_phone(client, plan, alice, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 10, 8, 30, tzinfo=TZ), tick=False)
    client.force_login(alice)
    page = client.get(sign_in_url(plan)).content.decode()
    assert page.count('data-testid="sign-in-seat"') == 4 and page.count('data-testid="mark-absent"') == 4
    seat = seat_of(plan, "考生0")
    response = client.post(sign_in_url(plan, "session_sign_in_mark"), {"seat": seat.pk, "status": "absent"})
    assert response.status_code == 302 and response["Location"].endswith(f"#seat-{seat.pk}")
    client.post(sign_in_url(plan, "session_sign_in_mark"), {"rest": "present"})
    page = client.get(sign_in_url(plan)).content.decode()
    assert "签到已完成：到场 3 人，缺考 1 人" in page
    detail = client.get(reverse("certification:plan", args=[plan.pk])).content.decode()
    assert detail.count('data-testid="absent"') == 1


def test_staff_read_and_others_do_not_see(client, plan, bob, carol):
    plan.__class__.objects.filter(pk=plan.pk).update(state="approved")
    client.force_login(carol)
    page = client.get(sign_in_url(plan))
    assert page.status_code == 200 and 'data-testid="mark-absent"' not in page.content.decode()
    assert client.post(sign_in_url(plan, "session_sign_in_mark"), {"rest": "present"}).status_code == 404
    client.force_login(bob)
    assert client.get(sign_in_url(plan)).status_code == 404
    assert client.get(sign_in_url(plan, "session_sign_in_sheet")).status_code == 404


def test_the_sign_in_sheet_pdf(client, plan, alice):
    attendance.mark(seat_of(plan, "考生2"), alice, "absent", today=DAY)
    client.force_login(alice)
    response = client.get(sign_in_url(plan, "session_sign_in_sheet"))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "考生签到表" in text and "质量督导员" in text
    for i in range(4):
        assert f"考生{i}" in text
    assert "01" in text and "04" in text and "缺考" in text
    assert plan.candidates.get(name="考生0").id_number not in text  # masked


def test_before_the_day_the_page_says_when_and_offers_no_buttons(client, plan, alice, time_machine):
    time_machine.move_to(datetime.datetime(2026, 6, 9, 17, 0, tzinfo=TZ), tick=False)
    client.force_login(alice)
    page = client.get(sign_in_url(plan)).content.decode()
    assert "考核当日（2026-06-10）起方可登记签到" in page and 'data-testid="mark-absent"' not in page


# --- 扫码签到: the 准考证 QR text, typed by a handheld scanner or read by the page's camera ------------------


def scan(client, plan, text):
    response = client.post(sign_in_url(plan, "session_sign_in_mark"), {"token": text}, follow=True)
    return response, [str(m) for m in response.context["messages"]]


def test_a_scanned_ticket_marks_its_seat_present(client, plan, alice, time_machine):
    from certification import tickets

    time_machine.move_to(datetime.datetime(2026, 6, 10, 8, 30, tzinfo=TZ), tick=False)
    client.force_login(alice)
    page = client.get(sign_in_url(plan)).content.decode()
    assert 'data-testid="scan-token"' in page and "certification/sign_in.js" in page
    seat = seat_of(plan, "考生1")
    response = client.post(
        sign_in_url(plan, "session_sign_in_mark"), {"token": f" {tickets.token(seat).lower()}\n"}
    )
    assert response.status_code == 302 and response["Location"].endswith("#scan-token")
    seat.refresh_from_db()
    assert seat.attendance == "present" and seat.attendance_by == alice
    assert attendance.counts(seat.session) == {"present": 1, "absent": 0, "unmarked": 3}
    full_width = tickets.token(seat).translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)})  # ＺＫＺ－…
    _response, said = scan(client, plan, full_width)  # scanned twice, through a full-width input method
    assert said[-1] == f"{seat.number:02d} 号 考生1：到场。"


def test_a_ticket_of_another_session_or_plan_is_refused(client, plan, alice, time_machine):
    from certification import tickets

    time_machine.move_to(datetime.datetime(2026, 6, 10, 8, 30, tzinfo=TZ), tick=False)
    client.force_login(alice)
    practical = seat_of(plan, "考生2", ExamSession.Kind.PRACTICAL)
    _response, said = scan(client, plan, tickets.token(practical))
    assert said == [f"该准考证不属于本考场：考生2 的座位在 {practical.session}。"]
    other = PlanFactory(institution=alice.institution, approved=True, staffed=True)
    CandidateFactory(plan=other, name="他人", row=2)
    ExamSession.objects.create(
        plan=other, kind=ExamSession.Kind.THEORY, starts_at=datetime.datetime(2026, 6, 10, 9, tzinfo=TZ),
        ends_at=datetime.datetime(2026, 6, 10, 11, tzinfo=TZ), place="考点", room="102", capacity=10,
        supervisor=other.staff.get(role=StaffRole.SUPERVISOR),
    )  # fmt: skip
    sessions.allocate(other, alice)
    _response, said = scan(client, plan, tickets.token(Seat.objects.get(session__plan=other)))
    assert said == ["该准考证不属于本考场。"]  # nothing of another plan's candidate is shown
    assert not Seat.objects.exclude(attendance="").exists()


def test_a_tampered_or_unreadable_ticket_is_refused(client, plan, alice, time_machine):
    from certification import tickets

    time_machine.move_to(datetime.datetime(2026, 6, 10, 8, 30, tzinfo=TZ), tick=False)
    client.force_login(alice)
    seat, other = seat_of(plan, "考生0"), seat_of(plan, "考生3")
    forged = tickets.token(seat).replace(f"ZKZ-{seat.pk}-", f"ZKZ-{other.pk}-")  # another seat, old signature
    good = tickets.token(seat)
    tampered = good[:-1] + ("B" if good.endswith("A") else "A")
    for text in (forged, tampered, "hello"):
        response, said = scan(client, plan, text)
        assert said[0].startswith("准考证二维码无效")
        assert response.redirect_chain[-1][0].endswith("#scan-token")
    _response, said = scan(client, plan, "")
    assert said == ["请扫描准考证上的二维码。"]
    assert not Seat.objects.exclude(attendance="").exists()


def test_scanning_before_the_day_or_by_staff_is_refused(client, plan, alice, carol, time_machine):
    from certification import tickets

    time_machine.move_to(datetime.datetime(2026, 6, 9, 17, 0, tzinfo=TZ), tick=False)
    client.force_login(alice)
    token = tickets.token(seat_of(plan, "考生0"))
    assert 'data-testid="scan-token"' not in client.get(sign_in_url(plan)).content.decode()
    _response, said = scan(client, plan, token)
    assert said == ["考核当日（2026-06-10）起方可登记签到。"]
    client.force_login(carol)
    assert client.post(sign_in_url(plan, "session_sign_in_mark"), {"token": token}).status_code == 404
    assert not Seat.objects.exclude(attendance="").exists()

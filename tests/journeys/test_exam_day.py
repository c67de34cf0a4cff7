"""Issue 44 acceptance, the exam day in a real Chromium: the institution arranges two sessions through the form
and seats its 30 candidates, prints the 准考证 batch (pypdf reads the names and seats back; zbarimg reads a
printed QR code); a candidate downloads their own ticket from the public page; on the exam day the institution's
assessor signs the theory session in on a 375 px wide phone: 2 缺考 with the buttons, one ticket read by the
handheld scanner (the QR text typed into the field and Enter), one ticket of the other session refused, the
rest with 其余考生全部到场; 28 present and 2 absent on the page, and 缺考 for the 2 on the plan page and in
the pre-filled score sheet."""

import datetime
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import time_machine
from django.core.cache import cache
from openpyxl import load_workbook
from pypdf import PdfReader

from certification import tickets
from certification.models import ExamSession, Seat
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, person_id
from tests.journeys.axe import axe_context, axe_violations, failing
from tests.journeys.signing_in import login, shot, sign_in_as
from tests.portal.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHANGHAI = datetime.timezone(datetime.timedelta(hours=8))
DAY = datetime.date(2026, 12, 10)
PHONE = {"width": 375, "height": 800}
NAMES = [f"考生{i:02d}" for i in range(30)]
ABSENT = ["考生03", "考生17"]
SCANNED = "考生29"
CAMERA = "考生28"

# The phone's camera, faked: getUserMedia answers with a canvas stream showing a ticket's QR code, drawn module
# by module (the page's jsQR, or BarcodeDetector where the browser has one, reads it from the video).
FAKE_CAMERA = """
(() => {
  if (!navigator.mediaDevices) return;
  const modules = %s;
  navigator.mediaDevices.getUserMedia = async () => {
    const size = 400, cell = Math.floor(300 / modules.length), at = (size - cell * modules.length) / 2;
    const canvas = document.createElement("canvas");
    canvas.width = size;
    canvas.height = size;
    const context = canvas.getContext("2d");
    const draw = () => {
      context.fillStyle = "#fff";
      context.fillRect(0, 0, size, size);
      context.fillStyle = "#000";
      modules.forEach((row, y) => row.forEach((dark, x) => {
        if (dark) context.fillRect(at + x * cell, at + y * cell, cell, cell);
      }));
    };
    draw();
    setInterval(draw, 100);
    return canvas.captureStream(10);
  };
})();
"""


def fake_camera(context, text):
    import json

    import segno

    modules = [[int(bool(m)) for m in row] for row in segno.make(text, error="m").matrix]
    context.add_init_script(FAKE_CAMERA % json.dumps(modules))


def download(page, click):
    with page.expect_download() as info:
        click()
    return Path(info.value.path()).read_bytes()


def pdf_pages(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def zbar_page(pdf: bytes, number: int, tmp_path) -> list[str]:
    """The QR texts zbarimg reads on one page of the PDF as printed (pdftoppm at 300 dpi)."""
    folder = tmp_path / f"page-{number}"
    folder.mkdir()
    (folder / "t.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", "-f", str(number), "-l", str(number), str(folder / "t.pdf"),
         str(folder / "page")],
        check=True, timeout=60,
    )  # fmt: skip
    [image] = folder.glob("page*.png")
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        timeout=60,
    )
    return out.stdout.decode("utf-8").splitlines()


def new_session(page, live_server, plan, *, kind, starts, ends, room, assessor=False):
    page.goto(f"{live_server.url}/certification/plans/{plan.pk}/sessions/")
    page.get_by_test_id("session-new").click()
    form = page.get_by_test_id("session-form")
    form.locator("select[name=kind]").select_option(kind)
    form.locator("input[name=day]").fill(DAY.isoformat())
    form.locator("input[name=starts]").fill(starts)
    form.locator("input[name=ends]").fill(ends)
    form.locator("input[name=place]").fill("天津市河西区友谊路 1 号考点")
    form.locator("input[name=room]").fill(room)
    form.locator("input[name=capacity]").fill("30")
    form.locator("select[name=supervisor]").select_option(index=1)
    if assessor:
        form.locator("input[name=assessors]").first.check()
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    assert room in page.get_by_test_id("sessions").inner_text()


def attendance_on(page) -> list[str]:
    return page.get_by_test_id("sign-in-seat").evaluate_all("rows => rows.map(r => r.dataset.attendance)")


@pytest.mark.skipif(
    not (shutil.which("zbarimg") and shutil.which("pdftoppm")), reason="zbar-tools or poppler-utils missing"
)
def test_exam_day_tickets_and_sign_in_on_a_phone(live_server, browser, tmp_path):
    cache.clear()  # the public ticket download's rate limit starts afresh
    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, 0, tzinfo=SHANGHAI), tick=True) as clock:
        user = UserFactory(username="inst", applicant=True)
        filed_institution(user.institution)
        plan = PlanFactory(
            institution=user.institution, approved=True, staffed=True, start_date=DAY, end_date=DAY
        )
        for i, name in enumerate(NAMES):
            CandidateFactory(plan=plan, name=name, row=i + 2, id_number=person_id(6000 + i))

        # The institution arranges the theory and the practical session through the form and seats everyone.
        page = login(browser, live_server, "inst")
        new_session(page, live_server, plan, kind="theory", starts="09:00", ends="11:00", room="101 教室")
        new_session(
            page,
            live_server,
            plan,
            kind="practical",
            starts="14:00",
            ends="16:30",
            room="实训室 2",
            assessor=True,
        )
        with page.expect_navigation():
            page.get_by_test_id("allocate").click()
        assert [t.inner_text() for t in page.get_by_test_id("seats-taken").all()] == ["30 / 30", "30 / 30"]
        shot(page, "exam-day-1-sessions")

        # The 准考证 batch: by session then seat, one page each; names and seats read back; a QR code read by
        # zbarimg from the PDF as printed is the seat's signed token.
        batch = download(page, lambda: page.get_by_test_id("tickets").click())
        pages = pdf_pages(batch)
        assert len(pages) == 60
        theory = ExamSession.objects.get(plan=plan, kind="theory")
        for seat in Seat.objects.filter(session=theory).select_related("candidate"):
            text = pages[seat.number - 1]
            assert (
                f"姓名 {seat.candidate.name}" in text
                and f"座位号 {seat.number}\n" in text
                and "考场 101 教室" in text
            )
        assert "实训室 2" in pages[30] and "技能操作考核" in pages[30]
        scanned = Seat.objects.get(session=theory, candidate__name=SCANNED)
        [token] = zbar_page(batch, scanned.number, tmp_path)
        assert token == tickets.token(scanned) and tickets.seat_for(token) == scanned
        other_session_token = zbar_page(batch, 31, tmp_path)[0]
        assert tickets.seat_for(other_session_token).session.kind == "practical"

        # A candidate downloads their own tickets from the public page, no login.
        public = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai").new_page()
        public.goto(live_server.url + "/certification/tickets/")
        form = public.get_by_test_id("ticket-form")
        form.locator("input[name=id_number]").fill(person_id(6000 + 5))
        form.locator("input[name=name]").fill("考生05")
        own = pdf_pages(download(public, lambda: form.locator("button[type=submit]").click()))
        assert len(own) == 2 and all("考生05" in text for text in own)
        assert not any(name in "".join(own) for name in NAMES if name != "考生05")
        assert person_id(6005) not in "".join(own)  # the number masked
        public.context.close()
        page.context.close()

        # The exam day: the assessor signs the theory session in on a phone.
        clock.move_to(datetime.datetime.combine(DAY, datetime.time(8, 30), tzinfo=SHANGHAI))
        phone = login(browser, live_server, "inst", viewport=PHONE)
        camera_seat = Seat.objects.get(session=theory, candidate__name=CAMERA)
        fake_camera(phone.context, tickets.token(camera_seat))
        phone.goto(f"{live_server.url}/certification/plans/{plan.pk}/sessions/{theory.pk}/sign-in/")
        assert attendance_on(phone) == [""] * 30
        for name in ABSENT:
            with phone.expect_navigation():
                phone.get_by_role("button", name=f"{name} 缺考").click()
            assert f"{name}：缺考" in phone.locator(".alert").first.inner_text()

        # A handheld scanner types the ticket's QR text and Enter into the field.
        phone.get_by_test_id("scan-token").fill(token)
        with phone.expect_navigation():
            phone.get_by_test_id("scan-token").press("Enter")
        assert f"{SCANNED}：到场" in phone.locator(".alert").first.inner_text()
        assert phone.evaluate("document.activeElement.id") == "scan-token"  # ready for the next ticket
        # The phone's camera reads another ticket (扫描准考证).
        with phone.expect_navigation():
            phone.get_by_test_id("scan-camera").click()
        assert f"{CAMERA}：到场" in phone.locator(".alert").first.inner_text()
        # The same candidate's practical ticket belongs to the afternoon: refused, nothing marked.
        phone.get_by_test_id("scan-token").fill(other_session_token)
        with phone.expect_navigation():
            phone.get_by_test_id("scan-token").press("Enter")
        assert "该准考证不属于本考场" in phone.locator(".alert").first.inner_text()
        marks = attendance_on(phone)
        assert marks.count("absent") == 2 and marks.count("present") == 2
        shot(phone, "exam-day-2-sign-in-phone")

        with phone.expect_navigation():
            phone.get_by_test_id("rest-present").click()
        marks = attendance_on(phone)
        assert marks.count("present") == 28 and marks.count("absent") == 2
        counts = phone.get_by_test_id("attendance-counts").inner_text()
        assert "到场 28" in counts and "缺考 2" in counts and "未签到 0" in counts
        assert "签到已完成：到场 28 人，缺考 2 人" in phone.get_by_test_id("next-step").inner_text()
        assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
        shot(phone, "exam-day-3-signed-in")

        # The plan page shows the 2 as 缺考; so does the pre-filled score sheet.
        phone.goto(f"{live_server.url}/certification/plans/{plan.pk}/")
        absent = phone.get_by_test_id("absent")
        assert absent.count() == 2
        rows = phone.locator("tr", has=absent).all()
        assert all(any(name in r.inner_text() for name in ABSENT) for r in rows) and len(rows) == 2
        sheet = phone.request.get(f"{live_server.url}/certification/plans/{plan.pk}/scores.xlsx")
        lines = list(load_workbook(io.BytesIO(sheet.body())).active.iter_rows(values_only=True))[1:]
        assert sorted(row[0] for row in lines if "缺考" in row) == ABSENT
        phone.context.close()

        # The sign-in page passes axe's WCAG 2.1 A/AA rules at 375 px (a context that may inject axe).
        with axe_context(browser, viewport=PHONE) as checked:
            sign_in_as(checked, live_server, "inst")
            checked.goto(f"{live_server.url}/certification/plans/{plan.pk}/sessions/{theory.pk}/sign-in/")
            assert checked.get_by_test_id("scan-token").is_visible()
            assert [str(f) for f in failing(axe_violations(checked))] == []

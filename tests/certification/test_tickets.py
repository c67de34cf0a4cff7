"""Issue 44 item 2, 准考证: the plan's batch (pypdf reads names and seats back in order), the QR code's signed
seat token (decoded from the printed SVG and by zbarimg from the PDF; a tampered one is refused), the public
download (the candidate's own only; a wrong name and an unknown number answered alike; rate-limited) and who
may print the batch (certification/tickets.py, session_views.ticket_batch, ticket_views.py)."""

import datetime
import io
import re
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from certification import constants, sessions, tickets
from certification.constants import StaffRole
from certification.models import ExamSession, PlanStaff, Seat
from tests.certificates.qr_decode import decode_svg_data_uri
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, person_id

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The rate limit counts in the cache: every test starts with a clean budget."""
    cache.clear()
    yield
    cache.clear()


NAMES = ["张三", "李四", "王五", "赵六", "欧阳晓燕", "钱七"]


def soon(days, hour):
    """A time still to come (the public download offers sessions not yet ended)."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@pytest.fixture
def plan(alice):
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, submitted=True, staffed=True)
    for i, name in enumerate(NAMES):
        CandidateFactory(plan=plan, name=name, row=i + 2, id_number=person_id(700 + i))
    PlanStaff.objects.create(plan=plan, role=StaffRole.SUPERVISOR, name="督导1", id_number=person_id(301))
    return plan


def arrange(plan, alice, room, capacity, day, supervisor=0):
    supervisors = list(plan.staff.filter(role=StaffRole.SUPERVISOR).order_by("pk"))
    return sessions.create_session(
        plan, alice, kind=ExamSession.Kind.THEORY, starts_at=soon(day, 9), ends_at=soon(day, 11), place="考点",
        room=room, capacity=capacity, supervisor=supervisors[supervisor],
    )  # fmt: skip


@pytest.fixture
def seated(plan, alice):
    """Two theory sessions of 3 seats on two days: the first three candidates in 101, the others in 102."""
    arrange(plan, alice, "101", 3, day=5)
    arrange(plan, alice, "102", 3, day=6, supervisor=1)
    outcome = sessions.allocate(plan, alice)
    assert outcome.seated == 6 and not outcome.unseated
    return plan


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(data)).pages]


def seat_numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"座位号\s*(\d+)", text)]


def qr_uris(html: str) -> list[str]:
    return re.findall(r'class="qr" src="(data:image/svg\+xml[^"]+)"', html)


# -- the batch --------------------------------------------------------------------------------------


def test_the_batch_pdf_holds_every_seated_candidate_by_session_then_seat(client, alice, seated):
    client.force_login(alice)
    page = client.get(reverse("certification:sessions", args=[seated.pk])).content.decode()
    url = reverse("certification:ticket_batch", args=[seated.pk])
    assert url in page and "打印准考证" in page
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    texts = pdf_pages(response.content)
    expected = [
        (seat.candidate.name, seat.session.room, seat.number)
        for seat in Seat.objects.filter(session__plan=seated).order_by("session__starts_at", "number")
    ]
    assert [(name, "101" if i < 3 else "102", i % 3 + 1) for i, name in enumerate(NAMES)] == expected
    assert len(texts) == len(expected)
    for text, (name, room, number) in zip(texts, expected, strict=True):
        assert name in text and room in text and seat_numbers(text) == [number]
        assert "职业技能等级认定准考证" in text and "理论知识考试" in text
        others = [n for n in NAMES if n != name and n not in name]
        assert not any(other in text for other in others)


def test_a_ticket_shows_the_masked_number_occupation_level_time_and_the_photo(alice, seated):
    seat = Seat.objects.select_related("candidate", "session").order_by("session__starts_at", "number")[0]
    candidate = seat.candidate
    candidate.photo.save("p.png", ContentFile(_png()), save=True)
    pdf, html = tickets.render(tickets.plan_seats(seated)[:1])
    text = pdf_pages(pdf)[0]
    assert candidate.id_number not in html and candidate.masked_number in text
    assert seated.occupation.name in text and candidate.get_level_display() in text
    start = timezone.localtime(seat.session.starts_at)
    assert f"{start:%Y}年{start.month}月{start.day}日 09:00" in text and "考点" in text
    assert candidate.photo.url in html
    assert PdfReader(io.BytesIO(pdf)).pages[0].images  # the photo is printed


def test_a_ticket_without_a_photo_leaves_its_box(alice, seated):
    _pdf, html = tickets.render(tickets.plan_seats(seated)[:1])
    assert 'class="nophoto"' in html


def test_without_a_seat_the_sessions_page_offers_no_batch(client, alice, plan):
    client.force_login(alice)
    page = client.get(reverse("certification:sessions", args=[plan.pk])).content.decode()
    url = reverse("certification:ticket_batch", args=[plan.pk])
    assert url not in page
    response = client.get(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("certification:sessions", args=[plan.pk])
    assert "尚无已分配座位的考生" in response.content.decode()


def test_centre_staff_read_the_batch_another_institution_does_not(client, bob, carol, seated):
    url = reverse("certification:ticket_batch", args=[seated.pk])
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.force_login(carol)
    response = client.get(url)
    assert response.status_code == 200 and len(pdf_pages(response.content)) == 6
    client.logout()
    assert client.get(url).status_code == 302


# -- the QR code's token ------------------------------------------------------------------------------


def test_the_printed_qr_decodes_to_a_token_of_the_right_seat(seated):
    seats = tickets.plan_seats(seated)
    _pdf, html = tickets.render(seats)
    uris = qr_uris(html)
    assert len(uris) == len(seats)
    for uri, seat in zip(uris, seats, strict=True):
        text = decode_svg_data_uri(uri).text
        assert text == tickets.token(seat) and re.fullmatch(r"ZKZ-\d+-[A-Z2-7]{16}", text)
        assert tickets.seat_for(text) == seat


TOOLS = [shutil.which("zbarimg"), shutil.which("pdftoppm")]


@pytest.mark.skipif(not all(TOOLS), reason="zbarimg (zbar-tools) or pdftoppm (poppler-utils) missing")
def test_zbarimg_reads_the_token_from_the_printed_pdf(seated, tmp_path):
    seat = tickets.plan_seats(seated)[0]
    pdf, _html = tickets.render([seat])
    (tmp_path / "t.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-r", "300", "-gray", "-png", str(tmp_path / "t.pdf"), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    [image] = sorted(tmp_path.glob("page*.png"))
    out = subprocess.run(
        ["zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        timeout=60,
    )
    assert out.stdout.decode().split() == [tickets.token(seat)]
    assert tickets.seat_for(out.stdout.decode()) == seat


def test_a_tampered_or_forged_token_is_refused(seated, settings):
    seat, other = tickets.plan_seats(seated)[:2]
    good = tickets.token(seat)
    prefix, pk, signature = good.split("-")
    flipped = signature[:-1] + ("A" if signature[-1] != "A" else "B")
    for bad in [
        f"{prefix}-{pk}-{flipped}",  # one character of the signature changed
        f"{prefix}-{other.pk}-{signature}",  # another seat's id under this seat's signature
        f"{prefix}-{pk}-{signature[:-1]}",  # cut short
        f"{prefix}-{pk}-{signature}A",  # too long
        f"XYZ-{pk}-{signature}",
        f"{prefix}-0{pk}-{signature}",
        "",
        "https://example.com/",
    ]:
        assert tickets.seat_for(bad) is None, bad
    assert tickets.seat_for(f"  {good.lower()} \n") == seat  # typed by hand
    # signed under another key: refused, unless that key is a fallback of a rotation
    old_key = settings.SECRET_KEY
    settings.SECRET_KEY = "another key " * 5
    assert tickets.seat_for(good) is None
    settings.SECRET_KEY_FALLBACKS = [old_key]
    assert tickets.seat_for(good) == seat


def test_a_moved_candidate_s_old_ticket_no_longer_resolves(alice, seated):
    seat = tickets.plan_seats(seated)[0]
    before = tickets.token(seat)
    arrange(seated, alice, "103", 3, day=7)
    target = ExamSession.objects.get(room="103")
    moved = sessions.move(seat, target, alice)
    assert tickets.seat_for(before) is None and tickets.seat_for(tickets.token(moved)) == moved


# -- the public download ------------------------------------------------------------------------------

LOOKUP = "certification:ticket_lookup"


def ask(client, number, name, kind="resident_id"):
    return client.post(reverse(LOOKUP), {"document_kind": kind, "id_number": number, "name": name})


def test_the_page_is_public_and_linked_from_the_certificate_lookup(client):
    response = client.get(reverse(LOOKUP))
    assert response.status_code == 200 and 'name="id_number"' in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    assert reverse(LOOKUP) in client.get(reverse("certificates:lookup")).content.decode()


def test_the_right_name_and_number_get_that_candidate_s_ticket_only(client, seated):
    response = ask(client, person_id(704).lower(), "欧阳　晓燕 ")  # typed loosely: lower-case x, padded name
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    [text] = pdf_pages(response.content)
    assert "欧阳晓燕" in text and seat_numbers(text) == [2] and "102" in text
    assert not any(name in text for name in NAMES if name != "欧阳晓燕")


def test_every_session_to_come_is_in_the_candidate_s_pdf(client, alice, seated):
    supervisors = list(seated.staff.filter(role=StaffRole.SUPERVISOR).order_by("pk"))
    sessions.create_session(
        seated, alice, kind=ExamSession.Kind.PRACTICAL, starts_at=soon(8, 9), ends_at=soon(8, 11), place="实训楼",
        room="实训室 1", capacity=10, supervisor=supervisors[0], assessors=list(seated.staff.filter(role=StaffRole.ASSESSOR))[:1],
    )  # fmt: skip
    sessions.allocate(seated, alice)
    texts = pdf_pages(ask(client, person_id(700), "张三").content)
    assert len(texts) == 2 and "理论知识考试" in texts[0] and "技能操作考核" in texts[1]


def _stripped(response) -> str:
    html = response.content.decode()
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", html)
    return re.sub(r'(name="(?:id_number|name)"[^>]*?) value="[^"]*"', r"\1", html)


def test_a_wrong_name_and_an_unknown_number_get_the_same_answer(client, seated):
    wrong_name = ask(client, person_id(700), "张三丰")
    unknown = ask(client, person_id(799), "张三丰")
    assert wrong_name.status_code == unknown.status_code == 200
    assert wrong_name["Content-Type"] == unknown["Content-Type"] == "text/html; charset=utf-8"
    assert "未查到准考证" in wrong_name.content.decode()
    assert _stripped(wrong_name) == _stripped(unknown)


def test_a_malformed_number_is_refused_before_any_lookup(client, seated):
    number = person_id(700)
    response = ask(client, number[:-1] + ("0" if number[-1] != "0" else "1"), "张三")  # a wrong check digit
    page = response.content.decode()
    assert response.status_code == 200 and "未查到准考证" not in page and "id_number" in page


def test_a_candidate_without_a_seat_to_come_is_told_so(client, plan):
    response = ask(client, person_id(700), "张三")
    assert response.status_code == 200 and "尚未安排考场座位" in response.content.decode()


def test_the_download_is_rate_limited_on_a_budget_of_its_own(client, seated, settings):
    settings.CERTIFICATE_LOOKUP_RATE = "2/m"
    assert ask(client, person_id(799), "无名").status_code == 200
    assert ask(client, person_id(700), "张三").status_code == 200
    refused = ask(client, person_id(700), "张三")
    assert refused.status_code == 429 and refused["Retry-After"]
    # the certificate lookup counts apart
    assert client.get(reverse("certificates:lookup")).status_code == 200
    assert (
        client.post(reverse("certificates:lookup"), {"by": "code", "code": "x", "name": "x"}).status_code
        == 200
    )


def test_the_lookup_needs_the_csrf_token(seated):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        reverse(LOOKUP), {"document_kind": "resident_id", "id_number": person_id(700), "name": "张三"}
    )
    assert response.status_code == 403


def test_the_rate_is_the_certificate_lookup_s():
    from certificates import constants as certificate_constants

    assert constants.TICKET_RATE_SETTING == certificate_constants.LOOKUP_RATE_SETTING
    assert constants.TICKET_RATE_DEFAULT == certificate_constants.LOOKUP_RATE_DEFAULT


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (260, 360), (200, 220, 240)).save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize(
    "values",
    [
        {"id_number": "1\x002", "name": "张\x00三"},
        {"id_number": "x" * 500, "name": "<script>alert(1)</script>" * 10},
        {"document_kind": "nonsense", "id_number": "", "name": ""},
        {},
    ],
)
def test_hostile_values_get_the_form_again(client, values):
    response = client.post(reverse(LOOKUP), {"document_kind": "resident_id", **values})
    assert response.status_code == 200 and "<script>alert" not in response.content.decode()

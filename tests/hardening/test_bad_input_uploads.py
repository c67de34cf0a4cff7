"""Hostile uploads through the real pages (issue 9 "Bad input"): a 100 MB file, an XLSX zip bomb, a PDF
named .jpg, a truncated image, rosters in GB18030 and UTF-8 (and in an encoding the portal cannot read).
Each gets a clear Chinese message, is refused quickly with memory bounded, and nothing already saved is
lost (the draft, its earlier attachments, the plan's roster).

The upload pages (found with ``grep -rn "FILES" */ --include=*.py``): the filing application's checklist
attachments, the eligibility roster check, the certification roster and score sheet, the candidate photo,
the publicity objection and the complaint form (optional attachments).
"""

import io
import time
import tracemalloc
import zipfile

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.test.client import ClientHandler
from django.urls import reverse
from PIL import Image

from filings.constants import State
from filings.models import Attachment, Filing
from tests.filings.factories import PDF_BYTES, FilingFactory, in_state

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


def png_bytes(size=(60, 80)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "white").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes(size=(350, 490)) -> bytes:
    """A 2-inch portrait on white (it passes certification.photo_check: the candidate photo pages)."""
    from tests.certificates.factories import photo_bytes

    return photo_bytes("JPEG", size=size)


def zip_bomb(inflated=60 * MB) -> bytes:
    """An .xlsx-shaped zip whose one sheet inflates to ``inflated`` bytes of zeros (about 60 KB zipped)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            block = b"0" * MB
            for _ in range(inflated // MB):
                sheet.write(block)
    return buffer.getvalue()


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class MultipartStream:
    """A multipart/form-data body of ``size`` bytes produced as it is read, so the test itself never
    holds the 100 MB: fields, then one file starting with ``head`` and padded with zeros."""

    def __init__(self, fields: dict, file_field: str, filename: str, head: bytes, size: int):
        self.boundary = "----hardening-boundary-7MA4YWxkTrZu0gW"
        parts = []
        for name, value in fields.items():
            for item in value if isinstance(value, list) else [value]:
                parts.append(
                    f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{item}\r\n'.encode()
                )
        parts.append(
            f'--{self.boundary}\r\nContent-Disposition: form-data; name="{file_field}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
        )
        self.prefix = b"".join(parts) + head
        self.suffix = f"\r\n--{self.boundary}--\r\n".encode()
        self.padding = size - len(head)
        self.length = len(self.prefix) + self.padding + len(self.suffix)
        self.position = 0

    def read(self, size=-1) -> bytes:
        if size is None or size < 0:
            size = self.length - self.position
        out = []
        while size > 0 and self.position < self.length:
            pos = self.position
            if pos < len(self.prefix):
                chunk = self.prefix[pos : pos + size]
            elif pos < len(self.prefix) + self.padding:
                chunk = bytes(min(size, len(self.prefix) + self.padding - pos))
            else:
                start = pos - len(self.prefix) - self.padding
                chunk = self.suffix[start : start + size]
            out.append(chunk)
            self.position += len(chunk)
            size -= len(chunk)
        return b"".join(out)

    def readline(self, size=-1) -> bytes:  # not used by Django's multipart parser for the body
        return self.read(size)


def stream_post(client, path: str, body: MultipartStream):
    """POSTs ``body`` through Django's full handler (middleware, upload handlers, the view) with the
    client's session; returns (response, seconds, peak traced Python memory in bytes)."""
    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={body.boundary}",
        CONTENT_LENGTH=str(body.length),
        HTTP_COOKIE="; ".join(f"{k}={v.value}" for k, v in client.cookies.items()),
    )
    environ["wsgi.input"] = body
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = ClientHandler(enforce_csrf_checks=False)(environ)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return response, seconds, peak


def management(prefix, total=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def draft_post(filing, **extra):
    data = {
        "version": str(filing.version),
        "action": "save",
        "f-route": filing.route,
        "f-kind": filing.kind,
        "f-name": filing.name,
        "f-credit_code": filing.credit_code,
    }
    for prefix in ("occ", "eq", "p_staff", "p_expert", "p_assessor", "p_supervisor"):
        data.update(management(prefix))
    data.update(extra)
    return data


@pytest.fixture
def draft(alice):
    """Alice's draft with one attachment already stored."""
    filing = FilingFactory(institution=alice.institution, files=True)
    assert filing.state == State.DRAFT
    return filing


def attachment_state(filing):
    return sorted((a.item, a.file.name, a.file.read()) for a in Attachment.objects.filter(filing=filing))


# --- The 100 MB file ---------------------------------------------------------------------------------


def test_100_mb_attachment_is_refused_quickly_with_memory_bounded(client, alice, draft):
    client.force_login(alice)
    before = attachment_state(draft)
    item = before[0][0]
    body = MultipartStream(
        draft_post(draft, **{"f-name": "改过的名称有限公司"}),
        f"att_{item}",
        "营业执照.pdf",
        head=b"%PDF-1.7\n",
        size=100 * MB,
    )
    response, seconds, peak = stream_post(client, reverse("filings:edit", args=[draft.pk]), body)
    print(f"\n100 MB upload refused in {seconds:.2f} s, peak Python memory {peak / MB:.1f} MB")
    assert response.status_code == 200
    text = response.content.decode()
    assert "文件过大" in text and "不得超过 20.0" in text
    assert peak < 40 * MB  # the file was not held in memory (it is 100 MB)
    assert seconds < 60  # generous: the figure is printed above
    assert attachment_state(draft) == before  # the earlier attachment is intact
    assert 'value="改过的名称有限公司"' in text  # what was typed is kept in the form, not stored (issue 22)
    draft.refresh_from_db()
    assert draft.name != "改过的名称有限公司"


def test_100_mb_complaint_attachment_is_refused(client):
    cache.clear()
    filed = in_state(State.FILED)
    body = MultipartStream(
        {"name": "王五", "contact": "13800000000", "filing": str(filed.pk), "text": "考核现场有代考。"},
        "attachment",
        "证据.pdf",
        head=b"%PDF-1.7\n",
        size=100 * MB,
    )
    response, seconds, peak = stream_post(client, reverse("filings:complaint_new"), body)
    print(
        f"\n100 MB complaint attachment: status {response.status_code} in {seconds:.2f} s, peak {peak / MB:.1f} MB"
    )
    assert response.status_code in (200, 400)
    assert "文件过大" in response.content.decode()
    assert peak < 40 * MB


# --- Wrong content, truncated images -------------------------------------------------------------------


def test_pdf_named_jpg_attachment_is_refused_and_the_draft_kept(client, alice, draft):
    """Checked by content, and the name must not pretend to be another kind (filings/forms.py: reviewers
    open files by their name): a PDF called .jpg is refused, naming both."""
    client.force_login(alice)
    before = attachment_state(draft)
    item = before[0][0]
    response = client.post(
        reverse("filings:edit", args=[draft.pk]),
        draft_post(draft, **{f"att_{item}": upload("扫描件.jpg", PDF_BYTES)}),
        follow=True,
    )
    text = response.content.decode()
    assert "文件扩展名（.jpg）与文件内容（PDF）不符" in text
    assert attachment_state(draft) == before


def test_truncated_png_attachment_is_refused_and_the_draft_kept(client, alice, draft):
    client.force_login(alice)
    before = attachment_state(draft)
    item = before[0][0]
    response = client.post(
        reverse("filings:edit", args=[draft.pk]),
        draft_post(draft, **{f"att_{item}": upload("执照.png", png_bytes()[:60])}),
        follow=True,
    )
    assert "图片文件已损坏或不完整" in response.content.decode()
    assert attachment_state(draft) == before


@pytest.fixture
def plan_with_candidate(alice):
    from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution)
    return plan, CandidateFactory(plan=plan)


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("照片.jpg", PDF_BYTES, "文件内容不是允许的格式（JPG、PNG）"),
        ("照片.jpg", jpeg_bytes()[:200], "图片文件已损坏或不完整"),
        ("照片.png", png_bytes()[:40], "图片文件已损坏或不完整"),
        ("照片.jpg", b"", "照片"),
    ],
    ids=["pdf-named-jpg", "truncated-jpeg", "truncated-png", "empty"],
)
def test_bad_candidate_photo_is_refused_and_the_old_photo_kept(
    client, alice, plan_with_candidate, name, content, message
):
    plan, candidate = plan_with_candidate
    client.force_login(alice)
    url = reverse("certification:candidate_photo", args=[plan.pk, candidate.pk])
    client.post(url, {"photo": upload("好照片.jpg", jpeg_bytes())})
    candidate.refresh_from_db()
    good = candidate.photo.name
    assert good
    response = client.post(url, {"photo": upload(name, content)}, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    candidate.refresh_from_db()
    assert candidate.photo.name == good


# --- XLSX zip bombs ------------------------------------------------------------------------------------


def test_zip_bomb_roster_is_refused_quickly(client, carol):
    client.force_login(carol)
    bomb = zip_bomb()
    started = time.perf_counter()
    tracemalloc.start()
    try:
        response = client.post(reverse("eligibility:roster"), {"file": upload("名单.xlsx", bomb)})
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    seconds = time.perf_counter() - started
    print(
        f"\nzip bomb ({len(bomb) / 1024:.0f} KB inflating to 60 MB) refused in {seconds:.2f} s, peak {peak / MB:.1f} MB"
    )
    assert response.status_code == 200
    assert "XLSX 文件已损坏或解压后过大" in response.content.decode()
    assert response.context["result"] is None
    assert peak < 20 * MB


@pytest.mark.parametrize("page", ["roster_upload", "scores_upload"])
def test_zip_bomb_plan_upload_is_refused_and_the_roster_kept(client, alice, plan_with_candidate, page):
    from certification.constants import State as PlanState
    from certification.models import AssessmentPlan, Candidate

    plan, candidate = plan_with_candidate
    if page == "scores_upload":  # scores are entered once the plan is approved
        AssessmentPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPROVED)
    client.force_login(alice)
    response = client.post(
        reverse(f"certification:{page}", args=[plan.pk]),
        {"file": upload("名册.xlsx", zip_bomb())},
        follow=True,
    )
    assert response.status_code in (200, 400)
    assert "XLSX 文件已损坏或解压后过大" in response.content.decode()
    assert list(Candidate.objects.filter(plan=plan).values_list("pk", flat=True)) == [candidate.pk]


# --- Roster encodings ----------------------------------------------------------------------------------


def roster_csv(encoding: str) -> bytes:
    from eligibility.roster import COLUMNS, PLAN_COLUMNS
    from tests.certification.factories import person_id

    # The plan roster's 与本单位关系 too (an employer's own staff, seed 001 第二条); the eligibility check
    # leaves that column out.
    header = [c.header for c in COLUMNS + PLAN_COLUMNS]
    own = "本单位职工"
    rows = [
        {
            "姓名": "买买提·艾力",
            "身份证号码": person_id(700),
            "职业代码": "4-03-02-01",
            "申报等级": "5",
            "与本单位关系": own,
        },
        {
            "姓名": "欧阳娜娜",
            "身份证号码": person_id(701),
            "职业代码": "4-03-02-01",
            "申报等级": "五级",
            "与本单位关系": own,
        },
    ]
    lines = [",".join(header)] + [",".join(r.get(h, "") for h in header) for r in rows]
    return "\r\n".join(lines).encode(encoding)


@pytest.fixture
def cook(db):
    from portal.models import Occupation

    return Occupation.objects.get_or_create(code="4-03-02-01", defaults={"name": "中式烹调师"})[0]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_roster_in_utf8_or_gb18030_reads_the_same_names(client, carol, cook, encoding):
    client.force_login(carol)
    response = client.post(reverse("eligibility:roster"), {"file": upload("名单.csv", roster_csv(encoding))})
    result = response.context["result"]
    assert [row.data["name"] for row in result.rows] == ["买买提·艾力", "欧阳娜娜"]


@pytest.mark.parametrize(
    "content, message",
    [
        (roster_csv("utf-16"), "文件内容不是允许的格式"),  # NUL bytes: not text
        ("姓名,身份证号码\n".encode() + b"\x81\x30\xff\xfe\xfd\n", "无法识别 CSV 文件的编码"),
        (b"", "所提交的是空文件"),
    ],
    ids=["utf-16", "undecodable", "empty"],
)
def test_unreadable_roster_gets_a_chinese_message(client, carol, cook, content, message):
    client.force_login(carol)
    response = client.post(reverse("eligibility:roster"), {"file": upload("名单.csv", content)})
    assert response.status_code == 200
    assert message in response.content.decode()


def test_gb18030_roster_on_a_plan_keeps_the_names(client, alice, plan_with_candidate):
    from certification.models import Candidate

    plan, _candidate = plan_with_candidate
    plan.levels = [5]
    plan.save(update_fields=["levels"])
    client.force_login(alice)
    client.post(
        reverse("certification:roster_upload", args=[plan.pk]),
        {"file": upload("名册.csv", roster_csv("gb18030"))},
    )
    assert sorted(Candidate.objects.filter(plan=plan).values_list("name", flat=True)) == [
        "买买提·艾力",
        "欧阳娜娜",
    ]


def test_objection_with_a_fake_pdf_is_refused_and_nothing_recorded(client):
    from filings.models import Objection

    cache.clear()
    filing = in_state(State.IN_PUBLICITY)
    response = client.post(
        reverse("filings:objection", args=[filing.pk]),
        {
            "name": "赵六",
            "contact": "13800000001",
            "text": "材料不实。",
            "attachment": upload("证据.pdf", b"MZ\x90\x00 not a pdf"),
        },
    )
    assert response.status_code == 200
    assert "文件内容不是允许的格式" in response.content.decode()
    assert not Objection.objects.filter(filing=filing).exists()
    assert Filing.objects.get(pk=filing.pk).state == State.IN_PUBLICITY

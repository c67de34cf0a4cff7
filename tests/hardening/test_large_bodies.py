"""Large multipart bodies POSTed with a valid CSRF token (issue 22, "Not reached by the review"): an
8 MB and a 30 MB body to the upload forms (the filing's checklist attachments, the eligibility roster
check, the plan's roster), and the same sizes as a plain form field.

The limits (portal/settings.py, portal/uploads.py): a file over UPLOAD_MAX_BYTES (20 MB) is swallowed
while it arrives (SizeLimitedUploadHandler) and refused with "文件过大"; a file over
FILE_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) streams to a temporary file; form fields beyond
DATA_UPLOAD_MAX_MEMORY_SIZE (5 MB) make Django refuse the request (RequestDataTooBig, a 400), which
showed Django's English "Bad Request (400)" until templates/400.html gave it a Chinese page. Every
answer here is Chinese, never a server error, and the peak of traced Python memory stays far below the
body's size (``-s`` prints it)."""

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.client import ClientHandler
from django.urls import reverse

from tests.hardening.test_bad_input_uploads import MB, MultipartStream, attachment_state, draft, draft_post  # noqa: F401

pytestmark = pytest.mark.django_db

SIZES = {"8MB": 8 * MB, "30MB": 30 * MB}


def with_token(client, fields: dict) -> tuple[dict, str]:
    """The fields plus a valid CSRF token, and the cookie header carrying its secret and the session."""
    request = RequestFactory().get("/")
    token = get_token(request)
    cookies = {k: v.value for k, v in client.cookies.items()}
    cookies[settings.CSRF_COOKIE_NAME] = request.META["CSRF_COOKIE"]
    return {**fields, "csrfmiddlewaretoken": token}, "; ".join(f"{k}={v}" for k, v in cookies.items())


def post_stream(path: str, body: MultipartStream, cookie: str):
    """Through Django's full handler with CSRF enforced; (response, seconds, peak traced memory)."""
    import time
    import tracemalloc

    environ = RequestFactory()._base_environ(
        PATH_INFO=path,
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={body.boundary}",
        CONTENT_LENGTH=str(body.length),
        HTTP_COOKIE=cookie,
    )
    environ["wsgi.input"] = body
    cache.clear()
    tracemalloc.start()
    started = time.perf_counter()
    try:
        response = ClientHandler(enforce_csrf_checks=True)(environ)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    print(
        f"\n{path} {body.length / MB:.0f} MB body: {response.status_code} in {seconds:.2f} s, peak {peak / MB:.1f} MB"
    )
    return response, seconds, peak


def text_field_stream(fields: dict, name: str, size: int) -> MultipartStream:
    """A multipart body whose part ``name`` is a plain form field (no filename) of ``size`` bytes."""
    body = MultipartStream(fields, name, "x", head=b"", size=size)
    header = (
        f'Content-Disposition: form-data; name="{name}"; filename="x"\r\nContent-Type: application/octet-stream\r\n'
    ).encode()
    assert header in body.prefix
    body.prefix = body.prefix.replace(header, f'Content-Disposition: form-data; name="{name}"\r\n'.encode())
    body.length = len(body.prefix) + body.padding + len(body.suffix)
    return body


def messages_of(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def page_text(response) -> str:
    return response.content.decode() if response.status_code == 200 else messages_of(response)


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_filing_attachment(client, alice, draft, size):  # noqa: F811 (the fixture imported above)
    client.force_login(alice)
    before = attachment_state(draft)
    item = before[0][0]
    fields, cookie = with_token(client, draft_post(draft))
    body = MultipartStream(fields, f"att_{item}", "营业执照.pdf", head=b"%PDF-1.7\n", size=SIZES[size])
    response, seconds, peak = post_stream(reverse("filings:edit", args=[draft.pk]), body, cookie)
    assert response.status_code in (200, 302)
    after = attachment_state(draft)
    if SIZES[size] > settings.UPLOAD_MAX_BYTES:
        assert "文件过大" in page_text(response) and "不得超过 20.0" in page_text(response)
        assert after == before
    else:  # 8 MB: within the limit, stored, the draft saved with a Chinese message
        assert response.status_code == 302, page_text(response)[:2000]
        assert "已保存" in messages_of(response)
        assert after != before
    assert peak < 30 * MB
    assert seconds < 60


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_eligibility_roster(client, carol, size):
    client.force_login(carol)
    fields, cookie = with_token(client, {})
    body = MultipartStream(fields, "file", "名单.csv", head="姓名,身份证号码\r\n".encode(), size=SIZES[size])
    response, _seconds, peak = post_stream(reverse("eligibility:roster"), body, cookie)
    assert response.status_code == 200
    text = response.content.decode()
    if SIZES[size] > settings.UPLOAD_MAX_BYTES:
        assert "文件过大" in text
    else:  # zeros after the header line: not text
        assert "文件内容不是允许的格式" in text
    assert 'data-testid="roster-result"' not in text
    assert peak < 30 * MB


@pytest.fixture
def plan(alice):
    from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution)
    CandidateFactory(plan=plan)
    return plan


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_plan_roster(client, alice, plan, size):
    from certification.models import Candidate

    before = list(Candidate.objects.filter(plan=plan).values_list("pk", "name"))
    client.force_login(alice)
    fields, cookie = with_token(client, {})
    body = MultipartStream(fields, "file", "名册.xlsx", head=b"PK\x03\x04", size=SIZES[size])
    response, _seconds, peak = post_stream(
        reverse("certification:roster_upload", args=[plan.pk]), body, cookie
    )
    assert response.status_code == 302
    text = messages_of(response)
    if SIZES[size] > settings.UPLOAD_MAX_BYTES:
        assert "文件过大" in text
    else:  # a zip header and zeros
        assert "XLSX 文件已损坏或解压后过大" in text
    assert list(Candidate.objects.filter(plan=plan).values_list("pk", "name")) == before
    assert peak < 60 * MB  # the file (at most 20 MB) is read whole before it is checked


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
def test_large_form_field_gets_a_chinese_400(client, alice, draft, size):  # noqa: F811
    """8 MB or 30 MB typed into a form field (not a file): over DATA_UPLOAD_MAX_MEMORY_SIZE."""
    from filings.models import Filing

    client.force_login(alice)
    saved = Filing.objects.filter(pk=draft.pk).values().get()
    fields, cookie = with_token(client, draft_post(draft))
    body = text_field_stream(fields, "f-address", SIZES[size])
    response, _seconds, peak = post_stream(reverse("filings:edit", args=[draft.pk]), body, cookie)
    assert response.status_code == 400
    text = response.content.decode()
    assert (
        "提交的内容过大" in text and "表单中填写的文字合计不得超过 5.0" in text and "Bad Request" not in text
    )
    assert Filing.objects.filter(pk=draft.pk).values().get() == saved
    assert peak < 2 * SIZES[size] // 3 + 8 * MB  # Django stops at the 5 MB limit

"""Issue 39 item 4: a large roster or photo archive is imported by the worker, the job's page showing the
progress and, when it is over, the outcome and its file; the page's own import stays for smaller files."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from certification import import_jobs
from certification.constants import Verification
from eligibility import constants as eligibility_constants
from portal.models import Job
from tests.certificates.factories import photo_bytes
from tests.certification.factories import (
    CandidateFactory,
    PlanFactory,
    filed_institution,
    person_id,
    roster_xlsx,
)
from tests.certification.test_photo_zip import zip_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(alice):
    filed_institution(alice.institution)
    return PlanFactory(institution=alice.institution, staffed=True)


@pytest.fixture
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


def rows_of(result_bytes) -> list[tuple]:
    return list(load_workbook(io.BytesIO(result_bytes), read_only=True).active.iter_rows(values_only=True))


def upload_roster(client, plan, rows):
    return client.post(
        reverse("certification:roster_upload", args=[plan.pk]),
        {"file": SimpleUploadedFile("r.xlsx", roster_xlsx(rows))},
    )


def test_over_the_roster_limit_the_page_refuses_without_a_job(monkeypatch):
    """More than MAX_ROSTER_ROWS rows: no job, the page's import names the limit (tests/hardening)."""
    monkeypatch.setattr(eligibility_constants, "ROSTER_BACKGROUND_ROWS", 2)
    monkeypatch.setattr(import_jobs, "MAX_ROSTER_ROWS", 4)
    sizes = {n: import_jobs.roster_is_large(roster_xlsx([("甲", person_id(i), 4, 6) for i in range(n)]), "xlsx")
             for n in (2, 3, 4, 5)}  # fmt: skip
    assert sizes == {2: False, 3: True, 4: True, 5: False}


def test_the_threshold(monkeypatch):
    """ROSTER_BACKGROUND_ROWS rows are imported on the page; one more goes to the worker."""
    monkeypatch.setattr(eligibility_constants, "ROSTER_BACKGROUND_ROWS", 3)
    sizes = {n: import_jobs.roster_is_large(roster_xlsx([("甲", person_id(i), 4, 6) for i in range(n)]), "xlsx")
             for n in (2, 3, 4)}  # fmt: skip
    assert sizes == {2: False, 3: False, 4: True}


def test_a_large_roster_is_imported_by_the_worker(
    client, alice, plan, eager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(eligibility_constants, "ROSTER_BACKGROUND_ROWS", 2)
    client.force_login(alice)
    rows = [(f"考生{i}", person_id(3000 + i), 4, 6) for i in range(5)]
    with django_capture_on_commit_callbacks(execute=True):
        response = upload_roster(client, plan, rows)
    job = Job.objects.get(owner=alice)
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.kind) == (Job.Status.DONE, 5, 5, import_jobs.ROSTER)
    assert job.message == "已导入 5 名考生。"
    assert plan.candidates.count() == 5
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert "已导入 5 名考生。" in page and reverse("certification:plan", args=[plan.pk]) + "#roster" in page
    download = client.get(reverse("job_result", args=[job.pk]))
    content = b"".join(download.streaming_content) if download.streaming else download.content
    assert ("已导入考生", 5) in rows_of(content)


def test_a_refused_large_roster_changes_nothing_and_lists_its_errors(
    client, alice, plan, eager, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(eligibility_constants, "ROSTER_BACKGROUND_ROWS", 2)
    CandidateFactory(plan=plan, name="原有考生")
    client.force_login(alice)
    rows = [(f"考生{i}", person_id(3100 + i), 4, 6) for i in range(3)] + [
        ("李四", "120101198001010000", 4, 6)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        upload_roster(client, plan, rows)
    job = Job.objects.get(owner=alice)
    assert job.status == Job.Status.FAILED
    assert job.message == "考生名册有 1 处错误，未作任何修改，请下载错误清单，修改后重新上传。"
    assert list(plan.candidates.values_list("name", flat=True)) == ["原有考生"]
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-failed"' in page and 'data-testid="job-result"' in page
    download = client.get(reverse("job_result", args=[job.pk]))
    content = b"".join(download.streaming_content) if download.streaming else download.content
    errors = rows_of(content)
    assert errors[0] == ("行号", "错误") and errors[1][0] == 5 and "身份证号码无效" in errors[1][1]


def test_a_small_roster_stays_on_the_page(client, alice, plan, monkeypatch):
    monkeypatch.setattr(eligibility_constants, "ROSTER_BACKGROUND_ROWS", 2)
    client.force_login(alice)
    response = upload_roster(
        client, plan, [("考生甲", person_id(3200), 4, 6), ("考生乙", person_id(3201), 4, 6)]
    )
    assert response["Location"] == reverse("certification:plan", args=[plan.pk])
    assert not Job.objects.exists() and plan.candidates.count() == 2


def test_a_large_photo_archive_is_imported_by_the_worker(
    client, alice, eager, monkeypatch, django_capture_on_commit_callbacks
):
    filed_institution(alice.institution, levels="345")
    plan = PlanFactory(institution=alice.institution, verified=True, levels=[4])
    a = CandidateFactory(plan=plan, name="甲一", verification=Verification.ACCEPTED, passed=True)
    b = CandidateFactory(plan=plan, name="乙二", verification=Verification.ACCEPTED, passed=True)
    monkeypatch.setattr(import_jobs, "PHOTO_ZIP_BACKGROUND_FILES", 2)
    upload = zip_of(
        {
            f"{a.id_number}.jpg": photo_bytes("JPEG"),
            f"{b.id_number}.png": b"not an image",
            f"{person_id(9100)}.jpg": photo_bytes("JPEG"),
        }
    )
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certification:photos_zip", args=[plan.pk]), {"file": upload})
    job = Job.objects.get(owner=alice)
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == (Job.Status.DONE, 3, 3)
    assert job.message == "照片压缩包共 3 个文件：已保存 1 个，未保存 2 个。"
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.photo and not b.photo
    download = client.get(reverse("job_result", args=[job.pk]))
    content = b"".join(download.streaming_content) if download.streaming else download.content
    table = rows_of(content)
    assert table[0] == ("文件", "考生", "结果", "说明") and len(table) == 4
    assert {row[2] for row in table[1:]} == {"已保存", "未保存"}
    assert not any(a.id_number in str(cell) for row in table for cell in row)  # masked as on the page

"""Issue 39 item 4: an export of more than EXPORT_BACKGROUND_ROWS certificates is written by the worker; the
export page offers it, the job's page shows the progress and gives the file to the clerk who asked only."""

import datetime

import pytest
from django.urls import reverse

from certificates import constants, export
from portal.models import AuditEvent, Job
from tests.certificates.factories import CertificateFactory
from tests.certificates.test_export import rows_of

pytestmark = pytest.mark.django_db

APRIL = {"date_from": "2026-04-01", "date_to": "2026-04-30"}


@pytest.fixture
def three(monkeypatch):
    monkeypatch.setattr(constants, "EXPORT_BACKGROUND_ROWS", 2)
    monkeypatch.setattr(export, "PROGRESS_EVERY", 1)
    return [CertificateFactory(issue_date=datetime.date(2026, 4, 10 + i)) for i in range(3)]


def test_at_the_threshold_the_page_downloads(client, carol, monkeypatch):
    monkeypatch.setattr(constants, "EXPORT_BACKGROUND_ROWS", 2)
    for day in (10, 11):
        CertificateFactory(issue_date=datetime.date(2026, 4, day))
    client.force_login(carol)
    response = client.get(reverse("certificates:staff_export"), APRIL)
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_over_the_threshold_the_worker_writes_it(
    client, carol, dave, three, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(carol)
    page = client.get(reverse("certificates:staff_export"), APRIL)
    html = page.content.decode()
    assert page.status_code == 200 and 'data-testid="export-large"' in html and "共有 3 张证书" in html
    assert not AuditEvent.objects.filter(event="certificates_exported").exists()  # nothing exported yet
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("certificates:staff_export_job"), APRIL)
    job = Job.objects.get(owner=carol)
    assert response["Location"] == reverse("job_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.done, job.total, job.message) == (Job.Status.DONE, 3, 3, "已导出 3 张证书。")
    event = AuditEvent.objects.get(event="certificates_exported")
    assert event.actor == carol and "2026-04-01" in event.comment
    download = client.get(reverse("job_result", args=[job.pk]))
    content = b"".join(download.streaming_content) if download.streaming else download.content
    rows, _sheet = rows_of(content)
    assert len(rows) == 4 and {row[1] for row in rows[1:]} == {c.code for c in three}
    client.force_login(dave)  # full ID numbers: the other clerk does not see it
    assert client.get(reverse("job_result", args=[job.pk])).status_code == 404


def test_a_background_export_needs_a_selection(client, carol):
    client.force_login(carol)
    response = client.post(reverse("certificates:staff_export_job"), {"date_from": "2026-04-01"})
    assert response.status_code == 400 and not Job.objects.exists()
    assert "请选择一个签发批次，或填写发证日期的起止日期" in response.content.decode()

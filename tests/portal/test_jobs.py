"""Long work with a progress bar (portal.jobs, issue 39 item 4): the worker runs the job's runner, records its
progress and its result, or its failure with the reason; only its owner sees it, and may leave and come back."""

import pytest
from django.urls import reverse

from portal import jobs
from portal.errors import PortalError
from portal.models import Job

pytestmark = pytest.mark.django_db

SEEN = []


def counting(job, progress):
    total = int(job.options["n"])
    progress(0, total)
    for done in range(1, total + 1):
        if done % 2 == 0:
            progress(done)
            SEEN.append(Job.objects.get(pk=job.pk).done)
    return f"共 {total} 行".encode(), "结果.txt"


def refusing(job, progress):
    raise PortalError("名单缺少必填列：姓名。")


@pytest.fixture(autouse=True)
def _runners(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    jobs.register_runner("test.counting", counting)
    jobs.register_runner("test.refusing", refusing)
    SEEN.clear()


def test_a_job_reports_its_progress_and_keeps_its_result(client, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start("test.counting", alice, "数一数", b"input", "in.txt", n=6)
    job.refresh_from_db()
    assert SEEN == [2, 4, 6]  # each report written as it came
    assert (job.status, job.done, job.total, job.percent) == (Job.Status.DONE, 6, 6, 100)
    client.force_login(alice)
    status = client.get(reverse("job_status", args=[job.pk])).json()
    assert status["over"] and status["percent"] == 100 and status["result_url"]
    download = client.get(status["result_url"])
    assert (
        b"".join(download.streaming_content if download.streaming else [download.content])
        == "共 6 行".encode()
    )
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-result"' in page and "结果.txt" in page
    assert "数一数" in client.get(reverse("job_list")).content.decode()


def test_a_refused_job_says_why(client, alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start("test.refusing", alice, "核查", b"input", "in.txt")
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED and job.message == "名单缺少必填列：姓名。"
    client.force_login(alice)
    assert "名单缺少必填列" in client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert client.get(reverse("job_result", args=[job.pk])).status_code == 404


def test_a_queued_job_shows_its_bar_and_only_its_owner_sees_it(client, alice, bob):
    job = jobs.start("test.counting", alice, "数一数", b"input", "in.txt", n=4)  # not committed: not run
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.percent == 0
    client.force_login(alice)
    page = client.get(reverse("job_detail", args=[job.pk])).content.decode()
    assert 'data-testid="job-progressbar"' in page and 'data-over="0"' in page
    client.force_login(bob)
    for name in ("job_detail", "job_status", "job_result"):
        assert client.get(reverse(name, args=[job.pk])).status_code == 404
    assert "数一数" not in client.get(reverse("job_list")).content.decode()


def test_a_job_runs_once(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job = jobs.start("test.counting", alice, "数一数", b"input", "in.txt", n=2)
    SEEN.clear()
    jobs.run(str(job.pk))  # a second delivery of the task finds it over
    assert SEEN == []

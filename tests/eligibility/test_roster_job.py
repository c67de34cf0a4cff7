"""A roster of more than ROSTER_BACKGROUND_ROWS rows is checked by the worker with a progress bar (issue 39
item 4); one of that many rows or fewer answers on the page as before."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from eligibility import constants
from portal.models import Job
from tests.eligibility.test_views import ROWS, roster_file

pytestmark = pytest.mark.django_db


def rows(n):
    return [ROWS[i % len(ROWS)] for i in range(n)]


@pytest.mark.parametrize(("n", "background"), [(999, False), (1000, False), (1001, True)])
def test_the_boundary(client, alice, settings, n, background, django_capture_on_commit_callbacks):
    assert constants.ROSTER_BACKGROUND_ROWS == 1000
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client.force_login(alice)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("eligibility:roster"), {"file": roster_file(rows(n))})
    if not background:
        assert response.status_code == 200 and response.context["result"] is not None
        assert not Job.objects.exists()
        return
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert (job.status, job.total, job.done) == (Job.Status.DONE, n, n)
    download = client.get(reverse("job_result", args=[job.pk]))
    content = b"".join(download.streaming_content) if download.streaming else download.content
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet.max_row >= n + 1  # a result row per roster row


def test_progress_is_reported_every_few_hundred_rows():
    from eligibility.roster import read_roster
    from portal.models import Occupation

    seen = []
    occupations = dict(Occupation.objects.values_list("code", "name"))
    read_roster(roster_file(rows(650)).getvalue(), occupations, progress=seen.append)
    assert seen == [200, 400, 600]

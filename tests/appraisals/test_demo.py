import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command

from appraisals import demo, workflow
from appraisals.constants import State
from appraisals.models import Appraisal
from portal.demo import load_demo_accounts
from portal.models import Occupation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        call_command("load_reference", stdout=io.StringIO())
        load_demo_accounts()
        yield demo.load()


def test_load_reference_marks_the_listed_occupations():
    """seed 002 附件1 二: the list in fixtures/appraisal_occupations.json, its names checked."""
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    marked = set(Occupation.objects.filter(bureau_appraisal=True).values_list("name", flat=True))
    assert {"车工", "电工", "装配钳工", "机修钳工"} <= marked and "中式烹调师" not in marked
    assert f"{len(marked)} open to enterprise appraisal" in out.getvalue()


def test_demo_has_one_appraisal_in_each_state_and_loads_once(loaded):
    assert "10 demo appraisals" in loaded[0]
    assert "already" in demo.load()[0]
    # every state up to the report; ISSUED (四(六)) is reached by certificates issuing the bureau's
    # 职业资格证书, which appraisals may not import (tests/test_layers.py): certificates' demo's to show
    assert sorted(Appraisal.objects.values_list("state", flat=True)) == sorted(
        [value for value in State.values if value != State.ISSUED] + [State.REPORTED]
    )
    arranged = Appraisal.objects.get(state=State.ARRANGED)
    own = arranged.enterprise.credit_code
    assert arranged.supervisors.count() == 2
    assert not arranged.supervisors.filter(supervisor__employer_credit_code=own).exists()
    # the bureau's: supervisors to dispatch, and (四(六)) the reported ones waiting for their certificates
    assert [r.appraisal.state for r in workflow.queue(User.objects.get(username="bureau"))] == [
        State.QUESTIONS_RECORDED,
        State.REPORTED,
        State.REPORTED,
    ]
    # 四(四): the publicised one holds an open objection (the centre's queue), the reported one was
    # reported after its objection was dismissed; both with 16 scored candidates, some failing
    publicised = Appraisal.objects.get(state=State.PUBLICISED)
    assert workflow.has_open_objection(publicised) and publicised.candidates.count() == 16
    centre_queue = [r.appraisal for r in workflow.queue(User.objects.get(username="centre"))]
    assert publicised in centre_queue
    reported = Appraisal.objects.get(state=State.REPORTED, levels__level=2)
    assert reported.objections.get().state == "dismissed" and reported.reported_at is not None
    assert not reported.candidates.filter(theory_score=None).exists()
    # 四(五): its two 技师 were reviewed before the publicity, one passed, one failed
    results = [c.review.passed for c in reported.candidates.filter(level=2).order_by("row")]
    assert results == [True, False]


def test_the_admin_pages_of_the_demo_open(loaded, admin_client):
    from django.urls import reverse

    appraisal = Appraisal.objects.get(state=State.ARRANGED)
    supervisor = appraisal.supervisors.first().supervisor
    for url in (
        reverse("admin:appraisals_appraisal_changelist"),
        reverse("admin:appraisals_appraisal_change", args=[appraisal.pk]),
        reverse("admin:appraisals_qualitysupervisor_changelist"),
        reverse("admin:appraisals_qualitysupervisor_change", args=[supervisor.pk]),
        reverse("admin:appraisals_recordsequence_changelist"),
        reverse("admin:appraisals_scoreobjection_changelist"),
        reverse("admin:appraisals_candidatereview_changelist"),
        reverse(
            "admin:appraisals_scoreobjection_change",
            args=[Appraisal.objects.get(state=State.PUBLICISED).objections.get().pk],
        ),
        reverse(
            "admin:appraisals_appraisal_change",
            args=[Appraisal.objects.filter(state=State.REPORTED).first().pk],
        ),
        reverse("admin:portal_occupation_changelist") + "?bureau_appraisal__exact=1",
    ):
        assert admin_client.get(url).status_code == 200, url

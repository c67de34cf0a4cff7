"""The demo batch loads (with the demo stand-in prefix while no filing exists) and loads once only."""

import datetime
import io

import pytest
import time_machine
from django.core.management import call_command

from certificates import demo
from certificates.models import Certificate, IssuanceBatch
from portal.demo import load_demo_accounts

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fixed_day():
    with time_machine.travel(datetime.datetime(2026, 5, 12, 2, 0, tzinfo=datetime.UTC)):
        yield


def test_demo_batch_loads_once():
    load_demo_accounts()
    call_command("loaddata", "fixtures/occupations.json", verbosity=0)
    lines = demo.load()
    assert "5 issued, 1 refused" in lines[0]
    batch = IssuanceBatch.objects.get(title=demo.DEMO_TITLE)
    assert batch.status == IssuanceBatch.Status.FINISHED and batch.pdf
    assert Certificate.objects.filter(code__startswith="Y000012011001").count() == 5
    assert demo.load() == lines
    assert IssuanceBatch.objects.count() == 1 and Certificate.objects.count() == 5


def test_demo_without_occupations_says_so():
    load_demo_accounts()
    assert "skipped" in demo.load()[0]


def test_demo_uses_the_filed_prefix_name_and_scope_when_filings_has_them(monkeypatch):
    from filings import institutions

    load_demo_accounts()
    call_command("loaddata", "fixtures/occupations.json", verbosity=0)
    monkeypatch.setattr(
        institutions, "certificate_prefix", lambda inst, on=None: ("Y", "0000", "12", "013001")
    )
    monkeypatch.setattr(institutions, "filed_name", lambda inst: "天津市海河装备制造有限公司（备案名称）")
    monkeypatch.setattr(
        institutions, "filed_scope", lambda inst, on=None: {("4-03-02-01", 3), ("4-03-02-01", 4)}
    )
    demo.load()
    codes = sorted(Certificate.objects.values_list("code", flat=True))
    assert codes == ["Y000012013001263000001", "Y000012013001264000001", "Y000012013001264000002"]
    assert set(Certificate.objects.values_list("institution_name", flat=True)) == {
        "天津市海河装备制造有限公司（备案名称）"
    }


def test_the_demo_takes_one_appraisal_to_issued_with_the_bureaus_certificates():
    """seed 002 附件1 四(六): appraisals' demo reports two 鉴定; certificates' has the bureau issue the last
    one's 职业资格证书, the other stays in the bureau's queue; so every state is shown, and it loads once."""
    from appraisals import demo as appraisals_demo
    from appraisals import workflow
    from appraisals.constants import State
    from appraisals.models import Appraisal
    from certificates.constants import QUALIFICATION_ISSUER_NAME
    from portal.models import User

    call_command("load_reference", stdout=io.StringIO())
    load_demo_accounts()
    appraisals_demo.load()
    lines = demo.load()
    assert any("职业资格证书 issued" in line for line in lines)
    assert set(Appraisal.objects.values_list("state", flat=True)) == set(State.values)
    issued = Appraisal.objects.get(state=State.ISSUED)
    passed = [c for c in issued.candidates.all() if workflow.final_passed(c)]
    certificates = Certificate.objects.filter(appraisal_candidate__appraisal=issued)
    assert len(passed) == certificates.count() > 0
    assert set(certificates.values_list("institution_name", flat=True)) == {QUALIFICATION_ISSUER_NAME}
    assert all(code.startswith("Z000012000000") for code in certificates.values_list("code", flat=True))
    bureau_queue = [r.appraisal.state for r in workflow.queue(User.objects.get(username="bureau"))]
    assert State.REPORTED in bureau_queue
    assert demo.load()[-1] == lines[-1] and Certificate.objects.filter(kind="qualification").count() == len(
        passed
    )

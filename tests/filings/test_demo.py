"""The demo: every staff queue has rows, the demo applicant is filed for three occupations, and a
second load changes nothing."""

import pytest
from django.core.management import call_command

from filings import demo, institutions, school_record, seals, workflow
from filings.constants import QUEUE_STATES, State
from filings.models import Filing
from portal.demo import load_demo_accounts
from portal.models import User

pytestmark = pytest.mark.django_db


def test_demo_fills_every_queue_and_files_the_applicant(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_reference")
    load_demo_accounts()
    demo.load()
    states = set(Filing.objects.values_list("state", flat=True))
    assert set(QUEUE_STATES) <= states
    assert State.DRAFT in states
    applicant = User.objects.get(username="applicant")
    scope = institutions.filed_scope(applicant.institution)
    assert len({code for code, _level in scope}) == 3
    assert institutions.certificate_prefix(applicant.institution)[0] == "Y"
    # a 技工院校 past its 核验 with its whole package, on the city's 申请备案表 (辽人社〔2020〕32号 四(二), 附件3)
    (school,) = school_record.schools()
    assert school.name == "天津市第一技师学院" and workflow.missing_sections(school) == []
    assert school.work_plan.quality
    # seals: the applicant's in use, the two offices' put in, one change waiting for the centre
    assert seals.current(applicant.institution) is not None
    assert seals.office("centre") and seals.office("bureau") and seals.pending().count() == 1
    count = Filing.objects.count()
    demo.load()
    assert Filing.objects.count() == count

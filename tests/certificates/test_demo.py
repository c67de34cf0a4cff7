"""The demo batch loads (with the demo stand-in prefix while no filing exists) and loads once only."""

import pytest
from django.core.management import call_command

from certificates import demo
from certificates.models import Certificate, IssuanceBatch
from portal.demo import load_demo_accounts

pytestmark = pytest.mark.django_db


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

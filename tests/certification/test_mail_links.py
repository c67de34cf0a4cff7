"""Assessment plan mails end with a full, clickable link to the plan at the portal's public address
(settings.PORTAL_PUBLIC_URL, portal/links.py), not with a bare path."""

import datetime
import re

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile

from certification import imports, workflow
from tests.certification.factories import PlanFactory, filed_institution, person_id, roster_xlsx

pytestmark = pytest.mark.django_db

PUBLIC = "https://jineng.example.org"
SUBMIT_ON = datetime.date(2026, 5, 20)  # a Wednesday; first allowed start 2026-05-27


def test_plan_mails_link_to_the_plan_at_the_public_address(
    settings, alice, carol, django_capture_on_commit_callbacks
):
    settings.PORTAL_PUBLIC_URL = PUBLIC
    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution, staffed=True, created_by=alice)
    rows = [(f"考生{i}", person_id(1000 + i), 4, 6) for i in range(3)]
    roster = SimpleUploadedFile("r.xlsx", roster_xlsx(rows), content_type="application/octet-stream")
    assert imports.import_roster(plan, roster, alice).ok
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(plan, alice, on=SUBMIT_ON)  # to the centre
        workflow.return_plan(plan, carol, "考场信息不完整")  # to the institution
    assert sorted(m.to[0] for m in mail.outbox) == sorted([carol.email, alice.email])
    for message in mail.outbox:
        assert re.findall(r"https?://\S+", message.body) == [f"{PUBLIC}/certification/plans/{plan.pk}/"]
        assert message.body.rstrip().endswith(f"：{PUBLIC}/certification/plans/{plan.pk}/")

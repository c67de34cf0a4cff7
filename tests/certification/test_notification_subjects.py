"""Issue 29 item 11h: the applicant's notifications name the filing or plan they are about, linked to
its page (portal/subjects.py; the apps register the names of their pages)."""

import re

import pytest
from django.urls import reverse

from filings.constants import State
from portal import audit
from tests.certification.factories import PlanFactory, filed_institution
from tests.filings.factories import in_state

pytestmark = pytest.mark.django_db


def test_each_notification_names_its_object_with_its_link(client, alice, django_assert_max_num_queries):
    filing = in_state(State.RETURNED, institution=alice.institution, name="甲焊接培训中心")
    plan = PlanFactory(institution=filed_institution(alice.institution), title="2027 年第一批焊工认定")
    filing_url = reverse("filings:detail", args=[filing.pk])
    plan_url = reverse("certification:plan", args=[plan.pk])
    audit.notify(alice, "备案申请已退回修改", filing_url)
    audit.notify(alice, "认定方案已通过审核", plan_url)
    audit.notify(alice, "欢迎使用", "")
    audit.notify(alice, "请查看您的备案申请", reverse("filings:mine"))
    for _ in range(3):  # more of one kind cost no query more
        audit.notify(alice, "认定方案已通过审核", plan_url)
    client.force_login(alice)
    with django_assert_max_num_queries(12):
        html = client.get(reverse("notifications")).content.decode()
    subjects = re.findall(
        r'<a href="([^"]+)" data-testid="notification-subject">([^<]+)</a>：([^<]+?) <small', html
    )
    assert (filing_url, f"甲焊接培训中心（备案申请 {filing.reference}）", "备案申请已退回修改") in subjects
    assert (plan_url, f"认定方案 {plan.reference} 2027 年第一批焊工认定", "认定方案已通过审核") in subjects
    assert len(subjects) == 5
    assert "欢迎使用" in html and '<a href="/filings/">请查看您的备案申请</a>' in html

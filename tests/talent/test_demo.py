import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from portal.demo import load_demo_accounts
from portal.models import User
from talent import demo, workflow
from talent.constants import State
from talent.models import TitleApplication
from tests.certification.factories import filed_institution

pytestmark = pytest.mark.django_db


def test_demo_has_one_application_in_each_state_and_loads_once():
    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        load_demo_accounts()
        assert "10 demo title applications" in demo.load()[0]
        assert "already" in demo.load()[0]
    assert sorted(TitleApplication.objects.values_list("state", flat=True)) == sorted(State.values)
    employer = User.objects.get(username="title_employer")
    assert employer.institution == User.objects.get(username="applicant").institution
    recognised = TitleApplication.objects.get(state=State.RECOGNISED)
    assert recognised.exceptional_clause == "附件2 二(二)3"
    (waiting,) = workflow.queue(User.objects.get(username="title_dept"))
    assert waiting.application.state == State.IN_REVIEW
    (waiting,) = workflow.queue(User.objects.get(username="title_review"))
    assert waiting.application.state == State.SENT and waiting.application.route == "direct"
    assert workflow.queue(User.objects.get(username="zhongtian")) == []


def test_the_admin_pages_of_the_demo_open(admin_client):
    from django.urls import reverse

    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        load_demo_accounts()
        demo.load()
    app = TitleApplication.objects.get(state=State.PASSED)
    for url in (
        reverse("admin:talent_titleapplication_changelist"),
        reverse("admin:talent_titleapplication_change", args=[app.pk]),
        reverse("admin:talent_achievement_changelist"),
        reverse("admin:talent_achievement_change", args=[app.achievements.first().pk]),
    ):
        assert admin_client.get(url).status_code == 200, url


def test_the_demo_has_one_skill_application_in_each_state_one_on_a_roster(admin_client):
    """附件2 三, 四(二): with the filed demo institution, one skill application in each state; the one accepted
    at the institution is a roster row of the demo plan, theory waived."""
    from django.urls import reverse

    from talent.constants import SkillRoute, SkillState
    from talent.models import SkillApplication

    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        load_demo_accounts()
        filed_institution(User.objects.get(username="applicant").institution)  # the filings demo's filing
        lines = demo.load()
        assert any("6 demo skill applications" in line for line in lines), lines
        assert any("skill applications already loaded" in line for line in demo.load())
    assert set(SkillApplication.objects.values_list("state", flat=True)) == set(SkillState.values)
    rostered = SkillApplication.objects.get(state=SkillState.ACCEPTED, route=SkillRoute.RECOGNITION)
    assert rostered.theory_waived and rostered.candidate.title_bridged
    assert rostered.candidate.plan.title == demo.SKILL_PLAN_TITLE
    for url in (
        reverse("admin:talent_skillapplication_changelist"),
        reverse("admin:talent_skillapplication_change", args=[rostered.pk]),
    ):
        assert admin_client.get(url).status_code == 200, url

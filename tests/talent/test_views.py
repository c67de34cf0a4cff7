"""The applicant's 申请表 page and the queue page, with who may use them."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from talent.constants import Route, State
from talent.models import Achievement, TitleApplication
from tests.portal.factories import id_number
from tests.talent.factories import World, evidence, through

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        yield


@pytest.fixture
def world():
    return World.build()


def _form(world, **over):
    data = {
        "name": "李明",
        "id_number": id_number(7, "19850315", male=True),
        "employer_name": world.employer.name,
        "employer": world.employer.pk,
        "route": Route.EMPLOYER,
        "post": "数控车工",
        "on_current_post_since": "2020-01-01",
        "engineering_field": "true",
        "frontline_skill_post": "true",
        "occupation": "车工",
        "level": "2",
        "level_certificate_number": "Y000012011001232000001",
        "level_obtained_on": "2023-03-01",
        "skill_work_years": "12",
        "title_sought": "工程师",
        "specialty": "机械制造",
        "appraisal_2025": "passed",
        "appraisal_2024": "excellent",
        "appraisal_2023": "passed",
    }
    data.update(over)
    return data


def test_a_person_fills_in_the_form_adds_an_achievement_and_submits(client, world):
    client.force_login(world.person)
    assert client.get(reverse("talent:new")).status_code == 200
    response = client.post(reverse("talent:new"), _form(world))
    app = TitleApplication.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("talent:edit", args=[app.pk])
    assert app.filed_by == world.person and app.appraisals.count() == 3

    page = client.get(reverse("talent:edit", args=[app.pk])).content.decode()
    assert "二(二)1 · 工程师：符合" in page  # the rules' decision on what is typed

    url = reverse("talent:edit", args=[app.pk])
    bad = evidence("专利.pdf", b"plain text, not a PDF")
    client.post(url, {"action": "achievement", "kind": "patent", "summary": "专利", "evidence": bad})
    assert not Achievement.objects.exists()
    client.post(
        url, {"action": "achievement", "kind": "patent", "summary": "一种车刀夹具", "evidence": evidence()}
    )
    assert app.achievements.count() == 1

    response = client.post(url, {"action": "submit"}, follow=True)
    app.refresh_from_db()
    assert app.state == State.SUBMITTED
    assert "职称申请已申报" in response.content.decode()


def test_a_bad_id_number_is_shown_on_the_form(client, world):
    client.force_login(world.person)
    response = client.post(reverse("talent:new"), _form(world, id_number="120101198503150011"))
    assert response.status_code == 200 and "校验位" in response.content.decode()
    assert not TitleApplication.objects.exists()


def test_nobody_else_opens_or_changes_the_form(client, world):
    app = world.application()
    url = reverse("talent:edit", args=[app.pk])
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for name in ("other_person", "other_recommender", "department_user", "zhongtian", "review_body_user"):
        client.force_login(getattr(world, name))
        assert client.get(url).status_code == 404, name
        assert client.post(url, {"action": "submit"}).status_code == 404, name
    assert TitleApplication.objects.get(pk=app.pk).state == State.DRAFT
    client.force_login(world.recommender)  # the employer, filing for its staff
    assert client.get(url).status_code == 200


def test_a_submitted_form_is_read_only(client, world):
    app = through(world.application(), world, "submit")
    client.force_login(world.person)
    url = reverse("talent:edit", args=[app.pk])
    page = client.get(url).content.decode()
    assert 'data-testid="application-form"' not in page and 'data-testid="submit"' not in page
    client.post(url, {"action": "save", **_form(world, post="别的岗位")})
    assert TitleApplication.objects.get(pk=app.pk).post == "数控车工"


def test_the_queue_shows_the_working_days_waited(client, world):
    app = through(world.application(), world, "submit")
    with time_machine.travel(
        datetime.datetime(2026, 12, 11, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        client.force_login(world.recommender)
        page = client.get(reverse("talent:queue")).content.decode()
    assert app.reference in page and "已 4 个工作日" in page
    client.force_login(world.other_recommender)
    assert app.reference not in client.get(reverse("talent:queue")).content.decode()
    client.force_login(world.person)
    assert client.get(reverse("talent:queue")).status_code == 403
    client.logout()
    assert client.get(reverse("talent:queue")).status_code == 302

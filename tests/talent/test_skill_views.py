"""The skill application's pages (附件2 三, 四(二)): the filer's 申请表 (new, edit with the certificate copy,
申报), the application's page with the body's steps, the steps POST only, the body's queue; anyone else
404 (or 403 for the queue)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from talent.constants import HeldTitle, SkillRoute, SkillState
from talent.models import SkillApplication
from tests.talent.factories import SkillWorld, evidence

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(
        datetime.datetime(2026, 12, 7, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ) as clock:
        yield clock


@pytest.fixture
def world():
    return SkillWorld.build()


def test_a_professional_fills_in_the_form_and_submits(client, world):
    client.force_login(world.person)
    blank = client.get(reverse("talent:skill_new"))
    assert blank.status_code == 200 and 'data-testid="next-step"' in blank.content.decode()
    response = client.post(
        reverse("talent:skill_new"),
        {
            "name": "张工",
            "id_number": "110101199003070038",
            "employer_name": "天津市海河装备制造有限公司",
            "post": "工艺技术员",
            "engineering_field": "true",
            "skill_post": "true",
            "title": HeldTitle.ASSISTANT_ENGINEER,
            "title_certificate_number": "津工程2020-00123",
            "title_obtained_on": "2020-01-01",
            "occupation": world.plan.occupation.pk,
            "level": 3,
            "route": SkillRoute.RECOGNITION,
            "institution": world.body.pk,
            "title_copy": evidence("职称证书.pdf"),
        },
    )
    app = SkillApplication.objects.get(filed_by=world.person)
    assert response.status_code == 302 and response.url == reverse("talent:skill_edit", args=[app.pk])
    assert app.title_certificate_copy
    page = client.get(reverse("talent:skill_edit", args=[app.pk]))
    assert page.status_code == 200 and "三(二)1" in page.content.decode()

    client.post(reverse("talent:skill_edit", args=[app.pk]), {"action": "submit"})
    app.refresh_from_db()
    assert app.state == SkillState.SUBMITTED and app.theory_waived


def test_the_body_accepts_onto_its_plan_from_its_queue(client, world):
    app = world.application(title=HeldTitle.ASSISTANT_ENGINEER, level=3)
    from talent import skills

    skills.submit(app, world.person)
    client.force_login(world.body_user)
    queue = client.get(reverse("talent:skill_queue"))
    assert queue.status_code == 200 and app.reference in queue.content.decode()
    detail = client.get(reverse("talent:skill_detail", args=[app.pk]))
    assert detail.status_code == 200 and 'data-testid="act-accept"' in detail.content.decode()
    url = reverse("talent:skill_act", args=[app.pk, "accept"])
    assert client.get(url).status_code in (302, 405)  # POST only
    assert SkillApplication.objects.get(pk=app.pk).state == SkillState.SUBMITTED
    client.post(url, {"accept-plan": world.plan.pk, "accept-comment": ""})
    app.refresh_from_db()
    assert app.state == SkillState.ACCEPTED and app.candidate.title_bridged


def test_strangers_get_404_and_the_queue_is_for_the_bodies(client, world):
    app = world.application()
    from talent import skills

    skills.submit(app, world.person)
    for stranger in (world.other_person, world.other_body_user, world.centre):
        client.force_login(stranger)
        for name in ("talent:skill_edit", "talent:skill_detail"):
            assert client.get(reverse(name, args=[app.pk])).status_code == 404
        response = client.post(reverse("talent:skill_act", args=[app.pk, "reject"]), {"reject-reason": "x"})
        assert response.status_code == 404
    client.force_login(world.other_person)
    assert client.get(reverse("talent:skill_queue")).status_code == 403
    assert SkillApplication.objects.get(pk=app.pk).state == SkillState.SUBMITTED


def _pdf_text(response) -> str:
    import io

    from pypdf import PdfReader

    assert response["Content-Type"] == "application/pdf"
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_my_list_shows_each_applications_next_step_and_the_nav_links_it(client, world):
    from talent import skills

    draft = world.application(level=3, title=HeldTitle.ASSISTANT_ENGINEER)
    sent = world.application()
    skills.submit(sent, world.person)
    client.force_login(world.person)
    home = client.get(reverse("talent:skill_mine"))
    body = home.content.decode()
    assert home.status_code == 200 and draft.reference in body and sent.reference in body
    assert "请填写申请表、上传专业技术职务任职资格证复印件后申报。" in body
    assert "等待评价机构受理。" in body
    assert 'data-testid="nav-skills"' in body and 'data-testid="nav-skill-queue"' not in body
    # nobody else's applications are listed
    client.force_login(world.other_person)
    assert sent.reference not in client.get(reverse("talent:skill_mine")).content.decode()
    # the queue is linked for the bodies
    client.force_login(world.body_user)
    assert 'data-testid="nav-skill-queue"' in client.get(reverse("talent:skill_mine")).content.decode()
    client.force_login(world.centre)
    queue = client.get(reverse("talent:skill_queue")).content.decode()
    assert 'data-testid="nav-skill-queue"' in queue and 'data-testid="next-step"' in queue


def test_the_accepted_page_says_which_plan(client, world):
    from talent import skills

    app = world.application()
    skills.submit(app, world.person)
    skills.accept(app, world.body_user, plan=world.plan)
    client.force_login(world.person)
    page = client.get(reverse("talent:skill_detail", args=[app.pk])).content.decode()
    assert f"已列入认定方案“{world.plan.title}”的考生名册" in page


def test_the_pdfs_read_back_for_whoever_may_see_it(client, world):
    """四(二)1 申请表 and, for 技师, 四(二)2 资格评审表; 404 for anyone else."""
    from talent import skills

    app = world.application(name="王建国")
    skills.submit(app, world.person)
    for viewer in (world.person, world.body_user):
        client.force_login(viewer)
        text = _pdf_text(client.get(reverse("talent:skill_application_pdf", args=[app.pk])))
        assert "专业技术人才参加职业技能评价申请表" in text
        for words in ("王建国", "工程师", "技师（二级）", "免于理论知识考核", "附件2 三(二)1"):
            assert words in text, words
        review = _pdf_text(client.get(reverse("talent:skill_review_pdf", args=[app.pk])))
        assert "技师（高级技师）资格评审表" in review and "王建国" in review
    for stranger in (world.other_person, world.other_body_user, world.centre):
        client.force_login(stranger)
        for name in ("talent:skill_application_pdf", "talent:skill_review_pdf"):
            assert client.get(reverse(name, args=[app.pk])).status_code == 404


def test_the_review_form_is_only_for_technicians(client, world):
    app = world.application(title=HeldTitle.ASSISTANT_ENGINEER, level=3)
    client.force_login(world.person)
    assert client.get(reverse("talent:skill_review_pdf", args=[app.pk])).status_code == 404
    page = client.get(reverse("talent:skill_detail", args=[app.pk])).content.decode()
    assert 'data-testid="application-pdf"' in page and 'data-testid="review-pdf"' not in page
    assert client.get(reverse("talent:skill_application_pdf", args=[app.pk])).status_code == 200

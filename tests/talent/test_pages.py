"""The pages of the other roles (issue 34 part 2): the employer recommends or returns, the 业务主管部门 (or
中天人力) approves and sends, returns or rejects, the review body records its result, the employer
appoints a 初级 title; each sees only its own; the 申请表 PDF; the list of one's applications."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from talent.constants import Route, State, Title
from talent.models import TitleApplication
from tests.talent.factories import World, through

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


def _act(client, app, action, **data):
    url = reverse("talent:act", args=[app.pk, action])
    return client.post(url, {f"{action}-{name}": value for name, value in data.items()})


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _state(app) -> str:
    return TitleApplication.objects.get(pk=app.pk).state


def test_the_employer_recommends_on_the_page_it_finds_in_its_queue(client, world):
    app = through(world.application(), world, "submit")
    client.force_login(world.recommender)
    assert reverse("talent:detail", args=[app.pk]) in client.get(reverse("talent:queue")).content.decode()
    page = client.get(reverse("talent:detail", args=[app.pk])).content.decode()
    assert 'data-testid="do-recommend"' in page and 'data-testid="do-return_by_employer"' in page
    assert 'data-testid="do-approve"' not in page
    assert "等待用人单位推荐" in page
    response = _act(client, app, "recommend", department=world.department.pk, comment="同意推荐")
    assert response.status_code == 302 and response["Location"] == reverse("talent:detail", args=[app.pk])
    assert "已推荐，报送业务主管部门审核。" in _messages(response)
    app.refresh_from_db()
    assert app.state == State.IN_REVIEW and app.department == world.department


def test_the_employer_returns_it_and_the_person_corrects_what_was_typed(client, world):
    app = through(world.application(), world, "submit")
    client.force_login(world.recommender)
    response = _act(client, app, "return_by_employer", reason="")
    assert _state(app) == State.SUBMITTED and any("理由" in m for m in _messages(response))
    _act(client, app, "return_by_employer", reason="请补充专利证书")
    assert _state(app) == State.RETURNED
    client.force_login(world.person)
    page = client.get(reverse("talent:detail", args=[app.pk])).content.decode()
    assert "请补充专利证书" in page and 'data-testid="edit"' in page


def test_the_department_approves_and_sends_it_to_the_review_body(client, world):
    app = through(world.application(), world, "recommend")
    client.force_login(world.department_user)
    page = client.get(reverse("talent:detail", args=[app.pk])).content.decode()
    assert "等待业务主管部门审核" in page and world.review_body.name in page
    for name in ("approve", "return_for_correction", "reject"):
        assert f'data-testid="do-{name}"' in page
    response = _act(client, app, "approve", review_body="")
    assert _state(app) == State.IN_REVIEW and _messages(response)
    _act(client, app, "approve", review_body=world.review_body.pk, comment="同意报送")
    app.refresh_from_db()
    assert app.state == State.SENT and app.review_body == world.review_body


def test_the_department_returns_it_keeping_what_was_typed_or_rejects_it_with_a_reason(client, world):
    app = through(world.application(post="数控车工（班组长）"), world, "recommend")
    client.force_login(world.department_user)
    _act(client, app, "return_for_correction", reason="年度考核证明不清晰")
    app.refresh_from_db()
    assert app.state == State.RETURNED and app.post == "数控车工（班组长）"
    assert app.return_reason == "年度考核证明不清晰"

    other = through(world.application(), world, "recommend")
    response = _act(client, other, "reject", reason="")
    assert _state(other) == State.IN_REVIEW and _messages(response)
    _act(client, other, "reject", reason="业绩与申报专业不符")
    other.refresh_from_db()
    assert other.state == State.REJECTED and other.reject_reason == "业绩与申报专业不符"
    client.force_login(world.person)
    assert "业绩与申报专业不符" in client.get(reverse("talent:detail", args=[other.pk])).content.decode()


def test_zhongtian_reviews_the_direct_route(client, world):
    app = through(world.application(route=Route.DIRECT), world, "submit")
    assert app.state == State.IN_REVIEW
    client.force_login(world.department_user)
    assert client.get(reverse("talent:detail", args=[app.pk])).status_code == 404
    client.force_login(world.zhongtian)
    assert "等待中天人力审核" in client.get(reverse("talent:detail", args=[app.pk])).content.decode()
    _act(client, app, "approve", review_body=world.review_body.pk)
    assert _state(app) == State.SENT


def test_the_review_body_records_the_result(client, world):
    app = through(world.application(), world, "approve")
    client.force_login(world.review_body_user)
    page = client.get(reverse("talent:detail", args=[app.pk])).content.decode()
    assert 'data-testid="do-record_pass"' in page and 'data-testid="do-record_fail"' in page
    assert 'data-testid="do-record_recognition"' not in page  # 破格 only
    response = _act(client, app, "record_pass", certificate_number="", certificate_date="2026-12-01")
    assert _state(app) == State.SENT and any("证书编号" in m for m in _messages(response))
    _act(client, app, "record_pass", certificate_number="津职称2026-GC-0007", certificate_date="2026-12-01")
    app.refresh_from_db()
    assert app.state == State.PASSED and app.title_certificate_number == "津职称2026-GC-0007"
    assert app.title_certificate_date == datetime.date(2026, 12, 1)

    failed = through(world.application(), world, "approve")
    _act(client, failed, "record_fail", opinion="")
    assert _state(failed) == State.SENT
    _act(client, failed, "record_fail", opinion="业绩条件不足")
    assert _state(failed) == State.FAILED
    client.force_login(world.person)
    page = client.get(reverse("talent:detail", args=[failed.pk])).content.decode()
    assert "业绩条件不足" in page and "办理完毕" in page


def test_the_review_body_recognises_an_exceptional_application(client, world):
    # 技师 for only one year: 二(二)1 fails, 二(二)3 (the honour) lets it go on as 破格
    app = world.application(level_obtained_on=datetime.date(2025, 12, 1), title_sought=Title.SENIOR_ENGINEER)
    app.awards.create(name="全国技术能手")
    app = through(app, world, "approve")
    assert app.exceptional_clause
    client.force_login(world.review_body_user)
    assert (
        'data-testid="do-record_recognition"'
        in client.get(reverse("talent:detail", args=[app.pk])).content.decode()
    )
    _act(
        client,
        app,
        "record_recognition",
        certificate_number="津职称2026-PG-0001",
        certificate_date="2026-12-02",
    )
    assert _state(app) == State.RECOGNISED


def test_the_employer_appoints_a_junior_title(client, world):
    app = world.application(
        level=3, title_sought=Title.ASSISTANT_ENGINEER, level_obtained_on=datetime.date(2023, 1, 1)
    )
    client.force_login(world.person)
    page = client.get(reverse("talent:detail", args=[app.pk])).content.decode()
    assert "由用人单位" in page and 'data-testid="do-appoint"' not in page
    client.force_login(world.recommender)
    page = client.get(reverse("talent:detail", args=[app.pk])).content.decode()
    assert 'data-testid="do-appoint"' in page
    _act(client, app, "appoint", certificate_number="津海聘2026-3", certificate_date="2026-12-01")
    app.refresh_from_db()
    assert app.state == State.APPOINTED and app.title_certificate_number == "津海聘2026-3"


def test_nobody_else_sees_the_page_or_takes_a_step(client, world):
    app = through(world.application(), world, "recommend")
    detail = reverse("talent:detail", args=[app.pk])
    for name in ("other_person", "other_recommender", "other_department_user", "review_body_user"):
        client.force_login(getattr(world, name))
        assert client.get(detail).status_code == 404, name
        assert client.get(reverse("talent:application_pdf", args=[app.pk])).status_code == 404, name
        assert _act(client, app, "approve", review_body=world.review_body.pk).status_code == 404, name
    assert _state(app) == State.IN_REVIEW
    # the person and the employer see it, but may not take the department's step
    for user in (world.person, world.recommender):
        client.force_login(user)
        assert 'data-testid="do-approve"' not in client.get(detail).content.decode()
        response = _act(client, app, "approve", review_body=world.review_body.pk)
        assert response.status_code == 302 and _messages(response)
    assert _state(app) == State.IN_REVIEW
    client.force_login(world.department_user)
    assert client.post(reverse("talent:act", args=[app.pk, "nonsense"])).status_code == 404


def test_a_stray_get_of_a_step_opens_the_page(client, world):
    app = through(world.application(), world, "submit")
    client.force_login(world.recommender)
    response = client.get(reverse("talent:act", args=[app.pk, "recommend"]))
    assert response.status_code == 302 and response["Location"] == reverse("talent:detail", args=[app.pk])
    assert _state(app) == State.SUBMITTED
    client.force_login(world.other_recommender)
    assert client.get(reverse("talent:act", args=[app.pk, "recommend"])).status_code == 404


def test_my_applications_lists_what_the_user_may_see(client, world):
    mine = world.application()
    other = world.application(filed_by=world.other_person, employer=None, employer_name="别的单位")
    client.force_login(world.person)
    page = client.get(reverse("talent:mine")).content.decode()
    assert mine.reference in page and other.reference not in page
    assert reverse("talent:new") in page


def test_the_pdf_reads_back_the_name_the_level_and_the_years(client, world):
    app = through(world.application(name="王建国", skill_work_years=15), world, "submit")
    client.force_login(world.person)
    response = client.get(reverse("talent:application_pdf", args=[app.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = text.replace(" ", "")
    assert "高技能人才参评专业技术职称申请表" in text
    assert "王建国" in text and "技师（二级）" in text and "15年" in text
    assert app.reference in text

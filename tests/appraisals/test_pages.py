"""The pages of the enterprise 职业技能鉴定 (issue 35 slice 2): the enterprise's form (a refused submit
keeps what was typed and shows the reasons), the application's page with the steps each viewer is
offered, each step a POST-only address, the queue, the two PDFs, 404 for everyone else."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from appraisals.constants import Category, QuestionSource, State
from appraisals.models import Appraisal
from tests.appraisals.factories import World, evidence, through
from tests.portal.factories import id_number

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


def _form(world, **extra):
    data = {
        "contact_name": "张联系",
        "contact_phone": "022-23456789",
        "category": Category.TRAINING_CENTRE,
        "occupation": str(world.occupation.pk),
        "starts_on": "2027-01-11",
        "ends_on": "2027-01-12",
        "place": "海河装备实训车间",
        "equipment": "数控车床二十台",
        "adjustment_requested": "on",
        "adjustment_reason": "企业产品以大型轴类零件为主",
        "level_4": "16",
        "assessor_0_name": "王考评",
        "assessor_0_id_number": id_number(3, "19800101", male=False),
        "assessor_0_certificate_number": "KP-0001",
    }
    data.update(extra)
    return data


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_enterprise_fills_in_saves_and_submits(client, world):
    client.force_login(world.enterprise_user)
    assert client.get(reverse("appraisals:new")).status_code == 200
    response = client.post(reverse("appraisals:new"), {**_form(world), "evidence": evidence()})
    appraisal = Appraisal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "appraisals:edit", args=[appraisal.pk]
    )
    assert (
        appraisal.candidate_count == 16 and appraisal.assessors.count() == 1 and appraisal.category_evidence
    )
    response = client.post(
        reverse("appraisals:edit", args=[appraisal.pk]), {**_form(world), "action": "submit"}
    )
    assert response["Location"] == reverse("appraisals:detail", args=[appraisal.pk])
    appraisal.refresh_from_db()
    assert appraisal.state == State.SUBMITTED
    page = client.get(reverse("appraisals:detail", args=[appraisal.pk])).content.decode()
    assert "等待市鉴定中心审核" in page and "个工作日" in page and "申报职业技能鉴定" in page
    assert reverse("appraisals:mine") in client.get(reverse("appraisals:mine")).content.decode()


def test_a_refused_submit_keeps_what_was_typed_and_says_why(client, world):
    client.force_login(world.enterprise_user)
    data = _form(world, level_4="12", action="submit", equipment="数控车床十二台")
    response = client.post(reverse("appraisals:new"), data)  # 12 candidates, no evidence
    assert response.status_code == 200
    page = response.content.decode()
    assert "数控车床十二台" in page and 'value="12"' in page and "王考评" in page
    text = " ".join(_messages(response))
    assert "15" in text and "证明材料" in text
    appraisal = Appraisal.objects.get()
    assert appraisal.state == State.DRAFT and appraisal.equipment == "数控车床十二台"
    # a field the service refuses: nothing saved, the form keeps what was typed
    response = client.post(
        reverse("appraisals:edit", args=[appraisal.pk]), _form(world, place="", equipment="改过的设备")
    )
    assert response.status_code == 200 and "改过的设备" in response.content.decode()
    assert "请填写鉴定地点。" in " ".join(_messages(response))


def test_the_centre_returns_files_and_records_the_questions(client, world):
    appraisal = through(world.appraisal(), world, "submit")
    client.force_login(world.centre)
    assert (
        reverse("appraisals:detail", args=[appraisal.pk])
        in client.get(reverse("appraisals:queue")).content.decode()
    )
    page = client.get(reverse("appraisals:detail", args=[appraisal.pk])).content.decode()
    assert 'data-testid="do-file"' in page and 'data-testid="do-return_for_correction"' in page
    url = reverse("appraisals:act", args=[appraisal.pk, "return_for_correction"])
    response = client.post(url, {"return_for_correction-reason": ""})
    assert "请填写退回理由。" in _messages(response)
    client.post(url, {"return_for_correction-reason": "请补充考评员证书"})
    appraisal.refresh_from_db()
    assert appraisal.state == State.RETURNED and appraisal.return_reason == "请补充考评员证书"
    through(appraisal, world, "submit")
    response = client.post(reverse("appraisals:act", args=[appraisal.pk, "file"]), {"file-comment": ""})
    appraisal.refresh_from_db()
    assert appraisal.state == State.FILED and appraisal.record_number == "JD20260001"
    assert "JD20260001" in " ".join(_messages(response))
    page = client.get(reverse("appraisals:detail", args=[appraisal.pk])).content.decode()
    assert 'data-testid="do-answer_adjustment"' in page
    response = client.post(
        reverse("appraisals:act", args=[appraisal.pk, "record_questions"]),
        {"record_questions-source": QuestionSource.EXPERTS},
    )
    assert "企业申请了调整试题，请先答复。" in _messages(response)
    client.post(
        reverse("appraisals:act", args=[appraisal.pk, "answer_adjustment"]),
        {"answer_adjustment-granted": "1", "answer_adjustment-reason": "同意"},
    )
    client.post(
        reverse("appraisals:act", args=[appraisal.pk, "record_questions"]),
        {"record_questions-source": QuestionSource.EXPERTS},
    )
    appraisal.refresh_from_db()
    assert appraisal.adjustment_granted is True and appraisal.state == State.QUESTIONS_RECORDED


def test_the_bureau_draws_or_picks_supervisors(client, world):
    appraisal = through(world.appraisal(), world, "record_questions")
    client.force_login(world.bureau)
    page = client.get(reverse("appraisals:detail", args=[appraisal.pk])).content.decode()
    assert 'data-testid="do-dispatch"' in page and world.own_employee.name not in page
    url = reverse("appraisals:act", args=[appraisal.pk, "dispatch"])
    response = client.post(url, {"dispatch-how": "pick", "dispatch-pick": [world.own_employee.pk]})
    assert response.status_code == 302 and appraisal.supervisors.count() == 0  # not in the pool offered
    client.post(url, {"dispatch-how": "draw", "dispatch-count": "2"})
    appraisal.refresh_from_db()
    assert appraisal.state == State.ARRANGED and appraisal.supervisors.count() == 2


def test_strangers_get_404_and_a_stray_get_goes_to_the_page(client, world):
    appraisal = world.appraisal()
    for user in (world.other_user, world.expert, world.centre):  # a draft is the enterprise's own
        client.force_login(user)
        for name in ("detail", "application_pdf", "plan_pdf", "edit"):
            assert client.get(reverse(f"appraisals:{name}", args=[appraisal.pk])).status_code == 404, name
    through(appraisal, world, "submit")
    client.force_login(world.other_user)
    assert client.post(reverse("appraisals:act", args=[appraisal.pk, "file"])).status_code == 404
    assert client.get(reverse("appraisals:queue")).status_code == 404
    client.force_login(world.centre)
    assert client.post(reverse("appraisals:act", args=[appraisal.pk, "nonsense"])).status_code == 404
    response = client.get(reverse("appraisals:act", args=[appraisal.pk, "file"]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "appraisals:detail", args=[appraisal.pk]
    )
    appraisal.refresh_from_db()
    assert appraisal.state == State.SUBMITTED


def test_the_pdfs_read_back(client, world):
    appraisal = through(world.appraisal(), world, "file")
    client.force_login(world.enterprise_user)
    for name, title in (("application_pdf", "职业技能鉴定申请表"), ("plan_pdf", "职业技能鉴定实施方案")):
        response = client.get(reverse(f"appraisals:{name}", args=[appraisal.pk]))
        assert response["Content-Type"] == "application/pdf"
        text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace(
            " ", ""
        )
        assert title in text and "天津市海河装备制造有限公司" in text and "车工" in text, name


def _roster(n, level=4, years=6):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.certification.factories import person_id, roster_xlsx

    rows = [(f"考生{i}", person_id(2000 + i), level, years) for i in range(n)]
    return SimpleUploadedFile(
        "名册.xlsx", roster_xlsx(rows, code="6-18-01-01"), content_type="application/octet-stream"
    )


def test_the_enterprise_imports_its_roster(client, world):
    appraisal = world.appraisal(levels={4: 3})
    client.force_login(world.enterprise_user)
    url = reverse("appraisals:roster", args=[appraisal.pk])
    response = client.post(url)
    assert "请选择名册文件。" in _messages(response)
    response = client.post(url, {"roster": _roster(16)})
    assert response["Location"] == reverse("appraisals:edit", args=[appraisal.pk])
    assert "已导入 16 名考生" in " ".join(_messages(response))
    assert appraisal.candidates.count() == 16 and appraisal.candidate_count == 16
    page = client.get(reverse("appraisals:edit", args=[appraisal.pk])).content.decode()
    assert "考生15" in page
    # one ineligible candidate (a year of work): imported with its reasons, and the submit says why
    response = client.post(url, {"roster": _roster(16, years=0)})
    assert appraisal.candidates.filter(eligible=False).exists()
    response = client.post(
        reverse("appraisals:edit", args=[appraisal.pk]), {**_form(world), "action": "submit"}
    )
    assert "不符合申报条件" in " ".join(_messages(response))
    # the wrong occupation code: nothing written, the row errors shown
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.certification.factories import person_id, roster_xlsx

    wrong = SimpleUploadedFile("名册.xlsx", roster_xlsx([("甲", person_id(1), 4, 6)], code="4-03-02-01"))
    response = client.post(url, {"roster": wrong})
    assert "未作任何修改" in " ".join(_messages(response)) and appraisal.candidates.count() == 16
    appraisal.refresh_from_db()
    assert appraisal.state == State.DRAFT


def test_the_review_form_of_a_master_reads_back(client, world):
    """附件1 五(三): the 技师（高级技师）资格评审表 prints for a 技师 or 高级技师 candidate only, for whoever may
    see the 鉴定; 404 for another level's candidate and for anyone else."""
    from tests.appraisals.factories import scored_candidate

    appraisal = through(world.appraisal(), world, "file")
    master = scored_candidate(appraisal, n=1, level=2, theory=61, practical=75)
    worker = scored_candidate(appraisal, n=2, level=4)
    url = reverse("appraisals:review_form_pdf", args=[appraisal.pk, master.pk])
    client.force_login(world.centre)
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages).replace(" ", "")
    assert "技师（高级技师）资格评审表" in text and master.name in text and "61.0" in text and "技师" in text
    assert appraisal.reference in text and appraisal.record_number in text
    page = client.get(reverse("appraisals:detail", args=[appraisal.pk])).content.decode()
    assert url in page and f'data-testid="review-form-{worker.pk}"' not in page
    assert (
        client.get(reverse("appraisals:review_form_pdf", args=[appraisal.pk, worker.pk])).status_code == 404
    )
    for user in (world.other_user, world.expert):
        client.force_login(user)
        assert client.get(url).status_code == 404


def test_the_lists_show_the_reference_and_the_record_number_apart(client, world):
    appraisal = through(world.appraisal(), world, "file")
    assert appraisal.reference.startswith("JD-") and appraisal.record_number == "JD20260001"
    client.force_login(world.centre)
    for name in ("mine",):
        page = client.get(reverse(f"appraisals:{name}")).content.decode()
        assert appraisal.reference in page and ">JD20260001<" in page, name

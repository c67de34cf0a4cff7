"""seed 002 附件1 四(四) 成绩认定 at service level and on the pages: theory scores by the 市鉴定中心, practical
scores for the 考评员 by the enterprise (one by one and by the score sheet, with certification's checks),
the pass mark 60 in each exam, the public results page (names masked) with objections, an open objection
holding the report, and the 5-working-day report clock (overdue, over a holiday, provisional in a year
without an official calendar)."""

import datetime
import io
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from appraisals import rules, workflow
from appraisals.constants import REPORT_WORKING_DAYS, ObjectionState, State
from portal import audit, errors
from portal.models import OutboxMail
from tests.appraisals.factories import World, arranged_with_roster, score_all

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
D = datetime.date


def at(day: datetime.date):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI), tick=False
    )


@pytest.fixture(autouse=True)
def _today():
    with at(D(2026, 12, 7)):  # a Monday
        yield


@pytest.fixture
def world():
    return World.build()


@pytest.fixture
def scored(world):
    return score_all(arranged_with_roster(world), world)


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


# -- the pass mark of 四(四): 60 in each exam --------------------------------------------------------


@pytest.mark.parametrize("theory, passed", [(59, False), (60, True), (61, True), ("59.9", False)])
def test_four_four_theory_passes_at_60(theory, passed):
    """附件1 四(四): the theory exam at 59 / 60 / 61 with the practical passed."""
    assert rules.passed(Decimal(str(theory)), Decimal("80")) is passed


@pytest.mark.parametrize("practical, passed", [(59, False), (60, True), (61, True), ("59.9", False)])
def test_four_four_practical_passes_at_60(practical, passed):
    """附件1 四(四): the practical exam at 59 / 60 / 61 with the theory passed."""
    assert rules.passed(Decimal("80"), Decimal(str(practical))) is passed


def test_four_four_a_missing_score_is_not_a_pass():
    assert not rules.passed(None, Decimal("90")) and not rules.passed(Decimal("90"), None)


def test_names_are_masked_on_public_pages():
    assert (
        rules.mask_name("王小明") == "王**"
        and rules.mask_name("欧阳") == "欧*"
        and rules.mask_name("李") == "李*"
    )


# -- entering the scores -----------------------------------------------------------------------------


def test_four_four_theory_by_the_centre_practical_for_the_assessors_by_the_enterprise(world):
    appraisal = arranged_with_roster(world)
    c = appraisal.candidates.first()
    workflow.enter_score(appraisal, world.centre, c, "theory", "59")
    workflow.enter_score(appraisal, world.enterprise_user, c, "practical", "６０")  # full-width digits
    c.refresh_from_db()
    assert (c.theory_score, c.practical_score) == (Decimal("59"), Decimal("60"))
    # each only their own exam; nobody else; a bad score said in Chinese
    with pytest.raises(errors.NotPermitted):
        workflow.enter_score(appraisal, world.centre, c, "practical", 70)
    with pytest.raises(errors.NotPermitted):
        workflow.enter_score(appraisal, world.enterprise_user, c, "theory", 70)
    for stranger in (world.bureau, world.other_user, world.expert):
        with pytest.raises(errors.NotPermitted):
            workflow.enter_score(appraisal, stranger, c, "theory", 70)
    with pytest.raises(errors.PortalError, match="0-100"):
        workflow.enter_score(appraisal, world.centre, c, "theory", 101)
    with pytest.raises(errors.PortalError, match="一位小数"):
        workflow.enter_score(appraisal, world.centre, c, "theory", "60.25")
    assert "appraisal_scores_entered" in [r.event for r in audit.trail(appraisal)]


def test_scores_are_entered_only_while_arranged(world):
    appraisal = world.appraisal()
    with pytest.raises(errors.NotPermitted, match="状态"):
        workflow.enter_score(appraisal, world.centre, 1, "theory", 70)


def _sheet(rows, column="技能操作成绩"):
    out = io.StringIO()
    out.write(f"姓名,身份证号码,{column}\n")
    for name, number, score in rows:
        out.write(f"{name},{number},{score}\n")
    return SimpleUploadedFile("成绩单.csv", out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def test_four_four_the_score_sheet_all_rows_or_none(world):
    appraisal = arranged_with_roster(world)
    people = list(appraisal.candidates.all())
    bad = _sheet([(people[0].name, people[0].id_number, 75), (people[1].name, people[1].id_number, 150)])
    result = workflow.import_scores(appraisal, world.enterprise_user, bad)
    assert not result.ok and result.errors[0][0] == 3
    assert not appraisal.candidates.exclude(practical_score=None).exists()
    good = _sheet([(c.name, c.id_number, 60 + i) for i, c in enumerate(people)])
    result = workflow.import_scores(appraisal, world.enterprise_user, good)
    assert result.ok and result.count == 3
    assert sorted(appraisal.candidates.values_list("practical_score", flat=True)) == [60, 61, 62]
    # the centre's sheet reads only its theory column; a sheet without it is refused
    with pytest.raises(errors.PortalError, match="理论知识成绩"):
        workflow.import_scores(appraisal, world.centre, _sheet([(people[0].name, people[0].id_number, 70)]))
    theory = _sheet([(c.name, c.id_number, 70) for c in people], column="理论知识成绩")
    assert workflow.import_scores(appraisal, world.centre, theory).count == 3


def test_the_score_sheet_keeps_certifications_row_limit(world, monkeypatch):
    from appraisals import workflow as w

    monkeypatch.setattr(w, "MAX_ROSTER_ROWS", 2)
    appraisal = arranged_with_roster(world)
    rows = [(c.name, c.id_number, 70) for c in appraisal.candidates.all()]
    with pytest.raises(errors.PortalError, match="超过 2 行"):
        workflow.import_scores(appraisal, world.enterprise_user, _sheet(rows))


# -- publicity, objections, report -------------------------------------------------------------------


def test_publicity_needs_every_score(world):
    appraisal = arranged_with_roster(world)
    with pytest.raises(errors.Refused, match="缺少"):
        workflow.publicise(appraisal, world.centre)
    assert appraisal.state == State.ARRANGED
    with pytest.raises(errors.NotPermitted):
        workflow.publicise(score_all(appraisal, world), world.enterprise_user)


def test_four_four_publicity_then_report_within_five_working_days(world, scored):
    workflow.publicise(scored, world.centre)
    assert scored.state == State.PUBLICISED
    assert (scored.publicity_start, scored.publicity_end) == (D(2026, 12, 8), D(2026, 12, 14))
    assert workflow.report_clock(scored) is None  # the publicity runs
    with pytest.raises(errors.Refused, match="公示期满"):
        workflow.report(scored, world.enterprise_user)
    with at(D(2026, 12, 15)):
        clock = workflow.report_clock(scored)
        assert clock.due.date == D(2026, 12, 21) and not clock.due.provisional and not clock.overdue
        with pytest.raises(errors.NotPermitted):
            workflow.report(scored, world.centre)
        workflow.report(scored, world.enterprise_user)
    assert scored.state == State.REPORTED
    assert OutboxMail.objects.filter(to=world.centre.email).exists()


@pytest.mark.parametrize(
    "day, status",
    [
        (D(2026, 12, 18), "due_soon"),  # the 4th working day after the publicity ends
        (D(2026, 12, 21), "due_soon"),  # the 5th: still in time
        (D(2026, 12, 22), "overdue"),  # the 6th
    ],
)
def test_four_four_report_clock_at_4_5_6_working_days(world, scored, day, status):
    """附件1 四(四) 5个工作日内报市鉴定中心: the publicity (Tuesday 8 to Monday 14 December
    2026, 5 working days) ends on the 14th."""
    workflow.publicise(scored, world.centre)
    with at(day):
        clock = workflow.report_clock(scored)
        assert clock.status == status and clock.overdue is (status == "overdue")
        workflow.report(scored, world.enterprise_user)  # a late report is taken, marked overdue
        row = audit.trail(scored).filter(event="appraisal_scores_reported").get()
        assert row.data["overdue"] is (status == "overdue")


@pytest.mark.parametrize(
    "day, overdue", [(D(2026, 10, 12), False), (D(2026, 10, 13), False), (D(2026, 10, 14), True)]
)
def test_four_four_report_clock_over_the_national_day_holiday(day, overdue):
    """A publicity ending 30 September 2026: 1-7 October off, Saturday 10 October worked, so the 5th
    working day is 13 October (the 4th 12 October, the 6th 14 October)."""
    clock = rules.report_clock(D(2026, 9, 30), on=day)
    assert clock.due.date == D(2026, 10, 13) and not clock.due.provisional
    assert clock.overdue is overdue
    assert REPORT_WORKING_DAYS == 5


def test_four_four_report_clock_in_a_year_without_a_calendar(client, world, scored):
    """A publicity ending 30 December 2026 reaches into 2027, whose holidays are not known: the due date
    is provisional, never an error; the page says so."""
    with at(D(2026, 12, 23)):
        workflow.publicise(scored, world.centre)
    assert scored.publicity_end == D(2026, 12, 30)
    with at(D(2026, 12, 31)):
        clock = workflow.report_clock(scored)
        assert clock.due.provisional and clock.due.unknown_year == 2027 and clock.due.date == D(2027, 1, 6)
        client.force_login(world.enterprise_user)
        page = client.get(reverse("appraisals:detail", args=[scored.pk]))
        assert page.status_code == 200 and "暂定" in page.content.decode()
    clock = rules.report_clock(D(2027, 6, 30), on=D(2027, 7, 1))
    assert clock.due.provisional and clock.status == "ok"


def test_four_four_an_objection_holds_the_report(world, scored):
    workflow.publicise(scored, world.centre)
    objection = workflow.raise_objection(scored, name="李四", contact="13800000000", text="成绩有误")
    assert objection.state == ObjectionState.OPEN
    with at(D(2026, 12, 15)):
        assert workflow.report_clock(scored) is None
        with pytest.raises(errors.Refused, match="异议"):
            workflow.report(scored, world.enterprise_user)
        scored.refresh_from_db()
        assert scored.state == State.PUBLICISED
        with pytest.raises(errors.NotPermitted):
            workflow.resolve_objection(objection, world.enterprise_user, upheld=False, resolution="x")
    # resolved on Wednesday 16 December, after the publicity ended: the 5 days count from then
    with at(D(2026, 12, 16)):
        workflow.resolve_objection(objection, world.centre, upheld=False, resolution="经核查成绩无误")
        clock = workflow.report_clock(scored)
        assert clock.since == D(2026, 12, 16) and clock.due.date == D(2026, 12, 23)
        workflow.report(scored, world.enterprise_user)
    assert scored.state == State.REPORTED
    events = [r.event for r in audit.trail(scored)]
    assert "appraisal_objection_raised" in events and "appraisal_objection_dismissed" in events


def test_an_upheld_objection_sends_the_scores_back(world, scored):
    workflow.publicise(scored, world.centre)
    objection = workflow.raise_objection(scored, name="李四", contact="13800000000", text="成绩有误")
    workflow.resolve_objection(objection, world.centre, upheld=True, resolution="理论成绩登记错误")
    scored.refresh_from_db()
    assert scored.state == State.ARRANGED and scored.publicity_end is None
    c = scored.candidates.first()
    workflow.enter_score(scored, world.centre, c, "theory", 65)
    workflow.publicise(scored, world.centre)
    assert scored.state == State.PUBLICISED


def test_objections_only_while_the_publicity_runs(world, scored):
    with pytest.raises(errors.PortalError, match="不在公示期"):
        workflow.raise_objection(scored, name="李四", contact="1", text="x")
    workflow.publicise(scored, world.centre)
    with at(D(2026, 12, 15)):
        with pytest.raises(errors.PortalError, match="不在公示期"):
            workflow.raise_objection(scored, name="李四", contact="1", text="x")


# -- the pages ---------------------------------------------------------------------------------------


def test_the_score_pages(client, world):
    appraisal = arranged_with_roster(world)
    c = appraisal.candidates.first()
    url = reverse("appraisals:scores", args=[appraisal.pk])
    client.force_login(world.centre)
    page = client.get(url).content.decode()
    assert "理论知识成绩" in page and 'data-testid="score-form"' in page
    response = client.post(reverse("appraisals:score", args=[appraisal.pk, c.pk]), {"score": "61"})
    assert response["Location"] == url and "已录入" in " ".join(_messages(response))
    response = client.post(reverse("appraisals:score", args=[appraisal.pk, c.pk]), {"score": "abc"})
    assert "0-100" in " ".join(_messages(response))
    # a field the form refuses is not taken as an empty score: the 61 stays
    response = client.post(reverse("appraisals:score", args=[appraisal.pk, c.pk]), {"score": "6" * 11})
    c.refresh_from_db()
    assert c.theory_score == 61 and "不超过 10" in _messages(response)[-1]
    client.force_login(world.enterprise_user)
    sheet = _sheet([(x.name, x.id_number, 80) for x in appraisal.candidates.all()])
    response = client.post(reverse("appraisals:score_sheet", args=[appraisal.pk]), {"sheet": sheet})
    assert "已导入 3 名考生" in " ".join(_messages(response))
    # a stranger: 404 on the page and the actions; a stray GET goes to the page
    client.force_login(world.other_user)
    assert client.get(url).status_code == 404
    assert (
        client.post(reverse("appraisals:score", args=[appraisal.pk, c.pk]), {"score": "1"}).status_code == 404
    )
    client.force_login(world.centre)
    assert client.get(reverse("appraisals:score", args=[appraisal.pk, c.pk]))["Location"] == url


def test_the_public_page_masks_names_and_takes_objections(client, world, scored, settings):
    settings.APPRAISAL_OBJECTION_RATE = "2/h"
    url = reverse("appraisals:publicity", args=[scored.pk])
    assert client.get(url).status_code == 404  # not publicised yet
    workflow.publicise(scored, world.centre)
    page = client.get(url).content.decode()
    person = scored.candidates.first()
    assert "王**" in page and person.name not in page and person.id_number not in page
    assert person.id_number[:6] in page and "合格" in page
    assert scored.enterprise_name in client.get(reverse("appraisals:publicity_list")).content.decode()
    post = reverse("appraisals:objection", args=[scored.pk])
    response = client.post(post, {"name": "李四", "contact": "13800000000", "text": "成绩有误"})
    assert response["Location"] == url and scored.objections.count() == 1
    response = client.post(post, {"name": "", "contact": "", "text": ""})
    assert response.status_code == 200 and scored.objections.count() == 1
    assert client.post(post, {"name": "李四", "contact": "1", "text": "x"}).status_code == 429
    # the centre resolves it on the application's page
    objection = scored.objections.get()
    client.force_login(world.enterprise_user)
    resolve = reverse("appraisals:resolve_objection", args=[objection.pk])
    assert client.post(resolve, {"resolve-upheld": "0"}).status_code == 404
    client.force_login(world.centre)
    detail = client.get(reverse("appraisals:detail", args=[scored.pk])).content.decode()
    assert "成绩有误" in detail and f'data-testid="resolve-{objection.pk}"' in detail
    response = client.post(resolve, {"resolve-upheld": "0", "resolve-resolution": "无误"})
    objection.refresh_from_db()
    assert objection.state == ObjectionState.DISMISSED


def test_the_report_on_the_page_with_its_clock(client, world, scored):
    workflow.publicise(scored, world.centre)
    act = reverse("appraisals:act", args=[scored.pk, "report"])
    with at(D(2026, 12, 22)):
        client.force_login(world.enterprise_user)  # (a session from two weeks ago has expired)
        page = client.get(reverse("appraisals:detail", args=[scored.pk])).content.decode()
        assert 'data-status="overdue"' in page and "已超期" in page
        response = client.post(act, {"report-comment": ""})
        assert "成绩已上报市鉴定中心。" in _messages(response)
    scored.refresh_from_db()
    assert scored.state == State.REPORTED

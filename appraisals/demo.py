"""Demo data of the enterprise 职业技能鉴定 (seed 002 附件1): a pool of quality supervisors (one of them an
employee of the demo enterprise, so the draw visibly leaves them out) and one 鉴定 in each state reached so
far (to 四(四) 成绩认定: scores, publicity with objections, report), every state reached through appraisals.workflow as in real use (idempotent: loaded once). The
enterprise is the demo applicant of portal.demo (天津市海河装备制造有限公司, a Tianjin credit code); the
centre and the bureau are the demo ``centre`` and ``bureau``."""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from certification import demo as certification_demo
from portal import workdays
from portal.models import Occupation, User

from . import workflow
from .constants import Category, QuestionSource, State
from .models import Appraisal, QualitySupervisor

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _credit_code(code17: str) -> str:
    from stdnum.cn import uscc

    return code17 + uscc.calc_check_digit(code17)


def _id_number(body17: str) -> str:
    from stdnum.cn import ric

    return body17 + ric.calc_check_digit(body17 + "0")


# name, 17-digit ID body, employer, 17-digit credit code body (None: the demo enterprise's own)
SUPERVISORS = [
    ("钱督导", "12010219700101001", "天津市职业技能鉴定指导中心", "12120000MB0A1B2C3"),
    ("孙督导", "12010319710202003", "天津市机械行业协会", "51120000MJ0B2C3D4"),
    ("李督导", "12010419720303005", "天津市电力行业协会", "51120000MJ0C3D4E5"),
    ("周督导", "12010519730404007", "天津市职业技能鉴定指导中心", "12120000MB0A1B2C3"),
    ("吴工程师", "12010619740505009", None, None),  # employed by the enterprise: never dispatched to it
]

# occupation code, levels {level: candidates}, category, asks to adjust the questions, the state to reach
APPRAISALS = [
    ("6-18-01-01", {4: 18}, Category.TRAINING_CENTRE, True, State.DRAFT),
    ("6-18-01-02", {4: 12, 3: 6}, Category.TRAINING_CENTRE, True, State.SUBMITTED),
    ("6-31-01-03", {5: 20}, Category.OTHER, False, State.RETURNED),
    ("6-18-01-04", {4: 16}, Category.OTHER, False, State.REJECTED),
    ("6-20-01-01", {3: 17}, Category.SCHOOL_ENTERPRISE, True, State.FILED),
    ("6-31-01-02", {4: 16, 3: 8}, Category.PUBLIC_TRAINING_BASE, True, State.QUESTIONS_RECORDED),
    ("6-18-01-01", {3: 20, 2: 4}, Category.TRAINING_CENTRE, False, State.ARRANGED),
    # 四(四): with a roster of 16 中级工 and their scores (two fail), publicised now with an objection open;
    # and one publicised three weeks ago, an objection dismissed, reported to the centre
    ("6-18-01-02", {4: 16}, Category.OTHER, False, State.PUBLICISED),
    # 四(五): the reported one's last two are 技师, reviewed before the publicity (one passes, one fails)
    ("6-18-01-04", {4: 14, 2: 2}, Category.OTHER, False, State.REPORTED),
    # 四(六): one more reported the same way (16 中级工), the last: certificates' demo has the bureau issue
    # its 职业资格证书 (ISSUED; appraisals may not import certificates), the one above waits in its queue
    ("6-18-01-01", {4: 16}, Category.OTHER, False, State.REPORTED),
]

ROSTER_SIZE = 16
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨"


def _roster(appraisal, enterprise_user) -> None:
    """The 16 candidates through the roster import (eligibility.roster's layout and checks); the levels
    as the application's (a 技师 holds a 高级工 certificate of 2014 and 15 years in the occupation)."""
    lines = ["姓名,身份证号码,职业代码,申报等级,从事本职业年限,证书等级,发证日期"]
    levels = [level for row in appraisal.levels.order_by("-level") for level in [row.level] * row.candidates]
    for i in range(ROSTER_SIZE):
        number = _id_number(f"1201011985{(i % 9) + 1:02d}10{i:03d}")  # born 10 January to September 1985
        level = levels[i]
        extra = "15,3,2014-06-01" if level == 2 else "6,,"
        lines.append(f"{SURNAMES[i]}考生,{number},{appraisal.occupation.code},{level},{extra}")
    upload = SimpleUploadedFile("名册.csv", "\n".join(lines).encode("utf-8-sig"), content_type="text/csv")
    result = workflow.import_roster(appraisal, enterprise_user, upload)
    if not result.ok:
        raise ValueError(result.errors)


def _scores(appraisal, enterprise_user, centre) -> None:
    for i, c in enumerate(appraisal.candidates.all()):
        workflow.enter_score(appraisal, centre, c, "theory", 58 + i * 2)  # the first one fails
        workflow.enter_score(appraisal, enterprise_user, c, "practical", 90 - i * 2)  # the last one fails


def _supervisors(enterprise) -> None:
    for name, body, employer, code in SUPERVISORS:
        QualitySupervisor.objects.get_or_create(
            id_number=_id_number(body),
            defaults={
                "name": name,
                "employer_name": employer or enterprise.name,
                "employer_credit_code": _credit_code(code) if code else enterprise.credit_code,
                "email": f"supervisor-{body[-3:]}@example.org",
            },
        )


def _apply(user, row, today) -> Appraisal:
    code, levels, category, adjust, _target = row
    start = today + datetime.timedelta(days=40)
    return workflow.create(
        user,
        levels=levels,
        assessors=[
            ("冯考评", _id_number("12010119760606002"), "KP-2019-0101"),
            ("陈考评", _id_number("12010119770707004"), "KP-2020-0217"),
            ("褚考评", _id_number("12010119780808006"), "KP-2021-0333"),
        ],
        evidence=SimpleUploadedFile("认定文件.pdf", PDF, content_type="application/pdf")
        if category != Category.OTHER
        else None,
        contact_name="张联系",
        contact_phone="022-23456789",
        category=category,
        occupation=Occupation.objects.get(code=code),
        starts_on=start,
        ends_on=start + datetime.timedelta(days=1),
        place="天津市滨海新区海河装备制造有限公司实训中心",
        equipment="数控车床二十台、普通车床十台、量具二十套",
        adjustment_requested=adjust,
        adjustment_reason="企业产品以大型轴类零件为主，操作试题宜结合企业产品" if adjust else "",
    )


def _reach(appraisal, target, enterprise_user, centre, bureau) -> None:
    if target == State.DRAFT:
        return
    workflow.submit(appraisal, enterprise_user)
    if target == State.SUBMITTED:
        return
    if target == State.RETURNED:
        workflow.return_for_correction(appraisal, centre, reason="请补充考评员资格证书复印件。")
        return
    if target == State.REJECTED:
        workflow.reject(appraisal, centre, reason="实训场地不能满足技能操作考核要求。")
        return
    workflow.file(appraisal, centre)
    if appraisal.adjustment_requested:
        workflow.answer_adjustment(appraisal, centre, granted=True, reason="同意结合企业产品调整操作试题。")
    if target == State.FILED:
        return
    source = QuestionSource.EXPERTS if appraisal.adjustment_granted else QuestionSource.NATIONAL_BANK
    workflow.record_questions(appraisal, centre, source=source)
    if target == State.QUESTIONS_RECORDED:
        return
    workflow.dispatch_supervisors(appraisal, bureau, draw=2)
    if target == State.ARRANGED:
        return
    _scores(appraisal, enterprise_user, centre)
    today = workdays.today()
    if target == State.PUBLICISED:
        workflow.publicise(appraisal, centre)
        workflow.raise_objection(
            appraisal, name="赵家长", contact="13800000001", text="技能操作成绩登记有误。"
        )
        return
    for n, c in enumerate(c for c in appraisal.candidates.all() if workflow.review_due(c)):
        review = workflow.draw_review(appraisal, centre, c, on=today - datetime.timedelta(days=22))
        workflow.record_review(
            appraisal, centre, review, performance=85 if n == 0 else 55, passes=review.panel.count()
        )
    workflow.publicise(appraisal, centre, on=today - datetime.timedelta(days=21))
    objection = workflow.raise_objection(
        appraisal, name="钱考生", contact="13800000002", text="理论成绩偏低。", on=appraisal.publicity_start
    )
    workflow.resolve_objection(objection, centre, upheld=False, resolution="经复核，成绩无误。")
    workflow.report(appraisal, enterprise_user)


def load() -> list[str]:
    try:
        enterprise_user = User.objects.get(username="applicant")
        centre, bureau = User.objects.get(username="centre"), User.objects.get(username="bureau")
    except User.DoesNotExist:
        return ["appraisals: demo accounts missing (load_demo_accounts first), skipped"]
    codes = {row[0] for row in APPRAISALS}
    if Occupation.objects.filter(code__in=codes, bureau_appraisal=True).count() < len(codes):
        return ["appraisals: occupations not marked for appraisal (manage.py load_reference), skipped"]
    certification_demo.qualify_experts()  # the 综合评审 panel's pool (四(五))
    _supervisors(enterprise_user.institution)
    if Appraisal.objects.filter(enterprise=enterprise_user.institution).exists():
        return ["appraisals: demo appraisals already loaded"]
    today = workdays.today()
    for row in APPRAISALS:  # each service call is its own transaction (the evidence files go with it)
        appraisal = _apply(enterprise_user, row, today)
        if row[-1] in (State.PUBLICISED, State.REPORTED):
            _roster(appraisal, enterprise_user)
        _reach(appraisal, row[-1], enterprise_user, centre, bureau)
    states = sorted(Appraisal.objects.values_list("state", flat=True).distinct())
    return [f"appraisals: {len(APPRAISALS)} demo appraisals ({', '.join(states)})"]

"""Demo data of the title application: the people of 附件2 二(三) (a recommending employer, a 业务主管部门,
中天人力, a 职称评审机构, a person) and one application in each state, every state reached through
talent.workflow as in real use (idempotent: loaded once)."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile

from portal import workdays
from portal.demo import DEMO_PASSWORD
from portal.models import Institution, Occupation, User

from . import roles, skills, workflow
from .constants import (
    AchievementKind,
    AppraisalResult,
    HeldTitle,
    Route,
    SkillRoute,
    SkillState,
    State,
    Title,
)
from .models import SkillApplication, TitleApplication

EMPLOYER = ("天津市海河装备制造有限公司", "91120116MA05K1XQ0")  # the demo applicant of portal.demo
DEPARTMENT = ("天津市工业和信息化局", "11120000MB1A2B3C4")
REVIEW_BODY = ("天津市工程系列职称评审委员会", "12120000MB1D5E6F7")

# username, display name, role, institution (None: 中天人力 and the person need none)
PEOPLE = [
    ("title_employer", "陈人事（海河装备）", roles.RECOMMENDER, EMPLOYER),
    ("title_dept", "周科长（市工业和信息化局）", roles.DEPARTMENT, DEPARTMENT),
    ("zhongtian", "吴审核（中天人力）", roles.ZHONGTIAN, None),
    ("title_review", "郑秘书（职称评审委员会）", roles.REVIEW_BODY, REVIEW_BODY),
    ("talent_person", "李明", None, None),
    ("skill_person", "张工", None, None),  # the professional of 附件2 三 (skill applications)
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _credit_code(code17: str) -> str:
    from stdnum.cn import uscc

    return code17 + uscc.calc_check_digit(code17)


def _id_number(body17: str) -> str:
    from stdnum.cn import ric

    return body17 + ric.calc_check_digit(body17 + "0")


def _institution(name_code) -> Institution:
    name, code17 = name_code
    institution, _ = Institution.objects.get_or_create(
        credit_code=_credit_code(code17),
        defaults={
            "name": name,
            "contact_name": "张联系",
            "contact_phone": "022-23456789",
            "contact_email": "contact@example.org",
        },
    )
    return institution


def _people() -> dict[str, User]:
    people = {}
    for username, name, role, body in PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={"first_name": name, "institution": _institution(body) if body else None},
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.email = f"{username}@example.org"
            user.save()
        if role:
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        people[username] = user
    return people


def _years_ago(today: datetime.date, years: int) -> datetime.date:
    return today.replace(year=today.year - years, day=min(today.day, 28))


# name, 17-digit ID body, title sought, level, years since the level, route, award, the state to reach
APPLICATIONS = [
    ("李明", "12010119850315001", Title.ENGINEER, 2, 4, Route.EMPLOYER, "", State.DRAFT),
    ("王刚", "12010219860420003", Title.ENGINEER, 2, 5, Route.EMPLOYER, "", State.SUBMITTED),
    ("刘洋", "12010319870525005", Title.ENGINEER, 2, 3, Route.EMPLOYER, "", State.IN_REVIEW),
    ("陈静", "12010419880630002", Title.ENGINEER, 2, 6, Route.EMPLOYER, "", State.RETURNED),
    ("杨帆", "12010519890705007", Title.ENGINEER, 2, 3, Route.EMPLOYER, "", State.REJECTED),
    ("黄磊", "12010619800810009", Title.SENIOR_ENGINEER, 1, 5, Route.DIRECT, "", State.SENT),
    ("赵军", "12010719810915001", Title.ENGINEER, 2, 7, Route.EMPLOYER, "", State.PASSED),
    ("周婷", "12010819821020004", Title.ENGINEER, 2, 4, Route.EMPLOYER, "", State.FAILED),
    (
        "吴昊",
        "12010919831125003",
        Title.SENIOR_ENGINEER,
        2,
        1,
        Route.EMPLOYER,
        "全国技术能手",
        State.RECOGNISED,
    ),
    ("郑瑶", "12011019950101006", Title.ASSISTANT_ENGINEER, 3, 2, Route.EMPLOYER, "", State.APPOINTED),
]


def _file(people, row, today) -> TitleApplication:
    name, body, title, level, years, route, award, _target = row
    employer = people["title_employer"].institution
    filer = people["talent_person"] if name == "李明" or route == Route.DIRECT else people["title_employer"]
    app = workflow.create(
        filer,
        name=name,
        id_number=_id_number(body),
        employer_name=employer.name if route == Route.EMPLOYER else "天津市滨海新区某民营机械有限公司",
        employer=employer if route == Route.EMPLOYER else None,
        route=route,
        post="数控车工",
        on_current_post_since=_years_ago(today, 8),
        engineering_field=True,
        frontline_skill_post=True,
        occupation="车工",
        level=level,
        level_certificate_number=f"Y0000120110011{today.year % 100:02d}{level}{body[-6:]}",
        level_obtained_on=_years_ago(today, years),
        skill_work_years=years + 8,
        title_sought=title,
        specialty="机械制造",
    )
    workflow.set_rows(
        app,
        filer,
        appraisals=[(today.year - n, AppraisalResult.PASSED) for n in (1, 2, 3)],
        awards=[(award, "人力资源社会保障部", today.year - 1)] if award else [],
    )
    workflow.add_achievement(
        app,
        filer,
        kind=AchievementKind.TECHNICAL_RENOVATION,
        summary="数控车床主轴改造，加工精度提高一级",
        upload=SimpleUploadedFile("证明材料.pdf", PDF, content_type="application/pdf"),
        year=today.year - 1,
    )
    return app


def _reach(app, target, people, today) -> None:
    filer, employer_user = app.filed_by, people["title_employer"]
    reviewer = people["zhongtian"] if app.route == Route.DIRECT else people["title_dept"]
    body_user = people["title_review"]
    if target == State.DRAFT:
        return
    if target == State.APPOINTED:
        workflow.appoint(
            app, employer_user, certificate_number=f"海河聘〔{today.year}〕1号", certificate_date=today
        )
        return
    workflow.submit(app, filer)
    if target == State.SUBMITTED:
        return
    if app.route == Route.EMPLOYER:
        workflow.recommend(app, employer_user, department=people["title_dept"].institution)
    if target == State.IN_REVIEW:
        return
    if target == State.RETURNED:
        workflow.return_for_correction(app, reviewer, reason="请补充近三年年度考核表复印件。")
        return
    if target == State.REJECTED:
        workflow.reject(app, reviewer, reason="申报专业与现从事工作不对应。")
        return
    workflow.approve(app, reviewer, review_body=body_user.institution)
    if target == State.SENT:
        return
    if target == State.FAILED:
        workflow.record_result(app, body_user, State.FAILED, opinion="工作业绩未达到评审标准。")
        return
    workflow.record_result(
        app,
        body_user,
        target,
        certificate_number=f"津工程{today.year}{app.pk:05d}",
        certificate_date=today,
    )


def load() -> list[str]:
    people = _people()
    logins = [f"  {username:<12} {DEMO_PASSWORD:<12} {name}" for username, name, _r, _b in PEOPLE]
    first_id = _id_number(APPLICATIONS[0][1])
    if TitleApplication.objects.filter(id_number=first_id).exists():
        return ["talent: demo title applications already loaded", *skill_demo(workdays.today()), *logins]
    today = workdays.today()
    for row in APPLICATIONS:  # each service call is its own transaction (the evidence files go with it)
        app = _file(people, row, today)
        _reach(app, row[-1], people, today)
    states = sorted(TitleApplication.objects.values_list("state", flat=True).distinct())
    return [
        f"talent: {len(APPLICATIONS)} demo title applications ({', '.join(states)})",
        *skill_demo(today),
        *logins,
    ]


# -- 专业技术人才参加职业技能评价 (附件2 三, 四(二)) ---------------------------------------------------

# The title that opens each level by 附件2 三(二)1.
TITLE_FOR_LEVEL = {3: HeldTitle.ASSISTANT_ENGINEER, 2: HeldTitle.ENGINEER, 1: HeldTitle.SENIOR_ENGINEER}
SKILL_PLAN_TITLE = "专业技术人才职业技能等级认定（职称贯通，演示）"
# name, 17-digit ID body, route, the state to reach
SKILL_APPLICATIONS = [
    ("张工", "12010119880512001", SkillRoute.RECOGNITION, SkillState.DRAFT),
    ("钱工", "12010219890613003", SkillRoute.APPRAISAL, SkillState.SUBMITTED),
    ("孙工", "12010319900714005", SkillRoute.RECOGNITION, SkillState.RETURNED),
    ("冯工", "12010419910815007", SkillRoute.RECOGNITION, SkillState.REJECTED),
    ("蒋工", "12010519920916009", SkillRoute.APPRAISAL, SkillState.ACCEPTED),
    ("韩工", "12010619931017002", SkillRoute.RECOGNITION, SkillState.ACCEPTED),  # on the demo plan's roster
]


def _skill_scope():
    """The demo 评价机构 (the portal demo's applicant), a level 附件2 三(二)1 opens in its filed scope."""
    from filings import institutions

    user = User.objects.filter(username="applicant").select_related("institution").first()
    if user is None or user.institution is None:
        return None
    for code, level in sorted(institutions.filed_scope(user.institution), key=lambda p: (-p[1], p[0])):
        if level in TITLE_FOR_LEVEL:
            return user, Occupation.objects.get(code=code), level
    return None


def _skill_plan(body_user, occupation, level, today):
    """The institution's draft plan taking the professionals, staffed from its filed personnel as the
    staffing rule asks (submitted and returned through certification.workflow once they are on it)."""
    from certification import rules as plan_rules
    from certification.constants import MIN_SUPERVISORS, Method, StaffRole
    from certification.models import AssessmentPlan, PlanStaff
    from certification.workflow import ratios_for
    from filings import institutions

    start = workdays.deadline_after(today, 15).date
    institution = body_user.institution
    plan = AssessmentPlan.objects.create(
        institution=institution,
        occupation=occupation,
        levels=[level],
        methods=[Method.THEORY, Method.PRACTICAL],
        site="演示考点",
        created_by=body_user,
        title=SKILL_PLAN_TITLE,
        start_date=start,
        end_date=start,
    )
    need = plan_rules.staffing_need(1, 1, ratios_for(occupation), theory=True, practical=True)
    for role, source, n in (
        (StaffRole.SUPERVISOR, "supervisor", MIN_SUPERVISORS),
        (StaffRole.ASSESSOR, "assessor", need.assessors),
        (StaffRole.INVIGILATOR, "staff", need.invigilators),
    ):
        for person in institutions.filed_personnel(institution, source)[:n]:
            PlanStaff.objects.create(plan=plan, role=role, id_number=person.id_number, name=person.name)
    return plan


def skill_demo(today: datetime.date) -> list[str]:
    """One skill application in each state, each reached through talent.skills; the accepted one at the
    institution is a roster row of a draft demo plan with the theory exam waived."""
    if SkillApplication.objects.filter(id_number=_id_number(SKILL_APPLICATIONS[0][1])).exists():
        return ["talent: demo skill applications already loaded"]
    found = _skill_scope()
    centre = User.objects.filter(username="centre").first()
    if found is None or centre is None:
        return ["talent: no filed demo institution or centre user, skill applications skipped"]
    body_user, occupation, level = found
    person = _people()["skill_person"]
    plan = _skill_plan(body_user, occupation, level, today)
    for name, body, route, target in SKILL_APPLICATIONS:
        app = skills.create(
            person,
            name=name,
            id_number=_id_number(body),
            employer_name="天津市海河装备制造有限公司",
            post="工艺技术员",
            engineering_field=True,
            skill_post=True,
            title=TITLE_FOR_LEVEL[level],
            title_certificate_number=f"津工程{body[-6:]}",
            title_obtained_on=_years_ago(today, 5),
            occupation=occupation,
            level=level,
            route=route,
            institution=body_user.institution if route == SkillRoute.RECOGNITION else None,
        )
        skills.attach_title_copy(
            app, person, SimpleUploadedFile("职称证书.pdf", PDF, content_type="application/pdf")
        )
        if target == SkillState.DRAFT:
            continue
        skills.submit(app, person)
        actor = centre if route == SkillRoute.APPRAISAL else body_user
        if target == SkillState.RETURNED:
            skills.return_for_correction(app, actor, reason="职称证书复印件不清晰，请重新上传。")
        elif target == SkillState.REJECTED:
            skills.reject(app, actor, reason="现岗位与申报职业（工种）不对应。")
        elif target == SkillState.ACCEPTED:
            skills.accept(app, actor, plan=plan if route == SkillRoute.RECOGNITION else None)
    # The institution submits its plan with the professional on it; the centre returns it, so the plan
    # still takes candidates and the centre sees it (certification.workflow, as in real use).
    from certification import workflow as plan_workflow

    plan_workflow.submit(plan, body_user)
    plan_workflow.return_plan(plan, centre, "请核对职称贯通考生的专业技术职务任职资格证后重新报送。")
    return [
        f"talent: {len(SKILL_APPLICATIONS)} demo skill applications, one on the plan “{SKILL_PLAN_TITLE}”"
    ]

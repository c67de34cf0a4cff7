"""Demo records of the certification app (idempotent): for the demo applicant's filing in force, one
submitted plan in the centre's queue, one plan whose reported results await the centre's verification,
one verified plan awaiting its upload to the ministry centre (issuing still closed) and one uploaded and
published plan whose certificates certificates.demo issues (seed 001 第十六条(四)). Skipped (with a line
saying so) while the institution has no filing in force. Last month's results summaries (seed 004 四(四)3):
one reported on time, one late, the others of the institutions filed then overdue (``monthly_summaries``)."""

from __future__ import annotations

import datetime
import io

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from eligibility import annex1
from filings import institutions
from portal import roles, workdays
from portal.errors import PortalError
from portal.models import Occupation, User
from portal.uploads import random_name

from . import rules
from .constants import MIN_SUPERVISORS, Method, Qualification, Relation, StaffRole, State, Verification
from .imports import sex_from_id
from .models import AssessmentPlan, Candidate, ExamSession, ExpertQualification, PlanStaff
from .workflow import ratios_for

TITLES = (
    "【演示】待审查认定方案",
    "【演示】已核对待上传认定方案",
    "【演示】待核对结果认定方案",
    "【演示】已上传并公布认定方案",
)
UPLOADED_TITLE = TITLES[3]  # seed 001 第十六条(四): published, so certificates are issued (certificates.demo)
TECHNICIAN_TITLE = "【演示】技师认定方案（综合评审）"
TECHNICIAN_CODE = "4-03-02-01"  # 中式烹调师, filed at level 2 for the demo applicant (filings.demo)
TECHNICIANS = (("郑海", "男"), ("冯雪", "女"), ("韩冰", "女"))
# The demo candidates and their sex; the ID number's 17th digit agrees (odd for a man, GB 11643) and the
# roster's sex is read from it, as imports.sex_from_id reads an uploaded roster (issue 29 item 14).
PEOPLE = (
    ("张伟", "男"),
    ("王芳", "女"),
    ("李娜", "女"),
    ("刘洋", "男"),
    ("陈静", "女"),
    ("杨磊", "男"),
    ("赵敏", "女"),
    ("黄强", "男"),
    ("周丽", "女"),
    ("吴刚", "男"),
    ("徐婷", "女"),
    ("孙浩", "男"),
)
NAMES = [name for name, _sex in PEOPLE]


def _id(n: int, sex: str = "男") -> str:
    born = datetime.date(1990, 1, 1) + datetime.timedelta(days=n * 37)
    body = f"120103{born:%Y%m%d}{(n * 2 + (1 if sex == '男' else 0)) % 1000:03d}"
    return body + ric.calc_check_digit(body + "0")


def _decided(id_number: str, level: int, on: datetime.date, *, eligible: bool = True) -> dict:
    """The candidate's eligibility as an uploaded roster gets it: the Annex 1 engine's answer for a person
    who has worked ten years in the occupation and (from 四级 up) holds the level below for six years,
    or, for the one ineligible demo candidate, who has not (issue 29 item 8: real clauses, not "演示")."""
    if eligible:
        held = datetime.date(on.year - 6, 3, 1)
        certificates = [annex1.Certificate(level=level + 1, obtained_on=held, years_worked_since=6)]
        profile = annex1.profile_from_id_number(
            id_number,
            years_in_occupation=10,
            intends_to_work=True,
            certificates=certificates if level < 5 else [],
        )
    else:
        profile = annex1.profile_from_id_number(id_number)
    decision = annex1.check(profile, level, on)
    return {"eligible": decision.eligible, "clause": decision.clause or "", "reasons": decision.reasons}


def _photo(n: int) -> bytes:
    """A small 2-inch style portrait (JPEG, 295 x 413), different for every candidate."""
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (295, 413), (236, 242, 250))
    draw = ImageDraw.Draw(image)
    shade = 150 + (n * 23) % 80
    draw.ellipse((92, 60, 203, 190), fill=(shade, shade - 30, shade - 50))
    draw.rectangle((40, 220, 255, 413), fill=(40 + (n * 37) % 120, 60, 110))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def _with_photo(candidate: Candidate, n: int) -> Candidate:
    """The candidate's photo stored through the photo field's storage (as an upload is)."""
    candidate.photo.save(random_name("p", "jpeg").rsplit("/", 1)[-1], ContentFile(_photo(n)), save=False)
    return candidate


DEMO_EXPERTS = ("expert1", "expert2", "expert3", "expert4")


def qualify_experts() -> list[str]:
    """The demo experts hold the senior assessor qualification, so a comprehensive review panel can be
    drawn from them (seed 002 综合评审工作流程 三)."""
    until = workdays.today().replace(month=12, day=31) + datetime.timedelta(days=365 * 3)
    done = []
    for expert in User.objects.filter(username__in=DEMO_EXPERTS, groups__name=roles.EXPERT):
        ExpertQualification.objects.get_or_create(
            expert=expert,
            qualification=Qualification.SENIOR_ASSESSOR,
            defaults={"valid_until": until, "certificate_number": f"DEMO-{expert.username}"},
        )
        done.append(expert.username)
    return [f"certification demo: senior assessor qualification for {', '.join(done) or 'no experts'}"]


def load() -> list[str]:
    return _plans() + exam_sessions() + monthly_summaries()


def exam_sessions() -> list[str]:
    """Issue 44: the plan in the centre's queue gets its exam day through certification.sessions: a theory
    room of 10 seats (so 2 candidates wait for a seat) and a practical room for all, seats allocated."""
    from . import sessions

    plan = AssessmentPlan.objects.filter(title=TITLES[0]).select_related("created_by").first()
    if plan is None or plan.created_by is None:
        return []
    if plan.sessions.exists():
        return ["certification demo: exam sessions already arranged"]
    supervisors = sessions.staff_of(plan, StaffRole.SUPERVISOR)
    assessors = sessions.staff_of(plan, StaffRole.ASSESSOR)
    if not supervisors or not assessors:
        return ["certification demo: the queued plan has no supervisor or assessor, no exam sessions"]
    day = plan.start_date

    def at(hour):
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))

    user = plan.created_by
    filed = sessions.filed_sites(plan)

    def site_for(kind):
        """A demo site that may hold ``kind`` (filings.demo files one for 理论, one for 实操), or None."""
        return next((s for s in filed if kind not in sessions.SITE_REFUSES[s.use]), None)

    with transaction.atomic():
        for kind, start, end, room, capacity, staff in (
            (ExamSession.Kind.THEORY, 9, 11, "理论考场 1", 10, []),
            (ExamSession.Kind.PRACTICAL, 14, 17, "实训室 1", 12, assessors[:2]),
        ):
            sessions.create_session(
                plan, user, kind=kind, starts_at=at(start), ends_at=at(end), place=plan.site, room=room,
                capacity=capacity, supervisor=supervisors[0], assessors=staff, site=site_for(kind),
            )  # fmt: skip
        outcome = sessions.allocate(plan, user)
    lines = [f"certification demo: 2 exam sessions, {outcome.seated} seats, {len(outcome.unseated)} waiting"]
    return lines + session_check_demo(day)


def session_check_demo(day) -> list[str]:
    """Issue 44 item 4: the centre draws one of the day's sessions for an on-site check (a fixed seed, so the
    demo is the same every time) and records what the inspector found."""
    from . import session_checks

    centre = User.objects.filter(username="centre").first()
    if centre is None:
        return ["certification demo: no centre user, no on-site check"]
    try:
        draw = session_checks.draw_checks(day, 1, centre, seed="de0de0de0de0de0d")
        session = ExamSession.objects.get(pk=draw.chosen[0])
        session_checks.record_findings(
            session, centre, method="onsite", inspectors="王审核、赵督导",
            findings="签到表与考生名册一致，考场内无与考试无关物品；质量督导员全程在场。",
        )  # fmt: skip
    except PortalError as error:
        return [f"certification demo: on-site check not recorded ({error})"]
    return [f"certification demo: on-site check drawn for {day} and recorded"]


def _plans() -> list[str]:
    lines = qualify_experts()
    user = User.objects.filter(username="applicant").select_related("institution").first()
    if user is None or user.institution is None:
        return lines + ["certification demo: no demo applicant, skipped"]
    institution = user.institution
    scope = sorted(institutions.filed_scope(institution))  # the last pair: the lowest level (largest number)
    if not scope:
        return lines + ["certification demo: the demo applicant has no filing in force yet, skipped"]
    if AssessmentPlan.objects.filter(institution=institution, title__in=TITLES).exists():
        return lines + ["certification demo: plans already loaded"]
    code, level = scope[-1]
    occupation = Occupation.objects.get(code=code)
    today = workdays.today()
    start = workdays.deadline_after(today, 10).date
    people = {
        role: institutions.filed_personnel(institution, role) for role in ("assessor", "supervisor", "staff")
    }
    both = {
        "institution": institution,
        "occupation": occupation,
        "levels": [level],
        "methods": [Method.THEORY, Method.PRACTICAL],
        "site": "演示考点",
        "created_by": user,
    }
    with transaction.atomic():
        queued = AssessmentPlan.objects.create(
            **both, title=TITLES[0], start_date=start, end_date=start, submitted_on=today
        )
        done = AssessmentPlan.objects.create(
            **both,
            title=TITLES[1],
            start_date=today - datetime.timedelta(days=20),
            end_date=today - datetime.timedelta(days=19),
            submitted_on=today - datetime.timedelta(days=30),
            approved_on=today - datetime.timedelta(days=28),
            reported_on=today - datetime.timedelta(days=15),
            verified_on=today - datetime.timedelta(days=10),
        )
        # Results reported, awaiting the centre's verification (issue 29 item 14).
        reported = AssessmentPlan.objects.create(
            **both,
            title=TITLES[2],
            start_date=today - datetime.timedelta(days=8),
            end_date=today - datetime.timedelta(days=7),
            submitted_on=today - datetime.timedelta(days=25),
            approved_on=today - datetime.timedelta(days=22),
            reported_on=today - datetime.timedelta(days=3),
        )
        # Verified, uploaded and published (seed 001 第十六条(四)): its certificates may be issued.
        uploaded = AssessmentPlan.objects.create(
            **both,
            title=UPLOADED_TITLE,
            start_date=today - datetime.timedelta(days=40),
            end_date=today - datetime.timedelta(days=39),
            submitted_on=today - datetime.timedelta(days=50),
            approved_on=today - datetime.timedelta(days=47),
            reported_on=today - datetime.timedelta(days=36),
            verified_on=today - datetime.timedelta(days=32),
        )
        # Straight into the demo states (demo data, not a workflow: the protected field is set by update).
        # The verified plan awaits its upload (seed 001 第十六条(三)), so issuing is still closed for it.
        AssessmentPlan.objects.filter(pk=queued.pk).update(state=State.SUBMITTED)
        AssessmentPlan.objects.filter(pk__in=[done.pk, uploaded.pk]).update(state=State.VERIFIED)
        AssessmentPlan.objects.filter(pk=reported.pk).update(state=State.RESULTS_REPORTED)
        # As many people as the staffing rule asks for the roster (certification.rules.staffing_need).
        need = rules.staffing_need(len(PEOPLE), 1, ratios_for(occupation), theory=True, practical=True)
        for plan in (queued, done, reported, uploaded):
            for role, source, n in (
                (StaffRole.SUPERVISOR, "supervisor", MIN_SUPERVISORS),
                (StaffRole.ASSESSOR, "assessor", need.assessors),
                (StaffRole.INVIGILATOR, "staff", need.invigilators),
            ):
                for person in people[source][:n]:
                    PlanStaff.objects.get_or_create(
                        plan=plan, role=role, id_number=person.id_number, defaults={"name": person.name}
                    )
        rows = []
        for i, (name, sex) in enumerate(PEOPLE):
            rows.append(
                _with_photo(
                    Candidate(
                        plan=queued,
                        row=i + 2,
                        name=name,
                        id_number=_id(i, sex),
                        sex=sex_from_id(_id(i, sex)),
                        level=level,
                        relation=Relation.EMPLOYEE,
                        **_decided(_id(i, sex), level, today, eligible=i != 5),
                    ),
                    50 + i,
                )
            )
            rows.append(
                _with_photo(
                    Candidate(
                        plan=done,
                        row=i + 2,
                        name=name,
                        id_number=_id(100 + i, sex),
                        sex=sex_from_id(_id(100 + i, sex)),
                        level=level,
                        relation=Relation.EMPLOYEE,
                        **_decided(_id(100 + i, sex), level, today),
                        theory_score=55 + i * 4,
                        practical_score=62 + i,
                        verification=Verification.ACCEPTED,
                    ),
                    i,
                )
            )
            rows.append(
                _with_photo(
                    Candidate(
                        plan=reported,
                        row=i + 2,
                        name=name,
                        id_number=_id(200 + i, sex),
                        sex=sex_from_id(_id(200 + i, sex)),
                        level=level,
                        relation=Relation.EMPLOYEE,
                        **_decided(_id(200 + i, sex), level, today),
                        theory_score=58 + i * 3,
                        practical_score=66 + i,
                    ),
                    100 + i,
                )
            )
            rows.append(
                _with_photo(
                    Candidate(
                        plan=uploaded,
                        row=i + 2,
                        name=name,
                        id_number=_id(50 + i, sex),
                        sex=sex_from_id(_id(50 + i, sex)),
                        level=level,
                        **_decided(_id(50 + i, sex), level, today),
                        theory_score=61 + i * 3,
                        practical_score=64 + i,
                        verification=Verification.ACCEPTED,
                    ),
                    150 + i,
                )
            )
        Candidate.objects.bulk_create(rows)
        lines += _upload(uploaded, today)
    lines += [f"certification demo: {len(TITLES)} plans for {institution.name} ({code} level {level})"]
    return lines + technician_plan(user, people)


def _upload(plan, today) -> list[str]:
    """The centre records the upload and its publication through the workflow (seed 001 第十六条(四))."""
    from . import workflow

    centre = User.objects.filter(username="centre").first()
    if centre is None:
        return ["certification demo: no centre user, the uploaded plan stays verified"]
    plan.refresh_from_db()
    workflow.mark_uploaded(
        plan,
        centre,
        uploaded_on=today - datetime.timedelta(days=28),
        published_on=today - datetime.timedelta(days=21),
        note="部鉴定中心网站职业技能等级证书查询已可查到（演示）",
        on=today,
    )
    return []


def uploaded_plan():
    """The demo plan whose results were uploaded and published, for certificates.demo to issue, or None."""
    return (
        AssessmentPlan.objects.filter(title=UPLOADED_TITLE, state=State.UPLOADED)
        .select_related("institution", "occupation")
        .first()
    )


def technician_plan(user, people) -> list[str]:
    """A 技师 plan, exams held and passed, whose first candidate's comprehensive review panel has been
    drawn through the workflow (materials received, panel drawn with a recorded seed)."""
    from . import workflow

    institution = user.institution
    if (TECHNICIAN_CODE, 2) not in institutions.filed_scope(institution):
        return ["certification demo: no technician level filed, technician plan skipped"]
    if AssessmentPlan.objects.filter(institution=institution, title=TECHNICIAN_TITLE).exists():
        return []
    centre = User.objects.filter(username="centre").first()
    if centre is None:
        return ["certification demo: no centre user, technician plan skipped"]
    occupation = Occupation.objects.get(code=TECHNICIAN_CODE)
    today = workdays.today()
    with transaction.atomic():
        plan = AssessmentPlan.objects.create(
            institution=institution,
            occupation=occupation,
            levels=[2],
            methods=[Method.THEORY, Method.PRACTICAL],
            site="演示考点",
            created_by=user,
            title=TECHNICIAN_TITLE,
            start_date=today - datetime.timedelta(days=12),
            end_date=today - datetime.timedelta(days=11),
            submitted_on=today - datetime.timedelta(days=30),
            approved_on=today - datetime.timedelta(days=27),
        )
        # Straight into the demo state (demo data, not a workflow: the protected field is set by update).
        AssessmentPlan.objects.filter(pk=plan.pk).update(state=State.APPROVED)
        plan.refresh_from_db()
        need = rules.staffing_need(len(TECHNICIANS), 1, ratios_for(occupation), theory=True, practical=True)
        for role, source, n in (
            (StaffRole.SUPERVISOR, "supervisor", MIN_SUPERVISORS),
            (StaffRole.ASSESSOR, "assessor", need.assessors),
            (StaffRole.INVIGILATOR, "staff", need.invigilators),
        ):
            for person in people[source][:n]:
                PlanStaff.objects.create(plan=plan, role=role, id_number=person.id_number, name=person.name)
        candidates = Candidate.objects.bulk_create(
            [
                _with_photo(
                    Candidate(
                        plan=plan,
                        row=i + 2,
                        name=name,
                        id_number=_id(300 + i, sex),
                        sex=sex_from_id(_id(300 + i, sex)),
                        level=2,
                        relation=Relation.EMPLOYEE,
                        **_decided(_id(300 + i, sex), 2, today),
                        theory_score=78 + i,
                        practical_score=82 + i,
                    ),
                    200 + i,
                )
                for i, (name, sex) in enumerate(TECHNICIANS)
            ]
        )
        first = Candidate.objects.get(pk=candidates[0].pk)
        workflow.record_materials(first, centre, today - datetime.timedelta(days=5), on=today)
        review = workflow.draw_review(
            first, centre, on=today, location="天津市职业技能鉴定指导中心 3 楼评审室"
        )
    return [f"certification demo: technician plan, review panel of {review.panelists.count()} drawn"]


# -- upward reporting (seed 004 四(四)3 / 附件7) --------------------------------------------------------


def monthly_summaries() -> list[str]:
    """The monthly results summaries of last month (seed 004 四(四)3: 于月末报), so that the centre's city
    total and the institutions' lists show each state: among the institutions with a filing in force that
    month, the first (the demo applicant when it is one) reported on its due day, the second late, the
    rest not at all (overdue). Written as demo rows (the counts frozen as ``monthly.submit`` freezes them)."""
    from . import monthly, summary
    from .models import MonthlySummary

    today = workdays.today()
    month = monthly.first_day(monthly.first_day(today) - datetime.timedelta(days=1))
    start, end = summary.month_bounds(month)
    expected = list(institutions.filed_between(start, end - datetime.timedelta(days=1)))
    expected.sort(key=lambda i: not i.users.filter(username="applicant").exists())
    due = monthly.due_date(month)
    made = 0
    for institution, submitted_on in zip(
        expected, (due, min(today, due + datetime.timedelta(days=3))), strict=False
    ):
        user = institution.users.order_by("pk").first()
        _report, created = MonthlySummary.objects.get_or_create(
            institution=institution,
            month=month,
            defaults={
                "reporter": "演示填报人",
                "reported_on": submitted_on,
                "submitted_on": submitted_on,
                "submitted_by": user,
                "counts": monthly.freeze(summary.build(institution, month)),
            },
        )
        made += created
    missing = max(len(expected) - 2, 0)
    return [
        f"certification demo: {made} monthly summaries of {month:%Y-%m} (on time, late), {missing} overdue"
    ]

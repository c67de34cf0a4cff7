"""Factories of the certification app. ``filed_institution()`` builds an institution with a filing in
force (through the filings factories); ``PlanFactory(approved=True)`` etc. put a plan in a state."""

import datetime
import io

import factory

from certification.constants import Method, Qualification, StaffRole, State
from certification.models import AssessmentPlan, Candidate, ExpertQualification, MonthlySummary, PlanStaff
from tests.portal.factories import InstitutionFactory, UserFactory, id_number

OCCUPATION_CODE = "4-03-02-01"


def person_id(n: int, male: bool = True) -> str:
    """The n-th valid resident ID number of that sex (one per n, born from 1980-01-01 on): id_number's."""
    return id_number(n, "19800101", male=male)


def filed_institution(
    institution=None,
    *,
    levels="12345",
    route="Y",
    kind="enterprise",
    state=None,
    valid_from=datetime.date(2024, 1, 1),
    valid_until=datetime.date(2040, 12, 31),
    assessors=7,
    staff=6,
    supervisors=2,
):
    """An institution whose filing (route, kind) covers 4-03-02-01 at ``levels`` with enough people."""
    from filings.constants import State as FilingState
    from filings.models import FilingOccupation, FilingPerson
    from tests.filings.factories import FilingFactory

    institution = institution or InstitutionFactory()
    filing = FilingFactory(
        institution=institution,
        state=state or FilingState.FILED,
        route=route,
        kind=kind,
        valid_from=valid_from,
        valid_until=valid_until,
        filed_on=valid_from,
        route_code="0000",
        province_code="12",
        institution_sequence=f"{institution.pk % 999999:06d}",
    )
    FilingOccupation.objects.create(filing=filing, occupation=occupation(), levels=levels, person_times=9000)
    people = []
    for role, count, base in (
        ("assessor", assessors, 100),
        ("staff", staff, 200),
        ("supervisor", supervisors, 300),
    ):
        for i in range(count):
            people.append(
                FilingPerson(filing=filing, role=role, name=f"{role}{i}", id_number=person_id(base + i))
            )
    FilingPerson.objects.bulk_create(people)
    return institution


def occupation():
    from portal.models import Occupation

    occ, _ = Occupation.objects.get_or_create(code=OCCUPATION_CODE, defaults={"name": "中式烹调师"})
    return occ


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssessmentPlan
        skip_postgeneration_save = True

    institution = factory.LazyFunction(filed_institution)
    title = factory.Sequence(lambda n: f"2026年第{n}期中式烹调师认定")
    occupation = factory.LazyFunction(occupation)
    levels = [3, 4]
    methods = [Method.THEORY, Method.PRACTICAL]
    site = "天津市河西区友谊路 1 号考点"
    rooms = 1
    start_date = datetime.date(2026, 6, 1)
    end_date = datetime.date(2026, 6, 3)

    class Params:
        submitted = factory.Trait(state=State.SUBMITTED, submitted_on=datetime.date(2026, 5, 20))
        approved = factory.Trait(
            state=State.APPROVED,
            submitted_on=datetime.date(2026, 5, 20),
            approved_on=datetime.date(2026, 5, 22),
        )
        reported = factory.Trait(
            state=State.RESULTS_REPORTED,
            submitted_on=datetime.date(2026, 5, 20),
            approved_on=datetime.date(2026, 5, 22),
            reported_on=datetime.date(2026, 6, 5),
        )
        verified = factory.Trait(
            state=State.VERIFIED,
            submitted_on=datetime.date(2026, 5, 20),
            approved_on=datetime.date(2026, 5, 22),
            reported_on=datetime.date(2026, 6, 5),
            verified_on=datetime.date(2026, 6, 9),
        )
        # seed 001 第十六条(四): uploaded to the ministry centre and published on its site; issuing opens
        uploaded = factory.Trait(
            state=State.UPLOADED,
            submitted_on=datetime.date(2026, 5, 20),
            approved_on=datetime.date(2026, 5, 22),
            reported_on=datetime.date(2026, 6, 5),
            verified_on=datetime.date(2026, 6, 9),
            uploaded_on=datetime.date(2026, 6, 11),
            published_on=datetime.date(2026, 6, 16),
        )

    @factory.post_generation
    def staffed(self, create, extracted, **kwargs):
        """PlanFactory(staffed=True): 2 invigilators, 3 assessors, 1 supervisor."""
        if not (create and extracted):
            return
        rows = [
            PlanStaff(plan=self, role=StaffRole.INVIGILATOR, name=f"监考{i}", id_number=person_id(200 + i))
            for i in range(2)
        ]
        rows += [
            PlanStaff(plan=self, role=StaffRole.ASSESSOR, name=f"考评{i}", id_number=person_id(100 + i))
            for i in range(3)
        ]
        rows.append(PlanStaff(plan=self, role=StaffRole.SUPERVISOR, name="督导0", id_number=person_id(300)))
        PlanStaff.objects.bulk_create(rows)


class CandidateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidate

    plan = factory.SubFactory(PlanFactory)
    row = factory.Sequence(lambda n: n + 2)
    name = factory.Sequence(lambda n: f"考生{n}")
    id_number = factory.Sequence(lambda n: person_id(400 + n))
    sex = "男"
    level = 4
    eligible = True
    clause = "二(一)"

    class Params:
        passed = factory.Trait(theory_score=80, practical_score=75)
        # The centre received the comprehensive review materials (seed 002 五(一)): a panel may be drawn.
        materials = factory.Trait(review_materials_on=datetime.date(2026, 6, 8))


def roster_xlsx(rows, code=OCCUPATION_CODE, relation="本单位职工") -> bytes:
    """A roster in the plan template layout: rows of (name, id_number, level, years[, title, title date[,
    relation]]); the relation to the unit defaults to ``relation`` (本单位职工: the factories' institutions
    are employers on route Y, who assess their own staff, seed 001 第二条)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "姓名",
            "身份证号码",
            "职业代码",
            "申报等级",
            "从事本职业年限",
            "职称",
            "职称取得日期",
            "与本单位关系",
        ]
    )
    for row in rows:
        name, id_number, level, years, *rest = row
        title, title_date, own = (rest + [None, None, relation][len(rest) :])[:3]
        sheet.append([name, id_number, code, level, years, title, title_date, own])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def scores_xlsx(rows) -> bytes:
    """rows of (id_number, theory, practical[, other, note])."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["身份证号码", "理论知识成绩", "技能操作成绩", "其他方式结果", "说明"])
    for row in rows:
        sheet.append(list(row) + [None] * (5 - len(row)))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class ExpertQualificationFactory(factory.django.DjangoModelFactory):
    """A senior assessor qualification (seed 002 综合评审工作流程 三), in force until the end of 2030."""

    class Meta:
        model = ExpertQualification

    expert = factory.SubFactory(UserFactory, role="expert")
    qualification = Qualification.SENIOR_ASSESSOR
    certificate_number = factory.Sequence(lambda n: f"GJKPY{n:06d}")
    valid_until = datetime.date(2030, 12, 31)

    class Params:
        expired = factory.Trait(valid_until=datetime.date(2026, 1, 1))


def qualified_expert(valid_until=datetime.date(2030, 12, 31), **kwargs):
    """An expert (role expert) with the senior assessor qualification; kwargs go to UserFactory."""
    from portal import roles

    expert = UserFactory(role=roles.EXPERT, **kwargs)
    ExpertQualificationFactory(expert=expert, valid_until=valid_until)
    return expert


class MonthlySummaryFactory(factory.django.DjangoModelFactory):
    """A submitted monthly results summary (seed 004 四(四)3 / 附件7), on time, one row of 2 at level 4."""

    class Meta:
        model = MonthlySummary

    institution = factory.LazyFunction(filed_institution)
    month = datetime.date(2026, 6, 1)
    reporter = "王填报"
    reported_on = datetime.date(2026, 6, 28)
    submitted_on = datetime.date(2026, 6, 28)
    counts = factory.LazyFunction(
        lambda: {
            "rows": [{"occupation": f"{OCCUPATION_CODE} 中式烹调师", "work_type": "——", "counts": {"4": 2}}],
            "total": 2,
        }
    )

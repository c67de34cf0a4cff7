"""Factories of the enterprise 职业技能鉴定 (seed 002 附件1). ``World`` names the people: the enterprise's
user (an ``applicant`` of a Tianjin enterprise), a user of another enterprise, the centre, the bureau, an
expert; an occupation marked for 鉴定 and one not; a pool of supervisors, one of them the enterprise's own
employee. ``world.appraisal()`` creates a draft through the service (16 中级工 candidates of 车工, a 三(一)
training centre asking to adjust the questions); ``through(appraisal, world, "file")`` takes it through
the service up to a step (the state changes only in the service, as in the product)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory
from django.core.files.uploadedfile import SimpleUploadedFile
from stdnum.cn import uscc

from appraisals import workflow
from appraisals.constants import Category, QuestionSource
from appraisals.models import Appraisal, QualitySupervisor
from portal import roles
from portal.models import Institution, Occupation, User
from tests.portal.factories import InstitutionFactory, UserFactory, id_number

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = datetime.date(2026, 12, 7)  # a Monday; the tests travel there


def credit_code(region: str, n: int = 0) -> str:
    """A valid credit code registered in ``region`` (6 digits, GB/T 2260): 91 + region + 9 more + check."""
    body = f"91{region}{n:09d}"
    return body + uscc.calc_check_digit(body)


def evidence(name="认定文件.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class OccupationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Occupation
        django_get_or_create = ("code",)

    code = "6-18-01-01"
    name = "车工"
    bureau_appraisal = True


class QualitySupervisorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QualitySupervisor

    name = factory.Sequence(lambda n: f"督导员{n}")
    id_number = factory.Sequence(lambda n: id_number(n, "19750101", male=True))
    employer_name = "天津市职业技能鉴定指导中心"
    employer_credit_code = factory.Sequence(lambda n: credit_code("120000", 500 + n))
    email = factory.Sequence(lambda n: f"supervisor{n}@example.org")


def assessors(n: int = 3):
    return [(f"考评员{i}", id_number(i, "19800101", male=False), f"KP-{i:04d}") for i in range(n)]


@dataclass
class World:
    enterprise: Institution
    enterprise_user: User
    other_user: User
    centre: User
    bureau: User
    expert: User
    occupation: Occupation
    unlisted: Occupation
    pool: list[QualitySupervisor]
    own_employee: QualitySupervisor

    @classmethod
    def build(cls, pool_size: int = 4) -> World:
        enterprise = InstitutionFactory(
            name="天津市海河装备制造有限公司", credit_code=credit_code("120116", 1)
        )
        other = InstitutionFactory(credit_code=credit_code("120104", 2))
        return cls(
            enterprise=enterprise,
            enterprise_user=UserFactory(institution=enterprise, first_name="张联系"),
            other_user=UserFactory(institution=other),
            centre=UserFactory(role=roles.CENTRE),
            bureau=UserFactory(role=roles.BUREAU),
            expert=UserFactory(role=roles.EXPERT),
            occupation=OccupationFactory(),
            unlisted=OccupationFactory(code="4-03-02-01", name="中式烹调师", bureau_appraisal=False),
            pool=QualitySupervisorFactory.create_batch(pool_size),
            own_employee=QualitySupervisorFactory(
                name="本企业员工", employer_name=enterprise.name, employer_credit_code=enterprise.credit_code
            ),
        )

    def appraisal(self, *, levels=None, user=None, evidence_file=True, **fields) -> Appraisal:
        fields.setdefault("contact_name", "张联系")
        fields.setdefault("contact_phone", "022-23456789")
        fields.setdefault("category", Category.TRAINING_CENTRE)
        fields.setdefault("occupation", self.occupation)
        fields.setdefault("starts_on", datetime.date(2027, 1, 11))
        fields.setdefault("ends_on", datetime.date(2027, 1, 12))
        fields.setdefault("place", "天津市滨海新区海河装备实训车间")
        fields.setdefault("equipment", "数控车床 CK6140 二十台")
        fields.setdefault("adjustment_requested", True)
        fields.setdefault("adjustment_reason", "企业产品以大型轴类零件为主")
        return workflow.create(
            user or self.enterprise_user,
            levels={4: 16} if levels is None else levels,
            assessors=assessors(),
            evidence=evidence() if evidence_file else None,
            **fields,
        )


STEPS = {
    "submit": lambda a, w: workflow.submit(a, w.enterprise_user),
    "file": lambda a, w: workflow.file(a, w.centre),
    "answer_adjustment": lambda a, w: workflow.answer_adjustment(a, w.centre, granted=True, reason="同意"),
    "record_questions": lambda a, w: workflow.record_questions(a, w.centre, source=QuestionSource.EXPERTS),
    "dispatch": lambda a, w: workflow.dispatch_supervisors(a, w.bureau, draw=2),
}


def through(appraisal: Appraisal, world: World, last: str) -> Appraisal:
    """Takes a draft through the service up to and including ``last``."""
    for name, step in STEPS.items():
        if name == "answer_adjustment" and not appraisal.adjustment_requested:
            continue
        appraisal = step(appraisal, world)
        if name == last:
            return appraisal
    raise ValueError(last)


def in_state(institution, user, state: str, **fields) -> Appraisal:
    """An appraisal of ``institution`` written directly in ``state`` (the authorization matrix's world,
    where the institution need not be registered in Tianjin): 16 中级工 candidates of 车工, one 考评员,
    a 三(一) training centre asking to adjust the questions."""
    from django.utils import timezone

    from appraisals.constants import State
    from appraisals.models import AppraisalLevel, ProposedAssessor

    after_submit = state != State.DRAFT
    fields.setdefault("category", Category.TRAINING_CENTRE)
    fields.setdefault("adjustment_requested", True)
    fields.setdefault("adjustment_reason", "企业产品以大型轴类零件为主")
    appraisal = Appraisal.objects.create(
        state=state,
        created_by=user,
        enterprise=institution,
        enterprise_name=institution.name,
        credit_code=institution.credit_code,
        contact_name="张联系",
        contact_phone="022-23456789",
        occupation=OccupationFactory(),
        starts_on=datetime.date(2027, 1, 11),
        ends_on=datetime.date(2027, 1, 12),
        place="企业实训车间",
        equipment="数控车床二十台",
        submitted_at=timezone.now() if after_submit else None,
        **fields,
    )
    AppraisalLevel.objects.create(appraisal=appraisal, level=4, candidates=16)
    name, number, certificate = assessors(1)[0]
    ProposedAssessor.objects.create(
        appraisal=appraisal, name=name, id_number=number, certificate_number=certificate
    )
    return appraisal


def arranged_with_roster(world: World, n: int = 3) -> Appraisal:
    """An appraisal taken through the service to ARRANGED, with ``n`` eligible candidates on its roster
    (written directly: the roster import has its own tests)."""
    from appraisals.models import AppraisalCandidate

    appraisal = through(world.appraisal(), world, "dispatch")
    for i in range(n):
        AppraisalCandidate.objects.create(
            appraisal=appraisal,
            row=i + 2,
            name=f"王考生{i}",
            id_number=id_number(100 + i, "19950101", male=True),
            level=4,
            eligible=True,
        )
    return appraisal


def score_all(appraisal: Appraisal, world: World, theory=72, practical=80) -> Appraisal:
    for c in appraisal.candidates.all():
        workflow.enter_score(appraisal, world.centre, c, "theory", theory)
        workflow.enter_score(appraisal, world.enterprise_user, c, "practical", practical)
    return appraisal


def scored_candidate(appraisal: Appraisal, n: int = 0, theory=70, practical=80, level=4):
    """A candidate on ``appraisal``'s roster with both scores (the matrix world's, written directly)."""
    from appraisals.models import AppraisalCandidate

    return AppraisalCandidate.objects.create(
        appraisal=appraisal,
        row=n + 2,
        name=f"王考生{n}",
        id_number=id_number(300 + n + appraisal.pk % 500, "19950101", male=True),
        level=level,
        eligible=True,
        theory_score=theory,
        practical_score=practical,
    )

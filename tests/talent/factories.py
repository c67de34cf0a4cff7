"""Factories of the title application (seed 002 附件2 二(三)). ``TitleApplicationFactory()`` is a draft of a
技师 since 2023-03-01 (3 full years on 2026-03-01) on the employer route, with three passed appraisals and
one achievement; ``World`` names the people around it; ``through(app, world, "approve")`` takes it
through the service up to a step (the state changes only in the service, as in the product)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.models import Institution, User
from talent import roles, workflow
from talent.constants import (
    AchievementKind,
    AppraisalResult,
    HeldTitle,
    Level,
    Route,
    SkillRoute,
    State,
    Title,
)
from talent.models import Achievement, Appraisal, SkillApplication, TitleApplication
from tests.certification import factories as cert_factories
from tests.portal.factories import InstitutionFactory, UserFactory, id_number

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
TODAY = datetime.date(2026, 12, 7)  # a Monday; the tests travel there


def evidence(name="证明.pdf", content=PDF_BYTES):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


class TitleApplicationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TitleApplication
        skip_postgeneration_save = True

    filed_by = factory.SubFactory(UserFactory)
    name = "李明"
    id_number = factory.Sequence(lambda n: id_number(n, "19850315", male=True))
    employer = factory.SubFactory(InstitutionFactory)
    employer_name = factory.LazyAttribute(
        lambda a: a.employer.name if a.employer else "天津某民营科技有限公司"
    )
    route = Route.EMPLOYER
    post = "数控车工"
    on_current_post_since = datetime.date(2020, 1, 1)
    engineering_field = True
    frontline_skill_post = True
    occupation = "车工"
    level = Level.L2
    level_certificate_number = "Y000012011001232000001"
    level_obtained_on = datetime.date(2023, 3, 1)
    skill_work_years = 12
    title_sought = Title.ENGINEER
    specialty = "机械制造"

    @factory.post_generation
    def appraisals(self, create, extracted, **kwargs):
        if not create:
            return
        years = (2023, 2024, 2025) if extracted is None else extracted
        Appraisal.objects.bulk_create(
            Appraisal(application=self, year=year, result=AppraisalResult.PASSED) for year in years
        )

    @factory.post_generation
    def achievements(self, create, extracted, **kwargs):
        if not create or extracted == 0:
            return
        row = Achievement(
            application=self, kind=AchievementKind.PRODUCTION_PROBLEM, summary="解决主轴振动难题"
        )
        row.evidence.save("talent/test/evidence.pdf", ContentFile(PDF_BYTES), save=False)
        row.save()


def member(role: str, institution: Institution | None = None, **kwargs) -> User:
    """A user of ``role`` (a talent role) belonging to ``institution``."""
    return UserFactory(institution=institution, role=role, **kwargs)


@dataclass
class World:
    """The people of the procedure: the person, the employer's recommender, the 业务主管部门, 中天人力,
    the review body; and their counterparts elsewhere (the other employer, department, review body)."""

    person: User
    employer: Institution
    recommender: User
    department: Institution
    department_user: User
    zhongtian: User
    review_body: Institution
    review_body_user: User
    other_person: User
    other_recommender: User
    other_department_user: User
    other_review_body_user: User

    @classmethod
    def build(cls) -> World:
        employer, other_employer = InstitutionFactory(name="天津市海河装备制造有限公司"), InstitutionFactory()
        department, other_department = InstitutionFactory(name="天津市工业和信息化局"), InstitutionFactory()
        body, other_body = InstitutionFactory(name="天津市工程系列职称评审委员会"), InstitutionFactory()
        return cls(
            person=UserFactory(first_name="李明"),
            employer=employer,
            recommender=member(roles.RECOMMENDER, employer),
            department=department,
            department_user=member(roles.DEPARTMENT, department),
            zhongtian=member(roles.ZHONGTIAN),
            review_body=body,
            review_body_user=member(roles.REVIEW_BODY, body),
            other_person=UserFactory(),
            other_recommender=member(roles.RECOMMENDER, other_employer),
            other_department_user=member(roles.DEPARTMENT, other_department),
            other_review_body_user=member(roles.REVIEW_BODY, other_body),
        )

    def application(self, **kwargs) -> TitleApplication:
        kwargs.setdefault("filed_by", self.person)
        if kwargs.get("route") == Route.DIRECT:
            kwargs.setdefault("employer", None)
        else:
            kwargs.setdefault("employer", self.employer)
        return TitleApplicationFactory(**kwargs)

    def reviewer(self, app) -> User:
        return self.zhongtian if app.route == Route.DIRECT else self.department_user


# The steps in order, and what each needs (the service call made by the right person).
def _submit(app, w):
    return workflow.submit(app, app.filed_by)


def _recommend(app, w):
    return workflow.recommend(app, w.recommender, department=w.department)


def _approve(app, w):
    return workflow.approve(app, w.reviewer(app), review_body=w.review_body)


def _pass(app, w):
    return workflow.record_result(
        app,
        w.review_body_user,
        State.PASSED,
        certificate_number="津职称2026-GC-0001",
        certificate_date=datetime.date(2026, 12, 1),
    )


STEPS = {"submit": _submit, "recommend": _recommend, "approve": _approve, "record_pass": _pass}
FROM = {
    "submit": State.DRAFT,
    "recommend": State.SUBMITTED,
    "approve": State.IN_REVIEW,
    "record_pass": State.SENT,
}


def through(app, world: World, last: str) -> TitleApplication:
    """Takes ``app`` from where it is through the service up to and including ``last`` (no 推荐 on the
    direct route)."""
    for name, step in STEPS.items():
        if app.state != FROM[name] and name != last:
            continue
        app = step(app, world)
        if name == last:
            return app
    raise ValueError(last)


# -- 专业技术人才参加职业技能评价 (附件2 三, 四(二)) ---------------------------------------------------


class SkillApplicationFactory(factory.django.DjangoModelFactory):
    """A draft: a 工程师 since 2020 applying for 技师 of 4-03-02-01 by 职业技能等级认定 at a filed institution
    (pass ``institution``), the title certificate copy attached."""

    class Meta:
        model = SkillApplication
        skip_postgeneration_save = True

    filed_by = factory.SubFactory(UserFactory)
    name = "张工"
    id_number = factory.Sequence(lambda n: id_number(n, "19880512", male=True))
    employer_name = "天津市海河装备制造有限公司"
    post = "工艺技术员"
    engineering_field = True
    skill_post = True
    title = HeldTitle.ENGINEER
    title_certificate_number = "津工程2020-00123"
    title_obtained_on = datetime.date(2020, 1, 1)
    occupation = factory.LazyFunction(cert_factories.occupation)
    level = 2
    route = SkillRoute.RECOGNITION
    institution = None

    @factory.post_generation
    def copy(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        self.title_certificate_copy.save("talent/test/title.pdf", ContentFile(PDF_BYTES), save=True)


@dataclass
class SkillWorld:
    """The professional, a filed 评价机构 (4-03-02-01, all levels) with its applicant user and a draft plan
    of levels 2 and 3, the 市鉴定中心, and strangers (another institution's user, another person)."""

    person: User
    body: Institution
    body_user: User
    plan: object
    centre: User
    other_body_user: User
    other_person: User

    @classmethod
    def build(cls) -> SkillWorld:
        from portal import roles as portal_roles

        body = cert_factories.filed_institution(InstitutionFactory(name="天津市海河职业技能评价中心"))
        other = cert_factories.filed_institution()
        return cls(
            person=UserFactory(first_name="张工", email="zhang@example.org"),
            body=body,
            body_user=UserFactory(institution=body, email="body@example.org"),
            plan=cert_factories.PlanFactory(institution=body, levels=[2, 3]),
            centre=UserFactory(role=portal_roles.CENTRE, email="centre@example.org"),
            other_body_user=UserFactory(institution=other),
            other_person=UserFactory(),
        )

    def application(self, **kwargs) -> SkillApplication:
        kwargs.setdefault("filed_by", self.person)
        if kwargs.get("route") == SkillRoute.APPRAISAL:
            kwargs.setdefault("institution", None)
        else:
            kwargs.setdefault("institution", self.body)
        return SkillApplicationFactory(**kwargs)

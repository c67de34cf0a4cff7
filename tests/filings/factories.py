"""Factories of the filings app. Traits build a filing in a given situation:
``FilingFactory(rows=True, files=True)`` is ready to submit; ``FilingFactory(state=State.SUBMITTED, ...)``
puts it straight into a state for queue and permission tests."""

import datetime

import factory

from eligibility.institution import TECHNICAL_SCHOOL_KINDS
from filings.constants import PersonRole, Route, State, checklist
from filings.models import (
    Attachment,
    Filing,
    FilingEquipment,
    FilingOccupation,
    FilingPerson,
    FilingSite,
    SchoolWorkPlan,
)
from tests.portal.factories import InstitutionFactory, OccupationFactory, id_number

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class FilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Filing
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.LazyAttribute(lambda f: f.institution.name)
    credit_code = factory.LazyAttribute(lambda f: f.institution.credit_code)
    route = Route.EMPLOYER
    kind = "enterprise"
    address = "天津市河西区友谊路 1 号"
    registration_authority = "天津市市场监督管理委员会"
    legal_representative = "张法人"
    registered_capital = "1000 万元"
    contact_name = "李联系"
    contact_title = "人力资源部经理"
    contact_phone = "022-23456789"
    contact_email = factory.Sequence(lambda n: f"filing{n}@example.org")
    site_description = "考核场地 800 平方米，理论考场 2 间，实操工位 40 个。"
    it_description = "考务管理计算机 60 台，全程高清视频监控并留存。"
    pledge_accepted = True
    pledge_signatory = "张法人"

    @factory.post_generation
    def rows(self, create, extracted, **kwargs):
        if not (create and extracted):
            return
        occupation = OccupationFactory(code="4-03-02-01", name="中式烹调师", in_social_directory=True)
        FilingOccupation.objects.create(
            filing=self,
            occupation=occupation,
            levels="345",
            start_date=datetime.date(2015, 3, 1),
            person_times=9000,
            basis="national_standard",
        )
        for i, role in enumerate(PersonRole.values):
            FilingPerson.objects.create(
                filing=self, role=role, name=f"人员{i}", id_number=id_number(i, "19800101")
            )
        FilingEquipment.objects.create(filing=self, name="灶台", brand="某品牌", model="Z-1", quantity=20)
        if self.route == Route.SOCIAL and self.kind in TECHNICAL_SCHOOL_KINDS:
            # a 技工院校's own parts (辽人社〔2020〕32号 附件1 三, 附件2)
            self.school_profile = "烹饪专业 3 个班，校企合作单位 5 家。"
            self.save(update_fields=["school_profile"])
            SchoolWorkPlan.objects.create(
                filing=self, **{part: f"{part} 的内容" for part in SchoolWorkPlan.PARTS}
            )

    @factory.post_generation
    def files(self, create, extracted, **kwargs):
        if not (create and extracted):
            return
        from django.core.files.base import ContentFile

        for code, _label, required in checklist(self.route, self.kind, self.group_branch):
            if required:
                attachment = Attachment(
                    filing=self,
                    item=code,
                    original_name=f"{code}.pdf",
                    content_kind="pdf",
                    size=len(PDF_BYTES),
                )
                attachment.file.save(f"filings/test/{code}.pdf", ContentFile(PDF_BYTES), save=False)
                attachment.save()


class FilingSiteFactory(factory.django.DjangoModelFactory):
    """One exam site of a filing (四(一)、场地情况 as a list); 理论及实操 unless told."""

    class Meta:
        model = FilingSite

    filing = factory.SubFactory(FilingFactory)
    name = factory.Sequence(lambda n: f"考点{n}")
    address = "天津市河西区友谊路 1 号"
    rooms = 2
    seats = 30
    use = "both"


def in_state(state, **kwargs):
    """A complete filing put straight into ``state`` (for queue and permission tests)."""
    from django.utils import timezone

    defaults = {"rows": True, "files": True, "state": state}
    if state != State.DRAFT:
        defaults["submitted_at"] = timezone.now()
    defaults.update(kwargs)
    return FilingFactory(**defaults)

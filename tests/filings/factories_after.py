"""Factories for life after filing (Filings II): a filed filing built directly (the review workflow
is Filings I's and is tested there), and the after-filing records."""

from datetime import date, timedelta

import factory

from filings import models
from filings.constants import PersonRole, State
from filings.constants_after import ChangeKind, ComplaintState, RenewalState, SanctionKind
from tests.portal.factories import InstitutionFactory, OccupationFactory, credit_code, id_number


class FiledFilingFactory(factory.django.DjangoModelFactory):
    """A filing in state filed, valid 3 years from ``filed_on`` (default 2026-03-01)."""

    class Meta:
        model = models.Filing
        skip_postgeneration_save = True

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.LazyAttribute(lambda f: f.institution.name)
    credit_code = factory.LazyAttribute(lambda f: f.institution.credit_code)
    route = "Y"
    kind = "enterprise"
    address = "天津市河西区测试路 1 号"
    registration_authority = "天津市市场监督管理局"
    legal_representative = "李法人"
    legal_representative_phone = "13912345678"
    contact_name = "张联系"
    contact_phone = "022-23456789"
    contact_email = factory.Sequence(lambda n: f"filed{n}@example.org")
    site_description = "实训楼 3 层"
    it_description = "考务计算机 40 台，视频监控全覆盖"
    pledge_accepted = True
    pledge_signatory = "李法人"
    filed_on = date(2026, 3, 1)
    valid_from = factory.LazyAttribute(lambda f: f.filed_on)
    valid_until = factory.LazyAttribute(
        lambda f: f.filed_on.replace(year=f.filed_on.year + 3) - timedelta(days=1)
    )
    route_code = "0000"
    province_code = "12"
    institution_sequence = factory.Sequence(lambda n: f"013{n % 1000:03d}")
    filing_number = factory.LazyAttribute(
        lambda f: f"{f.route}{f.route_code}{f.province_code}{f.institution_sequence}-{f.filed_on:%Y%m%d}"
    )

    @factory.post_generation
    def state(self, create, extracted, **kwargs):
        # The state field is protected (django-fsm): set it on the row, as the workflow would have.
        if create:
            models.Filing.objects.filter(pk=self.pk).update(state=extracted or State.FILED)
            self.refresh_from_db()

    @factory.post_generation
    def occupations(self, create, extracted, **kwargs):
        if not create:
            return
        rows = extracted if extracted is not None else [(OccupationFactory(standard_year=2018), "345")]
        for occupation, levels in rows:
            models.FilingOccupation.objects.create(
                filing=self, occupation=occupation, levels=levels, person_times=600
            )

    @factory.post_generation
    def people(self, create, extracted, **kwargs):
        if not create or extracted is False:
            return
        for i, (role, _label) in enumerate(PersonRole.choices):
            models.FilingPerson.objects.create(
                filing=self,
                role=role,
                name=f"人员{i}",
                id_number=id_number(self.pk * 10 + i, "19800101"),
                title="高级考评员",
            )
        models.FilingEquipment.objects.create(
            filing=self, name="数控车床", brand="沈阳", model="CK6140", quantity=4
        )


def set_state(filing, state):
    models.Filing.objects.filter(pk=filing.pk).update(state=state)
    filing.refresh_from_db()
    return filing


class RenewalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Renewal

    filing = factory.SubFactory(FiledFilingFactory)
    summary = "备案期内开展认定 1200 人次，无违规。"
    old_valid_until = factory.LazyAttribute(lambda r: r.filing.valid_until)
    requested_on = factory.LazyAttribute(lambda r: r.filing.valid_until - timedelta(days=30))
    state = RenewalState.SUBMITTED


class ChangeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ChangeRequest

    filing = factory.SubFactory(FiledFilingFactory)
    kind = ChangeKind.SITE
    reason = "搬迁新址"
    site_description = "新实训基地 2 号楼"


class SanctionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Sanction

    filing = factory.SubFactory(FiledFilingFactory)
    kind = SanctionKind.CRITICISM
    reason = "考务记录不完整"
    decided_on = date(2026, 5, 1)

    class Params:
        rectification = factory.Trait(kind=SanctionKind.RECTIFICATION, deadline=date(2026, 6, 1))


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Complaint

    name = "王投诉"
    contact = "wang@example.org"
    institution_name = factory.LazyAttribute(lambda c: c.filing.name if c.filing else "某机构")
    filing = factory.SubFactory(FiledFilingFactory)
    text = "考场内有替考现象。"
    state = ComplaintState.OPEN


class BlacklistEntryFactory(factory.django.DjangoModelFactory):
    """An entry in force under a credit code of its own (pass ``credit_code`` to block a real one)."""

    class Meta:
        model = models.BlacklistEntry

    credit_code = factory.Sequence(lambda n: credit_code(900_000 + n))
    name = factory.LazyAttribute(lambda b: b.filing.name if b.filing else "某评价机构")
    filing = None
    institution = None
    reason = "违规发证，情节严重"
    listed_on = date(2026, 5, 1)

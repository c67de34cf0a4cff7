import datetime

import factory
from django.contrib.auth.models import Group
from stdnum.cn import ric, uscc

from portal import roles
from portal.models import CalendarDay, CalendarYear, Institution, Occupation, User


def credit_code(n: int) -> str:
    """A valid unified social credit code (GB 32100 check character) for sequence number n."""
    body = f"9112011{n:010d}"[:17]
    return body + uscc.calc_check_digit(body)


def id_number(n: int = 0, birth: str | datetime.date = "19900101", *, male: bool | None = None) -> str:
    """A valid resident ID number (GB 11643 check digit), Tianjin 和平区 (120101).

    Without ``male``: born on ``birth`` (``"YYYYMMDD"`` or a date) with sequence number ``n % 1000``, whose
    last digit (the 17th of the number) is odd for a man, even for a woman: ``id_number(12)`` is
    12010119900101012 and its check digit, ``id_number(123, "19900307")`` a man born on 1990-03-07.
    With ``male=True`` or ``False``: the n-th number of that sex, a different one for every n >= 0 (the
    sequence runs through the 499 odd or even values, then the birth date moves on a day).
    """
    born = birth if isinstance(birth, datetime.date) else datetime.datetime.strptime(birth, "%Y%m%d").date()
    if male is None:
        seq = n % 1000
    else:
        born += datetime.timedelta(days=n // 499)
        seq = (n % 499) * 2 + (1 if male else 2)
    body = f"120101{born:%Y%m%d}{seq:03d}"
    return body + ric.calc_check_digit(body + "0")  # stdnum wants a placeholder check digit


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"天津测试单位{n}有限公司")
    credit_code = factory.Sequence(credit_code)
    contact_name = "张联系"
    contact_phone = "022-23456789"
    contact_email = factory.Sequence(lambda n: f"contact{n}@example.org")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "pw-secret-123")

    class Params:
        applicant = factory.Trait(institution=factory.SubFactory(InstitutionFactory))

    @factory.post_generation
    def role(self, create, extracted, **kwargs):
        role = extracted or (roles.APPLICANT if self.institution_id else None)
        if create and role:
            self.groups.add(Group.objects.get(name=role))
        if create:
            self.save()


class CalendarDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CalendarDay
        django_get_or_create = ("date",)

    is_working_day = False
    note = ""


class CalendarYearFactory(factory.django.DjangoModelFactory):
    """A year's completeness flag; ``CalendarYearFactory(year=2027, complete=True)`` is a year staff
    declared complete."""

    class Meta:
        model = CalendarYear
        django_get_or_create = ("year",)

    complete = False


class OccupationFactory(factory.django.DjangoModelFactory):
    """An occupation, looked up by code (an existing one is reused, left as it is). Sequence codes run
    6-20-00-00, 6-20-00-01, ... (clear of the real codes the tests use); the other fields keep the
    model's defaults unless given: ``in_social_directory=True`` for a filing that must be submittable,
    ``standard_year=...`` for the social-group experience waiver."""

    class Meta:
        model = Occupation
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"6-{20 + n // 10000 % 80:02d}-{n // 100 % 100:02d}-{n % 100:02d}")
    name = factory.Sequence(lambda n: f"测试职业{n}")
    work_types = ""

    class Params:
        welder = factory.Trait(code="6-18-02-04", name="焊工", work_types="电焊工\n气焊工")
        chef = factory.Trait(code="4-03-02-01", name="中式烹调师", work_types="")
        access = factory.Trait(access_type=True)

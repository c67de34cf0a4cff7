import factory
from django.contrib.auth.models import Group
from stdnum.cn import uscc

from portal import roles
from portal.models import CalendarDay, Institution, User


def credit_code(n: int) -> str:
    """A valid unified social credit code (GB 32100 check character) for sequence number n."""
    body = f"9112011{n:010d}"[:17]
    return body + uscc.calc_check_digit(body)


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

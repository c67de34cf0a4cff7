import pytest
from django.urls import reverse

from portal.models import Institution, User
from tests.portal.factories import InstitutionFactory, credit_code

pytestmark = pytest.mark.django_db

VALID = {
    "institution_name": "天津市滨海职业技能培训学校",
    "contact_name": "刘老师",
    "contact_phone": "13800000000",
    "email": "liu@example.org",
    "username": "binhai",
    "password1": "Qx7!kd92-pp",
    "password2": "Qx7!kd92-pp",
}


def test_register_creates_institution_and_applicant(client):
    response = client.post(reverse("register"), {**VALID, "credit_code": credit_code(42)})
    assert response.status_code == 302
    user = User.objects.get(username="binhai")
    assert user.institution.credit_code == credit_code(42)
    assert user.groups.filter(name="applicant").exists()
    assert client.get(reverse("dashboard")).status_code == 200


def test_invalid_credit_code_refused_and_form_keeps_input(client):
    bad = credit_code(42)[:-1] + ("0" if credit_code(42)[-1] != "0" else "1")
    response = client.post(reverse("register"), {**VALID, "credit_code": bad})
    assert response.status_code == 200
    body = response.content.decode()
    assert "统一社会信用代码校验位不正确" in body
    assert "天津市滨海职业技能培训学校" in body and "liu@example.org" in body and bad in body
    assert not Institution.objects.exists()


def test_second_account_for_same_code_refused(client):
    InstitutionFactory(credit_code=credit_code(7))
    response = client.post(reverse("register"), {**VALID, "credit_code": credit_code(7)})
    assert response.status_code == 200
    assert "该统一社会信用代码已注册账户" in response.content.decode()
    assert Institution.objects.count() == 1


def test_short_credit_code_message(client):
    response = client.post(reverse("register"), {**VALID, "credit_code": "91120116"})
    assert "统一社会信用代码应为 18 位" in response.content.decode()


def test_dashboard_requires_login(client):
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.parametrize(
    "who, label",
    [("alice", "申报单位"), ("carol", "鉴定中心审核人员"), ("dave", "市人社局"), ("erin", "评估专家")],
)
def test_dashboard_per_role(client, request, who, label):
    client.force_login(request.getfixturevalue(who))
    assert label in client.get(reverse("dashboard")).content.decode()


def test_registration_is_all_or_nothing(alice):
    """The institution and its account are one transaction: a failing account write leaves no
    institution behind (the username is forced to a taken one after validation)."""
    from django.db import IntegrityError

    from portal.forms import ApplicantRegistrationForm

    form = ApplicantRegistrationForm({**VALID, "credit_code": credit_code(43)})
    assert form.is_valid(), form.errors
    form.instance.username = "alice"  # taken: the INSERT of the user fails
    before = Institution.objects.count()
    with pytest.raises(IntegrityError):
        form.save()
    assert Institution.objects.count() == before


def refuse_everyone(credit_code):
    return f"测试拒绝：{credit_code}"


def test_registration_checks_are_read_from_the_setting(client, settings):
    """portal imports no app: the checks (the filings blacklist by default) are named in a setting."""
    assert settings.PORTAL_REGISTRATION_CHECKS == ["filings.institutions.registration_refusal"]
    settings.PORTAL_REGISTRATION_CHECKS = [
        "filings.institutions.registration_refusal",
        "tests.portal.test_registration.refuse_everyone",
    ]
    response = client.post(reverse("register"), {**VALID, "credit_code": credit_code(43)})
    assert response.status_code == 200
    assert f"测试拒绝：{credit_code(43)}" in response.content.decode()
    assert not Institution.objects.exists()

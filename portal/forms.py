from django import forms
from django.conf import settings
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from . import audit, identifiers
from .models import Institution, User
from .roles import APPLICANT


def registration_refusal(credit_code: str) -> str | None:
    """The first refusal of settings.PORTAL_REGISTRATION_CHECKS for this credit code, or None."""
    for path in settings.PORTAL_REGISTRATION_CHECKS:
        refusal = import_string(path)(credit_code)
        if refusal:
            return refusal
    return None


class ApplicantRegistrationForm(UserCreationForm):
    """Self-registration of an applicant institution: one account per unified social credit code."""

    institution_name = forms.CharField(label=_("单位名称"), max_length=200)
    credit_code = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        help_text=_("18 位，见营业执照或法人登记证书。"),
    )
    contact_name = forms.CharField(label=_("联系人"), max_length=50)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30)
    email = forms.EmailField(label=_("联系邮箱"), help_text=_("用于接收审核通知和找回密码。"))

    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username",)

    field_order = [
        "institution_name",
        "credit_code",
        "contact_name",
        "contact_phone",
        "email",
        "username",
        "password1",
        "password2",
    ]

    def clean_credit_code(self):
        code = identifiers.normalize_credit_code(self.cleaned_data["credit_code"])
        identifiers.validate_credit_code(code)
        # The apps' checks first (the blacklist of filings): a revoked institution still has its row,
        # and must be told why.
        refusal = registration_refusal(code)
        if refusal:
            raise forms.ValidationError(refusal, code="blacklisted")
        if Institution.objects.filter(credit_code=code).exists():
            raise forms.ValidationError(
                _("该统一社会信用代码已注册账户，请使用原账户登录或通过“忘记密码”找回。"),
                code="credit_code_taken",
            )
        return code

    @transaction.atomic
    def save(self, commit=True):
        from django.contrib.auth.models import Group

        institution = Institution.objects.create(
            name=self.cleaned_data["institution_name"].strip(),
            credit_code=self.cleaned_data["credit_code"],
            contact_name=self.cleaned_data["contact_name"],
            contact_phone=self.cleaned_data["contact_phone"],
            contact_email=self.cleaned_data["email"],
        )
        user = super().save(commit=False)
        user.email = self.cleaned_data["email"]
        user.first_name = self.cleaned_data["contact_name"]
        user.phone = self.cleaned_data["contact_phone"]
        user.institution = institution
        user.save()
        user.groups.add(Group.objects.get(name=APPLICANT))
        audit.record("account_registered", institution, user)
        return user

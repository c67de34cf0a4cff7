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
        code = identifiers.normalize_institution_code(self.cleaned_data["credit_code"])
        identifiers.validate_institution_code(code)
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


# A year's notice is a page of text; a file larger than this is not one.
CALENDAR_UPLOAD_MAX_BYTES = 64 * 1024


class CalendarImportForm(forms.Form):
    """The text of a year's notice, pasted or as a small text/CSV file (which then fills the text, so
    that nothing is lost when the submission is refused)."""

    text = forms.CharField(
        label=_("通知文本"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12, "class": "form-control font-monospace"}),
        help_text=_(
            "每行一项，例如“元旦 2027-01-01 至 2027-01-03 放假”“2027-02-07 上班”；也可直接粘贴通知原文。"
        ),
    )
    upload = forms.FileField(
        label=_("或上传文本文件（.txt / .csv）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"class": "form-control", "accept": ".txt,.csv,text/plain"}),
    )
    declare_complete = forms.BooleanField(
        label=_("该年全部节假日和调休上班日均已列出，保存后确认全年工作日历完整"),
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )
    previewed = forms.CharField(required=False, widget=forms.HiddenInput)

    def clean(self):
        from .calendar_import import decode_upload

        data = super().clean()
        upload = data.get("upload")
        if upload:
            if upload.size > CALENDAR_UPLOAD_MAX_BYTES:
                raise forms.ValidationError(
                    _("文件过大：通知文本文件不应超过 %(size)s KB。")
                    % {"size": CALENDAR_UPLOAD_MAX_BYTES // 1024}
                )
            try:
                data["text"] = decode_upload(upload.read())
            except ValueError as error:
                raise forms.ValidationError(str(error)) from error
        return data

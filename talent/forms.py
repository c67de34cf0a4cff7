"""Forms of the title application's pages (the 申请表 and an achievement with its evidence)."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from eligibility import constants as rules
from portal.models import Institution

from . import roles
from .constants import AchievementKind, AppraisalResult
from .models import TitleApplication
from .workflow import FORM_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TitleApplicationForm(forms.ModelForm):
    """The 申请表's own fields, the appraisals of the last three years and the honours of 二(二)3."""

    class Meta:
        model = TitleApplication
        fields = FORM_FIELDS
        widgets = {
            "on_current_post_since": DATE,
            "level_obtained_on": DATE,
            "engineering_field": forms.NullBooleanSelect,
            "frontline_skill_post": forms.NullBooleanSelect,
        }

    awards = forms.MultipleChoiceField(
        label=_("获得的奖项或称号"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, appraisal_years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = Institution.objects.order_by("name")
        self.fields["employer"].required = False
        honours = (*rules.AWARDS, *getattr(settings, "ELIGIBILITY_LEADING_TALENT_HONOURS", ()))
        self.fields["awards"].choices = [(name, name) for name in honours]
        self.appraisal_years = list(appraisal_years)
        choices = [("", "—"), *AppraisalResult.choices]
        for year in self.appraisal_years:
            self.fields[f"appraisal_{year}"] = forms.ChoiceField(
                label=_("%(year)s 年度考核") % {"year": year}, choices=choices, required=False
            )

    def appraisal_fields(self):
        return [self[f"appraisal_{year}"] for year in self.appraisal_years]

    def appraisals(self) -> list[tuple[int, str]]:
        return [
            (year, self.cleaned_data[f"appraisal_{year}"])
            for year in self.appraisal_years
            if self.cleaned_data.get(f"appraisal_{year}")
        ]


class AchievementForm(forms.Form):
    kind = forms.ChoiceField(label=_("业绩类别"), choices=AchievementKind.choices)
    summary = forms.CharField(label=_("业绩名称"), max_length=200)
    year = forms.IntegerField(label=_("年份"), required=False, min_value=1950, max_value=2100)
    evidence = forms.FileField(label=_("证明材料（PDF、JPG 或 PNG）"))


def _members_of(role: str):
    """The bodies with at least one active user of ``role`` (the ones a choice may name)."""
    return (
        Institution.objects.filter(users__groups__name=role, users__is_active=True)
        .distinct()
        .order_by("name")
    )


class RecommendForm(forms.Form):
    """推荐 (二(三)2): the employer names its 业务主管部门."""

    department = forms.ModelChoiceField(
        label=_("业务主管部门"), queryset=Institution.objects.none(), required=False
    )
    comment = forms.CharField(label=_("推荐意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = _members_of(roles.DEPARTMENT)


class ApproveForm(forms.Form):
    """审核通过 and 报送 (二(三)3): the 职称评审机构 it goes to."""

    review_body = forms.ModelChoiceField(
        label=_("职称评审机构"), queryset=Institution.objects.none(), required=False
    )
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["review_body"].queryset = _members_of(roles.REVIEW_BODY)


class ReasonForm(forms.Form):
    """退回 or 不予通过, with the reason the applicant reads."""

    # Not required here: the service says what is missing, in its own words.
    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ResultForm(forms.Form):
    """评审 (二(三)4): the title certificate number and date (通过, 破格认定) or the opinion (不通过)."""

    certificate_number = forms.CharField(label=_("职称证书编号"), max_length=50, required=False)
    certificate_date = forms.DateField(label=_("职称证书日期"), required=False, widget=DATE)
    opinion = forms.CharField(label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AppointForm(forms.Form):
    """初级: the employer's appointment (津人社局发〔2018〕31号)."""

    certificate_number = forms.CharField(label=_("聘任文件或证书编号"), max_length=50, required=False)
    certificate_date = forms.DateField(label=_("聘任日期"), required=False, widget=DATE)

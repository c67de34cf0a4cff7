"""Forms of supervision's public results and referrals (seed 001 第十九条第二款、第二十四条、第二十六条).
The rules are checked again in filings.supervision."""

from django import forms
from django.utils.translation import gettext_lazy as _

from ..constants import State
from ..constants_after import ReferralGround
from ..models import Filing
from .application import DATE


class PublishInspectionForm(forms.Form):
    measure = forms.CharField(
        label=_("处理措施"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("将与检查日期、机构名称、检查发现一并向社会公开；不得填写个人信息。"),
    )


class ReferralForm(forms.Form):
    ground = forms.ChoiceField(label=_("移交情形"), choices=ReferralGround.choices)
    filing = forms.ModelChoiceField(
        Filing.objects.none(),
        label=_("涉及评价机构"),
        required=False,
        help_text=_("评价机构涉嫌违法的必选；管理部门工作人员涉嫌违法的留空。"),
    )
    subject = forms.CharField(
        label=_("移交对象"),
        max_length=200,
        required=False,
        help_text=_("评价机构可留空（取机构名称）；工作人员写明姓名和单位。"),
    )
    authority = forms.CharField(label=_("接收部门"), max_length=200)
    facts = forms.CharField(label=_("移交事由"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    referred_on = forms.DateField(label=_("移交日期"), widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["filing"].queryset = (
            Filing.objects.exclude(state__in=[State.DRAFT])
            .only("pk", "name", "state", "version")
            .order_by("name")
        )
        self.fields["filing"].label_from_instance = lambda f: f.name


class ConcludeReferralForm(forms.Form):
    outcome = forms.CharField(label=_("处理结果"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    concluded_on = forms.DateField(label=_("反馈日期"), widget=DATE)


class PublicResultsForm(forms.Form):
    q = forms.CharField(label=_("机构名称或关键词"), max_length=100, required=False)

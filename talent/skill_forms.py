"""Forms of the skill application's pages (附件2 三, 四(二)): the 申请表 with the title certificate copy, and
the body's steps (accept onto a plan, return, reject)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.constants import State as FilingState
from portal.models import Institution

from .skill_models import SkillApplication
from .skills import FORM_FIELDS, open_plans

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class SkillApplicationForm(forms.ModelForm):
    """The 申请表's own fields and, optionally, the copy of the 专业技术职务任职资格证 (四(二)3)."""

    class Meta:
        model = SkillApplication
        fields = FORM_FIELDS
        widgets = {
            "title_obtained_on": DATE,
            "held_level_obtained_on": DATE,
            "engineering_field": forms.NullBooleanSelect,
            "skill_post": forms.NullBooleanSelect,
        }

    title_copy = forms.FileField(label=_("专业技术职务任职资格证复印件"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The institutions with a filing (the service checks the scope in force on submission).
        self.fields["institution"].queryset = (
            Institution.objects.filter(filings__state=FilingState.FILED).distinct().order_by("name")
        )
        self.fields["institution"].required = False


class AcceptForm(forms.Form):
    """受理: a 评价机构 chooses one of its own plans still taking candidates."""

    plan = forms.ModelChoiceField(label=_("认定方案"), queryset=None, required=False)
    comment = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, app=None, **kwargs):
        super().__init__(*args, **kwargs)
        from certification.models import AssessmentPlan

        plans = open_plans(app) if app is not None else []
        self.fields["plan"].queryset = AssessmentPlan.objects.filter(pk__in=[p.pk for p in plans])


class SkillReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))

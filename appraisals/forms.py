"""Forms of the enterprise 职业技能鉴定's pages: the 申请表 with its 实施方案 (the levels and candidate counts,
the proposed 考评员, the 三(一) evidence, the 调整试题 request) and the centre's and bureau's steps.

The fields are not required here where the service checks them: the service says what is missing, in
its own words (workflow._clean), and the page keeps what was typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from filings.forms import application as filings_forms
from portal.models import Occupation

from .constants import Level, QuestionSource
from .models import Appraisal
from .workflow import FORM_FIELDS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ASSESSOR_ROWS = 5  # blank rows offered for the proposed 考评员 (a blank row is ignored)


class AppraisalForm(forms.ModelForm):
    """The 申请表 and the 实施方案: the model's fields, one candidate count per level, the 考评员 rows and
    the evidence of 三(一)."""

    class Meta:
        model = Appraisal
        fields = FORM_FIELDS
        widgets = {
            "starts_on": DATE,
            "ends_on": DATE,
            "equipment": forms.Textarea(attrs={"rows": 2}),
            "adjustment_reason": forms.Textarea(attrs={"rows": 2}),
        }

    evidence = forms.FileField(label=_("企业类别证明材料（PDF、JPG 或 PNG）"), required=False)

    def __init__(self, *args, appraisal=None, **kwargs):
        if appraisal is not None:
            kwargs.setdefault("instance", appraisal)
            initial = kwargs.setdefault("initial", {})
            for row in appraisal.levels.all():
                initial[f"level_{row.level}"] = row.candidates
            for i, row in enumerate(appraisal.assessors.all()[:ASSESSOR_ROWS]):
                initial[f"assessor_{i}_name"] = row.name
                initial[f"assessor_{i}_id_number"] = row.id_number
                initial[f"assessor_{i}_certificate_number"] = row.certificate_number
        super().__init__(*args, **kwargs)
        self.fields["occupation"].queryset = Occupation.objects.filter(bureau_appraisal=True).order_by("code")
        for name in ("contact_name", "contact_phone", "category", "occupation", "starts_on", "ends_on"):
            self.fields[name].required = False
        self.fields["place"].required = False
        self.fields["equipment"].required = False
        for level, label in Level.choices:
            self.fields[f"level_{level}"] = forms.IntegerField(
                label=_("%(level)s 考生人数") % {"level": label}, required=False, min_value=0
            )
        for i in range(ASSESSOR_ROWS):
            self.fields[f"assessor_{i}_name"] = forms.CharField(label=_("考评员姓名"), required=False)
            self.fields[f"assessor_{i}_id_number"] = forms.CharField(label=_("身份证号码"), required=False)
            self.fields[f"assessor_{i}_certificate_number"] = forms.CharField(
                label=_("考评员证书编号"), required=False
            )

    def level_fields(self):
        return [self[f"level_{level}"] for level in Level.values]

    def assessor_rows(self):
        return [
            (
                self[f"assessor_{i}_name"],
                self[f"assessor_{i}_id_number"],
                self[f"assessor_{i}_certificate_number"],
            )
            for i in range(ASSESSOR_ROWS)
        ]

    def fields_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in FORM_FIELDS}

    def levels(self) -> dict:
        return {
            level: self.cleaned_data[f"level_{level}"]
            for level in Level.values
            if self.cleaned_data.get(f"level_{level}")
        }

    def assessors(self) -> list[tuple[str, str, str]]:
        rows = []
        for i in range(ASSESSOR_ROWS):
            row = tuple(
                (self.cleaned_data.get(f"assessor_{i}_{part}") or "").strip()
                for part in ("name", "id_number", "certificate_number")
            )
            if any(row):
                rows.append(row)
        return rows


class ReasonForm(forms.Form):
    """退回补正 or 不予通过, with the reason the enterprise reads."""

    reason = forms.CharField(label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FileForm(forms.Form):
    """审核通过, 入网备案 (四(一)): the record number is given on filing."""

    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AdjustmentForm(forms.Form):
    """答复调整试题 (三(一), 四(二))."""

    granted = forms.TypedChoiceField(
        label=_("答复"),
        choices=[("1", _("同意调整试题")), ("0", _("不同意调整试题"))],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label=_("答复意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class QuestionsForm(forms.Form):
    """考试命题 (四(二)): how the questions were produced."""

    source = forms.ChoiceField(
        label=_("试题来源"), choices=[("", "—"), *QuestionSource.choices], required=False
    )
    note = forms.CharField(label=_("命题说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DispatchForm(forms.Form):
    """考务安排 (四(三)): the bureau picks the quality supervisors or draws a number of them."""

    how = forms.ChoiceField(
        label=_("派遣方式"), choices=[("draw", _("随机抽取")), ("pick", _("指定"))], initial="draw"
    )
    count = forms.IntegerField(label=_("抽取人数"), required=False, min_value=1, initial=2)
    pick = forms.ModelMultipleChoiceField(
        label=_("指定的质量督导员"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, pool=None, **kwargs):
        super().__init__(*args, **kwargs)
        from .models import QualitySupervisor

        self.fields["pick"].queryset = pool if pool is not None else QualitySupervisor.objects.none()


# -- 四(四) 成绩认定 -----------------------------------------------------------------------------------


class CommentForm(forms.Form):
    """A step with nothing to type but an optional comment (成绩公示, 上报)."""

    comment = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ScoreForm(forms.Form):
    """One candidate's score of the viewer's exam; the service checks it (0-100, one decimal)."""

    score = forms.CharField(label=_("成绩"), required=False, max_length=10)


class ReviewResultForm(forms.Form):
    """The panel's result of one 综合评审 (四(五)); the service checks it with certification's rules."""

    thesis = forms.CharField(label=_("论文评分（高级技师）"), required=False, max_length=10)
    defence = forms.CharField(label=_("答辩评分（高级技师）"), required=False, max_length=10)
    performance = forms.CharField(label=_("业绩评定成绩"), required=False, max_length=10)
    passes = forms.IntegerField(label=_("评审通过票数"), min_value=0, max_value=99)


class ScoreSheetForm(forms.Form):
    sheet = forms.FileField(label=_("成绩单（XLSX 或 CSV）"))


class ObjectionForm(filings_forms.ObjectionForm):
    """The filing publicity's objection form (filings), without its attachment."""

    attachment = None


class ResolveObjectionForm(forms.Form):
    upheld = forms.TypedChoiceField(
        label=_("处理结果"),
        choices=[("0", _("异议不成立")), ("1", _("异议成立，退回更正成绩"))],
        coerce=lambda value: value == "1",
    )
    resolution = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 2}))

"""The self-check form (with repeatable certificate / title / diploma rows) and the roster upload form.
They turn input into the engine's Profile; the rules themselves live in annex1.py."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.cn import ric

from portal import identifiers
from portal.models import Occupation
from portal.uploads import validate_upload

from . import annex1
from . import constants as C
from .titles import TitleProfile

LEVEL_CHOICES = [(level, annex1.LEVEL_LABEL[level]) for level in (5, 4, 3, 2, 1)]
GRADE_CHOICES = [
    ("junior", _("初级职称（助理工程师等）")),
    ("intermediate", _("中级职称（工程师等）")),
    ("senior", _("高级职称（高级工程师等）")),
]
DIPLOMA_CHOICES = [(kind, annex1.DIPLOMA_LABEL[kind]) for kind in annex1.C.DIPLOMA_KINDS]
ROW_LIMIT = 10  # repeatable rows per kind on the self-check page


def _lazy(choices, blank=False):
    """Choice labels that are message ids of the engine, translated when rendered. Row selects start
    blank so that an untouched extra row stays empty (and is skipped)."""
    return ([("", "——")] if blank else []) + [(value, _(label)) for value, label in choices]


def _not_after_today(value, today):
    if value and value > today:
        raise ValidationError(_("日期不能晚于今天（%(today)s）。"), params={"today": today.isoformat()})


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def _control(css="form-control"):
    return {"class": css}


class _DatedForm(forms.Form):
    """A form of the self-check page: its dates may not be after ``today`` (the page's date)."""

    def __init__(self, *args, today=None, **kwargs):
        self.today = today
        super().__init__(*args, **kwargs)

    def _checked_date(self, name):
        value = self.cleaned_data[name]
        _not_after_today(value, self.today)
        return value


class SelfCheckForm(_DatedForm):
    occupation = forms.ModelChoiceField(
        label=_("申报职业"),
        queryset=Occupation.objects.only("code", "name").order_by("code"),
        empty_label=_("请选择职业"),
        # a search box above the long list (static/portal/select_filter.js, issue 29 item 11g)
        widget=forms.Select(attrs={**_control("form-select"), "data-type-ahead": ""}),
    )
    level = forms.TypedChoiceField(
        label=_("申报等级"),
        choices=_lazy(LEVEL_CHOICES),
        coerce=int,
        widget=forms.Select(attrs=_control("form-select")),
    )
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=DateInput(attrs=_control()))
    id_number = forms.CharField(
        label=_("或：身份证号码"),
        required=False,
        max_length=20,
        help_text=_("只用于读取出生日期，不会保存。"),
        widget=forms.TextInput(attrs={**_control(), "autocomplete": "off"}),
    )
    years_in_occupation = forms.DecimalField(
        label=_("累计从事本职业或相关职业工作年限"),
        required=False,
        min_value=0,
        max_value=80,
        decimal_places=2,
        initial=0,
        help_text=_("单位：年，可填小数（如 1.5）。"),
        widget=forms.NumberInput(attrs={**_control(), "step": "0.01"}),
    )
    intends_to_work = forms.BooleanField(
        label=_("拟从事本职业或相关职业工作"),
        required=False,
        widget=forms.CheckboxInput(attrs=_control("form-check-input")),
    )

    def clean_birth_date(self):
        return self._checked_date("birth_date")

    def clean_id_number(self):
        value = identifiers.normalize_id_number(self.cleaned_data["id_number"])
        if value:
            identifiers.validate_id_number(value)
            if ric.get_birth_date(value) > self.today:
                raise ValidationError(_("身份证号码中的出生日期晚于今天。"))
        return value

    def clean(self):
        data = super().clean()
        birth_date, id_number = data.get("birth_date"), data.get("id_number")
        if id_number and not self.has_error("id_number"):
            from_id = ric.get_birth_date(id_number)
            if birth_date and birth_date != from_id:
                self.add_error(
                    "birth_date", _("出生日期与身份证号码不一致（号码中为 %(date)s）。") % {"date": from_id}
                )
            data["birth_date"] = from_id
        if data.get("level") == 5 and not data.get("birth_date") and not self.errors:
            self.add_error(
                "birth_date", _("申报五级/初级工须填写出生日期或身份证号码（判断是否年满 16 周岁）。")
            )
        return data


class _EvidenceForm(_DatedForm):
    related = forms.BooleanField(
        label=_("本职业（专业）相关"),
        required=False,
        initial=True,
        widget=forms.CheckboxInput(attrs=_control("form-check-input")),
    )


class _HeldForm(_EvidenceForm):
    """A certificate or title row: obtained on a date, with the years worked since."""

    obtained_on = forms.DateField(label=_("取得日期"), widget=DateInput(attrs=_control()))
    years_worked_since = forms.DecimalField(
        label=_("其后工作年限"),
        required=False,
        min_value=0,
        max_value=80,
        decimal_places=2,
        help_text=_("取得后从事本职业或相关职业的年数；留空则按取得日期和累计年限计算。"),
        widget=forms.NumberInput(attrs={**_control(), "step": "0.01"}),
    )

    def clean_obtained_on(self):
        return self._checked_date("obtained_on")

    def held(self):
        """(obtained_on, years_worked_since, related): what annex1.Certificate and annex1.Title take after
        the level or grade."""
        d = self.cleaned_data
        return d["obtained_on"], _float(d.get("years_worked_since")), d["related"]


class CertificateForm(_HeldForm):
    level = forms.TypedChoiceField(
        label=_("证书等级"),
        choices=_lazy(LEVEL_CHOICES, blank=True),
        coerce=int,
        widget=forms.Select(attrs=_control("form-select")),
    )
    field_order = ["level", "obtained_on", "years_worked_since", "related"]

    def evidence(self):
        return annex1.Certificate(self.cleaned_data["level"], *self.held())


class TitleForm(_HeldForm):
    grade = forms.ChoiceField(
        label=_("职称等级"),
        choices=[("", "——"), *GRADE_CHOICES],
        widget=forms.Select(attrs=_control("form-select")),
    )
    field_order = ["grade", "obtained_on", "years_worked_since", "related"]

    def evidence(self):
        return annex1.Title(self.cleaned_data["grade"], *self.held())


class DiplomaForm(_EvidenceForm):
    kind = forms.ChoiceField(
        label=_("毕业院校类型"),
        choices=_lazy(DIPLOMA_CHOICES, blank=True),
        widget=forms.Select(attrs=_control("form-select")),
    )
    graduating = forms.BooleanField(
        label=_("在读应届毕业生"),
        required=False,
        widget=forms.CheckboxInput(attrs=_control("form-check-input")),
    )
    field_order = ["kind", "graduating", "related"]

    def evidence(self):
        d = self.cleaned_data
        return annex1.Diploma(d["kind"], d["graduating"], d["related"])


def _float(value):
    return None if value is None else float(value)


class _RowFormSet(forms.BaseFormSet):
    def evidence(self):
        return [form.evidence() for form in self.forms if form.has_changed() and form.cleaned_data]


def _formset(form):
    return forms.formset_factory(
        form, formset=_RowFormSet, extra=1, max_num=ROW_LIMIT, validate_max=True, absolute_max=ROW_LIMIT
    )


CertificateFormSet = _formset(CertificateForm)
TitleFormSet = _formset(TitleForm)
DiplomaFormSet = _formset(DiplomaForm)
FORMSETS = (
    ("certificates", CertificateFormSet, "cert"),
    ("titles", TitleFormSet, "title"),
    ("diplomas", DiplomaFormSet, "diploma"),
)


class RosterUploadForm(forms.Form):
    file = forms.FileField(
        label=_("名单文件"),
        help_text=_("XLSX 或 CSV（UTF-8 或 GB18030 编码），每行一名参评人员，表头见名单模板。"),
        widget=forms.ClearableFileInput(attrs={**_control(), "accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        self.kind = validate_upload(upload, allowed=("xlsx", "csv"))
        return upload


# ---------------------------------------------------------------------------------------------------------
# The title questions of the self-check page (《技能人才分类评价实施细则》 附件2, eligibility/titles.py)

TITLE_CHOICES = [("", "——")] + [(title, _(title)) for title in C.ENGINEER_TITLES]
COMPETITION_CHOICES = [("", "——")] + [(klass, _(klass)) for klass in C.COMPETITION_TOP]
APPRAISAL_CHOICES = [(n, str(n)) for n in range(C.TITLE_APPRAISAL_YEARS, -1, -1)]


class TitleCheckForm(_DatedForm):
    """Both questions of 附件2: which title a level opens, which level a title opens (prefix "t")."""

    level = forms.TypedChoiceField(
        label=_("最高技能等级"),
        choices=_lazy(LEVEL_CHOICES, blank=True),
        coerce=int,
        empty_value=None,
        required=False,
        widget=forms.Select(attrs=_control("form-select")),
    )
    level_obtained_on = forms.DateField(
        label=_("取得该等级的日期"), required=False, widget=DateInput(attrs=_control())
    )
    title = forms.ChoiceField(
        label=_("专业技术职称"),
        choices=TITLE_CHOICES,
        required=False,
        widget=forms.Select(attrs=_control("form-select")),
    )
    title_obtained_on = forms.DateField(
        label=_("取得该职称的日期"), required=False, widget=DateInput(attrs=_control())
    )
    appraisals_passed_last_3y = forms.TypedChoiceField(
        label=_("在现工作岗位上近3年年度考核合格次数"),
        choices=APPRAISAL_CHOICES,
        coerce=int,
        initial=C.TITLE_APPRAISAL_YEARS,
        widget=forms.Select(attrs=_control("form-select")),
    )
    on_current_post_since = forms.DateField(
        label=_("在现工作岗位的起始日期"), required=False, widget=DateInput(attrs=_control())
    )
    engineering_field = forms.BooleanField(
        label=_("在工程技术领域工作"),
        required=False,
        widget=forms.CheckboxInput(attrs=_control("form-check-input")),
    )
    frontline_skill_post = forms.BooleanField(
        label=_("在生产一线岗位从事技术技能工作"),
        required=False,
        widget=forms.CheckboxInput(attrs=_control("form-check-input")),
    )
    awards = forms.MultipleChoiceField(
        label=_("奖项或称号"),
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs=_control("form-check-input")),
    )
    competition_class = forms.ChoiceField(
        label=_("职业技能竞赛类别"),
        choices=COMPETITION_CHOICES,
        required=False,
        widget=forms.Select(attrs=_control("form-select")),
    )
    competition_rank = forms.IntegerField(
        label=_("竞赛名次"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs=_control()),
    )

    def __init__(self, *args, honours=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["awards"].choices = [(name, _(name)) for name in (*C.AWARDS, *honours)]

    def clean_level_obtained_on(self):
        return self._checked_date("level_obtained_on")

    def clean_title_obtained_on(self):
        return self._checked_date("title_obtained_on")

    def clean_on_current_post_since(self):
        return self._checked_date("on_current_post_since")

    def clean(self):
        data = super().clean()
        pairs = (
            ("level", "level_obtained_on", _("请填写取得该等级的日期。")),
            ("title", "title_obtained_on", _("请填写取得该职称的日期。")),
            ("competition_class", "competition_rank", _("请填写竞赛名次。")),
        )
        for first, second, message in pairs:
            if data.get(first) not in (None, "") and data.get(second) is None and not self.has_error(second):
                self.add_error(second, message)
        if data.get("competition_rank") is not None and not data.get("competition_class"):
            self.add_error("competition_class", _("请选择竞赛类别。"))
        return data

    def profile(self):
        """The TitleProfile of eligibility/titles.py (an unticked scope box = not said: staff confirm)."""
        d = self.cleaned_data
        return TitleProfile(
            level=d.get("level"),
            level_obtained_on=d.get("level_obtained_on") if d.get("level") else None,
            titles=[(d["title"], d["title_obtained_on"])] if d.get("title") else [],
            appraisals_passed_last_3y=d["appraisals_passed_last_3y"],
            on_current_post_since=d.get("on_current_post_since"),
            engineering_field=True if d.get("engineering_field") else None,
            frontline_skill_post=True if d.get("frontline_skill_post") else None,
            awards=list(d.get("awards") or ()),
            competitions=[(d["competition_class"], d["competition_rank"])]
            if d.get("competition_class")
            else [],
        )

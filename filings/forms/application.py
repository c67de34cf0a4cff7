"""Forms of the application (one form for the profile, formsets for the repeating sections) and of
the staff actions."""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseInlineFormSet, inlineformset_factory
from django.utils.translation import gettext_lazy as _

from portal import identifiers, roles
from portal.models import Occupation, User
from portal.uploads import validate_upload

from .. import constants
from ..constants import LEVEL_CHOICES, PersonRole
from ..models import Filing, FilingEquipment, FilingOccupation, FilingPerson, FilingSite, SchoolWorkPlan

# A date field's input: the browser's date picker reads (and shows an initial day only as) YYYY-MM-DD.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FilingForm(forms.ModelForm):
    class Meta:
        model = Filing
        fields = [
            "route",
            "kind",
            "group_branch",
            "name",
            "address",
            "registration_authority",
            "credit_code",
            "legal_representative",
            "legal_representative_title",
            "legal_representative_phone",
            "registered_capital",
            "contact_name",
            "contact_title",
            "contact_phone",
            "contact_email",
            "advantages",
            "school_profile",
            "site_description",
            "it_description",
            "pledge_accepted",
            "pledge_signatory",
        ]
        help_texts = {
            "credit_code": _("尚无统一社会信用代码的技工院校，可填写 9 位组织机构代码（如 12345678-9）。"),
        }
        widgets = {
            "advantages": forms.Textarea(attrs={"rows": 3}),
            "school_profile": forms.Textarea(attrs={"rows": 3}),
            "site_description": forms.Textarea(attrs={"rows": 3}),
            "it_description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_credit_code(self):
        return identifiers.normalize_institution_code(self.cleaned_data["credit_code"])

    def clean(self):
        data = super().clean()
        if data.get("pledge_accepted") and not data.get("pledge_signatory"):
            self.add_error("pledge_signatory", _("确认诚信承诺时请填写法定代表人姓名。"))
        return data


class CompactRowMixin:
    """Small Bootstrap inputs for the table rows of the formsets."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple | forms.CheckboxInput):
                continue
            css = (
                "form-select form-select-sm"
                if isinstance(widget, forms.Select)
                else "form-control form-control-sm"
            )
            widget.attrs["class"] = css


class OccupationRowForm(CompactRowMixin, forms.ModelForm):
    occupation = forms.ModelChoiceField(
        Occupation.objects.order_by("code"),
        label=_("职业"),
        error_messages={"required": _("请选择职业。")},
        widget=forms.Select(attrs={"data-type-ahead": ""}),  # static/portal/select_filter.js
    )
    level_choices = forms.TypedMultipleChoiceField(
        label=_("申请级别"),
        choices=LEVEL_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一个级别。")},
    )

    class Meta:
        model = FilingOccupation
        fields = [
            "occupation",
            "work_type",
            "level_choices",
            "start_date",
            "person_times",
            "is_new_occupation",
            "basis",
            "note",
        ]
        widgets = {"start_date": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["level_choices"] = sorted(self.instance.level_set)

    def save(self, commit=True):
        self.instance.levels = "".join(str(lv) for lv in sorted(self.cleaned_data["level_choices"]))
        return super().save(commit)


class PersonRowForm(CompactRowMixin, forms.ModelForm):
    class Meta:
        model = FilingPerson
        fields = ["name", "id_number", "employer", "title", "education", "field", "external"]

    def clean_id_number(self):
        return identifiers.normalize_id_number(self.cleaned_data["id_number"])


class EquipmentRowForm(CompactRowMixin, forms.ModelForm):
    class Meta:
        model = FilingEquipment
        fields = ["name", "brand", "model", "quantity", "ownership"]


class SiteRowForm(CompactRowMixin, forms.ModelForm):
    class Meta:
        model = FilingSite
        fields = ["name", "address", "rooms", "seats", "use"]


class PersonFormSet(BaseInlineFormSet):
    role = None

    def get_queryset(self):
        return super().get_queryset().filter(role=self.role)

    def save_new(self, form, commit=True):
        form.instance.role = self.role
        return super().save_new(form, commit)

    def clean(self):
        super().clean()
        seen = set()
        for form in self.forms:
            if not getattr(form, "cleaned_data", None) or form.cleaned_data.get("DELETE"):
                continue
            number = form.cleaned_data.get("id_number")
            if number in seen:
                raise ValidationError(
                    _("同一类人员中身份证号重复：%(n)s") % {"n": identifiers.mask_id_number(number)}
                )
            seen.add(number)


def person_formset(role):
    return type(
        f"{role.title()}FormSet",
        (PersonFormSet,),
        {"role": role},
    )


OccupationFormSet = inlineformset_factory(
    Filing, FilingOccupation, form=OccupationRowForm, extra=1, can_delete=True
)
EquipmentFormSet = inlineformset_factory(
    Filing, FilingEquipment, form=EquipmentRowForm, extra=1, can_delete=True
)


class OptionalRowsFormSet(BaseInlineFormSet):
    """Rows a POST may leave out altogether (a page or a client from before the section existed): without
    its management data the formset has no rows, and the saved ones stay as they are."""

    def __init__(self, data=None, *args, prefix=None, **kwargs):
        if data is not None and f"{prefix}-TOTAL_FORMS" not in data:
            data = data.copy()
            data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
        super().__init__(data, *args, prefix=prefix, **kwargs)


SiteFormSet = inlineformset_factory(
    Filing, FilingSite, form=SiteRowForm, formset=OptionalRowsFormSet, extra=1, can_delete=True
)
PERSON_FORMSETS = {
    role: inlineformset_factory(
        Filing, FilingPerson, form=PersonRowForm, formset=person_formset(role), extra=1, can_delete=True
    )
    for role in PersonRole.values
}


class SchoolWorkPlanForm(forms.ModelForm):
    """《技工院校职业技能等级认定工作方案》(辽人社〔2020〕32号 附件2), typed in the application of a 技工院校."""

    class Meta:
        model = SchoolWorkPlan
        fields = list(SchoolWorkPlan.PARTS)
        widgets = {name: forms.Textarea(attrs={"rows": 3}) for name in SchoolWorkPlan.PARTS}

    def __init__(self, *args, filing, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.filing = filing

    def save(self, commit=True):
        # Nothing typed and nothing kept: no row (an application that is not a school's).
        if self.instance.pk is None and not any(
            self.cleaned_data.get(n, "").strip() for n in SchoolWorkPlan.PARTS
        ):
            return self.instance
        return super().save(commit)


def application_forms(filing, data=None):
    """The profile form and every formset of the application, bound to ``data`` when given; the 技工院校's
    工作方案 form among them (``sets["work_plan"]``, a form, saved with them)."""
    plan = SchoolWorkPlan.objects.filter(filing=filing).first() or SchoolWorkPlan()
    sets = {
        "occupations": OccupationFormSet(data, instance=filing, prefix="occ"),
        "sites": SiteFormSet(data, instance=filing, prefix="site"),
        "equipment": EquipmentFormSet(data, instance=filing, prefix="eq"),
        "work_plan": SchoolWorkPlanForm(data, instance=plan, filing=filing, prefix="wp"),
    }
    for role, formset_class in PERSON_FORMSETS.items():
        sets[f"people_{role}"] = formset_class(data, instance=filing, prefix=f"p_{role}")
    return FilingForm(data, instance=filing, prefix="f"), sets


EXTENSION_KINDS = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png"}


def clean_attachment(upload):
    """Content-checked (PDF/JPG/PNG by their bytes, not their name), at most the configured size, and
    the name must not pretend to be another kind (a PNG named .pdf is refused: reviewers open files by
    their name)."""
    import os

    kind = validate_upload(upload, allowed=("pdf", "jpeg", "png"), max_bytes=constants.attachment_max_bytes())
    extension = os.path.splitext(upload.name or "")[1].lower()
    if EXTENSION_KINDS.get(extension) != kind:
        raise ValidationError(
            _("文件扩展名（%(ext)s）与文件内容（%(kind)s）不符，请上传真实的 PDF、JPG 或 PNG 文件。")
            % {"ext": extension or _("无"), "kind": kind.upper()},
            code="extension_mismatch",
        )
    return kind


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class StaffChoiceField(forms.ModelChoiceField):
    """Staff by their names, not their login names (issue 29 item 8)."""

    def label_from_instance(self, obj):
        return obj.display_name


class AssignForm(forms.Form):
    assignee = StaffChoiceField(User.objects.none(), label=_("经办人"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = (
            User.objects.filter(groups__name=roles.CENTRE, is_active=True)
            .select_related("institution")
            .order_by("username")
        )


class BulkForm(forms.Form):
    """The centre's action on the rows ticked in a queue (filings.views.application.queue_bulk). Passing the
    preliminary review and returning for correction are offered on the 待初审 tab only, where they apply."""

    ACTIONS = [
        ("assign", _("分配经办人")),
        ("start_evaluation", _("初审通过，进入专家评估")),
        ("return_for_correction", _("退回补正")),
    ]
    SUBMITTED_ONLY = ("start_evaluation", "return_for_correction")

    state = forms.CharField(widget=forms.HiddenInput)
    ids = forms.TypedMultipleChoiceField(
        coerce=int, label=_("选中的申请"), error_messages={"required": _("请先勾选要办理的申请。")}
    )
    action = forms.ChoiceField(label=_("批量操作"), choices=ACTIONS)
    assignee = StaffChoiceField(User.objects.none(), label=_("经办人"), required=False)
    comment = forms.CharField(label=_("意见（退回补正时必填）"), required=False, max_length=2000)

    def __init__(self, *args, state=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].initial = state
        if state != constants.State.SUBMITTED:
            self.fields["action"].choices = [a for a in self.ACTIONS if a[0] not in self.SUBMITTED_ONLY]
        self.fields["assignee"].queryset = AssignForm().fields["assignee"].queryset
        # any number typed: the rows are read again and each step checks its filing
        self.fields["ids"].choices = (
            [(v, v) for v in self.data.getlist("ids")] if hasattr(self.data, "getlist") else []
        )

    def clean_ids(self):
        from portal.bulk import BULK_MAX_ITEMS

        ids = self.cleaned_data["ids"]
        if len(ids) > BULK_MAX_ITEMS:
            raise ValidationError(_("一次最多办理 %(n)s 件。") % {"n": BULK_MAX_ITEMS})
        return ids

    def clean(self):
        data = super().clean()
        if data.get("action") == "return_for_correction" and not (data.get("comment") or "").strip():
            self.add_error("comment", _("退回补正时必须填写需要补正的内容。"))
        return data

    def action_label(self) -> str:
        return str(dict(self.ACTIONS)[self.cleaned_data["action"]])


class RecordForm(forms.Form):
    city_code = forms.RegexField(
        r"^(0[1-9]|[1-9]\d)$",
        label=_("市/区代码（2 位）"),
        initial=constants.default_city_code,
        error_messages={"invalid": _("市/区代码应为 01-99 的两位数字。")},
    )
    institution_type = forms.TypedChoiceField(
        label=_("机构类型（1 位）"), choices=constants.InstitutionType.choices, coerce=int
    )
    route_code = forms.RegexField(
        r"^\d{4}$",
        label=_("备案途径代码"),
        initial=constants.PROVINCE_ROUTE_CODE,
        help_text=_("先行向省级备案的为 0000；部级赋码的填写 0001-9999。"),
        error_messages={"invalid": _("备案途径代码应为 4 位数字。")},
    )
    ministry_report = forms.CharField(label=_("向部鉴定中心报备情况"), max_length=300, required=False)


class PublicationForm(forms.Form):
    """seed 001 第十条(五): the report to the ministry centre and the day its 公示查询系统 published the
    institution (the step before the 准予备案通知)."""

    published_on = forms.DateField(
        label=_("部公示查询系统公布日期"),
        widget=DATE,
        error_messages={"required": _("请填写部评价机构公示查询系统公布日期。")},
    )
    ministry_report = forms.CharField(label=_("向部鉴定中心报备情况"), max_length=300, required=False)


def score_input() -> forms.NumberInput:
    """A score input that shows its range 0..MAX_SCORE (issue 29 item 10); min/max come from the field."""
    return forms.NumberInput(attrs={"placeholder": f"0-{constants.MAX_SCORE}"})


def _score(label):
    return forms.IntegerField(label=label, min_value=0, max_value=constants.MAX_SCORE, widget=score_input())


class ScoreForm(forms.Form):
    material = _score(_("材料审核得分"))
    onsite = _score(_("现场考察得分"))
    qa = _score(_("质询答辩得分"))
    opinion = forms.CharField(label=_("专家意见"), widget=forms.Textarea(attrs={"rows": 4}))
    recommend = forms.TypedChoiceField(
        label=_("评估结论"),
        choices=[("1", _("建议通过")), ("0", _("建议不通过"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )

    @classmethod
    def for_review(cls, review, data=None) -> "ScoreForm":
        """The form of an expert's review (filing or change): a submitted review shows its scores."""
        initial = {}
        if review.submitted_at:
            initial = {
                "material": review.material_score,
                "onsite": review.onsite_score,
                "qa": review.qa_score,
                "opinion": review.opinion,
                "recommend": "1" if review.recommend else "0",
            }
        return cls(data, initial=initial)

    def scores(self) -> dict:
        """The keyword arguments of workflow.score and after_filing.score_change."""
        return {
            name: self.cleaned_data[name] for name in ("material", "onsite", "qa", "opinion", "recommend")
        }


class ObjectionForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    contact = forms.CharField(label=_("联系方式"), max_length=100)
    text = forms.CharField(label=_("异议内容"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000)
    attachment = forms.FileField(label=_("附件（可选，PDF/JPG/PNG）"), required=False)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.attachment_kind = clean_attachment(upload)
        return upload


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("名称或信用代码"), required=False)
    kind = forms.ChoiceField(
        label=_("机构性质"), choices=[("", _("全部"))] + constants.Kind.choices, required=False
    )
    route = forms.ChoiceField(
        label=_("类型"), choices=[("", _("全部"))] + constants.Route.choices, required=False
    )
    # Typed, matched like the public directory's (code prefix, or part of a name or work type): a
    # <select> of every occupation cost more to render than the rest of the page.
    occupation = forms.CharField(label=_("职业"), required=False, max_length=100)
    # The 2-digit city/district part of the institution sequence (seed 004 附件5 四): the bureau's dashboard.
    district = forms.RegexField(label=_("区划代码"), regex=r"^\d{2}$", required=False, max_length=2)
    overdue = forms.BooleanField(label=_("仅显示超期"), required=False)
    # The dashboard's figures (issue 37) link here: due today, or within 2 working days (not overdue).
    due = forms.ChoiceField(
        label=_("期限"),
        choices=[("", _("全部")), ("today", _("今日到期")), ("soon", _("2个工作日内到期"))],
        required=False,
    )
    mine = forms.BooleanField(label=_("仅显示我经办的"), required=False)
    sort = forms.ChoiceField(
        label=_("排序"),
        choices=[("due", _("按期限")), ("-submitted", _("按提交时间（新到旧）")), ("name", _("按名称"))],
        required=False,
    )

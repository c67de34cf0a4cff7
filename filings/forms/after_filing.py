"""Forms of life after filing (Filings II). Validation messages in Chinese; the business rules
themselves are checked again in filings.after_filing / complaints / supervision."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from portal.identifiers import validate_id_number
from portal.models import Occupation
from portal.notices import cite
from portal.uploads import validate_upload

from .. import constants_after
from ..constants import LEVEL_CHOICES, MAX_SCORE, Kind, Ownership, PersonRole, Route
from ..constants_after import (
    ChangeAction,
    ChangeKind,
    ComplaintOutcome,
    InspectionKind,
    InspectionMethod,
    SanctionKind,
)
from ..models import ChangeSite, Filing, FilingEquipment, FilingOccupation, FilingPerson, FilingSite
from .application import DATE, score_input

LEVEL_FIELD_CHOICES = [(str(v), label) for v, label in LEVEL_CHOICES]


# The fields of each change kind; the form of one kind has only its own (issue 29 item 10).
KIND_FIELDS = {
    ChangeKind.PERSONNEL: (
        "person_role",
        "person_name",
        "person_id_number",
        "person_employer",
        "person_title",
        "person_education",
        "person_field",
        "removed_person",
    ),
    ChangeKind.SITE: ("removed_sites", "site_description"),
    ChangeKind.EQUIPMENT: (
        "equipment_name",
        "equipment_brand",
        "equipment_model",
        "equipment_quantity",
        "equipment_ownership",
        "removed_equipment",
    ),
    ChangeKind.SCOPE: ("occupation", "work_type", "removed_occupation", "levels"),
}
# The kinds that add or remove (a site change lists its added sites and picks the removed ones at once). A scope change adds or removes occupations or
# levels (seed 001 第十一条; only an addition is evaluated again).
KINDS_WITH_ACTION = frozenset({ChangeKind.PERSONNEL, ChangeKind.EQUIPMENT, ChangeKind.SCOPE})


class ChangeRequestForm(forms.Form):
    """One change. Given ``kind`` (the page's ?kind= or the posted kind), the form has that kind's fields
    only and accepts only that kind; without it, it has every field (the page then asks for the kind)."""

    kind = forms.ChoiceField(label=_("变更类型"), choices=ChangeKind.choices)
    action = forms.ChoiceField(label=_("增减"), choices=ChangeAction.choices, initial=ChangeAction.ADD)
    reason = forms.CharField(label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    person_role = forms.ChoiceField(
        label=_("人员类别"), choices=[("", "—")] + PersonRole.choices, required=False
    )
    person_name = forms.CharField(label=_("姓名"), max_length=50, required=False)
    person_id_number = forms.CharField(label=_("身份证号"), max_length=18, required=False)
    person_employer = forms.CharField(label=_("所在单位"), max_length=200, required=False)
    person_title = forms.CharField(label=_("职务/职称/技能等级"), max_length=100, required=False)
    person_education = forms.CharField(label=_("学历"), max_length=30, required=False)
    person_field = forms.CharField(label=_("专业方向/考评领域/主要职责"), max_length=200, required=False)
    removed_person = forms.ModelChoiceField(
        FilingPerson.objects.none(), label=_("减少的人员"), required=False
    )
    removed_sites = forms.ModelMultipleChoiceField(
        FilingSite.objects.none(),
        label=_("减少的考试场地"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    site_description = forms.CharField(
        label=_("变更后的场地情况（说明，选填）"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    equipment_name = forms.CharField(label=_("设备名称"), max_length=100, required=False)
    equipment_brand = forms.CharField(label=_("品牌"), max_length=100, required=False)
    equipment_model = forms.CharField(label=_("规格/型号"), max_length=100, required=False)
    equipment_quantity = forms.IntegerField(label=_("数量"), min_value=1, required=False)
    equipment_ownership = forms.ChoiceField(
        label=_("所有权归属"), choices=[("", "—")] + Ownership.choices, required=False
    )
    removed_equipment = forms.ModelChoiceField(
        FilingEquipment.objects.none(), label=_("减少的设备"), required=False
    )
    occupation = forms.ModelChoiceField(
        Occupation.objects.filter(access_type=False).order_by("code"), label=_("增加的职业"), required=False
    )
    work_type = forms.CharField(label=_("工种"), max_length=100, required=False)
    removed_occupation = forms.ModelChoiceField(
        FilingOccupation.objects.none(), label=_("减少的职业（工种）"), required=False
    )
    levels = forms.MultipleChoiceField(
        label=_("增加或减少的级别"),
        choices=LEVEL_FIELD_CHOICES,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, filing: Filing, kind: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.filing = filing
        self.chosen_kind = kind if kind in ChangeKind.values else None
        self.fields["removed_person"].queryset = filing.people.order_by("role", "id")
        self.fields["removed_person"].label_from_instance = lambda p: f"{p.get_role_display()} {p.name}"
        self.fields["removed_equipment"].queryset = filing.equipment.order_by("id")
        self.fields["removed_sites"].queryset = filing.sites.order_by("id")
        self.fields["removed_occupation"].queryset = filing.occupations.select_related("occupation").order_by(
            "occupation__code", "work_type"
        )
        self.fields["removed_occupation"].label_from_instance = lambda r: " · ".join(
            part
            for part in (f"{r.occupation.code} {r.occupation.name}", r.work_type, r.levels_display)
            if part
        )
        if self.chosen_kind:
            kind = ChangeKind(self.chosen_kind)
            for other, names in KIND_FIELDS.items():
                if other != kind:
                    for name in names:
                        del self.fields[name]
            self.fields["kind"].choices = [(kind.value, kind.label)]
            self.fields["kind"].initial = kind.value
            self.fields["kind"].widget = forms.HiddenInput()
            if kind not in KINDS_WITH_ACTION:
                del self.fields["action"]  # clean() records an addition

    @property
    def has_action(self) -> bool:
        return "action" in self.fields

    def clean(self):
        data = super().clean()
        if not self.has_action:
            data["action"] = ChangeAction.ADD
        kind, action = data.get("kind"), data.get("action")
        if kind == ChangeKind.PERSONNEL and action == ChangeAction.ADD:
            for name, message in (
                ("person_role", _("请选择人员类别。")),
                ("person_name", _("请填写人员姓名。")),
                ("person_id_number", _("请填写身份证号。")),
            ):
                if not data.get(name):
                    self.add_error(name, message)
            if data.get("person_id_number"):
                try:
                    validate_id_number(data["person_id_number"].strip().upper())
                except forms.ValidationError:
                    self.add_error("person_id_number", _("身份证号码无效，请核对（18 位，末位为校验码）。"))
        if kind == ChangeKind.PERSONNEL and action == ChangeAction.REMOVE and not data.get("removed_person"):
            self.add_error("removed_person", _("请选择要减少的人员。"))
        # a site change: added sites (SiteChangeFormSet), removed ones or a note; the view checks the three
        if kind == ChangeKind.EQUIPMENT and action == ChangeAction.ADD:
            if not data.get("equipment_name"):
                self.add_error("equipment_name", _("请填写设备名称。"))
            if not data.get("equipment_quantity"):
                self.add_error("equipment_quantity", _("请填写设备数量。"))
        if (
            kind == ChangeKind.EQUIPMENT
            and action == ChangeAction.REMOVE
            and not data.get("removed_equipment")
        ):
            self.add_error("removed_equipment", _("请选择要减少的设备。"))
        if kind == ChangeKind.SCOPE and action == ChangeAction.REMOVE:
            if not data.get("removed_occupation"):
                self.add_error("removed_occupation", _("请选择要减少的职业（工种）。"))
            if not data.get("levels"):
                self.add_error("levels", _("请选择要减少的级别。"))
        elif kind == ChangeKind.SCOPE:
            if not data.get("occupation"):
                self.add_error("occupation", _("请选择要增加的职业。"))
            if not data.get("levels"):
                self.add_error("levels", _("请选择要增加的级别。"))
        return data

    def change_fields(self) -> dict:
        """The ChangeRequest fields of the chosen kind (others stay empty)."""
        data = dict(self.cleaned_data)
        kind = data["kind"]
        out = {"action": data["action"]}
        if kind == ChangeKind.PERSONNEL:
            keys = ["person_role", "person_name", "person_id_number", "person_employer", "person_title"]
            keys += ["person_education", "person_field", "removed_person"]
        elif kind == ChangeKind.SITE:
            keys = ["site_description"]
            out["removed_sites"] = list(data.get("removed_sites") or [])
        elif kind == ChangeKind.EQUIPMENT:
            keys = ["equipment_name", "equipment_brand", "equipment_model", "equipment_quantity"]
            keys += ["equipment_ownership", "removed_equipment"]
        elif data["action"] == ChangeAction.REMOVE:
            # A removal names a filed row: the change keeps its occupation and work type (the row itself
            # goes once every level is removed).
            keys = []
            row = data.get("removed_occupation")
            out["occupation"] = row.occupation if row else None
            out["work_type"] = row.work_type if row else ""
            out["levels"] = "".join(sorted(data.get("levels") or []))
        else:
            keys = ["occupation", "work_type"]
            out["levels"] = "".join(sorted(data.get("levels") or []))
        for key in keys:
            out[key] = data.get(key) if data.get(key) is not None else ""
        for key in ("removed_person", "removed_equipment", "occupation", "equipment_quantity"):
            if key in out and out[key] == "":
                out[key] = None
        return out


class PersonRowForm(forms.Form):
    """One further person of a personnel addition (a row of MorePeopleFormSet); a blank row is skipped."""

    role = forms.ChoiceField(label=_("人员类别"), choices=[("", "—")] + PersonRole.choices)
    name = forms.CharField(label=_("姓名"), max_length=50)
    id_number = forms.CharField(label=_("身份证号"), max_length=18)
    employer = forms.CharField(label=_("所在单位"), max_length=200, required=False)
    title = forms.CharField(label=_("职务/职称/技能等级"), max_length=100, required=False)
    education = forms.CharField(label=_("学历"), max_length=30, required=False)
    field = forms.CharField(label=_("专业方向/考评领域/主要职责"), max_length=200, required=False)

    def clean_id_number(self):
        value = self.cleaned_data["id_number"].strip().upper()
        try:
            validate_id_number(value)
        except forms.ValidationError:
            raise forms.ValidationError(_("身份证号码无效，请核对（18 位，末位为校验码）。")) from None
        return value


class RowsFormSet(forms.BaseFormSet):
    """Blank rows offered on a change page, filled or left blank (a blank row is skipped)."""

    def filled_rows(self) -> list[dict]:
        """The filled rows, as dicts for filings.after_filing.request_change (more_people=, added_sites=)."""
        return [dict(f.cleaned_data) for f in self.forms if f.cleaned_data]


class BaseMorePeopleFormSet(RowsFormSet):
    def clean(self):
        if any(self.errors):
            return
        seen = set()
        for form in self.forms:
            number = form.cleaned_data.get("id_number")
            if not number:
                continue
            if number in seen:
                form.add_error("id_number", _("同一身份证号在本次变更中重复填写。"))
            seen.add(number)


# The further people of one personnel addition: MORE_PEOPLE_ROWS blank rows, filled or left blank.
MORE_PEOPLE_ROWS = 4
MorePeopleFormSet = forms.formset_factory(
    PersonRowForm, formset=BaseMorePeopleFormSet, extra=MORE_PEOPLE_ROWS, max_num=20, validate_max=True
)


def more_people_formset(data=None) -> BaseMorePeopleFormSet:
    return MorePeopleFormSet(data, prefix="more")


class SiteRowForm(forms.ModelForm):
    """One exam site a site change adds (a row of SiteChangeFormSet, the fields of FilingSite); a blank
    row is skipped."""

    class Meta:
        model = ChangeSite
        fields = ["name", "address", "rooms", "seats", "use"]


# The sites one site change adds: SITE_ROWS blank rows, filled or left blank.
SITE_ROWS = 3
SiteChangeFormSet = forms.formset_factory(
    SiteRowForm, formset=RowsFormSet, extra=SITE_ROWS, max_num=20, validate_max=True
)


def site_change_formset(data=None) -> RowsFormSet:
    return SiteChangeFormSet(data, prefix="addsite")


class DecisionForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class EvaluationForm(forms.Form):
    score = forms.DecimalField(
        label=_("专家评估得分"),
        min_value=0,
        max_value=MAX_SCORE,
        decimal_places=2,
        widget=score_input(),
        required=False,
        help_text=_("专家已在门户评分的，取专家平均分，此处无需填写。"),
    )
    opinion = forms.CharField(label=_("评估意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    recommend = forms.TypedChoiceField(
        label=_("评估结论"),
        choices=[("1", _("评估合格")), ("0", _("评估不合格"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class RenewalForm(forms.Form):
    summary = forms.CharField(
        label=_("备案期内工作情况"),
        help_text=format_lazy(
            _("开展认定的职业、等级、人次，质量管控和接受监督情况等（{ref}）。"),
            ref=cite("seed 001 第十二条"),
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=5000,
    )


class RenewalDecisionForm(forms.Form):
    score = forms.DecimalField(
        label=_("综合评估得分"),
        min_value=0,
        max_value=MAX_SCORE,
        decimal_places=2,
        required=False,
        widget=score_input(),
    )
    comment = forms.CharField(
        label=_("综合评估意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    decision = forms.ChoiceField(
        label=_("结论"), choices=[("approve", _("评估合格，准予续期")), ("refuse", _("评估不合格，不予续期"))]
    )


class TerminationForm(forms.Form):
    reason = forms.CharField(label=_("终止理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    follow_up = forms.CharField(
        label=_("后续工作安排"),
        help_text=format_lazy(
            _("已报名考生、证书发放和档案移交等安排（{ref}）。"), ref=cite("seed 001 第二十五条")
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
    )
    confirm = forms.BooleanField(label=_("确认申请自愿终止评价工作，注销备案"))


class SanctionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("处理方式"),
        choices=[(k, label) for k, label in SanctionKind.choices if k != SanctionKind.REVOCATION],
    )
    reason = forms.CharField(label=_("事实与理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    deadline = forms.DateField(
        label=_("整改期限"),
        required=False,
        widget=DATE,
        help_text=_("限期整改必填"),
    )
    is_public = forms.BooleanField(label=_("向社会公开"), required=False, initial=True)

    def clean(self):
        data = super().clean()
        if data.get("kind") == SanctionKind.RECTIFICATION and not data.get("deadline"):
            self.add_error("deadline", _("限期整改必须填写整改期限。"))
        return data


class RevocationForm(forms.Form):
    reason = forms.CharField(label=_("撤销理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    confirm = forms.BooleanField(label=_("确认撤销备案并将该机构纳入黑名单"))


class BlacklistLiftForm(forms.Form):
    """The bureau's decision to lift a blacklist entry; the reason is checked by
    filings.after_filing.lift_blacklist (one message, in the service's words)."""

    reason = forms.CharField(
        label=_("移出理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        required=False,
        help_text=_("写明依据和理由，例如复核后撤销原决定、行政复议或诉讼结果。"),
    )
    confirm = forms.BooleanField(label=_("确认将该机构移出黑名单（其统一社会信用代码可重新注册和申请备案）"))


class RectificationForm(forms.Form):
    report = forms.CharField(label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


class ComplaintForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    contact = forms.CharField(
        label=_("联系方式"), max_length=100, help_text=_("电话或电子邮箱，仅用于核实和反馈。")
    )
    filing = forms.ModelChoiceField(
        Filing.objects.none(), label=_("被投诉的评价机构"), required=False, empty_label=_("（从目录中选择）")
    )
    institution_name = forms.CharField(
        label=_("机构名称"), max_length=200, required=False, help_text=_("目录中找不到时填写。")
    )
    text = forms.CharField(label=_("投诉举报内容"), widget=forms.Textarea(attrs={"rows": 6}), max_length=5000)
    attachment = forms.FileField(label=_("附件（可选，PDF/JPG/PNG）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ..constants import State

        self.fields["filing"].queryset = (
            Filing.objects.filter(state=State.FILED).only("pk", "name", "state", "version").order_by("name")
        )
        self.fields["filing"].label_from_instance = lambda f: f.name
        self.attachment_kind = ""

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            self.attachment_kind = validate_upload(
                upload,
                allowed=("pdf", "jpeg", "png"),
                max_bytes=constants_after.complaint_attachment_max_bytes(),
            )
        return upload

    def clean(self):
        data = super().clean()
        if not data.get("filing") and not (data.get("institution_name") or "").strip():
            self.add_error("institution_name", _("请选择或填写被投诉的评价机构。"))
        return data


class ComplaintCloseForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结果"), choices=ComplaintOutcome.choices)
    outcome_text = forms.CharField(
        label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )
    sanction_kind = forms.ChoiceField(
        label=_("同时作出处理措施"),
        choices=[("", _("不作处理"))]
        + [(k, label) for k, label in SanctionKind.choices if k != SanctionKind.REVOCATION],
        required=False,
    )
    deadline = forms.DateField(label=_("整改期限"), required=False, widget=DATE)


class InspectionForm(forms.Form):
    filing = forms.ModelChoiceField(Filing.objects.none(), label=_("评价机构"))
    kind = forms.ChoiceField(label=_("督导类型"), choices=InspectionKind.choices)
    method = forms.ChoiceField(label=_("检查方式"), choices=InspectionMethod.choices)
    inspected_on = forms.DateField(label=_("检查日期"), widget=DATE)
    inspectors = forms.CharField(label=_("检查人员"), max_length=200)
    findings = forms.CharField(label=_("检查发现"), widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from ..constants import State

        self.fields["filing"].queryset = (
            Filing.objects.filter(state=State.FILED).only("pk", "name", "state", "version").order_by("name")
        )
        self.fields["filing"].label_from_instance = lambda f: f.name


class DrawForm(forms.Form):
    period_start = forms.DateField(label=_("检查期间起"), widget=DATE)
    period_end = forms.DateField(label=_("检查期间止"), widget=DATE)
    n_institutions = forms.IntegerField(
        label=_("抽取机构数"), min_value=1, max_value=100, initial=constants_after.DRAW_DEFAULT_INSTITUTIONS
    )
    n_inspectors = forms.IntegerField(
        label=_("抽取检查人员数"), min_value=1, max_value=20, initial=constants_after.DRAW_DEFAULT_INSPECTORS
    )
    seed = forms.CharField(label=_("随机种子（留空自动生成）"), max_length=64, required=False)

    def clean(self):
        data = super().clean()
        if data.get("period_start") and data.get("period_end") and data["period_end"] < data["period_start"]:
            self.add_error("period_end", _("检查期间的结束日期不能早于开始日期。"))
        return data


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(label=_("机构名称或备案号"), required=False, max_length=100)
    occupation = forms.CharField(label=_("职业（名称或编码）"), required=False, max_length=100)
    level = forms.TypedChoiceField(
        label=_("等级"),
        choices=[("", _("全部"))] + LEVEL_FIELD_CHOICES,
        required=False,
        coerce=int,
        empty_value=None,
    )
    kind = forms.ChoiceField(label=_("机构性质"), choices=[("", _("全部"))] + Kind.choices, required=False)
    route = forms.ChoiceField(label=_("类别"), choices=[("", _("全部"))] + Route.choices, required=False)

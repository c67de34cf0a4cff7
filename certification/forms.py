"""Forms of the certification pages: validation with clear Chinese messages; business rules stay in
rules.py / workflow.py."""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.identifiers import mask_id_number
from portal.models import Institution, Occupation

from . import rules, session_checks
from .constants import MAX_SCORE, Level, Method, OtherResult, StaffRole, State
from .models import AssessmentPlan, ExamSession

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _score(label, required=False):
    """A score out of 100 with one decimal, as every certification sheet records it. The input carries
    min/max/step and shows its range (issue 29 item 10)."""
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=0,
        max_value=MAX_SCORE,
        decimal_places=1,  # step 0.1 (constants.SCORE_STEP)
        widget=forms.NumberInput(attrs={"placeholder": f"0-{MAX_SCORE}"}),
    )


def _clock_filter():
    """The 时限 filter of the lists with a running clock."""
    return forms.ChoiceField(
        label=_("时限"),
        required=False,
        choices=[
            ("", _("全部")),
            ("overdue", _("已超期")),
            ("today", _("今日到期")),
            ("due_soon", _("即将到期")),
        ],
    )


class PlanForm(forms.ModelForm):
    levels = forms.TypedMultipleChoiceField(
        label=_("等级"), choices=Level.choices, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    methods = forms.MultipleChoiceField(
        label=_("评价方式"), choices=Method.choices, widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = AssessmentPlan
        fields = [
            "title",
            "occupation",
            "work_type",
            "levels",
            "methods",
            "site",
            "rooms",
            "on_site",
            "start_date",
            "end_date",
        ]
        widgets = {"start_date": DATE, "end_date": DATE}

    def __init__(self, *args, scope=frozenset(), route=None, kind=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.scope = set(scope)
        self.route, self.kind = route, kind
        codes = {code for code, _level in self.scope}
        self.fields["occupation"].queryset = Occupation.objects.filter(code__in=codes)
        self.fields["occupation"].help_text = _("只能选择本机构备案的职业。")
        self.fields["occupation"].widget.attrs["data-type-ahead"] = ""  # static/portal/select_filter.js
        if route:
            allowed = rules.allowed_methods(route, kind)
            self.fields["methods"].choices = [(v, label) for v, label in Method.choices if v in allowed]

    def clean(self):
        data = super().clean()
        occupation, levels = data.get("occupation"), data.get("levels")
        if occupation and levels:
            for problem in rules.scope_refusals(occupation.code, levels, self.scope, occupation.name):
                self.add_error("levels", problem)
        if data.get("start_date") and data.get("end_date") and data["end_date"] < data["start_date"]:
            self.add_error("end_date", _("结束日期不能早于开始日期。"))
        if data.get("work_type") and occupation and occupation.work_type_list:
            if data["work_type"] not in occupation.work_type_list:
                self.add_error("work_type", _("该工种不属于所选职业。"))
        return data


class UploadForm(forms.Form):
    file = forms.FileField(label=_("文件（XLSX 或 CSV）"))


SMALL_DATE = forms.DateInput(
    attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
)


class UploadedForm(forms.Form):
    """The centre's record of the upload to the ministry centre and of the publication on its site (seed
    001 第十六条(三)(四)); the dates are checked by workflow.upload_refusals."""

    uploaded_on = forms.DateField(label=_("上传部鉴定中心日期"), widget=SMALL_DATE)
    published_on = forms.DateField(label=_("部鉴定中心网站公布日期"), widget=SMALL_DATE)
    note = forms.CharField(
        label=_("公布信息说明（可选）"),
        required=False,
        max_length=300,
        help_text=_("例如部鉴定中心网站上的公布批次、查询结果或网址"),
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )


class StaffForm(forms.Form):
    role = forms.ChoiceField(label=_("角色"), choices=StaffRole.choices)
    person = forms.ChoiceField(label=_("备案人员"))

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(p.id_number, f"{p.name}（{label}）") for p, label in people]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=_("意见"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )


class ScoreForm(forms.Form):
    theory_score = _score(_("理论知识成绩"))
    practical_score = _score(_("技能操作成绩"))
    other_result = forms.ChoiceField(
        label=_("其他方式评价结果"), required=False, choices=[("", "——"), *OtherResult.choices]
    )
    other_note = forms.CharField(label=_("评价说明"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("other_result") and not data.get("other_note"):
            self.add_error("other_note", _("填写其他方式结果时请写明评价依据。"))
        return data


class ReviewForm(forms.Form):
    thesis = _score(_("论文成绩（占40%）"))
    defence = _score(_("答辩成绩（占60%）"))
    questions = forms.CharField(
        label=_("答辩问题（每行一个，4-6 个）"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    performance = _score(_("业绩评定成绩"), required=True)

    def __init__(self, *args, panelists=(), senior=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not senior:
            for name in ("thesis", "defence", "questions"):
                del self.fields[name]
        self.tick_fields = []
        for p in panelists:
            name = f"tick_{p.expert_id}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("专家 %(name)s 勾选") % {"name": p.expert.display_name},
                choices=[("", "——"), ("1", _("通过")), ("0", _("不通过"))],
                coerce=lambda v: v == "1",
                required=p.tick is None,
                empty_value=None,
                initial="" if p.tick is None else ("1" if p.tick else "0"),
                help_text=_("专家已在门户勾选") if p.tick is not None else "",
            )
            self.tick_fields.append((p.expert_id, name))

    def ticks(self):
        return {pk: self.cleaned_data[name] for pk, name in self.tick_fields}


class PlanFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False)
    state = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *State.choices])
    clock = _clock_filter()
    # The institution's deadlines (its dashboard, issue 37): the plans still to submit (the clock of
    # 实施前5个工作日报送, on the start date) or whose results it must report (结束后5个工作日内).
    step = forms.ChoiceField(
        label=_("本单位时限"),
        required=False,
        choices=[("", _("全部")), ("submit", _("待报送方案")), ("report", _("待上报结果"))],
    )


class MaterialsForm(forms.Form):
    """The day the centre received a candidate's comprehensive review materials (seed 002 五(一))."""

    received_on = forms.DateField(
        label=_("材料收到日期"),
        widget=DATE,
        error_messages={"required": _("请填写材料收到日期。"), "invalid": _("日期格式应为 YYYY-MM-DD。")},
    )


class ReviewQueueFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索（考生、机构、方案）"), required=False)
    clock = _clock_filter()


class SummaryForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("评价机构"), queryset=Institution.objects.all(), required=False
    )
    month = forms.CharField(
        label=_("月份"),
        required=False,
        widget=forms.DateInput(attrs={"type": "month"}),
        help_text=_("例如 2026-06；空白为全部"),
    )

    def clean_month(self):
        import datetime

        value = self.cleaned_data.get("month")
        if not value:
            return None
        try:
            return datetime.datetime.strptime(value, "%Y-%m").date()
        except ValueError:
            raise forms.ValidationError(_("月份格式应为 YYYY-MM。")) from None


class MonthlySummaryForm(forms.Form):
    """seed 004 附件7: 填报人 and the date written on the table (填报单位 is the user's institution)."""

    reporter = forms.CharField(
        label=_("填报人"),
        max_length=50,
        widget=forms.TextInput(attrs={"class": "form-control form-control-sm"}),
    )
    reported_on = forms.DateField(
        label=_("填报日期"),
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
    )

    def clean_reported_on(self):
        from django.utils import timezone

        value = self.cleaned_data["reported_on"]
        if value > timezone.localdate():
            raise forms.ValidationError(_("填报日期不能晚于今天。"))
        return value


class SessionForm(forms.Form):
    """A new exam session (issue 44 item 1). The supervisor may be left empty here so that the refusal is
    the rule's own (seed 001 第二十一条, certification.sessions.create_session), the typed values kept."""

    kind = forms.ChoiceField(label=_("考核类型"), choices=ExamSession.Kind.choices)
    day = forms.DateField(label=_("日期"), widget=DATE)
    starts = forms.TimeField(
        label=_("开始时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    ends = forms.TimeField(
        label=_("结束时间"), widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
    )
    site = forms.TypedChoiceField(
        label=_("考核地点（备案的考试场地）"), required=False, coerce=int, empty_value=None
    )
    place = forms.CharField(label=_("考核地点"), max_length=200)
    room = forms.CharField(label=_("考场"), max_length=50, help_text=_("如：301 教室、实训室 2"))
    capacity = forms.IntegerField(label=_("座位数"), min_value=1, max_value=999)
    supervisor = forms.TypedChoiceField(label=_("质量督导员"), required=False, coerce=int, empty_value=None)
    assessors = forms.TypedMultipleChoiceField(
        label=_("考评员"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, supervisors=(), assessors=(), sites=(), **kwargs):
        super().__init__(*args, **kwargs)
        # The filed exam sites (certification.sessions.filed_sites): one is picked and gives the place; none
        # filed (an older filing), the place is typed. Left empty, the refusal is the rule's own.
        self.sites = {s.pk: s for s in sites}
        if self.sites:
            del self.fields["place"]
            self.fields["site"].choices = [("", _("——请选择——"))] + [
                (
                    s.pk,
                    _("%(site)s：%(use)s，%(rooms)s 个考场，%(seats)s 个考位（工位）")
                    % {"site": s, "use": s.get_use_display(), "rooms": s.rooms, "seats": s.seats},
                )
                for s in sites
            ]
        else:
            del self.fields["site"]
        self.supervisors = {p.pk: p for p in supervisors}
        self.assessor_staff = {p.pk: p for p in assessors}
        self.fields["supervisor"].choices = [("", _("——请选择——"))] + [
            (p.pk, f"{p.name}（{mask_id_number(p.id_number)}）") for p in supervisors
        ]
        self.fields["assessors"].choices = [
            (p.pk, f"{p.name}（{mask_id_number(p.id_number)}）") for p in assessors
        ]

    def clean(self):
        data = super().clean()
        if data.get("starts") and data.get("ends") and data["ends"] <= data["starts"]:
            self.add_error("ends", _("结束时间须晚于开始时间。"))
        return data

    def session_kwargs(self) -> dict:
        """What certification.sessions.create_session takes, in the current time zone."""
        data = self.cleaned_data

        def at(time):
            return timezone.make_aware(datetime.datetime.combine(data["day"], time))

        return {
            "kind": data["kind"],
            "starts_at": at(data["starts"]),
            "ends_at": at(data["ends"]),
            "site": self.sites.get(data.get("site")),
            "place": data.get("place", "").strip(),
            "room": data["room"].strip(),
            "capacity": data["capacity"],
            "supervisor": self.supervisors.get(data.get("supervisor")),
            "assessors": [self.assessor_staff[pk] for pk in data.get("assessors") or []],
        }


# -- the centre's exam-day supervision (certification/session_check_views.py) --------------------------


class WeekForm(forms.Form):
    week = forms.DateField(
        label=_("日期"),
        required=False,
        widget=forms.DateInput(
            attrs={"type": "date", "class": "form-control form-control-sm"}, format="%Y-%m-%d"
        ),
    )


class DrawForm(forms.Form):
    """The day's draw of on-site checks. How many at most is the service's rule (1 .. the day's sessions,
    certification.session_checks.draw_checks), and its refusal is what the centre reads."""

    day = forms.DateField(label=_("督导日期"))
    n = forms.IntegerField(label=_("抽取考场数"), min_value=1)


class FindingsForm(forms.Form):
    method = forms.ChoiceField(
        label=_("检查方式"),
        choices=[(m.value, m.label) for m in session_checks.CHECK_METHODS],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    inspectors = forms.CharField(
        label=_("检查人员"),
        max_length=200,
        widget=forms.TextInput(attrs={"class": "form-control"}),
    )
    findings = forms.CharField(
        label=_("检查发现"), widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"})
    )
    measure = forms.CharField(
        label=_("处理措施"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

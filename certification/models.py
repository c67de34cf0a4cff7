"""Assessment plans (认定方案), their rosters, scores, comprehensive reviews and result verification.

The plan's state changes only through certification.workflow (django-fsm transitions with role checks,
optimistic locking, audit events and notifications)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from portal import identifiers, roles
from portal.models import done_by
from portal.notices import cite

from . import rules
from .constants import (
    CANDIDATE_NUMBER_LENGTH,
    Clock,
    Level,
    Method,
    OtherResult,
    Qualification,
    Relation,
    ReminderKind,
    StaffRole,
    State,
    Verification,
)
from .constants import MIN_PANEL as DEFAULT_MIN_PANEL

# seed 002 综合评审工作流程 五(一), the help text of both materials dates.
REVIEW_MATERIALS_HELP = format_lazy(
    _("{ref}：收到材料后1个月内完成"), ref=cite("seed 002 综合评审工作流程 五(一)")
)


def _is_applicant_of(plan, user) -> bool:
    return getattr(user, "institution_id", None) == plan.institution_id and roles.has_role(
        user, roles.APPLICANT
    )


def _is_centre(plan, user) -> bool:
    return roles.has_role(user, roles.CENTRE) or roles.is_system(user)


def _score(label):
    """A score out of 100 with one decimal, empty until entered."""
    return models.DecimalField(label, max_digits=4, decimal_places=1, null=True, blank=True)


def _state_step(name, source, target, permission):
    """A django-fsm transition of the plan's ``state`` that only moves the state."""

    def step(self):
        pass

    step.__name__ = step.__qualname__ = name
    return transition(field="state", source=source, target=target, permission=permission)(step)


class RetainedRecord:
    """Records of an assessment are kept for the periods of seed 001 第十七条: deleting one before then
    raises ValidationError (the admin refuses too, see admin.py)."""

    def records_date(self):
        raise NotImplementedError

    def delete(self, *args, **kwargs):
        refusal = rules.deletion_refusal(self.records_date(), timezone.localdate())
        if refusal:
            raise ValidationError(refusal)
        return super().delete(*args, **kwargs)


class StaffingRatio(models.Model):
    """Staffing ratios from an occupation's national standard (for example 保育师 2021 §1.9.3);
    occupations without a row use the defaults of constants.py."""

    occupation = models.OneToOneField(
        "portal.Occupation", on_delete=models.CASCADE, related_name="staffing_ratio", verbose_name=_("职业")
    )
    candidates_per_invigilator = models.PositiveSmallIntegerField(_("每名监考人员对应考生数"), default=15)
    min_invigilators_per_room = models.PositiveSmallIntegerField(_("每考场最少监考人员"), default=2)
    candidates_per_assessor = models.PositiveSmallIntegerField(_("每名考评员对应考生数"), default=5)
    min_assessors = models.PositiveSmallIntegerField(_("最少考评员"), default=3)
    min_panel = models.PositiveSmallIntegerField(_("综合评审最少专家"), default=DEFAULT_MIN_PANEL)
    source = models.CharField(
        _("依据"), max_length=200, blank=True, help_text=_("例如：保育师国家职业技能标准（2021年版）1.9.3")
    )

    class Meta:
        verbose_name = _("考评人员配比")
        verbose_name_plural = _("考评人员配比")

    def __str__(self):
        return str(self.occupation)

    def as_ratios(self) -> rules.Ratios:
        return rules.Ratios(
            self.candidates_per_invigilator,
            self.min_invigilators_per_room,
            self.candidates_per_assessor,
            self.min_assessors,
            self.min_panel,
        )


class AssessmentPlan(RetainedRecord, ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    # How portal.transitions locks a plan (the row, SELECT ... FOR UPDATE) and what it says when refused.
    transition_lock = "row"
    state_refusal = _("认定方案当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该认定方案已被他人修改，请刷新后重试。")

    institution = models.ForeignKey(
        "portal.Institution",
        on_delete=models.PROTECT,
        related_name="assessment_plans",
        verbose_name=_("评价机构"),
    )
    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    title = models.CharField(_("方案名称"), max_length=200)
    occupation = models.ForeignKey(
        "portal.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name=_("职业")
    )
    work_type = models.CharField(_("工种"), max_length=100, blank=True)
    levels = models.JSONField(_("等级"), default=list)
    methods = models.JSONField(_("评价方式"), default=list)
    site = models.CharField(_("认定地点"), max_length=300)
    rooms = models.PositiveSmallIntegerField(_("理论考场数"), default=1)
    on_site = models.BooleanField(
        _("在企业内开展鉴定"),
        default=False,
        help_text=format_lazy(_("{ref}：单一职业超过15人"), ref=cite("seed 002 附件1 三")),
    )
    start_date = models.DateField(_("开始日期"))
    end_date = models.DateField(_("结束日期"))
    roster_file = models.FileField(_("考生名册"), upload_to="certification/rosters/%Y/", blank=True)
    score_file = models.FileField(_("成绩单"), upload_to="certification/scores/%Y/", blank=True)

    created_by = done_by(_("创建人"), blank=False)
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_on = models.DateField(_("报送日期"), null=True, blank=True)
    approved_on = models.DateField(_("审查通过日期"), null=True, blank=True)
    reported_on = models.DateField(_("结果上报日期"), null=True, blank=True, db_index=True)
    verified_on = models.DateField(_("核对完成日期"), null=True, blank=True)
    uploaded_on = models.DateField(_("上传部鉴定中心日期"), null=True, blank=True)
    # seed 001 第十六条(四): certificates are issued from what the ministry centre's site published; the
    # centre records the publication with the upload (workflow.mark_uploaded), and only then issuing opens.
    published_on = models.DateField(_("部鉴定中心网站公布日期"), null=True, blank=True)
    publication_note = models.CharField(
        _("公布信息说明"),
        max_length=300,
        blank=True,
        help_text=_("例如部鉴定中心网站上的公布批次、查询结果或网址"),
    )
    publication_recorded_by = done_by(_("登记上传及公布信息的工作人员"))
    return_reason = models.TextField(_("退回理由"), blank=True)

    class Meta:
        verbose_name = _("认定方案")
        verbose_name_plural = _("认定方案")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "start_date"]),
            models.Index(fields=["institution", "state"]),
            # The dashboards' months (portal.dashboards.monthly): received and finished per month.
            models.Index(fields=["submitted_on"], name="plans_submitted_month"),
            models.Index(fields=["uploaded_on"], name="plans_uploaded_month"),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self) -> str:
        return f"RD{self.created_at:%Y}{(self.pk or 0):06d}"

    def records_date(self):
        return self.end_date if self.state not in (State.DRAFT, State.RETURNED) else None

    @property
    def level_list(self) -> list[int]:
        return sorted(int(v) for v in self.levels)

    def level_labels(self) -> str:
        return "、".join(str(Level(v).label) for v in self.level_list)

    def method_labels(self) -> str:
        return "、".join(str(Method(m).label) for m in self.methods)

    @property
    def editable(self) -> bool:
        return self.state in (State.DRAFT, State.RETURNED)

    @property
    def scores_open(self) -> bool:
        return self.state in (State.APPROVED, State.IN_PROGRESS)

    # The three result clocks (seed 001 第十六条(三)), computed when shown (a year entered later by staff
    # turns a provisional date into an exact one).
    def clock(self):
        """(Clock, Deadline) of the clock running now, or (None, None)."""
        if self.state in (State.APPROVED, State.IN_PROGRESS):
            return Clock.REPORT, rules.report_due(self.end_date)
        if self.state == State.RESULTS_REPORTED and self.reported_on:
            return Clock.VERIFY, rules.verify_due(self.reported_on)
        if self.state == State.VERIFIED and self.verified_on:
            return Clock.UPLOAD, rules.upload_due(self.verified_on)
        return None, None

    # -- the state machine (each step's side effects: certification.workflow) --
    submit = _state_step("submit", [State.DRAFT, State.RETURNED], State.SUBMITTED, _is_applicant_of)
    return_plan = _state_step("return_plan", State.SUBMITTED, State.RETURNED, _is_centre)
    approve = _state_step("approve", State.SUBMITTED, State.APPROVED, _is_centre)
    begin = _state_step("begin", State.APPROVED, State.IN_PROGRESS, _is_centre)
    report_results = _state_step(
        "report_results", [State.APPROVED, State.IN_PROGRESS], State.RESULTS_REPORTED, _is_applicant_of
    )
    return_results = _state_step("return_results", State.RESULTS_REPORTED, State.IN_PROGRESS, _is_centre)
    verify = _state_step("verify", State.RESULTS_REPORTED, State.VERIFIED, _is_centre)
    mark_uploaded = _state_step("mark_uploaded", State.VERIFIED, State.UPLOADED, _is_centre)


class PlanStaff(models.Model):
    """An assessor, quality supervisor or invigilator of the plan, picked from the filed personnel."""

    plan = models.ForeignKey(
        AssessmentPlan, on_delete=models.CASCADE, related_name="staff", verbose_name=_("认定方案")
    )
    role = models.CharField(_("角色"), max_length=12, choices=StaffRole.choices)
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号"), max_length=18)

    class Meta:
        verbose_name = _("考评及督导人员")
        verbose_name_plural = _("考评及督导人员")
        ordering = ["role", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "role", "id_number"], name="plan_staff_once_per_role")
        ]

    def __str__(self):
        return f"{self.get_role_display()} {self.name}"


class Candidate(identifiers.DocumentHolder, RetainedRecord, models.Model):
    """One roster row: who, the level, the Annex 1 decision, scores and the centre's verification."""

    plan = models.ForeignKey(
        AssessmentPlan, on_delete=models.CASCADE, related_name="candidates", verbose_name=_("认定方案")
    )
    row = models.PositiveIntegerField(_("名册行号"))
    name = models.CharField(_("姓名"), max_length=50)
    # Issue 43: the document the number belongs to; rows made before the field read as 居民身份证 (the default).
    document_kind = models.CharField(
        _("证件类型"),
        max_length=20,
        choices=identifiers.DocumentKind.choices,
        default=identifiers.DocumentKind.RESIDENT_ID,
    )
    # The number as identifiers.check_document normalises it (CANDIDATE_NUMBER_LENGTH).
    id_number = models.CharField(_("证件号码"), max_length=CANDIDATE_NUMBER_LENGTH, db_index=True)
    sex = models.CharField(_("性别"), max_length=1, blank=True)
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    eligible = models.BooleanField(_("符合申报条件"), default=False)
    clause = models.CharField(_("符合条款"), max_length=20, blank=True)
    reasons = models.JSONField(_("审核说明"), default=list, blank=True)
    title_bridged = models.BooleanField(_("职称贯通（免理论考试）"), default=False)
    relation = models.CharField(_("与本单位关系"), max_length=12, choices=Relation.choices, blank=True)
    override_reason = models.TextField(_("人工确认理由"), blank=True)
    override_by = done_by(_("确认人"))
    photo = models.FileField(_("照片"), upload_to="certification/photos/%Y/", blank=True)

    theory_score = _score(_("理论知识成绩"))
    practical_score = _score(_("技能操作成绩"))
    other_result = models.CharField(
        _("其他方式评价结果"), max_length=4, choices=OtherResult.choices, blank=True
    )
    other_note = models.CharField(_("评价说明"), max_length=300, blank=True)

    # The date the centre received the comprehensive review materials of the attempt still to be decided:
    # its one-month clock runs while this is set (cleared when the review is decided; a retry after a failed
    # review is recorded again and gets its own clock; each review keeps its own date).
    review_materials_on = models.DateField(
        _("综合评审材料收到日期"),
        null=True,
        blank=True,
        db_index=True,
        help_text=REVIEW_MATERIALS_HELP,
    )
    verification = models.CharField(
        _("核对结果"),
        max_length=10,
        choices=Verification.choices,
        default=Verification.PENDING,
        db_index=True,
    )
    verification_reason = models.CharField(_("退回理由"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("考生")
        verbose_name_plural = _("考生名册")
        ordering = ["row", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "document_kind", "id_number", "level"], name="candidate_once_per_plan_level"
            )
        ]
        indexes = [models.Index(fields=["plan", "verification"])]

    def __str__(self):
        return f"{self.name}（{self.get_level_display()}）"

    def clean(self):
        super().clean()
        try:
            self.id_number = identifiers.check_document(self.document_kind, self.id_number)
        except ValidationError as error:
            raise ValidationError({"id_number": error.messages}) from None

    def records_date(self):
        return self.plan.records_date()

    @property
    def clause_text(self) -> str:
        """The facts of the clause the candidate meets, in words ("已年满 16 周岁（36 周岁）；拟从事本职业
        或相关职业工作。"), from the decision kept with the row; empty when none is kept."""
        if not self.clause:
            return ""
        for reason in self.reasons or ():
            head, sep, text = str(reason).partition(" ")
            if head == self.clause and sep:
                return text.split("：", 1)[-1]
        return ""

    @property
    def confirmed(self) -> bool:
        """Ineligible candidates take part only when staff confirmed them with a reason."""
        return self.eligible or bool(self.override_reason)

    def exam_result(self, methods) -> bool | None:
        """Passed the plan's methods (True/False), or None while scores are missing."""
        methods = set(methods)
        if self.other_result:
            return self.other_result == OtherResult.PASS
        needs_theory = rules.theory_required(methods, self.title_bridged)
        needs_practical = Method.PRACTICAL in methods
        if not needs_theory and not needs_practical:
            return None
        if (needs_theory and self.theory_score is None) or (needs_practical and self.practical_score is None):
            return None
        return (not needs_theory or rules.exam_passed(self.theory_score)) and (
            not needs_practical or rules.exam_passed(self.practical_score)
        )

    @property
    def needs_review(self) -> bool:
        return self.level in (1, 2)

    @property
    def review_due(self):
        """The centre's one-month limit of the attempt awaiting a decision (seed 002 五(一)), or None."""
        return rules.review_due(self.review_materials_on) if self.review_materials_on else None

    @property
    def materials_submission_due(self):
        """The unit's last day to hand in the review materials: a week after the exams end (the plan's
        end date; seed 002 综合评审工作流程 五(一)); None when the candidate takes no review."""
        return rules.materials_submission_due(self.plan.end_date) if self.needs_review else None

    @property
    def materials_days_late(self) -> int:
        """Days the recorded materials arrived after the one-week limit (0 in time or not recorded)."""
        if not self.needs_review or self.review_materials_on is None:
            return 0
        return rules.materials_days_late(self.review_materials_on, self.plan.end_date)

    @property
    def review_clock_status(self) -> str:
        """overdue / due_soon / ok for the running review clock, "" when none runs."""
        return rules.clock_status(self.review_due, timezone.localdate())


class ComprehensiveReview(RetainedRecord, models.Model):
    """A technician / senior technician comprehensive review (seed 002 综合评审工作流程): the panel drawn
    from the expert pool with a recorded seed, thesis defence (level 1), performance review, ticks."""

    candidate = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="reviews", verbose_name=_("考生")
    )
    attempt = models.PositiveSmallIntegerField(_("评审次数"), default=1)
    held_on = models.DateField(_("评审日期"))
    materials_received_on = models.DateField(
        _("材料收到日期"),
        null=True,
        blank=True,
        help_text=REVIEW_MATERIALS_HELP,
    )
    # seed 002 综合评审工作流程 三: 评审地点由市鉴定中心统一指定 (named when the panel is drawn).
    location = models.CharField(_("评审地点"), max_length=200, blank=True)
    seed = models.BigIntegerField(_("抽取随机种子"))
    pool = models.JSONField(_("抽取时的专家库"), default=list)
    thesis_score = _score(_("论文成绩"))
    defence_score = _score(_("答辩成绩"))
    questions = models.JSONField(_("答辩问题"), default=list, blank=True)
    performance_score = _score(_("业绩评定成绩"))
    passed = models.BooleanField(_("评审通过"), null=True)
    decided_at = models.DateTimeField(_("评定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("综合评审")
        verbose_name_plural = _("综合评审")
        ordering = ["candidate", "attempt"]
        constraints = [models.UniqueConstraint(fields=["candidate", "attempt"], name="review_attempt_once")]
        # The dashboards' months (portal.dashboards.monthly): materials received and reviews decided.
        indexes = [
            models.Index(fields=["materials_received_on"], name="reviews_received_month"),
            models.Index(fields=["decided_at"], name="reviews_decided_month"),
        ]

    def __str__(self):
        return f"{self.candidate} #{self.attempt}"

    @property
    def defence_total(self):
        """Thesis 40% + defence 60% (seed 002 综合评审工作流程 五(二)), or None without both scores."""
        if self.thesis_score is None or self.defence_score is None:
            return None
        return rules.thesis_total(self.thesis_score, self.defence_score)

    @property
    def due(self):
        """This attempt's one-month limit, counted from its own materials (seed 002 五(一))."""
        return rules.review_due(self.materials_received_on) if self.materials_received_on else None

    def records_date(self):
        return self.held_on


class Panelist(models.Model):
    review = models.ForeignKey(
        ComprehensiveReview, on_delete=models.CASCADE, related_name="panelists", verbose_name=_("综合评审")
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("专家")
    )
    tick = models.BooleanField(_("勾选通过"), null=True)

    class Meta:
        verbose_name = _("评审专家")
        verbose_name_plural = _("评审专家")
        ordering = ["expert_id"]
        constraints = [models.UniqueConstraint(fields=["review", "expert"], name="panelist_once")]

    def __str__(self):
        return str(self.expert)


class ExpertQualification(models.Model):
    """An expert's qualification as recorded by the centre: only experts with the senior assessor
    qualification in force on the day of the draw are in the comprehensive review pool (seed 002
    综合评审工作流程 三: 专家应具备高级考评员资格)."""

    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="expert_qualifications",
        verbose_name=_("专家"),
    )
    qualification = models.CharField(
        _("资格"), max_length=20, choices=Qualification.choices, default=Qualification.SENIOR_ASSESSOR
    )
    certificate_number = models.CharField(_("资格证书编号"), max_length=50, blank=True)
    valid_until = models.DateField(_("有效期至"))
    note = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("专家资格")
        verbose_name_plural = _("专家资格")
        ordering = ["expert_id", "qualification"]
        constraints = [
            models.UniqueConstraint(fields=["expert", "qualification"], name="expert_qualification_once")
        ]
        indexes = [models.Index(fields=["qualification", "valid_until"])]

    def __str__(self):
        return f"{self.expert} {self.get_qualification_display()}"


class Reminder(models.Model):
    """One reminder sent (issue 39 item 1): its kind, the object it is about and its step (an expiry or
    due date, a month). Unique, and written before the notice and the mail in one transaction, so the
    daily task sends each once even when it runs twice or two workers run it at once (the pattern of
    filings' RenewalReminder): the second insert waits for the first and fails."""

    kind = models.CharField(_("提醒类型"), max_length=20, choices=ReminderKind.choices)
    object_id = models.PositiveBigIntegerField(_("对象编号"))
    step = models.CharField(_("提醒节点"), max_length=20)
    sent_on = models.DateField(_("提醒日期"))

    class Meta:
        verbose_name = _("到期提醒")
        verbose_name_plural = _("到期提醒")
        ordering = ["-sent_on", "kind", "object_id"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "object_id", "step"], name="certification_reminder_once")
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.object_id} {self.step}"


class MonthlySummary(models.Model):
    """An institution's results summary of one month (seed 004 附件7, 职业技能等级认定结果汇总表) as it
    reported it upward (seed 004 四(四)3: 于月末报至各市公共就业服务机构主管部门): the 填报人 and the date it
    wrote, and a frozen copy of the table's counts at submission (the table is rebuilt from the
    candidates later; what was reported stays as it was). One per institution and month; submitted
    through ``certification.monthly.submit`` only."""

    institution = models.ForeignKey(
        "portal.Institution",
        on_delete=models.PROTECT,
        related_name="monthly_summaries",
        verbose_name=_("填报单位"),
    )
    month = models.DateField(_("月份"), help_text=_("该月的第一天"))
    reporter = models.CharField(_("填报人"), max_length=50)
    reported_on = models.DateField(_("填报日期"))
    submitted_at = models.DateTimeField(_("报送时间"), default=timezone.now)
    submitted_on = models.DateField(_("报送日期"))
    submitted_by = done_by(_("报送人账号"))
    counts = models.JSONField(_("汇总表（报送时）"), default=dict)

    class Meta:
        verbose_name = _("认定结果月度汇总")
        verbose_name_plural = _("认定结果月度汇总")
        ordering = ["-month", "institution_id"]
        constraints = [
            models.UniqueConstraint(fields=["institution", "month"], name="monthly_summary_once"),
            models.CheckConstraint(condition=models.Q(month__day=1), name="monthly_summary_first_day"),
        ]
        indexes = [models.Index(fields=["month"])]

    def __str__(self):
        return f"{self.institution} {self.month:%Y-%m}"


class ExamSession(models.Model):
    """One sitting of a plan's assessment (issue 44 item 1): when, where, how many seats, who assesses and
    who supervises (seed 001 第二十一条: 逢评必督, no session without an internal supervisor). The rules are
    in certification/sessions.py."""

    class Kind(models.TextChoices):
        THEORY = "theory", _("理论知识考试")
        PRACTICAL = "practical", _("技能操作考核")
        REVIEW = "review", _("综合评审")

    plan = models.ForeignKey(
        AssessmentPlan, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("认定方案")
    )
    kind = models.CharField(_("考核类型"), max_length=10, choices=Kind.choices)
    starts_at = models.DateTimeField(_("开始时间"))
    ends_at = models.DateTimeField(_("结束时间"))
    # issue 44 item 1: the filed exam site it is held at (filings.FilingSite, certification.sessions); empty
    # while the institution's filing in force lists no sites, the typed place then the only one.
    site = models.ForeignKey(
        "filings.FilingSite",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="exam_sessions",
        verbose_name=_("考试场地"),
    )
    place = models.CharField(_("考核地点"), max_length=200)
    room = models.CharField(_("考场"), max_length=50)
    capacity = models.PositiveSmallIntegerField(_("座位数"))
    supervisor = models.ForeignKey(
        PlanStaff, on_delete=models.PROTECT, related_name="supervised_sessions", verbose_name=_("质量督导员")
    )
    assessors = models.ManyToManyField(PlanStaff, related_name="assessed_sessions", verbose_name=_("考评员"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考场安排")
        verbose_name_plural = _("考场安排")
        ordering = ["starts_at", "room", "id"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.room} {timezone.localtime(self.starts_at):%Y-%m-%d %H:%M}"


class Seat(models.Model):
    """A candidate's seat in a session (certification.sessions.allocate, or moved by hand)."""

    session = models.ForeignKey(
        ExamSession, on_delete=models.CASCADE, related_name="seats", verbose_name=_("考场")
    )
    candidate = models.ForeignKey(
        Candidate, on_delete=models.CASCADE, related_name="seats", verbose_name=_("考生")
    )
    number = models.PositiveSmallIntegerField(_("座位号"))
    # issue 44: the seats this candidate was moved from (certification.sessions.move), oldest first: the
    # tickets printed for them no longer sign in, and the sign-in page says where the candidate sits now.
    former_seats = models.JSONField(_("调整前的座位"), default=list, blank=True)

    class Attendance(models.TextChoices):
        PRESENT = "present", _("到场")
        ABSENT = "absent", _("缺考")

    # issue 44 item 3: marked on the day (certification.attendance); blank until then
    attendance = models.CharField(_("签到"), max_length=8, choices=Attendance.choices, blank=True, default="")
    attendance_at = models.DateTimeField(_("签到登记时间"), null=True, blank=True)
    attendance_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("签到登记人"),
    )

    class Meta:
        verbose_name = _("座位")
        verbose_name_plural = _("座位")
        ordering = ["session", "number"]
        constraints = [
            models.UniqueConstraint(fields=["session", "number"], name="seat_number_once_per_session"),
            models.UniqueConstraint(fields=["session", "candidate"], name="seat_candidate_once_per_session"),
        ]

    def __str__(self):
        return f"{self.session} {self.number:02d} {self.candidate.name}"


class SessionCheckDraw(models.Model):
    """The centre's draw of one day's on-site checks among every institution's exam sessions of that day
    (issue 44 item 4; 日常督导 with 现场检查, 《天津市职业技能等级认定工作管理办法（试行）》第十九条), through
    portal.draws: the pool and the seed are kept, so the draw can be repeated from the record."""

    day = models.DateField(_("督导日期"), unique=True)
    seed = models.CharField(_("随机种子"), max_length=32)
    pool = models.JSONField(_("备选考场"), default=list)
    chosen = models.JSONField(_("抽中考场"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("抽取人")
    )
    drawn_at = models.DateTimeField(_("抽取时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考场现场督导抽取")
        verbose_name_plural = _("考场现场督导抽取")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day} {len(self.chosen)}/{len(self.pool)}"


class SessionCheck(models.Model):
    """An exam session checked by the centre: drawn for an on-site check, and the findings recorded, which
    are a supervision record of the institution's filing (filings.Inspection)."""

    session = models.ForeignKey(
        ExamSession, on_delete=models.CASCADE, related_name="checks", verbose_name=_("考场")
    )
    draw = models.ForeignKey(
        SessionCheckDraw,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="checks",
        verbose_name=_("现场督导抽取"),
    )
    inspection = models.OneToOneField(
        "filings.Inspection",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="session_check",
        verbose_name=_("督导检查记录"),
    )
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    class Meta:
        verbose_name = _("考场督导")
        verbose_name_plural = _("考场督导")
        ordering = ["session__starts_at", "pk"]

    def __str__(self):
        return f"{self.session} {'✓' if self.inspection_id else '…'}"

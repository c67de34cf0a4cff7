"""The enterprise 职业技能鉴定 (seed 002 附件1): the 职业技能鉴定申请表 with its 实施方案 (四(一), 五(一)(二)),
the levels and candidate counts, the 考评员 the enterprise proposes (四(三)), the quality supervisors'
pool kept in the admin and those dispatched by the 市人社局 (四(三)), and the 入网备案 number sequence.

The state is a protected django-fsm field: it changes only in the transitions below, fired through
portal.transitions by appraisals.workflow (row lock, role check, audit event, notices)."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransitionMixin, FSMField, FSMModelMixin, transition

from certification import rules as certification_rules
from certification.constants import CANDIDATE_NUMBER_LENGTH
from portal import identifiers
from portal import roles as portal_roles
from portal.models import done_by

from .constants import REVIEW_LEVELS, THESIS_LEVEL, Category, Level, ObjectionState, QuestionSource, State


def is_enterprise(appraisal, user) -> bool:
    """A user of the applying enterprise (the ``applicant`` role, bound to its institution)."""
    return (
        appraisal.enterprise_id is not None
        and getattr(user, "institution_id", None) == appraisal.enterprise_id
        and portal_roles.has_role(user, portal_roles.APPLICANT)
    )


def is_centre(appraisal, user) -> bool:
    """市职业技能鉴定指导中心 (四(一) 审核, 四(二) 命题)."""
    return portal_roles.has_role(user, portal_roles.CENTRE)


def is_bureau(appraisal, user) -> bool:
    """市人社局 (四(三): 质量督导员由市人社局派遣)."""
    return portal_roles.has_role(user, portal_roles.BUREAU)


class Appraisal(ConcurrentTransitionMixin, FSMModelMixin, models.Model):
    """职业技能鉴定申请表 and 实施方案 of one occupation (seed 002 附件1 四(一), 五(一)(二))."""

    transition_lock = "row"
    state_refusal = _("该职业技能鉴定申请当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该职业技能鉴定申请已被他人修改，请刷新后重试。")

    state = FSMField(_("状态"), default=State.DRAFT, choices=State.choices, protected=True, db_index=True)
    created_by = done_by(_("填报人"))
    created_at = models.DateTimeField(_("创建时间"), default=timezone.now)

    # 申请表: the enterprise (附件1 一, 三)
    enterprise = models.ForeignKey(
        "portal.Institution", on_delete=models.PROTECT, related_name="appraisals", verbose_name=_("企业")
    )
    enterprise_name = models.CharField(_("企业名称"), max_length=200)
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, validators=[identifiers.validate_credit_code]
    )
    contact_name = models.CharField(_("联系人"), max_length=50)
    contact_phone = models.CharField(_("联系电话"), max_length=30)
    category = models.CharField(_("企业类别"), max_length=30, choices=Category.choices)
    category_evidence = models.FileField(
        _("企业类别证明材料"), upload_to="appraisals/evidence/%Y/", max_length=200, blank=True
    )
    # 实施方案 (附件1 二, 三, 四(三))
    occupation = models.ForeignKey(
        "portal.Occupation", on_delete=models.PROTECT, related_name="+", verbose_name=_("鉴定职业")
    )
    work_type = models.CharField(_("工种"), max_length=100, blank=True)
    starts_on = models.DateField(_("鉴定开始日期"))
    ends_on = models.DateField(_("鉴定结束日期"))
    place = models.CharField(_("鉴定地点"), max_length=200)
    equipment = models.TextField(_("设施设备"))
    adjustment_requested = models.BooleanField(_("申请调整试题"), default=False)
    adjustment_reason = models.TextField(_("调整试题的理由（企业生产实际）"), blank=True)

    # 四(一) 申报备案
    submitted_at = models.DateTimeField(_("申报时间"), null=True, blank=True)
    reviewed_by = done_by(_("审核人"))
    reviewed_at = models.DateTimeField(_("审核时间"), null=True, blank=True)
    return_reason = models.TextField(_("退回理由"), blank=True)
    reject_reason = models.TextField(_("不予通过理由"), blank=True)
    record_number = models.CharField(_("入网备案编号"), max_length=20, unique=True, null=True, blank=True)
    filed_at = models.DateTimeField(_("入网备案时间"), null=True, blank=True)
    # 四(二) 考试命题
    question_source = models.CharField(
        _("试题来源"), max_length=20, choices=QuestionSource.choices, blank=True
    )
    questions_note = models.TextField(_("命题说明"), blank=True)
    questions_by = done_by(_("命题记录人"))
    questions_at = models.DateTimeField(_("命题记录时间"), null=True, blank=True)
    adjustment_granted = models.BooleanField(_("同意调整试题"), null=True, blank=True)
    adjustment_answer = models.TextField(_("调整试题答复"), blank=True)
    adjustment_answered_by = done_by(_("调整试题答复人"))
    adjustment_answered_at = models.DateTimeField(_("调整试题答复时间"), null=True, blank=True)
    # 四(三) 考务安排
    draw_seed = models.CharField(_("抽取种子"), max_length=32, blank=True)
    arranged_by = done_by(_("派遣人"))
    arranged_at = models.DateTimeField(_("考务安排时间"), null=True, blank=True)
    # 四(四) 成绩认定: the publicity and the report to the centre
    publicised_by = done_by(_("公示人"))
    publicity_start = models.DateField(_("公示开始日期"), null=True, blank=True)
    publicity_end = models.DateField(_("公示截止日期"), null=True, blank=True)
    reported_by = done_by(_("上报人"))
    reported_at = models.DateTimeField(_("上报时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("职业技能鉴定申请")
        verbose_name_plural = _("职业技能鉴定申请")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.enterprise_name} · {self.occupation.name}"

    @property
    def reference(self) -> str:
        """The application's own reference, always (the 入网备案编号 is ``record_number``, shown apart)."""
        return f"JD-{self.created_at:%Y}-{self.pk:06d}"

    @property
    def candidate_count(self) -> int:
        return sum(row.candidates for row in self.levels.all())

    # -- 四(一) 申报备案 ------------------------------------------------------------------------------

    @transition(
        field=state, source=[State.DRAFT, State.RETURNED], target=State.SUBMITTED, permission=is_enterprise
    )
    def submit(self):
        """The 申请表 and the 实施方案 submitted online."""

    @transition(field=state, source=State.SUBMITTED, target=State.RETURNED, permission=is_centre)
    def return_for_correction(self):
        """退回补正: what was typed stays."""

    @transition(field=state, source=State.SUBMITTED, target=State.REJECTED, permission=is_centre)
    def reject(self):
        """审核不予通过, with a reason."""

    @transition(field=state, source=State.SUBMITTED, target=State.FILED, permission=is_centre)
    def file(self):
        """审核通过: the enterprise and its candidates 入网备案 (a record number)."""

    # -- 四(二) 考试命题 ------------------------------------------------------------------------------

    @transition(field=state, source=State.FILED, target=State.QUESTIONS_RECORDED, permission=is_centre)
    def record_questions(self):
        """The centre records how the questions were produced."""

    # -- 四(三) 考务安排 ------------------------------------------------------------------------------

    @transition(field=state, source=State.QUESTIONS_RECORDED, target=State.ARRANGED, permission=is_bureau)
    def dispatch(self):
        """The 市人社局 dispatches the quality supervisors; the enterprise's 考评员 stand recorded."""

    # -- 四(四) 成绩认定 ------------------------------------------------------------------------------

    @transition(field=state, source=State.ARRANGED, target=State.PUBLICISED, permission=is_centre)
    def publicise(self):
        """Every candidate has both scores: the centre publicises them (the public page, objections)."""

    @transition(field=state, source=State.PUBLICISED, target=State.ARRANGED, permission=is_centre)
    def reopen_scores(self):
        """An objection upheld: the scores go back to be corrected and publicised again."""

    @transition(field=state, source=State.PUBLICISED, target=State.REPORTED, permission=is_enterprise)
    def report(self):
        """公示无异议后报市鉴定中心 (the service checks the publicity ended and no objection stands)."""

    # -- 四(六) 证书核发 ------------------------------------------------------------------------------

    @transition(field=state, source=State.REPORTED, target=State.ISSUED, permission=is_bureau)
    def issue_certificates(self):
        """市人社局核发职业资格证书 to each candidate who passed (certificates.qualification)."""


class AppraisalLevel(models.Model):
    """One level of the appraisal and its number of candidates (实施方案)."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="levels")
    level = models.PositiveSmallIntegerField(_("等级"), choices=Level.choices)
    candidates = models.PositiveIntegerField(_("考生人数"))

    class Meta:
        verbose_name = _("鉴定等级及人数")
        verbose_name_plural = _("鉴定等级及人数")
        ordering = ["-level"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "level"], name="appraisals_one_row_per_level")
        ]

    def __str__(self):
        return f"{self.get_level_display()}：{self.candidates}"


class AppraisalCandidate(identifiers.DocumentHolder, models.Model):
    """A candidate of the roster the enterprise imports (实施方案; 四(一): the candidates are 入网备案 on
    filing), each row checked on import by eligibility.roster against seed 000 附件1, the decision kept."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="candidates")
    row = models.PositiveIntegerField(_("名册行号"))
    name = models.CharField(_("姓名"), max_length=50)
    # Issue 43: the document the number belongs to; rows made before the field read as 居民身份证 (the default).
    document_kind = models.CharField(
        _("证件类型"),
        max_length=20,
        choices=identifiers.DocumentKind.choices,
        default=identifiers.DocumentKind.RESIDENT_ID,
    )
    # The number as identifiers.check_document normalises it (certification's CANDIDATE_NUMBER_LENGTH).
    id_number = models.CharField(_("证件号码"), max_length=CANDIDATE_NUMBER_LENGTH)
    # 男 or 女: from the number where the document carries it, else the roster's 性别 column (issue 43).
    sex = models.CharField(_("性别"), max_length=1, blank=True)
    level = models.PositiveSmallIntegerField(_("申报等级"), choices=Level.choices)
    eligible = models.BooleanField(_("符合申报条件"), default=False)
    clause = models.CharField(_("依据条款"), max_length=100, blank=True)
    reasons = models.JSONField(_("判断理由"), default=list, blank=True)
    # 四(四) 成绩认定: theory by the 市鉴定中心, practical by the 考评员 (entered by the enterprise's user)
    theory_score = models.DecimalField(
        _("理论知识成绩"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    practical_score = models.DecimalField(
        _("技能操作成绩"), max_digits=4, decimal_places=1, null=True, blank=True
    )

    class Meta:
        verbose_name = _("考生")
        verbose_name_plural = _("考生名册")
        ordering = ["row", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["appraisal", "document_kind", "id_number"], name="appraisals_candidate_once"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        super().clean()
        try:
            self.id_number = identifiers.check_document(self.document_kind, self.id_number)
        except ValidationError as error:
            raise ValidationError({"id_number": error.messages}) from None

    @property
    def reviewed(self) -> bool:
        """技师 or 高级技师: a 综合评审 decides (四(五)) and a 资格评审表 is printed (五(三))."""
        return self.level in REVIEW_LEVELS

    @property
    def senior(self) -> bool:
        """高级技师: a thesis and its defence come first (certification's THESIS_LEVEL)."""
        return self.level == THESIS_LEVEL

    @property
    def review(self):
        """The latest 综合评审 (四(五)), or None."""
        return self.reviews.order_by("-attempt").first()


class CandidateReview(models.Model):
    """One 综合评审 of a 技师/高级技师 candidate (seed 002 附件1 四(五)), by certification's rules: a panel drawn
    from its expert pool with a recorded seed, thesis 40 / defence 60 for 高级技师, the performance score
    and the panel's majority; a failed review retried once within a year (one row per attempt)."""

    candidate = models.ForeignKey(AppraisalCandidate, on_delete=models.CASCADE, related_name="reviews")
    attempt = models.PositiveSmallIntegerField(_("评审次数"), default=1)
    held_on = models.DateField(_("评审日期"))
    seed = models.BigIntegerField(_("抽取种子"))
    pool = models.JSONField(_("专家库"), default=list)
    panel = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="appraisal_reviews", verbose_name=_("评审专家组")
    )
    thesis_score = models.DecimalField(_("论文评分"), max_digits=4, decimal_places=1, null=True, blank=True)
    defence_score = models.DecimalField(_("答辩评分"), max_digits=4, decimal_places=1, null=True, blank=True)
    performance_score = models.DecimalField(
        _("业绩评定成绩"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    passes = models.PositiveSmallIntegerField(_("评审通过票数"), null=True, blank=True)
    passed = models.BooleanField(_("评审通过"), null=True, blank=True)
    decided_by = done_by(_("评定记录人"))
    decided_at = models.DateTimeField(_("评定时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("综合评审")
        verbose_name_plural = _("综合评审")
        ordering = ["candidate", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["candidate", "attempt"], name="appraisals_review_attempt_once")
        ]

    def __str__(self):
        return f"{self.candidate} · {self.attempt}"

    @property
    def panel_names(self) -> list[str]:
        return [u.get_full_name() or u.username for u in self.panel.order_by("pk")]

    @property
    def defence_total(self):
        if self.thesis_score is None or self.defence_score is None:
            return None
        return certification_rules.thesis_total(self.thesis_score, self.defence_score)


class ProposedAssessor(models.Model):
    """A 考评员 the enterprise proposes (附件1 四(三): 考评员可由企业选派)."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="assessors")
    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(_("身份证号码"), max_length=18, validators=[identifiers.validate_id_number])
    certificate_number = models.CharField(_("考评员证书编号"), max_length=50)

    class Meta:
        verbose_name = _("考评员")
        verbose_name_plural = _("考评员")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "id_number"], name="appraisals_assessor_once")
        ]

    def __str__(self):
        return self.name


class QualitySupervisor(models.Model):
    """The pool of 质量督导员 the 市人社局 dispatches from (附件1 四(三)), kept in the admin. Their employer's
    credit code keeps them out of their own employer's appraisals."""

    name = models.CharField(_("姓名"), max_length=50)
    id_number = models.CharField(
        _("身份证号码"), max_length=18, unique=True, validators=[identifiers.validate_id_number]
    )
    employer_name = models.CharField(_("工作单位"), max_length=200)
    employer_credit_code = models.CharField(
        _("工作单位统一社会信用代码"), max_length=18, validators=[identifiers.validate_credit_code]
    )
    email = models.EmailField(_("邮箱"))
    phone = models.CharField(_("联系电话"), max_length=30, blank=True)
    active = models.BooleanField(_("在库"), default=True)

    class Meta:
        verbose_name = _("质量督导员")
        verbose_name_plural = _("质量督导员库")
        ordering = ["name", "pk"]

    def __str__(self):
        return f"{self.name}（{self.employer_name}）"


class DispatchedSupervisor(models.Model):
    """A quality supervisor dispatched to an appraisal, picked or drawn (the seed on the appraisal)."""

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="supervisors")
    supervisor = models.ForeignKey(
        QualitySupervisor, on_delete=models.PROTECT, related_name="dispatches", verbose_name=_("质量督导员")
    )
    drawn = models.BooleanField(_("随机抽取"), default=False)

    class Meta:
        verbose_name = _("派遣的质量督导员")
        verbose_name_plural = _("派遣的质量督导员")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "supervisor"], name="appraisals_supervisor_once")
        ]

    def __str__(self):
        return str(self.supervisor)


class RecordSequence(models.Model):
    """The last 入网备案 number of a year (constants.RECORD_PREFIX), locked while one is allocated."""

    year = models.PositiveSmallIntegerField(_("年份"), primary_key=True)
    last = models.PositiveIntegerField(_("已分配的最大序号"), default=0)

    class Meta:
        verbose_name = _("入网备案编号序列")
        verbose_name_plural = _("入网备案编号序列")

    def __str__(self):
        return f"{self.year}：{self.last}"


def is_staff(objection, user) -> bool:
    return portal_roles.has_role(user, portal_roles.CENTRE)


class ScoreObjection(FSMModelMixin, models.Model):
    """An objection (异议) to a publicised score (四(四)), raised by anyone on the public page; an open one
    holds the report. The centre dismisses or upholds it through portal.transitions
    (workflow.resolve_objection)."""

    transition_lock = "row"
    state_refusal = _("异议当前状态为“%(state)s”，不能执行此操作。")
    stale_message = _("该异议已被他人处理，请刷新后重试")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="objections")
    name = models.CharField(_("姓名"), max_length=50)
    contact = models.CharField(_("联系方式"), max_length=100)
    text = models.TextField(_("异议内容"))
    state = FSMField(
        _("处理状态"),
        max_length=10,
        choices=ObjectionState.choices,
        default=ObjectionState.OPEN,
        protected=True,
    )
    ip_hash = models.CharField(max_length=16, blank=True)
    created_at = models.DateTimeField(_("提交时间"), default=timezone.now)
    resolved_by = done_by(_("处理人"))
    resolved_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    resolution = models.TextField(_("处理意见"), blank=True)

    class Meta:
        verbose_name = _("成绩公示异议")
        verbose_name_plural = _("成绩公示异议")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.appraisal_id} {self.get_state_display()}"

    @transition(field=state, source=ObjectionState.OPEN, target=ObjectionState.UPHELD, permission=is_staff)
    def uphold(self):
        """The objection is founded: the scores go back to be corrected (workflow)."""

    @transition(field=state, source=ObjectionState.OPEN, target=ObjectionState.DISMISSED, permission=is_staff)
    def dismiss(self):
        """The objection is unfounded."""

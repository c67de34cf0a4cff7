"""Admin for the enterprise 职业技能鉴定: the applications (state read only: it changes only through
appraisals.workflow; the scores, publicity and report too), the score publicity's objections (read only),
and the quality supervisors' pool the 市人社局 dispatches from (附件1 四(三))."""

from django.contrib import admin

from .models import (
    Appraisal,
    AppraisalCandidate,
    AppraisalLevel,
    CandidateReview,
    DispatchedSupervisor,
    ProposedAssessor,
    QualitySupervisor,
    RecordSequence,
    ScoreObjection,
)


class LevelInline(admin.TabularInline):
    model = AppraisalLevel
    extra = 0


class AssessorInline(admin.TabularInline):
    model = ProposedAssessor
    extra = 0


class CandidateInline(admin.TabularInline):
    model = AppraisalCandidate
    extra = 0
    # imported; the scores entered through the service (四(四))
    readonly_fields = (
        "row",
        "name",
        "document_kind",
        "id_number",
        "sex",
        "level",
        "eligible",
        "clause",
        "reasons",
        "theory_score",
        "practical_score",
    )
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


class DispatchedInline(admin.TabularInline):
    model = DispatchedSupervisor
    extra = 0
    readonly_fields = ("supervisor", "drawn")  # dispatched through the service (picked or drawn)
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Appraisal)
class AppraisalAdmin(admin.ModelAdmin):
    list_display = ("enterprise_name", "occupation", "category", "state", "record_number", "submitted_at")
    list_filter = ("state", "category", "question_source")
    search_fields = ("enterprise_name", "credit_code", "record_number", "occupation__name")
    raw_id_fields = (
        "enterprise",
        "occupation",
        "created_by",
        "reviewed_by",
        "questions_by",
        "adjustment_answered_by",
        "arranged_by",
        "publicised_by",
        "reported_by",
    )
    readonly_fields = (
        "state",
        "category_evidence",
        "submitted_at",
        "reviewed_at",
        "record_number",
        "filed_at",
        "questions_at",
        "adjustment_granted",
        "adjustment_answered_at",
        "draw_seed",
        "arranged_at",
        "publicity_start",
        "publicity_end",
        "reported_at",
    )
    inlines = [LevelInline, AssessorInline, CandidateInline, DispatchedInline]


@admin.register(QualitySupervisor)
class QualitySupervisorAdmin(admin.ModelAdmin):
    list_display = ("name", "employer_name", "employer_credit_code", "email", "active")
    list_filter = ("active",)
    search_fields = ("name", "id_number", "employer_name", "employer_credit_code")


@admin.register(RecordSequence)
class RecordSequenceAdmin(admin.ModelAdmin):
    list_display = ("year", "last")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ScoreObjection)
class ScoreObjectionAdmin(admin.ModelAdmin):
    """The score publicity's objections (四(四)), read only: raised on the public page, resolved by the
    centre on the application's page (appraisals.workflow.resolve_objection)."""

    list_display = ("appraisal", "name", "state", "created_at", "resolved_at")
    list_filter = ("state",)
    search_fields = ("name", "contact", "appraisal__enterprise_name", "appraisal__record_number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CandidateReview)
class CandidateReviewAdmin(admin.ModelAdmin):
    """The 综合评审 of 技师/高级技师 candidates (四(五)), read only: drawn and recorded by the centre on the
    reviews page (appraisals.workflow.draw_review, record_review)."""

    list_display = ("candidate", "attempt", "held_on", "performance_score", "passed")
    list_filter = ("passed",)
    search_fields = ("candidate__name", "candidate__appraisal__enterprise_name")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

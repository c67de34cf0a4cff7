"""Admin for every model of the certification app. Records under retention (seed 001 第十七条) cannot be
deleted before their period ends: the delete permission says no and the bulk delete action is removed."""

from django.contrib import admin
from django.utils import timezone

from portal.admin import ReadOnlyAdminMixin

from . import rules
from .models import (
    AssessmentPlan,
    Candidate,
    ComprehensiveReview,
    ExamSession,
    ExpertQualification,
    MonthlySummary,
    Panelist,
    PlanStaff,
    Reminder,
    Seat,
    StaffingRatio,
)


class RetentionAdmin(admin.ModelAdmin):
    def records_date(self, obj):
        raise NotImplementedError

    def has_delete_permission(self, request, obj=None):
        if obj is not None and rules.deletion_refusal(self.records_date(obj), timezone.localdate()):
            return False
        return super().has_delete_permission(request, obj)

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # bulk deletion would bypass the retention check
        return actions


class PlanStaffInline(admin.TabularInline):
    model = PlanStaff
    extra = 0


@admin.register(AssessmentPlan)
class AssessmentPlanAdmin(RetentionAdmin):
    list_display = ("reference", "title", "institution", "occupation", "state", "start_date", "end_date")
    list_filter = ("state", "on_site", "start_date")
    search_fields = ("title", "institution__name", "occupation__code", "occupation__name")
    # the upload and its publication are recorded by the step (workflow.mark_uploaded, seed 001 第十六条(四))
    readonly_fields = (
        "state",
        "submitted_on",
        "approved_on",
        "reported_on",
        "verified_on",
        "uploaded_on",
        "published_on",
        "publication_note",
        "publication_recorded_by",
    )
    raw_id_fields = ("institution", "occupation", "created_by")
    date_hierarchy = "start_date"
    inlines = [PlanStaffInline]

    def records_date(self, obj):
        return obj.records_date()


@admin.register(Candidate)
class CandidateAdmin(RetentionAdmin):
    list_display = (
        "name",
        "plan",
        "level",
        "eligible",
        "clause",
        "theory_score",
        "practical_score",
        "verification",
    )
    list_filter = ("level", "eligible", "title_bridged", "verification")
    search_fields = ("name", "id_number", "plan__title")
    raw_id_fields = ("plan", "override_by")

    def records_date(self, obj):
        return obj.plan.records_date()


class PanelistInline(admin.TabularInline):
    model = Panelist
    extra = 0
    raw_id_fields = ("expert",)


@admin.register(ComprehensiveReview)
class ComprehensiveReviewAdmin(RetentionAdmin):
    list_display = ("candidate", "attempt", "held_on", "passed")
    list_filter = ("passed", "held_on")
    search_fields = ("candidate__name", "candidate__id_number")
    raw_id_fields = ("candidate",)
    inlines = [PanelistInline]

    def records_date(self, obj):
        return obj.held_on


@admin.register(Panelist)
class PanelistAdmin(admin.ModelAdmin):
    list_display = ("review", "expert", "tick")
    list_filter = ("tick",)
    search_fields = ("expert__username", "review__candidate__name")
    raw_id_fields = ("review", "expert")


@admin.register(PlanStaff)
class PlanStaffAdmin(admin.ModelAdmin):
    list_display = ("name", "role", "plan")
    list_filter = ("role",)
    search_fields = ("name", "id_number", "plan__title")
    raw_id_fields = ("plan",)


@admin.register(StaffingRatio)
class StaffingRatioAdmin(admin.ModelAdmin):
    list_display = (
        "occupation",
        "candidates_per_invigilator",
        "candidates_per_assessor",
        "min_assessors",
        "min_panel",
        "source",
    )
    search_fields = ("occupation__code", "occupation__name", "source")
    list_filter = ("min_assessors",)
    raw_id_fields = ("occupation",)


@admin.register(ExpertQualification)
class ExpertQualificationAdmin(admin.ModelAdmin):
    """The centre keeps the review experts' senior assessor qualifications here: only experts with one
    in force are drawn for a comprehensive review (seed 002 综合评审工作流程 三)."""

    list_display = ("expert", "qualification", "certificate_number", "valid_until")
    list_filter = ("qualification", "valid_until")
    search_fields = ("expert__username", "expert__first_name", "expert__last_name", "certificate_number")
    raw_id_fields = ("expert",)
    date_hierarchy = "valid_until"


@admin.register(MonthlySummary)
class MonthlySummaryAdmin(admin.ModelAdmin):
    """What an institution reported (seed 004 四(四)3): read only, it is submitted through the portal."""

    list_display = ("institution", "month", "reporter", "reported_on", "submitted_on")
    list_filter = ("month",)
    search_fields = ("institution__name", "reporter")
    raw_id_fields = ("institution", "submitted_by")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The reminders sent (certification.reminders): written by the daily task, one per kind, object
    and step; read here, never added or edited."""

    list_display = ("kind", "object_id", "step", "sent_on")
    list_filter = ("kind", "sent_on")
    search_fields = ("step",)


class SeatInline(admin.TabularInline):
    model = Seat
    extra = 0
    raw_id_fields = ("candidate",)


@admin.register(ExamSession)
class ExamSessionAdmin(admin.ModelAdmin):
    """The plans' sessions (issue 44; arranged by the institutions through certification.sessions)."""

    list_display = ("plan", "kind", "starts_at", "ends_at", "place", "room", "capacity", "supervisor")
    list_filter = ("kind",)
    search_fields = ("plan__title", "place", "room", "supervisor__name")
    date_hierarchy = "starts_at"
    raw_id_fields = ("plan", "supervisor")
    filter_horizontal = ("assessors",)
    inlines = [SeatInline]

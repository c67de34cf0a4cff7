"""Admin for the title application and its rows. The state is read only: it changes only through
talent.workflow (the protected django-fsm field refuses any other write)."""

from django.contrib import admin

from .models import (
    Achievement,
    Appraisal,
    Award,
    CompetitionPlacing,
    SkillApplication,
    SkillCompetition,
    TitleApplication,
)


class AchievementInline(admin.TabularInline):
    model = Achievement
    extra = 0
    fields = ("kind", "summary", "year", "evidence")
    readonly_fields = ("evidence",)  # uploaded through the service, checked by content


class AppraisalInline(admin.TabularInline):
    model = Appraisal
    extra = 0


class AwardInline(admin.TabularInline):
    model = Award
    extra = 0


class CompetitionInline(admin.TabularInline):
    model = CompetitionPlacing
    extra = 0


@admin.register(TitleApplication)
class TitleApplicationAdmin(admin.ModelAdmin):
    list_display = ("name", "title_sought", "employer_name", "route", "state", "submitted_at")
    list_filter = ("state", "route", "title_sought", "level")
    search_fields = ("name", "id_number", "employer_name", "title_certificate_number")
    raw_id_fields = ("filed_by", "employer", "department", "review_body")
    readonly_fields = (
        "state",
        "assessed_on",
        "decision",
        "exceptional_clause",
        "submitted_at",
        "recommended_by",
        "recommended_at",
        "reviewed_by",
        "reviewed_at",
        "sent_at",
        "decided_by",
        "decided_at",
    )
    inlines = [AchievementInline, AppraisalInline, AwardInline, CompetitionInline]


@admin.register(Achievement)
class AchievementAdmin(admin.ModelAdmin):
    list_display = ("summary", "kind", "application", "year")
    list_filter = ("kind",)
    search_fields = ("summary", "application__name")
    raw_id_fields = ("application",)
    readonly_fields = ("evidence",)


# -- 专业技术人才参加职业技能评价 (附件2 三, 四(二)): the state changes only through talent.skills ----------


class SkillCompetitionInline(admin.TabularInline):
    model = SkillCompetition
    extra = 0


@admin.register(SkillApplication)
class SkillApplicationAdmin(admin.ModelAdmin):
    list_display = ("name", "title", "occupation", "level", "route", "institution", "state", "submitted_at")
    list_filter = ("state", "route", "title", "level", "theory_waived")
    search_fields = ("name", "id_number", "employer_name", "title_certificate_number")
    raw_id_fields = ("filed_by", "occupation", "institution", "candidate")
    readonly_fields = (
        "state",
        "title_certificate_copy",  # uploaded through the service, checked by content
        "assessed_on",
        "decision",
        "clause",
        "theory_waived",
        "submitted_at",
        "decided_by",
        "decided_at",
        "candidate",
    )
    inlines = [SkillCompetitionInline]

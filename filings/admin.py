"""Admin for every filings model. State, codes and the trail are read-only here: every change of
state goes through filings.workflow (the portal pages), so the audit trail stays complete."""

from django import forms
from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from portal import audit
from portal.admin import ReadOnlyAdminMixin

from .models import (
    Attachment,
    EvaluationBatch,
    ExpertDraw,
    ExpertReview,
    Filing,
    FilingEquipment,
    FilingOccupation,
    FilingPerson,
    FilingSite,
    InstitutionCode,
    Objection,
    Seal,
    SealOwner,
    SequenceCounter,
)


class _AddedByWorkflow(admin.ModelAdmin):
    """Rows the portal's pages create (uploads, objections, requests, decisions): viewed and, where a
    field is not read-only, corrected here, never added."""

    def has_add_permission(self, request):
        return False


class _Kept(admin.ModelAdmin):
    """Rows that stay for good (the filing and its trail, assigned codes, the blacklist): no deletes."""

    def has_delete_permission(self, request, obj=None):
        return False


# The columns of an expert's score sheet (filings.models.common.ScoreSheet), on a filing or a change.
SCORE_COLUMNS = ("expert", "material_score", "onsite_score", "qa_score", "recommend", "submitted_at")


class _ScoreSheetAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_filter = ("recommend", "submitted_at")


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class OccupationInline(ReadOnlyInline):
    model = FilingOccupation
    fields = ("occupation", "work_type", "levels", "start_date", "person_times", "is_new_occupation", "basis")
    readonly_fields = fields


class PersonInline(ReadOnlyInline):
    model = FilingPerson
    fields = ("role", "name", "id_number", "employer", "title", "education", "field")
    readonly_fields = fields


class EquipmentInline(ReadOnlyInline):
    model = FilingEquipment
    fields = ("name", "brand", "model", "quantity", "ownership")
    readonly_fields = fields


class SiteInline(ReadOnlyInline):
    model = FilingSite
    fields = ("name", "address", "rooms", "seats", "use")
    readonly_fields = fields


class AttachmentInline(ReadOnlyInline):
    model = Attachment
    fields = ("item", "original_name", "content_kind", "size", "uploaded_at")
    readonly_fields = fields


@admin.register(Filing)
class FilingAdmin(ReadOnlyAdminMixin, _Kept):
    list_display = (
        "name",
        "credit_code",
        "route",
        "kind",
        "state",
        "due_on",
        "assignee",
        "filing_number",
        "valid_until",
    )
    list_filter = ("state", "route", "kind", "due_provisional")
    search_fields = ("name", "credit_code", "filing_number", "institution_sequence", "institution__name")
    list_select_related = ("assignee", "institution")
    date_hierarchy = "created_at"
    inlines = [OccupationInline, PersonInline, SiteInline, EquipmentInline, AttachmentInline]
    readonly_fields = (
        "state",
        "version",
        "institution",
        "submitted_at",
        "due_on",
        "due_provisional",
        "approved_at",
        "publicity_start",
        "publicity_end",
        "filing_number",
        "route_code",
        "province_code",
        "institution_sequence",
        "filed_on",
        "valid_from",
        "valid_until",
        "evaluation_score",
        "audit_trail",
    )
    exclude = ("created_by",)

    @admin.display(description=_("审计记录"))
    def audit_trail(self, obj):
        from django.utils.html import format_html_join

        return format_html_join(
            "\n",
            "<div>{} · {} · {} → {} · {}</div>",
            (
                (f"{e.at:%Y-%m-%d %H:%M}", audit.label(e.event), e.from_state, e.to_state, e.comment)
                for e in audit.trail(obj)
            ),
        )


@admin.register(Attachment)
class AttachmentAdmin(_AddedByWorkflow):
    list_display = ("filing", "item", "original_name", "content_kind", "size", "uploaded_at")
    list_filter = ("item", "content_kind")
    search_fields = ("original_name", "filing__name")
    list_select_related = ("filing",)
    readonly_fields = (
        "filing",
        "item",
        "file",
        "original_name",
        "content_kind",
        "size",
        "uploaded_by",
        "uploaded_at",
    )


@admin.register(EvaluationBatch)
class EvaluationBatchAdmin(admin.ModelAdmin):
    list_display = ("name", "created_by", "created_at")
    search_fields = ("name",)
    list_filter = ("created_at",)


@admin.register(ExpertDraw)
class ExpertDrawAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("filing", "seed", "drawn_by", "drawn_at")
    search_fields = ("seed", "filing__name")
    list_filter = ("drawn_at",)
    readonly_fields = ("filing", "seed", "pool", "excluded", "drawn", "drawn_by", "drawn_at")


@admin.register(ExpertReview)
class ExpertReviewAdmin(_ScoreSheetAdmin):
    list_display = ("filing", *SCORE_COLUMNS)
    search_fields = ("filing__name", "expert__username", "expert__first_name")
    list_select_related = ("filing", "expert")


@admin.register(Objection)
class ObjectionAdmin(_AddedByWorkflow):
    list_display = ("filing", "name", "state", "created_at", "resolved_by", "resolved_at")
    list_filter = ("state", "created_at")
    search_fields = ("name", "contact", "text", "filing__name")
    list_select_related = ("filing", "resolved_by")
    readonly_fields = (
        "filing",
        "name",
        "contact",
        "text",
        "attachment",
        "ip_hash",
        "created_at",
        "state",
        "resolved_by",
        "resolved_at",
        "resolution",
    )


@admin.register(InstitutionCode)
class InstitutionCodeAdmin(ReadOnlyAdminMixin, _Kept):
    list_display = ("__str__", "institution", "route", "city_code", "institution_type", "assigned_at")
    list_filter = ("route", "institution_type", "city_code")
    search_fields = ("sequence", "institution__name", "institution__credit_code")
    list_select_related = ("institution",)
    # Codes are assigned by the workflow under a lock and never reused: no edits, no deletes.


@admin.register(SequenceCounter)
class SequenceCounterAdmin(ReadOnlyAdminMixin, _Kept):
    list_display = ("prefix", "last")
    search_fields = ("prefix",)
    list_filter = ("last",)


# -- Filings II (issue 5): life after filing. State changes go through filings.after_filing (the portal
# pages), so states and decisions are read-only here; the blacklist too (lifted on its portal page).
from .models import (  # noqa: E402
    BlacklistEntry,
    ChangeRequest,
    ChangeReview,
    ChangeSite,
    Complaint,
    Inspection,
    InspectionDraw,
    Referral,
    Renewal,
    RenewalReminder,
    Sanction,
    TerminationRequest,
)


class ChangeSiteInline(ReadOnlyInline):
    """The sites a site change adds (issue 44), filed as FilingSite rows once it is confirmed."""

    model = ChangeSite
    fields = ("name", "address", "rooms", "seats", "use")
    readonly_fields = fields


@admin.register(ChangeRequest)
class ChangeRequestAdmin(_AddedByWorkflow):
    inlines = [ChangeSiteInline]
    list_display = ("filing", "kind", "action", "state", "requested_at", "decided_at")
    list_filter = ("kind", "state", "action")
    search_fields = (
        "filing__name",
        "filing__credit_code",
        "person_name",
        "occupation__name",
        "occupation__code",
    )
    list_select_related = ("filing",)
    readonly_fields = (
        "filing",
        "state",
        "draw_seed",
        "draw_pool",
        "drawn_experts",
        "requested_by",
        "decided_by",
        "removed_sites",
        "removed_names",
    )


@admin.register(Renewal)
class RenewalAdmin(_AddedByWorkflow):
    list_display = ("filing", "state", "old_valid_until", "new_valid_until", "requested_on", "decided_at")
    list_filter = ("state", "requested_on")
    search_fields = ("filing__name", "filing__credit_code")
    list_select_related = ("filing",)
    readonly_fields = ("filing", "state", "old_valid_until", "new_valid_until", "requested_by", "decided_by")


@admin.register(TerminationRequest)
class TerminationRequestAdmin(_AddedByWorkflow):
    list_display = ("filing", "state", "requested_at", "decided_at")
    list_filter = ("state",)
    search_fields = ("filing__name", "reason")
    list_select_related = ("filing",)
    readonly_fields = ("filing", "state", "requested_by", "decided_by")


@admin.register(Sanction)
class SanctionAdmin(_AddedByWorkflow):
    list_display = ("filing", "kind", "decided_on", "deadline", "rectified_on", "is_public")
    list_filter = ("kind", "is_public", "decided_on")
    search_fields = ("filing__name", "reason")
    list_select_related = ("filing",)
    readonly_fields = ("filing", "kind", "decided_on", "complaint", "inspection", "created_by")


@admin.register(BlacklistEntry)
class BlacklistEntryAdmin(ReadOnlyAdminMixin, _Kept):
    """Read-only: the bureau lifts an entry on the portal page (its reason, the audit event, the
    institution told, through filings.after_filing.lift_blacklist), which the change view links to."""

    list_display = ("name", "credit_code", "state", "listed_on", "lifted_on")
    list_filter = ("state", "listed_on", "lifted_on")
    search_fields = ("name", "credit_code")
    readonly_fields = ("portal_page",)

    @admin.display(description=_("门户页面"))
    def portal_page(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("filings:blacklist_detail", args=[obj.pk]),
            _("在门户中查看（市人社局在此决定移出黑名单）"),
        )


@admin.register(Complaint)
class ComplaintAdmin(_AddedByWorkflow):
    list_display = ("institution_name", "name", "state", "outcome", "created_at", "closed_at")
    list_filter = ("state", "outcome", "created_at")
    search_fields = ("institution_name", "name", "contact", "text", "filing__name")
    list_select_related = ("filing",)
    readonly_fields = (
        "name",
        "contact",
        "institution_name",
        "text",
        "attachment",
        "ip_hash",
        "created_at",
        "state",
    )


@admin.register(InspectionDraw)
class InspectionDrawAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("period_start", "period_end", "seed", "drawn_by", "drawn_at")
    list_filter = ("drawn_at",)
    search_fields = ("seed",)
    readonly_fields = (
        "period_start",
        "period_end",
        "seed",
        "institution_pool",
        "inspector_pool",
        "institutions",
        "inspectors",
        "drawn_by",
        "drawn_at",
    )


@admin.register(Inspection)
class InspectionAdmin(admin.ModelAdmin):
    list_display = ("filing", "kind", "method", "inspected_on", "inspectors", "published_on")
    list_filter = ("kind", "method", "inspected_on", "published_on")
    search_fields = ("filing__name", "inspectors", "findings")
    list_select_related = ("filing",)
    readonly_fields = ("draw", "created_by", "created_at", "published_on")


@admin.register(Referral)
class ReferralAdmin(_AddedByWorkflow):
    list_display = ("subject", "ground", "authority", "referred_on", "state", "concluded_on")
    list_filter = ("ground", "state", "referred_on")
    search_fields = ("subject", "authority", "facts", "outcome", "filing__name")
    list_select_related = ("filing",)
    readonly_fields = ("state", "created_by", "created_at", "concluded_by")


@admin.register(RenewalReminder)
class RenewalReminderAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("filing", "valid_until", "days_before", "sent_on")
    list_filter = ("days_before", "sent_on")
    search_fields = ("filing__name",)
    list_select_related = ("filing",)


@admin.register(ChangeReview)
class ChangeReviewAdmin(_ScoreSheetAdmin):
    list_display = ("change", *SCORE_COLUMNS)
    search_fields = ("change__filing__name", "expert__username", "expert__first_name")
    list_select_related = ("change__filing", "expert")


from .models import ApplicationRound  # noqa: E402


@admin.register(ApplicationRound)
class ApplicationRoundAdmin(admin.ModelAdmin):
    """The bureau's 申报工作安排 (seed 001 第十条(一)); published on /filings/rounds/."""

    list_display = ("title", "routes", "opens_on", "closes_on", "published_by", "published_at")
    list_filter = ("routes",)
    search_fields = ("title",)
    filter_horizontal = ("occupations",)
    date_hierarchy = "opens_on"
    readonly_fields = ("published_at",)


class OfficeSealForm(forms.ModelForm):
    """An office seal (the centre's or the bureau's): the image checked as every seal is."""

    owner = forms.ChoiceField(label=_("印章所属"), choices=SealOwner.choices[1:])
    upload = forms.FileField(label=_("印章图片（PNG，透明背景，红色）"))

    class Meta:
        model = Seal
        fields = ["owner"]

    def clean_upload(self):
        from .seals import SealRefused, check_image

        upload = self.cleaned_data["upload"]
        try:
            check_image(upload.read())
        except SealRefused as refused:
            raise forms.ValidationError(str(refused)) from None
        upload.seek(0)
        return upload


@admin.register(Seal)
class SealAdmin(admin.ModelAdmin):
    """Institutions' seals are decided on the centre's page (filings:seal_queue), never here; the admin
    puts in the centre's and the bureau's seals (filings.seals.install_office_seal), each audited."""

    list_display = ("__str__", "owner", "state", "requested_at", "decided_at")
    list_filter = ("owner", "state")
    search_fields = ("institution__name",)
    readonly_fields = ("institution", "image", "width", "height", "reason", "state", "requested_by",
                       "requested_at", "decided_by", "decided_at", "decision_comment")  # fmt: skip

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = OfficeSealForm
        return super().get_form(request, obj, **kwargs)

    def get_fields(self, request, obj=None):
        return ["owner", "upload"] if obj is None else ["owner", *self.readonly_fields]

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else ("owner", *self.readonly_fields)

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        from .seals import install_office_seal

        seal = install_office_seal(form.cleaned_data["owner"], form.cleaned_data["upload"], request.user)
        obj.pk = seal.pk  # the admin's "added" message and redirect name the row the service made

    def save_related(self, request, form, formsets, change):
        pass

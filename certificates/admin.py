"""Admin for every certificates model: search by code, name, ID number and institution; filters by
status, level and year. Codes, serials and counters are read-only: they come from the allocator."""

from django.contrib import admin

from portal.admin import ReadOnlyAdminMixin

from .models import Certificate, CertificateSerialCounter, IssuanceBatch, IssuanceItem


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "holder_name",
        "occupation_name",
        "level",
        "institution_name",
        "issue_date",
        "status",
    )
    list_filter = ("status", "level", "year", "issue_date")
    search_fields = ("code", "holder_name", "id_number", "institution_name", "occupation_code", "source_key")
    list_select_related = ("institution",)
    raw_id_fields = ("occupation", "institution", "batch")
    # Status and revocation only through the staff page (revocation.revoke: audited, the institution
    # notified, the batch PDFs that printed the certificate dropped and printed again without it).
    readonly_fields = (
        "code",
        "serial",
        "year",
        "source_key",
        "issued_at",
        "batch",
        "status",
        "revoked_reason",
        "revoked_on",
    )
    date_hierarchy = "issue_date"


@admin.register(CertificateSerialCounter)
class CertificateSerialCounterAdmin(admin.ModelAdmin):
    list_display = ("kind", "route", "province", "institution_seq", "year", "level", "last_serial")
    list_filter = ("year", "level", "kind", "province")
    search_fields = ("institution_seq",)
    readonly_fields = ("kind", "route", "province", "institution_seq", "year", "level", "last_serial")

    def has_add_permission(self, request):
        return False


class IssuanceItemInline(admin.TabularInline):
    model = IssuanceItem
    extra = 0
    fields = ("position", "holder_name", "occupation_code", "level", "status", "reason", "certificate")
    readonly_fields = fields
    can_delete = False
    show_change_link = True
    max_num = 0


@admin.register(IssuanceBatch)
class IssuanceBatchAdmin(admin.ModelAdmin):
    list_display = (
        "id",
        "institution_name",
        "title",
        "issue_date",
        "status",
        "total",
        "issued_count",
        "refused_count",
        "created_at",
    )
    list_filter = ("status", "issue_date")
    search_fields = ("institution_name", "title", "institution_seq")
    raw_id_fields = ("institution", "created_by")
    readonly_fields = (
        "total",
        "issued_count",
        "existing_count",
        "refused_count",
        "started_at",
        "progress_at",
        "finished_at",
    )
    inlines = [IssuanceItemInline]


@admin.register(IssuanceItem)
class IssuanceItemAdmin(admin.ModelAdmin):
    list_display = ("batch", "position", "holder_name", "occupation_code", "level", "status", "certificate")
    list_filter = ("status", "level")
    search_fields = ("holder_name", "id_number", "source_key", "certificate__code")
    raw_id_fields = ("batch", "occupation", "certificate")
    list_select_related = ("certificate",)


# --- Lookup log (issue 8) ----------------------------------------------------------------------------
from .models import LookupEvent  # noqa: E402


@admin.register(LookupEvent)
class LookupEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the log is written by the public pages only."""

    list_display = ("at", "kind", "outcome", "code", "ip_hash")
    list_filter = ("kind", "outcome", "at")
    search_fields = ("code", "ip_hash")
    date_hierarchy = "at"
    readonly_fields = ("at", "kind", "outcome", "code", "ip_hash")


# --- Linked documents (issue 43 item 3) ------------------------------------------------------------------
from django.utils.translation import gettext_lazy as _  # noqa: E402

from portal import identifiers  # noqa: E402

from .models import DocumentLink  # noqa: E402


@admin.register(DocumentLink)
class DocumentLinkAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Viewed here only: a link is made and undone on the staff certificate page (documents.link and
    documents.unlink: the number checked by its type, the reason asked for, the audit trail written), so
    the admin neither adds, edits nor deletes one. The list masks the numbers (identifiers.mask_document);
    a search by a whole number (either side, spaces and case folded) finds its links."""

    list_display = ("document", "other_document", "linked_by", "linked_at")
    list_filter = ("kind", "other_kind", "linked_at")
    list_select_related = ("linked_by",)
    search_fields = ("=number", "=other_number")
    readonly_fields = ("kind", "number", "other_kind", "other_number", "reason", "linked_by", "linked_at")
    date_hierarchy = "linked_at"

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("证件"))
    def document(self, obj):
        return f"{identifiers.chinese_label(obj.kind)} {identifiers.mask_document(obj.kind, obj.number)}"

    @admin.display(description=_("关联证件"))
    def other_document(self, obj):
        kind, number = obj.other_kind, obj.other_number
        return f"{identifiers.chinese_label(kind)} {identifiers.mask_document(kind, number)}"

    def get_search_results(self, request, queryset, search_term):
        # numbers are stored as identifiers.check_document leaves them: full-width folded, no spaces, upper
        # case, a passport's dash or slash dropped (no other type has one)
        folded = identifiers.normalize_document(identifiers.DocumentKind.PASSPORT, search_term)
        return super().get_search_results(request, queryset, folded)

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from . import outbox
from .login import LimitedAdminAuthenticationForm
from .models import (
    AuditEvent,
    CalendarDay,
    CalendarYear,
    Institution,
    Notification,
    Occupation,
    OutboxMail,
    User,
)

# The admin login says, like the portal's, how long to wait (the limits hold in portal.login's backend).
admin.site.login_form = LimitedAdminAuthenticationForm
admin.site.site_header = _("技能认定门户管理")
admin.site.site_title = _("技能认定门户")
admin.site.index_title = _("管理首页")


class ReadOnlyAdminMixin:
    """Records the portal writes itself (draws, reviews, counters, logs): viewed in the admin, never
    added or edited there."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "email", "institution", "is_active", "is_staff")
    list_filter = ("groups", "is_active", "is_staff")
    search_fields = ("username", "first_name", "last_name", "email", "institution__name")
    list_select_related = ("institution",)
    autocomplete_fields = ("institution",)
    fieldsets = BaseUserAdmin.fieldsets + ((_("所属单位"), {"fields": ("institution", "phone")}),)


@admin.register(Institution)
class InstitutionAdmin(admin.ModelAdmin):
    list_display = ("name", "credit_code", "contact_name", "contact_phone", "created_at")
    search_fields = ("name", "credit_code", "contact_name")
    date_hierarchy = "created_at"


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "is_working_day", "note", "updated_by", "updated_at")
    list_filter = ("is_working_day",)
    search_fields = ("note",)
    date_hierarchy = "date"
    readonly_fields = ("updated_by", "updated_at")

    # The admin's save is recorded as admin_added / admin_changed with the changed fields
    # (portal.admin_audit); calendar_day_saved stays registered for the rows recorded before.
    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    """Declared on the calendar page (/calendar/, audited there); read-only here."""

    list_display = ("year", "complete", "declared_by", "declared_at")
    readonly_fields = ("year", "complete", "declared_by", "declared_at")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Occupation)
class OccupationAdmin(admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "industry",
        "category",
        "skill_type",
        "access_type",
        "special_rule",
        "standard_year",
        "in_social_directory",
        "bureau_appraisal",
        "green",
    )
    list_filter = (
        "bureau_appraisal",
        "skill_type",
        "access_type",
        "special_rule",
        "in_social_directory",
        "green",
        "category",
        "industry",
    )
    search_fields = ("code", "name", "work_types")


@admin.register(AuditEvent)
class AuditEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("at", "event", "actor", "target_type", "target_id", "from_state", "to_state", "internal")
    list_filter = ("event", "internal", "target_type")
    search_fields = ("event", "comment", "target_id", "actor__username")
    date_hierarchy = "at"
    list_select_related = ("actor", "target_type")

    # Append-only: nobody edits or deletes the trail, not even an admin.
    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "user", "text", "read_at")
    list_filter = ("read_at",)
    search_fields = ("text", "user__username")
    list_select_related = ("user",)


class MailStateFilter(admin.SimpleListFilter):
    """The mails by where they are: waiting to be sent, sent, or given up (the failed list of staff)."""

    title = _("发送状态")
    parameter_name = "state"
    PENDING, SENT, FAILED = "pending", "sent", "failed"  # the values of ?state=

    def lookups(self, request, model_admin):
        return [(self.PENDING, _("待发送")), (self.SENT, _("已发送")), (self.FAILED, _("发送失败"))]

    def queryset(self, request, queryset):
        if self.value() == self.PENDING:
            return queryset & outbox.pending()
        if self.value() == self.SENT:
            return queryset.filter(sent_at__isnull=False)
        if self.value() == self.FAILED:
            return queryset & outbox.failed()
        return queryset


@admin.register(OutboxMail)
class OutboxMailAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every mail of every procedure (portal.outbox): read here, written only by the procedures."""

    list_display = (
        "to",
        "subject",
        "about_type",
        "created_at",
        "sent_at",
        "attempts",
        "failed_at",
        "last_error",
    )
    list_filter = (MailStateFilter, "sent_at", "about_type")
    search_fields = ("to", "subject", "key")
    date_hierarchy = "created_at"
    actions = ["resend"]

    def has_resend_permission(self, request):
        return request.user.has_perm("portal.resend_outboxmail")

    @admin.action(description=_("重新发送"), permissions=["resend"])
    def resend(self, request, queryset):
        """The admin's POST (CSRF-checked, permission-checked above); the rule is portal.outbox.resend."""
        sent_again = sum(outbox.resend(mail, request.user) for mail in queryset)
        self.message_user(request, _("已重新发送 %(count)d 封邮件。") % {"count": sent_again})

    # One button per failed mail: it posts the change list's own form (its CSRF token) to resend_view.
    def get_list_display(self, request):
        display = super().get_list_display(request)
        return (*display, "resend_button") if self.has_resend_permission(request) else display

    @admin.display(description=_("操作"))
    def resend_button(self, mail):
        if mail.failed_at is None or mail.sent_at is not None:
            return ""
        url = reverse("admin:portal_outboxmail_resend", args=[mail.pk])
        return format_html(
            '<button type="submit" class="button" formaction="{}" formmethod="post">{}</button>',
            url,
            _("重新发送"),
        )

    def get_urls(self):
        resend = path(
            "<int:pk>/resend/", self.admin_site.admin_view(self.resend_view), name="portal_outboxmail_resend"
        )
        return [resend, *super().get_urls()]

    def resend_view(self, request, pk):
        """POST only (the admin's views are CSRF-protected), with the right to resend."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_resend_permission(request):
            raise PermissionDenied
        mail = get_object_or_404(OutboxMail, pk=pk)
        if outbox.resend(mail, request.user):
            self.message_user(request, _("已重新发送 %(count)d 封邮件。") % {"count": 1})
        else:
            self.message_user(request, _("这封邮件不在发送失败之列，未重新发送。"), level=messages.WARNING)
        return redirect(
            f"{reverse('admin:portal_outboxmail_changelist')}?{MailStateFilter.parameter_name}={MailStateFilter.FAILED}"
        )

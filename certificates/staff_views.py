"""Staff pages of issue 8, for centre staff (and the bureau, read-only): find a certificate, revoke it
with a reason, read the lookup log (counts per day, bursts), export certificates as XLSX for the
national system. Applicants and experts get 403, anonymous visitors the login page."""

from datetime import date

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from filings import seals
from filings.models import Seal
from portal import audit, identifiers, roles
from portal.downloads import attachment
from portal.post_only import post_only
from portal.search import any_of

from . import documents, export, export_job, lookup_stats, revocation
from .models import Certificate, IssuanceBatch
from .seal_preview import preview_pdf

STAFF = (roles.CENTRE, roles.BUREAU)


def _crumbs(*tail):
    return [(_("证书管理"), reverse("certificates:staff_certificates")), *tail]


@require_GET
@roles.role_required(*STAFF)
def certificate_list(request):
    certificates = Certificate.objects.only(
        "code",
        "holder_name",
        "id_number",
        "occupation_name",
        "level",
        "institution_name",
        "issue_date",
        "status",
    )
    query = request.GET.get("q", "").strip()
    if query:
        certificates = certificates.filter(
            any_of(query, "code__iexact", "holder_name", "id_number__iexact", "institution_name__icontains")
        )
    status = request.GET.get("status", "")
    if status in Certificate.Status.values:
        certificates = certificates.filter(status=status)
    page = Paginator(certificates.order_by("-issue_date", "code"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/staff/certificate_list.html",
        {
            "page": page,
            "query": query,
            "status_filter": status,
            "statuses": Certificate.Status.choices,
            "can_revoke": revocation.can_revoke(request.user),
            "breadcrumbs": [(_("证书管理"), None)],
        },
    )


class RevocationForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("撤销原因"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=1000,
        help_text=gettext_lazy(
            "例如：经查实弄虚作假取得证书。公众查询证书时会看到撤销日期和撤销原因，请勿填写个人隐私信息。"
        ),
    )
    revoked_on = forms.DateField(
        label=gettext_lazy("撤销日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        required=False,
    )
    # Issue 29 item 11c: one click no longer revokes; the box is checked by the server, not the browser.
    confirm = forms.BooleanField(
        label=gettext_lazy("确认撤销该证书"),
        help_text=gettext_lazy("撤销后证书立即失效，且不可在门户内恢复。"),
        error_messages={"required": gettext_lazy("请勾选“确认撤销该证书”后再提交。")},
    )


class LinkDocumentForm(forms.Form):
    """Another document of the holder (issue 43 item 3): its type, number and the ground for the link."""

    other_kind = forms.ChoiceField(
        label=gettext_lazy("关联证件类型"), choices=identifiers.DocumentKind.choices
    )
    other_number = forms.CharField(label=gettext_lazy("关联证件号码"), max_length=30)
    reason = forms.CharField(
        label=gettext_lazy("关联依据"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=1000,
        help_text=gettext_lazy("例如：核验了本人的居民身份证和护照原件，确认为同一人。"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "link_%s")  # beside the revocation form: ids of its own
        super().__init__(*args, **kwargs)


@require_GET
@roles.role_required(*STAFF)
def certificate_detail(request, code):
    certificate = get_object_or_404(Certificate, code=code)
    return _detail_page(request, certificate, RevocationForm(initial={"revoked_on": timezone.localdate()}))


def _detail_page(request, certificate, form, status=200, link_form=None):
    return render(
        request,
        "certificates/staff/certificate_detail.html",
        {
            "certificate": certificate,
            "form": form,
            "can_revoke": revocation.can_revoke(request.user) and certificate.is_valid,
            "can_link": documents.can_link(request.user),
            "link_form": link_form or LinkDocumentForm(),
            "linked": [
                (identifiers.chinese_label(kind), number) for kind, number in documents.linked_to(certificate)
            ],
            # the links naming the holder's own document, each with its undo form (issue 43 item 3)
            "direct_links": [
                (row, identifiers.chinese_label(kind), number)
                for row in documents.links_of(certificate)
                for kind, number in [_other_side(certificate, row)]
            ],
            "trail": [(event, audit.label(event.event)) for event in audit.trail(certificate)],
            "breadcrumbs": _crumbs((certificate.code, None)),
        },
        status=status,
    )


def _certificate_page(request, code, **_rest):
    """Where a stray GET of a certificate's POST-only address goes (the link's pk of an undo left aside)."""
    return reverse("certificates:staff_certificate", args=[get_object_or_404(Certificate, code=code).code])


@roles.role_required(roles.CENTRE)
@post_only(_certificate_page)
def revoke(request, code):
    certificate = get_object_or_404(Certificate, code=code)
    form = RevocationForm(request.POST)
    if form.is_valid():
        try:
            revocation.revoke(
                certificate, form.cleaned_data["reason"], request.user, on=form.cleaned_data["revoked_on"]
            )
        except revocation.RevocationRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("证书 %(code)s 已撤销。") % {"code": certificate.code})
            return redirect("certificates:staff_certificate", code=certificate.code)
    return _detail_page(request, certificate, form, status=400)


@roles.role_required(roles.CENTRE)
@post_only(_certificate_page)
def link_document(request, code):
    """Links another document of the holder (issue 43 item 3); the rule is documents.link."""
    certificate = get_object_or_404(Certificate, code=code)
    form = LinkDocumentForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            documents.link(
                certificate, data["other_kind"], data["other_number"], data["reason"], request.user
            )
        except documents.LinkRefused as refusal:
            form.add_error(None, str(refusal))
        else:
            messages.success(request, _("已关联该持证人的另一证件。"))
            return redirect("certificates:staff_certificate", code=certificate.code)
    initial = {"revoked_on": timezone.localdate()}
    return _detail_page(request, certificate, RevocationForm(initial=initial), status=400, link_form=form)


def _other_side(certificate, row):
    """The document of ``row`` that is not the certificate's own."""
    own = (certificate.document_kind, certificate.id_number)
    first = (row.kind, row.number)
    return (row.other_kind, row.other_number) if first == own else first


class UnlinkDocumentForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("解除理由"),
        max_length=1000,
        error_messages={"required": gettext_lazy("请填写解除关联的理由。")},
    )


@roles.role_required(roles.CENTRE)
@post_only(_certificate_page)
def unlink_document(request, code, pk):
    """Undoes a link of the holder's document made in error (issue 43 item 3); the rule is documents.unlink."""
    certificate = get_object_or_404(Certificate, code=code)
    row = get_object_or_404(documents.links_of(certificate), pk=pk)
    form = UnlinkDocumentForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["reason"]))
        return redirect("certificates:staff_certificate", code=certificate.code)
    try:
        documents.unlink(certificate, row, form.cleaned_data["reason"], request.user)
    except documents.LinkRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("已解除该证件关联。"))
    return redirect("certificates:staff_certificate", code=certificate.code)


@require_GET
@roles.role_required(*STAFF)
def lookup_stats_view(request):
    days = lookup_stats.daily_counts()
    return render(
        request,
        "certificates/staff/lookup_stats.html",
        {
            "days": days,
            "bursts": lookup_stats.bursts(),
            "kinds": lookup_stats.Kind.choices,
            "per_hour": lookup_stats.constants.LOOKUP_BURST_PER_HOUR,
            "window_days": lookup_stats.constants.LOOKUP_BURST_WINDOW_DAYS,
            "breadcrumbs": _crumbs((_("查询统计"), None)),
        },
    )


class ExportForm(forms.Form):
    batch = forms.ModelChoiceField(
        label=gettext_lazy("签发批次"),
        queryset=IssuanceBatch.objects.order_by("-created_at"),
        required=False,
        empty_label=gettext_lazy("（不限批次）"),
    )
    date_from = forms.DateField(
        label=gettext_lazy("发证日期自"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    date_to = forms.DateField(
        label=gettext_lazy("发证日期至"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def clean(self):
        data = super().clean()
        if not data.get("batch") and not (data.get("date_from") and data.get("date_to")):
            raise forms.ValidationError(_("请选择一个签发批次，或填写发证日期的起止日期。"))
        if data.get("date_from") and data.get("date_to") and data["date_from"] > data["date_to"]:
            raise forms.ValidationError(_("起始日期不能晚于截止日期。"))
        return data

    def description(self) -> str:
        data = self.cleaned_data
        parts = []
        if data.get("batch"):
            parts.append(_("批次 #%(id)s %(name)s") % {"id": data["batch"].pk, "name": data["batch"]})
        if data.get("date_from") or data.get("date_to"):
            parts.append(
                _("发证日期 %(from)s 至 %(to)s")
                % {"from": _iso(data.get("date_from")), "to": _iso(data.get("date_to"))}
            )
        return "；".join(parts)


def _iso(value: date | None) -> str:
    return value.isoformat() if value else "…"


@require_GET
@roles.role_required(*STAFF)
def export_view(request):
    """The form (GET without parameters) and the XLSX download (GET with a batch or a date range:
    a read, so GET; the export is audited because it carries full ID numbers)."""
    if not request.GET:
        return _export_page(request, ExportForm())
    form = ExportForm(request.GET)
    if not form.is_valid():
        return _export_page(request, form, status=400)
    data = form.cleaned_data
    certificates = export.select(
        batch=data.get("batch"), date_from=data.get("date_from"), date_to=data.get("date_to")
    )
    if export_job.is_large(certificates):  # the worker writes it: the page offers the background export
        return _export_page(request, form, large=certificates.count())
    content = export.write_xlsx(certificates, form.description())
    audit.record("certificates_exported", None, request.user, comment=form.description(), internal=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    response = attachment(content, f"certificates-{stamp}.xlsx")
    response["Cache-Control"] = "no-store"
    return response


@roles.role_required(*STAFF)
@post_only("certificates:staff_export")
def export_job_view(request):
    """The same selection as the download, written by the worker (certificates.export_job); the job's page
    shows the progress and offers the file when it is ready."""
    form = ExportForm(request.POST)
    if not form.is_valid():
        return _export_page(request, form, status=400)
    data = form.cleaned_data
    job = export_job.start(
        request.user,
        batch=data.get("batch"),
        date_from=data.get("date_from"),
        date_to=data.get("date_to"),
        description=form.description(),
    )
    return redirect("job_detail", job.pk)


def _export_page(request, form, status=200, large=0):
    return render(
        request,
        "certificates/staff/export.html",
        {
            "form": form,
            "columns": export.COLUMNS,
            "large": large,
            "breadcrumbs": _crumbs((_("导出证书数据"), None)),
        },
        status=status,
    )


def _year(request, today) -> int:
    """The ?year= chosen, this year when absent or not one the selector offers."""
    from .constants import STATISTICS_YEARS

    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        return today.year
    return year if today.year - STATISTICS_YEARS < year <= today.year else today.year


@require_GET
@login_required
def statistics_view(request):
    """The annual statistics (issue 38 item 5), centre and bureau only (anybody else: 404)."""
    from portal import steps

    from . import annual_stats
    from .constants import STATISTICS_YEARS

    steps.only(request, *STAFF)
    today = timezone.localdate()
    year = _year(request, today)
    stats = annual_stats.build(year)
    if request.GET.get("format") == "xlsx":
        return attachment(annual_stats.to_xlsx(stats), f"certification-statistics-{year}.xlsx")
    return render(
        request,
        "certificates/staff/statistics.html",
        {
            "stats": stats,
            "year": year,
            "years": list(range(today.year, today.year - STATISTICS_YEARS, -1)),
            "breadcrumbs": [(_("年度统计"), None)],
        },
    )


@login_required
def seal_preview(request, pk):
    """A sample certificate sheet with one seal (issue 39 item 2), for whoever may see the seal."""
    seal = get_object_or_404(Seal, pk=pk)
    if not seals.may_see(request.user, seal):
        raise Http404
    response = HttpResponse(preview_pdf(seal), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="seal-preview-{seal.pk}.pdf"'
    return response

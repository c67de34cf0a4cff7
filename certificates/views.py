"""Issuance pages: batch list, batch page with a progress bar, its JSON status, resume, downloads.
(The verification page the QR codes open is issue 8's: public_views.verify.)

Applicants see only their own institution's batches and certificates (others give 404); centre and
bureau staff see all."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from portal import roles

from . import issuance, printing
from .models import Certificate, IssuanceBatch, IssuanceItem

ISSUING_ROLES = (roles.APPLICANT, roles.CENTRE, roles.BUREAU)


def _visible_batches(user):
    batches = IssuanceBatch.objects.all()
    if roles.is_staff_reviewer(user):
        return batches
    if user.institution_id:
        return batches.filter(institution_id=user.institution_id)
    return batches.none()


def _visible_certificates(user):
    certificates = Certificate.objects.all()
    if roles.is_staff_reviewer(user):
        return certificates
    if user.institution_id:
        return certificates.filter(institution_id=user.institution_id)
    return certificates.none()


@require_GET
@roles.role_required(*ISSUING_ROLES)
def batch_list(request):
    batches = _visible_batches(request.user).select_related("institution")
    query = request.GET.get("q", "").strip()
    if query:
        batches = batches.filter(Q(institution_name__icontains=query) | Q(title__icontains=query))
    page = Paginator(batches, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/batch_list.html",
        {"page": page, "query": query, "breadcrumbs": [(_("证书签发批次"), None)]},
    )


@require_GET
@roles.role_required(*ISSUING_ROLES)
def batch_detail(request, pk):
    batch = get_object_or_404(_visible_batches(request.user), pk=pk)
    items = batch.items.select_related("certificate").order_by("position")
    status = request.GET.get("status", "")
    if status in IssuanceItem.Status.values:
        items = items.filter(status=status)
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    counts = Certificate.objects.filter(pk__in=batch.items.values("certificate")).aggregate(
        revoked=Count("pk", filter=Q(status=Certificate.Status.REVOKED)),
        valid=Count("pk", filter=Q(status=Certificate.Status.VALID)),
    )
    return render(
        request,
        "certificates/batch_detail.html",
        {
            "batch": batch,
            # Issue 21: revoked certificates are left out of the batch PDF; the page says how many.
            "revoked_count": counts["revoked"],
            "printable_count": counts["valid"],
            "page": page,
            "status_filter": status,
            "item_statuses": IssuanceItem.Status.choices,
            "breadcrumbs": [(_("证书签发批次"), reverse("certificates:batch_list")), (f"#{batch.pk}", None)],
        },
    )


def status_payload(batch: IssuanceBatch) -> dict:
    return {
        "status": batch.status,
        "status_label": str(batch.get_status_display()),
        "total": batch.total,
        "issued": batch.issued_count,
        "existing": batch.existing_count,
        "refused": batch.refused_count,
        "done": batch.done_count,
        "percent": batch.percent,
        "over": batch.is_over,
        "pdf_url": reverse("certificates:batch_pdf", args=[batch.pk]) if batch.pdf else "",
        "error": batch.error,
    }


@require_GET
@roles.role_required(*ISSUING_ROLES)
def batch_status(request, pk):
    batch = get_object_or_404(_visible_batches(request.user), pk=pk)
    response = JsonResponse(status_payload(batch))
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@roles.role_required(*ISSUING_ROLES)
def batch_resume(request, pk):
    batch = get_object_or_404(_visible_batches(request.user), pk=pk)
    if batch.status == IssuanceBatch.Status.FINISHED:
        messages.info(request, _("该批次已完成，无需继续。"))
    else:
        issuance.resume_batch(batch, request.user)
        messages.success(request, _("已重新提交签发任务，已发证的考生不会重复发证。"))
    return redirect("certificates:batch_detail", pk=batch.pk)


@require_GET
@roles.role_required(*ISSUING_ROLES)
def batch_pdf(request, pk):
    """The stored batch PDF, which never holds a revoked certificate (printing.store_batch_pdf). A
    finished batch whose PDF was dropped by a revocation and not printed again yet is printed now."""
    batch = get_object_or_404(_visible_batches(request.user), pk=pk)
    if not batch.pdf and batch.status == IssuanceBatch.Status.FINISHED:
        printing.store_batch_pdf(batch)
    if not batch.pdf:
        raise Http404(_("该批次的 PDF 尚未生成。"))
    return FileResponse(
        batch.pdf.open("rb"), as_attachment=True, filename=f"certificates-batch-{batch.pk}.pdf"
    )


@require_GET
@roles.role_required(*ISSUING_ROLES)
def certificate_pdf(request, code):
    """One certificate's PDF. A revoked one (issue 21): centre and bureau staff get a copy marked 已撤销
    for the file (unsigned: printing.py); the institution gets a page saying when and why
    it was revoked, never a PDF."""
    certificate = get_object_or_404(_visible_certificates(request.user), code=code)
    filename = f"{certificate.code}.pdf"
    if not certificate.is_valid:
        if not roles.is_staff_reviewer(request.user):
            return render(
                request,
                "certificates/revoked.html",
                {
                    "certificate": certificate,
                    "breadcrumbs": [
                        (_("证书签发批次"), reverse("certificates:batch_list")),
                        (certificate.code, None),
                    ],
                },
                status=410,
            )
        filename = f"{certificate.code}-revoked.pdf"
    data, _html = printing.render_certificates([certificate])
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response

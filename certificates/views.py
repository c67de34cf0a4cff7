"""Issuance pages: batch list, batch page with a progress bar, its JSON status, resume, downloads.
(The verification page the QR codes open is issue 8's: public_views.verify.)

Applicants see only their own institution's batches and certificates (others give 404); centre and
bureau staff see all."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from appraisals import workflow as appraisals_workflow
from certification import issuable
from portal import downloads, roles
from portal.errors import PortalError
from portal.post_only import post_only
from portal.search import any_of

from . import issuance, plan_issuing, printing
from .forms import CandidateSelectionForm
from .models import Certificate, IssuanceBatch, IssuanceItem

ISSUING_ROLES = (roles.APPLICANT, roles.CENTRE, roles.BUREAU)


def _visible(model, user):
    """The batches or certificates ``user`` may see: all for staff, their institution's for its users."""
    rows = model.objects.all()
    if roles.is_staff_reviewer(user):
        return rows
    if user.institution_id:
        return rows.filter(institution_id=user.institution_id)
    return rows.none()


def _visible_certificates(user):
    """The certificates ``user`` may download: as :func:`_visible`, and the 职业资格证书 of the 鉴定 the
    user may see (seed 002 附件1 四(六): no institution, the enterprise's users see their 鉴定's)."""
    own = Q(pk__in=_visible(Certificate, user).values("pk"))
    own |= Q(appraisal_candidate__appraisal__in=appraisals_workflow.visible_to(user))
    return Certificate.objects.filter(own)


@require_GET
@roles.role_required(*ISSUING_ROLES)
def batch_list(request):
    batches = _visible(IssuanceBatch, request.user).select_related("institution")
    query = request.GET.get("q", "").strip()
    if query:
        batches = batches.filter(any_of(query, "institution_name__icontains", "title__icontains"))
    page = Paginator(batches, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "certificates/batch_list.html",
        {
            "page": page,
            "query": query,
            # seed 001 第十六条(四): verified plans whose results await the upload and publication
            "awaiting": issuable.awaiting_upload(request.user) if not query else [],
            "breadcrumbs": [(_("证书签发批次"), None)],
        },
    )


@require_GET
@roles.role_required(*ISSUING_ROLES)
def batch_detail(request, pk):
    batch = get_object_or_404(_visible(IssuanceBatch, request.user), pk=pk)
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
            # 重新签发未发证考生 (issue 29 item 1): the plan's 签发证书 page with only the refused ticked.
            "retry_plan": _retry_plan(batch),
            "item_statuses": IssuanceItem.Status.choices,
            "breadcrumbs": [(_("证书签发批次"), reverse("certificates:batch_list")), (f"#{batch.pk}", None)],
        },
    )


def _retry_plan(batch: IssuanceBatch) -> int | None:
    if batch.status != IssuanceBatch.Status.FINISHED or not batch.refused_count:
        return None
    return issuable.plan_of(plan_issuing.refused_keys(batch))


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
    batch = get_object_or_404(_visible(IssuanceBatch, request.user), pk=pk)
    response = JsonResponse(status_payload(batch))
    response["Cache-Control"] = "no-store"
    return response


def _batch_page(request, pk):
    return reverse(
        "certificates:batch_detail", args=[get_object_or_404(_visible(IssuanceBatch, request.user), pk=pk).pk]
    )


@roles.role_required(*ISSUING_ROLES)
@post_only(_batch_page)
def batch_resume(request, pk):
    batch = get_object_or_404(_visible(IssuanceBatch, request.user), pk=pk)
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
    batch = get_object_or_404(_visible(IssuanceBatch, request.user), pk=pk)
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
    return downloads.attachment(data, filename, downloads.PDF)


def _issuing_plan_page(request, pk):
    plan = issuable.issuing_plan(request.user, pk)
    if plan is None:
        raise Http404
    return reverse("certification:plan", args=[plan.pk])


def _retry_keys(request) -> list[str] | None:
    """重新签发未发证考生 (the batch page's button): the page opens with only the candidates that batch
    refused ticked (those that pass the pre-flight now); None otherwise (all that may be issued)."""
    batch_pk = request.POST.get("retry", "")
    if not batch_pk.isdigit():
        return None
    batch = _visible(IssuanceBatch, request.user).filter(pk=int(batch_pk)).first()
    return plan_issuing.refused_keys(batch) if batch is not None else None


@login_required
@post_only(_issuing_plan_page)
def plan_issue(request, pk):
    """签发证书, by the institution's own users or the centre: the plan page's button (a POST, as this
    URL changes state) opens the list of verified passing candidates, all ticked; submitting the ticks
    issues exactly those (issue 7: "all, by plan, or some")."""
    plan = issuable.issuing_plan(request.user, pk)
    if plan is None:
        raise Http404
    plan_page = redirect("certification:plan", plan.pk)
    refusal = issuable.issuing_refusal(plan)
    if refusal:
        messages.error(request, refusal)
        return plan_page
    check = plan_issuing.preflight(plan)
    offered = [row.candidate for row in check.rows]
    submitted = CandidateSelectionForm.is_submission(request.POST)
    form = CandidateSelectionForm(
        offered,
        request.POST if submitted else None,
        refused=check.refusals_by_key(),
        ticked=_retry_keys(request),
    )
    if not offered:
        messages.error(request, _("没有可签发证书的考生。"))
        return plan_page
    if not submitted or not form.is_valid():
        return render(
            request,
            "certificates/plan_issue.html",
            {
                "plan": plan,
                "form": form,
                "preflight": check,
                # the institution's own users add photos (one by one or as a ZIP on the plan page)
                "can_fix_photos": roles.has_role(request.user, roles.APPLICANT)
                and request.user.institution_id == plan.institution_id,
                "selection_action": reverse("certificates:plan_issue", args=[plan.pk]),
                "back_url": reverse("certification:plan", args=[plan.pk]),
                "breadcrumbs": [
                    (_("认定方案"), reverse("certification:plans")),
                    (plan.reference, reverse("certification:plan", args=[plan.pk])),
                    (_("签发证书"), ""),
                ],
            },
        )
    try:
        batch = plan_issuing.issue(plan, request.user, chosen=form.chosen_keys())
    except (PortalError, ValueError) as error:
        for problem in getattr(error, "problems", None) or [str(error)]:
            messages.error(request, problem)
        return plan_page
    messages.success(request, _("已提交证书签发批次（%(n)s 人）。") % {"n": batch.total})
    return redirect("certificates:batch_detail", batch.pk)

"""Pages of the centre's comprehensive review clock (seed 002 综合评审工作流程 五(一): 市鉴定中心在收到材料
后1个月内完成综合评审工作): recording the day the materials arrived, and the queue of running clocks."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import roles, steps, workdays
from portal.post_only import post_only
from portal.search import any_of

from . import review_documents, rules, workflow
from .constants import DUE_SOON_WORKING_DAYS, REVIEW_MONTHS
from .forms import MaterialsForm, ReviewQueueFilterForm
from .models import AssessmentPlan, Candidate, ComprehensiveReview
from .views import visible_plans


def _candidate_page(request, pk, candidate_pk):
    """A stray GET goes to the candidate's page, under the POST's own rule (the centre only)."""
    steps.only(request, roles.CENTRE)
    candidate = get_object_or_404(
        Candidate, plan_id=get_object_or_404(AssessmentPlan, pk=pk).pk, pk=candidate_pk
    )
    return reverse("certification:candidate", args=[candidate.plan_id, candidate.pk])


@login_required
@post_only(_candidate_page)
def review_materials(request, pk, candidate_pk):
    steps.only(request, roles.CENTRE)
    plan = get_object_or_404(AssessmentPlan, pk=pk)
    candidate = get_object_or_404(Candidate.objects.select_related("plan"), plan=plan, pk=candidate_pk)
    form = MaterialsForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("certification:candidate", plan.pk, candidate.pk)
    try:
        workflow.record_materials(candidate, request.user, form.cleaned_data["received_on"])
        messages.success(
            request,
            _("已登记材料收到日期 %(received)s，综合评审须于 %(due)s 前完成。")
            % {
                "received": candidate.review_materials_on.isoformat(),
                "due": candidate.review_due.isoformat(),
            },
        )
    except workflow.WorkflowError as error:
        for problem in getattr(error, "problems", None) or [str(error)]:
            messages.error(request, problem)
    return redirect("certification:candidate", plan.pk, candidate.pk)


@login_required
def review_queue(request):
    """Candidates whose comprehensive review materials have arrived and whose review is not decided yet,
    oldest materials (earliest due date) first; overdue rows red, due within 2 working days amber."""
    if not roles.is_staff_reviewer(request.user):
        raise Http404
    today = timezone.localdate()
    form = ReviewQueueFilterForm(request.GET or None)
    running = Candidate.objects.filter(review_materials_on__isnull=False)
    # The due date grows with the materials date: each filter is one comparison on an indexed column.
    overdue_cutoff = rules.latest_materials_due_by(today - timedelta(days=1))
    soon_cutoff = rules.latest_materials_due_by(workdays.deadline_after(today, DUE_SOON_WORKING_DAYS).date)
    counts = {
        "all": running.count(),
        "overdue": running.filter(review_materials_on__lte=overdue_cutoff).count(),
    }
    rows = running.select_related("plan__institution", "plan__occupation").prefetch_related("reviews")
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            rows = rows.filter(
                any_of(q, "name__icontains", "plan__institution__name__icontains", "plan__title__icontains")
            )
        if form.cleaned_data["clock"] == "overdue":
            rows = rows.filter(review_materials_on__lte=overdue_cutoff)
        elif form.cleaned_data["clock"] == "due_soon":
            rows = rows.filter(review_materials_on__gt=overdue_cutoff, review_materials_on__lte=soon_cutoff)
    page = Paginator(rows.order_by("review_materials_on", "pk"), 25).get_page(request.GET.get("page"))
    items = []
    for candidate in page.object_list:
        reviews = sorted(candidate.reviews.all(), key=lambda r: r.attempt)
        drawn = bool(reviews) and reviews[-1].passed is None
        attempt = reviews[-1].attempt if drawn else len(reviews) + 1
        items.append((candidate, attempt, drawn, rules.clock_status(candidate.review_due, today)))
    return render(
        request,
        "certification/review_queue.html",
        {
            "page": page,
            "items": items,
            "form": form,
            "counts": counts,
            "is_centre": roles.has_role(request.user, roles.CENTRE),
            "review_months": REVIEW_MONTHS,
            "breadcrumbs": [(_("综合评审时限"), "")],
        },
    )


# -- the review's paperwork (综合评审工作流程 五(二)-(五)) ----------------------------------------------------


def _pdf(pdf: bytes, name: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def review_paper(request, pk, candidate_pk, review_pk, kind):
    """One review's paper (申报表, 答辩评分表, 评分表) for whoever may see the plan (its institution, staff)."""
    plan = get_object_or_404(visible_plans(request.user), pk=pk)
    review = get_object_or_404(
        ComprehensiveReview.objects.select_related(
            "candidate__plan__institution", "candidate__plan__occupation"
        ),
        pk=review_pk,
        candidate_id=candidate_pk,
        candidate__plan=plan,
    )
    if not review_documents.paper_applies(review, kind):
        raise Http404
    pdf, _html = review_documents.review_pdf(review, kind)
    return _pdf(pdf, f"review-{review.pk}-{kind}")


@login_required
def review_list(request, pk):
    """The plan's 技师/高级技师评审人员列表 (五(四))."""
    plan = get_object_or_404(visible_plans(request.user).select_related("institution", "occupation"), pk=pk)
    pdf, _html = review_documents.review_list_pdf(plan)
    return _pdf(pdf, f"review-list-{plan.pk}")

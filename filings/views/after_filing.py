"""Thin views of life after filing (Filings II) over filings.after_filing, complaints, supervision and
directory. Every view checks the role on the server: an applicant sees only its own institution's
filings (anything else is a 404); staff pages are for the centre and the bureau; the directory and
the complaint form are public and carry no personal data."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from portal import audit, roles, search, steps, transitions, workdays
from portal.models import User
from portal.post_only import post_only
from portal.ratelimit import hashed_ip, ratelimit
from portal.uploads import random_name, stored_files

from .. import after_filing as after
from .. import complaints, directory, page_cache
from .. import supervision as supervising
from ..constants import State
from ..constants_after import (
    AFTER_QUEUE_PAGE_SIZE,
    CHANGE_OPEN_STATES,
    DIRECTORY_PAGE_SIZE,
    PUBLIC_INSPECTIONS_PAGE_SIZE,
    RENEWAL_WINDOW_DAYS,
    BlacklistState,
    ChangeKind,
    ChangeState,
    ComplaintState,
    ReferralState,
    RenewalState,
    SanctionKind,
    TerminationState,
)
from ..forms.after_filing import (
    BlacklistLiftForm,
    ChangeRequestForm,
    ComplaintCloseForm,
    ComplaintForm,
    DecisionForm,
    DirectoryFilterForm,
    DrawForm,
    EvaluationForm,
    InspectionForm,
    RectificationForm,
    RenewalDecisionForm,
    RenewalForm,
    RevocationForm,
    SanctionForm,
    TerminationForm,
    more_people_formset,
    site_change_formset,
)
from ..forms.supervision import ConcludeReferralForm, PublicResultsForm, PublishInspectionForm, ReferralForm
from ..models import (
    BlacklistEntry,
    ChangeRequest,
    ChangeReview,
    Complaint,
    Filing,
    Inspection,
    InspectionDraw,
    Referral,
    Renewal,
    Sanction,
    TerminationRequest,
)
from .application import score_sheet

AFTER_STATES = (State.FILED, State.EXPIRED, State.CANCELLED, State.REVOKED)


def _staff_only(request):
    if not roles.is_staff_reviewer(request.user):
        raise Http404


# A page for the centre and the bureau (roles.is_staff_reviewer) only.
staff_page = steps.for_role(roles.CENTRE, roles.BUREAU)


def _centre_only(request):
    steps.only(request, roles.CENTRE)


def _after_filing_for(request, pk) -> Filing:
    """A filed (or formerly filed) filing the user may manage: staff any, an applicant its own."""
    rows = Filing.objects.filter(state__in=AFTER_STATES).select_related("institution")
    if roles.is_staff_reviewer(request.user):
        return get_object_or_404(rows, pk=pk)
    if roles.has_role(request.user, roles.APPLICANT) and request.user.institution_id:
        return get_object_or_404(rows, pk=pk, institution_id=request.user.institution_id)
    raise Http404


def _tabs(active):
    counts = {
        "changes": ChangeRequest.objects.filter(state__in=CHANGE_OPEN_STATES).count(),
        "renewals": Renewal.objects.filter(state=RenewalState.SUBMITTED).count(),
        "terminations": TerminationRequest.objects.filter(state=TerminationState.SUBMITTED).count(),
        "complaints": Complaint.objects.exclude(state=ComplaintState.CLOSED).count(),
        "blacklist": after.blacklist_in_force().count(),
        "referrals": supervising.open_referrals().count(),
    }
    return {"active_tab": active, "tab_counts": counts}


# -- applicant: my filed institution -----------------------------------------------------------------


@login_required
def after_mine(request):
    if not roles.has_role(request.user, roles.APPLICANT) or not request.user.institution_id:
        raise Http404
    rows = Filing.objects.filter(institution_id=request.user.institution_id, state__in=AFTER_STATES).order_by(
        "-filed_on", "-pk"
    )
    # The institution's dashboard links here (issue 37): the filings whose renewal window is open.
    window = request.GET.get("renewal") == "window"
    if window:
        rows = rows.filter(after.in_renewal_window_q(workdays.today()))
    return render(
        request,
        "filings/after/mine.html",
        {
            "rows": rows,
            "today": workdays.today(),
            "window": window,
            "renewal_days": RENEWAL_WINDOW_DAYS,
            "breadcrumbs": [(_("备案后管理"), None)],
        },
    )


@login_required
def after_filing(request, pk):
    filing = _after_filing_for(request, pk)
    user = request.user
    today = workdays.today()
    is_staff = roles.is_staff_reviewer(user)
    is_owner = after.is_applicant_of(filing, user)
    window = after.renewal_window(filing)
    context = {
        "filing": filing,
        "today": today,
        "is_staff": is_staff,
        "is_owner": is_owner,
        "is_centre": roles.has_role(user, roles.CENTRE),
        "is_bureau": roles.has_role(user, roles.BUREAU),
        "occupations": filing.occupations.select_related("occupation"),
        "people": filing.people.all(),
        "equipment": filing.equipment.all(),
        "changes": filing.change_requests.select_related("occupation")
        .prefetch_related("more_people", "added_sites", "removed_sites")
        .order_by("-requested_at"),
        "renewals": filing.renewals.order_by("-requested_at"),
        "terminations": filing.terminations.order_by("-requested_at"),
        "sanctions": filing.sanctions.order_by("-decided_on", "-pk"),
        "inspections": filing.inspections.order_by("-inspected_on") if is_staff else [],
        "window": window,
        "days_left": after.days_to_expiry(filing, today),
        "renewal_refusal": after.renewal_refusal(filing, today),
        "live_renewal": after.live_renewal(filing),
        "status": after.public_status(filing, today),
        "change_form": ChangeRequestForm(filing=filing),
        "renewal_form": RenewalForm(),
        "termination_form": TerminationForm(),
        "sanction_form": SanctionForm(),
        "revocation_form": RevocationForm(),
        "rectification_form": RectificationForm(),
        "breadcrumbs": [
            (
                _("备案后管理"),
                reverse("filings:after_changes") if is_staff else reverse("filings:after_mine"),
            ),
            (filing.name, None),
        ],
    }
    return render(request, "filings/after/filing.html", context)


@login_required
def request_change(request, pk):
    filing = _after_filing_for(request, pk)
    if not after.is_applicant_of(filing, request.user):
        raise Http404
    # Two steps, without JavaScript (issue 29 item 10): the page without ?kind= offers the four kinds;
    # ?kind=... (the plan page's staffing message links to ?kind=personnel&action=add) shows that kind's
    # fields only, and the posted kind is validated on its own fields only.
    kind = request.POST.get("kind") if request.method == "POST" else request.GET.get("kind")
    initial = {k: request.GET[k] for k in ("kind", "action") if request.GET.get(k)}
    form = ChangeRequestForm(request.POST or None, filing=filing, initial=initial, kind=kind)
    # Further people of a personnel addition (issue 29 item 2); a post without the rows adds one.
    more = more_people_formset(request.POST if "more-TOTAL_FORMS" in request.POST else None)
    adds_people = (
        form.is_bound and request.POST.get("kind") == "personnel" and request.POST.get("action") == "add"
    )
    rows_ok = not (adds_people and more.is_bound) or more.is_valid()
    # The sites a site change adds (issue 44), checked only for a site change.
    site_rows = site_change_formset(request.POST if "addsite-TOTAL_FORMS" in request.POST else None)
    changes_sites = form.is_bound and request.POST.get("kind") == ChangeKind.SITE and site_rows.is_bound
    rows_ok = rows_ok and (not changes_sites or site_rows.is_valid())
    if (
        request.method == "POST"
        and form.is_valid()
        and rows_ok
        and form.cleaned_data["kind"] == ChangeKind.SITE
        and after.is_empty_site_change(
            site_rows.filled_rows() if changes_sites else (),
            form.cleaned_data.get("removed_sites"),
            form.cleaned_data.get("site_description"),
        )
    ):
        # said beside the note, with the site rows and the choice of removals just above it
        form.add_error("site_description", after.empty_site_change_message())
    if request.method == "POST" and form.is_valid() and rows_ok:
        requested = steps.attempt(
            request,
            lambda: after.request_change(
                filing,
                request.user,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
                more_people=more.filled_rows() if adds_people and more.is_bound else (),
                added_sites=site_rows.filled_rows() if changes_sites else (),
                **form.change_fields(),
            ),
            _("变更申请已提交，等待鉴定中心审核。"),
        )
        if requested:
            return redirect("filings:after_filing", filing.pk)
    elif request.method == "POST":
        messages.error(request, _("提交失败：请按红色提示修改（已填写的内容均已保留）。"))
    return render(
        request,
        "filings/after/change_form.html",
        {
            "filing": filing,
            "form": form,
            "kind": form.chosen_kind,
            "kinds": ChangeKind.choices,
            "more": more,
            "site_rows": site_rows,
            "breadcrumbs": [
                (_("备案后管理"), reverse("filings:after_mine")),
                (filing.name, reverse("filings:after_filing", args=[filing.pk])),
                (_("申请变更"), None),
            ],
        },
    )


@login_required
def request_renewal(request, pk):
    filing = _after_filing_for(request, pk)
    if not after.is_applicant_of(filing, request.user):
        raise Http404
    today = workdays.today()
    form = RenewalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        summary = form.cleaned_data["summary"]
        if steps.attempt(
            request,
            lambda: after.request_renewal(filing, request.user, summary=summary, on=today),
            _("续期申请已提交，等待鉴定中心综合评估。"),
        ):
            return redirect("filings:after_filing", filing.pk)
    return render(
        request,
        "filings/after/renewal_form.html",
        {
            "filing": filing,
            "form": form,
            "refusal": after.renewal_refusal(filing, today),
            "window": after.renewal_window(filing),
            "breadcrumbs": [
                (_("备案后管理"), reverse("filings:after_mine")),
                (filing.name, reverse("filings:after_filing", args=[filing.pk])),
                (_("申请续期"), None),
            ],
        },
    )


def _own_after_page(request, pk):
    filing = _after_filing_for(request, pk)
    if not after.is_applicant_of(filing, request.user):
        raise Http404
    return reverse("filings:after_filing", args=[filing.pk])


def _centre_filing_page(request, pk):
    _centre_only(request)
    return reverse("filings:after_filing", args=[get_object_or_404(Filing, pk=pk).pk])


def _bureau_filing_page(request, pk):
    steps.only(request, roles.BUREAU)
    return reverse("filings:after_filing", args=[get_object_or_404(Filing, pk=pk).pk])


def _centre_record_page(model):
    """The filing page of a centre's record (a sanction, a termination request) of ``model``."""

    def page(request, pk):
        _centre_only(request)
        return reverse("filings:after_filing", args=[get_object_or_404(model, pk=pk).filing_id])

    return page


@login_required
@post_only(_own_after_page)
def request_termination(request, pk):
    filing = _after_filing_for(request, pk)
    if not after.is_applicant_of(filing, request.user):
        raise Http404
    form = TerminationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写终止理由并勾选确认。"))
        return redirect("filings:after_filing", filing.pk)
    reason, follow_up = form.cleaned_data["reason"], form.cleaned_data["follow_up"]
    return steps.run(
        request,
        lambda: after.request_termination(filing, request.user, reason=reason, follow_up=follow_up),
        _("自愿终止申请已提交，鉴定中心办理后将注销备案。"),
        "filings:after_filing",
        filing.pk,
    )


# -- staff: sanctions, revocation, termination --------------------------------------------------------


@login_required
@post_only(_centre_filing_page)
def impose_sanction(request, pk):
    _centre_only(request)
    filing = get_object_or_404(Filing, pk=pk)
    form = SanctionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("filings:after_filing", filing.pk)
    data = form.cleaned_data
    return steps.run(
        request,
        lambda: after.impose_sanction(
            filing,
            request.user,
            kind=data["kind"],
            reason=data["reason"],
            deadline=data.get("deadline"),
            is_public=data.get("is_public", False),
        ),
        _("处理措施已登记。"),
        "filings:after_filing",
        filing.pk,
    )


@login_required
@post_only(_bureau_filing_page)
def revoke(request, pk):
    steps.only(request, roles.BUREAU)
    filing = get_object_or_404(Filing, pk=pk)
    form = RevocationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写撤销理由并勾选确认。"))
        return redirect("filings:after_filing", filing.pk)
    return steps.run(
        request,
        lambda: after.revoke(filing, request.user, reason=form.cleaned_data["reason"]),
        _("已撤销备案，并将该机构纳入黑名单。"),
        "filings:after_filing",
        filing.pk,
    )


@login_required
@post_only(_centre_record_page(Sanction))
def complete_rectification(request, pk):
    _centre_only(request)
    sanction = get_object_or_404(Sanction, pk=pk)
    form = RectificationForm(request.POST)

    def call():
        if not form.is_valid():
            raise after.WorkflowError(_("请填写整改情况。"))
        after.complete_rectification(sanction, request.user, report=form.cleaned_data["report"])

    return steps.run(request, call, _("已登记整改完成。"), "filings:after_filing", sanction.filing_id)


@login_required
@post_only(_centre_record_page(TerminationRequest))
def confirm_termination(request, pk):
    _centre_only(request)
    term = get_object_or_404(TerminationRequest, pk=pk)
    return steps.run(
        request,
        lambda: after.confirm_termination(term, request.user, request.POST.get("comment", "")),
        _("已注销备案。"),
        "filings:after_filing",
        term.filing_id,
    )


# -- staff queues -----------------------------------------------------------------------------------


def _page(request, rows):
    return Paginator(rows, AFTER_QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))


def _search(request, rows, *lookups):
    """The list's free-text box over ``lookups`` (default: the filing's name)."""
    q = (request.GET.get("q") or "").strip()
    if q:
        rows = rows.filter(search.any_of(q, *(lookups or ("filing__name__icontains",))))
    return rows, q


def _in_state(rows, state, values, open_states=None):
    """The rows of the state a staff list is filtered on ("open": every state still being handled)."""
    if state == "open" and open_states is not None:
        return rows.filter(state__in=open_states)
    return rows.filter(state=state) if state in values else rows


def _staff_list(request, template, rows, *, title, tab, **extra):
    """One staff list of life after filing: paged, under the 备案后管理 crumbs and tabs."""
    context = {"page": _page(request, rows), "breadcrumbs": [(_("备案后管理"), None), (title, None)]}
    return render(request, template, {**context, **_tabs(tab), **extra})


@staff_page
def change_queue(request):
    state = request.GET.get("state") or "open"
    rows = ChangeRequest.objects.select_related("filing", "occupation", "requested_by").prefetch_related(
        "more_people", "added_sites", "removed_sites"
    )
    rows, q = _search(request, _in_state(rows, state, ChangeState.values, CHANGE_OPEN_STATES))
    # No limit in the notices for reviewing a change: the working days it has taken show instead.
    rows = rows.annotate(step_began=Coalesce(audit.entered_state(ChangeRequest), "requested_at"))
    return _staff_list(
        request,
        "filings/after/change_queue.html",
        rows.order_by("requested_at", "pk"),
        title=_("变更申请"),
        tab="changes",
        state=state,
        states=ChangeState.choices,
        q=q,
    )


@staff_page
def institution_list(request):
    """Filed (and formerly filed) institutions, for staff to open one and record supervision."""
    state = request.GET.get("state") or State.FILED
    rows = _in_state(Filing.objects.filter(state__in=AFTER_STATES), state, AFTER_STATES)
    q = (request.GET.get("q") or "").strip()
    if q:
        rows = rows.filter(
            Q(name__icontains=q) | Q(credit_code__iexact=q.upper()) | Q(filing_number__icontains=q)
        )
    return _staff_list(
        request,
        "filings/after/institutions.html",
        rows.order_by("valid_until", "pk"),
        title=_("已备案机构"),
        tab="institutions",
        state=state,
        states=[(s, State(s).label) for s in AFTER_STATES],
        q=q,
        today=workdays.today(),
    )


@login_required
def change_detail(request, pk):
    change = get_object_or_404(
        ChangeRequest.objects.select_related("filing", "occupation", "removed_person"), pk=pk
    )
    if not roles.is_staff_reviewer(request.user) and not after.is_applicant_of(change.filing, request.user):
        raise Http404
    experts = User.objects.filter(pk__in=change.drawn_experts) if change.drawn_experts else []
    is_staff = roles.is_staff_reviewer(request.user)
    # The buttons are the machine's (the transitions' sources and permissions), not a restatement.
    offered = set(transitions.available(change, request.user)) & CHANGE_PAGE_STEPS
    reviews = list(change.reviews.select_related("expert")) if is_staff else []
    return render(
        request,
        "filings/after/change_detail.html",
        {
            "change": change,
            "filing": change.filing,
            "experts": experts,
            "reviews": reviews,
            "panel_average": after.change_panel_average(change) if is_staff else None,
            "is_staff": is_staff,
            "offered": offered,
            "decision_form": DecisionForm(),
            "evaluation_form": EvaluationForm(),
            "breadcrumbs": [
                (_("备案后管理"), reverse("filings:after_filing", args=[change.filing_id])),
                (_("变更申请"), None),
            ],
        },
    )


def _conclude_change(change, request, comment):
    form = EvaluationForm(request.POST)
    if not form.is_valid():
        raise after.WorkflowError(_("请填写评估意见和结论。"))
    after.conclude_change_evaluation(
        change,
        request.user,
        score=form.cleaned_data.get("score"),
        opinion=form.cleaned_data["opinion"],
        recommend=form.cleaned_data["recommend"],
    )


def _change_seed(request):
    return (request.POST.get("seed") or "").strip() or None


# The change page's actions: name -> its service step, step(change, request, comment).
CHANGE_STEPS = {
    "approve": lambda c, request, comment: after.decide_change(
        c, request.user, approve=True, comment=comment
    ),
    "reject": lambda c, request, comment: after.reject_change(c, request.user, comment),
    "evaluate": lambda c, request, comment: after.start_change_evaluation(
        c, request.user, seed=_change_seed(request)
    ),
    "conclude": _conclude_change,
    "bureau_approve": lambda c, request, comment: after.approve_change(c, request.user, comment),
    "record": lambda c, request, comment: after.record_change(c, request.user, comment),
}
CHANGE_ACTIONS = tuple(CHANGE_STEPS)
# The transitions of ChangeRequest a staff page offers (lapse is the system's, with its filing).
CHANGE_PAGE_STEPS = {"confirm", "start_evaluation", "conclude", "approve", "reject", "record"}


def _change_page(request, pk, action):
    _staff_only(request)
    if action not in CHANGE_ACTIONS:
        raise Http404
    return reverse("filings:change_detail", args=[get_object_or_404(ChangeRequest, pk=pk).pk])


@login_required
@post_only(_change_page)
def change_act(request, pk, action):
    _staff_only(request)
    if action not in CHANGE_ACTIONS:
        raise Http404
    change = get_object_or_404(ChangeRequest.objects.select_related("filing"), pk=pk)
    step = CHANGE_STEPS[action]
    return steps.run(
        request,
        lambda: step(change, request, request.POST.get("comment", "")),
        _("操作成功。"),
        "filings:change_detail",
        change.pk,
    )


@steps.for_role(roles.EXPERT)
def expert_changes(request):
    """The drawn expert's change evaluations (added occupations or levels); ?status=pending (to score) or
    done (submitted), as the expert's dashboard links them."""
    reviews = (
        ChangeReview.objects.filter(expert=request.user)
        .select_related("change__filing", "change__occupation")
        .order_by("submitted_at", "-change__requested_at")
    )
    status = request.GET.get("status", "")
    if status == "pending":
        reviews = reviews.filter(submitted_at__isnull=True)
    elif status == "done":
        reviews = reviews.filter(submitted_at__isnull=False)
    else:
        status = ""
    return render(
        request,
        "filings/after/expert_changes.html",
        {"reviews": reviews, "status": status, "breadcrumbs": [(_("变更评估"), None)]},
    )


@steps.for_role(roles.EXPERT)
def change_review(request, pk):
    """Filings I's expert score sheet (application.score_sheet: the same three scores)."""
    review = get_object_or_404(
        ChangeReview.objects.select_related("change__filing", "change__occupation"),
        change_id=pk,
        expert=request.user,
    )
    change = review.change
    return score_sheet(
        request,
        review,
        lambda **scores: after.score_change(change, request.user, **scores),
        "filings:expert_changes",
        "filings/after/change_review.html",
        lambda: {
            "change": change,
            "filing": change.filing,
            "occupations": change.filing.occupations.select_related("occupation"),
            # The panel scores while the change's machine can still conclude its evaluation.
            "scoring_open": can_proceed(change.conclude),
            "breadcrumbs": [(_("变更评估"), reverse("filings:expert_changes")), (change.filing.name, None)],
        },
    )


@staff_page
def renewal_queue(request):
    state = request.GET.get("state") or RenewalState.SUBMITTED
    rows = Renewal.objects.select_related("filing", "requested_by")
    rows, q = _search(request, _in_state(rows, state, RenewalState.values))
    return _staff_list(
        request,
        "filings/after/renewal_queue.html",
        rows.order_by("old_valid_until", "pk"),
        title=_("续期申请"),
        tab="renewals",
        state=state,
        states=RenewalState.choices,
        q=q,
    )


@login_required
def renewal_detail(request, pk):
    renewal = get_object_or_404(Renewal.objects.select_related("filing"), pk=pk)
    if not roles.is_staff_reviewer(request.user) and not after.is_applicant_of(renewal.filing, request.user):
        raise Http404
    form = RenewalDecisionForm(request.POST or None)
    if request.method == "POST":
        _centre_only(request)
        if form.is_valid():
            data = form.cleaned_data
            decided = steps.attempt(
                request,
                lambda: after.decide_renewal(
                    renewal,
                    request.user,
                    approve=data["decision"] == "approve",
                    comment=data["comment"],
                    score=data["score"],
                ),
                _("续期评估结论已登记。"),
            )
            if decided:
                return redirect("filings:renewal_detail", renewal.pk)
    return render(
        request,
        "filings/after/renewal_detail.html",
        {
            "renewal": renewal,
            "filing": renewal.filing,
            "form": form,
            "is_centre": roles.has_role(request.user, roles.CENTRE),
            "extended": after.extended_until(renewal.old_valid_until),
            "breadcrumbs": [
                (_("备案后管理"), reverse("filings:after_filing", args=[renewal.filing_id])),
                (_("续期申请"), None),
            ],
        },
    )


@staff_page
def termination_queue(request):
    rows = TerminationRequest.objects.select_related("filing", "requested_by").order_by(
        "state", "requested_at"
    )
    rows, q = _search(request, rows)
    return _staff_list(
        request, "filings/after/termination_queue.html", rows, title=_("自愿终止"), tab="terminations", q=q
    )


@staff_page
def sanction_list(request):
    rows = Sanction.objects.select_related("filing", "created_by").order_by("-decided_on", "-pk")
    kind = request.GET.get("kind") or ""
    if kind in SanctionKind.values:
        rows = rows.filter(kind=kind)
    # The bureau's dashboard links here (issue 37): the rectifications still open (after_filing.open_sanctions).
    if request.GET.get("open") == "on":
        rows = rows.filter(after.open_sanctions_q())
    rows, q = _search(request, rows)
    return _staff_list(
        request,
        "filings/after/sanctions.html",
        rows,
        title=_("处理措施与黑名单"),
        tab="sanctions",
        kind=kind,
        kinds=SanctionKind.choices,
        q=q,
        blacklist=BlacklistEntry.objects.order_by("-listed_on")[:10],
    )


# -- the blacklist (seed 002 第六条): staff read it, the bureau lifts an entry ---------------------------


@staff_page
def blacklist_list(request):
    state = request.GET.get("state") or ""
    rows = _in_state(BlacklistEntry.objects.select_related("lifted_by"), state, BlacklistState.values)
    rows, q = _search(request, rows, "name__icontains", "credit_code__icontains")
    return _staff_list(
        request,
        "filings/after/blacklist.html",
        rows.order_by("-listed_on", "-pk"),
        title=_("黑名单"),
        tab="blacklist",
        state=state,
        states=BlacklistState.choices,
        q=q,
        search_placeholder=_("按机构名称或统一社会信用代码搜索"),
    )


@staff_page
def blacklist_detail(request, pk):
    entry = get_object_or_404(
        BlacklistEntry.objects.select_related("filing", "created_by", "lifted_by"), pk=pk
    )
    may_lift = roles.has_role(request.user, roles.BUREAU) and entry.in_force
    return render(
        request,
        "filings/after/blacklist_detail.html",
        {
            "entry": entry,
            "may_lift": may_lift,
            "form": BlacklistLiftForm() if may_lift else None,
            "breadcrumbs": [
                (_("备案后管理"), reverse("filings:after_changes")),
                (_("黑名单"), reverse("filings:blacklist")),
                (entry.name, None),
            ],
        },
    )


def _bureau_blacklist_page(request, pk):
    steps.only(request, roles.BUREAU)
    return reverse("filings:blacklist_detail", args=[get_object_or_404(BlacklistEntry, pk=pk).pk])


@login_required
@post_only(_bureau_blacklist_page)
def blacklist_lift(request, pk):
    steps.only(request, roles.BUREAU)
    entry = get_object_or_404(BlacklistEntry, pk=pk)
    form = BlacklistLiftForm(request.POST)

    def call():
        if not form.is_valid():
            raise after.WorkflowError(_("请勾选确认后再提交。"))
        after.lift_blacklist(entry, request.user, form.cleaned_data["reason"])

    return steps.run(
        request, call, _("已将该机构移出黑名单，并通知该单位。"), "filings:blacklist_detail", entry.pk
    )


# -- complaints --------------------------------------------------------------------------------------


@ratelimit("filings-complaint", "FILING_COMPLAINT_RATE", "5/h", methods=("POST",))
def complaint_new(request):
    form = ComplaintForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        with stored_files() as files:  # the file goes again if the complaint is not recorded
            stored = ""
            if data.get("attachment"):
                stored = files.save(
                    random_name("complaints", form.attachment_kind), ContentFile(data["attachment"].read())
                )
            complaint = complaints.submit(
                name=data["name"],
                contact=data["contact"],
                institution_name=data.get("institution_name") or "",
                filing=data.get("filing"),
                text=data["text"],
                attachment_name=stored,
                attachment_kind=form.attachment_kind,
                ip_hash=hashed_ip(request),
            )
        messages.success(
            request,
            _("投诉举报已收到，受理编号 %(ref)s。鉴定中心将调查核实并按规定处理。")
            % {"ref": complaint.reference},
        )
        return redirect("filings:directory")
    return render(
        request,
        "filings/public/directory_complaint.html",
        {
            "form": form,
            "breadcrumbs": [(_("评价机构目录"), reverse("filings:directory")), (_("投诉举报"), None)],
        },
    )


@staff_page
def complaint_queue(request):
    state = request.GET.get("state") or "open"
    still_open = [s for s in ComplaintState.values if s != ComplaintState.CLOSED]
    rows = _in_state(
        Complaint.objects.select_related("filing", "assignee"), state, ComplaintState.values, still_open
    )
    q = (request.GET.get("q") or "").strip()
    if q:
        rows = rows.filter(Q(institution_name__icontains=q) | Q(filing__name__icontains=q))
    # No limit in the notices for handling a complaint: the working days it has taken show instead.
    rows = rows.annotate(step_began=Coalesce(audit.entered_state(Complaint), "created_at"))
    return _staff_list(
        request,
        "filings/after/complaint_queue.html",
        rows.order_by("created_at", "pk"),
        title=_("投诉举报"),
        tab="complaints",
        state=state,
        states=ComplaintState.choices,
        q=q,
    )


@staff_page
def complaint_detail(request, pk):
    complaint = get_object_or_404(Complaint.objects.select_related("filing", "assignee", "closed_by"), pk=pk)
    form = ComplaintCloseForm(request.POST or None)
    if request.method == "POST":
        _centre_only(request)
        action = request.POST.get("action")
        try:
            if action == "investigate":
                filing_id = request.POST.get("filing")
                filing = Filing.objects.filter(pk=filing_id, state=State.FILED).first() if filing_id else None
                complaints.start_investigation(complaint, request.user, filing=filing)
                messages.success(request, _("已开始调查核实。"))
                return redirect("filings:complaint_detail", complaint.pk)
            if action == "close" and form.is_valid():
                data = form.cleaned_data
                complaints.close(
                    complaint,
                    request.user,
                    outcome=data["outcome"],
                    outcome_text=data["outcome_text"],
                    sanction_kind=data.get("sanction_kind") or "",
                    deadline=data.get("deadline"),
                )
                messages.success(request, _("投诉举报已办结。"))
                return redirect("filings:complaint_detail", complaint.pk)
        except after.WorkflowError as error:
            steps.refused(request, error)
    return render(
        request,
        "filings/after/complaint_detail.html",
        {
            "complaint": complaint,
            "trail": complaints.trail(complaint),
            "form": form,
            "filed": Filing.objects.filter(state=State.FILED)
            .only("pk", "name", "state", "version")
            .order_by("name"),
            "is_centre": roles.has_role(request.user, roles.CENTRE),
            "breadcrumbs": [(_("投诉举报"), reverse("filings:complaint_queue")), (complaint.reference, None)],
        },
    )


@staff_page
def complaint_attachment(request, pk):
    complaint = get_object_or_404(Complaint, pk=pk)
    if not complaint.attachment:
        raise Http404
    response = FileResponse(complaint.attachment.open("rb"), as_attachment=True)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# -- supervision -------------------------------------------------------------------------------------


@staff_page
def supervision_home(request):
    inspection_form = InspectionForm(initial={"inspected_on": workdays.today()})
    draw_form = DrawForm(initial={"period_start": workdays.today()})
    if request.method == "POST":
        _centre_only(request)
        try:
            if request.POST.get("action") == "draw":
                draw_form = DrawForm(request.POST)
                if draw_form.is_valid():
                    data = draw_form.cleaned_data
                    draw = supervising.random_draw(
                        request.user,
                        period_start=data["period_start"],
                        period_end=data["period_end"],
                        n_institutions=data["n_institutions"],
                        n_inspectors=data["n_inspectors"],
                        seed=data["seed"] or None,
                    )
                    messages.success(
                        request, _("已完成双随机抽取，随机种子 %(seed)s。") % {"seed": draw.seed}
                    )
                    return redirect("filings:draw_detail", draw.pk)
            else:
                inspection_form = InspectionForm(request.POST)
                if inspection_form.is_valid():
                    data = inspection_form.cleaned_data
                    draw = None
                    if request.POST.get("draw"):
                        draw = InspectionDraw.objects.filter(pk=request.POST["draw"]).first()
                    supervising.record_inspection(
                        data["filing"],
                        request.user,
                        kind=data["kind"],
                        method=data["method"],
                        inspected_on=data["inspected_on"],
                        inspectors=data["inspectors"],
                        findings=data["findings"],
                        draw=draw,
                    )
                    messages.success(request, _("督导检查记录已登记。"))
                    return redirect("filings:supervision")
        except after.WorkflowError as error:
            steps.refused(request, error)
    rows = Inspection.objects.select_related("filing", "draw").order_by("-inspected_on", "-pk")
    rows, q = _search(request, rows)
    draws = InspectionDraw.objects.select_related("drawn_by").order_by("-drawn_at")[:20]
    return render(
        request,
        "filings/after/supervision.html",
        {
            "page": _page(request, rows),
            "q": q,
            "draws": draws,
            "inspection_form": inspection_form,
            "draw_form": draw_form,
            "public_url": reverse("filings:public_inspections"),
            "is_centre": roles.has_role(request.user, roles.CENTRE),
            "breadcrumbs": [(_("备案后管理"), None), (_("督导检查"), None)],
            **_tabs("supervision"),
        },
    )


@staff_page
def draw_detail(request, pk):
    draw = get_object_or_404(InspectionDraw.objects.select_related("drawn_by"), pk=pk)
    institutions, inspectors = supervising.replay(draw)
    return render(
        request,
        "filings/after/draw_detail.html",
        {
            "draw": draw,
            "filings": Filing.objects.filter(pk__in=draw.institutions).order_by("name"),
            "inspectors": User.objects.filter(pk__in=draw.inspectors).order_by("username"),
            "reproduced": institutions == sorted(draw.institutions) and inspectors == sorted(draw.inspectors),
            "inspections": draw.inspections.select_related("filing"),
            "breadcrumbs": [(_("督导检查"), reverse("filings:supervision")), (_("双随机抽查"), None)],
        },
    )


def _inspection_page(request, pk):
    _centre_only(request)
    get_object_or_404(Inspection, pk=pk)
    return reverse("filings:supervision")


@login_required
@post_only(_inspection_page)
def inspection_publish(request, pk):
    """一公开 (seed 001 第十九条第二款): the centre publishes an inspection's result."""
    _centre_only(request)
    inspection = get_object_or_404(Inspection, pk=pk)
    form = PublishInspectionForm(request.POST)

    def call():
        if not form.is_valid():
            raise after.WorkflowError(_("请填写处理措施（未发现问题的，写明“未发现问题”）。"))
        supervising.publish_inspection(inspection, request.user, measure=form.cleaned_data["measure"])

    return steps.run(request, call, _("督导检查结果已向社会公开。"), "filings:supervision")


@staff_page
def referral_list(request):
    """移交 (seed 001 第二十四条、第二十六条): the cases referred to other authorities; the centre refers."""
    form = ReferralForm(initial={"referred_on": workdays.today()})
    if request.method == "POST":
        _centre_only(request)
        form = ReferralForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            done = steps.attempt(
                request,
                lambda: supervising.refer(
                    request.user,
                    ground=data["ground"],
                    filing=data["filing"],
                    subject=data["subject"],
                    authority=data["authority"],
                    facts=data["facts"],
                    referred_on=data["referred_on"],
                ),
                _("已登记移交。"),
            )
            if done:
                return redirect("filings:referrals")
    rows = Referral.objects.select_related("filing").order_by("-referred_on", "-pk")
    rows = _in_state(rows, request.GET.get("state") or "", ReferralState.values)
    rows, q = _search(request, rows, "subject__icontains", "authority__icontains", "facts__icontains")
    return _staff_list(
        request,
        "filings/after/referrals.html",
        rows,
        title=_("移交"),
        tab="referrals",
        q=q,
        form=form,
        states=ReferralState.choices,
        state=request.GET.get("state") or "",
        is_centre=roles.has_role(request.user, roles.CENTRE),
        search_placeholder=_("按移交对象、接收部门或事由搜索"),
    )


@staff_page
def referral_detail(request, pk):
    referral = get_object_or_404(
        Referral.objects.select_related("filing", "created_by", "concluded_by"), pk=pk
    )
    can_conclude = roles.has_role(request.user, roles.CENTRE) and "conclude" in transitions.available(
        referral, request.user
    )
    return render(
        request,
        "filings/after/referral_detail.html",
        {
            "referral": referral,
            "form": ConcludeReferralForm(initial={"concluded_on": workdays.today()})
            if can_conclude
            else None,
            "breadcrumbs": [(_("移交"), reverse("filings:referrals")), (referral.subject, None)],
        },
    )


def _referral_page(request, pk):
    _centre_only(request)
    return reverse("filings:referral_detail", args=[get_object_or_404(Referral, pk=pk).pk])


@login_required
@post_only(_referral_page)
def referral_conclude(request, pk):
    _centre_only(request)
    referral = get_object_or_404(Referral, pk=pk)
    form = ConcludeReferralForm(request.POST)

    def call():
        if not form.is_valid():
            raise after.WorkflowError(_("请填写处理结果和反馈日期。"))
        supervising.conclude_referral(referral, request.user, **form.cleaned_data)

    return steps.run(request, call, _("已登记移交处理结果。"), "filings:referral_detail", referral.pk)


# -- public supervision results (一公开) -------------------------------------------------------------------


@ratelimit("filings-inspections", "FILING_DIRECTORY_RATE", "120/m", methods=("GET",))
def public_inspections(request):
    """The published supervision results (seed 001 第十九条第二款): institution, date, finding, measure."""
    form = PublicResultsForm(request.GET or None)
    q = form.cleaned_data.get("q", "") if form.is_valid() else ""
    rows = supervising.public_results(q)
    return render(
        request,
        "filings/public/inspections.html",
        {
            "form": form,
            "q": q,
            "page": Paginator(rows, PUBLIC_INSPECTIONS_PAGE_SIZE).get_page(request.GET.get("page")),
            "breadcrumbs": [(_("评价机构目录"), reverse("filings:directory")), (_("督导检查结果公开"), None)],
        },
    )


# -- public directory ---------------------------------------------------------------------------------


@ratelimit("filings-directory", "FILING_DIRECTORY_RATE", "120/m", methods=("GET",))
def directory_list(request):
    today = workdays.today()
    # The page's content (search form included) is cached until the directory changes (filings.page_cache).
    key, content = page_cache.get(page_cache.DIRECTORY, get_language(), today, request.GET.urlencode())
    if content is None:
        form = DirectoryFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        rows = directory.search(
            q=filters.get("q") or "",
            occupation=filters.get("occupation") or "",
            level=filters.get("level"),
            kind=filters.get("kind") or "",
            route=filters.get("route") or "",
        )
        page = Paginator(rows, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = directory.annotate(page.object_list, today)
        content = render_to_string(
            "filings/public/_directory_content.html",
            {"page": page, "form": form, "today": today, "request": request},
        )
        page_cache.put(page_cache.DIRECTORY, key, content)
    return render(
        request,
        "filings/public/directory.html",
        {
            "content": mark_safe(content),  # our own template's output, escaped when it was rendered
            "breadcrumbs": [(_("评价机构目录"), None)],
        },
    )


def directory_detail(request, pk):
    filing = get_object_or_404(directory.filed(), pk=pk)
    today = workdays.today()
    (row,) = directory.annotate([filing], today)
    return render(
        request,
        "filings/public/directory_detail.html",
        {
            "filing": row,
            "sanctions": list(filing.sanctions.filter(is_public=True)),
            "inspections": list(supervising.public_results().filter(filing=filing)[:20]),
            "today": today,
            "breadcrumbs": [(_("评价机构目录"), reverse("filings:directory")), (filing.name, None)],
        },
    )


@ratelimit("filings-directory-xlsx", "FILING_DIRECTORY_XLSX_RATE", "20/m", methods=("GET",))
def directory_xlsx(request):
    today = workdays.today()
    content = directory.xlsx(directory.filed().order_by("name", "pk"), today)
    response = HttpResponse(
        content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="institution-directory-{today:%Y%m%d}.xlsx"'
    return response

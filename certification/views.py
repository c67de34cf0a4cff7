"""Thin views over certification.workflow / imports: every view checks who is asking on the server;
another institution's plan is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eligibility import roster as eligibility_roster
from filings import institutions
from portal import audit, roles, steps, transitions
from portal.downloads import attachment
from portal.post_only import post_only
from portal.search import any_of

from . import (
    attendance,
    import_jobs,
    imports,
    issuable,
    photo_check,
    photo_zip,
    photos,
    rules,
    sessions,
    summary,
    workflow,
)
from .constants import PLAN_LEAD_WORKING_DAYS, UPLOAD_WORKING_DAYS, Level, StaffRole, State
from .forms import (
    CommentForm,
    PlanFilterForm,
    PlanForm,
    ReasonForm,
    ReviewForm,
    ScoreForm,
    StaffForm,
    SummaryForm,
    UploadedForm,
    UploadForm,
)
from .models import AssessmentPlan, Candidate, ComprehensiveReview, Panelist, PlanStaff

CANDIDATES_PER_PAGE = 100


# -- who may see what -------------------------------------------------------------------------------


def visible_plans(user):
    if roles.is_staff_reviewer(user):
        # Drafts are the institution's own work until submitted.
        return AssessmentPlan.objects.exclude(state=State.DRAFT)
    if roles.has_role(user, roles.APPLICANT) and user.institution_id:
        return AssessmentPlan.objects.filter(institution_id=user.institution_id)
    return AssessmentPlan.objects.none()


def visible_plan(request, pk) -> AssessmentPlan:
    """A plan the user may read (visible_plans): its institution's, or centre and bureau staff's once it is
    submitted; anyone else 404."""
    return get_object_or_404(visible_plans(request.user).select_related("institution", "occupation"), pk=pk)


def own_plan(request, pk) -> AssessmentPlan:
    """A plan of the user's own institution; anyone else 404."""
    if not roles.has_role(request.user, roles.APPLICANT) or not request.user.institution_id:
        raise Http404
    return get_object_or_404(
        AssessmentPlan.objects.select_related("institution", "occupation"),
        pk=pk,
        institution_id=request.user.institution_id,
    )


def _centre(request, pk) -> AssessmentPlan:
    steps.only(request, roles.CENTRE)
    return get_object_or_404(AssessmentPlan.objects.select_related("institution", "occupation"), pk=pk)


def _plan_url(plan, anchor=""):
    return reverse("certification:plan", args=[plan.pk]) + anchor


def _back(plan, anchor=""):
    return redirect(_plan_url(plan, anchor))


def _plan_page(get_plan, anchor=""):
    """Where a stray GET of a plan's POST-only address goes: the plan page, found by ``get_plan`` (the
    POST's own rule, so an outsider gets the same 404)."""

    def page(request, pk, **_ignored):
        return reverse("certification:plan", args=[get_plan(request, pk).pk]) + anchor

    return page


def _candidate_page(get_plan):
    """The candidate's page, for a stray GET of one of its POST-only addresses (the POST's rule)."""

    def page(request, pk, candidate_pk, **_ignored):
        candidate = get_object_or_404(Candidate, plan=get_plan(request, pk), pk=candidate_pk)
        return reverse("certification:candidate", args=[pk, candidate.pk])

    return page


def _plan_step(get_plan, step, done, post_field=None):
    """A POST view that runs ``workflow.<step>`` on the plan ``get_plan`` finds for the user and goes back
    to the plan page: ``done`` on success, the step's refusals as messages. ``post_field``: the posted
    field (a comment, a reason) the step takes after the actor."""

    @login_required
    @post_only(_plan_page(get_plan))
    def view(request, pk):
        plan = get_plan(request, pk)
        given = [request.POST.get(post_field, "")] if post_field else []
        return steps.run(
            request, lambda: getattr(workflow, step)(plan, request.user, *given), done, _plan_url(plan)
        )

    return view


# -- lists -------------------------------------------------------------------------------------------


# The states of the institution's own deadlines (PlanFilterForm.step, its dashboard).
SUBMIT_STATES = (State.DRAFT, State.RETURNED)
REPORT_STATES = (State.APPROVED, State.IN_PROGRESS)


@login_required
def plan_list(request):
    if not (roles.is_staff_reviewer(request.user) or roles.has_role(request.user, roles.APPLICANT)):
        raise Http404
    form = PlanFilterForm(request.GET or None)
    plans = (
        visible_plans(request.user)
        .select_related("institution", "occupation")
        .annotate(n=Count("candidates"))
    )
    counts = dict(
        visible_plans(request.user).values_list("state").annotate(c=Count("id")).values_list("state", "c")
    )
    clock_filter = ""
    if form.is_valid():
        q = form.cleaned_data["q"].strip()
        if q:
            plans = plans.filter(
                any_of(
                    q,
                    "title__icontains",
                    "institution__name__icontains",
                    "occupation__name__icontains",
                    "occupation__code",
                )
            )
        if form.cleaned_data["state"]:
            plans = plans.filter(state=form.cleaned_data["state"])
        clock_filter = form.cleaned_data["clock"]
    today = timezone.localdate()
    step = form.cleaned_data["step"] if form.is_valid() else ""
    if step == "submit":
        plans = plans.filter(state__in=SUBMIT_STATES)
        if clock_filter:  # a clock on the start date, in the database (rules.submit_clock_q)
            plans = plans.filter(rules.submit_clock_q(clock_filter, today)[0])
            clock_filter = ""
    elif step == "report":
        plans = plans.filter(state__in=REPORT_STATES)
    plans = (
        plans.order_by("start_date", "pk")
        if roles.is_staff_reviewer(request.user)
        else plans.order_by("-created_at")
    )
    rows = []
    if clock_filter:
        # The due dates are computed on the working-day calendar, so this filter runs in Python on the
        # plans whose clock is running (the states are indexed).
        running = plans.filter(
            state__in=[State.APPROVED, State.IN_PROGRESS, State.RESULTS_REPORTED, State.VERIFIED]
        )
        for plan in running:
            clock, due = plan.clock()
            due_on = due.date if due else None
            # "today" (the dashboard's figure, issue 37): due today, a part of "due_soon".
            if (
                (due_on == today)
                if clock_filter == "today"
                else rules.clock_status(due_on, today) == clock_filter
            ):
                rows.append(plan)
        page = Paginator(rows, 25).get_page(request.GET.get("page"))
    else:
        page = Paginator(plans, 25).get_page(request.GET.get("page"))
    items = []
    for plan in page.object_list:
        clock, due = plan.clock()
        items.append((plan, clock, due, rules.clock_status(due.date if due else None, today)))
    return render(
        request,
        "certification/plan_list.html",
        {
            "page": page,
            "items": items,
            "form": form,
            "counts": [
                (value, label, counts.get(value, 0))
                for value, label in State.choices
                if value != State.DRAFT or not roles.is_staff_reviewer(request.user)
            ],
            "staff": roles.is_staff_reviewer(request.user),
            # 新建认定方案 is offered only to an institution that may create a plan (the form's rule)
            "new_plan_refusal": None
            if roles.is_staff_reviewer(request.user)
            else workflow.plan_creation_refusal(request.user.institution),
            "breadcrumbs": [(_("认定方案"), "")],
        },
    )


# -- the institution's plan ----------------------------------------------------------------------


def _plan_form(request, plan=None):
    """The plan form of the user's institution: a new plan (``plan`` None) or an editable one."""
    institution = request.user.institution
    route, kind = workflow.institution_profile(institution)
    refusal = workflow.plan_creation_refusal(institution) if plan is None else None
    if refusal:
        messages.error(request, refusal)
        return redirect("certification:plans")
    scope = institutions.filed_scope(institution)
    form = PlanForm(request.POST or None, instance=plan, scope=scope, route=route, kind=kind)
    if request.method == "POST" and form.is_valid():
        if plan is not None:
            form.save()
            messages.success(request, _("认定方案已保存。"))
            return _back(plan)
        plan = form.save(commit=False)
        plan.institution = institution
        plan.created_by = request.user
        plan.save()
        audit.record("certification_plan_created", plan, request.user)
        messages.success(request, _("认定方案已保存。请上传考生名册并安排考评、督导人员。"))
        return _back(plan)
    return render(
        request,
        "certification/plan_form.html",
        {
            "form": form,
            "plan": plan,
            "lead_days": PLAN_LEAD_WORKING_DAYS,
            "breadcrumbs": [
                (_("认定方案"), reverse("certification:plans")),
                (plan.reference if plan else _("新建认定方案"), ""),
            ],
        },
    )


@login_required
def plan_new(request):
    if not roles.has_role(request.user, roles.APPLICANT) or not request.user.institution_id:
        raise Http404
    return _plan_form(request)


@login_required
def plan_edit(request, pk):
    plan = own_plan(request, pk)
    if not plan.editable:
        messages.error(request, _("认定方案已报送，不能修改。"))
        return _back(plan)
    return _plan_form(request, plan)


@login_required
def plan_detail(request, pk):
    plan = visible_plan(request, pk)
    user = request.user
    is_owner = roles.has_role(user, roles.APPLICANT) and user.institution_id == plan.institution_id
    is_centre = roles.has_role(user, roles.CENTRE)
    # The steps the page offers are the machine's (its sources and permissions), not a restatement.
    offered = set(transitions.available(plan, user))
    stats = plan.candidates.aggregate(
        n_total=Count("id"),
        n_eligible=Count("id", filter=Q(eligible=True)),
        n_overridden=Count("id", filter=Q(eligible=False) & ~Q(override_reason="")),
        n_returned=Count("id", filter=Q(verification="returned")),
    )
    candidates = plan.candidates.prefetch_related("reviews")
    show = request.GET.get("show", "")
    if show == "ineligible":
        candidates = candidates.filter(eligible=False)
    elif show == "returned":
        candidates = candidates.filter(verification="returned")
    page = Paginator(candidates, CANDIDATES_PER_PAGE).get_page(request.GET.get("page"))
    missed = attendance.absences(page.object_list)  # issue 44: 缺考 shown in the exam's column
    rows = [
        (
            c,
            workflow.candidate_passed(c, plan.methods),
            workflow.needs_review(c, plan.methods),
            missed.get(c.pk, ()),
        )
        for c in page.object_list
    ]
    people = []
    if is_owner and plan.editable:
        for source, label in (
            ("assessor", _("考评人员")),
            ("supervisor", _("督导人员")),
            ("staff", _("专职工作人员")),
        ):
            people += [(p, label) for p in institutions.filed_personnel(plan.institution, source)]
    clock, due = plan.clock()
    context = {
        "plan": plan,
        "stats": stats,
        "page": page,
        "rows": rows,
        "show": show,
        "staff": list(plan.staff.all()),
        "is_owner": is_owner,
        "is_centre": is_centre,
        "offered": offered,
        "verifying": {"verify", "return_results"} <= offered,
        "refusals": workflow.plan_refusals_with_links(plan, timezone.localdate())
        if is_owner and plan.editable
        else [],
        # The centre sees the same checks again (a filing may have expired since the submission).
        "centre_checks": workflow.plan_refusals(plan, timezone.localdate(), submitted_on=plan.submitted_on)
        if "approve" in offered
        else None,
        "first_start": rules.first_allowed_start(timezone.localdate())
        if is_owner and plan.editable
        else None,
        "staff_form": StaffForm(people=people) if people else None,
        "upload_form": UploadForm(),
        "uploaded_form": UploadedForm(initial={"uploaded_on": timezone.localdate()})
        if "mark_uploaded" in offered
        else None,
        # seed 001 第十六条(四): why certificates cannot be issued yet, and what is awaited
        "issuing_closed": issuable.issuing_refusal(plan)
        if plan.state == State.VERIFIED and (is_centre or is_owner)
        else None,
        "reason_form": ReasonForm(),
        "comment_form": CommentForm(),
        "clock": clock,
        "due": due,
        "clock_status": rules.clock_status(due.date if due else None, timezone.localdate()),
        "trail": [
            (e, audit.label(e.event))
            for e in audit.trail(plan, include_internal=is_centre).order_by("at", "id")
        ],
        "can_scores": imports.can_enter_scores(plan, user),
        "upload_errors": _take_upload_errors(request, plan) if is_owner else None,
        "photo_results": request.session.pop(PHOTO_ZIP_RESULTS.format(pk=plan.pk), None)
        if is_owner
        else None,
        "photo_requirements": photo_check.requirements(),
        "photos_missing": plan.candidates.filter(Q(photo="") | Q(photo__isnull=True)).count()
        if is_owner
        else 0,
        "retention_until": rules.retention_until(plan.end_date),
        "upload_days": UPLOAD_WORKING_DAYS,
        "breadcrumbs": [(_("认定方案"), reverse("certification:plans")), (plan.reference, "")],
    }
    return render(request, "certification/plan_detail.html", context)


UPLOAD_ERRORS_SHOWN = 500


def _keep_upload_errors(request, plan, what, errors) -> None:
    """A refused file's row errors, kept in the session for the plan page the POST redirects to
    (post/redirect/get, issue 29 item 5: a reload never posts the file again)."""
    request.session[f"certification_upload_errors_{plan.pk}"] = {
        "what": str(what),
        "errors": [[line, str(error)] for line, error in errors[:UPLOAD_ERRORS_SHOWN]],
        "total": len(errors),
    }


def _take_upload_errors(request, plan) -> dict | None:
    """The row errors kept for the plan, shown once (like a message)."""
    return request.session.pop(f"certification_upload_errors_{plan.pk}", None)


def _import_upload(importer, *, missing, what, done, background=None):
    """The POST view of a roster or score sheet upload (``imports.<importer>``): all rows or none; the row
    errors are listed on the plan page the upload returns to. ``background(request, plan, upload)``: the
    job that imports a large file on the worker instead (its page shows the progress), or None."""

    @login_required
    @post_only(_plan_page(own_plan))
    def view(request, pk):
        plan = own_plan(request, pk)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            messages.error(request, missing)
            return _back(plan)
        try:
            job = background(request, plan, form.cleaned_data["file"]) if background else None
            if job is not None:
                return redirect("job_detail", job.pk)
            result = getattr(imports, importer)(plan, form.cleaned_data["file"], request.user)
        except workflow.WorkflowError as error:
            steps.refused(request, error)
            return _back(plan)
        if not result.ok:
            _keep_upload_errors(request, plan, what, result.errors)
            messages.error(
                request,
                _("%(what)s有 %(n)s 处错误，未作任何修改，请按下方清单修改后重新上传。")
                % {"what": what, "n": len(result.errors)},
            )
            return _back(plan, "#upload-errors")
        messages.success(request, done % {"n": result.count})
        if getattr(result, "kept", None):
            messages.info(
                request,
                _("经门户受理的职称贯通考生（%(names)s）已保留在名册中，未被上传的名册替换。")
                % {"names": "、".join(result.kept)},
            )
        for line, name in getattr(result, "duplicates", None) or []:
            messages.info(
                request,
                _("第 %(line)s 行 %(name)s 已经门户受理在名册中，该行未重复导入。")
                % {"line": line, "name": name},
            )
        return _back(plan)

    return view


def _roster_job(request, plan, upload):
    """A roster of more than ROSTER_BACKGROUND_ROWS rows goes to the worker (certification.import_jobs)."""
    workflow.check_editable(plan, request.user)  # refused at once, as the page's import would be
    large = import_jobs.large_roster(upload)
    if large is None:
        return None
    data, kind = large
    return import_jobs.start_roster(plan, request.user, data, upload.name, kind)


roster_upload = _import_upload(
    "import_roster",
    missing=gettext_lazy("请选择名册文件。"),
    what=gettext_lazy("考生名册"),
    done=gettext_lazy("已导入 %(n)s 名考生。"),
    background=_roster_job,
)
scores_upload = _import_upload(
    "import_scores",
    missing=gettext_lazy("请选择成绩单文件。"),
    what=gettext_lazy("成绩单"),
    done=gettext_lazy("已录入 %(n)s 名考生的成绩。"),
)


@login_required
def roster_template(request):
    if not request.user.is_authenticated:
        raise Http404
    # without the 附件2 title columns, which a plan's roster import ignores (read_roster(titles=False))
    return attachment(eligibility_roster.write_template(titles=False, plan=True), "roster-template.xlsx")


@login_required
@post_only(_plan_page(own_plan, "#staff"))
def staff_add(request, pk):
    plan = own_plan(request, pk)
    role, person = request.POST.get("role", ""), request.POST.get("person", "")
    if role not in StaffRole.values:
        raise Http404
    return steps.run(
        request,
        lambda: workflow.assign_staff(plan, request.user, role, person),
        None,
        _plan_url(plan, "#staff"),
    )


@login_required
@post_only(_plan_page(own_plan, "#staff"))
def staff_remove(request, pk, staff_pk):
    plan = own_plan(request, pk)
    if not steps.attempt(request, lambda: workflow.check_editable(plan, request.user)):
        return _back(plan)
    person = PlanStaff.objects.filter(plan=plan, pk=staff_pk).first()
    busy = sessions.staffed_session(person) if person else None
    if busy is not None:
        messages.error(
            request,
            _("%(name)s 已安排在考场 %(session)s，请先调整考场安排再移除。")
            % {"name": person.name, "session": busy},
        )
        return _back(plan, "#staff")
    PlanStaff.objects.filter(plan=plan, pk=staff_pk).delete()
    return _back(plan, "#staff")


plan_submit = _plan_step(own_plan, "submit", gettext_lazy("认定方案已报送市鉴定中心审查。"))


@login_required
def scores_template(request, pk):
    plan = visible_plan(request, pk)
    return attachment(imports.score_template(plan), f"scores-{plan.pk}.xlsx")


plan_report = _plan_step(own_plan, "report_results", gettext_lazy("认定结果已上报市鉴定中心。"))


@login_required
def plan_file(request, pk, which):
    plan = visible_plan(request, pk)
    field = {"roster": plan.roster_file, "scores": plan.score_file}.get(which)
    if not field:
        raise Http404
    return FileResponse(
        field.open("rb"), as_attachment=True, filename=f"{which}-{plan.pk}.{field.name.rsplit('.', 1)[-1]}"
    )


@login_required
def review_sheet(request, pk):
    """The plan's comprehensive review records (综合评审汇总表) as XLSX, kept with the plan."""
    from openpyxl import Workbook

    from portal.sheets import safe_cell

    plan = visible_plan(request, pk)
    reviews = (
        ComprehensiveReview.objects.filter(candidate__plan=plan)
        .select_related("candidate")
        .prefetch_related("panelists__expert")
        .order_by("candidate__row", "attempt")
    )
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("综合评审汇总表"))
    sheet.append(
        [
            _("姓名"),
            _("等级"),
            _("评审次数"),
            _("评审日期"),
            _("抽取随机种子"),
            _("评审专家"),
            _("论文成绩"),
            _("答辩成绩"),
            _("总评（40%/60%）"),
            _("答辩问题"),
            _("业绩评定成绩"),
            _("评审通过"),
        ]
    )
    for r in reviews:
        ticks = "、".join(
            f"{p.expert.display_name}:{'' if p.tick is None else (_('通过') if p.tick else _('不通过'))}"
            for p in r.panelists.all()
        )
        sheet.append(
            [
                safe_cell(r.candidate.name),
                r.candidate.level,
                r.attempt,
                r.held_on.isoformat(),
                str(r.seed),
                safe_cell(ticks),
                r.thesis_score,
                r.defence_score,
                r.defence_total,
                safe_cell("；".join(r.questions)),
                r.performance_score,
                "" if r.passed is None else (_("通过") if r.passed else _("不通过")),
            ]
        )
    out = __import__("io").BytesIO()
    workbook.save(out)
    return attachment(out.getvalue(), f"reviews-{plan.pk}.xlsx")


# -- one candidate -----------------------------------------------------------------------------------


@login_required
def candidate_detail(request, pk, candidate_pk):
    plan = visible_plan(request, pk)
    candidate = get_object_or_404(Candidate, plan=plan, pk=candidate_pk)
    can_scores = imports.can_enter_scores(plan, request.user)
    score_form = ScoreForm(
        request.POST if request.method == "POST" and can_scores else None,
        initial={
            "theory_score": candidate.theory_score,
            "practical_score": candidate.practical_score,
            "other_result": candidate.other_result,
            "other_note": candidate.other_note,
        },
    )
    if request.method == "POST":
        if not can_scores:
            raise Http404
        if score_form.is_valid():
            data = score_form.cleaned_data
            problems = imports.enter_score(
                candidate,
                request.user,
                theory=data["theory_score"],
                practical=data["practical_score"],
                other_result=data["other_result"],
                note=data["other_note"],
            )
            if not problems:
                messages.success(request, _("成绩已保存。"))
                return redirect("certification:candidate", plan.pk, candidate.pk)
            for p in problems:
                score_form.add_error(None, p)
    reviews = list(candidate.reviews.prefetch_related("panelists__expert").order_by("attempt"))
    open_review = reviews[-1] if reviews and reviews[-1].passed is None else None
    review_form = None
    if open_review and roles.has_role(request.user, roles.CENTRE):
        review_form = ReviewForm(panelists=list(open_review.panelists.all()), senior=candidate.level == 1)
    return render(
        request,
        "certification/candidate.html",
        {
            "plan": plan,
            "candidate": candidate,
            "score_form": score_form if can_scores else None,
            "reviews": reviews,
            "open_review": open_review,
            "review_form": review_form,
            "is_centre": roles.has_role(request.user, roles.CENTRE),
            "photo_requirements": photo_check.requirements(),
            "can_photo": roles.has_role(request.user, roles.APPLICANT)
            and request.user.institution_id == plan.institution_id
            and photos.may_add(candidate),
            "photo_after_verification": photos.locked(candidate) and not candidate.photo,
            "review_applies": workflow.review_applies(candidate),
            # seed 002 综合评审工作流程 五(一): the week after the exams is over and no materials arrived
            "materials_overdue": candidate.materials_submission_due is not None
            and candidate.review_materials_on is None
            and timezone.localdate() > candidate.materials_submission_due,
            "last_location": reviews[-1].location if reviews else "",
            "needs_review": workflow.needs_review(candidate, plan.methods),
            "review_status": rules.clock_status(candidate.review_due, timezone.localdate())
            if candidate.review_due and (not reviews or reviews[-1].passed is None)
            else "",
            "passed": workflow.candidate_passed(candidate, plan.methods),
            "reason_form": ReasonForm(),
            "breadcrumbs": [
                (_("认定方案"), reverse("certification:plans")),
                (plan.reference, reverse("certification:plan", args=[plan.pk])),
                (candidate.name, ""),
            ],
        },
    )


@login_required
@post_only(_candidate_page(own_plan))
def candidate_photo(request, pk, candidate_pk):
    """The institution uploads the candidate's 2-inch photo (printed on the certificate, seed 004 附件6):
    freely until the results are verified, afterwards only where it is missing, audited
    (certification.photos)."""
    plan = own_plan(request, pk)
    candidate = get_object_or_404(Candidate.objects.select_related("plan"), plan=plan, pk=candidate_pk)
    upload = request.FILES.get("photo")
    if upload is None:
        messages.error(request, _("请选择照片文件。"))
        return redirect("certification:candidate", plan.pk, candidate.pk)
    try:
        photos.store(candidate, upload, request.user)
    except photos.PhotoRefused as error:
        messages.error(request, str(error))
        return redirect("certification:candidate", plan.pk, candidate.pk)
    messages.success(request, _("照片已上传。"))
    return redirect("certification:candidate", plan.pk, candidate.pk)


PHOTO_ZIP_RESULTS = "certification_photo_zip_{pk}"


@login_required
@post_only(_plan_page(own_plan))
def photos_zip(request, pk):
    """Candidate photos as one ZIP named by ID number (certification.photo_zip); the per-file result is
    shown once on the plan page the POST returns to (post/redirect/get)."""
    plan = own_plan(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("请选择照片压缩包（ZIP）。"))
        return _back(plan, "#photos")
    if import_jobs.photos_are_many(upload):  # the worker imports it, the job's page shows the progress
        return redirect("job_detail", import_jobs.start_photos(plan, request.user, upload).pk)
    try:
        results = photo_zip.import_photos(plan, upload, request.user)
    except photo_zip.PhotoZipRefused as error:
        messages.error(request, str(error))
        return _back(plan, "#photos")
    saved = sum(1 for r in results if r.saved)
    request.session[PHOTO_ZIP_RESULTS.format(pk=plan.pk)] = [
        [r.name, r.candidate, r.saved, str(r.message)] for r in results[:UPLOAD_ERRORS_SHOWN]
    ]
    (messages.success if saved == len(results) else messages.warning)(
        request,
        _("照片压缩包共 %(n)s 个文件：已保存 %(saved)s 个，未保存 %(bad)s 个。")
        % {"n": len(results), "saved": saved, "bad": len(results) - saved},
    )
    return _back(plan, "#photos")


@login_required
def candidate_photo_file(request, pk, candidate_pk):
    plan = visible_plan(request, pk)
    candidate = get_object_or_404(Candidate, plan=plan, pk=candidate_pk)
    if not candidate.photo:
        raise Http404
    return FileResponse(candidate.photo.open("rb"))


def _centre_acts_on_candidate(request, pk, candidate_pk, act):
    """The centre's POST on one candidate: ``act(candidate)`` runs a workflow step and returns the
    success message (refusals become messages); back to the candidate's page."""
    plan = _centre(request, pk)
    candidate = get_object_or_404(Candidate, plan=plan, pk=candidate_pk)
    return steps.run(request, lambda: act(candidate), str, "certification:candidate", plan.pk, candidate.pk)


@login_required
@post_only(_candidate_page(_centre))
def candidate_override(request, pk, candidate_pk):
    def override(candidate):
        workflow.override_candidate(candidate, request.user, request.POST.get("reason", ""))
        return _("已人工确认该考生。")

    return _centre_acts_on_candidate(request, pk, candidate_pk, override)


@login_required
@post_only(_candidate_page(_centre))
def review_draw(request, pk, candidate_pk):
    def draw(candidate):
        review = workflow.draw_review(candidate, request.user, location=request.POST.get("location", ""))
        return _("已随机抽取 %(n)s 名评审专家（随机种子 %(seed)s）。") % {
            "n": review.panelists.count(),
            "seed": review.seed,
        }

    return _centre_acts_on_candidate(request, pk, candidate_pk, draw)


def _review_page(request, pk, candidate_pk, review_pk):
    plan = _centre(request, pk)
    review = get_object_or_404(
        ComprehensiveReview, pk=review_pk, candidate__plan=plan, candidate_id=candidate_pk
    )
    return reverse("certification:candidate", args=[plan.pk, review.candidate_id])


@login_required
@post_only(_review_page)
def review_record(request, pk, candidate_pk, review_pk):
    plan = _centre(request, pk)
    review = get_object_or_404(
        ComprehensiveReview, pk=review_pk, candidate__plan=plan, candidate_id=candidate_pk
    )
    form = ReviewForm(
        request.POST,
        panelists=list(review.panelists.select_related("expert")),
        senior=review.candidate.level == 1,
    )
    if form.is_valid():
        data = form.cleaned_data
        steps.attempt(
            request,
            lambda: workflow.record_review(
                review,
                request.user,
                thesis=data.get("thesis"),
                defence=data.get("defence"),
                questions=(data.get("questions") or "").splitlines(),
                performance=data["performance"],
                ticks=form.ticks(),
            ),
            lambda recorded: (
                _("综合评审结果：%(r)s。") % {"r": _("通过") if recorded.passed else _("不通过")}
            ),
        )
    else:
        for field, errs in form.errors.items():
            for e in errs:
                messages.error(request, f"{form.fields[field].label if field in form.fields else ''} {e}")
    return redirect("certification:candidate", plan.pk, review.candidate_id)


# -- experts -----------------------------------------------------------------------------------


@steps.for_role(roles.EXPERT)
def expert_reviews(request):
    """The comprehensive reviews the expert was drawn for; open ones can be ticked."""
    rows = (
        Panelist.objects.filter(expert=request.user)
        .select_related("review__candidate__plan__occupation", "review__candidate__plan__institution")
        .order_by("review__passed", "-review__held_on", "pk")
    )
    # The expert's dashboard links here (issue 37): the reviews still open, or decided.
    status = request.GET.get("status")
    if status in ("open", "done"):
        rows = rows.filter(review__passed__isnull=status == "open")
    page = Paginator(rows, 25).get_page(request.GET.get("page"))
    return render(
        request,
        "certification/expert_reviews.html",
        {"page": page, "breadcrumbs": [(_("综合评审任务"), "")]},
    )


def _tick_page(request, panelist_pk):
    steps.only(request, roles.EXPERT)
    get_object_or_404(Panelist, pk=panelist_pk, expert=request.user)
    return reverse("certification:expert_reviews")


@login_required
@post_only(_tick_page)
def expert_tick(request, panelist_pk):
    steps.only(request, roles.EXPERT)
    panelist = get_object_or_404(
        Panelist.objects.select_related("review__candidate"), pk=panelist_pk, expert=request.user
    )
    value = request.POST.get("tick")
    if value not in ("1", "0"):
        messages.error(request, _("请选择“通过”或“不通过”。"))
        return redirect("certification:expert_reviews")
    return steps.run(
        request,
        lambda: workflow.expert_tick(panelist, request.user, value == "1"),
        _("已记录您的勾选。"),
        "certification:expert_reviews",
    )


# -- centre --------------------------------------------------------------------------------------


plan_approve = _plan_step(_centre, "approve", gettext_lazy("认定方案审查通过。"), post_field="comment")


plan_return = _plan_step(_centre, "return_plan", gettext_lazy("认定方案已退回。"), post_field="reason")


@login_required
@post_only(_plan_page(_centre))
def plan_verify(request, pk):
    """Checked boxes ``return_<id>`` with a reason ``reason_<id>`` return those candidates."""
    plan = _centre(request, pk)
    returned = {}
    for key in request.POST:
        if key.startswith("return_"):
            pk_text = key.removeprefix("return_")
            if pk_text.isdigit():
                returned[int(pk_text)] = request.POST.get(f"reason_{pk_text}", "")
    if returned:
        done = _("已退回 %(n)s 名考生的认定结果。") % {"n": len(returned)}
    else:
        done = _("认定结果核对无误。")
    return steps.run(request, lambda: workflow.verify(plan, request.user, returned), done, _plan_url(plan))


@login_required
@post_only(_plan_page(_centre, "#upload"))
def plan_uploaded(request, pk):
    """The centre records the upload to the ministry centre and the publication on its site (seed 001
    第十六条(四)): from then on certificates may be issued for the plan."""
    plan = _centre(request, pk)
    form = UploadedForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}：{error}" if label else error)
        return _back(plan, "#upload")
    return steps.run(
        request,
        lambda: workflow.mark_uploaded(plan, request.user, **form.cleaned_data),  # the dates and the note
        _("已登记上传部鉴定中心及网站公布信息，可以签发证书。"),
        _plan_url(plan),
    )


# -- summary (seed 004 附件7) ----------------------------------------------------------------------


@login_required
def results_summary(request):
    user = request.user
    staff = roles.is_staff_reviewer(user)
    if not staff and not (roles.has_role(user, roles.APPLICANT) and user.institution_id):
        raise Http404
    form = SummaryForm(request.GET or None)
    if not staff:
        del form.fields["institution"]
    institution, month = (None, None)
    if form.is_valid():
        institution = form.cleaned_data.get("institution")
        month = form.cleaned_data.get("month")
    if not staff:
        institution = user.institution
    table = summary.build(institution, month)
    title = _("职业技能等级认定结果汇总表")
    scope = "{} {}".format(
        institution.name if institution else _("全部评价机构"),
        month.strftime("%Y-%m") if month else _("全部月份"),
    )
    if request.GET.get("format") == "xlsx":
        return attachment(summary.to_xlsx(table, f"{title}（{scope}）"), "certification-summary.xlsx")
    return render(
        request,
        "certification/summary.html",
        {
            "form": form,
            "table": table,
            "scope": scope,
            "levels": [Level(v).label for v in summary.LEVEL_ORDER],
            "breadcrumbs": [(title, "")],
        },
    )

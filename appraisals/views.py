"""Pages of the enterprise 职业技能鉴定 (seed 002 附件1): the enterprise's list and its 申请表 with the
实施方案 (new and edit; a refused submit keeps what was typed and shows the reasons), the application's
page for whoever may see it (the trail, the next step, the working days waited, and a form for each step
``workflow.available`` offers the viewer), each step a POST-only address, the queue of the 市鉴定中心 and
the 市人社局, and the two PDFs of 五(一)(二). Anyone who may not see an application gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models.functions import Coalesce
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import audit, errors, roles, steps, transitions
from portal.post_only import post_only
from portal.ratelimit import hashed_ip, ratelimit

from . import documents, rules, workflow
from .constants import EDITABLE_STATES, State
from .forms import (
    AdjustmentForm,
    AppraisalForm,
    CommentForm,
    DispatchForm,
    FileForm,
    ObjectionForm,
    QuestionsForm,
    ReasonForm,
    ResolveObjectionForm,
    ReviewResultForm,
    ScoreForm,
    ScoreSheetForm,
)
from .models import Appraisal, ScoreObjection, is_bureau, is_centre, is_enterprise


def _enterprise_user(request) -> None:
    """The enterprise's pages: an ``applicant`` bound to an institution; anyone else 404."""
    steps.only(request, roles.APPLICANT)
    if not getattr(request.user, "institution_id", None):
        raise Http404


@login_required
def mine(request):
    """The enterprise's applications; the centre and the bureau see every submitted one."""
    steps.only(request, roles.APPLICANT, roles.CENTRE, roles.BUREAU)
    rows = workflow.visible_to(request.user).select_related("occupation").order_by("-created_at", "-pk")
    state = request.GET.get("state", "")
    if state in State.values:  # the dashboards' figures link here with their state
        rows = rows.filter(state=state)
    may_apply = roles.has_role(request.user, roles.APPLICANT) and bool(request.user.institution_id)
    return render(
        request,
        "appraisals/mine.html",
        {
            "page": Paginator(rows, 25).get_page(request.GET.get("page")),
            "may_apply": may_apply,
            "state_label": State(state).label if state in State.values else "",
        },
    )


def _save(request, form, appraisal=None):
    """Creates or updates from a valid form; the new or updated appraisal."""
    data = form.cleaned_data
    if appraisal is None:
        return workflow.create(
            request.user,
            levels=form.levels(),
            assessors=form.assessors(),
            evidence=data.get("evidence"),
            **form.fields_data(),
        )
    return workflow.update(
        appraisal,
        request.user,
        levels=form.levels(),
        assessors=form.assessors(),
        evidence=data.get("evidence"),
        **form.fields_data(),
    )


def _form_page(request, form, appraisal=None, status=200):
    return render(
        request,
        "appraisals/edit.html",
        {
            "form": form,
            "app": appraisal,
            "problems": workflow.problems(appraisal) if appraisal is not None else [],
            "next_step": next_step(appraisal) if appraisal is not None else "",
        },
        status=status,
    )


@login_required
def new(request):
    """The enterprise starts a 申请表 (saved as a draft, or saved and submitted)."""
    _enterprise_user(request)
    form = AppraisalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            appraisal = _save(request, form)
        except errors.PortalError as error:
            steps.refused(request, error)
        else:
            if request.POST.get("action") == "submit":
                if not steps.attempt(
                    request, lambda: workflow.submit(appraisal, request.user), _("已申报。")
                ):
                    return _form_page(request, form, appraisal)
                return redirect("appraisals:detail", appraisal.pk)
            messages.success(request, _("已保存草稿。"))
            return redirect("appraisals:edit", appraisal.pk)
    return _form_page(request, form)


def _own(request, pk) -> Appraisal:
    appraisal = get_object_or_404(Appraisal, pk=pk)
    if not is_enterprise(appraisal, request.user):
        raise Http404
    return appraisal


@login_required
def edit(request, pk):
    """The 申请表 of a draft or returned application: save, or save and submit. A refused submit keeps
    what was typed (it was saved) and shows each reason."""
    appraisal = _own(request, pk)
    if appraisal.state not in EDITABLE_STATES:
        return redirect("appraisals:detail", appraisal.pk)
    if request.method != "POST":
        return _form_page(request, AppraisalForm(appraisal=Appraisal.objects.get(pk=appraisal.pk)), appraisal)
    form = AppraisalForm(request.POST, request.FILES, instance=Appraisal.objects.get(pk=appraisal.pk))
    if not form.is_valid():
        return _form_page(request, form, appraisal)
    try:
        _save(request, form, appraisal)
    except errors.PortalError as error:
        steps.refused(request, error)
        return _form_page(request, form, appraisal)
    if request.POST.get("action") == "submit":
        if not steps.attempt(request, lambda: workflow.submit(appraisal, request.user), _("已申报。")):
            return _form_page(request, form, appraisal)
        return redirect("appraisals:detail", appraisal.pk)
    messages.success(request, _("已保存。"))
    return redirect("appraisals:edit", appraisal.pk)


ROSTER_ERRORS_SHOWN = 20


def _edit_page(request, pk):
    return reverse("appraisals:edit", args=[_own(request, pk).pk])


@login_required
@post_only(_edit_page)
def roster(request, pk):
    """The enterprise imports its candidates' roster (all rows or none); the row errors as messages."""
    appraisal = _own(request, pk)
    upload = request.FILES.get("roster")
    if upload is None:
        messages.error(request, _("请选择名册文件。"))
        return redirect("appraisals:edit", appraisal.pk)
    try:
        result = workflow.import_roster(appraisal, request.user, upload)
    except errors.PortalError as error:
        steps.refused(request, error)
        return redirect("appraisals:edit", appraisal.pk)
    if not result.ok:
        messages.error(
            request,
            _("考生名册有 %(n)s 处错误，未作任何修改，请修改后重新上传。") % {"n": len(result.errors)},
        )
        for line, text in result.errors[:ROSTER_ERRORS_SHOWN]:
            messages.error(request, _("第 %(line)s 行：%(text)s") % {"line": line, "text": text})
    else:
        messages.success(
            request, _("已导入 %(n)s 名考生，各等级考生人数已按名册更新。") % {"n": result.count}
        )
    return redirect("appraisals:edit", appraisal.pk)


def _has_reviewed(appraisal) -> bool:
    """The roster holds 技师/高级技师 candidates (四(五))."""
    return any(c.reviewed for c in appraisal.candidates.all())


def next_step(appraisal) -> str:
    """What happens next, in everyone's words (the notice sets no time limits)."""
    if appraisal.state == State.DRAFT:
        return _("请填写申请表和实施方案后申报。")
    if appraisal.state == State.RETURNED:
        return _("申请已被退回，请按退回理由补正后重新申报。")
    if appraisal.state == State.SUBMITTED:
        return _("等待市鉴定中心审核。")
    if appraisal.state == State.FILED:
        if appraisal.adjustment_requested and appraisal.adjustment_granted is None:
            return _("等待市鉴定中心答复调整试题申请并组织命题。")
        return _("等待市鉴定中心组织命题。")
    if appraisal.state == State.QUESTIONS_RECORDED:
        return _("等待市人社局派遣质量督导员。")
    if appraisal.state == State.ARRANGED:
        return _(
            "考务已安排：请按实施方案组织鉴定，市鉴定中心录入理论知识成绩，企业代考评员录入技能操作成绩，成绩齐全后由市鉴定中心公示。"
        )
        +(
            _("技师、高级技师考生两项成绩合格后，由市鉴定中心组织综合评审，评审结果随成绩一并公示。")
            if _has_reviewed(appraisal)
            else ""
        )
    if appraisal.state == State.PUBLICISED:
        if workflow.has_open_objection(appraisal):
            return _("成绩公示收到异议，等待市鉴定中心处理；处理完毕前暂不能上报。")
        if not workflow.publicity_ended(appraisal):
            return _("成绩公示中，公示期至 %(date)s。") % {"date": appraisal.publicity_end}
        return _("成绩公示期满无异议，请企业在期限内上报市鉴定中心。")
    if appraisal.state == State.REPORTED:
        return _("成绩已上报，等待市人社局核发职业资格证书。")
    return _("办理完毕。")


def _visible(request, pk) -> Appraisal:
    """The application for whoever may see it (workflow.can_view); anyone else: 404."""
    appraisal = get_object_or_404(Appraisal.objects.select_related("occupation"), pk=pk)
    if not workflow.can_view(appraisal, request.user):
        raise Http404
    return appraisal


# The steps on the application's page: the label and the form.
ACTIONS = {
    "file": (gettext_lazy("审核通过，入网备案"), FileForm),
    "return_for_correction": (gettext_lazy("退回补正"), ReasonForm),
    "reject": (gettext_lazy("不予通过"), ReasonForm),
    "answer_adjustment": (gettext_lazy("答复调整试题"), AdjustmentForm),
    "record_questions": (gettext_lazy("记录考试命题"), QuestionsForm),
    "dispatch": (gettext_lazy("派遣质量督导员"), DispatchForm),
    "publicise": (gettext_lazy("公示成绩"), CommentForm),
    "report": (gettext_lazy("成绩上报市鉴定中心"), CommentForm),
}


def _form(appraisal, name, data=None):
    form_class = ACTIONS[name][1]
    if form_class is DispatchForm:
        return DispatchForm(data, prefix=name, pool=workflow.supervisor_pool(appraisal))
    return form_class(data, prefix=name)


def _offered(appraisal, user) -> list[str]:
    offered = [name for name in workflow.available(appraisal, user) if name in ACTIONS]
    if (
        appraisal.state == State.FILED
        and appraisal.adjustment_requested
        and appraisal.adjustment_granted is None
        and "record_questions" in offered
    ):
        offered.insert(offered.index("record_questions"), "answer_adjustment")
    return offered


def _trail(appraisal) -> list[dict]:
    return [
        {"at": row.at, "label": audit.label(row.event), "comment": row.comment}
        for row in audit.trail(appraisal, include_internal=False)
    ]


def _waiting_since(appraisal):
    """When the application entered its present state (the working days shown count from there)."""
    return (
        Appraisal.objects.filter(pk=appraisal.pk)
        .annotate(since=Coalesce(audit.entered_state(Appraisal), "submitted_at", "created_at"))
        .values_list("since", flat=True)
        .get()
    )


@login_required
def detail(request, pk):
    """The application, for whoever may see it, with the steps the viewer may take now."""
    appraisal = _visible(request, pk)
    own = is_enterprise(appraisal, request.user)
    return render(
        request,
        "appraisals/detail.html",
        {
            "app": appraisal,
            "actions": [
                {"name": name, "label": ACTIONS[name][0], "form": _form(appraisal, name)}
                for name in _offered(appraisal, request.user)
            ],
            "editable": own and appraisal.state in EDITABLE_STATES,
            "trail": _trail(appraisal),
            "next_step": next_step(appraisal),
            "since": _waiting_since(appraisal),
            "finished": appraisal.state in (State.REJECTED, State.ISSUED),
            "clock": workflow.report_clock(appraisal),
            "open_objections": appraisal.objections.filter(state="open").count(),
            "objections": [
                {"objection": o, "form": ResolveObjectionForm(prefix="resolve", auto_id=f"id_o{o.pk}_%s")}
                for o in appraisal.objections.all()
            ]
            if is_centre(appraisal, request.user)
            else [],
            "may_score": appraisal.state == State.ARRANGED and workflow.exam_of(appraisal, request.user),
            "has_reviewed": _has_reviewed(appraisal),
            # 四(六): the bureau's 核发职业资格证书 and the certificates' page are certificates' addresses
            # (certificates:appraisal_issue, certificates:appraisal_certificates), reversed in the template
            "may_issue": appraisal.state == State.REPORTED and is_bureau(appraisal, request.user),
        },
    )


def _act_page(request, pk, action):
    return reverse("appraisals:detail", args=[_visible(request, pk).pk])


DONE = {
    "file": lambda a: _("审核通过，已入网备案，备案编号 %(number)s。") % {"number": a.record_number},
    "return_for_correction": lambda a: _("已退回补正。"),
    "reject": lambda a: _("已作出不予通过的决定。"),
    "answer_adjustment": lambda a: _("已答复调整试题申请。"),
    "record_questions": lambda a: _("已记录考试命题。"),
    "dispatch": lambda a: _("已派遣质量督导员。"),
    "publicise": lambda a: (
        _("成绩已公示，公示期 %(start)s 至 %(end)s。") % {"start": a.publicity_start, "end": a.publicity_end}
    ),
    "report": lambda a: _("成绩已上报市鉴定中心。"),
}


@login_required
@post_only(_act_page)
def act(request, pk, action):
    """One step on the application (its page's buttons): the service checks state then person."""
    appraisal = _visible(request, pk)
    if action not in ACTIONS:
        raise Http404
    form = _form(appraisal, action, request.POST)
    user = request.user

    def call():
        # The state, else the person, refuses first (in the model's words): nobody hears of the form.
        if action == "answer_adjustment":  # no change of state: the service's own checks, first
            if appraisal.state != State.FILED:
                raise errors.NotPermitted(
                    str(appraisal.state_refusal) % {"state": appraisal.get_state_display()}
                )
            if not is_centre(appraisal, user):
                raise errors.NotPermitted()
        else:
            transitions.refuse_unless_allowed(appraisal, action, user)
        if not form.is_valid():
            raise errors.PortalError(" ".join(e for errs in form.errors.values() for e in errs))
        data = form.cleaned_data
        if action == "file":
            workflow.file(appraisal, user, comment=data["comment"])
        elif action == "return_for_correction":
            workflow.return_for_correction(appraisal, user, reason=data["reason"])
        elif action == "reject":
            workflow.reject(appraisal, user, reason=data["reason"])
        elif action == "answer_adjustment":
            workflow.answer_adjustment(appraisal, user, granted=data["granted"], reason=data["reason"])
        elif action == "record_questions":
            workflow.record_questions(appraisal, user, source=data["source"], note=data["note"])
        elif action == "dispatch":
            if data["how"] == "pick":
                workflow.dispatch_supervisors(appraisal, user, pick=list(data["pick"]))
            else:
                workflow.dispatch_supervisors(appraisal, user, draw=data["count"] or 0)
        elif action == "publicise":
            workflow.publicise(appraisal, user)
        elif action == "report":
            workflow.report(appraisal, user)
        appraisal.refresh_from_db()
        return appraisal

    return steps.run(request, call, DONE[action], "appraisals:detail", appraisal.pk)


def _pdf(data: bytes, name: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def application_pdf(request, pk):
    """职业技能鉴定申请表 (附件1 五(一)) as a PDF, for whoever may see the application."""
    appraisal = _visible(request, pk)
    pdf, _html = documents.application_pdf(appraisal)
    return _pdf(pdf, f"appraisal-application-{appraisal.pk}.pdf")


@login_required
def plan_pdf(request, pk):
    """职业技能鉴定实施方案 (附件1 五(二)) as a PDF, for whoever may see the application."""
    appraisal = _visible(request, pk)
    pdf, _html = documents.plan_pdf(appraisal)
    return _pdf(pdf, f"appraisal-plan-{appraisal.pk}.pdf")


@login_required
def review_form_pdf(request, pk, candidate):
    """技师（高级技师）资格评审表 (附件1 五(三)) of one 技师/高级技师 candidate, for whoever may see the
    application; another level's candidate, or another application's: 404."""
    appraisal = _visible(request, pk)
    row = get_object_or_404(appraisal.candidates, pk=candidate)
    if not row.reviewed:
        raise Http404
    pdf, _html = documents.review_form_pdf(row)
    return _pdf(pdf, f"appraisal-review-form-{appraisal.pk}-{row.pk}.pdf")


@steps.for_role(roles.CENTRE, roles.BUREAU)
def queue(request):
    """What waits for the centre or the bureau, oldest first, with the working days waited (the notice
    sets no limit)."""
    return render(request, "appraisals/queue.html", {"rows": workflow.queue(request.user)})


# -- 四(四) 成绩认定 -----------------------------------------------------------------------------------


def _score_rows(appraisal):
    return [
        {"c": c, "passed": rules.passed(c.theory_score, c.practical_score)}
        for c in appraisal.candidates.all()
    ]


@login_required
def scores(request, pk):
    """The candidates' scores (四(四)) for whoever may see the application; the centre enters the theory
    scores, the enterprise the practical ones (for its 考评员), one by one or by a score sheet, while the
    考务 are arranged."""
    appraisal = _visible(request, pk)
    exam = workflow.exam_of(appraisal, request.user) if appraisal.state == State.ARRANGED else None
    return render(
        request,
        "appraisals/scores.html",
        {
            "app": appraisal,
            "rows": _score_rows(appraisal),
            "exam": exam,
            "exam_label": {"theory": _("理论知识成绩"), "practical": _("技能操作成绩")}.get(exam, ""),
            "sheet_form": ScoreSheetForm(),
            "problems": workflow.score_problems(appraisal) if appraisal.state == State.ARRANGED else [],
        },
    )


# -- 四(五) 综合评审 -----------------------------------------------------------------------------------


@login_required
def reviews(request, pk):
    """The 技师/高级技师 candidates' 综合评审 (四(五)) for whoever may see the application; the centre draws
    each panel and records its result while the scores are being settled."""
    appraisal = _visible(request, pk)
    rows = [
        {"c": c, "due": workflow.review_due(c), "reviews": list(c.reviews.order_by("attempt"))}
        for c in appraisal.candidates.all()
        if c.reviewed
    ]
    may_act = is_centre(appraisal, request.user) and appraisal.state == State.ARRANGED
    return render(
        request,
        "appraisals/reviews.html",
        {"app": appraisal, "rows": rows, "may_act": may_act, "form": ReviewResultForm()},
    )


def _reviews_page(request, pk, **_kwargs):
    return reverse("appraisals:reviews", args=[_visible(request, pk).pk])


@login_required
@post_only(_reviews_page)
def draw_review(request, pk, candidate):
    """The centre draws one candidate's panel (a first review or the one retry)."""
    appraisal = _visible(request, pk)
    return steps.run(
        request,
        lambda: workflow.draw_review(appraisal, request.user, candidate),
        lambda review: (
            _("已为 %(name)s 抽取评审专家组（第 %(n)s 次评审）。")
            % {"name": review.candidate.name, "n": review.attempt}
        ),
        "appraisals:reviews",
        appraisal.pk,
    )


@login_required
@post_only(_reviews_page)
def record_review(request, pk, review):
    """The centre records one review's result."""
    appraisal = _visible(request, pk)
    form = ReviewResultForm(request.POST)

    def call():
        if not form.is_valid():
            raise errors.PortalError(" ".join(e for errs in form.errors.values() for e in errs))
        return workflow.record_review(appraisal, request.user, review, **form.cleaned_data)

    return steps.run(
        request,
        call,
        lambda r: (
            _("已记录 %(name)s 的综合评审结果：%(result)s。")
            % {"name": r.candidate.name, "result": _("通过") if r.passed else _("不通过")}
        ),
        "appraisals:reviews",
        appraisal.pk,
    )


def _scores_page(request, pk, **_kwargs):
    return reverse("appraisals:scores", args=[_visible(request, pk).pk])


@login_required
@post_only(_scores_page)
def score(request, pk, candidate):
    """One candidate's score of the viewer's exam."""
    appraisal = _visible(request, pk)
    form = ScoreForm(request.POST)
    exam = workflow.exam_of(appraisal, request.user) or ""

    def call():
        if not form.is_valid():  # never a silent clear: an invalid field is refused, not taken as empty
            raise errors.PortalError(" ".join(e for errs in form.errors.values() for e in errs))
        return workflow.enter_score(appraisal, request.user, candidate, exam, form.cleaned_data["score"])

    return steps.run(
        request,
        call,
        lambda row: _("已录入 %(name)s 的成绩。") % {"name": row.name},
        "appraisals:scores",
        appraisal.pk,
    )


@login_required
@post_only(_scores_page)
def score_sheet(request, pk):
    """The score sheet of the viewer's exam (all rows or none; the row errors as messages)."""
    appraisal = _visible(request, pk)
    upload = request.FILES.get("sheet")
    if upload is None:
        messages.error(request, _("请选择成绩单文件。"))
        return redirect("appraisals:scores", appraisal.pk)
    try:
        result = workflow.import_scores(appraisal, request.user, upload)
    except errors.PortalError as error:
        steps.refused(request, error)
        return redirect("appraisals:scores", appraisal.pk)
    if not result.ok:
        messages.error(
            request, _("成绩单有 %(n)s 处错误，未作任何修改，请修改后重新上传。") % {"n": len(result.errors)}
        )
        for line, text in result.errors[:ROSTER_ERRORS_SHOWN]:
            messages.error(request, _("第 %(line)s 行：%(text)s") % {"line": line, "text": text})
    else:
        messages.success(request, _("已导入 %(n)s 名考生的成绩。") % {"n": result.count})
    return redirect("appraisals:scores", appraisal.pk)


def publicity_list(request):
    """Public: the 鉴定 whose scores are publicised now."""
    rows = (
        Appraisal.objects.filter(state=State.PUBLICISED, publicity_end__gte=workflow.workdays.today())
        .select_related("occupation")
        .order_by("publicity_end", "pk")
    )
    page = Paginator(rows, 20).get_page(request.GET.get("page"))
    return render(request, "appraisals/publicity_list.html", {"page": page})


def _public(pk) -> Appraisal:
    """A 鉴定 whose scores are publicised (四(四)); anything else 404."""
    return get_object_or_404(Appraisal.objects.select_related("occupation"), pk=pk, state=State.PUBLICISED)


def publicity(request, pk, form=None):
    """Public: one 鉴定's publicised results, names and ID numbers masked, with the objection form while
    the publicity runs."""
    appraisal = _public(pk)
    rows = [
        {
            "name": rules.mask_name(c.name),
            "id": c.masked_number,
            "kind": c.get_document_kind_display() if c.shows_document_kind else "",
            "level": c.get_level_display(),
            "theory": c.theory_score,
            "practical": c.practical_score,
            "review": workflow.review_result(c),
            "reviewed": c.reviewed,
            "passed": workflow.final_passed(c),
        }
        for c in appraisal.candidates.all()
    ]
    return render(
        request,
        "appraisals/publicity.html",
        {
            "app": appraisal,
            "rows": rows,
            "running": workflow.publicity_running(appraisal),
            "form": form or ObjectionForm(),
        },
    )


def _publicity_page(request, pk):
    return reverse("appraisals:publicity", args=[_public(pk).pk])


@post_only(_publicity_page)
@ratelimit("appraisals-objection", "APPRAISAL_OBJECTION_RATE", "5/h", methods=("POST",))
def objection(request, pk):
    """Public, POST only and rate-limited like the filing objection form: an objection to the scores."""
    appraisal = _public(pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        return publicity(request, pk, form=form)
    data = form.cleaned_data
    return steps.run(
        request,
        lambda: workflow.raise_objection(
            appraisal,
            name=data["name"],
            contact=data["contact"],
            text=data["text"],
            ip_hash=hashed_ip(request),
        ),
        _("异议已提交，市鉴定中心将进行核查。"),
        "appraisals:publicity",
        appraisal.pk,
    )


def _objection(request, pk) -> ScoreObjection:
    objection = get_object_or_404(ScoreObjection.objects.select_related("appraisal"), pk=pk)
    if not is_centre(objection.appraisal, request.user):
        raise Http404
    return objection


def _objection_page(request, pk):
    return reverse("appraisals:detail", args=[_objection(request, pk).appraisal_id])


@login_required
@post_only(_objection_page)
def resolve_objection(request, pk):
    """The centre dismisses or upholds an objection (upheld: the scores go back to be corrected)."""
    objection = _objection(request, pk)
    form = ResolveObjectionForm(request.POST, prefix="resolve")

    def call():
        if not form.is_valid():
            raise errors.PortalError(" ".join(e for errs in form.errors.values() for e in errs))
        return workflow.resolve_objection(
            objection,
            request.user,
            upheld=form.cleaned_data["upheld"],
            resolution=form.cleaned_data["resolution"],
        )

    return steps.run(
        request,
        call,
        lambda o: _("异议已处理：%(state)s。") % {"state": o.get_state_display()},
        "appraisals:detail",
        objection.appraisal_id,
    )

"""Pages of the title application: the applicant's 申请表 (new and edit, with the rules' decision shown),
the application's page for everyone who may see it with the steps the viewer may take (the employer
recommends or returns, the 业务主管部门 or 中天人力 approves and sends, returns or rejects, the review body
records its result, the employer appoints a 初级 title), its PDF, the list of one's applications and the
queue of whoever acts next."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import audit, errors, roles, transitions, workdays
from portal.post_only import post_only

from . import documents, workflow
from . import roles as talent_roles
from .constants import EDITABLE_STATES, JUNIOR_TITLES, Route, State
from .forms import (
    AchievementForm,
    AppointForm,
    ApproveForm,
    ReasonForm,
    RecommendForm,
    ResultForm,
    TitleApplicationForm,
)
from .models import TitleApplication, is_filer


def _appraisal_years(on=None) -> list[int]:
    """近3年 (二(二)1): the three years before this one, newest first."""
    year = (on or workdays.today()).year
    return [year - 1, year - 2, year - 3]


def _initial(app) -> dict:
    initial = {f"appraisal_{row.year}": row.result for row in app.appraisals.all()}
    initial["awards"] = [award.name for award in app.awards.all()]
    return initial


def _show_error(request, error: errors.PortalError) -> None:
    for problem in getattr(error, "problems", None) or [str(error)]:
        messages.error(request, problem)


@login_required
def new(request):
    """A person (or an employer's user for its staff) starts a 申请表."""
    form = TitleApplicationForm(request.POST or None, appraisal_years=_appraisal_years())
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in workflow.FORM_FIELDS}
        try:
            app = workflow.create(request.user, **fields)
            workflow.set_rows(
                app,
                request.user,
                appraisals=form.appraisals(),
                awards=[(name, "", None) for name in form.cleaned_data["awards"]],
            )
        except errors.PortalError as error:
            _show_error(request, error)
        else:
            messages.success(request, _("已保存职称申请草稿，请添加工作业绩及证明材料后申报。"))
            return redirect("talent:edit", app.pk)
    return render(request, "talent/edit.html", {"form": form, "app": None})


@login_required
def mine(request):
    """The applications the user may see: their own, and those of their body's role."""
    apps = workflow.visible_to(request.user).order_by("-created_at", "-pk")
    return render(request, "talent/mine.html", {"apps": apps})


def _own(request, pk) -> TitleApplication:
    """The application of its filer (the person, or the employer filing for them); anyone else: 404."""
    app = get_object_or_404(TitleApplication, pk=pk)
    if not is_filer(app, request.user):
        raise Http404
    return app


@login_required
def edit(request, pk):
    """The 申请表 of a draft or returned application: save, add an achievement, submit (or, for 初级, the
    employer's appointment is recorded elsewhere). Afterwards the page shows what was sent."""
    app = _own(request, pk)
    years = _appraisal_years()
    form = TitleApplicationForm(instance=app, initial=_initial(app), appraisal_years=years)
    achievement_form = AchievementForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                form = TitleApplicationForm(
                    request.POST, instance=TitleApplication.objects.get(pk=app.pk), appraisal_years=years
                )
                if form.is_valid():
                    fields = {name: form.cleaned_data[name] for name in workflow.FORM_FIELDS}
                    workflow.update(app, request.user, **fields)
                    workflow.set_rows(
                        app,
                        request.user,
                        appraisals=form.appraisals(),
                        awards=[(name, "", None) for name in form.cleaned_data["awards"]],
                    )
                    messages.success(request, _("已保存。"))
                    return redirect("talent:edit", app.pk)
            elif action == "achievement":
                achievement_form = AchievementForm(request.POST, request.FILES)
                if achievement_form.is_valid():
                    data = achievement_form.cleaned_data
                    workflow.add_achievement(
                        app,
                        request.user,
                        kind=data["kind"],
                        summary=data["summary"],
                        year=data["year"],
                        upload=data["evidence"],
                    )
                    messages.success(request, _("已添加工作业绩。"))
                    return redirect("talent:edit", app.pk)
            elif action == "submit":
                workflow.submit(app, request.user)
                messages.success(request, _("职称申请已申报。"))
                return redirect("talent:edit", app.pk)
            else:
                raise errors.PortalError(_("未知操作。"))
        except errors.PortalError as error:
            _show_error(request, error)
            app.refresh_from_db()
    decisions = app.decision if app.submitted_at else workflow.stored_decisions(_preview(app))
    return render(
        request,
        "talent/edit.html",
        {
            "app": app,
            "form": form,
            "achievement_form": achievement_form,
            "editable": app.state in EDITABLE_STATES,
            "decisions": decisions,
            "trail": _trail(app),
            "next_step": next_step(app),
        },
    )


def _trail(app) -> list[dict]:
    return [
        {"at": row.at, "label": audit.label(row.event), "comment": row.comment}
        for row in audit.trail(app, include_internal=False)
    ]


def next_step(app) -> str:
    """What happens next, in the applicant's and everyone's words."""
    if app.state == State.DRAFT:
        if app.title_sought in JUNIOR_TITLES:
            return _("初级职称由用人单位按规定聘任：请用人单位在本申请页面录入聘任。")
        return _("请填写申请表、添加工作业绩及证明材料后申报。")
    if app.state == State.RETURNED:
        return _("申请已被退回，请按退回理由补正后重新申报。")
    if app.state == State.SUBMITTED:
        return _("等待用人单位推荐并报送业务主管部门。")
    if app.state == State.IN_REVIEW:
        if app.route == Route.DIRECT:
            return _("等待中天人力审核。")
        return _("等待业务主管部门审核。")
    if app.state == State.SENT:
        return _("已报送职称评审机构，等待评审结果。")
    return _("办理完毕。")


def _visible(request, pk) -> TitleApplication:
    """The application for whoever may see it (can_view); anyone else: 404."""
    app = get_object_or_404(TitleApplication, pk=pk)
    if not workflow.can_view(app, request.user):
        raise Http404
    return app


# The steps taken on the application's page: (label, the form, who the action is for).
ACTIONS = {
    "recommend": (gettext_lazy("推荐"), RecommendForm),
    "return_by_employer": (gettext_lazy("退回申请人"), ReasonForm),
    "approve": (gettext_lazy("审核通过并报送评审机构"), ApproveForm),
    "return_for_correction": (gettext_lazy("退回补正"), ReasonForm),
    "reject": (gettext_lazy("不予通过"), ReasonForm),
    "record_pass": (gettext_lazy("评审通过"), ResultForm),
    "record_fail": (gettext_lazy("评审不通过"), ResultForm),
    "record_recognition": (gettext_lazy("破格认定"), ResultForm),
    "appoint": (gettext_lazy("录入聘任"), AppointForm),
}
DONE = {
    "recommend": gettext_lazy("已推荐，报送业务主管部门审核。"),
    "return_by_employer": gettext_lazy("已退回申请人补正。"),
    "approve": gettext_lazy("已审核通过，报送职称评审机构。"),
    "return_for_correction": gettext_lazy("已退回补正。"),
    "reject": gettext_lazy("已作出不予通过的决定。"),
    "record_pass": gettext_lazy("已录入评审通过及职称证书。"),
    "record_fail": gettext_lazy("已录入评审未通过。"),
    "record_recognition": gettext_lazy("已录入破格认定及职称证书。"),
    "appoint": gettext_lazy("已录入聘任。"),
}
RESULTS = {"record_pass": State.PASSED, "record_fail": State.FAILED, "record_recognition": State.RECOGNISED}


@login_required
def detail(request, pk):
    """The application as sent, for everyone who may see it, with the steps the viewer may take now."""
    app = _visible(request, pk)
    offered = [name for name in workflow.available(app, request.user) if name in ACTIONS]
    return render(
        request,
        "talent/detail.html",
        {
            "app": app,
            "actions": [
                {"name": name, "label": ACTIONS[name][0], "form": ACTIONS[name][1](prefix=name)}
                for name in offered
            ],
            "is_filer": is_filer(app, request.user),
            "editable": app.state in EDITABLE_STATES and is_filer(app, request.user),
            "decisions": app.decision if app.submitted_at else [],
            "trail": _trail(app),
            "next_step": next_step(app),
        },
    )


def _act_page(request, pk, action):
    return reverse("talent:detail", args=[_visible(request, pk).pk])


@login_required
@post_only(_act_page)
def act(request, pk, action):
    """One step on the application (its page's buttons): the service checks state then person."""
    app = _visible(request, pk)
    if action not in ACTIONS:
        raise Http404
    form = ACTIONS[action][1](request.POST, prefix=action)
    try:
        # The state, else the person, refuses first (in the model's words): nobody hears of the form.
        transitions.refuse_unless_allowed(app, action, request.user)
        if not form.is_valid():
            raise errors.PortalError(" ".join(e for errs in form.errors.values() for e in errs))
        data = form.cleaned_data
        user = request.user
        if action == "recommend":
            workflow.recommend(app, user, department=data["department"], comment=data["comment"])
        elif action == "return_by_employer":
            workflow.return_by_employer(app, user, reason=data["reason"])
        elif action == "approve":
            workflow.approve(app, user, review_body=data["review_body"], comment=data["comment"])
        elif action == "return_for_correction":
            workflow.return_for_correction(app, user, reason=data["reason"])
        elif action == "reject":
            workflow.reject(app, user, reason=data["reason"])
        elif action in RESULTS:
            workflow.record_result(
                app,
                user,
                RESULTS[action],
                certificate_number=data["certificate_number"],
                certificate_date=data["certificate_date"],
                opinion=data["opinion"],
            )
        elif action == "appoint":
            workflow.appoint(
                app,
                user,
                certificate_number=data["certificate_number"],
                certificate_date=data["certificate_date"],
            )
    except errors.PortalError as error:
        _show_error(request, error)
    else:
        messages.success(request, str(DONE[action]))
    return redirect("talent:detail", app.pk)


@login_required
def application_pdf(request, pk):
    """高技能人才参评专业技术职称申请表 (附件2 四(一)) as a PDF, for whoever may see the application."""
    app = _visible(request, pk)
    pdf, _html = documents.application_pdf(app)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="title-application-{app.pk}.pdf"'
    return response


def _preview(app):
    """The rules' decision on what is typed now (shown on the form; stored only on submission)."""
    try:
        return workflow.assess(app)
    except errors.PortalError:
        return []


@roles.role_required(*talent_roles.LABELS)
def queue(request):
    """What waits for the user, oldest first, with the working days waited (the notice sets no limit)."""
    return render(request, "talent/queue.html", {"rows": workflow.queue(request.user)})

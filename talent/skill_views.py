"""Pages of the professional's skill application (附件2 三, 四(二)): the applicant's 申请表 (new and edit,
its filer only), the application's page for whoever may see it with the steps the viewer may take, the
steps (POST only) and the body's queue (the 市鉴定中心's staff, a 评价机构's users)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import audit, errors, roles, transitions
from portal.post_only import post_only

from . import documents, skills
from .constants import SKILL_EDITABLE_STATES, SkillRoute, SkillState
from .skill_forms import AcceptForm, SkillApplicationForm, SkillReasonForm
from .skill_models import SkillApplication, is_skill_filer


def _show_error(request, error: errors.PortalError) -> None:
    for problem in getattr(error, "problems", None) or [str(error)]:
        messages.error(request, problem)


def _fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in skills.FORM_FIELDS}


@login_required
def new(request):
    """A professional starts a 申请表 (a draft)."""
    form = SkillApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            app = skills.create(request.user, **_fields(form))
            if form.cleaned_data.get("title_copy"):
                skills.attach_title_copy(app, request.user, form.cleaned_data["title_copy"])
        except errors.PortalError as error:
            _show_error(request, error)
        else:
            messages.success(request, _("已保存职业技能评价申请草稿。"))
            return redirect("talent:skill_edit", app.pk)
    return render(request, "talent/skill_edit.html", {"form": form, "app": None})


def _own(request, pk) -> SkillApplication:
    app = get_object_or_404(SkillApplication, pk=pk)
    if not is_skill_filer(app, request.user):
        raise Http404
    return app


def next_step(app) -> str:
    """What happens next, in the words of the person who filed it."""
    if app.state == SkillState.DRAFT:
        return _("请填写申请表、上传专业技术职务任职资格证复印件后申报。")
    if app.state == SkillState.RETURNED:
        return _("申请已被退回，请按退回理由补正后重新申报。")
    if app.state == SkillState.SUBMITTED:
        if app.route == SkillRoute.APPRAISAL:
            return _("等待市鉴定中心受理。")
        return _("等待评价机构受理。")
    if app.state == SkillState.ACCEPTED:
        if app.candidate_id:
            return _("已列入认定方案“%(plan)s”的考生名册，请按评价机构的通知参加认定。") % {
                "plan": app.candidate.plan.title
            }
        return _("已受理，请按市鉴定中心的通知参加职业技能鉴定。")
    if app.state == SkillState.REJECTED:
        return _("不予受理，办理结束；如有异议，可向受理单位咨询。")
    return _("办理完毕。")


@login_required
def mine(request):
    """我的技能评价申请: the applications the user filed, each with its next step."""
    apps = (
        SkillApplication.objects.filter(filed_by=request.user)
        .select_related("occupation", "institution", "candidate__plan")
        .order_by("-created_at", "-pk")
    )
    rows = [{"app": app, "next_step": next_step(app)} for app in apps]
    return render(request, "talent/skill_mine.html", {"rows": rows})


def _trail(app) -> list[dict]:
    return [
        {"at": row.at, "label": audit.label(row.event), "comment": row.comment}
        for row in audit.trail(app, include_internal=False)
    ]


def _preview(app):
    try:
        return skills.stored_decisions(skills.assess(app))
    except errors.PortalError:
        return []


@login_required
def edit(request, pk):
    """The 申请表 of a draft or returned application: save (with the certificate copy), submit."""
    app = _own(request, pk)
    form = SkillApplicationForm(instance=app)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "save":
                form = SkillApplicationForm(
                    request.POST, request.FILES, instance=SkillApplication.objects.get(pk=app.pk)
                )
                if form.is_valid():
                    skills.update(app, request.user, **_fields(form))
                    if form.cleaned_data.get("title_copy"):
                        skills.attach_title_copy(app, request.user, form.cleaned_data["title_copy"])
                    messages.success(request, _("已保存。"))
                    return redirect("talent:skill_edit", app.pk)
            elif action == "submit":
                skills.submit(app, request.user)
                messages.success(request, _("职业技能评价申请已申报。"))
                return redirect("talent:skill_detail", app.pk)
            else:
                raise errors.PortalError(_("未知操作。"))
        except errors.PortalError as error:
            _show_error(request, error)
            app.refresh_from_db()
    return render(
        request,
        "talent/skill_edit.html",
        {
            "app": app,
            "form": form,
            "editable": app.state in SKILL_EDITABLE_STATES,
            "decisions": app.decision if app.submitted_at else _preview(app),
            "next_step": next_step(app),
        },
    )


def _visible(request, pk) -> SkillApplication:
    app = get_object_or_404(SkillApplication.objects.select_related("occupation", "institution"), pk=pk)
    if not skills.can_view(app, request.user):
        raise Http404
    return app


ACTIONS = {
    "accept": (gettext_lazy("受理"), AcceptForm),
    "return_for_correction": (gettext_lazy("退回补正"), SkillReasonForm),
    "reject": (gettext_lazy("不予受理"), SkillReasonForm),
}
DONE = {
    "accept": gettext_lazy("已受理。"),
    "return_for_correction": gettext_lazy("已退回补正。"),
    "reject": gettext_lazy("已作出不予受理的决定。"),
}


def _form(name, app, data=None):
    form_class = ACTIONS[name][1]
    if form_class is AcceptForm:
        return AcceptForm(data, prefix=name, app=app)
    return form_class(data, prefix=name)


@login_required
def detail(request, pk):
    """The application as sent, for whoever may see it, with the steps the viewer may take now."""
    app = _visible(request, pk)
    offered = [name for name in skills.available(app, request.user) if name in ACTIONS]
    return render(
        request,
        "talent/skill_detail.html",
        {
            "app": app,
            "actions": [{"name": n, "label": ACTIONS[n][0], "form": _form(n, app)} for n in offered],
            "editable": app.state in SKILL_EDITABLE_STATES and is_skill_filer(app, request.user),
            "decisions": app.decision if app.submitted_at else [],
            "trail": _trail(app),
            "next_step": next_step(app),
            "review_form": documents.needs_review_form(app),
        },
    )


def _act_page(request, pk, action):
    return reverse("talent:skill_detail", args=[_visible(request, pk).pk])


@login_required
@post_only(_act_page)
def act(request, pk, action):
    """One step on the application: the service checks state then person."""
    app = _visible(request, pk)
    if action not in ACTIONS:
        raise Http404
    form = _form(action, app, request.POST)
    try:
        transitions.refuse_unless_allowed(app, action, request.user)
        if not form.is_valid():
            raise errors.PortalError(" ".join(e for errs in form.errors.values() for e in errs))
        data = form.cleaned_data
        if action == "accept":
            skills.accept(app, request.user, plan=data["plan"], comment=data["comment"])
        elif action == "return_for_correction":
            skills.return_for_correction(app, request.user, reason=data["reason"])
        else:
            skills.reject(app, request.user, reason=data["reason"])
    except errors.PortalError as error:
        _show_error(request, error)
    else:
        messages.success(request, str(DONE[action]))
    return redirect("talent:skill_detail", app.pk)


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    return response


@login_required
def application_pdf(request, pk):
    """专业技术人才参加职业技能评价申请表 (seed 002 附件2 四(二)1) as a PDF, for whoever may see the application."""
    app = _visible(request, pk)
    pdf, _html = documents.skill_application_pdf(app)
    return _pdf(pdf, f"skill-application-{app.pk}.pdf")


@login_required
def review_pdf(request, pk):
    """技师（高级技师）资格评审表 (seed 002 附件2 四(二)2), only for an application for 技师 or 高级技师."""
    app = _visible(request, pk)
    if not documents.needs_review_form(app):
        raise Http404
    pdf, _html = documents.skill_review_pdf(app)
    return _pdf(pdf, f"skill-review-{app.pk}.pdf")


@roles.role_required(roles.CENTRE, roles.APPLICANT)
def queue(request):
    """What waits for the user's body, oldest first, with the working days waited (no limit is set)."""
    return render(request, "talent/skill_queue.html", {"rows": skills.queue(request.user)})

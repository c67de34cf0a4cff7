"""Pages of the title application: the applicant's 申请表 (new and edit, with the rules' decision shown)
and the queue of whoever acts next (the employer, the 业务主管部门, 中天人力, the review body)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from portal import audit, errors, roles, workdays

from . import roles as talent_roles
from . import workflow
from .constants import EDITABLE_STATES
from .forms import AchievementForm, TitleApplicationForm
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
            "trail": [
                {"at": row.at, "label": audit.label(row.event), "comment": row.comment}
                for row in audit.trail(app, include_internal=False)
            ],
        },
    )


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

"""The bureau's application rounds (seed 001 第十条(一) 启动): the public page that lists them, and the
bureau's page that publishes one. Whether an application may be submitted is filings.rounds's."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import audit, roles, workdays

from .. import rounds
from ..models import ApplicationRound


class RoundForm(forms.ModelForm):
    class Meta:
        model = ApplicationRound
        fields = ["title", "routes", "occupations", "opens_on", "closes_on", "notice"]
        widgets = {
            "opens_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "closes_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "occupations": forms.SelectMultiple(attrs={"size": 8}),
            "notice": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_on"), data.get("closes_on")
        if opens and closes and closes < opens:
            self.add_error("closes_on", gettext_lazy("申报截止日期不能早于开始日期。"))
        return data


def round_list(request):
    """Public: the rounds open and announced, and the last closed ones; the bureau publishes here too."""
    today = workdays.today()
    current, past = rounds.public_rounds(today)
    is_bureau = roles.has_role(request.user, roles.BUREAU)
    return render(
        request,
        "filings/rounds.html",
        {
            "current": current,
            "past": past,
            "today": today,
            "continuous": rounds.intake() == rounds.CONTINUOUS,
            "clause": rounds.CLAUSE,
            "is_bureau": is_bureau,
            "breadcrumbs": [(_("申报工作安排"), None)],
        },
    )


@login_required
def round_new(request):
    if not roles.has_role(request.user, roles.BUREAU):
        raise Http404
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        round_ = form.save(commit=False)
        round_.published_by = request.user
        round_.save()
        form.save_m2m()
        audit.record("application_round_published", round_, request.user, comment=str(round_))
        messages.success(request, _("已发布申报工作安排：%(round)s。") % {"round": round_})
        return redirect("filings:rounds")
    return render(
        request,
        "filings/round_form.html",
        {
            "form": form,
            "breadcrumbs": [(_("申报工作安排"), "/filings/rounds/"), (_("发布申报工作安排"), None)],
        },
    )

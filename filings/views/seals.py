"""The seal pages (issue 39 item 2): an institution's seal and its change requests; the centre's queue,
where each request is approved or refused; the seal images, for whoever may see them."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import roles, steps
from portal.post_only import post_only

from .. import seals
from ..models import Seal, SealOwner


class SealForm(forms.Form):
    image = forms.FileField(
        label=gettext_lazy("印章图片（PNG，透明背景，红色）"),
        help_text=gettext_lazy("圆形或椭圆形印章的扫描件，裁去四周空白，宽和高 300 至 2000 像素。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".png,image/png"}),
    )
    reason = forms.CharField(
        label=gettext_lazy("变更理由"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )


class DecisionForm(forms.Form):
    comment = forms.CharField(label=gettext_lazy("审核意见"), required=False, max_length=500)


def _institution_of(request):
    if not roles.has_role(request.user, roles.APPLICANT) or not request.user.institution_id:
        raise Http404
    return request.user.institution


@steps.for_role(roles.APPLICANT)
def my_seal(request):
    """The institution's seal in use, its requests, and the form to ask for a new one."""
    institution = _institution_of(request)
    form = SealForm()
    if request.method == "POST":
        form = SealForm(request.POST, request.FILES)
        if form.is_valid():
            done = steps.attempt(
                request,
                lambda: seals.request_change(
                    institution, form.cleaned_data["image"], request.user, form.cleaned_data["reason"]
                ),
                _("印章变更申请已提交，待鉴定中心审核。"),
            )
            if done:
                return redirect("filings:my_seal")
    history = Seal.objects.filter(owner=SealOwner.INSTITUTION, institution=institution)
    return render(
        request,
        "filings/seals/mine.html",
        {
            "form": form,
            "current": seals.current(institution),
            "history": history,
            "pending": history.filter(state=seals.SealState.SUBMITTED).exists(),
            "breadcrumbs": [(_("证书印章"), None)],
        },
    )


@steps.for_role(roles.CENTRE, roles.BUREAU)
def seal_queue(request):
    """The institutions' seal requests waiting for the centre, and those decided lately."""
    decided = (
        Seal.objects.filter(owner=SealOwner.INSTITUTION)
        .exclude(state=seals.SealState.SUBMITTED)
        .select_related("institution", "decided_by")[:20]
    )
    return render(
        request,
        "filings/seals/queue.html",
        {
            "pending": seals.pending().order_by("requested_at", "pk"),
            "decided": decided,
            "may_decide": roles.has_role(request.user, roles.CENTRE),
            "offices": [(label, seals.office(owner)) for owner, label in SealOwner.choices[1:]],
            "breadcrumbs": [(_("证书印章审核"), None)],
        },
    )


def _back_to_queue(request, pk, action):
    return "filings:seal_queue"


@steps.for_role(roles.CENTRE)
@post_only(_back_to_queue)
def seal_act(request, pk, action):
    seal = get_object_or_404(Seal, pk=pk, owner=SealOwner.INSTITUTION)
    form = DecisionForm(request.POST)
    comment = form.data.get("comment", "")
    if action == "approve":
        return steps.run(
            request,
            lambda: seals.approve(seal, request.user, comment),
            _("已启用新印章。"),
            "filings:seal_queue",
        )
    if action == "refuse":
        return steps.run(
            request,
            lambda: seals.refuse(seal, request.user, comment),
            _("已不予启用。"),
            "filings:seal_queue",
        )
    raise Http404


def may_see(user, seal: Seal) -> bool:
    if roles.has_role(user, roles.CENTRE, roles.BUREAU):
        return True
    return (
        seal.owner == SealOwner.INSTITUTION
        and bool(user.institution_id)
        and user.institution_id == seal.institution_id
    )


@login_required
def seal_image(request, pk):
    seal = get_object_or_404(Seal, pk=pk)
    if not seals.may_see(request.user, seal):
        raise Http404
    return FileResponse(seal.image.open("rb"), content_type="image/png")

"""The bureau's 职业资格证书 of an enterprise 职业技能鉴定 (seed 002 附件1 四(六): 鉴定成绩合格的，由市人社局核发
职业资格证书): the 核发职业资格证书 action on a reported 鉴定 and the page listing its certificates.

Both find the 鉴定 by its own visibility rule (``appraisals.workflow.visible_to``): anyone who may not see
it gets the 404 an unknown address gets. The action is the bureau's: the enterprise and the centre are
told they may not (``qualification.issue_for_appraisal`` refuses them); a stray GET goes to the 鉴定's
page (``portal.post_only``)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from appraisals import workflow as appraisals_workflow
from appraisals.models import Appraisal
from portal import steps
from portal.post_only import post_only

from . import qualification


def visible_appraisal(request, pk) -> Appraisal:
    """The 鉴定 ``pk`` if ``request.user`` may see it, else Http404."""
    return get_object_or_404(appraisals_workflow.visible_to(request.user).select_related("occupation"), pk=pk)


def _appraisal_page(request, pk):
    return reverse("appraisals:detail", args=[visible_appraisal(request, pk).pk])


def _issued_message(certificates) -> str:
    count = len(certificates)
    if not count:
        return _("已核发，本次鉴定无成绩合格的考生，未生成职业资格证书。")
    return _("已核发职业资格证书 %(count)d 本。") % {"count": count}


@login_required
@post_only(_appraisal_page)
def appraisal_issue(request, pk):
    """核发职业资格证书: the bureau, on a reported 鉴定 (``qualification.issue_for_appraisal``)."""
    appraisal = visible_appraisal(request, pk)
    return steps.run(
        request,
        lambda: qualification.issue_for_appraisal(appraisal, request.user),
        _issued_message,
        "appraisals:detail",
        appraisal.pk,
    )


@require_GET
@login_required
def appraisal_certificates(request, pk):
    """The 职业资格证书 issued for one 鉴定, each linked to its PDF, for whoever may see the 鉴定."""
    appraisal = visible_appraisal(request, pk)
    return render(
        request,
        "certificates/appraisal_certificates.html",
        {
            "app": appraisal,
            "certificates": qualification.issued_for(appraisal),
        },
    )

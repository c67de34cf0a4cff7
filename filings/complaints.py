"""Complaints and reports (投诉举报, seed 001 第二十二、二十三条): anyone may complain about a filed
institution; the centre investigates and closes each with an outcome, which may open a sanction."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, errors, roles

from . import after_filing, workflow
from .constants import State
from .constants_after import ComplaintOutcome, ComplaintState, SanctionKind
from .models import Complaint, Filing

WorkflowError = after_filing.WorkflowError


def match_filing(institution_name: str):
    """The filed institution a complaint names, when the name matches exactly one filing in force."""
    name = (institution_name or "").strip()
    if not name:
        return None
    rows = list(Filing.objects.filter(state=State.FILED).filter(Q(name=name))[:2])
    return rows[0] if len(rows) == 1 else None


def submit(
    *, name, contact, institution_name, text, filing=None, attachment_name="", attachment_kind="", ip_hash=""
):
    filing = filing if filing is not None else match_filing(institution_name)
    with transaction.atomic():
        complaint = Complaint.objects.create(
            name=name.strip(),
            contact=contact.strip(),
            institution_name=(institution_name or (filing.name if filing else "")).strip(),
            filing=filing,
            text=text.strip(),
            attachment=attachment_name,
            attachment_kind=attachment_kind,
            ip_hash=ip_hash,
        )
        if filing is not None:
            # internal: the complainant's identity and the text never reach the institution.
            audit.record("complaint_received", filing, None, internal=True, complaint=complaint.pk)
        workflow.notify_centre(
            _("收到新的投诉举报（%(name)s）。") % {"name": complaint.institution_name},
            reverse("filings:complaint_detail", args=[complaint.pk]),
        )
    return complaint


def start_investigation(complaint: Complaint, actor, *, filing=None) -> Complaint:
    roles.require(actor, roles.CENTRE)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.state != ComplaintState.OPEN:
            raise after_filing.workflow.StaleFiling(_("该投诉已被他人处理，请刷新后重试"))
        locked.state, locked.assignee = ComplaintState.INVESTIGATING, actor
        if filing is not None:
            locked.filing = filing
        locked.save()
    return locked


def close(
    complaint: Complaint,
    actor,
    *,
    outcome: str,
    outcome_text: str,
    sanction_kind: str = "",
    deadline: date | None = None,
    on: date | None = None,
) -> Complaint:
    """Closes the complaint; a founded one may open a centre sanction on the matched filing."""
    roles.require(actor, roles.CENTRE)
    if outcome not in ComplaintOutcome.values:
        raise WorkflowError(_("请选择处理结果。"))
    outcome_text = errors.require_text(outcome_text, _("请填写处理意见。"))
    if sanction_kind:
        if outcome not in (ComplaintOutcome.FOUNDED, ComplaintOutcome.PARTLY):
            raise WorkflowError(_("只有经核实属实或部分属实的投诉才能作出处理措施。"))
        if sanction_kind not in after_filing.CENTRE_SANCTIONS:
            raise WorkflowError(
                _("撤销备案由市人社局决定；投诉办结时可选择约谈、通报批评或限期整改。")
                if sanction_kind == SanctionKind.REVOCATION
                else _("请选择处理方式。")
            )
    with transaction.atomic():
        locked = (
            Complaint.objects.select_for_update(of=("self",)).select_related("filing").get(pk=complaint.pk)
        )
        if locked.state == ComplaintState.CLOSED:
            raise after_filing.workflow.StaleFiling(_("该投诉已被他人处理，请刷新后重试"))
        if sanction_kind:
            if locked.filing is None:
                raise WorkflowError(_("该投诉未关联到已备案机构，不能作出处理措施。"))
            after_filing.impose_sanction(
                locked.filing,
                actor,
                kind=sanction_kind,
                reason=outcome_text,
                deadline=deadline,
                complaint=locked,
                on=on,
            )
        locked.state, locked.outcome, locked.outcome_text = ComplaintState.CLOSED, outcome, outcome_text
        locked.closed_by, locked.closed_at = actor, timezone.now()
        if locked.assignee is None:
            locked.assignee = actor
        locked.save()
        if locked.filing_id:
            audit.record(
                "complaint_closed",
                locked.filing,
                actor,
                internal=True,
                comment=f"{locked.get_outcome_display()}：{outcome_text}",
                complaint=locked.pk,
            )
    return locked

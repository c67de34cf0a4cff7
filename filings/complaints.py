"""Complaints and reports (投诉举报, seed 001 第二十二、二十三条): anyone may complain about a filed
institution; the centre investigates and closes each with an outcome, which may open a sanction."""

from __future__ import annotations

from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, errors, roles, transitions
from portal.models import AuditEvent

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
        # internal: the complainant's identity and the text never reach the institution. A complaint
        # that names no filing keeps its trail on itself.
        audit.record("complaint_received", filing or complaint, None, internal=True, complaint=complaint.pk)
        workflow.notify_centre(
            _("收到新的投诉举报（%(name)s）。") % {"name": complaint.institution_name},
            reverse("filings:complaint_detail", args=[complaint.pk]),
        )
    return complaint


def trail(complaint: Complaint):
    """The complaint's events with readable labels, oldest first: on its own trail (while it names no
    filing) and on its filing's (once it does). Staff only read it (it names the complainant's steps)."""
    own = Q(target_type=ContentType.objects.get_for_model(Complaint), target_id=str(complaint.pk))
    on_filing = Q(
        target_type=ContentType.objects.get_for_model(Filing),
        target_id=str(complaint.filing_id),
        data__complaint=complaint.pk,
    )
    rows = (
        AuditEvent.objects.filter(own | on_filing) if complaint.filing_id else AuditEvent.objects.filter(own)
    )
    labels = dict(ComplaintState.choices)
    rows = list(rows.select_related("actor__institution").order_by("at", "pk"))
    for row in rows:
        row.label = audit.label(row.event)
        row.from_label = labels.get(row.from_state, "—")
        row.to_label = labels.get(row.to_state, "")
    return rows


def _fire(complaint: Complaint, step: transitions.Step, actor, **options) -> Complaint:
    """A complaint's step through the engine (row lock); its event on the filing's trail (internal),
    or on the complaint itself when it names no filing."""
    return transitions.fire(
        complaint, step, actor, internal=True, trail=complaint.filing, complaint=complaint.pk, **options
    )


def start_investigation(complaint: Complaint, actor, *, filing=None) -> Complaint:
    """The centre starts investigating (``start_investigation``), linking the filing it names if any."""
    roles.require(actor, roles.CENTRE)
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.state != ComplaintState.OPEN:
            raise after_filing.workflow.StaleFiling(_("该投诉已被他人处理，请刷新后重试"))
        if filing is not None:
            locked.filing = filing

        def keep(c):
            c.assignee = actor

        _fire(
            locked,
            transitions.Step("start_investigation", "complaint_investigation_started"),
            actor,
            before_save=keep,
        )
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
    """Closes the complaint (``close``); a founded one may open a centre sanction on the matched filing."""
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

        def keep(c):
            c.outcome, c.outcome_text = outcome, outcome_text
            c.closed_by, c.closed_at = actor, timezone.now()
            if c.assignee is None:
                c.assignee = actor

        _fire(
            locked,
            transitions.Step("close", "complaint_closed"),
            actor,
            comment=f"{ComplaintOutcome(outcome).label}：{outcome_text}",
            before_save=keep,
        )
    return locked

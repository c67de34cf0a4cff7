"""Verified passing candidates become issuable (seed 001 第十六条(四)): the certificates app picks them
up as ``certificates.issuance.IssuableCandidate`` rows."""

from __future__ import annotations

from .constants import State, Verification
from .models import Candidate
from .workflow import candidate_passed


def source_key(candidate) -> str:
    return f"certification.candidate:{candidate.pk}"


def verified_passing(institution, plan=None) -> list:
    """The institution's candidates whose results the centre verified and who passed, as
    IssuableCandidate rows (one certificate per source_key, ever: the certificates app enforces it)."""
    from certificates.issuance import IssuableCandidate

    qs = (
        Candidate.objects.filter(
            plan__institution=institution,
            plan__state__in=[State.VERIFIED, State.UPLOADED],
            verification=Verification.ACCEPTED,
        )
        .select_related("plan__occupation")
        .prefetch_related("reviews")
        .order_by("plan_id", "row")
    )
    if plan is not None:
        qs = qs.filter(plan=plan)
    rows = []
    for c in qs:
        if not candidate_passed(c, c.plan.methods):
            continue
        rows.append(
            IssuableCandidate(
                source_key=source_key(c),
                name=c.name,
                sex=c.sex,
                id_number=c.id_number,
                occupation=c.plan.occupation,
                level=c.level,
                photo=c.photo.name or None,
                verified_passing=True,
                work_type=c.plan.work_type,
                extra={"plan": c.plan.reference, "clause": c.clause},
            )
        )
    return rows


def issue(plan, actor, chosen=None):
    """The staff action 签发证书: hands the plan's verified passing candidates to the certificates app
    with the filed prefix, name and scope. Raises WorkflowError when the institution is not filed.
    ``chosen``: only these source keys (the ticks of the 签发证书 page); a key that is not verified
    passing in this plan refuses the whole selection (certificates.issuance.SelectionError)."""
    from django.utils.translation import gettext as _

    from certificates.issuance import create_batch, select_candidates
    from filings import institutions
    from portal import audit

    from .workflow import WorkflowError

    if plan.state not in (State.VERIFIED, State.UPLOADED):
        raise WorkflowError(_("认定结果核对无误后方可签发证书。"))
    institution = plan.institution
    prefix = institutions.certificate_prefix(institution)
    name = institutions.filed_name(institution)
    if prefix is None or not name:
        raise WorkflowError(_("该机构没有有效的备案或尚未赋予机构序列码，不能签发证书。"))
    candidates = verified_passing(institution, plan)
    if chosen is not None:
        candidates = select_candidates(candidates, chosen)
    if not candidates:
        raise WorkflowError(_("没有可签发证书的考生。"))
    batch = create_batch(
        institution,
        prefix=prefix,
        institution_name=name,
        candidates=candidates,
        actor=actor,
        scope=institutions.filed_scope(institution),
        title=plan.title,
    )
    audit.record("certification_issue_started", plan, actor, batch=batch.pk, candidates=len(candidates))
    return batch

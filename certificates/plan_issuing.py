"""签发证书 for an assessment plan: certification's verified passing candidates (its front door,
certification.issuable) become a batch with the institution's filed prefix, name and scope."""

from __future__ import annotations

from django.utils.translation import gettext as _

from certification import issuable
from filings import institutions
from portal.errors import PortalError

from .issuance import IssuableCandidate, create_batch, select_candidates

# What a verified result hands over as it is; its plan reference and clause go into ``extra``.
HANDED_OVER = ("source_key", "name", "sex", "id_number", "occupation", "level", "photo", "work_type")


def candidates_of(plan) -> list[IssuableCandidate]:
    """The plan's verified passing candidates, as the issuing side hands them over."""
    return [
        IssuableCandidate(
            **{name: getattr(row, name) for name in HANDED_OVER},
            verified_passing=True,
            extra={"plan": row.plan_reference, "clause": row.clause},
        )
        for row in issuable.verified_passing(plan.institution, plan)
    ]


def issue(plan, actor, chosen=None):
    """The staff action 签发证书. Raises PortalError when the plan is not verified or the institution
    not filed. ``chosen``: only these source keys (the ticks of the 签发证书 page); a key that is not
    verified passing in this plan refuses the whole selection (issuance.SelectionError)."""
    refusal = issuable.issuing_refusal(plan)
    if refusal:
        raise PortalError(refusal)
    institution = plan.institution
    prefix = institutions.certificate_prefix(institution)
    name = institutions.filed_name(institution)
    if prefix is None or not name:
        raise PortalError(_("该机构没有有效的备案或尚未赋予机构序列码，不能签发证书。"))
    candidates = candidates_of(plan)
    if chosen is not None:
        candidates = select_candidates(candidates, chosen)
    if not candidates:
        raise PortalError(_("没有可签发证书的考生。"))
    batch = create_batch(
        institution,
        prefix=prefix,
        institution_name=name,
        candidates=candidates,
        actor=actor,
        scope=institutions.filed_scope(institution),
        title=plan.title,
    )
    issuable.issue_started(plan, actor, batch_id=batch.pk, candidates=len(candidates))
    return batch

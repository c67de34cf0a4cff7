"""签发证书 for an assessment plan: certification's verified passing candidates (its front door,
certification.issuable) become a batch with the institution's filed prefix, name and scope."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.files.storage import default_storage
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification import issuable
from filings import institutions, seals
from portal.errors import PortalError

from .issuance import IssuableCandidate, create_batch, refusals, select_candidates
from .models import Certificate, IssuanceItem

# What a verified result hands over as it is; its plan reference and clause go into ``extra``.
HANDED_OVER = (
    "source_key",
    "name",
    "sex",
    "document_kind",
    "id_number",
    "occupation",
    "level",
    "photo",
    "work_type",
)


def candidates_of(plan) -> list[IssuableCandidate]:
    """The plan's verified passing candidates, as the issuing side hands them over."""
    return [
        IssuableCandidate(
            **{name: getattr(row, name) for name in HANDED_OVER},
            verified_passing=True,
            extra={"plan": row.plan_reference, "clause": row.clause, "candidate_pk": row.candidate_pk},
        )
        for row in issuable.verified_passing(plan.institution, plan)
    ]


NOT_FILED = gettext_lazy("该机构没有有效的备案或尚未赋予机构序列码，不能签发证书。")


@dataclass
class PreflightRow:
    """One candidate of the 签发证书 page and what the batch would do with it."""

    candidate: IssuableCandidate
    reasons: list[str]  # why the batch would refuse a certificate (issuance.refusals); empty: it may
    existing_code: str = ""  # a certificate an earlier batch issued: never issued twice
    existing_revoked: bool = False  # ... and it was revoked (seed 004 四(四)): no new one either

    @property
    def has_photo(self) -> bool:
        return bool(self.candidate.photo)

    @property
    def issuable(self) -> bool:
        return not self.reasons and not self.existing_code


@dataclass
class Preflight:
    """The check before issuing (issue 29 item 1): what stops the whole plan, and per candidate."""

    problems: list[str] = field(default_factory=list)  # the plan or the institution: nothing can be issued
    rows: list[PreflightRow] = field(default_factory=list)

    @property
    def ready(self) -> list[PreflightRow]:
        return [row for row in self.rows if row.issuable]

    @property
    def to_fix(self) -> list[PreflightRow]:
        return [row for row in self.rows if row.reasons]

    def refusals_by_key(self) -> dict[str, list[str]]:
        return {row.candidate.source_key: row.reasons for row in self.rows if row.reasons}


def preflight(plan) -> Preflight:
    """What issuing the plan now would refuse, before anything is issued: the same rules as the batch
    (``issuance.refusals`` with the filed scope; the plan's state; a filing in force with its sequence
    number, which a revoked or expired filing no longer has) and the certificates already issued."""
    result = Preflight()
    refusal = issuable.issuing_refusal(plan)
    if refusal:
        result.problems.append(refusal)
    institution = plan.institution
    if institutions.certificate_prefix(institution) is None or not institutions.filed_name(institution):
        result.problems.append(str(NOT_FILED))
    scope = institutions.filed_scope(institution)
    candidates = candidates_of(plan)
    existing = {
        source_key: (code, status)
        for source_key, code, status in Certificate.objects.filter(
            source_key__in=[c.source_key for c in candidates]
        ).values_list("source_key", "code", "status")
    }
    for candidate in candidates:
        code, status = existing.get(candidate.source_key, ("", ""))
        result.rows.append(
            PreflightRow(
                candidate=candidate,
                reasons=refusals(candidate, scope, default_storage.exists),
                existing_code=code,
                existing_revoked=status == Certificate.Status.REVOKED,
            )
        )
    return result


def refused_keys(batch) -> list[str]:
    """The candidates a batch refused (to try again once fixed: issue 29 item 1)."""
    return list(
        batch.items.filter(status=IssuanceItem.Status.REFUSED)
        .order_by("position")
        .values_list("source_key", flat=True)
    )


def issue(plan, actor, chosen=None, *, start=True):
    """The staff action 签发证书. Raises PortalError when the plan's results are not yet uploaded and
    published (seed 001 第十六条(四), issuable.issuing_refusal) or the institution
    not filed. ``chosen``: only these source keys (the ticks of the 签发证书 page); a key that is not
    verified passing in this plan refuses the whole selection (issuance.SelectionError). ``start``: queue
    the batch's task (the demo runs it itself)."""
    refusal = issuable.issuing_refusal(plan)
    if refusal:
        raise PortalError(refusal)
    institution = plan.institution
    prefix = institutions.certificate_prefix(institution)
    name = institutions.filed_name(institution)
    if prefix is None or not name:
        raise PortalError(str(NOT_FILED))
    candidates = candidates_of(plan)
    if chosen is not None:
        candidates = select_candidates(candidates, chosen)
    if not candidates:
        raise PortalError(_("没有可签发证书的考生。"))
    seal = seals.current(institution)  # the seal the centre approved (issue 39 item 2), printed on each
    batch = create_batch(
        institution,
        seal=seal.image.name if seal else None,
        prefix=prefix,
        institution_name=name,
        candidates=candidates,
        actor=actor,
        scope=institutions.filed_scope(institution),
        title=plan.title,
        start=start,
    )
    issuable.issue_started(plan, actor, batch_id=batch.pk, candidates=len(candidates))
    return batch

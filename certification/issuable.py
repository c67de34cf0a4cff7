"""The front door of certification for the apps above it: the verified passing candidates of an
institution whose results the ministry centre's site has published (seed 001 第十六条(四)) as plain rows,
and the few facts about a plan that issuing needs.
The certificates app owns issuing itself (certificates/plan_issuing.py); this module never imports it."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal import audit, identifiers, roles
from portal.notices import cite

from . import rules
from .constants import State, Verification
from .models import AssessmentPlan, Candidate
from .workflow import candidate_passed

# seed 001 第十六条(四): the institution issues certificates from the information the ministry centre's
# site published, so a plan's results become issuable only once the centre has uploaded them and recorded
# their publication (workflow.mark_uploaded), not when it verified them (第十六条(三)).
ISSUABLE_STATES = (State.UPLOADED,)


@dataclass(frozen=True)
class VerifiedResult:
    """One candidate whose result the centre verified and who passed."""

    source_key: str  # "certification.candidate:<pk>": one certificate per key, ever
    name: str
    sex: str
    id_number: str
    occupation: object  # portal.Occupation
    level: int
    photo: str | None  # storage name of the uploaded photo
    work_type: str
    plan_reference: str
    clause: str  # the Annex 1 clause the candidate qualified under
    candidate_pk: int = 0  # the candidate's own page (certification:candidate), where a photo is added
    # issue 43: the document id_number belongs to (a DocumentKind value)
    document_kind: str = identifiers.DocumentKind.RESIDENT_ID


SOURCE_PREFIX = "certification.candidate:"


def source_key(candidate) -> str:
    return f"{SOURCE_PREFIX}{candidate.pk}"


def verified_passing(institution, plan=None) -> list[VerifiedResult]:
    """The institution's candidates whose results the centre verified and who passed, of plans whose
    results were uploaded and published (seed 001 第十六条(四))."""
    qs = (
        Candidate.objects.filter(
            plan__institution=institution,
            plan__state__in=ISSUABLE_STATES,
            verification=Verification.ACCEPTED,
        )
        .select_related("plan__occupation")
        .prefetch_related("reviews")
        .order_by("plan_id", "row")
    )
    if plan is not None:
        qs = qs.filter(plan=plan)
    return [
        VerifiedResult(
            source_key=source_key(c),
            name=c.name,
            sex=c.sex,
            document_kind=c.document_kind,
            id_number=c.id_number,
            occupation=c.plan.occupation,
            level=c.level,
            photo=c.photo.name or None,
            work_type=c.plan.work_type,
            plan_reference=c.plan.reference,
            clause=c.clause,
            candidate_pk=c.pk,
        )
        for c in qs
        if candidate_passed(c, c.plan.methods)
    ]


def plan_of(source_keys) -> int | None:
    """The plan of the candidates behind these source keys (a batch's refused items, to try them again),
    or None when they are not certification's or span no single plan."""
    pks = [
        int(key.rsplit(":", 1)[1])
        for key in source_keys
        if key.startswith(SOURCE_PREFIX) and key.rsplit(":", 1)[1].isdigit()
    ]
    plans = set(Candidate.objects.filter(pk__in=pks).values_list("plan_id", flat=True))
    return plans.pop() if len(plans) == 1 else None


def issuing_plan(user, pk) -> AssessmentPlan | None:
    """The plan ``user`` may issue certificates for: any plan for the centre, the institution's own
    plans for its users; None otherwise (the page answers 404, as for any plan not theirs)."""
    plans = AssessmentPlan.objects.select_related("institution", "occupation")
    if roles.has_role(user, roles.CENTRE):
        return plans.filter(pk=pk).first()
    if roles.has_role(user, roles.APPLICANT) and user.institution_id:
        return plans.filter(pk=pk, institution_id=user.institution_id).first()
    return None


def issuing_refusal(plan) -> str | None:
    """Why certificates cannot be issued for the plan now and what is awaited, or None (seed 001
    第十六条(四): only once the results are uploaded to the ministry centre and published on its site)."""
    if plan.state in ISSUABLE_STATES:
        return None
    ref = cite("seed 001 第十六条(四)")
    if plan.state == State.VERIFIED:
        awaited = _(
            "认定结果已核对无误，正等待市鉴定中心将认定合格信息上传部鉴定中心并在部鉴定中心网站公布。"
            "依据%(ref)s，评价机构根据部鉴定中心网站公布的信息颁发证书，公布后方可签发。"
        ) % {"ref": ref}
        if plan.verified_on:
            awaited += _("上传时限：%(due)s（%(clause)s）。") % {
                "due": rules.upload_due(plan.verified_on),
                "clause": cite("seed 001 第十六条(三)"),
            }
        return awaited
    return _("认定结果经市鉴定中心核对无误、上传部鉴定中心并在其网站公布后方可签发证书（%(ref)s）。") % {
        "ref": ref
    }


@dataclass(frozen=True)
class AwaitingUpload:
    """A plan whose results are verified but not yet uploaded and published: issuing is closed for it."""

    plan: AssessmentPlan
    upload_due: object  # portal.workdays.Deadline (seed 001 第十六条(三): 10 working days), or None


AWAITING_LISTED = 50


def awaiting_upload(user) -> list[AwaitingUpload]:
    """The verified plans ``user`` sees whose results await the upload to the ministry centre and the
    publication on its site (seed 001 第十六条(四)): the centre and the bureau see all, an institution's
    users their own; at most AWAITING_LISTED, the longest waiting first."""
    plans = (
        AssessmentPlan.objects.filter(state=State.VERIFIED)
        .select_related("institution", "occupation")
        .order_by("verified_on", "pk")
    )
    if roles.is_staff_reviewer(user):
        pass
    elif roles.has_role(user, roles.APPLICANT) and user.institution_id:
        plans = plans.filter(institution_id=user.institution_id)
    else:
        return []
    return [
        AwaitingUpload(plan, rules.upload_due(plan.verified_on) if plan.verified_on else None)
        for plan in plans[:AWAITING_LISTED]
    ]


def issue_started(plan, actor, *, batch_id: int, candidates: int) -> None:
    """The plan's trail records that the certificates app started a batch for it."""
    audit.record("certification_issue_started", plan, actor, batch=batch_id, candidates=candidates)


def year_statistics(year: int):
    """Certification's part of the annual statistics page (certificates.annual_stats): the plans started in
    ``year`` by state, candidates and verified passing by level (certification.annual_stats.YearFigures)."""
    from . import annual_stats

    return annual_stats.year_figures(year)

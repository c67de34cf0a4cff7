"""The 市人社局's 职业资格证书 for an enterprise 职业技能鉴定 (seed 002 附件1 四(六): 鉴定成绩合格的，由市人社局
核发职业资格证书).

``issue_for_appraisal(appraisal, actor)``: the bureau, on a ``reported`` 鉴定, issues one certificate to
each candidate who passed (``appraisals.workflow.final_passed``: both exams, and for 技师/高级技师 the
综合评审). The 鉴定 goes ``reported -> issued`` through ``portal.transitions.fire`` (the appraisal row lock,
the role check, the audit event ``appraisal_certificates_issued``); the certificates are created in the
same transaction, each numbered by the bureau's own rule (``allocation.allocate_qualification_code``,
the same counter row lock as a 等级证书's) and audited as ``certificate_qualification_issued``.

Idempotent per candidate: ``Certificate.appraisal_candidate`` is unique (and its ``source_key``), an
existing certificate is kept, and a second call on an issued 鉴定 returns the certificates it has.
Printing, signing, the QR code, lookup and revocation are the other certificates' (printing.py picks the
职业资格证书 template by ``Certificate.kind``)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appraisals import workflow as appraisals_workflow
from appraisals.constants import State
from appraisals.models import Appraisal, AppraisalCandidate, is_bureau
from filings import seals
from filings.models import SealOwner
from portal import audit, errors, identifiers, transitions
from portal.notices import cite

from .allocation import SerialExhausted, allocate_qualification_code
from .constants import NO_WORK_TYPE, QUALIFICATION_ISSUER_NAME
from .issuance import sex_of
from .models import Certificate

STEP = transitions.Step("issue_certificates", "appraisal_certificates_issued")
SOURCE_PREFIX = "appraisals.candidate:"


def source_key(candidate: AppraisalCandidate) -> str:
    return f"{SOURCE_PREFIX}{candidate.pk}"


def passed_candidates(appraisal: Appraisal) -> list[AppraisalCandidate]:
    """The candidates of the roster who passed the 鉴定, in roster order."""
    rows = appraisal.candidates.order_by("row", "pk").prefetch_related("reviews")
    return [row for row in rows if appraisals_workflow.final_passed(row)]


def issued_for(appraisal: Appraisal) -> list[Certificate]:
    """The 职业资格证书 issued for this 鉴定, in roster order."""
    return list(
        Certificate.objects.filter(appraisal_candidate__appraisal=appraisal).order_by(
            "appraisal_candidate__row", "appraisal_candidate__pk"
        )
    )


def issue_for_appraisal(appraisal: Appraisal, actor, *, on: date | None = None) -> list[Certificate]:
    """市人社局核发职业资格证书 (seed 002 附件1 四(六)); returns the 鉴定's certificates.

    Refused (``NotPermitted``) to anyone but the bureau and on a 鉴定 not ``reported``. Called again on
    an issued 鉴定 by the bureau, it issues nothing and returns the certificates issued."""
    if appraisal.state == State.ISSUED and is_bureau(appraisal, actor):
        return issued_for(appraisal)
    transitions.refuse_unless_allowed(appraisal, STEP.name, actor)
    issue_date = on or timezone.localdate()
    created = []

    def issue_each(locked):
        for candidate in passed_candidates(locked):
            certificate = _issue_one(locked, candidate, issue_date)
            if certificate is not None:
                created.append(certificate)

    def after(locked, row):
        for certificate in created:
            audit.record(
                "certificate_qualification_issued",
                certificate,
                actor,
                to_state=certificate.status,
                appraisal=locked.pk,
            )

    with transaction.atomic():
        transitions.fire(appraisal, STEP, actor, before_save=issue_each, after=after)
    return issued_for(appraisal)


def _issue_one(appraisal: Appraisal, candidate: AppraisalCandidate, issue_date: date) -> Certificate | None:
    """One candidate's certificate; None when it has one already (never two per candidate)."""
    if Certificate.objects.filter(appraisal_candidate=candidate).exists():
        return None
    try:
        code = allocate_qualification_code(issue_date.year, candidate.level)
    except SerialExhausted as error:
        raise errors.PortalError(
            _("%(year)s年%(level)s级职业资格证书序列码已全部使用，无法再编号（%(ref)s）。")
            % {"year": issue_date.year, "level": candidate.level, "ref": cite("seed 002 附件1 四(六)")}
        ) from error
    occupation = appraisal.occupation
    # the document the 鉴定 roster named the candidate by (issue 43; 居民身份证 for the rows before it)
    kind = candidate.document_kind or identifiers.DocumentKind.RESIDENT_ID
    return Certificate.objects.create(
        kind=Certificate.Kind.QUALIFICATION,
        code=str(code),
        serial=code.serial,
        year=code.year,
        level=candidate.level,
        holder_name=candidate.name,
        # from the document where it carries the sex, else as stored (issuance.sex_of; issue 43)
        sex=sex_of(candidate),
        document_kind=kind,
        id_number=candidate.id_number,
        occupation=occupation,
        occupation_name=occupation.name,
        occupation_code=occupation.code,
        work_type=appraisal.work_type or NO_WORK_TYPE,
        institution=None,
        institution_name=QUALIFICATION_ISSUER_NAME,
        issue_date=issue_date,
        photo="",
        # the bureau's seal in use (filings.seals, put in by the admin), printed over the issuer
        seal=bureau_seal.image.name if (bureau_seal := seals.office(SealOwner.BUREAU)) else "",
        source_key=source_key(candidate),
        appraisal_candidate=candidate,
    )

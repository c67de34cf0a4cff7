"""Every change to an enterprise 职业技能鉴定 (seed 002 附件1 四(一) to 四(三)), one service function each:
pages, admin and the demo call these.

Each step is fired through portal.transitions (row lock, state then role refusal in the model's words,
the named audit event of appraisals/events.py, rollback); the people concerned are told in the portal and
by mail through portal.outbox, written in the deciding transaction and sent after commit. The rules of
附件1 一 to 三 are in rules.py.

    appraisal = create(enterprise_user, occupation=..., category=..., levels={4: 16}, assessors=[...])
    submit(appraisal, enterprise_user)                      # -> SUBMITTED
    file(appraisal, centre_user)                            # -> FILED, record number JD20260001
    answer_adjustment(appraisal, centre_user, granted=True, reason=...)   # when 调整试题 was asked
    record_questions(appraisal, centre_user, source=QuestionSource.NATIONAL_BANK)
    dispatch_supervisors(appraisal, bureau_user, draw=2)    # or pick=[supervisor, ...] -> ARRANGED
    enter_score(appraisal, centre_user, candidate, "theory", 72)       # 四(四): theory by the centre,
    enter_score(appraisal, enterprise_user, candidate, "practical", 80)  # practical for the 考评员
    import_scores(appraisal, user, upload)                  # the score sheet, the user's own column
    publicise(appraisal, centre_user)                       # -> PUBLICISED, the public page, objections
    raise_objection(appraisal, name=..., contact=..., text=...)   # anyone, while the publicity runs
    resolve_objection(objection, centre_user, upheld=False, resolution=...)  # upheld: back to ARRANGED
    report(appraisal, enterprise_user)                      # -> REPORTED, once no objection stands
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification import imports as certification_imports
from certification import rules as certification_rules
from certification import workflow as certification_workflow
from certification.constants import MAX_ROSTER_ROWS, MIN_PANEL, MIN_SUPERVISORS
from eligibility import roster as eligibility_roster
from filings import workflow as filings_workflow
from portal import audit, draws, errors, identifiers, notices, outbox, sheets, transitions, uploads, workdays
from portal import roles as portal_roles
from portal.links import absolute_url
from portal.models import User

from . import rules
from .constants import (
    EDITABLE_STATES,
    EVIDENCE_KINDS,
    RECORD_PREFIX,
    RECORD_SEQUENCE_DIGITS,
    Category,
    Level,
    ObjectionState,
    QuestionSource,
    State,
)
from .models import (
    Appraisal,
    AppraisalCandidate,
    AppraisalLevel,
    CandidateReview,
    DispatchedSupervisor,
    ProposedAssessor,
    QualitySupervisor,
    RecordSequence,
    ScoreObjection,
    is_centre,
    is_enterprise,
)

PortalError = errors.PortalError
NotPermitted = errors.NotPermitted
Refused = errors.Refused

# The fields the enterprise types on the 申请表 and the 实施方案 (what create and update accept).
FORM_FIELDS = (
    "contact_name",
    "contact_phone",
    "category",
    "occupation",
    "work_type",
    "starts_on",
    "ends_on",
    "place",
    "equipment",
    "adjustment_requested",
    "adjustment_reason",
)


# -- who ---------------------------------------------------------------------------------------------


def _users(role: str, institution_id=None):
    users = User.objects.filter(groups__name=role, is_active=True)
    if institution_id is not None:
        users = users.filter(institution_id=institution_id)
    return list(users.distinct())


def _enterprise(appraisal):
    return _users(portal_roles.APPLICANT, appraisal.enterprise_id)


def _centre(appraisal):
    return _users(portal_roles.CENTRE)


def _bureau(appraisal):
    return _users(portal_roles.BUREAU)


def can_view(appraisal, user) -> bool:
    """The enterprise's users; the centre and the bureau once it was submitted (a draft is the
    enterprise's own). Nobody else: another enterprise, an expert, a visitor."""
    if is_enterprise(appraisal, user):
        return True
    return appraisal.submitted_at is not None and portal_roles.is_staff_reviewer(user)


def visible_to(user):
    """The appraisals ``user`` may see (the queryset of :func:`can_view`)."""
    if not getattr(user, "is_authenticated", False):
        return Appraisal.objects.none()
    mine = Q(pk__in=[])
    if portal_roles.has_role(user, portal_roles.APPLICANT) and getattr(user, "institution_id", None):
        mine |= Q(enterprise_id=user.institution_id)
    if portal_roles.is_staff_reviewer(user):
        mine |= Q(submitted_at__isnull=False)
    return Appraisal.objects.filter(mine)


# -- the 申请表 and the 实施方案 ----------------------------------------------------------------------


def _clean(appraisal) -> None:
    """The typed fields, in Chinese; the rules of 附件1 二 and 三(一)/(二) on what was chosen."""
    appraisal.contact_name = errors.require_text(appraisal.contact_name, _("请填写联系人。"))
    appraisal.contact_phone = errors.require_text(appraisal.contact_phone, _("请填写联系电话。"))
    appraisal.place = errors.require_text(appraisal.place, _("请填写鉴定地点。"))
    appraisal.equipment = errors.require_text(appraisal.equipment, _("请填写用于鉴定的设施设备。"))
    if appraisal.category not in Category.values:
        raise PortalError(_("请选择企业类别。"))
    refusal = rules.occupation_refusal(appraisal.occupation if appraisal.occupation_id else None)
    if refusal:
        raise PortalError(refusal)
    if appraisal.work_type and appraisal.work_type not in appraisal.occupation.work_type_list:
        raise PortalError(_("请选择该职业的工种。"))
    if appraisal.starts_on is None or appraisal.ends_on is None:
        raise PortalError(_("请填写鉴定开始和结束日期。"))
    if appraisal.ends_on < appraisal.starts_on:
        raise PortalError(_("鉴定结束日期不能早于开始日期。"))
    if appraisal.adjustment_requested:
        refusal = rules.adjustment_refusal(appraisal.category)
        if refusal:
            raise PortalError(refusal)
        appraisal.adjustment_reason = errors.require_text(
            appraisal.adjustment_reason, _("申请调整试题的，请说明企业生产实际。")
        )
    else:
        appraisal.adjustment_reason = ""


def _level_rows(appraisal, levels: dict) -> list[AppraisalLevel]:
    rows = []
    for level, candidates in levels.items():
        if int(level) not in Level.values:
            raise PortalError(_("请选择鉴定等级。"))
        if int(candidates) < 1:
            raise PortalError(_("每个鉴定等级的考生人数应为不小于 1 的整数。"))
        rows.append(AppraisalLevel(appraisal=appraisal, level=int(level), candidates=int(candidates)))
    return rows


def _assessor_rows(appraisal, assessors) -> list[ProposedAssessor]:
    rows, seen = [], set()
    for name, id_number, certificate_number in assessors:
        id_number = identifiers.normalize_id_number(id_number)
        try:
            identifiers.validate_id_number(id_number)
        except ValidationError as error:
            raise PortalError(" ".join(error.messages)) from None
        if id_number in seen:
            raise PortalError(_("同一考评员只能填写一次。"))
        seen.add(id_number)
        rows.append(
            ProposedAssessor(
                appraisal=appraisal,
                name=errors.require_text(identifiers.normalize_name(name), _("请填写考评员姓名。")),
                id_number=id_number,
                certificate_number=errors.require_text(certificate_number, _("请填写考评员证书编号。")),
            )
        )
    return rows


def _evidence_kind(evidence) -> str | None:
    if evidence is None:
        return None
    try:
        return uploads.validate_upload(evidence, allowed=EVIDENCE_KINDS)
    except ValidationError as error:
        raise PortalError(" ".join(error.messages)) from None


def _save_rows(files, appraisal, levels, assessors, evidence, evidence_kind) -> None:
    if evidence is not None:
        old = appraisal.category_evidence.name
        files.save_field(
            appraisal.category_evidence, uploads.random_name("appraisals/evidence", evidence_kind), evidence
        )
        appraisal.save(update_fields=["category_evidence"])
        uploads.StoredFiles.delete_after_commit(old)
    if levels is not None:
        rows = _level_rows(appraisal, levels)
        appraisal.levels.all().delete()
        AppraisalLevel.objects.bulk_create(rows)
    if assessors is not None:
        rows = _assessor_rows(appraisal, assessors)
        appraisal.assessors.all().delete()
        ProposedAssessor.objects.bulk_create(rows)


def create(user, *, levels: dict | None = None, assessors=(), evidence=None, **fields) -> Appraisal:
    """An enterprise user (``applicant`` of an institution) starts the 申请表: a draft. Only an enterprise
    registered in Tianjin may (附件1 一); no prior filing is needed."""
    institution = getattr(user, "institution", None)
    if institution is None or not portal_roles.has_role(user, portal_roles.APPLICANT):
        raise NotPermitted()
    unknown = set(fields) - set(FORM_FIELDS)
    if unknown:
        raise TypeError(f"unknown appraisal fields {sorted(unknown)!r}")
    refusal = rules.tianjin_refusal(institution.credit_code)
    if refusal:
        raise PortalError(refusal)
    appraisal = Appraisal(
        created_by=user,
        enterprise=institution,
        enterprise_name=institution.name,
        credit_code=identifiers.normalize_credit_code(institution.credit_code),
        **fields,
    )
    _clean(appraisal)
    _level_rows(appraisal, levels or {})  # the rows are checked before anything is written
    _assessor_rows(appraisal, assessors)
    evidence_kind = _evidence_kind(evidence)
    with uploads.stored_files() as files:
        appraisal.save()
        _save_rows(files, appraisal, levels or {}, list(assessors), evidence, evidence_kind)
        audit.record("appraisal_created", appraisal, user)
    return appraisal


def _require_editable(appraisal, user) -> None:
    if not is_enterprise(appraisal, user):
        raise NotPermitted()
    if appraisal.state not in EDITABLE_STATES:
        raise NotPermitted(str(appraisal.state_refusal) % {"state": appraisal.get_state_display()})


def update(
    appraisal, user, *, levels: dict | None = None, assessors=None, evidence=None, **fields
) -> Appraisal:
    """Changes a draft, or an application returned for correction (what was typed stays otherwise)."""
    unknown = set(fields) - set(FORM_FIELDS)
    if unknown:
        raise TypeError(f"unknown appraisal fields {sorted(unknown)!r}")
    _require_editable(appraisal, user)
    evidence_kind = _evidence_kind(evidence)
    with uploads.stored_files() as files:
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        _require_editable(locked, user)
        for name, value in fields.items():
            setattr(locked, name, value)
        _clean(locked)
        if fields:
            locked.save(update_fields=[Appraisal._meta.get_field(n).attname for n in fields])
        _save_rows(
            files, locked, levels, None if assessors is None else list(assessors), evidence, evidence_kind
        )
        audit.record("appraisal_changed", locked, user, fields=sorted(fields))
    appraisal.refresh_from_db()
    return appraisal


@dataclass
class RosterImport:
    """What an import did: the candidates written, or the row errors (then nothing was written)."""

    count: int = 0
    errors: list = field(default_factory=list)  # (line, text)

    @property
    def ok(self) -> bool:
        return not self.errors


def import_roster(appraisal, user, upload, on: date | None = None) -> RosterImport:
    """Replaces the candidates with the uploaded roster (XLSX or CSV, the layout of eligibility.roster),
    each row checked against seed 000 附件1 on ``on`` (default the appraisal's first day); all rows or
    none. The candidate count of each level becomes the roster's (附件1 三 is counted on them)."""
    _require_editable(appraisal, user)
    try:
        kind = uploads.validate_upload(upload, allowed=("xlsx", "csv"))
    except ValidationError as error:
        raise PortalError(" ".join(error.messages)) from None
    upload.seek(0)
    data = upload.read()
    occupation = appraisal.occupation
    try:
        result = eligibility_roster.read_roster(
            data,
            occupations=lambda code: occupation if code == occupation.code else None,
            on=on or appraisal.starts_on,
            kind=kind,
            max_rows=MAX_ROSTER_ROWS,
            titles=False,
        )
    except eligibility_roster.RosterError as error:
        raise PortalError(str(error)) from None
    outcome, rows = RosterImport(), []
    for row in result.rows:
        errors = list(row.errors)
        if row.data.get("occupation_code") and row.occupation is None:
            errors = [e for e in errors if "职业代码" not in e]
            errors.append(
                _("职业代码“%(code)s”与本次鉴定的职业（%(occupation)s）不一致。")
                % {"code": row.data.get("occupation_code"), "occupation": occupation.code}
            )
        if errors:
            outcome.errors += [(row.line, e) for e in errors]
            continue
        decision, bridge = row.decision, row.bridge
        eligible = decision.eligible or (bridge is not None and bridge.eligible)
        clause = decision.clause or (bridge.clause if bridge is not None and bridge.eligible else "")
        reasons = decision.reasons + (bridge.reasons if bridge is not None and not decision.eligible else [])
        # The row was checked through identifiers.check_document (eligibility.roster): this is its number as
        # stored, of the type the 证件类型 column names (居民身份证 when the file has no such column, issue 43).
        document = row.document or identifiers.DocumentKind.RESIDENT_ID
        id_number = identifiers.check_document(document, row.data["id_number"])
        rows.append(
            AppraisalCandidate(
                appraisal=appraisal,
                row=row.line,
                name=row.data["name"],
                document_kind=document,
                id_number=id_number,
                sex=row.sex or certification_imports.document_sex(document, id_number),
                level=row.level,
                eligible=eligible,
                clause=clause or "",
                reasons=[str(r) for r in reasons],
            )
        )
    if outcome.errors:
        return outcome
    if not rows:
        raise PortalError(_("名册中没有考生。"))
    counts: dict[int, int] = {}
    for candidate in rows:
        counts[candidate.level] = counts.get(candidate.level, 0) + 1
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        _require_editable(locked, user)
        locked.candidates.all().delete()
        AppraisalCandidate.objects.bulk_create(rows)
        locked.levels.all().delete()
        AppraisalLevel.objects.bulk_create(_level_rows(locked, counts))
        audit.record("appraisal_roster_imported", locked, user, candidates=len(rows))
    outcome.count = len(rows)
    return outcome


def _not_on_roster(document, number: str) -> str:
    """A sheet's number the roster does not have, masked by its type's rule when it is a valid number of
    that type (shown as typed otherwise: a typing error, not anyone's number)."""
    kind = document or identifiers.DocumentKind.RESIDENT_ID
    try:
        shown = identifiers.mask_document(kind, identifiers.check_document(kind, number))
    except ValidationError:
        shown = number
    if kind == identifiers.DocumentKind.RESIDENT_ID:
        return _("身份证号码 %(id)s 不在本次鉴定的考生名册中。") % {"id": shown}
    return _("%(kind)s号码 %(id)s 不在本次鉴定的考生名册中。") % {"kind": kind.label, "id": shown}


def problems(appraisal) -> list[str]:
    """What stops the application from being submitted, each with its clause (附件1 一 to 三)."""
    found = []
    for refusal in (
        rules.tianjin_refusal(appraisal.credit_code),
        rules.occupation_refusal(appraisal.occupation),
        rules.on_site_refusal(appraisal.candidate_count),
        rules.evidence_refusal(appraisal.category, bool(appraisal.category_evidence)),
        rules.adjustment_refusal(appraisal.category) if appraisal.adjustment_requested else None,
    ):
        if refusal:
            found.append(refusal)
    if not appraisal.assessors.exists():
        found.append(_("请填写企业选派的考评员。"))
    candidates = list(appraisal.candidates.all())
    if candidates:
        counts: dict[int, int] = {}
        for candidate in candidates:
            counts[candidate.level] = counts.get(candidate.level, 0) + 1
        if counts != {row.level: row.candidates for row in appraisal.levels.all()}:
            found.append(_("各等级考生人数与考生名册不一致，请重新导入名册或修改人数。"))
        for candidate in candidates:
            if not candidate.eligible:
                found.append(
                    _("考生名册第 %(line)s 行 %(name)s 不符合申报条件：%(reasons)s")
                    % {"line": candidate.row, "name": candidate.name, "reasons": "；".join(candidate.reasons)}
                )
    return found


# -- the steps ---------------------------------------------------------------------------------------

# Each step: its audit event, who is told, and what they are told.
STEPS = {
    "submit": ("appraisal_submitted", _centre, gettext_lazy("已申报，待市鉴定中心审核")),
    "return_for_correction": ("appraisal_returned", _enterprise, gettext_lazy("被退回，请补正后重新申报")),
    "reject": ("appraisal_rejected", _enterprise, gettext_lazy("审核不予通过")),
    "file": ("appraisal_filed", _enterprise, gettext_lazy("审核通过，企业和考生信息已入网备案")),
    "record_questions": (
        "appraisal_questions_recorded",
        lambda a: _enterprise(a) + _bureau(a),
        gettext_lazy("市鉴定中心已完成考试命题，待市人社局派遣质量督导员"),
    ),
    "dispatch": (
        "appraisal_supervisors_dispatched",
        _enterprise,
        gettext_lazy("市人社局已派遣质量督导员，考务已安排"),
    ),
    "publicise": ("appraisal_scores_publicised", _enterprise, gettext_lazy("鉴定成绩已公示")),
    "reopen_scores": (
        "appraisal_scores_reopened",
        _enterprise,
        gettext_lazy("成绩公示异议经核查成立，请更正成绩后重新公示"),
    ),
    "report": ("appraisal_scores_reported", _centre, gettext_lazy("成绩公示无异议，企业已上报市鉴定中心")),
}


def _mail(appraisal, to: str, key: str, text: str) -> None:
    outbox.queue(
        key,
        to,
        _("【技能认定门户】职业技能鉴定 %(ref)s：%(text)s") % {"ref": appraisal.reference, "text": text},
        _("%(enterprise)s 的%(occupation)s职业技能鉴定（%(ref)s）%(text)s。")
        % {
            "enterprise": appraisal.enterprise_name,
            "occupation": appraisal.occupation.name,
            "ref": appraisal.reference,
            "text": text,
        }
        + "\n"
        + _("请登录技能认定门户查看：%(url)s") % {"url": absolute_url("/dashboard/")}
        + "\n",
        about=appraisal,
    )


def _tell(appraisal, users, row, text: str) -> None:
    for user in users:
        audit.notify(user, text)
        if user.email:
            _mail(appraisal, user.email, f"audit-{row.pk}-{user.email}", text)


def _fire(appraisal, name: str, actor, *, comment: str = "", before=None, also=None, data=None, **stamp):
    """Fires ``name`` through the portal's engine: ``stamp`` fields (and ``before``) before the save, the
    people of STEPS (and ``also``) told after it, in its transaction."""
    event, audience, text = STEPS[name]

    def stamp_fields(a):
        for name_, value in stamp.items():
            setattr(a, name_, value)
        if before:
            before(a)

    def after(a, row):
        _tell(a, audience(a), row, str(text))
        if also:
            also(a, row)

    return transitions.fire(
        appraisal,
        transitions.Step(name, event),
        actor,
        comment=comment,
        before_save=stamp_fields,
        after=after,
        **(data or {}),
    )


def _check(appraisal, name: str, actor) -> None:
    """The state and role refusals first (a wrong person hears no rule reasons); fire checks again under
    the lock."""
    transitions.refuse_unless_allowed(appraisal, name, actor)


def submit(appraisal, actor):
    """申报 (四(一)): the 申请表 and 实施方案 go to the centre; the rules of 附件1 一 to 三 are checked."""
    _check(appraisal, "submit", actor)
    found = problems(appraisal)
    if found:
        raise Refused(found)
    return _fire(appraisal, "submit", actor, submitted_at=timezone.now(), return_reason="")


def return_for_correction(appraisal, actor, *, reason: str):
    """退回补正 (四(一)): what was typed stays; the enterprise corrects it and submits again."""
    _check(appraisal, "return_for_correction", actor)
    reason = errors.require_text(reason, _("请填写退回理由。"))
    return _fire(
        appraisal,
        "return_for_correction",
        actor,
        comment=reason,
        return_reason=reason,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )


def reject(appraisal, actor, *, reason: str):
    """审核不予通过 (四(一)), with a reason."""
    _check(appraisal, "reject", actor)
    reason = errors.require_text(reason, _("请填写不予通过的理由。"))
    return _fire(
        appraisal,
        "reject",
        actor,
        comment=reason,
        reject_reason=reason,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )


def record_number(year: int, sequence: int) -> str:
    """JD + year + 4-digit sequence: JD20260001 (constants.RECORD_PREFIX)."""
    return f"{RECORD_PREFIX}{year}{sequence:0{RECORD_SEQUENCE_DIGITS}d}"


def allocate_record_number(year: int) -> str:
    """The next 入网备案 number of ``year``, under a lock on that year's sequence row (inside the caller's
    transaction: a rolled-back filing gives its number back). The unique column is the backstop."""
    RecordSequence.objects.bulk_create([RecordSequence(year=year)], ignore_conflicts=True)
    sequence = RecordSequence.objects.select_for_update().get(year=year)
    if sequence.last >= 10**RECORD_SEQUENCE_DIGITS - 1:
        raise PortalError(_("%(year)s 年的入网备案编号已用完，请联系管理员。") % {"year": year})
    sequence.last += 1
    sequence.save(update_fields=["last"])
    return record_number(year, sequence.last)


def file(appraisal, actor, *, comment: str = ""):
    """审核通过 (四(一)): the enterprise and its candidates 入网备案, with a record number."""
    _check(appraisal, "file", actor)
    year = workdays.today().year

    def number(a):
        a.record_number = allocate_record_number(year)

    return _fire(
        appraisal,
        "file",
        actor,
        comment=comment,
        before=number,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
        filed_at=timezone.now(),
    )


def answer_adjustment(appraisal, actor, *, granted: bool, reason: str = ""):
    """四(二) with 三(一): the centre grants or refuses the enterprise's 调整试题 request (a refusal with its
    reason). Not a change of state: a named event on the trail, the enterprise told."""
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        if locked.state != State.FILED:
            raise NotPermitted(str(locked.state_refusal) % {"state": locked.get_state_display()})
        if not is_centre(locked, actor):
            raise NotPermitted()
        if not locked.adjustment_requested:
            raise PortalError(_("该企业没有申请调整试题。"))
        if granted and not rules.may_adjust_questions(locked.category):
            raise PortalError(rules.adjustment_refusal(locked.category))
        reason = (reason or "").strip()
        if not granted:
            reason = errors.require_text(reason, _("不同意调整试题的，请填写理由。"))
        locked.adjustment_granted = bool(granted)
        locked.adjustment_answer = reason
        locked.adjustment_answered_by = actor
        locked.adjustment_answered_at = timezone.now()
        transitions.save(
            locked,
            update_fields=[
                "adjustment_granted",
                "adjustment_answer",
                "adjustment_answered_by",
                "adjustment_answered_at",
            ],
        )
        row = audit.record(
            "appraisal_adjustment_answered", locked, actor, comment=reason, granted=bool(granted)
        )
        text = _("同意调整试题") if granted else _("不同意调整试题")
        _tell(locked, _enterprise(locked), row, str(text))
    appraisal.refresh_from_db()
    return appraisal


def record_questions(appraisal, actor, *, source: str, note: str = ""):
    """考试命题 (四(二)): the centre records whether experts revised the questions or they were drawn from
    the national bank; a 调整试题 request is answered first."""
    _check(appraisal, "record_questions", actor)
    if source not in QuestionSource.values:
        raise PortalError(_("请选择试题来源。"))
    if appraisal.adjustment_requested and appraisal.adjustment_granted is None:
        raise PortalError(_("企业申请了调整试题，请先答复。"))
    return _fire(
        appraisal,
        "record_questions",
        actor,
        comment=(note or "").strip(),
        data={"source": source},
        question_source=source,
        questions_note=(note or "").strip(),
        questions_by=actor,
        questions_at=timezone.now(),
    )


def supervisor_pool(appraisal):
    """The quality supervisors who may be dispatched to ``appraisal``: in the pool, and not employed by the
    enterprise (附件1 四(三): they are the 市人社局's, not the enterprise's)."""
    own = identifiers.normalize_credit_code(appraisal.credit_code)
    return QualitySupervisor.objects.filter(active=True).exclude(employer_credit_code=own)


def dispatch_supervisors(appraisal, actor, *, pick=None, draw: int | None = None):
    """考务安排 (四(三)): the 市人社局 picks the quality supervisors, or draws ``draw`` of them with
    portal.draws (the seed stored), from the pool without the enterprise's employees; the 考评员 the
    enterprise proposed stand recorded. The enterprise and the supervisors are told by mail."""
    _check(appraisal, "dispatch", actor)
    if (pick is None) == (draw is None):
        raise PortalError(_("请选择指定或随机抽取质量督导员。"))
    pool = supervisor_pool(appraisal)
    seed = ""
    if draw is not None:
        count = int(draw)
        if count < MIN_SUPERVISORS:
            raise PortalError(_("至少派遣 %(min)s 名质量督导员。") % {"min": MIN_SUPERVISORS})
        ids = list(pool.values_list("pk", flat=True))
        if len(ids) < count:
            raise PortalError(
                _("质量督导员库中可派遣的人数（%(have)s 人，不含本企业人员）不足 %(need)s 人。")
                % {"have": len(ids), "need": count}
            )
        seed = draws.new_seed()
        chosen = draws.draw(ids, count, seed)
    else:
        chosen = list(dict.fromkeys(getattr(s, "pk", s) for s in pick))
        if len(chosen) < MIN_SUPERVISORS:
            raise PortalError(_("至少派遣 %(min)s 名质量督导员。") % {"min": MIN_SUPERVISORS})
        allowed = set(pool.filter(pk__in=chosen).values_list("pk", flat=True))
        if set(chosen) - allowed:
            raise PortalError(_("只能从质量督导员库中派遣，且不得派遣本企业人员。"))
    supervisors = {s.pk: s for s in QualitySupervisor.objects.filter(pk__in=chosen)}

    def rows(a):
        a.draw_seed = seed
        DispatchedSupervisor.objects.bulk_create(
            DispatchedSupervisor(appraisal=a, supervisor_id=pk, drawn=bool(seed)) for pk in chosen
        )

    def tell_supervisors(a, row):
        for pk in chosen:
            s = supervisors[pk]
            _mail(a, s.email, f"audit-{row.pk}-supervisor-{pk}", str(_("您被派遣为质量督导员")))

    return _fire(
        appraisal,
        "dispatch",
        actor,
        before=rows,
        also=tell_supervisors,
        data={"supervisors": chosen, "seed": seed, "assessors": appraisal.assessors.count()},
        arranged_by=actor,
        arranged_at=timezone.now(),
    )


# -- 四(四) 成绩认定 ------------------------------------------------------------------------------------

EXAMS = {
    # the exam, the candidate's field, who enters it (附件1 四(四): 理论考试由市鉴定中心负责，技能操作考核由考评员
    # 负责; there is no 考评员 user role, so the enterprise's user enters the practical scores for its 考评员)
    "theory": ("theory_score", is_centre),
    "practical": ("practical_score", is_enterprise),
}


def exam_of(appraisal, user) -> str | None:
    """The exam whose scores ``user`` enters on ``appraisal``: "theory", "practical" or None."""
    for exam, (_field, who) in EXAMS.items():
        if who(appraisal, user):
            return exam
    return None


def _require_scoring(appraisal, user) -> str:
    """The state, then the person: scores are entered once the 考务 are arranged and until publicised."""
    exam = exam_of(appraisal, user)
    if exam is None:
        raise NotPermitted()
    if appraisal.state != State.ARRANGED:
        raise NotPermitted(str(appraisal.state_refusal) % {"state": appraisal.get_state_display()})
    return exam


def _score(value) -> Decimal | None:
    text = identifiers.normalize_text(str(value if value is not None else "")).strip()
    if not text:
        return None
    bad = certification_rules.check_score(text)
    if bad:
        raise PortalError(bad)
    return Decimal(text)


def enter_score(appraisal, user, candidate, exam: str, value):
    """One candidate's score of ``exam`` (四(四)); an empty value clears it. Under the appraisal's row lock."""
    if exam not in EXAMS or _require_scoring(appraisal, user) != exam:
        raise NotPermitted()
    score = _score(value)
    field_name = EXAMS[exam][0]
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        _require_scoring(locked, user)
        row = locked.candidates.filter(pk=getattr(candidate, "pk", candidate)).first()
        if row is None:
            raise PortalError(_("该考生不在本次鉴定的考生名册中。"))
        setattr(row, field_name, score)
        row.save(update_fields=[field_name])
        audit.record(
            "appraisal_scores_entered", locked, user, candidate=row.pk, exam=exam, score=str(score or "")
        )
    return row


def import_scores(appraisal, user, upload) -> RosterImport:
    """The score sheet of ``user``'s exam (四(四)): certification's layout, readers and checks (XLSX or CSV,
    MAX_ROSTER_ROWS rows, a score 0-100 with one decimal), rows found by ID number in the roster, only
    the user's own column read (理论知识成绩 for the centre, 技能操作成绩 for the enterprise); all rows or
    none."""
    exam = _require_scoring(appraisal, user)
    data, kind = certification_imports.read_upload(upload)
    too_long = PortalError(_("成绩单超过 %(max)s 行，请分批上传。") % {"max": MAX_ROSTER_ROWS})
    if kind == "xlsx":
        over = sheets.xlsx_rows_over(data, MAX_ROSTER_ROWS + 1)  # + 1: the header row
    else:
        over = sheets.text_rows_over(certification_imports.sheet_rows(data, kind), MAX_ROSTER_ROWS + 1)
    if over:
        raise too_long
    cell = certification_imports.sheet_cell
    source = certification_imports.sheet_rows(data, kind)
    header, header_line = None, 0
    for values in source:
        header_line += 1
        if values and any(cell(v) for v in values):
            header = [cell(v) for v in values]
            break
    if header is None:
        raise PortalError(_("文件中没有表头行和数据。"))
    titles = certification_imports.SCORE_COLUMNS
    position = {key: next((i for i, t in enumerate(header) if t in titles[key]), None) for key in titles}
    if position["id_number"] is None or position[exam] is None:
        raise PortalError(
            _("缺少必填列：身份证号码、%(column)s。请使用成绩单模板。") % {"column": titles[exam][0]}
        )
    # By number, and by type too where the sheet has the 证件类型 column (None: any type; issue 43).
    by_id = {}
    for c in appraisal.candidates.all():
        for kind in (c.document_kind, None):
            by_id.setdefault((kind, c.id_number), c)
    outcome, changed = RosterImport(), {}
    for line, values in enumerate(source, start=header_line + 1):
        if not values or not any(cell(v) for v in values):
            continue
        if len(changed) + len(outcome.errors) >= MAX_ROSTER_ROWS:
            raise too_long

        def get(key, values=values):
            i = position.get(key)
            return cell(values[i]) if i is not None and i < len(values) else ""

        try:
            document, id_number = identifiers.sheet_document(get("document_kind"), get("id_number"))
        except ValueError as error:
            outcome.errors.append((line, str(error)))
            continue
        candidate = by_id.get((document, id_number))
        if candidate is None:
            outcome.errors.append((line, _not_on_roster(document, id_number)))
            continue
        try:
            changed[candidate.pk] = _score(get(exam))
        except PortalError as error:
            outcome.errors.append((line, str(error)))
    if outcome.errors:
        return outcome
    if not changed:
        raise PortalError(_("成绩单中没有考生。"))
    field_name = EXAMS[exam][0]
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        _require_scoring(locked, user)
        rows = list(locked.candidates.filter(pk__in=changed))
        for row in rows:
            setattr(row, field_name, changed[row.pk])
        AppraisalCandidate.objects.bulk_update(rows, [field_name], batch_size=500)
        audit.record("appraisal_scores_imported", locked, user, exam=exam, rows=len(rows))
    outcome.count = len(changed)
    return outcome


def score_problems(appraisal) -> list[str]:
    """What stops the scores from being publicised: a roster, and both scores of every candidate."""
    candidates = list(appraisal.candidates.all())
    if not candidates:
        return [_("本次鉴定没有考生名册，无法认定成绩。")]
    found = []
    for c in candidates:
        missing = [
            label
            for label, value in ((_("理论知识成绩"), c.theory_score), (_("技能操作成绩"), c.practical_score))
            if value is None
        ]
        if missing:
            found.append(
                _("考生名册第 %(line)s 行 %(name)s 缺少%(what)s。")
                % {"line": c.row, "name": c.name, "what": "、".join(str(m) for m in missing)}
            )
        elif review_due(c) and (c.review is None or c.review.passed is None):
            found.append(
                _("考生名册第 %(line)s 行 %(name)s 尚无综合评审结果（%(ref)s）。")
                % {"line": c.row, "name": c.name, "ref": notices.cite("seed 002 附件1 四(五)")}
            )
    return found


# -- 四(五) 综合评审 -----------------------------------------------------------------------------------
# certification's comprehensive review, its rules called, not copied: the panel of MIN_PANEL drawn from
# certification.workflow.expert_pool (none from the enterprise) by certification.rules.draw_panel (a
# recorded seed, portal.draws), thesis 40 / defence 60 for 高级技师 (rules.thesis_total), the performance
# pass mark and the panel's majority, a failed review retried once within a year (rules.retry_refusal).
# Its result is publicised and reported with the scores (四(四)): publicise waits for every result.


def review_due(candidate) -> bool:
    """A 技师/高级技师 candidate who passed both exams goes on to the 综合评审 (附件1 四(五))."""
    return candidate.reviewed and rules.passed(candidate.theory_score, candidate.practical_score)


def review_result(candidate) -> bool | None:
    """The latest 综合评审's result of a candidate due one (None: not due, or not decided yet)."""
    if not review_due(candidate):
        return None
    review = candidate.review
    return review.passed if review else None


def final_passed(candidate) -> bool:
    """Passed the 鉴定: both exams (四(四)) and, for 技师/高级技师, the 综合评审 (四(五))."""
    if not rules.passed(candidate.theory_score, candidate.practical_score):
        return False
    return not candidate.reviewed or review_result(candidate) is True


def _reviewing(appraisal, actor, candidate) -> AppraisalCandidate:
    """The centre, while the scores are being settled (ARRANGED), on a candidate due a review."""
    if not is_centre(appraisal, actor):
        raise NotPermitted()
    if appraisal.state != State.ARRANGED:
        raise NotPermitted(str(appraisal.state_refusal) % {"state": appraisal.get_state_display()})
    row = appraisal.candidates.filter(pk=getattr(candidate, "pk", candidate)).first()
    if row is None:
        raise PortalError(_("该考生不在本次鉴定的考生名册中。"))
    if not review_due(row):
        raise PortalError(
            _("只有理论知识和技能操作成绩均合格的技师、高级技师考生参加综合评审（%(ref)s）。")
            % {"ref": notices.cite("seed 002 附件1 四(五)")}
        )
    return row


def draw_review(appraisal, actor, candidate, *, on: date | None = None, seed: int | None = None):
    """The centre draws a candidate's panel (附件1 四(五)): a first review, or a retry after a failed one
    within the limits of certification.rules.retry_refusal."""
    on = on or workdays.today()
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        row = _reviewing(locked, actor, candidate)
        previous = list(row.reviews.order_by("attempt"))
        if previous and previous[-1].passed is None:
            raise PortalError(_("该考生已有一次未完成的综合评审。"))
        if previous and previous[-1].passed:
            raise PortalError(_("该考生已通过综合评审。"))
        refusal = certification_rules.retry_refusal([r.held_on for r in previous], on)
        if refusal:
            raise PortalError(refusal)
        pool = certification_workflow.expert_pool(locked.enterprise_id, on)
        refusal = certification_rules.pool_refusal(len(pool), MIN_PANEL)
        if refusal:
            raise PortalError(refusal)
        seed = seed if seed is not None else draws.new_integer_seed()
        panel = certification_rules.draw_panel(pool, MIN_PANEL, seed)
        review = CandidateReview.objects.create(
            candidate=row, attempt=len(previous) + 1, held_on=on, seed=seed, pool=pool
        )
        review.panel.set(panel)
        audit.record(
            "appraisal_review_drawn",
            locked,
            actor,
            candidate=row.pk,
            seed=seed,
            panel=panel,
            pool_size=len(pool),
        )
    return review


def record_review(appraisal, actor, review, *, thesis=None, defence=None, performance=None, passes=None):
    """The panel's result (附件1 四(五)): for a 高级技师 the thesis and defence first (40 / 60, pass at
    certification's DEFENCE_PASS_MARK), then the performance score and the experts' majority."""
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        review = CandidateReview.objects.select_for_update().get(
            pk=getattr(review, "pk", review), candidate__appraisal=locked
        )
        row = _reviewing(locked, actor, review.candidate)
        if review.passed is not None:
            raise PortalError(_("该次综合评审已评定，不能修改。"))
        size = review.panel.count()
        problems = [
            bad for value in (thesis, defence, performance) if (bad := certification_rules.check_score(value))
        ]
        if performance in (None, ""):
            problems.append(_("请填写业绩评定成绩。"))
        senior = row.senior
        if senior and (thesis in (None, "") or defence in (None, "")):
            problems.append(_("高级技师须先进行论文答辩：请填写论文成绩和答辩成绩。"))
        if passes is None or not 0 <= int(passes) <= size:
            problems.append(_("评审通过票数应为 0 至 %(n)s。") % {"n": size})
        if problems:
            raise Refused(problems)
        ticks = [True] * int(passes) + [False] * (size - int(passes))
        if senior and not certification_rules.defence_passed(thesis, defence):
            passed = False  # 总评成绩达到60分，方可参加业绩评定
        else:
            passed = certification_rules.performance_passed(
                performance
            ) and certification_rules.majority_passes(ticks)
        review.thesis_score = Decimal(str(thesis)) if senior else None
        review.defence_score = Decimal(str(defence)) if senior else None
        review.performance_score = Decimal(str(performance))
        review.passes = int(passes)
        review.passed = passed
        review.decided_by = actor
        review.decided_at = timezone.now()
        review.save()
        audit.record("appraisal_review_recorded", locked, actor, candidate=row.pk, passed=passed)
    return review


def publicise(appraisal, actor, *, on: date | None = None):
    """成绩公示 (四(四)): every candidate has both scores; the publicity runs SCORE_PUBLICITY_WORKING_DAYS
    working days from the first working day after today (filings.workflow.publicity_period)."""
    _check(appraisal, "publicise", actor)
    found = score_problems(appraisal)
    if found:
        raise Refused(found)
    start, end = filings_workflow.publicity_period(on or workdays.today())
    return _fire(
        appraisal,
        "publicise",
        actor,
        data={"start": start.date.isoformat(), "end": end.date.isoformat()},
        publicised_by=actor,
        publicity_start=start.date,
        publicity_end=end.date,
    )


def publicity_running(appraisal, on: date | None = None) -> bool:
    """Objections are taken from the day the scores are published to the last day of the publicity."""
    on = on or workdays.today()
    return (
        appraisal.state == State.PUBLICISED
        and appraisal.publicity_end is not None
        and on <= appraisal.publicity_end
    )


def publicity_ended(appraisal, on: date | None = None) -> bool:
    on = on or workdays.today()
    return appraisal.publicity_end is not None and on > appraisal.publicity_end


def has_open_objection(appraisal) -> bool:
    return appraisal.objections.filter(state=ObjectionState.OPEN).exists()


def raise_objection(appraisal, *, name: str, contact: str, text: str, ip_hash: str = "", on=None):
    """Anyone objects to a publicised score while the publicity runs; the centre and the enterprise are
    told. An open objection holds the report."""
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        if not publicity_running(locked, on):
            raise PortalError(_("该职业技能鉴定成绩不在公示期内，不能提出异议。"))
        objection = ScoreObjection.objects.create(
            appraisal=locked,
            name=errors.require_text(name, _("请填写姓名。")),
            contact=errors.require_text(contact, _("请填写联系方式。")),
            text=errors.require_text(text, _("请填写异议内容。")),
            ip_hash=ip_hash,
        )
        row = audit.record(
            "appraisal_objection_raised", locked, None, internal=True, comment=text, objection=objection.pk
        )
        text_ = str(_("成绩公示期间收到异议，正在核查"))
        _tell(locked, _centre(locked) + _enterprise(locked), row, text_)
    return objection


def resolve_objection(objection, actor, *, upheld: bool, resolution: str):
    """The centre dismisses or upholds an objection (its own step through portal.transitions, its event on
    the appraisal's trail). Upheld, the scores go back to ARRANGED to be corrected and publicised again."""
    resolution = errors.require_text(resolution, _("请填写异议处理意见。"))
    appraisal = objection.appraisal
    with transaction.atomic():

        def keep(o):
            o.resolved_by, o.resolved_at, o.resolution = actor, timezone.now(), resolution

        transitions.fire(
            objection,
            transitions.Step("uphold", "appraisal_objection_upheld")
            if upheld
            else transitions.Step("dismiss", "appraisal_objection_dismissed"),
            actor,
            comment=resolution,
            before_save=keep,
            trail=appraisal,
            objection=objection.pk,
        )
        if upheld and appraisal.state == State.PUBLICISED:
            _fire(
                appraisal,
                "reopen_scores",
                actor,
                comment=resolution,
                publicity_start=None,
                publicity_end=None,
            )
    objection.refresh_from_db()
    return objection


def last_resolution(appraisal) -> date | None:
    """The day the last objection was resolved (the report clock starts then when it was after the end)."""
    at = (
        appraisal.objections.exclude(resolved_at=None)
        .order_by("-resolved_at")
        .values_list("resolved_at", flat=True)
        .first()
    )
    return timezone.localdate(at) if at else None


def report_clock(appraisal, on: date | None = None) -> rules.ReportClock | None:
    """The 5-working-day report clock of 四(四) (rules.report_clock), once the publicity ended and no
    objection stands; None before that (an open objection holds it). For a reported appraisal, the clock
    as it stood on the day of the report."""
    if appraisal.state not in (State.PUBLICISED, State.REPORTED) or appraisal.publicity_end is None:
        return None
    if appraisal.state == State.REPORTED:
        on = timezone.localdate(appraisal.reported_at)
    elif not publicity_ended(appraisal, on) or has_open_objection(appraisal):
        return None
    return rules.report_clock(appraisal.publicity_end, last_resolution(appraisal), on)


def report_problems(appraisal, on: date | None = None) -> list[str]:
    found = []
    if not publicity_ended(appraisal, on):
        found.append(
            _("成绩公示期至 %(date)s，公示期满无异议后方可上报（%(ref)s）。")
            % {"date": appraisal.publicity_end, "ref": notices.cite("seed 002 附件1 四(四)")}
        )
    if has_open_objection(appraisal):
        found.append(
            _("成绩公示的异议尚未处理完毕，暂不能上报（%(ref)s）。")
            % {"ref": notices.cite("seed 002 附件1 四(四)")}
        )
    return found


def report(appraisal, actor, *, on: date | None = None):
    """报市鉴定中心 (四(四)): after the publicity ended with no objection standing; a late report is taken
    and stays marked overdue on its clock."""
    _check(appraisal, "report", actor)
    found = report_problems(appraisal, on)
    if found:
        raise Refused(found)
    clock = report_clock(appraisal, on)
    return _fire(
        appraisal,
        "report",
        actor,
        data={"due": clock.due.date.isoformat() if clock else "", "overdue": bool(clock and clock.overdue)},
        reported_by=actor,
        reported_at=timezone.now(),
    )


# -- queues ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    appraisal: Appraisal
    elapsed: workdays.Elapsed  # working days in its present state; the notice sets no limit
    clock: rules.ReportClock | None = None  # 四(四): the report due once the publicity ended unopposed


def queue(user, on: date | None = None) -> list[QueueRow]:
    """What waits for ``user``: the centre's applications to review and to set questions for, the bureau's
    to dispatch supervisors to and (四(六)) the reported ones waiting for its 职业资格证书, the
    enterprise's returned ones; each with the working days waited."""
    waiting = Q(pk__in=[])
    if portal_roles.has_role(user, portal_roles.CENTRE):
        waiting |= Q(state__in=[State.SUBMITTED, State.FILED, State.ARRANGED])
        waiting |= Q(state=State.PUBLICISED, objections__state=ObjectionState.OPEN)
    if portal_roles.has_role(user, portal_roles.BUREAU):
        waiting |= Q(state__in=[State.QUESTIONS_RECORDED, State.REPORTED])  # 四(六): 核发职业资格证书
    if portal_roles.has_role(user, portal_roles.APPLICANT) and getattr(user, "institution_id", None):
        waiting |= Q(
            state__in=[State.RETURNED, State.ARRANGED, State.PUBLICISED], enterprise_id=user.institution_id
        )
    rows = (
        Appraisal.objects.filter(waiting)
        .select_related("occupation")
        .annotate(waiting_since=Coalesce(audit.entered_state(Appraisal), "submitted_at", "created_at"))
        .order_by("waiting_since", "pk")
        .distinct()
    )
    return [QueueRow(a, workdays.elapsed_since(a.waiting_since, on), report_clock(a, on)) for a in rows]


def available(appraisal, user) -> list[str]:
    """The steps ``user`` may take on ``appraisal`` now (what a page offers)."""
    return transitions.available(appraisal, user)

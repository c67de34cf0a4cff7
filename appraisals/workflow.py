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
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.constants import MAX_ROSTER_ROWS, MIN_SUPERVISORS
from eligibility import roster as eligibility_roster
from portal import audit, draws, errors, identifiers, outbox, transitions, uploads, workdays
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
    QuestionSource,
    State,
)
from .models import (
    Appraisal,
    AppraisalCandidate,
    AppraisalLevel,
    DispatchedSupervisor,
    ProposedAssessor,
    QualitySupervisor,
    RecordSequence,
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
        rows.append(
            AppraisalCandidate(
                appraisal=appraisal,
                row=row.line,
                name=row.data["name"],
                id_number=identifiers.normalize_id_number(row.data["id_number"]),
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


# -- queues ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    appraisal: Appraisal
    elapsed: workdays.Elapsed  # working days in its present state; the notice sets no limit


def queue(user, on: date | None = None) -> list[QueueRow]:
    """What waits for ``user``: the centre's applications to review and to set questions for, the bureau's
    to dispatch supervisors to, the enterprise's returned ones; each with the working days waited."""
    waiting = Q(pk__in=[])
    if portal_roles.has_role(user, portal_roles.CENTRE):
        waiting |= Q(state__in=[State.SUBMITTED, State.FILED])
    if portal_roles.has_role(user, portal_roles.BUREAU):
        waiting |= Q(state=State.QUESTIONS_RECORDED)
    if portal_roles.has_role(user, portal_roles.APPLICANT) and getattr(user, "institution_id", None):
        waiting |= Q(state=State.RETURNED, enterprise_id=user.institution_id)
    rows = (
        Appraisal.objects.filter(waiting)
        .select_related("occupation")
        .annotate(waiting_since=Coalesce(audit.entered_state(Appraisal), "submitted_at", "created_at"))
        .order_by("waiting_since", "pk")
    )
    return [QueueRow(a, workdays.elapsed_since(a.waiting_since, on)) for a in rows]


def available(appraisal, user) -> list[str]:
    """The steps ``user`` may take on ``appraisal`` now (what a page offers)."""
    return transitions.available(appraisal, user)

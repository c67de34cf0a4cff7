"""Every change to a professional's skill application (seed 002 附件2 三, 四(二)), one service function each:
pages, admin and the demo call these.

Each step is fired through portal.transitions (row lock, state then role refusal in the model's words,
the named audit event of talent/events.py, rollback); the people concerned are told in the portal and
by mail through portal.outbox. The rules' decision (eligibility.titles.assess, the title_to_skill decision
for the level applied for, with its theory waiver) is stored on submission.

    app = create(person, name=..., title=HeldTitle.ENGINEER, occupation=occ, level=2,
                 route=SkillRoute.RECOGNITION, institution=body)
    attach_title_copy(app, person, upload)   # 四(二)3, checked by content
    submit(app, person)                      # -> SUBMITTED, in the body's queue
    accept(app, body_user, plan=plan)        # 评价机构: a roster row on its plan, theory waived
    accept(app, centre_user)                 # 市鉴定中心: accepted for 考务安排
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from certification.constants import State as PlanState
from certification.imports import sex_from_id
from certification.models import AssessmentPlan, Candidate
from eligibility import titles
from filings import directory, institutions
from portal import audit, errors, identifiers, outbox, transitions, uploads, workdays
from portal import roles as portal_roles
from portal.links import absolute_url
from portal.models import Institution, User

from .constants import (
    SKILL_EDITABLE_STATES,
    SKILL_LEVELS_SOUGHT,
    TITLE_COPY_KINDS,
    CompetitionClass,
    HeldTitle,
    SkillLevel,
    SkillRoute,
    SkillState,
)
from .skill_models import SkillApplication, SkillCompetition, is_skill_body, is_skill_filer

PortalError = errors.PortalError
NotPermitted = errors.NotPermitted
Refused = errors.Refused

# The fields a person types on the 申请表 (what create and update accept).
FORM_FIELDS = (
    "name",
    "id_number",
    "phone",
    "employer_name",
    "post",
    "engineering_field",
    "skill_post",
    "title",
    "title_certificate_number",
    "title_obtained_on",
    "held_level",
    "held_level_certificate_number",
    "held_level_obtained_on",
    "occupation",
    "work_type",
    "level",
    "route",
    "institution",
)

# A plan still takes roster rows while the institution may edit it (certification.workflow.check_editable).
OPEN_PLAN_STATES = (PlanState.DRAFT, PlanState.RETURNED)


# -- who ---------------------------------------------------------------------------------------------


def _active(users):
    return list(users.filter(is_active=True).distinct())


def _body_users(app):
    if app.route == SkillRoute.APPRAISAL:
        return _active(User.objects.filter(groups__name=portal_roles.CENTRE))
    if app.institution_id is None:
        return []
    return _active(
        User.objects.filter(groups__name=portal_roles.APPLICANT, institution_id=app.institution_id)
    )


def _filer(app):
    return [app.filed_by] if app.filed_by_id else []


def can_view(app, user) -> bool:
    """Its filer; the body it was filed with once it was submitted. Nobody else."""
    if is_skill_filer(app, user):
        return True
    return app.submitted_at is not None and is_skill_body(app, user)


def visible_to(user):
    """The skill applications ``user`` may see (the queryset of :func:`can_view`)."""
    if not getattr(user, "is_authenticated", False):
        return SkillApplication.objects.none()
    mine = Q(filed_by=user)
    held = portal_roles.roles_of(user)
    if portal_roles.CENTRE in held:
        mine |= Q(route=SkillRoute.APPRAISAL, submitted_at__isnull=False)
    institution = getattr(user, "institution_id", None)
    if portal_roles.APPLICANT in held and institution:
        mine |= Q(route=SkillRoute.RECOGNITION, institution_id=institution, submitted_at__isnull=False)
    return SkillApplication.objects.filter(mine)


# -- where: the filed institutions and their open plans -----------------------------------------------


def filed_bodies(occupation, level: int, on: date | None = None) -> list[Institution]:
    """The 评价机构 whose filing in force covers ``occupation`` at ``level`` (三(四)2)."""
    if occupation is None or level is None:
        return []
    filed = directory.search(occupation=occupation.code, level=level).values_list("institution_id", flat=True)
    bodies = Institution.objects.filter(pk__in=list(filed)).order_by("name", "pk")
    return [body for body in bodies if (occupation.code, int(level)) in institutions.filed_scope(body, on)]


def open_plans(app) -> list[AssessmentPlan]:
    """The chosen institution's own plans still taking candidates for the occupation and level applied for."""
    if app.route != SkillRoute.RECOGNITION or app.institution_id is None:
        return []
    plans = AssessmentPlan.objects.filter(
        institution_id=app.institution_id, occupation_id=app.occupation_id, state__in=OPEN_PLAN_STATES
    ).order_by("start_date", "pk")
    return [plan for plan in plans if app.level in plan.level_list]


# -- the rules ---------------------------------------------------------------------------------------


def profile_of(app) -> titles.TitleProfile:
    """What the 申请表 says, as the title rules read it (competitions of a class the rules know)."""
    return titles.TitleProfile(
        level=app.held_level,
        level_obtained_on=app.held_level_obtained_on if app.held_level else None,
        titles=[(app.title, app.title_obtained_on)] if app.title and app.title_obtained_on else [],
        engineering_field=app.engineering_field,
        competitions=[
            (row.klass, row.rank) for row in app.competitions.all() if row.klass in titles.C.COMPETITION_TOP
        ],
    )


def assess(app, on: date | None = None) -> list[titles.TitleDecision]:
    """The decisions of 附件2 三(二) (title_to_skill) for the application on ``on``."""
    on = on or workdays.today()
    return [d for d in titles.assess(profile_of(app), on) if d.direction == titles.TITLE_TO_SKILL]


def deciding(app, decisions) -> titles.TitleDecision | None:
    """The first eligible decision for the level applied for (三(二)1, then 2, then 3), else None."""
    for decision in decisions:
        if decision.target == app.level and decision.eligible:
            return decision
    return None


def stored_decisions(decisions) -> list[dict]:
    return [
        {
            "clause": d.clause,
            "target": d.target,
            "eligible": d.eligible,
            "exceptional": d.exceptional,
            "theory_waived": d.theory_waived,
            "reasons": d.reasons,
        }
        for d in decisions
    ]


def refusal_reasons(app, decisions) -> list[str]:
    """Why no decision lets the level applied for go on, in the rules' words."""
    reasons = [r for d in decisions if d.target == app.level for r in d.reasons]
    if not reasons:
        reasons = [r for d in decisions for r in d.reasons]
    return reasons


# -- the 申请表 ---------------------------------------------------------------------------------------


def _clean(app) -> None:
    """Checks the typed fields, in Chinese."""
    app.id_number = identifiers.normalize_id_number(app.id_number)
    try:
        identifiers.validate_id_number(app.id_number)
    except ValidationError as error:
        raise PortalError(" ".join(error.messages)) from None
    app.name = errors.require_text(identifiers.normalize_name(app.name), _("请填写姓名。"))
    errors.require_text(app.employer_name, _("请填写工作单位。"))
    errors.require_text(app.post, _("请填写现工作岗位。"))
    if app.title not in HeldTitle.values:
        raise PortalError(_("请选择现有职称（助理工程师、工程师或高级工程师）。"))
    errors.require_text(app.title_certificate_number, _("请填写职称证书编号。"))
    if app.occupation_id is None:
        raise PortalError(_("请选择申报职业（工种）。"))
    if app.level not in SKILL_LEVELS_SOUGHT:
        raise PortalError(_("请选择申报等级。"))
    if app.route not in SkillRoute.values:
        raise PortalError(_("请选择评价方式（职业技能鉴定或职业技能等级认定）。"))
    if app.route == SkillRoute.APPRAISAL:
        app.institution = None
    today = workdays.today()
    dates = [(app.title_obtained_on, _("取得职称日期"))]
    if app.held_level is not None:
        if app.held_level not in SkillLevel.values:
            raise PortalError(_("请选择现有职业技能等级。"))
        errors.require_text(app.held_level_certificate_number, _("请填写职业技能等级证书编号。"))
        dates.append((app.held_level_obtained_on, _("取得职业技能等级日期")))
    for value, what in dates:
        if value is None:
            raise PortalError(_("请填写%(what)s。") % {"what": what})
        if value > today:
            raise PortalError(_("%(what)s不能晚于今天。") % {"what": what})


def _require_editable(app, user) -> None:
    if not is_skill_filer(app, user):
        raise NotPermitted()
    if app.state not in SKILL_EDITABLE_STATES:
        raise NotPermitted(str(app.state_refusal) % {"state": app.get_state_display()})


def _known(fields) -> None:
    unknown = set(fields) - set(FORM_FIELDS)
    if unknown:
        raise TypeError(f"unknown skill application fields {sorted(unknown)!r}")


def create(user, **fields) -> SkillApplication:
    """A professional starts a 申请表: a draft."""
    if not getattr(user, "is_authenticated", False):
        raise NotPermitted()
    _known(fields)
    app = SkillApplication(filed_by=user, **fields)
    _clean(app)
    with transaction.atomic():
        app.save()
        audit.record("skill_application_created", app, user)
    return app


def update(app, user, **fields) -> SkillApplication:
    """Changes the typed fields of a draft or of an application returned for correction."""
    _known(fields)
    with transaction.atomic():
        locked = SkillApplication.objects.select_for_update().get(pk=app.pk)
        _require_editable(locked, user)
        for name, value in fields.items():
            setattr(locked, name, value)
        _clean(locked)
        locked.save()
        audit.record("skill_application_changed", locked, user, fields=sorted(fields))
    app.refresh_from_db()
    return app


def set_competitions(app, user, competitions) -> None:
    """Replaces the competition placings ((competition, class, rank, year)) of an editable application."""
    with transaction.atomic():
        locked = SkillApplication.objects.select_for_update().get(pk=app.pk)
        _require_editable(locked, user)
        rows = []
        for competition, klass, rank, year in competitions:
            competition = errors.require_text(competition, _("请填写竞赛名称。"))
            if klass not in CompetitionClass.values:
                raise PortalError(_("请选择竞赛类别。"))
            if int(rank) < 1:
                raise PortalError(_("竞赛名次应为不小于 1 的整数。"))
            rows.append(
                SkillCompetition(
                    application=locked, competition=competition, klass=klass, rank=int(rank), year=year
                )
            )
        locked.competitions.all().delete()
        SkillCompetition.objects.bulk_create(rows)
        audit.record("skill_application_changed", locked, user, rows=True)


def attach_title_copy(app, user, upload) -> SkillApplication:
    """附件2 四(二)3 专业技术职务任职资格证复印件, checked by content (PDF, JPG or PNG); replaces an earlier one."""
    if upload is None:
        raise PortalError(_("请上传专业技术职务任职资格证复印件。"))
    try:
        kind = uploads.validate_upload(upload, allowed=TITLE_COPY_KINDS)
    except ValidationError as error:
        raise PortalError(" ".join(error.messages)) from None
    with uploads.stored_files() as files:
        locked = SkillApplication.objects.select_for_update().get(pk=app.pk)
        _require_editable(locked, user)
        old = locked.title_certificate_copy.name
        files.save_field(locked.title_certificate_copy, uploads.random_name("talent/titles", kind), upload)
        locked.save(update_fields=["title_certificate_copy"])
        if old:
            files.delete_after_commit(old, locked.title_certificate_copy.storage)
        audit.record("skill_title_copy_attached", locked, user)
    app.refresh_from_db()
    return app


# -- the steps ---------------------------------------------------------------------------------------

STEPS = {
    "submit": ("skill_application_submitted", _body_users, gettext_lazy("已申报，待受理")),
    "accept": ("skill_application_accepted", _filer, gettext_lazy("已受理")),
    "return_for_correction": (
        "skill_application_returned",
        _filer,
        gettext_lazy("被退回，请补正后重新申报"),
    ),
    "reject": ("skill_application_rejected", _filer, gettext_lazy("不予受理")),
}


def _tell(app, users, row, text: str) -> None:
    for user in users:
        audit.notify(user, text)
        if user.email:
            outbox.queue(
                f"audit-{row.pk}-{user.email}",
                user.email,
                _("【技能认定门户】职业技能评价申请 %(ref)s：%(text)s")
                % {"ref": app.reference, "text": text},
                _("%(name)s 申报%(occupation)s%(level)s的职业技能评价申请（%(ref)s）%(text)s。")
                % {
                    "name": app.name,
                    "occupation": app.occupation.name,
                    "level": app.get_level_display(),
                    "ref": app.reference,
                    "text": text,
                }
                + "\n"
                + _("请登录技能认定门户查看：%(url)s") % {"url": absolute_url("/dashboard/")}
                + "\n",
                about=app,
            )


def _fire(app, name: str, actor, *, comment: str = "", before=None, **stamp):
    event, audience, text = STEPS[name]

    def stamp_fields(a):
        if before:
            before(a)
        for field, value in stamp.items():
            setattr(a, field, value)

    return transitions.fire(
        app,
        transitions.Step(name, event),
        actor,
        comment=comment,
        before_save=stamp_fields,
        after=lambda a, row: _tell(a, audience(a), row, str(text)),
    )


def _check(app, name: str, actor) -> None:
    """The state and role refusals first (a wrong person hears no rule reasons)."""
    transitions.refuse_unless_allowed(app, name, actor)


def submit(app, actor, on: date | None = None):
    """申报 (三(四)1, 2): the rules' decision for the level applied for is taken and stored with its theory
    waiver; refused with the rules' reasons when none lets it go on."""
    if not is_skill_filer(app, actor):
        raise NotPermitted()
    _check(app, "submit", actor)
    on = on or workdays.today()
    problems = []
    if not app.title_certificate_copy:
        problems.append(_("请上传专业技术职务任职资格证复印件（附件2 四(二)3）。"))
    if app.route == SkillRoute.RECOGNITION:
        if app.institution_id is None:
            problems.append(_("申报职业技能等级认定的，请选择评价机构。"))
        elif (app.occupation.code, app.level) not in institutions.filed_scope(app.institution, on):
            problems.append(
                _("所选评价机构的备案范围不包括%(occupation)s%(level)s，请选择备案范围内的评价机构。")
                % {"occupation": app.occupation.name, "level": app.get_level_display()}
            )
    decisions = assess(app, on)
    chosen = deciding(app, decisions)
    if chosen is None:
        problems.append(
            _("不符合申报%(level)s的条件：%(reasons)s")
            % {"level": app.get_level_display(), "reasons": "".join(refusal_reasons(app, decisions))}
        )
    if problems:
        raise Refused(problems)
    return _fire(
        app,
        "submit",
        actor,
        assessed_on=on,
        decision=stored_decisions(decisions),
        clause=chosen.clause,
        theory_waived=chosen.theory_waived,
        submitted_at=timezone.now(),
        return_reason="",
    )


def _roster_row(app, plan) -> Candidate:
    """The person as a row of ``plan``'s roster, theory waived (附件2 三(二) 免于理论知识考核)."""
    chosen = next(
        (d for d in app.decision if d["target"] == app.level and d["eligible"] and d["clause"] == app.clause),
        None,
    )
    clause = f"附件2 {app.clause}"  # "附件2 三(二)1", as a roster row bridged by its title has it
    reasons = list((chosen or {}).get("reasons", []))
    last = Candidate.objects.filter(plan=plan).aggregate(last=Max("row"))["last"] or 1
    return Candidate.objects.create(
        plan=plan,
        row=last + 1,
        name=app.name,
        id_number=app.id_number,
        sex=sex_from_id(app.id_number),
        level=app.level,
        eligible=True,
        clause=clause,
        reasons=reasons,
        title_bridged=True,
    )


def accept(app, actor, *, plan: AssessmentPlan | None = None, comment: str = ""):
    """受理. The 市鉴定中心 records it accepted for 考务安排 (seed 002 附件2 三(四)1); a 评价机构 puts the person on
    one of its own plans still taking candidates (seed 002 附件2 三(四)2), as a roster row with the theory exam
    waived."""
    _check(app, "accept", actor)
    if app.route == SkillRoute.APPRAISAL:
        return _fire(app, "accept", actor, comment=comment, decided_by=actor, decided_at=timezone.now())
    if plan is None:
        raise PortalError(_("请选择认定方案。"))

    def on_roster(a):
        locked = AssessmentPlan.objects.select_for_update().get(pk=plan.pk)
        if locked.institution_id != a.institution_id:
            raise NotPermitted()
        if locked.state not in OPEN_PLAN_STATES:
            raise PortalError(_("该认定方案已报送，不能再添加考生。"))
        if locked.occupation_id != a.occupation_id or a.level not in locked.level_list:
            raise PortalError(_("该认定方案的职业或等级与申请不一致。"))
        if Candidate.objects.filter(plan=locked, id_number=a.id_number, level=a.level).exists():
            raise PortalError(_("该考生已在此认定方案的名册中。"))
        a.candidate = _roster_row(a, locked)

    return _fire(
        app,
        "accept",
        actor,
        comment=comment,
        before=on_roster,
        decided_by=actor,
        decided_at=timezone.now(),
    )


def return_for_correction(app, actor, *, reason: str):
    """退回补正: what was typed stays; the person corrects it and submits again."""
    _check(app, "return_for_correction", actor)
    reason = errors.require_text(reason, _("请填写退回理由。"))
    return _fire(
        app,
        "return_for_correction",
        actor,
        comment=reason,
        return_reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )


def reject(app, actor, *, reason: str):
    """不予受理, with a reason."""
    _check(app, "reject", actor)
    reason = errors.require_text(reason, _("请填写不予受理的理由。"))
    return _fire(
        app,
        "reject",
        actor,
        comment=reason,
        reject_reason=reason,
        decided_by=actor,
        decided_at=timezone.now(),
    )


# -- queues ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    application: SkillApplication
    elapsed: workdays.Elapsed  # working days in its present state; the notice sets no limit


def queue(user, on: date | None = None) -> list[QueueRow]:
    """What waits for ``user``'s body to accept, return or reject, with the working days it has waited."""
    held = portal_roles.roles_of(user)
    institution = getattr(user, "institution_id", None)
    waiting = Q(pk__in=[])
    if portal_roles.CENTRE in held:
        waiting |= Q(route=SkillRoute.APPRAISAL)
    if portal_roles.APPLICANT in held and institution:
        waiting |= Q(route=SkillRoute.RECOGNITION, institution_id=institution)
    rows = (
        SkillApplication.objects.filter(waiting, state=SkillState.SUBMITTED)
        .exclude(filed_by=user)  # nobody accepts their own application
        .select_related("occupation")
        .annotate(waiting_since=Coalesce(audit.entered_state(SkillApplication), "submitted_at", "created_at"))
        .order_by("waiting_since", "pk")
    )
    return [QueueRow(app, workdays.elapsed_since(app.waiting_since, on)) for app in rows]


def available(app, user) -> list[str]:
    return transitions.available(app, user)

"""Every change to a title application (seed 002 附件2 二(三)), one service function each: pages, admin and
the demo call these.

Each step is fired through portal.transitions (row lock, state then role refusal in the model's words,
the named audit event of talent/events.py, rollback); the people concerned are told in the portal and
by mail through portal.outbox, written in the deciding transaction and sent after commit. The rules'
decision (eligibility.titles.assess) is stored with the application when it is submitted.

    app = create(person, name=..., id_number=..., ...)
    add_achievement(app, person, kind=AchievementKind.PATENT, summary=..., upload=file)
    submit(app, person)                      # -> SUBMITTED (employer route) or IN_REVIEW (direct)
    recommend(app, employer_user, department=dept)
    approve(app, department_user, review_body=body)
    record_result(app, body_user, State.PASSED, certificate_number=..., certificate_date=...)
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eligibility import titles
from portal import audit, errors, identifiers, outbox, transitions, uploads, workdays
from portal import roles as portal_roles
from portal.links import absolute_url
from portal.models import Institution, User
from portal.notices import cite

from . import roles
from .constants import (
    APPOINTMENT_RULE,
    APPRAISAL_PASSED,
    EDITABLE_STATES,
    EVIDENCE_KINDS,
    JUNIOR_TITLES,
    AchievementKind,
    AppraisalResult,
    CompetitionClass,
    Level,
    Route,
    State,
    Title,
)
from .models import (
    Achievement,
    Appraisal,
    Award,
    CompetitionPlacing,
    TitleApplication,
    is_filer,
    is_recommender,
    is_review_body,
    is_reviewer,
)

PortalError = errors.PortalError
NotPermitted = errors.NotPermitted
Refused = errors.Refused

# The fields a person types on the 申请表 (what create and update accept).
FORM_FIELDS = (
    "name",
    "id_number",
    "phone",
    "employer_name",
    "employer",
    "route",
    "post",
    "on_current_post_since",
    "engineering_field",
    "frontline_skill_post",
    "occupation",
    "level",
    "level_certificate_number",
    "level_obtained_on",
    "skill_work_years",
    "title_sought",
    "specialty",
)


# -- who ---------------------------------------------------------------------------------------------


def _users(role: str, institution_id=None):
    users = User.objects.filter(groups__name=role, is_active=True)
    if institution_id is not None:
        users = users.filter(institution_id=institution_id)
    return list(users.distinct())


def _filer(app):
    return [app.filed_by] if app.filed_by_id else []


def _recommenders(app):
    return _users(roles.RECOMMENDER, app.employer_id) if app.employer_id else []


def _reviewers(app):
    if app.route == Route.DIRECT:
        return _users(roles.ZHONGTIAN)
    return _users(roles.DEPARTMENT, app.department_id) if app.department_id else []


def _review_body(app):
    return _users(roles.REVIEW_BODY, app.review_body_id) if app.review_body_id else []


def _filer_and_employer(app):
    return _filer(app) + [u for u in _recommenders(app) if u.pk != app.filed_by_id]


def can_view(app, user) -> bool:
    """Nobody sees another person's application: its filer, its employer's recommenders, and the bodies it
    has reached (its reviewer once it is in review, its review body once sent)."""
    if is_filer(app, user) or is_review_body(app, user):
        return True
    # The reviewer: 中天人力 once filed with it, a 业务主管部门 once recommended to it.
    return app.submitted_at is not None and is_reviewer(app, user)


def visible_to(user):
    """The applications ``user`` may see (the queryset of :func:`can_view`)."""
    if not getattr(user, "is_authenticated", False):
        return TitleApplication.objects.none()
    mine = Q(filed_by=user)
    held = portal_roles.roles_of(user)
    institution = getattr(user, "institution_id", None)
    if roles.RECOMMENDER in held and institution:
        mine |= Q(employer_id=institution)
    if roles.DEPARTMENT in held and institution:
        mine |= Q(route=Route.EMPLOYER, department_id=institution, recommended_at__isnull=False)
    if roles.ZHONGTIAN in held:
        mine |= Q(route=Route.DIRECT, submitted_at__isnull=False)
    if roles.REVIEW_BODY in held and institution:
        mine |= Q(review_body_id=institution)
    return TitleApplication.objects.filter(mine)


# -- the rules ---------------------------------------------------------------------------------------


def appraisals_passed(app, on: date) -> int:
    """近3年年度考核合格 (二(二)1): the passed appraisals of the three years before ``on``'s year."""
    years = range(on.year - titles.C.TITLE_APPRAISAL_YEARS, on.year)
    return app.appraisals.filter(year__in=years, result__in=APPRAISAL_PASSED).count()


def profile_of(app, on: date) -> titles.TitleProfile:
    """What the 申请表 says, as the title rules read it."""
    honours = set(titles.C.AWARDS) | set(_extra_honours())
    return titles.TitleProfile(
        level=app.level,
        level_obtained_on=app.level_obtained_on,
        appraisals_passed_last_3y=appraisals_passed(app, on),
        on_current_post_since=app.on_current_post_since,
        engineering_field=app.engineering_field,
        frontline_skill_post=app.frontline_skill_post,
        awards=[a.name for a in app.awards.all() if a.name in honours],
    )


def _extra_honours() -> tuple:
    return tuple(getattr(settings, "ELIGIBILITY_LEADING_TALENT_HONOURS", ()))


def assess(app, on: date | None = None) -> list[titles.TitleDecision]:
    """The decisions of 附件2 二(二) for the application (the skill-to-title ones) on ``on``."""
    on = on or workdays.today()
    decisions = titles.assess(profile_of(app, on), on, extra_honours=_extra_honours())
    return [d for d in decisions if d.direction == titles.SKILL_TO_TITLE]


def _rule_target(title_sought: str) -> str:
    # 技术员 and 助理工程师 are both 初级: the rules name 助理工程师 for both (二(二)1).
    return titles.C.ASSISTANT_ENGINEER if title_sought in JUNIOR_TITLES else title_sought


def deciding(app, decisions) -> titles.TitleDecision | None:
    """The decision that lets the application go on: 二(二)1 for the title sought, else 二(二)3 破格 for
    it (eligible, or left to the reviewer's decision), else None."""
    target = _rule_target(app.title_sought)
    for decision in decisions:
        if decision.clause == titles.CLAUSE_BASIC and decision.target == target and decision.eligible:
            return decision
    for decision in decisions:
        if decision.clause == titles.CLAUSE_AWARD and decision.target == target:
            if decision.eligible or decision.needs_staff_decision:
                return decision
    return None


def stored_decisions(decisions) -> list[dict]:
    """The decisions as kept on the application (JSON)."""
    return [
        {
            "clause": d.clause,
            "target": d.target,
            "eligible": d.eligible,
            "exceptional": d.exceptional,
            "needs_staff_decision": d.needs_staff_decision,
            "met_on": d.met_on.isoformat() if d.met_on else None,
            "reasons": d.reasons,
        }
        for d in decisions
    ]


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
    errors.require_text(app.occupation, _("请填写职业（工种）。"))
    errors.require_text(app.level_certificate_number, _("请填写技能等级证书编号。"))
    errors.require_text(app.specialty, _("请填写申报专业。"))
    if app.level not in Level.values:
        raise PortalError(_("请选择现有技能等级（高级工以上）。"))
    if app.title_sought not in Title.values:
        raise PortalError(_("请选择申报职称。"))
    if app.route not in Route.values:
        raise PortalError(_("请选择申报途径。"))
    if app.route == Route.EMPLOYER and app.employer_id is None and app.title_sought not in JUNIOR_TITLES:
        raise PortalError(_("由用人单位推荐的，请选择推荐单位。"))
    today = workdays.today()
    for value, what in (
        (app.level_obtained_on, _("取得技能等级日期")),
        (app.on_current_post_since, _("现岗位起始日期")),
    ):
        if value is None:
            raise PortalError(_("请填写%(what)s。") % {"what": what})
        if value > today:
            raise PortalError(_("%(what)s不能晚于今天。") % {"what": what})
    if app.skill_work_years is None:
        raise PortalError(_("请填写从事技术技能工作年限。"))


def _require_editable(app, user) -> None:
    if not is_filer(app, user):
        raise NotPermitted()
    if app.state not in EDITABLE_STATES:
        raise NotPermitted(str(app.state_refusal) % {"state": app.get_state_display()})


def create(user, **fields) -> TitleApplication:
    """A person (or the employer for them) starts a 申请表: a draft."""
    if not getattr(user, "is_authenticated", False):
        raise NotPermitted()
    unknown = set(fields) - set(FORM_FIELDS)
    if unknown:
        raise TypeError(f"unknown title application fields {sorted(unknown)!r}")
    app = TitleApplication(filed_by=user, **fields)
    _clean(app)
    with transaction.atomic():
        app.save()
        audit.record("title_application_created", app, user)
    return app


def update(app, user, **fields) -> TitleApplication:
    """Changes the typed fields of a draft or of an application returned for correction."""
    unknown = set(fields) - set(FORM_FIELDS)
    if unknown:
        raise TypeError(f"unknown title application fields {sorted(unknown)!r}")
    with transaction.atomic():
        locked = TitleApplication.objects.select_for_update().get(pk=app.pk)
        _require_editable(locked, user)
        for name, value in fields.items():
            setattr(locked, name, value)
        _clean(locked)
        locked.save(update_fields=[TitleApplication._meta.get_field(name).attname for name in fields] or None)
        audit.record("title_application_changed", locked, user, fields=sorted(fields))
    app.refresh_from_db()  # the caller's instance shows what was saved (a later step saves it whole)
    return app


def set_rows(app, user, *, appraisals=None, awards=None, competitions=None) -> None:
    """Replaces the annual appraisals ((year, result) pairs), awards ((name, awarded_by, year)) and
    competition placings ((competition, class, rank, year)) of an editable application."""
    with transaction.atomic():
        locked = TitleApplication.objects.select_for_update().get(pk=app.pk)
        _require_editable(locked, user)
        if appraisals is not None:
            rows = []
            for year, result in appraisals:
                if result not in AppraisalResult.values:
                    raise PortalError(_("请选择年度考核结果。"))
                rows.append(Appraisal(application=locked, year=int(year), result=result))
            if len({r.year for r in rows}) != len(rows):
                raise PortalError(_("同一年度只能填写一次年度考核结果。"))
            locked.appraisals.all().delete()
            Appraisal.objects.bulk_create(rows)
        if awards is not None:
            rows = []
            for name, awarded_by, year in awards:
                name = errors.require_text(name, _("请填写奖项或称号。"))
                rows.append(Award(application=locked, name=name, awarded_by=awarded_by or "", year=year))
            locked.awards.all().delete()
            Award.objects.bulk_create(rows)
        if competitions is not None:
            rows = []
            for competition, klass, rank, year in competitions:
                competition = errors.require_text(competition, _("请填写竞赛名称。"))
                if klass not in CompetitionClass.values:
                    raise PortalError(_("请选择竞赛类别。"))
                if int(rank) < 1:
                    raise PortalError(_("竞赛名次应为不小于 1 的整数。"))
                rows.append(
                    CompetitionPlacing(
                        application=locked, competition=competition, klass=klass, rank=int(rank), year=year
                    )
                )
            locked.competitions.all().delete()
            CompetitionPlacing.objects.bulk_create(rows)
        audit.record("title_application_changed", locked, user, rows=True)


def add_achievement(app, user, *, kind: str, summary: str, upload, description: str = "", year=None):
    """One achievement of 二(二)2 with its evidence file, checked by content (PDF, JPG or PNG)."""
    if kind not in AchievementKind.values:
        raise PortalError(_("请选择业绩类别。"))
    summary = errors.require_text(summary, _("请填写业绩名称。"))
    if upload is None:
        raise PortalError(_("请上传证明材料。"))
    try:
        evidence_kind = uploads.validate_upload(upload, allowed=EVIDENCE_KINDS)
    except ValidationError as error:
        raise PortalError(" ".join(error.messages)) from None
    with uploads.stored_files() as files:
        locked = TitleApplication.objects.select_for_update().get(pk=app.pk)
        _require_editable(locked, user)
        row = Achievement(application=locked, kind=kind, summary=summary, description=description, year=year)
        files.save_field(row.evidence, uploads.random_name("talent/evidence", evidence_kind), upload)
        row.save()
        audit.record("title_achievement_added", locked, user, achievement=row.pk, kind=kind)
    return row


def remove_achievement(achievement, user) -> None:
    with transaction.atomic():
        locked = TitleApplication.objects.select_for_update().get(pk=achievement.application_id)
        _require_editable(locked, user)
        name = achievement.evidence.name
        achievement.delete()
        uploads.StoredFiles.delete_after_commit(name)
        audit.record("title_application_changed", locked, user, achievement_removed=achievement.pk)


# -- the steps ---------------------------------------------------------------------------------------

# Each step: its audit event, who is told, and what they are told.
STEPS = {
    "submit": ("title_application_submitted", _recommenders, gettext_lazy("已申报，请用人单位推荐")),
    "file_direct": ("title_application_filed_direct", _reviewers, gettext_lazy("已申报，待中天人力审核")),
    "recommend": (
        "title_application_recommended",
        lambda app: _reviewers(app) + _filer(app),
        gettext_lazy("用人单位已推荐，待业务主管部门审核"),
    ),
    "return_by_employer": (
        "title_application_returned_by_employer",
        _filer,
        gettext_lazy("用人单位退回，请补正后重新申报"),
    ),
    "approve": (
        "title_application_approved",
        lambda app: _review_body(app) + _filer_and_employer(app),
        gettext_lazy("审核通过，已报送职称评审机构"),
    ),
    "return_for_correction": (
        "title_application_returned",
        _filer_and_employer,
        gettext_lazy("被退回，请补正后重新申报"),
    ),
    "reject": ("title_application_rejected", _filer_and_employer, gettext_lazy("审核不予通过")),
    "record_pass": ("title_review_passed", _filer_and_employer, gettext_lazy("评审通过")),
    "record_fail": ("title_review_failed", _filer_and_employer, gettext_lazy("评审未通过")),
    "record_recognition": ("title_review_recognised", _filer_and_employer, gettext_lazy("经审核破格认定")),
    "appoint": ("title_appointed", _filer_and_employer, gettext_lazy("用人单位已聘任")),
}


def _tell(app, users, row, text: str) -> None:
    for user in users:
        audit.notify(user, text)
        if user.email:
            outbox.queue(
                f"audit-{row.pk}-{user.email}",
                user.email,
                _("【技能认定门户】职称申请 %(ref)s：%(text)s") % {"ref": app.reference, "text": text},
                _("%(name)s 申报%(title)s的职称申请（%(ref)s）%(text)s。")
                % {
                    "name": app.name,
                    "title": app.get_title_sought_display(),
                    "ref": app.reference,
                    "text": text,
                }
                + "\n"
                + _("请登录技能认定门户查看：%(url)s") % {"url": absolute_url("/dashboard/")}
                + "\n",
                about=app,
            )


def _fire(app, name: str, actor, *, comment: str = "", **stamp):
    """Fires ``name`` through the portal's engine: ``stamp`` fields set before the save, the people of
    STEPS told after it, in its transaction."""
    event, audience, text = STEPS[name]

    def stamp_fields(a):
        for field, value in stamp.items():
            setattr(a, field, value)

    return transitions.fire(
        app,
        transitions.Step(name, event),
        actor,
        comment=comment,
        before_save=stamp_fields if stamp else None,
        after=lambda a, row: _tell(a, audience(a), row, str(text)),
    )


def _check(app, name: str, actor) -> None:
    """The state and role refusals first (a wrong person hears no rule reasons); fire checks again under
    the lock."""
    transitions.refuse_unless_allowed(app, name, actor)


def submit(app, actor, on: date | None = None):
    """申报 (二(三)1): the rules' decision is taken and stored; the application goes to the employer to be
    recommended, or straight to 中天人力 on the direct route (二(三)2). 初级 titles are not submitted: the
    employer appoints (:func:`appoint`)."""
    if not is_filer(app, actor):
        raise NotPermitted()
    if app.title_sought in JUNIOR_TITLES:
        raise PortalError(
            _("初级职称（技术员、助理工程师）由用人单位按%(rule)s聘任，不需申报评审。")
            % {"rule": APPOINTMENT_RULE}
        )
    name = "file_direct" if app.route == Route.DIRECT else "submit"
    _check(app, name, actor)
    on = on or workdays.today()
    problems = []
    if not app.achievements.exists():
        problems.append(
            _("请至少填写一项工作业绩并上传证明材料（%(ref)s）。") % {"ref": cite("seed 002 附件2 二(二)2")}
        )
    decisions = assess(app, on)
    chosen = deciding(app, decisions)
    if chosen is None:
        target = _rule_target(app.title_sought)
        reasons = [r for d in decisions if d.target == target for r in d.reasons]
        problems.append(
            _("不符合申报%(title)s的条件：%(reasons)s")
            % {"title": app.get_title_sought_display(), "reasons": "".join(reasons)}
        )
    if problems:
        raise Refused(problems)
    return _fire(
        app,
        name,
        actor,
        assessed_on=on,
        decision=stored_decisions(decisions),
        exceptional_clause=f"附件2 {chosen.clause}" if chosen.exceptional else "",
        submitted_at=timezone.now(),
        return_reason="",
    )


def recommend(app, actor, *, department: Institution, comment: str = ""):
    """推荐 (二(三)2): the employer recommends it to its 业务主管部门."""
    _check(app, "recommend", actor)
    if department is None:
        raise PortalError(_("请选择业务主管部门。"))
    return _fire(
        app,
        "recommend",
        actor,
        comment=comment,
        department=department,
        recommended_by=actor,
        recommended_at=timezone.now(),
    )


def return_by_employer(app, actor, *, reason: str):
    _check(app, "return_by_employer", actor)
    reason = errors.require_text(reason, _("请填写退回理由。"))
    return _fire(app, "return_by_employer", actor, comment=reason, return_reason=reason)


def approve(app, actor, *, review_body: Institution, comment: str = ""):
    """审核通过 and 报送 (二(三)3): sent to a 职称评审机构."""
    _check(app, "approve", actor)
    if review_body is None:
        raise PortalError(_("请选择职称评审机构。"))
    now = timezone.now()
    return _fire(
        app,
        "approve",
        actor,
        comment=comment,
        review_body=review_body,
        reviewed_by=actor,
        reviewed_at=now,
        sent_at=now,
    )


def return_for_correction(app, actor, *, reason: str):
    """退回补正 (二(三)3): what was typed stays; the person corrects it and submits again."""
    _check(app, "return_for_correction", actor)
    reason = errors.require_text(reason, _("请填写退回理由。"))
    return _fire(
        app,
        "return_for_correction",
        actor,
        comment=reason,
        return_reason=reason,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )


def reject(app, actor, *, reason: str):
    """审核不予通过 (二(三)3), with a reason."""
    _check(app, "reject", actor)
    reason = errors.require_text(reason, _("请填写不予通过的理由。"))
    return _fire(
        app,
        "reject",
        actor,
        comment=reason,
        reject_reason=reason,
        reviewed_by=actor,
        reviewed_at=timezone.now(),
    )


OUTCOMES = {State.PASSED: "record_pass", State.FAILED: "record_fail", State.RECOGNISED: "record_recognition"}


def _certificate(number: str, on_date, today: date) -> tuple[str, date]:
    number = errors.require_text(number, _("请填写职称证书编号。"))
    if on_date is None:
        raise PortalError(_("请填写职称证书日期。"))
    if on_date > today:
        raise PortalError(_("职称证书日期不能晚于今天。"))
    return number, on_date


def record_result(
    app, actor, outcome: str, *, certificate_number: str = "", certificate_date=None, opinion: str = ""
):
    """评审 (二(三)4): the review body records 通过 or 破格认定 (with the title certificate number and date)
    or 不通过 (with its opinion)."""
    name = OUTCOMES.get(outcome)
    if name is None:
        raise PortalError(_("请选择评审结果。"))
    _check(app, name, actor)
    stamp = {"decided_by": actor, "decided_at": timezone.now(), "review_opinion": (opinion or "").strip()}
    if outcome == State.FAILED:
        stamp["review_opinion"] = errors.require_text(opinion, _("请填写评审意见。"))
    else:
        number, on_date = _certificate(certificate_number, certificate_date, workdays.today())
        stamp.update(title_certificate_number=number, title_certificate_date=on_date)
    return _fire(app, name, actor, comment=stamp["review_opinion"], **stamp)


def appoint(app, actor, *, certificate_number: str, certificate_date, on: date | None = None):
    """初级 (技术员, 助理工程师): the employer records its appointment under 津人社局发〔2018〕31号 (二(三)), no
    review; the rules (二(二)1: 高级工 and 2 years) are checked and stored as on submission."""
    if not is_recommender(app, actor):
        raise NotPermitted()
    if app.title_sought not in JUNIOR_TITLES:
        raise PortalError(_("只有初级职称（技术员、助理工程师）由用人单位聘任，其他职称须申报评审。"))
    _check(app, "appoint", actor)
    on = on or workdays.today()
    number, on_date = _certificate(certificate_number, certificate_date, on)
    decisions = assess(app, on)
    basic = next(d for d in decisions if d.clause == titles.CLAUSE_BASIC)
    if not basic.eligible:
        raise Refused([_("不符合聘任初级职称的条件：%(reasons)s") % {"reasons": "".join(basic.reasons)}])
    now = timezone.now()
    return _fire(
        app,
        "appoint",
        actor,
        assessed_on=on,
        decision=stored_decisions(decisions),
        submitted_at=now,
        decided_by=actor,
        decided_at=now,
        title_certificate_number=number,
        title_certificate_date=on_date,
    )


# -- queues ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    application: TitleApplication
    elapsed: workdays.Elapsed  # working days in its present state; the notices set no limit


def queue(user, on: date | None = None) -> list[QueueRow]:
    """What waits for ``user``: the employer's applications to recommend, the reviewer's to review, the
    review body's to decide; each with the working days it has waited (no invented deadline)."""
    held = portal_roles.roles_of(user)
    institution = getattr(user, "institution_id", None)
    waiting = Q(pk__in=[])
    if roles.RECOMMENDER in held and institution:
        waiting |= Q(state=State.SUBMITTED, employer_id=institution)
    if roles.DEPARTMENT in held and institution:
        waiting |= Q(state=State.IN_REVIEW, route=Route.EMPLOYER, department_id=institution)
    if roles.ZHONGTIAN in held:
        waiting |= Q(state=State.IN_REVIEW, route=Route.DIRECT)
    if roles.REVIEW_BODY in held and institution:
        waiting |= Q(state=State.SENT, review_body_id=institution)
    rows = (
        TitleApplication.objects.filter(waiting)
        .annotate(waiting_since=Coalesce(audit.entered_state(TitleApplication), "submitted_at", "created_at"))
        .order_by("waiting_since", "pk")
    )
    return [QueueRow(app, workdays.elapsed_since(app.waiting_since, on)) for app in rows]


def available(app, user) -> list[str]:
    """The steps ``user`` may take on ``app`` now (what a page offers)."""
    return transitions.available(app, user)

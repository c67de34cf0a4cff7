"""Every change to an assessment plan, as one service function each (views, tasks and admin call these).

Each state change runs in one transaction: django-fsm checks the source state and the role
(``has_transition_perm``), ConcurrentTransitionMixin refuses a lost race, a named audit event is
appended, the other side is notified in the portal and e-mailed after commit."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import has_transition_perm

from filings import institutions
from portal import audit, draws, errors, outbox, roles, transitions
from portal.links import absolute_url
from portal.models import User
from portal.notices import cite

from . import rules
from .constants import (
    MIN_PANEL,
    PANEL_QUALIFICATION,
    REVIEW_LEVELS,
    THESIS_LEVEL,
    Method,
    StaffRole,
    Verification,
)
from .models import (
    AssessmentPlan,
    Candidate,
    ComprehensiveReview,
    ExpertQualification,
    Panelist,
    PlanStaff,
    StaffingRatio,
)

SYSTEM = roles.SYSTEM  # the actor of scheduled transitions (the daily Celery task)


# The portal's one error hierarchy, under the names the certification code and its callers use.
WorkflowError = errors.PortalError
NotPermitted = errors.NotPermitted
Refused = errors.Refused


# -- what the filings app says about the institution -------------------------------------------------


def institution_profile(institution, on: date | None = None):
    """(route, kind) of the filing in force, or (None, None)."""
    filing = institutions.current_filing(institution, on)
    if filing is None:
        return None, None
    return filing.route, filing.kind


def plan_creation_refusal(institution, on: date | None = None) -> str | None:
    """Why the institution may not draw up a new assessment plan on ``on`` (default today), or None. It
    needs a filing in force: none yet, an expired, a cancelled (注销) or a revoked (撤销) one does not
    count (seed 002). The plan list offers 新建认定方案 only without a refusal; the form refuses too."""
    if institution is not None and institutions.filed_scope(institution, on):
        return None
    return _("本机构没有有效的备案（未备案、已过期、已注销或已撤销），不能制定认定方案。")


def ratios_for(occupation) -> rules.Ratios:
    row = StaffingRatio.objects.filter(occupation=occupation).first()
    return row.as_ratios() if row else rules.Ratios()


def filed_people(institution, role: str) -> list:
    return institutions.filed_personnel(institution, role)


# -- checks ------------------------------------------------------------------------------------------


UNCONFIRMED_LISTED = 20  # names listed in the refusal; the rest are counted


def unconfirmed_refusal(plan: AssessmentPlan) -> str | None:
    """Ineligible candidates cannot be confirmed unless staff override them with a reason (issue 6): the
    plan is not approved while any ineligible candidate has no override. The refusal names them."""
    rows = list(
        plan.candidates.filter(eligible=False, override_reason="")
        .order_by("row", "pk")
        .values_list("row", "name")[: UNCONFIRMED_LISTED + 1]
    )
    if not rows:
        return None
    total = plan.candidates.filter(eligible=False, override_reason="").count()
    names = "、".join(
        _("第 %(row)s 行 %(name)s") % {"row": row, "name": name} for row, name in rows[:UNCONFIRMED_LISTED]
    )
    if total > UNCONFIRMED_LISTED:
        names += _(" 等")
    return _(
        "以下 %(n)s 名考生不符合申报条件且未经人工确认，不能通过审查：%(names)s。"
        "请在考生页面填写理由人工确认，或退回方案由机构修改名册。"
    ) % {"n": total, "names": names}


def staffing_refusals(plan: AssessmentPlan, candidates: int | None = None) -> list[str]:
    """The plan's staffing shortfalls (rules.staffing_refusals on its roster, methods and staff)."""
    if candidates is None:
        candidates = plan.candidates.count()
    counts = {role: 0 for role in StaffRole.values}
    for role in plan.staff.values_list("role", flat=True):
        counts[role] += 1
    methods = set(plan.methods)
    theory_candidates = plan.candidates.filter(title_bridged=False).count() if Method.THEORY in methods else 0
    return rules.staffing_refusals(
        candidates,
        plan.rooms,
        counts[StaffRole.INVIGILATOR],
        counts[StaffRole.ASSESSOR],
        counts[StaffRole.SUPERVISOR],
        ratios_for(plan.occupation),
        theory=bool(theory_candidates),
        practical=Method.PRACTICAL in methods,
    )


def personnel_change_url(plan: AssessmentPlan, on: date) -> str | None:
    """Where the institution adds assessors, supervisors or invigilators to its filed personnel: the
    personnel change form of its filing in force (issue 29 item 2), or None without one."""
    filing = institutions.current_filing(plan.institution, on)
    if filing is None:
        return None
    return reverse("filings:request_change", args=[filing.pk]) + "?kind=personnel&action=add"


def plan_refusals_with_links(plan: AssessmentPlan, on: date) -> list[tuple[str, str | None]]:
    """plan_refusals, each with the page that resolves it: a staffing shortfall links to the personnel
    change form (staff are picked from the filed personnel)."""
    staffing = set(staffing_refusals(plan))
    link = personnel_change_url(plan, on) if staffing else None
    return [(p, link if p in staffing else None) for p in plan_refusals(plan, on)]


def plan_refusals(plan: AssessmentPlan, on: date, submitted_on: date | None = None) -> list[str]:
    """Everything that stops ``plan`` from being submitted on ``on``, each with the numbers needed. The
    centre re-checks a submitted plan on ``on`` with the lead time counted from ``submitted_on``, and
    then also sees the ineligible candidates still to be confirmed before approval."""
    problems = []
    scope = institutions.filed_scope(plan.institution, on)
    problems += rules.scope_refusals(plan.occupation.code, plan.level_list, scope, plan.occupation.name)
    if plan.occupation.access_type:
        problems.append(_("准入类职业不开展职业技能等级认定（%(ref)s）。") % {"ref": cite("seed 000 二")})
    route, kind = institution_profile(plan.institution, on)
    if route:
        refusal = rules.methods_refusal(plan.methods, route, kind)
        if refusal:
            problems.append(refusal)
    if plan.end_date < plan.start_date:
        problems.append(_("结束日期不能早于开始日期。"))
    refusal = rules.start_refusal(submitted_on or on, plan.start_date)
    if refusal:
        problems.append(refusal)
    candidates = plan.candidates.count()
    if not candidates:
        problems.append(_("请上传考生名册。"))
    if plan.on_site:
        if route != "Y" or kind != "enterprise":
            problems.append(_("只有企业可以申请在企业内开展鉴定。"))
        refusal = rules.on_site_refusal(candidates)
        if refusal:
            problems.append(refusal)
    problems += staffing_refusals(plan, candidates)
    if submitted_on is not None:
        refusal = unconfirmed_refusal(plan)
        if refusal:
            problems.append(refusal)
    return problems


# -- plumbing ----------------------------------------------------------------------------------------


def plan_url(plan) -> str:
    return reverse("certification:plan", args=[plan.pk])


def _centre_staff(plan=None):
    return User.objects.filter(groups__name=roles.CENTRE, is_active=True)


def _applicants(plan):
    return User.objects.filter(
        institution_id=plan.institution_id, is_active=True, groups__name=roles.APPLICANT
    )


def queue_email(key: str, plan, to: str, subject: str, body: str) -> None:
    """A mail about the plan, once per key, sent after commit (portal.outbox)."""
    outbox.queue(key, to, subject, body, about=plan)


def _tell(plan, users, event_row, text: str) -> None:
    url = plan_url(plan)
    for user in users:
        audit.notify(user, text, url)
        if user.email:
            queue_email(
                f"audit-{event_row.pk}-{user.email}",
                plan,
                user.email,
                _("【技能认定门户】认定方案 %(ref)s：%(text)s") % {"ref": plan.reference, "text": text},
                _("认定方案 %(ref)s（%(title)s）%(text)s。")
                % {"ref": plan.reference, "title": plan.title, "text": text}
                + "\n"
                + _("请登录技能认定门户查看：%(url)s") % {"url": absolute_url(url)}
                + "\n",
            )


# Each step of a plan: its audit event, who is told (the centre's staff or the institution's users) and
# what they are told.
STEPS = {
    "submit": ("certification_plan_submitted", _centre_staff, gettext_lazy("已报送，待审查")),
    "report_results": (
        "certification_results_reported",
        _centre_staff,
        gettext_lazy("已上报认定结果，待核对"),
    ),
    "approve": ("certification_plan_approved", _applicants, gettext_lazy("审查通过")),
    "return_plan": ("certification_plan_returned", _applicants, gettext_lazy("被退回，请修改后重新报送")),
    "begin": ("certification_plan_started", None, ""),
    "return_results": (
        "certification_results_returned",
        _applicants,
        gettext_lazy("认定结果有 %(n)s 名考生被退回，请修改后重新上报"),
    ),
    "verify": ("certification_results_verified", _applicants, gettext_lazy("认定结果核对无误")),
    "mark_uploaded": (
        "certification_results_uploaded",
        _applicants,
        gettext_lazy("认定合格信息已上传部鉴定中心并在其网站公布，可以签发证书"),
    ),
}


def _transition(plan, name, actor, *, comment="", told=None, also=None, **stamp):
    """Fires the plan's step ``name`` through the portal's transition engine: the fields ``stamp`` names
    are set before the save, ``also(plan)`` writes what goes with the step in its transaction (after the
    lock and the checks: a refused step leaves nothing changed), and the people STEPS names are told
    (``told`` fills in the text's numbers)."""
    event, audience, text = STEPS[name]

    def stamp_fields(p):
        for field, value in stamp.items():
            setattr(p, field, value)
        if also:
            also(p)

    def tell_people(p, row):
        if audience is not None:
            _tell(p, audience(p), row, text % told if told else str(text))

    return transitions.fire(
        plan,
        transitions.Step(name, event),
        actor,
        comment=comment,
        before_save=stamp_fields if stamp or also else None,
        after=tell_people,
    )


# -- institution -----------------------------------------------------------------------------------


def check_editable(plan, user):
    if not (roles.has_role(user, roles.APPLICANT) and user.institution_id == plan.institution_id):
        raise NotPermitted()
    if not plan.editable:
        raise NotPermitted(_("认定方案已报送，不能修改。"))


def submit(plan, actor, on: date | None = None):
    on = on or timezone.localdate()
    problems = plan_refusals(plan, on)
    if problems:
        raise Refused(problems)
    return _transition(plan, "submit", actor, submitted_on=on, return_reason="")


def report_results(plan, actor, on: date | None = None):
    """The institution reports the results (seed 001 第十六条(三)): every confirmed candidate needs a
    result, and level 1/2 candidates who passed the exams a decided comprehensive review."""
    on = on or timezone.localdate()
    if on < plan.end_date:
        raise WorkflowError(
            _("认定结束后方可上报结果（结束日期 %(end)s）。") % {"end": plan.end_date.isoformat()}
        )
    missing = []
    for candidate in plan.candidates.filter(
        verification__in=[Verification.PENDING, Verification.RETURNED]
    ).prefetch_related("reviews"):
        if not candidate.confirmed:
            continue
        if candidate.exam_result(plan.methods) is None:
            missing.append(
                _("第 %(row)s 行 %(name)s 尚未录入成绩") % {"row": candidate.row, "name": candidate.name}
            )
        elif needs_review(candidate, plan.methods) and review_outcome(candidate) is None:
            missing.append(
                _("第 %(row)s 行 %(name)s 尚未完成综合评审") % {"row": candidate.row, "name": candidate.name}
            )
        if len(missing) >= 20:
            break
    if missing:
        raise Refused(missing)

    def reopen_returned(p):
        """The returned candidates are reported again: in the step's transaction, after its checks."""
        p.candidates.filter(verification=Verification.RETURNED).update(verification=Verification.PENDING)

    return _transition(plan, "report_results", actor, also=reopen_returned, reported_on=on)


# -- centre ----------------------------------------------------------------------------------------


def approve(plan, actor, comment="", on: date | None = None):
    on = on or timezone.localdate()
    if not has_transition_perm(plan.approve, actor):
        raise NotPermitted()  # before the checks: they name candidates
    # The filing must still cover the plan when the centre approves it (expired or revoked since?).
    scope = institutions.filed_scope(plan.institution, on)
    problems = rules.scope_refusals(plan.occupation.code, plan.level_list, scope, plan.occupation.name)
    refusal = unconfirmed_refusal(plan)
    if refusal:
        problems.append(refusal)
    if problems:
        raise Refused(problems)
    return _transition(plan, "approve", actor, comment=comment, approved_on=on)


def return_plan(plan, actor, reason: str):
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("退回时请填写退回理由。"))
    return _transition(plan, "return_plan", actor, comment=reason, return_reason=reason)


def begin(plan, actor):
    return _transition(plan, "begin", actor)


def override_candidate(candidate: Candidate, actor, reason: str):
    """Staff confirm an ineligible candidate, with a reason (recorded in the audit trail)."""
    if not roles.has_role(actor, roles.CENTRE):
        raise NotPermitted()
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError(_("人工确认时请填写理由。"))
    if candidate.eligible:
        raise WorkflowError(_("该考生符合申报条件，无需人工确认。"))
    with transaction.atomic():
        candidate.override_reason = reason
        candidate.override_by = actor
        candidate.save(update_fields=["override_reason", "override_by"])
        audit.record(
            "certification_candidate_overridden",
            candidate.plan,
            actor,
            comment=reason,
            candidate=candidate.pk,
        )
    return candidate


def verify(plan, actor, returned: dict[int, str], on: date | None = None):
    """The centre checks the reported results (seed 001 第十六条(三)). ``returned`` maps candidate ids to
    the reason each is returned; with any returned the results go back to the institution."""
    on = on or timezone.localdate()
    returned = {int(k): (v or "").strip() for k, v in returned.items()}
    blank = [k for k, v in returned.items() if not v]
    if blank:
        raise WorkflowError(_("退回的考生须填写退回理由。"))
    ids = set(plan.candidates.filter(pk__in=returned).values_list("pk", flat=True))
    if ids != set(returned):
        raise WorkflowError(_("退回的考生不属于本认定方案。"))
    with transaction.atomic():
        if returned:
            for pk, reason in returned.items():
                Candidate.objects.filter(pk=pk).update(
                    verification=Verification.RETURNED, verification_reason=reason[:300]
                )
            summary = "；".join(f"#{pk}: {reason}" for pk, reason in sorted(returned.items()))
            _transition(plan, "return_results", actor, comment=summary, told={"n": len(returned)})
        else:
            plan.candidates.exclude(verification=Verification.ACCEPTED).update(
                verification=Verification.ACCEPTED, verification_reason=""
            )
            _transition(plan, "verify", actor, verified_on=on)
    return plan


def upload_refusals(plan, uploaded_on: date | None, published_on: date | None, on: date) -> list[str]:
    """What is wrong with the upload the centre records (seed 001 第十六条(三)(四)): the date the passing
    results went up to the ministry centre, and the date its site published them, neither in the future,
    the upload not before the verification and the publication not before the upload."""
    problems = []
    if uploaded_on is None:
        problems.append(_("请填写上传部鉴定中心的日期。"))
    if published_on is None:
        problems.append(
            _("请填写部鉴定中心网站公布认定合格信息的日期（%(ref)s：评价机构根据网站公布的信息颁发证书）。")
            % {"ref": cite("seed 001 第十六条(四)")}
        )
    for day in (uploaded_on, published_on):
        if day is not None and day > on:
            problems.append(_("日期 %(d)s 晚于今天，请核对。") % {"d": day.isoformat()})
    if uploaded_on and plan.verified_on and uploaded_on < plan.verified_on:
        problems.append(_("上传日期不能早于核对完成日期 %(d)s。") % {"d": plan.verified_on.isoformat()})
    if uploaded_on and published_on and published_on < uploaded_on:
        problems.append(_("网站公布日期不能早于上传日期。"))
    return problems


def mark_uploaded(
    plan,
    actor,
    *,
    uploaded_on: date | None = None,
    published_on: date | None = None,
    note: str = "",
    on: date | None = None,
):
    """The centre records that the verified passing results went up to the ministry centre and were
    published on its site (seed 001 第十六条(三)(四)); certificates may be issued from then on
    (certification.issuable). ``uploaded_on`` defaults to ``on`` (today); ``published_on`` is required."""
    on = on or timezone.localdate()
    uploaded_on = uploaded_on or on
    # The dates are checked where the step may run; elsewhere the transition engine says why not.
    if has_transition_perm(plan.mark_uploaded, actor):
        problems = upload_refusals(plan, uploaded_on, published_on, on)
        if problems:
            raise Refused(problems)
    note = (note or "").strip()[:300]
    return _transition(
        plan,
        "mark_uploaded",
        actor,
        comment=note,
        uploaded_on=uploaded_on,
        published_on=published_on,
        publication_note=note,
        publication_recorded_by=actor,
    )


# -- comprehensive review (seed 002 综合评审工作流程) ---------------------------------------------------


def review_applies(candidate: Candidate) -> bool:
    """Whether the comprehensive review (综合评审) concerns the candidate at all: 技师 and 高级技师 only
    (levels 2 and 1); a candidate's page shows the section only then."""
    return candidate.level in REVIEW_LEVELS


def needs_review(candidate: Candidate, methods) -> bool:
    """Level 1/2 candidates who passed both exams go to the comprehensive review."""
    return (
        candidate.level in REVIEW_LEVELS
        and candidate.exam_result(methods) is True
        and not candidate.other_result
    )


def review_outcome(candidate: Candidate) -> bool | None:
    """The latest decided review: passed True/False, None when none is decided (or one is open)."""
    reviews = sorted(candidate.reviews.all(), key=lambda r: r.attempt)
    if not reviews or reviews[-1].passed is None:
        return None
    return reviews[-1].passed


def candidate_passed(candidate: Candidate, methods) -> bool | None:
    if not candidate.confirmed:
        return False
    result = candidate.exam_result(methods)
    if result is not True:
        return result
    if needs_review(candidate, methods):
        return review_outcome(candidate)
    return True


def expert_pool(exclude_institution_id, on: date | None = None) -> list[int]:
    """The expert pool on ``on``: active users in the expert group whose senior assessor qualification
    (seed 002 综合评审工作流程 三: 专家应具备高级考评员资格) is in force that day, none from the
    candidate's institution."""
    on = on or timezone.localdate()
    qualified = ExpertQualification.objects.filter(
        qualification=PANEL_QUALIFICATION, valid_until__gte=on
    ).values("expert_id")
    qs = User.objects.filter(groups__name=roles.EXPERT, is_active=True, pk__in=qualified)
    if exclude_institution_id:
        qs = qs.exclude(institution_id=exclude_institution_id)
    return sorted(set(qs.values_list("pk", flat=True)))


def _refuse_if(refusal: str | None) -> None:
    if refusal:
        raise WorkflowError(refusal)


def _reviewable(candidate: Candidate, actor) -> AssessmentPlan:
    """The candidate's plan, once the centre may start a comprehensive review step for the candidate."""
    if not roles.has_role(actor, roles.CENTRE):
        raise NotPermitted()
    plan = candidate.plan
    if not needs_review(candidate, plan.methods):
        raise WorkflowError(
            _("只有理论知识考试和技能操作考核成绩均达到 60 分的技师、高级技师考生可进入综合评审。")
        )
    return plan


def _previous_reviews(candidate: Candidate, retry_on: date, open_refusal: str) -> list:
    """The candidate's reviews so far, when a new attempt may follow on ``retry_on``: none open
    (``open_refusal``), none passed, and a retry within the limits of seed 002 综合评审工作流程 四."""
    previous = list(candidate.reviews.order_by("attempt"))
    if previous and previous[-1].passed is None:
        raise WorkflowError(open_refusal)
    if previous and previous[-1].passed:
        raise WorkflowError(_("该考生已通过综合评审。"))
    _refuse_if(rules.retry_refusal([r.held_on for r in previous if r.passed is False], retry_on))
    return previous


def record_materials(candidate: Candidate, actor, received_on: date, *, on: date | None = None):
    """The centre records the day it received a candidate's comprehensive review materials: the one-month
    limit of seed 002 综合评审工作流程 五(一) counts from it. Before the panel is drawn the date may be
    corrected; after a failed review the retry's materials start a new clock."""
    plan = _reviewable(candidate, actor)
    on = on or timezone.localdate()
    _refuse_if(rules.materials_refusal(received_on, on, plan.start_date))
    previous = _previous_reviews(
        candidate, received_on, _("已抽取评审专家，不能再修改本次评审的材料收到日期。")
    )
    with transaction.atomic():
        before = candidate.review_materials_on
        candidate.review_materials_on = received_on
        candidate.save(update_fields=["review_materials_on"])
        audit.record(
            "certification_review_materials_received",
            plan,
            actor,
            comment=received_on.isoformat(),
            candidate=candidate.pk,
            attempt=len(previous) + 1,
            corrected_from=before.isoformat() if before else None,
        )
    return candidate


def draw_review(
    candidate: Candidate,
    actor,
    *,
    on: date | None = None,
    size: int | None = None,
    seed: int | None = None,
    location: str | None = None,
):
    """Draws the panel at random from the pool with a recorded seed (the draw can be repeated), at the
    place the centre names (综合评审工作流程 三). ``location=None``: not asked (scripts and the demo);
    a page always passes what was typed, and an empty place is refused."""
    plan = _reviewable(candidate, actor)
    if location is not None:
        _refuse_if(rules.location_refusal(location))
    on = on or timezone.localdate()
    minimum = ratios_for(plan.occupation).min_panel or MIN_PANEL
    size = size or minimum
    _refuse_if(rules.panel_refusal(size, minimum))
    previous = _previous_reviews(candidate, on, _("该考生已有一次未完成的综合评审。"))
    if candidate.review_materials_on is None:
        raise WorkflowError(
            _(
                "请先登记收到该考生综合评审申报材料的日期"
                "（市鉴定中心在收到材料后1个月内完成综合评审，%(ref)s）。"
            )
            % {"ref": cite("seed 002 综合评审工作流程 五(一)")}
        )
    pool = expert_pool(plan.institution_id, on)
    _refuse_if(rules.pool_refusal(len(pool), size))
    seed = seed if seed is not None else draws.new_integer_seed()
    panel = rules.draw_panel(pool, size, seed)
    with transaction.atomic():
        review = ComprehensiveReview.objects.create(
            candidate=candidate,
            attempt=len(previous) + 1,
            held_on=on,
            seed=seed,
            pool=pool,
            materials_received_on=candidate.review_materials_on,
            location=(location or "").strip(),
        )
        Panelist.objects.bulk_create([Panelist(review=review, expert_id=pk) for pk in panel])
        audit.record(
            "certification_review_drawn",
            plan,
            actor,
            candidate=candidate.pk,
            seed=seed,
            panel=panel,
            pool_size=len(pool),
            location=(location or "").strip(),
        )
    return review


def record_review(
    review: ComprehensiveReview,
    actor,
    *,
    thesis=None,
    defence=None,
    questions=(),
    performance=None,
    ticks=None,
):
    """Records the panel's scores and ticks and decides the review. Raises Refused with every problem."""
    if not roles.has_role(actor, roles.CENTRE):
        raise NotPermitted()
    if review.passed is not None:
        raise WorkflowError(_("该次综合评审已评定，不能修改。"))
    candidate = review.candidate
    problems = []
    questions = [q.strip() for q in questions if q and q.strip()]
    for value in (thesis, defence, performance):
        bad = rules.check_score(value)
        if bad:
            problems.append(bad)
    if performance in (None, ""):
        problems.append(_("请填写业绩评定成绩。"))
    if candidate.level == THESIS_LEVEL:
        if thesis in (None, "") or defence in (None, ""):
            problems.append(_("高级技师须先进行论文答辩：请填写论文成绩和答辩成绩。"))
        refusal = rules.questions_refusal(len(questions))
        if refusal:
            problems.append(refusal)
    panelists = list(review.panelists.all())
    # Ticks the experts gave on their own page, completed or corrected from the signed list.
    ticks = {p.expert_id: p.tick for p in panelists if p.tick is not None} | {
        k: v for k, v in (ticks or {}).items() if v is not None
    }
    if set(ticks) != {p.expert_id for p in panelists}:
        problems.append(_("每位评审专家都须勾选“通过”或“不通过”。"))
    if problems:
        raise Refused(problems)
    if candidate.level == THESIS_LEVEL and not rules.defence_passed(thesis, defence):
        passed = False  # seed 002 五(二): 总评成绩达到60分，方可参加业绩评定
    else:
        passed = rules.performance_passed(performance) and rules.majority_passes(ticks.values())
    with transaction.atomic():
        for p in panelists:
            p.tick = bool(ticks[p.expert_id])
        Panelist.objects.bulk_update(panelists, ["tick"])
        review.thesis_score = thesis or None
        review.defence_score = defence or None
        review.questions = questions
        review.performance_score = performance
        review.passed = passed
        review.decided_at = timezone.now()
        review.save()
        # This attempt's one-month clock stops; a retry starts its own when its materials arrive.
        Candidate.objects.filter(pk=candidate.pk).update(review_materials_on=None)
        candidate.review_materials_on = None
        audit.record(
            "certification_review_recorded", candidate.plan, actor, candidate=candidate.pk, passed=passed
        )
    return review


def expert_tick(panelist: Panelist, actor, passed: bool):
    """An expert of the panel ticks pass or fail for the candidate (seed 002 综合评审工作流程 五(四))."""
    if panelist.expert_id != getattr(actor, "pk", None) or not roles.has_role(actor, roles.EXPERT):
        raise NotPermitted()
    if panelist.review.passed is not None:
        raise WorkflowError(_("该次综合评审已评定，不能修改。"))
    with transaction.atomic():
        panelist.tick = bool(passed)
        panelist.save(update_fields=["tick"])
        audit.record(
            "certification_review_ticked",
            panelist.review.candidate.plan,
            actor,
            candidate=panelist.review.candidate_id,
            passed=bool(passed),
        )
    return panelist


# -- staff assignments ---------------------------------------------------------------------------


def assign_staff(plan, actor, role: str, id_number: str):
    """Adds a person of the filed personnel to the plan (assessors from filed assessors, supervisors from
    filed supervisors, invigilators from filed staff or assessors)."""
    check_editable(plan, actor)
    sources = {
        StaffRole.ASSESSOR: ["assessor"],
        StaffRole.SUPERVISOR: ["supervisor"],
        StaffRole.INVIGILATOR: ["staff", "assessor"],
    }[role]
    for source in sources:
        for person in filed_people(plan.institution, source):
            if person.id_number == id_number:
                staff, _created = PlanStaff.objects.get_or_create(
                    plan=plan, role=role, id_number=id_number, defaults={"name": person.name}
                )
                return staff
    raise WorkflowError(_("该人员不在本机构备案的人员名单中。"))

"""Life after filing (Filings II): change requests, renewal, voluntary termination, sanctions,
revocation and the blacklist, and cancellation at expiry. Plain functions that views, tasks and admin
call; each runs in one transaction, checks the role on the server and appends a named audit event to
the filing's trail (seed 001 第十一至十三条, 第二十四条; seed 002 第五、六条)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, errors, identifiers, roles, transitions, workdays
from portal.levels import levels_text
from portal.models import Occupation, User
from portal.notices import cite

from . import workflow
from .constants import MAX_SCORE, MIN_EXPERTS, PersonRole, SiteUse, State
from .constants_after import (
    CHANGE_OPEN_STATES,
    RENEWAL_EXTENSION_YEARS,
    RENEWAL_WINDOW_DAYS,
    BlacklistState,
    ChangeAction,
    ChangeKind,
    ChangeState,
    RenewalState,
    SanctionKind,
    TerminationState,
)
from .models import (
    SYSTEM,
    BlacklistEntry,
    ChangePerson,
    ChangeRequest,
    ChangeReview,
    ChangeSite,
    Filing,
    FilingEquipment,
    FilingOccupation,
    FilingPerson,
    FilingSite,
    Renewal,
    Sanction,
    TerminationRequest,
    applicant_of,
)

WorkflowError = workflow.WorkflowError
NotPermitted = workflow.NotPermitted


# -- who -------------------------------------------------------------------------------------------


# An applicant of the filing's institution (the same test as the filing's own transitions).
is_applicant_of = applicant_of


def _require_applicant(filing, user):
    if not is_applicant_of(filing, user):
        raise NotPermitted()


def _require_filed(filing):
    if filing.state != State.FILED:
        raise WorkflowError(
            _("备案当前状态为“%(state)s”，不能办理此事项。") % {"state": filing.get_state_display()}
        )


def after_url(filing) -> str:
    return reverse("filings:after_filing", args=[filing.pk])


def _record(event, filing, actor, *, comment="", internal=False, notice="", **data):
    """Audit row on the filing's trail (so the filing page's timeline shows it) + notice to applicant."""
    row = audit.record(
        event,
        filing,
        actor if actor not in (None, SYSTEM) else None,
        from_state=data.pop("from_state", ""),
        to_state=data.pop("to_state", ""),
        comment=comment,
        internal=internal,
        **data,
    )
    if notice:
        workflow.notify_applicant(filing, row, notice)
    return row


def _locked_filing(filing) -> Filing:
    return Filing.objects.select_for_update().get(pk=filing.pk)


# -- change requests (seed 001 第十一条) -------------------------------------------------------------


PERSON_FIELDS = ("role", "name", "id_number", "employer", "title", "education", "field")


def request_change(
    filing: Filing,
    user,
    *,
    kind: str,
    reason: str,
    more_people=(),
    added_sites=(),
    removed_sites=(),
    **fields,
) -> ChangeRequest:
    """The applicant asks to change its filed record. ``fields`` are ChangeRequest fields of the kind.
    A personnel addition may carry ``more_people`` (dicts of PERSON_FIELDS) after the first person of
    ``fields``: one request adds them all (issue 29 item 2). A site change lists ``added_sites`` (dicts of
    SITE_FIELDS) and ``removed_sites`` (filed FilingSite rows of the filing), issue 44."""
    _require_applicant(filing, user)
    _require_filed(filing)
    reason = errors.require_text(reason, _("请填写变更理由。"))
    if kind not in ChangeKind.values:
        raise WorkflowError(_("请选择变更类型。"))
    change = ChangeRequest(filing=filing, kind=kind, reason=reason, requested_by=user)
    allowed = {f.name for f in ChangeRequest._meta.get_fields()}
    for name, value in fields.items():
        if name not in allowed:
            raise TypeError(f"unknown change field {name!r}")
        setattr(change, name, value if value is not None else getattr(change, name))
    added, removed = _site_rows(change, added_sites, removed_sites)
    _validate_change(change, has_sites=bool(added or removed))
    change.removed_names = removed_names(change, removed)
    more = _more_people(change, more_people)
    with transaction.atomic():
        change.save()
        for person in more:
            person.change = change
            person.save()
        for site in added:
            site.change = change
            site.save()
        if removed:
            change.removed_sites.set(removed)
        _record(
            "change_requested",
            filing,
            user,
            comment=f"{change.get_kind_display()}：{reason}",
            change=change.pk,
        )
        workflow.notify_centre(
            _("“%(name)s”提交了备案变更申请（%(kind)s）。")
            % {"name": filing.name, "kind": change.get_kind_display()},
            reverse("filings:change_detail", args=[change.pk]),
        )
    return change


def _more_people(change: ChangeRequest, rows) -> list[ChangePerson]:
    """The further people of a personnel addition, each checked like the first (one ID number once)."""
    rows = list(rows or ())
    if not rows:
        return []
    if change.kind != ChangeKind.PERSONNEL or change.action != ChangeAction.ADD:
        raise WorkflowError(_("只有增加人员的变更可以一次增加多人。"))
    seen = {change.person_id_number}
    people = []
    for row in rows:
        unknown = set(row) - set(PERSON_FIELDS)
        if unknown:
            raise TypeError(f"unknown person field {sorted(unknown)!r}")
        person = ChangePerson(**{k: (row.get(k) or "") for k in PERSON_FIELDS})
        if person.role not in PersonRole.values:
            raise WorkflowError(_("请选择人员类别。"))
        errors.require_text(person.name, _("请填写人员姓名。"))
        person.id_number = person.id_number.strip().upper()
        try:
            identifiers.validate_id_number(person.id_number)
        except ValidationError:
            raise WorkflowError(_("身份证号码无效，请核对（18 位，末位为校验码）。")) from None
        if person.id_number in seen:
            raise WorkflowError(
                _("身份证号 %(id)s 在本次变更中重复填写。")
                % {"id": identifiers.mask_id_number(person.id_number)}
            )
        seen.add(person.id_number)
        people.append(person)
    return people


SITE_FIELDS = ("name", "address", "rooms", "seats", "use")


def empty_site_change_message() -> str:
    """The refusal of a site change that neither adds, removes nor describes a site."""
    return _("请列出增加或减少的考试场地，或填写变更后的场地情况。")


def is_empty_site_change(added_sites, removed_sites, description: str) -> bool:
    """A site change that neither adds, removes nor describes a site (refused: empty_site_change_message)."""
    return not (added_sites or removed_sites or (description or "").strip())


def removed_names(change: ChangeRequest, removed_sites=()) -> str:
    """The names of what a change removes (kept on it: the rows go once it is approved)."""
    if change.action != ChangeAction.REMOVE and change.kind != ChangeKind.SITE:
        return ""
    if change.kind == ChangeKind.PERSONNEL and change.removed_person is not None:
        person = change.removed_person
        return f"{person.get_role_display()} {person.name}"[:500]
    if change.kind == ChangeKind.EQUIPMENT and change.removed_equipment is not None:
        return change.removed_equipment.name[:500]
    if change.kind == ChangeKind.SITE:
        return "、".join(site.name for site in removed_sites)[:500]
    return ""


def _site_rows(change: ChangeRequest, added, removed) -> tuple[list[ChangeSite], list[FilingSite]]:
    """The sites a site change adds (each a ChangeSite, checked like a filed one) and the filed ones it
    removes (the filing's own, none still used by a session to come)."""
    added, removed = list(added or ()), list(removed or ())
    if not (added or removed):
        return [], []
    if change.kind != ChangeKind.SITE:
        raise WorkflowError(_("只有场地变更可以增加或减少考试场地。"))
    sites = []
    for row in added:
        unknown = set(row) - set(SITE_FIELDS)
        if unknown:
            raise TypeError(f"unknown site field {sorted(unknown)!r}")
        site = ChangeSite(**{k: row[k] for k in SITE_FIELDS if row.get(k) not in (None, "")})
        errors.require_text(site.name, _("请填写场地名称。"))
        errors.require_text(site.address, _("请填写场地地址。"))
        if not site.rooms or site.rooms < 1:
            raise WorkflowError(_("考场数至少为 1。"))
        if not site.seats or site.seats < 1:
            raise WorkflowError(_("请填写考位（工位）数。"))
        if site.use not in SiteUse.values:
            raise WorkflowError(_("请选择场地用途。"))
        sites.append(site)
    if any(site.filing_id != change.filing_id for site in removed):
        raise WorkflowError(_("请选择本备案的考试场地。"))
    check_sites_removable(removed)
    return sites, removed


def check_sites_removable(sites) -> None:
    """A filed site still used by an exam session that has not ended (certification.ExamSession.site)
    cannot be removed: refused, naming the sessions."""
    now = timezone.now()
    refusals = []
    for site in sites:
        sessions = [
            f"{s.plan.title} {s}"
            for s in site.exam_sessions.filter(ends_at__gt=now).select_related("plan").order_by("starts_at")
        ]
        if sessions:
            refusals.append(
                _("场地“%(site)s”仍有考场安排在用：%(sessions)s")
                % {"site": site.name, "sessions": "；".join(sessions)}
            )
    if refusals:
        raise WorkflowError(
            _("以下场地尚有未结束的考场安排，不能减少：%(list)s。请先调整或删除这些考场安排。")
            % {"list": "。".join(refusals)}
        )


def _validate_change(change: ChangeRequest, *, has_sites: bool = False) -> None:
    filing = change.filing
    if change.kind == ChangeKind.PERSONNEL:
        if change.action == ChangeAction.REMOVE:
            if change.removed_person is None or change.removed_person.filing_id != filing.pk:
                raise WorkflowError(_("请选择要减少的人员。"))
            return
        if change.person_role not in PersonRole.values:
            raise WorkflowError(_("请选择人员类别。"))
        errors.require_text(change.person_name, _("请填写人员姓名。"))
        change.person_id_number = (change.person_id_number or "").strip().upper()
        try:
            identifiers.validate_id_number(change.person_id_number)
        except ValidationError:
            raise WorkflowError(_("身份证号码无效，请核对（18 位，末位为校验码）。")) from None
    elif change.kind == ChangeKind.SITE:
        change.action = ChangeAction.ADD
        # the one rule the change page also checks beside the note (views.after_filing.request_change)
        if is_empty_site_change(has_sites, (), change.site_description):
            raise WorkflowError(empty_site_change_message())
    elif change.kind == ChangeKind.EQUIPMENT:
        if change.action == ChangeAction.REMOVE:
            if change.removed_equipment is None or change.removed_equipment.filing_id != filing.pk:
                raise WorkflowError(_("请选择要减少的设备。"))
            return
        errors.require_text(change.equipment_name, _("请填写设备名称。"))
        if not change.equipment_quantity:
            raise WorkflowError(_("请填写设备数量。"))
    elif change.kind == ChangeKind.SCOPE and change.action == ChangeAction.REMOVE:
        _validate_scope_removal(change)
    elif change.kind == ChangeKind.SCOPE:
        change.action = ChangeAction.ADD
        if change.occupation is None:
            raise WorkflowError(_("请选择要增加的职业。"))
        if change.occupation.access_type:
            raise WorkflowError(
                _("准入类职业（工种）不纳入职业技能等级认定范围（%(ref)s）。")
                % {"ref": cite("seed 004 二(一)")}
            )
        levels = sorted({int(c) for c in change.levels or "" if c in "12345"})
        if not levels:
            raise WorkflowError(_("请选择要增加的级别。"))
        change.levels = "".join(str(lv) for lv in levels)
        have = set()
        for row in filing.occupations.filter(occupation=change.occupation, work_type=change.work_type or ""):
            have |= row.level_set
        if set(levels) <= have:
            raise WorkflowError(_("所选职业和级别已在备案范围内，无需变更。"))


def _validate_scope_removal(change: ChangeRequest) -> None:
    """seed 001 第十一条: a filed institution may give up occupations (工种) or levels it holds. The row and
    the levels must be filed; removing every level of the row removes the occupation."""
    if change.occupation is None:
        raise WorkflowError(_("请选择要减少的职业。"))
    change.work_type = change.work_type or ""
    row = change.filing.occupations.filter(occupation=change.occupation, work_type=change.work_type).first()
    if row is None:
        raise WorkflowError(_("所选职业（工种）不在备案范围内，无法减少。"))
    levels = sorted({int(c) for c in change.levels or "" if c in "12345"})
    if not levels:
        raise WorkflowError(_("请选择要减少的级别。"))
    missing = set(levels) - row.level_set
    if missing:
        raise WorkflowError(
            _("所选级别不在该职业的备案范围内：%(levels)s。")
            % {"levels": levels_text("".join(str(lv) for lv in sorted(missing)))}
        )
    change.levels = "".join(str(lv) for lv in levels)
    if change.filing.occupations.count() == 1 and set(levels) == row.level_set:
        raise WorkflowError(
            _("不能减少全部备案职业。不再开展评价工作的，请申请终止评价工作（%(ref)s）。")
            % {"ref": cite("seed 001 第十三条")}
        )


def _step(
    obj,
    name: str,
    event: str,
    actor,
    *,
    comment="",
    internal=False,
    notice="",
    before_save=None,
    also=None,
    **data,
):
    """Fires a step of a change, renewal or termination request through the portal's transition engine
    (row lock: two staff at once, one wins). The event goes on the filing's trail, where the filing's
    timeline shows it; ``notice`` is told to the applicant; ``also(obj, row)`` tells anyone else."""

    def tell_applicant(o, row):
        if notice:
            workflow.notify_applicant(o.filing, row, notice)
        if also:
            also(o, row)

    return transitions.fire(
        obj,
        transitions.Step(name, event),
        actor,
        comment=comment,
        internal=internal,
        before_save=before_save,
        after=tell_applicant,
        trail=obj.filing,
        **data,
    )


def _decided(actor, comment=""):
    """before_save of a change's decision: who decided, when, and why."""

    def stamp(change):
        if comment:
            change.decision_comment = comment
        if change.state in (ChangeState.APPLIED, ChangeState.REJECTED):
            change.decided_by, change.decided_at = actor, timezone.now()

    return stamp


def decide_change(change: ChangeRequest, actor, *, approve: bool, comment: str = "") -> ChangeRequest:
    """Centre decision on a personnel, site or equipment change, or on a removal of occupations or levels
    (seed 001 第十一条: only additions are evaluated again): approved changes apply at once."""
    roles.require(actor, roles.CENTRE)
    if change.needs_evaluation and approve:
        raise WorkflowError(_("增加职业或等级须重新评估，不能直接批准。"))
    if not approve:
        return reject_change(change, actor, comment)
    with transaction.atomic():
        _require_filed(change.filing)
        _step(
            change,
            "confirm",
            "change_applied",
            actor,
            comment=comment or change.get_kind_display(),
            notice=_("备案变更（%(kind)s）已确认") % {"kind": change.get_kind_display()},
            before_save=_decided(actor, comment),
            change=change.pk,
            **_site_names(change),
        )
        _apply(change)
    return change


def _site_names(change: ChangeRequest) -> dict:
    """The sites a site change files, named in its audit event (a removed site's row is gone after it)."""
    if change.kind != ChangeKind.SITE:
        return {}
    return {
        "sites_added": [str(s) for s in change.added_sites.all()],
        "sites_removed": [str(s) for s in change.removed_sites.all()],
    }


def reject_change(change: ChangeRequest, actor, comment: str) -> ChangeRequest:
    comment = errors.require_text(comment, _("不予变更时必须填写理由。"))
    if change.state == ChangeState.EVALUATED:
        roles.require(actor, roles.BUREAU)
    else:
        roles.require(actor, roles.CENTRE)
    return _step(
        change,
        "reject",
        "change_rejected",
        actor,
        comment=comment,
        notice=_("备案变更（%(kind)s）不予变更") % {"kind": change.get_kind_display()},
        before_save=_decided(actor, comment),
        change=change.pk,
    )


def start_change_evaluation(change: ChangeRequest, actor, *, seed: str | None = None, n: int = MIN_EXPERTS):
    """Added scope is evaluated again (第十一条): the panel is drawn at random from the expert pool with
    the filing's own exclusions, reproducible from the recorded seed (portal.draws)."""

    roles.require(actor, roles.CENTRE)
    if not change.needs_evaluation:
        raise WorkflowError(_("只有增加职业或等级的变更需要专家评估。"))
    pool, _excluded, draw_seed, drawn = workflow.draw_panel(change.filing, n, seed)
    experts = {u.pk: u for u in User.objects.filter(pk__in=drawn)}

    def keep_draw(c):
        c.draw_seed, c.draw_pool, c.drawn_experts = draw_seed, pool, drawn

    def tell_experts(c, row):
        for pk in drawn:
            ChangeReview.objects.create(change=c, expert=experts[pk])
            audit.notify(
                experts[pk],
                _("您被抽取为“%(name)s”新增职业（工种）或等级的评估专家，请登录评分。")
                % {"name": c.filing.name},
                reverse("filings:change_review", args=[c.pk]),
            )

    return transitions.fire(
        change,
        transitions.Step("start_evaluation", "change_evaluation_started"),
        actor,
        comment="、".join(experts[pk].display_name for pk in drawn),
        internal=True,
        before_save=keep_draw,
        after=tell_experts,
        trail=change.filing,
        change=change.pk,
        seed=draw_seed,
    )


def score_change(change, expert, *, material: int, onsite: int, qa: int, opinion: str, recommend: bool):
    """A drawn expert's material review, on-site inspection and Q&A scores and opinion."""
    opinion = workflow.check_scores(material, onsite, qa, opinion)
    scores = {"material": material, "onsite": onsite, "qa": qa, "opinion": opinion, "recommend": recommend}
    with transaction.atomic():
        review = workflow.fill_score_sheet(
            ChangeReview.objects.select_for_update(of=("self",))
            .select_related("change__filing")
            .filter(change=change),
            expert,
            "change",
            scores,
            not_drawn=_("您不是该变更申请的评估专家。"),
            closed=_("该变更申请已结束专家评估，不能再评分。"),
        )
        _record(
            "change_scored",
            review.change.filing,
            expert,
            internal=True,
            comment=opinion,
            change=review.change_id,
            total=review.total,
        )
    return review


def change_panel_average(change):
    return workflow.average_total(change.reviews.all())


def _evaluation_score(value) -> Decimal:
    """A comprehensive evaluation score typed by the centre, 0..MAX_SCORE."""
    try:
        score = Decimal(str(value))
    except Exception:
        score = Decimal(-1)
    if not 0 <= score <= MAX_SCORE:
        raise WorkflowError(_("评估得分应在 0 至 %(max)s 之间。") % {"max": MAX_SCORE})
    return score


def conclude_change_evaluation(change, actor, *, opinion: str, recommend: bool, score=None) -> ChangeRequest:
    """The centre concludes once at least MIN_EXPERTS drawn experts have scored; the score kept is the
    panel's average (``score`` is accepted only for a change evaluated outside the portal: no reviews)."""
    roles.require(actor, roles.CENTRE)
    opinion = errors.require_text(opinion, _("请填写评估意见。"))
    if change.reviews.exists():
        workflow.require_panel(change.reviews)
        score = _evaluation_score(change_panel_average(change))
    else:
        score = _evaluation_score(score)
    if not recommend:
        with transaction.atomic():
            change = reject_change(change, actor, opinion)
            ChangeRequest.objects.filter(pk=change.pk).update(
                evaluation_score=score, evaluation_opinion=opinion
            )
        return change

    def keep_evaluation(c):
        c.evaluation_score, c.evaluation_opinion = score, opinion

    def tell_bureau(c, row):
        workflow.notify_bureau(
            _("“%(name)s”的备案变更申请已完成专家评估，等待市人社局审核。") % {"name": c.filing.name},
            reverse("filings:change_detail", args=[c.pk]),
        )

    return _step(
        change,
        "conclude",
        "change_evaluated",
        actor,
        comment=opinion,
        notice=_("增加职业（工种）或等级的专家评估完成，已报市人社局审核"),
        before_save=keep_evaluation,
        also=tell_bureau,
        change=change.pk,
    )


def approve_change(change, actor, comment: str = "") -> ChangeRequest:
    """The bureau approves an evaluated scope change; it counts only once the centre records it."""
    roles.require(actor, roles.BUREAU)
    return _step(
        change,
        "approve",
        "change_approved",
        actor,
        comment=comment,
        before_save=_decided(actor, comment),
        change=change.pk,
    )


def record_change(change, actor, comment: str = "") -> ChangeRequest:
    """The centre files the approved scope change: from now on filed_scope() includes it."""
    roles.require(actor, roles.CENTRE)
    with transaction.atomic():
        _require_filed(change.filing)
        _step(
            change,
            "record",
            "change_applied",
            actor,
            comment=f"{change.occupation} {change.levels}",
            notice=_("新增评价职业（工种）或等级已备案"),
            before_save=_decided(actor, comment),
            change=change.pk,
        )
        _apply(change)
    return change


# The filed rows a personnel or equipment change adds or removes: (model, the prefix of the change's
# fields, the row's fields). A new row takes change.<prefix>_<field>, or the field's default when empty.
ROW_CHANGES = {
    ChangeKind.PERSONNEL: (
        FilingPerson,
        "person",
        ("role", "name", "id_number", "employer", "title", "education", "field"),
    ),
    ChangeKind.EQUIPMENT: (FilingEquipment, "equipment", ("name", "brand", "model", "quantity", "ownership")),
}


def _apply(change: ChangeRequest) -> None:
    """Writes an approved change into the filed record (the rows other apps read)."""
    filing = change.filing
    if change.kind in ROW_CHANGES:
        model, prefix, names = ROW_CHANGES[change.kind]
        if change.action == ChangeAction.REMOVE:
            removed = getattr(change, f"removed_{prefix}_id")
            if removed:
                model.objects.filter(pk=removed, filing=filing).delete()
        else:
            values = {
                n: getattr(change, f"{prefix}_{n}") or model._meta.get_field(n).get_default() for n in names
            }
            model.objects.create(filing=filing, **values)
            if change.kind == ChangeKind.PERSONNEL:
                for person in change.more_people.all():
                    FilingPerson.objects.create(
                        filing=filing, **{n: getattr(person, n) for n in PERSON_FIELDS}
                    )
    elif change.kind == ChangeKind.SITE:
        removed = list(change.removed_sites.filter(filing=filing))
        check_sites_removable(removed)  # a session may have been arranged since the request
        FilingSite.objects.filter(pk__in=[s.pk for s in removed]).delete()
        for site in change.added_sites.all():
            FilingSite.objects.create(filing=filing, **{n: getattr(site, n) for n in SITE_FIELDS})
        if change.site_description:
            locked = _locked_filing(filing)
            locked.site_description = change.site_description
            transitions.save(locked)
    elif change.kind == ChangeKind.SCOPE and change.action == ChangeAction.REMOVE:
        # seed 001 第十一条: the removal takes effect now; the directory and filed_scope() read these rows.
        row = FilingOccupation.objects.filter(
            filing=filing, occupation=change.occupation, work_type=change.work_type or ""
        ).first()
        if row is not None:
            kept = sorted(row.level_set - change.level_set)
            if kept:
                row.levels = "".join(str(lv) for lv in kept)
                row.save(update_fields=["levels"])
            else:
                row.delete()
    elif change.kind == ChangeKind.SCOPE:
        row = FilingOccupation.objects.filter(
            filing=filing, occupation=change.occupation, work_type=change.work_type or ""
        ).first()
        if row is None:
            FilingOccupation.objects.create(
                filing=filing,
                occupation=change.occupation,
                work_type=change.work_type or "",
                levels=change.levels,
            )
        else:
            merged = sorted(row.level_set | change.level_set)
            row.levels = "".join(str(lv) for lv in merged)
            row.save(update_fields=["levels"])


def scope_occupations():
    """Occupations that may be added (skill-type, not access-type: seed 004 二(一))."""
    return Occupation.objects.filter(access_type=False).order_by("code")


# -- renewal (seed 001 第十二条) ---------------------------------------------------------------------


def days_to_expiry(filing: Filing, on: date) -> int | None:
    return None if filing.valid_until is None else (filing.valid_until - on).days


def renewal_window(filing: Filing) -> tuple[date, date] | None:
    """(first day, last day) on which a renewal may be requested: the 60 days before expiry, the
    expiry day itself still in force."""
    if filing.valid_until is None:
        return None
    return filing.valid_until - timedelta(days=RENEWAL_WINDOW_DAYS), filing.valid_until


def in_renewal_window(filing: Filing, on: date) -> bool:
    left = days_to_expiry(filing, on)
    return left is not None and 0 <= left <= RENEWAL_WINDOW_DAYS


def in_renewal_window_q(on: date) -> Q:
    """The filings in their renewal window on ``on`` (in_renewal_window, as one comparison): filed,
    expiring within RENEWAL_WINDOW_DAYS days, the expiry day included (an institution's dashboard)."""
    return Q(
        state=State.FILED, valid_until__gte=on, valid_until__lte=on + timedelta(days=RENEWAL_WINDOW_DAYS)
    )


def live_renewal(filing: Filing):
    """The pending or approved renewal of the current validity period, if any."""
    return (
        filing.renewals.filter(
            old_valid_until=filing.valid_until, state__in=[RenewalState.SUBMITTED, RenewalState.APPROVED]
        )
        .order_by("-requested_at")
        .first()
    )


def renewal_refusal(filing: Filing, on: date) -> str | None:
    """Why a renewal cannot be requested on ``on`` (Chinese), or None."""
    if filing.state != State.FILED or filing.valid_until is None:
        return _("只有已备案且在有效期内的机构可以申请续期。")
    left = days_to_expiry(filing, on)
    window = renewal_window(filing)
    if left > RENEWAL_WINDOW_DAYS:
        return _(
            "续期申请应在备案期满前 %(days)s 日内提出（%(ref)s）：本备案有效期至 %(until)s，"
            "可于 %(opens)s 起申请。"
        ) % {
            "days": RENEWAL_WINDOW_DAYS,
            "until": filing.valid_until,
            "opens": window[0],
            "ref": cite("seed 001 第十二条"),
        }
    if left < 0:
        return _("备案有效期已于 %(until)s 届满，不能再申请续期。") % {"until": filing.valid_until}
    if live_renewal(filing):
        return _("本备案期已提交续期申请，请勿重复提交。")
    return None


def extended_until(old_valid_until: date) -> date:
    """Validity after renewal: 3 years on from the OLD expiry (not from the approval date)."""
    years = RENEWAL_EXTENSION_YEARS
    try:
        return old_valid_until.replace(year=old_valid_until.year + years)
    except ValueError:  # 29 February -> 28 February
        return old_valid_until.replace(year=old_valid_until.year + years, day=28)


def request_renewal(filing: Filing, user, *, summary: str, on: date | None = None) -> Renewal:
    _require_applicant(filing, user)
    on = on or workdays.today()
    summary = errors.require_text(summary, _("请填写备案期内工作情况。"))
    with transaction.atomic():
        filing = _locked_filing(filing)
        refusal = renewal_refusal(filing, on)
        if refusal:
            raise WorkflowError(refusal)
        renewal = Renewal.objects.create(
            filing=filing,
            summary=summary,
            old_valid_until=filing.valid_until,
            requested_by=user,
            requested_on=on,
        )
        _record(
            "renewal_requested",
            filing,
            user,
            comment=summary[:500],
            notice=_("续期申请已提交，等待鉴定中心综合评估"),
            renewal=renewal.pk,
        )
        workflow.notify_centre(
            _("“%(name)s”提交了备案续期申请。") % {"name": filing.name},
            reverse("filings:renewal_detail", args=[renewal.pk]),
        )
    return renewal


def decide_renewal(renewal: Renewal, actor, *, approve: bool, comment: str, score=None) -> Renewal:
    """The centre's comprehensive evaluation (综合评估): approve -> validity + 3 years from the old
    expiry; refuse -> the filing is cancelled when it expires (the daily task)."""
    roles.require(actor, roles.CENTRE)
    comment = errors.require_text(comment, _("请填写综合评估意见。"))
    score = None if score in (None, "") else _evaluation_score(score)

    def decided(r):
        r.decided_by, r.decided_at = actor, timezone.now()
        r.decision_comment, r.evaluation_score = comment, score

    with transaction.atomic():
        filing = _locked_filing(renewal.filing)
        if not approve:
            return _step(
                renewal,
                "refuse",
                "renewal_refused",
                actor,
                comment=comment,
                notice=_("续期评估不合格，不予续期备案；备案将于有效期届满时注销"),
                before_save=decided,
                renewal=renewal.pk,
            )
        if renewal.state == RenewalState.SUBMITTED and (
            filing.state != State.FILED or filing.valid_until != renewal.old_valid_until
        ):
            raise WorkflowError(_("备案已不在原有效期内，不能续期。"))
        new_valid_until = extended_until(renewal.old_valid_until)

        def extend(r):
            decided(r)
            r.new_valid_until = new_valid_until
            filing.valid_until = new_valid_until
            transitions.save(filing)

        renewal.filing = filing  # the locked row: its trail, and the one whose validity moves
        return _step(
            renewal,
            "approve",
            "renewal_approved",
            actor,
            comment=comment,
            notice=_("准予续期备案，有效期延至 %(until)s") % {"until": new_valid_until},
            before_save=extend,
            renewal=renewal.pk,
            old=str(renewal.old_valid_until),
            new=str(new_valid_until),
        )


# -- cancellation: voluntary termination (第十三条) and at expiry (第十二条) ---------------------------


def _close_open_business(filing: Filing, why: str, actor) -> None:
    """Pending renewals lapse and open change requests end when a filing leaves the filed state: each
    through the engine (its own ``lapse`` step, row lock), one named event per request on the filing's
    trail. ``filing`` is the instance just moved out of the filed state (the requests read it)."""

    def ended(request):
        request.decided_at, request.decision_comment = timezone.now(), why
        if not roles.is_system(actor):
            request.decided_by = actor

    for renewal in filing.renewals.filter(state=RenewalState.SUBMITTED).order_by("pk"):
        renewal.filing = filing
        _step(renewal, "lapse", "renewal_lapsed", actor, comment=why, before_save=ended, renewal=renewal.pk)
    for change in filing.change_requests.filter(state__in=CHANGE_OPEN_STATES).order_by("pk"):
        change.filing = filing
        _step(change, "lapse", "change_lapsed", actor, comment=why, before_save=ended, change=change.pk)


def request_termination(filing: Filing, user, *, reason: str, follow_up: str = "") -> TerminationRequest:
    _require_applicant(filing, user)
    _require_filed(filing)
    reason = errors.require_text(reason, _("请填写终止理由。"))
    if filing.terminations.filter(state=TerminationState.SUBMITTED).exists():
        raise WorkflowError(_("已提交自愿终止申请，请等待鉴定中心办理。"))
    with transaction.atomic():
        term = TerminationRequest.objects.create(
            filing=filing, reason=reason, follow_up=follow_up, requested_by=user
        )
        _record("termination_requested", filing, user, comment=reason, termination=term.pk)
        workflow.notify_centre(
            _("“%(name)s”申请自愿终止评价工作。") % {"name": filing.name},
            reverse("filings:after_filing", args=[filing.pk]),
        )
    return term


def confirm_termination(term: TerminationRequest, actor, comment: str = "") -> TerminationRequest:
    """The centre cancels the filing (注销) on the institution's written request."""
    roles.require(actor, roles.CENTRE)
    why = _("评价机构自愿终止评价工作，注销备案")

    def cancel_the_filing(t):
        """The request's step and the filing's cancellation commit together, or neither does."""
        t.decided_by, t.decided_at = actor, timezone.now()
        filing = _locked_filing(t.filing)
        workflow.run(
            filing,
            workflow.Step("cancel", "filing_cancelled", why),
            actor,
            comment=comment or t.reason,
        )
        _close_open_business(filing, why, actor)

    with transaction.atomic():
        transitions.fire(
            term,
            transitions.Step("confirm", "termination_confirmed"),
            actor,
            internal=True,
            before_save=cancel_the_filing,
            trail=term.filing,
            termination=term.pk,
        )
    return term


def expired_without_renewal(on: date):
    """Filed filings whose validity ended before ``on``. An approved renewal has already moved
    valid_until on, so every filing found here expired without one."""
    return Filing.objects.filter(state=State.FILED, valid_until__lt=on).order_by("pk")


def cancel_at_expiry(filing: Filing, on: date) -> bool:
    """注销 at expiry (seed 001 第十二条: 未提出续期申请或评估不合格的 ... 注销其备案), by the system:
    the filing's own system-only transition ``cancel_at_expiry`` fired through the engine, with the
    named event ``filing_cancelled_at_expiry``; its open business lapses with it. False when someone
    else moved it."""
    why = _("备案期满未获续期，已注销备案")
    with transaction.atomic():
        filing = Filing.objects.select_for_update(skip_locked=True).filter(pk=filing.pk).first()
        if (
            filing is None
            or filing.state != State.FILED
            or filing.valid_until is None
            or filing.valid_until >= on
        ):
            return False
        try:
            workflow.run(
                filing,
                workflow.Step("cancel_at_expiry", "filing_cancelled_at_expiry", why),
                SYSTEM,
                comment=_("有效期至 %(until)s") % {"until": filing.valid_until},
            )
        except errors.Stale:
            return False
        _close_open_business(filing, why, SYSTEM)
    return True


# -- sanctions, revocation and the blacklist (第二十四条; seed 002 第六条) ----------------------------

CENTRE_SANCTIONS = (SanctionKind.INTERVIEW, SanctionKind.CRITICISM, SanctionKind.RECTIFICATION)


def _new_sanction(filing: Filing, actor, kind: str, reason: str, on: date, **details) -> Sanction:
    """The sanction's row, decided on ``on`` by ``actor`` (the centre's measures and the revocation)."""
    return Sanction.objects.create(
        filing=filing, kind=kind, reason=reason, decided_on=on, created_by=actor, **details
    )


def impose_sanction(
    filing: Filing,
    actor,
    *,
    kind: str,
    reason: str,
    deadline: date | None = None,
    is_public: bool = True,
    complaint=None,
    inspection=None,
    on: date | None = None,
) -> Sanction:
    """约谈 / 通报批评 / 限期整改 by the centre; revocation is :func:`revoke` (the bureau)."""
    roles.require(actor, roles.CENTRE)
    if kind == SanctionKind.REVOCATION:
        raise WorkflowError(_("撤销备案由市人社局决定，请提请市人社局办理。"))
    if kind not in CENTRE_SANCTIONS:
        raise WorkflowError(_("请选择处理方式。"))
    _require_filed(filing)
    reason = errors.require_text(reason, _("请填写事实与理由。"))
    on = on or workdays.today()
    if kind == SanctionKind.RECTIFICATION:
        if deadline is None:
            raise WorkflowError(_("限期整改必须填写整改期限。"))
        if deadline <= on:
            raise WorkflowError(_("整改期限应晚于决定日期。"))
    else:
        deadline = None
    with transaction.atomic():
        sanction = _new_sanction(
            filing,
            actor,
            kind,
            reason,
            on,
            deadline=deadline,
            is_public=is_public,
            complaint=complaint,
            inspection=inspection,
        )
        label = sanction.get_kind_display()
        if deadline:
            label = _("%(kind)s（期限 %(deadline)s）") % {"kind": label, "deadline": deadline}
        _record(
            "sanction_imposed",
            filing,
            actor,
            comment=f"{label}：{reason}",
            notice=_("鉴定中心作出处理：%(label)s") % {"label": label},
            sanction=sanction.pk,
        )
    return sanction


def complete_rectification(sanction: Sanction, actor, *, report: str, on: date | None = None) -> Sanction:
    roles.require(actor, roles.CENTRE)
    report = errors.require_text(report, _("请填写整改情况。"))
    with transaction.atomic():
        sanction = (
            Sanction.objects.select_for_update(of=("self",)).select_related("filing").get(pk=sanction.pk)
        )
        if not sanction.rectification_open:
            raise WorkflowError(_("该处理措施不是待完成的限期整改。"))
        sanction.rectified_on = on or workdays.today()
        sanction.rectification_report = report
        sanction.save()
        _record("rectification_completed", sanction.filing, actor, comment=report, sanction=sanction.pk)
    return sanction


def revoke(filing: Filing, actor, *, reason: str, complaint=None, on: date | None = None) -> BlacklistEntry:
    """Revocation by the bureau (撤销备案): the filing becomes revoked, the revocation is a public
    sanction, and the credit code goes on the blacklist (no new registration or application)."""
    roles.require(actor, roles.BUREAU)
    reason = errors.require_text(reason, _("撤销备案必须填写事实与理由。"))
    on = on or workdays.today()
    with transaction.atomic():
        filing = _locked_filing(filing)
        why = _("备案已被撤销并纳入黑名单")
        workflow.run(filing, workflow.Step("revoke", "filing_revoked", why), actor, comment=reason)
        _close_open_business(filing, why, actor)
        _new_sanction(filing, actor, SanctionKind.REVOCATION, reason, on, is_public=True, complaint=complaint)
        entry = BlacklistEntry.objects.create(
            credit_code=identifiers.normalize_institution_code(filing.credit_code),
            name=filing.name,
            institution_id=filing.institution_id,
            filing=filing,
            reason=reason,
            listed_on=on,
            created_by=actor,
        )
        _record("institution_blacklisted", filing, actor, comment=reason, blacklist=entry.pk)
        # A revoked institution's other filings in force fall with it (same credit code).
        for other in Filing.objects.filter(institution_id=filing.institution_id, state=State.FILED).exclude(
            pk=filing.pk
        ):
            workflow.run(other, workflow.Step("revoke", "filing_revoked", why), actor, comment=reason)
            _close_open_business(other, why, actor)
    return entry


def lift_blacklist(
    entry: BlacklistEntry, actor, reason: str = "", *, on: date | None = None
) -> BlacklistEntry:
    """The bureau (who revokes, seed 002 第六条) lifts a blacklist entry with its reason: fired through
    the portal's transition engine (row lock), who, when and why kept on the entry, the named event
    ``blacklist_lifted`` on the filing's trail, and the institution's users told. From then on the
    credit code may register and apply again (institutions.registration_refusal)."""
    roles.require(actor, roles.BUREAU)
    reason = errors.require_text(reason, _("移出黑名单必须填写理由。"))
    on = on or workdays.today()
    text = _("市人社局已决定将本单位移出黑名单（%(date)s），可重新提交备案申请。") % {"date": on.isoformat()}

    def keep(e):
        e.lifted_on, e.lifted_by, e.lifted_at, e.lift_reason = on, actor, timezone.now(), reason

    def tell_institution(e, row):
        if e.filing_id:
            workflow.notify_applicant(e.filing, row, text)
        elif e.institution_id:
            for user in User.objects.filter(institution_id=e.institution_id, is_active=True):
                audit.notify(user, text, reverse("filings:mine"))

    return transitions.fire(
        entry,
        transitions.Step("lift", "blacklist_lifted"),
        actor,
        comment=reason,
        before_save=keep,
        after=tell_institution,
        trail=entry.filing,
        blacklist=entry.pk,
    )


def blacklist_in_force():
    """The entries that still block their credit code."""
    return BlacklistEntry.objects.filter(state=BlacklistState.LISTED)


def open_sanctions_q() -> Q:
    """The sanctions still open: a rectification not yet reported done (the bureau's dashboard)."""
    return Q(kind=SanctionKind.RECTIFICATION, rectified_on__isnull=True)


def open_rectifications(filing: Filing):
    return filing.sanctions.filter(kind=SanctionKind.RECTIFICATION, rectified_on__isnull=True)


def public_status(filing: Filing, on: date | None = None, sanctions=None) -> str:
    """The status shown in the public directory."""
    on = on or workdays.today()
    if filing.state != State.FILED:
        return filing.get_state_display()
    if filing.valid_until and filing.valid_until < on:
        return _("有效期届满")
    sanctions = filing.sanctions.all() if sanctions is None else sanctions
    open_rectifications = [
        s for s in sanctions if s.kind == SanctionKind.RECTIFICATION and s.rectified_on is None
    ]
    if any(s.deadline and s.deadline < on for s in open_rectifications):
        return _("整改逾期")
    if open_rectifications:
        return _("限期整改中")
    return _("有效")


# -- what waits for the bureau (its landing page) --------------------------------------------------


def bureau_waiting() -> list[dict]:
    """What waits for a decision of the bureau, for its landing page: each with a label, how many and
    the filtered list that shows them."""
    return [
        {
            "key": "filings",
            "label": _("备案申请待审核"),
            "count": Filing.objects.filter(state=State.EVALUATED).count(),
            "url": reverse("filings:queue", args=[State.EVALUATED]),
        },
        {
            "key": "changes",
            "label": _("变更申请待审核"),
            "count": ChangeRequest.objects.filter(state=ChangeState.EVALUATED).count(),
            "url": reverse("filings:after_changes") + f"?state={ChangeState.EVALUATED}",
        },
        {
            "key": "blacklist",
            "label": _("黑名单在列机构（移出由市人社局决定）"),
            "count": blacklist_in_force().count(),
            "url": reverse("filings:blacklist") + f"?state={BlacklistState.LISTED}",
        },
    ]

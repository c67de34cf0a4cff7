"""Exam day, part 1 (issue 44 item 1): a plan's sessions and its candidates' seats.

- No session without an internal quality supervisor (seed 001 第二十一条: 评价机构应建立内部督导员队伍，按照“逢评必督”
  原则，对职业技能等级认定活动全程督导), picked from the plan's own staff like its assessors (PlanStaff, from the
  filed personnel).
- Nobody in two places at once: an assessor or supervisor (by ID number, across the institution's plans) is
  refused for a session overlapping one they already staff; a candidate never gets seats in two sessions that
  overlap. Back-to-back (one ends when the next starts) is allowed.
- Seats never exceed a session's capacity; allocation keeps the seats already given (manual moves) and fills
  each kind's sessions in time order, saying who could not be seated and why.
- Where the institution's filing in force lists its exam sites (filings.FilingSite), a session is held at one
  of them: its place is the site's “名称（地址）”, its seats never exceed the site's filed 考位（工位）数, and a
  site filed for 理论 only holds no 技能操作考核, one filed for 实操 only no 理论知识考试. An older filing without
  that list keeps the free-text place.
- A session is edited under the same rules and those its seats add, and deleted only while nobody in it is
  marked present or absent (its seats then wait again).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.constants import SiteUse
from filings.institutions import filed_sites as institution_sites
from portal import audit, errors, roles
from portal.notices import clause

from .constants import StaffRole
from .models import Candidate, ExamSession, PlanStaff, Seat


class SessionError(errors.PortalError):
    """A refused session arrangement; ``field`` names the form field it is about (certification.forms.
    SessionForm), so that the page shows it beside what was typed there."""

    def __init__(self, message, field=None):
        super().__init__(message)
        self.field = field


def check_owner(plan, actor) -> None:
    if not (roles.has_role(actor, roles.APPLICANT) and actor.institution_id == plan.institution_id):
        raise errors.NotPermitted()


def filed_sites(plan) -> list:
    """The exam sites (filings.FilingSite) listed by the plan's institution's filing in force, in their
    filed order; empty without a filing in force or when that filing lists none (an older filing)."""
    return institution_sites(plan.institution)


# The kinds of session a site may not hold, by what it was filed for (综合评审 is held at any site).
SITE_REFUSES = {
    SiteUse.THEORY: {ExamSession.Kind.PRACTICAL},
    SiteUse.PRACTICAL: {ExamSession.Kind.THEORY},
    SiteUse.BOTH: set(),
}


def _check_site(plan, *, kind, place, capacity, site):
    """The site a session is held at, checked against the filed ones; returns the place to record: the
    site's “名称（地址）”, or the typed place while the filing in force lists no sites."""
    sites = filed_sites(plan)
    if not sites:
        if site is not None:
            raise SessionError(_("所选场地不在本机构备案在用的考试场地中，请重新选择。"), field="site")
        if not (place or "").strip():
            raise SessionError(_("请填写考核地点。"), field="place")
        return place.strip()
    if site is None:
        raise SessionError(_("本机构已备案考试场地，请从备案的考试场地中选择考核地点。"), field="site")
    if site.pk not in {s.pk for s in sites}:
        raise SessionError(_("所选场地不在本机构备案在用的考试场地中，请重新选择。"), field="site")
    if kind in SITE_REFUSES.get(site.use, set()):
        raise SessionError(
            _("场地“%(site)s”备案用途为%(use)s，不能安排%(kind)s。")
            % {"site": site.name, "use": site.get_use_display(), "kind": ExamSession.Kind(kind).label},
            field="site",
        )
    if capacity > site.seats:
        raise SessionError(
            _("场地“%(site)s”备案的考位（工位）数为 %(seats)s，座位数不能超过 %(seats)s。")
            % {"site": site.name, "seats": site.seats},
            field="capacity",
        )
    return str(site)


def _overlapping(starts_at, ends_at):
    """Sessions that overlap [starts_at, ends_at): one ending as the other starts does not."""
    return ExamSession.objects.filter(starts_at__lt=ends_at, ends_at__gt=starts_at)


def _check_arrangement(
    plan, *, kind, starts_at, ends_at, capacity, supervisor, assessors, session=None
) -> None:
    """The rules a session's arrangement keeps, new (``session`` None) or edited: a supervisor of the plan
    (逢评必督), the plan's assessors where the kind needs them, a time that ends after it starts, at least one
    seat, nobody staffing two overlapping sessions of the institution (the edited one aside)."""
    if supervisor is None:
        raise SessionError(
            _("按照“逢评必督”原则，每个考场须安排内部质量督导员（%(ref)s）。")
            % {"ref": clause("every_session_supervised")},
            field="supervisor",
        )
    if supervisor.plan_id != plan.pk or supervisor.role != StaffRole.SUPERVISOR:
        raise SessionError(_("督导员须为本方案的质量督导员。"), field="supervisor")
    if any(a.plan_id != plan.pk or a.role != StaffRole.ASSESSOR for a in assessors):
        raise SessionError(_("考评员须为本方案的考评员。"), field="assessors")
    if kind in (ExamSession.Kind.PRACTICAL, ExamSession.Kind.REVIEW) and not assessors:
        raise SessionError(_("技能操作考核和综合评审须安排考评员。"), field="assessors")
    if ends_at <= starts_at:
        raise SessionError(_("结束时间须晚于开始时间。"), field="ends")
    if capacity < 1:
        raise SessionError(_("座位数至少为 1。"), field="capacity")
    busy = _overlapping(starts_at, ends_at).filter(plan__institution_id=plan.institution_id)
    if session is not None:
        busy = busy.exclude(pk=session.pk)
    for person in [supervisor, *assessors]:
        clash = (
            busy.filter(supervisor__id_number=person.id_number)
            | busy.filter(assessors__id_number=person.id_number)
        ).first()
        if clash is not None:
            raise SessionError(
                _("%(name)s 在同一时间已安排在 %(session)s，同一人不能同时在两个考场。")
                % {"name": person.name, "session": clash}
            )


def create_session(
    plan, actor, *, kind, starts_at, ends_at, place, room, capacity, supervisor, assessors=(), site=None
):
    check_owner(plan, actor)
    _check_arrangement(
        plan, kind=kind, starts_at=starts_at, ends_at=ends_at, capacity=capacity, supervisor=supervisor,
        assessors=assessors,
    )  # fmt: skip
    place = _check_site(plan, kind=kind, place=place, capacity=capacity, site=site)
    with transaction.atomic():
        session = ExamSession.objects.create(
            plan=plan, kind=kind, starts_at=starts_at, ends_at=ends_at, place=place, room=room, capacity=capacity,
            supervisor=supervisor, site=site,
        )  # fmt: skip
        session.assessors.set(assessors)
        # the site it is held at (its id; the place its “名称（地址）” then, the typed place without one), as
        # the edit event lists what changed
        audit.record(
            "certification_session_created",
            plan,
            actor,
            comment=str(session),
            session=session.pk,
            room=room,
            kind=kind,
            site=session.site_id,
            place=place,
        )
    return session


# What an edit may change, as the audit event names it.
EDITED_FIELDS = ("kind", "starts_at", "ends_at", "site", "place", "room", "capacity", "supervisor")


def update_session(
    session: ExamSession,
    actor,
    *,
    kind,
    starts_at,
    ends_at,
    place,
    room,
    capacity,
    supervisor,
    assessors=(),
    site=None,
) -> ExamSession:
    """An arranged session changed by the institution, under the rules of a new one (create_session) and
    those its seats add: never fewer seats than are allocated, the kind kept once seats are allocated (a
    candidate has one seat per kind), and a new time that clashes with none of its candidates' other seats.
    A session drawn for the centre's on-site check keeps its day."""
    plan = session.plan
    check_owner(plan, actor)
    with transaction.atomic():
        locked = ExamSession.objects.select_for_update().get(pk=session.pk)
        _check_arrangement(
            plan, kind=kind, starts_at=starts_at, ends_at=ends_at, capacity=capacity, supervisor=supervisor,
            assessors=assessors, session=locked,
        )  # fmt: skip
        place = _check_site(plan, kind=kind, place=place, capacity=capacity, site=site)
        seats = locked.seats.select_related("candidate")
        taken = seats.count()
        if capacity < taken:
            raise SessionError(
                _("该考场已分配 %(taken)s 个座位，座位数不能少于 %(taken)s；请先将部分考生调整到其他考场。")
                % {"taken": taken},
                field="capacity",
            )
        if kind != locked.kind and taken:
            raise SessionError(
                _("该考场已分配座位，不能更改考核类型；如需更改，请删除后重新安排。"), field="kind"
            )
        if (starts_at, ends_at) != (locked.starts_at, locked.ends_at):
            clashes = (
                Seat.objects.filter(
                    candidate__in=seats.values("candidate"),
                    session__starts_at__lt=ends_at,
                    session__ends_at__gt=starts_at,
                )
                .exclude(session=locked)
                .select_related("candidate")
                .order_by("candidate__row", "pk")
            )
            names = list(dict.fromkeys(seat.candidate.name for seat in clashes))
            if names:
                raise SessionError(
                    _("新的时间与以下考生在其他考场的安排冲突：%(names)s。请先调整这些考生，或另选时间。")
                    % {"names": "、".join(names[:20]) + ("……" if len(names) > 20 else "")}
                )
            if (
                timezone.localdate(starts_at) != timezone.localdate(locked.starts_at)
                and locked.checks.exists()
            ):
                raise SessionError(_("该考场已被市职业技能鉴定指导中心抽中现场督导，不能改到其他日期。"))
        new = {
            "kind": kind, "starts_at": starts_at, "ends_at": ends_at, "site": site, "place": place, "room": room,
            "capacity": capacity, "supervisor": supervisor,
        }  # fmt: skip
        changed = [name for name in EDITED_FIELDS if getattr(locked, name) != new[name]]
        before_assessors = set(locked.assessors.values_list("pk", flat=True))
        if before_assessors != {a.pk for a in assessors}:
            changed.append("assessors")
        for name, value in new.items():
            setattr(locked, name, value)
        locked.save()
        locked.assessors.set(assessors)
        audit.record(
            "certification_session_updated",
            plan,
            actor,
            comment=str(locked),
            session=locked.pk,
            room=room,
            kind=kind,
            changed=changed,
        )
    return locked


def deletion_refusal(session: ExamSession) -> str:
    """Why ``session`` cannot be deleted now ("" when it can): once anyone in it is marked present or
    absent its sign-in is a record of the exam; once the centre drew it for an on-site check, that check's."""
    marked = session.seats.exclude(attendance="").count()
    if marked:
        return _("该考场已有 %(n)s 名考生登记了到场或缺考，签到记录须保留，不能删除该考场。") % {"n": marked}
    if session.checks.exists():
        return _("该考场已被市职业技能鉴定指导中心抽中现场督导，不能删除。")
    return ""


def delete_session(session: ExamSession, actor) -> int:
    """Deletes an arranged session while nobody in it is marked present or absent; its candidates' seats go
    with it, so they wait for a seat again (:func:`waiting`, when the plan still has a session of that kind).
    Returns how many seats were released."""
    plan = session.plan
    check_owner(plan, actor)
    with transaction.atomic():
        locked = ExamSession.objects.select_for_update().get(pk=session.pk)
        refusal = deletion_refusal(locked)
        if refusal:
            raise SessionError(refusal)
        released = locked.seats.count()
        label = str(locked)
        audit.record(
            "certification_session_deleted",
            plan,
            actor,
            comment=label,
            session=locked.pk,
            room=locked.room,
            kind=locked.kind,
            released=released,
        )
        locked.delete()
    return released


@dataclass
class Allocation:
    seated: int = 0
    unseated: list[tuple[str, str]] = field(default_factory=list)  # (candidate name, reason)


def _clashes(candidate_id: int, session: ExamSession) -> bool:
    return Seat.objects.filter(
        candidate_id=candidate_id,
        session__starts_at__lt=session.ends_at,
        session__ends_at__gt=session.starts_at,
    ).exists()


def _next_number(session: ExamSession) -> int:
    return (session.seats.aggregate(n=Max("number"))["n"] or 0) + 1


def allocate(plan, actor) -> Allocation:
    """Seats every candidate of the plan in one session of each kind the plan has sessions of."""
    check_owner(plan, actor)
    outcome = Allocation()
    with transaction.atomic():
        sessions = list(ExamSession.objects.select_for_update().filter(plan=plan).order_by("starts_at", "pk"))
        if not sessions:
            raise SessionError(_("本方案尚未安排考场，请先新建考场安排再分配座位。"))
        candidates = list(Candidate.objects.filter(plan=plan).order_by("row", "pk"))
        for kind in dict.fromkeys(s.kind for s in sessions):
            of_kind = [s for s in sessions if s.kind == kind]
            seated = set(Seat.objects.filter(session__in=of_kind).values_list("candidate_id", flat=True))
            counts = {s.pk: s.seats.count() for s in of_kind}
            for candidate in candidates:
                if candidate.pk in seated:
                    continue
                for session in of_kind:
                    if counts[session.pk] < session.capacity and not _clashes(candidate.pk, session):
                        Seat.objects.create(
                            session=session, candidate=candidate, number=_next_number(session)
                        )
                        counts[session.pk] += 1
                        outcome.seated += 1
                        break
                else:
                    outcome.unseated.append(
                        (
                            candidate.name,
                            _("%(kind)s的考场座位已满或时间冲突。") % {"kind": ExamSession.Kind(kind).label},
                        )
                    )
        audit.record(
            "certification_seats_allocated",
            plan,
            actor,
            seated=outcome.seated,
            unseated=len(outcome.unseated),
        )
    return outcome


def move(seat: Seat, session: ExamSession, actor) -> Seat:
    """A candidate moved by hand to another session of the same plan and kind."""
    check_owner(session.plan, actor)
    if session.pk == seat.session_id:
        raise SessionError(
            _("%(name)s 已在考场 %(room)s。") % {"name": seat.candidate.name, "room": session.room}
        )
    if session.plan_id != seat.session.plan_id or session.kind != seat.session.kind:
        raise SessionError(_("只能调整到本方案同一考核类型的考场。"))
    with transaction.atomic():
        locked = ExamSession.objects.select_for_update().get(pk=session.pk)
        if locked.seats.count() >= locked.capacity:
            raise SessionError(_("考场 %(room)s 座位已满。") % {"room": locked.room})
        old, former = seat.session, [*seat.former_seats, seat.pk]  # delete() forgets the seat's pk
        seat.delete()
        if _clashes(seat.candidate_id, locked):
            raise SessionError(_("%(name)s 在该时间已有其他考场安排。") % {"name": seat.candidate.name})
        moved = Seat.objects.create(
            session=locked,
            candidate=seat.candidate,
            number=_next_number(locked),
            former_seats=former,
        )
        audit.record(
            "certification_seat_moved",
            session.plan,
            actor,
            candidate=seat.candidate_id,
            seat=moved.pk,
            former_seat=former[-1],
            **{"from": old.pk, "to": locked.pk},
        )
    return moved


def moved_to(former_seat_pk: int) -> Seat | None:
    """The seat a candidate holds now in place of ``former_seat_pk``, a seat they were moved from (once or
    more): what the sign-in page tells of a ticket printed before the move. None when there is none (the seat
    never moved, or its session was deleted since)."""
    return (
        Seat.objects.select_related("session__plan", "candidate")
        .filter(former_seats__contains=[former_seat_pk])
        .first()
    )


def staffed_session(person: PlanStaff) -> ExamSession | None:
    """A session the plan's supervisor or assessor is arranged in (they cannot be removed from the plan
    while it stands: a session is never left without its supervisor)."""
    return (
        ExamSession.objects.filter(supervisor=person).first()
        or ExamSession.objects.filter(assessors=person).first()
    )


def staff_of(plan, role) -> list[PlanStaff]:
    return list(plan.staff.filter(role=role))


# -- what the pages read ------------------------------------------------------------------------------


def of_plan(plan):
    """The plan's sessions in time order, with their seats counted and their people loaded."""
    return (
        plan.sessions.select_related("supervisor")
        .prefetch_related("assessors")
        .annotate(taken=Count("seats"))
        .order_by("starts_at", "room", "pk")
    )


def waiting(plan) -> int:
    """How many seats the plan's candidates still lack: one per candidate and kind of session arranged."""
    # order_by(): ExamSession's default ordering would put its columns in the DISTINCT, and count a kind
    # once per session of it
    kinds = list(plan.sessions.order_by().values_list("kind", flat=True).distinct())
    if not kinds:
        return 0
    candidates = plan.candidates.count()
    seated = (
        Seat.objects.filter(session__plan=plan)
        .values("session__kind")
        .annotate(n=Count("candidate", distinct=True))
    )
    return len(kinds) * candidates - sum(row["n"] for row in seated)

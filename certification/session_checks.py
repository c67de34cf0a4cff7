"""Exam day, supervision on site (issue 44 item 4): the centre's calendar of every institution's exam
sessions, the day's on-site checks drawn among them, and the findings of a check recorded as a supervision
record of the institution's filing.

seed 001 第十九条: 市职业技能鉴定指导中心对评价机构开展日常督导，采取现场检查、数据对比、远程监控等方式 — the
day's sessions are the pool of a 现场检查 draw (portal.draws: the pool and the seed are kept, anyone can repeat
it), and what the inspector finds goes into filings.Inspection (督导检查记录, filings.supervision), where the
centre's other supervision records are, and on to 一公开 from there.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from filings.constants_after import InspectionKind, InspectionMethod
from filings.institutions import current_filing
from filings.supervision import record_inspection
from portal import audit, draws, errors, roles, workdays

from .models import ExamSession, SessionCheck, SessionCheckDraw

CheckError = errors.PortalError

# Not a regulatory number: how many sessions one calendar page lists (a week of a province's sessions).
CALENDAR_PAGE_SIZE = 50

# The methods by which a session is checked (seed 001 第十九条: 现场检查、远程监控).
CHECK_METHODS = (InspectionMethod.ONSITE, InspectionMethod.REMOTE)


def may_see(user) -> bool:
    return roles.is_staff_reviewer(user)


def local_bounds(first: datetime.date, last: datetime.date):
    """[start of ``first``, start of the day after ``last``) in the portal's time zone."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    return start, end


def sessions_between(first: datetime.date, last: datetime.date):
    """Every institution's sessions starting on ``first`` .. ``last``, in time order, with what the
    calendar shows (institution, plan, supervisor, seats taken, assessors, checks)."""
    start, end = local_bounds(first, last)
    return (
        ExamSession.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("plan__institution", "plan__occupation", "supervisor")
        .prefetch_related("assessors", "checks__inspection")
        .annotate(taken=Count("seats", distinct=True))
        .order_by("starts_at", "plan__institution__name", "room", "pk")
    )


def next_session_day(after: datetime.date) -> datetime.date | None:
    """The first day on or after ``after`` with a session, if any (the calendar's pointer from an empty week)."""
    start, _end = local_bounds(after, after)
    first = (
        ExamSession.objects.filter(starts_at__gte=start)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def week_of(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    monday = day - datetime.timedelta(days=day.weekday())
    return monday, monday + datetime.timedelta(days=6)


@dataclass(frozen=True)
class CalendarDay:
    day: datetime.date
    sessions: list
    draw: SessionCheckDraw | None

    @property
    def is_today(self) -> bool:
        return self.day == workdays.today()


def calendar(first: datetime.date, last: datetime.date) -> list[CalendarDay]:
    """The days of [first, last] that have sessions, each with its sessions and its draw (if any)."""
    by_day: dict[datetime.date, list] = {}
    for session in sessions_between(first, last):
        by_day.setdefault(timezone.localdate(session.starts_at), []).append(session)
    draws_by_day = {d.day: d for d in SessionCheckDraw.objects.filter(day__gte=first, day__lte=last)}
    return [CalendarDay(day, by_day[day], draws_by_day.get(day)) for day in sorted(by_day)]


def draw_checks(day: datetime.date, n: int, actor, *, seed: str | None = None) -> SessionCheckDraw:
    """Draws ``n`` of the sessions starting on ``day`` for an on-site check; one draw a day, kept with its
    pool and seed."""
    roles.require(actor, roles.CENTRE)
    pool = sorted(sessions_between(day, day).values_list("pk", flat=True))
    if not pool:
        raise CheckError(_("%(day)s 没有考场安排，无需抽取。") % {"day": day.isoformat()})
    if n < 1 or n > len(pool):
        raise CheckError(
            _("抽取数量应在 1 至 %(count)s 之间（当日共有 %(count)s 个考场）。") % {"count": len(pool)}
        )
    seed = (seed or draws.new_seed()).strip()
    chosen = draws.draw(pool, n, seed)
    try:
        with transaction.atomic():
            draw = SessionCheckDraw.objects.create(
                day=day, seed=seed, pool=pool, chosen=chosen, drawn_by=actor
            )
            SessionCheck.objects.bulk_create(SessionCheck(session_id=pk, draw=draw) for pk in chosen)
            audit.record(
                "certification_session_checks_drawn",
                draw,
                actor,
                internal=True,
                comment=_("%(day)s 共 %(pool)s 个考场，抽取 %(n)s 个现场督导。")
                % {"day": day.isoformat(), "pool": len(pool), "n": n},
                seed=seed,
                chosen=chosen,
            )
    except IntegrityError:
        raise CheckError(
            _("%(day)s 的现场督导已经抽取过，不能重复抽取。") % {"day": day.isoformat()}
        ) from None
    return draw


def replay(draw: SessionCheckDraw) -> list[int]:
    """The draw repeated from its record: the same sessions."""
    return draws.draw(draw.pool, len(draw.chosen), draw.seed)


def record_findings(
    session: ExamSession, actor, *, method: str, inspectors: str, findings: str, measure: str = ""
) -> SessionCheck:
    """The findings of a check of ``session`` (drawn or not), recorded as a supervision record
    (filings.Inspection, 日常督导) of the institution's filing in force on the session's day, and
    attached to the session."""
    roles.require(actor, roles.CENTRE)
    if method not in CHECK_METHODS:
        raise CheckError(_("请选择检查方式（现场检查或远程监控）。"))
    day = timezone.localdate(session.starts_at)
    filing = current_filing(session.plan.institution, on=day)
    if filing is None:
        raise CheckError(_("该机构在考核当日没有有效的评价机构备案，无法登记督导检查记录。"))
    with transaction.atomic():
        check = (
            SessionCheck.objects.select_for_update()
            .filter(session=session, inspection__isnull=True)
            .order_by("pk")
            .first()
        )
        if SessionCheck.objects.filter(session=session, inspection__isnull=False).exists() and check is None:
            raise CheckError(_("该考场已登记督导检查记录。"))
        inspection = record_inspection(
            filing,
            actor,
            kind=InspectionKind.DAILY,
            method=method,
            inspected_on=day,
            inspectors=inspectors,
            findings=_("%(session)s（%(plan)s）：%(findings)s")
            % {"session": session, "plan": session.plan.title, "findings": (findings or "").strip()}
            if (findings or "").strip()
            else "",
            measure=measure,
            draw=None,
        )
        if check is None:
            check = SessionCheck.objects.create(session=session)
        check.inspection = inspection
        check.save(update_fields=["inspection"])
    return check

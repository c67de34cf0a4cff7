"""Exam day, sign-in and absence (issue 44 item 3): on the day of a session the institution's people on site
(the assessors, with the institution's account) mark each seat present or absent, one by one on a phone or
by reading the admission ticket's QR code; an absent candidate gets no score for that session's exam (the
score sheet and the candidate's page refuse it and show 缺考), and the results summary counts the absent
apart from the certified.

A session's exam and the score it stands for: 理论知识考试 -> theory_score, 技能操作考核 -> practical_score,
综合评审 -> the other result (other_result).
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, errors

from . import sessions, tickets
from .models import ExamSession, Seat

AttendanceError = errors.PortalError

Attendance = Seat.Attendance

# The score a session's exam gives (imports.score_problems reads it to refuse an absent candidate's score).
SCORE_OF_KIND = {
    ExamSession.Kind.THEORY: "theory",
    ExamSession.Kind.PRACTICAL: "practical",
    ExamSession.Kind.REVIEW: "other_result",
}


def session_day(session: ExamSession) -> datetime.date:
    return timezone.localdate(session.starts_at)


def mark(seat: Seat, actor, status: str, *, today: datetime.date | None = None) -> Seat:
    """Marks ``seat`` present or absent (or back to unmarked, ""). From the session's day on only; a
    candidate whose score for that exam is already entered cannot be marked absent."""
    session = seat.session
    sessions.check_owner(session.plan, actor)
    if status not in ("", *Attendance.values):
        raise AttendanceError(_("请选择到场或缺考。"))
    day = session_day(session)
    if (today or timezone.localdate()) < day:
        raise AttendanceError(_("考核当日（%(day)s）起方可登记签到。") % {"day": day.isoformat()})
    if status == Attendance.ABSENT and has_score(seat.candidate, session.kind):
        raise AttendanceError(
            _("%(name)s 的本场考核成绩已经录入，不能登记为缺考；如确属缺考，请先删除该成绩。")
            % {"name": seat.candidate.name}
        )
    with transaction.atomic():
        Seat.objects.filter(pk=seat.pk).update(
            attendance=status,
            attendance_at=timezone.now() if status else None,
            attendance_by=actor if status else None,
        )
        audit.record(
            "certification_attendance_marked",
            session.plan,
            actor,
            comment=_("%(session)s 座位 %(seat)02d %(name)s：%(status)s")
            % {
                "session": session,
                "seat": seat.number,
                "name": seat.candidate.name,
                "status": Attendance(status).label if status else _("未签到"),
            },
            seat=seat.pk,
            attendance=status,
        )
    seat.refresh_from_db()
    return seat


def mark_rest_present(session: ExamSession, actor, *, today: datetime.date | None = None) -> int:
    """Every seat of ``session`` not yet marked becomes present (the last step of a sign-in); returns how
    many."""
    unmarked = list(session.seats.filter(attendance="").select_related("candidate", "session__plan"))
    for seat in unmarked:
        mark(seat, actor, Attendance.PRESENT, today=today)
    return len(unmarked)


def has_score(candidate, kind) -> bool:
    field = SCORE_OF_KIND.get(kind)
    if field == "theory":
        return candidate.theory_score is not None
    if field == "practical":
        return candidate.practical_score is not None
    return bool(candidate.other_result)


def absences(candidates) -> dict[int, set[str]]:
    """{candidate id: the scores they may not have (theory / practical / other_result)} for those marked
    absent from a session, in one query."""
    out: dict[int, set[str]] = {}
    rows = Seat.objects.filter(candidate__in=candidates, attendance=Attendance.ABSENT).values_list(
        "candidate_id", "session__kind"
    )
    for candidate_id, kind in rows:
        out.setdefault(candidate_id, set()).add(SCORE_OF_KIND[kind])
    return out


def counts(session: ExamSession) -> dict[str, int]:
    """Present, absent and not yet marked seats of a session."""
    out = {"present": 0, "absent": 0, "unmarked": 0}
    for status in session.seats.values_list("attendance", flat=True):
        out[status or "unmarked"] += 1
    return out


def moved_from_ticket(text: str) -> Seat | None:
    """The seat now held by the candidate whose scanned 准考证 (``text``, genuinely signed) names a seat they
    were moved from (certification.sessions.move): that ticket is void, and the sign-in page says where
    they sit instead. None for any other text (forged, altered, a seat never moved, or gone with its
    session)."""
    former = tickets.seat_pk_for(text)
    if former is None:
        return None
    return sessions.moved_to(former)

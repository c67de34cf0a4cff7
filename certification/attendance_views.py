"""Sign-in on exam day (issue 44 item 3): a phone-sized page per session where the institution's people on
site mark each seat present or absent, and the session's sign-in sheet (签到表) as a PDF to print. Thin views
over certification.attendance; the owning institution marks, centre and bureau staff who may see the plan
read the page and print the sheet. A seat is also marked present by its 准考证's QR text (``token``: typed by
a handheld scanner into the page's field, or read by the page's camera, static/certification/sign_in.js),
resolved by tickets.seat_for and refused unless it is a seat of this session."""

from __future__ import annotations

import unicodedata

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal import downloads, errors, roles, steps
from portal.pdf import render_pdf
from portal.post_only import post_only

from . import attendance, tickets
from .models import ExamSession, Seat
from .views import own_plan, visible_plan


def _session(plan, session_pk) -> ExamSession:
    """The plan's session (the plan from certification.views.own_plan or visible_plan), else 404."""
    session = get_object_or_404(ExamSession.objects.select_related("supervisor"), plan=plan, pk=session_pk)
    session.plan = plan
    return session


def _sign_in_url(session) -> str:
    return reverse("certification:session_sign_in", args=[session.plan_id, session.pk])


@login_required
@require_GET
def sign_in(request, pk, session_pk):
    plan = visible_plan(request, pk)
    session = _session(plan, session_pk)
    is_owner = (
        roles.has_role(request.user, roles.APPLICANT) and request.user.institution_id == plan.institution_id
    )
    seats = list(session.seats.select_related("candidate").order_by("number"))
    counts = attendance.counts(session)
    day = attendance.session_day(session)
    is_open = timezone.localdate() >= day
    if not is_open:
        next_step = _("考核当日（%(day)s）起方可登记签到；现在可先下载签到表打印。") % {
            "day": day.isoformat()
        }
    elif counts["unmarked"]:
        next_step = _("下一步：逐一登记到场或缺考；全部缺考登记完毕后，点“其余考生全部到场”。")
    else:
        next_step = (
            _("签到已完成：到场 %(present)s 人，缺考 %(absent)s 人。缺考考生不能录入该项成绩。") % counts
        )
    return render(
        request,
        "certification/sign_in.html",
        {
            "plan": plan,
            "session": session,
            "seats": seats,
            "counts": counts,
            "can_mark": is_owner and is_open,
            "next_step": next_step,
            "breadcrumbs": [
                (plan.reference, reverse("certification:plan", args=[plan.pk])),
                (_("考场安排"), reverse("certification:sessions", args=[plan.pk])),
                (_("签到"), None),
            ],
        },
    )


def _sign_in_page(request, pk, session_pk, **_ignored):
    return _sign_in_url(_session(own_plan(request, pk), session_pk))


@login_required
@post_only(_sign_in_page)
def sign_in_mark(request, pk, session_pk):
    session = _session(own_plan(request, pk), session_pk)
    back = _sign_in_url(session)
    if request.POST.get("rest") == "present":
        return steps.run(
            request,
            lambda: attendance.mark_rest_present(session, request.user),
            lambda n: _("已将其余 %(n)s 名考生登记为到场。") % {"n": n},
            back,
        )
    if "token" in request.POST:
        seat = _scanned_seat(request, session)
        if seat is None:
            return redirect(f"{back}#scan-token")
        status = Seat.Attendance.PRESENT
    else:
        seat_pk = request.POST.get("seat", "")
        seat = (
            Seat.objects.filter(session=session, pk=int(seat_pk)).select_related("candidate").first()
            if seat_pk.isdigit()
            else None
        )
        if seat is None:
            messages.error(request, _("请选择考生座位。"))
            return redirect(back)
        status = request.POST.get("status", "")
    seat.session = session
    try:
        marked = attendance.mark(seat, request.user, status)
    except errors.PortalError as error:
        steps.refused(request, error)
    else:
        messages.success(
            request,
            _("%(number)02d 号 %(name)s：%(status)s。")
            % {
                "number": marked.number,
                "name": marked.candidate.name,
                "status": marked.get_attendance_display() or _("未签到"),
            },
        )
    if "token" in request.POST:
        return redirect(f"{back}#scan-token")  # the scanner field again, ready for the next ticket
    return redirect(f"{back}#seat-{seat.pk}")


def _scanned_seat(request, session):
    """The seat of this session a scanned 准考证 QR text names (a handheld scanner types it into the page's
    field, or the page's camera reads it), else None with the reason as an error message."""
    # NFKC: a scanner typing through a Chinese input method in full-width mode gives ＺＫＺ－…
    text = unicodedata.normalize("NFKC", request.POST.get("token", ""))
    if not text.strip():
        messages.error(request, _("请扫描准考证上的二维码。"))
        return None
    seat = tickets.seat_for(text)
    if seat is None:
        now = attendance.moved_from_ticket(text)
        if now is not None and now.session.plan_id == session.plan_id:  # moved within this plan: say where
            messages.error(
                request,
                _("%(name)s 已调至 %(where)s（座位 %(number)02d），原准考证已作废，请打印新准考证。")
                % {
                    "name": now.candidate.name,
                    "where": _("本考场") if now.session_id == session.pk else now.session,
                    "number": now.number,
                },
            )
        else:
            messages.error(
                request, _("准考证二维码无效：无法识别，或准考证已作废（考生调换考场后须重新打印）。")
            )
        return None
    if seat.session_id != session.pk:
        if seat.session.plan_id == session.plan_id:  # the same plan's other session: say where
            messages.error(
                request,
                _("该准考证不属于本考场：%(name)s 的座位在 %(session)s。")
                % {"name": seat.candidate.name, "session": seat.session},
            )
        else:  # another plan's ticket: nothing of it is shown
            messages.error(request, _("该准考证不属于本考场。"))
        return None
    return seat


@login_required
@require_GET
def sign_in_sheet(request, pk, session_pk):
    """签到表: one row per seat (seat, name, masked number, a box to sign), to print for the session."""
    plan = visible_plan(request, pk)
    session = _session(plan, session_pk)
    seats = session.seats.select_related("candidate").order_by("number")
    pdf, _html = render_pdf(
        "certification/pdf/sign_in_sheet.html", {"plan": plan, "session": session, "seats": seats}
    )
    return downloads.attachment(pdf, f"sign-in-{plan.reference}-{session.pk}.pdf", downloads.PDF)

"""The exam day pages of a plan (issue 44 item 1): its sessions, a new session, the seats of one, the
automatic allocation and a manual move. Thin views over certification.sessions: the institution that owns
the plan arranges; centre and bureau staff who may see the plan read the same pages; anyone else gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal import downloads, errors, roles, steps
from portal.post_only import post_only

from . import attendance, sessions, tickets
from .constants import StaffRole
from .forms import SessionForm
from .models import ExamSession, Seat
from .views import own_plan, visible_plan

SEATS_PER_PAGE = 50
UNSEATED_NAMED = 20  # the names an allocation lists of those it could not seat; the rest are counted


def _is_owner(user, plan) -> bool:
    return roles.has_role(user, roles.APPLICANT) and user.institution_id == plan.institution_id


def _crumbs(plan, *more):
    return [
        (_("认定方案"), reverse("certification:plans")),
        (plan.reference, reverse("certification:plan", args=[plan.pk])),
        *more,
    ]


def _refused(form, error):
    """A refused arrangement on the form: beside the field it is about (sessions.SessionError.field), with
    what was typed there kept; above the form when it is about no one field on the page."""
    field = getattr(error, "field", None)
    for text in getattr(error, "problems", None) or [str(error)]:
        form.add_error(field if field in form.fields else None, text)


def _sessions_url(plan):
    return reverse("certification:sessions", args=[plan.pk])


def _session_url(session):
    return reverse("certification:session", args=[session.plan_id, session.pk])


@login_required
def session_list(request, pk):
    plan = visible_plan(request, pk)
    rows = list(sessions.of_plan(plan))
    waiting = sessions.waiting(plan)
    n_candidates = plan.candidates.count()
    is_owner = _is_owner(request.user, plan)
    if not rows:
        next_step = _("下一步：新建考场安排（每个考场须安排一名质量督导员）。")
    elif not n_candidates:
        next_step = _("下一步：上传考生名册后分配座位。")
    elif waiting and not any(s.taken < s.capacity for s in rows):
        next_step = _("尚有 %(n)s 个座位待分配，但现有考场已满：请新建考场或增加座位数后再分配。") % {
            "n": waiting
        }
    elif waiting:
        next_step = _("下一步：自动分配座位（尚有 %(n)s 个座位待分配）。") % {"n": waiting}
    else:
        next_step = _("座位已全部分配；如需调整，请在考场页面调整个别考生。")
    return render(
        request,
        "certification/session_list.html",
        {
            "plan": plan,
            "rows": rows,
            "waiting": waiting,
            "n_candidates": n_candidates,
            "next_step": next_step,
            "is_owner": is_owner,
            "seated": any(row.taken for row in rows),
            "breadcrumbs": _crumbs(plan, (_("考场安排"), "")),
        },
    )


@login_required
def session_new(request, pk):
    plan = own_plan(request, pk)
    form = SessionForm(
        request.POST or None,
        initial={"place": plan.site, "day": plan.start_date},
        supervisors=sessions.staff_of(plan, StaffRole.SUPERVISOR),
        assessors=sessions.staff_of(plan, StaffRole.ASSESSOR),
        sites=sessions.filed_sites(plan),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = sessions.create_session(plan, request.user, **form.session_kwargs())
        except errors.PortalError as error:
            _refused(form, error)
        else:
            messages.success(request, _("已安排考场 %(session)s。") % {"session": session})
            return redirect(_sessions_url(plan))
    return render(
        request,
        "certification/session_form.html",
        {
            "plan": plan,
            "form": form,
            "next_step": _("下一步：填写后保存，回到考场安排页面自动分配座位。"),
            "breadcrumbs": _crumbs(plan, (_("考场安排"), _sessions_url(plan)), (_("新建考场安排"), "")),
        },
    )


def _session_initial(session) -> dict:
    starts, ends = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
    return {
        "kind": session.kind,
        "day": starts.date(),
        "starts": starts.time(),
        "ends": ends.time(),
        "site": session.site_id,
        "place": session.place,
        "room": session.room,
        "capacity": session.capacity,
        "supervisor": session.supervisor_id,
        "assessors": list(session.assessors.values_list("pk", flat=True)),
    }


@login_required
def session_edit(request, pk, session_pk):
    """修改考场安排: the new-session form, filled in, under the same rules (certification.sessions.
    update_session) and those the allocated seats add."""
    plan = own_plan(request, pk)
    session = get_object_or_404(sessions.of_plan(plan), pk=session_pk)
    form = SessionForm(
        request.POST or None,
        initial=_session_initial(session),
        supervisors=sessions.staff_of(plan, StaffRole.SUPERVISOR),
        assessors=sessions.staff_of(plan, StaffRole.ASSESSOR),
        sites=sessions.filed_sites(plan),
    )
    if request.method == "POST" and form.is_valid():
        try:
            session = sessions.update_session(session, request.user, **form.session_kwargs())
        except errors.PortalError as error:
            _refused(form, error)
        else:
            messages.success(
                request,
                _("已修改考场 %(session)s。已打印的准考证上的时间、地点或考场如有变化，请重新打印准考证。")
                % {"session": session},
            )
            return redirect(_session_url(session))
    if session.taken:
        next_step = _(
            "该考场已分配 %(taken)s 个座位：座位数不能少于已分配数，已分配座位后不能更改考核类型，"
            "新的时间不能与这些考生的其他考场冲突。保存后如时间、地点有变，请重新打印准考证。"
        ) % {"taken": session.taken}
    else:
        next_step = _("下一步：修改后保存，回到考场页面。")
    return render(
        request,
        "certification/session_form.html",
        {
            "plan": plan,
            "form": form,
            "session": session,
            "next_step": next_step,
            "back_url": _session_url(session),
            "breadcrumbs": _crumbs(
                plan,
                (_("考场安排"), _sessions_url(plan)),
                (str(session), _session_url(session)),
                (_("修改考场安排"), ""),
            ),
        },
    )


@login_required
@require_GET
def session_delete_confirm(request, pk, session_pk):
    """删除考场安排, the confirmation: what goes with the session (its seats) or why it cannot go."""
    plan = own_plan(request, pk)
    session = get_object_or_404(sessions.of_plan(plan), pk=session_pk)
    refusal = sessions.deletion_refusal(session)
    if refusal:
        next_step = _("该考场不能删除；可返回考场页面修改考场安排。")
    elif session.taken:
        next_step = _(
            "确认删除后，该考场的 %(taken)s 个座位将被取消，这些考生回到待分配座位；原准考证作废，"
            "重新分配座位后须重新打印准考证。"
        ) % {"taken": session.taken}
    else:
        next_step = _("该考场尚未分配座位，确认后即删除。")
    return render(
        request,
        "certification/session_delete.html",
        {
            "plan": plan,
            "session": session,
            "refusal": refusal,
            "next_step": next_step,
            "breadcrumbs": _crumbs(
                plan,
                (_("考场安排"), _sessions_url(plan)),
                (str(session), _session_url(session)),
                (_("删除考场安排"), ""),
            ),
        },
    )


def _delete_page(request, pk, session_pk, **_ignored):
    """Where a stray GET of the deletion goes: its confirmation page, by the POST's own rule."""
    session = get_object_or_404(ExamSession, plan=own_plan(request, pk), pk=session_pk)
    return reverse("certification:session_delete_confirm", args=[session.plan_id, session.pk])


@login_required
@post_only(_delete_page)
def session_delete(request, pk, session_pk):
    plan = own_plan(request, pk)
    session = get_object_or_404(ExamSession.objects.select_related("plan"), plan=plan, pk=session_pk)
    label = str(session)
    try:
        released = sessions.delete_session(session, request.user)
    except errors.PortalError as error:
        steps.refused(request, error)
        return redirect(_session_url(session))
    text = _("已删除考场 %(session)s。") % {"session": label}
    if released:
        text += _("%(n)s 名考生的座位已取消，待重新分配座位（原准考证作废）。") % {"n": released}
    messages.success(request, text)
    return redirect(_sessions_url(plan))


def _sessions_page(request, pk, **_ignored):
    """Where a stray GET of the allocation goes: the sessions page, by the POST's own rule."""
    return _sessions_url(own_plan(request, pk))


@login_required
@post_only(_sessions_page)
def session_allocate(request, pk):
    plan = own_plan(request, pk)
    try:
        outcome = sessions.allocate(plan, request.user)
    except errors.PortalError as error:
        steps.refused(request, error)
        return redirect(_sessions_url(plan))
    messages.success(request, _("已为 %(n)s 名考生分配座位。") % {"n": outcome.seated})
    if outcome.unseated:
        named = "；".join(f"{name}（{reason}）" for name, reason in outcome.unseated[:UNSEATED_NAMED])
        more = len(outcome.unseated) - UNSEATED_NAMED
        messages.warning(
            request,
            _("%(n)s 人次未能分配座位：%(named)s") % {"n": len(outcome.unseated), "named": named}
            + (_("……等另 %(more)s 人次。") % {"more": more} if more > 0 else ""),
        )
    return redirect(_sessions_url(plan))


@login_required
def session_detail(request, pk, session_pk):
    plan = visible_plan(request, pk)
    session = get_object_or_404(sessions.of_plan(plan), pk=session_pk)
    seats = session.seats.select_related("candidate").order_by("number")
    page = Paginator(seats, SEATS_PER_PAGE).get_page(request.GET.get("page"))
    is_owner = _is_owner(request.user, plan)
    targets = (
        list(sessions.of_plan(plan).filter(kind=session.kind).exclude(pk=session.pk)) if is_owner else []
    )
    # moved here from another session: the ticket printed before names a seat that is gone (tickets.seat_for)
    moved = list(
        session.seats.exclude(former_seats=[]).order_by("number").values_list("candidate__name", flat=True)
    )
    counts = attendance.counts(session)
    # arranged before the filing in force listed its exam sites: the session is to pick one of them
    needs_site = session.site_id is None and bool(sessions.filed_sites(plan))
    if is_owner and not session.taken:
        next_step = _(
            "下一步：回到考场安排页面自动分配座位；如需更改时间、地点或人员，可修改或删除本考场安排。"
        )
    elif is_owner and moved:
        next_step = _("下一步：为调至本考场的考生重新打印准考证，考试当日在签到页面登记到场或缺考。")
    elif is_owner and counts["unmarked"]:
        next_step = _("下一步：打印准考证和签到表，考试当日在签到页面登记到场或缺考。")
    elif is_owner:
        next_step = _("本考场签到已完成。")
    else:
        next_step = _("本页供查阅；考场安排、座位调整和签到由评价机构办理。")
    return render(
        request,
        "certification/session_detail.html",
        {
            "plan": plan,
            "session": session,
            "page": page,
            "is_owner": is_owner,
            "targets": targets,
            "moved": moved,
            "next_step": next_step,
            "needs_site": needs_site,
            "breadcrumbs": _crumbs(plan, (_("考场安排"), _sessions_url(plan)), (str(session), "")),
        },
    )


def _session_page(request, pk, session_pk, **_ignored):
    """Where a stray GET of a move goes: the session's page, by the POST's own rule."""
    return _session_url(get_object_or_404(ExamSession, plan=own_plan(request, pk), pk=session_pk))


@login_required
@post_only(_session_page)
def seat_move(request, pk, session_pk, seat_pk):
    plan = own_plan(request, pk)
    session = get_object_or_404(ExamSession, plan=plan, pk=session_pk)
    seat = get_object_or_404(Seat.objects.select_related("candidate", "session"), session=session, pk=seat_pk)
    back = _session_url(session)
    to = request.POST.get("to", "")
    target = ExamSession.objects.filter(plan=plan, pk=int(to)).first() if to.isdigit() else None
    if target is None:
        messages.error(request, _("请选择要调整到的考场。"))
        return redirect(back)
    return steps.run(
        request,
        lambda: sessions.move(seat, target, request.user),
        lambda moved: (
            _("已将 %(name)s 调整到考场 %(room)s，座位号 %(number)s。")
            % {"name": moved.candidate.name, "room": target.room, "number": moved.number}
        ),
        back,
    )


@login_required
def ticket_batch(request, pk):
    """打印准考证: the plan's admission tickets as one PDF (certification.tickets.plan_pdf, by session then
    seat), for whoever may read its sessions; not audited, like the certificate batch PDFs. Without a seated
    candidate the sessions page says so."""
    plan = visible_plan(request, pk)
    printed = tickets.plan_pdf(plan)
    if printed is None:
        messages.info(request, _("尚无已分配座位的考生，分配座位后再打印准考证。"))
        return redirect(_sessions_url(plan))
    return downloads.attachment(printed[0], f"tickets-{plan.pk}.pdf", downloads.PDF)

"""Supervision (督导, seed 001 第十九至二十一条): inspection records, and the 双随机 draw of
inspectors and institutions for a period, kept with its seed so anyone can repeat it; the results made
public (一公开, 第十九条第二款); cases referred to another authority (移交, 第二十四条、第二十六条)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from portal import audit, draws, errors, roles, transitions, workdays
from portal.models import User

from . import after_filing
from .constants import State
from .constants_after import InspectionKind, InspectionMethod, ReferralGround, ReferralState
from .models import Complaint, Filing, Inspection, InspectionDraw, Referral

WorkflowError = after_filing.WorkflowError


def institution_pool(on: date) -> list[int]:
    """Filings in force on ``on`` (the institutions that may be drawn), sorted."""
    return sorted(
        Filing.objects.filter(state=State.FILED, valid_from__lte=on, valid_until__gte=on).values_list(
            "pk", flat=True
        )
    )


def inspector_pool() -> list[int]:
    """Centre staff act as the external quality supervisors (seed 001 第二十条), sorted."""
    return sorted(
        User.objects.filter(groups__name=roles.CENTRE, is_active=True).distinct().values_list("pk", flat=True)
    )


def choose(institutions: list[int], inspectors: list[int], n_institutions: int, n_inspectors: int, seed: str):
    """Institutions first, then inspectors, from one seed (portal.draws.draw_many); each list sorted."""
    chosen, people = draws.draw_many(
        seed,
        [
            (institutions, min(n_institutions, len(set(institutions)))),
            (inspectors, min(n_inspectors, len(set(inspectors)))),
        ],
    )
    return sorted(chosen), sorted(people)


def replay(draw: InspectionDraw) -> tuple[list[int], list[int]]:
    """Repeats a recorded draw from its pools and seed (it must equal the recorded result)."""
    return choose(
        draw.institution_pool, draw.inspector_pool, len(draw.institutions), len(draw.inspectors), draw.seed
    )


def random_draw(
    actor,
    *,
    period_start: date,
    period_end: date,
    n_institutions: int,
    n_inspectors: int,
    seed: str | None = None,
) -> InspectionDraw:
    roles.require(actor, roles.CENTRE)
    if period_end < period_start:
        raise WorkflowError(_("检查期间的结束日期不能早于开始日期。"))
    if n_institutions < 1 or n_inspectors < 1:
        raise WorkflowError(_("抽取数量至少为 1。"))
    institutions = institution_pool(period_start)
    inspectors = inspector_pool()
    if not institutions:
        raise WorkflowError(_("该期间没有在有效期内的备案机构可供抽取。"))
    if not inspectors:
        raise WorkflowError(_("没有可抽取的检查人员。"))
    seed = (seed or draws.new_seed()).strip()
    chosen, people = choose(institutions, inspectors, n_institutions, n_inspectors, seed)
    with transaction.atomic():
        draw = InspectionDraw.objects.create(
            period_start=period_start,
            period_end=period_end,
            seed=seed,
            institution_pool=institutions,
            inspector_pool=inspectors,
            institutions=chosen,
            inspectors=people,
            drawn_by=actor,
        )
        names = "、".join(u.display_name for u in User.objects.filter(pk__in=people))
        for filing in Filing.objects.filter(pk__in=chosen):
            audit.record(
                "inspection_drawn",
                filing,
                actor,
                internal=True,
                comment=_("%(start)s 至 %(end)s 双随机抽查，检查人员：%(names)s")
                % {"start": period_start, "end": period_end, "names": names},
                draw=draw.pk,
                seed=seed,
            )
    return draw


def record_inspection(
    filing: Filing,
    actor,
    *,
    kind: str,
    method: str,
    inspected_on: date,
    inspectors: str,
    findings: str,
    draw=None,
    measure: str = "",
) -> Inspection:
    roles.require(actor, roles.CENTRE)
    if kind not in InspectionKind.values:
        raise WorkflowError(_("请选择督导类型。"))
    if method not in InspectionMethod.values:
        raise WorkflowError(_("请选择检查方式。"))
    findings = errors.require_text(findings, _("请填写检查发现。"))
    inspectors = errors.require_text(inspectors, _("请填写检查人员。"))
    if draw is not None and filing.pk not in draw.institutions:
        raise WorkflowError(_("该机构不在本次双随机抽查结果中。"))
    with transaction.atomic():
        inspection = Inspection.objects.create(
            filing=filing,
            kind=kind,
            method=method,
            inspected_on=inspected_on,
            inspectors=inspectors,
            findings=findings,
            measure=(measure or "").strip(),
            draw=draw,
            created_by=actor,
        )
        audit.record(
            "inspection_recorded",
            filing,
            actor,
            internal=True,
            comment=f"{inspection.get_kind_display()} · {inspection.get_method_display()}：{findings}",
            inspection=inspection.pk,
        )
    return inspection


# -- 一公开 (seed 001 第十九条第二款) -------------------------------------------------------------------


def publish_inspection(inspection: Inspection, actor, *, measure: str, on: date | None = None) -> Inspection:
    """The centre publishes an inspection's result (institution, date, finding, measure) on the public
    page. Once public it stays public: the page is the record the public relies on."""
    roles.require(actor, roles.CENTRE)
    measure = errors.require_text(measure, _("请填写处理措施（未发现问题的，写明“未发现问题”）。"))
    on = on or workdays.today()
    with transaction.atomic():
        locked = Inspection.objects.select_for_update().select_related("filing").get(pk=inspection.pk)
        if locked.published_on is not None:
            raise WorkflowError(
                _("该督导检查结果已于 %(date)s 公开。") % {"date": f"{locked.published_on:%Y-%m-%d}"}
            )
        locked.measure, locked.published_on = measure, on
        locked.save(update_fields=["measure", "published_on"])
        audit.record(
            "inspection_published",
            locked.filing,
            actor,
            comment=f"{locked.inspected_on:%Y-%m-%d}：{measure}",
            inspection=locked.pk,
        )
    return locked


def public_results(q: str = "", on: date | None = None):
    """The published inspection results, newest first (the public page reads only these columns)."""
    on = on or workdays.today()
    rows = (
        Inspection.objects.filter(published_on__isnull=False, published_on__lte=on)
        .select_related("filing")
        .only(
            "pk",
            "kind",
            "method",
            "inspected_on",
            "findings",
            "measure",
            "published_on",
            "draw_id",
            "filing__id",
            "filing__name",
            "filing__state",
            "filing__version",
        )
        .order_by("-published_on", "-inspected_on", "-pk")
    )
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(filing__name__icontains=q) | Q(findings__icontains=q) | Q(measure__icontains=q))
    return rows


# -- 移交 (seed 001 第二十四条、第二十六条) ------------------------------------------------------------------


def refer(
    actor,
    *,
    ground: str,
    authority: str,
    facts: str,
    referred_on: date,
    filing: Filing | None = None,
    subject: str = "",
    complaint: Complaint | None = None,
    inspection: Inspection | None = None,
) -> Referral:
    """The centre refers a case to another authority: an institution's suspected offence (第二十四条,
    the filing named) or a management staff member's (第二十六条, the person named, no filing)."""
    roles.require(actor, roles.CENTRE)
    if ground not in ReferralGround.values:
        raise WorkflowError(_("请选择移交情形。"))
    subject = (subject or "").strip()
    if ground == ReferralGround.INSTITUTION:
        if filing is None:
            raise WorkflowError(_("评价机构涉嫌违法的，请选择涉及的评价机构。"))
        subject = subject or filing.name
    else:
        if filing is not None:
            raise WorkflowError(_("管理部门工作人员涉嫌违法的，不关联评价机构；请在“移交对象”中写明人员。"))
        subject = errors.require_text(subject, _("请填写移交对象。"))
    authority = errors.require_text(authority, _("请填写接收部门。"))
    facts = errors.require_text(facts, _("请填写移交事由。"))
    if referred_on > workdays.today():
        raise WorkflowError(_("移交日期不能晚于今天。"))
    with transaction.atomic():
        referral = Referral.objects.create(
            ground=ground,
            filing=filing,
            subject=subject,
            authority=authority,
            facts=facts,
            referred_on=referred_on,
            complaint=complaint,
            inspection=inspection,
            created_by=actor,
        )
        audit.record(
            "case_referred",
            filing or referral,
            actor,
            internal=True,
            comment=f"{authority}：{facts}",
            referral=referral.pk,
        )
    return referral


def conclude_referral(referral: Referral, actor, *, outcome: str, concluded_on: date) -> Referral:
    """The receiving authority's outcome recorded (``conclude``)."""
    roles.require(actor, roles.CENTRE)
    outcome = errors.require_text(outcome, _("请填写接收部门反馈的处理结果。"))
    if concluded_on < referral.referred_on:
        raise WorkflowError(_("反馈日期不能早于移交日期。"))
    if concluded_on > workdays.today():
        raise WorkflowError(_("反馈日期不能晚于今天。"))

    def keep(r):
        r.outcome, r.concluded_on, r.concluded_by = outcome, concluded_on, actor

    return transitions.fire(
        referral,
        transitions.Step("conclude", "referral_concluded"),
        actor,
        internal=True,
        trail=referral.filing,
        comment=outcome,
        before_save=keep,
        referral=referral.pk,
    )


def open_referrals():
    return Referral.objects.filter(state=ReferralState.REFERRED)

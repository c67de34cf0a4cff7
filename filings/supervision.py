"""Supervision (督导, seed 001 第十九至二十一条): inspection records, and the 双随机 draw of
inspectors and institutions for a period, kept with its seed so anyone can repeat it."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from portal import audit, draws, errors, roles
from portal.models import User

from . import after_filing
from .constants import State
from .constants_after import InspectionKind, InspectionMethod
from .models import Filing, Inspection, InspectionDraw

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

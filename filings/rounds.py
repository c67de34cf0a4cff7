"""Whether an application may be submitted now: inside an open round of the bureau (seed 001 第十条(一)
启动 and (二) 申请: 符合申请条件的单位根据市人社局工作安排提出备案申请), or at any time when the bureau runs
continuous intake (the setting FILING_INTAKE = "continuous", e.g. "随时申报、及时受理"). Views, the
workflow and the demo call these; the bureau publishes rounds on its page and in the admin."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db.models import Q
from django.utils.translation import gettext as _

from portal.notices import cite

from .models import ApplicationRound

ROUNDS, CONTINUOUS = "rounds", "continuous"
CLAUSE = "seed 001 第十条(一)"  # 启动: 市人社局发布评价机构申报工作安排


def intake() -> str:
    """The bureau's mode of intake: in rounds (the default, seed 001 第十条) or continuous."""
    return getattr(settings, "FILING_INTAKE", ROUNDS)


def _for_route(route: str):
    return ApplicationRound.objects.filter(routes__contains=route)


def open_rounds(route: str, on: date):
    return _for_route(route).filter(opens_on__lte=on, closes_on__gte=on).prefetch_related("occupations")


def next_round(route: str, on: date) -> ApplicationRound | None:
    return _for_route(route).filter(opens_on__gt=on).order_by("opens_on", "pk").first()


def _covers(round_: ApplicationRound, occupation_ids: set[int]) -> bool:
    listed = {o.pk for o in round_.occupations.all()}
    return not listed or occupation_ids <= listed


def intake_refusal(route: str, on: date, occupation_ids=()) -> str | None:
    """Why an application of ``route`` for these occupations cannot be submitted on ``on``, naming the
    next round when one is announced; None when it can."""
    if intake() == CONTINUOUS:
        return None
    wanted = set(occupation_ids)
    rounds = list(open_rounds(route, on))
    if any(_covers(r, wanted) for r in rounds):
        return None
    ref = cite(CLAUSE)
    if rounds:
        return _("本批申报工作安排（%(round)s）不含所申报的职业（工种），请按安排申报（%(ref)s）。") % {
            "round": rounds[0].title,
            "ref": ref,
        }
    upcoming = next_round(route, on)
    if upcoming is not None:
        return _("当前不在评价机构申报期内。下一批：%(round)s，%(opens)s 至 %(closes)s（%(ref)s）。") % {
            "round": upcoming.title,
            "opens": upcoming.opens_on.isoformat(),
            "closes": upcoming.closes_on.isoformat(),
            "ref": ref,
        }
    return _("当前不在评价机构申报期内，市人社局尚未发布下一批申报工作安排（%(ref)s）。") % {"ref": ref}


def public_rounds(on: date):
    """The rounds the public page lists: open and announced ones first, then the last few closed."""
    current = ApplicationRound.objects.filter(closes_on__gte=on).order_by("opens_on", "pk")
    past = ApplicationRound.objects.filter(~Q(pk__in=current.values("pk"))).order_by("-closes_on")[:5]
    return list(current.prefetch_related("occupations")), list(past)


def intake_notes(on: date, routes) -> list[tuple[str, bool, str]]:
    """For the applicant's page: per route (value, label), whether it is open now and what to say."""
    notes = []
    for value, label in routes:
        if intake() == CONTINUOUS:
            notes.append((label, True, _("随时申报、及时受理")))
            continue
        current = list(open_rounds(value, on))
        if current:
            first = current[0]
            notes.append(
                (
                    label,
                    True,
                    _("%(round)s，申报截止 %(closes)s") % {"round": first.title, "closes": first.closes_on},
                )
            )
        else:
            notes.append((label, False, intake_refusal(value, on)))
    return notes

"""The certificates figure of the centre's dashboard (issue 37, registered with portal.dashboards from
CertificatesConfig.ready): certificates issued per month by level."""

from __future__ import annotations

import hashlib
import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Max
from django.db.models.signals import post_delete, post_save
from django.urls import reverse
from django.utils.translation import gettext as _

from certification.models import Candidate
from portal import dashboards, roles
from portal.dashboards import Chart, Figure, Panel, Row, Series

from . import lookup_stats
from .constants import LEVEL_NAMES, LOOKUP_STATS_DAYS
from .models import Certificate

# The certificate figures read every certificate of what they count (some 35 ms for 100,000 certificates
# each; bench/dashboards.py), so they are kept in the cache under a key that changes with the certificates:
# the highest certificate id (a new certificate, however it was written: the issuance, an import, COPY) and a
# version bumped by every save or delete of a certificate (a corrected 发证日期, a deletion in the admin). The
# lifetime is a safety net only, for a QuerySet.update() of a date or a level.
FIGURE_SECONDS = 300
VERSION_KEY = "certificates:dashboard:version"


def bump(**kwargs) -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)
    transaction.on_commit(lambda: cache.set(VERSION_KEY, uuid.uuid4().hex, None))


def figure(name: str, parts, compute):
    """``compute()``, or its value for the same certificates from the cache (one index-only query)."""
    top = Certificate.objects.aggregate(top=Max("pk"))["top"]
    version = cache.get(VERSION_KEY) or "0"
    digest = hashlib.sha256("\x1f".join(str(p) for p in (name, version, top, *parts)).encode()).hexdigest()
    key = f"certificates:dashboard:{digest[:32]}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, FIGURE_SECONDS)
    return value


def certificates_chart(months) -> Chart:
    """One query and one index-only read: certificates issued (their 发证日期) per month and level."""
    by_level = figure(
        "all",
        (months[0], months[-1]),
        lambda: dashboards.monthly(Certificate.objects.all(), "issue_date", months, by="level"),
    )
    zero = [0] * len(months)
    return Chart(
        "certificates",
        _("证书：每月签发（按等级）"),
        [Series(str(LEVEL_NAMES[level]), by_level.get(level, zero)) for level in sorted(LEVEL_NAMES)],
        kind="stack",
    )


# -- the public lookups (the centre's dashboard): the lookup log's own counts (lookup_stats) ---------------


def lookups_panel(today) -> Panel:
    """One query: today's public lookups, those refused (not found, not matching, unsigned, incomplete)
    and those over the rate limit; each links to the lookup statistics page."""
    (day,) = lookup_stats.daily_counts(days=1, today=today)
    url = reverse("certificates:staff_lookup_stats")
    figures = (
        ("lookups-today", _("今日公众查询"), day.total),
        ("lookups-refused", _("其中未查到或不符"), day.not_found),
        ("lookups-limited", _("其中超出频率限制"), day.limited),
    )
    rows = [Row(key, label, Figure(key, label, n, url)) for key, label, n in figures]
    return Panel("lookups", _("证书公众查询"), rows, timed=False, column=_("查询"))


def lookups_chart(months) -> Chart:
    """One query: the public lookups of each of the last LOOKUP_STATS_DAYS days (oldest first), answered,
    refused and rate-limited (the staff statistics page's counts)."""
    days = list(reversed(lookup_stats.daily_counts(days=LOOKUP_STATS_DAYS)))
    return Chart(
        "lookups",
        _("证书公众查询：近 %(days)s 天每日") % {"days": LOOKUP_STATS_DAYS},
        [
            Series(_("已答复"), [d.total - d.not_found - d.limited for d in days]),
            Series(_("未查到或不符"), [d.not_found for d in days]),
            Series(_("超出频率限制"), [d.limited for d in days]),
        ],
        kind="stack",
        categories=[d.day.strftime("%m-%d") for d in days],
        axis=_("日期"),
    )


# -- an institution's dashboard (its own certificates only) ----------------------------------------


def institution_certificates_chart(months, user) -> Chart:
    """One query and one index-only read: the institution's certificates issued per month and level."""
    mine = Certificate.objects.filter(institution_id=user.institution_id)
    by_level = figure(
        "mine",
        (user.institution_id, months[0], months[-1]),
        lambda: dashboards.monthly(mine, "issue_date", months, by="level"),
    )
    zero = [0] * len(months)
    return Chart(
        "mine-certificates",
        _("本单位证书：每月签发（按等级）"),
        [Series(str(LEVEL_NAMES[level]), by_level.get(level, zero)) for level in sorted(LEVEL_NAMES)],
        kind="stack",
    )


def pass_rates_chart(months, user) -> Chart:
    """Two queries: the institution's candidates of plans finished (uploaded to the ministry centre) and
    its certificates, per occupation and level; the pass rate is certificates / candidates."""
    from certification.constants import State

    candidates = {
        (code, name, level): n
        for code, name, level, n in Candidate.objects.filter(
            plan__institution_id=user.institution_id, plan__state=State.UPLOADED
        )
        .values_list("plan__occupation__code", "plan__occupation__name", "level")
        .annotate(n=Count("*"))
        .order_by()
    }
    certified = figure(
        "pass-rates",
        (user.institution_id,),
        lambda: {
            (code, name, level): n
            for code, name, level, n in Certificate.objects.filter(institution_id=user.institution_id)
            .values_list("occupation__code", "occupation__name", "level")
            .annotate(n=Count("*"))
            .order_by()
        },
    )
    keys = sorted(set(candidates) | set(certified))
    assessed = [candidates.get(k, 0) for k in keys]
    passed = [certified.get(k, 0) for k in keys]
    return Chart(
        "pass-rates",
        _("合格率（按职业和等级）：取证人数 / 参评人数（已上传部鉴定中心的认定方案）"),
        [
            Series(
                _("合格率（%）"),
                [round(100 * p / a) if a else 0 for a, p in zip(assessed, passed, strict=True)],
            )
        ],
        table_only=[Series(_("参评人数"), assessed), Series(_("取证人数"), passed)],
        kind="bar",
        categories=[f"{code} {name} · {LEVEL_NAMES[level]}" for code, name, level in keys],
        axis=_("职业 · 等级"),
    )


def register() -> None:
    post_save.connect(bump, sender=Certificate, weak=False, dispatch_uid="certificates-dashboard-save")
    post_delete.connect(bump, sender=Certificate, weak=False, dispatch_uid="certificates-dashboard-delete")
    dashboards.register_chart(roles.APPLICANT, 10, institution_certificates_chart, per_user=True)
    dashboards.register_chart(roles.APPLICANT, 20, pass_rates_chart, per_user=True)
    for role in (roles.CENTRE,):
        dashboards.register_chart(role, 40, certificates_chart)
        dashboards.register_chart(role, 50, lookups_chart)
        dashboards.register_panel(role, 90, lookups_panel)

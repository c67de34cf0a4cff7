"""The certificates figure of the centre's dashboard (issue 37, registered with portal.dashboards from
CertificatesConfig.ready): certificates issued per month by level."""

from __future__ import annotations

from django.utils.translation import gettext as _

from portal import dashboards, roles
from portal.dashboards import Chart, Series

from .constants import LEVEL_NAMES
from .models import Certificate


def certificates_chart(months) -> Chart:
    """One query: certificates issued (their 发证日期) per month and level."""
    by_level = dashboards.monthly(Certificate.objects.all(), "issue_date", months, by="level")
    zero = [0] * len(months)
    return Chart(
        "certificates",
        _("证书：每月签发（按等级）"),
        [Series(str(LEVEL_NAMES[level]), by_level.get(level, zero)) for level in sorted(LEVEL_NAMES)],
        kind="stack",
    )


def register() -> None:
    for role in (roles.CENTRE,):
        dashboards.register_chart(role, 40, certificates_chart)

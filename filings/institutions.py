"""What the rest of the portal asks the filings app about an institution (small functions, so other
apps never reach into the filing models). Certification and certificates rely on these exact names."""

from __future__ import annotations

from datetime import date

from portal import workdays

PERSON_ROLES = ("staff", "expert", "assessor", "supervisor")


def registration_refusal(credit_code: str) -> str | None:
    """Why an account may not be registered for this credit code, or None. The blacklist of revoked
    institutions (seed 001 第二十四条) arrives with the filings issues."""
    # Filings II: a credit code on the blacklist in force (seed 002 第六条) is refused, with the reason.
    from portal import identifiers

    from .constants_after import BlacklistState
    from .models import BlacklistEntry

    code = identifiers.normalize_institution_code(credit_code or "")
    entry = (
        BlacklistEntry.objects.filter(credit_code=code, state=BlacklistState.LISTED)
        .order_by("-listed_on")
        .first()
    )
    if entry is None:
        return None
    from django.utils.translation import gettext as _

    return _(
        "该统一社会信用代码对应的机构已于 %(date)s 被撤销评价机构备案并纳入黑名单（理由：%(reason)s），"
        "不能注册或提交新的备案申请。如有异议，请联系市职业技能鉴定指导中心。"
    ) % {"date": entry.listed_on.isoformat(), "reason": entry.reason}


def current_filing(institution, on: date | None = None):
    """The institution's filing in force on ``on`` (default today): state filed, on or after its
    valid_from and on or before its valid_until. Expired, cancelled and revoked filings never count.
    When an institution holds several (an employer and a social filing), the latest filed one."""
    from .constants import State
    from .models import Filing

    if institution is None:
        return None
    on = on or workdays.today()
    return (
        Filing.objects.filter(
            institution=institution, state=State.FILED, valid_from__lte=on, valid_until__gte=on
        )
        .order_by("-valid_from", "-pk")
        .first()
    )


def filed_sites(institution, on: date | None = None) -> list:
    """The exam sites (FilingSite: name, address, rooms, seats, use) listed by the institution's filing in
    force on ``on``, in their filed order; empty without one, or when that filing lists none (filed before
    the sites were a list: its ``site_description`` is the only record)."""
    filing = current_filing(institution, on)
    return list(filing.sites.all()) if filing is not None else []


def filed_periods(institution) -> list[tuple[date, date]]:
    """The (valid_from, valid_until) of each filing the institution holds or held (state filed: expired
    ones included, cancelled and revoked ones not), oldest first. One query."""
    from .constants import State
    from .models import Filing

    if institution is None:
        return []
    return list(
        Filing.objects.filter(
            institution=institution, state=State.FILED, valid_from__isnull=False, valid_until__isnull=False
        )
        .order_by("valid_from", "pk")
        .values_list("valid_from", "valid_until")
    )


def filed_between(start: date, end: date):
    """The institutions with a filing in force on some day from ``start`` to ``end`` (inclusive), as a
    queryset of portal.Institution ordered by name. One query when evaluated."""
    from portal.models import Institution

    from .constants import State

    return (
        Institution.objects.filter(
            filings__state=State.FILED, filings__valid_from__lte=end, filings__valid_until__gte=start
        )
        .distinct()
        .order_by("name", "pk")
    )


def filed_scope(institution, on: date | None = None) -> set[tuple[str, int]]:
    """The (occupation code, level) pairs the institution may certify on ``on``; empty when it has no
    filing in force. Level 1 = 高级技师 ... 5 = 初级工."""
    filing = current_filing(institution, on)
    if filing is None:
        return set()
    return {
        (row.occupation.code, level)
        for row in filing.occupations.select_related("occupation")
        for level in row.level_set
    }


def certificate_prefix(institution, on: date | None = None) -> tuple[str, str, str, str] | None:
    """The first four parts of the certificate number (seed 004 附件5): (kind "Y"/"S", 4-digit route
    code, 2-digit province code, 6-digit institution sequence), or None without a filing in force."""
    filing = current_filing(institution, on)
    if filing is None or not filing.institution_sequence:
        return None
    return (filing.route, filing.route_code, filing.province_code, filing.institution_sequence)


def filed_name(institution) -> str | None:
    """The institution's name exactly as filed (printed on certificates), or None when not filed."""
    filing = current_filing(institution)
    return filing.name if filing else None


def filed_personnel(institution, role: str) -> list:
    """The people of one role on the filing in force: objects with ``name`` and ``id_number`` (and
    employer, title, education, field). role is one of "staff", "expert", "assessor", "supervisor"."""
    if role not in PERSON_ROLES:
        raise ValueError(f"unknown role {role!r}; expected one of {PERSON_ROLES}")
    filing = current_filing(institution)
    if filing is None:
        return []
    return list(filing.people.filter(role=role).order_by("id"))

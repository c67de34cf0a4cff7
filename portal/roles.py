"""Roles are Django groups, created by a data migration (0002_roles). Views check them on the server
with :func:`role_required`; templates read them through the ``portal`` context processor."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .errors import NotPermitted, permission_message

APPLICANT = "applicant"  # 申报单位用户, bound to one institution
CENTRE = "centre_staff"  # 市职业技能鉴定指导中心审核人员
BUREAU = "bureau"  # 市人社局审批人员
EXPERT = "expert"  # 评估专家

ROLE_LABELS = {
    APPLICANT: _("申报单位"),
    CENTRE: _("鉴定中心审核人员"),
    BUREAU: _("市人社局"),
    EXPERT: _("评估专家"),
}
ALL_ROLES = tuple(ROLE_LABELS)


def register(**labels) -> None:
    """An app above portal adds its own roles (groups) at import time, from its AppConfig.ready, the way
    apps name their audit events: ``register(title_department=_("业务主管部门"))``. Its migration creates
    the groups; from then on they count as roles here (``has_role``, the groups recreated after a flush)."""
    global ALL_ROLES
    ROLE_LABELS.update(labels)
    ALL_ROLES = tuple(ROLE_LABELS)


class _System:
    """The actor of scheduled transitions (the Celery beat tasks): not a user, never authenticated, so
    the audit trail records no actor for it and no role check passes for it by accident."""

    is_system = True
    is_authenticated = False
    pk = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM = _System()


def is_system(actor) -> bool:
    return actor is SYSTEM


def roles_of(user) -> frozenset[str]:
    """The role names of ``user``, read once per request and kept on the user object."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_portal_roles", None)
    if cached is None:
        key = roles_cache_key(user)
        cached = cache.get(key)
        if cached is None:
            cached = frozenset(user.groups.filter(name__in=ALL_ROLES).values_list("name", flat=True))
            cache.set(key, cached, ROLES_CACHE_SECONDS)
        user._portal_roles = cached
    return cached


# Every page asks for the user's roles (navigation, permission checks): they are kept in the cache and
# forgotten when a membership or a group changes (portal/signals.py: m2m_changed, Group saved or
# deleted), at once and again after commit. The lifetime is a safety net for changes made without
# signals (raw SQL, a restored backup).
ROLES_CACHE_SECONDS = 300


def roles_cache_key(user) -> str:
    # date_joined too: a user id reused after a database reset never finds another user's roles.
    joined = user.date_joined.timestamp() if getattr(user, "date_joined", None) else 0
    return f"portal:roles:{user.pk}:{joined:.0f}"


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def require(user, *roles: str) -> None:
    """Refuses a service call (errors.NotPermitted) unless ``user`` has one of ``roles``."""
    if not has_role(user, *roles):
        raise NotPermitted()


def is_staff_reviewer(user) -> bool:
    """Centre staff and bureau see every institution's records."""
    return has_role(user, CENTRE, BUREAU)


def can_edit_calendar(user) -> bool:
    """Who may import a notice into the working-day calendar and declare a year complete: centre
    staff (their group holds portal.change_calendaryear, migration 0003), anyone given that
    permission by an administrator, and superusers."""
    if not getattr(user, "is_authenticated", False):
        return False
    return has_role(user, CENTRE) or user.has_perm("portal.change_calendaryear")


def can_view_calendar(user) -> bool:
    """Centre and bureau see the calendar page (the bureau read-only, unless given the permission)."""
    return is_staff_reviewer(user) or can_edit_calendar(user)


def role_required(*roles: str):
    """Anonymous visitors go to the login page; a logged-in user without one of ``roles`` gets 403."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not has_role(request.user, *roles):
                raise PermissionDenied(permission_message())
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def primary_role(user) -> str | None:
    """The role whose home /dashboard/ opens, in a fixed order of precedence."""
    roles = roles_of(user)
    for role in (CENTRE, BUREAU, EXPERT, APPLICANT):
        if role in roles:
            return role
    return None

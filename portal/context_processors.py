from . import roles, workdays


def portal(request):
    """Navigation needs: the user's roles, unread notifications and, for staff, the calendar warning.
    At most two small queries whatever the page."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_roles": frozenset()}
    user_roles = roles.roles_of(user)
    context = {
        "portal_roles": user_roles,
        "portal_primary_role": roles.primary_role(user),
        "unread_notifications": user.notifications.filter(read_at__isnull=True).count(),
    }
    if user_roles & {roles.CENTRE, roles.BUREAU} or user.is_superuser:
        context["calendar_unknown_year"] = workdays.unknown_next_year_warning()
    return context

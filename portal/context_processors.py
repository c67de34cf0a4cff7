from . import audit, roles, workdays


def portal(request):
    """Navigation needs: the user's roles, unread notifications and, for staff, the calendar warning.
    Roles and the unread count come from the cache (roles.py, audit.py): no query on most pages."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"portal_roles": frozenset()}
    user_roles = roles.roles_of(user)
    context = {
        "portal_roles": user_roles,
        "portal_primary_role": roles.primary_role(user),
        "unread_notifications": audit.unread_count(user),
    }
    if user_roles & {roles.CENTRE, roles.BUREAU} or user.is_superuser:
        context["calendar_unknown_year"] = workdays.unknown_next_year_warning()
        if context["calendar_unknown_year"]:
            context["calendar_can_edit"] = roles.can_edit_calendar(user)
    return context

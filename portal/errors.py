"""The one error hierarchy of the portal's services: every refusal carries a message in Chinese for the
user (Zulip's JsonableError). Views catch ``PortalError`` and show its text; apps may subclass it."""

from django.utils.translation import gettext as _


class PortalError(Exception):
    """A refused action, with a message in Chinese for the user."""


class NotPermitted(PortalError):
    """The actor may not do this (its role, or the object's state)."""

    def __init__(self, message=None):
        super().__init__(message or permission_message())


class Stale(PortalError):
    """Somebody else changed the object since the page was loaded."""


class Refused(PortalError):
    """Several reasons at once (a plan's problems, a form's missing sections)."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("；".join(self.problems))


def permission_message() -> str:
    """The one wording of a refused permission."""
    return _("您没有执行此操作的权限。")


def require_text(value, message) -> str:
    """The trimmed text, or a refusal with ``message`` when it is empty (a reason, an opinion...)."""
    value = (value or "").strip()
    if not value:
        raise PortalError(message)
    return value

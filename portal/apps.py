from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户与账户")

    def ready(self):
        from django.db.models.signals import post_migrate

        from . import admin_audit, checks, events, signals, tasks  # noqa: F401  (system checks; calendar cache; tasks queued by name)
        from .groups import ensure_role_groups

        # The role groups come from a data migration; a database flush (transactional tests) removes
        # them, and post_migrate, which a flush also sends, puts them back.
        post_migrate.connect(ensure_role_groups, sender=self)

        # Every admin add, change and delete of a domain model goes to the audit trail too (finding 6).
        admin_audit.install()

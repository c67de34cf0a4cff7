from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("门户与账户")

    def ready(self):
        from . import signals  # noqa: F401  (calendar cache invalidation)

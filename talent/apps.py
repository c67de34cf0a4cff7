from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TalentConfig(AppConfig):
    name = "talent"
    verbose_name = _("高技能人才参评职称")

    def ready(self):
        from . import events, roles  # noqa: F401  (the named audit events; the roles, registered with portal)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("等级认定")

    def ready(self):
        from . import events  # noqa: F401  (registers the named audit events)

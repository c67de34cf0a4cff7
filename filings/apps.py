from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("机构备案")

    def ready(self):
        from . import events  # noqa: F401  (registers the named audit events)

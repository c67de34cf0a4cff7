from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppraisalsConfig(AppConfig):
    name = "appraisals"
    verbose_name = _("企业职业技能鉴定")

    def ready(self):
        from . import dashboard, events  # noqa: F401  (the named audit events)

        dashboard.register()

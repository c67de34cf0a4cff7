from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EligibilityConfig(AppConfig):
    name = "eligibility"
    verbose_name = _("申报条件")

    def ready(self):
        from . import roster_job

        roster_job.register()

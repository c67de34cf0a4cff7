from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("证书")

    def ready(self):
        from . import dashboard, events, tasks  # noqa: F401  (the named audit events; the tasks portal.jobs queues by name)

        dashboard.register()  # certificates per month on the centre's dashboard (portal.dashboards)

        from . import export_job

        export_job.register()  # a large export is written by the worker (portal.jobs)

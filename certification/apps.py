from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationConfig(AppConfig):
    name = "certification"
    verbose_name = _("等级认定")

    def ready(self):
        from . import dashboard, events, subjects  # noqa: F401  (events registers the named audit events)

        dashboard.register()  # the centre's dashboard counts plans and reviews (portal.dashboards)

        subjects.connect()  # the notifications page names the plan a notice is about

        from . import import_jobs

        import_jobs.register()  # large rosters and photo archives are imported by the worker (portal.jobs)

        from . import metrics

        metrics.register()  # the queue and overdue figures of /metrics (portal.metrics)

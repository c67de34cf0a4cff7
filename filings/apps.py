from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FilingsConfig(AppConfig):
    name = "filings"
    verbose_name = _("机构备案")

    def ready(self):
        from . import dashboard, events, page_cache, subjects  # noqa: F401  (events registers the named audit events)

        dashboard.register()  # the centre's dashboard counts the filing queues (portal.dashboards)

        page_cache.connect()  # cached directory and queue fragments follow the models they show
        subjects.connect()  # the notifications page names the filing a notice is about

        from . import metrics

        metrics.register()  # the queue and overdue figures of /metrics (portal.metrics)

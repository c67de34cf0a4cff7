from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("证书")

    def ready(self):
        from portal import audit

        from . import tasks  # noqa: F401  (registers the tasks that portal.jobs queues by name)

        audit.register(
            certificate_batch_created=_("创建证书签发批次"),
            certificate_batch_resumed=_("继续证书签发批次"),
            certificate_batch_finished=_("证书签发批次完成"),
            certificate_issued=_("签发职业技能等级证书"),
        )

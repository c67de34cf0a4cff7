"""A large certificate export written by the worker (issue 39 item 4): the same XLSX as the export page's
download (certificates.export), its progress shown on the job's page (portal.jobs), which the clerk may
leave and come back to. Only the clerk who asked sees the job and downloads the file (it carries full ID
numbers); asking is audited as the download is."""

from __future__ import annotations

from datetime import date

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, jobs

from . import constants, export
from .models import IssuanceBatch

KIND = "certificates.export"


def is_large(certificates) -> bool:
    """More certificates than the page writes while the clerk waits (EXPORT_BACKGROUND_ROWS)."""
    return certificates[: constants.EXPORT_BACKGROUND_ROWS + 1].count() > constants.EXPORT_BACKGROUND_ROWS


def start(actor, *, batch=None, date_from: date | None = None, date_to: date | None = None, description: str):
    audit.record("certificates_exported", None, actor, comment=description, internal=True)
    return jobs.start(
        KIND,
        actor,
        _("导出证书数据：%(what)s") % {"what": description},
        None,
        "",
        back_url=reverse("certificates:staff_export"),
        batch=batch.pk if batch is not None else None,
        date_from=date_from.isoformat() if date_from else None,
        date_to=date_to.isoformat() if date_to else None,
        description=description,
    )


def run(job, progress):
    options = job.options
    batch = IssuanceBatch.objects.filter(pk=options.get("batch")).first() if options.get("batch") else None
    certificates = export.select(
        batch=batch,
        date_from=date.fromisoformat(options["date_from"]) if options.get("date_from") else None,
        date_to=date.fromisoformat(options["date_to"]) if options.get("date_to") else None,
    )
    total = certificates.count()
    progress(0, total)
    content = export.write_xlsx(certificates, options.get("description", ""), progress=progress)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    return jobs.Outcome(content, f"certificates-{stamp}.xlsx", _("已导出 %(n)s 张证书。") % {"n": total})


def register() -> None:
    jobs.register_runner(KIND, run)

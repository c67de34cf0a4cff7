"""The names the notifications page shows beside links to filing pages (portal/subjects.py)."""

from django.utils.translation import gettext as _

from portal import subjects

from .models import ChangeRequest, Filing, Renewal


def _filings(pks: set) -> dict:
    return {
        f.pk: _("%(name)s（备案申请 %(ref)s）") % {"name": f.name, "ref": f.reference}
        for f in Filing.objects.filter(pk__in=pks)
    }


def _of_filing(model):
    def names(pks: set) -> dict:
        rows = model.objects.filter(pk__in=pks).select_related("filing")
        return {row.pk: row.filing.name for row in rows}

    return names


def connect() -> None:
    subjects.register("filings:detail", _filings)
    subjects.register("filings:after_filing", _filings)
    subjects.register("filings:change_detail", _of_filing(ChangeRequest))
    subjects.register("filings:renewal_detail", _of_filing(Renewal))

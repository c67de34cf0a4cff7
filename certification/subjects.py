"""The names the notifications page shows beside links to plan pages (portal/subjects.py)."""

from django.utils.translation import gettext as _

from portal import subjects

from .models import AssessmentPlan


def _plans(pks: set) -> dict:
    return {
        plan.pk: _("认定方案 %(ref)s %(title)s") % {"ref": plan.reference, "title": plan.title}
        for plan in AssessmentPlan.objects.filter(pk__in=pks)
    }


def connect() -> None:
    subjects.register("certification:plan", _plans)

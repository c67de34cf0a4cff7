"""Revoking a certificate (e.g. fraud found later) by centre staff, with a reason, audited.

A revoked certificate is not deleted or hidden: lookups and the verification page still find it and say
"revoked" with the date (STYLE.md: a verifier must tell revoked from forged). The public lookup page
shows the date and the reason (issue 21); the QR verification page and the API show the date.

A revoked certificate is no longer handed out as a PDF (issue 21): the public download refuses it, the
stored PDF of every batch that printed it is dropped here and printed again without it
(tasks.reprint_batch_pdf), and only staff can print a copy marked 已撤销 (printing.py)."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import audit, roles, transitions

from .constants import REVOCATION_REASON_MIN_LENGTH
from .models import Certificate

# The one step of the certificate's machine (Certificate.revoke), fired through the engine.
REVOKE = transitions.Step("revoke", "certificate_revoked")


class RevocationRefused(ValueError):
    """Why a revocation cannot be done, in words for the staff member."""


def can_revoke(user) -> bool:
    return roles.has_role(user, roles.CENTRE)


def revoke(certificate: Certificate, reason: str, actor, on: date | None = None) -> Certificate:
    """Marks the certificate revoked on ``on`` (default today) and records who did it and why.

    Refuses an empty or too short reason, a date before the issue date or in the future, a user who is
    not centre staff, and a certificate already revoked (the first revocation stands)."""
    if not can_revoke(actor):
        raise RevocationRefused(_("只有鉴定中心工作人员可以撤销证书。"))
    reason = (reason or "").strip()
    if len(reason) < REVOCATION_REASON_MIN_LENGTH:
        raise RevocationRefused(
            _("请填写撤销原因（至少 %(n)s 个字）。") % {"n": REVOCATION_REASON_MIN_LENGTH}
        )
    today = timezone.localdate()
    on = on or today
    if on > today:
        raise RevocationRefused(_("撤销日期不能晚于今天。"))
    if on < certificate.issue_date:
        raise RevocationRefused(_("撤销日期不能早于发证日期。"))
    with transaction.atomic():
        locked = Certificate.objects.select_for_update().get(pk=certificate.pk)
        if locked.status == Certificate.Status.REVOKED:
            raise RevocationRefused(
                _("该证书已于 %(date)s 撤销。")
                % {"date": locked.revoked_on.isoformat() if locked.revoked_on else ""}
            )

        def record_why(obj):
            obj.revoked_reason = reason
            obj.revoked_on = on

        def tell(obj, _row):
            _drop_batch_pdfs(obj)
            _notify_institution(obj)

        transitions.fire(
            locked,
            REVOKE,
            actor,
            comment=reason,
            before_save=record_why,
            after=tell,
            revoked_on=on.isoformat(),
        )
    return locked


def _drop_batch_pdfs(certificate: Certificate) -> None:
    """Clears the stored PDF of every batch that printed the certificate (issued by it, or listed as
    issued before), in the revocation's transaction, so no stored batch PDF hands it out clean; the file
    is deleted and the batch printed again without it after commit (printing.store_batch_pdf locks the
    same rows before it stores a PDF)."""
    from django.core.files.storage import default_storage

    from .models import IssuanceBatch
    from .tasks import reprint_batch_pdf_task

    # Every batch row is locked, whether it has a PDF now or not: one being printed at this moment
    # reads the certificate again once it gets the lock, and sees it revoked.
    rows = IssuanceBatch.objects.select_for_update(of=("self",)).filter(items__certificate=certificate)
    batches = sorted({(pk, name) for pk, name in rows.values_list("pk", "pdf") if name})
    if not batches:
        return
    IssuanceBatch.objects.filter(pk__in=[pk for pk, _name in batches]).update(pdf="")
    for pk, name in batches:
        transaction.on_commit(lambda name=name: default_storage.delete(name))
        transaction.on_commit(lambda pk=pk: reprint_batch_pdf_task.delay(pk))


def _notify_institution(certificate: Certificate) -> None:
    """The institution's users learn of it in the portal (they issued the certificate)."""
    from django.urls import reverse

    from portal.models import User

    text = _("证书 %(code)s（%(name)s）已被鉴定中心撤销。") % {
        "code": certificate.code,
        "name": certificate.holder_name,
    }
    url = reverse("certificates:lookup")
    institution_id = certificate.institution_id
    if institution_id is None and certificate.appraisal_candidate_id is not None:
        # A 职业资格证书 (issued by the bureau): the enterprise whose 鉴定 it came from is told.
        institution_id = certificate.appraisal_candidate.appraisal.enterprise_id
    if institution_id is None:
        return  # never "every user without an institution" (the staff)
    for user in User.objects.filter(institution_id=institution_id, is_active=True):
        audit.notify(user, text, url)

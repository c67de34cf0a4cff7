"""Writes the seals the verification page checks first (issue 42 item 1; certificates.signing, "Seals").

``Certificate.save`` seals a record whenever it writes a printed field. This module seals the records
that have none or a stale one: those issued before the column existed, those changed by a queryset
update, and every record after the signing key was rotated. An unsealed record still verifies (by
re-signing, the same answer, slower): sealing is never needed for correctness, only for speed.

    python manage.py seal_certificates [--all]
"""

from .models import Certificate
from .signing import CANONICAL_FIELDS, seal

BATCH = 2000  # records read and written per round trip


def reseal(certificates=None, *, batch_size: int = BATCH) -> tuple[int, int]:
    """Seals every certificate of ``certificates`` (a queryset; all by default) whose stored seal is
    missing or differs from the current one. Returns (records checked, seals written)."""
    rows = (certificates if certificates is not None else Certificate.objects.all()).only(
        *CANONICAL_FIELDS, "signature_seal"
    )
    checked = written = 0
    stale = []
    for certificate in rows.order_by("pk").iterator(chunk_size=batch_size):
        checked += 1
        current = seal(certificate)
        if bytes(certificate.signature_seal or b"") != current:
            certificate.signature_seal = current
            stale.append(certificate)
        if len(stale) >= batch_size:
            written += Certificate.objects.bulk_update(stale, ["signature_seal"])
            stale = []
    if stale:
        written += Certificate.objects.bulk_update(stale, ["signature_seal"])
    return checked, written

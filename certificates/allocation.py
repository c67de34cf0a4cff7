"""Taking the next certificate code for an institution, year and level (seed 004 附件5 七).

The counter row is locked with ``select_for_update`` for the rest of the caller's transaction, so two
issuances in different processes take serials one after the other; the unique constraint on
``Certificate.code`` is the backstop. Call it inside the transaction that creates the certificate: if
that transaction rolls back, the serial is given back and serials stay contiguous."""

from django.db import connection, transaction

from .codes import QUALIFICATION_PREFIX, CertificateCode, check_prefix
from .constants import SERIAL_MAX
from .models import CertificateSerialCounter


class SerialExhausted(ValueError):
    """All serials 000001-999999 of this institution, year and level are used."""


def allocate_code(prefix: tuple[str, str, str, str], year: int, level: int) -> CertificateCode:
    if not connection.in_atomic_block:
        raise RuntimeError("allocate_code must run inside the transaction that creates the certificate")
    kind, route, province, institution_seq = check_prefix(prefix)
    scope = dict(
        kind=kind, route=route, province=province, institution_seq=institution_seq, year=year, level=level
    )
    counters = CertificateSerialCounter.objects.select_for_update()
    counter = counters.filter(**scope).first()  # the usual case: one locking read
    if counter is None:
        # The first issuance of a year/level creates the row; a concurrent creator waits on the unique
        # index and then reads the row the other one committed.
        with transaction.atomic():
            created, _ = CertificateSerialCounter.objects.get_or_create(**scope)
        counter = counters.get(pk=created.pk)
    serial = counter.last_serial + 1
    if serial > SERIAL_MAX:
        raise SerialExhausted(
            f"serial: {kind}{route}{province}{institution_seq} has used all serials "
            f"000001-{SERIAL_MAX:06d} for level {level} in {year} (seed 004 附件5 七)"
        )
    counter.last_serial = serial
    counter.save(update_fields=["last_serial"])
    return CertificateCode(
        kind=kind,
        route=route,
        province=province,
        institution=institution_seq,
        year=year,
        level=level,
        serial=serial,
    )


def allocate_qualification_code(year: int, level: int) -> CertificateCode:
    """The next 职业资格证书 number (seed 002 附件1 四(六); the portal's own rule, constants.py): the same
    counter table and row lock as a 等级证书's, on the bureau's fixed prefix, per year and level."""
    return allocate_code(QUALIFICATION_PREFIX, year, level)

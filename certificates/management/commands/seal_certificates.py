"""Writes the signature seal of every certificate that lacks a current one (issue 42 item 1), so that
the verification page answers without an Ed25519 operation: after the upgrade that added the seal, and
after a rotation of CERTIFICATE_SIGNING_KEY. Safe to run at any time and again; an unsealed certificate
verifies as before, only slower.

    python manage.py seal_certificates
"""

from django.core.management.base import BaseCommand

from certificates.sealing import reseal


class Command(BaseCommand):
    help = "Writes the signature seal of every certificate that lacks a current one."

    def handle(self, *args, **options):
        checked, written = reseal()
        self.stdout.write(f"{checked} certificates checked, {written} seals written")

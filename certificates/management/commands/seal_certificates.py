"""Writes the signature seal of the certificates that lack one (issue 42 item 1), so that the
verification page answers without an Ed25519 operation: the records issued before the upgrade that
added the seal. ``--all`` checks every record's seal and writes the stale ones: after a rotation of
CERTIFICATE_SIGNING_KEY, or after fields were changed without ``Certificate.save``. Safe to run at any
time and again (the compose file's migrate service runs it on every deployment: with nothing to seal, it
is one indexed query); an unsealed certificate verifies as before, only slower.

    python manage.py seal_certificates [--all]
"""

from django.core.management.base import BaseCommand

from certificates.models import Certificate
from certificates.sealing import reseal


class Command(BaseCommand):
    help = "Writes the signature seal of the certificates that lack one (--all: also the stale ones)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--all", action="store_true", help="check every certificate's seal (after a key rotation)"
        )

    def handle(self, *args, all, **options):
        certificates = Certificate.objects.all() if all else Certificate.objects.filter(signature_seal=None)
        checked, written = reseal(certificates)
        self.stdout.write(f"{checked} certificates checked, {written} seals written")

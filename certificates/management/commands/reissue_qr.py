"""Prints the stored batch PDFs again, so that their QR codes carry the signed offline payload (issue 45
item 4): the certificates themselves do not change (code, fields, signature in the link), only the stored
PDF is replaced by one whose QR code holds the same link and, after its "#", the payload.

    python manage.py reissue_qr --batch 12 --batch 13
    python manage.py reissue_qr --all              # every batch that keeps a PDF
    python manage.py reissue_qr --all --dry-run    # say which, print nothing

Printed certificates in the holders' hands keep their link-only QR codes, which verify online as before
(certificates/README.md, "Offline verification")."""

from django.core.management.base import BaseCommand, CommandError

from certificates import printing
from certificates.models import IssuanceBatch


class Command(BaseCommand):
    help = "Re-prints stored batch PDFs so that their QR codes carry the signed offline payload."

    def add_arguments(self, parser):
        parser.add_argument("--batch", type=int, action="append", default=[], help="a batch id (repeatable)")
        parser.add_argument("--all", action="store_true", help="every batch that keeps a PDF")
        parser.add_argument("--dry-run", action="store_true", help="list the batches, change nothing")

    def handle(self, *args, batch, all, dry_run, **options):
        if not batch and not all:
            raise CommandError("give --batch ID (repeatable) or --all")
        batches = IssuanceBatch.objects.exclude(pdf="").order_by("pk")
        if batch:
            batches = batches.filter(pk__in=batch)
            missing = sorted(set(batch) - set(batches.values_list("pk", flat=True)))
            if missing:
                raise CommandError(f"no stored PDF for batch {', '.join(map(str, missing))}")
        done = 0
        for row in batches.iterator():
            if dry_run:
                self.stdout.write(f"batch {row.pk}: {row.pdf.name}")
                continue
            printing.store_batch_pdf(row)
            done += 1
            self.stdout.write(f"batch {row.pk}: {row.pdf.name or '(no valid certificate left)'}")
        self.stdout.write(f"{done} batch PDF(s) printed again" if not dry_run else "dry run: nothing changed")

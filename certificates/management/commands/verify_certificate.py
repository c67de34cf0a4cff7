"""Offline check of a certificate's QR link (or a bare code, or a signed PDF file):

    python manage.py verify_certificate 'https://portal.example.org/certificates/verify/S0000...1/?s=...'
    python manage.py verify_certificate S000012011001263000001
    python manage.py verify_certificate certificate.pdf
    python manage.py verify_certificate --new-key        # a fresh CERTIFICATE_SIGNING_KEY

The same answer as the verification page, computed here against the database with the *public* keys
only (as any third party holding the published key would), and without going through the web server,
its rate limit or its log. A PDF is also checked against the record: a certificate printed in it and
revoked since gives exit 1. Exit status: 0 valid, 1 revoked, 2 does not match the record / unknown code /
no signature, 3 unreadable input."""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from django.core.management.base import BaseCommand

from certificates import lookup, pdf_signing, signing
from certificates.lookup import Outcome
from certificates.models import Certificate

EXIT = {Outcome.VALID: 0, Outcome.REVOKED: 1}
EXIT_MISMATCH = 2
EXIT_UNREADABLE = 3


def parse_target(text: str) -> tuple[str, str]:
    """(code, signature) from a verification URL, a path, or a bare code."""
    text = text.strip()
    if "/" not in text and "?" not in text:
        return lookup.normalize_code(text), ""
    parts = urlsplit(text)
    segments = [s for s in parts.path.split("/") if s]
    code = (
        segments[segments.index("verify") + 1]
        if "verify" in segments[:-1]
        else (segments[-1] if segments else "")
    )
    signature = parse_qs(parts.query).get("s", [""])[0]
    return lookup.normalize_code(code), signature


class Command(BaseCommand):
    help = "Checks a certificate verification URL, code or signed PDF offline (exit 0 valid, 1 revoked, 2 mismatch)."

    def add_arguments(self, parser):
        parser.add_argument("target", nargs="?", help="verification URL, certificate code, or a PDF file")
        parser.add_argument(
            "--new-key", action="store_true", help="print a new CERTIFICATE_SIGNING_KEY and exit"
        )

    def handle(self, *args, target=None, new_key=False, **options):
        if new_key:
            key = signing.new_private_key_text()
            self.stdout.write(f"CERTIFICATE_SIGNING_KEY={key}")
            return
        if not target:
            self.stderr.write("give a verification URL, a certificate code or a PDF file")
            raise SystemExit(EXIT_UNREADABLE)
        if target.lower().endswith(".pdf") and Path(target).is_file():
            raise SystemExit(self.check_pdf(Path(target)))
        raise SystemExit(self.check_link(target))

    def check_link(self, target: str) -> int:
        code, signature = parse_target(target)
        result = lookup.verify(code, signature, public_keys_only=True)
        self.stdout.write(f"code: {code}")
        if result.outcome == Outcome.NOT_FOUND:
            self.stdout.write(
                self.style.ERROR("MISMATCH: no certificate with this code (证书信息与登记记录不符)")
            )
            return EXIT_MISMATCH
        if result.outcome == Outcome.UNSIGNED:
            self.stdout.write(
                self.style.WARNING("UNSIGNED: the certificate exists, but no signature was given to check")
            )
            return EXIT_MISMATCH
        if result.outcome == Outcome.MISMATCH:
            self.stdout.write(
                self.style.ERROR("MISMATCH: the signature does not match the record (证书信息与登记记录不符)")
            )
            return EXIT_MISMATCH
        c = result.certificate
        self.stdout.write(
            f"holder: {c.holder_name}  id: {c.id_number_masked}  occupation: {c.occupation_code} "
            f"{c.occupation_name}  work type: {c.work_type}  level: {c.level}  institution: "
            f"{c.institution_name}  issued: {c.issue_date.isoformat()}"
        )
        if result.outcome == Outcome.REVOKED:
            self.stdout.write(
                self.style.WARNING(f"REVOKED on {c.revoked_on.isoformat() if c.revoked_on else '?'} (已撤销)")
            )
            return EXIT[Outcome.REVOKED]
        self.stdout.write(self.style.SUCCESS(f"VALID: signature matches the record (key {signing.key_id()})"))
        return EXIT[Outcome.VALID]

    def check_pdf(self, path: Path) -> int:
        data = path.read_bytes()
        report = pdf_signing.check_pdf(data)
        # Issue 21: a PDF signed while its certificate was valid stays intact after a revocation; the
        # record says whether it still stands.
        revoked = self.revoked_in(data)
        if not report.signed:
            self.stdout.write(self.style.ERROR("PDF: no digital signature"))
            return EXIT_MISMATCH
        self.stdout.write(f"PDF signer: {report.signer}")
        if not report.ok:
            self.stdout.write(self.style.ERROR("PDF: MODIFIED after signing, or the signature is broken"))
            return EXIT_MISMATCH
        trust = "this installation's signing certificate" if report.trusted else "an unknown signer"
        self.stdout.write(self.style.SUCCESS(f"PDF: signature intact, no changes since signing ({trust})"))
        if not report.trusted:
            return EXIT_MISMATCH
        return EXIT[Outcome.REVOKED] if revoked else 0

    def revoked_in(self, data: bytes) -> bool:
        """Says which certificates printed in the PDF are revoked now; True when one is."""
        revoked = False
        for code in lookup.codes_in_pdf(data):
            row = lookup.certificate_row(code)
            if row is not None and row.status == Certificate.Status.REVOKED:
                revoked = True
                on = row.revoked_on.isoformat() if row.revoked_on else "?"
                self.stdout.write(self.style.WARNING(f"{code}: REVOKED on {on} (已撤销)"))
        return revoked

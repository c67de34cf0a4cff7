"""Admission tickets (准考证, issue 44 item 2): one PDF page per seated candidate, through the portal's one PDF
helper (portal.pdf.render_pdf, WeasyPrint).

A ticket shows the candidate's photo (when the roster has one), name, masked document number
(identifiers.mask_document, the rule of its type), occupation (work type) and level, the session's kind, date
and time, place, room and seat number, and a QR code that the sign-in page reads.

The QR code's text: ``ZKZ-<seat id>-<16 characters>``, e.g. ``ZKZ-1234-K7Q2M4XW9PA3TZ5B``. The 16 characters
are the first 80 bits, in RFC 4648 base32 (A-Z, 2-7), of an HMAC-SHA256 of the seat id under the project's
SECRET_KEY with the salt :data:`SALT` (django.utils.crypto.salted_hmac). All of it lies in the QR
alphanumeric set, so the code stays small (version 2, 25 x 25 modules) and reads at a glance. :func:`seat_for`
turns the text back into the seat, or None when it was altered, forged or signed with a key no longer
configured (SECRET_KEY_FALLBACKS still verify during a key rotation). The token names the seat, not the
candidate: a candidate moved to another room gets a new seat (certification.sessions.move), and the ticket
printed before the move no longer resolves, so it must be printed again.

The institution prints the plan's tickets as one document (:func:`plan_pdf`, ordered by session then seat:
rendered TICKET_PART_PAGES tickets at a time, each part streamed into the join (one structure tree) and dropped,
no HTML kept, so the memory held does not grow with the batch's layout; its CPU per ticket stays near 20 ms at
100 as at 2,000 tickets: certification/README.md "准考证 speed"). A candidate downloads their own from the public
site with document type, number and name (:func:`find_seats`; certification/ticket_views.py).
"""

from __future__ import annotations

import base64
import hmac
import re

from django.conf import settings
from django.utils import timezone, translation
from django.utils.crypto import salted_hmac

from portal import identifiers
from portal.gcpause import paused_cyclic_gc
from portal.pdf import pdf_only, render_joined

from .models import Candidate, Seat

TEMPLATE = "certification/pdf/tickets.html"
SALT = "certification.ticket"
PREFIX = "ZKZ"
SIGNATURE_CHARS = 16  # base32 characters, 5 bits each: 80 bits of the HMAC
TOKEN_PATTERN = re.compile(rf"{PREFIX}-([1-9][0-9]{{0,11}})-([A-Z2-7]{{{SIGNATURE_CHARS}}})")
# The QR code's data mask is fixed, as for certificates (certificates/printing.qr_code): every mask decodes
# to the same text, and choosing the best by the penalty rules costs most of the code's time.
QR_MASK = 2
QR_ERROR_LEVEL = "m"


def _signature(seat_pk: int, key=None) -> str:
    digest = salted_hmac(SALT, str(seat_pk), secret=key, algorithm="sha256").digest()
    return base64.b32encode(digest).decode("ascii")[:SIGNATURE_CHARS]


def token(seat: Seat | int) -> str:
    """The QR code's text of a seat (or a seat id): ``ZKZ-<seat id>-<signature>``."""
    pk = seat if isinstance(seat, int) else seat.pk
    return f"{PREFIX}-{pk}-{_signature(pk)}"


def seat_pk_for(text: str) -> int | None:
    """The seat id a scanned text names when its signature holds (under SECRET_KEY or one of the
    SECRET_KEY_FALLBACKS), else None. Case and surrounding whitespace are forgiven (a typed code)."""
    match = TOKEN_PATTERN.fullmatch((text or "").strip().upper())
    if not match:
        return None
    pk, signature = int(match[1]), match[2]
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", ())]
    if any(hmac.compare_digest(_signature(pk, key), signature) for key in keys):
        return pk
    return None


def seat_for(text: str) -> Seat | None:
    """The seat a ticket's QR text names (what the sign-in page reads), or None: altered, forged, or the
    seat no longer exists (the candidate was moved)."""
    pk = seat_pk_for(text)
    if pk is None:
        return None
    return Seat.objects.select_related("session__plan", "candidate").filter(pk=pk).first()


def qr_data_uri(text: str) -> str:
    """The QR code as an SVG data URI (sized by the template's CSS)."""
    import segno

    code = segno.make(text, error=QR_ERROR_LEVEL, mask=QR_MASK)
    return code.svg_data_uri(border=0, omitsize=True)


# -- what is printed ----------------------------------------------------------------------------------


def _seats():
    return Seat.objects.select_related("session__plan__occupation", "session__plan__institution", "candidate")


def plan_seats(plan) -> list[Seat]:
    """Every seat of the plan, in print order: by session (time, room), then seat number."""
    return list(
        _seats()
        .filter(session__plan=plan)
        .order_by("session__starts_at", "session__room", "session_id", "number")
    )


def page_context(seat: Seat) -> dict:
    candidate, session = seat.candidate, seat.session
    plan = session.plan
    return {
        "seat": seat,
        "candidate": candidate,
        "session": session,
        "plan": plan,
        "institution": plan.institution.name,
        "occupation": plan.occupation.name + (f"（{plan.work_type}）" if plan.work_type else ""),
        "level": candidate.get_level_display(),
        "kind": session.get_kind_display(),
        "masked_number": candidate.masked_number,
        "document_label": candidate.get_document_kind_display() if candidate.shows_document_kind else "",
        "photo_url": candidate.photo.url if candidate.photo else "",
        "starts_at": timezone.localtime(session.starts_at),
        "ends_at": timezone.localtime(session.ends_at),
        "qr": qr_data_uri(token(seat)),
    }


# Tickets rendered in one WeasyPrint call at most (issue 44, issue 42 item 4): a tuning choice measured with
# `bench/ticket_pages.py 2000 time` under `/usr/bin/time -v` (peak resident memory against CPU per ticket:
# certification/README.md "准考证 speed"), not a number from the notices.
TICKET_PART_PAGES = 100


def render(seats) -> tuple[bytes, str]:
    """One ticket page per seat, in the given order, as one PDF; returns (pdf bytes, html), the html empty
    within portal.pdf.pdf_only(). Printed in Chinese whatever language the requesting user reads the portal
    in."""
    with translation.override("zh-hans"), paused_cyclic_gc():
        return render_pages([page_context(seat) for seat in seats])


def render_pages(pages: list[dict]) -> tuple[bytes, str]:
    """The tickets of these page contexts (:func:`page_context`), in order, as one tagged PDF; returns (pdf
    bytes, the parts' HTML one after the other), the HTML empty within portal.pdf.pdf_only() (none kept).

    WeasyPrint keeps every page's layout until it writes the file (1.9 GB for 2,000 tickets in one call), so
    the batch is rendered TICKET_PART_PAGES tickets at a time and the parts joined into one document with one
    structure tree (portal.pdf.render_joined, which streams them into portal.pdf_join.join_tagged: one part held
    at a time, issue 42 item 4).

    The collector stays paused around the whole batch; the layout a part leaves in reference cycles is freed
    by one explicit collection after the part, not by the thousands of automatic ones the pause saves."""
    parts = (
        {"pages": pages[start : start + TICKET_PART_PAGES]}
        for start in range(0, max(len(pages), 1), TICKET_PART_PAGES)
    )
    with translation.override("zh-hans"), paused_cyclic_gc():
        return render_joined(TEMPLATE, parts, collect=True)


def plan_pdf(plan) -> tuple[bytes, str] | None:
    """The plan's batch of tickets (every seated candidate, by session then seat), or None with no seat.
    Rendered within portal.pdf.pdf_only(): the batch is sent as a PDF alone, so its HTML (one string of every
    ticket) is not kept and the returned HTML is empty."""
    seats = plan_seats(plan)
    if not seats:
        return None
    with pdf_only():
        return render(seats)


# -- the candidate's own, from the public site -------------------------------------------------------


def find_seats(kind, number: str, name: str) -> list[Seat] | None:
    """The seats of sessions not yet ended of the candidate with this document and name: None when no
    candidate has both (a wrong name and an unknown number answer alike), [] when they have no seat to come.
    ``number`` is normalised as its type's (identifiers.normalize_document), ``name`` as a stored name."""
    kind = identifiers.document_kind(kind)
    number = identifiers.normalize_document(kind, number)
    name = identifiers.normalize_name(name)
    candidates = [
        c.pk
        for c in Candidate.objects.filter(document_kind=kind, id_number=number).only("pk", "name")
        if identifiers.normalize_name(c.name) == name
    ]
    if not candidates:
        return None
    return list(
        _seats()
        .filter(candidate_id__in=candidates, session__ends_at__gt=timezone.now())
        .order_by("session__starts_at", "session__room", "session_id", "number")
    )

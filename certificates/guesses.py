"""The failure budget of the full-ID gates (issue 30, finding 4): wrong ID numbers counted per
certificate and per person across all client addresses, in Django's cache (Redis in production, shared
by every process), so that rotating addresses does not buy more guesses. Numbers: constants.py
(GUESSES_PER_CERTIFICATE, GUESSES_PER_PERSON, GUESS_WINDOW_SECONDS).

A person is known to the attacker by the name and the ID number as the public answer shows it (the
first 6 and last 4 characters): the person key is a keyed hash of exactly that, so the budget holds for
every certificate of the holder and for the lookup by ID number, whose guesses find no certificate."""

import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache

from portal.identifiers import DocumentKind, document_kind, mask_document, normalize_id_number

from . import constants


def _digest(*parts: str) -> str:
    key = hashlib.sha256(f"certificate-guesses:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).hexdigest()[:24]


def person_key(name_key: str, id_number: str, kind=DocumentKind.RESIDENT_ID) -> str:
    """The cache key of a person as an attacker knows them: the name (as compared, lookup.name_key) and
    the shown part of the document number (of a resident ID the first 6 and last 4 characters; of any
    other type its type and the number as identifiers.mask_document shows it); never the number itself."""
    kind = document_kind(kind)
    if kind == DocumentKind.RESIDENT_ID:
        number = normalize_id_number(id_number)
        return f"idguess:p:{_digest(name_key, number[:6], number[-4:])}"
    return f"idguess:p:{_digest(name_key, kind.value, mask_document(kind, id_number))}"


def certificate_key(code: str) -> str:
    return f"idguess:c:{code}"


def _limits(keys: dict[str, int]) -> bool:
    counts = cache.get_many(list(keys))
    return any((counts.get(key) or 0) >= limit for key, limit in keys.items())


def spent(*, code: str = "", person: str = "") -> bool:
    """Whether the budget of the certificate or the person is used up (no guess may be tried now)."""
    keys = {}
    if code:
        keys[certificate_key(code)] = constants.GUESSES_PER_CERTIFICATE
    if person:
        keys[person] = constants.GUESSES_PER_PERSON
    return _limits(keys)


def count_wrong(*, code: str = "", person: str = "") -> None:
    """One wrong ID number for the certificate and/or the person. The window starts at the first one."""
    for key in filter(None, (certificate_key(code) if code else "", person)):
        cache.add(key, 0, timeout=constants.GUESS_WINDOW_SECONDS)
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=constants.GUESS_WINDOW_SECONDS)

"""Issue 45 item 1: the QR's self-contained payload — the printed fields and an Ed25519 signature over
exactly those bytes, checked against the published keys with no network (certificates/offline.py)."""

import base64
import datetime
import json
import types

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from certificates import offline, signing
from tests.certificates.factories import CertificateFactory

# The test vector of certificates/README.md ("Offline verification"): the key whose 32-byte seed is
# 00 01 02 ... 1f, and these fields.
VECTOR_KEY = Ed25519PrivateKey.from_private_bytes(bytes(range(32)))
VECTOR_CERTIFICATE = types.SimpleNamespace(
    code="Y000012011001263000001",
    holder_name="张三",
    document_kind="resident_id",
    id_number="11010519491231002X",
    occupation_code="6-18-01-01",
    level=3,
    issue_date=datetime.date(2026, 3, 1),
)
VECTOR = (
    "JNDJ1:WzEsIjU2NDc1YWE3IiwiWTAwMDAxMjAxMTAwMTI2MzAwMDAwMSIsIuW8oOS4iSIsIjExMDEwNSoqKioqKioqMDAyWCIsIjYt"
    "MTgtMDEtMDEiLDMsIjIwMjYwMzAxIiwiMDExMDAxIiwicmVzaWRlbnRfaWQiXQ.bv-NlcZsbputJqNLwRhQrCPemkBPyu4r3Vwj9nWm"
    "Z_ZucdCaTwr1vVx2vTrW2TYI3IvjRsBcYFgOmSBWT23RBA"
)
VECTOR_KEYS = {"56475aa7": VECTOR_KEY.public_key()}


def test_the_test_vector():
    assert offline.encode(VECTOR_CERTIFICATE, VECTOR_KEY) == VECTOR
    fields = offline.decode(VECTOR, VECTOR_KEYS)
    assert fields == offline.OfflineFields(
        code="Y000012011001263000001",
        name="张三",
        masked_id="110105********002X",
        occupation_code="6-18-01-01",
        level=3,
        issued="20260301",
        issuer="011001",
        document_kind="resident_id",
        key_id="56475aa7",
    )
    assert len(VECTOR) == 251  # bytes in the QR besides the link (all ASCII)


@pytest.mark.django_db
def test_round_trip_with_the_portals_key():
    certificate = CertificateFactory()
    fields = offline.decode(offline.encode(certificate))
    assert fields.code == certificate.code and fields.name == certificate.holder_name
    assert certificate.id_number not in offline.encode(certificate)  # only the masked number is printed
    assert fields.key_id == signing.key_id()[: offline.KEY_ID_HEX]


def _body(payload: str) -> list:
    text = payload[len(offline.PREFIX) :].split(".")[0]
    return json.loads(base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)))


def _with_body(payload: str, values: list) -> str:
    signature = payload.split(".")[1]
    body = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    return offline.PREFIX + base64.urlsafe_b64encode(body).rstrip(b"=").decode() + "." + signature


def test_a_changed_field_is_refused():
    values = _body(VECTOR)
    values[3] = "李四"
    with pytest.raises(offline.PayloadError) as error:
        offline.decode(_with_body(VECTOR, values), VECTOR_KEYS)
    assert error.value.reason == "bad_signature"


@pytest.mark.parametrize("position", [10, 100, 200, 250])
def test_any_changed_character_is_refused(position):
    changed = VECTOR[:position] + ("A" if VECTOR[position] != "A" else "B") + VECTOR[position + 1 :]
    with pytest.raises(offline.PayloadError) as error:
        offline.decode(changed, VECTOR_KEYS)
    assert error.value.reason in ("bad_signature", "unreadable")


def test_an_unknown_key_is_refused_and_a_retired_one_accepted():
    other = Ed25519PrivateKey.from_private_bytes(bytes(range(1, 33)))
    with pytest.raises(offline.PayloadError) as error:
        offline.decode(VECTOR, {offline.short_key_id(other.public_key()): other.public_key()})
    assert error.value.reason == "unknown_key"
    signed_by_other = offline.encode(VECTOR_CERTIFICATE, other)
    keys = {**VECTOR_KEYS, offline.short_key_id(other.public_key()): other.public_key()}
    assert offline.decode(signed_by_other, keys).key_id == offline.short_key_id(other.public_key())


@pytest.mark.parametrize(
    "text", ["", "JNDJ1:", "JNDJ2:abc.def", "JNDJ1:@@@.@@@", "https://example.org/x", "JNDJ1:e30.AA"]
)
def test_what_is_no_payload_is_unreadable(text):
    with pytest.raises(offline.PayloadError) as error:
        offline.decode(text, VECTOR_KEYS)
    assert error.value.reason == "unreadable"

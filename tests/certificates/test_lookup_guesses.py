"""Issue 30, finding 4: the full-ID gates of the public lookup (the e-certificate download, the lookup
by ID number) were an oracle for the birth date, the only part of the ID number the public answer
hides (first 6 and last 4 shown). Wrong ID numbers are now counted per certificate and per person
(name + shown part) across all addresses: after GUESSES_PER_CERTIFICATE / GUESSES_PER_PERSON in
GUESS_WINDOW_SECONDS nothing is compared, right or wrong, until the window ends."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from certificates import constants, lookup
from certificates.models import LookupEvent
from tests.certificates.factories import CertificateFactory, id_number
from tests.certificates.factories_lookup import fresh_rate_limits  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

PROXY = "10.0.0.2"  # as tests/portal/test_client_address.py: one trusted proxy in front
FROZEN = "2027-03-10 10:00 +0800"
PAUSED = "暂停核对身份证号码"


@pytest.fixture
def behind_proxy(settings):
    settings.RATELIMIT_TRUST_FORWARDED = True
    settings.RATELIMIT_TRUSTED_PROXIES = 1
    return settings


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def same_shown_part(real: str, count: int) -> list[str]:
    """Other valid ID numbers with the same first 6 and last 4 characters (other birth dates): what an
    attacker who saw the masked number tries."""
    seq = int(real[14:17])
    found = []
    day = datetime.date(1960, 1, 1)
    while len(found) < count:
        candidate = id_number(seq, birth=day)
        if candidate != real and candidate[-4:] == real[-4:]:
            found.append(candidate)
        day += datetime.timedelta(days=1)
    return found


def download(client, cert, number, address):
    return client.post(
        reverse("certificates:lookup_download"),
        {"code": cert.code, "name": cert.holder_name, "id_number": number},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=address,
    )


@pytest.mark.usefixtures("frozen")
def test_the_certificate_budget_holds_across_30_addresses(client, behind_proxy, redis_cache):
    cert = CertificateFactory(holder_name="张伟", id_number=id_number(41, birth="19880808"))
    guesses = same_shown_part(cert.id_number, 30)
    answers = [download(client, cert, guess, f"203.0.113.{i + 1}") for i, guess in enumerate(guesses)]
    budget = constants.GUESSES_PER_CERTIFICATE
    for response in answers[:budget]:
        assert response.status_code == 200 and "身份证号码与证书登记信息不符" in response.content.decode()
    for response in answers[budget:]:
        assert response.status_code == 429 and PAUSED in response.content.decode()
        assert response["Content-Type"].startswith("text/html")
    # The right number from yet another address: refused too (else the pause would still be an oracle).
    right = download(client, cert, cert.id_number, "198.51.100.77")
    assert right.status_code == 429 and right["Content-Type"].startswith("text/html")
    assert PAUSED in right.content.decode() and cert.code in right.content.decode()
    outcomes = list(LookupEvent.objects.filter(kind="download").values_list("outcome", flat=True))
    assert outcomes.count("not_found") == budget and outcomes.count("limited") == 31 - budget
    # Shared by every process: the counts live in Redis, never the ID number.
    keys = [k.decode() for k in redis_cache.keys(f"{redis_cache.key_prefix}:*idguess*")]
    assert len(keys) == 2 and not any(cert.id_number[6:14] in k for k in keys)


@pytest.mark.usefixtures("frozen")
def test_the_budget_comes_back_after_the_window(client, behind_proxy):
    cert = CertificateFactory(holder_name="李娜", id_number=id_number(42, birth="19900505"))
    for i, guess in enumerate(same_shown_part(cert.id_number, constants.GUESSES_PER_CERTIFICATE)):
        download(client, cert, guess, f"203.0.113.{i + 1}")
    assert download(client, cert, cert.id_number, "198.51.100.1").status_code == 429
    with time_machine.travel(datetime.timedelta(seconds=constants.GUESS_WINDOW_SECONDS + 60)):
        right = download(client, cert, cert.id_number, "198.51.100.1")
    assert right.status_code == 200 and right["Content-Type"] == "application/pdf"


@pytest.mark.usefixtures("frozen")
def test_the_person_budget_covers_every_certificate_and_the_lookup_by_id(client, behind_proxy):
    number = id_number(43, birth="19850412")
    first = CertificateFactory(holder_name="刘洋", id_number=number, level=4)
    second = CertificateFactory(holder_name="刘洋", id_number=number, level=3)
    guesses = same_shown_part(number, constants.GUESSES_PER_PERSON + 1)
    half = constants.GUESSES_PER_PERSON // 2
    for i, guess in enumerate(guesses[:half]):
        download(client, first, guess, f"203.0.113.{i + 1}")
    # The lookup by ID number and name confirms a full number too: its misses count for the person.
    for i, guess in enumerate(guesses[half : constants.GUESSES_PER_PERSON]):
        response = client.post(
            "/certificates/lookup/",
            {"by": "id", "id_number": guess, "name": "刘洋"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i + 1}",
        )
        assert response.status_code == 200 and "未查到" in response.content.decode()
    # The second certificate had no wrong try of its own, the person had their ten.
    assert download(client, second, number, "198.51.100.9").status_code == 429
    by_id = client.post(
        "/certificates/lookup/",
        {"by": "id", "id_number": number, "name": "刘洋"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.10",
    )
    assert by_id.status_code == 429 and PAUSED in by_id.content.decode()
    assert first.code not in by_id.content.decode()
    # Another person keeps their budget; so does a lookup by code (no ID number compared).
    other = CertificateFactory(holder_name="王芳", id_number=id_number(44, birth="19850412"))
    assert download(client, other, other.id_number, "198.51.100.11")["Content-Type"] == "application/pdf"
    assert lookup.find_by_code(first.code, "刘洋") == first


def test_find_for_download_raises_once_the_budget_is_spent(settings):
    from django.core.cache import cache

    cache.clear()
    cert = CertificateFactory(holder_name="赵敏", id_number=id_number(45))
    wrong = same_shown_part(cert.id_number, constants.GUESSES_PER_CERTIFICATE)
    assert all(lookup.find_for_download(cert.code, "赵敏", guess) is None for guess in wrong)
    with pytest.raises(lookup.GuessesSpent) as spent:
        lookup.find_for_download(cert.code, "赵敏", cert.id_number)
    assert spent.value.certificate == cert
    assert lookup.find_for_download(cert.code, "赵六", cert.id_number) is None  # wrong name: as before
    cache.clear()


def bad_check_digit(number: str) -> str:
    return number[:17] + ("0" if number[17] != "0" else "1")


def test_a_bad_check_digit_is_said_so_and_no_wrong_guess(client, behind_proxy):
    """Issue 29 item 11a: an ID number whose check digit does not match is answered as malformed (not
    未查到), and however often it is sent it spends neither the person's nor any certificate's budget."""
    number = id_number(45, birth="19870203")
    cert = CertificateFactory(holder_name="陈静", id_number=number)
    typo = bad_check_digit(number)
    for i in range(constants.GUESSES_PER_PERSON + 2):
        response = client.post(
            "/certificates/lookup/",
            {"by": "id", "id_number": typo, "name": "陈静"},
            REMOTE_ADDR=PROXY,
            HTTP_X_FORWARDED_FOR=f"192.0.2.{i + 1}",
        )
        body = response.content.decode()
        assert response.status_code == 200
        assert "身份证号码格式不正确（校验位不符），请核对后重新输入。" in body
        assert "未查到" not in body and cert.code not in body
    found = client.post(
        "/certificates/lookup/",
        {"by": "id", "id_number": number, "name": "陈静"},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR="198.51.100.20",
    )
    assert found.status_code == 200 and cert.code in found.content.decode()
    assert download(client, cert, number, "198.51.100.21")["Content-Type"] == "application/pdf"


def test_a_bad_check_digit_on_download_is_said_so_and_no_wrong_guess(client, behind_proxy):
    """The download form answers a malformed ID number the same way, beside the certificate."""
    number = id_number(46, birth="19870204")
    cert = CertificateFactory(holder_name="陈静", id_number=number)
    for i in range(constants.GUESSES_PER_CERTIFICATE + 2):
        response = download(client, cert, bad_check_digit(number), f"192.0.2.{i + 1}")
        body = response.content.decode()
        assert response.status_code == 200
        assert "身份证号码格式不正确（校验位不符），请核对后重新输入。" in body and cert.code in body
    assert download(client, cert, number, "198.51.100.22")["Content-Type"] == "application/pdf"

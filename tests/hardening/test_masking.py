"""Resident ID numbers never appear in full on a public page (issue 9 "Security settings": ID numbers
masked on every page that is not the owner's or staff's).

Every public page (no login) is fetched with data of every kind that carries an ID number in the
database: a certificate holder, the staff, experts and assessors of a filed institution (directory) and of
one in publicity, and each response is searched for every full ID number and for its first 14 characters
(region + birth date: the part masking hides). The only allowed echo is the value a visitor typed into a
form field themselves (the lookup by ID number, the self-check), which is removed before searching.
"""

import io
import re
import zipfile
from datetime import date, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse

from certificates.urls_for import verification_url
from filings.constants import State
from filings.models import Filing, FilingPerson
from tests.certificates.factories import CertificateFactory
from tests.certificates.factories import id_number as certificate_id
from tests.filings.factories import in_state
from tests.filings.factories_after import FiledFilingFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cache.clear()  # rate limits start empty
    certificate = CertificateFactory(holder_name="王芳", id_number=certificate_id(31))
    filed = FiledFilingFactory(name="天津市公开目录测试职业培训学校")
    publicity = in_state(State.IN_PUBLICITY, name="天津市公示测试职业培训学校")
    Filing.objects.filter(pk=publicity.pk).update(
        publicity_start=date.today() - timedelta(days=1), publicity_end=date.today() + timedelta(days=6)
    )
    ids = {certificate.id_number}
    ids |= set(FilingPerson.objects.filter(filing__in=[filed, publicity]).values_list("id_number", flat=True))
    assert len(ids) >= 5
    yield {"certificate": certificate, "filed": filed, "publicity": publicity, "ids": ids}
    cache.clear()


def visible_text(response) -> str:
    """The body as text; for an XLSX, the text of its XML parts."""
    content = response.content
    if content.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            return "".join(archive.read(name).decode("utf-8", "replace") for name in archive.namelist())
    return content.decode("utf-8", "replace")


def assert_no_full_id(text: str, ids, where: str, typed: str = "") -> None:
    if typed:
        # What the visitor typed, echoed back in its own input field, is theirs.
        text = re.sub(rf'value="{re.escape(typed)}"', 'value=""', text)
    for number in ids:
        assert number not in text, f"full ID number {number} on {where}"
        assert number[:14] not in text, f"ID number {number} with its birth date on {where}"


def public_pages(world):
    cert = world["certificate"]
    filed = world["filed"]
    publicity = world["publicity"]
    url = verification_url(cert)
    return [
        ("GET", reverse("home"), None),
        ("GET", reverse("filings:directory"), None),
        ("GET", reverse("filings:directory") + "?q=天津", None),
        ("GET", reverse("filings:directory_detail", args=[filed.pk]), None),
        ("GET", reverse("filings:directory_xlsx"), None),
        ("GET", reverse("filings:publicity"), None),
        ("GET", reverse("filings:objection", args=[publicity.pk]), None),
        ("GET", reverse("filings:complaint_new"), None),
        ("GET", reverse("certificates:lookup"), None),
        ("POST", reverse("certificates:lookup"), {"by": "code", "code": cert.code, "name": "王芳"}),
        ("GET", url[url.index("/certificates/") :], None),
        ("GET", reverse("certificates:api_verify") + f"?code={cert.code}&name=王芳", None),
        ("GET", reverse("certificates:api_by_document") + f"?id_number={cert.id_number}&name=王芳", None),
        ("GET", reverse("certificates:about"), None),
        ("GET", reverse("eligibility:check"), None),
    ]


def test_no_public_page_shows_a_full_id_number(client, world):
    shown = set()
    for method, path, data in public_pages(world):
        response = client.post(path, data) if method == "POST" else client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        text = visible_text(response)
        shown |= {name for name in ("王芳", world["filed"].name, world["publicity"].name) if name in text}
        assert_no_full_id(text, world["ids"], f"{method} {path}")
    assert len(shown) == 3  # the pages did show the records that carry the ID numbers


def test_lookup_by_id_number_shows_it_masked(client, world):
    cert = world["certificate"]
    response = client.post(
        reverse("certificates:lookup"), {"by": "id", "id_number": cert.id_number, "name": "王芳"}
    )
    assert response.status_code == 200
    text = visible_text(response)
    assert cert.id_number[:6] + "********" + cert.id_number[-4:] in text
    assert_no_full_id(text, world["ids"], "the lookup by ID number", typed=cert.id_number)


def test_lookup_download_with_a_wrong_id_number_does_not_reveal_the_right_one(client, world):
    cert = world["certificate"]
    wrong = certificate_id(32)
    response = client.post(
        reverse("certificates:lookup_download"), {"code": cert.code, "name": "王芳", "id_number": wrong}
    )
    assert response.status_code in (200, 404)
    assert_no_full_id(visible_text(response), world["ids"], "the refused download", typed=wrong)


def test_self_check_echoes_only_what_was_typed(client, world):
    from portal.models import Occupation

    occupation = Occupation.objects.get_or_create(code="4-03-02-01", defaults={"name": "中式烹调师"})[0]
    typed = world["certificate"].id_number
    data = {
        "occupation": str(occupation.pk),
        "level": "3",
        "birth_date": "",
        "id_number": typed,
        "years_in_occupation": "6",
    }
    for prefix in ("cert", "title", "diploma"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = client.post(reverse("eligibility:check"), data)
    assert response.status_code == 200
    assert response.context["answer"] is not None  # the answer was computed from the ID number
    assert_no_full_id(visible_text(response), world["ids"], "the self-check answer", typed=typed)

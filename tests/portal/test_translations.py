"""The English catalogue is complete and compiled, and the UI switches language."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(ROOT.glob("*/locale/en/LC_MESSAGES/django.po"))


def test_portal_catalogue_exists():
    assert ROOT / "portal/locale/en/LC_MESSAGES/django.po" in CATALOGUES


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_english_catalogue_complete(po_path):
    po = polib.pofile(str(po_path))
    untranslated = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == []


@pytest.mark.parametrize("po_path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_compiled_catalogue_matches_source(po_path):
    po = polib.pofile(str(po_path))
    mo = polib.mofile(str(po_path.with_suffix(".mo")))
    compiled = {e.msgid: e.msgstr for e in mo}
    assert {e.msgid: e.msgstr for e in po.translated_entries()} == compiled


@pytest.mark.django_db
def test_switch_to_english_and_back(client):
    assert "登录" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "登录" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_a_browser_asking_for_english_gets_chinese_until_english_is_chosen(client):
    """Issue 29 item 13: Chinese by default whatever Accept-Language says; the navbar switch to English
    is remembered (Django's language cookie) on the requests that follow."""
    english_browser = {"HTTP_ACCEPT_LANGUAGE": "en-US,en;q=0.9"}
    first = client.get(reverse("home"), **english_browser)
    assert "登录" in first.content.decode() and "Log in" not in first.content.decode()
    assert first["Content-Language"] == "zh-hans"
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"}, **english_browser)
    assert switched.status_code == 302 and switched.cookies["django_language"].value == "en"
    assert switched.cookies["django_language"]["max-age"] >= 365 * 24 * 60 * 60  # outlives the browser
    for _ in range(2):
        later = client.get(reverse("home"))
        assert "Log in" in later.content.decode() and later["Content-Language"] == "en"
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"}, **english_browser)
    assert "登录" in client.get(reverse("home"), **english_browser).content.decode()


@pytest.mark.django_db
def test_an_unknown_language_cookie_gets_chinese(client):
    client.cookies["django_language"] = "fr"
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    assert response["Content-Language"] == "zh-hans" and "登录" in response.content.decode()

"""The English catalogue is complete and compiled, and the UI switches language."""

from pathlib import Path

import polib
import pytest
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "portal" / "locale" / "en" / "LC_MESSAGES"


def test_english_catalogue_complete():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()] + [e.msgid for e in po.fuzzy_entries()]
    assert untranslated == []


def test_compiled_catalogue_matches_source():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))
    compiled = {e.msgid: e.msgstr for e in mo}
    assert {e.msgid: e.msgstr for e in po.translated_entries()} == compiled


@pytest.mark.django_db
def test_switch_to_english_and_back(client):
    assert "登录" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log in" in client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    assert "登录" in client.get(reverse("home")).content.decode()

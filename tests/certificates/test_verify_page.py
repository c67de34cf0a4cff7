"""verify_page.py renders the QR verification page from a skeleton kept per language and outcome: the
result must be exactly what the template gives when rendered for the certificate itself, with every
field escaped, and no field able to inject another field's text."""

import dataclasses

import pytest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils import translation

from certificates import lookup, verify_page
from certificates.verify_page import standalone_links
from tests.certificates.factories import CertificateFactory
from tests.certificates.factories_lookup import signature_of

pytestmark = pytest.mark.django_db


def rendered_directly(result) -> str:
    context = {
        "result": result,
        "outcome": result.public_outcome,
        "links": standalone_links(get_script_prefix()),
    }
    return render_to_string(verify_page.TEMPLATE, context)


@pytest.mark.parametrize("language", ["zh-hans", "en"])
@pytest.mark.parametrize("status", ["valid", "revoked", "mismatch"])
def test_the_filled_skeleton_is_the_template_rendered_for_the_certificate(language, status, settings):
    settings.DEBUG = False  # the cached skeleton, as in production
    cert = CertificateFactory(status="revoked" if status == "revoked" else "valid", work_type="电工<焊>")
    if status == "revoked":
        cert.revoked_on = cert.issue_date
        cert.save()
    signature = signature_of(cert)
    if status == "mismatch":
        # one character changed inside the signature (":-2] + 'AA'" left it intact for 1 in 256 of them)
        signature = signature[:10] + ("B" if signature[10] != "B" else "C") + signature[11:]
    with translation.override(language):
        result = lookup.verify(cert.code, signature)
        assert result.public_outcome == status
        assert verify_page.render(result) == rendered_directly(result)


def test_fields_are_escaped_and_cannot_inject_markers(settings):
    settings.DEBUG = False
    cert = CertificateFactory(
        holder_name="<script>alert(1)</script>",
        institution_name="\ue000holder_name\ue001 & 学校",
    )
    html = verify_page.render(lookup.verify(cert.code, signature_of(cert)))
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the institution's text is put in as given (escaped), never replaced by the holder's name
    assert "\ue000holder_name\ue001 &amp; 学校" in html
    assert html.count("&lt;script&gt;") == 1


def test_with_debug_on_the_skeleton_is_rendered_each_time(settings, monkeypatch):
    cert = CertificateFactory()
    result = lookup.verify(cert.code, signature_of(cert))
    calls = []
    real = verify_page.render_to_string
    monkeypatch.setattr(verify_page, "render_to_string", lambda *a: calls.append(a) or real(*a))
    verify_page._cached_skeleton.cache_clear()
    settings.DEBUG = True
    verify_page.render(result)
    verify_page.render(result)
    assert len(calls) == 2
    settings.DEBUG = False
    verify_page.render(result)
    verify_page.render(result)
    assert len(calls) == 3  # rendered once, then the cached skeleton


def test_a_field_holding_a_nul_is_escaped_on_its_own(settings):
    # The shown fields are escaped in one call over their texts joined by NUL; a text holding one (none
    # can come from PostgreSQL) must still give the template's own page.
    settings.DEBUG = False
    cert = CertificateFactory(status="revoked")
    cert.revoked_on = cert.issue_date
    cert.save()
    result = lookup.verify(cert.code, signature_of(cert))
    odd = dataclasses.replace(
        result, certificate=dataclasses.replace(result.certificate, kind_label="a\x00<b>")
    )
    html = verify_page.render(odd)
    assert html == rendered_directly(odd)
    assert "a\x00&lt;b&gt;" in html

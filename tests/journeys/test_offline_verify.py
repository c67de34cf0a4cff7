"""Issue 45 acceptance, in a real Chromium: the offline verification page is loaded once, the browser goes
offline (`context.set_offline(True)`) and the page is loaded again from what its service worker kept; a
certificate's QR image given to the page says 真实 with the right fields; a tampered QR says 签名无效; a
certificate in the kept revocation list says 已撤销; a picture with no QR code says 无法识别."""

import base64
import io
import json

import pytest
import segno
from django.core.cache import cache

from certificates import offline
from tests.certificates.factories import CertificateFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def qr_png(text: str) -> dict:
    out = io.BytesIO()
    segno.make(text, error="m").save(out, kind="png", scale=6, border=4)
    return {"name": "qr.png", "mimeType": "image/png", "buffer": out.getvalue()}


def blank_png() -> dict:
    out = io.BytesIO()
    segno.make("x").save(out, kind="png", scale=1, border=0, dark="white")
    return {"name": "blank.png", "mimeType": "image/png", "buffer": out.getvalue()}


def tampered(text: str, **changes) -> str:
    """The QR text with a field of the signed body changed and the signature kept."""
    link, payload = text.split("#")
    body, signature = payload[len(offline.PREFIX) :].split(".")
    values = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    for name, value in changes.items():
        values[2 + offline.FIELDS.index(name)] = value
    raw = json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode()
    return f"{link}#{offline.PREFIX}{base64.urlsafe_b64encode(raw).rstrip(b'=').decode()}.{signature}"


def give(page, picture: dict) -> str:
    result = page.get_by_test_id("offline-result")
    page.evaluate(
        "() => document.querySelector('[data-testid=offline-result]').removeAttribute('data-verdict')"
    )
    page.locator("#qr-photo").set_input_files(files=[picture])
    page.wait_for_function("() => document.querySelector('[data-testid=offline-result]').dataset.verdict")
    return result.get_attribute("data-verdict")


def test_a_paper_certificate_is_checked_with_no_network(live_server, page):
    cache.clear()
    genuine = CertificateFactory(holder_name="欧阳晓燕", level=3)
    revoked = CertificateFactory(holder_name="李雷", revoked=True)
    url = live_server.url + "/certificates/verify/offline/"

    # 1. One visit online: the service worker takes the page, the revocation list is fetched and kept.
    page.goto(url)
    page.wait_for_function("() => document.getElementById('offline-verify').dataset.ready === '1'")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert page.get_by_test_id("revocation-age").inner_text().endswith("共 1 本已撤销证书。")

    # 2. Offline: the page comes back from the kept copy.
    page.context.set_offline(True)
    page.reload()
    page.wait_for_function("() => document.getElementById('offline-verify').dataset.ready === '1'")
    assert page.get_by_test_id("network-state").inner_text() == "当前离线"
    assert "撤销名单更新于" in page.get_by_test_id("revocation-age").inner_text()

    # 3. The genuine certificate's QR: 真实, with the printed fields.
    assert give(page, qr_png(offline.qr_text(genuine))) == "genuine"
    assert page.get_by_test_id("offline-verdict").inner_text() == "真实"
    fields = page.get_by_test_id("offline-fields")
    assert fields.locator("[data-field=code]").inner_text() == genuine.code
    assert fields.locator("[data-field=name]").inner_text() == "欧阳晓燕"
    assert fields.locator("[data-field=masked_id]").inner_text() == offline.fields_of(genuine)[2]
    assert fields.locator("[data-field=document_kind]").inner_text() == "居民身份证"
    assert fields.locator("[data-field=issued]").inner_text() == genuine.issue_date.isoformat()
    assert page.get_by_test_id("online-check").inner_text() == ""  # offline: the portal is not asked
    page.screenshot(path="test-artifacts/offline-verify-genuine.png", full_page=True)

    # 4. The same QR with the name changed: 签名无效, no fields shown.
    assert give(page, qr_png(tampered(offline.qr_text(genuine), name="欧阳晓雁"))) == "bad"
    assert page.get_by_test_id("offline-verdict").inner_text() == "签名无效"
    assert not page.get_by_test_id("offline-fields").is_visible()

    # 5. The revoked certificate, in the kept list: 已撤销 with its date.
    assert give(page, qr_png(offline.qr_text(revoked))) == "revoked"
    assert page.get_by_test_id("offline-verdict").inner_text() == "已撤销"
    assert revoked.revoked_on.isoformat() in page.get_by_test_id("offline-verdict-help").inner_text()

    # 6. A picture with no QR code, and an old link-only QR code (no payload): 无法识别.
    assert give(page, blank_png()) == "unreadable"
    assert give(page, qr_png(offline.qr_text(genuine).split("#")[0])) == "unreadable"
    assert page.get_by_test_id("offline-verdict").inner_text() == "无法识别"

    # 7. Back online: a genuine certificate is also asked of the portal.
    page.context.set_offline(False)
    page.reload()
    page.wait_for_function("() => document.getElementById('offline-verify').dataset.ready === '1'")
    assert give(page, qr_png(offline.qr_text(genuine))) == "genuine"
    page.wait_for_function("() => document.querySelector('[data-testid=online-check]').textContent !== ''")
    assert page.get_by_test_id("online-check").inner_text() == "在线核验：证书有效。"


NO_WEBCRYPTO_ED25519 = """
(() => {
  const importKey = crypto.subtle.importKey.bind(crypto.subtle);
  crypto.subtle.importKey = (format, data, algorithm, ...rest) => {
    const name = typeof algorithm === "string" ? algorithm : algorithm && algorithm.name;
    if (name === "Ed25519") return Promise.reject(new DOMException("no Ed25519", "NotSupportedError"));
    return importKey(format, data, algorithm, ...rest);
  };
  window.__noEd25519 = true;
})();
"""


def test_a_browser_without_webcrypto_ed25519_verifies_with_the_vendored_library(live_server, page):
    """Where WebCrypto has no Ed25519 (older browsers), the page loads the vendored @noble/ed25519, also
    offline: the genuine code still says 真实 and a tampered one 签名无效."""
    cache.clear()
    genuine = CertificateFactory(holder_name="欧阳晓燕")
    page.context.add_init_script(NO_WEBCRYPTO_ED25519)
    page.goto(live_server.url + "/certificates/verify/offline/")
    page.wait_for_function("() => document.getElementById('offline-verify').dataset.ready === '1'")
    page.wait_for_function("() => navigator.serviceWorker.controller !== null")
    page.context.set_offline(True)
    page.reload()
    page.wait_for_function("() => document.getElementById('offline-verify').dataset.ready === '1'")
    assert page.evaluate("() => window.__noEd25519") is True
    assert give(page, qr_png(offline.qr_text(genuine))) == "genuine"
    assert give(page, qr_png(tampered(offline.qr_text(genuine), level=5))) == "bad"

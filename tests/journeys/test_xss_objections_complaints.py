"""In Chromium: an objection and a complaint carrying script, an onerror image and a javascript: URL
are typed into the public forms, then the public and staff pages that show them are opened. No dialog
fires on any of them (a control alert() on the same page shows the listener would have seen one)."""

import pytest
from django.core.cache import cache
from django.test import Client

from filings.constants import State
from tests.filings.factories import in_state

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
JS_URL = "javascript:alert(1)"
PAYLOAD = f"{SCRIPT} {IMG} {JS_URL}"


def test_no_dialog_fires_on_pages_showing_hostile_objections_and_complaints(
    live_server, page, carol, settings
):
    from filings.models import Complaint, Objection

    cache.clear()
    settings.FILING_OBJECTION_RATE = settings.FILING_COMPLAINT_RATE = "1000/m"
    publicity = in_state(State.IN_PUBLICITY, name="天津市公示测试学校")
    filed = in_state(State.FILED, name="天津市已备案测试学校")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append((page.url, dialog.message)), dialog.dismiss()))

    # The public: an objection from the publicity page, a complaint from the directory.
    page.goto(live_server.url + "/filings/publicity/")
    page.get_by_role("link", name="提出异议").click()
    page.fill("#id_name", IMG[:50])
    page.fill("#id_contact", JS_URL)
    page.fill("#id_text", PAYLOAD)
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_load_state()
    page.goto(live_server.url + "/filings/complaints/new/")
    page.fill("#id_name", IMG[:50])
    page.fill("#id_contact", JS_URL)
    page.select_option("#id_filing", str(filed.pk))
    page.fill("#id_institution_name", SCRIPT)
    page.fill("#id_text", PAYLOAD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert Objection.objects.get(filing=publicity).text == PAYLOAD
    complaint = Complaint.objects.get()
    assert complaint.text == PAYLOAD

    # A refused form shows what was typed again.
    page.goto(live_server.url + f"/filings/publicity/{publicity.pk}/objection/")
    page.fill("#id_name", IMG[:50])
    page.fill("#id_text", PAYLOAD)
    page.get_by_role("button", name="提交异议").click()
    page.wait_for_load_state()
    assert page.locator("#id_text").input_value() == PAYLOAD
    page.goto(live_server.url + "/filings/publicity/")

    # Staff: the centre's session in the browser.
    client = Client()
    client.force_login(carol)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    staff_pages = [
        "/filings/after/complaints/",
        f"/filings/after/complaints/{complaint.pk}/",
        f"/filings/{publicity.pk}/",
        "/filings/queue/in_publicity/",
    ]
    for path in staff_pages:
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        assert "登录" not in page.title(), path
    page.goto(live_server.url + f"/filings/after/complaints/{complaint.pk}/")
    body = page.locator("body").inner_text()
    assert SCRIPT in body and IMG in body and JS_URL in body  # shown as text
    assert page.locator("img[src=x]").count() == 0 and page.locator("a[href^=javascript]").count() == 0
    page.screenshot(path="/tmp/hardtests-xss-complaint.png", full_page=True)
    page.goto(live_server.url + f"/filings/{publicity.pk}/")
    assert PAYLOAD in page.locator("body").inner_text()
    page.screenshot(path="/tmp/hardtests-xss-filing.png", full_page=True)

    assert dialogs == []
    page.evaluate("() => alert('control')")  # the listener does see a dialog
    assert dialogs == [(page.url, "control")]

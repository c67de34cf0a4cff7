"""Issue 44 item 1: a filing's exam sites as a list (filings.FilingSite, 四(一)、场地情况), edited by the applicant
on the application page like the equipment rows, only on the own filing while it is editable; shown on the
filing page the centre reviews, in the printed application and the admin; recommended, never required, for a
submission."""

import pytest
from django.urls import reverse

from filings import workflow
from filings.constants import State
from filings.models import FilingSite

from .factories import FilingFactory, FilingSiteFactory, in_state
from .test_application_form import _management, _post_data

pytestmark = pytest.mark.django_db


def _site_rows(*rows, initial=0):
    """The site formset's POST data for ``rows`` (dicts of the row's fields, ``id`` for a saved one)."""
    data = _management("site", len(rows), initial)
    for i, row in enumerate(rows):
        data.update({f"site-{i}-{name}": value for name, value in row.items()})
    return data


NEW_SITE = {
    "name": "理论考试中心",
    "address": "河西区友谊路 1 号三层",
    "rooms": "4",
    "seats": "120",
    "use": "theory",
}


def test_the_applicant_adds_a_site_to_the_own_draft(client, alice):
    filing = FilingFactory(institution=alice.institution)
    client.force_login(alice)
    page = client.get(reverse("filings:edit", args=[filing.pk])).content.decode()
    assert 'data-testid="sites"' in page and "考位（工位）数" in page
    response = client.post(
        reverse("filings:edit", args=[filing.pk]), _post_data(filing, **_site_rows(NEW_SITE))
    )
    assert response.status_code == 302
    site = FilingSite.objects.get(filing=filing)
    assert (site.name, site.rooms, site.seats, site.use) == ("理论考试中心", 4, 120, "theory")
    assert str(site) == "理论考试中心（河西区友谊路 1 号三层）"


def test_the_applicant_edits_and_deletes_a_site(client, alice):
    filing = FilingFactory(institution=alice.institution)
    kept, gone = FilingSiteFactory(filing=filing, seats=30), FilingSiteFactory(filing=filing)
    client.force_login(alice)
    rows = _site_rows(
        {"id": kept.pk, "filing": filing.pk, "name": kept.name, "address": kept.address, "rooms": "3",
         "seats": "45", "use": "practical"},
        {"id": gone.pk, "filing": filing.pk, "name": gone.name, "address": gone.address, "rooms": "2",
         "seats": "30", "use": "both", "DELETE": "on"},
        initial=2,
    )  # fmt: skip
    response = client.post(reverse("filings:edit", args=[filing.pk]), _post_data(filing, **rows))
    assert response.status_code == 302
    kept.refresh_from_db()
    assert (kept.rooms, kept.seats, kept.use) == (3, 45, "practical")
    assert not FilingSite.objects.filter(pk=gone.pk).exists()


def test_a_site_needs_positive_rooms_and_seats(client, alice):
    filing = FilingFactory(institution=alice.institution)
    client.force_login(alice)
    bad = dict(NEW_SITE, rooms="0", seats="0")
    response = client.post(reverse("filings:edit", args=[filing.pk]), _post_data(filing, **_site_rows(bad)))
    assert response.status_code == 200 and "三、考试场地" in response.content.decode()
    assert not FilingSite.objects.exists()
    # the error sits under the field, in the element its aria-describedby names, the 0 typed kept
    page = response.content.decode()
    assert 'aria-describedby="id_site-0-seats_error"' in page and 'id="id_site-0-seats_error"' in page
    assert 'name="site-0-seats" value="0"' in page


def test_a_post_without_the_site_rows_leaves_the_sites_alone(client, alice):
    filing = FilingFactory(institution=alice.institution)
    site = FilingSiteFactory(filing=filing)
    client.force_login(alice)
    assert client.post(reverse("filings:edit", args=[filing.pk]), _post_data(filing)).status_code == 302
    assert FilingSite.objects.filter(pk=site.pk).exists()


def test_another_institution_cannot_touch_the_sites(client, alice, bob):
    filing = FilingFactory(institution=alice.institution)
    site = FilingSiteFactory(filing=filing, seats=30)
    client.force_login(bob)
    url = reverse("filings:edit", args=[filing.pk])
    assert client.get(url).status_code == 404
    rows = _site_rows(
        {"id": site.pk, "filing": filing.pk, "name": "改", "address": "改", "rooms": "1", "seats": "999",
         "use": "both", "DELETE": "on"},
        initial=1,
    )  # fmt: skip
    assert client.post(url, _post_data(filing, **rows)).status_code == 404
    site.refresh_from_db()
    assert site.seats == 30


def test_a_submitted_filing_keeps_its_sites(client, alice):
    filing = in_state(State.SUBMITTED, institution=alice.institution)
    site = FilingSiteFactory(filing=filing, seats=30)
    client.force_login(alice)
    rows = _site_rows(
        {"id": site.pk, "filing": filing.pk, "name": site.name, "address": site.address, "rooms": "1",
         "seats": "999", "use": "both"},
        NEW_SITE,
        initial=1,
    )  # fmt: skip
    response = client.post(reverse("filings:edit", args=[filing.pk]), _post_data(filing, **rows))
    assert response.status_code == 302 and response["Location"] == reverse("filings:detail", args=[filing.pk])
    site.refresh_from_db()
    assert site.seats == 30 and FilingSite.objects.filter(filing=filing).count() == 1


def test_the_site_shows_on_the_centres_review_page_and_in_the_print(client, alice, carol):
    filing = in_state(State.SUBMITTED, institution=alice.institution)
    FilingSiteFactory(
        filing=filing, name="实训基地", address="西青区实训路 9 号", rooms=3, seats=40, use="practical"
    )
    client.force_login(carol)
    page = client.get(reverse("filings:detail", args=[filing.pk])).content.decode()
    # scrolls sideways on a phone rather than cutting off 考位（工位）数 and 用途
    assert '<div class="table-responsive"><table class="table table-sm" data-testid="sites-table">' in page
    assert "实训基地" in page and "西青区实训路 9 号" in page and "<td>40</td>" in page and "实操" in page
    from django.template.loader import render_to_string

    from filings import documents

    printed = render_to_string("filings/pdf/application.html", documents._context(filing))
    assert "实训基地" in printed and "西青区实训路 9 号" in printed


def test_sites_are_recommended_not_required_for_a_submission(client, alice):
    filing = FilingFactory(institution=alice.institution, rows=True, files=True)
    assert workflow.missing_sections(filing) == []
    assert workflow.recommended_sections(filing)
    client.force_login(alice)
    page = client.get(reverse("filings:edit", args=[filing.pk])).content.decode()
    assert 'data-testid="recommended"' in page and "建议逐一填写考试场地" in page
    FilingSiteFactory(filing=filing)
    assert workflow.recommended_sections(filing) == []
    assert (
        'data-testid="recommended"'
        not in client.get(reverse("filings:edit", args=[filing.pk])).content.decode()
    )


def test_the_demo_filings_list_their_sites(settings):
    """filings.demo files a 理论 and a 实操 site for the demo applicant, whose sessions certification.demo
    arranges there."""
    from django.core.management import call_command

    from filings import demo, institutions
    from portal.demo import load_demo_accounts
    from portal.models import User

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    call_command("load_reference")
    load_demo_accounts()
    demo.load()
    applicant = User.objects.get(username="applicant")
    sites = institutions.filed_sites(applicant.institution)
    assert {s.use for s in sites} == {"theory", "practical"} and all(s.seats > 0 for s in sites)

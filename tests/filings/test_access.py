"""Who may open what: another institution's filing, attachment or PDF is a 404 (never a 403 that
would confirm it exists); centre and bureau see everything; experts only what they were drawn for."""

import pytest
from django.urls import reverse

from filings.constants import State
from filings.models import Attachment

from .factories import in_state

pytestmark = pytest.mark.django_db


@pytest.fixture
def filing(alice):
    return in_state(State.FILED, institution=alice.institution, filing_number="Y000012013001-20261124")


def _urls(filing):
    attachment = Attachment.objects.filter(filing=filing).first()
    return [
        reverse("filings:detail", args=[filing.pk]),
        reverse("filings:attachment", args=[filing.pk, attachment.pk]),
        reverse("filings:application_pdf", args=[filing.pk]),
        reverse("filings:notice_pdf", args=[filing.pk]),
    ]


def test_other_institution_gets_404_everywhere(client, bob, filing):
    client.force_login(bob)
    for url in _urls(filing):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("filings:edit", args=[filing.pk])).status_code == 404


def test_owner_centre_and_bureau_may_open(client, alice, carol, dave, filing):
    for user in (alice, carol, dave):
        client.force_login(user)
        for url in _urls(filing):
            response = client.get(url)
            assert response.status_code == 200, (user, url)


def test_expert_sees_only_the_filings_drawn_for(client, erin, filing):
    client.force_login(erin)
    assert client.get(_urls(filing)[0]).status_code == 404
    assert client.get(reverse("filings:expert_review", args=[filing.pk])).status_code == 404


def test_anonymous_goes_to_login(client, filing):
    response = client.get(_urls(filing)[0])
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_staff_pages_refuse_applicants_and_experts(client, alice, erin):
    for user in (alice, erin):
        client.force_login(user)
        assert client.get(reverse("filings:queue", args=["submitted"])).status_code == 404
        assert client.get(reverse("filings:batches")).status_code == 404


def test_applicant_cannot_post_staff_actions(client, alice):
    filing = in_state(State.SUBMITTED, institution=alice.institution)
    client.force_login(alice)
    response = client.post(reverse("filings:act", args=[filing.pk, "pass"]), {"version": filing.version})
    assert response.status_code == 404
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_actions_need_post(client, carol):
    filing = in_state(State.SUBMITTED)
    client.force_login(carol)
    response = client.get(reverse("filings:act", args=[filing.pk, "pass"]))
    assert response.status_code == 302 and response["Location"] == reverse("filings:detail", args=[filing.pk])
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED


def test_bureau_cannot_do_the_centres_review(client, dave):
    filing = in_state(State.SUBMITTED)
    client.force_login(dave)
    response = client.post(
        reverse("filings:act", args=[filing.pk, "pass"]), {"version": filing.version}, follow=True
    )
    assert "没有执行此操作的权限" in response.content.decode()
    filing.refresh_from_db()
    assert filing.state == State.SUBMITTED

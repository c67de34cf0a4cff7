"""The enterprise 鉴定 on the centre's and the bureau's dashboards (issue 37): what waits for each, and each
figure's list shows the same count."""

import html
import re

import pytest
from django.urls import reverse

from appraisals.constants import State
from appraisals.models import Appraisal
from tests.appraisals.factories import in_state

pytestmark = pytest.mark.django_db


def figures(page: str) -> dict[str, tuple[int, str]]:
    found = re.findall(r'<a href="([^"]+)" data-testid="fig-([\w-]+)"[^>]*>(\d+)</a>', page)
    return {key: (int(n), html.unescape(url)) for url, key, n in found}


@pytest.fixture
def world(alice):
    for state, n in (
        (State.SUBMITTED, 2),
        (State.QUESTIONS_RECORDED, 1),
        (State.REPORTED, 3),
        (State.ISSUED, 1),
    ):
        for _ in range(n):
            in_state(alice.institution, alice, state)


def test_the_bureau_sees_what_waits_for_it_and_the_lists_agree(client, dave, world):
    client.force_login(dave)
    got = figures(client.get(reverse("bureau_dashboard")).content.decode())
    assert got["appraisals-reported"][0] == Appraisal.objects.filter(state=State.REPORTED).count() == 3
    assert got["appraisals-questions_recorded"][0] == 1
    assert "appraisals-submitted" not in got  # the centre's, not the bureau's
    for key in ("appraisals-reported", "appraisals-questions_recorded"):
        count, url = got[key]
        listed = client.get(url)
        assert listed.context["page"].paginator.count == count, url
        assert 'data-testid="state-filter"' in listed.content.decode()


def test_the_centre_sees_its_own(client, carol, world):
    client.force_login(carol)
    got = figures(client.get(reverse("centre_dashboard")).content.decode())
    assert got["appraisals-submitted"][0] == 2 and got["appraisals-arranged"][0] == 0
    assert "appraisals-reported" not in got
    count, url = got["appraisals-submitted"]
    assert client.get(url).context["page"].paginator.count == count

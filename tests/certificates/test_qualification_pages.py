"""The bureau's 核发职业资格证书 on a reported 鉴定 and the page of one 鉴定's certificates (seed 002 附件1
四(六): 鉴定成绩合格的，由市人社局核发职业资格证书): the button only for the bureau, the others told they may not,
a stray GET back to the 鉴定's page, 404 for anyone who may not see the 鉴定, the bureau's queue."""

import datetime

import pytest
from django.urls import reverse

from appraisals import workflow
from appraisals.constants import State
from certificates.constants import QUALIFICATION_ISSUER_NAME
from certificates.models import Certificate
from tests.appraisals.factories import World, in_state, scored_candidate

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World.build()


@pytest.fixture
def reported(world):
    """A reported 鉴定: two candidates passed, one failed the theory exam (59)."""
    appraisal = in_state(world.enterprise, world.enterprise_user, State.REPORTED)
    scored_candidate(appraisal, 0, theory=70, practical=80)
    scored_candidate(appraisal, 1, theory=59, practical=90)
    scored_candidate(appraisal, 2, theory=60, practical=60)
    return appraisal


def issue_url(appraisal):
    return reverse("certificates:appraisal_issue", args=[appraisal.pk])


def list_url(appraisal):
    return reverse("certificates:appraisal_certificates", args=[appraisal.pk])


def test_four_six_the_bureau_sees_the_button_the_others_do_not(client, world, reported):
    detail = reverse("appraisals:detail", args=[reported.pk])
    client.force_login(world.bureau)
    page = client.get(detail).content.decode()
    assert 'data-testid="do-issue-certificates"' in page and issue_url(reported) in page
    for who in (world.centre, world.enterprise_user):
        client.force_login(who)
        assert 'data-testid="do-issue-certificates"' not in client.get(detail).content.decode()


def test_four_six_the_bureau_issues_and_the_page_lists_the_certificates(client, world, reported):
    client.force_login(world.bureau)
    response = client.post(issue_url(reported), follow=True)
    assert response.redirect_chain[-1][0] == reverse("appraisals:detail", args=[reported.pk])
    page = response.content.decode()
    assert "已核发职业资格证书 2 本。" in page and list_url(reported) in page
    assert 'data-testid="do-issue-certificates"' not in page
    reported.refresh_from_db()
    assert reported.state == State.ISSUED
    codes = list(
        Certificate.objects.filter(appraisal_candidate__appraisal=reported).values_list("code", flat=True)
    )
    assert len(codes) == 2 and all(code.startswith("Z000012000000") for code in codes)
    # whoever may see the 鉴定 sees its certificates, each linked to its PDF; the enterprise downloads one
    for who in (world.bureau, world.centre, world.enterprise_user):
        client.force_login(who)
        page = client.get(list_url(reported)).content.decode()
        assert page.count('data-testid="certificate-row"') == 2 and QUALIFICATION_ISSUER_NAME in page
        assert all(reverse("certificates:certificate_pdf", args=[code]) in page for code in codes)
    pdf = client.get(reverse("certificates:certificate_pdf", args=[codes[0]]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("who", ["centre", "enterprise_user"])
def test_four_six_the_others_are_told_they_may_not_and_nothing_changes(client, world, reported, who):
    client.force_login(getattr(world, who))
    response = client.post(issue_url(reported), follow=True)
    assert response.status_code == 200 and "权限" in response.content.decode()
    reported.refresh_from_db()
    assert reported.state == State.REPORTED and not Certificate.objects.exists()


def test_four_six_strangers_get_404_and_a_stray_get_goes_to_the_page(client, world, reported):
    client.force_login(world.other_user)
    assert client.post(issue_url(reported)).status_code == 404
    assert client.get(issue_url(reported)).status_code == 404
    assert client.get(list_url(reported)).status_code == 404
    client.force_login(world.bureau)
    response = client.get(issue_url(reported))
    assert response.status_code == 302 and response.url == reverse("appraisals:detail", args=[reported.pk])
    reported.refresh_from_db()
    assert reported.state == State.REPORTED


def test_four_six_the_other_enterprise_cannot_download_the_certificate(client, world, reported):
    from certificates import qualification

    code = qualification.issue_for_appraisal(reported, world.bureau)[0].code
    client.force_login(world.other_user)
    assert client.get(reverse("certificates:certificate_pdf", args=[code])).status_code == 404


def test_four_six_the_bureaus_queue_shows_the_reported_one_with_the_days_waited(client, world, reported):
    rows = workflow.queue(world.bureau, on=datetime.date.today())
    assert [r.appraisal for r in rows] == [reported] and rows[0].elapsed is not None
    assert reported not in [r.appraisal for r in workflow.queue(world.centre)]
    client.force_login(world.bureau)
    assert (
        reverse("appraisals:detail", args=[reported.pk])
        in client.get(reverse("appraisals:queue")).content.decode()
    )


def test_the_verify_heading_names_the_kind_found_and_the_lookup_says_certificates(client, world, reported):
    from certificates import qualification
    from certificates.urls_for import verification_url
    from tests.certificates.factories import CertificateFactory

    issued = qualification.issue_for_appraisal(reported, world.bureau)[0]
    page = client.get(verification_url(issued)).content.decode()
    assert 'data-testid="verify-heading">职业资格证书核验<' in page
    page = client.get(verification_url(CertificateFactory())).content.decode()
    assert 'data-testid="verify-heading">职业技能等级证书核验<' in page
    page = client.get(reverse("certificates:verify", args=[issued.code]) + "?s=forged").content.decode()
    assert 'data-testid="verify-heading">证书核验<' in page
    assert "职业资格证书" in client.get(reverse("certificates:lookup")).content.decode()

"""The certificate figures of the dashboards are cached (certificates.dashboard.figure, issue 37's
bench), yet they always count the certificates as they are: a new certificate however it was written (through
save(), or bulk_create/COPY that send no signal), a corrected date, a deletion."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from certificates import dashboard
from certificates.models import Certificate
from portal import dashboards
from tests.certificates.factories import CertificateFactory

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 12, 7, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))
MONTHS = dashboards.last_months(NOW.date())
DECEMBER = datetime.date(2026, 12, 2)
NOVEMBER = datetime.date(2026, 11, 20)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def issued(chart, level_name: str) -> list[int]:
    return next(s.data for s in chart.series if s.name == level_name)


def level_three(chart) -> list[int]:
    return issued(chart, str(dashboard.LEVEL_NAMES[3]))


def test_a_new_certificate_counts_at_once():
    CertificateFactory(issue_date=DECEMBER)
    assert level_three(dashboard.certificates_chart(MONTHS))[-1] == 1
    CertificateFactory(issue_date=DECEMBER)
    assert level_three(dashboard.certificates_chart(MONTHS))[-1] == 2


def test_certificates_written_without_signals_count_too():
    first = CertificateFactory(issue_date=DECEMBER)
    assert level_three(dashboard.certificates_chart(MONTHS))[-1] == 1
    copy = Certificate.objects.get(pk=first.pk)
    copy.pk, copy.code, copy.source_key, copy.id_number = None, "S000012011001263999999", "bulk:1", "x"
    Certificate.objects.bulk_create([copy])  # no post_save: the highest id changes the key
    assert level_three(dashboard.certificates_chart(MONTHS))[-1] == 2


def test_a_corrected_date_and_a_deletion_move_the_figures():
    certificate = CertificateFactory(issue_date=DECEMBER)
    assert level_three(dashboard.certificates_chart(MONTHS))[-2:] == [0, 1]
    certificate.issue_date = NOVEMBER
    certificate.save()
    assert level_three(dashboard.certificates_chart(MONTHS))[-2:] == [1, 0]
    other = CertificateFactory(issue_date=DECEMBER)
    assert level_three(dashboard.certificates_chart(MONTHS))[-2:] == [1, 1]
    assert other.pk > certificate.pk
    certificate.delete()  # not the highest id: the version alone tells
    assert level_three(dashboard.certificates_chart(MONTHS))[-2:] == [0, 1]


def test_an_institution_sees_its_own_figure_not_another_ones_cached_one():
    mine, theirs = CertificateFactory(issue_date=DECEMBER), CertificateFactory(issue_date=DECEMBER)
    CertificateFactory(issue_date=DECEMBER, institution=theirs.institution)

    class User:
        def __init__(self, institution_id):
            self.institution_id = institution_id

    assert level_three(dashboard.institution_certificates_chart(MONTHS, User(mine.institution_id)))[-1] == 1
    assert level_three(dashboard.institution_certificates_chart(MONTHS, User(theirs.institution_id)))[-1] == 2

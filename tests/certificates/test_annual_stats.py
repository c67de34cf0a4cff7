"""The annual statistics of the centre and the bureau (issue 38 item 5): filings by route and kind, plans,
candidates, pass rates (verified passing / candidates), certificates by occupation x level x institution
kind; a constant number of queries whatever the data size; the XLSX read back; centre and bureau only."""

import datetime
import io
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from certificates import annual_stats as statistics
from certificates.models import Certificate
from certification.constants import Verification
from certification.models import Candidate
from tests.certificates.factories import CertificateFactory
from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution, person_id

pytestmark = pytest.mark.django_db

YEAR = 2026


def today(day=datetime.date(2026, 12, 1)):
    return time_machine.travel(
        datetime.datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    )


def _world(rows: int):
    """``rows`` candidates (half level 4 verified passing, half level 2) and ``rows`` certificates."""
    institution = filed_institution(valid_from=datetime.date(2026, 3, 1))
    filed_institution(route="S", kind="industry_association", valid_from=datetime.date(2024, 1, 1))
    plan = PlanFactory(institution=institution, verified=True, levels=[2, 4])
    Candidate.objects.bulk_create(
        Candidate(
            plan=plan,
            row=i + 2,
            name=f"考生{i}",
            id_number=person_id(1000 + i),
            level=4 if i % 2 else 2,
            eligible=True,
            verification=Verification.ACCEPTED,
            theory_score=80,
            practical_score=75,
        )
        for i in range(rows)
    )
    first = CertificateFactory()
    Certificate.objects.bulk_create(
        Certificate(
            serial=i + 100,
            year=YEAR,
            level=3,
            code=f"{'YSZ'[i % 3]}00001201100126{3}{i + 100:06d}",
            holder_name="张伟",
            sex="M",
            id_number=person_id(5000 + i),
            occupation=first.occupation,
            occupation_name=first.occupation_name,
            occupation_code=first.occupation_code,
            institution=first.institution,
            institution_name=first.institution_name,
            issue_date=datetime.date(YEAR, 5, 12),
            photo="p.jpg",
            source_key=f"stat:{i}",
        )
        for i in range(rows - 1)
    )


@pytest.mark.parametrize("rows", [10, 1000])
def test_a_constant_number_of_queries_whatever_the_data_size(rows, django_assert_num_queries):
    _world(rows)
    with django_assert_num_queries(7):
        stats = statistics.build(YEAR)
    assert stats.figures.candidates == rows
    assert stats.certificate_total == rows


def test_filings_by_route_and_kind_filed_in_the_year_and_in_force():
    filed_institution(valid_from=datetime.date(2026, 3, 1))  # Y enterprise, filed 2026
    filed_institution(route="S", kind="industry_association", valid_from=datetime.date(2024, 1, 1))
    filed_institution(valid_from=datetime.date(2020, 1, 1), valid_until=datetime.date(2025, 12, 31))
    rows = {(r.route, r.kind): (r.filed, r.in_force) for r in statistics.filings(YEAR)}
    assert rows == {
        ("用人单位自主评价（Y）", "企业"): (1, 1),
        ("社会培训评价组织（S）", "行业协会"): (0, 1),
    }
    assert [(r.filed, r.in_force) for r in statistics.filings(2025)] == [(0, 1), (0, 1)]


def test_pass_rate_is_verified_passing_over_candidates():
    plan = PlanFactory(verified=True, levels=[4])
    CandidateFactory.create_batch(2, plan=plan, level=4, verification=Verification.ACCEPTED, passed=True)
    CandidateFactory(
        plan=plan, level=4, verification=Verification.ACCEPTED, theory_score=20, practical_score=20
    )
    CandidateFactory(plan=PlanFactory(submitted=True, institution=plan.institution), level=4)  # not verified
    PlanFactory(institution=plan.institution)  # a draft: not counted
    figures = statistics.build(YEAR).figures
    assert figures.plan_total == 2
    level4 = next(f for f in figures.levels if f.level == 4)
    assert (level4.candidates, level4.passing, level4.rate) == (4, 2, 50.0)
    assert figures.rate == 50.0
    assert statistics.build(2025).figures.candidates == 0


def test_certificates_by_occupation_level_and_institution_kind():
    CertificateFactory(level=3)
    CertificateFactory(level=3, code="Y000012011001263000777")
    CertificateFactory(level=4, revoked=True)
    CertificateFactory(level=3, issue_date=datetime.date(2025, 12, 31))
    rows = {(r.level, r.kind): r.count for r in statistics.certificates(YEAR)}
    assert rows == {
        ("三级/高级工", "社会培训评价组织"): 1,
        ("三级/高级工", "用人单位"): 1,
        ("四级/中级工", "社会培训评价组织"): 1,
    }


def test_page_year_selector_and_xlsx_read_back(client, carol):
    _world(10)
    client.force_login(carol)
    with today():
        page = client.get(reverse("certificates:statistics"), {"year": YEAR}).content.decode()
        assert "2026 年职业技能等级认定统计" in page and "合格率" in page
        assert '<option value="2026" selected>' in page
        response = client.get(reverse("certificates:statistics"), {"year": YEAR, "format": "xlsx"})
        assert client.get(reverse("certificates:statistics"), {"year": "x"}).status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["备案", "认定", "证书"]
    certificates = list(book["证书"].values)
    assert certificates[0] == ("职业", "等级", "机构类别", "证书数")
    assert certificates[-1][-1] == 10
    levels = list(book["认定"].values)
    assert levels[-1][:3] == ("合计", 10, 5)


def test_others_get_404(client, alice, erin):
    for user in (alice, erin):
        client.force_login(user)
        assert client.get(reverse("certificates:statistics")).status_code == 404

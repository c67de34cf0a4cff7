"""Formula injection in the exports test_formula_injection.py does not reach (issue 22, "Not reached by
the review"): every workbook the portal writes, found with ``grep -rn "Workbook(\\|csv.writer\\|_SHEET_HEAD"``
over the product code. Besides the four exports covered there:

- the score sheet (成绩单) pre-filled with the plan's candidates (certification/imports.py score_template);
- the comprehensive review records (综合评审汇总表, certification/views.py review_sheet);
- the two roster templates (static: no stored value reaches them).

The portal writes no CSV (it only reads them). Found here and fixed in eligibility/roster.py safe_cell
(used by the score sheet): a name starting with a tab, carriage return or control character was written
as it was, so "\\t=1+2" came out as a formula once a spreadsheet trimmed it, and a control character made
the download a server error (openpyxl refuses it in a cell).
"""

import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.hardening.test_formula_injection import FORMULA_STARTS, HOSTILE, assert_all_escaped

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PRODUCT_APPS = ("portal", "eligibility", "filings", "certification", "certificates")
# Every place the product writes a spreadsheet, and the test that covers it.
WRITERS = {
    "certificates/export.py": "test_formula_injection.py::test_certificates_export_escapes_formulas",
    "certification/summary.py": "test_formula_injection.py::test_certification_summary_escapes_formulas",
    "certification/imports.py": "test_score_sheet_escapes_formulas (+ its roster template import path)",
    "certification/views.py": "test_review_sheet_escapes_formulas",
    "eligibility/roster.py": "test_formula_injection.py::test_eligibility_roster_result_escapes_formulas",
    "filings/directory.py": "test_formula_injection.py::test_filings_directory_xlsx_escapes_formulas",
    "certification/monthly.py": "test_monthly_province_table_escapes_formulas",
    "certificates/annual_stats.py": "test_annual_statistics_escapes_formulas",
    "filings/school_record.py": "test_school_record_table_escapes_formulas",
    "portal/sheets.py": "test_job_result_tables_escape_formulas (write_table: the background jobs' results)",
}


def test_every_spreadsheet_writer_is_covered():
    """A new export (an openpyxl Workbook, a csv writer, hand-written SpreadsheetML) fails this until
    it is added to WRITERS with a test."""
    pattern = re.compile(r"Workbook\(|csv\.writer|csv\.DictWriter|_SHEET_HEAD\s*=")
    found = set()
    for app in PRODUCT_APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            if pattern.search(path.read_text(encoding="utf-8")):
                found.add(str(path.relative_to(ROOT)))
    assert sorted(found) == sorted(WRITERS)


def _without_xlsx_illegal(value: str) -> str:
    return value.replace("\x01", "").replace("\x0b", "")


@pytest.fixture
def scored_plan(alice):
    from certification.constants import State as PlanState
    from certification.models import AssessmentPlan
    from tests.certification.factories import CandidateFactory, PlanFactory, filed_institution

    filed_institution(alice.institution)
    plan = PlanFactory(institution=alice.institution)
    for i, hostile in enumerate(HOSTILE):
        CandidateFactory(plan=plan, name=hostile[:50], other_note=hostile, row=i + 2)
    AssessmentPlan.objects.filter(pk=plan.pk).update(state=PlanState.APPROVED)
    return plan


def test_score_sheet_escapes_formulas(client, alice, scored_plan):
    """Candidate names come from the uploaded roster, the notes from the score sheet: both go back out
    in the pre-filled score sheet the institution and the centre download."""
    for user in (alice,):
        client.force_login(user)
        response = client.get(reverse("certification:scores_template", args=[scored_plan.pk]))
        assert response.status_code == 200
        assert_all_escaped(response.content, expected_markers=len(HOSTILE))


def test_score_sheet_for_the_centre_escapes_formulas(client, carol, scored_plan):
    client.force_login(carol)
    response = client.get(reverse("certification:scores_template", args=[scored_plan.pk]))
    assert response.status_code == 200
    assert_all_escaped(response.content, expected_markers=len(HOSTILE))


def test_review_sheet_escapes_formulas(client, carol, erin):
    """The review sheet writes the candidate's name, the experts' names and the defence questions."""
    import datetime

    from certification.models import ComprehensiveReview, Panelist
    from tests.certification.factories import CandidateFactory, PlanFactory

    plan = PlanFactory(submitted=True, staffed=True)
    erin.first_name = '=HYPERLINK("http://evil.example/") HX0'
    erin.save(update_fields=["first_name"])
    for i, hostile in enumerate(HOSTILE):
        candidate = CandidateFactory(plan=plan, name=_without_xlsx_illegal(hostile)[:50], level=2, row=i + 2)
        review = ComprehensiveReview.objects.create(
            candidate=candidate,
            held_on=datetime.date(2026, 6, 10),
            seed=i,
            pool=[erin.pk],
            questions=[hostile, "第二题"],
        )
        Panelist.objects.create(review=review, expert=erin)
    client.force_login(carol)
    response = client.get(reverse("certification:review_sheet", args=[plan.pk]))
    assert response.status_code == 200
    assert_all_escaped(response.content, expected_markers=len(HOSTILE) + 1)


@pytest.mark.parametrize("route", ["eligibility:roster_template", "certification:roster_template"])
def test_roster_templates_hold_no_formula(client, alice, route):
    client.force_login(alice)
    response = client.get(reverse(route))
    assert response.status_code == 200
    workbook = load_workbook(io.BytesIO(response.content))
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate)
                if isinstance(cell.value, str):
                    assert not cell.value.lstrip().startswith(FORMULA_STARTS), (sheet.title, cell.value)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+2", "'=1+2"),
        ("\t=1+2", "'\t=1+2"),
        ("\r@SUM(1)", "'\r@SUM(1)"),
        (" -2+3", "' -2+3"),
        ("\x01=1+2", "'=1+2"),
        ("张三", "张三"),
        (12, 12),
    ],
)
def test_eligibility_safe_cell(value, expected):
    from eligibility.roster import safe_cell

    assert safe_cell(value) == expected


def test_monthly_province_table_escapes_formulas(client, carol):
    """seed 004 四(四)3: the centre's province table carries the institutions' names, the 填报人 and the
    frozen occupation names of their submissions."""
    from tests.certification.factories import MonthlySummaryFactory
    from tests.portal.factories import InstitutionFactory

    for i, hostile in enumerate(HOSTILE):
        MonthlySummaryFactory(
            institution=InstitutionFactory(name=hostile),
            reporter=hostile[:50],
            counts={"rows": [{"occupation": hostile, "work_type": hostile, "counts": {"4": 1}}], "total": 1},
            month=datetime.date(2026, 6, 1),
            submitted_on=datetime.date(2026, 6, 20 + i % 5),
        )
    client.force_login(carol)
    response = client.get(reverse("certification:monthly_city"), {"month": "2026-06", "format": "xlsx"})
    assert response.status_code == 200
    assert_all_escaped(response.content, expected_markers=len(HOSTILE))


def test_school_record_table_escapes_formulas(client, carol):
    """辽人社〔2020〕32号 附件3: the city's 申请备案表 carries what the schools typed (name, address, contact,
    work type, 备注)."""
    from filings.constants import Route, State
    from filings.models import FilingOccupation
    from tests.filings.factories import in_state

    for hostile in HOSTILE:
        filing = in_state(
            State.EVALUATED, route=Route.SOCIAL, kind="technical_school", name=hostile[:200],
            address=hostile[:300], contact_name=hostile[:50],
        )  # fmt: skip
        FilingOccupation.objects.filter(filing=filing).update(work_type=hostile[:100], note=hostile[:200])
    client.force_login(carol)
    response = client.get(reverse("filings:school_record_table"), {"format": "xlsx"})
    assert response.status_code == 200
    assert_all_escaped(response.content, expected_markers=len(HOSTILE))


def test_annual_statistics_escapes_formulas(client, carol):
    """issue 38 item 5: the annual statistics carry the occupation names printed on the certificates."""
    from zoneinfo import ZoneInfo

    import time_machine

    from tests.certificates.factories import CertificateFactory

    for hostile in HOSTILE:
        CertificateFactory(occupation_name=hostile[:100])
    client.force_login(carol)
    with time_machine.travel(
        datetime.datetime(2026, 12, 1, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False
    ):
        response = client.get(reverse("certificates:statistics"), {"year": 2026, "format": "xlsx"})
    assert response.status_code == 200
    assert_all_escaped(response.content, expected_markers=len(HOSTILE))


def test_job_result_tables_escape_formulas():
    """portal.sheets.write_table writes the results of the background imports (certification.import_jobs):
    photo file names and candidate names come from the uploaded archive and roster."""
    from portal import sheets

    rows = [(i, _without_xlsx_illegal(hostile), hostile) for i, hostile in enumerate(HOSTILE)]
    content = sheets.write_table("=1+2 标题", ["序号", "=文件", "说明"], rows)
    assert_all_escaped(content, expected_markers=len(HOSTILE))

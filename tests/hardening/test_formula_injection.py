"""Formula injection in every XLSX the portal exports (issue 9 "Bad input").

A value typed by an applicant or read from an uploaded roster may start with ``=``, ``+``, ``-`` or ``@``
(OWASP "CSV injection"; also after a tab, carriage return or other control character that a later step
may strip). Whatever lands in an exported cell must come out as text that no spreadsheet evaluates: not a
formula cell, and not a string starting with one of those characters (the exports prefix an apostrophe).
Control characters must not make the export fail (openpyxl refuses them in cells).

The four exports: the eligibility roster result, the certification results summary (seed 004 附件7), the
public institution directory (seed 004 附件4) and the certificates export for the national system.
"""

import io
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook

FORMULA_STARTS = ("=", "+", "-", "@")
# Each hostile value carries a marker so the test can find the cell it landed in.
HOSTILE = [
    "=1+2 HX1",
    "+SUM(1,2) HX2",
    "-2+3 HX3",
    "@SUM(1) HX4",
    '=HYPERLINK("http://evil.example/","点击") HX5',
    '=cmd|" /C calc"!A0 HX6',
    "\t=1+2 HX7",
    "\r=1+2 HX8",
    "\x01=1+2 HX9",
    "\x0b@SUM(1) HX10",
]


def cells_with_marker(content: bytes):
    """(sheet, coordinate, data_type, value) of every cell whose text carries an HX marker."""
    workbook = load_workbook(io.BytesIO(content))
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and "HX" in cell.value:
                    found.append((sheet.title, cell.coordinate, cell.data_type, cell.value))
    return found


def assert_all_escaped(content: bytes, expected_markers: int) -> None:
    found = cells_with_marker(content)
    markers = {value.rsplit("HX", 1)[1].split()[0] for _s, _c, _t, value in found}
    assert len(markers) >= expected_markers, f"hostile values missing from the export: {found}"
    unsafe = [
        (sheet, ref, kind, value)
        for sheet, ref, kind, value in found
        if kind == "f" or value.lstrip("\t\r\n\x00\x01\x0b\x0c").startswith(FORMULA_STARTS)
    ]
    assert not unsafe, f"cells a spreadsheet would evaluate: {unsafe}"


# --- Eligibility: the roster result ---------------------------------------------------------------------


@pytest.fixture
def cook(db):
    from portal.models import Occupation

    return Occupation.objects.get_or_create(code="4-03-02-01", defaults={"name": "中式烹调师"})[0]


def roster_csv(names, encoding="utf-8") -> bytes:
    from eligibility.roster import COLUMNS
    from tests.certification.factories import person_id

    header = [c.header for c in COLUMNS]
    lines = [",".join(header)]
    for i, name in enumerate(names):
        values = {"姓名": name, "身份证号码": person_id(600 + i), "职业代码": "4-03-02-01", "申报等级": "5"}
        values["职称"] = name  # a second free-text column
        lines.append(",".join('"' + values.get(h, "").replace('"', '""') + '"' for h in header))
    return "\r\n".join(lines).encode(encoding)


def test_eligibility_roster_result_escapes_formulas(client, carol, cook):
    from eligibility.roster import read_roster, write_result_xlsx

    result = read_roster(roster_csv(HOSTILE), {"4-03-02-01": "中式烹调师"}, on=date(2026, 11, 24), kind="csv")
    assert_all_escaped(write_result_xlsx(result), expected_markers=len(HOSTILE))


def test_eligibility_roster_result_download_escapes_formulas(client, carol, cook):
    """The same through the pages: upload the CSV, download the result the page links to."""
    cache.clear()
    client.force_login(carol)
    upload = io.BytesIO(roster_csv(HOSTILE, encoding="gb18030"))
    upload.name = "名单.csv"
    response = client.post(reverse("eligibility:roster"), {"file": upload})
    assert response.status_code == 200
    download = response.context["download_url"]
    assert download
    assert_all_escaped(client.get(download).content, expected_markers=len(HOSTILE))


# --- Certification: the results summary -----------------------------------------------------------------


def test_certification_summary_escapes_formulas(db):
    """The work type of a plan is free text when the occupation has no listed work types; the summary
    writes it in a cell."""
    from certification import summary
    from certification.constants import Verification
    from tests.certification.factories import CandidateFactory, PlanFactory

    for i, hostile in enumerate(HOSTILE):
        plan = PlanFactory(verified=True, work_type=hostile.replace("\x01", "").replace("\x0b", "")[:100])
        CandidateFactory(plan=plan, passed=True, level=4, verification=Verification.ACCEPTED, row=i + 2)
    table = summary.build()
    assert len(table.rows) == len(HOSTILE)
    assert_all_escaped(summary.to_xlsx(table, "汇总"), expected_markers=len(HOSTILE))


def test_certification_summary_survives_control_characters(db):
    from certification import summary
    from certification.constants import Verification
    from tests.certification.factories import CandidateFactory, PlanFactory

    plan = PlanFactory(verified=True, work_type="\x01=1+2 HX1")
    CandidateFactory(plan=plan, passed=True, level=4, verification=Verification.ACCEPTED)
    assert_all_escaped(summary.to_xlsx(summary.build(), "汇总"), expected_markers=1)


# --- Filings: the public directory ------------------------------------------------------------------------


def test_filings_directory_xlsx_escapes_formulas(client, db):
    from tests.filings.factories_after import FiledFilingFactory

    for hostile in HOSTILE:
        FiledFilingFactory(name=hostile, address=hostile, contact_name=hostile[:50])
    cache.clear()
    response = client.get(reverse("filings:directory_xlsx"))
    assert response.status_code == 200
    assert_all_escaped(response.content, expected_markers=len(HOSTILE))


# --- Certificates: the export for the national system -----------------------------------------------------


def test_certificates_export_escapes_formulas(db):
    from certificates import export
    from tests.certificates.factories import CertificateFactory

    for hostile in HOSTILE:
        CertificateFactory(holder_name=hostile[:50], work_type=hostile, institution_name=hostile)
    content = export.write_xlsx(export.select(), description="=1+2 HX0")
    assert_all_escaped(content, expected_markers=len(HOSTILE) + 1)

"""XLSX export for the national system: the documented columns, per batch or date range, text kept
as text (ID numbers, codes), formula injection neutralised, staff only, audited."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from certificates import export
from portal.models import AuditEvent
from tests.certificates.factories import CertificateFactory, OccupationFactory, batch, candidate

pytestmark = pytest.mark.django_db

DOCUMENTED = [
    "序号", "证书编号", "姓名", "性别", "证件类型", "证件号码", "职业编码", "职业名称",
    "工种", "等级代码", "技能等级", "评价机构", "发证日期", "证书状态", "撤销日期", "撤销原因",
]  # fmt: skip


def rows_of(content: bytes):
    sheet = load_workbook(io.BytesIO(content))["证书数据"]
    return [list(row) for row in sheet.iter_rows(values_only=True)], sheet


def test_the_columns_are_the_documented_layout():
    assert export.HEADERS == DOCUMENTED
    assert [c.letter for c in export.COLUMNS] == [chr(ord("A") + i) for i in range(16)]
    for column in export.COLUMNS:  # the module docstring documents each column
        assert f"{column.letter}   {column.header}" in export.__doc__


def test_a_row_carries_the_certificate_as_printed():
    cert = CertificateFactory(
        holder_name="王芳", sex="F", id_number="12010119900101001X", issue_date=datetime.date(2026, 3, 2)
    )
    revoked = CertificateFactory(
        revoked=True, issue_date=datetime.date(2026, 3, 3), revoked_on=datetime.date(2026, 5, 1)
    )
    rows, sheet = rows_of(export.write_xlsx(export.select(), "全部"))
    assert rows[0] == DOCUMENTED
    first = rows[1]
    assert first[:12] == [
        1, cert.code, "王芳", "女", "居民身份证", "12010119900101001X", cert.occupation_code, cert.occupation_name,
        "——", 3, "三级/高级工", cert.institution_name,
    ]  # fmt: skip
    assert first[12] == datetime.datetime(2026, 3, 2) and first[13:] == ["有效", None, None]
    assert sheet["F2"].data_type == "s" and sheet["B2"].data_type == "s"
    assert sheet["M2"].number_format == "yyyy-mm-dd"
    assert rows[2][1] == revoked.code and rows[2][13:] == [
        "已撤销",
        datetime.datetime(2026, 5, 1),
        "弄虚作假",
    ]
    assert len(rows) == 3


@pytest.mark.parametrize("evil", ['=HYPERLINK("http://x","a")', "+1+1", "-2+3", "@SUM(A1)", "\t=1"])
def test_formula_injection_is_neutralised(evil):
    CertificateFactory(holder_name=evil, institution_name=evil)
    content = export.write_xlsx(export.select())
    rows, sheet = rows_of(content)
    assert rows[1][2] == "'" + evil and rows[1][11] == "'" + evil
    assert sheet["C2"].data_type == "s"
    assert b"<f>" not in _sheet_xml(content)  # no formula element anywhere


def _sheet_xml(content: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_per_date_range_inclusive_at_both_ends():
    days = [datetime.date(2026, 4, d) for d in (9, 10, 20, 21)]
    certs = [CertificateFactory(issue_date=d) for d in days]
    selected = list(export.select(date_from=datetime.date(2026, 4, 10), date_to=datetime.date(2026, 4, 20)))
    assert selected == [certs[1], certs[2]]


def test_per_batch():
    occupation = OccupationFactory(chef=True)
    first = batch(candidates=[candidate(1, occupation), candidate(2, occupation)])
    from certificates.issuance import run_batch

    run_batch(first.pk)
    CertificateFactory()  # outside the batch
    selected = list(export.select(batch=first))
    assert len(selected) == 2 and {c.batch_id for c in selected} == {first.pk}


def test_staff_download_the_xlsx_and_the_export_is_audited(client, carol):
    CertificateFactory(issue_date=datetime.date(2026, 4, 10))
    client.force_login(carol)
    url = reverse("certificates:staff_export")
    assert client.get(url).status_code == 200
    response = client.get(url, {"date_from": "2026-04-01", "date_to": "2026-04-30"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
    rows, _sheet = rows_of(response.content)
    assert len(rows) == 2
    event = AuditEvent.objects.get(event="certificates_exported")
    assert event.actor == carol and "2026-04-01" in event.comment


def test_an_export_needs_a_batch_or_both_dates(client, carol):
    client.force_login(carol)
    response = client.get(reverse("certificates:staff_export"), {"date_from": "2026-04-01"})
    assert response.status_code == 400
    assert "请选择一个签发批次，或填写发证日期的起止日期" in response.content.decode()
    reversed_range = client.get(
        reverse("certificates:staff_export"), {"date_from": "2026-04-02", "date_to": "2026-04-01"}
    )
    assert "起始日期不能晚于截止日期" in reversed_range.content.decode()


def test_only_centre_and_bureau_export(client, alice, erin, dave):
    url = reverse("certificates:staff_export")
    assert client.get(url).status_code == 302  # anonymous: to login
    for person, status in ((alice, 403), (erin, 403), (dave, 200)):
        client.force_login(person)
        assert client.get(url).status_code == status

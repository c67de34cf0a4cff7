"""In a real Chromium: centre staff upload the roster template, read the per-row result and download it."""

import io
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from openpyxl import load_workbook

from portal import roles
from portal.models import Occupation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
ROOT = Path(__file__).resolve().parents[2]


def centre_staff(username="carol", password="roster-2026"):
    # Groups are created by a data migration; an earlier transactional test may have flushed them.
    from django.contrib.auth.models import Group

    from portal.models import User

    user = User.objects.create_user(username, password=password, first_name="王审核", is_staff=True)
    user.groups.add(Group.objects.get_or_create(name=roles.CENTRE)[0])
    return username, password


def test_centre_checks_a_roster(live_server, page, tmp_path):
    username, password = centre_staff()
    Occupation.objects.create(code="4-03-02-01", name="中式烹调师")
    Occupation.objects.create(code="4-03-02-02", name="中式面点师")
    roster = tmp_path / "名单.csv"
    template = (ROOT / "fixtures" / "roster_template.csv").read_text(encoding="utf-8-sig")
    roster.write_bytes((template + "王五,120101199003071230,9-99-99-99,三级,6,,,,,,,\r\n").encode("gb18030"))

    with time_machine.travel(datetime(2026, 11, 23, 2, 0, tzinfo=UTC), tick=True):
        page.goto(live_server.url + "/accounts/login/?next=/eligibility/roster/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_url("**/eligibility/roster/")

        page.set_input_files("#id_file", str(roster))
        page.get_by_test_id("submit-roster").click()
        page.get_by_test_id("roster-result").wait_for()
        assert "符合 2 人" in page.get_by_test_id("eligible-count").inner_text()
        assert "数据有误 1 行" in page.get_by_test_id("error-count").inner_text()
        assert "身份证号码无效" in page.locator("tr[data-line='4']").inner_text()
        assert "120101********1235" in page.locator("tr[data-line='2']").inner_text()  # masked on screen
        page.screenshot(path=str(ROOT / "test-artifacts" / "eligibility-roster.png"), full_page=True)

        with page.expect_download() as info:
            page.get_by_test_id("download").click()
        download = info.value
        rows = list(
            load_workbook(io.BytesIO(Path(download.path()).read_bytes()), read_only=True)
            .worksheets[0]
            .iter_rows(values_only=True)
        )
        assert len(rows) == 4
        assert rows[1][2] == "120101199003071235"  # the file keeps what was uploaded
        assert download.suggested_filename.endswith(".xlsx")

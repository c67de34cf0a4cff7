"""The public self-check page and the roster page: who may use them, what they answer, what they refuse."""

import io
from datetime import UTC, datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from eligibility.roster import COLUMNS
from portal.models import Occupation
from tests.portal.factories import id_number

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
CHECK = "/eligibility/check/"
ROSTER = "/eligibility/roster/"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def cook(db):
    return Occupation.objects.create(code="4-03-02-01", name="中式烹调师")


def management(prefix, total=1):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": "0",
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "10",
    }


def post_data(cook, **extra):
    data = {
        "occupation": str(cook.pk),
        "level": "3",
        "birth_date": "",
        "id_number": "",
        "years_in_occupation": "6",
        **management("cert"),
        **management("title"),
        **management("diploma"),
        "cert-0-related": "on",
        "title-0-related": "on",
        "diploma-0-related": "on",
    }
    data.update(extra)
    return data


class TestSelfCheck:
    def test_anonymous_sees_the_form(self, client, cook):
        response = client.get(CHECK)
        assert response.status_code == 200
        html = response.content.decode()
        assert "申报条件自测" in html and "4-03-02-01 中式烹调师" in html
        assert 'data-formset="cert"' in html and "eligibility/formset.js" in html

    def test_level_3_applicant_is_answered_clause_by_clause(self, client, cook):
        data = post_data(cook, **{"cert-0-level": "4", "cert-0-obtained_on": "2021-03-01"})
        with CaptureQueriesContext(connection) as queries:
            response = client.post(CHECK, data)
        assert response.status_code == 200
        answer = response.context["answer"]
        assert answer["decision"].eligible and answer["decision"].clause == "三(二)"
        html = response.content.decode()
        assert "符合申报条件（第 三(二) 项）" in html
        assert (
            "三(一) 不满足：累计从事本职业或相关职业工作 6 年，未满 10 年，还需累计从事本职业或相关职业工作满 4 年"
            in html
        )
        assert len(answer["clauses"]) == 6
        # nothing stored
        writes = ("INSERT", "UPDATE", "DELETE")
        assert not [q for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(writes)]

    def test_missing_duration_with_date(self, client, cook):
        data = post_data(
            cook, years_in_occupation="9", **{"cert-0-level": "4", "cert-0-obtained_on": "2024-02-23"}
        )
        html = client.post(CHECK, data).content.decode()
        assert "暂不符合申报条件" in html
        assert "还需从事本职业或相关职业工作满 1 年 3 个月（最早 2028-02-23 满足）" in html

    def test_several_rows_and_title_bridge(self, client, cook):
        data = post_data(
            cook,
            years_in_occupation="0.5",
            **management("title", 2),
            **{
                "title-0-grade": "junior",
                "title-0-obtained_on": "2026-06-01",
                "title-1-grade": "",
                "title-1-obtained_on": "",
                "title-1-related": "on",
            },
        )
        response = client.post(CHECK, data)
        answer = response.context["answer"]
        assert not answer["decision"].eligible
        assert answer["bridge"].eligible and answer["bridge"].theory_exam_waived
        assert "免于理论知识考核" in response.content.decode()

    def test_id_number_gives_the_birth_date(self, client, cook):
        data = post_data(
            cook,
            level="5",
            years_in_occupation="",
            id_number=id_number(123, "20101123"),
            intends_to_work="on",
        )
        answer = client.post(CHECK, data).context["answer"]
        assert answer["decision"].clause == "一(一)"

    def test_bad_id_number_is_refused_and_input_kept(self, client, cook):
        bad = id_number(123, "20000101")[:-1] + ("1" if id_number(123, "20000101")[-1] != "1" else "2")
        response = client.post(CHECK, post_data(cook, id_number=bad))
        assert response.context["answer"] is None
        assert "校验位不正确" in response.content.decode()
        assert f'value="{bad}"' in response.content.decode()

    def test_level_5_needs_a_birth_date(self, client, cook):
        response = client.post(CHECK, post_data(cook, level="5"))
        assert "须填写出生日期或身份证号码" in response.content.decode()

    def test_dates_after_today_are_refused(self, client, cook):
        data = post_data(cook, **{"cert-0-level": "4", "cert-0-obtained_on": "2026-11-24"})
        response = client.post(CHECK, data)
        assert response.context["answer"] is None
        assert "日期不能晚于今天（2026-11-23）" in response.content.decode()

    def test_incomplete_row_is_refused(self, client, cook):
        response = client.post(CHECK, post_data(cook, **{"cert-0-level": "4"}))
        assert response.context["answer"] is None
        assert "这个字段是必填项" in response.content.decode()

    def test_unrelated_certificate_unchecked(self, client, cook):
        data = post_data(cook, **{"cert-0-level": "4", "cert-0-obtained_on": "2015-01-01"})
        del data["cert-0-related"]
        answer = client.post(CHECK, data).context["answer"]
        assert not answer["decision"].eligible
        assert "不相关" in answer["clauses"][1][2]

    def test_in_english(self, client, cook):
        client.cookies["django_language"] = "en"
        data = post_data(cook, **{"cert-0-level": "4", "cert-0-obtained_on": "2021-03-01"})
        html = client.post(CHECK, data).content.decode()
        assert "met:" in html

    def test_occupation_and_level_preselected_from_the_link(self, client, cook):
        response = client.get(CHECK, {"occupation": "4-03-02-01", "level": "2"})
        form = response.context["form"]
        assert form["occupation"].value() == cook.pk and form["level"].value() == 2
        unknown = client.get(CHECK, {"occupation": "9-99-99-99", "level": "9"}).context["form"]
        assert unknown["occupation"].value() is None and unknown["level"].value() is None

    def test_public_navigation_links_the_page(self, client):
        assert reverse("eligibility:check") in client.get("/").content.decode()


def roster_file(rows):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.header for c in COLUMNS])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    buffer.seek(0)
    buffer.name = "名单.xlsx"
    return buffer


ROWS = [
    ["张三", id_number(123, "19900307"), "4-03-02-01", "三级", 6, 4, "2021-03-01", "", "", "", "", ""],
    ["李四", "120101199003071230", "4-03-02-01", "三级", 6, "", "", "", "", "", "", ""],
    ["王五", id_number(124, "19900307"), "9-99-99-99", "三级", 6, "", "", "", "", "", "", ""],
]


class TestRoster:
    def test_anonymous_goes_to_login(self, client):
        response = client.get(ROSTER)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]

    def test_expert_is_refused(self, client, erin):
        client.force_login(erin)
        assert client.get(ROSTER).status_code == 403

    @pytest.mark.parametrize("person", ["alice", "carol", "dave"])
    def test_applicants_and_staff_may_use_it(self, client, person, request):
        client.force_login(request.getfixturevalue(person))
        response = client.get(ROSTER)
        assert response.status_code == 200
        assert "身份证号码" in response.content.decode()

    def test_upload_check_and_download(self, client, alice, bob, cook):
        client.force_login(alice)
        response = client.post(ROSTER, {"file": roster_file(ROWS)})
        assert response.status_code == 200
        result = response.context["result"]
        assert result.decided_count == 1 and result.error_count == 2
        html = response.content.decode()
        assert "120101******1235"[:6] in html and id_number(123, "19900307") not in html  # masked on screen
        download = response.context["download_url"]
        xlsx = client.get(download)
        assert xlsx.status_code == 200
        assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
        values = list(
            load_workbook(io.BytesIO(xlsx.content), read_only=True).worksheets[0].iter_rows(values_only=True)
        )
        assert len(values) == 4 and values[1][values[0].index("符合条款")] == "三(二)"
        client.force_login(bob)
        assert client.get(download).status_code == 404  # another user's result

    def test_upload_is_checked_by_content(self, client, carol, cook):
        client.force_login(carol)
        fake = io.BytesIO(b"%PDF-1.4 not a roster")
        fake.name = "名单.xlsx"
        response = client.post(ROSTER, {"file": fake})
        assert response.context["result"] is None
        assert "文件内容不是允许的格式" in response.content.decode()

    def test_file_level_problem_is_shown(self, client, carol, cook):
        client.force_login(carol)
        upload = io.BytesIO("姓名,职业代码\n张三,4-03-02-01\n".encode("gb18030"))
        upload.name = "名单.csv"
        response = client.post(ROSTER, {"file": upload})
        assert "缺少必填列" in response.content.decode()

    def test_gb18030_csv(self, client, carol, cook):
        client.force_login(carol)
        lines = [",".join(c.header for c in COLUMNS), ",".join(str(v) for v in ROWS[0])]
        upload = io.BytesIO("\r\n".join(lines).encode("gb18030"))
        upload.name = "名单.csv"
        result = client.post(ROSTER, {"file": upload}).context["result"]
        assert result.rows[0].data["name"] == "张三" and result.rows[0].decision.clause == "三(二)"

    def test_title_columns_on_the_page_and_in_the_download(self, client, carol, cook):
        """Issue 32 part 3: a 技师 of 3 years -> 工程师 (二(二)1), a 全国技术能手 -> 高级工程师 (二(二)3 破格), and a
        bad award named with its column."""
        client.force_login(carol)
        base = ["4-03-02-01", "一级", 12]
        rows = [
            ["张三", id_number(131, "19850101"), *base, "二级", "2023-11-23", "", "", "", "", ""]
            + ["", "", "", 3, "2020-09-01"],
            ["李四", id_number(132, "19850101"), *base, "三级", "2025-01-01", "", "", "", "", ""]
            + ["全国技术能手", "", "", 3, "2020-09-01"],
            ["王五", id_number(133, "19850101"), *base, "", "", "", "", "", "", ""]
            + ["诺贝尔奖", "", "", "", ""],
        ]
        response = client.post(ROSTER, {"file": roster_file(rows)})
        result = response.context["result"]
        assert result.assesses_titles and result.error_count == 1
        html = response.content.decode()
        assert "二(二)1 工程师 · 可以" in html
        assert "二(二)3 高级工程师 · 可以（破格）" in html
        assert "获得奖项或称号“诺贝尔奖”不在可填范围内" in html
        values = list(
            load_workbook(io.BytesIO(client.get(response.context["download_url"]).content), read_only=True)
            .worksheets[0]
            .iter_rows(values_only=True)
        )
        header = values[0]
        assert values[1][header.index("附件2 评价目标")].split("\n")[0] == "工程师"
        assert "高级工程师" in values[2][header.index("附件2 评价目标")]
        assert "诺贝尔奖" in values[3][header.index("错误")]

    def test_template_download(self, client):
        response = client.get(reverse("eligibility:roster_template"))
        assert response.status_code == 200
        header = next(
            load_workbook(io.BytesIO(response.content), read_only=True)
            .worksheets[0]
            .iter_rows(values_only=True)
        )
        assert list(header) == [c.header for c in COLUMNS]

    def test_role_navigation_and_dashboard(self, client, alice, erin):
        client.force_login(alice)
        assert reverse("eligibility:roster") in client.get("/dashboard/").content.decode()
        client.force_login(erin)
        assert reverse("eligibility:roster") not in client.get("/dashboard/").content.decode()


def test_self_check_is_rate_limited(client, cook, settings):
    from django.core.cache import cache

    cache.clear()
    settings.ELIGIBILITY_CHECK_RATE = "2/m"
    data = post_data(cook)
    assert client.post(CHECK, data).status_code == 200
    assert client.post(CHECK, data).status_code == 200
    assert client.post(CHECK, data).status_code == 429
    assert client.get(CHECK).status_code == 200  # reading the form is never limited
    cache.clear()

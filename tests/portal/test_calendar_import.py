"""Importing a year's State Council notice into the working-day calendar (issue 21, items 2 and 7):
the parser, the save with its audit event, and the staff calendar page (carol centre staff edits,
dave the bureau reads, alice the applicant never sees it)."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal import calendar_import, workdays
from portal.models import AuditEvent, CalendarDay, CalendarYear
from tests.portal.factories import CalendarDayFactory, CalendarYearFactory

pytestmark = pytest.mark.django_db

# As the notice itself is written (dates without the year), with its title and signature.
NOTICE_2027 = """国务院办公厅关于2027年部分节假日安排的通知
一、元旦：1月1日（周五）至3日（周日）放假调休，共3天。
二、春节：2月5日（农历除夕、周五）至11日（周四）放假调休，共7天。1月31日（周日）、2月20日（周六）上班。
国务院办公厅
2026年11月12日
"""

SIMPLE_2027 = """元旦 2027-01-01 至 2027-01-03 放假
春节 2027-02-05 至 2027-02-11 放假
2027-01-31 上班
2027-02-20 上班
"""


def _days(parsed):
    return {(d.date, d.is_working_day) for d in parsed.days}


class TestParser:
    def test_notice_text(self):
        parsed = calendar_import.parse(NOTICE_2027, 2027)
        assert parsed.ok, parsed.errors
        assert len(parsed.days) == 3 + 7 + 2
        assert (date(2027, 1, 3), False) in _days(parsed)  # "至3日" stays in January
        assert (date(2027, 2, 11), False) in _days(parsed)
        by_date = {d.date: d for d in parsed.days}
        assert by_date[date(2027, 1, 31)].is_working_day
        assert by_date[date(2027, 1, 31)].note == "春节调休上班"
        assert by_date[date(2027, 2, 8)].note == "春节"
        # the title and the signature (a date without 放假/上班) are ignored, and listed
        assert [lineno for lineno, _ in parsed.ignored] == [1, 4, 5]

    def test_simple_format_gives_the_same_days(self):
        assert _days(calendar_import.parse(SIMPLE_2027, 2027)) == _days(
            calendar_import.parse(NOTICE_2027, 2027)
        )
        parsed = calendar_import.parse(SIMPLE_2027, 2027)
        assert {d.note for d in parsed.days if d.is_working_day} == {"调休上班"}

    def test_other_date_spellings(self):
        parsed = calendar_import.parse("清明节 2027年4月3日至2027年4月5日 放假\n2027/4/10 上班", 2027)
        assert _days(parsed) == {
            (date(2027, 4, 3), False),
            (date(2027, 4, 4), False),
            (date(2027, 4, 5), False),
            (date(2027, 4, 10), True),
        }

    def test_a_day_listed_twice_the_same_way_is_one_day(self):
        parsed = calendar_import.parse("2027-01-01 放假\n元旦 2027-01-01 至 2027-01-02 放假", 2027)
        assert parsed.ok and len(parsed.days) == 2

    @pytest.mark.parametrize(
        ("text", "message"),
        [
            ("", "请粘贴通知文本或上传文本文件。"),
            ("   \n  ", "请粘贴通知文本或上传文本文件。"),
            ("国务院办公厅关于部分节假日安排的通知", "文本中没有找到 2027 年的任何日期。"),
            ("2027-02-30 放假", "第 1 行：日期“2027-02-30”不存在。"),
            (
                "元旦\n2026-12-31 上班",
                "第 2 行：日期 2026-12-31 不在 2027 年内；本次只能导入 2027 年的安排。",
            ),
            ("2027-03-05 至 2027-03-01 放假", "第 1 行：区间 2027-03-05 至 2027-03-01 的结束日早于开始日。"),
            ("2027-02-07 放假\n2027-02-07 上班", "第 2 行：2027-02-07 在第 1 行标为放假，不能又标为上班。"),
            ("2027-04-01 放假上班", "第 1 行：同一句中既有“放假”又有“上班”，请用逗号或句号分开。"),
        ],
    )
    def test_bad_input_is_refused_with_a_chinese_message(self, text, message):
        parsed = calendar_import.parse(text, 2027)
        assert not parsed.ok
        assert message in parsed.errors

    def test_one_bad_line_refuses_the_whole_text(self):
        parsed = calendar_import.parse(SIMPLE_2027 + "2027-13-01 放假\n", 2027)
        assert not parsed.ok and len(parsed.errors) == 1 and "第 5 行" in parsed.errors[0]

    def test_upload_decoding(self):
        assert calendar_import.decode_upload("2027-01-01 放假".encode("gb18030")) == "2027-01-01 放假"
        assert calendar_import.decode_upload("\ufeff2027-01-01 放假".encode()) == "2027-01-01 放假"
        with pytest.raises(ValueError, match="无法读取该文件"):
            calendar_import.decode_upload(b"\x00\x01\xff\xfe\x00")


class TestApply:
    def test_saves_entries_declares_the_year_and_audits(self, carol):
        CalendarDayFactory(date=date(2027, 1, 1), is_working_day=True, note="误录")
        CalendarDayFactory(date=date(2027, 5, 1), is_working_day=False, note="劳动节")
        parsed = calendar_import.parse(NOTICE_2027, 2027)
        changes, kept = calendar_import.preview(parsed)
        assert {c.kind for c in changes if c.day.date == date(2027, 1, 1)} == {"changed"}
        assert [row.date for row in kept] == [date(2027, 5, 1)]
        assert deadline_2027().provisional

        flag = calendar_import.apply(parsed, carol, declare_complete=True)

        assert flag.complete and flag.declared_by == carol and flag.declared_at
        assert CalendarDay.objects.filter(date__year=2027).count() == 12 + 1  # the kept entry too
        assert not CalendarDay.objects.get(date=date(2027, 1, 1)).is_working_day
        assert CalendarDay.objects.get(date=date(2027, 1, 31)).updated_by == carol
        event = AuditEvent.objects.get(event="calendar_imported")
        assert event.actor == carol and event.target == flag
        assert event.data == {"year": 2027, "days": 12, "new": 11, "changed": 1, "declared_complete": True}
        assert not deadline_2027().provisional

    def test_without_the_checkbox_the_year_stays_provisional(self, carol):
        calendar_import.apply(calendar_import.parse(NOTICE_2027, 2027), carol, declare_complete=False)
        assert CalendarDay.objects.filter(date__year=2027).count() == 12
        assert not CalendarYear.objects.get(year=2027).complete
        assert deadline_2027().provisional

    def test_all_or_nothing(self, carol, monkeypatch):
        def broken(*args, **kwargs):
            raise RuntimeError("audit down")

        monkeypatch.setattr(calendar_import.audit, "record", broken)
        with pytest.raises(RuntimeError):
            calendar_import.apply(calendar_import.parse(NOTICE_2027, 2027), carol, declare_complete=True)
        assert not CalendarDay.objects.filter(date__year=2027).exists()
        assert not CalendarYear.objects.filter(year=2027, complete=True).exists()

    def test_refuses_a_text_with_errors(self, carol):
        with pytest.raises(ValueError):
            calendar_import.apply(
                calendar_import.parse("2027-02-30 放假", 2027), carol, declare_complete=True
            )


def deadline_2027():
    return workdays.deadline_after(date(2026, 12, 28), 5)


# -- the pages ---------------------------------------------------------------------------------------

FROZEN = "2026-12-02 10:00 +0800"  # December: next year's banner is up


@pytest.fixture
def frozen():
    with time_machine.travel(FROZEN, tick=False):
        yield


def _import_url(year=2027):
    return reverse("calendar_import", kwargs={"year": year})


@pytest.mark.usefixtures("frozen")
class TestPages:
    def test_centre_previews_then_confirms(self, client, carol):
        client.force_login(carol)
        response = client.post(
            _import_url(), {"text": NOTICE_2027, "declare_complete": "on", "action": "preview"}
        )
        assert response.status_code == 200
        body = response.content.decode()
        assert "预览：12 个日期" in body and "2027-02-20" in body and "新增" in body
        assert not CalendarDay.objects.filter(date__year=2027).exists()  # nothing saved by a preview
        previewed = response.context["form"]["previewed"].value()
        assert previewed

        response = client.post(
            _import_url(),
            {"text": NOTICE_2027, "declare_complete": "on", "previewed": previewed, "action": "confirm"},
        )
        assert response.status_code == 302 and response["Location"] == reverse("calendar") + "?year=2027"
        assert CalendarDay.objects.filter(date__year=2027).count() == 12
        assert CalendarYear.objects.get(year=2027).complete
        page = client.get(response["Location"]).content.decode()
        assert "已确认完整" in page and 'data-testid="calendar-banner"' not in page

    def test_confirm_of_a_text_changed_after_the_preview_shows_a_new_preview(self, client, carol):
        client.force_login(carol)
        first = client.post(_import_url(), {"text": SIMPLE_2027, "action": "preview"})
        previewed = first.context["form"]["previewed"].value()
        response = client.post(
            _import_url(), {"text": NOTICE_2027, "previewed": previewed, "action": "confirm"}, follow=True
        )
        assert response.status_code == 200
        assert "通知文本在预览后已修改" in response.content.decode()
        assert not CalendarDay.objects.filter(date__year=2027).exists()

    def test_bad_text_keeps_what_was_pasted(self, client, carol):
        client.force_login(carol)
        text = "元旦 2027-01-01 至 2027-01-03 放假\n2027-02-30 上班"
        response = client.post(_import_url(), {"text": text, "action": "confirm", "previewed": "x"})
        assert response.status_code == 200
        body = response.content.decode()
        assert "第 2 行：日期“2027-02-30”不存在。" in body
        assert "2027-01-01 至 2027-01-03 放假" in body  # still in the textarea
        assert 'data-testid="import-confirm"' not in body
        assert not CalendarDay.objects.filter(date__year=2027).exists()

    def test_uploaded_file_fills_the_text(self, client, carol):
        client.force_login(carol)
        upload = SimpleUploadedFile("2027.txt", SIMPLE_2027.encode("gb18030"), content_type="text/plain")
        response = client.post(_import_url(), {"text": "", "upload": upload, "action": "preview"})
        assert response.status_code == 200
        assert response.context["form"]["text"].value() == SIMPLE_2027
        assert "预览：12 个日期" in response.content.decode()

    def test_too_large_or_unreadable_upload(self, client, carol):
        client.force_login(carol)
        big = SimpleUploadedFile("big.txt", b"a" * (65 * 1024), content_type="text/plain")
        response = client.post(_import_url(), {"text": "保留的文本", "upload": big, "action": "preview"})
        body = response.content.decode()
        assert "文件过大" in body and "保留的文本" in body
        binary = SimpleUploadedFile("x.csv", b"\x00\xff\xfe\x00", content_type="text/csv")
        assert "无法读取该文件" in client.post(_import_url(), {"upload": binary}).content.decode()

    def test_bureau_reads_but_may_not_import(self, client, dave):
        client.force_login(dave)
        page = client.get(reverse("calendar") + "?year=2027")
        assert page.status_code == 200
        body = page.content.decode()
        assert (
            "请联系市职业技能鉴定指导中心审核人员" in body
            and 'data-testid="calendar-import-link"' not in body
        )
        assert client.get(_import_url()).status_code == 403
        assert client.post(_import_url(), {"text": NOTICE_2027, "action": "confirm"}).status_code == 403
        assert (
            client.post(reverse("calendar_complete", kwargs={"year": 2027}), {"complete": "1"}).status_code
            == 403
        )
        assert not CalendarYear.objects.filter(year=2027).exists()

    def test_applicant_never_sees_it(self, client, alice):
        client.force_login(alice)
        assert client.get(reverse("calendar")).status_code == 404
        assert client.get(_import_url()).status_code == 404

    def test_years_out_of_range_and_bad_query_never_500(self, client, carol):
        client.force_login(carol)
        assert client.get(reverse("calendar") + "?year=abc").status_code == 200
        assert client.get(reverse("calendar") + "?year=1999").status_code == 404
        assert client.get(reverse("calendar") + "?year=99999999999999999999").status_code == 404
        assert client.get(_import_url(2030)).status_code == 404

    def test_declare_and_withdraw(self, client, carol):
        client.force_login(carol)
        url = reverse("calendar_complete", kwargs={"year": 2027})
        client.post(url, {"complete": "1"})
        assert CalendarYear.objects.get(year=2027).complete
        assert not deadline_2027().provisional
        client.post(url, {"complete": "0"})
        flag = CalendarYear.objects.get(year=2027)
        assert not flag.complete and flag.declared_by is None
        assert deadline_2027().provisional
        assert list(
            AuditEvent.objects.filter(event__startswith="calendar_year").values_list("event", flat=True)
        ) == [
            "calendar_year_declared",
            "calendar_year_withdrawn",
        ]

    def test_official_year_needs_no_declaration(self, client, carol):
        client.force_login(carol)
        response = client.post(
            reverse("calendar_complete", kwargs={"year": 2026}), {"complete": "1"}, follow=True
        )
        assert "无需确认" in response.content.decode()
        assert not CalendarYear.objects.filter(year=2026).exists()


@pytest.mark.usefixtures("frozen")
class TestBanner:
    def test_centre_is_sent_to_the_calendar_page(self, client, carol):
        client.force_login(carol)
        body = client.get(reverse("dashboard")).content.decode()
        assert 'data-testid="calendar-banner"' in body
        assert "请在“工作日历”页面导入国务院办公厅的节假日安排通知" in body
        assert reverse("calendar") + "?year=2027" in body
        assert "请在后台" not in body

    def test_bureau_is_told_whom_to_ask(self, client, dave):
        client.force_login(dave)
        body = client.get(reverse("dashboard")).content.decode()
        assert "如需录入，请联系市职业技能鉴定指导中心审核人员。" in body
        assert "请在“工作日历”页面导入" not in body

    def test_one_entry_keeps_the_banner_a_declaration_removes_it(self, client, carol):
        client.force_login(carol)
        CalendarDayFactory(date=date(2027, 1, 1), is_working_day=False, note="元旦")
        assert 'data-testid="calendar-banner"' in client.get(reverse("dashboard")).content.decode()
        CalendarYearFactory(year=2027, complete=True)
        assert 'data-testid="calendar-banner"' not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.usefixtures("frozen")
class TestLongPastes:
    """Issue 30, finding 6: a long bad paste listed every error line (a 5 MB page). The page lists
    calendar_import.LISTED_MAX of them and says how many more."""

    def test_a_long_bad_paste_lists_the_first_problems_and_counts_the_rest(self, client, carol):
        from portal.calendar_import import LISTED_MAX

        bad = 5000
        text = "\n".join(f"2027-02-{30 + i % 2} 上班" for i in range(bad))
        client.force_login(carol)
        response = client.post(_import_url(), {"text": text, "action": "preview"})
        assert response.status_code == 200
        body = response.content.decode()
        assert len(response.context["parsed"].errors) == bad  # all found, not all listed
        assert body.count("不存在。</li>") == LISTED_MAX
        assert f"另有 {bad - LISTED_MAX} 个问题未列出，请先改正上面这些后重新预览。" in body
        assert len(body) < len(text) + 100_000  # the pasted text in the textarea, and a page around it
        assert not CalendarDay.objects.filter(date__year=2027).exists()

    def test_a_few_problems_are_all_listed_without_a_count(self, client, carol):
        client.force_login(carol)
        body = client.post(_import_url(), {"text": "2027-02-30 上班\n2027-02-31 上班"}).content.decode()
        assert body.count("不存在。</li>") == 2 and "未列出" not in body

    def test_ignored_lines_are_capped_too(self, client, carol):
        from portal.calendar_import import LISTED_MAX

        text = SIMPLE_2027 + "\n".join(f"说明文字第{i}段" for i in range(300))
        client.force_login(carol)
        body = client.post(_import_url(), {"text": text, "action": "preview"}).content.decode()
        assert "已忽略 300 行" in body
        assert body.count("段</li>") == LISTED_MAX
        assert f"另有 {300 - LISTED_MAX} 行未列出。" in body

"""Importing one year's State Council notice (国务院办公厅关于某年部分节假日安排的通知) into the
working-day calendar: parse the pasted text, preview what changes, then save the entries and
(optionally) declare the year complete in one transaction, audited.

The text is read line by line, each line cut into clauses at 。；;，, . A clause that names dates and
says 放假 (or 休息) makes them days off; one that says 上班 makes them working days (调休上班). Dates
may be written ``2027-01-01``, ``2027/1/1``, ``2027年1月1日`` or, as in the notice itself, ``1月1日``
(the year being imported); ``至``, ``到``, ``~`` or ``—`` between two dates of a 放假 sentence is a
range, and ``至3日`` after ``1月1日`` stays in January. The words before the first date (numbering
such as ``一、`` dropped) name the holiday and become the entries' note, also for the make-up days
later on the same line. So both of these work::

    元旦 2027-01-01 至 2027-01-03 放假
    2027-02-07 上班
    二、春节：2月5日（星期五）至11日（星期四）放假调休，共7天。2月7日（星期日）上班。

Lines that import nothing (the title, the preamble, the signature date: no 放假 or 上班) are listed in
the preview as ignored.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import audit, workdays

_CLAUSE_END = re.compile(r"[。；;，,]")
# A date: full (2027-01-01, 2027/1/1, 2027.1.1, 2027年1月1日), month and day (1月1日), or a bare day
# after a range word (至3日).
_DATE = re.compile(
    r"(?P<full>(?P<y>\d{4})\s*(?:[-/.]|年)\s*(?P<m>\d{1,2})\s*(?:[-/.]|月)\s*(?P<d>\d{1,2})\s*日?)"
    r"|(?P<md>(?P<m2>\d{1,2})\s*月\s*(?P<d2>\d{1,2})\s*日)"
    r"|(?P<dd>(?P<d3>\d{1,2})\s*日)"
)
_RANGE = re.compile(r"^\s*(?:（[^）]*）|\([^)]*\))?\s*(?:至|到|~|～|—|–|－|-)\s*$")
_OFF_WORDS = ("放假", "休息", "休假")
_WORK_WORDS = ("上班",)
_NUMBERING = re.compile(r"^\s*(?:[一二三四五六七八九十]+|\d+)\s*[、.．]\s*")
_NAME_TRIM = " \t:：,，、（）()"

NOTE_MAX_LENGTH = 100  # CalendarDay.note
# The preview lists at most this many problems (and ignored lines), then says how many more: a long bad
# paste listed every line, a 5 MB page (issue 30, finding 6). 50 is more than a real notice has lines.
LISTED_MAX = 50


@dataclass(frozen=True)
class ParsedDay:
    date: date
    is_working_day: bool
    note: str
    line: int


@dataclass(frozen=True)
class Change:
    """One day of the preview against the entry it has today (None: no entry)."""

    day: ParsedDay
    current: bool | None  # today's entry: True working, False off, None no entry

    @property
    def kind(self) -> str:
        if self.current is None:
            return "new"
        return "same" if self.current == self.day.is_working_day else "changed"


@dataclass
class Parsed:
    year: int
    days: list[ParsedDay] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    ignored: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors and bool(self.days)

    @property
    def listed_errors(self) -> list[str]:
        """The first LISTED_MAX problems, what the page shows; ``more_errors`` says how many are left."""
        return self.errors[:LISTED_MAX]

    @property
    def more_errors(self) -> str:
        """The line 另有 N 个问题未列出 when some were left out of ``listed_errors``, else an empty string."""
        left = len(self.errors) - LISTED_MAX
        if left <= 0:
            return ""
        return _("另有 %(n)s 个问题未列出，请先改正上面这些后重新预览。") % {"n": left}

    @property
    def listed_ignored(self) -> list[tuple[int, str]]:
        return self.ignored[:LISTED_MAX]

    @property
    def more_ignored(self) -> str:
        left = len(self.ignored) - LISTED_MAX
        if left <= 0:
            return ""
        return _("另有 %(n)s 行未列出。") % {"n": left}


def _date_of(
    match, year: int, month: int | None, lineno: int, errors: list[str]
) -> tuple[date | None, int | None]:
    if match.group("full"):
        y, m, d = int(match.group("y")), int(match.group("m")), int(match.group("d"))
    elif match.group("md"):
        y, m, d = year, int(match.group("m2")), int(match.group("d2"))
    else:
        if month is None:
            return None, month
        y, m, d = year, month, int(match.group("d3"))
    try:
        found = date(y, m, d)
    except ValueError:
        errors.append(
            _("第 %(line)s 行：日期“%(text)s”不存在。") % {"line": lineno, "text": match.group(0).strip()}
        )
        return None, m
    if y != year:
        errors.append(
            _("第 %(line)s 行：日期 %(date)s 不在 %(year)s 年内；本次只能导入 %(year)s 年的安排。")
            % {"line": lineno, "date": found.isoformat(), "year": year}
        )
        return None, m
    return found, m


def parse(text: str, year: int) -> Parsed:
    """The days a notice's text declares for ``year``, with one Chinese message per problem."""
    result = Parsed(year)
    seen: dict[date, ParsedDay] = {}
    if not (text or "").strip():
        result.errors.append(_("请粘贴通知文本或上传文本文件。"))
        return result
    for lineno, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        line_name = ""
        found_any = False
        for sentence in _CLAUSE_END.split(line):
            matches = list(_DATE.finditer(sentence))
            if not any(m.group("full") or m.group("md") for m in matches):
                continue
            name = _NUMBERING.sub("", sentence[: matches[0].start()]).strip(_NAME_TRIM)
            name = name or line_name
            line_name = name
            working = any(word in sentence for word in _WORK_WORDS)
            off = any(word in sentence for word in _OFF_WORDS)
            if not working and not off:
                continue  # a date without 放假 or 上班 (the notice's own date): listed as ignored
            found_any = True
            if working and off:
                result.errors.append(
                    _("第 %(line)s 行：同一句中既有“放假”又有“上班”，请用逗号或句号分开。") % {"line": lineno}
                )
                continue
            dates: list[tuple[date, str]] = []  # (date, the text between it and the previous date)
            month = None
            previous_end = 0
            for match in matches:
                found, month = _date_of(match, year, month, lineno, result.errors)
                if found is not None:
                    dates.append((found, sentence[previous_end : match.start()]))
                previous_end = match.end()
            days: list[date] = []
            for i, (d, before) in enumerate(dates):
                if i and _RANGE.match(before) and not working:
                    start = dates[i - 1][0]
                    if d < start:
                        result.errors.append(
                            _("第 %(line)s 行：区间 %(start)s 至 %(end)s 的结束日早于开始日。")
                            % {"line": lineno, "start": start.isoformat(), "end": d.isoformat()}
                        )
                        continue
                    days.extend(start + timedelta(days=k) for k in range(1, (d - start).days + 1))
                else:
                    days.append(d)
            if working:
                note = f"{name}调休上班"  # the entry's note is data, in Chinese like the notice
            else:
                note = name or "放假"
            for d in days:
                day = ParsedDay(d, working, note[:NOTE_MAX_LENGTH], lineno)
                earlier = seen.get(d)
                if earlier is None:
                    seen[d] = day
                elif earlier.is_working_day != working:
                    result.errors.append(
                        _("第 %(line)s 行：%(date)s 在第 %(earlier)s 行标为%(was)s，不能又标为%(now)s。")
                        % {
                            "line": lineno,
                            "date": d.isoformat(),
                            "earlier": earlier.line,
                            "was": _("上班") if earlier.is_working_day else _("放假"),
                            "now": _("上班") if working else _("放假"),
                        }
                    )
        if not found_any:
            result.ignored.append((lineno, line))
    result.days = sorted(seen.values(), key=lambda day: day.date)
    if not result.days and not result.errors:
        result.errors.append(_("文本中没有找到 %(year)s 年的任何日期。") % {"year": year})
    return result


def decode_upload(data: bytes) -> str:
    """An uploaded text or CSV file as text: UTF-8 (with or without BOM), else GB18030 (what Chinese
    Windows saves). Raises ValueError with a Chinese message otherwise."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise ValueError(_("无法读取该文件：请上传 UTF-8 或 GB18030 编码的文本文件。"))


def preview(parsed: Parsed) -> tuple[list[Change], list]:
    """Each parsed day against today's entry, and the year's entries the notice does not list (they
    are kept)."""
    from .models import CalendarDay

    current = {row.date: row for row in CalendarDay.objects.filter(date__year=parsed.year).order_by("date")}
    changes = [
        Change(day, current[day.date].is_working_day if day.date in current else None) for day in parsed.days
    ]
    listed = {day.date for day in parsed.days}
    kept = [row for d, row in current.items() if d not in listed]
    return changes, kept


def apply(parsed: Parsed, actor, *, declare_complete: bool):
    """Saves the parsed days (each one an entry, replacing the entry of that date) and, if asked,
    declares the year complete: one transaction, one audit event. Returns the CalendarYear."""
    from .models import CalendarDay, CalendarYear

    if not parsed.ok:
        raise ValueError("apply() needs a parsed notice without errors")
    with transaction.atomic():
        calendar_year, _created = CalendarYear.objects.select_for_update().get_or_create(year=parsed.year)
        changes, _kept = preview(parsed)  # counted for the audit event against the entries of now
        for day in parsed.days:
            CalendarDay.objects.update_or_create(
                date=day.date,
                defaults={"is_working_day": day.is_working_day, "note": day.note, "updated_by": actor},
            )
        declared = declare_complete and not calendar_year.complete
        if declared:
            calendar_year.complete = True
            calendar_year.declared_by = actor
            calendar_year.declared_at = timezone.now()
            calendar_year.save()
        audit.record(
            "calendar_imported",
            calendar_year,
            actor,
            year=parsed.year,
            days=len(parsed.days),
            new=sum(1 for c in changes if c.kind == "new"),
            changed=sum(1 for c in changes if c.kind == "changed"),
            declared_complete=bool(declare_complete),
        )
        transaction.on_commit(workdays.clear_cache)
    return calendar_year


def set_complete(year: int, actor, complete: bool):
    """Declares ``year`` complete (or withdraws the declaration), audited."""
    from .models import CalendarYear

    with transaction.atomic():
        calendar_year, _created = CalendarYear.objects.select_for_update().get_or_create(year=year)
        was = calendar_year.complete
        calendar_year.complete = complete
        calendar_year.declared_by = actor if complete else None
        calendar_year.declared_at = timezone.now() if complete else None
        calendar_year.save()
        audit.record(
            "calendar_year_declared" if complete else "calendar_year_withdrawn",
            calendar_year,
            actor,
            from_state="complete" if was else "incomplete",
            to_state="complete" if complete else "incomplete",
            year=year,
        )
        transaction.on_commit(workdays.clear_cache)
    return calendar_year

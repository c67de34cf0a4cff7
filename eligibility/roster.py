"""Candidate rosters (one candidate per row, XLSX or CSV in UTF-8 or GB18030) checked against seed 000
附件1 and the title bridge, and, when the file has any of the title columns (``TITLE_COLUMNS``: awards,
competition class and rank, annual appraisals, date on the current post), against the title rules of
seed 002 附件2 (``titles.assess``). No database and no request: callers pass an occupation lookup.

    result = read_roster(uploaded_file, occupations={"4-03-02-01": "中式烹调师"}, on=date(2026, 11, 23))
    for row in result.rows:
        row.line, row.data, row.decision, row.bridge, row.errors
    row.title_decisions  # titles.assess's answer, when result.assesses_titles (else None)
    xlsx_bytes = write_result_xlsx(result)

Row-level problems (bad ID number, unknown occupation code, unparseable date or level...) go into
``row.errors`` and never stop the other rows; a file that cannot be read at all, or lacks a required
column, raises RosterError. The column layout is in README.md and in ``COLUMNS`` below; the template file
is fixtures/roster_template.xlsx (``write_template()`` builds it). Certification reuses ``read_roster`` for
candidate rosters (its rows carry the parsed Profile and level too).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from portal import identifiers, sheets
from portal.gcpause import paused_cyclic_gc
from portal.sheets import safe_cell

from . import constants as C
from . import titles as title_rules
from .annex1 import (
    LEVEL_LABEL,
    BridgeDecision,
    Certificate,
    Decision,
    Diploma,
    Profile,
    Title,
    check,
    check_title_bridge,
    today_in_shanghai,
)


class RosterError(ValueError):
    """The file as a whole cannot be used (unreadable, required column missing, too many rows)."""


@dataclass(frozen=True)
class Column:
    key: str
    header: str  # the header of the template (Chinese)
    aliases: tuple[str, ...]
    required: bool
    help: str


BASE_COLUMNS = (
    Column("name", "姓名", ("name",), True, gettext_lazy("参评人员姓名")),
    Column(
        "id_number",
        "身份证号码",
        ("身份证号", "公民身份号码", "居民身份证号码", "证件号码", "证件号", "id_number"),
        True,
        gettext_lazy("18 位居民身份证号码（出生日期由此读取）；填写了证件类型的，为该证件的号码"),
    ),
    Column(
        "occupation_code",
        "职业代码",
        ("职业编码", "occupation_code"),
        True,
        gettext_lazy("申报职业代码，格式 N-NN-NN-NN，须在职业目录中"),
    ),
    Column(
        "level",
        "申报等级",
        ("申报级别", "等级", "level"),
        True,
        gettext_lazy("1-5，或“三级”“高级工”“三级/高级工”等"),
    ),
    Column(
        "years_in_occupation",
        "从事本职业年限",
        ("累计从事本职业或相关职业工作年限", "工作年限", "years_in_occupation"),
        False,
        gettext_lazy("累计从事本职业或相关职业工作的年数，可为小数；空白为 0"),
    ),
    Column(
        "certificate_level",
        "最高证书等级",
        ("证书等级", "certificate_level"),
        False,
        gettext_lazy("本职业或相关职业最高职业资格（职业技能等级）证书的等级，1-5；无证书留空"),
    ),
    Column(
        "certificate_date",
        "证书取得日期",
        ("发证日期", "certificate_date"),
        False,
        gettext_lazy("YYYY-MM-DD（也接受 2021/3/1、2021年3月1日、20210301 和 Excel 日期）"),
    ),
    Column(
        "title",
        "职称",
        ("专业技术职称", "title"),
        False,
        gettext_lazy("初级/中级/高级（或助理工程师/工程师/高级工程师）；须符合专业对应关系；无则留空"),
    ),
    Column("title_date", "职称取得日期", ("title_date",), False, gettext_lazy("同证书取得日期")),
    Column(
        "diploma_kind",
        "毕业院校类型",
        ("学历类型", "diploma_kind"),
        False,
        gettext_lazy("本专业或相关专业的毕业证书类型，见下表；无则留空"),
    ),
    Column(
        "graduating",
        "是否在读应届毕业生",
        ("是否应届", "graduating"),
        False,
        gettext_lazy("是/否（空白为否）"),
    ),
    Column(
        "intends_to_work",
        "拟从事本职业",
        ("intends_to_work",),
        False,
        gettext_lazy("是/否，五级一(一)用（空白为否）"),
    ),
)
# Seed 002 附件2 (eligibility/titles.py), all optional: a file with any of them also gets the title decisions.
# The skill level held is 最高证书等级 and its date, the title 职称 and 职称取得日期 (above).
TITLE_COLUMNS = (
    Column(
        "awards",
        "获得奖项或称号",
        ("奖项或称号", "获奖情况", "荣誉称号", "awards"),
        False,
        gettext_lazy("附件2 二(二)3：中华技能大奖、全国技术能手等，多个用“、”或“,”分隔；无则留空"),
    ),
    Column(
        "competition_class",
        "竞赛类别",
        ("职业技能竞赛类别", "competition_class"),
        False,
        gettext_lazy("附件2 三(二)3：市级一类或二类职业技能竞赛；多次用“、”分隔，与竞赛名次一一对应"),
    ),
    Column(
        "competition_rank",
        "竞赛名次",
        ("职业技能竞赛名次", "competition_rank"),
        False,
        gettext_lazy("竞赛名次，不小于 1 的整数（也接受“第5名”）"),
    ),
    Column(
        "appraisals",
        f"近{C.TITLE_APPRAISAL_YEARS}年年度考核合格次数",
        ("年度考核合格次数", "appraisals_passed_last_3y"),
        False,
        gettext_lazy("附件2 二(二)1：在现工作岗位上近3年年度考核合格的次数，0-3；空白为 0"),
    ),
    Column(
        "post_since",
        "现岗位起始日期",
        ("在现工作岗位起始日期", "现工作岗位起始日期", "on_current_post_since"),
        False,
        gettext_lazy("在现工作岗位工作的起始日期，格式同证书取得日期；无则留空"),
    ),
)
TITLE_KEYS = frozenset(c.key for c in TITLE_COLUMNS)
# Optional (issue 43): the document the number belongs to, one of portal.identifiers.DocumentKind's labels; a
# file without the column, or a blank cell, reads as 居民身份证 (the layout before it). Checked through
# identifiers.check_document. A plan's candidate roster reads it too (certification stores the type with
# each candidate, RosterRow.document).
DOCUMENT_COLUMNS = (
    Column(
        "document_kind",
        "证件类型",
        ("证件种类", "document_kind"),
        False,
        gettext_lazy(
            "居民身份证、港澳台居民居住证、港澳居民来往内地通行证、台湾居民来往大陆通行证、"
            "外国人永久居留身份证或护照（护照号码前写签发国家的三位字母代码，如 USA123456789）；空白为居民身份证"
        ),
    ),
    # Asked for where the number does not carry them (issue 43: the two 通行证, a passport, the 2017
    # permanent residence ID); where it does, a cell that contradicts the number is an error.
    Column(
        "birth_date",
        "出生日期",
        ("出生年月日", "birth_date"),
        False,
        gettext_lazy(
            "证件号码不含出生日期的（通行证、护照、2017 年版外国人永久居留身份证）必填，YYYY-MM-DD；其他证件可留空"
        ),
    ),
    Column(
        "sex",
        "性别",
        ("sex",),
        False,
        gettext_lazy("男或女；证件号码不含性别的必填，其他证件可留空"),
    ),
)
DOCUMENT_KEYS = frozenset(c.key for c in DOCUMENT_COLUMNS)
# A plan's candidate roster only (certification reads it; read_roster(plan=True)): the candidate's relation to
# the institution, which decides whether an employer or a school may assess them (certification.rules).
PLAN_COLUMNS = (
    Column(
        "relation",
        "与本单位关系",
        ("人员类别", "用工类型", "relation"),
        False,
        gettext_lazy(
            "用人单位：本单位职工、劳务派遣人员、劳务外包人员或在企业实习人员；院校：本校学生；"
            "社会培训评价组织：社会人员"
        ),
    ),
)
PLAN_KEYS = frozenset(c.key for c in PLAN_COLUMNS)
COLUMNS = BASE_COLUMNS + TITLE_COLUMNS
REQUIRED_KEYS = tuple(c.key for c in COLUMNS if c.required)

DIPLOMA_NAMES = {
    "技工院校": "technical_school",
    "技工学校": "technical_school",
    "中等职业学校": "secondary_vocational",
    "中职": "secondary_vocational",
    "技工院校高级工班": "advanced_class",
    "高级工班": "advanced_class",
    "高等职业学校": "higher_vocational",
    "高职": "higher_vocational",
    "专科及以上普通高等学校": "higher_vocational",
    "普通高等学校": "higher_vocational",
    "经评估论证的高等职业学校": "assessed_higher_vocational",
    "经评估论证的普通高等学校": "assessed_higher_vocational",
    "高级技工学校": "senior_technical_school",
    "技师学院": "technician_college",
    "技师学院预备技师班": "technician_class",
    "技师学院技师班": "technician_class",
    "预备技师班": "technician_class",
    "技师班": "technician_class",
    **{kind: kind for kind in C.DIPLOMA_KINDS},
}
TITLE_NAMES = {
    "初级": "junior",
    "初级职称": "junior",
    "助理工程师": "junior",
    "中级": "intermediate",
    "中级职称": "intermediate",
    "工程师": "intermediate",
    "高级": "senior",
    "高级职称": "senior",
    "高级工程师": "senior",
    **{grade: grade for grade in C.TITLE_GRADES},
}
LEVEL_NAMES = {
    "五级": 5,
    "初级工": 5,
    "四级": 4,
    "中级工": 4,
    "三级": 3,
    "高级工": 3,
    "二级": 2,
    "技师": 2,
    "一级": 1,
    "高级技师": 1,
}
# 职称 (a grade of the Annex 1 engine) -> the title as seed 002 附件2 names it (titles.TitleProfile)
GRADE_TITLE = {grade: title for title, grade in C.ENGINEER_TITLE_GRADE.items()}
COMPETITION_CLASS_NAMES = {
    C.COMPETITION_CITY_CLASS_1: C.COMPETITION_CITY_CLASS_1,
    "一类": C.COMPETITION_CITY_CLASS_1,
    C.COMPETITION_CLASS_2: C.COMPETITION_CLASS_2,
}
_LIST_SEPARATORS = re.compile(r"[、,，;；\s]+")
_RANK_RE = re.compile(r"^第?(\d+)名?$")
YES = frozenset({"是", "y", "yes", "true", "1", "√", "✓", "应届"})
NO = frozenset({"否", "n", "no", "false", "0", ""})

_PARENS = re.compile(r"[（(].*?[）)]")
_SPACES = re.compile(r"\s+")
_DATE_RE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class RosterRow:
    """One candidate: ``line`` is the row number in the file (the header is a line too); ``data`` the
    values as given (by column key); ``decision``/``bridge`` are None when ``errors`` is not empty."""

    line: int
    data: dict
    occupation: object = None
    level: int | None = None
    profile: Profile | None = None
    decision: Decision | None = None
    bridge: BridgeDecision | None = None
    errors: list[str] = field(default_factory=list)
    title_profile: title_rules.TitleProfile | None = None
    title_decisions: list | None = None  # titles.assess's answer (when the file has a title column)
    document: identifiers.DocumentKind | None = (
        None  # the 证件类型 (resident ID when blank), None after an error
    )
    sex: str = ""  # 男 or 女: from the number where it carries it, else from the 性别 column

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class RosterResult:
    rows: list[RosterRow]
    columns: list[str]  # the keys of the columns found, in file order
    on: date
    assesses_titles: bool = False  # the file has a column of TITLE_COLUMNS: rows carry title_decisions

    @property
    def has_document_kind(self) -> bool:
        """The file has the 证件类型 column (DOCUMENT_COLUMNS): the answer repeats it."""
        return not DOCUMENT_KEYS.isdisjoint(self.columns)

    @property
    def eligible_count(self) -> int:
        return sum(1 for r in self.rows if r.decision is not None and r.decision.eligible)

    @property
    def decided_count(self) -> int:
        return sum(1 for r in self.rows if r.decision is not None)

    @property
    def error_count(self) -> int:
        return sum(1 for r in self.rows if r.errors)


# ---------------------------------------------------------------------------------------------------------
# Reading


def _normalize_header(value) -> str:
    text = _SPACES.sub("", str(value or ""))
    return _PARENS.sub("", text).lower()


_HEADER_KEYS = {}
for _column in COLUMNS + PLAN_COLUMNS + DOCUMENT_COLUMNS:
    for _name in (_column.header, *_column.aliases):
        _HEADER_KEYS[_normalize_header(_name)] = _column.key


def _to_bytes(file) -> bytes:
    if isinstance(file, bytes | bytearray | memoryview):
        return bytes(file)
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    return data.encode("utf-8") if isinstance(data, str) else data


def _xlsx_rows(data: bytes):
    """The first worksheet's rows as openpyxl's read-only reader gives them (portal.sheets.xlsx_values, read
    by python-calamine: issue 42 item 3)."""
    try:
        yield from sheets.xlsx_values(data)
    except sheets.UnreadableSheet:
        raise RosterError(_("无法读取该 XLSX 文件，请确认文件未损坏且为 Excel 2007 及以上格式。")) from None


def decode_text(data: bytes) -> str:
    """UTF-8 (with or without BOM), else GB18030 (which covers GBK/GB2312)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        raise RosterError(_("无法识别 CSV 文件的编码，请另存为 UTF-8 或 GB18030（GBK）编码。")) from None


def _csv_rows(data: bytes):
    text = decode_text(data)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def row_count(data: bytes, kind: str, stop: int | None = None) -> int:
    """The rows with a value in some cell, the header included (what a check will read), counting no
    further than ``stop``."""
    if kind == "xlsx":
        return sheets.xlsx_row_count(data, stop)
    count = 0
    for values in _csv_rows(data):
        if values and not _blank(values):
            count += 1
            if stop is not None and count >= stop:
                break
    return count


def max_rows() -> int:
    """The most rows a roster may have (ELIGIBILITY_ROSTER_MAX_ROWS overrides ROSTER_MAX_ROWS)."""
    return getattr(settings, "ELIGIBILITY_ROSTER_MAX_ROWS", C.ROSTER_MAX_ROWS)


def read_roster(
    file,
    occupations: Mapping | Callable,
    on: date | None = None,
    kind: str | None = None,
    max_rows: int | None = None,
    titles: bool | None = None,
    plan: bool = False,
    progress: Callable[[int], None] | None = None,
) -> RosterResult:
    """Reads ``file`` (bytes or a file object; ``kind`` "xlsx"/"csv" or sniffed) and checks every row.
    ``occupations`` maps an occupation code to the directory entry (a dict, or a callable returning None
    for an unknown code). ``on`` defaults to today in Asia/Shanghai. ``titles``: whether the title columns
    are read and the title rules asked; None (the default) when the file has any of ``TITLE_COLUMNS``;
    False ignores those columns (a plan's candidate roster, which does not use them). ``plan``: the file is
    a plan's candidate roster, whose ``PLAN_COLUMNS`` are kept in each row's ``data`` (as given)."""
    on = on or today_in_shanghai()
    data = _to_bytes(file)
    if kind is None:
        kind = "xlsx" if data.startswith(b"PK\x03\x04") else "csv"
    lookup = occupations if callable(occupations) else occupations.get
    max_rows = max_rows or getattr(settings, "ELIGIBILITY_ROSTER_MAX_ROWS", C.ROSTER_MAX_ROWS)
    # Counted before any row is read: a file far over the limit is refused at once (portal.sheets).
    too_long = RosterError(_("名单超过 %(max)s 行，请分批上传。") % {"max": max_rows})
    if kind == "xlsx":
        over = sheets.xlsx_rows_over(data, max_rows + 1)  # + 1: the header row
    else:
        over = sheets.text_rows_over(_csv_rows(data), max_rows + 1)
    if over:
        raise too_long
    source = _xlsx_rows(data) if kind == "xlsx" else _csv_rows(data)

    header_line = 0
    positions = None
    for values in source:
        header_line += 1
        if values and not _blank(values):
            positions = _positions(values)
            break
    if positions is None:
        raise RosterError(_("文件中没有表头行和数据。"))
    missing = [c.header for c in COLUMNS if c.required and c.key not in positions]
    if missing:
        raise RosterError(
            _("缺少必填列：%(columns)s。请使用名单模板（表头见模板第一行）。")
            % {"columns": "、".join(missing)}
        )

    rows = []
    seen_ids: dict[tuple, int] = {}  # (DocumentKind, normalised number) -> line
    items = tuple(positions.items())
    if titles is False:
        items = tuple((key, i) for key, i in items if key not in TITLE_KEYS)
    if not plan:
        items = tuple((key, i) for key, i in items if key not in PLAN_KEYS)
    assesses_titles = not TITLE_KEYS.isdisjoint(positions) if titles is None else titles
    honours = tuple(getattr(settings, "ELIGIBILITY_LEADING_TALENT_HONOURS", ())) if assesses_titles else ()
    with paused_cyclic_gc():
        for line, values in enumerate(source, start=header_line + 1):
            if not values or _blank(values):
                continue
            if len(rows) >= max_rows:
                raise too_long
            width = len(values)
            data_row = {key: (values[i] if i < width else None) for key, i in items}
            row = _check_row(line, data_row, lookup, on, seen_ids)
            if assesses_titles:
                _check_titles(row, data_row, on, honours)
            rows.append(row)
            if progress is not None and len(rows) % C.ROSTER_PROGRESS_EVERY == 0:
                progress(len(rows))  # a background check's progress bar (eligibility.roster_job)
    columns = [key for key, _i in items]
    return RosterResult(rows=rows, columns=columns, on=on, assesses_titles=assesses_titles)


def _positions(header) -> dict[str, int]:
    positions = {}
    for index, value in enumerate(header):
        key = _HEADER_KEYS.get(_normalize_header(value))
        if key and key not in positions:
            positions[key] = index
    return positions


def _text(value) -> str:
    if value.__class__ is str:  # most cells: ASCII is its own NFKC form (issue 42 item 3, ~170,000 calls)
        return value.strip() if value.isascii() else identifiers.normalize_text(value)
    if value is None:
        return ""
    if value.__class__ is int:
        return str(value)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    # Full-width digits, letters and spaces (U+3000) typed on Chinese keyboards read as ASCII.
    return identifiers.normalize_text(str(value))


def parse_date(value) -> date:
    """A date from a cell: a date/datetime, an Excel serial number, 20210301, or text such as 2021-03-01,
    2021/3/1, 2021.3.1, 2021年3月1日. Raises ValueError."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = int(value)
        if 19000101 <= number <= 29991231:
            return datetime.strptime(str(number), "%Y%m%d").date()
        if 0 < number < 100000:
            from openpyxl.utils.datetime import from_excel

            return from_excel(value).date()
        raise ValueError(value)
    text = _text(value)
    match = _DATE_RE.match(text)
    if match:
        return date(int(match[1]), int(match[2]), int(match[3]))
    if len(text) == 8 and text.isdigit():
        return datetime.strptime(text, "%Y%m%d").date()
    raise ValueError(value)


def parse_level(value) -> int:
    """1-5 from 3, "3", "3级", "三级", "高级工", "三级/高级工". Raises ValueError."""
    text = _text(value).replace(" ", "")
    for part in text.split("/"):
        if part in LEVEL_NAMES:
            return LEVEL_NAMES[part]
        digits = part[:-1] if part.endswith("级") else part
        if digits.isdigit() and 1 <= int(digits) <= 5:
            return int(digits)
    raise ValueError(value)


def parse_flag(value) -> bool:
    text = _text(value).lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(value)


LABEL_CERTIFICATE_DATE = gettext_lazy("证书取得日期")
LABEL_TITLE_DATE = gettext_lazy("职称取得日期")
LABEL_GRADUATING = gettext_lazy("是否在读应届毕业生")
LABEL_INTENDS = gettext_lazy("拟从事本职业")
LABEL_AWARDS = gettext_lazy("获得奖项或称号")
LABEL_COMPETITION_CLASS = gettext_lazy("竞赛类别")
LABEL_COMPETITION_RANK = gettext_lazy("竞赛名次")
LABEL_APPRAISALS = gettext_lazy("近3年年度考核合格次数")
LABEL_POST_SINCE = gettext_lazy("现岗位起始日期")


def _check_row(line, data_row, lookup, on, seen_ids) -> RosterRow:
    row = RosterRow(line=line, data={key: _text(value) for key, value in data_row.items()})
    errors = row.errors
    get = data_row.get  # the cells as given (dates may be datetimes)
    data = row.data  # the same cells as text (_text)

    if "name" in row.data:
        row.data["name"] = identifiers.normalize_name(row.data["name"])
    if not row.data.get("name"):
        errors.append(_("姓名为空。"))

    birth_date = None
    document = row.document = _document_kind(row)
    before = len(errors)
    if document == identifiers.DocumentKind.RESIDENT_ID:
        birth_date = _check_resident_id(row, line, on, seen_ids)
    elif document is not None:
        birth_date = _check_other_document(row, document, line, on, seen_ids)
    if document is not None and len(errors) == before:  # a valid number: what it carries is known
        birth_date = _holder_facts(row, document, birth_date, on)

    code = row.data.get("occupation_code", "")
    occupation = lookup(code) if code else None
    if occupation is None:
        errors.append(
            _("职业代码“%(code)s”不在职业目录中。") % {"code": code} if code else _("职业代码为空。")
        )
    row.occupation = occupation

    try:
        row.level = parse_level(get("level"))
    except ValueError:
        errors.append(
            _("申报等级“%(value)s”无法识别（应为 1-5 或“三级/高级工”等）。")
            % {"value": row.data.get("level", "")}
        )

    years = 0.0
    raw_years = get("years_in_occupation")
    if data.get("years_in_occupation", ""):
        try:
            years = float(raw_years)
        except (TypeError, ValueError):
            errors.append(_("从事本职业年限“%(value)s”不是数字。") % {"value": data["years_in_occupation"]})
        else:
            if years < 0 or years != years:
                errors.append(_("从事本职业年限不能为负数。"))

    certificates = []
    if data.get("certificate_level", ""):
        try:
            cert_level = parse_level(get("certificate_level"))
        except ValueError:
            errors.append(_("最高证书等级“%(value)s”无法识别。") % {"value": row.data["certificate_level"]})
        else:
            obtained = _date_field(row, get("certificate_date"), LABEL_CERTIFICATE_DATE, on)
            if obtained:
                certificates.append(Certificate(cert_level, obtained))

    titles = []
    if data.get("title", ""):
        grade = TITLE_NAMES.get(row.data["title"].replace(" ", "").lower())
        if grade is None:
            errors.append(
                _("职称“%(value)s”无法识别（应为初级、中级、高级或助理工程师、工程师、高级工程师）。")
                % {"value": row.data["title"]}
            )
        else:
            obtained = _date_field(row, get("title_date"), LABEL_TITLE_DATE, on)
            if obtained:
                titles.append(Title(grade, obtained))

    diplomas = []
    if data.get("diploma_kind", ""):
        kind = DIPLOMA_NAMES.get(row.data["diploma_kind"].replace(" ", ""))
        if kind is None:
            errors.append(
                _("毕业院校类型“%(value)s”无法识别（见名单说明）。") % {"value": row.data["diploma_kind"]}
            )
        else:
            graduating = _flag_field(row, "graduating", LABEL_GRADUATING)
            diplomas.append(Diploma(kind, graduating=graduating))
    intends = _flag_field(row, "intends_to_work", LABEL_INTENDS)

    if errors:
        return row
    row.profile = Profile(
        birth_date=birth_date,
        years_in_occupation=years,
        intends_to_work=intends,
        certificates=certificates,
        titles=titles,
        diplomas=diplomas,
    )
    try:
        row.decision = check(row.profile, row.level, on=on)
        row.bridge = check_title_bridge(row.profile, row.level, on=on) if titles else None
    except ValueError as exc:  # the checks above should catch everything; keep the row, not the file
        errors.append(_("数据有误：%(error)s") % {"error": exc})
        row.decision = row.bridge = None
    return row


_NONE_WORDS = frozenset({"无", "暂无", "/", "-", "—"})  # written for "none" in a list cell


def _split(text: str) -> list[str]:
    """A list cell's items: ``text`` is the cell as RosterRow.data holds it (through _text)."""
    return [part for part in _LIST_SEPARATORS.split(text) if part and part not in _NONE_WORDS]


def _check_titles(row: RosterRow, data_row, on, honours) -> None:
    """The title columns of seed 002 附件2: each bad cell is a row error naming its column; a row without
    errors gets a TitleProfile and titles.assess's decisions."""
    get = data_row.get  # the cells as given (dates may be datetimes)
    cells = row.data  # the same cells as text (_text): what the checks of a blank cell read
    errors_before = len(row.errors)

    allowed = (*C.AWARDS, *(h for h in honours if h not in C.AWARDS))
    awards = []
    for name in _split(cells.get("awards", "")):
        if name in allowed:
            if name not in awards:
                awards.append(name)
        else:
            row.errors.append(
                _("%(label)s“%(value)s”不在可填范围内（可填：%(names)s）。")
                % {"label": LABEL_AWARDS, "value": name, "names": "、".join(allowed)}
            )

    classes = []
    for name in _split(cells.get("competition_class", "")):
        klass = COMPETITION_CLASS_NAMES.get(name.removesuffix("职业技能竞赛").removesuffix("竞赛"))
        if klass is None:
            row.errors.append(
                _("%(label)s“%(value)s”无法识别（应为%(names)s）。")
                % {"label": LABEL_COMPETITION_CLASS, "value": name, "names": "、".join(C.COMPETITION_TOP)}
            )
        classes.append(klass)
    ranks = []
    for text in _split(cells.get("competition_rank", "")):
        match = _RANK_RE.match(text)
        rank = int(match[1]) if match else 0
        if rank < 1:
            row.errors.append(
                _("%(label)s“%(value)s”应为不小于 1 的整数。")
                % {"label": LABEL_COMPETITION_RANK, "value": text}
            )
        ranks.append(rank)
    if classes and not ranks:
        row.errors.append(_("缺少%(label)s。") % {"label": LABEL_COMPETITION_RANK})
    elif ranks and not classes:
        row.errors.append(_("缺少%(label)s。") % {"label": LABEL_COMPETITION_CLASS})
    elif len(classes) != len(ranks):
        row.errors.append(
            _("竞赛类别有 %(classes)s 项，竞赛名次有 %(ranks)s 项，应一一对应。")
            % {"classes": len(classes), "ranks": len(ranks)}
        )

    appraisals = 0
    raw = cells.get("appraisals", "")
    if raw:
        try:
            appraisals = int(raw.removesuffix("次"))
        except ValueError:
            appraisals = -1
        if not 0 <= appraisals <= C.TITLE_APPRAISAL_YEARS:
            row.errors.append(
                _("%(label)s“%(value)s”应为 0-%(max)s 的整数。")
                % {"label": LABEL_APPRAISALS, "value": raw, "max": C.TITLE_APPRAISAL_YEARS}
            )

    post_since = (
        _date_field(row, get("post_since"), LABEL_POST_SINCE, on) if cells.get("post_since", "") else None
    )

    if len(row.errors) != errors_before:  # a bad title cell: no decision for the row, as for other cells
        row.decision = row.bridge = None
    if row.errors or row.profile is None:
        return
    certificates = row.profile.certificates
    years = cells.get("years_in_occupation", "")
    row.title_profile = title_rules.TitleProfile(
        level=certificates[0].level if certificates else None,
        level_obtained_on=certificates[0].obtained_on if certificates else None,
        titles=[(GRADE_TITLE[t.grade], t.obtained_on) for t in row.profile.titles],
        appraisals_passed_last_3y=appraisals,
        on_current_post_since=post_since,
        awards=awards,
        competitions=list(zip(classes, ranks, strict=True)),
        years_in_occupation=row.profile.years_in_occupation if years else None,
    )
    try:
        row.title_decisions = title_rules.assess(row.title_profile, on=on, extra_honours=honours)
    except title_rules.TitleInputError as exc:  # the checks above should catch everything
        row.errors.append(_("数据有误：%(error)s") % {"error": exc})
        row.decision = row.bridge = row.title_decisions = None


def _document_kind(row):
    """The row's DocumentKind (a blank or missing 证件类型 is a resident ID), None after an error."""
    text = row.data.get("document_kind", "")
    if not text:
        return identifiers.DocumentKind.RESIDENT_ID
    try:
        kind = identifiers.document_kind(text.replace(" ", ""))
    except ValueError:
        row.errors.append(_("证件类型“%(value)s”无法识别（见名单说明）。") % {"value": text})
        return None
    return kind


def _check_resident_id(row, line, on, seen_ids) -> date | None:
    errors = row.errors
    id_number = identifiers.normalize_id_number(row.data.get("id_number", ""))
    try:
        identifiers.validate_id_number(id_number)
    except ValidationError as exc:
        errors.append(_("身份证号码无效：%(error)s") % {"error": exc.messages[0]})
        return None
    # validated above: positions 7-14 are the birth date (GB 11643), no need to parse it again
    birth_date = date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    key = (identifiers.DocumentKind.RESIDENT_ID, id_number)
    if key in seen_ids:
        errors.append(_("身份证号码与第 %(line)s 行重复。") % {"line": seen_ids[key]})
    else:
        seen_ids[key] = line
    if birth_date > on:
        errors.append(_("身份证号码中的出生日期晚于检查日期。"))
    return birth_date


def _check_other_document(row, kind, line, on, seen_ids) -> date | None:
    """Any document but the resident ID: checked by identifiers.check_document; the birth date is read
    from the number where the document carries it (the residence permit, the 2023 permanent residence
    ID), else None (Annex 1's age rules then say the birth date is missing)."""
    errors = row.errors
    try:
        number = identifiers.check_document(kind, row.data.get("id_number", ""))
    except ValidationError as exc:
        errors.append(_("证件号码无效：%(error)s") % {"error": exc.messages[0]})
        return None
    row.data["id_number"] = number
    key = (kind, number)
    if key in seen_ids:
        errors.append(_("证件号码与第 %(line)s 行重复。") % {"line": seen_ids[key]})
    else:
        seen_ids[key] = line
    birth_date = identifiers.document_birth_date(kind, number)
    if birth_date is not None and birth_date > on:
        errors.append(_("证件号码中的出生日期晚于检查日期。"))
    return birth_date


SEX_WORDS = {"男": "男", "女": "女", "m": "男", "f": "女", "male": "男", "female": "女"}


def _holder_facts(row, document, carried: date | None, on) -> date | None:
    """The holder's birth date (returned) and sex (``row.sex``): from the number where the document carries
    them, else from the 出生日期 and 性别 cells, which are then required (the Annex 1 age rules and the
    certificate need them). A cell that contradicts the number is an error."""
    errors = row.errors
    label = identifiers.document_kind(document).label
    raw_birth, raw_sex = row.data.get("birth_date", ""), row.data.get("sex", "")
    given_birth = None
    if raw_birth:
        try:
            given_birth = parse_date(raw_birth)
        except (ValueError, OverflowError):
            errors.append(_("出生日期“%(value)s”无法识别（应为 YYYY-MM-DD）。") % {"value": raw_birth})
        else:
            if given_birth > on:
                errors.append(_("出生日期晚于检查日期。"))
    if carried is not None:
        if given_birth is not None and given_birth != carried:
            errors.append(
                _("出生日期与证件号码中的出生日期（%(date)s）不一致。") % {"date": carried.isoformat()}
            )
        birth = carried
    else:
        birth = given_birth
        if not raw_birth:
            errors.append(_("%(kind)s号码不含出生日期，请填写“出生日期”列。") % {"kind": label})
    carried_sex = {"M": "男", "F": "女"}.get(
        identifiers.document_sex(document, row.data.get("id_number", "")) or ""
    )
    given_sex = SEX_WORDS.get(raw_sex.strip().lower()) if raw_sex else None
    if raw_sex and given_sex is None:
        errors.append(_("性别“%(value)s”无法识别（应为男或女）。") % {"value": raw_sex})
    if carried_sex:
        if given_sex and given_sex != carried_sex:
            errors.append(_("性别与证件号码中的性别（%(sex)s）不一致。") % {"sex": carried_sex})
        row.sex = carried_sex
    else:
        row.sex = given_sex or ""
        if not raw_sex:
            errors.append(_("%(kind)s号码不含性别，请填写“性别”列。") % {"kind": label})
    return birth


def _date_field(row, raw, label, on) -> date | None:
    """A required date cell (the certificate or title it belongs to is given)."""
    if not _text(raw):
        row.errors.append(_("缺少%(label)s。") % {"label": label})
        return None
    try:
        value = parse_date(raw)
    except (ValueError, OverflowError):
        row.errors.append(
            _("%(label)s“%(value)s”无法识别（应为 YYYY-MM-DD）。") % {"label": label, "value": _text(raw)}
        )
        return None
    if value > on:
        row.errors.append(
            _("%(label)s %(value)s 晚于检查日期。") % {"label": label, "value": value.isoformat()}
        )
        return None
    return value


def _flag_field(row, key, label) -> bool:
    try:
        return parse_flag(row.data.get(key, ""))
    except ValueError:
        row.errors.append(
            _("%(label)s“%(value)s”应为“是”或“否”。") % {"label": label, "value": row.data[key]}
        )
        return False


# ---------------------------------------------------------------------------------------------------------
# Writing


def occupation_name(occupation) -> str:
    if occupation is None:
        return ""
    return str(getattr(occupation, "name", occupation))


def result_headers(titles: bool = False, documents: bool = False) -> list[str]:
    """The answer's headers; ``titles`` (a roster with title columns, ``RosterResult.assesses_titles``)
    adds the title columns' input and the title decisions of seed 002 附件2 before 错误; ``documents`` (a
    roster with the 证件类型 column, ``RosterResult.has_document_kind``) repeats it after the input."""
    columns = (COLUMNS if titles else BASE_COLUMNS) + (DOCUMENT_COLUMNS if documents else ())
    return [
        _("行号"),
        *[column.header for column in columns],
        _("职业名称"),
        _("是否符合"),
        _("符合条款"),
        _("职称贯通"),
        _("各条款说明"),
        *(title_headers() if titles else ()),
        _("错误"),
    ]


def title_headers() -> list[str]:
    """One line per title decision in each of these cells, in titles.assess's order."""
    return [
        _("附件2 评价目标"),
        _("附件2 条款"),
        _("附件2 结论"),
        _("附件2 破格"),
        _("附件2 须审核人员决定"),
        _("附件2 免于理论知识考核"),
        _("附件2 说明"),
    ]


def title_target_label(decision, gettext=None) -> str:
    """A title decision's target: a title (工程师) or a level (二级/技师)."""
    gettext = gettext or _
    target = decision.target
    return gettext(LEVEL_LABEL[target]) if isinstance(target, int) else gettext(target)


def title_verdict(decision, gettext=None) -> str:
    gettext = gettext or _
    if decision.eligible:
        return gettext("可以（破格）") if decision.exceptional else gettext("可以")
    if decision.needs_staff_decision:
        return gettext("须审核人员决定（破格）")
    return gettext("暂不可以")


def title_values(row: RosterRow, gettext=None) -> list[str]:
    """The title decisions of one row as the cells of ``title_headers()`` (empty when none)."""
    decisions = row.title_decisions
    if not decisions:
        return [""] * 7
    gettext = gettext or _
    yes, no = gettext("是"), gettext("否")
    targets = [title_target_label(d, gettext) for d in decisions]
    return [
        "\n".join(targets),
        "\n".join(d.clause for d in decisions),
        "\n".join(title_verdict(d, gettext) for d in decisions),
        "\n".join(yes if d.exceptional else no for d in decisions),
        "\n".join(yes if d.needs_staff_decision else no for d in decisions),
        "\n".join(yes if d.theory_waived else no for d in decisions),
        "\n".join(
            f"{d.clause} {target}：{' '.join(d.reasons)}"
            for d, target in zip(decisions, targets, strict=True)
        ),
    ]


def result_values(
    row: RosterRow, gettext=None, titles: bool = False, documents: bool = False, verdicts=None
) -> list:
    """One output row: the input as given, then eligible, clause, bridge, reasons, (the title decisions
    when ``titles``) and errors. ``verdicts``: the (符合, 不符合) texts, translated once per workbook by
    write_result_xlsx (default: translated here)."""
    decision = row.decision
    if decision is None:
        verdict = clause = bridge = reasons = ""
    else:
        if verdicts is None:
            verdicts = (_("符合"), _("不符合"))
        verdict = verdicts[0] if decision.eligible else verdicts[1]
        clause = decision.clause or ""
        bridge = "\n".join(row.bridge.texts(gettext)) if row.bridge is not None else ""
        reasons = "\n".join(decision.texts(gettext))
    data = row.data
    return [
        row.line,
        *[data.get(column.key, "") for column in (COLUMNS if titles else BASE_COLUMNS)],
        *([data.get(column.key, "") for column in DOCUMENT_COLUMNS] if documents else ()),
        occupation_name(row.occupation),
        verdict,
        clause,
        bridge,
        reasons,
        *(title_values(row, gettext) if titles else ()),
        "\n".join(row.errors),
    ]


def write_result_xlsx(result: RosterResult, gettext=None) -> bytes:
    """The result as an XLSX workbook (input columns + decision columns), formula injection escaped.

    Written as SpreadsheetML directly (inline strings, one sheet): openpyxl's writer took more than half
    of the 5-second budget for a 10,000-row roster; this takes a tenth of that. Tests read it back with
    openpyxl."""
    gettext = _memoized(gettext or _)
    titles = result.assesses_titles
    documents = result.has_document_kind
    headers = result_headers(titles, documents)
    letters = [_column_letter(i) for i in range(len(headers))]
    tail = _TAIL_WIDTHS_TITLES if titles else _TAIL_WIDTHS
    wrap_from = len(headers) - (len(tail) - 3)  # from 职称贯通 on: several lines each
    header_cells = _cell_heads(letters, style=1, wrap_from=None)
    cells = _cell_heads(letters, style=0, wrap_from=wrap_from)
    verdicts = (_("符合"), _("不符合"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _ROOT_RELS)
        archive.writestr(
            "xl/workbook.xml", _WORKBOOK.format(name=_xml_text(str(_("资格审核结果")), attr=True))
        )
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        archive.writestr("xl/styles.xml", _STYLES)
        # The sheet goes into the archive as it is written, a batch of rows at a time: joined into one
        # string first, a 20,000-row answer held some 250 MB at once (issue 42 item 4,
        # `bench/eligibility.py memory`).
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            parts = [_SHEET_HEAD.format(cols=_cols(headers, tail))]
            parts.append(_row_xml(1, headers, header_cells))
            with paused_cyclic_gc():  # as read_roster: the rows are all alive, and stay so
                for number, row in enumerate(result.rows, start=2):
                    values = result_values(row, gettext, titles, documents, verdicts)
                    parts.append(_row_xml(number, values, cells))
                    if len(parts) >= SHEET_ROWS_A_WRITE:
                        sheet.write("".join(parts).encode())
                        parts.clear()
            parts.append(_SHEET_TAIL)
            sheet.write("".join(parts).encode())
    return buffer.getvalue()


SHEET_ROWS_A_WRITE = 500  # a tuning choice (bench/eligibility.py): rows joined and compressed at a time


_COLUMN_WIDTHS = {0: 6, 1: 10, 2: 21, 3: 12, 4: 12}  # 行号, 姓名, 身份证号码, 职业代码, 申报等级
_TAIL_WIDTHS = (16, 8, 8, 40, 90, 40)  # 职业名称, 是否符合, 符合条款, 职称贯通, 各条款说明, 错误
# ... 各条款说明, then 附件2 评价目标, 条款, 结论, 破格, 须审核人员决定, 免于理论知识考核, 说明, then 错误
_TAIL_WIDTHS_TITLES = (*_TAIL_WIDTHS[:-1], 14, 9, 20, 8, 10, 10, 90, _TAIL_WIDTHS[-1])
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _memoized(gettext):
    """The same messages recur on every row: look each one up once per workbook."""
    cache = {}

    def translate(message):
        try:
            return cache[message]
        except KeyError:
            cache[message] = value = gettext(message)
            return value

    return translate


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _cols(headers, tail=_TAIL_WIDTHS) -> str:
    widths = dict(_COLUMN_WIDTHS)
    for offset, width in enumerate(tail):
        widths[len(headers) - len(tail) + offset] = width
    return "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{widths.get(i, 12)}" customWidth="1"/>'
        for i in range(len(headers))
    )


def _xml_text(value: str, attr=False) -> str:
    value = _XML_ILLEGAL.sub("", value)
    # str.replace is several times faster than str.translate here (long reasons, few special characters)
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return value.replace('"', "&quot;") if attr else value


# A text that needs none of _row_xml's work (no character XML cannot hold, nothing to escape): most cells.
_XML_WORK = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff&<>]")
_FORMULA_FIRST = frozenset(sheets.FORMULA_STARTS + sheets.FORMULA_LEADS)


def _cell_heads(letters, style, wrap_from) -> list[tuple[str, str, str]]:
    """Per column, the pieces of its cells around the row number: ('<c r="A', '"><v>', '" t="inlineStr"...')
    with the column's style, so that _row_xml only joins strings."""
    heads = []
    for index, letter in enumerate(letters):
        s = 2 if wrap_from is not None and index >= wrap_from else style
        style_attr = f' s="{s}"' if s else ""
        heads.append(
            (
                f'<c r="{letter}',
                f'"{style_attr}><v>',
                f'"{style_attr} t="inlineStr"><is><t xml:space="preserve">',
            )
        )
    return heads


def _cell_text(value: str) -> str:
    """A text cell's XML text: illegal characters removed, then a formula escaped (portal.sheets.safe_cell),
    then &, < and > escaped. A text with none of those characters, not starting like a formula, is as
    it is (checked without the three passes: issue 42 item 3)."""
    if _XML_WORK.search(value) is None:
        if not value or (value[0] not in _FORMULA_FIRST and not value[0].isspace()):
            return value
        return safe_cell(value)
    # Illegal characters go before the formula check: "\x01=1+2" must not become "=1+2".
    return _xml_text(safe_cell(_XML_ILLEGAL.sub("", value)))


def _row_xml(number, values, heads) -> str:
    row = str(number)
    cells = []
    for value, (open_, number_mid, text_mid) in zip(values, heads, strict=False):
        if value is None or value == "":
            continue
        if isinstance(value, bool):
            value = str(value)
        if isinstance(value, int | float):
            cells.append(f"{open_}{row}{number_mid}{value}</v></c>")
        else:
            cells.append(f"{open_}{row}{text_mid}{_cell_text(str(value))}</t></is></c>")
    return f'<row r="{row}">{"".join(cells)}</row>'


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
    'Target="worksheets/sheet1.xml"/>'
    '<Relationship Id="rId2" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Styles: 0 normal, 1 bold (header), 2 wrapped text aligned top (reasons and errors).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<sheetViews><sheetView workbookViewId="0"><pane xSplit="2" ySplit="1" topLeftCell="C2" '
    'activePane="bottomRight" state="frozen"/></sheetView></sheetViews>'
    "<cols>{cols}</cols><sheetData>"
)
_SHEET_TAIL = "</sheetData></worksheet>"


TEMPLATE_EXAMPLES = (
    (
        "张三",
        "120101199003071235",
        "4-03-02-01",
        "三级/高级工",
        6,
        "四级",
        "2021-03-01",
        "",
        "",
        "高职",
        "否",
        "",
        "",
        "",
        "",
        3,
        "2020-09-01",
    ),
    (
        "李四",
        "12010420021130523X",
        "4-03-02-02",
        "五级",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "是",
        "",
        "",
        "",
        "",
        "",
    ),
)


def write_template(titles: bool = True, plan: bool = False) -> bytes:
    """The roster template: the header row, two example rows and a sheet explaining each column.
    ``titles=False`` leaves out the title columns (a plan's candidate roster does not read them);
    ``plan=True`` adds the 证件类型 column (``DOCUMENT_COLUMNS``, blank in the examples: 居民身份证) and the
    plan roster's own columns (``PLAN_COLUMNS``)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    columns = (COLUMNS if titles else BASE_COLUMNS) + (DOCUMENT_COLUMNS + PLAN_COLUMNS if plan else ())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "名单"
    sheet.append([column.header for column in columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    own = len(COLUMNS if titles else BASE_COLUMNS)
    for example in TEMPLATE_EXAMPLES:
        sheet.append(list(example[:own]) + ([""] * len(DOCUMENT_COLUMNS) + ["本单位职工"] if plan else []))
    for index, column in enumerate(columns):
        sheet.column_dimensions[_column_letter(index)].width = max(12, len(column.header) * 2 + 4)
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "必填", "说明"])
    for column in columns:
        notes.append([column.header, "是" if column.required else "否", str(column.help)])
    notes.append([])
    notes.append(["毕业院校类型可填写", "", "、".join(name for name in DIPLOMA_NAMES if not name.isascii())])
    if titles:
        notes.append(["获得奖项或称号可填写", "", "、".join(C.AWARDS)])
        notes.append(["竞赛类别可填写", "", "、".join(C.COMPETITION_TOP)])
    notes.column_dimensions["A"].width = 20
    notes.column_dimensions["C"].width = 90
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

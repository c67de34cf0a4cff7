"""The candidate rules of seed 000 附件1 ("申请参加职业技能评价条件") as an explainable rule engine, and the
title bridge of seed 002 附件2 三(二)1. Pure Python: no database, no request, no Django import.

    decision = check(profile, level=3, on=date(2026, 11, 23))
    decision.eligible, decision.clause, decision.reasons

Semantics (each is tested in tests/eligibility):

- Clauses are numbered as in the seed: section 一 is level 5, 二 level 4, 三 level 3, 四 level 2, 五 level 1;
  ``decision.clause`` is the first clause of the level that is met ("三(二)"), or None.
- Every certificate, title and diploma is taken to be for this or a related occupation/specialty
  (本职业或相关职业 / 符合专业对应关系 / 本专业或相关专业) unless it has ``related=False``: then it is ignored
  wherever the seed requires the relation, and the reason says so. Two clauses put no specialty condition
  on the school: 四(四) (高级技工学校、技师学院毕业生) and 四(五) (技师学院预备技师班、技师班学生); there the
  school counts even when unrelated (the certificate must still be related).
- "取得N级证书后累计从事…满M年" is met when the years worked since obtaining the certificate are >= M. Given
  ``years_worked_since`` is used as is; when it is None it is the smaller of ``years_in_occupation`` and the
  full years from ``obtained_on`` to ``on``. A certificate of a higher level (smaller number) satisfies a
  requirement for a lower one. Titles count the same way, and a higher title satisfies a requirement for a
  lower one (中级 for 初级, 高级 for 中级 and 初级).
- Full years are anniversaries: exactly 5 years after a date counts as 5 (满5年), and a person is 16 on the
  16th birthday. A 29 February date has its anniversary on 28 February in common years (民法典 第二百零三条:
  no corresponding day -> the last day of the month).
- ``years_in_occupation`` (cumulative years in this or a related occupation) may be fractional; "满N年"
  means >= N.
- Diplomas: ``graduating=True`` means 在读应届毕业生, which the seed counts as holding the diploma where it
  says so ("（含在读应届毕业生）": 二(三), 三(四), 三(五), 三(六)). 四(四) asks for 毕业生, so an 在读应届毕业生
  does not meet it. Kinds imply the lower ones the wording covers (constants.DIPLOMA_COUNTS_AS): an
  ``advanced_class`` diploma is a 技工院校 diploma, ``senior_technical_school`` and ``technician_college``
  are 技工院校, ``assessed_higher_vocational`` is ``higher_vocational``. ``technician_class`` is a current
  student of a 技师学院 预备技师班/技师班 (四(五) whether or not graduating); only as an 在读应届毕业生 does it
  count as a 技工院校高级工班及以上 diploma.
- Level 5 一(一): age >= 16 and ``intends_to_work``; 一(二): age >= 16 and ``years_in_occupation > 0``.
- Level 2 四(二) needs both parts (junior title + 5 years, and a level-3 certificate + 1 year); likewise
  level 1 五(二) (intermediate title + 5 years, level-2 certificate + 1 year). 四(四): level-3 certificate, a
  高级技工学校 or 技师学院 diploma, and ``years_in_occupation`` >= 2. 四(五): a level-3 certificate held for
  2 full years and a ``technician_class`` student; no work years.
- ``on`` defaults to today in Asia/Shanghai. Bad input (level outside 1-5, a date after ``on``, negative
  years, unknown title grade or diploma kind) raises ValueError with a clear message.

Reasons are built from message ids (Chinese, marked with gettext_noop for the catalogue) and parameters:
``decision.reasons`` gives the Chinese sentences; pages call ``result.text(gettext)`` to translate.
"""

from __future__ import annotations

import calendar
import math
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from . import constants as C

SHANGHAI = ZoneInfo("Asia/Shanghai")


def gettext_noop(message: str) -> str:
    """Marks a message id for `makemessages` without importing Django (the engine stays pure)."""
    return message


# ---------------------------------------------------------------------------------------------------------
# Input


@dataclass(slots=True)
class Certificate:
    """A 职业资格 / 职业技能等级 certificate of ``level`` (1-5) for this or a related occupation."""

    level: int
    obtained_on: date
    years_worked_since: float | None = None
    related: bool = True


@dataclass(slots=True)
class Title:
    """A professional title (职称 / 专业技术人员职业资格): ``grade`` is junior | intermediate | senior."""

    grade: str
    obtained_on: date
    years_worked_since: float | None = None
    related: bool = True


@dataclass(slots=True)
class Diploma:
    """A diploma of ``kind`` (see constants.DIPLOMA_KINDS); ``graduating`` = 在读应届毕业生."""

    kind: str
    graduating: bool = False
    related: bool = True


@dataclass(slots=True)
class Profile:
    """What a candidate says about themself. ``years_in_occupation``: cumulative years working in this or
    a related occupation; ``intends_to_work``: intends to work in it (level 5 一(一))."""

    birth_date: date | None = None
    years_in_occupation: float = 0
    intends_to_work: bool = False
    certificates: list[Certificate] = field(default_factory=list)
    titles: list[Title] = field(default_factory=list)
    diplomas: list[Diploma] = field(default_factory=list)


def profile_from_id_number(id_number: str, **rest) -> Profile:
    """A Profile whose ``birth_date`` is read from an 18-character resident ID number (GB 11643), validated
    with ``stdnum.cn.ric``; a bad number raises ValueError saying so."""
    from stdnum import exceptions as stdnum_errors
    from stdnum.cn import ric

    try:
        number = ric.validate(ric.compact(id_number or "").upper())
        birth_date = ric.get_birth_date(number)
    except stdnum_errors.ValidationError as exc:
        raise ValueError(f"居民身份证号码无效（{exc}）：{id_number!r}") from None
    if "birth_date" in rest:
        raise ValueError("birth_date comes from the ID number; do not pass both")
    return Profile(birth_date=birth_date, **rest)


# ---------------------------------------------------------------------------------------------------------
# Output


class Duration(NamedTuple):
    """A missing duration: years, months, days (any may be 0)."""

    years: int
    months: int
    days: int


class Label(str):
    """A parameter that is itself a message id (a level, grade or diploma name): translated on render."""

    __slots__ = ()


class ClauseResult(NamedTuple):
    """One clause of the level: ``clause`` ("三(二)"), whether it is ``met``, and ``parts``: the facts that
    explain it, each a (message id, parameters) pair."""

    clause: str
    met: bool
    parts: tuple

    def text(self, gettext=None) -> str:
        """The sentence for this clause; ``gettext`` translates (default: the Chinese message ids)."""
        tr = gettext or _identity
        body = tr(SEPARATOR).join(_render(msg, params, tr) for msg, params in self.parts)
        template = MSG_MET if self.met else MSG_NOT_MET
        return tr(template) % {"clause": self.clause, "text": body}


class Decision:
    """The Annex 1 answer for one level: ``eligible``, the first ``clause`` met (None if none) and one
    ``reasons`` sentence per clause of the level, in the seed's order; ``results`` has the structured
    ClauseResults for pages that translate."""

    __slots__ = ("level", "eligible", "clause", "_raw", "_results", "_reasons")

    def __init__(self, level, eligible, clause, raw):
        self.level = level
        self.eligible = eligible
        self.clause = clause
        self._raw = raw  # (clause, met, parts) tuples: ClauseResults are built only when asked for
        self._results = None
        self._reasons = None

    @property
    def results(self) -> tuple:
        if self._results is None:
            self._results = tuple(ClauseResult._make(raw) for raw in self._raw)
        return self._results

    @property
    def reasons(self) -> list[str]:
        if self._reasons is None:
            self._reasons = [r.text() for r in self.results]
        return self._reasons

    def texts(self, gettext=None) -> list[str]:
        return [r.text(gettext) for r in self.results]

    def __repr__(self):
        return f"Decision(level={self.level}, eligible={self.eligible}, clause={self.clause!r})"


class BridgeDecision(NamedTuple):
    """The title bridge (seed 002 附件2 三(二)1), a route beside Annex 1: ``eligible`` to apply for the
    level on the strength of a title, with ``theory_exam_waived``; ``reasons`` as for Annex 1."""

    eligible: bool
    clause: str
    theory_exam_waived: bool
    results: tuple

    @property
    def reasons(self) -> list[str]:
        return [r.text() for r in self.results]

    def texts(self, gettext=None) -> list[str]:
        return [r.text(gettext) for r in self.results]


# ---------------------------------------------------------------------------------------------------------
# Messages (Chinese message ids; English in locale/en/translations.tsv)

MSG_MET = gettext_noop("%(clause)s 满足：%(text)s。")
MSG_NOT_MET = gettext_noop("%(clause)s 不满足：%(text)s。")
SEPARATOR = gettext_noop("；")  # between the facts of one clause
MSG_YEARS_N = gettext_noop("%(n)s 年")
MSG_MONTHS_N = gettext_noop("%(n)s 个月")
MSG_DAYS_N = gettext_noop("%(n)s 天")

F_NO_BIRTH = gettext_noop("未提供出生日期或身份证号码，无法判断是否年满 %(need)s 周岁")
F_UNDER_AGE = gettext_noop("现年 %(age)s 周岁，未满 %(need)s 周岁（%(when)s 年满 %(need)s 周岁）")
F_AGE_OK = gettext_noop("已年满 %(need)s 周岁（%(age)s 周岁）")
F_INTENDS = gettext_noop("拟从事本职业或相关职业工作")
F_NOT_INTENDS = gettext_noop("未表明拟从事本职业或相关职业工作")
F_WORKS = gettext_noop("从事本职业或相关职业工作（累计 %(years)s 年）")
F_NOT_WORKS = gettext_noop("未从事本职业或相关职业工作")
F_YEARS_OK = gettext_noop("累计从事本职业或相关职业工作 %(years)s 年，已满 %(need)s 年")
F_YEARS_SHORT = gettext_noop(
    "累计从事本职业或相关职业工作 %(years)s 年，未满 %(need)s 年，还需累计从事本职业或相关职业工作满 %(missing)s"
)
F_NO_CERT = gettext_noop("未取得本职业或相关职业%(level)s（或更高等级）职业资格（职业技能等级）证书")
F_CERT_YEARS_OK = gettext_noop(
    "取得%(level)s证书（%(date)s）后累计从事本职业或相关职业工作 %(years)s 年，已满 %(need)s 年"
)
F_CERT_YEARS_SHORT = gettext_noop(
    "取得%(level)s证书（%(date)s）后累计从事本职业或相关职业工作 %(years)s 年，未满 %(need)s 年，"
    "还需从事本职业或相关职业工作满 %(missing)s"
)
F_CERT_YEARS_SHORT_WHEN = gettext_noop(
    "取得%(level)s证书（%(date)s）后累计从事本职业或相关职业工作 %(years)s 年，未满 %(need)s 年，"
    "还需从事本职业或相关职业工作满 %(missing)s（最早 %(when)s 满足）"
)
F_CERT_HELD = gettext_noop("已取得%(level)s证书（%(date)s）")
F_CERT_HELD_OK = gettext_noop("取得%(level)s证书（%(date)s）已满 %(need)s 年")
F_CERT_HELD_SHORT = gettext_noop(
    "取得%(level)s证书（%(date)s）未满 %(need)s 年，还需 %(missing)s（%(when)s 满 %(need)s 年）"
)
F_NO_TITLE = gettext_noop("未取得符合专业对应关系的%(grade)s（或更高职称）")
F_TITLE_YEARS_OK = gettext_noop(
    "取得%(grade)s（%(date)s）后累计从事本职业或相关职业工作 %(years)s 年，已满 %(need)s 年"
)
F_TITLE_YEARS_SHORT = gettext_noop(
    "取得%(grade)s（%(date)s）后累计从事本职业或相关职业工作 %(years)s 年，未满 %(need)s 年，"
    "还需从事本职业或相关职业工作满 %(missing)s"
)
F_TITLE_YEARS_SHORT_WHEN = gettext_noop(
    "取得%(grade)s（%(date)s）后累计从事本职业或相关职业工作 %(years)s 年，未满 %(need)s 年，"
    "还需从事本职业或相关职业工作满 %(missing)s（最早 %(when)s 满足）"
)
F_NO_DIPLOMA = gettext_noop("未取得本专业或相关专业的%(required)s毕业证书（含在读应届毕业生）")
F_DIPLOMA = gettext_noop("取得%(diploma)s毕业证书")
F_DIPLOMA_GRADUATING = gettext_noop("为%(diploma)s在读应届毕业生（视同取得毕业证书）")
F_NO_GRADUATE = gettext_noop("不是高级技工学校、技师学院毕业生")
F_GRADUATING_ONLY = gettext_noop("为%(diploma)s在读应届毕业生，本项要求已毕业（毕业生）")
F_GRADUATE = gettext_noop("为%(diploma)s毕业生")
F_NO_STUDENT = gettext_noop("不是技师学院预备技师班、技师班学生")
F_STUDENT = gettext_noop("为技师学院预备技师班、技师班学生")
F_IGNORED = gettext_noop("另有 %(n)s 项与本职业（专业）不相关的证书、职称或学历，不予计算")

F_BRIDGE_OK = gettext_noop(
    "取得与现岗位相对应的%(title)s职称，可申请参加%(level)s职业技能评价，免于理论知识考核"
)
F_BRIDGE_OTHER = gettext_noop("%(title)s职称对应%(other)s，不对应%(level)s")
F_BRIDGE_NONE = gettext_noop("未取得与现岗位相对应的助理工程师、工程师或高级工程师职称")
F_BRIDGE_LEVEL = gettext_noop("职称贯通仅适用于三级/高级工、二级/技师、一级/高级技师")

LEVEL_LABEL = {
    5: Label(gettext_noop("五级/初级工")),
    4: Label(gettext_noop("四级/中级工")),
    3: Label(gettext_noop("三级/高级工")),
    2: Label(gettext_noop("二级/技师")),
    1: Label(gettext_noop("一级/高级技师")),
}
GRADE_LABEL = {
    "junior": Label(gettext_noop("初级职称")),
    "intermediate": Label(gettext_noop("中级职称")),
    "senior": Label(gettext_noop("高级职称")),
}
BRIDGE_TITLE_LABEL = {
    "junior": Label(gettext_noop("助理工程师")),
    "intermediate": Label(gettext_noop("工程师")),
    "senior": Label(gettext_noop("高级工程师")),
}
DIPLOMA_LABEL = {
    "technical_school": Label(gettext_noop("技工院校")),
    "secondary_vocational": Label(gettext_noop("中等职业学校")),
    "advanced_class": Label(gettext_noop("技工院校高级工班及以上")),
    "higher_vocational": Label(gettext_noop("高等职业学校、专科及以上普通高等学校")),
    "assessed_higher_vocational": Label(gettext_noop("经评估论证的高等职业学校、专科及以上普通高等学校")),
    "senior_technical_school": Label(gettext_noop("高级技工学校")),
    "technician_college": Label(gettext_noop("技师学院")),
    "technician_class": Label(gettext_noop("技师学院预备技师班、技师班")),
}
REQUIRED_ANY_SCHOOL = Label(gettext_noop("技工院校或中等及以上职业院校、专科及以上普通高等学校"))


def _identity(message):
    return message


def _render(message: str, params, tr) -> str:
    text = tr(message)
    if not params:
        return text
    out = {}
    for key, value in params.items():
        if isinstance(value, Label):
            value = tr(value)
        elif isinstance(value, Duration):
            value = format_duration(value, tr)
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, float):
            value = format_years(value)
        out[key] = value
    return text % out


def format_years(value) -> str:
    """4 -> "4", 4.5 -> "4.5", 3.333 -> "3.33"."""
    if value == int(value):
        return str(int(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def format_duration(duration: Duration, gettext=None) -> str:
    """Duration(1, 3, 0) -> "1 年 3 个月"."""
    tr = gettext or _identity
    parts = []
    if duration.years:
        parts.append(tr(MSG_YEARS_N) % {"n": duration.years})
    if duration.months:
        parts.append(tr(MSG_MONTHS_N) % {"n": duration.months})
    if duration.days or not parts:
        parts.append(tr(MSG_DAYS_N) % {"n": duration.days})
    return " ".join(parts)


# ---------------------------------------------------------------------------------------------------------
# Calendar arithmetic


def _time_worked(held: Certificate | Title, what: str, on: date, yio):
    """(years worked since ``held`` was obtained, obtained_on, the years given, full years held on ``on``),
    its dates checked: the years given are used as they are, else the smaller of the full years held and
    ``yio`` (the years in the occupation)."""
    obtained = held.obtained_on
    if obtained > on:
        raise ValueError(f"{what} obtained_on {obtained} is after the date of the check {on}")
    given = held.years_worked_since
    if given is not None and given < 0:
        raise ValueError(f"years_worked_since must not be negative ({given})")
    years = full_years(obtained, on)
    return (years if years < yio else yio) if given is None else given, obtained, given, years


def full_years(start: date, on: date) -> int:
    """Whole years from ``start`` to ``on``; the anniversary itself counts (5 years to the day = 5)."""
    years = on.year - start.year
    if on.month * 32 + on.day < start.month * 32 + start.day:
        # 29 February: in a common year the anniversary is 28 February (民法典 第二百零三条).
        if not (start.month == 2 and start.day == 29 and on.month == 2 and on.day == 28):
            years -= 1
        elif calendar.isleap(on.year):
            years -= 1
    return years


def add_years(start: date, years: int) -> date:
    """The ``years``-th anniversary of ``start`` (29 February -> 28 February in common years)."""
    try:
        return start.replace(year=start.year + years)
    except ValueError:
        return date(start.year + years, 2, 28)


def _add_months(start: date, months: int) -> date:
    total = start.year * 12 + start.month - 1 + months
    year, month = divmod(total, 12)
    month += 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


def between(a: date, b: date) -> Duration:
    """The calendar duration from ``a`` to a later ``b`` in years, months and days."""
    months = (b.year - a.year) * 12 + b.month - a.month
    if b.day < a.day:
        months -= 1
    anchor = _add_months(a, months)
    if anchor > b:  # month-end clamping overshot
        months -= 1
        anchor = _add_months(a, months)
    years, months = divmod(months, 12)
    return Duration(years, months, (b - anchor).days)


def _years_to_duration(years: float) -> Duration:
    """A shortfall in (possibly fractional) years, rounded up to whole months."""
    months = math.ceil(years * 12 - 1e-9)
    return Duration(months // 12, months % 12, 0)


def today_in_shanghai() -> date:
    return datetime.now(SHANGHAI).date()


# ---------------------------------------------------------------------------------------------------------
# Facts: one pass over the profile per check (validates as it goes)


class _Facts:
    __slots__ = (
        "on",
        "birth_date",
        "yio",
        "intends",
        "certs",
        "titles",
        "diplomas",
        "ignored",
        "ignored_diplomas",
        "age",
    )

    def __init__(self, profile: Profile, on: date):
        self.on = on
        yio = profile.years_in_occupation
        if yio is None:
            yio = 0
        elif type(yio) is not int and type(yio) is not float:  # noqa: E721 - exact types are the fast path
            try:
                if isinstance(yio, bool):
                    raise TypeError
                yio = float(yio)
            except (TypeError, ValueError):
                raise ValueError(f"years_in_occupation must be a number, not {yio!r}") from None
        if yio < 0:
            raise ValueError(f"years_in_occupation must not be negative ({yio})")
        self.yio = yio
        self.intends = bool(profile.intends_to_work)
        birth = profile.birth_date
        if birth is not None:
            if birth > on:
                raise ValueError(f"birth_date {birth} is after the date of the check {on}")
            self.age = full_years(birth, on)
        else:
            self.age = None
        self.birth_date = birth
        ignored = 0
        certs = []
        for cert in profile.certificates:
            level = cert.level
            if level not in _LEVEL_SET or isinstance(level, bool):
                raise ValueError(f"certificate level must be 1-5, not {level!r}")
            worked, obtained, given, held = _time_worked(cert, "certificate", on, yio)
            if not cert.related:
                ignored += 1
                continue
            certs.append((level, worked, obtained, given, held))
        titles = []
        for title in profile.titles:
            rank = C.TITLE_RANK.get(title.grade)
            if rank is None:
                raise ValueError(f"title grade must be junior, intermediate or senior, not {title.grade!r}")
            worked, obtained, given, _held = _time_worked(title, "title", on, yio)
            if not title.related:
                ignored += 1
                continue
            titles.append((rank, worked, obtained, given, title.grade))
        diplomas = []
        ignored_diplomas = 0
        for diploma in profile.diplomas:
            if diploma.kind not in C.DIPLOMA_COUNTS_AS:
                raise ValueError(
                    f"unknown diploma kind {diploma.kind!r} (one of {', '.join(C.DIPLOMA_KINDS)})"
                )
            if not diploma.related:
                ignored_diplomas += 1
            diplomas.append(diploma)
        self.certs = certs
        self.titles = titles
        self.diplomas = diplomas
        self.ignored = ignored  # unrelated certificates and titles
        self.ignored_diplomas = ignored_diplomas


_LEVEL_SET = frozenset(C.LEVELS)


def _best_cert(certs, level):
    """The related certificate of ``level`` or higher (smaller number) with the most years worked since."""
    best = None
    for cert in certs:
        if cert[0] <= level and (best is None or cert[1] > best[1]):
            best = cert
    return best


def _best_title(titles, rank):
    """The related title of ``rank`` or higher with the most years worked since."""
    best = None
    for title in titles:
        if title[0] >= rank and (best is None or title[1] > best[1]):
            best = title
    return best


def _since_part(item, need, facts, label, ok_msg, short_msg, short_when_msg):
    """(met, part) for "取得X后累计从事…满need年" with the best item."""
    years = item[1]
    params = {"level": label, "grade": label, "date": item[2], "years": years, "need": need}
    if years >= need:
        return True, (ok_msg, params)
    given = item[3]
    if given is not None:
        params["missing"] = _years_to_duration(need - given)
        return False, (short_msg, params)
    # Both the work years and the time since the date must reach `need`; working on from `on`, the larger
    # shortfall decides.
    work_short = need - facts.yio
    target = add_years(item[2], need)
    if target > facts.on:
        by_date = between(facts.on, target)
        if work_short <= by_date.years + (by_date.months + (1 if by_date.days else 0)) / 12:
            params["missing"] = by_date
            params["when"] = target
            return False, (short_when_msg, params)
    params["missing"] = _years_to_duration(work_short)
    return False, (short_msg, params)


# ---------------------------------------------------------------------------------------------------------
# Clause evaluators: each returns (met, parts)


def _age(facts):
    need = C.MIN_AGE
    if facts.age is None:
        return False, (F_NO_BIRTH, {"need": need})
    if facts.age < need:
        return False, (
            F_UNDER_AGE,
            {"age": facts.age, "need": need, "when": add_years(facts.birth_date, need)},
        )
    return True, (F_AGE_OK, {"need": need, "age": facts.age})


def ev_age_intends(facts, _args):
    ok, part = _age(facts)
    if not ok:
        return False, (part,)
    if facts.intends:
        return True, (part, (F_INTENDS, None))
    return False, (part, (F_NOT_INTENDS, None))


def ev_age_works(facts, _args):
    ok, part = _age(facts)
    if not ok:
        return False, (part,)
    if facts.yio > 0:
        return True, (part, (F_WORKS, {"years": facts.yio}))
    return False, (part, (F_NOT_WORKS, None))


def ev_years(facts, args):
    (need,) = args
    yio = facts.yio
    if yio >= need:
        return True, ((F_YEARS_OK, {"years": yio, "need": need}),)
    return False, ((F_YEARS_SHORT, {"years": yio, "need": need, "missing": _years_to_duration(need - yio)}),)


def _cert_years(facts, level, need):
    cert = _best_cert(facts.certs, level)
    if cert is None:
        return False, (F_NO_CERT, {"level": LEVEL_LABEL[level]})
    return _since_part(
        cert, need, facts, LEVEL_LABEL[cert[0]], F_CERT_YEARS_OK, F_CERT_YEARS_SHORT, F_CERT_YEARS_SHORT_WHEN
    )


def _title_years(facts, grade, need):
    title = _best_title(facts.titles, C.TITLE_RANK[grade])
    if title is None:
        return False, (F_NO_TITLE, {"grade": GRADE_LABEL[grade]})
    return _since_part(
        title,
        need,
        facts,
        GRADE_LABEL[title[4]],
        F_TITLE_YEARS_OK,
        F_TITLE_YEARS_SHORT,
        F_TITLE_YEARS_SHORT_WHEN,
    )


def ev_cert_years(facts, args):
    ok, part = _cert_years(facts, *args)
    return ok, (part,)


def ev_title_years(facts, args):
    ok, part = _title_years(facts, *args)
    return ok, (part,)


def ev_title_and_cert_years(facts, args):
    grade, title_need, level, cert_need = args
    ok1, part1 = _title_years(facts, grade, title_need)
    ok2, part2 = _cert_years(facts, level, cert_need)
    return ok1 and ok2, (part1, part2)


def _diploma(facts, kinds, required_label):
    """The best related diploma (graduated first) counting as one of ``kinds``."""
    found = None
    for diploma in facts.diplomas:
        if not diploma.related:
            continue
        counts_as = C.DIPLOMA_COUNTS_AS[diploma.kind]
        if diploma.kind == "technician_class" and not diploma.graduating:
            counts_as = _TECHNICIAN_CLASS_STUDENT  # a student not in the final year holds no diploma yet
        if counts_as.isdisjoint(kinds):
            continue
        if found is None or (found.graduating and not diploma.graduating):
            found = diploma
    if found is None:
        return False, (F_NO_DIPLOMA, {"required": required_label})
    msg = F_DIPLOMA_GRADUATING if found.graduating else F_DIPLOMA
    return True, (msg, {"diploma": DIPLOMA_LABEL[found.kind]})


_TECHNICIAN_CLASS_STUDENT = frozenset({"technician_class"})


def ev_diploma(facts, args):
    kinds, label = args
    ok, part = _diploma(facts, kinds, label)
    return ok, (part,)


def ev_cert_and_diploma(facts, args):
    level, kinds, label = args
    cert = _best_cert(facts.certs, level)
    if cert is None:
        ok1, part1 = False, (F_NO_CERT, {"level": LEVEL_LABEL[level]})
    else:
        ok1, part1 = True, (F_CERT_HELD, {"level": LEVEL_LABEL[cert[0]], "date": cert[2]})
    ok2, part2 = _diploma(facts, kinds, label)
    return ok1 and ok2, (part1, part2)


def ev_cert_graduate_years(facts, args):
    """四(四): a level-3 certificate, a 高级技工学校/技师学院 graduate (毕业生: not 在读), cumulative years."""
    level, need = args
    cert = _best_cert(facts.certs, level)
    if cert is None:
        ok1, part1 = False, (F_NO_CERT, {"level": LEVEL_LABEL[level]})
    else:
        ok1, part1 = True, (F_CERT_HELD, {"level": LEVEL_LABEL[cert[0]], "date": cert[2]})
    graduate = graduating = None
    for diploma in facts.diplomas:  # no specialty condition in the seed: unrelated schools count
        if diploma.kind in ("senior_technical_school", "technician_college"):
            if diploma.graduating:
                graduating = diploma
            else:
                graduate = diploma
    if graduate is not None:
        ok2, part2 = True, (F_GRADUATE, {"diploma": DIPLOMA_LABEL[graduate.kind]})
    elif graduating is not None:
        ok2, part2 = False, (F_GRADUATING_ONLY, {"diploma": DIPLOMA_LABEL[graduating.kind]})
    else:
        ok2, part2 = False, (F_NO_GRADUATE, None)
    ok3, (years_part,) = ev_years(facts, (need,))
    return ok1 and ok2 and ok3, (part1, part2, years_part)


def ev_cert_held_student(facts, args):
    """四(五): a level-3 certificate held for 2 full years (no work years) and a 技师学院 技师班 student."""
    level, need = args
    best = None
    for cert in facts.certs:
        if cert[0] <= level and (best is None or cert[2] < best[2]):
            best = cert  # the earliest obtained has been held longest
    if best is None:
        ok1, part1 = False, (F_NO_CERT, {"level": LEVEL_LABEL[level]})
    else:
        params = {"level": LEVEL_LABEL[best[0]], "date": best[2], "need": need}
        if best[4] >= need:
            ok1, part1 = True, (F_CERT_HELD_OK, params)
        else:
            when = add_years(best[2], need)
            params["when"] = when
            params["missing"] = between(facts.on, when)
            ok1, part1 = False, (F_CERT_HELD_SHORT, params)
    student = any(d.kind == "technician_class" for d in facts.diplomas)  # no specialty condition
    part2 = (F_STUDENT, None) if student else (F_NO_STUDENT, None)
    return ok1 and student, (part1, part2)


# ---------------------------------------------------------------------------------------------------------
# The clause tables (seed 000 附件1), per level, in the seed's order

_ANY_SCHOOL = frozenset({"technical_school", "secondary_vocational", "higher_vocational"})
_ADVANCED_CLASS = frozenset({"advanced_class"})
_HIGHER_VOCATIONAL = frozenset({"higher_vocational"})
_ASSESSED = frozenset({"assessed_higher_vocational"})

# (clause, evaluator, args, evidence): evidence says which unrelated items the clause would have read, so
# that its reason can say they were ignored: CT = certificates and titles, DIP = diplomas.
CT, DIP, CT_DIP = 1, 2, 3

CLAUSES = {
    5: (
        ("一(一)", ev_age_intends, (), 0),
        ("一(二)", ev_age_works, (), 0),
    ),
    4: (
        ("二(一)", ev_years, (C.L4_WORK_YEARS,), 0),
        ("二(二)", ev_cert_years, (C.L4_PRIOR_CERT_LEVEL, C.L4_AFTER_L5_CERT_YEARS), CT),
        ("二(三)", ev_diploma, (_ANY_SCHOOL, REQUIRED_ANY_SCHOOL), DIP),
    ),
    3: (
        ("三(一)", ev_years, (C.L3_WORK_YEARS,), 0),
        ("三(二)", ev_cert_years, (C.L3_PRIOR_CERT_LEVEL, C.L3_AFTER_L4_CERT_YEARS), CT),
        ("三(三)", ev_title_years, ("junior", C.L3_AFTER_JUNIOR_TITLE_YEARS), CT),
        ("三(四)", ev_diploma, (_ADVANCED_CLASS, DIPLOMA_LABEL["advanced_class"]), DIP),
        (
            "三(五)",
            ev_cert_and_diploma,
            (C.L3_PRIOR_CERT_LEVEL, _HIGHER_VOCATIONAL, DIPLOMA_LABEL["higher_vocational"]),
            CT_DIP,
        ),
        ("三(六)", ev_diploma, (_ASSESSED, DIPLOMA_LABEL["assessed_higher_vocational"]), DIP),
    ),
    2: (
        ("四(一)", ev_cert_years, (C.L2_PRIOR_CERT_LEVEL, C.L2_AFTER_L3_CERT_YEARS), CT),
        (
            "四(二)",
            ev_title_and_cert_years,
            (
                "junior",
                C.L2_AFTER_JUNIOR_TITLE_YEARS,
                C.L2_PRIOR_CERT_LEVEL,
                C.L2_JUNIOR_ROUTE_AFTER_L3_CERT_YEARS,
            ),
            CT,
        ),
        ("四(三)", ev_title_years, ("intermediate", C.L2_AFTER_INTERMEDIATE_TITLE_YEARS), CT),
        ("四(四)", ev_cert_graduate_years, (C.L2_PRIOR_CERT_LEVEL, C.L2_GRADUATE_WORK_YEARS), CT),
        ("四(五)", ev_cert_held_student, (C.L2_PRIOR_CERT_LEVEL, C.L2_STUDENT_L3_CERT_HELD_YEARS), CT),
    ),
    1: (
        ("五(一)", ev_cert_years, (C.L1_PRIOR_CERT_LEVEL, C.L1_AFTER_L2_CERT_YEARS), CT),
        (
            "五(二)",
            ev_title_and_cert_years,
            (
                "intermediate",
                C.L1_AFTER_INTERMEDIATE_TITLE_YEARS,
                C.L1_PRIOR_CERT_LEVEL,
                C.L1_INTERMEDIATE_ROUTE_AFTER_L2_CERT_YEARS,
            ),
            CT,
        ),
        ("五(三)", ev_title_years, ("senior", C.L1_AFTER_SENIOR_TITLE_YEARS), CT),
    ),
}


def _check_level(level):
    if isinstance(level, bool) or level not in _LEVEL_SET:
        raise ValueError(f"level must be one of 1-5 (1 = 一级/高级技师, 5 = 五级/初级工), not {level!r}")


def _check_on(on):
    if on is None:
        return today_in_shanghai()
    if isinstance(on, datetime):
        return on.astimezone(SHANGHAI).date() if on.tzinfo else on.date()
    if not isinstance(on, date):
        raise ValueError(f"on must be a date, not {on!r}")
    return on


def check(profile: Profile, level: int, on: date | None = None) -> Decision:
    """Whether ``profile`` may apply for ``level`` on ``on`` under seed 000 附件1: the first clause met and one
    reason per clause of the level (see the module docstring for the semantics)."""
    _check_level(level)
    on = _check_on(on)
    facts = _Facts(profile, on)
    results = []
    first = None
    for clause, evaluator, args, evidence in CLAUSES[level]:
        met, parts = evaluator(facts, args)
        if met:
            if first is None:
                first = clause
        elif evidence:
            ignored = (facts.ignored if evidence & CT else 0) + (
                facts.ignored_diplomas if evidence & DIP else 0
            )
            if ignored:
                parts = (*parts, (F_IGNORED, {"n": ignored}))
        results.append((clause, met, parts))
    return Decision(level, first is not None, first, results)


def check_title_bridge(profile: Profile, level: int, on: date | None = None) -> BridgeDecision:
    """Seed 002 附件2 三(二)1: 助理工程师 / 工程师 / 高级工程师 (titles junior / intermediate / senior, related
    to the current post) may apply for level 3 / 2 / 1 respectively ("分别") and are exempt from the theory
    exam. A separate route beside Annex 1; staff confirm the 工程技术领域 post themselves."""
    _check_level(level)
    on = _check_on(on)
    facts = _Facts(profile, on)
    clause = C.TITLE_BRIDGE_CLAUSE
    level_label = LEVEL_LABEL[level]
    if level not in C.TITLE_BRIDGE_LEVEL.values():
        result = ClauseResult(clause, False, ((F_BRIDGE_LEVEL, None),))
        return BridgeDecision(False, clause, False, (result,))
    held = {title[4] for title in facts.titles}
    for grade, bridge_level in C.TITLE_BRIDGE_LEVEL.items():
        if bridge_level == level and grade in held:
            part = (F_BRIDGE_OK, {"title": BRIDGE_TITLE_LABEL[grade], "level": level_label})
            return BridgeDecision(True, clause, True, (ClauseResult(clause, True, (part,)),))
    if held:
        parts = tuple(
            (
                F_BRIDGE_OTHER,
                {
                    "title": BRIDGE_TITLE_LABEL[grade],
                    "other": LEVEL_LABEL[C.TITLE_BRIDGE_LEVEL[grade]],
                    "level": level_label,
                },
            )
            for grade in C.TITLE_GRADES
            if grade in held
        )
    else:
        parts = ((F_BRIDGE_NONE, None),)
    if facts.ignored:
        parts = (*parts, (F_IGNORED, {"n": facts.ignored}))
    return BridgeDecision(False, clause, False, (ClauseResult(clause, False, parts),))

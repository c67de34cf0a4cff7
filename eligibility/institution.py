"""Institution conditions of a filing application (评价机构备案条件), evaluated from the form data.

Pure Python: no request, no database. The filings app converts a Filing into an :class:`Application`
and shows each :class:`Condition` to the applicant before submission and to staff during review, with
the clause it comes from and a reason in Chinese.

Sources:
- seed 000 二: occupations must be skill-type with a national standard, access-type excluded; an
  enterprise applying as a social training evaluation organisation has evaluated >= 500 person-times of
  its own staff; a social group needs >= 6 years of industry training/evaluation experience, waived for
  occupations whose national standard is younger than 6 years.
- seed 003 二(六): other organisations need >= 6 years; with 5 occupations or fewer each occupation
  >= 8,000 person-times; with more than 5, >= 50,000 in total and each >= 5,000. Seed 003 三: social
  organisations pick from the 85-occupation directory (附件1): the 2020 list, checked only when the
  setting asks for it (seed 000 二 decides now; filings/README.md "Which notice decides").
- seed 004 二(一): access-type occupations are excluded; 二(三): 技师学院 any level, 高级技工学校 level 3 and
  below, 技工学校 levels 4 and 5.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

from .annex1 import full_years

# Institution kinds (the values stored by filings.Filing.kind).
ENTERPRISE = "enterprise"  # 企业
TECHNICIAN_COLLEGE = "technician_college"  # 技师学院
SENIOR_TECHNICAL_SCHOOL = "senior_technical_school"  # 高级技工学校
TECHNICAL_SCHOOL = "technical_school"  # 技工学校
VOCATIONAL_SCHOOL = "vocational_school"  # 职业院校
PUBLIC_TRAINING_BASE = "public_training_base"  # 公共实训基地
INDUSTRY_ASSOCIATION = "industry_association"  # 行业协会
SOCIAL_GROUP = "social_group"  # 社会团体
OTHER = "other"  # 民办非企业单位及其他

SOCIAL_GROUP_KINDS = frozenset({SOCIAL_GROUP, INDUSTRY_ASSOCIATION})  # 行业协会 is a 社会团体
TECHNICAL_SCHOOL_KINDS = frozenset({TECHNICIAN_COLLEGE, SENIOR_TECHNICAL_SCHOOL, TECHNICAL_SCHOOL})
OTHER_ORGANISATION_KINDS = frozenset({VOCATIONAL_SCHOOL, PUBLIC_TRAINING_BASE, OTHER})

ROUTE_EMPLOYER = "Y"  # 用人单位 (seed 004 附件5 一)
ROUTE_SOCIAL = "S"  # 社会培训评价组织

# seed 000 二: an enterprise applying as a social organisation, person-times of its own staff.
ENTERPRISE_MIN_PERSON_TIMES = 500
# seed 000 二 (social groups) and seed 003 二(六)3 (other organisations): years of experience.
MIN_EXPERIENCE_YEARS = 6
# seed 000 二: the experience condition is waived for standards published less than this many years ago.
YOUNG_STANDARD_YEARS = 6
# seed 003 二(六)3: "申报职业（工种）数5个以下" (5 or fewer) versus more than 5.
FEW_OCCUPATIONS_MAX = 5
FEW_OCCUPATIONS_EACH_MIN = 8_000  # seed 003 二(六)3: each occupation, 5 or fewer occupations
MANY_OCCUPATIONS_TOTAL_MIN = 50_000  # seed 003 二(六)3: total, more than 5 occupations
MANY_OCCUPATIONS_EACH_MIN = 5_000  # seed 003 二(六)3: each occupation, more than 5 occupations

# seed 004 二(三): the levels each technical-school grade may evaluate (1 = 高级技师 ... 5 = 初级工).
SCHOOL_LEVELS = {
    TECHNICIAN_COLLEGE: frozenset({1, 2, 3, 4, 5}),
    SENIOR_TECHNICAL_SCHOOL: frozenset({3, 4, 5}),
    TECHNICAL_SCHOOL: frozenset({4, 5}),
}


@dataclass(frozen=True)
class OccupationRow:
    code: str
    name: str
    levels: frozenset[int] = frozenset()
    start_date: date | None = None  # 培训评价起始日期
    person_times: int = 0  # 已培训评价人数
    access_type: bool = False
    in_social_directory: bool = False  # the 2020 list, seed 003 附件1
    standard_year: int | None = None
    skill_type: bool = True  # 技能类职业 (seed 000 二)
    special_rule: bool = False  # 人力资源社会保障部有特殊规定 (seed 000 二)

    @property
    def has_national_standard(self) -> bool:
        """A national standard is known: its year is recorded, or the occupation is on the 2020 list of
        seed 003 附件1 (chosen from occupations with a standard, year not recorded)."""
        return self.standard_year is not None or self.in_social_directory


@dataclass(frozen=True)
class Application:
    kind: str
    route: str
    occupations: tuple[OccupationRow, ...] = ()
    on: date = field(default_factory=date.today)
    # seed 003 二(六)2: the number of the employer (Y) filing in force that an enterprise applying on the S
    # route holds ("" when it holds none; None when the caller does not know, and the condition is not read)
    employer_filing: str | None = None
    # seed 004 附件1 (统一社会信用代码/组织机构代码): the applicant identified itself by a 9-character organisation
    # code instead of the 18-character credit code
    organisation_code: bool = False


@dataclass(frozen=True)
class Condition:
    code: str
    clause: str
    title: str
    passed: bool
    reason: str


def _label(row: OccupationRow) -> str:
    return f"{row.name}（{row.code}）"


def experience_years(app: Application) -> int | None:
    """Whole years since the earliest training-evaluation start date of the occupations applied for."""
    starts = [row.start_date for row in app.occupations if row.start_date]
    if not starts:
        return None
    return full_years(min(starts), app.on)


def _every_row(code, clause, title, failing, refused, met, *, sep="、", **numbers) -> Condition:
    """A condition every occupation applied for must meet: ``failing`` lists those that do not, named in
    ``refused`` (its ``%(list)s``); ``met`` says it is met. ``numbers`` fill in both texts."""
    if failing:
        return Condition(code, clause, title, False, refused % {**numbers, "list": sep.join(failing)})
    return Condition(code, clause, title, True, met % numbers)


def _not_access_type(app: Application) -> Condition:
    return _every_row(
        "no_access_type",
        "seed 000 二；seed 004 二(一)",
        _("不含准入类职业"),
        [_label(r) for r in app.occupations if r.access_type],
        _("准入类职业不纳入职业技能等级认定范围：%(list)s。"),
        _("申报职业均非准入类职业。"),
    )


def _social_scope(app: Application) -> Condition:
    """seed 000 二 (decides over seed 003 三, a lapsed 2020 call; filings/README.md "Which notice decides"):
    skill-type occupations with a national standard, or newly published ones with a standard; those under a
    ministry special rule are excluded (access-type ones by ``_not_access_type``)."""
    return _every_row(
        "social_scope",
        "seed 000 二",
        _("申报职业为有国家职业技能标准的技能类职业"),
        [
            _label(r)
            for r in app.occupations
            if not r.skill_type or r.special_rule or not r.has_national_standard
        ],
        _("以下职业不是有国家职业技能标准的技能类职业，或人力资源社会保障部对其有特殊规定：%(list)s。"),
        _("申报职业均为有国家职业技能标准的技能类职业。"),
    )


def _in_directory(app: Application) -> Condition:
    return _every_row(
        "social_directory",
        "seed 003 三",
        _("申报职业在天津市社会培训评价职业目录内"),
        [_label(r) for r in app.occupations if not r.in_social_directory],
        _("以下职业不在《天津市社会培训评价职业目录》内：%(list)s。"),
        _("申报职业均在目录内。"),
    )


def _school_levels(app: Application) -> Condition:
    allowed = SCHOOL_LEVELS[app.kind]
    wrong = [
        f"{_label(r)}：{'、'.join(str(lv) for lv in sorted(r.levels - allowed))}"
        for r in app.occupations
        if r.levels - allowed
    ]
    return _every_row(
        "school_levels",
        "seed 004 二(三)",
        _("申报等级符合院校办学层次"),
        wrong,
        _("该类院校只能备案 %(allowed)s 级，以下申报等级超出范围：%(list)s。"),
        _("申报等级均在 %(allowed)s 级范围内。"),
        sep="；",
        allowed="、".join(str(lv) for lv in sorted(allowed)),
    )


def _short_of(rows, minimum) -> list[str]:
    """The occupations below ``minimum`` person-times, each with its figure."""
    return [f"{_label(r)}：{r.person_times}" for r in rows if r.person_times < minimum]


def _enterprise_scale(app: Application) -> Condition:
    return _every_row(
        "enterprise_scale",
        "seed 000 二；seed 003 二(六)2",
        _("企业已完成本企业职工评价 %(n)s 人次以上") % {"n": ENTERPRISE_MIN_PERSON_TIMES},
        _short_of(app.occupations, ENTERPRISE_MIN_PERSON_TIMES),
        _("以下职业的已培训评价人数不足 %(n)s 人次：%(list)s。"),
        _("每个申报职业均已达到 %(n)s 人次。"),
        sep="；",
        n=ENTERPRISE_MIN_PERSON_TIMES,
    )


def employer_filing_condition(app: Application) -> Condition:
    """seed 003 二(六)2: 企业应按津人社办发〔2020〕85号（或原津人社办发〔2019〕82号）规定进行备案 — an enterprise
    applies as a social training evaluation organisation only once it holds an employer (Y) filing."""
    title = _("企业已完成用人单位自主评价（Y）备案")
    if app.employer_filing:
        return Condition(
            "employer_filing",
            "seed 003 二(六)2",
            title,
            True,
            _("本单位用人单位自主评价备案：%(number)s。") % {"number": app.employer_filing},
        )
    return Condition(
        "employer_filing",
        "seed 003 二(六)2",
        title,
        False,
        _(
            "企业申报社会培训评价组织（S），须先按《市人社局关于全面开展企业技能人才自主评价工作的通知》"
            "（津人社办发〔2020〕85号）完成用人单位自主评价（Y）备案；未找到本单位有效期内的 Y 类备案。"
        ),
    )


def organisation_code_condition(app: Application) -> Condition:
    """seed 004 附件1 asks a 技工院校 for its 统一社会信用代码/组织机构代码: a school that has only the 9-character
    organisation code (GB 11714) may file with it; every other applicant files with its credit code."""
    title = _("以组织机构代码申报的为技工院校")
    if app.kind in TECHNICAL_SCHOOL_KINDS:
        return Condition(
            "organisation_code", "seed 004 附件1", title, True, _("技工院校可使用组织机构代码申报。")
        )
    return Condition(
        "organisation_code",
        "seed 004 附件1",
        title,
        False,
        _(
            "只有技工院校可以组织机构代码申报（《关于开展技工院校职业技能等级认定工作的通知》附件1）；"
            "其他单位请填写 18 位统一社会信用代码。"
        ),
    )


def _young_standard(row: OccupationRow, on: date) -> bool:
    return row.standard_year is not None and on.year - row.standard_year < YOUNG_STANDARD_YEARS


def _experience(app: Application, *, waivable: bool) -> Condition:
    years = experience_years(app)
    needing = [r for r in app.occupations if not (waivable and _young_standard(r, app.on))]
    clause = "seed 000 二" if waivable else "seed 003 二(六)3"
    title = _("%(n)s 年以上培训评价经验") % {"n": MIN_EXPERIENCE_YEARS}
    if waivable and app.occupations and not needing:
        return Condition(
            "experience",
            clause,
            title,
            True,
            _("申报职业的国家职业技能标准发布不足 %(n)s 年，不受培训评价年限限制。")
            % {"n": YOUNG_STANDARD_YEARS},
        )
    if years is None:
        return Condition("experience", clause, title, False, _("未填写培训评价起始日期，无法计算经验年限。"))
    if years >= MIN_EXPERIENCE_YEARS:
        return Condition("experience", clause, title, True, _("培训评价经验 %(y)s 年。") % {"y": years})
    return Condition(
        "experience",
        clause,
        title,
        False,
        _("培训评价经验仅 %(y)s 年，不足 %(n)s 年。") % {"y": years, "n": MIN_EXPERIENCE_YEARS},
    )


def _other_scale(app: Application) -> Condition:
    rows = app.occupations
    if len(rows) <= FEW_OCCUPATIONS_MAX:
        return _every_row(
            "organisation_scale",
            "seed 003 二(六)3",
            _("申报 5 个以下职业：每个职业累计 %(n)s 人次以上") % {"n": FEW_OCCUPATIONS_EACH_MIN},
            _short_of(rows, FEW_OCCUPATIONS_EACH_MIN),
            _("以下职业培训评价规模不足 %(n)s 人次：%(list)s。"),
            _("每个申报职业均已达到 %(n)s 人次。"),
            sep="；",
            n=FEW_OCCUPATIONS_EACH_MIN,
        )
    total = sum(r.person_times for r in rows)
    short = _short_of(rows, MANY_OCCUPATIONS_EACH_MIN)
    reasons = []
    if total < MANY_OCCUPATIONS_TOTAL_MIN:
        reasons.append(
            _("累计培训评价规模 %(total)s 人次，不足 %(n)s 人次。")
            % {"total": total, "n": MANY_OCCUPATIONS_TOTAL_MIN}
        )
    if short:
        reasons.append(
            _("以下职业不足 %(n)s 人次：%(list)s。")
            % {"n": MANY_OCCUPATIONS_EACH_MIN, "list": "；".join(short)}
        )
    return Condition(
        "organisation_scale",
        "seed 003 二(六)3",
        _("申报 5 个以上职业：累计 %(total)s 人次以上且每个职业 %(each)s 人次以上")
        % {"total": MANY_OCCUPATIONS_TOTAL_MIN, "each": MANY_OCCUPATIONS_EACH_MIN},
        not reasons,
        "".join(reasons) or _("累计 %(total)s 人次，每个职业均已达到要求。") % {"total": total},
    )


def _has_occupations(app: Application) -> Condition:
    return Condition(
        "occupations",
        "seed 000 附件2/附件3",
        _("至少申报一个职业（工种）"),
        bool(app.occupations),
        _("已申报 %(n)s 个职业（工种）。") % {"n": len(app.occupations)}
        if app.occupations
        else _("尚未填写申报职业（工种）。"),
    )


def evaluate(app: Application, *, social_directory_only: bool = False) -> list[Condition]:
    """All conditions that apply to ``app``, in the order a reviewer reads them. On the S route the
    occupations follow seed 000 二; ``social_directory_only`` adds the 2020 list of seed 003 三 (附件1)."""
    conditions = [_has_occupations(app), _not_access_type(app)]
    if app.organisation_code:
        conditions.append(organisation_code_condition(app))
    if app.kind in TECHNICAL_SCHOOL_KINDS:
        conditions.append(_school_levels(app))
    if app.route == ROUTE_SOCIAL:
        conditions.append(_social_scope(app))
        if social_directory_only:
            conditions.append(_in_directory(app))
        if app.kind == ENTERPRISE:
            if app.employer_filing is not None:
                conditions.append(employer_filing_condition(app))
            conditions.append(_enterprise_scale(app))
        elif app.kind in SOCIAL_GROUP_KINDS:
            conditions.append(_experience(app, waivable=True))
        elif app.kind in OTHER_ORGANISATION_KINDS:
            conditions.append(_experience(app, waivable=False))
            conditions.append(_other_scale(app))
    return conditions


def all_passed(conditions: list[Condition]) -> bool:
    return all(c.passed for c in conditions)

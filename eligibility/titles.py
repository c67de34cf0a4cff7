"""The title rules of seed 002 附件2 (《技能人才分类评价实施细则》 附件2 支持工程技术领域高技能人才与专业技术人才
职业贯通发展): from a skill level to a professional title (二) and from a title to a skill level (三), with
破格. Pure Python: no models, no request; every number is a named constant in eligibility/constants.py.

    decisions = assess(TitleProfile(level=2, level_obtained_on=date(2023, 3, 1), ...), on=date(2026, 11, 23))
    [(d.clause, d.target, d.eligible, d.reasons) for d in decisions]

One front door, ``assess(profile, on)``, answers both questions in this order:

- 二(二)1 基本条件 (always one decision, direction "skill_to_title"): the title that the highest level held
  opens (高级工 -> 技术员/助理工程师 after 2 full years, 技师 -> 工程师 after 3, 高级技师 -> 高级工程师 after 4;
  the years are the full years since ``level_obtained_on``, the same anniversary arithmetic as
  eligibility/annex1.py: exactly N years on the day is enough), and 3 annual appraisals passed on the
  current post (fewer than 3 full years on that post cannot show them). ``met_on`` is the latest date a
  time condition still unmet will be met. 初级 (助理工程师) is appointed by the employer under
  津人社局发〔2018〕31号, without review; the decision says so.
- 二(二)3 破格 (only when awards are given): one of the four named honours -> 高级工程师 directly, without
  the years; any other 高技能领军人才 honour -> ``needs_staff_decision`` (破格参评 with a written reason),
  not eligible by itself. Its target is the title the level held opens (助理工程师 without a level).
- 三(二)1 首次评价 (one decision per title held, or one for 三级 when none): the Annex 1 engine's own
  ``annex1.check_title_bridge``: this module calls it, there is no second copy of the rule.
- 三(二)2 晋级 (when a title holder also holds a level 2-5): the next level up, decided by
  ``annex1.check`` (seed 000 附件1); the decision carries that answer in ``annex1``. The years in the
  occupation, unless given, are the full years since ``level_obtained_on``.
- 三(二)3 破格 (only when competitions are given): 工程师/高级工程师 placed in the top 6 of a 市级一类 or the
  top 3 of a 二类 职业技能竞赛 -> 高级技师, theory waived; a 助理工程师 gets no 破格 whatever the placing.

All 三 routes waive the theory exam (三(二) last paragraph) when eligible. ``engineering_field`` /
``frontline_skill_post`` are the scopes of 二(一) and 三(一): False refuses, None (not said) leaves them to
staff. Bad input (a date after ``on``, a rank of 0, an unknown award, title or class, a level outside 1-5)
raises ``TitleInputError``, the portal's error (``portal.errors.PortalError``) with a Chinese message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from portal.errors import PortalError

from . import annex1
from . import constants as C

SKILL_TO_TITLE = "skill_to_title"
TITLE_TO_SKILL = "title_to_skill"

CLAUSE_BASIC = "二(二)1"
CLAUSE_AWARD = "二(二)3"
CLAUSE_BRIDGE = "三(二)1"
CLAUSE_PROMOTION = "三(二)2"
CLAUSE_COMPETITION = "三(二)3"

LEVEL_NAME = {5: "初级工", 4: "中级工", 3: "高级工", 2: "技师", 1: "高级技师"}


class TitleInputError(PortalError, ValueError):
    """Bad input to the title rules: the portal's error (pages show its Chinese text), also a ValueError
    like the Annex 1 engine's."""


@dataclass(slots=True)
class TitleProfile:
    """What a person says about themself for the title rules (every field has a default).

    ``level``: the highest skill level held (1-5, 1 highest) or None; ``titles``: (title, obtained_on)
    pairs, title one of 助理工程师/工程师/高级工程师; ``awards``: names from constants.AWARDS (or the extra
    honours given to ``assess``); ``competitions``: (class, rank) pairs, class 市级一类 or 二类."""

    level: int | None = None
    level_obtained_on: date | None = None
    titles: list = field(default_factory=list)
    appraisals_passed_last_3y: int = 0
    on_current_post_since: date | None = None
    engineering_field: bool | None = None
    frontline_skill_post: bool | None = None
    awards: list = field(default_factory=list)
    competitions: list = field(default_factory=list)
    years_in_occupation: float | None = None  # 三(二)2 only; None = the full years since level_obtained_on


@dataclass(slots=True)
class TitleDecision:
    """One answer: ``target`` is a title (skill_to_title) or a level 3/2/1 (title_to_skill); ``met_on`` the
    date an unmet time condition will be met; ``reasons`` Chinese sentences, rendered when read from
    ``parts`` (sentences, or an Annex 1 answer whose own reasons are rendered then); ``annex1`` the Annex 1
    engine's answer where it decides (三(二)1: its BridgeDecision, 三(二)2: its Decision)."""

    direction: str
    target: str | int
    clause: str
    eligible: bool = False
    exceptional: bool = False
    needs_staff_decision: bool = False
    theory_waived: bool = False
    met_on: date | None = None
    parts: list = field(default_factory=list)
    annex1: object = None

    @property
    def reasons(self) -> list[str]:
        out = []
        for part in self.parts:
            if type(part) is str:
                out.append(part)
            else:
                out.extend(part.reasons)
        return out


# ---------------------------------------------------------------------------------------------------------
# Input checks


def _on(on) -> date:
    if on is None:
        return annex1.today_in_shanghai()
    if isinstance(on, datetime):
        return on.astimezone(annex1.SHANGHAI).date() if on.tzinfo else on.date()
    if not isinstance(on, date):
        raise TitleInputError(f"判断日期无效：{on!r}。")
    return on


def _date(value, what: str, on: date) -> date:
    if isinstance(value, datetime):
        value = value.date()
    if not isinstance(value, date):
        raise TitleInputError(f"{what}无效：{value!r}。")
    if value > on:
        raise TitleInputError(f"{what}（{value.isoformat()}）晚于判断日期（{on.isoformat()}）。")
    return value


def _check(profile: TitleProfile, on: date, honours) -> None:
    level = profile.level
    if level is not None:
        if isinstance(level, bool) or level not in C.LEVELS:
            raise TitleInputError(f"技能等级应为 1-5（1 为一级/高级技师），不能是 {level!r}。")
        if profile.level_obtained_on is None:
            raise TitleInputError("请填写取得该技能等级的日期。")
        _date(profile.level_obtained_on, "取得技能等级的日期", on)
    if profile.on_current_post_since is not None:
        _date(profile.on_current_post_since, "在现工作岗位的起始日期", on)
    n = profile.appraisals_passed_last_3y
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= C.TITLE_APPRAISAL_YEARS:
        raise TitleInputError(
            f"近{C.TITLE_APPRAISAL_YEARS}年年度考核合格次数应为 0-{C.TITLE_APPRAISAL_YEARS}，不能是 {n!r}。"
        )
    for item in profile.titles:
        try:
            title, obtained_on = item
        except (TypeError, ValueError):
            raise TitleInputError(f"职称应为（职称，取得日期），不能是 {item!r}。") from None
        if title not in C.ENGINEER_TITLE_GRADE:
            raise TitleInputError(f"未知职称：{title!r}（应为{'、'.join(C.ENGINEER_TITLES)}之一）。")
        _date(obtained_on, f"取得{title}职称的日期", on)
    for award in profile.awards:
        if award not in honours:
            raise TitleInputError(f"未知奖项或称号：{award!r}。")
    for item in profile.competitions:
        try:
            klass, rank = item
        except (TypeError, ValueError):
            raise TitleInputError(f"竞赛应为（竞赛类别，名次），不能是 {item!r}。") from None
        if klass not in C.COMPETITION_TOP:
            raise TitleInputError(f"未知竞赛类别：{klass!r}（应为{'、'.join(C.COMPETITION_TOP)}之一）。")
        if isinstance(rank, bool) or not isinstance(rank, int) or rank < 1:
            raise TitleInputError(f"竞赛名次应为不小于 1 的整数，不能是 {rank!r}。")
    yio = profile.years_in_occupation
    if yio is not None and (isinstance(yio, bool) or not isinstance(yio, int | float) or yio < 0):
        raise TitleInputError(f"从事本职业年限应为不小于 0 的数，不能是 {yio!r}。")


# ---------------------------------------------------------------------------------------------------------
# Scopes: 二(一) 参评范围 and 三(一) 申报范围

SCOPE_SKILL_REFUSED = "不在工程技术领域生产一线岗位从事技术技能工作，不属于二(一)参评范围"
SCOPE_SKILL_UNSAID = "是否在工程技术领域生产一线岗位从事技术技能工作（二(一)参评范围）由审核人员确认"
SCOPE_TITLE_REFUSED = "不在工程技术领域工作，不属于三(一)申报范围"


def _skill_scope(profile, reasons) -> bool:
    if profile.engineering_field is False or profile.frontline_skill_post is False:
        reasons.append(SCOPE_SKILL_REFUSED + "。")
        return False
    if profile.engineering_field is None or profile.frontline_skill_post is None:
        reasons.append(SCOPE_SKILL_UNSAID + "。")
    return True


def _title_scope(profile, decision: TitleDecision) -> TitleDecision:
    if profile.engineering_field is False:
        decision.eligible = decision.theory_waived = decision.exceptional = False
        decision.parts.append(SCOPE_TITLE_REFUSED + "。")
    return decision


# ---------------------------------------------------------------------------------------------------------
# 二 高技能人才参评技术职称


def _basic(profile: TitleProfile, on: date) -> TitleDecision:
    """二(二)1 基本条件 and the years per level."""
    level = profile.level
    target, need = C.SKILL_TO_TITLE.get(level, (C.ASSISTANT_ENGINEER, None))
    decision = TitleDecision(SKILL_TO_TITLE, target, CLAUSE_BASIC)
    reasons = decision.parts
    ok = _skill_scope(profile, reasons)
    waits = []
    if need is None:
        ok = False
        held = f"现有{LEVEL_NAME[level]}" if level is not None else "未提供技能等级"
        reasons.append(f"{held}，未取得高级工以上职业资格或职业技能等级。")
    else:
        obtained = profile.level_obtained_on
        years = annex1.full_years(obtained, on)
        when = annex1.add_years(obtained, need)
        name = LEVEL_NAME[level]
        if years >= need:
            reasons.append(f"取得{name}（{obtained.isoformat()}）后从事技术技能工作已满{need}年。")
        else:
            ok = False
            waits.append(when)
            reasons.append(
                f"取得{name}（{obtained.isoformat()}）后从事技术技能工作未满{need}年，满{need}年于{when.isoformat()}。"
            )
    post_need = C.TITLE_APPRAISAL_YEARS
    since = profile.on_current_post_since
    if since is None:
        ok = False
        reasons.append(f"未提供在现工作岗位的起始日期，无法确认在现工作岗位上近{post_need}年年度考核合格。")
    else:
        post_years = annex1.full_years(since, on)
        if post_years < post_need:
            ok = False
            when = annex1.add_years(since, post_need)
            waits.append(when)
            reasons.append(
                f"在现工作岗位 {post_years} 年（自{since.isoformat()}），不满{post_need}年，无法满足在现工作岗位上"
                f"近{post_need}年年度考核合格，满{post_need}年于{when.isoformat()}。"
            )
    passed = profile.appraisals_passed_last_3y
    if passed < post_need:
        ok = False
        reasons.append(f"近{post_need}年年度考核合格 {passed} 次，需 {post_need} 次。")
    elif since is not None and annex1.full_years(since, on) >= post_need:
        reasons.append(f"在现工作岗位上近{post_need}年年度考核合格。")
    if ok:
        if level == C.TITLE_ROUTE_MIN_LEVEL:
            reasons.append(
                f"可由用人单位按{C.JUNIOR_TITLE_APPOINTMENT_RULE}聘任为技术员或{C.ASSISTANT_ENGINEER}"
                "（初级职称由用人单位聘任，不经评审）。"
            )
        else:
            reasons.append(f"可申报评审相应专业{target}（业绩条件二(二)2由职称评审机构评价）。")
    decision.eligible = ok
    decision.met_on = max(waits) if waits else None
    return decision


def _awards(profile: TitleProfile) -> TitleDecision:
    """二(二)3 破格."""
    direct = [a for a in profile.awards if a in C.DIRECT_SENIOR_ENGINEER_AWARDS]
    if direct:
        decision = TitleDecision(SKILL_TO_TITLE, C.SENIOR_ENGINEER, CLAUSE_AWARD, exceptional=True)
        ok = _skill_scope(profile, decision.parts)
        names = "、".join(f"“{a}”" for a in direct)
        decision.parts.append(
            f"获得{names}，可破格评审认定{C.SENIOR_ENGINEER}，不受取得技能等级后年限限制，"
            "经职称评审机构审核认定后颁发职称证书。"
        )
        decision.eligible = ok
        return decision
    target = C.SKILL_TO_TITLE.get(profile.level, (C.ASSISTANT_ENGINEER, None))[0]
    decision = TitleDecision(SKILL_TO_TITLE, target, CLAUSE_AWARD, exceptional=True)
    ok = _skill_scope(profile, decision.parts)
    names = "、".join(f"“{a}”" for a in profile.awards)
    decision.parts.append(
        f"获得{names}（高技能领军人才），可申请破格参评相应技术职称，须由审核人员决定并书面说明理由。"
    )
    decision.needs_staff_decision = ok
    return decision


# ---------------------------------------------------------------------------------------------------------
# 三 专业技术人才参加职业技能评价


def _annex1_titles(profile: TitleProfile) -> list:
    return [annex1.Title(C.ENGINEER_TITLE_GRADE[title], obtained_on) for title, obtained_on in profile.titles]


_NO_TITLE_BRIDGE: dict = {}  # on -> annex1's answer to a profile without a title (a NamedTuple, immutable)


def _bridges(profile: TitleProfile, on: date, a1_titles) -> list:
    """三(二)1, by the Annex 1 engine's check_title_bridge (the one copy of the rule)."""
    a1_profile = annex1.Profile(titles=a1_titles)
    held = {title.grade for title in a1_titles}
    levels = [C.TITLE_BRIDGE_LEVEL[grade] for grade in C.TITLE_GRADES if grade in held] or [
        C.TITLE_BRIDGE_LEVEL[C.TITLE_GRADES[0]]
    ]
    decisions = []
    for level in levels:
        if a1_titles:
            bridge = annex1.check_title_bridge(a1_profile, level, on=on)
        else:  # the same answer for everyone without a title: asked once per date
            bridge = _NO_TITLE_BRIDGE.get(on)
            if bridge is None:
                if len(_NO_TITLE_BRIDGE) > 64:
                    _NO_TITLE_BRIDGE.clear()
                bridge = _NO_TITLE_BRIDGE[on] = annex1.check_title_bridge(a1_profile, level, on=on)
        decision = TitleDecision(
            TITLE_TO_SKILL,
            level,
            CLAUSE_BRIDGE,
            eligible=bridge.eligible,
            theory_waived=bridge.theory_exam_waived,
            parts=[bridge],
            annex1=bridge,
        )
        decisions.append(_title_scope(profile, decision))
    return decisions


def _promotion(profile: TitleProfile, on: date, a1_titles) -> TitleDecision:
    """三(二)2 晋级: the next level up, decided by the Annex 1 rules."""
    level = profile.level
    target = level - 1
    yio = profile.years_in_occupation
    if yio is None:
        yio = annex1.full_years(profile.level_obtained_on, on)
    a1_profile = annex1.Profile(
        years_in_occupation=yio,
        certificates=[annex1.Certificate(level, profile.level_obtained_on)],
        titles=a1_titles,
    )
    answer = annex1.check(a1_profile, target, on=on)
    parts = [
        f"已取得{LEVEL_NAME[level]}，按国家职业标准申报{LEVEL_NAME[target]}晋级考核，"
        "由《市人社局关于进一步规范职业技能等级认定工作的通知》附件1的申报条件决定。",
        answer,
    ]
    decision = TitleDecision(
        TITLE_TO_SKILL,
        target,
        CLAUSE_PROMOTION,
        eligible=answer.eligible,
        theory_waived=answer.eligible,
        parts=parts,
        annex1=answer,
    )
    return _title_scope(profile, decision)


def _competitions(profile: TitleProfile) -> TitleDecision:
    """三(二)3 破格: 工程师/高级工程师 in the top places of a 市级一类 or 二类 competition -> 高级技师."""
    decision = TitleDecision(TITLE_TO_SKILL, C.COMPETITION_LEVEL, CLAUSE_COMPETITION, exceptional=True)
    reasons = decision.parts
    held = [title for title, _ in profile.titles]
    qualifying = [title for title in C.COMPETITION_TITLES if title in held]
    if not qualifying:
        who = f"现有{held and max(held, key=C.ENGINEER_TITLES.index)}职称" if held else "未取得职称"
        reasons.append(
            f"{who}；破格认定高级技师仅适用于工程技术领域{'、'.join(C.COMPETITION_TITLES)}，与竞赛名次无关。"
        )
        return _title_scope(profile, decision)
    placed = None
    for klass, rank in profile.competitions:
        top = C.COMPETITION_TOP[klass]
        if rank <= top:
            if placed is None:
                placed = (klass, rank, top)
        else:
            reasons.append(f"{klass}职业技能竞赛第 {rank} 名，未进入前{top}名。")
    if placed is not None:
        klass, rank, top = placed
        title = max(qualifying, key=C.ENGINEER_TITLES.index)
        reasons.insert(
            0,
            f"{title}获得{klass}职业技能竞赛第 {rank} 名（前{top}名），可破格认定高级技师，免于理论知识考核。",
        )
        decision.eligible = decision.theory_waived = True
    return _title_scope(profile, decision)


# ---------------------------------------------------------------------------------------------------------
# The front door

_HONOURS = frozenset(C.AWARDS)


def assess(profile: TitleProfile, on: date | None = None, *, extra_honours=()) -> list[TitleDecision]:
    """The title decisions of seed 002 附件2 for ``profile`` on ``on`` (see the module docstring):
    skill_to_title first (二(二)1, then 二(二)3), then title_to_skill (三(二)1, 三(二)2, 三(二)3).
    ``extra_honours``: further 高技能领军人才 honours staff added (settings.ELIGIBILITY_LEADING_TALENT_HONOURS)."""
    on = _on(on)
    honours = _HONOURS.union(extra_honours) if extra_honours else _HONOURS
    _check(profile, on, honours)
    decisions = [_basic(profile, on)]
    if profile.awards:
        decisions.append(_awards(profile))
    a1_titles = _annex1_titles(profile)
    decisions.extend(_bridges(profile, on, a1_titles))
    if a1_titles and profile.level is not None and profile.level > 1:
        decisions.append(_promotion(profile, on, a1_titles))
    if profile.competitions:
        decisions.append(_competitions(profile))
    return decisions

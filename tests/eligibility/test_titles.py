"""The title rules of seed 002 附件2 (eligibility/titles.py) at every number's boundary: just under, at and
just over. Pure tests: no database, no today (``on`` is always passed)."""

from datetime import date, timedelta

import pytest

from eligibility import annex1
from eligibility import constants as C
from eligibility.annex1 import add_years
from eligibility.titles import TitleDecision, TitleInputError, TitleProfile, assess
from portal.errors import PortalError

ON = date(2026, 11, 23)
DAY = timedelta(days=1)


def ago(years, plus_days=0):
    """The date ``years`` full years before ON, moved ``plus_days`` later (later = short of the years)."""
    return add_years(ON, -years) + timedelta(days=plus_days)


def skilled(level, years, plus_days=0, **kw):
    """A level holder meeting 二(二)1's appraisal conditions (3 passed, 5 years on the post)."""
    kw.setdefault("appraisals_passed_last_3y", 3)
    kw.setdefault("on_current_post_since", ago(5))
    return TitleProfile(level=level, level_obtained_on=ago(years, plus_days), **kw)


def one(decisions, clause, target=None) -> TitleDecision:
    found = [d for d in decisions if d.clause == clause and (target is None or d.target == target)]
    assert len(found) == 1, decisions
    return found[0]


# ---------------------------------------------------------------------------------------------------------
# 二(二)1 基本条件: 高级工 2 years -> 技术员/助理工程师, 技师 3 -> 工程师, 高级技师 4 -> 高级工程师


@pytest.mark.parametrize(
    ("level", "need", "target"),
    [
        (3, C.L3_TO_ASSISTANT_ENGINEER_YEARS, "助理工程师"),
        (2, C.L2_TO_ENGINEER_YEARS, "工程师"),
        (1, C.L1_TO_SENIOR_ENGINEER_YEARS, "高级工程师"),
    ],
)
def test_2_2_1_years_since_the_level_under_at_over(level, need, target):
    """二(二)1: 满2/3/4年: a day short is not enough (met_on says when), the day itself and a day over are."""
    assert need == {3: 2, 2: 3, 1: 4}[level]
    short = one(assess(skilled(level, need, plus_days=1), on=ON), "二(二)1")
    assert short.direction == "skill_to_title" and short.target == target
    assert not short.eligible and short.met_on == ON + DAY
    assert any(f"未满{need}年，满{need}年于{(ON + DAY).isoformat()}" in r for r in short.reasons)
    at = one(assess(skilled(level, need), on=ON), "二(二)1")
    assert at.eligible and at.target == target and at.met_on is None
    over = one(assess(skilled(level, need, plus_days=-1), on=ON), "二(二)1")
    assert over.eligible and over.met_on is None
    # a year under: met_on is the anniversary, a year away
    far = one(assess(skilled(level, need - 1), on=ON), "二(二)1")
    assert not far.eligible and far.met_on == add_years(ON, 1)


def test_2_2_1_assistant_engineer_is_appointed_by_the_employer_without_review():
    """二(二)1 / 二(三): 初级 is appointed by the employer under 津人社局发〔2018〕31号, no review."""
    decision = one(assess(skilled(3, 2), on=ON), "二(二)1")
    assert decision.eligible
    assert any(
        "津人社局发〔2018〕31号" in r and "技术员或助理工程师" in r and "不经评审" in r
        for r in decision.reasons
    )
    engineer = one(assess(skilled(2, 3), on=ON), "二(二)1")
    assert not any("津人社局发〔2018〕31号" in r for r in engineer.reasons)
    assert any("可申报评审相应专业工程师" in r for r in engineer.reasons)


@pytest.mark.parametrize("level", [4, 5, None])
def test_2_2_1_needs_gaojigong_or_above(level):
    """二(二)1: 具有高级工以上职业资格或职业技能等级: 中级工, 初级工 or no level is not enough."""
    profile = (
        skilled(level, 10)
        if level
        else TitleProfile(appraisals_passed_last_3y=3, on_current_post_since=ago(5))
    )
    decision = one(assess(profile, on=ON), "二(二)1")
    assert not decision.eligible and decision.target == "助理工程师"
    assert any("未取得高级工以上" in r for r in decision.reasons)


@pytest.mark.parametrize(("passed", "eligible"), [(2, False), (3, True)])
def test_2_2_1_three_appraisals_not_two(passed, eligible):
    """二(二)1: 近3年年度考核合格: 3 appraisals passed, 2 are not enough."""
    decision = one(assess(skilled(2, 5, appraisals_passed_last_3y=passed), on=ON), "二(二)1")
    assert decision.eligible is eligible
    assert eligible or any("考核合格 2 次，需 3 次" in r for r in decision.reasons)


def test_2_2_1_three_years_on_the_current_post_not_two():
    """二(二)1: 在现工作岗位上近3年: 3 full years on the post (at), a day short and 2 years are not."""
    at = one(assess(skilled(2, 5, on_current_post_since=ago(3)), on=ON), "二(二)1")
    assert at.eligible
    day_short = one(assess(skilled(2, 5, on_current_post_since=ago(3, 1)), on=ON), "二(二)1")
    assert not day_short.eligible and day_short.met_on == ON + DAY
    two = one(assess(skilled(2, 5, on_current_post_since=ago(2)), on=ON), "二(二)1")
    assert not two.eligible and two.met_on == add_years(ON, 1)
    assert any("不满3年" in r for r in two.reasons)
    unknown = one(assess(skilled(2, 5, on_current_post_since=None), on=ON), "二(二)1")
    assert not unknown.eligible


def test_2_2_1_met_on_is_the_later_of_the_time_conditions():
    """二(二)1: level years and post years both short: met_on is when both are met."""
    profile = skilled(2, 2, on_current_post_since=ago(1))  # level: 1 year to go; post: 2 years to go
    decision = one(assess(profile, on=ON), "二(二)1")
    assert decision.met_on == add_years(ON, 2)


def test_2_2_1_29_february_anniversary():
    """二(二)1 with the annex1 arithmetic: a 29 February level date is 3 years old on 28 February."""
    profile = TitleProfile(
        level=2,
        level_obtained_on=date(2024, 2, 29),
        appraisals_passed_last_3y=3,
        on_current_post_since=ago(5),
    )
    assert not one(assess(profile, on=date(2027, 2, 27)), "二(二)1").eligible
    assert one(assess(profile, on=date(2027, 2, 28)), "二(二)1").eligible


def test_2_1_scope_refused_or_left_to_staff():
    """二(一) 参评范围: not in an engineering frontline skill post refuses; not said leaves it to staff."""
    refused = one(assess(skilled(2, 5, frontline_skill_post=False), on=ON), "二(二)1")
    assert not refused.eligible and any("二(一)参评范围" in r for r in refused.reasons)
    said = one(assess(skilled(2, 5, engineering_field=True, frontline_skill_post=True), on=ON), "二(二)1")
    assert said.eligible and not any("由审核人员确认" in r for r in said.reasons)


# ---------------------------------------------------------------------------------------------------------
# 二(二)3 破格


@pytest.mark.parametrize("award", sorted(C.DIRECT_SENIOR_ENGINEER_AWARDS))
def test_2_2_3_each_named_award_gives_senior_engineer_directly(award):
    """二(二)3: 中华技能大奖, 全国技术能手, 国家级技能大师工作室带头人, 海河工匠 -> 高级工程师, without the years."""
    decisions = assess(TitleProfile(level=3, level_obtained_on=ON, awards=[award]), on=ON)
    decision = one(decisions, "二(二)3")
    assert decision.target == "高级工程师" and decision.eligible and decision.exceptional
    assert not decision.needs_staff_decision
    assert any(award in r and "破格评审认定高级工程师" in r for r in decision.reasons)
    assert not one(decisions, "二(二)1").eligible  # the basic route still needs the years


def test_2_2_3_the_four_awards_are_the_notices():
    assert C.DIRECT_SENIOR_ENGINEER_AWARDS == {
        "中华技能大奖",
        "全国技术能手",
        "国家级技能大师工作室带头人",
        "海河工匠",
    }


@pytest.mark.parametrize("honour", C.LEADING_TALENT_HONOURS)
def test_2_2_3_other_leading_talent_needs_a_staff_decision(honour):
    """二(二)3: any other 高技能领军人才 -> 破格参评 only with a staff decision, not eligible by itself."""
    decision = one(assess(TitleProfile(level=2, level_obtained_on=ON, awards=[honour]), on=ON), "二(二)3")
    assert not decision.eligible and decision.needs_staff_decision and decision.exceptional
    assert decision.target == "工程师"
    assert any("书面说明理由" in r for r in decision.reasons)


def test_2_2_3_staff_extend_the_honours():
    """二(二)3: an honour staff added is known; unknown otherwise."""
    profile = TitleProfile(awards=["某省技术能手"])
    with pytest.raises(TitleInputError):
        assess(profile, on=ON)
    decision = one(assess(profile, on=ON, extra_honours=["某省技术能手"]), "二(二)3")
    assert decision.needs_staff_decision


def test_2_2_3_no_awards_no_decision():
    assert [d.clause for d in assess(TitleProfile(), on=ON)] == ["二(二)1", "三(二)1"]


# ---------------------------------------------------------------------------------------------------------
# 三(二)1 首次评价: the one rule of the Annex 1 engine


@pytest.mark.parametrize(("title", "level"), [("助理工程师", 3), ("工程师", 2), ("高级工程师", 1)])
def test_3_2_1_title_to_level_theory_waived(title, level):
    """三(二)1: 助理工程师 / 工程师 / 高级工程师 -> 高级工 / 技师 / 高级技师, theory waived."""
    decisions = assess(TitleProfile(titles=[(title, ON)]), on=ON)
    decision = one(decisions, "三(二)1")
    assert decision.direction == "title_to_skill" and decision.target == level
    assert decision.eligible and decision.theory_waived and not decision.exceptional


def test_3_2_1_is_the_annex1_engines_rule():
    """三(二)1: one piece of code: the decision carries annex1.check_title_bridge's own answer."""
    decision = one(assess(TitleProfile(titles=[("工程师", ON)]), on=ON), "三(二)1")
    expected = annex1.check_title_bridge(annex1.Profile(titles=[annex1.Title("intermediate", ON)]), 2, on=ON)
    assert decision.annex1 == expected and decision.reasons == expected.reasons


def test_3_2_1_without_a_title():
    decision = one(assess(TitleProfile(), on=ON), "三(二)1")
    assert decision.target == 3 and not decision.eligible and not decision.theory_waived


def test_3_1_scope_outside_engineering_refuses():
    """三(一) 申报范围: 工程技术领域 only."""
    decision = one(assess(TitleProfile(titles=[("工程师", ON)], engineering_field=False), on=ON), "三(二)1")
    assert not decision.eligible and any("三(一)申报范围" in r for r in decision.reasons)


# ---------------------------------------------------------------------------------------------------------
# 三(二)2 晋级: the Annex 1 route decides


def test_3_2_2_promotion_carries_the_annex1_answer():
    """三(二)2: a 工程师 holding 高级工 goes up to 技师 under seed 000 附件1 (here 四(三): 中级职称 + 1 year)."""
    profile = TitleProfile(level=3, level_obtained_on=ago(2), titles=[("工程师", ago(1))])
    decision = one(assess(profile, on=ON), "三(二)2")
    assert decision.target == 2 and decision.eligible and decision.theory_waived
    assert decision.annex1.clause == "四(三)"
    assert "附件1" in decision.reasons[0] and decision.reasons[1:] == decision.annex1.reasons


def test_3_2_2_promotion_a_day_short_under_annex1():
    """三(二)2: 四(三) a day short of 1 year after the title: Annex 1 says no, so does 晋级."""
    profile = TitleProfile(level=3, level_obtained_on=ago(2), titles=[("工程师", ago(1, 1))])
    decision = one(assess(profile, on=ON), "三(二)2")
    assert not decision.eligible and not decision.annex1.eligible and not decision.theory_waived


def test_3_2_2_only_for_title_holders_below_the_top_level():
    assert not [d for d in assess(skilled(3, 5), on=ON) if d.clause == "三(二)2"]
    top = TitleProfile(level=1, level_obtained_on=ago(2), titles=[("高级工程师", ago(1))])
    assert not [d for d in assess(top, on=ON) if d.clause == "三(二)2"]


# ---------------------------------------------------------------------------------------------------------
# 三(二)3 破格: top 6 of 市级一类, top 3 of 二类 -> 高级技师


@pytest.mark.parametrize(
    ("klass", "rank", "eligible"),
    [
        ("市级一类", 5, True),
        ("市级一类", 6, True),
        ("市级一类", 7, False),
        ("二类", 2, True),
        ("二类", 3, True),
        ("二类", 4, False),
    ],
)
@pytest.mark.parametrize("title", ["工程师", "高级工程师"])
def test_3_2_3_competition_top_places(title, klass, rank, eligible):
    """三(二)3: 市级一类 前6名 (6 yes, 7 no), 二类 前3名 (3 yes, 4 no) -> 高级技师, theory waived."""
    assert C.COMPETITION_TOP == {"市级一类": 6, "二类": 3}
    decision = one(assess(TitleProfile(titles=[(title, ON)], competitions=[(klass, rank)]), on=ON), "三(二)3")
    assert decision.target == 1 and decision.exceptional
    assert decision.eligible is eligible and decision.theory_waived is eligible
    if not eligible:
        assert any(f"第 {rank} 名，未进入前{C.COMPETITION_TOP[klass]}名" in r for r in decision.reasons)


def test_3_2_3_assistant_engineer_gets_no_exception_even_first_place():
    """三(二)3: a 助理工程师 with a 市级一类 first place gets no 破格."""
    decision = one(
        assess(TitleProfile(titles=[("助理工程师", ON)], competitions=[("市级一类", 1)]), on=ON), "三(二)3"
    )
    assert not decision.eligible and not decision.theory_waived
    assert any("仅适用于工程技术领域工程师、高级工程师" in r for r in decision.reasons)


def test_3_2_3_any_qualifying_placing_is_enough():
    profile = TitleProfile(titles=[("工程师", ON)], competitions=[("二类", 4), ("市级一类", 6)])
    assert one(assess(profile, on=ON), "三(二)3").eligible


# ---------------------------------------------------------------------------------------------------------
# Bad input: the portal's error, in Chinese


@pytest.mark.parametrize(
    "profile",
    [
        TitleProfile(level=2, level_obtained_on=ON + DAY),
        TitleProfile(titles=[("工程师", ON + DAY)]),
        TitleProfile(on_current_post_since=ON + DAY),
        TitleProfile(competitions=[("市级一类", 0)]),
        TitleProfile(competitions=[("三类", 1)]),
        TitleProfile(awards=["优秀员工"]),
        TitleProfile(titles=[("技术员", ON)]),
        TitleProfile(level=0, level_obtained_on=ON),
        TitleProfile(level=2),
        TitleProfile(appraisals_passed_last_3y=4),
    ],
)
def test_bad_input_raises_the_portal_error_in_chinese(profile):
    with pytest.raises(PortalError) as caught:
        assess(profile, on=ON)
    assert isinstance(caught.value, ValueError)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(caught.value))

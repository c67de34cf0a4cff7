"""Seed 002 附件2 三(二)1: 助理工程师 / 工程师 / 高级工程师 may apply for level 3 / 2 / 1, theory exam waived."""

from datetime import date

import pytest

from eligibility.annex1 import Profile, Title, check, check_title_bridge

ON = date(2026, 11, 23)


def with_title(grade, **kw):
    return Profile(titles=[Title(grade, date(2026, 6, 1), **kw)])


@pytest.mark.parametrize(
    ("grade", "level", "name"),
    [("junior", 3, "助理工程师"), ("intermediate", 2, "工程师"), ("senior", 1, "高级工程师")],
)
def test_title_opens_its_level_with_theory_exam_waived(grade, level, name):
    bridge = check_title_bridge(with_title(grade), level, on=ON)
    assert bridge.eligible and bridge.theory_exam_waived
    assert bridge.clause == "附件2 三(二)1"
    assert f"取得与现岗位相对应的{name}职称" in bridge.reasons[0]
    assert "免于理论知识考核" in bridge.reasons[0]
    # a separate route: Annex 1 alone does not admit (no work years after the title yet)
    assert not check(with_title(grade), level, on=ON).eligible


def test_each_title_maps_to_one_level():
    bridge = check_title_bridge(with_title("intermediate"), 3, on=ON)
    assert not bridge.eligible and not bridge.theory_exam_waived
    assert "工程师职称对应二级/技师，不对应三级/高级工" in bridge.reasons[0]


@pytest.mark.parametrize("level", [4, 5])
def test_not_for_levels_4_and_5(level):
    bridge = check_title_bridge(with_title("junior"), level, on=ON)
    assert not bridge.eligible
    assert "仅适用于三级" in bridge.reasons[0]


def test_without_title_or_unrelated_title():
    assert not check_title_bridge(Profile(), 3, on=ON).eligible
    unrelated = check_title_bridge(with_title("junior", related=False), 3, on=ON)
    assert not unrelated.eligible
    assert "不相关" in unrelated.reasons[0]


def test_bad_input():
    with pytest.raises(ValueError):
        check_title_bridge(Profile(), 9, on=ON)
    with pytest.raises(ValueError):
        check_title_bridge(with_title("junior"), 3, on=date(2026, 1, 1))

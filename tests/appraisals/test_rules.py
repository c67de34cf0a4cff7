"""The boundaries of seed 002 附件1 一 to 三, each test naming its clause (issue 35 acceptance)."""

import pytest

from appraisals import rules
from appraisals.constants import Category
from certification.constants import ON_SITE_MIN_EXCLUSIVE
from portal.models import Occupation
from tests.appraisals.factories import credit_code


def test_on_site_needs_more_than_15_candidates_of_one_occupation():
    """附件1 三(一)(二): 单次申报单一职业（工种）超过15人 — 15 refused, 16 allowed."""
    assert ON_SITE_MIN_EXCLUSIVE == 15
    refusal = rules.on_site_refusal(15)
    assert (
        "超过 15 人" in refusal
        and "现 15 人" in refusal
        and "《技能人才分类评价实施细则》附件1 三" in refusal
    )
    assert rules.on_site_refusal(16) is None


def test_a_tianjin_credit_code_may_apply_and_another_region_may_not():
    """附件1 一: 我市行政区域注册的企业 — the registration authority's region code begins with 12."""
    assert rules.region_code(credit_code("120116")) == "120116"
    assert rules.tianjin_refusal(credit_code("120116")) is None
    assert rules.tianjin_refusal(credit_code("120000")) is None
    refusal = rules.tianjin_refusal(credit_code("110105"))  # 北京市朝阳区
    assert "110105" in refusal and "不属于本市" in refusal and "附件1 一" in refusal


def test_an_invalid_credit_code_is_refused_as_such():
    """附件1 一: the code must be a valid one before its region is read."""
    code = credit_code("120116")
    broken = code[:-1] + ("0" if code[-1] != "0" else "1")
    assert "校验位" in rules.tianjin_refusal(broken)


def test_adjusting_the_questions_is_for_3_1_enterprises_only():
    """附件1 三(一) may ask the centre to adjust the questions (调整试题); 三(二) may not, and says why."""
    for category in (Category.TRAINING_CENTRE, Category.PUBLIC_TRAINING_BASE, Category.SCHOOL_ENTERPRISE):
        assert rules.may_adjust_questions(category)
        assert rules.adjustment_refusal(category) is None
    assert not rules.may_adjust_questions(Category.OTHER)
    refusal = rules.adjustment_refusal(Category.OTHER)
    assert "附件1 三(一)" in refusal and "附件1 三(二)" in refusal
    assert "其他具备实施职业技能鉴定条件的企业" in refusal


def test_a_3_1_enterprise_shows_its_evidence():
    """附件1 三(一): 经认定的企业培训中心 etc. — the enterprise states which, with evidence."""
    assert "请上传证明材料" in rules.evidence_refusal(Category.TRAINING_CENTRE, has_evidence=False)
    assert rules.evidence_refusal(Category.TRAINING_CENTRE, has_evidence=True) is None
    assert rules.evidence_refusal(Category.OTHER, has_evidence=False) is None


@pytest.mark.django_db
def test_an_occupation_outside_the_list_is_refused_with_the_reason():
    """附件1 二: 《国家职业资格目录》中由市人社局单独或会同有关行业协会实施技能鉴定的职业（工种）."""
    listed = Occupation.objects.create(code="6-31-01-03", name="电工", bureau_appraisal=True)
    unlisted = Occupation.objects.create(code="4-03-02-07", name="茶艺师")
    assert rules.occupation_refusal(listed) is None
    refusal = rules.occupation_refusal(unlisted)
    assert "“茶艺师”不在《国家职业资格目录》中由市人社局" in refusal and "附件1 二" in refusal

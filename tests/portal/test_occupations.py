"""The occupation directory fixture against seed 003 附件1."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from portal.models import Occupation, validate_occupation_code

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    call_command("load_reference", verbosity=0)


def test_all_85_rows(directory):
    assert Occupation.objects.count() == 85
    assert Occupation.objects.filter(in_social_directory=True).count() == 85


@pytest.mark.parametrize(
    "code, name, industry, category",
    [
        ("4-03-02-01", "中式烹调师", "住宿及餐饮业", "资格目录内人社职业"),
        ("6-18-01-01", "车工", "制造业（机械）", "资格目录内人社职业"),
        ("6-31-01-03", "电工", "制造业（机械）", "资格目录内人社职业"),
        ("5-05-03-03", "太阳能利用工", "电力、燃气及水的生产和供应业", "天津市紧缺职业"),
        ("6-16-03-01", "海盐制盐工", "采矿业", "天津市紧缺职业"),
    ],
)
def test_spot_check_against_seed(directory, code, name, industry, category):
    occupation = Occupation.objects.get(code=code)
    assert (occupation.name, occupation.industry, occupation.category) == (name, industry, category)


def test_trailing_l_marker_is_a_flag(directory):
    assert set(Occupation.objects.filter(green=True).values_list("name", flat=True)) == {
        "有害生物防制员",
        "保洁员",
        "太阳能利用工",
    }
    assert not Occupation.objects.filter(name__endswith="L").exists()


@pytest.mark.parametrize("code", ["4-03-02-01", "6-18-01-01"])
def test_code_format_accepts(code):
    validate_occupation_code(code)


@pytest.mark.parametrize("code", ["4-3-02-01", "40302 01", "4-03-02-011", "", "X-03-02-01"])
def test_code_format_refuses(code):
    with pytest.raises(ValidationError):
        validate_occupation_code(code)

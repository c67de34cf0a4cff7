"""The self-check page's title questions (《技能人才分类评价实施细则》 附件2, issue 32 part 2): the three
journeys of the issue through the Django client, bad input as form errors, and the Annex 1 form untouched."""

from datetime import UTC, datetime

import pytest
import time_machine

pytestmark = pytest.mark.django_db
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai, 2026-11-23
CHECK = "/eligibility/check/"


@pytest.fixture(autouse=True)
def frozen_time():
    with time_machine.travel(NOW, tick=False):
        yield


def ask(client, **fields):
    data = {"question": "titles", "t-appraisals_passed_last_3y": "3"}
    data.update({f"t-{name}": value for name, value in fields.items()})
    response = client.post(CHECK, data)
    assert response.status_code == 200
    return response


def decisions(response):
    answer = response.context["title_answer"]
    assert answer is not None, response.context["title_form"].errors
    return {(row["decision"].clause, row["decision"].target): row for row in answer["decisions"]}


def test_the_page_asks_both_questions(client):
    page = client.get(CHECK).content.decode()
    assert 'data-testid="title-form"' in page and "职称与技能等级贯通自测" in page
    assert "《技能人才分类评价实施细则》附件2" in page and "seed" not in page


def test_2_2_1_a_technician_of_3_years_gets_engineer(client):
    response = ask(client, level="2", level_obtained_on="2023-11-23", on_current_post_since="2020-01-01")
    row = decisions(response)[("二(二)1", "工程师")]
    assert row["decision"].eligible and row["verdict"] == "可以"
    page = response.content.decode()
    assert 'data-clause="二(二)1" data-target="工程师" data-eligible="1"' in page


def test_2_2_1_a_day_short_says_when(client):
    response = ask(client, level="2", level_obtained_on="2023-11-24", on_current_post_since="2020-01-01")
    row = decisions(response)[("二(二)1", "工程师")]
    assert not row["decision"].eligible
    assert "最早 2026-11-24 满足年限条件" in response.content.decode()


def test_2_2_3_a_national_technical_expert_gets_senior_engineer(client):
    response = ask(client, awards=["全国技术能手"])
    row = decisions(response)[("二(二)3", "高级工程师")]
    assert row["decision"].eligible and row["decision"].exceptional and row["verdict"] == "可以（破格）"


def test_3_2_3_an_engineer_fifth_in_a_city_class_1_competition_gets_senior_technician(client):
    response = ask(
        client,
        title="工程师",
        title_obtained_on="2022-05-01",
        competition_class="市级一类",
        competition_rank="5",
    )
    rows = decisions(response)
    assert rows[("三(二)3", 1)]["decision"].eligible and rows[("三(二)3", 1)]["decision"].theory_waived
    assert rows[("三(二)1", 2)]["decision"].eligible  # and 技师 by the title bridge
    assert "免于理论知识考核" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "error_field"),
    [
        ({"level": "2"}, "level_obtained_on"),
        ({"level": "2", "level_obtained_on": "2026-11-24"}, "level_obtained_on"),
        ({"competition_class": "二类", "competition_rank": "0"}, "competition_rank"),
        ({"competition_rank": "2"}, "competition_class"),
        ({"awards": ["优秀员工"]}, "awards"),
    ],
)
def test_bad_input_is_a_form_error_not_a_traceback(client, fields, error_field):
    response = ask(client, **fields)
    assert response.context["title_answer"] is None
    assert error_field in response.context["title_form"].errors


def test_the_annex1_form_is_not_bound_by_the_title_question(client):
    response = ask(client, level="3", level_obtained_on="2020-01-01")
    assert response.context["answer"] is None and not response.context["form"].is_bound

"""The roster's title columns (issue 32 part 3, seed 002 附件2): awards, competition class and rank, annual
appraisals and the date on the current post are read, each bad cell is a row error naming its column, every
good row gets titles.assess's decisions and the XLSX answer adds them; a roster without these columns reads
and answers as before."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook

from eligibility import roster
from eligibility.roster import BASE_COLUMNS, COLUMNS, read_roster, result_headers, write_result_xlsx
from tests.eligibility.test_roster import GOOD, OCCUPATIONS, csv_bytes, xlsx
from tests.portal.factories import id_number

ON = date(2026, 11, 23)
HEADER = [c.header for c in COLUMNS]
OLD_HEADER = [c.header for c in BASE_COLUMNS]


def person(n, cert_level="", cert_date="", title="", title_date="", **titles):
    """A row of the full layout: the 12 Annex 1 cells, then the five title cells by key."""
    cells = [f"考生{n}", id_number(300 + n, "19850101"), "6-18-01-01", "一级", 12]
    cells += [cert_level, cert_date, title, title_date, "", "", ""]
    cells += [titles.get(c.key, "") for c in roster.TITLE_COLUMNS]
    return cells


def decision(row, clause):
    (found,) = [d for d in row.title_decisions if d.clause == clause]
    return found


TECHNICIAN_3_YEARS = person(1, "二级", "2023-11-23", appraisals=3, post_since="2020-09-01")
NATIONAL_EXPERT = person(
    2, "三级", "2025-06-01", awards="全国技术能手", appraisals=3, post_since="2020-09-01"
)
ENGINEER_5TH = person(3, "", "", "工程师", "2019-07-01", competition_class="市级一类", competition_rank=5)


def test_the_three_journeys_of_issue_32():
    """二(二)1: a 技师 of 3 years -> 工程师; 二(二)3: a 全国技术能手 -> 高级工程师 (破格); 三(二)3: a 工程师 5th in
    a 市级一类 competition -> 高级技师 (破格, theory waived)."""
    result = read_roster(
        xlsx([TECHNICIAN_3_YEARS, NATIONAL_EXPERT, ENGINEER_5TH], HEADER), OCCUPATIONS, on=ON
    )
    assert result.assesses_titles
    technician, expert, engineer = result.rows
    assert all(row.ok for row in result.rows), [row.errors for row in result.rows]

    basic = decision(technician, "二(二)1")
    assert basic.target == "工程师" and basic.eligible and not basic.exceptional
    assert technician.title_profile.level == 2 and technician.title_profile.appraisals_passed_last_3y == 3

    award = decision(expert, "二(二)3")
    assert award.target == "高级工程师" and award.eligible and award.exceptional
    assert not decision(expert, "二(二)1").eligible  # 高级工 for 1 year: the years are not met

    competition = decision(engineer, "三(二)3")
    assert competition.target == 1 and competition.eligible and competition.exceptional
    assert competition.theory_waived
    assert engineer.title_profile.titles == [("工程师", date(2019, 7, 1))]
    assert engineer.title_profile.competitions == [("市级一类", 5)]


def test_a_technician_one_day_short_waits_and_a_seventh_place_is_no_exception():
    short = person(4, "技师", "2023-11-24", appraisals=3, post_since="2020-09-01")
    seventh = person(
        5, "", "", "工程师", "2019-07-01", competition_class="市级一类", competition_rank="第7名"
    )
    first, second = read_roster(xlsx([short, seventh], HEADER), OCCUPATIONS, on=ON).rows
    basic = decision(first, "二(二)1")
    assert not basic.eligible and basic.met_on == date(2026, 11, 24)
    assert not decision(second, "三(二)3").eligible


def test_several_awards_and_competitions_in_one_cell():
    cells = person(
        6,
        "",
        "",
        "高级工程师",
        "2020-01-01",
        awards="市级技术能手、海河工匠,中华技能大奖",
        competition_class="二类、市级一类",
        competition_rank="4,6",
    )
    (row,) = read_roster(csv_bytes([cells], "gb18030", HEADER), OCCUPATIONS, on=ON).rows
    assert row.ok, row.errors
    assert row.title_profile.awards == ["市级技术能手", "海河工匠", "中华技能大奖"]
    assert row.title_profile.competitions == [("二类", 4), ("市级一类", 6)]
    assert decision(row, "二(二)3").target == "高级工程师"
    assert decision(row, "三(二)3").eligible  # 6th in 一类 is in the top 6; 4th in 二类 is not in the top 3


@pytest.mark.parametrize(
    ("cells", "column", "value"),
    [
        ({"awards": "全国技术能手、诺贝尔奖"}, "获得奖项或称号", "诺贝尔奖"),
        ({"competition_class": "省级一类", "competition_rank": 1}, "竞赛类别", "省级一类"),
        ({"competition_class": "市级一类", "competition_rank": 0}, "竞赛名次", "0"),
        ({"competition_class": "二类", "competition_rank": "前三"}, "竞赛名次", "前三"),
        ({"appraisals": 4}, "近3年年度考核合格次数", "4"),
        ({"appraisals": "两次"}, "近3年年度考核合格次数", "两次"),
        ({"post_since": "2027-01-01"}, "现岗位起始日期", "2027-01-01"),
        ({"post_since": "去年"}, "现岗位起始日期", "去年"),
    ],
)
def test_each_bad_cell_is_a_row_error_naming_its_column(cells, column, value):
    good = person(7, "二级", "2020-01-01", appraisals=3, post_since="2020-09-01")
    bad = person(8, "二级", "2020-01-01", **cells)
    result = read_roster(xlsx([good, bad], HEADER), OCCUPATIONS, on=ON)
    first, second = result.rows
    assert first.ok and first.title_decisions
    assert second.line == 3 and len(second.errors) == 1
    assert column in second.errors[0] and value in second.errors[0]
    assert second.decision is None and second.title_decisions is None
    # the answer names the row (行号) and the column (in the error text)
    sheet = list(
        load_workbook(io.BytesIO(write_result_xlsx(result))).worksheets[0].iter_rows(values_only=True)
    )
    header = sheet[0]
    assert sheet[2][0] == 3 and column in sheet[2][header.index("错误")]


def test_a_class_without_a_rank_a_rank_without_a_class_and_unequal_lists():
    rows = [
        person(9, competition_class="市级一类"),
        person(10, competition_rank=2),
        person(11, competition_class="市级一类、二类", competition_rank=2),
    ]
    first, second, third = read_roster(xlsx(rows, HEADER), OCCUPATIONS, on=ON).rows
    assert first.errors == ["缺少竞赛名次。"]
    assert second.errors == ["缺少竞赛类别。"]
    assert "竞赛类别有 2 项，竞赛名次有 1 项" in third.errors[0]


def test_title_errors_join_the_other_errors_of_the_row():
    cells = person(12, "九级", "", awards="诺贝尔奖")
    (row,) = read_roster(xlsx([cells], HEADER), OCCUPATIONS, on=ON).rows
    assert any("最高证书等级" in e for e in row.errors) and any("诺贝尔奖" in e for e in row.errors)
    assert row.title_decisions is None


def test_staff_honours_from_settings(settings):
    settings.ELIGIBILITY_LEADING_TALENT_HONOURS = ["区级技术能手"]
    (row,) = read_roster(xlsx([person(13, awards="区级技术能手")], HEADER), OCCUPATIONS, on=ON).rows
    award = decision(row, "二(二)3")
    assert award.needs_staff_decision and not award.eligible


def test_the_xlsx_answer_adds_the_title_decisions():
    result = read_roster(
        xlsx([TECHNICIAN_3_YEARS, NATIONAL_EXPERT, ENGINEER_5TH], HEADER), OCCUPATIONS, on=ON
    )
    values = list(
        load_workbook(io.BytesIO(write_result_xlsx(result))).worksheets[0].iter_rows(values_only=True)
    )
    header = list(values[0])
    assert header == result_headers(titles=True)
    for name in ("获得奖项或称号", "竞赛类别", "竞赛名次", "近3年年度考核合格次数", "现岗位起始日期"):
        assert name in header
    assert header[-1] == "错误"
    col = {name: header.index(name) for name in header}

    def lines(row, name):
        return (row[col[name]] or "").split("\n")

    technician, expert, engineer = values[1:]
    clauses = lines(technician, "附件2 条款")
    assert clauses[0] == "二(二)1" and lines(technician, "附件2 评价目标")[0] == "工程师"
    assert lines(technician, "附件2 结论")[0] == "可以"
    assert len(lines(technician, "附件2 说明")) == len(clauses) == len(lines(technician, "附件2 破格"))

    i = lines(expert, "附件2 条款").index("二(二)3")
    assert lines(expert, "附件2 评价目标")[i] == "高级工程师"
    assert lines(expert, "附件2 结论")[i] == "可以（破格）" and lines(expert, "附件2 破格")[i] == "是"

    i = lines(engineer, "附件2 条款").index("三(二)3")
    assert lines(engineer, "附件2 评价目标")[i] == "一级/高级技师"
    assert lines(engineer, "附件2 免于理论知识考核")[i] == "是"
    assert lines(engineer, "附件2 须审核人员决定")[i] == "否"
    assert "市级一类" in lines(engineer, "附件2 说明")[i]


def test_an_old_layout_roster_reads_and_answers_as_before():
    result = read_roster(xlsx(GOOD, OLD_HEADER), OCCUPATIONS, on=ON)
    assert not result.assesses_titles
    assert result.columns == [c.key for c in BASE_COLUMNS]
    assert [r.decision.clause for r in result.rows] == ["三(二)", "二(一)", "四(三)"]
    assert all(r.title_decisions is None and r.title_profile is None for r in result.rows)
    values = list(
        load_workbook(io.BytesIO(write_result_xlsx(result))).worksheets[0].iter_rows(values_only=True)
    )
    assert list(values[0]) == [
        "行号",
        *OLD_HEADER,
        "职业名称",
        "是否符合",
        "符合条款",
        "职称贯通",
        "各条款说明",
        "错误",
    ]
    assert result_headers() == list(values[0])
    # the same rows under the new layout get the same Annex 1 decisions
    new = read_roster(xlsx([row + [""] * 5 for row in GOOD], HEADER), OCCUPATIONS, on=ON)
    assert [r.decision.clause for r in new.rows] == ["三(二)", "二(一)", "四(三)"]
    assert all(r.title_decisions for r in new.rows)


def test_one_title_column_is_enough_to_ask_the_title_rules():
    header = [*OLD_HEADER, "获得奖项或称号"]
    rows = [GOOD[0] + ["海河工匠"]]
    (row,) = read_roster(xlsx(rows, header), OCCUPATIONS, on=ON).rows
    assert decision(row, "二(二)3").eligible


def test_titles_false_ignores_the_title_columns_and_true_asks_without_them():
    bad = person(14, awards="诺贝尔奖", competition_rank=0)
    (row,) = read_roster(xlsx([bad], HEADER), OCCUPATIONS, on=ON, titles=False).rows
    assert row.ok and row.title_decisions is None and "awards" not in row.data
    result = read_roster(xlsx(GOOD, OLD_HEADER), OCCUPATIONS, on=ON, titles=True)
    assert result.assesses_titles and all(r.title_decisions for r in result.rows)
    assert result_headers(titles=True)[-1] == "错误"
    load_workbook(io.BytesIO(write_result_xlsx(result)))  # the answer still opens


def test_the_template_has_the_title_columns_unless_asked_not_to():
    full = load_workbook(io.BytesIO(roster.write_template()), read_only=True)
    assert list(next(full.worksheets[0].iter_rows(values_only=True))) == HEADER
    plain = load_workbook(io.BytesIO(roster.write_template(titles=False)), read_only=True)
    rows = list(plain.worksheets[0].iter_rows(values_only=True))
    assert list(rows[0]) == OLD_HEADER and all(len(row) == len(OLD_HEADER) for row in rows)


def test_none_written_as_a_word_is_an_empty_list():
    cells = person(15, awards="无", competition_class="/", competition_rank="-")
    (row,) = read_roster(csv_bytes([cells], "utf-8", HEADER), OCCUPATIONS, on=ON).rows
    assert row.ok and row.title_profile.awards == [] and row.title_profile.competitions == []

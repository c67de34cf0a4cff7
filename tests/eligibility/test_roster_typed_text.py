"""Roster rows typed in full width or padded with ideographic spaces (issue 22 finding 5): the ID number
is read, the name trimmed (portal/identifiers.py)."""

from datetime import date

from eligibility.roster import read_roster
from tests.eligibility.test_roster import OCCUPATIONS, csv_bytes, xlsx
from tests.portal.factories import id_number
from tests.portal.test_typed_text import IDEOGRAPHIC_SPACE, fullwidth

ON = date(2026, 11, 23)


def row(name, number, level="三级"):
    return [name, number, "4-03-02-01", level, 6, "四级", "2021-03-01", "", "", "高职", "否", ""]


def test_a_fullwidth_id_number_and_a_padded_name_in_a_roster_row():
    number = id_number(21)
    assert number.endswith("X")
    typed = f"{fullwidth(number[:6])}{IDEOGRAPHIC_SPACE}{fullwidth(number[6:])}{IDEOGRAPHIC_SPACE}"
    name = f"{IDEOGRAPHIC_SPACE}王{IDEOGRAPHIC_SPACE}五{IDEOGRAPHIC_SPACE}"
    for data in (xlsx([row(name, typed)]), csv_bytes([row(name, typed)], "gb18030")):
        (result,) = read_roster(data, OCCUPATIONS, on=ON).rows
        assert result.errors == [] and result.decision is not None
        assert result.data["name"] == "王五"


def test_fullwidth_digits_in_other_cells_read_too():
    number = id_number(22)
    cells = row("张三", number, level="３级")
    cells[4] = "６"
    cells[6] = "２０２１－０３－０１"
    (result,) = read_roster(xlsx([cells]), OCCUPATIONS, on=ON).rows
    assert result.errors == [] and result.level == 3


def test_a_duplicate_typed_once_in_full_width_is_found():
    number = id_number(23)
    rows = [row("张三", number), row("张三", fullwidth(number))]
    first, second = read_roster(xlsx(rows), OCCUPATIONS, on=ON).rows
    assert first.errors == [] and any("重复" in e for e in second.errors)

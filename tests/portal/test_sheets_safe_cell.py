"""Issue 42 item 3: one formula-escaping rule for every spreadsheet the portal writes (portal.sheets), where
there were four copies with two rules: = + - @ at the start or after blanks, and a leading tab or line
break, get an apostrophe; characters XLSX cannot hold are dropped; numbers and dates pass through."""

import datetime
import re
from pathlib import Path

import pytest

from portal.sheets import safe_cell, safe_text

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+2", "'=1+2"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("  =1", "'  =1"),  # after blanks (the second rule of the old copies)
        ("\t=1", "'\t=1"),
        ("\nabc", "'\nabc"),  # a leading line break (the first rule of the old copies)
        ("\x01=1", "'=1"),  # a control character dropped first, then the formula seen
        ("张三", "张三"),
        ("a=1", "a=1"),
        ("", ""),
        (12, 12),
        (datetime.date(2026, 1, 2), datetime.date(2026, 1, 2)),
        (None, None),
    ],
)
def test_one_rule(value, expected):
    assert safe_cell(value) == expected


def test_safe_text_is_always_text():
    assert (safe_text(None), safe_text(12), safe_text("=x")) == ("", "12", "'=x")


def test_no_copy_of_the_rule_is_left():
    """The product code escapes through portal.sheets only (a new copy would drift from this rule)."""
    pattern = re.compile(r"^def safe_(cell|text)\(|^FORMULA_PREFIXES\s*=", re.M)
    copies = [
        str(path.relative_to(ROOT))
        for app in (
            "portal",
            "eligibility",
            "filings",
            "certification",
            "certificates",
            "appraisals",
            "talent",
        )
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert copies == ["portal/sheets.py"]

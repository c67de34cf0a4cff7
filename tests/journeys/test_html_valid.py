"""Issue 40 item 3: valid HTML. The Nu Html Checker (tests/journeys/html_check.py: vnu.jar on the
system's Java) over every page the accessibility test crawls (tests/journeys/test_accessibility.py): the
demo loaded as ``make run`` loads it, every role's same-site links followed with Django's test client
(tests/journeys/test_walk.py), the Django admin site left out (its templates are Django's). Every page
read is checked, not only one of each kind as axe does: the crawl reads them anyway and the checker takes
some seconds more. Each page is checked as the server sent it (the response body, before any script
ran); the test fails on any error (warnings are not asked for), listed by page, message and extract, and
skips where Java or the jar is missing (``make vnu`` installs the jar)."""

import re
import tempfile
import time
from pathlib import Path

import pytest

from tests.journeys import html_check
from tests.journeys.test_walk import (  # noqa: F401 (demo_world: the fixture used)
    ADMIN,
    ROLES,
    crawl,
    demo_world,
    login_client,
    start_urls,
)

pytestmark = [
    pytest.mark.walk,
    pytest.mark.skipif(bool(html_check.missing()), reason=html_check.missing() or ""),
]

# Errors that cannot be mended in the portal's own markup, with why: (path pattern, message pattern) ->
# reason. None so far.
ALLOWED: dict[tuple[str, str], str] = {}


def _allowed(url: str, message: str) -> bool:
    return any(re.search(p, url) and re.search(m, message) for (p, m) in ALLOWED)


# The crawl of every role (about two minutes) and one Java process over its 1,244 pages (some 20 s).
@pytest.mark.timeout(900)
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("demo_world")
def test_no_html_error_on_any_page():
    started = time.monotonic()
    crawl_problems: dict[str, list[str]] = {}
    pages: dict[str, str] = {}  # file name -> "role url"
    with tempfile.TemporaryDirectory(prefix="vnu-") as directory:
        for role in ROLES:
            bodies: dict[str, bytes] = {}
            visited = crawl(login_client(role), role, start_urls(role), crawl_problems, bodies)
            urls = [u for u in visited if not ADMIN.match(u)]
            assert len(urls) > 3, (role, urls)
            for url in urls:
                name = f"{len(pages):05d}.html"
                Path(directory, name).write_bytes(bodies[url])
                pages[name] = f"{role or 'anonymous'} {url}"
        fetched = time.monotonic()
        errors = html_check.check_dir(html_check.vnu_jar(), Path(directory))
    problems: dict[str, list[str]] = {}
    for error in errors:
        where = pages.get(error.file, error.file)
        if not _allowed(where.split(" ", 1)[-1], error.message):
            problems.setdefault(where, []).append(str(error))
    kinds: dict[str, int] = {}
    for error in errors:
        kind = re.sub(r"“[^”]*”", "“…”", error.message)
        kinds[kind] = kinds.get(kind, 0) + 1
    print(
        f"vnu: {len(pages)} pages, {len(errors)} errors on {len(problems)} pages;",
        f"crawl {fetched - started:.0f} s, check {time.monotonic() - fetched:.0f} s;",
        dict(sorted(kinds.items(), key=lambda kv: -kv[1])),
    )
    assert not problems, "\n".join(
        f"{who}:\n  " + "\n  ".join(what) for who, what in sorted(problems.items())
    )


def test_the_checker_finds_an_error(tmp_path):
    """The check itself: an invalid page gives errors (so an empty list above means valid pages)."""
    tmp_path.joinpath("bad.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>x</title></head><body>'
        '<table><tr><input type="hidden" name="a"><td>1</td></tr></table><p id="a"></p><p id="a"></p>'
        "</body></html>",
        encoding="utf-8",
    )
    tmp_path.joinpath("good.html").write_text(
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>x</title></head><body>'
        "<p>1</p></body></html>",
        encoding="utf-8",
    )
    errors = html_check.check_dir(html_check.vnu_jar(), tmp_path)
    assert {e.file for e in errors} == {"bad.html"}
    assert any("Duplicate ID" in e.message for e in errors), errors
    assert any("input" in e.message for e in errors), errors

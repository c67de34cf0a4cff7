"""Issue 40 item 3: valid HTML. The Nu Html Checker (tests/journeys/html_check.py: vnu.jar on the
system's Java) over the pages the accessibility test visits (tests/journeys/test_accessibility.py): the
demo loaded as ``make run`` loads it, every role's same-site links followed with Django's test client
(tests/journeys/test_walk.py), one page of each kind a role, the Django admin site left out (its
templates are Django's). Each page is checked as the server sent it (the response body, before any
script ran); the test fails on any error (warnings are not asked for), listed by page, message and
extract, and skips where Java or the jar is missing (``make vnu`` installs the jar)."""

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
    one_of_each_kind,
    start_urls,
)

pytestmark = [
    pytest.mark.walk,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_world"),
    pytest.mark.skipif(bool(html_check.missing()), reason=html_check.missing() or ""),
]

# Errors that cannot be mended in the portal's own markup, with why: (path pattern, message pattern) ->
# reason. None so far.
ALLOWED: dict[tuple[str, str], str] = {}


def _allowed(url: str, message: str) -> bool:
    return any(re.search(p, url) and re.search(m, message) for (p, m) in ALLOWED)


# The crawl of every role (about a minute) and one Java process over the pages (some seconds).
@pytest.mark.timeout(900)
def test_no_html_error_on_any_page():
    started = time.monotonic()
    crawl_problems: dict[str, list[str]] = {}
    pages: dict[str, str] = {}  # file name -> "role url"
    with tempfile.TemporaryDirectory(prefix="vnu-") as directory:
        for role in ROLES:
            client = login_client(role)
            visited = crawl(client, role, start_urls(role), crawl_problems)
            urls = [u for u in one_of_each_kind(visited) if not ADMIN.match(u)]
            assert len(urls) > 3, (role, urls)
            for url in urls:
                response = client.get(url)
                assert response.status_code == 200, (role, url, response.status_code)
                name = f"{len(pages):04d}.html"
                Path(directory, name).write_bytes(response.content)
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

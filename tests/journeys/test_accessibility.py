"""Issue 40: axe-core (WCAG 2.0/2.1 A and AA, GB/T 37668) over the pages of every role on the demo data.

The pages are those of the screenshot walk (tests/journeys/test_walk.py: the demo loaded as ``make run``
loads it, every role's same-site links followed with Django's test client), one page of each kind (the
numbers left out of the address) a role; the Django admin site is left out (its templates are Django's).
Each is opened in Chromium, logged in by the client's session cookie, and checked by the vendored axe-core
(tests/journeys/axe.py); the test fails on any critical or serious finding, listed by page, rule and
selector. The counts of every impact are printed (``-s``) as ``axe:``."""

import re
import time
from collections import Counter

import pytest

from tests.journeys.axe import axe_context, axe_violations, failing
from tests.journeys.test_walk import (  # noqa: F401 (demo_world: the fixture used)
    ADMIN,
    PER_ROLE,
    ROLES,
    crawl,
    demo_world,
    login_client,
    one_of_each_kind,
    start_urls,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("demo_world"),
]

# Findings that another change is fixing, with why: (path pattern, rule, selector) -> reason. Each still
# shows in the printed counts; a finding fails the test unless every element it names is pending.
PENDING: dict[tuple[str, str, str], str] = {}  # every finding fixed (the queue filters were the last)


def _pending(url: str, finding) -> bool:
    return all(
        any(re.search(p, url) and r == finding.rule and sel == selector for (p, r, sel) in PENDING)
        for selector in finding.selectors
    )


def _check(browser, live_server, role, client, urls, counts: Counter, problems: dict):
    with axe_context(browser, viewport={"width": 1366, "height": 900}) as page:
        if role:
            page.context.add_cookies(
                [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
            )
        for url in urls:
            page.goto(live_server.url + url)
            for finding in axe_violations(page):
                counts[finding.impact] += len(finding.selectors)
                counts[f"{finding.impact} {finding.rule}"] += len(finding.selectors)
                if finding in failing([finding]) and not _pending(url, finding):
                    problems.setdefault(f"{role or 'anonymous'} {url}", []).append(str(finding))


# One page of each kind of every role: a few minutes beside other runs (the walk's own limit).
@pytest.mark.timeout(900)
def test_no_critical_or_serious_finding_on_any_page(live_server, browser):
    started = time.monotonic()
    counts: Counter = Counter()
    problems: dict[str, list[str]] = {}
    crawl_problems: dict[str, list[str]] = {}
    pages = 0
    for role in ROLES:
        client = login_client(role)
        visited = crawl(client, role, start_urls(role), crawl_problems)
        urls = [u for u in one_of_each_kind(visited) if not ADMIN.match(u)]
        assert len(urls) > 3, (role, urls)
        pages += len(urls)
        _check(browser, live_server, role, client, urls, counts, problems)
    print(
        f"axe: {pages} pages in {time.monotonic() - started:.0f} s (at most {PER_ROLE} read a role);",
        {k: counts[k] for k in ("critical", "serious", "moderate", "minor")},
        dict(sorted((k, v) for k, v in counts.items() if " " in k)),
    )
    assert not problems, "\n".join(
        f"{who}:\n  " + "\n  ".join(what) for who, what in sorted(problems.items())
    )

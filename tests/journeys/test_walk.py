"""Issue 29 acceptance: the screenshot walk. After the demo data is loaded (``load_reference`` and
``load_demo``, as ``make run`` loads them), every page of every role is visited, and the walk fails on
an unexpected 4xx/5xx, on any text matching ``seed 00[0-4]`` on a page, and on horizontal overflow at
375 px on the public and applicant pages; and, at 1366 px, on table cells squeezed to a character a line
on one page of each kind of every role (issue 29 item 12).

For speed the pages are found and read with Django's test client (breadth-first over the same-site
GET links of each page, from the landing page and the navigation); only the width check opens the
public and applicant pages in Chromium, logged in by the client's session cookie. Run it alone with
``-m walk``. The screenshots of the pages that overflow are written to test-artifacts/walk/, and of
every page checked at 375 px too with WALK_SCREENSHOTS=1."""

import io
import os
import re
import time
from collections import deque
from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.test import Client

from certificates.models import Certificate
from certificates.urls_for import verification_url
from portal.demo import DEMO_APPLICANTS, DEMO_STAFF
from portal.models import User
from talent.demo import PEOPLE as TALENT_PEOPLE
from tests.journeys.test_narrow_screens import SQUEEZED_CELLS

pytestmark = [pytest.mark.walk, pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "walk"

# The logins of the demo data (portal/demo.py: applicant, applicant2, admin, centre, bureau,
# expert1..4); None is the anonymous visitor.
ROLES = [
    None,
    *(row[0] for row in DEMO_APPLICANTS),
    *(row[0] for row in DEMO_STAFF),
    *(row[0] for row in TALENT_PEOPLE),  # the title application's people (talent.demo)
]
# The roles whose pages must fit a phone: the public, the applicants and a person applying for a title
# (issue 29 item 12).
PHONE_ROLES = {None, "applicant", "applicant2", "talent_person"}
PER_ROLE = 400  # pages read per role at most
PER_ROLE_ADMIN = 500  # the administrator reads the admin site's pages of every model besides the portal's
# Pages of one path told apart by their query string (a calendar's weeks before and after, a list's filters)
# run the same view: a few of each are read, so a chain of "next week" links ends.
VARIANTS_A_PAGE = 6

# Where each role starts besides the links of its landing page: the public pages the nav names.
PUBLIC = [
    "/",
    "/api/docs",
    "/eligibility/check/",
    "/certificates/about/",
    "/filings/publicity/",
    "/filings/directory/",
]
START = {"admin": ["/", "/dashboard/", "/admin/"]}

# Not followed: leaving the session, the language switch (a POST form; links to it would change the
# language of the rest of the walk) and the admin site for everyone but the administrator.
SKIP = re.compile(r"/accounts/logout/|/i18n/")
# The admin site's changelists multiply by every filter, sort and search link, and its change forms by
# every record: its pages are walked without their query strings, and those of a few records a model.
ADMIN = re.compile(r"^/admin/")
ADMIN_RECORD = re.compile(r"^(/admin/\w+/\w+/)([^/]+)/")
ADMIN_RECORDS = 3  # records a model whose admin pages are walked
# A download is fetched for its status only, and the same download of other records runs the same
# code (an application PDF costs about a second to render): a few of a kind a role.
DOWNLOADS_A_KIND = 3

SHORT = re.compile(r"seed 00[0-4]")
HTML = "text/html"

# A 4xx that is the right answer for a page a role is linked to, with why: (role, path pattern) ->
# status. Every link of the portal's own pages opens for the role shown it; these are the admin site's.
EXPECTED: dict[tuple[str | None, str], int] = {
    # The admin's file fields link to MEDIA_URL, which nothing serves: uploads are private and leave
    # only through the permission-checked download views (README, MEDIA_ROOT).
    ("admin", r"^/media/"): 404,
    # A blacklist entry's admin page links to its portal page, where the bureau decides on lifting it;
    # the system administrator holds no portal role, and the staff pages answer 404 to anyone else.
    ("admin", r"^/filings/after/blacklist/\d+/$"): 404,
}

OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > window.innerWidth + 1)
  .filter(e => e.parentElement.getBoundingClientRect().right <= window.innerWidth + 1)
  .map(e => e.tagName.toLowerCase() + [...e.classList].map(c => '.' + c).join('') + ' ' +
       Math.round(e.getBoundingClientRect().right) + 'px: ' + (e.innerText || '').trim().slice(0, 30))"""

PHONE = {"width": 375, "height": 800}
DESKTOP = {"width": 1366, "height": 900}
# At 1366 px one page of each kind (numbers left out of the address) of every role but the administrator
# (the admin site is Django's) is checked for cells squeezed to a character a line (issue 29 item 12).
DESKTOP_SKIP_ROLES = {"admin"}


def _normalise(url: str) -> str:
    """The page a link stands for: pages beyond the second of a list are the same page again, and the
    admin site's filtered and sorted changelists are its changelist."""
    parts = urlsplit(url)
    if ADMIN.match(parts.path):
        return parts.path
    query = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key == "page" and not (value.isdigit() and int(value) <= 2):
            continue
        query.append((key, value))
    return parts.path + (f"?{urlencode(query)}" if query else "")


def _links(html: str, base: str):
    for href in re.findall(r'<a\b[^>]*\shref="([^"#]*)', html):
        if not href or href.startswith(("mailto:", "tel:", "javascript:")):
            continue
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.scheme in ("http", "https", "") and parts.netloc in ("", "testserver"):
            if parts.path.startswith("/"):
                yield _normalise(parts.path + (f"?{parts.query}" if parts.query else ""))


def _expected(role, path, status) -> bool:
    return any(r == role and re.search(p, path) and s == status for (r, p), s in EXPECTED.items())


def crawl(client: Client, role, start: list[str], problems: dict, bodies: dict | None = None) -> list[str]:
    """Breadth-first over the role's same-site GET links from ``start``: the HTML pages read (in
    order); what went wrong is added to ``problems`` as {"role url": [what]}, and each page's body as
    served to ``bodies`` as {url: bytes} when given."""
    seen, queue, pages = set(), deque(start), []
    records: dict[str, set[str]] = {}
    downloads: dict[str, int] = {}  # downloads fetched of each kind (the path, numbers left out)
    limit = PER_ROLE_ADMIN if role == "admin" else PER_ROLE
    variants: dict[str, set[str]] = {}  # the query strings read of each path
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or SKIP.search(url) or (ADMIN.match(url) and role != "admin"):
            continue
        path, _sep, query = url.partition("?")
        if query:
            read = variants.setdefault(path, set())
            if query not in read and len(read) >= VARIANTS_A_PAGE:
                continue
            read.add(query)
        if record := ADMIN_RECORD.match(url):
            model, pk = record.groups()
            walked = records.setdefault(model, set())
            if pk not in walked and len(walked) >= ADMIN_RECORDS:
                continue
            walked.add(pk)
        kind = re.sub(r"\d+", "N", url)
        if downloads.get(kind, 0) >= DOWNLOADS_A_KIND:
            continue
        seen.add(url)
        response = client.get(url)
        status = response.status_code
        who = f"{role or 'anonymous'} {url}"
        if status in (301, 302, 303, 307, 308):
            target = _normalise(urljoin(url, response["Location"]))
            if role and target.startswith("/accounts/login/"):
                problems.setdefault(who, []).append(f"{status} to the login page")
            elif urlsplit(urljoin("http://testserver" + url, response["Location"])).netloc == "testserver":
                queue.append(target)
            continue
        if status >= 400:
            if not _expected(role, url, status):
                problems.setdefault(who, []).append(f"status {status}")
            continue
        if response.streaming or not response.get("Content-Type", "").startswith(HTML):
            # A download (or the API's schema): its status is what the walk checks.
            if response.streaming:
                response.close()
            downloads[kind] = downloads.get(kind, 0) + 1
            continue
        if bodies is not None:
            bodies[url] = response.content
        html = response.content.decode("utf-8", "replace")
        # The whole page: its text, its attributes (title=, value=) and what its scripts show.
        hits = sorted(set(SHORT.findall(html)))
        if hits:
            context = [m.group(0) for m in re.finditer(r".{0,20}seed 00[0-4].{0,20}", html)]
            problems.setdefault(who, []).append(f"internal reference {hits}: {context[:3]}")
        pages.append(url)
        queue.extend(u for u in _links(html, url) if u not in seen)
    if left := {u for u in queue if u not in seen}:
        problems[f"{role or 'anonymous'}"] = [
            f"the walk stopped at {limit} pages with {len(left)} not read, e.g. {sorted(left)[:3]}"
        ]
    return pages


@pytest.fixture
def demo_world(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


def start_urls(role) -> list[str]:
    if role is None:  # and the pages no link leads to: the addresses the certificates' QR codes carry
        # a few of each kind and status (the same code answers the others), within the verification page's
        # rate limit for one address: the demo holds some thirty certificates
        picked: dict[tuple, list] = {}
        for c in Certificate.objects.order_by("pk"):
            group = picked.setdefault((c.kind, c.status), [])
            if len(group) < DOWNLOADS_A_KIND:
                group.append(c)
        qr_codes = [urlsplit(verification_url(c)) for group in picked.values() for c in group]
        return PUBLIC + [f"{url.path}?{url.query}" for url in qr_codes]
    return START.get(role, ["/", "/dashboard/"])


def login_client(role) -> Client:
    client = Client()
    if role:
        client.force_login(User.objects.get(username=role))
    return client


def _too_wide(page, live_server, role, client, urls, problems: dict):
    page.context.clear_cookies()
    if role:
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
    for url in urls:
        page.goto(live_server.url + url)
        width = page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE["width"] or os.environ.get("WALK_SCREENSHOTS"):
            name = re.sub(r"[^A-Za-z0-9]+", "-", f"{role or 'anonymous'}{url}").strip("-")[:100]
            ARTIFACTS.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        if width > PHONE["width"]:
            problems.setdefault(f"{role or 'anonymous'} {url}", []).append(
                f"{width} px wide at 375 px: {page.evaluate(OVERFLOWING)[:4]}"
            )


def one_of_each_kind(urls: list[str]) -> list[str]:
    kinds: dict[str, str] = {}
    for url in urls:
        kinds.setdefault(re.sub(r"\d+", "N", urlsplit(url).path), url)
    return list(kinds.values())


def _squeezed(page, live_server, role, client, urls, problems: dict):
    page.context.clear_cookies()
    if role:
        page.context.add_cookies(
            [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
        )
    for url in urls:
        page.goto(live_server.url + url)
        if cells := page.evaluate(SQUEEZED_CELLS):
            problems.setdefault(f"{role or 'anonymous'} {url}", []).append(
                f"cells squeezed at 1366 px: {cells[:4]}"
            )


# Every page of every role in a real browser: about two minutes on a quiet machine, more beside other runs;
# a limit of its own above the suite's 300 s, like the fault tests (issue 28: no test may hang the run).
@pytest.mark.timeout(900)
def test_every_page_of_every_role(demo_world, live_server, page):
    problems: dict[str, list[str]] = {}
    visited = {}
    started = time.monotonic()
    clients = {role: login_client(role) for role in ROLES}
    for role in ROLES:
        visited[role] = crawl(clients[role], role, start_urls(role), problems)
    crawled = time.monotonic()
    page.set_viewport_size(PHONE)
    phone_pages = 0
    for role in ROLES:
        if role in PHONE_ROLES:
            urls = visited[role]
            phone_pages += len(urls)
            _too_wide(page, live_server, role, clients[role], urls, problems)
    phoned = time.monotonic()
    page.set_viewport_size(DESKTOP)
    desktop_pages = 0
    for role in ROLES:
        if role not in DESKTOP_SKIP_ROLES:
            urls = one_of_each_kind(visited[role])
            desktop_pages += len(urls)
            _squeezed(page, live_server, role, clients[role], urls, problems)
    print(
        "walk:",
        {role or "anonymous": len(urls) for role, urls in visited.items()},
        f"crawl {crawled - started:.0f} s, {phone_pages} pages at 375 px {phoned - crawled:.0f} s,",
        f"{desktop_pages} pages at 1366 px {time.monotonic() - phoned:.0f} s",
    )
    assert all(len(visited[role]) > 5 for role in ROLES), visited
    assert not problems, "\n".join(f"{who}: {'; '.join(what)}" for who, what in sorted(problems.items()))

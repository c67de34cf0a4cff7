"""Users read a notice by its own title and number, never by the code's short form (issue 29 item 7).

Code comments and tests cite the notices as ``seed 001 第十六条(一)`` (../shared/DOMAIN.md); pages, PDFs,
mails and the API description render every citation through portal/notices.py. The sweep loads the demo
data and walks the public pages, /api/docs and its schema, and the pages of each demo role."""

import ast
import io
import re
from collections import deque
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from django.core.management import call_command
from django.template import Context, Template
from django.test import Client
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from portal import notices, outbox
from portal.demo import DEMO_PASSWORD
from portal.models import Notification, OutboxMail

ROOT = Path(__file__).resolve().parents[2]
APPS = ("portal", "eligibility", "filings", "certification", "certificates")
SHORT = re.compile(r"seed 00[0-9]")


def _code_strings():
    """Every string literal of the product code that holds a short form (docstrings included): the
    citations the code may hand to ``cite()``."""
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Constant)
                    and isinstance(node.value, str)
                    and SHORT.search(node.value)
                ):
                    yield path.relative_to(ROOT), node.value


def _code_citations():
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*"):
            if path.suffix in (".py", ".html", ".txt"):
                found.update(SHORT.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_short_form_in_the_code_names_a_notice():
    used = _code_citations()
    assert used, "the code cites the notices"
    assert used <= set(notices.NOTICES), used - set(notices.NOTICES)


def test_every_notice_has_a_title_in_book_title_marks():
    for notice in notices.NOTICES.values():
        assert notice.title.startswith("《") and notice.title.endswith("》")
        assert not SHORT.search(notice.name)


@pytest.mark.parametrize(
    ("short", "official"),
    [
        ("seed 001 第十六条(一)", "《天津市职业技能等级认定工作管理办法（试行）》第十六条(一)"),
        ("seed 000 附件2", "《市人社局关于进一步规范职业技能等级认定工作的通知》附件2"),
        ("seed 003 二(六)3", "《市人社局关于征集社会培训评价组织的通告》（津人社办发〔2020〕86号）二(六)3"),
        ("seed 004 附件7", "《关于开展技工院校职业技能等级认定工作的通知》（辽人社〔2020〕32号）附件7"),
        ("seed 002 附件2 三", "《技能人才分类评价实施细则》附件2 三"),
        ("seed 002 综合评审工作流程 五(一)", "《天津市技师、高级技师综合评审工作流程》五(一)"),
        (
            "seed 000 二；seed 004 二(一)",
            "《市人社局关于进一步规范职业技能等级认定工作的通知》二；"
            "《关于开展技工院校职业技能等级认定工作的通知》（辽人社〔2020〕32号）二(一)",
        ),
        (
            "认定方案（seed 001 第十六条(一)）",
            "认定方案（《天津市职业技能等级认定工作管理办法（试行）》第十六条(一)）",
        ),
        ("no citation here", "no citation here"),
    ],
)
def test_cite_renders_the_official_title_and_number(short, official):
    assert notices.cite(short) == official
    assert notices.short_forms(notices.cite(short)) == []


def test_an_unknown_notice_is_an_error_not_a_silent_short_form():
    with pytest.raises(notices.UnknownNotice):
        notices.cite("seed 009 第一条")


def test_every_citation_the_code_holds_renders_without_a_short_form():
    for path, text in _code_strings():
        assert not SHORT.search(notices.cite(text)), path


GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy", "pgettext", "pgettext_lazy"}
TEMPLATE_COMMENT = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.S)
TEMPLATE_CITATION = re.compile(r'"seed 00[0-9][^"]*"\|cite')


def test_no_message_to_translate_holds_a_short_form():
    """A short form inside a gettext message would reach the page as written (and the translators):
    messages take the citation as a placeholder filled by cite()."""
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if (
                    isinstance(node, ast.Call)
                    and getattr(node.func, "id", getattr(node.func, "attr", "")) in GETTEXT
                ):
                    for arg in ast.walk(node):
                        if (
                            isinstance(arg, ast.Constant)
                            and isinstance(arg.value, str)
                            and SHORT.search(arg.value)
                        ):
                            found.append(f"{path.relative_to(ROOT)}:{arg.lineno}")
    assert found == []


def test_no_template_shows_a_short_form():
    """Templates name a citation only as the argument of |cite (or in a template comment)."""
    found = []
    for path in ROOT.glob("**/templates/**/*"):
        if ".venv" in path.parts or not path.is_file():
            continue
        text = TEMPLATE_CITATION.sub("", TEMPLATE_COMMENT.sub("", path.read_text(encoding="utf-8")))
        if SHORT.search(text):
            found.append(str(path.relative_to(ROOT)))
    assert found == []


def test_the_template_filter():
    out = Template('{% load portal_tags %}{{ "seed 001 第十七条"|cite }}').render(Context())
    assert out == "《天津市职业技能等级认定工作管理办法（试行）》第十七条"


# --- the sweep ---------------------------------------------------------------------------------------

PUBLIC = [
    "/",
    "/api/docs",
    "/api/openapi.json",
    "/eligibility/check/",
    "/certificates/about/",
    "/filings/publicity/",
    "/filings/directory/",
]
ADMIN_PAGES = ["/admin/portal/occupation/add/", "/admin/certification/assessmentplan/add/"]
ROLES = ("applicant", "applicant2", "centre", "bureau", "expert1", "admin")
PER_ROLE = 260  # pages walked per role: enough to reach every kind of page of the demo data (the dashboards
# and the 鉴定 and skill pages added links in 2026-12: 160 no longer reached the certificate PDFs)
SKIP = re.compile(
    r"logout|/admin/(?!portal/occupation/add/|certification/assessmentplan/add/)|\.(zip|png|jpg|xlsx)$"
)
TEXT_TYPES = ("text/html", "application/json", "text/plain", "text/csv")
PDF_TYPE = "application/pdf"


def _links(html: str, base: str):
    for href in re.findall(r'href="([^"#]+)', html):
        url = urljoin(base, href.replace("&amp;", "&"))
        parts = urlsplit(url)
        if parts.netloc in ("", "testserver") and parts.path.startswith("/"):
            yield parts.path + (f"?{parts.query}" if parts.query else "")


def _pdf_text(body: bytes) -> str:
    try:
        return "".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    except PdfReadError:  # the demo's stand-in attachments are a few bytes, not a whole PDF
        return body.decode("utf-8", "replace")


def _walk(client: Client, start: list[str], limit: int, walked: set[str]) -> dict[str, list[str]]:
    """Breadth-first over same-site GET links from ``start``: {page: short forms found on it}; the
    pages read are added to ``walked``."""
    seen, queue, found = set(), deque(start), {}
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen or (SKIP.search(url) and url not in start):
            continue
        seen.add(url)
        response = client.get(url)
        kind = response.get("Content-Type", "")
        if response.status_code != 200:
            continue
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if kind.startswith(PDF_TYPE):
            text = _pdf_text(body)
        elif kind.startswith(TEXT_TYPES):
            text = body.decode("utf-8", "replace")
        else:
            continue
        walked.add(url)
        hits = SHORT.findall(text)
        if hits:
            found[url] = sorted(set(hits))
        if kind.startswith("text/html"):
            queue.extend(u for u in _links(text, url) if u not in seen)
    return found


@pytest.fixture
def demo_world(db, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    call_command("load_reference", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())


@pytest.mark.timeout(900)  # reads every page and PDF of every demo role: a limit of its own (issue 28)
def test_no_short_form_reaches_a_page(demo_world):
    walked: set[str] = set()
    found = _walk(Client(), PUBLIC, len(PUBLIC) + 40, walked)
    english = Client()
    english.cookies["django_language"] = "en"
    found.update({f"en {url}": hits for url, hits in _walk(english, PUBLIC, len(PUBLIC), walked).items()})
    for username in ROLES:
        client = Client()
        assert client.login(username=username, password=DEMO_PASSWORD), username
        start = ["/"] + (ADMIN_PAGES if username == "admin" else [])
        found.update(
            {f"{username} {url}": hits for url, hits in _walk(client, start, PER_ROLE, walked).items()}
        )
    assert found == {}
    assert len(walked) > 120, sorted(walked)  # the walk reached the pages of every role
    assert any(url.startswith("/certificates/") and url.endswith("/pdf/") for url in walked), sorted(walked)
    assert any(url.endswith("/application.pdf") for url in walked), sorted(walked)
    assert "/api/docs" in walked and "/api/openapi.json" in walked


def test_no_short_form_reaches_a_mail(demo_world, mailoutbox):
    assert OutboxMail.objects.exists(), "the demo data queues mails"
    for pk in OutboxMail.objects.values_list("pk", flat=True):
        outbox.send(pk)
    assert mailoutbox
    for mail in mailoutbox:
        assert not SHORT.search(mail.subject + mail.body), mail.subject


def test_text_stored_with_a_short_form_is_shown_and_sent_by_title(alice, mailoutbox):
    """Reasons, comments, notifications and mails written before the table show the official title."""
    old = "企业面向本企业职工评价规模不足 500 人次（seed 000 二）。"
    official = "《市人社局关于进一步规范职业技能等级认定工作的通知》二"
    Notification.objects.create(user=alice, text=old)
    client = Client()
    client.force_login(alice)
    page = client.get("/notifications/").content.decode()
    assert official in page and "seed 000" not in page
    mail = OutboxMail.objects.create(
        key="old-mail", to="a@example.org", subject="seed 001 第十二条", body=old
    )
    outbox.send(mail.pk)
    assert official in mailoutbox[-1].body and "seed 00" not in mailoutbox[-1].subject


def test_the_api_docs_and_schema_name_the_notice(db):
    official = "《关于开展技工院校职业技能等级认定工作的通知》（辽人社〔2020〕32号）四(四)2"
    assert official in Client().get("/api/docs").content.decode()
    assert official in Client().get("/api/openapi.json").json()["info"]["description"]


def test_a_page_shows_the_citation_by_title(demo_world):
    client = Client()
    assert client.login(username="applicant", password=DEMO_PASSWORD)
    page = client.get("/certification/plans/new/").content.decode()
    assert "报送市鉴定中心审查（《天津市职业技能等级认定工作管理办法（试行）》第十六条(一)）" in page


def test_a_clause_name_stands_for_one_clause_only():
    from portal import notices as n

    n.register_clauses(test_only_clause="seed 001 第二条")
    n.register_clauses(test_only_clause="seed 001 第二条")  # the same again: fine
    with pytest.raises(ValueError, match="registered twice"):
        n.register_clauses(test_only_clause="seed 001 第三条")
    assert n.clause("test_only_clause") == "《天津市职业技能等级认定工作管理办法（试行）》第二条"


def test_templates_cite_clauses_by_name_never_by_short_form():
    """A template names a registered clause ({{ "plan_lead"|clause }}); only its comments keep short forms."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("*/templates/**/*.html"):
        text = re.sub(r"\{#.*?#\}", "", path.read_text(encoding="utf-8"), flags=re.S)
        if SHORT.search(text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []

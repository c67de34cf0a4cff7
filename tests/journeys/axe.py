"""axe-core in the Playwright journeys (issue 40): the vendored ``axe.min.js`` (static/vendor/axe-core,
from the npm package; no CDN) is injected into a page and run with the WCAG 2.0/2.1 A and AA rules.

The portal's Content-Security-Policy (``script-src 'self'``) stays as it is in production; the
injected script is inline, so the browser context the check runs in bypasses CSP (``axe_context``).

    with axe_context(browser) as page:
        page.goto(url)
        findings = axe_violations(page)  # [Finding(impact, rule, help, selectors), ...]
"""

from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

AXE_JS = Path(__file__).resolve().parents[2] / "static" / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING = ("critical", "serious")

RUN = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
  return result.violations.map(v => ({
    impact: v.impact, rule: v.id, help: v.help,
    selectors: v.nodes.map(n => n.target.map(t => Array.isArray(t) ? t.join(' >> ') : t).join(' >>> ')),
  }));
}"""


@dataclass(frozen=True)
class Finding:
    impact: str  # critical, serious, moderate or minor
    rule: str  # axe's rule id, e.g. "label", "color-contrast"
    help: str
    selectors: tuple[str, ...]

    def __str__(self):
        shown = ", ".join(self.selectors[:5]) + (
            f" (+{len(self.selectors) - 5})" if len(self.selectors) > 5 else ""
        )
        return f"{self.impact} {self.rule} ({len(self.selectors)}): {shown}"


@contextmanager
def axe_context(browser, **options):
    """A page in a fresh context of the session's Chromium that may inject scripts (CSP bypassed)."""
    context = browser.new_context(locale="zh-CN", timezone_id="Asia/Shanghai", bypass_csp=True, **options)
    context.set_default_timeout(15000)
    try:
        yield context.new_page()
    finally:
        context.close()


def axe_violations(page, tags=TAGS) -> list[Finding]:
    """axe's violations on the page as it stands, the worst first."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE_JS))
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    found = [
        Finding(v["impact"] or "minor", v["rule"], v["help"], tuple(v["selectors"]))
        for v in page.evaluate(RUN, tags)
    ]
    return sorted(found, key=lambda f: (order.get(f.impact, 4), f.rule))


def failing(findings: list[Finding]) -> list[Finding]:
    """The critical and serious findings: those the tests fail on."""
    return [f for f in findings if f.impact in FAILING]

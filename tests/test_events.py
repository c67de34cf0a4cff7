"""Each app names its audit events in one place, its events.py (Open Forms' logevent), and every event
the product code records is named there: an app's own, or portal's shared ones."""

import ast
import re
from pathlib import Path

from portal import audit
from tests import layers

ROOT = Path(__file__).resolve().parents[1]
RECORDED = [
    re.compile(r'audit\.record\(\s*"(\w+)"'),  # audit.record("filing_saved", ...)
    re.compile(r'Step\(\s*"\w+",\s*"(\w+)"'),  # transitions.Step("submit", "filing_submitted")
    re.compile(
        r'_step\(\s*\w+,\s*"\w+",\s*"(\w+)"'
    ),  # after_filing._step(change, "reject", "change_rejected")
    re.compile(r'_record\(\s*"(\w+)"'),  # after_filing._record("renewal_requested", ...)
]


def named_in(events_py: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(events_py.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "register":
            names |= {keyword.arg for keyword in node.keywords}
    return names


def test_events_are_registered_only_in_events_py():
    for path in layers.product_files():
        text = path.read_text(encoding="utf-8")
        if path.name != "events.py" and path.name != "audit.py":
            assert "audit.register(" not in text, path


def test_every_recorded_event_is_named_in_its_app_or_in_portal():
    shared = named_in(ROOT / "portal" / "events.py")
    seen = set()
    for app in layers.LAYERS:
        events_py = ROOT / app / "events.py"
        own = named_in(events_py) if events_py.exists() else set()
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for pattern in RECORDED:
                for name in pattern.findall(text):
                    seen.add(name)
                    assert name in own | shared, (
                        f"{path.relative_to(ROOT)} records {name!r}, not named in {app}/events.py"
                    )
    assert len(seen) > 60  # the patterns still find the recorded events


def test_the_registry_holds_every_named_event():
    for app in layers.LAYERS:
        events_py = ROOT / app / "events.py"
        if events_py.exists():
            assert named_in(events_py) <= set(audit.EVENTS), app

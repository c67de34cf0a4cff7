"""The layer rules of tests/layers.py hold for the product code.

The lists below are what is still left to mend: each must shrink to nothing (issue "One way down").
The test compares exactly, so a mended entry must be struck from its list and a new one fails."""

import pytest

from tests import layers

# Still to mend (each list must shrink to nothing); kept here so that nothing new joins them.
KNOWN_CIRCLES: list[list[str]] = []
KNOWN_UPWARD: dict[str, str] = {}
KNOWN_PRIVATE: dict[str, set[str]] = {}


@pytest.fixture(scope="module")
def modules():
    return layers.read_modules()


def test_no_new_import_circle(modules):
    assert layers.circles(modules) == KNOWN_CIRCLES


def test_no_import_runs_up_the_layers(modules):
    found = {}
    for line in layers.upward_imports(modules):
        importer, target = line.split(" -> ")
        found.setdefault(importer.split(":")[0], set()).add(target)
    assert found == {k: {v} for k, v in KNOWN_UPWARD.items()}


def test_no_private_name_used_outside_its_module(modules):
    found = {}
    for line in layers.private_uses(modules):
        importer, name = line.split(" uses ")
        found.setdefault(importer.split(":")[0], set()).add(name)
    assert found == KNOWN_PRIVATE


def test_the_reader_sees_a_circle_an_upward_import_and_a_private_name(tmp_path, monkeypatch):
    """The rules can fail: a small tree with one of each is caught."""
    for app in layers.LAYERS:
        (tmp_path / app).mkdir()
        (tmp_path / app / "__init__.py").write_text("")
    (tmp_path / "portal" / "a.py").write_text("def f():\n    from filings import b\n")
    (tmp_path / "filings" / "b.py").write_text("from portal.a import f\nfrom portal import a\na._hidden()\n")
    (tmp_path / "filings" / "c.py").write_text("from .b import _secret\n")
    monkeypatch.setattr(layers, "ROOT", tmp_path)
    found = layers.read_modules()
    assert layers.circles(found) == [["filings.b", "portal.a"]]
    assert layers.upward_imports(found) == ["portal.a:2 -> filings.b"]
    assert layers.private_uses(found) == [
        "filings.b:3 uses portal.a._hidden",
        "filings.c:1 uses filings.b._secret",
    ]

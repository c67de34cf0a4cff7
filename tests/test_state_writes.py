"""A procedure's state changes only in its own transitions, fired through portal.transitions (README
"One way down"; issue 31 part 2). An AST check over the apps (the files tests/layers.py reads): code
that writes a state field of a django-fsm model (``obj.state = ...``, ``setattr(obj, "state", ...)``,
``.update(state=...)``) outside a ``@transition`` method fails here.

The allow-list names the documented fixture paths: demo loaders that put demo rows straight into a
state no demo could reach in its time, with a queryset update (the database, never the model)."""

from __future__ import annotations

import ast

import pytest
from django.apps import apps
from django_fsm import FSMFieldMixin

from tests import layers

# "path:function" -> why it may write a state directly. Must match exactly: a mended entry is struck.
ALLOWED = {
    # The demo's filed institutions start filed (demo data, not a workflow).
    "filings/demo_after.py:_filed": "demo loader",
    # The demo plans start submitted and verified (the loader's comment says so).
    "certification/demo.py:_plans": "demo loader",
    # The batch runner's own bookkeeping: IssuanceBatch and IssuanceItem `status` are plain progress
    # fields of a task, not a procedure (their docstrings say why); the check matches by field name,
    # and Certificate.status is a machine.
    "certificates/issuance.py:run_batch": "batch runner progress, not a procedure",
    "certificates/issuance.py:_finish_item": "batch item progress, not a procedure",
    # The same for a background job (portal.models.Job.status: the worker's progress, issue 39 item 4).
    "portal/jobs.py:run": "job runner progress, not a procedure",
    # The demo technician plan starts approved, its exams held (issue 29 item 14); its review goes
    # through the workflow.
    "certification/demo.py:technician_plan": "demo loader",
}


def state_fields() -> set[str]:
    """The names of the FSM fields of the apps' models (the procedures' states)."""
    return {
        field.name
        for model in apps.get_models()
        if model._meta.app_label in layers.LAYERS
        for field in model._meta.concrete_fields
        if isinstance(field, FSMFieldMixin)
    }


def _is_transition(node) -> bool:
    for decorator in node.decorator_list:
        target = decorator.func if isinstance(decorator, ast.Call) else decorator
        name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
        if name == "transition":
            return True
    return False


def _targets(node):
    if isinstance(node, ast.Assign):
        pending = list(node.targets)
    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
        pending = [node.target]
    else:
        return
    while pending:
        target = pending.pop()
        if isinstance(target, (ast.Tuple, ast.List)):
            pending.extend(target.elts)
        else:
            yield target


class _Finder(ast.NodeVisitor):
    def __init__(self, fields: set[str]):
        self.fields = fields
        self.function = "<module>"
        self.found: list[tuple[str, int]] = []

    def _visit_function(self, node):
        if _is_transition(node):
            return  # a transition method: where a state may change
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    visit_FunctionDef = visit_AsyncFunctionDef = _visit_function

    def generic_visit(self, node):
        for target in _targets(node):
            if isinstance(target, ast.Attribute) and target.attr in self.fields:
                self.found.append((self.function, node.lineno))
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if (
                name == "setattr"
                and len(node.args) >= 2
                and isinstance(node.args[1], ast.Constant)
                and node.args[1].value in self.fields
            ):
                self.found.append((self.function, node.lineno))
            if name in ("update", "update_or_create") and any(k.arg in self.fields for k in node.keywords):
                self.found.append((self.function, node.lineno))
        super().generic_visit(node)


def state_writes(source: str, fields: set[str]) -> list[tuple[str, int]]:
    """(function, line) of each write of a state field outside a transition method."""
    finder = _Finder(fields)
    finder.visit(ast.parse(source))
    return finder.found


def test_the_state_fields_are_known():
    assert "state" in state_fields()


def test_no_state_is_written_outside_a_transition():
    fields = state_fields()
    found = {}
    for path in layers.product_files():
        rel = path.relative_to(layers.ROOT).as_posix()
        for function, line in state_writes(path.read_text(encoding="utf-8"), fields):
            found.setdefault(f"{rel}:{function}", []).append(line)
    assert sorted(found) == sorted(ALLOWED), found


@pytest.mark.parametrize(
    "source",
    [
        "def f(plan):\n    plan.state = 'x'\n",
        "def f(plan):\n    plan.state, plan.other = 'x', 1\n",
        "def f(plan):\n    setattr(plan, 'state', 'x')\n",
        "def f():\n    Plan.objects.filter(pk=1).update(state='x')\n",
    ],
)
def test_the_check_sees_a_write(source):
    assert state_writes(source, {"state"}) == [("f", 2)]


def test_the_check_allows_a_transition_method():
    source = "class M:\n    @transition(field=state, source='a', target='b')\n    def go(self):\n        self.state = 'b'\n"
    assert state_writes(source, {"state"}) == []

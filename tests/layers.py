"""The import structure of the product code, read with ast (nothing is imported or run).

Rules (issue "One way down"; STYLE.md "Layers"):
- the apps are layered portal <- eligibility <- filings <- certification <- appraisals <- certificates <-
  talent: a module may import its own app and the apps below it, never one above;
- no import circle between modules, counting imports inside functions too (a local import hides a
  circle, it does not remove it);
- a module's ``_private`` names stay inside it: no ``from x import _name`` and no ``x._name`` on an
  imported project module.

``python tests/layers.py`` prints the figures (circles, arrows running up, private names, largest file).
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LAYERS = ["portal", "eligibility", "filings", "certification", "appraisals", "certificates", "talent"]
RANK = {app: i for i, app in enumerate(LAYERS)}


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def product_files() -> list[Path]:
    files = []
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            rel = path.relative_to(ROOT).parts
            if "migrations" in rel or "locale" in rel:
                continue
            files.append(path)
    return files


@dataclass
class Module:
    name: str
    path: Path
    is_package: bool
    imports: list[tuple[str, int]] = field(default_factory=list)  # (module imported, line)
    private_uses: list[tuple[str, str, int]] = field(default_factory=list)  # (module, name, line)

    @property
    def app(self) -> str:
        return self.name.split(".")[0]


def _resolve(module: Module, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.name.split(".")
    if not module.is_package:
        base = base[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def read_modules() -> dict[str, Module]:
    modules: dict[str, Module] = {}
    for path in product_files():
        name = module_name(path)
        modules[name] = Module(name, path, path.name == "__init__.py")
    for module in modules.values():
        tree = ast.parse(module.path.read_text(encoding="utf-8"), str(module.path))
        aliases: dict[str, str] = {}  # local name -> project module it stands for
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name in modules or alias.name.split(".")[0] in RANK:
                        module.imports.append((alias.name, node.lineno))
                        if alias.asname:
                            aliases[alias.asname] = alias.name
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(module, node)
                if target.split(".")[0] not in RANK:
                    continue
                for alias in node.names:
                    submodule = f"{target}.{alias.name}"
                    if submodule in modules:  # "from . import workflow" imports the module itself
                        module.imports.append((submodule, node.lineno))
                        aliases[alias.asname or alias.name] = submodule
                    else:
                        module.imports.append((target, node.lineno))
                        if alias.name.startswith("_") and not alias.name.startswith("__"):
                            module.private_uses.append((target, alias.name, node.lineno))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
            ):
                module.private_uses.append((aliases[node.value.id], node.attr, node.lineno))
    return modules


def _known(modules: dict[str, Module], name: str) -> str | None:
    """The module of the tree an import names (a package's __init__ for "filings")."""
    while name:
        if name in modules:
            return name
        name = name.rpartition(".")[0]
    return None


def graph(modules: dict[str, Module]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {name: set() for name in modules}
    for module in modules.values():
        for target, _line in module.imports:
            known = _known(modules, target)
            if known and known != module.name:
                edges[module.name].add(known)
    return edges


def circles(modules: dict[str, Module]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    edges = graph(modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    counter = [0]

    def visit(v: str) -> None:
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(edges[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    sys.setrecursionlimit(10000)
    for v in sorted(edges):
        if v not in index:
            visit(v)
    return sorted(found)


def upward_imports(modules: dict[str, Module]) -> list[str]:
    """Imports from a lower app to a higher one, as "importer:line -> imported"."""
    found = []
    for module in modules.values():
        for target, line in module.imports:
            app = target.split(".")[0]
            if RANK[app] > RANK[module.app]:
                found.append(f"{module.name}:{line} -> {target}")
    return sorted(set(found))


def private_uses(modules: dict[str, Module]) -> list[str]:
    found = []
    for module in modules.values():
        for target, name, line in module.private_uses:
            if _known(modules, target) != module.name:
                found.append(f"{module.name}:{line} uses {target}.{name}")
    return sorted(set(found))


def largest_file() -> tuple[str, int]:
    sizes = [
        (len(p.read_text(encoding="utf-8").splitlines()), str(p.relative_to(ROOT))) for p in product_files()
    ]
    lines, path = max(sizes)
    return path, lines


def main() -> int:
    modules = read_modules()
    found_circles = circles(modules)
    up = upward_imports(modules)
    private = private_uses(modules)
    path, lines = largest_file()
    print(f"modules: {len(modules)}")
    print(f"import circles: {len(found_circles)}")
    for circle in found_circles:
        print("  " + " <-> ".join(circle))
    print(f"imports running up the layers: {len(up)}")
    for line in up:
        print("  " + line)
    print(f"uses of another module's private names: {len(private)}")
    for line in private:
        print("  " + line)
    print(f"largest file: {path} ({lines} lines)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

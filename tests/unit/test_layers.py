"""The layers hold (docs/architecture.md): imports go down, never up, and no module imports itself back.

Read from the source (every `import` in every module, lazy ones in functions included), so
a new file cannot slip past by not being imported by a test.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "datafast_tui"

#: For each layer, the imports it must never make (a prefix of the module imported).
FORBIDDEN: dict[str, tuple[str, ...]] = {
    "api": ("textual", "datafast_tui.data", "datafast_tui.demo", "datafast_tui.screens", "datafast_tui.widgets",
            "datafast_tui.dialogs", "datafast_tui.app", "datafast_tui.messages"),
    "data": ("textual", "datafast_tui.screens", "datafast_tui.widgets", "datafast_tui.dialogs", "datafast_tui.app",
             "datafast_tui.messages"),
    # The demo is a server, tested as one: nothing of the app's side.
    "demo": ("textual", "datafast_tui.api", "datafast_tui.data", "datafast_tui.screens", "datafast_tui.widgets",
             "datafast_tui.dialogs", "datafast_tui.app", "datafast_tui.store_factory"),
    # Screens ask the store; only api/ speaks HTTP.
    "screens": ("httpx", "datafast_tui.app"),
    "widgets": ("httpx", "datafast_tui.screens", "datafast_tui.dialogs", "datafast_tui.app"),
    "dialogs": ("httpx", "datafast_tui.screens", "datafast_tui.app"),
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path, *, module_level: bool = False) -> set[str]:
    """Modules `path` imports; with `module_level`, only those at the top of the module and in
    its `if TYPE_CHECKING:` block (a lazy import inside a function is not a dependency of the
    module, and cannot make a circle)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    if module_level:
        nodes = [n for n in tree.body if not isinstance(n, ast.If)]
        for block in (n for n in tree.body if isinstance(n, ast.If) and "TYPE_CHECKING" in ast.unparse(n.test)):
            nodes += block.body
    else:
        nodes = list(ast.walk(tree))
    found: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found


MODULES = {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_each_layer_imports_only_what_is_below_it(layer: str) -> None:
    wrong = []
    for name, path in MODULES.items():
        if not name.startswith(f"datafast_tui.{layer}"):
            continue
        for imported in imports(path):
            if any(imported == bad or imported.startswith(bad + ".") for bad in FORBIDDEN[layer]):
                wrong.append(f"{name} imports {imported}")
    assert not wrong, "\n".join(wrong)


def test_no_module_imports_itself_back() -> None:
    """No import circle, not even one through type hints (a mixin typed with the screen that uses it)."""
    graph = {name: {m for m in imports(path, module_level=True) if m in MODULES and m != name}
             for name, path in MODULES.items()}
    circles = []
    for start in graph:
        stack = [(start, [start])]
        seen: set[str] = set()
        while stack:
            node, trail = stack.pop()
            for nxt in graph[node]:
                if nxt == start and len(trail) > 1:
                    circles.append(" -> ".join([*trail, start]))
                elif nxt not in seen and not (nxt.startswith(start + ".") or start.startswith(nxt + ".")):
                    seen.add(nxt)
                    stack.append((nxt, [*trail, nxt]))
    assert not circles, "\n".join(sorted(set(circles))[:10])

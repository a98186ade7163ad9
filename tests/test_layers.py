"""The layering of DESIGN.md, checked on the source: Qt only in ui/ and app.py, imports downward."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).parents[1] / "mhsw_desktop"
# Each layer may import itself and the layers listed after it, never those before.
# cli sits above reports (DESIGN.md lists it below): `mhsw report` builds them headless.
ORDER = ["ui", "cli", "reports", "services", "domain", "vault"]
HEADLESS = ["vault", "domain", "services", "reports", "cli"]


def layer_of(path: Path) -> str | None:
    rel = path.relative_to(PACKAGE)
    if rel.parts[0].endswith(".py"):
        return rel.stem if rel.stem in ORDER else None
    return rel.parts[0] if rel.parts[0] in ORDER else None


def imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


SOURCES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_layers_import_only_downward(path: Path) -> None:
    layer = layer_of(path)
    if layer is None:
        return
    allowed_below = ORDER[ORDER.index(layer) :]
    for name in imports(path):
        top = name.split(".")[0]
        if layer in HEADLESS:
            assert top not in ("PySide6", "shiboken6"), f"{path}: Qt below ui/ ({name})"
        if name.startswith("mhsw_desktop."):
            target = name.split(".")[1]
            if target in ORDER:
                assert target in allowed_below, f"{path} ({layer}) imports {name} (upward)"


def test_the_layer_check_sees_every_layer() -> None:
    assert {layer_of(p) for p in SOURCES} >= set(ORDER)

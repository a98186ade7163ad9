#!/usr/bin/env python
"""Find interface strings that Qt's translation system cannot see.

Reads Python files (it never imports them) and reports, as ``file:line:col: …``, every
string literal handed straight to something the user sees or a screen reader reads
(``setText``, ``setToolTip``, ``QLabel(...)``, ``QMessageBox.warning(...)``, header
labels, combo items …) without being wrapped in ``tr()``,
``QCoreApplication.translate()`` or ``QT_TRANSLATE_NOOP()``; and every ``tr()`` whose
text is built from data (an f-string, ``+``, ``.format`` inside the call), which
lupdate cannot extract, or a call lupdate misreads (keyword arguments; a
``translate()`` with a count, which it does not see as a plural)::

    .venv/bin/python scripts/check_translatable.py mhsw_desktop/ui/foo.py [more.py …]

Exits 1 when there are findings. Allowed as they are: empty strings, strings without
letters ("…", "—", ":") and pure placeholders ("{}", "%1"). The check is syntactic: a
variable passed to ``setText`` is not followed, so module-level tables still need
``QT_TRANSLATE_NOOP`` by hand. ``check_source`` and ``check_file`` are the same check
as functions (tests/ui/test_translatable.py calls them).
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

#: Calls that mark a string for lupdate; their result counts as translated.
TRANSLATE_FUNCS = frozenset(
    {"tr", "translate", "QT_TR_NOOP", "QT_TRANSLATE_NOOP", "QT_TRANSLATE_NOOP3", "qsTr"}
)

#: Methods whose first argument is the text shown.
TEXT_METHODS = frozenset(
    {
        "setText",
        "setWindowTitle",
        "setToolTip",
        "setStatusTip",
        "setWhatsThis",
        "setPlaceholderText",
        "setAccessibleName",
        "setAccessibleDescription",
        "setTitle",
        "setSubTitle",
        "setInformativeText",
        "setDetailedText",
        "setLabelText",
        "setSpecialValueText",
        "setPrefix",
        "setSuffix",
        "setIconText",
        "setHtml",
        "setMarkdown",
        "setPlainText",
        "showMessage",
        "setCancelButtonText",
        "setOkButtonText",
        "setWindowIconText",
    }
)

#: Methods whose text follows ``skip`` leading arguments (an index, a widget), and may
#: itself come after an icon: ``addItem(icon, "Text", data)``.
TEXT_AFTER = {
    "addItem": 0,
    "addAction": 0,
    "addMenu": 0,
    "addSection": 0,
    "addButton": 0,
    "addRow": 0,
    "insertRow": 1,
    "insertItem": 1,
    "insertSeparator": 1,
    "setItemText": 1,
    "addTab": 1,
    "insertTab": 2,
    "setTabText": 1,
    "setTabToolTip": 1,
    "setTabWhatsThis": 1,
    "setItemToolTip": 1,
    "setButtonText": 1,
    "setHeaderData": 2,
}

#: Methods taking a list of texts.
LIST_METHODS = frozenset(
    {"setHorizontalHeaderLabels", "setVerticalHeaderLabels", "setHeaderLabels", "addItems"}
)

#: Widgets, actions and items whose constructor takes the text first (or after an icon).
TEXT_CONSTRUCTORS = frozenset(
    {
        "QLabel",
        "QPushButton",
        "QCheckBox",
        "QRadioButton",
        "QGroupBox",
        "QAction",
        "QMenu",
        "QCommandLinkButton",
        "QListWidgetItem",
        "QStandardItem",
        "QToolButton",
        "QWidgetAction",
    }
)

#: ``QMessageBox.warning(parent, title, text …)`` and friends: positional indexes of texts.
STATIC_DIALOGS = {
    "QMessageBox": (
        {"information", "warning", "critical", "question", "about"},
        (1, 2),
        {"title", "text"},
    ),
    "QInputDialog": (
        {"getText", "getItem", "getInt", "getDouble", "getMultiLineText"},
        (1, 2),
        {"title", "label"},
    ),
    "QFileDialog": (
        {
            "getSaveFileName",
            "getOpenFileName",
            "getOpenFileNames",
            "getExistingDirectory",
            "getSaveFileUrl",
            "getOpenFileUrl",
        },
        (1,),
        {"caption"},
    ),
}

#: File dialogs' filter argument: "PDF files (*.pdf)" — the description is translatable.
FILTER_POSITION = 3

#: Qt properties that PySide6 also accepts as keyword arguments of any constructor.
PROPERTY_KEYWORDS = frozenset(
    {
        "toolTip",
        "statusTip",
        "whatsThis",
        "windowTitle",
        "placeholderText",
        "accessibleName",
        "accessibleDescription",
    }
)

_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%(?:\d+|n|L\d+|[-#0 +]*\d*(?:\.\d+)?[sdifrxXeEgGc%])")
_PARENTHESISED = re.compile(r"\([^()]*\)")


@dataclass(frozen=True)
class Finding:
    """One string the translation system would miss."""

    path: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column + 1}: {self.message}"


def needs_translation(text: str) -> bool:
    """True for text a reader sees as words: it has letters besides placeholders."""
    return any(ch.isalpha() for ch in _PLACEHOLDER.sub("", text))


def _filter_needs_translation(text: str) -> bool:
    """A file-dialog filter: only the descriptions, not the ``(*.pdf)`` patterns."""
    return needs_translation(_PARENTHESISED.sub("", text).replace(";;", ""))


def _callee_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _is_translate_call(node: ast.expr) -> bool:
    return isinstance(node, ast.Call) and _callee_name(node.func) in TRANSLATE_FUNCS


def _is_str_literal(node: ast.expr) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, str)


def _is_textish(node: ast.expr) -> bool:
    """Looks like text rather than an icon: a literal, f-string, sum or a translation."""
    if _is_str_literal(node) or isinstance(node, ast.JoinedStr) or _is_translate_call(node):
        return True
    if isinstance(node, ast.BinOp):
        return _is_textish(node.left) or _is_textish(node.right)
    if isinstance(node, ast.IfExp):
        return _is_textish(node.body) or _is_textish(node.orelse)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        if node.func.attr == "join":
            return bool(node.args) and _is_textish(node.args[0])
        return node.func.attr in {"format", "arg"} and _is_textish(node.func.value)
    return False


def _looks_like_icon(node: ast.expr) -> bool:
    if isinstance(node, ast.Call):
        name = _callee_name(node.func) or ""
        return "icon" in name.lower() or name in {"QIcon", "standardIcon", "fromTheme"}
    if isinstance(node, ast.Name | ast.Attribute):
        return "icon" in (_callee_name(node) or "").lower()
    return False


class _Checker(ast.NodeVisitor):
    def __init__(self, path: str) -> None:
        self.path = path
        self.findings: list[Finding] = []

    def report(self, node: ast.AST, message: str) -> None:
        self.findings.append(
            Finding(self.path, getattr(node, "lineno", 0), getattr(node, "col_offset", 0), message)
        )

    # -- what counts as untranslated text ------------------------------------------------

    def check_text(self, node: ast.expr, where: str, *, is_filter: bool = False) -> None:
        """Report literal words in ``node`` (an argument shown to the user)."""
        wants = _filter_needs_translation if is_filter else needs_translation
        if _is_translate_call(node):
            return
        if _is_str_literal(node):
            assert isinstance(node, ast.Constant)
            if wants(node.value):
                self.report(node, f"{where}: {node.value!r} is not marked for translation")
        elif isinstance(node, ast.JoinedStr):
            literal = "".join(
                part.value
                for part in node.values
                if isinstance(part, ast.Constant) and isinstance(part.value, str)
            )
            if wants(literal):
                self.report(
                    node,
                    f"{where}: f-string with words {literal!r}; translate a template, "
                    "then .format() it",
                )
        elif isinstance(node, ast.BinOp):
            self.check_text(node.left, where, is_filter=is_filter)
            self.check_text(node.right, where, is_filter=is_filter)
        elif isinstance(node, ast.IfExp):
            self.check_text(node.body, where, is_filter=is_filter)
            self.check_text(node.orelse, where, is_filter=is_filter)
        elif isinstance(node, ast.List | ast.Tuple):
            for item in node.elts:
                self.check_text(item, where, is_filter=is_filter)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in {"format", "arg"}:
                self.check_text(node.func.value, where, is_filter=is_filter)
            elif node.func.attr == "join" and node.args:
                self.check_text(node.args[0], where, is_filter=is_filter)

    def check_after(self, args: Sequence[ast.expr], skip: int, where: str) -> None:
        if len(args) <= skip:
            return
        first = args[skip]
        if _is_textish(first):
            self.check_text(first, where)
        elif _looks_like_icon(first) and len(args) > skip + 1:
            self.check_text(args[skip + 1], where)

    # -- the visitor ---------------------------------------------------------------------

    def visit_Call(self, node: ast.Call) -> None:
        name = _callee_name(node.func)
        if name in TRANSLATE_FUNCS:
            self.check_translate_call(node, name)
        elif isinstance(node.func, ast.Attribute) and isinstance(node.func.value, ast.Name):
            owner = node.func.value.id
            if owner in STATIC_DIALOGS:
                self.check_static_dialog(node, owner, node.func.attr)
        if isinstance(node.func, ast.Attribute):
            where = f"{name}()"
            if name in TEXT_METHODS and node.args:
                self.check_text(node.args[0], where)
            elif name in TEXT_AFTER:
                self.check_after(node.args, TEXT_AFTER[name], where)
            elif name in LIST_METHODS and node.args:
                self.check_text(node.args[0], where)
        if name in TEXT_CONSTRUCTORS:
            where = f"{name}()"
            self.check_after(node.args, 0, where)
            for keyword in node.keywords:
                if keyword.arg in {"text", "title"}:
                    self.check_text(keyword.value, f"{name}({keyword.arg}=)")
        for keyword in node.keywords:
            if keyword.arg in PROPERTY_KEYWORDS:
                self.check_text(keyword.value, f"{keyword.arg}=")
        self.generic_visit(node)

    def check_static_dialog(self, node: ast.Call, owner: str, method: str) -> None:
        methods, positions, keywords = STATIC_DIALOGS[owner]
        if method not in methods:
            return
        where = f"{owner}.{method}()"
        for index in positions:
            if len(node.args) > index:
                self.check_text(node.args[index], where)
        if owner == "QFileDialog" and len(node.args) > FILTER_POSITION:
            self.check_text(node.args[FILTER_POSITION], f"{where} filter", is_filter=True)
        for keyword in node.keywords:
            if keyword.arg in keywords:
                self.check_text(keyword.value, where)
            elif owner == "QFileDialog" and keyword.arg == "filter":
                self.check_text(keyword.value, f"{where} filter", is_filter=True)

    def check_translate_call(self, node: ast.Call, name: str) -> None:
        """The source text of a translation must be one literal for lupdate to see it."""
        text_index = 1 if name in {"translate", "QT_TRANSLATE_NOOP", "QT_TRANSLATE_NOOP3"} else 0
        if len(node.args) <= text_index:
            return
        text = node.args[text_index]
        built = isinstance(text, ast.JoinedStr | ast.BinOp) or (
            isinstance(text, ast.Call)
            and isinstance(text.func, ast.Attribute)
            and text.func.attr in {"format", "join"}
        )
        if built:
            self.report(
                text,
                f"{name}() of text built from data: lupdate cannot extract it; translate the "
                "literal template, then format the result",
            )
        if node.keywords:
            self.report(
                node,
                f"{name}() with keyword arguments: lupdate skips or misreads the call; pass "
                "them by position",
            )
        count_index = text_index + 2
        if (
            name == "translate"
            and len(node.args) > count_index
            and not isinstance(node.args[count_index], ast.Constant)
        ):
            self.report(
                node,
                "translate() with a count: lupdate does not mark it as a plural; use "
                'self.tr(text, "", n) inside the QObject subclass',
            )


def check_source(source: str, path: str = "<string>") -> list[Finding]:
    """Findings for Python source text; ``path`` is only used in the messages."""
    checker = _Checker(path)
    checker.visit(ast.parse(source, filename=path))
    return sorted(checker.findings, key=lambda f: (f.line, f.column))


def check_file(path: Path | str) -> list[Finding]:
    """Findings for one Python file."""
    path = Path(path)
    return check_source(path.read_text(encoding="utf-8"), str(path))


def check_paths(paths: Iterable[Path | str]) -> list[Finding]:
    """Findings for files, and for every ``*.py`` under directories given."""
    findings: list[Finding] = []
    for item in paths:
        item = Path(item)
        files = sorted(item.rglob("*.py")) if item.is_dir() else [item]
        for file in files:
            findings.extend(check_file(file))
    return findings


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        return 0 if args else 2
    findings = check_paths(args)
    for finding in findings:
        print(finding)
    if findings:
        print(f"{len(findings)} string(s) not marked for translation", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

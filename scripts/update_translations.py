#!/usr/bin/env python
"""Refresh the interface's translation sources, and optionally build them::

    .venv/bin/python scripts/update_translations.py [--release] [--language es …]

Runs pyside6-lupdate (from the venv, next to this Python) over ``mhsw_desktop/ui/*.py``
and ``mhsw_desktop/app.py`` into ``resources/translations/mhsw_<language>.ts``: new
strings arrive as unfinished, translations of strings that still exist are kept, those
of strings gone from the code are dropped (``-no-obsolete``). Every ``mhsw_*.ts``
already there is refreshed, and ``mhsw_es.ts`` is made if missing. ``--release`` then
runs pyside6-lrelease to build the ``.qm`` files the app loads (build output, not
committed). See resources/translations/README.md.

lupdate takes every ``#:`` comment before a marked string as a note for the translator,
and this code uses ``#:`` to document attributes; so only notes that begin with
``Translators:`` are kept in the ``.ts``::

    #: Translators: a Qt date format (dddd: the weekday, MMMM: the month)
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TRANSLATIONS = ROOT / "resources" / "translations"
DEFAULT_LANGUAGES = ("es",)
#: a note lupdate took from a ``#:`` comment that is not meant for the translator
_NOT_FOR_TRANSLATORS = re.compile(r"\n[ \t]*<extracomment>(?!Translators:)[^<]*</extracomment>")


def qt_tool(name: str) -> Path:
    """A PySide6 tool from the venv's bin folder (beside ``sys.executable``), or PATH."""
    here = Path(sys.executable).parent / name
    if here.is_file():
        return here
    found = shutil.which(name)
    if found is None:
        raise SystemExit(f"{name} not found beside {sys.executable} or on PATH")
    return Path(found)


def sources() -> list[Path]:
    """The files whose strings are translated, as paths relative to the repository."""
    files = sorted((ROOT / "mhsw_desktop" / "ui").glob("*.py"))
    files.append(ROOT / "mhsw_desktop" / "app.py")
    return [f.relative_to(ROOT) for f in files]


def ts_files(languages: list[str]) -> list[Path]:
    found = {p.stem.removeprefix("mhsw_"): p for p in TRANSLATIONS.glob("mhsw_*.ts")}
    for language in languages:
        found.setdefault(language, TRANSLATIONS / f"mhsw_{language}.ts")
    return [found[language] for language in sorted(found)]


def update(ts: Path) -> None:
    language = ts.stem.removeprefix("mhsw_")
    command = [
        str(qt_tool("pyside6-lupdate")),
        *map(str, sources()),
        "-no-obsolete",
        "-locations",
        "relative",
        "-target-language",
        language,
        "-ts",
        str(ts.relative_to(ROOT)),
    ]
    subprocess.run(command, cwd=ROOT, check=True)
    text = ts.read_text(encoding="utf-8")
    ts.write_text(_NOT_FOR_TRANSLATORS.sub("", text), encoding="utf-8")


def release(ts: Path) -> None:
    command = [str(qt_tool("pyside6-lrelease")), str(ts), "-qm", str(ts.with_suffix(".qm"))]
    subprocess.run(command, cwd=ROOT, check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--release", action="store_true", help="also build the .qm files")
    parser.add_argument(
        "--language",
        action="append",
        default=None,
        help="also make mhsw_<LANGUAGE>.ts if missing (repeatable; default: es)",
    )
    args = parser.parse_args(argv)
    TRANSLATIONS.mkdir(parents=True, exist_ok=True)
    for ts in ts_files(args.language or list(DEFAULT_LANGUAGES)):
        update(ts)
        if args.release:
            release(ts)
    return 0


if __name__ == "__main__":
    sys.exit(main())

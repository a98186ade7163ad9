"""Languages: which a client may prefer, and the texts of client documents in each.

The languages are data (``resources/i18n/languages.json``); the texts of each family of
client documents are one file per language (``resources/i18n/<code>/<family>.json``).
English is the source: a text missing from another language falls back to it, and
:func:`untranslated` lists every such gap so that none ships silently. The measures'
English texts are their definitions (``domain/measure_defs.py``), so they are not written
twice.

A client's documents print in English, in the client's language, or in both (the
client's first); the practitioner's own records always stay in English.
"""

from __future__ import annotations

import enum
import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any

from mhsw_desktop.errors import ValidationError
from mhsw_desktop.resources import resources_dir

#: the practitioner's language: the source of every text and of every record
ENGLISH = "en"
TEXTS_FORMAT = "mhsw-texts"
_CODE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8})*")


class DocumentLanguage(enum.StrEnum):
    """Which language a client's documents print in."""

    ENGLISH = "english"
    CLIENT = "client"
    BOTH = "both"

    @property
    def label(self) -> str:
        return {
            "english": "English",
            "client": "The client's language",
            "both": "Both (the client's language first, then English)",
        }[self.value]


@dataclass(frozen=True)
class Language:
    code: str
    #: the name in English ("Spanish")
    name: str
    #: the name in the language itself ("Español")
    native: str
    #: the locale dates and numbers are formatted for ("es_US")
    locale: str

    @property
    def label(self) -> str:
        return self.name if self.native == self.name else f"{self.name} ({self.native})"


def _folder() -> Path:
    return resources_dir() / "i18n"


@cache
def languages() -> tuple[Language, ...]:
    """Every language a client may prefer, English first."""
    path = _folder() / "languages.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != "mhsw-languages":
            raise ValueError("not a language list")
        found = tuple(
            Language(str(e["code"]), str(e["name"]), str(e["native"]), str(e["locale"]))
            for e in document["languages"]
        )
    except (OSError, ValueError, KeyError, TypeError):
        found = ()  # a broken install still prints in English
    if not any(lang.code == ENGLISH for lang in found):
        found = (Language(ENGLISH, "English", "English", "en_US"), *found)
    return tuple(sorted(found, key=lambda lang: lang.code != ENGLISH))


def language(code: str) -> Language:
    """The language of ``code``; ValidationError naming the known ones otherwise."""
    for lang in languages():
        if lang.code == code:
            return lang
    known = ", ".join(f"{lang.code} ({lang.name})" for lang in languages())
    raise ValidationError({"preferred_language": f"{code!r} is not a known language: {known}"})


def check_code(code: str) -> str | None:
    """Why ``code`` cannot be a client's language (None when it can)."""
    if not _CODE.fullmatch(code):
        return "is not a language code (en, es)"
    if code not in {lang.code for lang in languages()}:
        known = ", ".join(lang.code for lang in languages())
        return f"{code!r} is not one of the languages this install knows ({known})"
    return None


def document_languages(preferred: str, choice: DocumentLanguage | str) -> tuple[str, ...]:
    """The languages a client's document prints in, the leading one first.

    ``both`` for a client whose language is English is English alone.
    """
    if choice not in {d.value for d in DocumentLanguage} or check_code(preferred) is not None:
        return (ENGLISH,)  # a value from outside (an edited export): the safe default
    choice = DocumentLanguage(choice)
    if choice == DocumentLanguage.ENGLISH or preferred in ("", ENGLISH):
        return (ENGLISH,)
    if choice == DocumentLanguage.CLIENT:
        return (preferred,)
    return (preferred, ENGLISH)


def requested_languages(requested: str, preferred: str) -> tuple[str, ...]:
    """The languages of ``--lang`` (``en``, ``es``, ``both``), with ``both`` being the
    client's language and English (English alone for an English-speaking client)."""
    if requested == "both":
        return document_languages(preferred, DocumentLanguage.BOTH)
    if check_code(requested) is not None:
        raise ValidationError({"lang": check_code(requested) or ""})
    return (requested,)


# -- texts ----------------------------------------------------------------------------
class TextsError(ValueError):
    """A texts file that is not what it says it is (raised in tests, never to users)."""


@cache
def _file_texts(code: str, family: str) -> dict[str, str]:
    """The texts of one file; a broken one (a practice editing its consent text) counts
    as untranslated, so documents fall back to English rather than stop printing. The
    English source is never allowed to be broken: tests read every file strictly."""
    try:
        return read_texts(code, family)
    except (OSError, ValueError):
        if code == ENGLISH:
            raise
        return {}


def read_texts(code: str, family: str) -> dict[str, str]:
    """The texts of ``resources/i18n/<code>/<family>.json`` (TextsError if malformed)."""
    path = _folder() / code / f"{family}.json"
    if not path.is_file():
        return {}
    document = json.loads(path.read_text(encoding="utf-8"))
    if document.get("format") != TEXTS_FORMAT or document.get("language") != code:
        raise TextsError(f"{path} is not a texts file for {code!r}")
    texts = document.get("texts")
    if not isinstance(texts, dict) or not all(isinstance(v, str) for v in texts.values()):
        raise TextsError(f"{path}: 'texts' must map keys to strings")
    return dict(texts)


@cache
def _measure_texts() -> dict[str, str]:
    """The English texts of the measures, from their definitions."""
    from mhsw_desktop.domain.measure_defs import DEFINITIONS

    texts: dict[str, str] = {}
    for d in DEFINITIONS:
        texts[f"{d.key}.name"] = d.name
        texts[f"{d.key}.title"] = d.title
        texts[f"{d.key}.stem"] = d.stem
        for number, item in enumerate(d.items, 1):
            texts[f"{d.key}.item.{number}"] = item
        for score, choice in enumerate(d.choices):
            texts[f"{d.key}.choice.{score}"] = choice
        if d.difficulty_question:
            texts[f"{d.key}.difficulty"] = d.difficulty_question
            for n, choice in enumerate(d.difficulty_choices):
                texts[f"{d.key}.difficulty.{n}"] = choice
        for band in d.bands:
            texts[f"{d.key}.band.{band.key}"] = band.label
    return texts


def _english(family: str) -> dict[str, str]:
    texts = _file_texts(ENGLISH, family)
    if family == "measures":
        return {**_measure_texts(), **texts}
    return texts


def families() -> tuple[str, ...]:
    """The families of client documents with English texts."""
    return tuple(sorted({p.stem for p in (_folder() / ENGLISH).glob("*.json")} | {"measures"}))


def text(code: str, family: str, key: str, **fields: Any) -> str:
    """The text ``key`` of ``family`` in ``code`` (English when it has none), filled in.

    ``fields`` fill ``{name}`` places; a key English does not have either is a bug.
    """
    english = _english(family)
    if key not in english:
        raise KeyError(f"no English text {family}.{key}")
    found = _file_texts(code, family).get(key) if code != ENGLISH else None
    template = found if found else english[key]
    return template.format(**fields) if fields else template


def has_text(code: str, family: str, key: str) -> bool:
    """Whether ``code`` has its own text for ``key`` (English always has)."""
    return code == ENGLISH or bool(_file_texts(code, family).get(key))


def untranslated(code: str) -> dict[str, list[str]]:
    """Per family, the English keys ``code`` has no text for (empty lists left out)."""
    gaps: dict[str, list[str]] = {}
    for family in families():
        own = _file_texts(code, family)
        missing = [key for key in _english(family) if not own.get(key)]
        if missing:
            gaps[family] = missing
    return gaps


def placeholders(template: str) -> set[str]:
    """The ``{name}`` places of a text (a translation must keep the same ones)."""
    return {name for _, name, _, _ in Formatter().parse(template) if name}


def stray_keys(code: str) -> dict[str, list[str]]:
    """Per family, the keys of ``code`` that English does not have (renamed or misspelt)."""
    strays: dict[str, list[str]] = {}
    for path in sorted((_folder() / code).glob("*.json")):
        english = _english(path.stem)
        extra = [key for key in _file_texts(code, path.stem) if key not in english]
        if extra:
            strays[path.stem] = extra
    return strays


def describe(preferred: str, interpreter_needed: bool) -> str:
    """ "Spanish, interpreter needed" for a record's header; "" for English without one."""
    name = next((lang.name for lang in languages() if lang.code == preferred), preferred)
    parts = [name] if preferred not in ("", ENGLISH) or interpreter_needed else []
    if interpreter_needed:
        parts.append("interpreter needed")
    return ", ".join(parts)

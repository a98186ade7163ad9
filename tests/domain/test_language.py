"""Languages and the texts of client documents: complete, well formed, falling back."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from pathlib import Path

import pytest

from mhsw_desktop.domain import language as lang
from mhsw_desktop.domain.language import (
    DocumentLanguage,
    check_code,
    document_languages,
    families,
    languages,
    placeholders,
    requested_languages,
    stray_keys,
    text,
    untranslated,
)
from mhsw_desktop.errors import ValidationError
from mhsw_desktop.reports.tongue import Tongue, format_phone
from mhsw_desktop.resources import resources_dir

OTHERS = [code.code for code in languages() if code.code != "en"]


def test_english_leads_and_spanish_is_known() -> None:
    codes = [code.code for code in languages()]
    assert codes[0] == "en" and "es" in codes
    assert lang.language("es").native == "Español"


@pytest.mark.parametrize("code", OTHERS)
def test_every_english_text_has_its_translation(code: str) -> None:
    """The list of untranslated strings: empty, so none ships in English by accident."""
    gaps = untranslated(code)
    listed = "\n".join(f"  {family}.{key}" for family, keys in gaps.items() for key in keys)
    assert not gaps, f"{sum(map(len, gaps.values()))} texts have no {code} translation:\n{listed}"


@pytest.mark.parametrize("code", OTHERS)
def test_translations_keep_the_places_and_name_no_key_english_lacks(code: str) -> None:
    assert stray_keys(code) == {}
    for family in families():
        for key, english in lang._english(family).items():
            if lang.has_text(code, family, key):
                own = text(code, family, key)
                assert placeholders(own) == placeholders(english), f"{code} {family}.{key}"
                assert own.count("<b>") == own.count("</b>"), f"{code} {family}.{key}"


def test_every_texts_file_says_what_it_is() -> None:
    for path in sorted((resources_dir() / "i18n").glob("*/*.json")):
        document = json.loads(path.read_text("utf-8"))
        assert document["format"] == "mhsw-texts", path
        assert document["language"] == path.parent.name, path
        assert document["family"] == path.stem, path
        assert document.get("about"), f"{path} should say what it holds"


def test_a_missing_text_falls_back_to_english(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for code, texts in (("en", {"hello": "Hello", "bye": "Goodbye, {name}"}),
                        ("es", {"hello": "Hola"})):  # fmt: skip
        (tmp_path / code).mkdir()
        (tmp_path / code / "greetings.json").write_text(
            json.dumps({"format": "mhsw-texts", "version": 1, "language": code,
                        "family": "greetings", "about": "test", "texts": texts}),
            "utf-8",
        )  # fmt: skip
    monkeypatch.setattr(lang, "_folder", lambda: tmp_path)
    lang._file_texts.cache_clear()
    try:
        assert text("es", "greetings", "hello") == "Hola"
        assert text("es", "greetings", "bye", name="Ana") == "Goodbye, Ana"
        assert untranslated("es")["greetings"] == ["bye"]
        with pytest.raises(KeyError):
            text("es", "greetings", "nope")
    finally:
        lang._file_texts.cache_clear()


@pytest.mark.parametrize(
    ("preferred", "choice", "expected"),
    [
        ("es", DocumentLanguage.CLIENT, ("es",)),
        ("es", DocumentLanguage.BOTH, ("es", "en")),
        ("es", DocumentLanguage.ENGLISH, ("en",)),
        ("en", DocumentLanguage.BOTH, ("en",)),
        ("", DocumentLanguage.CLIENT, ("en",)),
    ],
)
def test_which_languages_a_document_prints_in(
    preferred: str, choice: DocumentLanguage, expected: tuple[str, ...]
) -> None:
    assert document_languages(preferred, choice) == expected


def test_lang_on_request_and_unknown_codes() -> None:
    assert requested_languages("both", "es") == ("es", "en")
    assert requested_languages("en", "es") == ("en",)
    assert check_code("es") is None
    assert "not one of the languages" in (check_code("fr") or "")
    assert "not a language code" in (check_code("Spanish") or "")
    with pytest.raises(ValidationError):
        requested_languages("xx", "es")


def test_dates_times_numbers_and_phones_as_each_language_writes_them() -> None:
    es, en = Tongue(("es",)), Tongue()
    day = date(2026, 12, 9)
    assert es.date(day) == "9 de diciembre de 2026"
    assert en.date(day) == "December 9, 2026"
    assert es.time(time(15, 30)).replace("\u202f", " ").replace("\xa0", " ") == "3:30 p.m."
    assert "miércoles" in es.moment(datetime(2026, 12, 9, 15, 30))
    assert es.number(1234.5) == "1,234.5"  # Spanish as written in the United States
    both = Tongue(("es", "en"))
    assert both.each("common", "for_client", name="Ana") == ("Para Ana", "For Ana")
    assert both.joined("common", "date") == "Fecha / Date"
    assert "&lt;b&gt;" in both.pair("common", "for_client", name="<b>")  # user text escaped
    assert format_phone("802.555.0142") == "(802) 555-0142"
    assert format_phone("+52 55 1234 5678") == "+52 55 1234 5678"
    for as_typed in ("988", "911", "ext 12 after hours", ""):
        assert format_phone(as_typed) == as_typed


def test_values_from_outside_print_in_english_and_a_broken_translation_falls_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert document_languages("es", "bogus") == ("en",)
    assert document_languages("fr", DocumentLanguage.CLIENT) == ("en",)
    for code, body in (("en", json.dumps({"format": "mhsw-texts", "version": 1,
                                          "language": "en", "family": "greetings",
                                          "about": "test", "texts": {"hello": "Hello"}})),
                       ("es", '{"format": "mhsw-texts", "texts": {"hello": "Hola"')):  # fmt: skip
        (tmp_path / code).mkdir()
        (tmp_path / code / "greetings.json").write_text(body, "utf-8")
    monkeypatch.setattr(lang, "_folder", lambda: tmp_path)
    lang._file_texts.cache_clear()
    try:
        assert text("es", "greetings", "hello") == "Hello"  # an edit that broke the file
        with pytest.raises(ValueError):
            lang.read_texts("es", "greetings")  # ...which the strict reader names
    finally:
        lang._file_texts.cache_clear()

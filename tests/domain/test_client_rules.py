"""Client validation, table-driven: each rule with the input that breaks it and the message."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from mhsw_desktop.domain.client import ClientStatus
from mhsw_desktop.domain.client_rules import ClientInput, client_errors, normalised, parse_date
from mhsw_desktop.errors import ValidationError

TODAY = date(2026, 11, 22)
GOOD = ClientInput(
    legal_first_name="Ana",
    legal_last_name="González",
    date_of_birth=date(1990, 2, 3),
    phone="(406) 555-0142",
    email="ana.gonzalez@example.org",
    intake_date=date(2025, 1, 6),
)

BROKEN = [
    ("first name blank", {"legal_first_name": "   "}, "legal_first_name", "is required"),
    ("last name blank", {"legal_last_name": ""}, "legal_last_name", "is required"),
    ("no birth date", {"date_of_birth": None}, "date_of_birth", "is required"),
    ("born tomorrow", {"date_of_birth": date(2026, 11, 23)}, "date_of_birth", "in the future"),
    ("born 1850", {"date_of_birth": date(1850, 1, 1)}, "date_of_birth", "before 1900"),
    ("intake in future", {"intake_date": date(2027, 1, 1)}, "intake_date", "in the future"),
    ("intake before birth", {"intake_date": date(1989, 1, 1)}, "intake_date", "before the date"),
    ("long first name", {"legal_first_name": "A" * 101}, "legal_first_name", "at most 100"),
    ("long note", {"important_to_know": "x" * 4001}, "important_to_know", "at most 4000"),
    ("email no at", {"email": "ana.example.org"}, "email", "email address"),
    ("email no domain", {"email": "ana@localhost"}, "email", "email address"),
    ("phone letters", {"phone": "call me maybe"}, "phone", "phone number"),
    ("phone too short", {"phone": "555-01"}, "phone", "phone number"),
    ("control char", {"pronouns": "she\x00her"}, "pronouns", "cannot be stored"),
    ("newline in name", {"legal_last_name": "Gon\nzález"}, "legal_last_name", "cannot be stored"),
    (
        "discharged without date",
        {"status": ClientStatus.DISCHARGED, "discharge_reason": "Goals met."},
        "discharge_date",
        "is required",
    ),
    (
        "discharged without reason",
        {"status": ClientStatus.DISCHARGED, "discharge_date": date(2026, 1, 1)},
        "discharge_reason",
        "is required",
    ),
    (
        "discharged before intake",
        {
            "status": ClientStatus.DISCHARGED,
            "discharge_date": date(2024, 1, 1),
            "discharge_reason": "Moved.",
        },
        "discharge_date",
        "before the intake",
    ),
    (
        "discharge date on active client",
        {"discharge_date": date(2026, 1, 1)},
        "discharge_date",
        "only set for a discharged",
    ),
]


def test_a_good_client_has_no_errors() -> None:
    assert client_errors(GOOD, TODAY) == {}


@pytest.mark.parametrize(
    ("changes", "field", "words"), [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN]
)
def test_each_rule_names_its_field(changes: dict[str, object], field: str, words: str) -> None:
    errors = client_errors(replace(GOOD, **changes), TODAY)  # type: ignore[arg-type]
    assert field in errors, errors
    assert words in errors[field]


ACCEPTED = [
    ("accented names", {"legal_first_name": "Søren", "legal_last_name": "Nguyễn"}),
    ("apostrophe", {"legal_last_name": "O'Brien"}),
    ("phone with extension", {"phone": "+1 (406) 555-0142 ext. 12"}),
    ("multi-line address", {"address": "12 Elm Ave\nCedar Hollow, MT 59001"}),
    ("born today", {"date_of_birth": TODAY, "intake_date": TODAY}),
    (
        "discharged properly",
        {
            "status": ClientStatus.DISCHARGED,
            "discharge_date": date(2026, 6, 1),
            "discharge_reason": "Goals met.",
        },
    ),
]


@pytest.mark.parametrize("changes", [a[1] for a in ACCEPTED], ids=[a[0] for a in ACCEPTED])
def test_real_world_variety_is_accepted(changes: dict[str, object]) -> None:
    assert client_errors(replace(GOOD, **changes), TODAY) == {}  # type: ignore[arg-type]


def test_normalised_strips_and_defaults_the_intake_date() -> None:
    clean = normalised(replace(GOOD, legal_first_name="  Ana ", intake_date=None), TODAY)
    assert clean.legal_first_name == "Ana"
    assert clean.intake_date == TODAY


def test_normalised_raises_with_every_error() -> None:
    with pytest.raises(ValidationError) as caught:
        normalised(replace(GOOD, legal_first_name="", email="nope"), TODAY)
    assert set(caught.value.errors) == {"legal_first_name", "email"}
    assert "legal first name: is required" in str(caught.value)


@pytest.mark.parametrize(
    ("text", "words"),
    [("2023-02-30", "not a real date"), ("03/04/1990", "YYYY-MM-DD"), ("", "YYYY-MM-DD")],
)
def test_parse_date_explains_bad_dates(text: str, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        parse_date(text, "date_of_birth")


def test_parse_date_reads_iso_dates() -> None:
    assert parse_date(" 1990-02-03 ", "date_of_birth") == date(1990, 2, 3)


SINGLE_LINE = ["legal_first_name", "legal_last_name", "preferred_name", "pronouns"]
MULTI_LINE = ["address", "important_to_know", "discharge_reason"]

# (description, character): refused in every text field, multi-line ones included.
UNSTORABLE = [
    ("NUL", "\x00"),
    ("bell", "\x07"),
    ("carriage return", "\r"),
    ("vertical tab", "\x0b"),
    ("escape", "\x1b"),
    ("delete", "\x7f"),
    ("C1 next line", "\x85"),
    ("C1 CSI", "\x9b"),
    ("lone high surrogate", "\ud800"),
    ("lone low surrogate", "\udfff"),
    ("line separator", "\u2028"),
    ("paragraph separator", "\u2029"),
    ("left-to-right embedding", "\u202a"),
    ("right-to-left embedding", "\u202b"),
    ("pop directional formatting", "\u202c"),
    ("left-to-right override", "\u202d"),
    ("right-to-left override", "\u202e"),
    ("left-to-right isolate", "\u2066"),
    ("right-to-left isolate", "\u2067"),
    ("first strong isolate", "\u2068"),
    ("pop directional isolate", "\u2069"),
    ("left-to-right mark", "\u200e"),
    ("right-to-left mark", "\u200f"),
]


@pytest.mark.parametrize("field", SINGLE_LINE + MULTI_LINE)
@pytest.mark.parametrize("char", [u[1] for u in UNSTORABLE], ids=[u[0] for u in UNSTORABLE])
def test_unstorable_characters_are_refused_in_every_text_field(field: str, char: str) -> None:
    changes: dict[str, object] = {field: f"Ana{char}Lee"}
    if field == "discharge_reason":
        changes.update(status=ClientStatus.DISCHARGED, discharge_date=date(2026, 1, 1))
    errors = client_errors(replace(GOOD, **changes), TODAY)  # type: ignore[arg-type]
    assert errors == {field: "contains characters that cannot be stored (such as control codes)"}


@pytest.mark.parametrize("field", ["phone", "email", "emergency_contact_name"])
@pytest.mark.parametrize("char", ["\t", "\n", "\u202e", "\x00"])
def test_contact_fields_are_single_line_too(field: str, char: str) -> None:
    value = {"phone": "406 555{}0142", "email": "ana{}@example.org"}.get(field, "Bo{}Lee")
    errors = client_errors(replace(GOOD, **{field: value.format(char)}), TODAY)  # type: ignore[arg-type]
    assert "cannot be stored" in errors[field]


@pytest.mark.parametrize("field", SINGLE_LINE)
@pytest.mark.parametrize("char", ["\n", "\t"], ids=["newline", "tab"])
def test_single_line_fields_refuse_newline_and_tab(field: str, char: str) -> None:
    errors = client_errors(replace(GOOD, **{field: f"Ana{char}Lee"}), TODAY)  # type: ignore[arg-type]
    assert "cannot be stored" in errors[field]


@pytest.mark.parametrize("field", MULTI_LINE)
@pytest.mark.parametrize("char", ["\n", "\t"], ids=["newline", "tab"])
def test_multi_line_fields_keep_newline_and_tab(field: str, char: str) -> None:
    changes: dict[str, object] = {field: f"Line one{char}line two"}
    if field == "discharge_reason":
        changes.update(status=ClientStatus.DISCHARGED, discharge_date=date(2026, 1, 1))
    assert client_errors(replace(GOOD, **changes), TODAY) == {}  # type: ignore[arg-type]


STORABLE = [
    ("Vietnamese", "Nguyễn Thị Minh Khai"),
    ("Arabic", "محمد"),  # right-to-left script itself is fine; only the controls are not
    ("Hebrew", "שׂרה"),
    ("zero-width joiner in emoji", "Ana 👩\u200d👧"),
    ("non-breaking space", "Ana\u00a0Lee"),
    ("soft hyphen", "Anne\u00admarie"),
    ("combining accent", "Rene\u0301e"),
    ("CJK", "王小明"),
]


@pytest.mark.parametrize("text", [s[1] for s in STORABLE], ids=[s[0] for s in STORABLE])
def test_real_scripts_and_marks_are_storable(text: str) -> None:
    for field in ("legal_first_name", "important_to_know"):
        assert client_errors(replace(GOOD, **{field: text}), TODAY) == {}  # type: ignore[arg-type]

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

"""Clients from another system's CSV on a real vault: header guessing, mapping by name or
number, dates in three forms (and ambiguity refused), per-row problems by the client
form's rules, all or nothing, duplicates skipped or allowed; Hypothesis fuzzing."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mhsw_desktop.domain.client import ClientStatus
from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.services import client_import as ci
from mhsw_desktop.services.clients import add_client, count_clients, list_clients
from mhsw_desktop.vault.vault import Vault

TODAY = date(2026, 6, 1)


def check(vault: Vault, text: str, overrides: dict[str, str] | None = None,
          date_format: str = "auto") -> ci.Preview:  # fmt: skip
    source = ci.read_clients_csv(text.encode("utf-8"))
    mapping = ci.apply_overrides(source.header, ci.guess_mapping(source.header), overrides or {})
    with vault.session() as session:
        return ci.preview(source, mapping, today=TODAY, date_format=date_format, session=session)


def run(vault: Vault, text: str, **options: bool) -> ci.ImportOutcome:
    source = ci.read_clients_csv(text.encode("utf-8"))
    with vault.unit_of_work() as session:
        checked = ci.preview(source, ci.guess_mapping(source.header), today=TODAY, session=session)
        return ci.import_clients(session, checked, **options)


@pytest.mark.parametrize(
    ("header", "fields"),
    [
        (["First Name", "Last", "DOB"], ["legal_first_name", "legal_last_name", "date_of_birth"]),
        (["Surname", "Given name", "Birth Date", "E-mail", "Cell"],
         ["legal_last_name", "legal_first_name", "date_of_birth", "email", "phone"]),
        (["LAST NAME", "first_name", "Date of Birth", "Case Worker", "Intake Date", "Status"],
         ["legal_last_name", "legal_first_name", "date_of_birth", None, "intake_date", "status"]),
        (["Phone", "Mobile"], ["phone", None]),  # a field is guessed for one column only
        (["Nickname", "Emergency Contact", "Emergency Phone", "Pronouns", "Notes"],
         ["preferred_name", "emergency_contact_name", "emergency_contact_phone", "pronouns",
          "important_to_know"]),
    ],
)  # fmt: skip
def test_fields_are_guessed_from_headers(header: list[str], fields: list[str | None]) -> None:
    assert ci.guess_mapping(header) == fields


def test_overrides_by_header_or_number_and_their_mistakes() -> None:
    header = ("First Name", "Last", "DOB", "Case Worker")
    guessed = ci.guess_mapping(header)
    mapping = ci.apply_overrides(header, guessed, {"case worker": "Important to know", "3": ""})
    assert mapping == ["legal_first_name", "legal_last_name", None, "important_to_know"]
    moved = ci.apply_overrides(header, guessed, {"Case Worker": "date_of_birth"})
    assert moved == ["legal_first_name", "legal_last_name", None, "date_of_birth"]
    with pytest.raises(ci.ClientCsvError, match="no column 'Middle'"):
        ci.apply_overrides(header, guessed, {"Middle": "preferred_name"})
    with pytest.raises(ci.ClientCsvError, match="'shoe size' is not a client field"):
        ci.apply_overrides(header, guessed, {"Last": "shoe size"})


def test_each_rows_problems_are_named_by_row_and_column(vault: Vault) -> None:
    long_name = "x" * 101
    checked = check(
        vault,
        "First Name,Last,DOB,Status,Email\n"
        "Ana,Quill,1985-03-14,Active,ana@example.org\n"
        "Bo,Reed,2031-01-01,,\n"
        f"{long_name},Stone,1970-01-02,,\n"
        ",Marsh,1970-01-02,,\n"
        "Cy,Lund,1970-02-30,wandering,not-an-email\n",
    )
    found = {(p.row, p.column, p.message) for p in checked.problems}
    assert found == {
        (3, "DOB", "2031-01-01 is in the future"),
        (4, "First Name", "is 101 characters long; at most 100 fit"),
        (5, "First Name", "is required"),
        (6, "DOB", "1970-02-30 is not a real date"),
        (6, "Status", "unknown status 'wandering' (active, on hold, discharged)"),
        (6, "Email", "does not look like an email address (name@example.org)"),
    }
    assert [n for n, _ in checked.valid] == [2]
    assert str(checked.problems[0]) == "row 3, column 'DOB': 2031-01-01 is in the future"


def test_any_problem_imports_nothing(vault: Vault) -> None:
    with pytest.raises(ci.ClientCsvError, match="1 row of the file has problems") as caught:
        run(vault, "First,Last,DOB\nAna,Quill,1985-03-14\nBo,Reed,not a date\n")
    assert [(p.row, p.field) for p in caught.value.problems] == [(3, "date_of_birth")]
    with vault.session() as session:
        assert count_clients(session) == 0


def test_a_good_file_imports_every_field(vault: Vault) -> None:
    outcome = run(
        vault,
        "First,Last,DOB,Preferred,Phone,Intake,Status,Discharge Date,Discharge Reason,Notes\n"
        "Ana,Quill,03/14/1985,Annie,'+1 406 555 0101,01/02/2020,Discharged,05/01/2026,"
        'Moved away,"Allergic to penicillin\nUses a cane"\n'
        "Bo,Reed,12/31/1990,,,,on hold,,,\n",
    )
    assert len(outcome.imported) == 2 and outcome.skipped == ()
    with vault.session() as session:
        rows = {r.legal_last_name: r for r in list_clients(session, "all")}
    assert rows["Quill"].date_of_birth == date(1985, 3, 14)
    assert rows["Quill"].phone == "+1 406 555 0101"  # the neutralising apostrophe is dropped
    assert rows["Quill"].status == ClientStatus.DISCHARGED
    assert rows["Reed"].status == ClientStatus.ON_HOLD


@pytest.mark.parametrize(
    ("cells", "form"),
    [
        (["1985-03-14", "2001-12-01"], "iso"),
        (["03/14/1985", "01/02/2001"], "mdy"),
        (["14/03/1985", "01/02/2001"], "dmy"),
        (["01/02/2001", "03/04/1985"], ""),  # cannot be told apart
        (["14/03/1985", "03/14/1985"], ""),  # both forms in one file
    ],
)
def test_date_forms_are_told_apart_or_refused(cells: list[str], form: str) -> None:
    assert ci.detect_date_format(cells) == form


def test_ambiguous_dates_ask_for_a_choice(vault: Vault) -> None:
    text = "First,Last,DOB\nAna,Quill,01/02/1985\n"
    checked = check(vault, text)
    assert [p.row for p in checked.problems] == [1]
    assert "choose the date format" in checked.problems[0].message
    chosen = check(vault, text, date_format="dmy")
    assert chosen.ok and chosen.valid[0][1].date_of_birth == date(1985, 2, 1)


def test_missing_required_columns_are_one_problem(vault: Vault) -> None:
    checked = check(vault, "Given,Town\nAna,Elko\n")
    assert [str(p) for p in checked.problems] == [
        "row 1: no column is chosen for Legal last name, Date of birth"
    ]


def test_likely_duplicates_are_reported_and_skipped_unless_allowed(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        existing = add_client(session, ClientInput("Ana", "González", date(1985, 3, 14)))
    text = (
        "First,Last,DOB\n"
        "ana,Gonzalez,1985-03-14\n"  # the vault's Ana (case and accents folded)
        "Bo,Reed,1990-12-31\n"
        "BO,reed,1990-12-31\n"  # repeats row 3
    )
    checked = check(vault, text)
    assert [(d.row, d.duplicate_of) for d in checked.duplicates] == [(2, existing), (4, None)]
    outcome = run(vault, text)
    assert len(outcome.imported) == 1 and [d.row for d in outcome.skipped] == [2, 4]
    again = run(vault, text, allow_duplicates=True)
    assert len(again.imported) == 3
    with vault.session() as session:
        assert count_clients(session) == 5


@pytest.mark.parametrize(
    ("data", "words"),
    [
        (b"", "empty"),
        (b"\xff\xfeA,B\n", "not UTF-8"),
        (b"A,B\x00\n", "NUL"),
        (b'First,Last\n"Ana,Quill\n', "not valid CSV"),
    ],
)
def test_malformed_files_are_refused_in_words(data: bytes, words: str) -> None:
    with pytest.raises(ci.ClientCsvError, match=words):
        ci.read_clients_csv(data)


def test_semicolons_and_tabs_separate_too() -> None:
    for sep in (";", "\t"):
        source = ci.read_clients_csv(
            f"First{sep}Last{sep}DOB\nAna{sep}Quill{sep}1985-03-14\n".encode()
        )
        assert source.header == ("First", "Last", "DOB") and source.rows[0][1][1] == "Quill"


FUZZ = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
cells = st.text(st.characters(codec="utf-8"), max_size=12) | st.sampled_from(
    ["1985-03-14", "03/14/1985", "14/03/2090", "Active", "closed", "=1+2", "'+1 555", ""]
)


@FUZZ
@given(st.binary(max_size=400))
def test_arbitrary_bytes_give_clean_errors_only(data: bytes) -> None:
    try:
        source = ci.read_clients_csv(data)
    except ci.ClientCsvError:
        return
    ci.preview(source, ci.guess_mapping(source.header), today=TODAY)


@FUZZ
@given(
    st.lists(st.sampled_from(["First Name", "Last", "DOB", "Status", "Phone", "Intake", "x"]),
             min_size=1, max_size=6),
    st.lists(st.lists(cells, max_size=7), max_size=6),
)  # fmt: skip
def test_fuzzed_files_import_whole_or_not_at_all(
    vault: Vault, header: list[str], rows: list[list[str]]
) -> None:
    import csv
    import io

    out = io.StringIO()
    csv.writer(out).writerows([header, *rows])
    with vault.session() as session:
        before = count_clients(session)
    try:
        run(vault, out.getvalue(), allow_duplicates=True)
    except ci.ClientCsvError as exc:
        assert "nothing was imported" in str(exc) or exc.problems == ()
        with vault.session() as session:
            assert count_clients(session) == before


def test_language_and_interpreter_columns_are_read_in_words_or_codes(vault: Vault) -> None:
    assert ci.guess_mapping(["First", "Last", "DOB", "Primary Language", "Interpreter?"]) == [
        "legal_first_name", "legal_last_name", "date_of_birth", "preferred_language",
        "interpreter_needed",
    ]  # fmt: skip
    outcome = run(
        vault,
        "First,Last,DOB,Language,Interpreter\n"
        "Ana,Quill,1985-03-14,Español,Sí\n"
        "Bo,Reed,1990-12-31,es,no\n"
        "Cy,Lund,1970-02-03,,\n",
    )
    assert len(outcome.imported) == 3
    from mhsw_desktop.services.clients import get_client

    with vault.session() as session:
        people = {
            d.legal_last_name: (d.preferred_language, d.interpreter_needed)
            for d in (get_client(session, r.id).data for r in list_clients(session, "all"))
        }
    assert people == {"Quill": ("es", True), "Reed": ("es", False), "Lund": ("en", False)}
    checked = check(
        vault, "First,Last,DOB,Language,Interpreter\nDi,Moss,1980-01-01,Klingon,maybe\n"
    )
    found = {(p.column, p.message) for p in checked.problems}
    assert found == {
        ("Language", "unknown language 'Klingon' (English, Spanish)"),
        ("Interpreter", "'maybe' is not yes or no"),
    }

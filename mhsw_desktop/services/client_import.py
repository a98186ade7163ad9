"""Clients from another system's CSV file: column mapping (guessed from the header, or
given), a preview with every row's problems, and an import that is all or nothing.

Each row is checked by the same rules as the client form (``domain.client_rules``), so a
row the form would refuse is refused here, with its spreadsheet row number (the header
is row 1), the CSV column and what is wrong. Likely duplicates (the same name and date of
birth, as ``services.clients.likely_duplicates`` finds them, or an earlier row of the
file) are reported and skipped unless they are allowed.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from mhsw_desktop.domain.client import ClientStatus
from mhsw_desktop.domain.client_rules import ClientInput, normalised
from mhsw_desktop.domain.language import languages
from mhsw_desktop.domain.text import fold
from mhsw_desktop.errors import UserFacingError, ValidationError
from mhsw_desktop.services.resources import _unneutralise

MAX_CSV_BYTES = 20 * 1024 * 1024
MAX_ROWS = 100_000

#: the fields a column can fill, with the label the preview shows
FIELDS: dict[str, str] = {
    "legal_first_name": "Legal first name",
    "legal_last_name": "Legal last name",
    "date_of_birth": "Date of birth",
    "preferred_name": "Preferred name",
    "pronouns": "Pronouns",
    "phone": "Phone",
    "email": "Email",
    "address": "Address",
    "emergency_contact_name": "Emergency contact",
    "emergency_contact_phone": "Emergency contact phone",
    "intake_date": "Intake date",
    "status": "Status",
    "discharge_date": "Discharge date",
    "discharge_reason": "Discharge reason",
    "important_to_know": "Important to know",
    "preferred_language": "Preferred language",
    "interpreter_needed": "Interpreter needed",
}
REQUIRED = ("legal_first_name", "legal_last_name", "date_of_birth")
DATE_FIELDS = frozenset({"date_of_birth", "intake_date", "discharge_date"})
#: headers other systems use, folded and with punctuation and spaces removed
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "legal_first_name": ("first", "firstname", "legalfirstname", "givenname", "given", "fname",
                         "forename", "clientfirstname"),
    "legal_last_name": ("last", "lastname", "legallastname", "surname", "familyname",
                        "lname", "clientlastname"),
    "date_of_birth": ("dob", "dateofbirth", "birthdate", "birthday", "born", "birth"),
    "preferred_name": ("preferredname", "nickname", "goesby", "preferred", "knownas"),
    "pronouns": ("pronouns", "pronoun"),
    "phone": ("phone", "phonenumber", "telephone", "tel", "mobile", "cell", "cellphone",
              "homephone", "primaryphone"),
    "email": ("email", "emailaddress", "mail"),
    "address": ("address", "homeaddress", "streetaddress", "mailingaddress"),
    "emergency_contact_name": ("emergencycontact", "emergencycontactname", "emergencyname"),
    "emergency_contact_phone": ("emergencyphone", "emergencycontactphone",
                                "emergencycontactnumber"),
    "intake_date": ("intake", "intakedate", "admissiondate", "admitdate", "startdate",
                    "dateofintake", "opened", "opendate"),
    "status": ("status", "clientstatus", "casestatus"),
    "discharge_date": ("dischargedate", "discharged", "closedate", "closeddate", "enddate"),
    "discharge_reason": ("dischargereason", "reasonfordischarge", "closurereason"),
    "important_to_know": ("importanttoknow", "notes", "alerts", "important", "comments"),
    "preferred_language": ("language", "preferredlanguage", "primarylanguage", "lang",
                           "languagespoken", "idioma"),
    "interpreter_needed": ("interpreter", "interpreterneeded", "needsinterpreter",
                           "interpreterrequired"),
}  # fmt: skip
_YES = frozenset({"yes", "y", "true", "1", "si", "x", "needed", "required"})
_NO = frozenset({"no", "n", "false", "0", "", "notneeded", "none"})
_GUESS = {alias: name for name, aliases in _SYNONYMS.items() for alias in aliases}
_STATUS_WORDS = {
    "active": ClientStatus.ACTIVE,
    "open": ClientStatus.ACTIVE,
    "onhold": ClientStatus.ON_HOLD,
    "hold": ClientStatus.ON_HOLD,
    "paused": ClientStatus.ON_HOLD,
    "discharged": ClientStatus.DISCHARGED,
    "closed": ClientStatus.DISCHARGED,
}
DATE_FORMATS = ("auto", "iso", "mdy", "dmy")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_SLASHED = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


def _key(text: str) -> str:
    return re.sub(r"[^0-9a-z]", "", fold(text))


class ClientCsvError(UserFacingError):
    """A clients CSV that cannot be imported; nothing from it was added."""

    def __init__(self, message: str, problems: Sequence[RowProblem] = ()) -> None:
        self.problems = tuple(problems)
        super().__init__(message)


@dataclass(frozen=True)
class RowProblem:
    #: the spreadsheet row (the header is row 1)
    row: int
    #: the CSV column's header ("" for the row as a whole)
    column: str
    field: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "field": self.field,
                "message": self.message}  # fmt: skip


@dataclass(frozen=True)
class ClientCsv:
    header: tuple[str, ...]
    #: (spreadsheet row number, its cells), blank lines left out
    rows: tuple[tuple[int, tuple[str, ...]], ...]


def read_clients_csv(data: bytes) -> ClientCsv:
    """The header and rows of a UTF-8 CSV file (comma, semicolon or tab separated)."""
    if len(data) > MAX_CSV_BYTES:
        raise ClientCsvError(f"The file is larger than {MAX_CSV_BYTES // 1024**2} MB.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ClientCsvError(
            f"Line {line} is not UTF-8 text; save the file as 'CSV UTF-8' and try again."
        ) from None
    if "\x00" in text:
        raise ClientCsvError("The file holds NUL characters: it is not a CSV text file.")
    first = text.split("\n", 1)[0]
    delimiter = ","
    if "," not in first:
        delimiter = max(";\t", key=first.count) if (";" in first or "\t" in first) else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    records: list[tuple[int, tuple[str, ...]]] = []
    try:
        for cells in reader:
            if len(records) > MAX_ROWS:
                raise ClientCsvError(f"The file has more than {MAX_ROWS:,} rows.")
            records.append((reader.line_num, tuple(cells)))
    except csv.Error as exc:
        raise ClientCsvError(f"Line {reader.line_num} is not valid CSV ({exc}).") from None
    if not records or not any(cell.strip() for cell in records[0][1]):
        raise ClientCsvError("The file is empty; its first row must name the columns.")
    header = tuple(cell.strip() for cell in records[0][1])
    rows = tuple(
        (number, cells)
        for number, (_line, cells) in enumerate(records[1:], start=2)
        if any(cell.strip() for cell in cells)
    )
    return ClientCsv(header, rows)


def guess_mapping(header: Sequence[str]) -> list[str | None]:
    """The field each column probably holds (None: leave it out); a field is used once."""
    taken: set[str] = set()
    out: list[str | None] = []
    for cell in header:
        guess = _GUESS.get(_key(cell))
        if guess is None:
            guess = next((name for name in FIELDS if _key(name) == _key(cell)), None)
        if guess in taken:
            guess = None
        if guess is not None:
            taken.add(guess)
        out.append(guess)
    return out


def parse_field(text: str) -> str | None:
    """A field given by name or label ("date_of_birth", "Date of birth"); None for
    ``ignore`` or an empty name. ValueError for anything else."""
    key = _key(text)
    if key in ("", "ignore", "none", "skip"):
        return None
    found = next((n for n, label in FIELDS.items() if key in (_key(n), _key(label))), None)
    if found is None:
        raise ValueError(f"{text!r} is not a client field (fields: {', '.join(FIELDS)}, ignore)")
    return found


def apply_overrides(
    header: Sequence[str], mapping: Sequence[str | None], overrides: Mapping[str, str]
) -> list[str | None]:
    """``mapping`` with ``COLUMN=FIELD`` choices applied; a column is named by its header
    (case and accents ignored) or its number (1 is the first). ClientCsvError otherwise."""
    result = list(mapping)
    for column, field_text in overrides.items():
        index = _column_index(header, column)
        try:
            chosen = parse_field(field_text)
        except ValueError as exc:
            raise ClientCsvError(f"--map {column}={field_text}: {exc}.") from None
        if chosen is not None:
            result = [None if f == chosen else f for f in result]
        result[index] = chosen
    return result


def _column_index(header: Sequence[str], column: str) -> int:
    if column.strip().isdigit() and 1 <= int(column) <= len(header):
        return int(column) - 1
    matches = [i for i, cell in enumerate(header) if fold(cell.strip()) == fold(column.strip())]
    if not matches:
        shown = ", ".join(repr(h) for h in header)
        raise ClientCsvError(f"The file has no column {column!r} (its columns: {shown}).")
    return matches[0]


# -- dates --------------------------------------------------------------------------------
def detect_date_format(values: Sequence[str]) -> str:
    """iso, mdy or dmy for the date cells given; "" when day and month cannot be told
    apart (every slashed date has both parts at most 12) or the file mixes the two."""
    slashed = [m for v in values if (m := _SLASHED.fullmatch(v.strip()))]
    if not slashed:
        return "iso"
    day_first = any(int(m.group(1)) > 12 for m in slashed)
    month_first = any(int(m.group(2)) > 12 for m in slashed)
    if day_first == month_first:
        return ""
    return "dmy" if day_first else "mdy"


def parse_date_cell(text: str, form: str) -> date:
    """A date in ``form`` (iso, mdy, dmy); ISO dates are read in every form. ValueError
    with the words to show otherwise."""
    value = text.strip()
    iso = _ISO.fullmatch(value)
    slashed = _SLASHED.fullmatch(value)
    try:
        if iso:
            return date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        if slashed and form in ("mdy", "dmy"):
            first, second, year = (int(g) for g in slashed.groups())
            month, day = (first, second) if form == "mdy" else (second, first)
            return date(year, month, day)
    except ValueError:
        raise ValueError(f"{value} is not a real date") from None
    expected = {"mdy": "MM/DD/YYYY", "dmy": "DD/MM/YYYY"}.get(form, "YYYY-MM-DD")
    raise ValueError(f"{value!r} is not a date ({expected})")


# -- the preview ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Duplicate:
    row: int
    name: str
    date_of_birth: date
    #: the client already in the vault; None when it repeats an earlier row of the file
    duplicate_of: uuid.UUID | None

    def __str__(self) -> str:
        twin = f"client {self.duplicate_of}" if self.duplicate_of else "an earlier row"
        return (
            f"row {self.row}: {self.name}, born {self.date_of_birth.isoformat()}, is likely {twin}"
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "name": self.name,
            "date_of_birth": self.date_of_birth.isoformat(),
            "duplicate_of": str(self.duplicate_of) if self.duplicate_of else None,
        }


@dataclass
class Preview:
    """What an import of the file with ``mapping`` would do."""

    header: tuple[str, ...]
    mapping: list[str | None]
    date_format: str
    #: rows that passed, with their checked input
    valid: list[tuple[int, ClientInput]] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    rows: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    def mapping_json(self) -> list[dict[str, Any]]:
        return [
            {"position": i + 1, "column": column, "field": self.mapping[i]}
            for i, column in enumerate(self.header)
        ]

    def problem_rows(self) -> set[int]:
        return {p.row for p in self.problems}


def _language_code(text: str) -> str | None:
    """The code of a language cell: "es", "Spanish", "Español" (empty: English)."""
    wanted = _key(text)
    if not wanted:
        return "en"
    for lang in languages():
        if wanted in {_key(lang.code), _key(lang.name), _key(lang.native)}:
            return lang.code
    return None


def _candidate(
    number: int, cells: Sequence[str], columns: Mapping[str, int], header: Sequence[str],
    form: str, today: date,
) -> tuple[ClientInput | None, list[RowProblem]]:  # fmt: skip
    problems: list[RowProblem] = []

    def cell(name: str) -> str:
        index = columns.get(name)
        return _unneutralise(cells[index]) if index is not None and index < len(cells) else ""

    def column(name: str) -> str:
        index = columns.get(name)
        return header[index] if index is not None else ""

    values: dict[str, Any] = {}
    for name in FIELDS:
        text = cell(name)
        if name in DATE_FIELDS:
            if not text.strip():
                values[name] = None
                continue
            try:
                values[name] = parse_date_cell(text, form)
            except ValueError as exc:
                problems.append(RowProblem(number, column(name), name, str(exc)))
                values[name] = None
        elif name == "preferred_language":
            code = _language_code(text)
            if code is None:
                known = ", ".join(lang.name for lang in languages())
                message = f"unknown language {text.strip()!r} ({known})"
                problems.append(RowProblem(number, column(name), name, message))
                code = "en"
            values[name] = code
        elif name == "interpreter_needed":
            answer = _key(text)
            if answer not in _YES | _NO:
                problems.append(RowProblem(number, column(name), name,
                                           f"{text.strip()!r} is not yes or no"))  # fmt: skip
            values[name] = answer in _YES
        elif name == "status":
            status = _STATUS_WORDS.get(_key(text)) if text.strip() else ClientStatus.ACTIVE
            if status is None:
                problems.append(RowProblem(number, column(name), name,
                                           f"unknown status {text.strip()!r} (active, on hold, "
                                           "discharged)"))  # fmt: skip
                status = ClientStatus.ACTIVE
            values[name] = status
        else:
            values[name] = text
    if len(cells) > len(header):
        problems.append(
            RowProblem(number, "", "", f"has {len(cells)} cells; the header names {len(header)}")
        )
    data = ClientInput(**values)
    parsed = {p.field for p in problems}
    try:
        data = normalised(data, today)
    except ValidationError as exc:
        unmapped: list[RowProblem] = []
        for name, message in exc.errors.items():
            if name in parsed:  # a date already said to be unreadable is not "required"
                continue
            if name in columns:
                problems.append(RowProblem(number, column(name), name, message))
            else:  # a default (today's intake date) that a wrong cell makes wrong
                label = FIELDS.get(name, name.replace("_", " "))
                unmapped.append(RowProblem(number, "", name, f"{label} {message}"))
        problems += [] if problems else unmapped
    problems.sort(key=lambda p: columns.get(p.field, len(header)))  # in the file's order
    return (None if problems else data), problems


def preview(
    source: ClientCsv,
    mapping: Sequence[str | None],
    *,
    today: date,
    date_format: str = "auto",
    session: Session | None = None,
) -> Preview:
    """Check every row against the client rules, and look for likely duplicates (in the
    vault behind ``session``, when given, and among the file's own rows). Writes nothing."""
    from mhsw_desktop.services.clients import likely_duplicates

    if date_format not in DATE_FORMATS:
        raise ClientCsvError(f"Unknown date format {date_format!r} ({', '.join(DATE_FORMATS)}).")
    columns = {name: i for i, name in enumerate(mapping) if name is not None}
    result = Preview(tuple(source.header), list(mapping), date_format, rows=len(source.rows))
    missing = [FIELDS[name] for name in REQUIRED if name not in columns]
    if missing:
        result.problems.append(
            RowProblem(1, "", "", "no column is chosen for " + ", ".join(missing))
        )
        return result
    form = date_format
    if form == "auto":
        dates = [
            row[columns[name]]
            for _, row in source.rows
            for name in DATE_FIELDS
            if name in columns and columns[name] < len(row)
        ]
        form = detect_date_format(dates)
        if not form:
            result.problems.append(RowProblem(
                1, "", "",
                "the dates could be month first or day first (such as 03/04/1985); "
                "choose the date format",
            ))  # fmt: skip
            return result
    result.date_format = form
    seen: dict[tuple[str, str, date], int] = {}
    for number, cells in source.rows:
        data, problems = _candidate(number, cells, columns, source.header, form, today)
        result.problems += problems
        if data is None or data.date_of_birth is None:
            continue
        result.valid.append((number, data))
        name = f"{data.legal_first_name} {data.legal_last_name}"
        key = (fold(data.legal_first_name), fold(data.legal_last_name), data.date_of_birth)
        if key in seen:
            result.duplicates.append(Duplicate(number, name, data.date_of_birth, None))
            continue
        seen[key] = number
        if session is not None:
            twins = likely_duplicates(session, data)
            if twins:
                result.duplicates.append(Duplicate(number, name, data.date_of_birth, twins[0].id))
    return result


@dataclass(frozen=True)
class ImportOutcome:
    imported: tuple[uuid.UUID, ...]
    skipped: tuple[Duplicate, ...]


def import_clients(
    session: Session, checked: Preview, *, allow_duplicates: bool = False
) -> ImportOutcome:
    """Add every valid row of ``checked`` (a preview made on this ``session``); refuse
    the whole file (ClientCsvError) when any row has a problem. Likely duplicates are
    skipped unless ``allow_duplicates``. The caller's unit of work commits them together."""
    from mhsw_desktop.services.audit import record
    from mhsw_desktop.services.clients import add_client

    if checked.problems:
        count = len(checked.problem_rows())
        raise ClientCsvError(
            f"{count} row{'s' if count != 1 else ''} of the file "
            f"{'have' if count != 1 else 'has'} problems; nothing was imported.",
            checked.problems,
        )
    skip = set() if allow_duplicates else {d.row for d in checked.duplicates}
    imported = tuple(
        add_client(session, data) for number, data in checked.valid if number not in skip
    )
    record(
        session, "import", object_type="clients",
        detail=f"{len(imported)} clients from a CSV file"
        + (f", {len(skip)} likely duplicates skipped" if skip else ""),
    )  # fmt: skip
    skipped = tuple(d for d in checked.duplicates if d.row in skip)
    return ImportOutcome(imported, skipped)

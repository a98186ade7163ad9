"""Community resources and referrals: the offline directory (add, edit, delete, search, CSV
in and out) and a client's referrals to it, each follow-up date kept as a task.

The CSV format (UTF-8, a byte-order mark allowed and written; comma-separated; quoted as
the ``csv`` module quotes) has one header row naming its columns, in any order::

    name,services,categories,eligibility,hours,phone,email,website,address,languages,notes

Only ``name`` is required in the header and in every row; unknown or repeated columns are
refused. ``categories`` holds any of ``food``, ``housing``, ``transport``, ``benefits``,
``crisis``, ``support_groups``, ``legal_aid``, ``substance_use_treatment`` (or their
labels, such as "Legal aid"), separated by ``;``. Row numbers are those a spreadsheet
shows: the header is row 1. An import is all or nothing: every row is checked first and
any problem (each named by its row and field) adds nothing; rows that repeat a directory
entry or an earlier row (the same folded name and the same phone digits) are skipped and
reported. Exported cells that start with ``=``, ``+``, ``-`` or ``@`` get a leading
apostrophe (spreadsheet formula injection); an import takes that apostrophe off again.
"""

from __future__ import annotations

import csv
import io
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import name_key, same_phone
from mhsw_desktop.domain.client_rules import UNSTORABLE, has_unstorable
from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.domain.note import NOTE_LIMITS, Task
from mhsw_desktop.domain.resources import (
    RESOURCE_LIMITS,
    CommunityResource,
    Referral,
    ReferralStatus,
    ResourceCategory,
)
from mhsw_desktop.domain.text import fold
from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError
from mhsw_desktop.services.care_fields import EARLIEST, LATEST, live_client
from mhsw_desktop.services.tasks import TaskInput, add_task, complete_task, delete_task

#: the CSV columns, in the order an export writes them
CSV_COLUMNS: tuple[str, ...] = (
    "name",
    "services",
    "categories",
    "eligibility",
    "hours",
    "phone",
    "email",
    "website",
    "address",
    "languages",
    "notes",
)
#: larger files are refused before parsing (a local directory is a few hundred rows)
MAX_CSV_BYTES = 5 * 1024 * 1024
#: statuses under which a referral still waits for an answer (its follow-up task is open)
OPEN_STATUSES = frozenset({ReferralStatus.MADE, ReferralStatus.ACCEPTED})

_TEXT_FIELDS = tuple(name for name in CSV_COLUMNS if name != "categories")
_MULTILINE = frozenset({"services", "eligibility", "hours", "address", "notes"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE = re.compile(r"^\+?[0-9()\-.\s/]+(\s*(x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)
_WEBSITE = re.compile(r"^(https?://)?[a-z0-9.-]+\.[a-z]{2,}(:[0-9]{1,5})?([/?#]\S*)?$", re.I)
_FORMULA = re.compile(r"^'*[=+\-@\t\r]")
_FOLLOWUP_TITLE = "Follow up referral: "


# -- categories ------------------------------------------------------------------------
def categories_to_text(categories: Iterable[ResourceCategory]) -> str:
    """Stored form: values, comma-separated, in declaration order, each once."""
    chosen = set(categories)
    return ",".join(c.value for c in ResourceCategory if c in chosen)


def categories_from_text(text: str) -> tuple[ResourceCategory, ...]:
    return tuple(ResourceCategory(part) for part in text.split(",") if part)


def parse_category(text: str) -> ResourceCategory:
    """A category from its value or its label, case, accents and spacing ignored."""
    key = "_".join(fold(text).replace("-", " ").split())
    for category in ResourceCategory:
        if key in (category.value, "_".join(fold(category.label).replace("-", " ").split())):
            return category
    known = ", ".join(c.value for c in ResourceCategory)
    raise ValueError(f"{text.strip()!r} is not a category (use any of {known})")


# -- the directory ------------------------------------------------------------------------
@dataclass(frozen=True)
class ResourceInput:
    """A directory entry as a form, the command line or a CSV row gives it."""

    name: str
    services: str = ""
    categories: tuple[ResourceCategory, ...] = ()
    eligibility: str = ""
    hours: str = ""
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    languages: str = ""
    notes: str = ""


@dataclass(frozen=True)
class ResourceRow:
    id: uuid.UUID
    name: str
    services: str
    categories: tuple[ResourceCategory, ...]
    eligibility: str
    hours: str
    phone: str
    email: str
    website: str
    address: str
    languages: str
    notes: str

    @property
    def category_labels(self) -> str:
        return ", ".join(c.label for c in self.categories)

    @property
    def data(self) -> ResourceInput:
        return ResourceInput(**{f.name: getattr(self, f.name) for f in fields(ResourceInput)})

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            **{name: getattr(self, name) for name in _TEXT_FIELDS},
            "categories": [c.value for c in self.categories],
        }


def checked_resource(data: ResourceInput) -> ResourceInput:
    """``data`` with whitespace stripped, or ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    clean: dict[str, str] = {}
    for name in _TEXT_FIELDS:
        value = getattr(data, name)
        value = value.strip() if isinstance(value, str) else ""
        clean[name] = value
        limit = RESOURCE_LIMITS[name]
        if len(value) > limit:
            errors[name] = f"is {len(value)} characters long; at most {limit} fit"
        elif has_unstorable(value, multiline=name in _MULTILINE):
            errors[name] = UNSTORABLE
    if "name" not in errors and not clean["name"]:
        errors["name"] = "is required"
    if clean["email"] and "email" not in errors and not _EMAIL.match(clean["email"]):
        errors["email"] = "does not look like an email address (name@example.org)"
    phone = clean["phone"]
    if phone and "phone" not in errors:
        digits = sum(ch.isdigit() for ch in phone)
        if not _PHONE.match(phone) or not 3 <= digits <= 20:
            errors["phone"] = "does not look like a phone number"
    if clean["website"] and "website" not in errors and not _WEBSITE.match(clean["website"]):
        errors["website"] = "does not look like a web address (www.example.org)"
    categories: list[ResourceCategory] = []
    for item in data.categories:
        try:
            categories.append(ResourceCategory(item))
        except ValueError:
            known = ", ".join(c.value for c in ResourceCategory)
            errors["categories"] = f"{item!r} is not a category (use any of {known})"
    if errors:
        raise ValidationError(errors)
    chosen = set(categories)
    ordered = tuple(c for c in ResourceCategory if c in chosen)
    return ResourceInput(**clean, categories=ordered)


def _write_resource(row: CommunityResource, data: ResourceInput) -> None:
    for name in _TEXT_FIELDS:
        setattr(row, name, getattr(data, name))
    row.categories = categories_to_text(data.categories)
    row.sort_name = name_key(data.name)


def _resource_row(r: CommunityResource) -> ResourceRow:
    return ResourceRow(
        id=r.id,
        categories=categories_from_text(r.categories),
        **{name: getattr(r, name) for name in _TEXT_FIELDS},
    )


def live_resource(session: Session, resource_id: uuid.UUID) -> CommunityResource:
    resource = session.get(CommunityResource, resource_id)
    if resource is None or resource.deleted_at is not None:
        raise NotFoundError(f"No community resource with id {resource_id}.")
    return resource


def add_resource(session: Session, data: ResourceInput) -> uuid.UUID:
    """Validate and add a directory entry; return its id (duplicates are the caller's call:
    see :func:`likely_duplicate_resources`)."""
    clean = checked_resource(data)
    row = CommunityResource()
    _write_resource(row, clean)
    session.add(row)
    session.flush()
    return row.id


def update_resource(session: Session, resource_id: uuid.UUID, data: ResourceInput) -> None:
    clean = checked_resource(data)
    row = live_resource(session, resource_id)
    _write_resource(row, clean)
    session.flush()
    for referral in session.scalars(
        select(Referral).where(Referral.resource_id == resource_id, Referral.deleted_at.is_(None))
    ):
        _sync_task_title(session, referral, clean.name)


def delete_resource(session: Session, resource_id: uuid.UUID) -> None:
    """Tombstone a directory entry; the referrals that name it are kept as they are."""
    live_resource(session, resource_id).deleted_at = utcnow()
    session.flush()


def get_resource(session: Session, resource_id: uuid.UUID) -> ResourceRow:
    return _resource_row(live_resource(session, resource_id))


def resource_matches(
    row: ResourceRow,
    text: str = "",
    *,
    category: ResourceCategory | None = None,
    language: str = "",
) -> bool:
    """Whether every word of ``text`` (folded) is in the entry's name, services, category
    labels, languages or phone, the entry offers ``category``, and serves ``language``
    (folded; a part of a word is enough: "span" finds "Español" as well as "Spanish")."""
    if category is not None and category not in row.categories:
        return False
    if language.strip() and fold(language.strip()) not in fold(row.languages):
        return False
    words = fold(text).split()
    if not words:
        return True
    hay = fold(
        " ".join(
            (
                row.name,
                row.services,
                " ".join(c.label for c in row.categories),
                " ".join(c.value for c in row.categories),
                row.languages,
                row.phone,
            )
        )
    )
    digits = "".join(ch for ch in row.phone if ch.isdigit())
    return all(w in hay or (w.isdigit() and w in digits) for w in words)


def list_resources(
    session: Session,
    text: str = "",
    *,
    category: ResourceCategory | None = None,
    language: str = "",
) -> list[ResourceRow]:
    """The directory by folded name, filtered as :func:`resource_matches` says."""
    rows = session.scalars(
        select(CommunityResource)
        .where(CommunityResource.deleted_at.is_(None))
        .order_by(CommunityResource.sort_name, CommunityResource.id)
    )
    result = [_resource_row(r) for r in rows]
    return [r for r in result if resource_matches(r, text, category=category, language=language)]


def likely_duplicate_resources(
    session: Session, data: ResourceInput, *, exclude: uuid.UUID | None = None
) -> list[ResourceRow]:
    """Directory entries with the same folded name and the same phone digits as ``data``."""
    key = name_key(data.name)
    rows = session.scalars(
        select(CommunityResource).where(
            CommunityResource.deleted_at.is_(None), CommunityResource.sort_name == key
        )
    )
    return [_resource_row(r) for r in rows if r.id != exclude and same_phone(r.phone, data.phone)]


# -- CSV ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class CsvProblem:
    #: the spreadsheet row (the header is row 1)
    row: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.field.replace('_', ' ')}" if self.field else "")
        return f"{where}: {self.message}"

    def to_json(self) -> dict[str, Any]:
        return {"row": self.row, "field": self.field, "message": self.message}


class ResourceCsvError(UserFacingError):
    """A CSV file that cannot be imported; nothing from it was added. ``problems`` lists
    every bad row and field."""

    def __init__(self, problems: Sequence[CsvProblem], summary: str = "") -> None:
        self.problems = tuple(problems)
        text = summary or "; ".join(str(p) for p in self.problems)
        super().__init__(f"Nothing was imported from the CSV file: {text}.")


@dataclass(frozen=True)
class ParsedRow:
    #: the spreadsheet row (the header is row 1)
    row: int
    data: ResourceInput


@dataclass(frozen=True)
class SkippedRow:
    row: int
    name: str
    #: the directory entry it duplicates; None when it repeats an earlier row of the file
    duplicate_of: uuid.UUID | None

    def to_json(self) -> dict[str, Any]:
        return {
            "row": self.row,
            "name": self.name,
            "duplicate_of": str(self.duplicate_of) if self.duplicate_of else None,
        }


@dataclass(frozen=True)
class ImportResult:
    imported: tuple[uuid.UUID, ...]
    skipped: tuple[SkippedRow, ...] = field(default=())

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": len(self.imported),
            "ids": [str(i) for i in self.imported],
            "skipped": [s.to_json() for s in self.skipped],
        }


def neutralise(cell: str) -> str:
    """A cell a spreadsheet will not run as a formula: a leading apostrophe before
    ``=``, ``+``, ``-``, ``@`` (or apostrophes already before them)."""
    return f"'{cell}" if _FORMULA.match(cell) else cell


def _unneutralise(cell: str) -> str:
    return cell[1:] if cell.startswith("'") and _FORMULA.match(cell) else cell


def parse_resources_csv(data: bytes) -> list[ParsedRow]:
    """Every row of a resources CSV, checked; ResourceCsvError lists every problem.

    Reads nothing from the vault: malformed files are refused before it is opened.
    """
    if len(data) > MAX_CSV_BYTES:
        raise ResourceCsvError([], f"the file is larger than {MAX_CSV_BYTES // (1024 * 1024)} MB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ResourceCsvError(
            [], f"line {line} is not UTF-8 text (save the file as 'CSV UTF-8')"
        ) from None
    if "\x00" in text:
        raise ResourceCsvError([], "the file holds NUL characters: it is not a CSV text file")
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = list(reader)
    except csv.Error as exc:
        raise ResourceCsvError(
            [CsvProblem(reader.line_num, "", f"is not valid CSV ({exc})")]
        ) from None
    if not records or not any(cell.strip() for cell in records[0]):
        raise ResourceCsvError(
            [],
            "the file is empty; its first row must name the columns ("
            + ",".join(CSV_COLUMNS)
            + ")",
        )
    header = [fold(cell.strip()).replace(" ", "_") for cell in records[0]]
    problems: list[CsvProblem] = []
    unknown = [records[0][i].strip() for i, h in enumerate(header) if h not in CSV_COLUMNS]
    if unknown:
        problems.append(
            CsvProblem(
                1,
                "",
                f"unknown column {', '.join(repr(u) for u in unknown)} "
                f"(the columns are {', '.join(CSV_COLUMNS)})",
            )
        )
    repeated = sorted({h for h in header if h in CSV_COLUMNS and header.count(h) > 1})
    if repeated:
        problems.append(CsvProblem(1, "", f"column {', '.join(repeated)} appears twice"))
    if "name" not in header:
        problems.append(CsvProblem(1, "", "no 'name' column"))
    if problems:
        raise ResourceCsvError(problems)

    parsed: list[ParsedRow] = []
    for number, cells in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line
        if len(cells) > len(header):
            problems.append(
                CsvProblem(number, "", f"has {len(cells)} cells; the header names {len(header)}")
            )
            continue
        values = {header[i]: _unneutralise(cell) for i, cell in enumerate(cells)}
        row_problems: list[CsvProblem] = []
        categories: list[ResourceCategory] = []
        for part in values.pop("categories", "").split(";"):
            if part.strip():
                try:
                    categories.append(parse_category(part))
                except ValueError as exc:
                    row_problems.append(CsvProblem(number, "categories", str(exc)))
        candidate = ResourceInput(**values, categories=tuple(categories))
        try:
            candidate = checked_resource(candidate)
        except ValidationError as exc:
            row_problems += [CsvProblem(number, k, v) for k, v in exc.errors.items()]
        if row_problems:
            problems += row_problems
        else:
            parsed.append(ParsedRow(number, candidate))
    if problems:
        raise ResourceCsvError(problems)
    return parsed


def import_resources_csv(session: Session, data: bytes) -> ImportResult:
    """Add every row of a resources CSV that is not a duplicate; all or nothing.

    Raises ResourceCsvError before writing anything if any row is malformed. The caller's
    unit of work commits the additions together.
    """
    rows = parse_resources_csv(data)
    existing = list_resources(session)
    seen: list[ResourceInput] = []
    imported: list[uuid.UUID] = []
    skipped: list[SkippedRow] = []
    for parsed in rows:
        entry = parsed.data
        key = name_key(entry.name)
        twin = next(
            (r for r in existing if name_key(r.name) == key and same_phone(r.phone, entry.phone)),
            None,
        )
        if twin is not None:
            skipped.append(SkippedRow(parsed.row, entry.name, twin.id))
            continue
        if any(name_key(s.name) == key and same_phone(s.phone, entry.phone) for s in seen):
            skipped.append(SkippedRow(parsed.row, entry.name, None))
            continue
        seen.append(entry)
        imported.append(add_resource(session, entry))
    return ImportResult(tuple(imported), tuple(skipped))


def resources_to_csv(rows: Iterable[ResourceRow]) -> str:
    """The directory as CSV text with its header (a byte-order mark first, for spreadsheets;
    CRLF line ends; formula-like cells neutralised)."""
    out = io.StringIO(newline="")
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = [
            ";".join(c.value for c in row.categories) if name == "categories"
            else getattr(row, name)
            for name in CSV_COLUMNS
        ]  # fmt: skip
        writer.writerow([neutralise(cell) for cell in cells])
    return out.getvalue()


def export_resources_csv(session: Session) -> str:
    return resources_to_csv(list_resources(session))


# -- referrals -------------------------------------------------------------------------
@dataclass(frozen=True)
class ReferralInput:
    client_id: uuid.UUID
    resource_id: uuid.UUID
    referred_on: date
    status: ReferralStatus = ReferralStatus.MADE
    #: the day the status last changed (default: today when it changes, or the referral
    #: date for a new referral)
    status_date: date | None = None
    followup_date: date | None = None
    notes: str = ""


@dataclass(frozen=True)
class ReferralRow:
    id: uuid.UUID
    client_id: uuid.UUID
    resource_id: uuid.UUID
    resource_name: str
    resource_phone: str
    #: the resource has since been deleted from the directory
    resource_deleted: bool
    referred_on: date
    status: ReferralStatus
    status_date: date | None
    followup_date: date | None
    followup_task_id: uuid.UUID | None
    #: the follow-up task has been ticked off
    followup_done: bool
    notes: str

    @property
    def data(self) -> ReferralInput:
        return ReferralInput(
            client_id=self.client_id,
            resource_id=self.resource_id,
            referred_on=self.referred_on,
            status=self.status,
            status_date=self.status_date,
            followup_date=self.followup_date,
            notes=self.notes,
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "resource_id": str(self.resource_id),
            "resource_name": self.resource_name,
            "resource_phone": self.resource_phone,
            "resource_deleted": self.resource_deleted,
            "referred_on": self.referred_on.isoformat(),
            "status": self.status.value,
            "status_label": self.status.label,
            "status_date": self.status_date.isoformat() if self.status_date else None,
            "followup_date": self.followup_date.isoformat() if self.followup_date else None,
            "followup_task_id": str(self.followup_task_id) if self.followup_task_id else None,
            "followup_done": self.followup_done,
            "notes": self.notes,
        }


def _plausible(errors: dict[str, str], name: str, value: date) -> None:
    if value < EARLIEST or value > LATEST:
        errors[name] = f"{value.isoformat()} is not a plausible date"


def checked_referral(
    session: Session, data: ReferralInput, today: date, *, existing: Referral | None = None
) -> tuple[ReferralInput, CommunityResource]:
    """``data`` checked (and its notes stripped), with its resource; ValidationError names
    every bad field. A deleted resource is refused for a new referral only."""
    errors: dict[str, str] = {}
    try:
        status = ReferralStatus(data.status)
    except ValueError:
        choices = ", ".join(s.value for s in ReferralStatus)
        errors["status"] = f"{data.status!r} is not one of: {choices}"
        status = ReferralStatus.MADE
    try:
        live_client(session, data.client_id)
    except NotFoundError:
        errors["client_id"] = "no such client"
    resource = session.get(CommunityResource, data.resource_id)
    keeps_resource = existing is not None and existing.resource_id == data.resource_id
    if resource is None or (resource.deleted_at is not None and not keeps_resource):
        errors["resource_id"] = "no such community resource in the directory"
    if data.referred_on > today:
        errors["referred_on"] = f"{data.referred_on.isoformat()} is in the future"
    else:
        _plausible(errors, "referred_on", data.referred_on)
    if data.status_date is not None:
        if data.status_date > today:
            errors["status_date"] = f"{data.status_date.isoformat()} is in the future"
        elif data.status_date < data.referred_on:
            errors["status_date"] = "is before the referral date"
        else:
            _plausible(errors, "status_date", data.status_date)
    if data.followup_date is not None:
        if data.followup_date < data.referred_on:
            errors["followup_date"] = "is before the referral date"
        else:
            _plausible(errors, "followup_date", data.followup_date)
    notes = data.notes.strip()
    limit = RESOURCE_LIMITS["referral_notes"]
    if len(notes) > limit:
        errors["notes"] = f"is {len(notes)} characters long; at most {limit} fit"
    elif has_unstorable(notes, multiline=True):
        errors["notes"] = UNSTORABLE
    if errors:
        raise ValidationError(errors)
    assert resource is not None
    return replace(data, status=status, notes=notes), resource


def _task_title(resource_name: str) -> str:
    room = NOTE_LIMITS["task_title"] - len(_FOLLOWUP_TITLE)
    name = " ".join(resource_name.split())
    return _FOLLOWUP_TITLE + (name if len(name) <= room else name[: room - 1] + "…")


def _live_task(session: Session, referral: Referral) -> Task | None:
    if referral.followup_task_id is None:
        return None
    task = session.get(Task, referral.followup_task_id)
    return task if task is not None and task.deleted_at is None else None


def _sync_task_title(session: Session, referral: Referral, resource_name: str) -> None:
    task = _live_task(session, referral)
    if task is not None:
        task.title = _task_title(resource_name)
        session.flush()


def _sync_task(
    session: Session,
    referral: Referral,
    resource_name: str,
    *,
    was_open: bool | None,
) -> None:
    """The follow-up task in step with the referral: created for a new follow-up date,
    moved when the date moves (and reopened: a new date is a new follow-up), deleted when
    the date is cleared (unless done), completed when the referral is settled (completed,
    declined, no response; made and accepted still wait) and reopened when a settled
    referral waits again.

    ``was_open`` is whether the referral waited before this change (None: it is new).
    """
    task = _live_task(session, referral)
    is_open = ReferralStatus(referral.status) in OPEN_STATUSES
    if referral.followup_date is None:
        if task is not None and task.completed_at is None:
            delete_task(session, task.id)
        referral.followup_task_id = None
        return
    if task is None:
        referral.followup_task_id = add_task(
            session,
            TaskInput(
                _task_title(resource_name), referral.followup_date, client_id=referral.client_id
            ),
        )
        if not is_open:
            complete_task(session, referral.followup_task_id)
        return
    if task.due_date != referral.followup_date:
        task.due_date = referral.followup_date
        if is_open and task.completed_at is not None:
            complete_task(session, task.id, done=False)  # a new date is a new follow-up
    task.title = _task_title(resource_name)
    if was_open and not is_open and task.completed_at is None:
        complete_task(session, task.id)
    elif was_open is False and is_open and task.completed_at is not None:
        complete_task(session, task.id, done=False)
    session.flush()


def add_referral(session: Session, data: ReferralInput, *, today: date | None = None) -> uuid.UUID:
    """Refer a client to a resource; a follow-up date creates a task for the client."""
    day = today or date.today()
    clean, resource = checked_referral(session, data, day)
    referral = Referral(
        client_id=clean.client_id,
        resource_id=clean.resource_id,
        referred_on=clean.referred_on,
        status=clean.status.value,
        status_date=clean.status_date or clean.referred_on,
        followup_date=clean.followup_date,
        notes=clean.notes,
    )
    session.add(referral)
    session.flush()
    _sync_task(session, referral, resource.name, was_open=None)
    session.flush()
    return referral.id


def _live_referral(session: Session, referral_id: uuid.UUID) -> Referral:
    referral = session.get(Referral, referral_id)
    if referral is None or referral.deleted_at is not None:
        raise NotFoundError(f"No referral with id {referral_id}.")
    return referral


def update_referral(
    session: Session, referral_id: uuid.UUID, data: ReferralInput, *, today: date | None = None
) -> None:
    """Change a referral (not its client); its follow-up task follows the follow-up date
    and the status."""
    day = today or date.today()
    referral = _live_referral(session, referral_id)
    if data.client_id != referral.client_id:
        raise ValidationError({"client_id": "a referral cannot move to another client"})
    clean, resource = checked_referral(session, data, day, existing=referral)
    was_open = ReferralStatus(referral.status) in OPEN_STATUSES
    if clean.status.value != referral.status:
        referral.status_date = clean.status_date or day
    elif clean.status_date is not None:
        referral.status_date = clean.status_date
    referral.resource_id = clean.resource_id
    referral.referred_on = clean.referred_on
    referral.status = clean.status.value
    referral.followup_date = clean.followup_date
    referral.notes = clean.notes
    session.flush()
    _sync_task(session, referral, resource.name, was_open=was_open)
    session.flush()


def set_referral_status(
    session: Session,
    referral_id: uuid.UUID,
    status: ReferralStatus,
    *,
    on: date | None = None,
    today: date | None = None,
) -> None:
    """Record what became of a referral (``on`` that day, default today)."""
    referral = _live_referral(session, referral_id)
    row = _referral_row(session, referral)
    update_referral(
        session, referral_id, replace(row.data, status=status, status_date=on), today=today
    )


def delete_referral(session: Session, referral_id: uuid.UUID) -> None:
    """Tombstone a referral made by mistake; its follow-up task goes unless it is done."""
    referral = _live_referral(session, referral_id)
    task = _live_task(session, referral)
    if task is not None and task.completed_at is None:
        delete_task(session, task.id)
    referral.deleted_at = utcnow()
    session.flush()


def _referral_row(session: Session, referral: Referral) -> ReferralRow:
    resource = session.get(CommunityResource, referral.resource_id)
    task = _live_task(session, referral)
    return ReferralRow(
        id=referral.id,
        client_id=referral.client_id,
        resource_id=referral.resource_id,
        resource_name=resource.name if resource is not None else "",
        resource_phone=resource.phone if resource is not None else "",
        resource_deleted=resource is None or resource.deleted_at is not None,
        referred_on=referral.referred_on,
        status=ReferralStatus(referral.status),
        status_date=referral.status_date,
        followup_date=referral.followup_date,
        followup_task_id=task.id if task is not None else None,
        followup_done=task is not None and task.completed_at is not None,
        notes=referral.notes,
    )


def get_referral(session: Session, referral_id: uuid.UUID) -> ReferralRow:
    return _referral_row(session, _live_referral(session, referral_id))


def list_referrals(session: Session, client_id: uuid.UUID) -> list[ReferralRow]:
    """A client's referrals, newest first."""
    live_client(session, client_id)
    rows = session.scalars(
        select(Referral)
        .where(Referral.client_id == client_id, Referral.deleted_at.is_(None))
        .order_by(Referral.referred_on.desc(), Referral.created_at.desc())
    )
    return [_referral_row(session, r) for r in rows]

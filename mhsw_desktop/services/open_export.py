"""Open export: every table of a vault as documented JSON and CSV, and its import into a
new vault that reproduces it row for row.

The JSON document (``export.json``) is the one to keep and the one :func:`import_export`
reads: each table is a list of records whose fields are the table's columns, typed as
``resources/export/mhsw-export.schema.json`` describes (the file is :func:`json_schema`;
a test keeps the two equal). The CSV files (``csv/<table>.csv``) are for spreadsheets:
formula-like cells are neutralised and empty cells stand for both "" and null, so they
are a view of the data, not a second source. ``docs/export-format.md`` is the guide.

An export goes into a new folder named from the time (never a client's name) or into one
encrypted archive (``services/export_archive.py``), and is written to the audit log in
the same transaction that reads the data, so the export holds its own entry.

Import checks the whole document first (format, version, every field's type and length,
ids, links between records, the declared counts) and names the first bad records and
fields; only then is a new vault made, in a hidden folder beside the target, filled in
one transaction and renamed into place. Any failure removes the hidden folder: no vault
is left behind. The exported audit log comes first in the new vault, entry for entry
(so ``mhsw audit verify`` checks the old chain too), followed by the new vault's own
entries: its creation and the import.
"""

from __future__ import annotations

import base64
import contextlib
import csv
import io
import json
import os
import re
import secrets
import shutil
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
    Date,
    DateTime,
    Integer,
    LargeBinary,
    String,
    Table,
    Time,
    Uuid,
    select,
)
from sqlalchemy.exc import DatabaseError, IntegrityError
from sqlalchemy.orm import Session

from mhsw_desktop.domain.models import Base
from mhsw_desktop.errors import UserFacingError
from mhsw_desktop.services.audit import record
from mhsw_desktop.services.resources import neutralise
from mhsw_desktop.vault import audit as chain
from mhsw_desktop.vault import kdf, schema
from mhsw_desktop.vault.files import make_private_dir, write_atomic
from mhsw_desktop.vault.vault import Vault

FORMAT = "mhsw-open-export"
FORMAT_VERSION = 1
DATA_NAME = "export.json"
SCHEMA_NAME = "mhsw-export.schema.json"
CSV_FOLDER = "csv"
FORMATS = ("json", "csv")
SCHEMA_ID = "https://mhsw-desktop.invalid/schemas/mhsw-export-1.schema.json"
#: an export larger than this is refused before it is parsed
MAX_EXPORT_BYTES = 2 * 1024**3
#: how many problems an invalid export lists before "and N more"
MAX_PROBLEMS = 10
_INT64 = (-(2**63), 2**63 - 1)


# -- the tables and their columns --------------------------------------------------------
@dataclass(frozen=True)
class ColumnSpec:
    """One field of an exported record: its JSON type and the rules the importer checks."""

    name: str
    kind: str  # uuid, datetime, date, time, integer, boolean, string, binary
    nullable: bool
    max_length: int | None = None
    #: the table whose ``id`` (or ``seq``) this field names
    references: str | None = None
    primary_key: bool = False


def _kind(column: Column[Any]) -> str:
    kinds: tuple[tuple[type[Any], str], ...] = (
        (Uuid, "uuid"),
        (DateTime, "datetime"),
        (Date, "date"),
        (Time, "time"),
        (Boolean, "boolean"),
        (Integer, "integer"),
        (LargeBinary, "binary"),
        (String, "string"),  # Text is a String
    )
    for sa_type, name in kinds:
        if isinstance(column.type, sa_type):
            return name
    raise TypeError(f"column {column} has a type the open export does not know")


def tables() -> list[Table]:
    """Every table of the vault's records, parents before the tables that point at them."""
    return list(Base.metadata.sorted_tables)


@cache
def table_specs() -> dict[str, tuple[ColumnSpec, ...]]:
    """Each table's columns as the export writes and checks them."""
    specs: dict[str, tuple[ColumnSpec, ...]] = {}
    for table in tables():
        columns = []
        for column in table.columns:
            refs = [fk.column.table.name for fk in column.foreign_keys]
            length = getattr(column.type, "length", None)
            columns.append(
                ColumnSpec(
                    name=column.name,
                    kind=_kind(column),
                    nullable=bool(column.nullable),
                    max_length=length if isinstance(length, int) else None,
                    references=refs[0] if refs else None,
                    primary_key=bool(column.primary_key),
                )
            )
        specs[table.name] = tuple(columns)
    return specs


def _key_of(specs: Sequence[ColumnSpec]) -> str:
    return next(c.name for c in specs if c.primary_key)


# -- values to JSON and back -------------------------------------------------------------
def _encode(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "uuid":
        return str(value)
    if kind == "datetime":
        return value.isoformat(timespec="microseconds")  # naive UTC, as the vault keeps it
    if kind in ("date", "time"):
        return value.isoformat()
    if kind == "binary":
        return base64.b64encode(value).decode("ascii")
    return value


class _Bad(Exception):
    """A field value that does not fit its column (the message says how)."""


_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIME = re.compile(r"\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")
_BASE64 = re.compile(r"[A-Za-z0-9+/]*={0,2}")


def _decode(spec: ColumnSpec, value: Any) -> Any:
    if value is None:
        if not spec.nullable:
            raise _Bad("is required (null is not allowed)")
        return None
    kind = spec.kind
    if kind == "boolean":
        if not isinstance(value, bool):
            raise _Bad("must be true or false")
        return value
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            raise _Bad("must be a whole number")
        if not _INT64[0] <= value <= _INT64[1]:
            raise _Bad("is too large a number")
        return value
    if not isinstance(value, str):
        raise _Bad("must be a string" if kind == "string" else f"must be a {kind} as a string")
    try:
        if kind == "string":
            value.encode("utf-8")
            if spec.max_length is not None and len(value) > spec.max_length:
                raise _Bad(f"is {len(value)} characters long; at most {spec.max_length} fit")
            return value
        if kind == "uuid":
            if len(value) != 36:
                raise ValueError
            return uuid.UUID(value)
        if kind == "datetime" and _DATETIME.fullmatch(value):
            return datetime.fromisoformat(value)
        if kind == "date" and _DATE.fullmatch(value):
            return date.fromisoformat(value)
        if kind == "time" and _TIME.fullmatch(value):
            return time.fromisoformat(value)
        if kind == "binary" and _BASE64.fullmatch(value) and len(value) % 4 == 0:
            return base64.b64decode(value, validate=True)
    except UnicodeEncodeError:
        raise _Bad("holds a character that cannot be stored (a lone surrogate)") from None
    except ValueError:
        pass
    shown = value if len(value) <= 40 else value[:37] + "..."
    form = {
        "uuid": "an id such as 0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b",
        "datetime": "a UTC time YYYY-MM-DDTHH:MM:SS[.ffffff]",
        "date": "a date YYYY-MM-DD",
        "time": "a time HH:MM[:SS]",
        "binary": "base64",
    }[kind]
    raise _Bad(f"{shown!r} is not {form}")


# -- the schema document -----------------------------------------------------------------
_JSON_TYPES: dict[str, dict[str, Any]] = {
    "uuid": {"type": "string", "format": "uuid"},
    "datetime": {
        "type": "string",
        "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?$",
        "description": "UTC, without a zone suffix",
    },
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?$"},
    "integer": {"type": "integer"},
    "boolean": {"type": "boolean"},
    "string": {"type": "string"},
    "binary": {"type": "string", "contentEncoding": "base64"},
}


def _column_schema(spec: ColumnSpec, comment: str | None, holds_json: bool) -> dict[str, Any]:
    body = dict(_JSON_TYPES[spec.kind])
    if holds_json:
        body["contentMediaType"] = "application/json"
    if spec.max_length is not None:
        body["maxLength"] = spec.max_length
    notes = [comment] if comment else []
    if spec.references:
        notes.append(f"the id of a record in {spec.references}")
    if notes:
        body["description"] = "; ".join([*notes, body.get("description", "")]).strip("; ")
    if spec.nullable:
        return {"anyOf": [body, {"type": "null"}]}
    return body


#: tables whose model has no docstring to describe them
_DESCRIPTIONS = {
    "clients": "A client: legal and preferred names, date of birth, contact details, intake, "
    "status (active, on_hold, discharged) and discharge.",
}


def _table_description(name: str) -> str:
    """The model's docstring (its first paragraph, on one line), as the schema describes it."""
    if name in _DESCRIPTIONS:
        return _DESCRIPTIONS[name]
    for mapper in Base.registry.mappers:
        if getattr(mapper.local_table, "name", None) == name:
            doc = (mapper.class_.__doc__ or "").split("\n\n")[0]
            return " ".join(doc.replace("``", "").split()) or f"Every row of the {name} table."
    return f"Every row of the {name} table."


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``export.json``; the repository keeps a copy."""
    table_schemas: dict[str, Any] = {}
    for table in tables():
        specs = table_specs()[table.name]
        comments = {c.name: c.comment or c.doc for c in table.columns}
        table_schemas[table.name] = {
            "type": "array",
            "description": _table_description(table.name),
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": [s.name for s in specs if not s.nullable],
                "properties": {
                    s.name: _column_schema(s, comments[s.name], (table.name, s.name) in JSON_TEXT)
                    for s in specs
                },
            },
        }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "MHSW Desktop open export",
        "description": "Every record of one vault. Ids are UUIDs; times are UTC. Records "
        "with deleted_at set are tombstones (deleted in the app, kept for the audit). "
        "See docs/export-format.md.",
        "type": "object",
        "additionalProperties": False,
        "required": ["format", "format_version", "exported_at", "schema_revision", "tables"],
        "properties": {
            "format": {"const": FORMAT},
            "format_version": {"const": FORMAT_VERSION},
            "exported_at": _JSON_TYPES["datetime"],
            "app_version": {"type": "string"},
            "schema_revision": {"enum": list(schema.KNOWN_REVISIONS)},
            "vault_id": {"type": "string"},
            "counts": {
                "type": "object",
                "description": "records per table, as exported",
                "additionalProperties": {"type": "integer", "minimum": 0},
            },
            "audit_head": {
                "type": "object",
                "description": "the newest audit entry when the export was made",
                "properties": {"seq": {"type": "integer"}, "hash": {"type": "string"}},
            },
            "tables": {
                "type": "object",
                "additionalProperties": False,
                "properties": table_schemas,
            },
        },
    }


def schema_text() -> str:
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"


# -- exporting ---------------------------------------------------------------------------
class ExportFailed(UserFacingError):
    """The export could not be written; nothing of it is left behind."""


@dataclass(frozen=True)
class ExportResult:
    #: the new folder, or the archive file
    path: Path
    encrypted: bool
    formats: tuple[str, ...]
    #: file name (inside the folder or archive) -> bytes
    files: dict[str, int]
    counts: dict[str, int]
    audit_head: tuple[int, str]
    exported_at: datetime

    @property
    def bytes(self) -> int:
        return self.path.stat().st_size if self.encrypted else sum(self.files.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "path": str(self.path),
            "kind": "encrypted_archive" if self.encrypted else "folder",
            "encrypted": self.encrypted,
            "formats": list(self.formats),
            "exported_at": self.exported_at.isoformat(timespec="seconds") + "Z",
            "files": [{"name": n, "bytes": b} for n, b in self.files.items()],
            "bytes": self.bytes,
            "counts": self.counts,
            "audit_head": {"seq": self.audit_head[0], "hash": self.audit_head[1]},
        }


def parse_formats(text: str) -> tuple[str, ...]:
    """``json,csv`` as a checked tuple in a fixed order (ValueError names a bad part)."""
    parts = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = sorted(parts - set(FORMATS))
    if unknown:
        raise ValueError(f"unknown format {', '.join(unknown)} (use json, csv or both)")
    if not parts:
        raise ValueError("name at least one format: json, csv")
    return tuple(f for f in FORMATS if f in parts)


def export_name(moment: datetime) -> str:
    """The export's folder or file name: from the time only, never from a record."""
    return f"mhsw-export-{moment.strftime('%Y%m%dT%H%M%SZ')}"


def _read_rows(conn: Connection, table: Table) -> list[dict[str, Any]]:
    key = next(iter(table.primary_key.columns))
    specs = table_specs()[table.name]
    out = []
    for row in conn.execute(select(table).order_by(key)).mappings():
        out.append({s.name: _encode(s.kind, row[s.name]) for s in specs})
    return out


def _csv_bytes(specs: Sequence[ColumnSpec], rows: Iterable[Mapping[str, Any]]) -> bytes:
    out = io.StringIO(newline="")
    out.write("\ufeff")  # spreadsheets read UTF-8 only with a byte-order mark
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([s.name for s in specs])
    for row in rows:
        cells = []
        for spec in specs:
            value = row[spec.name]
            text = "" if value is None else ("true" if value is True else "false")
            if not isinstance(value, bool) and value is not None:
                text = str(value)
            cells.append(neutralise(text))
        writer.writerow(cells)
    return out.getvalue().encode("utf-8")


def build_files(document: dict[str, Any], formats: Sequence[str]) -> dict[str, bytes]:
    """The export's files by name: the JSON document, its schema, one CSV per table."""
    files: dict[str, bytes] = {}
    if "json" in formats:
        files[DATA_NAME] = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()
        files[SCHEMA_NAME] = schema_text().encode()
    if "csv" in formats:
        specs = table_specs()
        for name, rows in document["tables"].items():
            files[f"{CSV_FOLDER}/{name}.csv"] = _csv_bytes(specs[name], rows)
    return files


def export_vault(
    vault: Vault,
    into: Path,
    *,
    formats: Sequence[str] = FORMATS,
    password: str | None = None,
    params: kdf.KdfParams | None = None,
    app_version: str = "",
    now: datetime | None = None,
) -> ExportResult:
    """Export every record of ``vault`` into a new folder (or, with ``password``, a new
    encrypted archive) inside the folder ``into``; return what was written.

    The data is read, and the export written to the audit log, in one transaction: if
    the files cannot be written the audit entry is rolled back with it.
    """
    from mhsw_desktop.services import export_archive

    formats = tuple(f for f in FORMATS if f in formats)
    if not formats:
        raise ExportFailed("Choose at least one format (JSON, CSV) to export.")
    if password is not None:
        export_archive.check_password(password)
    into = Path(into).expanduser().absolute()
    if not into.is_dir():
        raise ExportFailed(f"The folder {into} does not exist; nothing was exported.")
    moment = (now or datetime.now(UTC)).replace(tzinfo=None, microsecond=0)
    name = export_name(moment)
    target = into / (name + export_archive.SUFFIX if password is not None else name)
    if target.exists():
        raise ExportFailed(f"{target} exists already; wait a second and export again.")
    written = False
    try:
        with vault.unit_of_work() as session:
            conn = session.connection()
            data = {t.name: _read_rows(conn, t) for t in tables() if t.name != chain.TABLE}
            counts = {n: len(rows) for n, rows in data.items()}
            where = "an encrypted archive" if password is not None else "a plaintext folder"
            record(
                session, "export", object_type="vault",
                detail=f"open export ({', '.join(formats)}) to {where}: "
                f"{counts.get('clients', 0)} clients, {sum(counts.values())} records",
            )  # fmt: skip
            audit_table = Base.metadata.tables[chain.TABLE]
            data[chain.TABLE] = _read_rows(conn, audit_table)
            counts[chain.TABLE] = len(data[chain.TABLE])
            head_seq, head_hash, _ = chain.head(conn)
            document = {
                "format": FORMAT,
                "format_version": FORMAT_VERSION,
                "exported_at": moment.isoformat(timespec="microseconds"),
                "app_version": app_version,
                "schema_revision": schema.HEAD,
                "vault_id": vault.info.vault_id,
                "counts": {t.name: counts[t.name] for t in tables()},
                "audit_head": {"seq": head_seq, "hash": head_hash},
                "tables": {t.name: data[t.name] for t in tables()},
            }
            files = build_files(document, formats)
            try:
                if password is not None:
                    export_archive.write_archive(target, files, password, params=params)
                else:
                    _write_folder(target, files)
                written = True
            except OSError as exc:
                raise ExportFailed(
                    f"Could not write the export into {into}: {exc.strerror or exc}; "
                    "nothing was exported."
                ) from None
    except BaseException:
        if written:  # written, but its audit entry did not commit (a full disk): remove it
            _remove(target)
        raise
    return ExportResult(
        path=target,
        encrypted=password is not None,
        formats=formats,
        files={n: len(b) for n, b in files.items()},
        counts={t.name: counts[t.name] for t in tables()},
        audit_head=(head_seq, head_hash),
        exported_at=moment,
    )


def _remove(target: Path) -> None:
    """An export whose audit entry failed: nothing of it may stay (it may be plaintext)."""
    if target.is_dir():
        shutil.rmtree(target, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            target.unlink()


def _write_folder(target: Path, files: Mapping[str, bytes]) -> None:
    """Every file into a hidden folder beside ``target``, renamed into place when whole."""
    staging = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
    make_private_dir(staging)
    try:
        for name, data in files.items():
            path = staging / name
            make_private_dir(path.parent)
            write_atomic(path, data)
        os.replace(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


# -- reading and checking an export ------------------------------------------------------
class ExportInvalid(UserFacingError):
    """An export that cannot be imported; ``problems`` names records and fields."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        shown = "; ".join(self.problems[:MAX_PROBLEMS])
        more = len(self.problems) - MAX_PROBLEMS
        if more > 0:
            shown += f"; and {more} more"
        super().__init__(f"The export cannot be imported: {shown}. Nothing was imported.")


@dataclass
class ExportDocument:
    """A checked export, its rows already typed for the database."""

    exported_at: datetime
    schema_revision: str
    vault_id: str
    app_version: str
    rows: dict[str, list[dict[str, Any]]]
    #: what the import should mention but need not refuse (an audit chain that breaks)
    warnings: list[str] = field(default_factory=list)

    @property
    def counts(self) -> dict[str, int]:
        return {name: len(rows) for name, rows in self.rows.items()}


def load_export(path: Path, password: str | None = None) -> ExportDocument:
    """Read and check an export: its folder, its ``export.json`` or its encrypted archive.

    An archive needs ``password`` (:class:`export_archive.PasswordNeeded` without it).
    Raises ExportInvalid naming what is wrong; nothing is written.
    """
    from mhsw_desktop.services import export_archive

    path = Path(path).expanduser().absolute()
    if path.is_dir():
        if not (path / DATA_NAME).is_file():
            has_csv = (path / CSV_FOLDER).is_dir()
            raise ExportInvalid(
                [f"{path} holds no {DATA_NAME}"
                 + (" (only CSV files: export again with the JSON format)" if has_csv else "")]
            )  # fmt: skip
        path = path / DATA_NAME
    if not path.is_file():
        raise ExportInvalid([f"there is no export at {path}"])
    if path.stat().st_size > MAX_EXPORT_BYTES:
        raise ExportInvalid([f"{path.name} is larger than {MAX_EXPORT_BYTES // 1024**3} GB"])
    raw = path.read_bytes()
    if export_archive.is_archive(raw):
        if password is None:
            raise export_archive.PasswordNeeded()
        files = export_archive.open_archive(raw, password)
        if DATA_NAME not in files:
            raise ExportInvalid([f"the archive holds no {DATA_NAME} (it was made without JSON)"])
        raw = files[DATA_NAME]
    return parse_export(raw)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_export(raw: bytes) -> ExportDocument:
    """Check ``export.json``'s bytes as a whole; ExportInvalid names the first problems."""
    try:
        text = raw.decode("utf-8-sig")
        document = json.loads(text, parse_constant=_reject_constant)
    except UnicodeDecodeError:
        raise ExportInvalid([f"{DATA_NAME} is not UTF-8 text"]) from None
    except (ValueError, RecursionError) as exc:
        where = (
            f" (line {exc.lineno}, column {exc.colno})"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise ExportInvalid([f"{DATA_NAME} is not valid JSON{where}"]) from None
    if not isinstance(document, dict):
        raise ExportInvalid([f"{DATA_NAME} must hold one JSON object"])
    _check_header(document)
    problems: list[str] = []
    rows = _check_tables(document["tables"], problems, document["schema_revision"])
    declared = document.get("counts")
    if declared is not None and not problems:
        if not isinstance(declared, dict):
            problems.append("counts must be an object of table: number")
        else:
            for name, got in rows.items():
                want = declared.get(name, len(got))
                if want != len(got):
                    problems.append(
                        f"{name}: the export says {want!r} records, {len(got)} are present "
                        "(records were removed or added after the export)"
                    )
    if problems:
        raise ExportInvalid(problems)
    exported_at = _decode(ColumnSpec("exported_at", "datetime", False), document["exported_at"])
    warnings = _audit_warnings(rows[chain.TABLE])
    return ExportDocument(
        exported_at=exported_at,
        schema_revision=document["schema_revision"],
        vault_id=str(document.get("vault_id", "")),
        app_version=str(document.get("app_version", "")),
        rows=rows,
        warnings=warnings,
    )


def _check_header(document: dict[str, Any]) -> None:
    if document.get("format") != FORMAT:
        raise ExportInvalid([f"{DATA_NAME} is not an MHSW Desktop export (format is not {FORMAT})"])
    version = document.get("format_version")
    if isinstance(version, int) and not isinstance(version, bool) and version > FORMAT_VERSION:
        raise ExportInvalid(
            [f"the export is in format version {version}, made by a newer MHSW Desktop; "
             "install that version to import it"]
        )  # fmt: skip
    if version != FORMAT_VERSION:
        raise ExportInvalid([f"format_version must be {FORMAT_VERSION}, not {version!r}"])
    revision = document.get("schema_revision")
    if revision not in schema.KNOWN_REVISIONS:
        raise ExportInvalid(
            [f"schema_revision {revision!r} is not one this version knows "
             "(made by a newer MHSW Desktop?)"]
        )  # fmt: skip
    try:
        _decode(ColumnSpec("exported_at", "datetime", False), document.get("exported_at"))
    except _Bad as exc:
        raise ExportInvalid([f"exported_at {exc}"]) from None
    if not isinstance(document.get("tables"), dict):
        raise ExportInvalid(["tables must be an object holding one list of records per table"])
    unknown = sorted(set(document) - set(json_schema()["properties"]))
    if unknown:
        raise ExportInvalid([f"unknown top-level field {', '.join(map(repr, unknown))}"])


#: columns later schema revisions added: (table, column) -> (revision, value). A record
#: of an export made before that revision has no such field and takes the value (the
#: same default the migration gave rows already in a vault).
LATER_COLUMNS: dict[tuple[str, str], tuple[str, Any]] = {
    ("clients", "preferred_language"): ("0007_languages", "en"),
    ("clients", "interpreter_needed"): ("0007_languages", False),
    ("clients", "document_language"): ("0007_languages", "client"),
    ("notes", "homework"): ("0007_languages", ""),
}


def _defaults_before(revision: str) -> dict[tuple[str, str], Any]:
    """The fields an export made at ``revision`` cannot have, with their values."""
    order = schema.KNOWN_REVISIONS
    return {
        where: value
        for where, (added, value) in LATER_COLUMNS.items()
        if order.index(revision) < order.index(added)
    }


def _check_tables(
    given: dict[str, Any], problems: list[str], revision: str = schema.HEAD
) -> dict[str, list[dict[str, Any]]]:
    specs = table_specs()
    defaults = _defaults_before(revision)
    unknown = sorted(set(given) - set(specs))
    if unknown:
        problems.append(
            f"unknown table {', '.join(map(repr, unknown))} (made by a newer MHSW Desktop?)"
        )
    rows: dict[str, list[dict[str, Any]]] = {}
    for name, columns in specs.items():
        records = given.get(name, [])
        if not isinstance(records, list):
            problems.append(f"{name} must be a list of records")
            records = []
        later = {column: value for (table, column), value in defaults.items() if table == name}
        rows[name] = _check_records(name, columns, records, problems, later)
    _check_languages(rows.get("clients", []), problems)
    if not problems:
        _check_links(rows, specs, problems)
    return rows


def _check_languages(clients: list[dict[str, Any]], problems: list[str]) -> None:
    """A client's language and document language must be ones this version prints in
    (the database cannot check them: the languages are data)."""
    from mhsw_desktop.domain.language import DocumentLanguage, check_code

    choices = {d.value for d in DocumentLanguage}
    for number, client in enumerate(clients, start=1):
        where = _where("clients", number, {"id": str(client.get("id"))}, "id")
        problem = check_code(str(client.get("preferred_language", "en")))
        if problem:
            problems.append(f"{where}, preferred_language: {problem}")
        if client.get("document_language", "client") not in choices:
            problems.append(
                f"{where}, document_language: must be one of {', '.join(sorted(choices))}"
            )


#: text columns that hold JSON of their own (the services parse them), with its shape
JSON_TEXT: dict[tuple[str, str], type] = {
    ("notes", "sections"): dict,
    ("notes", "mental_status"): dict,
    ("notes", "template_snapshot"): dict,
    ("note_templates", "definition"): dict,
    ("measures", "answers"): list,
    **{
        ("safety_plan_versions", step): list
        for step in ("warning_signs", "coping_strategies", "distraction_contacts",
                     "help_contacts", "professional_contacts", "environment_safety",
                     "reasons_for_living")
    },
}  # fmt: skip


def _check_json_text(table: str, name: str, value: Any) -> None:
    shape = JSON_TEXT.get((table, name))
    if shape is None or value is None:
        return
    try:
        parsed = json.loads(value)
    except (ValueError, RecursionError):
        raise _Bad("is not the JSON text the app keeps here") from None
    if not isinstance(parsed, shape):
        raise _Bad(f"must be JSON text of {'an object' if shape is dict else 'a list'}")


def _where(table: str, number: int, record: Mapping[str, Any], key: str) -> str:
    ident = record.get(key)
    shown = f" (id {ident})" if isinstance(ident, str | int) and len(str(ident)) <= 40 else ""
    return f"{table} record {number}{shown}"


def _check_records(
    table: str,
    columns: Sequence[ColumnSpec],
    records: list[Any],
    problems: list[str],
    later: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The records of ``table`` decoded; what is wrong with them goes to ``problems``.
    ``later``: fields the export is too old to have, and the value each takes."""
    later = later or {}
    key = _key_of(columns)
    names = {c.name for c in columns}
    out: list[dict[str, Any]] = []
    seen: set[Any] = set()
    for number, item in enumerate(records, start=1):
        if len(problems) > MAX_PROBLEMS:
            return out
        if not isinstance(item, dict):
            problems.append(f"{table} record {number} is not an object")
            continue
        where = _where(table, number, item, key)
        extra = sorted(str(k) for k in set(item) - names)
        if extra:
            problems.append(f"{where}: unknown field {', '.join(map(repr, extra))}")
            continue
        decoded: dict[str, Any] = {}
        for spec in columns:
            if spec.name not in item and spec.name in later:
                decoded[spec.name] = later[spec.name]
                continue
            if spec.name not in item and not spec.nullable:
                problems.append(f"{where}, {spec.name}: is missing")
                continue
            try:
                decoded[spec.name] = _decode(spec, item.get(spec.name))
                _check_json_text(table, spec.name, decoded[spec.name])
            except _Bad as exc:
                problems.append(f"{where}, {spec.name}: {exc}")
        if len(decoded) != len(columns):
            continue
        if decoded[key] in seen:
            problems.append(f"{where}, {key}: repeats the id of an earlier record")
            continue
        seen.add(decoded[key])
        out.append(decoded)
    return out


def _check_links(
    rows: Mapping[str, list[dict[str, Any]]],
    specs: Mapping[str, Sequence[ColumnSpec]],
    problems: list[str],
) -> None:
    keys = {name: {r[_key_of(specs[name])] for r in records} for name, records in rows.items()}
    for name, records in rows.items():
        links = [c for c in specs[name] if c.references]
        if not links:
            continue
        key = _key_of(specs[name])
        for number, item in enumerate(records, start=1):
            for spec in links:
                value = item[spec.name]
                if value is not None and value not in keys[spec.references or ""]:
                    where = _where(name, number, {key: str(item[key])}, key)
                    problems.append(
                        f"{where}, {spec.name}: names {value}, which is not in {spec.references}"
                    )
                    if len(problems) > MAX_PROBLEMS:
                        return


def _audit_warnings(entries: list[dict[str, Any]]) -> list[str]:
    """Whether the exported audit chain is whole (it is imported as it is, either way)."""
    expected_seq, prev = 1, chain.GENESIS
    for entry in sorted(entries, key=lambda e: int(e["seq"])):
        fields = (entry["seq"], entry["id"].hex, entry["at"], entry["action"],
                  entry["object_type"], _hex(entry["object_id"]), _hex(entry["client_id"]),
                  entry["outcome"], entry["detail"])  # fmt: skip
        digest = chain.entry_hash(prev, *fields)
        if entry["seq"] != expected_seq or entry["prev_hash"] != prev or entry["hash"] != digest:
            return [
                f"the exported audit log does not verify from entry {entry['seq']} on (it was "
                "edited, or was already broken in the vault); it is kept as it is, and "
                "`mhsw audit verify` on the new vault will name that entry"
            ]
        expected_seq, prev = expected_seq + 1, entry["hash"]
    return []


def _hex(value: uuid.UUID | None) -> str | None:
    return None if value is None else value.hex


# -- importing into a new vault ----------------------------------------------------------
@dataclass(frozen=True)
class ImportResult:
    folder: Path
    vault_id: str
    recovery_key: str
    counts: dict[str, int]
    warnings: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "vault": str(self.folder),
            "vault_id": self.vault_id,
            "recovery_key": self.recovery_key,
            "counts": self.counts,
            "warnings": list(self.warnings),
        }


def import_export(
    document: ExportDocument,
    target: Path,
    passphrase: str,
    *,
    params: kdf.KdfParams | None = None,
    progress: Callable[[str], None] | None = None,
) -> ImportResult:
    """Make a new vault in ``target`` (absent or empty) holding every record of
    ``document``. All or nothing: on any failure no vault is left behind."""
    from mhsw_desktop.vault.errors import FolderNotEmpty, VaultExists
    from mhsw_desktop.vault.vault import is_vault

    target = Path(target).expanduser().absolute()
    if target.exists():
        if is_vault(target):
            raise VaultExists(str(target))
        if not target.is_dir() or any(target.iterdir()):
            raise FolderNotEmpty(str(target))
    staging = target.with_name(f".{target.name}.importing-{secrets.token_hex(4)}")
    vault, recovery = Vault.create(staging, passphrase, params=params, record_creation=False)
    try:
        try:
            with vault.engine.connect() as conn, conn.begin():
                _fill(conn, document, progress)
        except IntegrityError as exc:
            raise ExportInvalid([_culprit(vault, document, exc)]) from None
        vault_id = vault.info.vault_id
        vault.lock()
        if target.exists():
            target.rmdir()
        os.replace(staging, target)
    except BaseException:
        vault.lock()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return ImportResult(target, vault_id, recovery, document.counts, tuple(document.warnings))


def _fill(
    conn: Connection, document: ExportDocument, progress: Callable[[str], None] | None
) -> None:
    """Every record in one transaction, then the search index and the import's entries.

    The database's triggers refuse adding items to a signed plan version and changing
    signed rows: an import reproduces rows that are signed already, so the triggers are
    set aside for this transaction of a vault nobody has opened yet, and put back
    (from their own definitions) before it commits.
    """
    conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
    triggers = conn.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name"
    ).fetchall()
    for name, _sql in triggers:
        conn.exec_driver_sql(f'DROP TRIGGER "{name}"')
    for table in tables():
        records = document.rows[table.name]
        if progress is not None:
            progress(table.name)
        if records:
            conn.execute(table.insert(), records)
    for _name, sql in triggers:
        conn.exec_driver_sql(sql)
    _rebuild_search(conn)
    exported = document.counts
    chain.append_many(
        conn,
        [
            chain.Pending("create_vault", object_type="vault", detail="from an open export"),
            chain.Pending(
                "import", object_type="vault",
                detail=f"open export of {document.exported_at:%Y-%m-%d %H:%M} UTC: "
                f"{exported.get('clients', 0)} clients, {sum(exported.values())} records",
            ),
        ],
    )  # fmt: skip
    broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        raise ExportInvalid([f"{len(broken)} records point at records that do not exist"])


def _rebuild_search(conn: Connection) -> None:
    """The search index, as the services build it when a record is saved."""
    from mhsw_desktop.domain.client import Client
    from mhsw_desktop.domain.note import Note
    from mhsw_desktop.services import clients, notes

    with Session(bind=conn, info={"audit": False}) as session:
        for client in session.scalars(select(Client).where(Client.deleted_at.is_(None))):
            clients._index(session, client)
        live = select(Note).where(Note.deleted_at.is_(None), Note.entered_in_error_at.is_(None))
        for note in session.scalars(live):
            try:
                notes._index(session, note)
            except (UserFacingError, ValueError, TypeError, AttributeError, KeyError):
                raise ExportInvalid(
                    [f"notes record (id {note.id}): its sections, mental status or template "
                     "are not in the form the app writes"]
                ) from None  # fmt: skip
        session.flush()


def _culprit(vault: Vault, document: ExportDocument, exc: IntegrityError) -> str:
    """The first record the database refuses (a rule such as a status it does not know),
    found by trying each record of the refused table on its own."""
    reason = str(exc.orig)
    found = re.match(r'\s*INSERT INTO "?(\w+)', str(exc.statement or ""))
    table_name = found.group(1) if found else ""
    if table_name not in Base.metadata.tables:
        return f"a record breaks a rule of the database ({reason})"
    table = Base.metadata.tables[table_name]
    key = _key_of(table_specs()[table_name])
    with vault.engine.connect() as conn:
        trans = conn.begin()
        try:
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")  # links are checked already
            for number, row in enumerate(document.rows[table_name], start=1):
                try:
                    with conn.begin_nested():
                        conn.execute(table.insert(), [row])
                except (IntegrityError, DatabaseError) as single:
                    return f"{table_name} record {number} (id {row[key]}): {single.orig}"
        finally:
            trans.rollback()
    return f"a record of {table_name} breaks a rule of the database ({reason})"

"""The audit chain: append-only entries, each carrying the hash of the one before.

An entry says when, what was done (``action``), to what (``object_type`` and
``object_id``, and the client it concerns where the row names one), how it ended
(``outcome``) and a short ``detail`` from the app's own vocabulary (field names, a
report kind, a page count) — never record content. Its ``hash`` is SHA-256 over the
previous entry's hash and its own fields in a canonical form, so that an edited,
deleted, inserted or reordered entry breaks the chain at that point; the database also
refuses UPDATE and DELETE on the table (triggers, migration 0006).

The chain is anchored outside the database: ``audit.anchor`` in the vault folder holds
the newest entry's number and hash (written on lock, MACed with a key derived from the
data key), so that entries cut off the end are noticed too. Backups carry the anchor in
their manifest and reports print it.

Plain SQL only: the vault layer writes unlock and lock entries itself, below the models.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from mhsw_desktop.vault.files import write_atomic

TABLE = "audit_log"
ANCHOR_NAME = "audit.anchor"
ANCHOR_FORMAT = "mhsw-audit-anchor"
GENESIS = "0" * 64
#: a clock that jumps back further than this between two entries is itself an event
CLOCK_TOLERANCE = timedelta(minutes=2)
LIMITS = {"action": 40, "object_type": 60, "outcome": 20, "detail": 300}


class Outcome:
    OK = "ok"
    FAILED = "failed"
    REFUSED = "refused"


@dataclass(frozen=True)
class Entry:
    seq: int
    id: str
    at: datetime
    action: str
    object_type: str
    object_id: str | None
    client_id: str | None
    outcome: str
    detail: str
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class ChainCheck:
    """What :func:`verify` found. ``first_bad`` is the number of the first entry that does
    not fit (None when the chain is whole)."""

    ok: bool
    entries: int
    head_hash: str
    first_bad: int | None = None
    problem: str = ""


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def entry_hash(
    prev_hash: str,
    seq: int,
    entry_id: str,
    at: datetime,
    action: str,
    object_type: str,
    object_id: str | None,
    client_id: str | None,
    outcome: str,
    detail: str,
) -> str:
    """SHA-256 over the previous hash and the entry's fields (canonical JSON)."""
    fields = [prev_hash, seq, entry_id, _stamp(at), action, object_type, object_id, client_id,
              outcome, detail]  # fmt: skip
    canonical = json.dumps(fields, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _stored_time(moment: datetime) -> str:
    """As SQLAlchemy's DateTime keeps it on SQLite, so that the model reads it back."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def _stored_id(value: uuid.UUID | str | None) -> str | None:
    """As SQLAlchemy's Uuid keeps ids on SQLite (32 hex digits), so that filters match."""
    if value is None:
        return None
    try:
        return (value if isinstance(value, uuid.UUID) else uuid.UUID(str(value))).hex
    except ValueError:
        return str(value)


def _utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def _clip(value: str, field: str) -> str:
    limit = LIMITS[field]
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass(frozen=True)
class Pending:
    """An entry to append (see :func:`append_many`)."""

    action: str
    object_type: str = ""
    object_id: uuid.UUID | str | None = None
    client_id: uuid.UUID | str | None = None
    outcome: str = Outcome.OK
    detail: str = ""


def head(conn: Connection) -> tuple[int, str, datetime | None]:
    """The newest entry's number, hash and time (0, GENESIS, None for an empty log)."""
    row = conn.execute(text(f"SELECT seq, hash, at FROM {TABLE} ORDER BY seq DESC LIMIT 1")).first()
    if row is None:
        return 0, GENESIS, None
    at = row[2] if isinstance(row[2], datetime) else datetime.fromisoformat(str(row[2]))
    return int(row[0]), str(row[1]), at


def append_many(
    conn: Connection, entries: list[Pending], *, now: datetime | None = None
) -> list[Entry]:
    """Append ``entries`` in order, chained to the newest; return them as written.

    A clock that reads earlier than the newest entry (by more than a little) is written
    down first as an entry of its own, and the new entries keep the clock's time.
    """
    if not entries:
        return []
    at = now or _utcnow()
    seq, prev, last_at = head(conn)
    pending = list(entries)
    if last_at is not None and at < last_at - CLOCK_TOLERANCE:
        back = last_at - at
        pending.insert(0, Pending("clock_backwards", outcome=Outcome.OK,
                                  detail=f"the clock read {int(back.total_seconds())} s earlier "
                                         "than the previous entry"))  # fmt: skip
    written: list[Entry] = []
    for item in pending:
        seq += 1
        entry_id = uuid.uuid4().hex
        object_id = _stored_id(item.object_id)
        client_id = _stored_id(item.client_id)
        action = _clip(item.action, "action")
        object_type = _clip(item.object_type, "object_type")
        outcome = _clip(item.outcome, "outcome")
        detail = _clip(item.detail, "detail")
        digest = entry_hash(prev, seq, entry_id, at, action, object_type, object_id, client_id,
                            outcome, detail)  # fmt: skip
        written.append(Entry(seq, entry_id, at, action, object_type, object_id, client_id,
                             outcome, detail, prev, digest))  # fmt: skip
        prev = digest
    conn.execute(
        text(
            f"INSERT INTO {TABLE} (seq, id, at, action, object_type, object_id, client_id, "
            "outcome, detail, prev_hash, hash) VALUES (:seq, :id, :at, :action, :object_type, "
            ":object_id, :client_id, :outcome, :detail, :prev_hash, :hash)"
        ),
        [{**e.__dict__, "at": _stored_time(e.at)} for e in written],
    )
    return written


def append(conn: Connection, action: str, **fields: Any) -> Entry:
    """Append one entry (fields as :class:`Pending`)."""
    return append_many(conn, [Pending(action, **fields)])[-1]


def _row_entry(row: Any) -> Entry:
    at = row.at if isinstance(row.at, datetime) else datetime.fromisoformat(str(row.at))
    return Entry(int(row.seq), str(row.id), at, str(row.action), str(row.object_type),
                 row.object_id, row.client_id, str(row.outcome), str(row.detail),
                 str(row.prev_hash), str(row.hash))  # fmt: skip


def verify(conn: Connection, anchor: tuple[int, str] | None = None) -> ChainCheck:
    """Walk the whole chain. Names the first entry that was edited, removed, inserted or
    moved, and, with ``anchor`` (number, hash), notices entries cut off the end."""
    expected_seq, prev, count = 1, GENESIS, 0
    hashes_at_anchor: str | None = None
    columns = "seq, id, at, action, object_type, object_id, client_id, outcome, detail"
    result = conn.execute(text(f"SELECT {columns}, prev_hash, hash FROM {TABLE} ORDER BY seq"))
    for row in result:
        entry = _row_entry(row)
        if entry.seq != expected_seq:
            problem = (
                f"entry {expected_seq} is missing (the next one is {entry.seq})"
                if entry.seq > expected_seq
                else f"entry {entry.seq} is out of order"
            )
            return ChainCheck(False, count, prev, expected_seq, problem)
        if entry.prev_hash != prev:
            return ChainCheck(
                False, count, prev, entry.seq,
                f"entry {entry.seq} does not follow entry {entry.seq - 1} (removed, inserted "
                "or reordered entries)",
            )  # fmt: skip
        digest = entry_hash(entry.prev_hash, entry.seq, entry.id, entry.at, entry.action,
                            entry.object_type, entry.object_id, entry.client_id, entry.outcome,
                            entry.detail)  # fmt: skip
        if digest != entry.hash:
            return ChainCheck(False, count, prev, entry.seq, f"entry {entry.seq} was changed")
        if anchor is not None and entry.seq == anchor[0]:
            hashes_at_anchor = entry.hash
        prev, expected_seq, count = entry.hash, expected_seq + 1, count + 1
    if anchor is not None and anchor[0] > 0:
        if count < anchor[0]:
            return ChainCheck(
                False, count, prev, count + 1,
                f"entries {count + 1} to {anchor[0]} are missing from the end of the log "
                "(the vault's anchor names them)",
            )  # fmt: skip
        if hashes_at_anchor != anchor[1]:
            return ChainCheck(
                False, count, prev, anchor[0],
                f"entry {anchor[0]} differs from the one the vault's anchor recorded",
            )  # fmt: skip
    return ChainCheck(True, count, prev)


# -- the anchor outside the database ---------------------------------------------------
def _anchor_mac(mac_key: bytes, seq: int, digest: str) -> str:
    return hmac.new(mac_key, f"{ANCHOR_FORMAT}:{seq}:{digest}".encode(), hashlib.sha256).hexdigest()


def anchor_key(data_key: bytes | bytearray) -> bytes:
    """The anchor's MAC key, derived from the data key (never the data key itself)."""
    return hmac.new(bytes(data_key), b"mhsw audit anchor v1", hashlib.sha256).digest()


def write_anchor(folder: Path, mac_key: bytes, seq: int, digest: str) -> None:
    document = {
        "format": ANCHOR_FORMAT,
        "version": 1,
        "seq": seq,
        "hash": digest,
        "mac": _anchor_mac(mac_key, seq, digest),
    }
    write_atomic(folder / ANCHOR_NAME, (json.dumps(document, indent=2) + "\n").encode())


class AnchorInvalid(Exception):
    """The anchor file is not one this vault wrote (edited, or from another vault)."""


def read_anchor(folder: Path, mac_key: bytes) -> tuple[int, str] | None:
    """The anchored (number, hash); None when there is no anchor yet; AnchorInvalid when
    the file was edited or belongs to another vault."""
    path = folder / ANCHOR_NAME
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        document = json.loads(raw)
        seq, digest, mac = int(document["seq"]), str(document["hash"]), str(document["mac"])
        if document.get("format") != ANCHOR_FORMAT:
            raise ValueError("format")
    except (ValueError, KeyError, TypeError) as exc:
        raise AnchorInvalid("the audit anchor file is damaged") from exc
    if not hmac.compare_digest(mac, _anchor_mac(mac_key, seq, digest)):
        raise AnchorInvalid("the audit anchor file was changed or comes from another vault")
    return seq, digest

"""The audit log as the services keep it: every change a unit of work makes, written down
in the same transaction, plus the accesses that change nothing (views, prints, exports).

:func:`install` hooks SQLAlchemy's ``after_flush``: each row a flush adds, changes or
removes becomes an entry — ``create``, ``change`` (with the names of the fields that
changed, never their values), ``sign``, ``entered_in_error``, ``delete`` (a tombstone) —
chained by ``vault/audit.py`` in the same transaction, so a change and its entry are
committed or rolled back together. Repeated saves of one draft within
:data:`COALESCE_MINUTES` make one entry, not one per autosave.

Views, prints and exports are written with :func:`record` by the operation that does them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import event, func, inspect, select, text
from sqlalchemy.orm import Session

from mhsw_desktop.domain.audit import AuditEntry
from mhsw_desktop.domain.base import Record
from mhsw_desktop.domain.client import Client
from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.vault import audit as chain
from mhsw_desktop.vault.audit import Pending

#: one "change" entry per object for a run of saves this close together (draft autosaves)
COALESCE_MINUTES = 15
#: columns whose change is bookkeeping, not an edit
_BOOKKEEPING = frozenset({"updated_at", "sort_name", "search_key", "search_text"})
#: the field whose first value makes a change one of these actions
_MILESTONES = (("deleted_at", "delete"), ("signed_at", "sign"),
               ("entered_in_error_at", "entered_in_error"))  # fmt: skip


# -- what a flush did ------------------------------------------------------------------
def _client_of(row: Any) -> uuid.UUID | None:
    if isinstance(row, Client):
        return row.id
    value = getattr(row, "client_id", None)
    return value if isinstance(value, uuid.UUID) else None


def _table(row: Any) -> str:
    return str(inspect(row).mapper.local_table.name)


def _changed_fields(row: Any) -> list[str]:
    state = inspect(row)
    return sorted(
        attr.key
        for attr in state.attrs
        if attr.key not in _BOOKKEEPING and attr.history.has_changes()
    )


def _became_set(row: Any, name: str) -> bool:
    """Whether ``name`` went from empty to a value in this flush."""
    history = inspect(row).attrs[name].history
    return (
        bool(history.added)
        and history.added[0] is not None
        and not any(value is not None for value in history.deleted)
    )


def _entries_of_flush(session: Session) -> list[Pending]:
    out: list[Pending] = []
    for row in session.new:
        if isinstance(row, Record):
            out.append(Pending("create", _table(row), row.id, _client_of(row)))
    for row in session.dirty:
        if not isinstance(row, Record) or not session.is_modified(row):
            continue
        fields = _changed_fields(row)
        if not fields:
            continue
        action = next(
            (act for name, act in _MILESTONES if name in fields and _became_set(row, name)),
            "change",
        )
        detail = "" if action != "change" else "fields: " + ", ".join(fields)
        out.append(Pending(action, _table(row), row.id, _client_of(row), detail=detail))
    for row in session.deleted:
        if isinstance(row, Record):
            out.append(Pending("delete", _table(row), row.id, _client_of(row), detail="removed"))
    return out


def _coalesced(session: Session, entries: list[Pending], now: datetime) -> list[Pending]:
    """Drop a "change" whose object had a "change" entry of its own a moment ago."""
    changes = [e for e in entries if e.action == "change" and e.object_id is not None]
    if not changes:
        return entries
    since = now - timedelta(minutes=COALESCE_MINUTES)
    recent = set(
        session.connection()
        .execute(
            text(f"SELECT object_id FROM {chain.TABLE} WHERE at >= :since AND action = 'change'"),
            {"since": since.strftime("%Y-%m-%d %H:%M:%S.%f")},
        )
        .scalars()
    )
    return [e for e in entries if not (e in changes and _hex(e.object_id) in recent)]


def _hex(value: uuid.UUID | str | None) -> str | None:
    return value.hex if isinstance(value, uuid.UUID) else value


def _after_flush(session: Session, _context: Any) -> None:
    if not session.info.get("audit", True):
        return
    entries = _entries_of_flush(session)
    if not entries:
        return
    now = utcnow()
    chain.append_many(session.connection(), _coalesced(session, entries, now), now=now)


_installed = False


def install() -> None:
    """Write down what every session changes (idempotent; done on import of the services)."""
    global _installed
    if not _installed:
        event.listen(Session, "after_flush", _after_flush)
        _installed = True


# -- accesses that change nothing -------------------------------------------------------
def record(
    session: Session,
    action: str,
    *,
    object_type: str = "",
    object_id: uuid.UUID | None = None,
    client_id: uuid.UUID | None = None,
    outcome: str = chain.Outcome.OK,
    detail: str = "",
) -> None:
    """Append an entry in the session's transaction (a view, a print, an export).

    ``detail`` is from the app's own vocabulary (a report kind, a count): never the text
    of a record, a search query or a file name chosen by the user.
    """
    if not session.info.get("audit", True):
        return
    pending = Pending(action, object_type, object_id, client_id, outcome, detail)
    chain.append_many(session.connection(), [pending])


# -- reading ----------------------------------------------------------------------------
@dataclass(frozen=True)
class AuditRow:
    seq: int
    at: datetime
    action: str
    object_type: str
    object_id: uuid.UUID | None
    client_id: uuid.UUID | None
    outcome: str
    detail: str
    hash: str

    @property
    def id(self) -> int:
        """Table models key rows by ``id``: an entry is its number."""
        return self.seq

    def to_json(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "at": self.at.isoformat(timespec="seconds"),
            "action": self.action,
            "object_type": self.object_type,
            "object_id": str(self.object_id) if self.object_id else None,
            "client_id": str(self.client_id) if self.client_id else None,
            "outcome": self.outcome,
            "detail": self.detail,
            "hash": self.hash,
        }


def list_entries(
    session: Session,
    *,
    client_id: uuid.UUID | None = None,
    action: str | None = None,
    since: date | None = None,
    until: date | None = None,
    limit: int | None = None,
) -> list[AuditRow]:
    """Entries, oldest first (the newest ``limit`` of them when a limit is given)."""
    query = select(AuditEntry)
    if client_id is not None:
        query = query.where(AuditEntry.client_id == client_id)
    if action:
        query = query.where(AuditEntry.action == action)
    if since is not None:
        query = query.where(AuditEntry.at >= datetime.combine(since, datetime.min.time()))
    if until is not None:
        query = query.where(
            AuditEntry.at < datetime.combine(until + timedelta(days=1), datetime.min.time())
        )
    query = query.order_by(AuditEntry.seq.desc())
    if limit is not None:
        query = query.limit(limit)
    rows = list(session.scalars(query))
    rows.reverse()
    return [
        AuditRow(r.seq, r.at, r.action, r.object_type, r.object_id, r.client_id, r.outcome,
                 r.detail, r.hash)
        for r in rows
    ]  # fmt: skip


def count_entries(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(AuditEntry)) or 0)

"""Client use cases: add, edit, discharge, list, look up, find likely duplicates."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from typing import Any, Literal

from sqlalchemy import String, select, type_coerce
from sqlalchemy.orm import Session

from mhsw_desktop.domain.client import Client, ClientStatus
from mhsw_desktop.domain.client_rules import ClientInput, normalised, search_key, sort_name
from mhsw_desktop.domain.ids import utcnow, uuid_from_hex
from mhsw_desktop.domain.text import fold
from mhsw_desktop.errors import NotFoundError
from mhsw_desktop.services.search import index_document, remove_document

StatusFilter = Literal["active", "on_hold", "discharged", "current", "all"]
STATUS_FILTERS: tuple[StatusFilter, ...] = ("active", "on_hold", "discharged", "current", "all")


@dataclass(frozen=True)
class ClientRow:
    """One line of the client list: just what lists show and filter on."""

    id: uuid.UUID
    legal_first_name: str
    legal_last_name: str
    preferred_name: str
    pronouns: str
    date_of_birth: date
    phone: str
    status: ClientStatus
    intake_date: date
    #: folded text to match a filter against (see ``domain.client_rules.search_key``)
    search_key: str = ""
    #: folded last, first and preferred name: the order lists come in
    sort_name: str = ""

    @property
    def display_name(self) -> str:
        """ "Last, First" with the preferred name in quotes when it differs."""
        name = f"{self.legal_last_name}, {self.legal_first_name}"
        if self.preferred_name and self.preferred_name != self.legal_first_name:
            name += f" “{self.preferred_name}”"
        return name

    def to_json(self) -> dict[str, str]:
        return {
            "id": str(self.id),
            "legal_first_name": self.legal_first_name,
            "legal_last_name": self.legal_last_name,
            "preferred_name": self.preferred_name,
            "pronouns": self.pronouns,
            "date_of_birth": self.date_of_birth.isoformat(),
            "phone": self.phone,
            "status": self.status.value,
            "intake_date": self.intake_date.isoformat(),
        }


@dataclass(frozen=True)
class ClientDetail:
    """A whole client record, for the form."""

    id: uuid.UUID
    data: ClientInput
    created_at: datetime
    updated_at: datetime


_ROW_COLUMNS = (
    type_coerce(Client.id, String),  # raw hex: converted by the fast path in _row
    Client.legal_first_name,
    Client.legal_last_name,
    Client.preferred_name,
    Client.pronouns,
    Client.date_of_birth,
    Client.phone,
    Client.status,
    Client.intake_date,
    Client.search_key,
    Client.sort_name,
)


_STATUS = {status.value: status for status in ClientStatus}


def _row(values: tuple[Any, ...]) -> ClientRow:
    hex_id, first, last, preferred, pronouns, dob, phone, status, intake, key, order = values
    return ClientRow(
        uuid_from_hex(hex_id),
        first,
        last,
        preferred,
        pronouns,
        dob,
        phone,
        _STATUS[status],
        intake,
        key,
        order,
    )


def _apply(client: Client, data: ClientInput) -> None:
    for f in fields(ClientInput):
        value = getattr(data, f.name)
        setattr(client, f.name, value.value if isinstance(value, ClientStatus) else value)
    client.search_key = search_key(data)
    client.sort_name = sort_name(data)


def _live(session: Session, client_id: uuid.UUID) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.deleted_at is not None:
        raise NotFoundError(f"No client with id {client_id}.")
    return client


def _index(session: Session, client: Client) -> None:
    index_document(
        session,
        kind="client",
        ref_id=client.id,
        client_id=client.id,
        day=client.intake_date,
        title=f"{client.legal_first_name} {client.legal_last_name} {client.preferred_name}",
        body=f"{client.important_to_know} {client.phone} {client.email}",
    )


def add_client(session: Session, data: ClientInput, *, today: date | None = None) -> uuid.UUID:
    """Validate and save a new client; return its id. Raises ValidationError."""
    clean = normalised(data, today or date.today())
    client = Client()
    _apply(client, clean)
    session.add(client)
    session.flush()
    _index(session, client)
    return client.id


def update_client(
    session: Session, client_id: uuid.UUID, data: ClientInput, *, today: date | None = None
) -> None:
    """Replace a client's fields with ``data`` (validated as a whole)."""
    clean = normalised(data, today or date.today())
    client = _live(session, client_id)
    _apply(client, clean)
    session.flush()
    _index(session, client)


def discharge_client(
    session: Session,
    client_id: uuid.UUID,
    on: date,
    reason: str,
    *,
    today: date | None = None,
) -> None:
    """Discharge a client on ``on`` for ``reason`` (both required, checked like any edit)."""
    current = get_client(session, client_id).data
    update_client(
        session,
        client_id,
        replace(
            current, status=ClientStatus.DISCHARGED, discharge_date=on, discharge_reason=reason
        ),
        today=today,
    )


def delete_client(session: Session, client_id: uuid.UUID) -> None:
    """Tombstone a client: the row stays (for sync and audit) but no list shows it."""
    _live(session, client_id).deleted_at = utcnow()
    session.flush()
    remove_document(session, client_id)


def get_client(session: Session, client_id: uuid.UUID) -> ClientDetail:
    client = _live(session, client_id)
    data = ClientInput(
        **{f.name: getattr(client, f.name) for f in fields(ClientInput) if f.name != "status"},
        status=ClientStatus(client.status),
    )
    return ClientDetail(client.id, data, client.created_at, client.updated_at)


def list_clients(session: Session, status: StatusFilter = "current") -> list[ClientRow]:
    """Clients ordered by last then first name (folded). ``current`` is active plus on hold."""
    query = select(*_ROW_COLUMNS).where(Client.deleted_at.is_(None))
    if status == "current":
        query = query.where(Client.status != ClientStatus.DISCHARGED.value)
    elif status != "all":
        query = query.where(Client.status == ClientStatus(status).value)
    query = query.order_by(Client.sort_name)
    # Core, not ORM loading: thousands of rows, and only plain values are wanted.
    return [_row(tuple(values)) for values in session.connection().execute(query).all()]


def count_clients(session: Session) -> int:
    from sqlalchemy import func

    query = select(func.count()).select_from(Client).where(Client.deleted_at.is_(None))
    return int(session.scalar(query) or 0)


def likely_duplicates(
    session: Session, data: ClientInput, *, exclude: uuid.UUID | None = None
) -> list[ClientRow]:
    """Clients who are probably the same person: same date of birth and a matching name.

    Names match with case and accents folded, on the last name plus either the legal or
    the preferred first name, so "Gonzalez, Ana" finds "González, Ana María" born the same day.
    """
    if data.date_of_birth is None:
        return []
    query = select(*_ROW_COLUMNS).where(
        Client.deleted_at.is_(None), Client.date_of_birth == data.date_of_birth
    )
    last = fold(data.legal_last_name.strip())
    firsts = {fold(n.strip()) for n in (data.legal_first_name, data.preferred_name) if n.strip()}
    found = []
    for values in session.connection().execute(query):
        row = _row(tuple(values))
        if row.id == exclude or fold(row.legal_last_name) != last:
            continue
        their = {fold(row.legal_first_name), fold(row.preferred_name)} - {""}
        their |= {name.split()[0] for name in their if " " in name}
        mine = firsts | {name.split()[0] for name in firsts if " " in name}
        if their & mine:
            found.append(row)
    return found

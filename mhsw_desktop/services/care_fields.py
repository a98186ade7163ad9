"""Field checks and look-ups shared by the care-team services (lengths, storable text,
plausible dates, enum values, live records), so that every form says the same thing."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import CARE_LIMITS, Collaborator
from mhsw_desktop.domain.client import Client
from mhsw_desktop.domain.client_rules import UNSTORABLE, has_unstorable
from mhsw_desktop.errors import NotFoundError

EARLIEST = date(1990, 1, 1)
LATEST = date(2200, 12, 31)


def check_text(
    errors: dict[str, str],
    name: str,
    value: str,
    *,
    required: bool = False,
    multiline: bool = False,
    limit_key: str | None = None,
) -> None:
    limit = CARE_LIMITS[limit_key or name]
    if len(value) > limit:
        errors[name] = f"is {len(value)} characters long; at most {limit} fit"
    elif has_unstorable(value, multiline=multiline):
        errors[name] = UNSTORABLE
    elif required and not value.strip():
        errors[name] = "is required"


def check_date(
    errors: dict[str, str], name: str, value: date, today: date, *, future: bool = False
) -> None:
    if not future and value > today:
        errors[name] = f"{value.isoformat()} is in the future"
    elif value < EARLIEST or value > LATEST:
        errors[name] = f"{value.isoformat()} is not a plausible date"


def enum_value(errors: dict[str, str], name: str, kind: type[Any], value: Any) -> Any:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(v.value for v in kind if v.value)
        errors[name] = f"{value!r} is not one of: {choices}"
        return None


def live_client(session: Session, client_id: uuid.UUID) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.deleted_at is not None:
        raise NotFoundError(f"No client with id {client_id}.")
    return client


def live_collaborator(session: Session, collaborator_id: uuid.UUID) -> Collaborator:
    collaborator = session.get(Collaborator, collaborator_id)
    if collaborator is None or collaborator.deleted_at is not None:
        raise NotFoundError(f"No collaborator with id {collaborator_id}.")
    return collaborator


def display_name(name: str, credentials: str) -> str:
    return f"{name}, {credentials}" if credentials else name

"""The collaborator directory, shared across clients: add, edit, delete, list, duplicates."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import (
    Collaborator,
    CollaboratorRole,
    ContactMethod,
    TeamMember,
    likely_same_collaborator,
    name_key,
)
from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.errors import UserFacingError, ValidationError
from mhsw_desktop.services.care_fields import (
    check_text,
    display_name,
    enum_value,
    live_collaborator,
)

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE = re.compile(r"^\+?[0-9()\-.\s/]+(\s*(x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)


@dataclass(frozen=True)
class CollaboratorInput:
    """A directory entry as a form, the command line or a vCard gives it."""

    name: str
    role: CollaboratorRole = CollaboratorRole.OTHER
    credentials: str = ""
    organisation: str = ""
    phone: str = ""
    fax: str = ""
    email: str = ""
    address: str = ""
    preferred_contact: ContactMethod = ContactMethod.NONE
    notes: str = ""


@dataclass(frozen=True)
class CollaboratorRow:
    id: uuid.UUID
    name: str
    role: CollaboratorRole
    credentials: str
    organisation: str
    phone: str
    fax: str
    email: str
    address: str
    preferred_contact: ContactMethod
    notes: str

    @property
    def display_name(self) -> str:
        """ "Name, Credentials" (just the name without credentials)."""
        return display_name(self.name, self.credentials)

    @property
    def data(self) -> CollaboratorInput:
        return CollaboratorInput(
            **{f.name: getattr(self, f.name) for f in fields(CollaboratorInput)}
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "credentials": self.credentials,
            "role": self.role.value,
            "role_label": self.role.label,
            "organisation": self.organisation,
            "phone": self.phone,
            "fax": self.fax,
            "email": self.email,
            "address": self.address,
            "preferred_contact": self.preferred_contact.value or None,
            "notes": self.notes,
        }


def checked_collaborator(data: CollaboratorInput) -> CollaboratorInput:
    """``data`` with whitespace stripped, or ValidationError naming every bad field."""
    errors: dict[str, str] = {}
    stripped = {
        f.name: getattr(data, f.name).strip()
        for f in fields(CollaboratorInput)
        if isinstance(getattr(data, f.name), str) and f.name not in ("role", "preferred_contact")
    }
    for name, value in stripped.items():
        check_text(
            errors, name, value, required=name == "name", multiline=name in ("address", "notes")
        )
    role = enum_value(errors, "role", CollaboratorRole, data.role)
    preferred = enum_value(errors, "preferred_contact", ContactMethod, data.preferred_contact)
    if stripped["email"] and "email" not in errors and not _EMAIL.match(stripped["email"]):
        errors["email"] = "does not look like an email address (name@example.org)"
    for name in ("phone", "fax"):
        value = stripped[name]
        if value and name not in errors:
            digits = sum(ch.isdigit() for ch in value)
            if not _PHONE.match(value) or not 7 <= digits <= 20:
                errors[name] = "does not look like a phone number"
    if preferred in (ContactMethod.PHONE, ContactMethod.FAX, ContactMethod.EMAIL):
        field = preferred.value
        if not stripped[field] and field not in errors:
            errors["preferred_contact"] = f"is {preferred.label.lower()}, but none is recorded"
    if errors:
        raise ValidationError(errors)
    return CollaboratorInput(**{**stripped, "role": role, "preferred_contact": preferred})


def _write_collaborator(row: Collaborator, data: CollaboratorInput) -> None:
    for f in fields(CollaboratorInput):
        value = getattr(data, f.name)
        plain = value.value if isinstance(value, ContactMethod | CollaboratorRole) else value
        setattr(row, f.name, plain)
    row.sort_name = name_key(data.name)


def _collaborator_row(c: Collaborator) -> CollaboratorRow:
    return CollaboratorRow(
        id=c.id,
        name=c.name,
        role=CollaboratorRole(c.role),
        credentials=c.credentials,
        organisation=c.organisation,
        phone=c.phone,
        fax=c.fax,
        email=c.email,
        address=c.address,
        preferred_contact=ContactMethod(c.preferred_contact),
        notes=c.notes,
    )


def add_collaborator(session: Session, data: CollaboratorInput) -> uuid.UUID:
    """Validate and add a directory entry; return its id (duplicates are the caller's call:
    see ``likely_duplicate_collaborators``)."""
    clean = checked_collaborator(data)
    row = Collaborator()
    _write_collaborator(row, clean)
    session.add(row)
    session.flush()
    return row.id


def update_collaborator(
    session: Session, collaborator_id: uuid.UUID, data: CollaboratorInput
) -> None:
    clean = checked_collaborator(data)
    _write_collaborator(live_collaborator(session, collaborator_id), clean)
    session.flush()


def delete_collaborator(
    session: Session, collaborator_id: uuid.UUID, *, today: date | None = None
) -> None:
    """Tombstone a directory entry. Refused while they are on a client's current team;
    their releases and disclosures are kept (the accounting names them as they were)."""
    day = today or date.today()
    row = live_collaborator(session, collaborator_id)
    current = session.scalar(
        select(func.count())
        .select_from(TeamMember)
        .where(
            TeamMember.collaborator_id == collaborator_id,
            TeamMember.deleted_at.is_(None),
            (TeamMember.end_date.is_(None)) | (TeamMember.end_date >= day),
        )
    )
    if current:
        raise UserFacingError(
            f"This collaborator is on {current} client care team{'s' if current != 1 else ''}; "
            "end those team memberships first. Nothing was deleted."
        )
    row.deleted_at = utcnow()
    session.flush()


def get_collaborator(session: Session, collaborator_id: uuid.UUID) -> CollaboratorRow:
    return _collaborator_row(live_collaborator(session, collaborator_id))


def list_collaborators(session: Session) -> list[CollaboratorRow]:
    """The directory, by folded name."""
    rows = session.scalars(
        select(Collaborator)
        .where(Collaborator.deleted_at.is_(None))
        .order_by(Collaborator.sort_name, Collaborator.id)
    )
    return [_collaborator_row(c) for c in rows]


def likely_duplicate_collaborators(
    session: Session, data: CollaboratorInput, *, exclude: uuid.UUID | None = None
) -> list[CollaboratorRow]:
    """Directory entries with the same folded name and the same phone digits as ``data``."""
    key = name_key(data.name)
    rows = session.scalars(
        select(Collaborator).where(Collaborator.deleted_at.is_(None), Collaborator.sort_name == key)
    )
    return [
        _collaborator_row(c)
        for c in rows
        if c.id != exclude and likely_same_collaborator(c.name, c.phone, data.name, data.phone)
    ]

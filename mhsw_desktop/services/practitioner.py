"""The practitioner profile: who signs notes, and the practice header of reports."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.note import Practitioner
from mhsw_desktop.errors import UserFacingError, ValidationError

LIMITS = {
    "name": 200,
    "credentials": 100,
    "licence_number": 100,
    "practice_name": 200,
    "address": 500,
    "phone": 40,
}


@dataclass(frozen=True)
class PractitionerInput:
    name: str = ""
    credentials: str = ""
    licence_number: str = ""
    practice_name: str = ""
    address: str = ""
    phone: str = ""


@dataclass(frozen=True)
class Signer:
    """Who signs, as they were that day (copied onto the note)."""

    name: str
    credentials: str = ""
    licence: str = ""


class ProfileIncomplete(UserFacingError):
    def __init__(self) -> None:
        super().__init__(
            "Fill in your name and credentials in the practitioner profile before signing "
            "(File > Practitioner profile, or `mhsw practitioner set`)."
        )


def _row(session: Session) -> Practitioner | None:
    return session.scalars(select(Practitioner).where(Practitioner.deleted_at.is_(None))).first()


def get_practitioner(session: Session) -> PractitionerInput:
    row = _row(session)
    if row is None:
        return PractitionerInput()
    return PractitionerInput(**{f.name: getattr(row, f.name) for f in fields(PractitionerInput)})


def save_practitioner(session: Session, data: PractitionerInput) -> None:
    clean = {f.name: str(getattr(data, f.name)).strip() for f in fields(PractitionerInput)}
    errors = {
        name: f"is {len(value)} characters long; at most {LIMITS[name]} fit"
        for name, value in clean.items()
        if len(value) > LIMITS[name]
    }
    if errors:
        raise ValidationError(errors)
    row = _row(session)
    if row is None:
        row = Practitioner()
        session.add(row)
    for name, value in clean.items():
        setattr(row, name, value)
    session.flush()


def signer_for(session: Session) -> Signer:
    """The signer from the profile; ProfileIncomplete when the name is missing."""
    profile = get_practitioner(session)
    if not profile.name:
        raise ProfileIncomplete()
    return Signer(profile.name, profile.credentials, profile.licence_number)

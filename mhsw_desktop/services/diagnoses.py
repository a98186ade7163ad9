"""Client diagnoses from ICD-10-CM, with offline look-up by code or by words.

The code set comes from the ``simple-icd-10-cm`` package (loaded on first look-up: it
takes a couple of seconds, so the GUI calls it on the worker). Mental-health work uses
chapter F and the social-circumstance Z codes (Z55–Z65) most, and those rank first.
"""

from __future__ import annotations

import re
import uuid
import warnings
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.client import Client
from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.domain.note import Diagnosis
from mhsw_desktop.domain.text import fold
from mhsw_desktop.errors import NotFoundError, ValidationError

_CODE_LIKE = re.compile(r"^[A-Za-z][0-9][0-9A-Za-z]?(\.?[0-9A-Za-z]{0,4})?$")


@dataclass(frozen=True)
class DiagnosisInput:
    code: str
    is_primary: bool = False
    onset_date: date | None = None
    resolved_date: date | None = None


@dataclass(frozen=True)
class DiagnosisRow:
    id: uuid.UUID
    code: str
    description: str
    is_primary: bool
    onset_date: date | None
    resolved_date: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "code": self.code,
            "description": self.description,
            "primary": self.is_primary,
            "onset_date": self.onset_date.isoformat() if self.onset_date else None,
            "resolved_date": self.resolved_date.isoformat() if self.resolved_date else None,
        }


@cache
def _icd() -> Any:
    """The code set (imported once: it parses its XML; its own import warns of old APIs)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        import simple_icd_10_cm

        simple_icd_10_cm.is_valid_item("F32")  # loads the data inside the filter
    return simple_icd_10_cm


def _is_social_z(code: str) -> bool:
    return code.startswith("Z") and len(code) >= 3 and "55" <= code[1:3] <= "65"


@cache
def _catalogue() -> tuple[tuple[str, str, str], ...]:
    """Every billable-or-not ICD-10-CM code with its description: (dotted code, text, folded)."""
    icd = _icd()
    entries = []
    for code in icd.get_all_codes(with_dots=True):
        if icd.is_chapter_or_block(code):
            continue
        description = icd.get_description(code)
        entries.append((code, description, fold(f"{code} {description}")))
    # Chapter F and the social Z codes first: what a social worker looks for most.
    entries.sort(key=lambda e: (0 if e[0].startswith("F") else 1 if _is_social_z(e[0]) else 2,
                                e[0]))  # fmt: skip
    return tuple(entries)


def normalise_code(code: str) -> str:
    """``f321`` or ``F32.1`` -> ``F32.1`` (dotted, upper case)."""
    raw = code.strip().upper().replace(".", "")
    return raw if len(raw) <= 3 else f"{raw[:3]}.{raw[3:]}"


def describe(code: str) -> str | None:
    """The description of a valid code, else None."""
    icd = _icd()
    dotted = normalise_code(code)
    if not dotted or not icd.is_valid_item(dotted) or icd.is_chapter_or_block(dotted):
        return None
    return str(icd.get_description(dotted))


def lookup(query: str, limit: int = 50) -> list[tuple[str, str]]:
    """Codes starting with ``query`` when it looks like a code (``F32``, ``z59.0``), else
    codes whose description holds every word of it; F and Z55–Z65 come first."""
    text = query.strip()
    if not text:
        return []
    if _CODE_LIKE.match(text):
        prefix = normalise_code(text)
        hits = [(c, d) for c, d, _f in _catalogue() if c.startswith(prefix)]
        return sorted(hits, key=lambda h: (len(h[0]), h[0]))[:limit]
    words = fold(text).split()
    found: list[tuple[str, str]] = []
    for code, description, folded in _catalogue():
        if all(w in folded for w in words):
            found.append((code, description))
            if len(found) >= limit:
                break
    return found


def _check(session: Session, client_id: uuid.UUID, data: DiagnosisInput) -> tuple[str, str]:
    client = session.get(Client, client_id)
    if client is None or client.deleted_at is not None:
        raise NotFoundError(f"No client with id {client_id}.")
    errors: dict[str, str] = {}
    code = normalise_code(data.code)
    description = describe(code)
    if description is None:
        errors["code"] = f"{data.code.strip() or '(empty)'} is not an ICD-10-CM diagnosis code"
    today = date.today()
    if data.onset_date and data.onset_date > today:
        errors["onset_date"] = f"{data.onset_date.isoformat()} is in the future"
    if data.resolved_date:
        if data.resolved_date > today:
            errors["resolved_date"] = f"{data.resolved_date.isoformat()} is in the future"
        elif data.onset_date and data.resolved_date < data.onset_date:
            errors["resolved_date"] = "is before the onset date"
    if errors:
        raise ValidationError(errors)
    return code, description or ""


def _demote_other_primaries(session: Session, client_id: uuid.UUID, keep: uuid.UUID) -> None:
    for other in session.scalars(
        select(Diagnosis).where(
            Diagnosis.client_id == client_id,
            Diagnosis.is_primary.is_(True),
            Diagnosis.deleted_at.is_(None),
            Diagnosis.id != keep,
        )
    ):
        other.is_primary = False


def add_diagnosis(session: Session, client_id: uuid.UUID, data: DiagnosisInput) -> uuid.UUID:
    """Record a diagnosis; a new primary one makes the others secondary."""
    code, description = _check(session, client_id, data)
    row = Diagnosis(
        client_id=client_id,
        code=code,
        description=description,
        is_primary=data.is_primary,
        onset_date=data.onset_date,
        resolved_date=data.resolved_date,
    )
    session.add(row)
    session.flush()
    if data.is_primary:
        _demote_other_primaries(session, client_id, row.id)
    session.flush()
    return row.id


def _row(session: Session, diagnosis_id: uuid.UUID) -> Diagnosis:
    row = session.get(Diagnosis, diagnosis_id)
    if row is None or row.deleted_at is not None:
        raise NotFoundError(f"No diagnosis with id {diagnosis_id}.")
    return row


def update_diagnosis(session: Session, diagnosis_id: uuid.UUID, data: DiagnosisInput) -> None:
    row = _row(session, diagnosis_id)
    code, description = _check(session, row.client_id, data)
    row.code, row.description = code, description
    row.is_primary = data.is_primary
    row.onset_date, row.resolved_date = data.onset_date, data.resolved_date
    if data.is_primary:
        _demote_other_primaries(session, row.client_id, row.id)
    session.flush()


def remove_diagnosis(session: Session, diagnosis_id: uuid.UUID) -> None:
    """Tombstone (entered by mistake). A diagnosis that ended gets a resolved date instead."""
    _row(session, diagnosis_id).deleted_at = utcnow()
    session.flush()


def list_diagnoses(session: Session, client_id: uuid.UUID) -> list[DiagnosisRow]:
    """Primary first, then current before resolved, then by code."""
    rows = session.scalars(
        select(Diagnosis).where(Diagnosis.client_id == client_id, Diagnosis.deleted_at.is_(None))
    )
    result = [
        DiagnosisRow(r.id, r.code, r.description, r.is_primary, r.onset_date, r.resolved_date)
        for r in rows
    ]
    return sorted(result, key=lambda d: (not d.is_primary, d.resolved_date is not None, d.code))

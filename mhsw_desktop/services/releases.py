"""Releases of information: record, correct, revoke, list with their status, and the
follow-ups and Today-view list of those that are expiring or expired.

Follow-ups: whenever a release with an expiry date is saved (added, edited, revoked),
its follow-up task is kept in step, idempotently: one open task per release, due on the
first day of its last ``EXPIRING_DAYS`` in force (or today, if that day has passed),
moved when the expiry date moves, withdrawn when the release is revoked or loses its
date, and marked done when a new release for the same collaborator renews it. So the
task shows in the Today view exactly when the release starts expiring, without any
read having to write. ``releases_needing_attention`` lists the same releases for the
Today view, and is read-only.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import (
    EXPIRING_DAYS,
    Category,
    Collaborator,
    Disclosure,
    Release,
    ReleaseStatus,
    categories_from_text,
    categories_to_text,
    days_left,
    ordered,
    release_status,
)
from mhsw_desktop.domain.client import Client, ClientStatus
from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.domain.note import Task
from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError
from mhsw_desktop.services.care_fields import (
    check_date,
    check_text,
    display_name,
    live_client,
    live_collaborator,
)

#: an expired release stays in the Today view this many days, unless renewed first
ATTENTION_AFTER_EXPIRY_DAYS = 90


class ReleaseLocked(UserFacingError):
    """A release that can no longer be edited (it was used, or revoked)."""


@dataclass(frozen=True)
class ReleaseInput:
    collaborator_id: uuid.UUID
    categories: tuple[Category, ...]
    purpose: str
    signed_date: date
    #: the last day the release is in force
    expiry_date: date | None = None
    expiry_event: str = ""
    #: required when substance-use information is released (42 CFR Part 2)
    substance_use_consent: str = ""


@dataclass(frozen=True)
class ReleaseRow:
    id: uuid.UUID
    client_id: uuid.UUID
    client_name: str
    collaborator_id: uuid.UUID
    collaborator_name: str
    categories: tuple[Category, ...]
    purpose: str
    signed_date: date
    expiry_date: date | None
    expiry_event: str
    revoked_date: date | None
    substance_use_consent: str
    #: computed for the day the list was asked for
    status: ReleaseStatus
    days_left: int | None
    followup_task_id: uuid.UUID | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "client_id": str(self.client_id),
            "client_name": self.client_name,
            "collaborator_id": str(self.collaborator_id),
            "collaborator_name": self.collaborator_name,
            "categories": [c.value for c in self.categories],
            "purpose": self.purpose,
            "signed_date": self.signed_date.isoformat(),
            "expiry_date": self.expiry_date.isoformat() if self.expiry_date else None,
            "expiry_event": self.expiry_event or None,
            "revoked_date": self.revoked_date.isoformat() if self.revoked_date else None,
            "substance_use_consent": self.substance_use_consent or None,
            "status": self.status.value,
            "days_left": self.days_left,
        }


def _release_row(
    release: Release, client: Client, collaborator: Collaborator, day: date
) -> ReleaseRow:
    return ReleaseRow(
        id=release.id,
        client_id=release.client_id,
        client_name=f"{client.legal_last_name}, {client.legal_first_name}",
        collaborator_id=release.collaborator_id,
        collaborator_name=display_name(collaborator.name, collaborator.credentials),
        categories=categories_from_text(release.categories),
        purpose=release.purpose,
        signed_date=release.signed_date,
        expiry_date=release.expiry_date,
        expiry_event=release.expiry_event,
        revoked_date=release.revoked_date,
        substance_use_consent=release.substance_use_consent,
        status=release_status(release, day),
        days_left=days_left(release, day),
        followup_task_id=release.followup_task_id,
    )


def _releases_query() -> Any:
    return (
        select(Release, Client, Collaborator)
        .join(Client, Client.id == Release.client_id)
        .join(Collaborator, Collaborator.id == Release.collaborator_id)
        .where(Release.deleted_at.is_(None))
    )


def releases_for(
    session: Session, client_id: uuid.UUID, collaborator_id: uuid.UUID
) -> list[Release]:
    return list(
        session.scalars(
            select(Release).where(
                Release.client_id == client_id,
                Release.collaborator_id == collaborator_id,
                Release.deleted_at.is_(None),
            )
        )
    )


def _checked_release(
    session: Session, client_id: uuid.UUID, data: ReleaseInput, today: date
) -> tuple[ReleaseInput, Collaborator]:
    live_client(session, client_id)
    collaborator = live_collaborator(session, data.collaborator_id)
    errors: dict[str, str] = {}
    purpose = data.purpose.strip()
    event = data.expiry_event.strip()
    consent = data.substance_use_consent.strip()
    check_text(errors, "purpose", purpose, required=True, multiline=True)
    check_text(errors, "expiry_event", event)
    check_text(errors, "substance_use_consent", consent, multiline=True)
    try:
        categories = ordered(data.categories)
    except ValueError:
        categories = ()
        errors["categories"] = "holds an unknown category"
    if not categories and "categories" not in errors:
        errors["categories"] = "name at least one category of information"
    check_date(errors, "signed_date", data.signed_date, today)
    if data.expiry_date is not None:
        check_date(errors, "expiry_date", data.expiry_date, today, future=True)
        if "expiry_date" not in errors and data.expiry_date < data.signed_date:
            errors["expiry_date"] = "is before the signed date"
    elif not event and "expiry_event" not in errors:
        errors["expiry_date"] = "a release needs an expiry date or an expiry event"
    if Category.SUBSTANCE_USE in categories:
        if not consent and "substance_use_consent" not in errors:
            errors["substance_use_consent"] = (
                "is required to release substance-use information (42 CFR Part 2): "
                "record what the client's specific consent allows"
            )
    elif consent and "substance_use_consent" not in errors:
        errors["substance_use_consent"] = (
            "is recorded only when substance-use information is released"
        )
    if errors:
        raise ValidationError(errors)
    clean = ReleaseInput(
        collaborator_id=data.collaborator_id,
        categories=categories,
        purpose=purpose,
        signed_date=data.signed_date,
        expiry_date=data.expiry_date,
        expiry_event=event,
        substance_use_consent=consent,
    )
    return clean, collaborator


def _write_release(release: Release, data: ReleaseInput) -> None:
    release.collaborator_id = data.collaborator_id
    release.categories = categories_to_text(data.categories)
    release.purpose = data.purpose
    release.signed_date = data.signed_date
    release.expiry_date = data.expiry_date
    release.expiry_event = data.expiry_event
    release.substance_use_consent = data.substance_use_consent


def _followup_due(expiry: date, today: date) -> date:
    return max(expiry - timedelta(days=EXPIRING_DAYS - 1), today)


def _sync_followup(
    session: Session, release: Release, collaborator: Collaborator, today: date
) -> None:
    """Keep the release's follow-up task in step with it (see the module docstring)."""
    task = session.get(Task, release.followup_task_id) if release.followup_task_id else None
    if task is not None and task.deleted_at is not None:
        task = None
    wanted = (
        release.expiry_date is not None
        and release.revoked_date is None
        and release.deleted_at is None
        and release.expiry_date >= today
    )
    if not wanted:
        if task is not None and task.completed_at is None:
            task.deleted_at = utcnow()
        return
    assert release.expiry_date is not None
    due = _followup_due(release.expiry_date, today)
    title = f"Release of information expires {release.expiry_date.isoformat()}: renew or close"
    details = (
        f"Release for {display_name(collaborator.name, collaborator.credentials)} "
        f"({', '.join(c.label.lower() for c in categories_from_text(release.categories))}), "
        f"signed {release.signed_date.isoformat()}. Renew it with the client, or let it end."
    )[:2000]
    if task is not None and task.title == title:
        if task.completed_at is None:
            task.due_date, task.details = due, details
        return  # done for this expiry date: nothing more to do
    if task is not None and task.completed_at is None:
        task.deleted_at = utcnow()  # a different expiry date: this follow-up is replaced
    task = Task(title=title, details=details, due_date=due, client_id=release.client_id)
    session.add(task)
    session.flush()
    release.followup_task_id = task.id


def _settle_renewed(session: Session, release: Release, today: date) -> None:
    """A new release that is active and covers an earlier one's categories renews it: the
    earlier one's open follow-up is marked done."""
    if release_status(release, today) is not ReleaseStatus.ACTIVE:
        return
    covered = set(categories_from_text(release.categories))
    for other in releases_for(session, release.client_id, release.collaborator_id):
        if other.id == release.id or other.followup_task_id is None:
            continue
        if not set(categories_from_text(other.categories)) <= covered:
            continue
        task = session.get(Task, other.followup_task_id)
        if task is not None and task.completed_at is None and task.deleted_at is None:
            task.completed_at = utcnow()


def add_release(
    session: Session, client_id: uuid.UUID, data: ReleaseInput, *, today: date | None = None
) -> uuid.UUID:
    """Record a client's signed release for a collaborator; return its id."""
    day = today or date.today()
    clean, collaborator = _checked_release(session, client_id, data, day)
    release = Release(client_id=client_id)
    _write_release(release, clean)
    session.add(release)
    session.flush()
    _sync_followup(session, release, collaborator, day)
    _settle_renewed(session, release, day)
    session.flush()
    return release.id


def live_release(session: Session, release_id: uuid.UUID) -> Release:
    release = session.get(Release, release_id)
    if release is None or release.deleted_at is not None:
        raise NotFoundError(f"No release of information with id {release_id}.")
    return release


def _disclosures_under(session: Session, release_id: uuid.UUID) -> int:
    return int(
        session.scalar(
            select(func.count()).select_from(Disclosure).where(Disclosure.release_id == release_id)
        )
        or 0
    )


def update_release(
    session: Session, release_id: uuid.UUID, data: ReleaseInput, *, today: date | None = None
) -> None:
    """Correct a release as entered. Refused once anything was disclosed under it (it is the
    evidence of that consent: record a new release instead) and once it is revoked."""
    day = today or date.today()
    release = live_release(session, release_id)
    if release.revoked_date is not None:
        raise ReleaseLocked("This release was revoked and can no longer be changed.")
    if _disclosures_under(session, release_id):
        raise ReleaseLocked(
            "Information was disclosed under this release, so it stays as it was signed. "
            "Record a new release instead, or revoke this one."
        )
    clean, collaborator = _checked_release(session, release.client_id, data, day)
    _write_release(release, clean)
    session.flush()
    _sync_followup(session, release, collaborator, day)
    session.flush()


def revoke_release(
    session: Session, release_id: uuid.UUID, on: date | None = None, *, today: date | None = None
) -> None:
    """Record the client's revocation, in force from ``on`` (default today)."""
    day = today or date.today()
    when = on or day
    release = live_release(session, release_id)
    errors: dict[str, str] = {}
    if release.revoked_date is not None:
        errors["revoked_date"] = f"the release was already revoked on {release.revoked_date}"
    else:
        check_date(errors, "revoked_date", when, day)
        if "revoked_date" not in errors and when < release.signed_date:
            errors["revoked_date"] = "is before the signed date"
    if errors:
        raise ValidationError(errors)
    release.revoked_date = when
    session.flush()
    _sync_followup(session, release, _live_or_any_collaborator(session, release), day)
    session.flush()


def delete_release(session: Session, release_id: uuid.UUID) -> None:
    """Tombstone a release entered by mistake; refused once anything was disclosed under it."""
    release = live_release(session, release_id)
    if _disclosures_under(session, release_id):
        raise ReleaseLocked(
            "Information was disclosed under this release, so it is kept. Revoke it instead."
        )
    release.deleted_at = utcnow()
    session.flush()
    _sync_followup(session, release, _live_or_any_collaborator(session, release), date.today())
    session.flush()


def _live_or_any_collaborator(session: Session, release: Release) -> Collaborator:
    collaborator = session.get(Collaborator, release.collaborator_id)
    assert collaborator is not None  # a foreign key
    return collaborator


def get_release(
    session: Session, release_id: uuid.UUID, *, today: date | None = None
) -> ReleaseRow:
    day = today or date.today()
    release = live_release(session, release_id)
    client = session.get(Client, release.client_id)
    collaborator = session.get(Collaborator, release.collaborator_id)
    assert client is not None and collaborator is not None
    return _release_row(release, client, collaborator, day)


def list_releases(
    session: Session, client_id: uuid.UUID, *, today: date | None = None
) -> list[ReleaseRow]:
    """A client's releases, newest signed first, each with its status on ``today``."""
    day = today or date.today()
    live_client(session, client_id)
    query = _releases_query().where(Release.client_id == client_id)
    rows = [_release_row(r, c, k, day) for r, c, k in session.execute(query)]
    return sorted(rows, key=lambda r: (r.signed_date, r.id), reverse=True)


def releases_needing_attention(session: Session, today: date | None = None) -> list[ReleaseRow]:
    """Releases of current clients that are expiring, or expired in the last
    ``ATTENTION_AFTER_EXPIRY_DAYS`` days, and not yet renewed (no other release for the same
    collaborator that is active and names at least the same categories); soonest first."""
    day = today or date.today()
    query = _releases_query().where(
        Client.deleted_at.is_(None),
        Client.status != ClientStatus.DISCHARGED.value,
        Release.revoked_date.is_(None),
        Release.expiry_date.is_not(None),
        Release.expiry_date >= day - timedelta(days=ATTENTION_AFTER_EXPIRY_DAYS),
        Release.expiry_date < day + timedelta(days=EXPIRING_DAYS),
    )
    found = [_release_row(r, c, k, day) for r, c, k in session.execute(query)]
    result = []
    for row in found:
        renewals = releases_for(session, row.client_id, row.collaborator_id)
        renewed = any(
            other.id != row.id
            and release_status(other, day) is ReleaseStatus.ACTIVE
            and set(categories_from_text(other.categories)) >= set(row.categories)
            for other in renewals
        )
        if not renewed:
            result.append(row)
    return sorted(result, key=lambda r: (r.expiry_date or day, r.client_name, r.id))

"""The care team: collaborators, team links, coordination contacts, releases, disclosures.

Also the pure rules about them: a release's status (computed for a day, never stored),
which categories a release covers, and how a collaborator's name and phone are matched.

A release's **expiry date is the last day it is in force**: on that day it is still
``expiring`` (so sharing is allowed), on the next day it is ``expired``. Its last
``EXPIRING_DAYS`` days in force, the expiry day included, are ``expiring``. A release
whose expiry is an event without a date stays ``active`` until the practitioner records
the day the event happened (as its expiry date) or a revocation. A revocation takes
effect on its own date; whichever ended a release first, expiry or revocation, is its
status afterwards.
"""

from __future__ import annotations

import enum
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal, Protocol, TypeVar

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from mhsw_desktop.domain.base import Base, Record
from mhsw_desktop.domain.text import fold

#: a release in its last this-many days in force (the expiry day included) is "expiring"
EXPIRING_DAYS = 30

#: what must travel with every disclosure of substance-use information (42 CFR 2.32)
SUBSTANCE_USE_REDISCLOSURE_NOTICE = (
    "42 CFR part 2 prohibits unauthorized use or disclosure of these records."
)


class CollaboratorRole(enum.StrEnum):
    PSYCHIATRIST = "psychiatrist"
    PRIMARY_CARE = "primary_care"
    THERAPIST = "therapist"
    SUBSTANCE_USE_COUNSELLOR = "substance_use_counsellor"
    CASE_MANAGER = "case_manager"
    SCHOOL_COUNSELLOR = "school_counsellor"
    PROBATION_PAROLE = "probation_parole"
    ATTORNEY = "attorney"
    CLERGY = "clergy"
    PEER_SUPPORT = "peer_support"
    OTHER = "other"

    @property
    def label(self) -> str:
        return _ROLE_LABELS[self]


_ROLE_LABELS = {
    CollaboratorRole.PSYCHIATRIST: "Psychiatrist",
    CollaboratorRole.PRIMARY_CARE: "Primary-care provider",
    CollaboratorRole.THERAPIST: "Therapist",
    CollaboratorRole.SUBSTANCE_USE_COUNSELLOR: "Substance-use counsellor",
    CollaboratorRole.CASE_MANAGER: "Case manager",
    CollaboratorRole.SCHOOL_COUNSELLOR: "School counsellor",
    CollaboratorRole.PROBATION_PAROLE: "Probation or parole officer",
    CollaboratorRole.ATTORNEY: "Attorney",
    CollaboratorRole.CLERGY: "Clergy",
    CollaboratorRole.PEER_SUPPORT: "Peer support",
    CollaboratorRole.OTHER: "Other",
}


class ContactMethod(enum.StrEnum):
    """How a collaborator prefers to be reached ("" when not said)."""

    NONE = ""
    PHONE = "phone"
    FAX = "fax"
    EMAIL = "email"
    LETTER = "letter"
    SECURE_MESSAGE = "secure_message"

    @property
    def label(self) -> str:
        return {"": "Not said", "secure_message": "Secure message"}.get(
            self.value, self.value.capitalize()
        )


class ContactMode(enum.StrEnum):
    """How a coordination contact took place."""

    PHONE = "phone"
    FAX = "fax"
    LETTER = "letter"
    MEETING = "meeting"
    SECURE_MESSAGE = "secure_message"

    @property
    def label(self) -> str:
        return {"secure_message": "Secure message"}.get(self.value, self.value.capitalize())


class Direction(enum.StrEnum):
    INCOMING = "in"
    OUTGOING = "out"

    @property
    def label(self) -> str:
        return "Incoming" if self is Direction.INCOMING else "Outgoing"


class Category(enum.StrEnum):
    """What a release may cover and what a disclosure contains."""

    ATTENDANCE = "attendance"
    DIAGNOSIS = "diagnosis"
    TREATMENT_PLAN = "treatment_plan"
    PROGRESS_SUMMARIES = "progress_summaries"
    ASSESSMENTS = "assessments"
    #: never covered unless the release names it
    PSYCHOTHERAPY_NOTES = "psychotherapy_notes"
    #: needs the client's specific consent (42 CFR Part 2) recorded on the release
    SUBSTANCE_USE = "substance_use"

    @property
    def label(self) -> str:
        return {
            "treatment_plan": "Treatment plan",
            "progress_summaries": "Progress summaries",
            "psychotherapy_notes": "Psychotherapy notes",
            "substance_use": "Substance-use information",
        }.get(self.value, self.value.capitalize())


#: what a new release form offers ticked: never psychotherapy notes or substance use
DEFAULT_RELEASE_CATEGORIES: tuple[Category, ...] = (
    Category.ATTENDANCE,
    Category.DIAGNOSIS,
    Category.TREATMENT_PLAN,
    Category.PROGRESS_SUMMARIES,
    Category.ASSESSMENTS,
)


class DisclosureMeans(enum.StrEnum):
    PRINT = "print"
    PDF = "pdf"
    FAX = "fax"
    LETTER = "letter"
    VERBAL = "verbal"
    SECURE_MESSAGE = "secure_message"

    @property
    def label(self) -> str:
        return {"pdf": "PDF", "print": "Printed copy", "secure_message": "Secure message"}.get(
            self.value, self.value.capitalize()
        )


class ReleaseStatus(enum.StrEnum):
    ACTIVE = "active"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"

    @property
    def label(self) -> str:
        return self.value.capitalize()

    @property
    def in_force(self) -> bool:
        """Whether sharing under the release is allowed (expiring still is)."""
        return self in (ReleaseStatus.ACTIVE, ReleaseStatus.EXPIRING)


# Field limits, shared by the models, the services and (later) the forms.
CARE_LIMITS: dict[str, int] = {
    "name": 200,
    "credentials": 100,
    "organisation": 200,
    "phone": 40,
    "fax": 40,
    "email": 254,
    "address": 500,
    "notes": 4000,
    "team_role": 100,
    "summary": 4000,
    "purpose": 500,
    "expiry_event": 500,
    "substance_use_consent": 2000,
    "what": 200,
}


# -- models -----------------------------------------------------------------------------
def _in(column: str, values: Iterable[str]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


class Collaborator(Record, Base):
    """Someone outside the practice who works with clients: one directory for every client."""

    __tablename__ = "collaborators"
    __table_args__ = (
        CheckConstraint(_in("role", CollaboratorRole), name="role"),
        CheckConstraint(_in("preferred_contact", ContactMethod), name="preferred_contact"),
        Index("ix_collaborators_sort_name", "sort_name"),
    )

    name: Mapped[str] = mapped_column(String(200))
    credentials: Mapped[str] = mapped_column(String(100), default="")
    role: Mapped[str] = mapped_column(String(30), default=CollaboratorRole.OTHER.value)
    organisation: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(40), default="")
    fax: Mapped[str] = mapped_column(String(40), default="")
    email: Mapped[str] = mapped_column(String(254), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    preferred_contact: Mapped[str] = mapped_column(String(20), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    #: the folded name: the order the directory lists in
    sort_name: Mapped[str] = mapped_column(Text, default="")


class TeamMember(Record, Base):
    """A collaborator on one client's care team, for a period."""

    __tablename__ = "team_members"
    __table_args__ = (
        Index("ix_team_members_client", "client_id"),
        Index("ix_team_members_collaborator", "collaborator_id"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))
    collaborator_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("collaborators.id"))
    #: the part they play for this client ("" = their role in the directory)
    team_role: Mapped[str] = mapped_column(String(100), default="")
    start_date: Mapped[date]
    end_date: Mapped[date | None] = mapped_column(default=None)
    primary_contact: Mapped[bool] = mapped_column(Boolean, default=False)


class CoordinationContact(Record, Base):
    """One exchange with a collaborator about a client (the coordination log)."""

    __tablename__ = "coordination_contacts"
    __table_args__ = (
        CheckConstraint(_in("mode", ContactMode), name="mode"),
        CheckConstraint(_in("direction", Direction), name="direction"),
        Index("ix_coordination_contacts_client_date", "client_id", "contact_date"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))
    collaborator_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("collaborators.id"))
    contact_date: Mapped[date]
    mode: Mapped[str] = mapped_column(String(20))
    direction: Mapped[str] = mapped_column(String(3))
    summary: Mapped[str] = mapped_column(Text)


class Release(Record, Base):
    """A client's signed release of information (ROI) for one collaborator.

    Its status is computed (``release_status``), never stored.
    """

    __tablename__ = "releases"
    __table_args__ = (
        Index("ix_releases_client_collaborator", "client_id", "collaborator_id"),
        Index("ix_releases_expiry", "expiry_date"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))
    collaborator_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("collaborators.id"))
    #: category values, comma-separated in declaration order (``categories_to_text``)
    categories: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    signed_date: Mapped[date]
    #: the last day the release is in force
    expiry_date: Mapped[date | None] = mapped_column(default=None)
    expiry_event: Mapped[str] = mapped_column(Text, default="")
    revoked_date: Mapped[date | None] = mapped_column(default=None)
    #: the specific consent substance-use information needs, as the signed form words it
    substance_use_consent: Mapped[str] = mapped_column(Text, default="")
    #: the follow-up task to renew or close it, kept in step when the release is saved
    followup_task_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("tasks.id"), default=None
    )


class Disclosure(Record, Base):
    """One entry of a client's accounting of disclosures: append-only (a trigger keeps it so).

    What was sent is named (e.g. the report kind), never copied.
    """

    __tablename__ = "disclosures"
    __table_args__ = (
        CheckConstraint(_in("means", DisclosureMeans), name="means"),
        Index("ix_disclosures_client_date", "client_id", "disclosed_on"),
        Index("ix_disclosures_release", "release_id"),
    )

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))
    collaborator_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("collaborators.id"))
    release_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("releases.id"))
    disclosed_on: Mapped[date]
    categories: Mapped[str] = mapped_column(Text)
    means: Mapped[str] = mapped_column(String(20))
    what: Mapped[str] = mapped_column(String(200))
    #: the recipient as they were that day (the directory may change later)
    recipient_name: Mapped[str] = mapped_column(String(300))
    recipient_organisation: Mapped[str] = mapped_column(String(200), default="")


# -- pure rules -------------------------------------------------------------------------
class ReleaseLike(Protocol):
    """What ``release_status`` reads: a model, a row or a test double."""

    @property
    def expiry_date(self) -> date | None: ...

    @property
    def revoked_date(self) -> date | None: ...


def release_status(release: ReleaseLike, today: date) -> ReleaseStatus:
    """The status of ``release`` on ``today`` (see the module docstring for the rules)."""
    expiry, revoked = release.expiry_date, release.revoked_date
    if revoked is not None and revoked <= today and (expiry is None or revoked <= expiry):
        return ReleaseStatus.REVOKED
    if expiry is None:
        return ReleaseStatus.ACTIVE
    days_left = (expiry - today).days
    if days_left < 0:
        return ReleaseStatus.EXPIRED
    return ReleaseStatus.EXPIRING if days_left < EXPIRING_DAYS else ReleaseStatus.ACTIVE


def days_left(release: ReleaseLike, today: date) -> int | None:
    """Days from ``today`` to the expiry day (0 on it, negative after); None without a date."""
    return None if release.expiry_date is None else (release.expiry_date - today).days


def ordered(categories: Iterable[Category | str]) -> tuple[Category, ...]:
    """Categories without repeats, in declaration order (ValueError for an unknown one)."""
    wanted = {Category(c) for c in categories}
    return tuple(c for c in Category if c in wanted)


def categories_to_text(categories: Iterable[Category | str]) -> str:
    """How categories are stored: their values, comma-separated, in declaration order."""
    return ",".join(c.value for c in ordered(categories))


def categories_from_text(text: str) -> tuple[Category, ...]:
    """The stored form read back (unknown values are dropped: they cover nothing)."""
    known = {c.value for c in Category}
    return ordered(v for v in text.split(",") if v in known)


def parse_category(text: str) -> Category:
    """A category from what a person types: its value, its label, dashes or underscores."""
    key = re.sub(r"[\s_\-]+", " ", fold(text.strip()))
    for category in Category:
        if key in (category.value.replace("_", " "), fold(category.label).replace("-", " ")):
            return category
    aliases = {"substance use": Category.SUBSTANCE_USE, "progress": Category.PROGRESS_SUMMARIES}
    if key in aliases:
        return aliases[key]
    raise ValueError(f"{text.strip()!r} is not a category")


def uncovered(
    covered: Iterable[Category | str], requested: Iterable[Category | str]
) -> tuple[Category, ...]:
    """The requested categories a release does not name (psychotherapy notes included:
    a release covers them only when it names them)."""
    have = set(ordered(covered))
    return tuple(c for c in ordered(requested) if c not in have)


_ROLE_WORDS: tuple[tuple[str, CollaboratorRole], ...] = (
    ("psychiatr", CollaboratorRole.PSYCHIATRIST),
    ("primary care", CollaboratorRole.PRIMARY_CARE),
    ("primary-care", CollaboratorRole.PRIMARY_CARE),
    ("pcp", CollaboratorRole.PRIMARY_CARE),
    ("family physician", CollaboratorRole.PRIMARY_CARE),
    ("general practitioner", CollaboratorRole.PRIMARY_CARE),
    ("substance", CollaboratorRole.SUBSTANCE_USE_COUNSELLOR),
    ("addiction", CollaboratorRole.SUBSTANCE_USE_COUNSELLOR),
    ("school", CollaboratorRole.SCHOOL_COUNSELLOR),
    ("probation", CollaboratorRole.PROBATION_PAROLE),
    ("parole", CollaboratorRole.PROBATION_PAROLE),
    ("case manag", CollaboratorRole.CASE_MANAGER),
    ("attorney", CollaboratorRole.ATTORNEY),
    ("lawyer", CollaboratorRole.ATTORNEY),
    ("counsel at law", CollaboratorRole.ATTORNEY),
    ("clergy", CollaboratorRole.CLERGY),
    ("chaplain", CollaboratorRole.CLERGY),
    ("pastor", CollaboratorRole.CLERGY),
    ("peer", CollaboratorRole.PEER_SUPPORT),
    ("therap", CollaboratorRole.THERAPIST),
    ("psychologist", CollaboratorRole.THERAPIST),
)


def role_from_text(text: str) -> CollaboratorRole:
    """A role from free text (a vCard ROLE or TITLE): its value, its label or a telling word;
    OTHER when nothing matches."""
    key = " ".join(fold(text).split())
    if not key:
        return CollaboratorRole.OTHER
    for role in CollaboratorRole:
        if key in (role.value, fold(role.label)):
            return role
    for word, role in _ROLE_WORDS:
        if word in key:
            return role
    return CollaboratorRole.OTHER


def phone_digits(phone: str) -> str:
    """The digits of a phone number ("tel:+1-406-555-0123" -> "14065550123")."""
    return "".join(ch for ch in phone if ch.isdigit())


def same_phone(a: str, b: str) -> bool:
    """Whether two numbers are the same line: equal digits, or equal but for a country code
    of at most three digits on one of them ("+1 406 555 0123" and "(406) 555-0123")."""
    da, db = phone_digits(a), phone_digits(b)
    if da == db:
        return True
    short, long = sorted((da, db), key=len)
    return len(short) >= 7 and long.endswith(short) and len(long) - len(short) <= 3


def name_key(name: str) -> str:
    """A name folded for matching: case, diacritics and spacing ignored."""
    return " ".join(fold(name).split())


def likely_same_collaborator(name_a: str, phone_a: str, name_b: str, phone_b: str) -> bool:
    """Duplicates, as an import sees them: the same folded name and the same phone digits
    (two entries without any phone count as the same phone)."""
    return name_key(name_a) == name_key(name_b) and same_phone(phone_a, phone_b)


# -- the sharing rule ---------------------------------------------------------------------
class ReleaseTerms(ReleaseLike, Protocol):
    """What the sharing rule reads of a release (the model satisfies it)."""

    @property
    def signed_date(self) -> date: ...

    @property
    def categories(self) -> str: ...

    @property
    def substance_use_consent(self) -> str: ...


R = TypeVar("R", bound=ReleaseTerms)

RefusalReason = Literal[
    "no_release", "not_yet_signed", "expired", "revoked", "categories", "substance_use_consent"
]


@dataclass(frozen=True)
class Refusal:
    """Why nothing may be shared, in words that name what is missing (never client data)."""

    reason: RefusalReason
    message: str
    #: the requested categories no release in force covers (or whose consent is missing)
    missing: tuple[Category, ...] = ()


_NOTHING_SHARED = "Nothing was shared."


def _shortfall(release: ReleaseTerms, requested: tuple[Category, ...]) -> tuple[Category, ...]:
    """What ``release`` lacks for ``requested``: uncovered categories, and substance use when
    its specific consent is not recorded."""
    missing = uncovered(categories_from_text(release.categories), requested)
    if (
        Category.SUBSTANCE_USE in requested
        and Category.SUBSTANCE_USE not in missing
        and not release.substance_use_consent.strip()
    ):
        missing = ordered((*missing, Category.SUBSTANCE_USE))
    return missing


def _describe_missing(release: ReleaseTerms, missing: tuple[Category, ...]) -> str:
    named = set(categories_from_text(release.categories))
    parts = []
    for category in missing:
        text = category.label.lower()
        if category is Category.PSYCHOTHERAPY_NOTES:
            text += " (covered only by a release that names them)"
        elif category is Category.SUBSTANCE_USE:
            text += (
                " (named, but the client's specific consent under 42 CFR Part 2 is not recorded)"
                if category in named
                else " (needs a release that names it, with the client's specific consent"
                " under 42 CFR Part 2)"
            )
        parts.append(text)
    return "; ".join(parts)


def sharing_decision(
    releases: Sequence[R], requested: Iterable[Category | str], day: date
) -> R | Refusal:
    """The release that lets ``requested`` be shared on ``day``, or why nothing may be.

    ``releases`` are one client's releases for one collaborator. A release covers a request
    when it is in force that day (signed by then, neither expired nor revoked) and names
    every requested category; substance-use information also needs its specific consent
    recorded. Among covering releases the one with the longest life left is chosen.
    Raises ValueError when nothing is requested.
    """
    wanted = ordered(requested)
    if not wanted:
        raise ValueError("name at least one category of information to share")
    if not releases:
        return Refusal(
            "no_release",
            "There is no release of information from this client for this collaborator. "
            + _NOTHING_SHARED,
            wanted,
        )
    signed = [r for r in releases if r.signed_date <= day]
    if not signed:
        first = min(r.signed_date for r in releases)
        return Refusal(
            "not_yet_signed",
            f"The release of information for this collaborator was signed on "
            f"{first.isoformat()}, after {day.isoformat()}. " + _NOTHING_SHARED,
            wanted,
        )
    in_force = [r for r in signed if release_status(r, day).in_force]
    if not in_force:
        return _ended(signed, day, wanted)

    def rank(release: R) -> tuple[int, int, int, int]:
        left = days_left(release, day)
        return (
            len(_shortfall(release, wanted)),
            0 if release_status(release, day) is ReleaseStatus.ACTIVE else 1,
            -(left if left is not None else 1_000_000),
            -release.signed_date.toordinal(),
        )

    best = min(in_force, key=rank)
    missing = _shortfall(best, wanted)
    if not missing:
        return best
    union: set[Category] = set()
    for release in in_force:
        union |= set(wanted) - set(_shortfall(release, wanted))
    if len(in_force) > 1 and union >= set(wanted):
        return Refusal(
            "categories",
            "No single release of information for this collaborator covers all of: "
            + ", ".join(c.label.lower() for c in wanted)
            + ". Ask the client for one release that names them all, or share them "
            "separately. " + _NOTHING_SHARED,
            missing,
        )
    consent_only = all(
        c is Category.SUBSTANCE_USE and c in categories_from_text(best.categories) for c in missing
    )
    return Refusal(
        "substance_use_consent" if consent_only else "categories",
        f"The release of information for this collaborator (signed "
        f"{best.signed_date.isoformat()}) does not cover: {_describe_missing(best, missing)}. "
        + _NOTHING_SHARED,
        missing,
    )


def _ended(signed: Sequence[R], day: date, wanted: tuple[Category, ...]) -> Refusal:
    """The refusal when every release has expired or been revoked: the latest end is named."""

    def ended_on(release: R) -> date:
        if release_status(release, day) is ReleaseStatus.REVOKED:
            assert release.revoked_date is not None
            return release.revoked_date
        assert release.expiry_date is not None
        return release.expiry_date

    last = max(signed, key=ended_on)
    if release_status(last, day) is ReleaseStatus.REVOKED:
        return Refusal(
            "revoked",
            f"The release of information for this collaborator was revoked on "
            f"{ended_on(last).isoformat()}. " + _NOTHING_SHARED,
            wanted,
        )
    return Refusal(
        "expired",
        f"The release of information for this collaborator expired on "
        f"{ended_on(last).isoformat()}; ask the client to sign a new one. " + _NOTHING_SHARED,
        wanted,
    )

"""Safety plans (Stanley-Brown structure): dated versions, drafts, signing that freezes.

A client has one safety plan; its content is in numbered versions (``domain/plans.py``).
Version 1 starts as a draft whose "professionals and agencies" step holds the clinician
(from the practitioner profile) and the crisis lines of ``resources/crisis_lines/``. A
draft is saved whole, as the practitioner and the client write it together; signing
records the signer as they are that day and a content hash, and freezes the version here
and in the database (triggers). A new version starts from the newest signed one, dated
today, so the plan changes as the client's situation does and every earlier version
stays as it was handed out.

The seven steps are ordered as in Stanley & Brown (2012), "Safety Planning Intervention:
A Brief Intervention to Mitigate Suicide Risk", Cognitive and Behavioral Practice
19(2):256-264. The headings here are this app's own words: the published worksheet is
copyrighted and is not reproduced.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime
from functools import cache
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.ids import utcnow
from mhsw_desktop.domain.language import document_languages, text
from mhsw_desktop.domain.plans import (
    DEFAULT_PROFESSIONAL_CONTACTS,
    PLAN_LIMITS,
    SafetyPlan,
    SafetyPlanVersion,
    VersionStatus,
)
from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError
from mhsw_desktop.resources import resources_dir
from mhsw_desktop.services.care_fields import live_client
from mhsw_desktop.services.plan_versions import check_signer, mark_signed, set_client_signature
from mhsw_desktop.services.practitioner import Signer, get_practitioner
from mhsw_desktop.services.report_data import (
    ClientFacts,
    PracticeHeader,
    client_facts,
    practice_header,
)

#: dates before this are taken for typing mistakes
EARLIEST = date(1990, 1, 1)
#: how many entries one step may hold (a plan the client can use fits on a page or two)
MAX_ENTRIES = 30
CONTACT_LIMITS = {"name": 200, "organisation": 200, "phone": 60, "address": 1_000}


class SafetyPlanSignedError(UserFacingError):
    def __init__(self, number: int) -> None:
        super().__init__(
            f"Version {number} of this safety plan is signed and can no longer be changed. "
            "Start a new version to revise it."
        )


# -- the steps ------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    """One step of the plan: its field, its heading and how the client's copy asks it."""

    key: str
    number: int
    title: str
    #: the question as the client's copy puts it (first person, plain words)
    prompt: str
    kind: Literal["items", "contacts"]


def _step(key: str, number: int, kind: Literal["items", "contacts"]) -> Step:
    """A step with its English heading and question (``resources/i18n/en/safety_plan.json``,
    where the other languages' texts are too)."""
    return Step(key, number, text("en", "safety_plan", f"step.{key}.title"),
                text("en", "safety_plan", f"step.{key}.prompt"), kind)  # fmt: skip


STEPS: tuple[Step, ...] = (
    _step("warning_signs", 1, "items"),
    _step("coping_strategies", 2, "items"),
    _step("distraction_contacts", 3, "contacts"),
    _step("help_contacts", 4, "contacts"),
    _step("professional_contacts", 5, "contacts"),
    _step("environment_safety", 6, "items"),
    _step("reasons_for_living", 7, "items"),
)
STEP_BY_KEY = {step.key: step for step in STEPS}


# -- what goes in and out -------------------------------------------------------------
@dataclass(frozen=True)
class Contact:
    """A person, a place or a service. A place has no phone; only services have an
    organisation (what the service is, its hours) and an address."""

    name: str
    phone: str = ""
    organisation: str = ""
    address: str = ""


@dataclass(frozen=True)
class SafetyPlanInput:
    """A version's whole content, as the editor saves it."""

    plan_date: date
    warning_signs: tuple[str, ...] = ()
    coping_strategies: tuple[str, ...] = ()
    distraction_contacts: tuple[Contact, ...] = ()
    help_contacts: tuple[Contact, ...] = ()
    professional_contacts: tuple[Contact, ...] = ()
    environment_safety: tuple[str, ...] = ()
    reasons_for_living: tuple[str, ...] = ()
    #: how likely the client says they are to use the plan, 0 (not at all) to 10 (certain)
    likelihood_of_use: int | None = None
    #: what might get in the way of using it, and how that will be handled
    barriers: str = ""
    #: the language the client's copy is written in ("" = the client's preferred)
    language: str = ""


@dataclass(frozen=True)
class SafetyPlanView:
    """One version in full."""

    id: uuid.UUID
    plan_id: uuid.UUID
    client_id: uuid.UUID
    version_number: int
    status: VersionStatus
    content: SafetyPlanInput
    signed_at: datetime | None
    signer_name: str
    signer_credentials: str
    signer_licence: str
    content_hash: str
    client_signed_on: date | None

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def plan_date(self) -> date:
        return self.content.plan_date

    def step(self, key: str) -> tuple[Any, ...]:
        """The entries of step ``key`` (strings or :class:`Contact`)."""
        value: tuple[Any, ...] = getattr(self.content, key)
        return value


@dataclass(frozen=True)
class SafetyPlanRow:
    """A line of the version history."""

    id: uuid.UUID
    version_number: int
    status: VersionStatus
    plan_date: date
    signed_at: datetime | None
    signer_name: str


@dataclass(frozen=True)
class SafetyPlanState:
    """A client's safety plan: the newest version in full and the history, newest first."""

    plan_id: uuid.UUID
    client_id: uuid.UUID
    current: SafetyPlanView
    versions: tuple[SafetyPlanRow, ...]

    @property
    def draft(self) -> SafetyPlanView | None:
        return None if self.current.signed else self.current

    @property
    def in_force(self) -> SafetyPlanRow | None:
        """The newest signed version: the one the client was given."""
        return next((row for row in self.versions if row.signed_at is not None), None)


@dataclass(frozen=True)
class SafetyPlanData:
    """What the client's copy and the wallet card print."""

    practice: PracticeHeader
    client: ClientFacts
    version: SafetyPlanView


# -- rules ----------------------------------------------------------------------------
def _clean_items(items: Sequence[str]) -> tuple[str, ...]:
    return tuple(text.strip() for text in items if text.strip())


def _clean_contact(contact: Contact, professional: bool) -> Contact:
    clean = Contact(*(getattr(contact, f.name).strip() for f in fields(Contact)))
    return clean if professional else replace(clean, organisation="", address="")


def clean(data: SafetyPlanInput) -> SafetyPlanInput:
    """Surrounding spaces off, blank entries dropped; people and places keep only a name
    and a phone."""
    values: dict[str, Any] = {}
    for step in STEPS:
        entries = getattr(data, step.key)
        if step.kind == "items":
            values[step.key] = _clean_items(entries)
        else:
            professional = step.key == "professional_contacts"
            values[step.key] = tuple(
                c for c in (_clean_contact(c, professional) for c in entries)
                if any(getattr(c, f.name) for f in fields(Contact))
            )  # fmt: skip
    return replace(data, barriers=data.barriers.strip(), language=data.language.strip(), **values)


def input_errors(data: SafetyPlanInput, today: date) -> dict[str, str]:
    """What is wrong with a (cleaned) version's content, by field."""
    errors: dict[str, str] = {}
    if data.plan_date > today:
        errors["plan_date"] = f"{data.plan_date.isoformat()} is in the future"
    elif data.plan_date < EARLIEST:
        errors["plan_date"] = f"{data.plan_date.isoformat()} is implausibly early"
    for step in STEPS:
        entries = getattr(data, step.key)
        label = f"step {step.number} ({step.title})"
        if len(entries) > MAX_ENTRIES:
            errors[step.key] = f"{label} has {len(entries)} entries; at most {MAX_ENTRIES} fit"
            continue
        for position, entry in enumerate(entries, start=1):
            problem = _entry_error(entry)
            if problem:
                errors[step.key] = f"{label}, entry {position}: {problem}"
                break
    if data.likelihood_of_use is not None and not 0 <= data.likelihood_of_use <= 10:
        errors["likelihood_of_use"] = "must be from 0 (not at all likely) to 10 (certain)"
    limit = PLAN_LIMITS["barriers"]
    if len(data.barriers) > limit:
        errors["barriers"] = f"is {len(data.barriers)} characters long; at most {limit} fit"
    if len(data.language) > PLAN_LIMITS["language"]:
        errors["language"] = "is not a language tag"
    return errors


def _entry_error(entry: str | Contact) -> str:
    if isinstance(entry, str):
        limit = PLAN_LIMITS["section_item"]
        return f"is {len(entry)} characters long; at most {limit} fit" if len(entry) > limit else ""
    if not entry.name:
        return "a name is required (a phone number alone says nothing in a crisis)"
    for name, limit in CONTACT_LIMITS.items():
        value = getattr(entry, name)
        if len(value) > limit:
            return f"the {name} is {len(value)} characters long; at most {limit} fit"
    return ""


def signing_errors(data: SafetyPlanInput) -> dict[str, str]:
    """What a version must hold before it is signed and handed to the client."""
    errors: dict[str, str] = {}
    for key in ("warning_signs", "coping_strategies", "environment_safety"):
        if not getattr(data, key):
            step = STEP_BY_KEY[key]
            errors[key] = f"step {step.number} ({step.title}) needs at least one entry"
    if not any(contact.phone for contact in data.professional_contacts):
        errors["professional_contacts"] = (
            "step 5 needs at least one professional or crisis line with a phone number"
        )
    return errors


def content_hash(view: SafetyPlanView, signed_at: datetime, signer: Signer) -> str:
    """SHA-256 over the version's content as signed, in a canonical JSON form."""
    content = {
        "id": view.id.hex,
        "plan_id": view.plan_id.hex,
        "client_id": view.client_id.hex,
        "version": view.version_number,
        **_stored(view.content),
        "plan_date": view.plan_date.isoformat(),
        "signed_at": signed_at.isoformat(),
        "signer": [signer.name, signer.credentials, signer.licence],
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _contact_json(contact: Contact, professional: bool) -> dict[str, str]:
    out = {"name": contact.name, "phone": contact.phone}
    if professional:
        out.update(organisation=contact.organisation, address=contact.address)
    return out


def _stored(data: SafetyPlanInput) -> dict[str, Any]:
    """The column values of ``data`` (steps as JSON text)."""
    values: dict[str, Any] = {
        "language": data.language,
        "likelihood_of_use": data.likelihood_of_use,
        "barriers": data.barriers,
    }
    for step in STEPS:
        entries = getattr(data, step.key)
        if step.kind == "contacts":
            professional = step.key == "professional_contacts"
            entries = [_contact_json(c, professional) for c in entries]
        values[step.key] = json.dumps(list(entries), ensure_ascii=False)
    return values


def _content(row: SafetyPlanVersion) -> SafetyPlanInput:
    values: dict[str, Any] = {}
    for step in STEPS:
        raw = json.loads(getattr(row, step.key) or "[]")
        if step.kind == "items":
            values[step.key] = tuple(str(entry) for entry in raw)
        else:
            values[step.key] = tuple(
                Contact(*(str(entry.get(f.name, "")) for f in fields(Contact))) for entry in raw
            )
    return SafetyPlanInput(
        plan_date=row.plan_date,
        likelihood_of_use=row.likelihood_of_use,
        barriers=row.barriers,
        language=row.language,
        **values,
    )


# -- differences ----------------------------------------------------------------------
def _entry_words(entry: str | Contact) -> str:
    if isinstance(entry, str):
        return f"“{entry[:77] + '…' if len(entry) > 80 else entry}”"
    return f"“{entry.name}”" + (f" ({entry.phone})" if entry.phone else "")


def diff(old: SafetyPlanInput, new: SafetyPlanInput) -> list[str]:
    """What changed from ``old`` to ``new``, step by step, in words."""
    lines: list[str] = []
    for step in STEPS:
        before, after = getattr(old, step.key), getattr(new, step.key)
        where = f"Step {step.number} ({step.title})"
        if step.kind == "contacts":
            names_before = {c.name.casefold(): c for c in before}
            names_after = {c.name.casefold(): c for c in after}
            for c in after:
                was = names_before.get(c.name.casefold())
                if was is None:
                    lines.append(f"{where}: added {_entry_words(c)}")
                elif was != c:
                    lines.append(f"{where}: changed {_entry_words(was)} to {_entry_words(c)}")
            lines += [f"{where}: removed {_entry_words(c)}" for c in before
                      if c.name.casefold() not in names_after]  # fmt: skip
        else:
            lines += [f"{where}: added {_entry_words(e)}" for e in after if e not in before]
            lines += [f"{where}: removed {_entry_words(e)}" for e in before if e not in after]
    if old.likelihood_of_use != new.likelihood_of_use:
        lines.append(
            f"Likelihood of use: {_likelihood(old.likelihood_of_use)} → "
            f"{_likelihood(new.likelihood_of_use)}"
        )
    if old.barriers != new.barriers:
        lines.append("Barriers: changed")
    return lines


def _likelihood(value: int | None) -> str:
    return "not recorded" if value is None else f"{value} of 10"


# -- defaults -------------------------------------------------------------------------
@dataclass(frozen=True)
class CrisisLine:
    """A default crisis line: its English contact, its texts in other languages, and the
    English texts it had in earlier versions of the app."""

    contact: Contact
    translations: dict[str, Contact]
    earlier: tuple[Contact, ...] = ()

    def matches(self, contact: Contact) -> bool:
        """Whether ``contact`` is this line as the app wrote it, never edited."""
        return contact in (self.contact, *self.earlier, *self.translations.values())

    def in_language(self, code: str) -> Contact:
        return self.translations.get(code, self.contact)


@cache
def _crisis_line_defaults() -> tuple[CrisisLine, ...]:
    """The crisis lines of ``resources/crisis_lines/us.json``."""
    path = resources_dir() / "crisis_lines" / "us.json"
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("format") != "mhsw-crisis-lines":
            raise ValueError("not a crisis-line file")
        entries = document["contacts"]
    except (OSError, ValueError, KeyError):
        entries = DEFAULT_PROFESSIONAL_CONTACTS  # a broken install still names 988
    lines = []
    for entry in entries:
        english = _contact_of(entry)
        translations = {
            str(code): replace(english, **{k: str(v) for k, v in texts.items() if k != "phone"})
            for code, texts in dict(entry.get("translations", {})).items()
        }
        earlier = tuple(replace(english, organisation=str(o)) for o in entry.get("earlier", ()))
        lines.append(CrisisLine(english, translations, earlier))
    return tuple(lines)


def _contact_of(entry: dict[str, Any]) -> Contact:
    return Contact(*(str(entry.get(f.name, "")) for f in fields(Contact)))


def crisis_lines(language: str = "en") -> tuple[Contact, ...]:
    """The crisis lines a new plan starts with, in ``language`` where they have it."""
    return tuple(line.in_language(language) for line in _crisis_line_defaults())


def in_language(contact: Contact, language: str) -> Contact:
    """``contact`` in ``language`` when it is a default crisis line nobody has edited (a
    plan made in English prints its crisis lines in Spanish); otherwise as written."""
    for line in _crisis_line_defaults():
        if line.matches(contact):
            return line.in_language(language)
    return contact


def default_professionals(session: Session, language: str = "en") -> tuple[Contact, ...]:
    """The clinician (from the practitioner profile) and the crisis lines in ``language``."""
    profile = get_practitioner(session)
    clinician: tuple[Contact, ...] = ()
    if profile.name:
        who = f"{profile.name}, {profile.credentials}" if profile.credentials else profile.name
        clinician = (
            Contact(who, profile.phone,
                    profile.practice_name or text(language, "safety_plan", "my_clinician"),
                    profile.address),
        )  # fmt: skip
    return clinician + crisis_lines(language)


# -- helpers --------------------------------------------------------------------------
def _plan_of(session: Session, client_id: uuid.UUID) -> SafetyPlan | None:
    return session.scalars(
        select(SafetyPlan).where(SafetyPlan.client_id == client_id, SafetyPlan.deleted_at.is_(None))
    ).first()


def _version(session: Session, version_id: uuid.UUID) -> SafetyPlanVersion:
    version = session.get(SafetyPlanVersion, version_id)
    if version is None or version.deleted_at is not None:
        raise NotFoundError(f"No safety plan version with id {version_id}.")
    return version


def _draft(session: Session, version_id: uuid.UUID) -> SafetyPlanVersion:
    version = _version(session, version_id)
    if version.signed_at is not None:
        raise SafetyPlanSignedError(version.version_number)
    return version


def _versions(session: Session, plan_id: uuid.UUID) -> list[SafetyPlanVersion]:
    return list(
        session.scalars(
            select(SafetyPlanVersion)
            .where(SafetyPlanVersion.plan_id == plan_id, SafetyPlanVersion.deleted_at.is_(None))
            .order_by(SafetyPlanVersion.version_number.desc())
        )
    )


def _view(session: Session, row: SafetyPlanVersion) -> SafetyPlanView:
    plan = session.get(SafetyPlan, row.plan_id)
    assert plan is not None
    return SafetyPlanView(
        id=row.id,
        plan_id=row.plan_id,
        client_id=plan.client_id,
        version_number=row.version_number,
        status=VersionStatus(row.status),
        content=_content(row),
        signed_at=row.signed_at,
        signer_name=row.signer_name,
        signer_credentials=row.signer_credentials,
        signer_licence=row.signer_licence,
        content_hash=row.content_hash,
        client_signed_on=row.client_signed_on,
    )


def _checked(data: SafetyPlanInput, today: date) -> SafetyPlanInput:
    cleaned = clean(data)
    errors = input_errors(cleaned, today)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _write(row: SafetyPlanVersion, data: SafetyPlanInput) -> None:
    row.plan_date = data.plan_date
    for name, value in _stored(data).items():
        setattr(row, name, value)


# -- use cases: reading ---------------------------------------------------------------
def get_safety_plan(session: Session, client_id: uuid.UUID) -> SafetyPlanState | None:
    """The client's safety plan (newest version in full), or None when there is none."""
    live_client(session, client_id)
    plan = _plan_of(session, client_id)
    versions = _versions(session, plan.id) if plan is not None else []
    if plan is None or not versions:
        return None
    return SafetyPlanState(
        plan_id=plan.id,
        client_id=client_id,
        current=_view(session, versions[0]),
        versions=tuple(
            SafetyPlanRow(v.id, v.version_number, VersionStatus(v.status), v.plan_date,
                          v.signed_at, v.signer_name)
            for v in versions
        ),
    )  # fmt: skip


def get_version(session: Session, version_id: uuid.UUID) -> SafetyPlanView:
    return _view(session, _version(session, version_id))


def version_by_number(session: Session, client_id: uuid.UUID, number: int) -> SafetyPlanView:
    state = get_safety_plan(session, client_id)
    row = next((r for r in state.versions if r.version_number == number), None) if state else None
    if row is None:
        raise NotFoundError(f"This client's safety plan has no version {number}.")
    return get_version(session, row.id)


def diff_with_previous(session: Session, version_id: uuid.UUID) -> list[str] | None:
    """What changed since the version before ``version_id``; None for the first."""
    version = _version(session, version_id)
    previous = session.scalars(
        select(SafetyPlanVersion)
        .where(
            SafetyPlanVersion.plan_id == version.plan_id,
            SafetyPlanVersion.version_number < version.version_number,
            SafetyPlanVersion.deleted_at.is_(None),
        )
        .order_by(SafetyPlanVersion.version_number.desc())
        .limit(1)
    ).first()
    if previous is None:
        return None
    return diff(_content(previous), _content(version))


def clients_with_safety_plan(session: Session, client_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Which of ``client_ids`` have a safety plan (signed or not)."""
    if not client_ids:
        return set()
    return set(
        session.scalars(
            select(SafetyPlan.client_id)
            .join(SafetyPlanVersion, SafetyPlanVersion.plan_id == SafetyPlan.id)
            .where(
                SafetyPlan.client_id.in_(client_ids),
                SafetyPlan.deleted_at.is_(None),
                SafetyPlanVersion.deleted_at.is_(None),
            )
        )
    )


def safety_plan_data(
    session: Session, client_id: uuid.UUID, version_id: uuid.UUID | None = None
) -> SafetyPlanData:
    """A version as it prints: the newest unless ``version_id`` names another of the
    client's (NotFoundError when the client has no safety plan)."""
    state = get_safety_plan(session, client_id)
    if state is None:
        raise NotFoundError("This client has no safety plan yet.")
    version = state.current
    if version_id is not None and version_id != version.id:
        version = get_version(session, version_id)
        if version.client_id != client_id:
            raise NotFoundError("That safety plan version belongs to another client.")
    return SafetyPlanData(practice_header(session), client_facts(session, client_id), version)


# -- use cases: writing ---------------------------------------------------------------
def create_safety_plan(
    session: Session,
    client_id: uuid.UUID,
    data: SafetyPlanInput | None = None,
    *,
    today: date | None = None,
) -> uuid.UUID:
    """Start the client's safety plan: version 1, a draft. Without ``data`` it is dated
    today and step 5 holds the clinician and the crisis lines. Returns the version's id."""
    today = today or date.today()
    client = live_client(session, client_id)
    if _plan_of(session, client_id) is not None:
        raise ValidationError(
            {"plan": "this client already has a safety plan: edit its draft or start a new version"}
        )
    if data is None:
        # the crisis lines in the language the client's copy will be in
        lead = document_languages(client.preferred_language, client.document_language)[0]
        data = SafetyPlanInput(today, professional_contacts=default_professionals(session, lead))
    checked = _checked(data, today)
    plan = SafetyPlan(client_id=client_id)
    session.add(plan)
    session.flush()
    row = SafetyPlanVersion(plan_id=plan.id, version_number=1, plan_date=checked.plan_date)
    _write(row, checked)
    session.add(row)
    session.flush()
    return row.id


def update_draft(
    session: Session, version_id: uuid.UUID, data: SafetyPlanInput, *, today: date | None = None
) -> None:
    """Save a draft's whole content (SafetyPlanSignedError once it is signed)."""
    row = _draft(session, version_id)
    _write(row, _checked(data, today or date.today()))
    session.flush()


def sign_version(
    session: Session, version_id: uuid.UUID, signer: Signer, *, now: datetime | None = None
) -> str:
    """Freeze a complete draft with the signer as they are today; return its content hash.

    The caller has already asked for the passphrase again (``Vault.check_passphrase``).
    """
    row = _draft(session, version_id)
    check_signer(signer)
    view = _view(session, row)
    errors = signing_errors(view.content)
    if errors:
        raise ValidationError(errors)
    signed_at = now or utcnow()
    digest = content_hash(view, signed_at, signer)
    mark_signed(row, signer, signed_at, digest)
    session.flush()
    return digest


def record_client_signature(
    session: Session, version_id: uuid.UUID, signed_on: date, *, today: date | None = None
) -> None:
    """The day the client signed the (signed) version; recorded once."""
    row = _version(session, version_id)
    set_client_signature(row, signed_on, today or date.today(), "the safety plan")
    session.flush()


def start_new_version(
    session: Session, client_id: uuid.UUID, *, today: date | None = None
) -> uuid.UUID:
    """A new draft copied from the newest (signed) version and dated today; returns its
    id. Refused while a draft is open."""
    today = today or date.today()
    live_client(session, client_id)
    plan = _plan_of(session, client_id)
    versions = _versions(session, plan.id) if plan is not None else []
    if plan is None or not versions:
        raise ValidationError({"plan": "this client has no safety plan yet"})
    source = versions[0]
    if source.signed_at is None:
        raise ValidationError(
            {"plan": f"version {source.version_number} is still a draft: "
                     "finish and sign it before starting a new version"}
        )  # fmt: skip
    number = (session.scalar(
        select(func.max(SafetyPlanVersion.version_number))
        .where(SafetyPlanVersion.plan_id == plan.id)
    ) or 0) + 1  # fmt: skip
    content = replace(_content(source), plan_date=max(today, source.plan_date))
    row = SafetyPlanVersion(plan_id=plan.id, version_number=number, plan_date=content.plan_date)
    _write(row, content)
    session.add(row)
    session.flush()
    return row.id


def discard_draft(session: Session, version_id: uuid.UUID) -> None:
    """Drop a new version's draft (version 2 or later); the signed versions stay.

    Version 1 is never discarded: while it is a draft it is simply edited.
    """
    row = _draft(session, version_id)
    if row.version_number == 1:
        raise ValidationError(
            {"version": "version 1 is the plan itself: change its draft instead of discarding it"}
        )
    row.deleted_at = utcnow()
    session.flush()


# -- machine-readable form (``mhsw safety-plan show --json``) -------------------------
def _entry_json(entry: str | Contact, professional: bool) -> str | dict[str, str]:
    return entry if isinstance(entry, str) else _contact_json(entry, professional)


def version_json(view: SafetyPlanView) -> dict[str, Any]:
    """One version as the command line's ``--json`` gives it (a public contract)."""
    content = view.content
    return {
        "id": str(view.id),
        "number": view.version_number,
        "status": view.status.value,
        "plan_date": view.plan_date.isoformat(),
        "language": content.language,
        "steps": [
            {
                "number": step.number,
                "key": step.key,
                "title": step.title,
                "entries": [
                    _entry_json(entry, step.key == "professional_contacts")
                    for entry in getattr(content, step.key)
                ],
            }
            for step in STEPS
        ],
        "likelihood_of_use": content.likelihood_of_use,
        "barriers": content.barriers,
        "signed_at": view.signed_at.isoformat(timespec="seconds") if view.signed_at else None,
        "signer": {
            "name": view.signer_name,
            "credentials": view.signer_credentials,
            "licence": view.signer_licence,
        }
        if view.signed
        else None,
        "content_hash": view.content_hash or None,
        "client_signed_on": view.client_signed_on.isoformat() if view.client_signed_on else None,
    }


def row_json(row: SafetyPlanRow) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "number": row.version_number,
        "status": row.status.value,
        "plan_date": row.plan_date.isoformat(),
        "signed_at": row.signed_at.isoformat(timespec="seconds") if row.signed_at else None,
        "signer_name": row.signer_name or None,
    }

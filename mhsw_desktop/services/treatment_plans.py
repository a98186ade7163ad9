"""Treatment plans: drafts edited item by item, signing that freezes, reviews, differences.

A client has one plan; its content is in numbered versions (``domain/plans.py``). Version
1 starts as a draft; problems, measurable goals, dated objectives and interventions (with
who is responsible) are added, changed and removed while it is a draft. Signing records
the signer as they are that day and a content hash, and freezes the version here (every
entry point checks) and in the database (triggers). A review starts a new draft copied
from the last signed version, keeping each item's ``lineage_id`` so that versions can be
compared (:func:`diff_versions`). A plan is "review overdue" the day after its review date
(:data:`REVIEW_INTERVAL_DAYS` after the plan date unless another date is set).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.client import Client
from mhsw_desktop.domain.ids import new_id, utcnow
from mhsw_desktop.domain.note import Diagnosis, Note
from mhsw_desktop.domain.plans import (
    PLAN_LIMITS,
    GoalStatus,
    NoteGoalLink,
    PlanGoal,
    PlanIntervention,
    PlanObjective,
    PlanProblem,
    TreatmentPlan,
    TreatmentPlanVersion,
    VersionStatus,
)
from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError
from mhsw_desktop.services.plan_versions import check_signer, mark_signed, set_client_signature
from mhsw_desktop.services.practitioner import Signer
from mhsw_desktop.services.report_data import (
    ClientFacts,
    PracticeHeader,
    client_facts,
    practice_header,
)

#: a plan is reviewed this many days after its date unless another review date is set
REVIEW_INTERVAL_DAYS = 90
#: dates before this are taken for typing mistakes
EARLIEST = date(1990, 1, 1)
#: a target or review date further ahead than this many days is taken for a typing mistake
FURTHEST_DAYS = 5 * 366

_Item = TypeVar("_Item", PlanProblem, PlanGoal, PlanObjective, PlanIntervention)


class PlanSignedError(UserFacingError):
    def __init__(self, number: int) -> None:
        super().__init__(
            f"Version {number} of this treatment plan is signed and can no longer be "
            "changed. Start a review to make a new version."
        )


# -- what goes in ---------------------------------------------------------------------
@dataclass(frozen=True)
class VersionInput:
    """The version's own fields (its items are edited one by one)."""

    plan_date: date
    review_date: date | None
    summary: str = ""


@dataclass(frozen=True)
class ProblemInput:
    description: str
    diagnosis_id: uuid.UUID | None = None


@dataclass(frozen=True)
class GoalInput:
    description: str
    status: GoalStatus = GoalStatus.NOT_STARTED
    #: a measure that shows progress ("phq9"), "" when measured otherwise
    measure_kind: str = ""
    target_score: int | None = None


@dataclass(frozen=True)
class ObjectiveInput:
    description: str
    target_date: date | None = None
    status: GoalStatus = GoalStatus.NOT_STARTED


@dataclass(frozen=True)
class InterventionInput:
    description: str
    responsible: str = ""
    frequency: str = ""
    #: the objective it serves, when one in particular (of the same goal)
    objective_id: uuid.UUID | None = None


# -- what comes out -------------------------------------------------------------------
@dataclass(frozen=True)
class LinkedNote:
    note_id: uuid.UUID
    session_date: date


@dataclass(frozen=True)
class InterventionView:
    id: uuid.UUID
    lineage_id: uuid.UUID
    goal_id: uuid.UUID
    objective_id: uuid.UUID | None
    description: str
    responsible: str
    frequency: str


@dataclass(frozen=True)
class ObjectiveView:
    id: uuid.UUID
    lineage_id: uuid.UUID
    goal_id: uuid.UUID
    description: str
    target_date: date | None
    status: GoalStatus


@dataclass(frozen=True)
class GoalView:
    id: uuid.UUID
    lineage_id: uuid.UUID
    problem_id: uuid.UUID
    description: str
    status: GoalStatus
    measure_kind: str
    target_score: int | None
    objectives: tuple[ObjectiveView, ...]
    #: every intervention of the goal (``objective_id`` says which serve one objective)
    interventions: tuple[InterventionView, ...]
    #: notes linked to this goal in any version (followed by lineage), oldest first
    notes: tuple[LinkedNote, ...] = ()


@dataclass(frozen=True)
class ProblemView:
    id: uuid.UUID
    lineage_id: uuid.UUID
    description: str
    diagnosis_id: uuid.UUID | None
    #: "F32.1 Major depressive disorder, single episode, moderate" or ""
    diagnosis: str
    goals: tuple[GoalView, ...]


@dataclass(frozen=True)
class VersionView:
    id: uuid.UUID
    plan_id: uuid.UUID
    client_id: uuid.UUID
    version_number: int
    status: VersionStatus
    plan_date: date
    review_date: date | None
    summary: str
    signed_at: datetime | None
    signer_name: str
    signer_credentials: str
    signer_licence: str
    content_hash: str
    client_signed_on: date | None
    problems: tuple[ProblemView, ...]

    @property
    def signed(self) -> bool:
        return self.signed_at is not None

    @property
    def due_for_review(self) -> date:
        """The review date, or the plan date plus the default interval."""
        return self.review_date or self.plan_date + timedelta(days=REVIEW_INTERVAL_DAYS)

    def goals(self) -> list[GoalView]:
        return [goal for problem in self.problems for goal in problem.goals]


@dataclass(frozen=True)
class VersionRow:
    """A line of the version history."""

    id: uuid.UUID
    version_number: int
    status: VersionStatus
    plan_date: date
    review_date: date | None
    signed_at: datetime | None
    signer_name: str
    client_signed_on: date | None


@dataclass(frozen=True)
class PlanView:
    """A client's plan: its newest version in full, the history, and the review state."""

    plan_id: uuid.UUID
    client_id: uuid.UUID
    current: VersionView
    #: newest first
    versions: tuple[VersionRow, ...]
    #: the day the plan is due for review (of the last signed version, else the draft's)
    review_due: date
    review_overdue: bool

    @property
    def draft(self) -> VersionView | None:
        return None if self.current.signed else self.current


@dataclass(frozen=True)
class PlanDue:
    """A plan past its review date (for the Today view and the command line)."""

    client_id: uuid.UUID
    client_name: str
    version_number: int
    review_due: date
    days_overdue: int


@dataclass(frozen=True)
class TreatmentPlanData:
    """What the printed treatment plan needs."""

    practice: PracticeHeader
    client: ClientFacts
    version: VersionView
    review_overdue: bool


# -- rules ----------------------------------------------------------------------------
def review_due(plan_date: date, review_date: date | None) -> date:
    return review_date or plan_date + timedelta(days=REVIEW_INTERVAL_DAYS)


def is_review_overdue(due: date, today: date) -> bool:
    """Overdue from the day after the review date (on the day itself it is due, not late)."""
    return today > due


def _text_errors(field: str, text: str, limit_key: str, *, required: bool) -> dict[str, str]:
    limit = PLAN_LIMITS[limit_key]
    if required and not text.strip():
        return {field: "is required"}
    if len(text) > limit:
        return {field: f"is {len(text)} characters long; at most {limit} fit"}
    return {}


def _date_errors(field: str, value: date | None, today: date) -> dict[str, str]:
    if value is None:
        return {}
    if value < EARLIEST:
        return {field: f"{value.isoformat()} is implausibly early"}
    if value > today + timedelta(days=FURTHEST_DAYS):
        return {field: f"{value.isoformat()} is more than five years ahead"}
    return {}


def version_errors(data: VersionInput, today: date) -> dict[str, str]:
    errors = _text_errors("summary", data.summary, "summary", required=False)
    if data.plan_date > today:
        errors["plan_date"] = f"{data.plan_date.isoformat()} is in the future"
    errors.update(_date_errors("plan_date", data.plan_date, today))
    errors.update(_date_errors("review_date", data.review_date, today))
    if data.review_date is not None and data.review_date <= data.plan_date:
        errors.setdefault("review_date", "must be after the plan date")
    return errors


def goal_errors(data: GoalInput) -> dict[str, str]:
    errors = _text_errors("goal", data.description, "goal", required=True)
    errors.update(_text_errors("measure", data.measure_kind, "measure_kind", required=False))
    if data.target_score is not None and not 0 <= data.target_score <= 1000:
        errors["target_score"] = "must be a score between 0 and 1000"
    if data.target_score is not None and not data.measure_kind.strip():
        errors.setdefault("target_score", "needs the measure it is a score on")
    return errors


def objective_errors(data: ObjectiveInput, today: date) -> dict[str, str]:
    errors = _text_errors("objective", data.description, "objective", required=True)
    errors.update(_date_errors("target_date", data.target_date, today))
    return errors


def intervention_errors(data: InterventionInput) -> dict[str, str]:
    errors = _text_errors("intervention", data.description, "intervention", required=True)
    errors.update(_text_errors("responsible", data.responsible, "responsible", required=False))
    errors.update(_text_errors("frequency", data.frequency, "frequency", required=False))
    return errors


def signing_errors(version: VersionView) -> dict[str, str]:
    """What a version must have before it is signed."""
    errors: dict[str, str] = {}
    if not version.problems:
        errors["problems"] = "add at least one problem before signing"
    elif any(not p.goals for p in version.problems):
        errors["goals"] = "every problem needs at least one measurable goal before signing"
    elif any(not g.objectives for g in version.goals()):
        errors["objectives"] = "every goal needs at least one objective before signing"
    return errors


def content_hash(version: VersionView, signed_at: datetime, signer: Signer) -> str:
    """SHA-256 over the version's content as signed, in a canonical JSON form."""

    def goal(g: GoalView) -> dict[str, Any]:
        return {
            "id": g.id.hex,
            "lineage": g.lineage_id.hex,
            "description": g.description,
            "status": g.status.value,
            "measure": g.measure_kind,
            "target_score": g.target_score,
            "objectives": [
                [
                    o.id.hex,
                    o.lineage_id.hex,
                    o.description,
                    o.target_date.isoformat() if o.target_date else None,
                    o.status.value,
                ]
                for o in g.objectives
            ],
            "interventions": [
                [
                    i.id.hex,
                    i.lineage_id.hex,
                    i.objective_id.hex if i.objective_id else None,
                    i.description,
                    i.responsible,
                    i.frequency,
                ]
                for i in g.interventions
            ],
        }

    content = {
        "id": version.id.hex,
        "plan_id": version.plan_id.hex,
        "client_id": version.client_id.hex,
        "version": version.version_number,
        "plan_date": version.plan_date.isoformat(),
        "review_date": version.review_date.isoformat() if version.review_date else None,
        "summary": version.summary,
        "problems": [
            {
                "id": p.id.hex,
                "lineage": p.lineage_id.hex,
                "description": p.description,
                "diagnosis_id": p.diagnosis_id.hex if p.diagnosis_id else None,
                "goals": [goal(g) for g in p.goals],
            }
            for p in version.problems
        ],
        "signed_at": signed_at.isoformat(),
        "signer": [signer.name, signer.credentials, signer.licence],
    }
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# -- differences ----------------------------------------------------------------------
def _quote(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return f"“{flat if len(flat) <= limit else flat[: limit - 1] + '…'}”"


def _day(value: date | None) -> str:
    return value.isoformat() if value else "none"


def diff(old: VersionView, new: VersionView) -> list[str]:
    """What changed from ``old`` to ``new``, in words, in the order of ``new``'s plan.

    Items are matched by lineage (the same problem, goal, objective or intervention
    across versions), so a rewording is "changed", not "removed" and "added".
    """
    out: list[str] = []
    if old.plan_date != new.plan_date:
        out.append(f"Plan date changed from {_day(old.plan_date)} to {_day(new.plan_date)}.")
    if old.review_date != new.review_date:
        out.append(f"Review date changed from {_day(old.review_date)} to {_day(new.review_date)}.")
    if old.summary != new.summary:
        out.append("Summary changed.")

    def compare(kind: str, before: Any, after: Any, fields: Sequence[tuple[str, str]]) -> None:
        for attr, label in fields:
            a, b = getattr(before, attr), getattr(after, attr)
            if a == b:
                continue
            if attr == "description":
                out.append(f"{kind} {_quote(a)} reworded: now {_quote(b)}.")
            else:
                out.append(f"{kind} {_quote(after.description)}: {label} changed from "
                           f"{_words(a)} to {_words(b)}.")  # fmt: skip

    def children(
        kind: str,
        before: Iterable[Any],
        after: Iterable[Any],
        fields: Sequence[tuple[str, str]],
        deeper: Any = None,
    ) -> None:
        old_by = {item.lineage_id: item for item in before}
        new_ids = set()
        for item in after:
            new_ids.add(item.lineage_id)
            previous = old_by.get(item.lineage_id)
            if previous is None:
                out.append(f"{kind} added: {_quote(item.description)}.")
                continue
            compare(kind, previous, item, fields)
            if deeper is not None:
                deeper(previous, item)
        for lineage, item in old_by.items():
            if lineage not in new_ids:
                out.append(f"{kind} removed: {_quote(item.description)}.")

    def goal_children(before: GoalView, after: GoalView) -> None:
        children(
            "Objective",
            before.objectives,
            after.objectives,
            (("description", ""), ("target_date", "target date"), ("status", "status")),
        )
        children("Intervention", before.interventions, after.interventions,
                 (("description", ""), ("responsible", "who is responsible"),
                  ("frequency", "frequency")))  # fmt: skip

    def problem_children(before: ProblemView, after: ProblemView) -> None:
        children("Goal", before.goals, after.goals,
                 (("description", ""), ("status", "status"), ("measure_kind", "measure"),
                  ("target_score", "target score")), goal_children)  # fmt: skip

    children("Problem", old.problems, new.problems,
             (("description", ""), ("diagnosis", "diagnosis")), problem_children)  # fmt: skip
    return out


def _words(value: Any) -> str:
    if isinstance(value, GoalStatus):
        return value.label.lower()
    if isinstance(value, date):
        return value.isoformat()
    if value is None or value == "":
        return "none"
    return _quote(str(value))


# -- helpers --------------------------------------------------------------------------
def _client(session: Session, client_id: uuid.UUID) -> Client:
    client = session.get(Client, client_id)
    if client is None or client.deleted_at is not None:
        raise NotFoundError(f"No client with id {client_id}.")
    return client


def _plan_of(session: Session, client_id: uuid.UUID) -> TreatmentPlan | None:
    return session.scalars(
        select(TreatmentPlan).where(
            TreatmentPlan.client_id == client_id, TreatmentPlan.deleted_at.is_(None)
        )
    ).first()


def _version(session: Session, version_id: uuid.UUID) -> TreatmentPlanVersion:
    version = session.get(TreatmentPlanVersion, version_id)
    if version is None or version.deleted_at is not None:
        raise NotFoundError(f"No treatment plan version with id {version_id}.")
    return version


def _draft(session: Session, version_id: uuid.UUID) -> TreatmentPlanVersion:
    version = _version(session, version_id)
    if version.signed_at is not None:
        raise PlanSignedError(version.version_number)
    return version


def _item(session: Session, model: type[_Item], item_id: uuid.UUID) -> _Item:
    row = session.get(model, item_id)
    if row is None or row.deleted_at is not None:
        what = model.__name__.removeprefix("Plan").lower()
        raise NotFoundError(f"No {what} with id {item_id} in any treatment plan.")
    return row


def _editable(session: Session, model: type[_Item], item_id: uuid.UUID) -> _Item:
    row = _item(session, model, item_id)
    _draft(session, row.version_id)
    return row


def _live(model: Any, version_id: uuid.UUID) -> Any:
    return (
        select(model)
        .where(model.version_id == version_id, model.deleted_at.is_(None))
        .order_by(model.position, model.created_at)
    )


def _next_position(session: Session, model: Any, *where: Any) -> int:
    last = session.scalar(
        select(func.max(model.position)).where(model.deleted_at.is_(None), *where)
    )
    return 0 if last is None else int(last) + 1


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError(errors)


def _check_diagnosis(
    session: Session, version: TreatmentPlanVersion, diagnosis_id: uuid.UUID | None
) -> None:
    if diagnosis_id is None:
        return
    diagnosis = session.get(Diagnosis, diagnosis_id)
    plan = session.get(TreatmentPlan, version.plan_id)
    if diagnosis is None or diagnosis.deleted_at is not None or plan is None:
        raise ValidationError({"diagnosis": "is not one of this client's diagnoses"})
    if diagnosis.client_id != plan.client_id:
        raise ValidationError({"diagnosis": "is not one of this client's diagnoses"})


def _load(session: Session, version: TreatmentPlanVersion) -> VersionView:
    plan = session.get(TreatmentPlan, version.plan_id)
    assert plan is not None
    problems = list(session.scalars(_live(PlanProblem, version.id)))
    goals = list(session.scalars(_live(PlanGoal, version.id)))
    objectives = list(session.scalars(_live(PlanObjective, version.id)))
    interventions = list(session.scalars(_live(PlanIntervention, version.id)))
    diagnosis_ids = {p.diagnosis_id for p in problems if p.diagnosis_id is not None}
    diagnoses = {
        d.id: f"{d.code} {d.description}"
        for d in session.scalars(select(Diagnosis).where(Diagnosis.id.in_(diagnosis_ids)))
    } if diagnosis_ids else {}  # fmt: skip
    notes = _linked_notes(session, {g.lineage_id for g in goals})

    def goal_view(g: PlanGoal) -> GoalView:
        return GoalView(
            id=g.id,
            lineage_id=g.lineage_id,
            problem_id=g.problem_id,
            description=g.description,
            status=GoalStatus(g.status),
            measure_kind=g.measure_kind,
            target_score=g.target_score,
            objectives=tuple(
                ObjectiveView(
                    o.id,
                    o.lineage_id,
                    o.goal_id,
                    o.description,
                    o.target_date,
                    GoalStatus(o.status),
                )
                for o in objectives
                if o.goal_id == g.id
            ),
            interventions=tuple(
                InterventionView(
                    i.id,
                    i.lineage_id,
                    i.goal_id,
                    i.objective_id,
                    i.description,
                    i.responsible,
                    i.frequency,
                )
                for i in interventions
                if i.goal_id == g.id
            ),
            notes=notes.get(g.lineage_id, ()),
        )

    return VersionView(
        id=version.id,
        plan_id=version.plan_id,
        client_id=plan.client_id,
        version_number=version.version_number,
        status=VersionStatus(version.status),
        plan_date=version.plan_date,
        review_date=version.review_date,
        summary=version.summary,
        signed_at=version.signed_at,
        signer_name=version.signer_name,
        signer_credentials=version.signer_credentials,
        signer_licence=version.signer_licence,
        content_hash=version.content_hash,
        client_signed_on=version.client_signed_on,
        problems=tuple(
            ProblemView(
                id=p.id,
                lineage_id=p.lineage_id,
                description=p.description,
                diagnosis_id=p.diagnosis_id,
                diagnosis=diagnoses.get(p.diagnosis_id, "") if p.diagnosis_id else "",
                goals=tuple(goal_view(g) for g in goals if g.problem_id == p.id),
            )
            for p in problems
        ),
    )


def _linked_notes(
    session: Session, lineages: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[LinkedNote, ...]]:
    if not lineages:
        return {}
    rows = session.execute(
        select(PlanGoal.lineage_id, Note.id, Note.session_date)
        .join(NoteGoalLink, NoteGoalLink.goal_id == PlanGoal.id)
        .join(Note, Note.id == NoteGoalLink.note_id)
        .where(
            PlanGoal.lineage_id.in_(lineages),
            NoteGoalLink.deleted_at.is_(None),
            Note.deleted_at.is_(None),
            Note.entered_in_error_at.is_(None),
        )
        .order_by(Note.session_date, Note.created_at)
    )
    out: dict[uuid.UUID, list[LinkedNote]] = {}
    for lineage, note_id, session_date in rows:
        found = out.setdefault(lineage, [])
        if all(n.note_id != note_id for n in found):
            found.append(LinkedNote(note_id, session_date))
    return {lineage: tuple(found) for lineage, found in out.items()}


def _versions(session: Session, plan_id: uuid.UUID) -> list[TreatmentPlanVersion]:
    return list(
        session.scalars(
            select(TreatmentPlanVersion)
            .where(
                TreatmentPlanVersion.plan_id == plan_id,
                TreatmentPlanVersion.deleted_at.is_(None),
            )
            .order_by(TreatmentPlanVersion.version_number.desc())
        )
    )


# -- use cases: reading ---------------------------------------------------------------
def get_plan(session: Session, client_id: uuid.UUID, today: date | None = None) -> PlanView | None:
    """The client's plan (newest version in full), or None when they have none yet."""
    _client(session, client_id)
    plan = _plan_of(session, client_id)
    if plan is None:
        return None
    versions = _versions(session, plan.id)
    if not versions:
        return None
    signed = next((v for v in versions if v.signed_at is not None), versions[0])
    due = review_due(signed.plan_date, signed.review_date)
    return PlanView(
        plan_id=plan.id,
        client_id=client_id,
        current=_load(session, versions[0]),
        versions=tuple(
            VersionRow(
                v.id,
                v.version_number,
                VersionStatus(v.status),
                v.plan_date,
                v.review_date,
                v.signed_at,
                v.signer_name,
                v.client_signed_on,
            )
            for v in versions
        ),
        review_due=due,
        review_overdue=is_review_overdue(due, today or date.today()),
    )


def get_version(session: Session, version_id: uuid.UUID) -> VersionView:
    return _load(session, _version(session, version_id))


def diff_versions(session: Session, old_id: uuid.UUID, new_id: uuid.UUID) -> list[str]:
    """What was added, removed and changed from version ``old_id`` to ``new_id``."""
    old, new = get_version(session, old_id), get_version(session, new_id)
    if old.plan_id != new.plan_id:
        raise ValidationError({"versions": "belong to different treatment plans"})
    return diff(old, new)


def previous_version_id(session: Session, version_id: uuid.UUID) -> uuid.UUID | None:
    """The version just before ``version_id`` in its plan, if any."""
    version = _version(session, version_id)
    return session.scalar(
        select(TreatmentPlanVersion.id)
        .where(
            TreatmentPlanVersion.plan_id == version.plan_id,
            TreatmentPlanVersion.version_number < version.version_number,
            TreatmentPlanVersion.deleted_at.is_(None),
        )
        .order_by(TreatmentPlanVersion.version_number.desc())
        .limit(1)
    )


def plans_due_for_review(session: Session, today: date) -> list[PlanDue]:
    """Plans of current clients whose last signed version is past its review date."""
    rows = session.execute(
        select(TreatmentPlan.client_id, Client.legal_last_name, Client.legal_first_name,
               TreatmentPlanVersion)
        .join(Client, Client.id == TreatmentPlan.client_id)
        .join(TreatmentPlanVersion, TreatmentPlanVersion.plan_id == TreatmentPlan.id)
        .where(
            TreatmentPlan.deleted_at.is_(None),
            Client.deleted_at.is_(None),
            Client.status != "discharged",
            TreatmentPlanVersion.deleted_at.is_(None),
            TreatmentPlanVersion.signed_at.is_not(None),
        )
        .order_by(TreatmentPlanVersion.version_number.desc())
    )  # fmt: skip
    seen: set[uuid.UUID] = set()
    out = []
    for client_id, last, first, version in rows:
        if client_id in seen:
            continue
        seen.add(client_id)
        due = review_due(version.plan_date, version.review_date)
        if is_review_overdue(due, today):
            out.append(PlanDue(client_id, f"{last}, {first}", version.version_number, due,
                               (today - due).days))  # fmt: skip
    return sorted(out, key=lambda d: (d.review_due, d.client_name))


def treatment_plan_data(
    session: Session, client_id: uuid.UUID, today: date | None = None
) -> TreatmentPlanData:
    """The client's current version as it prints (NotFoundError when there is no plan)."""
    plan = get_plan(session, client_id, today)
    if plan is None:
        raise NotFoundError("This client has no treatment plan yet.")
    return TreatmentPlanData(
        practice=practice_header(session),
        client=client_facts(session, client_id),
        version=plan.current,
        review_overdue=plan.review_overdue,
    )


# -- use cases: the plan and its versions ---------------------------------------------
def create_plan(
    session: Session,
    client_id: uuid.UUID,
    *,
    plan_date: date | None = None,
    summary: str = "",
    today: date | None = None,
) -> uuid.UUID:
    """Start the client's plan: version 1, a draft, reviewed after the default interval.
    Returns the version's id."""
    today = today or date.today()
    _client(session, client_id)
    if _plan_of(session, client_id) is not None:
        raise ValidationError(
            {"plan": "this client already has a treatment plan: edit its draft or start a review"}
        )
    when = plan_date or today
    data = VersionInput(when, when + timedelta(days=REVIEW_INTERVAL_DAYS), summary.strip())
    _raise(version_errors(data, today))
    plan = TreatmentPlan(client_id=client_id)
    session.add(plan)
    session.flush()
    version = TreatmentPlanVersion(
        plan_id=plan.id,
        version_number=1,
        plan_date=data.plan_date,
        review_date=data.review_date,
        summary=data.summary,
    )
    session.add(version)
    session.flush()
    return version.id


def update_version(
    session: Session, version_id: uuid.UUID, data: VersionInput, *, today: date | None = None
) -> None:
    """The draft's plan date, review date and summary."""
    version = _draft(session, version_id)
    clean = VersionInput(data.plan_date, data.review_date, data.summary.strip())
    _raise(version_errors(clean, today or date.today()))
    version.plan_date = clean.plan_date
    version.review_date = clean.review_date
    version.summary = clean.summary
    session.flush()


def sign_version(
    session: Session, version_id: uuid.UUID, signer: Signer, *, now: datetime | None = None
) -> str:
    """Freeze a complete draft with the signer as they are today; return its content hash.

    The caller has already asked for the passphrase again (``Vault.check_passphrase``).
    """
    version = _draft(session, version_id)
    check_signer(signer)
    view = _load(session, version)
    _raise(signing_errors(view))
    signed_at = now or utcnow()
    digest = content_hash(view, signed_at, signer)
    mark_signed(version, signer, signed_at, digest)
    session.flush()
    return digest


def record_client_signature(
    session: Session, version_id: uuid.UUID, signed_on: date, *, today: date | None = None
) -> None:
    """The day the client signed the (signed) version; recorded once."""
    version = _version(session, version_id)
    set_client_signature(version, signed_on, today or date.today(), "the plan")
    session.flush()


def start_review(session: Session, client_id: uuid.UUID, *, today: date | None = None) -> uuid.UUID:
    """A new draft version copied from the last signed one (dated today, reviewed after the
    default interval); returns its id. Refused while a draft is open."""
    today = today or date.today()
    _client(session, client_id)
    plan = _plan_of(session, client_id)
    if plan is None:
        raise ValidationError({"plan": "this client has no treatment plan yet"})
    versions = _versions(session, plan.id)
    if versions and versions[0].signed_at is None:
        raise ValidationError(
            {"plan": f"version {versions[0].version_number} is still a draft: "
                     "finish and sign it before starting a review"}
        )  # fmt: skip
    source = versions[0]
    number = (session.scalar(
        select(func.max(TreatmentPlanVersion.version_number))
        .where(TreatmentPlanVersion.plan_id == plan.id)
    ) or 0) + 1  # fmt: skip
    plan_date = max(today, source.plan_date)
    version = TreatmentPlanVersion(
        plan_id=plan.id,
        version_number=number,
        plan_date=plan_date,
        review_date=plan_date + timedelta(days=REVIEW_INTERVAL_DAYS),
        summary=source.summary,
    )
    session.add(version)
    session.flush()
    _copy_items(session, source.id, version.id)
    return version.id


def discard_review(session: Session, version_id: uuid.UUID) -> None:
    """Drop a review's draft (version 2 or later) with its items; the signed versions stay.

    Version 1 is never discarded: while it is a draft it is simply edited.
    """
    version = _draft(session, version_id)
    if version.version_number == 1:
        raise ValidationError(
            {"version": "version 1 is the plan itself: change its draft instead of discarding it"}
        )
    now = utcnow()
    goals = select(PlanGoal.id).where(PlanGoal.version_id == version.id)
    for link in session.scalars(
        select(NoteGoalLink).where(
            NoteGoalLink.goal_id.in_(goals), NoteGoalLink.deleted_at.is_(None)
        )
    ):
        link.deleted_at = now
    for model in (PlanIntervention, PlanObjective, PlanGoal, PlanProblem):
        for row in session.scalars(_live(model, version.id)):
            row.deleted_at = now
    version.deleted_at = now
    session.flush()


def _copy_items(session: Session, source_id: uuid.UUID, target_id: uuid.UUID) -> None:
    new_ids: dict[uuid.UUID, uuid.UUID] = {}

    def copy(row: Any, model: Any, **refs: Any) -> None:
        new_ids[row.id] = new_id()
        values = {
            c.key: getattr(row, c.key)
            for c in model.__table__.columns
            if c.key not in ("id", "created_at", "updated_at", "deleted_at", "version_id")
        }
        values.update(refs)
        session.add(model(id=new_ids[row.id], version_id=target_id, **values))
        session.flush()

    for p in session.scalars(_live(PlanProblem, source_id)).all():
        copy(p, PlanProblem)
    for g in session.scalars(_live(PlanGoal, source_id)).all():
        copy(g, PlanGoal, problem_id=new_ids[g.problem_id])
    for o in session.scalars(_live(PlanObjective, source_id)).all():
        copy(o, PlanObjective, goal_id=new_ids[o.goal_id])
    for i in session.scalars(_live(PlanIntervention, source_id)).all():
        objective = new_ids.get(i.objective_id) if i.objective_id else None
        copy(i, PlanIntervention, goal_id=new_ids[i.goal_id], objective_id=objective)


# -- use cases: items of a draft ------------------------------------------------------
def add_problem(session: Session, version_id: uuid.UUID, data: ProblemInput) -> uuid.UUID:
    version = _draft(session, version_id)
    description = data.description.strip()
    _raise(_text_errors("problem", description, "problem", required=True))
    _check_diagnosis(session, version, data.diagnosis_id)
    row_id = new_id()
    session.add(
        PlanProblem(
            id=row_id,
            version_id=version.id,
            lineage_id=row_id,
            position=_next_position(session, PlanProblem, PlanProblem.version_id == version.id),
            description=description,
            diagnosis_id=data.diagnosis_id,
        )
    )
    session.flush()
    return row_id


def update_problem(session: Session, problem_id: uuid.UUID, data: ProblemInput) -> None:
    row = _editable(session, PlanProblem, problem_id)
    description = data.description.strip()
    _raise(_text_errors("problem", description, "problem", required=True))
    _check_diagnosis(session, _version(session, row.version_id), data.diagnosis_id)
    row.description = description
    row.diagnosis_id = data.diagnosis_id
    session.flush()


def add_goal(session: Session, problem_id: uuid.UUID, data: GoalInput) -> uuid.UUID:
    problem = _editable(session, PlanProblem, problem_id)
    clean = _clean_goal(data)
    _raise(goal_errors(clean))
    row_id = new_id()
    session.add(
        PlanGoal(
            id=row_id,
            version_id=problem.version_id,
            problem_id=problem.id,
            lineage_id=row_id,
            position=_next_position(session, PlanGoal, PlanGoal.problem_id == problem.id),
            description=clean.description,
            measure_kind=clean.measure_kind,
            target_score=clean.target_score,
            status=GoalStatus(clean.status).value,
        )
    )
    session.flush()
    return row_id


def update_goal(session: Session, goal_id: uuid.UUID, data: GoalInput) -> None:
    row = _editable(session, PlanGoal, goal_id)
    clean = _clean_goal(data)
    _raise(goal_errors(clean))
    row.description = clean.description
    row.measure_kind = clean.measure_kind
    row.target_score = clean.target_score
    row.status = GoalStatus(clean.status).value
    session.flush()


def _clean_goal(data: GoalInput) -> GoalInput:
    return GoalInput(
        data.description.strip(),
        GoalStatus(data.status),
        data.measure_kind.strip().casefold(),
        data.target_score,
    )


def add_objective(
    session: Session, goal_id: uuid.UUID, data: ObjectiveInput, *, today: date | None = None
) -> uuid.UUID:
    goal = _editable(session, PlanGoal, goal_id)
    clean = ObjectiveInput(data.description.strip(), data.target_date, GoalStatus(data.status))
    _raise(objective_errors(clean, today or date.today()))
    row_id = new_id()
    session.add(
        PlanObjective(
            id=row_id,
            version_id=goal.version_id,
            goal_id=goal.id,
            lineage_id=row_id,
            position=_next_position(session, PlanObjective, PlanObjective.goal_id == goal.id),
            description=clean.description,
            target_date=clean.target_date,
            status=clean.status.value,
        )
    )
    session.flush()
    return row_id


def update_objective(
    session: Session, objective_id: uuid.UUID, data: ObjectiveInput, *, today: date | None = None
) -> None:
    row = _editable(session, PlanObjective, objective_id)
    clean = ObjectiveInput(data.description.strip(), data.target_date, GoalStatus(data.status))
    _raise(objective_errors(clean, today or date.today()))
    row.description = clean.description
    row.target_date = clean.target_date
    row.status = clean.status.value
    session.flush()


def _clean_intervention(
    session: Session, goal: PlanGoal, data: InterventionInput
) -> InterventionInput:
    clean = InterventionInput(
        data.description.strip(), data.responsible.strip(), data.frequency.strip(),
        data.objective_id,
    )  # fmt: skip
    _raise(intervention_errors(clean))
    if clean.objective_id is not None:
        objective = session.get(PlanObjective, clean.objective_id)
        if objective is None or objective.deleted_at is not None or objective.goal_id != goal.id:
            raise ValidationError({"objective": "is not one of this goal's objectives"})
    return clean


def add_intervention(session: Session, goal_id: uuid.UUID, data: InterventionInput) -> uuid.UUID:
    goal = _editable(session, PlanGoal, goal_id)
    clean = _clean_intervention(session, goal, data)
    row_id = new_id()
    session.add(
        PlanIntervention(
            id=row_id,
            version_id=goal.version_id,
            goal_id=goal.id,
            objective_id=clean.objective_id,
            lineage_id=row_id,
            position=_next_position(session, PlanIntervention, PlanIntervention.goal_id == goal.id),
            description=clean.description,
            responsible=clean.responsible,
            frequency=clean.frequency,
        )
    )
    session.flush()
    return row_id


def update_intervention(
    session: Session, intervention_id: uuid.UUID, data: InterventionInput
) -> None:
    row = _editable(session, PlanIntervention, intervention_id)
    goal = _item(session, PlanGoal, row.goal_id)
    clean = _clean_intervention(session, goal, data)
    row.description = clean.description
    row.responsible = clean.responsible
    row.frequency = clean.frequency
    row.objective_id = clean.objective_id
    session.flush()


def remove_item(session: Session, kind: str, item_id: uuid.UUID) -> None:
    """Remove a problem, goal, objective or intervention of a draft, with what is under it.

    ``kind`` is "problem", "goal", "objective" or "intervention".
    """
    models: dict[str, Any] = {
        "problem": PlanProblem,
        "goal": PlanGoal,
        "objective": PlanObjective,
        "intervention": PlanIntervention,
    }
    if kind not in models:
        raise ValidationError({"kind": "must be problem, goal, objective or intervention"})
    row = _editable(session, models[kind], item_id)
    now = utcnow()
    goals: list[uuid.UUID] = []
    if kind == "problem":
        goals = list(session.scalars(
            select(PlanGoal.id).where(PlanGoal.problem_id == row.id, PlanGoal.deleted_at.is_(None))
        ))  # fmt: skip
    elif kind == "goal":
        goals = [row.id]
    under: tuple[tuple[Any, Any], ...] = (
        (PlanObjective, PlanObjective.goal_id),
        (PlanIntervention, PlanIntervention.goal_id),
        (PlanGoal, PlanGoal.id),
        (NoteGoalLink, NoteGoalLink.goal_id),
    )
    if goals:
        for model, column in under:
            for child in session.scalars(
                select(model).where(column.in_(goals), model.deleted_at.is_(None))
            ):
                child.deleted_at = now
    if kind == "objective":
        for intervention in session.scalars(
            select(PlanIntervention).where(
                PlanIntervention.objective_id == row.id, PlanIntervention.deleted_at.is_(None)
            )
        ):
            intervention.objective_id = None  # it still serves the goal
    row.deleted_at = now
    session.flush()


# -- notes and goals ------------------------------------------------------------------
def link_note(session: Session, note_id: uuid.UUID, goal_id: uuid.UUID) -> uuid.UUID:
    """Say that a session note worked on a goal (of any version of the client's plan)."""
    note = session.get(Note, note_id)
    if note is None or note.deleted_at is not None:
        raise NotFoundError(f"No note with id {note_id}.")
    goal = _item(session, PlanGoal, goal_id)
    version = _version(session, goal.version_id)
    plan = session.get(TreatmentPlan, version.plan_id)
    if plan is None or plan.client_id != note.client_id:
        raise ValidationError({"goal": "belongs to another client's treatment plan"})
    existing = session.scalar(
        select(NoteGoalLink.id).where(
            NoteGoalLink.note_id == note_id,
            NoteGoalLink.goal_id == goal_id,
            NoteGoalLink.deleted_at.is_(None),
        )
    )
    if existing is not None:
        return existing
    link = NoteGoalLink(note_id=note_id, goal_id=goal_id)
    session.add(link)
    session.flush()
    return link.id


def unlink_note(session: Session, note_id: uuid.UUID, goal_id: uuid.UUID) -> None:
    """Undo :func:`link_note` for this goal and every version of it (same lineage)."""
    goal = _item(session, PlanGoal, goal_id)
    same = select(PlanGoal.id).where(PlanGoal.lineage_id == goal.lineage_id)
    for link in session.scalars(
        select(NoteGoalLink).where(
            NoteGoalLink.note_id == note_id,
            NoteGoalLink.goal_id.in_(same),
            NoteGoalLink.deleted_at.is_(None),
        )
    ):
        link.deleted_at = utcnow()
    session.flush()


def goals_of_note(session: Session, note_id: uuid.UUID) -> list[uuid.UUID]:
    """Ids of the goals a note is linked to."""
    return list(
        session.scalars(
            select(NoteGoalLink.goal_id).where(
                NoteGoalLink.note_id == note_id, NoteGoalLink.deleted_at.is_(None)
            )
        )
    )

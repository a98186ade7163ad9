"""Treatment plans and safety plans: versioned, and frozen once signed.

A client's plan (``TreatmentPlan``, ``SafetyPlan``) is a container; its content lives in
numbered **versions**. A version is a draft until the practitioner signs it: signing
records the signer's name, credentials and licence as they were that day (as signing a
note does) and a content hash, and from then on the version and, for treatment plans,
every problem, goal, objective and intervention under it are frozen by database
triggers as well as by the services. A review starts a new draft version copied from
the last. The client's own signature date may be recorded once after signing.

Treatment-plan items carry a ``lineage_id``: the same value for "the same" problem, goal,
objective or intervention in every version (the id it had in the version that
introduced it), so that versions can be compared and a goal followed across reviews.
Every item also carries its ``version_id`` (denormalised) so that a version loads in one
query per table and the freezing triggers stay simple.

Safety-plan sections (Stanley-Brown) are JSON arrays on the version row:

- ``warning_signs``, ``coping_strategies``, ``environment_safety``,
  ``reasons_for_living``: arrays of strings;
- ``distraction_contacts``: ``[{"name": str, "phone": str}]`` — people and social
  settings that provide distraction (a setting has no phone);
- ``help_contacts``: ``[{"name": str, "phone": str}]`` — people to ask for help;
- ``professional_contacts``: ``[{"name": str, "organisation": str, "phone": str,
  "address": str}]`` — the clinician, the local emergency department, crisis lines
  (``DEFAULT_PROFESSIONAL_CONTACTS`` seeds a new plan; the practitioner may edit it).
"""

from __future__ import annotations

import enum
import uuid
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text, Uuid
from sqlalchemy.orm import Mapped, mapped_column

from mhsw_desktop.domain.base import Base, Record


class VersionStatus(enum.StrEnum):
    DRAFT = "draft"
    SIGNED = "signed"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class GoalStatus(enum.StrEnum):
    """Where a goal or an objective stands at a version's date."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    MET = "met"
    PARTLY_MET = "partly_met"
    NOT_MET = "not_met"
    DISCONTINUED = "discontinued"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


#: how a new safety plan's "professionals and agencies" section starts (US; editable)
DEFAULT_PROFESSIONAL_CONTACTS: tuple[dict[str, str], ...] = (
    {
        "name": "988 Suicide & Crisis Lifeline",
        "organisation": "Call or text, 24/7",
        "phone": "988",
        "address": "",
    },
)

PLAN_LIMITS: dict[str, int] = {
    "summary": 20_000,
    "problem": 4_000,
    "goal": 4_000,
    "measure_kind": 20,
    "objective": 4_000,
    "intervention": 4_000,
    "responsible": 200,
    "frequency": 200,
    "section_item": 1_000,
    "barriers": 4_000,
    "language": 35,
}


def _in(column: str, values: Iterable[str]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


# -- treatment plans --------------------------------------------------------------------
class TreatmentPlan(Record, Base):
    """A client's treatment plan: its content is in ``TreatmentPlanVersion`` rows."""

    __tablename__ = "treatment_plans"
    __table_args__ = (Index("ix_treatment_plans_client", "client_id"),)

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))


class TreatmentPlanVersion(Record, Base):
    """One version of a treatment plan: a draft, or signed and frozen."""

    __tablename__ = "treatment_plan_versions"
    __table_args__ = (
        CheckConstraint(_in("status", VersionStatus), name="status"),
        CheckConstraint("(status = 'signed') = (signed_at IS NOT NULL)", name="signed_at"),
        Index("ix_treatment_plan_versions_plan_number", "plan_id", "version_number", unique=True),
        Index("ix_treatment_plan_versions_review", "review_date"),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("treatment_plans.id"))
    version_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=VersionStatus.DRAFT.value)
    plan_date: Mapped[date]
    review_date: Mapped[date | None] = mapped_column(default=None)
    #: presenting concerns, strengths, what the plan is for
    summary: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime | None] = mapped_column(default=None)
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_credentials: Mapped[str] = mapped_column(String(100), default="")
    signer_licence: Mapped[str] = mapped_column(String(100), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    #: the day the client signed; may be set once after the practitioner signed
    client_signed_on: Mapped[date | None] = mapped_column(default=None)


class PlanProblem(Record, Base):
    """A problem (need) the plan addresses, in the order the plan lists them."""

    __tablename__ = "plan_problems"
    __table_args__ = (Index("ix_plan_problems_version", "version_id"),)

    version_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("treatment_plan_versions.id"))
    lineage_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    #: the diagnosis it stems from, if any
    diagnosis_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("diagnoses.id"), default=None
    )


class PlanGoal(Record, Base):
    """A measurable goal under a problem; optionally measured by a standardised measure."""

    __tablename__ = "plan_goals"
    __table_args__ = (
        CheckConstraint(_in("status", GoalStatus), name="status"),
        Index("ix_plan_goals_version", "version_id"),
        Index("ix_plan_goals_problem", "problem_id"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("treatment_plan_versions.id"))
    problem_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("plan_problems.id"))
    lineage_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    #: a measure that shows progress ("phq9"), "" when the goal is measured otherwise
    measure_kind: Mapped[str] = mapped_column(String(20), default="")
    #: the total that counts as met (at or below it for symptom measures)
    target_score: Mapped[int | None] = mapped_column(Integer, default=None)
    status: Mapped[str] = mapped_column(String(20), default=GoalStatus.NOT_STARTED.value)


class PlanObjective(Record, Base):
    """A concrete, dated step towards a goal."""

    __tablename__ = "plan_objectives"
    __table_args__ = (
        CheckConstraint(_in("status", GoalStatus), name="status"),
        Index("ix_plan_objectives_version", "version_id"),
        Index("ix_plan_objectives_goal", "goal_id"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("treatment_plan_versions.id"))
    goal_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("plan_goals.id"))
    lineage_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    target_date: Mapped[date | None] = mapped_column(default=None)
    status: Mapped[str] = mapped_column(String(20), default=GoalStatus.NOT_STARTED.value)


class PlanIntervention(Record, Base):
    """What will be done towards a goal (or one of its objectives), by whom, how often."""

    __tablename__ = "plan_interventions"
    __table_args__ = (
        Index("ix_plan_interventions_version", "version_id"),
        Index("ix_plan_interventions_goal", "goal_id"),
    )

    version_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("treatment_plan_versions.id"))
    goal_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("plan_goals.id"))
    #: the objective it serves, when it serves one in particular
    objective_id: Mapped[uuid.UUID | None] = mapped_column(
        Uuid, ForeignKey("plan_objectives.id"), default=None
    )
    lineage_id: Mapped[uuid.UUID] = mapped_column(Uuid)
    position: Mapped[int] = mapped_column(Integer, default=0)
    description: Mapped[str] = mapped_column(Text)
    #: who is responsible, as written ("Clinician", "Client", a collaborator's name)
    responsible: Mapped[str] = mapped_column(String(200), default="")
    frequency: Mapped[str] = mapped_column(String(200), default="")


class NoteGoalLink(Record, Base):
    """A session note that worked on a goal of a treatment plan."""

    __tablename__ = "note_goal_links"
    __table_args__ = (
        Index("ix_note_goal_links_note", "note_id"),
        Index("ix_note_goal_links_goal", "goal_id"),
    )

    note_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("notes.id"))
    goal_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("plan_goals.id"))


# -- safety plans -----------------------------------------------------------------------
class SafetyPlan(Record, Base):
    """A client's safety plan: its content is in ``SafetyPlanVersion`` rows."""

    __tablename__ = "safety_plans"
    __table_args__ = (Index("ix_safety_plans_client", "client_id"),)

    client_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("clients.id"))


class SafetyPlanVersion(Record, Base):
    """One dated version of a Stanley-Brown safety plan (sections: see the module docstring)."""

    __tablename__ = "safety_plan_versions"
    __table_args__ = (
        CheckConstraint(_in("status", VersionStatus), name="status"),
        CheckConstraint("(status = 'signed') = (signed_at IS NOT NULL)", name="signed_at"),
        CheckConstraint(
            "likelihood_of_use IS NULL OR likelihood_of_use BETWEEN 0 AND 10",
            name="likelihood_of_use",
        ),
        Index("ix_safety_plan_versions_plan_number", "plan_id", "version_number", unique=True),
    )

    plan_id: Mapped[uuid.UUID] = mapped_column(Uuid, ForeignKey("safety_plans.id"))
    version_number: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), default=VersionStatus.DRAFT.value)
    plan_date: Mapped[date]
    #: the language the client's copy is written in (BCP 47; "" = the client's preferred)
    language: Mapped[str] = mapped_column(String(35), default="")
    warning_signs: Mapped[str] = mapped_column(Text, default="[]")
    coping_strategies: Mapped[str] = mapped_column(Text, default="[]")
    distraction_contacts: Mapped[str] = mapped_column(Text, default="[]")
    help_contacts: Mapped[str] = mapped_column(Text, default="[]")
    professional_contacts: Mapped[str] = mapped_column(Text, default="[]")
    environment_safety: Mapped[str] = mapped_column(Text, default="[]")
    reasons_for_living: Mapped[str] = mapped_column(Text, default="[]")
    #: how likely the client says they are to use the plan, 0 (not at all) to 10 (certain)
    likelihood_of_use: Mapped[int | None] = mapped_column(Integer, default=None)
    #: what might get in the way, and how it will be handled
    barriers: Mapped[str] = mapped_column(Text, default="")
    signed_at: Mapped[datetime | None] = mapped_column(default=None)
    signer_name: Mapped[str] = mapped_column(String(200), default="")
    signer_credentials: Mapped[str] = mapped_column(String(100), default="")
    signer_licence: Mapped[str] = mapped_column(String(100), default="")
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    #: the day the client signed; may be set once after the practitioner signed
    client_signed_on: Mapped[date | None] = mapped_column(default=None)

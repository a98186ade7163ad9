"""Every mapped model, imported in one place so that the metadata is complete."""

from mhsw_desktop.domain.audit import AuditEntry
from mhsw_desktop.domain.base import Base
from mhsw_desktop.domain.care_team import (
    Collaborator,
    CoordinationContact,
    Disclosure,
    Release,
    TeamMember,
)
from mhsw_desktop.domain.client import Client
from mhsw_desktop.domain.measures import Measure, MeasureEvent
from mhsw_desktop.domain.note import (
    Addendum,
    CustomTemplate,
    Diagnosis,
    Note,
    Practitioner,
    Task,
)
from mhsw_desktop.domain.plans import (
    NoteGoalLink,
    PlanGoal,
    PlanIntervention,
    PlanObjective,
    PlanProblem,
    SafetyPlan,
    SafetyPlanVersion,
    TreatmentPlan,
    TreatmentPlanVersion,
)
from mhsw_desktop.domain.resources import CommunityResource, Referral

__all__ = [
    "Addendum",
    "AuditEntry",
    "Base",
    "Client",
    "Collaborator",
    "CommunityResource",
    "CoordinationContact",
    "CustomTemplate",
    "Diagnosis",
    "Disclosure",
    "Measure",
    "MeasureEvent",
    "Note",
    "NoteGoalLink",
    "PlanGoal",
    "PlanIntervention",
    "PlanObjective",
    "PlanProblem",
    "Practitioner",
    "Referral",
    "Release",
    "SafetyPlan",
    "SafetyPlanVersion",
    "Task",
    "TeamMember",
    "TreatmentPlan",
    "TreatmentPlanVersion",
]

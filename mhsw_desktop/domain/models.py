"""Every mapped model, imported in one place so that the metadata is complete."""

from mhsw_desktop.domain.base import Base
from mhsw_desktop.domain.care_team import (
    Collaborator,
    CoordinationContact,
    Disclosure,
    Release,
    TeamMember,
)
from mhsw_desktop.domain.client import Client
from mhsw_desktop.domain.note import (
    Addendum,
    CustomTemplate,
    Diagnosis,
    Note,
    Practitioner,
    Task,
)

__all__ = [
    "Addendum",
    "Base",
    "Client",
    "Collaborator",
    "CoordinationContact",
    "CustomTemplate",
    "Diagnosis",
    "Disclosure",
    "Note",
    "Practitioner",
    "Release",
    "Task",
    "TeamMember",
]

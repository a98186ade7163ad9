"""Synthetic care teams for the demo caseload: a directory, team links, releases, contacts.

Every collaborator is invented (555-01xx phones, example.org addresses). Releases come in
every state a practitioner meets: in force, expiring within the month, expired, revoked.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, timedelta

from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import Category, CollaboratorRole, ContactMode, Direction
from mhsw_desktop.services.care_team import (
    ContactInput,
    TeamMemberInput,
    add_contact,
    add_team_member,
)
from mhsw_desktop.services.collaborators import CollaboratorInput, add_collaborator
from mhsw_desktop.services.releases import ReleaseInput, add_release, revoke_release

DIRECTORY = (
    ("Tomasz Oduya", "MD", CollaboratorRole.PSYCHIATRIST, "Valley Behavioral Health"),
    ("Rosa Delgado-Finch", "FNP", CollaboratorRole.PRIMARY_CARE, "Cedar Hollow Clinic"),
    ("Marcus Whitehorse", "LADC", CollaboratorRole.SUBSTANCE_USE_COUNSELLOR, "Ridge Recovery"),
    ("Ingeborg Sato", "", CollaboratorRole.CASE_MANAGER, "County Human Services"),
    ("Priya Castellanos", "MEd", CollaboratorRole.SCHOOL_COUNSELLOR, "Cedar Hollow High School"),
    ("Dale Ferreira", "", CollaboratorRole.PROBATION_PAROLE, "District 4 Probation"),
    ("Hannah Oyelaran", "CPS", CollaboratorRole.PEER_SUPPORT, "Harbor Peer Network"),
    ("Father Luka Novak", "", CollaboratorRole.CLERGY, "St. Brendan's Parish"),
)

SUMMARIES = (
    "Discussed medication adherence; no changes planned.",
    "Coordinated the next appointment times to avoid the school day.",
    "Shared attendance for the last month as the release allows.",
    "Asked for the discharge summary from the inpatient stay.",
    "Agreed to review housing options together next week.",
)


def add_directory(session: Session) -> list[uuid.UUID]:
    """The synthetic directory of collaborators; their ids in DIRECTORY's order."""
    ids = []
    for n, (name, credentials, role, organisation) in enumerate(DIRECTORY):
        slug = name.split()[-1].lower().replace("-", "")
        ids.append(
            add_collaborator(
                session,
                CollaboratorInput(
                    name=name,
                    role=role,
                    credentials=credentials,
                    organisation=organisation,
                    phone=f"(406) 555-01{50 + n:02d}",
                    email=f"{slug}@example.org",
                ),
            )
        )
    return ids


def add_synthetic_care_team(
    session: Session,
    client_id: uuid.UUID,
    intake: date,
    directory: list[uuid.UUID],
    rng: random.Random,
    *,
    today: date,
) -> None:
    """Zero to two collaborators on the team, each with a release and a contact or two."""
    for collaborator_id in rng.sample(directory, k=rng.choice((0, 1, 1, 2))):
        start = intake + timedelta(days=rng.randint(0, max((today - intake).days, 0)))
        add_team_member(
            session,
            client_id,
            TeamMemberInput(collaborator_id, start_date=min(start, today)),
            today=today,
        )
        # renewed yearly: the current release was signed within the last year
        signed = max(min(start, today), today - timedelta(days=rng.randint(20, 340)))
        expiry = signed + timedelta(days=365)
        if rng.random() < 0.08:  # a few end within the month
            expiry = today + timedelta(days=rng.randint(0, 29))
        release_id = add_release(
            session,
            client_id,
            ReleaseInput(
                collaborator_id,
                (Category.ATTENDANCE, Category.PROGRESS_SUMMARIES, Category.DIAGNOSIS),
                "Coordination of care",
                signed,
                expiry_date=max(expiry, signed),
            ),
            today=today,
        )
        if rng.random() < 0.05:
            revoke_release(session, release_id, today, today=today)
        for _ in range(rng.randint(0, 2)):
            day = signed + timedelta(days=rng.randint(0, max((today - signed).days, 0)))
            add_contact(
                session,
                client_id,
                ContactInput(
                    collaborator_id,
                    min(day, today),
                    rng.choice(list(ContactMode)),
                    rng.choice(list(Direction)),
                    rng.choice(SUMMARIES),
                ),
                today=today,
            )

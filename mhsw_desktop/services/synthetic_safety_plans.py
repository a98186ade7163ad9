"""Synthetic safety plans for the demo caseload: signed versions, some revised, a few drafts.

Seeded and invented, like every person in this project: names come from the generator's
pools and phone numbers from the 555-01xx range reserved for fiction. Every client whose
PHQ-9 answered item 9 gets a plan (as a practitioner would make one), and a few others too.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.measures import Measure
from mhsw_desktop.services.practitioner import Signer
from mhsw_desktop.services.safety_plans import (
    Contact,
    SafetyPlanInput,
    create_safety_plan,
    default_professionals,
    record_client_signature,
    sign_version,
    start_new_version,
    update_draft,
)
from mhsw_desktop.services.synthetic import FIRST_NAMES

WARNING_SIGNS = (
    "Not sleeping for two nights or more",
    "Staying in bed and not answering the phone",
    "Thinking “nobody would notice if I was gone”",
    "Drinking alone in the evening",
    "Feeling trapped after an argument at home",
    "Pulling away from friends",
    "Anniversary of my brother's death in March",
    "Skipping meals and not showering",
)
COPING = (
    "Take the dog for a walk around the block",
    "Listen to my playlist with headphones on",
    "Take a hot shower",
    "Box breathing: in 4, hold 4, out 4, hold 4",
    "Work on the puzzle on the kitchen table",
    "Write in my journal for ten minutes",
    "Play guitar",
    "Go out to the garden",
)
PLACES = (
    "The public library",
    "Coffee shop on Main Street",
    "Church fellowship hall on Wednesdays",
    "The community pool",
    "Cousin's ranch",
    "Walking trail by the river",
)
RELATIONS = ("sister", "brother", "friend", "aunt", "neighbour", "cousin", "partner", "coach")
ENVIRONMENT = (
    "Rifle stored at my brother's house until we agree otherwise",
    "Partner keeps my medications and gives me one week at a time",
    "No alcohol in the house",
    "Old prescriptions taken to the pharmacy drop-off",
    "Car keys with my sister on bad nights",
)
REASONS = (
    "My kids",
    "My dog, Biscuit",
    "Seeing my daughter graduate",
    "My faith",
    "Finishing my nursing course",
    "My grandmother",
    "The river in the summer",
)
BARRIERS = (
    "May not want to call anyone late at night; agreed to text the crisis line instead.",
    "Phone often out of credit; the numbers are also on the wallet card.",
    "Worried about being a burden; practised asking for help in session.",
)


def _phone(rng: random.Random) -> str:
    return f"({rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}"


def _people(rng: random.Random, count: int) -> tuple[Contact, ...]:
    names = rng.sample(FIRST_NAMES, count)
    return tuple(Contact(f"{name} ({rng.choice(RELATIONS)})", _phone(rng)) for name in names)


def synthetic_safety_plan(
    rng: random.Random, professionals: tuple[Contact, ...], day: date
) -> SafetyPlanInput:
    """A complete plan's content, dated ``day``."""
    return SafetyPlanInput(
        plan_date=day,
        warning_signs=tuple(rng.sample(WARNING_SIGNS, rng.randint(2, 4))),
        coping_strategies=tuple(rng.sample(COPING, rng.randint(2, 4))),
        distraction_contacts=tuple(Contact(p) for p in rng.sample(PLACES, 2)) + _people(rng, 1),
        help_contacts=_people(rng, rng.randint(1, 3)),
        professional_contacts=professionals,
        environment_safety=tuple(rng.sample(ENVIRONMENT, rng.randint(1, 2))),
        reasons_for_living=tuple(rng.sample(REASONS, rng.randint(1, 3))),
        likelihood_of_use=rng.randint(6, 10),
        barriers=rng.choice(BARRIERS) if rng.random() < 0.6 else "",
    )


def _had_item9_alert(session: Session, client_id: uuid.UUID) -> date | None:
    """The day of the client's first PHQ-9 that answered item 9, if any."""
    return session.scalars(
        select(Measure.taken_on)
        .where(Measure.client_id == client_id, Measure.alert.is_(True),
               Measure.deleted_at.is_(None))
        .order_by(Measure.taken_on)
        .limit(1)
    ).first()  # fmt: skip


def add_synthetic_safety_plan(
    session: Session,
    client_id: uuid.UUID,
    intake: date,
    rng: random.Random,
    signer: Signer,
    *,
    today: date,
) -> int:
    """A safety plan for one client (after their measures); returns how many versions."""
    alert_day = _had_item9_alert(session, client_id)
    if alert_day is None and rng.random() > 0.15:
        return 0
    day = min(today, alert_day or intake + timedelta(days=rng.randint(0, 30)))
    content = synthetic_safety_plan(rng, default_professionals(session), day)
    version = create_safety_plan(session, client_id, content, today=today)
    sign_version(session, version, signer, now=datetime.combine(day, time(17, 5)))
    record_client_signature(session, version, day, today=today)
    versions = 1
    later = day + timedelta(days=rng.randint(21, 120))
    if later <= today and rng.random() < 0.35:
        version = start_new_version(session, client_id, today=later)
        signs = tuple(dict.fromkeys((*content.warning_signs, rng.choice(WARNING_SIGNS))))
        revised = replace(
            content,
            plan_date=later,
            warning_signs=signs,
            help_contacts=(*content.help_contacts, *_people(rng, 1)),
            likelihood_of_use=min(10, (content.likelihood_of_use or 7) + 1),
        )
        update_draft(session, version, revised, today=later)
        versions += 1
        if rng.random() < 0.8:
            sign_version(session, version, signer, now=datetime.combine(later, time(16, 40)))
    return versions

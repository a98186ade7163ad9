"""The seeded synthetic caseload generator: the only source of people in demos, tests, benchmarks.

Every person is invented. Phone numbers use the 555-01xx range reserved for fiction,
email addresses use example.org, towns are made up. Later features extend this module
(notes, families, care teams) so that one seed gives one whole caseload.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from sqlalchemy.orm import Session

from mhsw_desktop.domain.client import ClientStatus
from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.text import fold
from mhsw_desktop.services.clients import add_client

FIRST_NAMES = (
    "Ana",
    "José",
    "María",
    "Luis",
    "Sofía",
    "Mateo",
    "Camila",
    "Diego",
    "Valentina",
    "Andrés",
    "Emma",
    "Liam",
    "Olivia",
    "Noah",
    "Ava",
    "Ethan",
    "Mia",
    "Lucas",
    "Harper",
    "Mason",
    "Aaliyah",
    "DeShawn",
    "Imani",
    "Malik",
    "Nia",
    "Jamal",
    "Keisha",
    "Darnell",
    "Linh",
    "Minh",
    "Thảo",
    "Quang",
    "Huong",
    "Søren",
    "Ingrid",
    "Bjørn",
    "Åsa",
    "Zoë",
    "Chloé",
    "François",
    "Renée",
    "Noé",
    "Aiyana",
    "Takoda",
    "Winona",
    "Dakota",
    "Priya",
    "Arjun",
    "Ananya",
    "Fatima",
    "Omar",
    "Yusuf",
    "Leila",
    "Hannah",
    "Jacob",
    "Ruth",
    "Earl",
    "Dolores",
    "Wendell",
    "Loretta",
    "Cody",
    "Brandi",
    "Travis",
    "Misty",
)
LAST_NAMES = (
    "González",
    "Muñoz",
    "Hernández",
    "Pérez",
    "Rodríguez",
    "Martínez",
    "Sánchez",
    "Ramírez",
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Miller",
    "Davis",
    "Wilson",
    "Anderson",
    "Taylor",
    "Thomas",
    "Moore",
    "Jackson",
    "White",
    "Harris",
    "Clark",
    "Lewis",
    "Walker",
    "Hall",
    "Young",
    "King",
    "Wright",
    "Søndergaard",
    "Lindqvist",
    "Østergaard",
    "O'Brien",
    "McAllister",
    "Dubois",
    "Lefèvre",
    "Begay",
    "Yazzie",
    "Tsosie",
    "Running Bear",
    "Patel",
    "Singh",
    "Khan",
    "Haddad",
    "Hoffmann",
    "Schäfer",
    "Kowalski",
    "Nowak",
    "Abernathy",
    "Pruitt",
    "Hollis",
    "Tate",
)
NICKNAMES = {
    "José": "Pepe",
    "María": "Mari",
    "Valentina": "Vale",
    "Andrés": "Andy",
    "Sofía": "Sofi",
    "Jacob": "Jake",
    "Hannah": "Annie",
    "Dolores": "Lola",
    "Wendell": "Dell",
    "Ethan": "E.J.",
    "François": "Frank",
    "Ingrid": "Inga",
    "Malik": "Mal",
    "Ananya": "Anu",
    "Yusuf": "Joe",
    "Loretta": "Lori",
    "Takoda": "Koda",
    "Valeria": "Vale",
    "Quang": "Q",
}
PRONOUNS = ("she/her", "he/him", "they/them", "she/they", "he/they", "")
TOWNS = (
    ("Cedar Hollow", "MT", "59"),
    ("Pine Ridge Flats", "WY", "82"),
    ("Millbrook", "KY", "41"),
    ("Red Mesa", "NM", "87"),
    ("Harlan Springs", "WV", "25"),
    ("Prairie View", "NE", "68"),
    ("Lone Elm", "KS", "67"),
    ("Bayou Verde", "LA", "70"),
    ("Stillwater Gap", "TN", "37"),
)
STREETS = ("Main St", "County Rd 12", "Elm Ave", "Ridge Rd", "Mill Ln", "Church St", "Hwy 9")
IMPORTANT = (
    "Prefers morning appointments; works night shifts.",
    "Hard of hearing in the left ear: sit on the right side.",
    "Uses a wheelchair; the side entrance has the ramp.",
    "Do not leave voicemails at the home number.",
    "Spanish is the language at home; interpreter for family sessions.",
    "Brings her service dog to sessions.",
    "Transportation is unreliable in winter; offer phone sessions.",
    "Anniversary of a loss in March; check in beforehand.",
    "",
    "",
    "",
)
DISCHARGE_REASONS = (
    "Treatment goals met.",
    "Moved out of the service area; referred to a local provider.",
    "Client chose to end services.",
    "Transferred to a higher level of care.",
)


def _phone(rng: random.Random) -> str:
    return f"({rng.randint(201, 989)}) 555-01{rng.randint(0, 99):02d}"


def synthetic_client(rng: random.Random, today: date) -> ClientInput:
    """One invented client, drawn from ``rng``, valid on ``today``."""
    first = rng.choice(FIRST_NAMES)
    last = rng.choice(LAST_NAMES)
    dob = today - timedelta(days=rng.randint(6 * 365, 88 * 365))
    intake = today - timedelta(days=rng.randint(0, 6 * 365))
    intake = max(intake, dob + timedelta(days=365))
    town, state, zip_prefix = rng.choice(TOWNS)
    roll = rng.random()
    status = (
        ClientStatus.ACTIVE
        if roll < 0.72
        else ClientStatus.ON_HOLD
        if roll < 0.82
        else ClientStatus.DISCHARGED
    )
    discharge_date = None
    reason = ""
    if status is ClientStatus.DISCHARGED:
        span = max((today - intake).days, 0)
        discharge_date = intake + timedelta(days=rng.randint(0, span))
        reason = rng.choice(DISCHARGE_REASONS)
    ascii_first = fold(first).encode("ascii", "ignore").decode() or "client"
    ascii_last = fold(last).encode("ascii", "ignore").decode().replace(" ", "") or "x"
    return ClientInput(
        legal_first_name=first,
        legal_last_name=last,
        preferred_name=NICKNAMES.get(first, "") if rng.random() < 0.5 else "",
        pronouns=rng.choice(PRONOUNS),
        date_of_birth=dob,
        phone=_phone(rng),
        email=rng.choice(("", f"{ascii_first}.{ascii_last}{rng.randint(1, 99)}@example.org")),
        address=f"{rng.randint(10, 9999)} {rng.choice(STREETS)}\n{town}, {state} "
        f"{zip_prefix}{rng.randint(100, 999)}",
        emergency_contact_name=f"{rng.choice(FIRST_NAMES)} {last}",
        emergency_contact_phone=_phone(rng),
        intake_date=intake,
        status=status,
        discharge_date=discharge_date,
        discharge_reason=reason,
        important_to_know=rng.choice(IMPORTANT),
        **_language(first, last, dob),
    )


def _language(first: str, last: str, dob: date) -> dict[str, Any]:
    """About one client in five reads Spanish; half of them need an interpreter. Drawn
    from its own generator, so adding languages did not change the people made before."""
    rng = random.Random(f"language:{first}:{last}:{dob.isoformat()}")
    if rng.random() >= 0.2:
        return {}
    return {
        "preferred_language": "es",
        "interpreter_needed": rng.random() < 0.5,
        "document_language": "both" if rng.random() < 0.3 else "client",
    }


def synthetic_clients(count: int, seed: int, today: date | None = None) -> list[ClientInput]:
    """``count`` invented clients; the same seed and day always give the same people."""
    rng = random.Random(seed)
    day = today or date.today()
    return [synthetic_client(rng, day) for _ in range(count)]


def fill_demo(
    session: Session,
    clients: int,
    seed: int,
    today: date | None = None,
    *,
    notes_per_client: int = 0,
) -> int:
    """Add a synthetic caseload to the vault behind ``session``; return how many clients.

    With ``notes_per_client``, each client also gets that many notes in every template
    (most signed, some drafts and addenda), diagnoses and follow-up tasks, a care team
    with releases and coordination contacts, PHQ-9 and GAD-7 series with trend events, a
    safety plan where a PHQ-9 answered item 9 (and for a few others), and the practitioner
    profile is filled in so that notes can be signed.
    """
    from mhsw_desktop.services.practitioner import PractitionerInput, save_practitioner
    from mhsw_desktop.services.synthetic_care import add_directory, add_synthetic_care_team
    from mhsw_desktop.services.synthetic_measures import add_synthetic_measures
    from mhsw_desktop.services.synthetic_notes import (
        SIGNER,
        add_synthetic_clinical_data,
        add_synthetic_notes,
    )
    from mhsw_desktop.services.synthetic_safety_plans import add_synthetic_safety_plan

    day = today or date.today()
    rng = random.Random(seed + 1)
    if notes_per_client:
        save_practitioner(
            session,
            PractitionerInput(
                name=SIGNER.name,
                credentials=SIGNER.credentials,
                licence_number=SIGNER.licence,
                practice_name="Cedar Hollow Counseling (synthetic)",
                address="12 Main St\nCedar Hollow, MT 59001",
                phone="(406) 555-0100",
            ),
        )
    directory = add_directory(session) if notes_per_client else []
    measures_rng = random.Random(seed + 2)  # its own: the other synthetic data stay as they were
    safety_rng = random.Random(seed + 3)  # likewise
    for data in synthetic_clients(clients, seed, day):
        client_id = add_client(session, data, today=day)
        if notes_per_client:
            intake = data.intake_date or day
            add_synthetic_notes(session, client_id, intake, rng, notes=notes_per_client, today=day)
            add_synthetic_clinical_data(session, client_id, intake, rng, today=day)
            add_synthetic_care_team(session, client_id, intake, directory, rng, today=day)
            add_synthetic_measures(session, client_id, intake, measures_rng, today=day)
            add_synthetic_safety_plan(session, client_id, intake, safety_rng, SIGNER, today=day)
    return clients

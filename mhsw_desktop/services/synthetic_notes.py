"""Synthetic session notes, addenda, tasks and diagnoses for the generated caseload.

Text is assembled from clinical phrases with invented details, in every template, so
that demos, tests and benchmarks exercise real-looking documentation. No real person.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from mhsw_desktop.domain.note import Location, Note, RiskLevel, ServiceType
from mhsw_desktop.services.diagnoses import DiagnosisInput, add_diagnosis
from mhsw_desktop.services.notes import NoteInput, add_addendum, create_draft, sign_note
from mhsw_desktop.services.practitioner import Signer
from mhsw_desktop.services.tasks import TaskInput, add_task
from mhsw_desktop.services.templates import builtin_templates

SIGNER = Signer("Jordan Reyes-Whitfield", "LCSW", "LCSW-SYN-00417")

REPORTED = (
    "Client reported sleeping four to five hours a night since the eviction notice.",
    "Client said the week was 'a little better' and she walked twice with her sister.",
    "Client described panic symptoms at the grocery store on Tuesday, lasting ten minutes.",
    "Client reported two arguments with his father about chores and the truck payment.",
    "Client stated that cravings were lower after attending two recovery meetings.",
    "Client shared that the anniversary of her mother's death is next week.",
    "Client reported missing school twice because of stomach aches before the bus.",
    "Client described feeling 'flat' and having little interest in fishing, his usual outlet.",
    "Client said the new shift schedule leaves no time for the children's appointments.",
    "Client reported that the food bank voucher ran out and rent is two weeks late.",
)
OBSERVED = (
    "Appeared well groomed; affect constricted; speech normal in rate and volume.",
    "Tearful at times; made good eye contact; oriented x3; thought process linear.",
    "Fidgeting throughout; affect anxious; no evidence of psychosis.",
    "Arrived 15 minutes late; dressed for outdoor work; affect brightened when discussing goals.",
    "PHQ-9 completed in session; score reviewed with client.",
)
ASSESSED = (
    "Depressive symptoms persist but functioning has improved at work.",
    "Anxiety remains the main barrier to attending appointments in town.",
    "Client is engaged and making steady progress toward the coping-skills goal.",
    "Housing instability is the main stressor; supports are limited but present.",
    "Risk reviewed: no current ideation, plan or intent; protective factors are the children.",
)
INTERVENTIONS = (
    "Practised paced breathing and grounding (5-4-3-2-1).",
    "Reviewed the safety plan and updated the list of people to call.",
    "Used motivational interviewing to explore ambivalence about treatment.",
    "Cognitive restructuring of 'I always ruin things' with a thought record.",
    "Problem-solved transportation: connected to the county rural transit voucher.",
    "Psychoeducation on sleep hygiene; agreed on a wind-down routine.",
)
RESPONSES = (
    "Client engaged well and reported feeling calmer by the end of the session.",
    "Client was hesitant but agreed to try the skill twice before next session.",
    "Client identified two warning signs and one coping step on her own.",
    "Client declined the referral for now and will reconsider next week.",
)
PLANS = (
    "Continue weekly sessions; homework: thought record three times this week.",
    "Follow up with the food bank and housing authority; next session in one week.",
    "Coordinate with the primary-care provider about sleep; next session in two weeks.",
    "Review PHQ-9 next session; continue behavioural activation plan.",
)
ADDENDA = (
    "Correction: the session length was 50 minutes, not 45.",
    "Late addition: client called after the session to confirm she contacted the clinic.",
    "Clarification: 'father' above refers to the client's stepfather.",
)
TASKS = (
    "Call the primary-care office about the medication change",
    "Renew the release of information for the school counsellor",
    "Send the housing authority letter",
    "Check in by phone after the court date",
    "Mail the appointment reminder and bus schedule",
)
DIAGNOSES = ("F32.1", "F41.1", "F43.10", "F43.23", "F33.1", "F10.20", "F90.0", "F41.0")
SOCIAL_Z = ("Z59.0", "Z59.1", "Z56.0", "Z63.0", "Z60.2", "Z62.820", "Z65.3")


def _text(rng: random.Random, pool: tuple[str, ...], n: int = 2) -> str:
    return " ".join(rng.sample(pool, k=min(n, len(pool))))


def synthetic_sections(rng: random.Random, template_key: str) -> dict[str, str]:
    """Section texts for one note in the given built-in template."""
    by_key = {
        "subjective": _text(rng, REPORTED),
        "objective": _text(rng, OBSERVED),
        "assessment": _text(rng, ASSESSED),
        "plan": _text(rng, PLANS, 1),
        "data": _text(rng, REPORTED) + " " + _text(rng, INTERVENTIONS, 1),
        "behavior": _text(rng, REPORTED, 1) + " " + _text(rng, OBSERVED, 1),
        "intervention": _text(rng, INTERVENTIONS),
        "response": _text(rng, RESPONSES, 1),
        "goals": "Goal 1: reduce panic episodes to fewer than one a week. Goal 2: stable housing.",
        "note": _text(rng, REPORTED, 1) + " " + _text(rng, INTERVENTIONS, 1) + " "
        + _text(rng, PLANS, 1),
    }  # fmt: skip
    template = next(t for t in builtin_templates() if t.key == template_key)
    return {s.key: by_key[s.key] for s in template.sections}


def add_synthetic_notes(
    session: Session,
    client_id: uuid.UUID,
    intake: date,
    rng: random.Random,
    *,
    notes: int,
    today: date,
) -> list[uuid.UUID]:
    """``notes`` weekly-ish notes since intake: most signed, a few drafts, some addenda."""
    keys = [t.key for t in builtin_templates()]
    span = max((today - intake).days, 1)
    ids = []
    days = sorted(intake + timedelta(days=rng.randint(0, span)) for _ in range(notes))
    for n, day in enumerate(days):
        template_key = rng.choice(keys)
        risk = rng.choice((RiskLevel.NONE, RiskLevel.NONE, RiskLevel.NONE, RiskLevel.LOW))
        data = NoteInput(
            client_id=client_id,
            session_date=day,
            template_key=template_key,
            sections=synthetic_sections(rng, template_key),
            start_time=time(rng.choice((8, 9, 10, 11, 13, 14, 15, 16)), rng.choice((0, 30))),
            duration_minutes=rng.choice((30, 45, 50, 53, 60, 90)),
            service_type=rng.choice(list(ServiceType)),
            location=rng.choice(list(Location)),
            present="Client" + rng.choice(("", "", " and mother", " and partner")),
            mental_status={"mood": rng.choice(("low", "anxious", "euthymic")),
                           "orientation": "x3"},
            risk_level=risk,
            risk_comment="Denies ideation; safety plan reviewed." if risk is RiskLevel.LOW else "",
            interventions=_text(rng, INTERVENTIONS, 1),
            plan=_text(rng, PLANS, 1),
            psychotherapy_note=rng.choice(("", "", "Process: transference around authority.")),
            **_between_sessions(day, n, last=n == len(days) - 1),
        )  # fmt: skip
        note_id = create_draft(session, data, today=today)
        ids.append(note_id)
        # Written the day of the session, or now and then days later (a late entry).
        written = datetime.combine(day, time(17, 30)) + timedelta(days=rng.choice((0,) * 9 + (4,)))
        note = session.get(Note, note_id)
        assert note is not None
        note.created_at = min(written, datetime.combine(today, time()))
        recent = n >= notes - 2 and (today - day).days < 14
        if not recent or rng.random() < 0.5:
            signed_at = note.created_at + timedelta(minutes=rng.randint(5, 600))
            sign_note(session, note_id, SIGNER, now=min(signed_at, datetime.combine(today, time())))
            if rng.random() < 0.05:
                add_addendum(session, note_id, rng.choice(ADDENDA), SIGNER,
                             now=signed_at + timedelta(days=1))  # fmt: skip
    return ids


HOMEWORK = (
    "Walk for ten minutes after lunch, three days this week.\nWrite down one thing that went "
    "well each evening.",
    "Try the 4-7-8 breathing before bed.",
    "Fill in the thought record when the worry starts; bring it next time.",
    "Call your sister on Sunday.\nKeep the bedtime at 10:30 on weeknights.",
)


def _between_sessions(day: date, number: int, *, last: bool) -> dict[str, Any]:
    """Homework on about half the notes, and the next appointment a week on from the
    latest one. Drawn from a generator of their own, so the rest of each note is what it
    was before these fields existed."""
    side = random.Random(f"between:{day.isoformat()}:{number}")  # noqa: S311 (made-up data)
    found: dict[str, Any] = {}
    if side.random() < 0.5:
        found["homework"] = side.choice(HOMEWORK)
    if last:
        found["next_appointment"] = datetime.combine(day + timedelta(days=7), time(10, 0))
    return found


def add_synthetic_clinical_data(
    session: Session, client_id: uuid.UUID, intake: date, rng: random.Random, *, today: date
) -> None:
    """Diagnoses (one primary, sometimes a social Z code) and a follow-up task or two."""
    add_diagnosis(
        session,
        client_id,
        DiagnosisInput(rng.choice(DIAGNOSES), is_primary=True, onset_date=intake),
    )
    if rng.random() < 0.5:
        add_diagnosis(session, client_id, DiagnosisInput(rng.choice(SOCIAL_Z), onset_date=intake))
    for _ in range(rng.choice((0, 1, 1, 2))):
        add_task(
            session,
            TaskInput(
                title=rng.choice(TASKS),
                due_date=today + timedelta(days=rng.randint(-10, 20)),
                client_id=client_id,
            ),
        )

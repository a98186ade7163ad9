"""Synthetic measures for the demo caseload: PHQ-9 and GAD-7 series, trend events, alerts.

Seeded and invented. Most clients improve with noise, some do not; a few early PHQ-9s
answer item 9 (their alerts reviewed, except in a handful of recent ones, so that the
Today view has something to show), and now and then a form is left incomplete.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, time, timedelta

from sqlalchemy.orm import Session

from mhsw_desktop.domain.measures import EventKind
from mhsw_desktop.services.measures import (
    EventInput,
    MeasureInput,
    add_event,
    add_measure,
    review_alert,
)

MEDICATIONS = ("Sertraline 50 mg", "Escitalopram 10 mg", "Bupropion XL 150 mg", "Mirtazapine 15 mg")


def _answers(rng: random.Random, items: int, target: int, *, item9: int = 0) -> list[int | None]:
    """Answers adding up to about ``target`` (0-3 each); item 9, when there is one, is given."""
    scored = items - 1 if items == 9 else items
    answers = [0] * scored
    for _ in range(max(0, target - item9)):
        open_items = [i for i, a in enumerate(answers) if a < 3]
        if not open_items:
            break
        answers[rng.choice(open_items)] += 1
    result: list[int | None] = list(answers)
    if items == 9:
        result.append(item9)
    return result


def add_synthetic_measures(
    session: Session, client_id: uuid.UUID, intake: date, rng: random.Random, *, today: date
) -> int:
    """Measures and events for one client from ``intake`` to ``today``; returns how many."""
    if rng.random() < 0.25:
        return 0
    span = (today - intake).days
    if span < 14:
        return 0
    count = 0
    forms = min(8, max(2, span // 30))
    improving = rng.random() < 0.75
    start = rng.randint(10, 22)
    end = rng.randint(2, 8) if improving else rng.randint(start - 3, min(27, start + 4))
    gad = rng.random() < 0.5
    gad_start = rng.randint(8, 18)
    for n in range(forms):
        day = intake + timedelta(days=round(n * (span - 1) / max(1, forms - 1)))
        share = n / max(1, forms - 1)
        target = round(start + (end - start) * share + rng.randint(-2, 2))
        target = max(0, min(26, target))
        item9 = rng.choice((1, 1, 2)) if n == 0 and target >= 15 and rng.random() < 0.35 else 0
        answers = _answers(rng, 9, target, item9=item9)
        if rng.random() < 0.06:
            answers[rng.randrange(8)] = None
        row = add_measure(
            session,
            MeasureInput(client_id, "phq9", tuple(answers), day, difficulty=min(3, target // 7)),
            today=today,
        )
        count += 1
        if row.alert and (today - day).days > 45:
            reviewed = datetime.combine(day, time(16, 30))
            review_alert(session, row.id, "Risk assessed in session; safety plan made.",
                         now=reviewed)  # fmt: skip
        if gad:
            gad_target = max(0, min(21, round(gad_start * (1 - 0.6 * share)) + rng.randint(-2, 2)))
            add_measure(
                session,
                MeasureInput(client_id, "gad7", tuple(_answers(rng, 7, gad_target)), day),
                today=today,
            )
            count += 1
    if rng.random() < 0.4:
        when = intake + timedelta(days=rng.randint(7, max(8, span // 2)))
        add_event(
            session,
            EventInput(client_id, min(when, today), EventKind.MEDICATION_CHANGE,
                       f"{rng.choice(MEDICATIONS)} started"),
            today=today,
        )  # fmt: skip
    if rng.random() < 0.1:
        when = intake + timedelta(days=rng.randint(3, max(4, span - 1)))
        add_event(session, EventInput(client_id, min(when, today), EventKind.CRISIS), today=today)
    return count

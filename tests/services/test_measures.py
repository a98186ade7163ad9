"""The measures service on a real vault: adding (validated, scored by the rules), listing,
alerts until reviewed, trend events, and change since baseline."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.measure_defs import ChangeReading
from mhsw_desktop.domain.measures import EventKind
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.services import measures
from mhsw_desktop.services.clients import add_client, delete_client
from mhsw_desktop.services.measures import EventInput, MeasureInput
from mhsw_desktop.services.notes import NoteInput, create_draft
from mhsw_desktop.vault.vault import Vault

TODAY = date(2025, 6, 2)


@pytest.fixture
def clients(vault: Vault) -> tuple[uuid.UUID, uuid.UUID]:
    with vault.unit_of_work() as session:
        ana = add_client(session, ClientInput("Ana", "González", date(1985, 3, 14)))
        earl = add_client(session, ClientInput("Earl", "Pruitt", date(1950, 6, 7)))
    return ana, earl


def phq9(client_id: uuid.UUID, answers: list[int | None], days_ago: int = 0, **more: object):
    return MeasureInput(
        client_id,
        "phq9",
        tuple(answers),
        TODAY - timedelta(days=days_ago),
        **more,  # type: ignore[arg-type]
    )


def test_add_scores_by_the_rules_and_lists_oldest_first(
    vault: Vault, clients: tuple[uuid.UUID, uuid.UUID]
) -> None:
    ana, earl = clients
    with vault.unit_of_work() as session:
        first = measures.add_measure(session, phq9(ana, [2] * 9, 60, difficulty=2), today=TODAY)
        measures.add_measure(session, phq9(ana, [1, 1, 1, 1, 1, 0, 0, 0, 0], 30), today=TODAY)
        gad = measures.add_measure(
            session, MeasureInput(ana, "gad7", (3, 3, 2, 2, 1, 1, 0), TODAY), today=TODAY
        )
        measures.add_measure(session, phq9(earl, [0] * 9), today=TODAY)
    assert (first.total, first.band, first.band_label) == (18, "moderately_severe",
                                                            "Moderately severe")  # fmt: skip
    assert first.alert and first.alert_open
    assert first.difficulty == 2
    assert (gad.total, gad.band, gad.alert) == (12, "moderate", False)
    with vault.session() as session:
        rows = measures.list_measures(session, ana)
        assert [(r.kind, r.total) for r in rows] == [("phq9", 18), ("phq9", 5), ("gad7", 12)]
        assert [r.total for r in measures.list_measures(session, ana, "phq9")] == [18, 5]
        assert measures.get_measure(session, first.id).score_text == "18 (Moderately severe)"
        json_row = rows[0].to_json()
    assert json_row["items"] == [2] * 9 and json_row["band"] == "moderately_severe"
    assert json_row["alert"] is True and "item 9" in json_row["alerts"][0]


def test_an_incomplete_form_is_stored_without_a_total(
    vault: Vault, clients: tuple[uuid.UUID, uuid.UUID]
) -> None:
    ana, _ = clients
    with vault.unit_of_work() as session:
        row = measures.add_measure(
            session, phq9(ana, [1, None, 1, 1, 1, 1, 1, 1, None]), today=TODAY
        )
    assert row.total is None and row.band == "" and row.missing == (2, 9)
    assert row.score_text == "Incomplete: items 2, 9 not answered"
    assert not row.alert and row.notices
    with vault.session() as session:
        (again,) = measures.list_measures(session, ana)
    assert again.answers == (1, None, 1, 1, 1, 1, 1, 1, None)
    assert again.to_json()["total"] is None


def test_add_is_validated(vault: Vault, clients: tuple[uuid.UUID, uuid.UUID]) -> None:
    ana, earl = clients
    with vault.unit_of_work() as session:
        earl_note = create_draft(session, NoteInput(earl, TODAY, "soap"))
    cases = [
        (phq9(ana, [0] * 9, days_ago=-1), "date", "is in the future"),
        (phq9(ana, [0] * 8 + [5]), "items", "item 9: 5 is not an answer (0 to 3)"),
        (phq9(ana, [0] * 7), "items", "has 9 items but 7 answers"),
        (MeasureInput(ana, "beck", (0,), TODAY), "kind", "not a known measure"),
        (phq9(ana, [0] * 9, difficulty=9), "difficulty", "is not an answer"),
        (phq9(ana, [0] * 9, note_id=earl_note), "note_id", "belongs to another client"),
        (phq9(ana, [0] * 9, days_ago=20000), "date", "before the client was born"),
    ]
    for data, field, message in cases:
        with pytest.raises(ValidationError) as caught, vault.unit_of_work() as session:
            measures.add_measure(session, data, today=TODAY)
        assert message in caught.value.errors[field], (field, caught.value.errors)
    with pytest.raises(NotFoundError), vault.unit_of_work() as session:
        measures.add_measure(session, phq9(uuid.uuid4(), [0] * 9), today=TODAY)
    with vault.session() as session:
        assert measures.list_measures(session, ana) == []


def test_alerts_stay_until_reviewed(vault: Vault, clients: tuple[uuid.UUID, uuid.UUID]) -> None:
    ana, earl = clients
    with vault.unit_of_work() as session:
        low = measures.add_measure(session, phq9(ana, [0] * 8 + [1], days_ago=3), today=TODAY)
        measures.add_measure(session, phq9(ana, [0] * 9), today=TODAY)
        high = measures.add_measure(session, phq9(earl, [3] * 9), today=TODAY)
    with vault.session() as session:
        found = measures.alerts(session, TODAY)
        assert [(a.client_name, a.age_days) for a in found] == [
            ("González, Ana", 3),
            ("Pruitt, Earl", 0),
        ]
        assert found[0].id == low.id and "'Several days' (1)" in found[0].messages[0]
        assert [a.measure_id for a in measures.alerts(session, TODAY, ana)] == [low.id]
    with vault.unit_of_work() as session:
        measures.review_alert(session, low.id, "Safety plan reviewed with the client.")
    with vault.session() as session:
        assert [a.measure_id for a in measures.alerts(session, TODAY)] == [high.id]
        reviewed = measures.get_measure(session, low.id)
    assert reviewed.alert and not reviewed.alert_open
    assert reviewed.alert_review_note == "Safety plan reviewed with the client."
    with pytest.raises(ValidationError, match="already reviewed"), vault.unit_of_work() as s:
        measures.review_alert(s, low.id)
    # a deleted measure and a deleted client leave no alert behind
    with vault.unit_of_work() as session:
        delete_client(session, earl)
    with vault.session() as session:
        assert measures.alerts(session, TODAY) == []


def test_review_needs_an_alert(vault: Vault, clients: tuple[uuid.UUID, uuid.UUID]) -> None:
    ana, _ = clients
    with vault.unit_of_work() as session:
        calm = measures.add_measure(session, phq9(ana, [0] * 9), today=TODAY)
    with pytest.raises(ValidationError, match="no alert"), vault.unit_of_work() as session:
        measures.review_alert(session, calm.id)


def test_deleted_measures_leave_lists_and_alerts(
    vault: Vault, clients: tuple[uuid.UUID, uuid.UUID]
) -> None:
    ana, _ = clients
    with vault.unit_of_work() as session:
        row = measures.add_measure(session, phq9(ana, [0] * 8 + [2]), today=TODAY)
        measures.delete_measure(session, row.id)
    with vault.session() as session:
        assert measures.list_measures(session, ana) == []
        assert measures.alerts(session, TODAY) == []
    with pytest.raises(NotFoundError), vault.session() as session:
        measures.get_measure(session, row.id)


def test_events_mark_the_trend(vault: Vault, clients: tuple[uuid.UUID, uuid.UUID]) -> None:
    ana, _ = clients
    with vault.unit_of_work() as session:
        later = measures.add_event(
            session, EventInput(ana, TODAY, EventKind.DISCHARGE), today=TODAY
        )
        measures.add_event(
            session,
            EventInput(ana, TODAY - timedelta(days=40), EventKind.MEDICATION_CHANGE,
                       "  Sertraline 50 mg started "),
            today=TODAY,
        )  # fmt: skip
    with vault.session() as session:
        events = measures.list_events(session, ana)
    assert [(e.kind, e.text) for e in events] == [
        (EventKind.MEDICATION_CHANGE, "Sertraline 50 mg started"),
        (EventKind.DISCHARGE, "Discharge"),
    ]
    assert events[1].to_json()["kind"] == "discharge"
    with pytest.raises(ValidationError, match="one line"), vault.unit_of_work() as session:
        measures.add_event(session, EventInput(ana, TODAY, EventKind.OTHER, "a\nb"), today=TODAY)
    with vault.unit_of_work() as session:
        measures.delete_event(session, later)
    with vault.session() as session:
        assert len(measures.list_events(session, ana)) == 1


def test_change_since_baseline(vault: Vault, clients: tuple[uuid.UUID, uuid.UUID]) -> None:
    ana, _ = clients
    with vault.unit_of_work() as session:
        assert measures.change_since_baseline(session, ana, "phq9") is None
        measures.add_measure(session, phq9(ana, [2, 2, 2, 2, 2, 2, 2, 2, 0], 90), today=TODAY)
        # an incomplete form between them is neither baseline nor latest
        measures.add_measure(session, phq9(ana, [None] * 9, 45), today=TODAY)
        assert measures.change_since_baseline(session, ana, "phq9") is None
        measures.add_measure(session, phq9(ana, [1, 1, 1, 1, 1, 1, 1, 1, 0], 1), today=TODAY)
        measures.add_measure(session, phq9(ana, [None] * 9, 0), today=TODAY)
    with vault.session() as session:
        change = measures.change_since_baseline(session, ana, "phq9")
        assert measures.change_since_baseline(session, ana, "gad7") is None
    assert change is not None
    assert (change.change.baseline, change.change.latest) == (16, 8)
    assert change.change.reading is ChangeReading.RELIABLE_IMPROVEMENT
    assert change.latest_date == TODAY - timedelta(days=1)
    assert change.summary == "PHQ-9 16 → 8 (-8): reliable improvement (threshold 6 points)"
    assert change.to_json()["reading"] == "reliable_improvement"


def test_an_unknown_client_is_not_found(vault: Vault) -> None:
    with pytest.raises(NotFoundError), vault.session() as session:
        measures.list_measures(session, uuid.uuid4())

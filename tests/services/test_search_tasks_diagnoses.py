"""Search, follow-up tasks and diagnoses on a real vault."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.services import diagnoses, notes, search, tasks
from mhsw_desktop.services.clients import add_client, delete_client
from mhsw_desktop.services.practitioner import Signer
from mhsw_desktop.vault.vault import Vault

TODAY = date.today()
SIGNER = Signer("Avery Lindqvist", "LCSW")


@pytest.fixture
def two_clients(vault: Vault) -> tuple[uuid.UUID, uuid.UUID]:
    with vault.unit_of_work() as session:
        ana = add_client(
            session,
            ClientInput("Ana", "González", date(1990, 2, 3), important_to_know="Uses a wheelchair"),
        )
        ben = add_client(session, ClientInput("Ben", "Okafor", date(1985, 6, 7)))
        for client, day, plan, private in [
            (ana, 20, "Panic attack at the grocery store; paced breathing.", "transference"),
            (ana, 5, "Sleep hygiene and a wind-down routine.", ""),
            (ben, 3, "Panic symptoms eased; continue exposure hierarchy.", ""),
        ]:
            note_id = notes.create_draft(
                session,
                notes.NoteInput(
                    client_id=client,
                    session_date=TODAY - timedelta(days=day),
                    template_key="free",
                    sections={"note": plan},
                    psychotherapy_note=private,
                ),
            )
            if day != 5:
                notes.sign_note(session, note_id, SIGNER)
    return ana, ben


QUERIES = [
    ("anxiety", '"anxiety"'),
    ("anx*", '"anx"*'),
    ('"panic attack"', '"panic attack"'),
    ("sleep OR panic", '"sleep" OR "panic"'),
    ("panic -grocery", '"panic" NOT "grocery"'),
    ("panic NOT grocery", '"panic" NOT "grocery"'),
    ("A&O x3", '"A O" AND "x3"'),
    ("González", '"González"'),
]


@pytest.mark.parametrize(("typed", "fts"), QUERIES)
def test_queries_translate_to_fts(typed: str, fts: str) -> None:
    assert search.parse_query(typed) == fts


@pytest.mark.parametrize(
    ("typed", "hint"),
    [
        ('"panic attack', "quotation mark is not closed"),
        ("OR panic", "needs a word before"),
        ("panic OR", "needs a word after"),
        ("panic OR AND sleep", "needs a word after"),
        ("-panic", "Start with a word"),
        ("   ", "Type a word"),
        ("&&& ***", "punctuation alone"),
        ("x" * 501, "at most 500"),
    ],
)
def test_malformed_queries_give_a_hint(typed: str, hint: str) -> None:
    with pytest.raises(search.SearchQueryError, match=hint):
        search.parse_query(typed)


def test_search_folds_accents_ranks_and_highlights(
    vault: Vault, two_clients: tuple[uuid.UUID, uuid.UUID]
) -> None:
    with vault.session() as session:
        clients = search.search(session, "gonzalez")
        assert [h.kind for h in clients] == ["client"]
        assert clients[0].client_name == "González, Ana"
        hits = search.search(session, "panic")
        assert {h.client_name for h in hits} == {"González, Ana", "Okafor, Ben"}
        assert all(search.HIGHLIGHT_START + "Panic" in h.snippet or
                   search.HIGHLIGHT_START + "panic" in h.snippet for h in hits)  # fmt: skip
        assert [h.kind for h in search.search(session, "wheelchair")] == ["client"]
        assert len(search.search(session, "pan*")) == 2
        assert search.search(session, '"grocery store"')[0].client_name == "González, Ana"


def test_search_filters(vault: Vault, two_clients: tuple[uuid.UUID, uuid.UUID]) -> None:
    _ana, ben = two_clients
    with vault.session() as session:
        assert {h.client_id for h in search.search(session, "panic", client_id=ben)} == {ben}
        recent = search.search(session, "panic", date_from=TODAY - timedelta(days=10))
        assert {h.client_id for h in recent} == {ben}
        assert search.search(session, "sleep", signed=True) == []
        assert len(search.search(session, "sleep", signed=False)) == 1
        assert len(search.search(session, "sleep", template_key="soap")) == 0


def test_psychotherapy_notes_are_searched_only_when_asked(
    vault: Vault, two_clients: tuple[uuid.UUID, uuid.UUID]
) -> None:
    with vault.session() as session:
        assert search.search(session, "transference") == []
        asked = search.search(session, "transference", include_private=True)
        assert len(asked) == 1 and "transference" in asked[0].snippet


def test_the_index_follows_edits_addenda_errors_and_deletions(
    vault: Vault, two_clients: tuple[uuid.UUID, uuid.UUID]
) -> None:
    ana, _ben = two_clients
    with vault.unit_of_work() as session:
        note_id = notes.list_notes(session, ana)[0].id  # the newer: unsigned sleep note
        detail = notes.get_note(session, note_id)
        notes.save_draft(session, note_id, detail.data.__class__(
            **{**detail.data.__dict__, "sections": {"note": "Nightmares discussed."}}
        ))  # fmt: skip
    with vault.session() as session:
        assert search.search(session, "sleep") == []
        assert len(search.search(session, "nightmares")) == 1
    with vault.unit_of_work() as session:
        signed = notes.list_notes(session, ana)[1].id
        notes.add_addendum(session, signed, "Correction: the store was the pharmacy.", SIGNER)
    with vault.session() as session:
        assert len(search.search(session, "pharmacy")) == 1
    with vault.unit_of_work() as session:
        notes.mark_entered_in_error(session, signed, "Wrong chart.")
        delete_client(session, _ben)
    with vault.session() as session:
        assert search.search(session, "pharmacy") == []
        assert search.search(session, "okafor") == []


def test_tasks_due_today_overdue_and_done(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        client = add_client(session, ClientInput("Ana", "González", date(1990, 2, 3)))
        today = tasks.add_task(session, tasks.TaskInput("Call Dr. Lee", TODAY, client_id=client))
        late = tasks.add_task(session, tasks.TaskInput("Renew ROI", TODAY - timedelta(days=4)))
        tasks.add_task(session, tasks.TaskInput("Send letter", TODAY + timedelta(days=3)))
    with vault.session() as session:
        assert [t.id for t in tasks.list_tasks(session, "today", TODAY)] == [today]
        overdue = tasks.list_tasks(session, "overdue", TODAY)
        assert [t.id for t in overdue] == [late] and overdue[0].overdue
        assert len(tasks.list_tasks(session, "open", TODAY)) == 3
        summary = tasks.today_summary(session, TODAY)
        assert summary.due_today[0].client_name == "González, Ana"
    with vault.unit_of_work() as session:
        tasks.complete_task(session, late)
    with vault.session() as session:
        assert tasks.list_tasks(session, "overdue", TODAY) == []
        assert len(tasks.list_tasks(session, "all", TODAY)) == 3
    for bad in (tasks.TaskInput("", TODAY), tasks.TaskInput("x" * 201, TODAY),
                tasks.TaskInput("ok", TODAY, client_id=uuid.uuid4())):  # fmt: skip
        with pytest.raises(ValidationError), vault.unit_of_work() as session:
            tasks.add_task(session, bad)


def test_icd10_lookup_by_code_and_words() -> None:
    assert diagnoses.lookup("F32.1")[0] == (
        "F32.1", "Major depressive disorder, single episode, moderate",
    )  # fmt: skip
    assert diagnoses.lookup("f321")[0][0] == "F32.1"
    assert diagnoses.lookup("ptsd")[0][0] == "F43.1"
    words = diagnoses.lookup("homelessness")
    assert words and words[0][0].startswith("Z59")
    assert diagnoses.lookup("") == []


def test_diagnoses_primary_secondary_and_dates(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        client = add_client(session, ClientInput("Ana", "González", date(1990, 2, 3)))
        first = diagnoses.add_diagnosis(
            session, client, diagnoses.DiagnosisInput("f411", is_primary=True)
        )
        diagnoses.add_diagnosis(session, client, diagnoses.DiagnosisInput("Z59.0"))
        diagnoses.add_diagnosis(session, client, diagnoses.DiagnosisInput("F32.1", is_primary=True))
    with vault.session() as session:
        rows = diagnoses.list_diagnoses(session, client)
        assert [(r.code, r.is_primary) for r in rows] == [
            ("F32.1", True), ("F41.1", False), ("Z59.0", False),
        ]  # fmt: skip
        assert rows[1].id == first
    for bad, field in (
        (diagnoses.DiagnosisInput("Q99.99"), "code"),
        (diagnoses.DiagnosisInput("F32.1", onset_date=TODAY + timedelta(days=1)), "onset_date"),
        (diagnoses.DiagnosisInput("F32.1", onset_date=TODAY,
                                  resolved_date=TODAY - timedelta(days=1)), "resolved_date"),
    ):  # fmt: skip
        with pytest.raises(ValidationError) as caught, vault.unit_of_work() as session:
            diagnoses.add_diagnosis(session, client, bad)
        assert field in caught.value.errors
    with pytest.raises(NotFoundError), vault.unit_of_work() as session:
        diagnoses.add_diagnosis(session, uuid.uuid4(), diagnoses.DiagnosisInput("F32.1"))


def test_a_task_cannot_join_one_client_to_another_clients_note(
    vault: Vault, two_clients: tuple[uuid.UUID, uuid.UUID]
) -> None:
    ana, ben = two_clients
    with vault.session() as session:
        bens_note = notes.list_notes(session, ben)[0].id
    with pytest.raises(ValidationError) as caught, vault.unit_of_work() as session:
        tasks.add_task(session, tasks.TaskInput("Call", TODAY, client_id=ana, note_id=bens_note))
    assert caught.value.errors == {"note_id": "belongs to another client"}

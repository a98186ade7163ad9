"""Session notes through the services: drafts, signing, immutability, addenda, lists."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.note import Addendum, Note, RiskLevel
from mhsw_desktop.domain.templates import NoteTemplate, TemplateSection
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.services import notes, templates
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.practitioner import (
    PractitionerInput,
    ProfileIncomplete,
    Signer,
    save_practitioner,
    signer_for,
)
from mhsw_desktop.vault.vault import Vault

TODAY = date.today()
SIGNER = Signer("Avery Lindqvist", "LCSW", "LIC-SYN-123")
SOAP = {
    "subjective": "Client reported poor sleep.",
    "objective": "Tearful; oriented x3.",
    "assessment": "Depressive symptoms persist.",
    "plan": "Weekly sessions; thought record.",
}


@pytest.fixture
def client_id(vault: Vault) -> uuid.UUID:
    with vault.unit_of_work() as session:
        return add_client(
            session, ClientInput("Ana", "González", date(1990, 2, 3), intake_date=date(2024, 1, 2))
        )


def note_input(client_id: uuid.UUID, **changes: object) -> notes.NoteInput:
    base = notes.NoteInput(
        client_id=client_id, session_date=TODAY - timedelta(days=1), template_key="soap",
        sections=dict(SOAP),
    )  # fmt: skip
    return replace(base, **changes)  # type: ignore[arg-type]


def signed_note(vault: Vault, client_id: uuid.UUID) -> uuid.UUID:
    with vault.unit_of_work() as session:
        note_id = notes.create_draft(session, note_input(client_id))
        notes.sign_note(session, note_id, SIGNER)
    return note_id


def test_draft_round_trip_and_autosave(vault: Vault, client_id: uuid.UUID) -> None:
    with vault.unit_of_work() as session:
        note_id = notes.create_draft(session, note_input(client_id, sections={}))
    with vault.unit_of_work() as session:
        notes.save_draft(session, note_id, note_input(client_id, present="Client and mother"))
    with vault.session() as session:
        detail = notes.get_note(session, note_id)
    assert detail.data.sections == SOAP
    assert detail.data.present == "Client and mother"
    assert not detail.signed and detail.template.name == "SOAP"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"session_date": TODAY + timedelta(days=1)}, "session_date"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 24 * 60 + 1}, "duration_minutes"),
        ({"sections": {"nonsense": "x"}}, "sections"),
        ({"sections": {"plan": "x" * 20_001}}, "section:plan"),
        ({"mental_status": {"aura": "blue"}}, "mental_status"),
        ({"present": "x" * 501}, "present"),
    ],
)
def test_impossible_drafts_are_refused(
    vault: Vault, client_id: uuid.UUID, changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught, vault.unit_of_work() as session:
        notes.create_draft(session, note_input(client_id, **changes))
    assert field in caught.value.errors
    with vault.session() as session:
        assert notes.list_notes(session, client_id) == []


def test_signing_needs_every_required_section_and_a_risk_comment(
    vault: Vault, client_id: uuid.UUID
) -> None:
    incomplete = note_input(client_id, sections={"subjective": "x"}, risk_level=RiskLevel.HIGH)
    with vault.unit_of_work() as session:
        note_id = notes.create_draft(session, incomplete)
    with pytest.raises(ValidationError) as caught, vault.unit_of_work() as session:
        notes.sign_note(session, note_id, SIGNER)
    assert set(caught.value.errors) == {
        "section:objective", "section:assessment", "section:plan", "risk_comment",
    }  # fmt: skip
    with vault.session() as session:
        assert not notes.get_note(session, note_id).signed


def test_signing_freezes_with_time_signer_and_hash(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = signed_note(vault, client_id)
    with vault.session() as session:
        detail = notes.get_note(session, note_id)
        row = session.get(Note, note_id)
        assert row is not None
        assert detail.signed and detail.signer_name == "Avery Lindqvist"
        assert detail.signer_credentials == "LCSW" and detail.signer_licence == "LIC-SYN-123"
        assert len(detail.content_hash) == 64
        assert notes.content_hash(row) == detail.content_hash  # recomputable: tamper-evident


def test_signed_notes_refuse_every_service_entry_point(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = signed_note(vault, client_id)
    attempts = [
        lambda s: notes.save_draft(s, note_id, note_input(client_id, plan="changed")),
        lambda s: notes.delete_draft(s, note_id),
        lambda s: notes.sign_note(s, note_id, SIGNER),
    ]
    for attempt in attempts:
        with pytest.raises(notes.NoteSignedError), vault.unit_of_work() as session:
            attempt(session)


def test_signed_notes_refuse_changes_even_below_the_services(
    vault: Vault, client_id: uuid.UUID
) -> None:
    """The database trigger stops an ORM write, raw SQL and a delete alike."""
    note_id = signed_note(vault, client_id)
    with pytest.raises(IntegrityError, match="immutable"), vault.unit_of_work() as session:
        row = session.get(Note, note_id)
        assert row is not None
        row.sections = json.dumps({"plan": "rewritten"})
    for sql in (
        "UPDATE notes SET plan = 'x' WHERE id = :id",
        "UPDATE notes SET signed_at = NULL WHERE id = :id",
        "DELETE FROM notes WHERE id = :id",
    ):
        with pytest.raises(IntegrityError, match="immutable"), vault.engine.begin() as conn:
            conn.exec_driver_sql(sql.replace(":id", "?"), (note_id.hex,))
    with vault.session() as session:
        assert notes.get_note(session, note_id).data.sections == SOAP


def test_addenda_sign_in_turn_show_under_the_note_and_are_frozen(
    vault: Vault, client_id: uuid.UUID
) -> None:
    with vault.unit_of_work() as session:
        draft = notes.create_draft(session, note_input(client_id))
    with pytest.raises(ValidationError), vault.unit_of_work() as session:
        notes.add_addendum(session, draft, "too early", SIGNER)
    note_id = signed_note(vault, client_id)
    with vault.unit_of_work() as session:
        notes.add_addendum(session, note_id, "Correction: 50 minutes.", SIGNER)
        notes.add_addendum(session, note_id, "Client called back.", SIGNER)
    with vault.session() as session:
        detail = notes.get_note(session, note_id)
        assert [a.text for a in detail.addenda] == [
            "Correction: 50 minutes.",
            "Client called back.",
        ]
        assert all(len(a.content_hash) == 64 for a in detail.addenda)
        assert notes.list_notes(session, client_id)[0].addenda_count == 2
    with pytest.raises(IntegrityError, match="immutable"), vault.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE note_addenda SET text = 'changed'")


def test_entered_in_error_is_hidden_but_kept(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = signed_note(vault, client_id)
    with pytest.raises(ValidationError), vault.unit_of_work() as session:
        notes.mark_entered_in_error(session, note_id, "  ")
    with vault.unit_of_work() as session:
        notes.mark_entered_in_error(session, note_id, "Written in the wrong chart.")
    with vault.session() as session:
        assert notes.list_notes(session, client_id) == []
        kept = notes.list_notes(session, client_id, include_in_error=True)
        assert [r.entered_in_error for r in kept] == [True]
        assert notes.get_note(session, note_id).entered_in_error_reason.startswith("Written")


def test_late_entries_are_labelled(vault: Vault, client_id: uuid.UUID) -> None:
    with vault.unit_of_work() as session:
        timely = notes.create_draft(session, note_input(client_id, session_date=TODAY))
        late = notes.create_draft(
            session, note_input(client_id, session_date=TODAY - timedelta(days=10))
        )
    with vault.session() as session:
        assert not notes.get_note(session, timely).late_entry
        assert notes.get_note(session, late).late_entry


def test_notes_to_finish_oldest_first_with_age(vault: Vault, client_id: uuid.UUID) -> None:
    with vault.unit_of_work() as session:
        for days in (3, 12, 1):
            notes.create_draft(session, note_input(client_id, session_date=TODAY - timedelta(days)))
    signed_note(vault, client_id)
    with vault.session() as session:
        unsigned = notes.unsigned_notes(session, TODAY)
    assert [u.age_days for u in unsigned] == [12, 3, 1]
    assert unsigned[0].client_name == "González, Ana"


def test_a_draft_left_open_is_recovered(vault: Vault, client_id: uuid.UUID) -> None:
    with vault.unit_of_work() as session:
        left_open = notes.create_draft(session, note_input(client_id))
        closed = notes.create_draft(session, note_input(client_id))
        notes.set_editing(session, left_open, True)
        notes.set_editing(session, closed, True)
        notes.set_editing(session, closed, False)
    with vault.session() as session:
        assert [d.id for d in notes.recovered_drafts(session)] == [left_open]


def test_changing_a_template_never_alters_notes_written_with_it(
    vault: Vault, client_id: uuid.UUID
) -> None:
    mine = NoteTemplate(
        "intake_short", "Short intake", "", (TemplateSection("story", "Story", required=True),)
    )
    with vault.unit_of_work() as session:
        templates.add_template(session, mine)
        note_id = notes.create_draft(
            session, note_input(client_id, template_key="intake_short", sections={"story": "x"})
        )
        templates.update_template(
            session, replace(mine, sections=(TemplateSection("other", "Other"),))
        )
    with vault.session() as session:
        detail = notes.get_note(session, note_id)
        assert [s.key for s in detail.template.sections] == ["story"]
        assert [s.key for s in templates.get_template(session, "intake_short").sections] == [
            "other"
        ]


def test_template_rules(vault: Vault) -> None:
    with vault.session() as session:
        keys = [t.key for t in templates.list_templates(session)]
        assert keys[:5] == ["soap", "dap", "birp", "girp", "free"]
        for bad in (
            NoteTemplate("SOAP", "Dup", "", (TemplateSection("a", "A"),)),
            NoteTemplate("soap", "Dup", "", (TemplateSection("a", "A"),)),
            NoteTemplate("empty", "Empty", "", ()),
        ):
            with pytest.raises(ValidationError):
                templates.add_template(session, bad)


def test_unknown_client_or_note(vault: Vault, client_id: uuid.UUID) -> None:
    with pytest.raises(NotFoundError), vault.unit_of_work() as session:
        notes.create_draft(session, note_input(uuid.uuid4()))
    with pytest.raises(NotFoundError), vault.session() as session:
        notes.get_note(session, uuid.uuid4())


def test_signer_comes_from_the_practitioner_profile(vault: Vault) -> None:
    with pytest.raises(ProfileIncomplete), vault.session() as session:
        signer_for(session)
    with vault.unit_of_work() as session:
        save_practitioner(session, PractitionerInput(name="Avery L.", credentials="LCSW"))
    with vault.session() as session:
        assert signer_for(session) == Signer("Avery L.", "LCSW", "")


def test_addendum_rows_are_linked(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = signed_note(vault, client_id)
    with vault.unit_of_work() as session:
        notes.add_addendum(session, note_id, "x", SIGNER, now=datetime(2026, 1, 1, 9, 0))
    with vault.session() as session:
        rows = session.query(Addendum).all()
    assert [r.note_id for r in rows] == [note_id]


def test_a_note_entered_in_error_stays_closed_and_out_of_search(
    vault: Vault, client_id: uuid.UUID
) -> None:
    from mhsw_desktop.services.search import search

    note_id = signed_note(vault, client_id)
    with vault.unit_of_work() as session:
        draft = notes.create_draft(session, note_input(client_id))
        notes.mark_entered_in_error(session, note_id, "Wrong chart.")
        notes.mark_entered_in_error(session, draft, "Wrong chart.")
    with pytest.raises(ValidationError, match="entered in error"), vault.unit_of_work() as s:
        notes.add_addendum(s, note_id, "late text", SIGNER)
    with pytest.raises(ValidationError, match="entered in error"), vault.unit_of_work() as s:
        notes.save_draft(s, draft, note_input(client_id, plan="again"))
    with vault.session() as session:
        assert search(session, "tearful") == []


def test_listing_an_unknown_clients_notes_is_an_error(vault: Vault) -> None:
    with pytest.raises(NotFoundError), vault.session() as session:
        notes.list_notes(session, uuid.uuid4())


def test_late_entry_counts_local_days(monkeypatch: pytest.MonkeyPatch) -> None:
    """An evening note written west of Greenwich is stored with tomorrow's UTC date; it
    is still written on the day of the session, locally."""
    import time as time_module

    monkeypatch.setenv("TZ", "America/Denver")
    time_module.tzset()
    try:
        session = date(2026, 3, 10)
        evening = datetime(2026, 3, 13, 4, 30)  # 21:30 on the 12th in Denver, UTC stored
        assert not notes.is_late_entry(session, evening)  # written 2 days after, locally
        assert notes.is_late_entry(session, datetime(2026, 3, 14, 4, 30))
    finally:
        monkeypatch.undo()
        time_module.tzset()

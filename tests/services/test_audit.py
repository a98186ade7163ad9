"""What the services write to the audit log: each change in the same transaction as the
change (created, changed with field names only, signed, deleted), nothing for a rollback,
one entry for a run of draft autosaves, views and prints by hand — never record content."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.errors import ValidationError
from mhsw_desktop.services import audit
from mhsw_desktop.services.clients import add_client, get_client, update_client
from mhsw_desktop.services.notes import NoteInput, create_draft, save_draft, sign_note
from mhsw_desktop.services.practitioner import Signer
from mhsw_desktop.vault.vault import Vault

SECRET = "Zyqxwvandermeer-private-detail"


def rows(vault: Vault, client_id: uuid.UUID | None = None) -> list[audit.AuditRow]:
    with vault.session() as s:
        return audit.list_entries(s, client_id=client_id)


@pytest.fixture
def client(vault: Vault) -> uuid.UUID:
    with vault.unit_of_work() as s:
        return add_client(s, ClientInput("Ana", "González", date(1985, 3, 14),
                                         important_to_know=SECRET))  # fmt: skip


def test_a_change_is_written_with_its_field_names_never_its_values(
    vault: Vault, client: uuid.UUID
) -> None:
    with vault.unit_of_work() as s:
        data = get_client(s, client).data
        update_client(s, client, data.__class__(**{**data.__dict__, "phone": "(406) 555-0142",
                                                   "address": SECRET}))  # fmt: skip
    mine = rows(vault, client)
    assert [(r.action, r.object_type) for r in mine] == [("create", "clients"),
                                                        ("change", "clients")]  # fmt: skip
    assert mine[1].detail == "fields: address, phone" and mine[1].object_id == client
    with vault.engine.connect() as conn:
        dumped = repr(conn.exec_driver_sql("SELECT * FROM audit_log").fetchall())
    assert SECRET not in dumped and "555-0142" not in dumped and "González" not in dumped


def test_a_rolled_back_change_leaves_no_entry(vault: Vault, client: uuid.UUID) -> None:
    before = len(rows(vault))
    with pytest.raises(ValidationError), vault.unit_of_work() as s:
        data = get_client(s, client).data
        update_client(s, client, data.__class__(**{**data.__dict__, "phone": "(406) 555-0142"}))
        add_client(s, ClientInput("", "", date(1985, 3, 14)))  # refused: the whole unit goes
    assert len(rows(vault)) == before


def test_signing_is_its_own_action_and_autosaves_make_one_entry(
    vault: Vault, client: uuid.UUID
) -> None:
    soap = {"subjective": "Poor sleep.", "objective": "Tearful.", "assessment": "Low mood.",
            "plan": "Weekly sessions."}  # fmt: skip
    draft = NoteInput(client, date.today() - timedelta(days=1), "soap", sections=soap)
    with vault.unit_of_work() as s:
        note = create_draft(s, draft)
    for n in range(5):  # the editor saves every two seconds while the practitioner types
        with vault.unit_of_work() as s:
            save_draft(s, note, replace(draft, sections={**soap, "plan": f"v{n} {SECRET}"}))
    with vault.unit_of_work() as s:
        sign_note(s, note, Signer("Avery Lindqvist", "LCSW"))
    notes = [r for r in rows(vault, client) if r.object_type == "notes"]
    assert [r.action for r in notes] == ["create", "change", "sign"]


def test_a_tombstone_is_a_delete(vault: Vault, client: uuid.UUID) -> None:
    from mhsw_desktop.services.clients import delete_client

    with vault.unit_of_work() as s:
        delete_client(s, client)
    assert rows(vault, client)[-1].action == "delete"


def test_views_and_prints_are_recorded_by_the_operation(vault: Vault, client: uuid.UUID) -> None:
    with vault.unit_of_work() as s:
        audit.record(s, "view", object_type="clients", object_id=client, client_id=client)
        audit.record(s, "print", object_type="report", client_id=client,
                     detail="session-summary, 1 page")  # fmt: skip
    last = rows(vault, client)[-2:]
    expected = [("view", ""), ("print", "session-summary, 1 page")]
    assert [(r.action, r.detail) for r in last] == expected
    with vault.session() as s:
        assert [r.action for r in audit.list_entries(s, action="print")] == ["print"]
        assert len(audit.list_entries(s, limit=2)) == 2
        tomorrow = date.today() + timedelta(days=1)
        assert audit.list_entries(s, since=tomorrow) == []
        assert audit.list_entries(s, until=date.today() - timedelta(days=1)) == []
    assert vault.verify_audit().ok
    assert rows(vault)[-1].to_json()["at"] <= datetime.now().isoformat()

"""A client's preferred language, interpreter need and document language; note homework."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.errors import ValidationError
from mhsw_desktop.services.clients import add_client, get_client, update_client
from mhsw_desktop.services.notes import NoteInput, create_draft, get_note, sign_note
from mhsw_desktop.services.synthetic_notes import SIGNER
from mhsw_desktop.vault import schema
from mhsw_desktop.vault.vault import Vault
from tests.cli.test_cli import mhsw
from tests.support import PASSPHRASE, add_client_to_old_vault, older_vault, records_snapshot

ANA = ClientInput("Ana", "Ruiz", date(1988, 4, 1))


def test_the_three_fields_round_trip(vault: Vault) -> None:
    with vault.unit_of_work() as s:
        client = add_client(
            s, replace(ANA, preferred_language="es", interpreter_needed=True,
                       document_language="both"),
        )  # fmt: skip
    with vault.session() as s:
        data = get_client(s, client).data
    assert (data.preferred_language, data.interpreter_needed, data.document_language) == (
        "es", True, "both",
    )  # fmt: skip
    with vault.session() as s:
        plain = get_client(s, add_client(s, ANA)).data
    assert (plain.preferred_language, plain.interpreter_needed, plain.document_language) == (
        "en", False, "client",
    )  # fmt: skip


@pytest.mark.parametrize(
    ("change", "field", "words"),
    [
        ({"preferred_language": "fr"}, "preferred_language", "not one of the languages"),
        ({"preferred_language": "Spanish"}, "preferred_language", "not a language code"),
        ({"document_language": "klingon"}, "document_language", "must be one of"),
    ],
)
def test_a_bad_language_is_refused_and_changes_nothing(
    vault: Vault, change: dict[str, str], field: str, words: str
) -> None:
    with vault.unit_of_work() as s:
        client = add_client(s, ANA)
    before = records_snapshot(vault.folder)
    with vault.unit_of_work() as s, pytest.raises(ValidationError) as refused:
        update_client(s, client, replace(ANA, **change))  # type: ignore[arg-type]
    assert words in refused.value.errors[field]
    assert records_snapshot(vault.folder) == before


def test_homework_is_kept_signed_and_frozen(vault: Vault) -> None:
    with vault.unit_of_work() as s:
        client = add_client(s, ANA)
        note = create_draft(
            s, NoteInput(client, date.today(), "free", {"note": "Session."},
                         homework="  Walk after lunch.\nCall my sister.  "),
        )  # fmt: skip
        sign_note(s, note, SIGNER)
    with vault.session() as s:
        assert get_note(s, note).data.homework == "Walk after lunch.\nCall my sister."
    with vault.engine.begin() as conn, pytest.raises(sqlalchemy.exc.IntegrityError):
        conn.exec_driver_sql("UPDATE notes SET homework = 'changed' WHERE id = ?", (note.hex,))
    assert vault.verify().ok


def test_a_vault_from_0006_opens_with_english_for_every_client(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = older_vault(tmp_path, monkeypatch, "0006_audit_log")
    with made, made.unit_of_work() as s:
        client = add_client_to_old_vault(s, "Ana", "Ruiz", date(1988, 4, 1))
    monkeypatch.undo()
    with Vault.open(tmp_path / "vault", PASSPHRASE) as opened:
        assert opened.info.schema_revision == schema.HEAD
        assert opened.verify().ok
        with opened.session() as s:
            data = get_client(s, client).data
    assert (data.legal_first_name, data.preferred_language, data.interpreter_needed,
            data.document_language) == ("Ana", "en", False, "client")  # fmt: skip


def test_the_command_line_sets_and_refuses_languages(tmp_path: Path) -> None:
    folder = str(tmp_path / "vault")
    pw = f"{PASSPHRASE}\n"
    assert mhsw("--vault", folder, "init", stdin=pw).returncode == 0
    added = mhsw("--vault", folder, "clients", "add", "--first-name", "Lucía", "--last-name",
                 "Peña", "--dob", "1979-06-02", "--language", "es", "--interpreter",
                 stdin=pw)  # fmt: skip
    assert added.returncode == 0, added.stderr
    client = added.stdout.strip()
    changed = mhsw("--vault", folder, "clients", "set-language", client, "--documents", "both",
                   "--no-interpreter", "--json", stdin=pw)  # fmt: skip
    assert changed.returncode == 0, changed.stderr
    assert json.loads(changed.stdout) == {
        "id": client, "preferred_language": "es", "interpreter_needed": False,
        "document_language": "both",
    }  # fmt: skip
    refused = mhsw("--vault", folder, "clients", "add", "--first-name", "A", "--last-name", "B",
                   "--dob", "1980-01-01", "--language", "fr", stdin=pw)  # fmt: skip
    assert refused.returncode == 1 and "not one of the languages" in refused.stderr
    assert "Traceback" not in refused.stderr
    nothing = mhsw("--vault", folder, "clients", "set-language", client, stdin=pw)
    assert nothing.returncode == 2 and "Give --language" in nothing.stderr


def test_the_session_summary_shows_what_the_client_took_home(vault: Vault) -> None:
    import io

    from pypdf import PdfReader

    from mhsw_desktop.reports.make import ReportRequest, make_report

    with vault.unit_of_work() as s:
        client = add_client(s, ANA)
        note = create_draft(
            s, NoteInput(client, date.today(), "free", {"note": "Session."},
                         homework="Call my sister on Sunday."),
        )  # fmt: skip
    with vault.session() as s:
        pdf = make_report(s, ReportRequest("session-summary", client, note_id=note))
    words = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Between sessions (given to the client)" in words
    assert "Call my sister on Sunday." in words


def test_0007_downgrades_and_keeps_the_signed_note_triggers(vault: Vault) -> None:
    """Dropping a column rebuilds the notes table; the triggers that freeze and keep
    signed notes must come back with it."""
    from alembic import command
    from alembic.config import Config

    import mhsw_desktop.vault.vault as vault_module

    with vault.engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")  # as the upgrade runs, outside a transaction
        with conn.begin():
            config = Config()
            config.set_main_option("script_location", str(vault_module.MIGRATIONS))
            config.attributes["connection"] = conn
            command.downgrade(config, "0006_audit_log")
        triggers = {
            name for (name,) in conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'notes'"
            )
        }  # fmt: skip
        columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(notes)")}
        clients = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(clients)")}
    assert {"notes_signed_are_frozen", "notes_signed_are_kept"} <= triggers
    assert "homework" not in columns and "preferred_language" not in clients

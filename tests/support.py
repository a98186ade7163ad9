"""Helpers shared by the headless tests: real vaults in temporary folders, file snapshots."""

from __future__ import annotations

import hashlib
import uuid
from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from mhsw_desktop.vault import kdf
from mhsw_desktop.vault.vault import Vault

PASSPHRASE = "tidewater orchard compass 42 lantern"
NEW_PASSPHRASE = "granite heron sailcloth 19 meadow"


def create_vault(folder: Path, passphrase: str = PASSPHRASE) -> tuple[Vault, str]:
    """A real SQLCipher vault at the 64 MiB KDF floor (no calibration: tests stay fast)."""
    return Vault.create(folder, passphrase, params=kdf.minimum_params())


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` with the SHA-256 of its bytes (folders by name)."""
    result: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        rel = str(path.relative_to(folder))
        result[rel] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "dir"
    return result


def records_snapshot(folder: Path, passphrase: str = PASSPHRASE) -> dict[str, str]:
    """What a refused operation must leave as it was: every file but the database (and the
    audit log's anchor), and every table's rows but the audit log's.

    Opening a vault is itself written to its audit log, so an operation refused after the
    unlock changes the database file, but never a record in it.
    """
    from mhsw_desktop.vault.audit import ANCHOR_NAME, TABLE

    result = {
        name: digest
        for name, digest in snapshot(folder).items()
        if not name.startswith("vault.db") and name != ANCHOR_NAME
    }
    with Vault.open(folder, passphrase, migrate=False) as vault, vault.engine.connect() as conn:
        tables = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        ).scalars()
        for table in [t for t in tables if t != TABLE and not t.startswith("sqlite_")]:
            rows = conn.exec_driver_sql(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
            result[f"table {table}"] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return result


def add_client_to_old_vault(session: Session, first: str, last: str, dob: date) -> uuid.UUID:
    """Add a client to a vault at an older schema revision, through SQL of its own era:
    today's model would write columns that revision does not have yet."""
    from sqlalchemy import text

    from mhsw_desktop.domain.ids import new_id, utcnow

    client_id = new_id()
    now = utcnow()
    session.execute(
        text(
            "INSERT INTO clients (id, created_at, updated_at, legal_first_name, legal_last_name,"
            " preferred_name, pronouns, date_of_birth, phone, email, address,"
            " emergency_contact_name, emergency_contact_phone, intake_date, status,"
            " discharge_reason, important_to_know, search_key, sort_name) VALUES (:id, :now,"
            " :now, :first, :last, '', '', :dob, '', '', '', '', '', :dob, 'active', '', '',"
            " '', :sort)"
        ),
        {"id": client_id.hex, "now": now, "first": first, "last": last, "dob": dob,
         "sort": f"{last.lower()}\x00{first.lower()}\x00"},
    )  # fmt: skip
    return client_id


def older_vault(tmp_path: Path, monkeypatch: object, revision: str) -> Vault:
    """A new vault made at schema ``revision`` (migrations after it left out), open.

    Add rows of that era to it (``add_client_to_old_vault``), lock it, then undo
    ``monkeypatch`` and open it again to watch the later migrations run.
    """
    import shutil

    import pytest

    import mhsw_desktop.vault.vault as vault_module
    from mhsw_desktop.vault import schema

    assert isinstance(monkeypatch, pytest.MonkeyPatch)
    keep = schema.KNOWN_REVISIONS[: schema.KNOWN_REVISIONS.index(revision) + 1]
    old = tmp_path / f"migrations-{revision}"
    shutil.copytree(vault_module.MIGRATIONS, old, ignore=shutil.ignore_patterns("__pycache__"))
    for path in (old / "versions").glob("*.py"):
        if path.stem != "__init__" and path.stem not in keep:
            path.unlink()
    monkeypatch.setattr(vault_module, "MIGRATIONS", old)
    monkeypatch.setattr(schema, "KNOWN_REVISIONS", keep)
    monkeypatch.setattr(schema, "HEAD", revision)
    made, _ = create_vault(tmp_path / "vault")
    assert made.info.schema_revision == revision
    return made

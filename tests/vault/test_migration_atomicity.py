"""Upgrades are all or nothing: a failing migration changes no table and no revision.

Each test builds a vault at ``0001_clients`` with a migrations folder holding only that
revision, then unlocks it with a copy of the real migrations plus one extra revision.
"""

from __future__ import annotations

import shutil
import textwrap
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest

import mhsw_desktop.vault.vault as vault_module
from mhsw_desktop.vault import errors, schema
from mhsw_desktop.vault.vault import Vault
from tests.support import PASSPHRASE, create_vault, snapshot

REAL_MIGRATIONS = vault_module.MIGRATIONS
REAL_REVISIONS = schema.KNOWN_REVISIONS
FIRST = REAL_REVISIONS[0]
CLIENT_ID = "0192f0c1a2b37c4d8e9f00112233aabb"

MigrationsSetter = Callable[[tuple[str, ...], dict[str, str]], None]


def _revision(name: str, body: str) -> str:
    """The source of a revision ``name`` after the real head whose upgrade is ``body``."""
    return (
        "import sqlalchemy as sa\n"
        "from alembic import op\n\n"
        f"revision = {name!r}\n"
        f"down_revision = {REAL_REVISIONS[-1]!r}\n"
        "branch_labels = None\n"
        "depends_on = None\n\n\n"
        "def upgrade() -> None:\n" + textwrap.indent(textwrap.dedent(body), "    ")
    )


@pytest.fixture
def use_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> MigrationsSetter:
    """Point the vault at a copy of the migrations: ``keep`` real revisions plus ``extra``."""
    copies = iter(range(100))

    def setter(keep: tuple[str, ...], extra: dict[str, str]) -> None:
        target = tmp_path / f"migrations-{next(copies)}"
        shutil.copytree(REAL_MIGRATIONS, target, ignore=shutil.ignore_patterns("__pycache__"))
        for path in (target / "versions").glob("*.py"):
            if path.stem != "__init__" and path.stem not in keep:
                path.unlink()
        for name, source in extra.items():
            (target / "versions" / f"{name}.py").write_text(source)
        revisions = (*keep, *extra)
        monkeypatch.setattr(vault_module, "MIGRATIONS", target)
        monkeypatch.setattr(schema, "KNOWN_REVISIONS", revisions)
        monkeypatch.setattr(schema, "HEAD", revisions[-1])

    return setter


@pytest.fixture
def old_vault(
    tmp_path: Path, use_migrations: MigrationsSetter, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """A locked vault at the first revision holding one client (written as plain SQL).

    The real migrations are back in place when the test starts.
    """
    use_migrations((FIRST,), {})
    folder = tmp_path / "vault"
    vault, _ = create_vault(folder)
    with vault, vault.engine.begin() as conn:
        assert vault.info.schema_revision == FIRST
        conn.exec_driver_sql(
            "INSERT INTO clients (id, created_at, updated_at, legal_first_name,"
            " legal_last_name, preferred_name, pronouns, date_of_birth, phone, email,"
            " address, emergency_contact_name, emergency_contact_phone, intake_date, status,"
            " discharge_reason, important_to_know, search_key, sort_name) VALUES"
            f" ('{CLIENT_ID}', '2025-01-06 10:00:00', '2025-01-06 10:00:00', 'Ana',"
            " 'Gonzalez', '', '', '1990-02-03', '', '', '', '', '', '2025-01-06', 'active',"
            " '', '', 'ana gonzalez', 'gonzalez')"
        )
    monkeypatch.undo()
    yield folder


def _state(folder: Path, use_migrations: MigrationsSetter) -> tuple[Sequence[Any], ...]:
    """Schema, revision and rows of a vault at the first revision, read without upgrading."""
    use_migrations((FIRST,), {})
    with Vault.open(folder, PASSPHRASE) as vault, vault.engine.connect() as conn:
        tables = conn.exec_driver_sql(
            "SELECT type, name, sql FROM sqlite_master ORDER BY type, name"
        ).fetchall()
        version = conn.exec_driver_sql("SELECT version_num FROM alembic_version").fetchall()
        clients = conn.exec_driver_sql("SELECT id, legal_last_name FROM clients").fetchall()
    return tables, version, clients


def test_a_migration_failing_halfway_changes_nothing(
    old_vault: Path, use_migrations: MigrationsSetter, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state(old_vault, use_migrations)
    assert before[1] == [(FIRST,)] and len(before[2]) == 1
    broken = _revision(
        "9999_broken",
        """
        op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
        op.execute("INSERT INTO half_done (id) VALUES (1)")
        raise RuntimeError("this migration fails on purpose")
        """,
    )
    use_migrations(REAL_REVISIONS, {"9999_broken": broken})
    with pytest.raises(errors.MigrationFailed, match="could not be upgraded"):
        Vault.open(old_vault, PASSPHRASE)
    # The real revisions before the broken one (tables, FTS5, triggers) were undone too.
    assert _state(old_vault, use_migrations) == before
    # And the next unlock, by a version whose migrations work, upgrades cleanly.
    monkeypatch.undo()
    with Vault.open(old_vault, PASSPHRASE) as vault:
        assert vault.info.schema_revision == schema.HEAD
        assert vault.verify().ok


def test_an_upgrade_that_would_break_links_is_rolled_back(
    old_vault: Path, use_migrations: MigrationsSetter
) -> None:
    before = _state(old_vault, use_migrations)
    orphans = _revision(
        "9999_orphans",
        """
        op.execute(
            "CREATE TABLE contacts (id INTEGER PRIMARY KEY,"
            " client_id CHAR(32) NOT NULL REFERENCES clients (id))"
        )
        op.execute("INSERT INTO contacts (id, client_id) VALUES (1, 'no such client')")
        """,
    )
    use_migrations(REAL_REVISIONS, {"9999_orphans": orphans})
    with pytest.raises(errors.VaultCorrupt, match="pointing at records that do not exist"):
        Vault.open(old_vault, PASSPHRASE)
    assert _state(old_vault, use_migrations) == before


def test_a_batch_table_rebuild_fires_no_cascade(
    old_vault: Path, use_migrations: MigrationsSetter
) -> None:
    """Alembic rebuilds a SQLite table by copy, drop and rename: dropping must not cascade."""
    rebuild = _revision(
        "9999_rebuild",
        f"""
        op.execute(
            "CREATE TABLE contacts (id INTEGER PRIMARY KEY, client_id CHAR(32) NOT NULL"
            " REFERENCES clients (id) ON DELETE CASCADE)"
        )
        op.execute("INSERT INTO contacts (id, client_id) VALUES (1, '{CLIENT_ID}')")
        with op.batch_alter_table("clients", recreate="always") as batch:
            batch.add_column(sa.Column("nickname", sa.Text(), nullable=False, server_default=""))
        """,
    )
    use_migrations(REAL_REVISIONS, {"9999_rebuild": rebuild})
    with Vault.open(old_vault, PASSPHRASE) as vault:
        assert vault.info.schema_revision == "9999_rebuild"
        with vault.engine.connect() as one, vault.engine.connect() as two:
            rows = one.exec_driver_sql("SELECT id, client_id FROM contacts").fetchall()
            assert rows == [(1, CLIENT_ID)]
            # Every pooled connection, the migration's included, has foreign keys back on.
            for conn in (one, two):
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert vault.verify().ok


def test_ddl_inside_a_transaction_is_rolled_back(tmp_path: Path) -> None:
    """The engine opens real transactions: a CREATE TABLE is undone by a rollback."""
    vault, _ = create_vault(tmp_path / "v")
    with vault:
        with vault.engine.connect() as conn:
            conn.exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
            conn.rollback()
        with vault.engine.connect() as conn:
            found = conn.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE name = 'scratch'"
            ).fetchall()
        assert found == []


def test_open_without_migrating_leaves_an_old_vault_as_it_is(old_vault: Path) -> None:
    """``migrate=False`` (for ``mhsw verify``): no backup, no write, the old revision shown."""
    before = snapshot(old_vault)
    with Vault.open(old_vault, PASSPHRASE, migrate=False) as vault:
        assert vault.info.schema_revision == FIRST
        report = vault.verify()
        assert not report.ok
        assert report.problems == [f"schema is at {FIRST}, expected {schema.HEAD}"]
        assert report.checks["schema"] == FIRST
    assert snapshot(old_vault) == before
    assert list((old_vault / "backups").iterdir()) == []
    # Unlocked normally, the same vault upgrades, after a backup that is itself a vault.
    with Vault.open(old_vault, PASSPHRASE) as vault:
        assert vault.info.schema_revision == schema.HEAD
        assert vault.verify().ok
    (backup,) = (old_vault / "backups").iterdir()
    restored = old_vault.parent / "restored"
    shutil.copytree(backup, restored)
    with Vault.open(restored, PASSPHRASE, migrate=False) as vault:
        assert vault.info.schema_revision == FIRST
        with vault.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT id FROM clients").scalars().all() == [CLIENT_ID]


def test_open_without_migrating_an_up_to_date_vault_is_ordinary(
    vault_folder: tuple[Path, str],
) -> None:
    folder, _ = vault_folder
    with Vault.open(folder, PASSPHRASE, migrate=False) as vault:
        assert vault.info.schema_revision == schema.HEAD
        assert vault.verify().ok

"""Schema migrations: the known revisions match Alembic's, and old vaults upgrade after a backup."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory

import mhsw_desktop.vault.vault as vault_module
from mhsw_desktop.services.clients import list_clients
from mhsw_desktop.vault import schema
from mhsw_desktop.vault.audit import ANCHOR_NAME
from mhsw_desktop.vault.engine import open_engine
from mhsw_desktop.vault.keyfile import KeyFile
from mhsw_desktop.vault.vault import DB_NAME, KEY_NAME, Vault
from tests.support import PASSPHRASE, older_vault


def alembic_revisions() -> list[str]:
    config = Config()
    config.set_main_option(
        "script_location", str(Path(vault_module.__file__).with_name("migrations"))
    )
    script = ScriptDirectory.from_config(config)
    return [rev.revision for rev in reversed(list(script.walk_revisions()))]


def test_known_revisions_are_alembics_in_order() -> None:
    assert list(schema.KNOWN_REVISIONS) == alembic_revisions()
    assert alembic_revisions()[-1] == schema.HEAD


def test_models_and_migrations_describe_the_same_schema(vault_folder: tuple[Path, str]) -> None:
    """Alembic's autogenerate finds nothing to add: the migrations match the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from mhsw_desktop.domain.models import Base

    def mapped(obj: object, name: str | None, type_: str, *_args: object) -> bool:
        # The search index (FTS5 and its shadow tables) is raw SQL by design: no model.
        return not (type_ == "table" and name is not None and name.startswith("search_"))

    folder, _ = vault_folder
    with Vault.open(folder, PASSPHRASE) as vault, vault.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"include_object": mapped})
        diff = compare_metadata(context, Base.metadata)
    assert diff == []


def test_an_empty_vault_is_migrated_to_head_after_a_backup(
    vault_folder: tuple[Path, str],
) -> None:
    """A vault whose schema predates every migration upgrades on unlock, backup first."""
    folder, _ = vault_folder
    with Vault.open(folder, PASSPHRASE) as vault, vault.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE search_index")  # takes its shadow tables along
        names = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        for (name,) in names:
            conn.exec_driver_sql(f'DROP TABLE "{name}"')
    (folder / ANCHOR_NAME).unlink()  # a vault from before any migration had no audit log
    with Vault.open(folder, PASSPHRASE) as vault:
        assert vault.info.schema_revision == schema.HEAD
        with vault.session() as session:
            assert list_clients(session, "all") == []
        assert vault.verify().ok
    backups = list((folder / "backups").iterdir())
    assert len(backups) == 1 and backups[0].name.startswith("pre-upgrade-empty-")
    assert sorted(p.name for p in backups[0].iterdir()) == [DB_NAME, KEY_NAME]
    # The backup is the vault as it was, encrypted, opened by the passphrase of its time.
    key = KeyFile.load(backups[0] / KEY_NAME).unwrap_with_passphrase(PASSPHRASE)
    assert key is not None
    engine = open_engine(backups[0] / DB_NAME, key)
    with engine.connect() as conn:
        tables = conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type='table'")
        assert [row[0] for row in tables] == []
    engine.dispose()
    # The backup folder is itself a vault: copied elsewhere, it unlocks (and upgrades).
    restored = folder.parent / "restored"
    shutil.copytree(backups[0], restored)
    with Vault.open(restored, PASSPHRASE) as vault:
        assert vault.info.vault_id == KeyFile.load(folder / KEY_NAME).vault_id
        assert vault.info.schema_revision == schema.HEAD
        assert vault.verify().ok


def test_an_up_to_date_vault_opens_without_alembic(vault_folder: tuple[Path, str]) -> None:
    """Opening a current vault must not pay for importing Alembic (CLI start-up)."""
    import subprocess
    import sys

    folder, _ = vault_folder
    code = (
        "import sys\n"
        "from mhsw_desktop.vault.vault import Vault\n"
        f"Vault.open({str(folder)!r}, {PASSPHRASE!r}).lock()\n"
        "print('alembic' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


@pytest.mark.parametrize("revision", schema.KNOWN_REVISIONS)
def test_every_known_revision_is_a_migration_file(revision: str) -> None:
    versions = Path(vault_module.__file__).with_name("migrations") / "versions"
    assert (versions / f"{revision}.py").exists()


def test_a_profile_from_0002_keeps_every_field_and_prints_on_letter(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0003_practice_settings: the saved profile survives; no logo, Letter paper."""
    from mhsw_desktop.services.practitioner import (
        PractitionerInput,
        get_logo,
        get_practitioner,
        save_practitioner,
    )

    before = "0002_notes"
    folder = tmp_path / "vault"
    vault = older_vault(tmp_path, monkeypatch, before)
    with vault, vault.engine.begin() as conn:
        assert vault.info.schema_revision == before
        conn.exec_driver_sql(
            "INSERT INTO practitioner (id, created_at, updated_at, name, credentials,"
            " licence_number, practice_name, address, phone) VALUES"
            " ('0192f0c1a2b37c4d8e9f00112233aabc', '2025-01-06 10:00:00',"
            " '2025-01-06 10:00:00', 'Avery Lindqvist', 'LCSW', 'SYN-1', 'Harbor Lane',"
            " '12 Quay St', '(406) 555-0100')"
        )
    monkeypatch.undo()

    with Vault.open(folder, PASSPHRASE) as vault:
        assert vault.info.schema_revision == schema.HEAD
        assert vault.verify().ok
        with vault.unit_of_work() as session:
            assert get_practitioner(session) == PractitionerInput(
                name="Avery Lindqvist",
                credentials="LCSW",
                licence_number="SYN-1",
                practice_name="Harbor Lane",
                address="12 Quay St",
                phone="(406) 555-0100",
                paper_size="letter",
            )
            assert get_logo(session) is None
            save_practitioner(session, PractitionerInput(name="Avery Lindqvist", paper_size="a4"))
        with vault.engine.connect() as conn:
            assert conn.exec_driver_sql("SELECT count(*) FROM practitioner").scalar_one() == 1
    (backup,) = (folder / "backups").iterdir()
    assert backup.name.startswith(f"pre-upgrade-{before}-")

"""Create, lock, unlock by passphrase or recovery key, change the passphrase, verify."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from mhsw_desktop.services.clients import list_clients
from mhsw_desktop.vault import errors, kdf
from mhsw_desktop.vault.audit import ANCHOR_NAME
from mhsw_desktop.vault.keyfile import KeyFile
from mhsw_desktop.vault.vault import DB_NAME, KEY_NAME, PAGE_SIZE, Vault
from tests.support import NEW_PASSPHRASE, PASSPHRASE, create_vault, snapshot
from tests.vault import keyfiles


def names(vault: Vault) -> list[str]:
    with vault.session() as session:
        return [row.legal_last_name for row in list_clients(session, "all")]


def test_a_vault_is_a_folder_of_database_key_file_and_backups(tmp_path: Path) -> None:
    vault, _ = create_vault(tmp_path / "v")
    vault.lock()
    assert sorted(os.listdir(tmp_path / "v")) == [ANCHOR_NAME, "backups", DB_NAME, KEY_NAME]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_vault_files_are_owner_only(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    for path in [folder, folder / "backups", folder / DB_NAME, folder / KEY_NAME,
                 folder / ANCHOR_NAME]:  # fmt: skip
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_round_trip_through_lock_and_unlock(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    with Vault.open(folder, PASSPHRASE) as vault:
        assert names(vault) == ["Østergaard"]
        assert vault.verify().ok


def test_lock_disposes_the_engine_and_refuses_further_use(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    vault = Vault.open(folder, PASSPHRASE)
    vault.lock()
    assert vault.is_locked
    with pytest.raises(errors.VaultLocked):
        vault.session()
    # No connection is left open: SQLite removed its WAL and shared-memory files. The
    # audit log's anchor was written on lock.
    assert sorted(p.name for p in folder.iterdir()) == [ANCHOR_NAME, "backups", DB_NAME, KEY_NAME]


def test_key_file_is_versioned_and_stores_the_kdf_parameters(
    vault_folder: tuple[Path, str],
) -> None:
    folder, _ = vault_folder
    doc = json.loads((folder / KEY_NAME).read_text())
    assert doc["magic"] == "MHSW-VAULT-KEY" and doc["format"] == 1
    assert doc["kdf"]["name"] == "argon2id"
    assert doc["kdf"]["memory_kib"] >= 64 * 1024
    assert doc["database_salt"] == (folder / DB_NAME).read_bytes()[:16].hex()


def test_change_passphrase_rewraps_without_reencrypting(vault_folder: tuple[Path, str]) -> None:
    folder, recovery = vault_folder
    db_before = (folder / DB_NAME).read_bytes()
    with Vault.open(folder, PASSPHRASE) as vault:
        vault.change_passphrase(NEW_PASSPHRASE)
    db_after = (folder / DB_NAME).read_bytes()
    # Re-encrypting would rewrite every page; only the audit log's few pages (the unlock,
    # the change and the lock are written down) and the header differ.
    pages = len(db_before) // PAGE_SIZE
    changed = [n for n in range(pages)
               if db_before[n * PAGE_SIZE:(n + 1) * PAGE_SIZE]
               != db_after[n * PAGE_SIZE:(n + 1) * PAGE_SIZE]]  # fmt: skip
    assert pages > 50 and len(changed) <= 8, changed
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(folder, PASSPHRASE)
    with Vault.open(folder, NEW_PASSPHRASE) as vault:
        assert names(vault) == ["Østergaard"]
    with Vault.open_with_recovery(folder, recovery) as vault:
        assert names(vault) == ["Østergaard"]


def test_change_passphrase_keeps_the_kdf_cost(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    before = KeyFile.load(folder / KEY_NAME)
    with Vault.open(folder, PASSPHRASE) as vault:
        vault.change_passphrase(NEW_PASSPHRASE)
    after = KeyFile.load(folder / KEY_NAME)
    assert (after.kdf.memory_kib, after.kdf.iterations) == (
        before.kdf.memory_kib,
        before.kdf.iterations,
    )
    assert after.kdf.salt != before.kdf.salt


def test_weak_new_passphrase_is_refused_and_nothing_changes(
    vault_folder: tuple[Path, str],
) -> None:
    folder, _ = vault_folder
    key_before = (folder / KEY_NAME).read_bytes()
    with Vault.open(folder, PASSPHRASE) as vault, pytest.raises(errors.WeakPassphrase):
        vault.change_passphrase("password123")
    assert (folder / KEY_NAME).read_bytes() == key_before


def test_recovery_unlock_requires_a_new_passphrase(vault_folder: tuple[Path, str]) -> None:
    folder, recovery = vault_folder
    # Typed loosely: lower case, spaces instead of dashes.
    typed = recovery.lower().replace("-", " ")
    with Vault.open_with_recovery(folder, typed) as vault:
        assert vault.must_change_passphrase
        vault.change_passphrase(NEW_PASSPHRASE)
        assert not vault.must_change_passphrase
    with Vault.open(folder, NEW_PASSPHRASE) as vault:
        assert not vault.must_change_passphrase


def test_recovery_key_is_shown_in_groups_of_four(vault_folder: tuple[Path, str]) -> None:
    _, recovery = vault_folder
    groups = recovery.split("-")
    assert len(groups) == 9 and all(len(g) == 4 for g in groups)


def test_creating_over_an_existing_vault_is_refused(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    with pytest.raises(errors.VaultExists):
        create_vault(folder)


def test_weak_passphrase_cannot_create_a_vault(tmp_path: Path) -> None:
    with pytest.raises(errors.WeakPassphrase, match="at least 12"):
        Vault.create(tmp_path / "v", "short", params=kdf.minimum_params())
    assert not (tmp_path / "v").exists()


def test_calibration_targets_half_a_second_at_64_mib_or_more() -> None:
    import time

    params = kdf.calibrate()
    assert params.memory_kib >= 64 * 1024 and params.iterations >= 2
    start = time.perf_counter()
    kdf.derive(b"x", params)
    elapsed = time.perf_counter() - start
    # Calibration aims at 0.5 s; a loaded CI machine may stray, but not by an order.
    assert 0.15 < elapsed < 2.5, elapsed


def test_key_file_below_the_kdf_floor_is_refused(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    doc = keyfiles.read(folder)
    doc["kdf"]["memory_kib"] = 1024
    keyfiles.write(folder, doc, reseal=True)
    with pytest.raises(errors.KeyFileDamaged, match="below the minimum"):
        Vault.open(folder, PASSPHRASE)


def test_creating_in_a_folder_that_holds_files_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "Documents"
    folder.mkdir()
    os.chmod(folder, 0o755)  # noqa: S103 - a folder as a user might have it
    (folder / "letter.txt").write_text("Dear ...")
    mode = stat.S_IMODE(folder.stat().st_mode)
    with pytest.raises(errors.VaultExists, match="is not empty; choose an empty or new folder"):
        create_vault(folder)
    assert sorted(os.listdir(folder)) == ["letter.txt"]
    assert (folder / "letter.txt").read_text() == "Dear ..."
    assert stat.S_IMODE(folder.stat().st_mode) == mode


def test_creating_over_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "notes").write_text("x")
    with pytest.raises(errors.VaultExists, match="choose an empty or new folder"):
        create_vault(tmp_path / "notes")
    assert (tmp_path / "notes").read_text() == "x"


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_an_existing_empty_folder_keeps_its_permissions(tmp_path: Path) -> None:
    """Only folders the app makes are set owner-only; the files inside are always so."""
    folder = tmp_path / "chosen"
    folder.mkdir()
    os.chmod(folder, 0o750)  # noqa: S103 - a folder as a user might have it
    vault, _ = create_vault(folder)
    vault.lock()
    assert stat.S_IMODE(folder.stat().st_mode) == 0o750
    for path in [folder / "backups", folder / DB_NAME, folder / KEY_NAME]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


@pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")
def test_a_new_folder_is_made_owner_only(tmp_path: Path) -> None:
    vault, _ = create_vault(tmp_path / "new" / "vault")
    vault.lock()
    assert stat.S_IMODE((tmp_path / "new" / "vault").stat().st_mode) == 0o700


def test_check_passphrase_answers_without_writing(vault_folder: tuple[Path, str]) -> None:
    """Signing asks for the passphrase again: right or wrong, nothing on disk changes."""
    folder, _ = vault_folder
    with Vault.open(folder, PASSPHRASE) as vault:
        key_before = (folder / KEY_NAME).read_bytes()
        assert vault.check_passphrase(PASSPHRASE)
        assert not vault.check_passphrase(NEW_PASSPHRASE)
        assert not vault.check_passphrase("")
        assert (folder / KEY_NAME).read_bytes() == key_before
        vault.change_passphrase(NEW_PASSPHRASE)
        assert vault.check_passphrase(NEW_PASSPHRASE)
        assert not vault.check_passphrase(PASSPHRASE)
    before = snapshot(folder)
    with pytest.raises(errors.VaultLocked):
        vault.check_passphrase(NEW_PASSPHRASE)
    assert snapshot(folder) == before

"""Every file and folder the app makes for a vault is owner-only, whatever the umask.

Modes are read with ``stat``, which means the same for root (who could read the files
anyway) as for anyone else, so none of this is skipped when the suite runs as root.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.services import notes
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.open_export import export_vault
from mhsw_desktop.vault import backup, kdf
from mhsw_desktop.vault.vault import DB_NAME, Vault
from tests.support import NEW_PASSPHRASE, PASSPHRASE, create_vault

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX permission bits")

ARCHIVE_PASSWORD = "quarry lantern fennel 58 osprey"


@pytest.fixture(params=[0o022, 0o000], ids=["umask 022", "umask 000"])
def umask(request: pytest.FixtureRequest) -> Iterator[int]:
    old = os.umask(request.param)
    try:
        yield request.param
    finally:
        os.umask(old)


def too_open(root: Path) -> list[str]:
    """Everything under ``root`` (itself included) that group or others may touch."""
    found = []
    for path in [root, *root.rglob("*")]:
        mode = stat.S_IMODE(path.lstat().st_mode)
        if mode & 0o077:
            found.append(f"{path.relative_to(root.parent)} {oct(mode)}")
    return found


def test_a_vault_in_use_is_owner_only_through_and_through(tmp_path: Path, umask: int) -> None:
    """Database, key file, WAL and shared memory while open (straight after creation, when
    SQLite made them), the audit anchor, backups and their policy, a changed key file, and
    exports (a folder and an encrypted archive)."""
    folder = tmp_path / "vault"
    vault, _ = create_vault(folder)
    with vault.unit_of_work() as session:
        client = add_client(session, ClientInput("Ana", "González", date(1990, 2, 3)))
        notes.create_draft(
            session, notes.NoteInput(client, date(2026, 1, 2), "free", {"note": "x"})
        )
    assert (folder / f"{DB_NAME}-wal").exists() and (folder / f"{DB_NAME}-shm").exists()
    assert too_open(folder) == []
    backup.back_up(vault)
    backup.BackupPolicy(keep_daily=3).save(folder)
    vault.change_passphrase(NEW_PASSPHRASE)
    exports = tmp_path / "exports"
    exports.mkdir(mode=0o700)
    plain = export_vault(vault, exports)
    later = plain.exported_at + timedelta(seconds=1)  # a second export, named apart
    archive = export_vault(
        vault, exports, password=ARCHIVE_PASSWORD, params=kdf.minimum_params(), now=later
    )
    assert plain.path.is_dir() and archive.path.is_file()
    assert too_open(folder) == []
    assert [p for p in too_open(exports) if not p.startswith("exports ")] == []
    vault.lock()
    assert too_open(folder) == []
    assert {p.name for p in folder.iterdir()} >= {"backups", "vault.key", DB_NAME}


def test_a_recovery_unlock_and_its_new_passphrase_stay_owner_only(
    tmp_path: Path, umask: int
) -> None:
    folder = tmp_path / "vault"
    vault, recovery = create_vault(folder)
    vault.lock()
    with Vault.open_with_recovery(folder, recovery) as vault:
        vault.change_passphrase(NEW_PASSPHRASE)
        assert too_open(folder) == []
    with Vault.open(folder, NEW_PASSPHRASE):
        pass
    assert too_open(folder) == []


def test_a_restored_vault_is_owner_only(tmp_path: Path, umask: int) -> None:
    folder = tmp_path / "vault"
    vault, _ = create_vault(folder)
    with vault:
        made = backup.back_up(vault)
    target = tmp_path / "restored"
    backup.restore(made.path, PASSPHRASE, target)
    assert too_open(target) == []
    Vault.open(target, PASSPHRASE).lock()
    assert too_open(target) == []

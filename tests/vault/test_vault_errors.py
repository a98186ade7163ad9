"""Every way opening can fail: its own plain message, and every file left byte-identical."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from mhsw_desktop.vault import errors
from mhsw_desktop.vault.vault import DB_NAME, KEY_NAME, Vault
from tests.support import PASSPHRASE, create_vault, snapshot


def _corrupt_middle(folder: Path) -> None:
    data = bytearray((folder / DB_NAME).read_bytes())
    for i in range(4096, 4096 + 64):  # page 2: the clients table
        data[i] ^= 0xFF
    (folder / DB_NAME).write_bytes(bytes(data))


def _corrupt_first_page(folder: Path) -> None:
    data = bytearray((folder / DB_NAME).read_bytes())
    for i in range(100, 164):
        data[i] ^= 0xFF
    (folder / DB_NAME).write_bytes(bytes(data))


def _truncate(folder: Path) -> None:
    data = (folder / DB_NAME).read_bytes()
    (folder / DB_NAME).write_bytes(data[: len(data) // 2 + 100])


def _truncate_at_page(folder: Path) -> None:
    data = (folder / DB_NAME).read_bytes()
    (folder / DB_NAME).write_bytes(data[:4096])


def _remove_key(folder: Path) -> None:
    (folder / KEY_NAME).unlink()


def _garble_key(folder: Path) -> None:
    (folder / KEY_NAME).write_bytes(b"\x00\x01 not json")


def _newer_key_format(folder: Path) -> None:
    doc = json.loads((folder / KEY_NAME).read_text())
    doc["format"] = 99
    (folder / KEY_NAME).write_text(json.dumps(doc))


def _newer_schema(folder: Path) -> None:
    with Vault.open(folder, PASSPHRASE) as vault, vault.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE alembic_version SET version_num = '9999_future'")


def _foreign_key_file(folder: Path) -> None:
    other = folder.parent / "other"
    vault, _ = create_vault(other)
    vault.lock()
    shutil.copy(other / KEY_NAME, folder / KEY_NAME)


CASES: list[tuple[str, Callable[[Path], None], str, type[errors.VaultError], str]] = [
    ("wrong passphrase", lambda f: None, "wrong", errors.WrongPassphrase, "not correct"),
    ("damaged page", _corrupt_middle, PASSPHRASE, errors.VaultCorrupt, "damaged"),
    ("damaged first page", _corrupt_first_page, PASSPHRASE, errors.VaultCorrupt, "damaged"),
    ("truncated mid-page", _truncate, PASSPHRASE, errors.VaultCorrupt, "truncated"),
    ("truncated at a page", _truncate_at_page, PASSPHRASE, errors.VaultCorrupt, "truncated"),
    ("missing key file", _remove_key, PASSPHRASE, errors.KeyFileMissing, "key file is missing"),
    ("garbled key file", _garble_key, PASSPHRASE, errors.KeyFileDamaged, "key file is damaged"),
    ("newer key format", _newer_key_format, PASSPHRASE, errors.VaultTooNew, "newer version"),
    ("newer schema", _newer_schema, PASSPHRASE, errors.VaultTooNew, "newer version"),
    ("foreign key file", _foreign_key_file, PASSPHRASE, errors.KeyFileMismatch, "different vault"),
]


@pytest.mark.parametrize(
    ("damage", "passphrase", "error", "words"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_open_fails_plainly_and_changes_nothing(
    vault_folder: tuple[Path, str],
    damage: Callable[[Path], None],
    passphrase: str,
    error: type[errors.VaultError],
    words: str,
) -> None:
    folder, _ = vault_folder
    damage(folder)
    before = snapshot(folder)
    with pytest.raises(error) as caught:
        Vault.open(folder, passphrase)
    assert words in str(caught.value)
    assert "Traceback" not in str(caught.value)
    assert snapshot(folder) == before


def test_wrong_recovery_key_and_typo_are_told_apart(vault_folder: tuple[Path, str]) -> None:
    folder, recovery = vault_folder
    before = snapshot(folder)
    other_folder = folder.parent / "other"
    other, other_recovery = create_vault(other_folder)
    other.lock()
    with pytest.raises(errors.WrongRecoveryKey, match="does not open this vault"):
        Vault.open_with_recovery(folder, other_recovery)
    typo = ("B" if recovery[0] != "B" else "C") + recovery[1:]
    with pytest.raises(errors.WrongRecoveryKey, match="typing error"):
        Vault.open_with_recovery(folder, typo)
    with pytest.raises(errors.WrongRecoveryKey, match="characters"):
        Vault.open_with_recovery(folder, recovery[:-5])
    assert snapshot(folder) == before


def test_missing_folder_is_reported(tmp_path: Path) -> None:
    with pytest.raises(errors.VaultNotFound):
        Vault.open(tmp_path / "nowhere", PASSPHRASE)


def test_missing_database_is_reported(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    (folder / DB_NAME).unlink()
    with pytest.raises(errors.VaultCorrupt, match="missing"):
        Vault.open(folder, PASSPHRASE)


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_read_only_vault_folder_is_reported_and_left_alone(tmp_path: Path) -> None:
    """Run as an unprivileged user when the tests run as root (root ignores permissions)."""
    base = tmp_path / "shared"
    base.mkdir()
    folder = base / "vault"
    vault, _ = create_vault(folder)
    vault.lock()
    os.chmod(folder, 0o555)
    before = snapshot(folder)
    script = (
        "import sys\n"
        "from mhsw_desktop.vault.vault import Vault\n"
        "from mhsw_desktop.vault.errors import VaultNotWritable\n"
        "try:\n"
        f"    Vault.open({str(folder)!r}, {PASSPHRASE!r})\n"
        "except VaultNotWritable as exc:\n"
        "    print(exc); sys.exit(0)\n"
        "sys.exit(1)\n"
    )
    if os.geteuid() == 0:
        # An unprivileged user who can reach the folder but not write it.
        for p in (tmp_path, base):
            os.chmod(p, 0o755)
        for parent in tmp_path.parents:
            if parent.stat().st_mode & 0o001 == 0:
                os.chmod(parent, parent.stat().st_mode | 0o001)
        try:
            result = subprocess.run(
                [sys.executable, "-c", script],
                capture_output=True,
                text=True,
                user=65534,
            cwd="/",
                env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
                check=False,
            )
        except PermissionError:
            os.chmod(folder, 0o700)
            pytest.skip("running as root, and the interpreter is out of an unprivileged user's reach")
    else:
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=False
        )
    os.chmod(folder, 0o700)
    assert result.returncode == 0, result.stderr
    assert "cannot be written" in result.stdout
    assert snapshot(folder) == before

"""Every way opening can fail: its own plain message, and every file left byte-identical."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from mhsw_desktop.vault import errors
from mhsw_desktop.vault.vault import DB_NAME, KEY_NAME, Vault
from tests.support import PASSPHRASE, create_vault, snapshot
from tests.vault import keyfiles


def _corrupt_page(folder: Path, page: int) -> None:
    data = bytearray((folder / DB_NAME).read_bytes())
    start = (page - 1) * 4096
    for i in range(start + 64, start + 128):
        data[i] ^= 0xFF
    (folder / DB_NAME).write_bytes(bytes(data))


def _page(folder: Path, page: int) -> bytes:
    start = (page - 1) * 4096
    return (folder / DB_NAME).read_bytes()[start : start + 4096]


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
    doc = keyfiles.read(folder)
    doc["format"] = 99
    keyfiles.write(folder, doc, reseal=True)  # a newer version writes a valid checksum


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


def test_a_damaged_data_page_is_found_by_verify_and_reported_on_read(
    vault_folder: tuple[Path, str],
) -> None:
    """Unlock reads only the schema (fast on a large vault); verify reads every page."""
    from sqlalchemy.exc import DatabaseError

    from mhsw_desktop.services.clients import list_clients
    from mhsw_desktop.vault.vault import corruption_error, is_corruption

    folder, _ = vault_folder
    with Vault.open(folder, PASSPHRASE) as vault, vault.engine.connect() as conn:
        page = conn.exec_driver_sql(
            "SELECT rootpage FROM sqlite_master WHERE name = 'clients'"
        ).scalar_one()
    _corrupt_page(folder, page)
    key_before = (folder / KEY_NAME).read_bytes()
    damaged = _page(folder, page)
    with Vault.open(folder, PASSPHRASE) as vault:
        report = vault.verify()
        assert not report.ok and "authentication" in report.problems[0]
        with pytest.raises(DatabaseError) as caught, vault.session() as session:
            list_clients(session, "all")
        assert is_corruption(caught.value)
        assert "damaged" in str(corruption_error(caught.value))
    # Nothing was "repaired" or overwritten: the damaged page is as it was (the unlock and
    # lock went into the audit log's own pages) and so is the key file.
    assert _page(folder, page) == damaged
    assert (folder / KEY_NAME).read_bytes() == key_before


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
@pytest.mark.skipif(
    os.name == "posix" and os.geteuid() == 0,
    reason="root ignores file permissions; this runs when the suite runs as a normal user",
)
def test_read_only_vault_folder_is_reported_and_left_alone(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    vault, _ = create_vault(folder)
    vault.lock()
    before = snapshot(folder)
    os.chmod(folder, 0o500)
    try:
        with pytest.raises(errors.VaultNotWritable, match="cannot be written"):
            Vault.open(folder, PASSPHRASE)
    finally:
        os.chmod(folder, 0o700)
    assert snapshot(folder) == before


def test_unwritable_vault_folder_is_reported_and_left_alone(
    vault_folder: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same as above for any user (root included): the folder reports itself unwritable."""
    folder, _ = vault_folder
    before = snapshot(folder)
    real_access = os.access

    def access(path: str | os.PathLike[str], mode: int, **kwargs: object) -> bool:
        if mode & os.W_OK and Path(path).absolute() in (folder, folder / DB_NAME):
            return False
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("mhsw_desktop.vault.vault.os.access", access)
    with pytest.raises(errors.VaultNotWritable, match="cannot be written"):
        Vault.open(folder, PASSPHRASE)
    assert snapshot(folder) == before

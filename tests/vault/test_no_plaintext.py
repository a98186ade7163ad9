"""A stolen laptop reveals nothing: no record text in any file of the vault or the temp folder."""

from __future__ import annotations

import os
import tempfile
import time
from datetime import date
from pathlib import Path

import pytest

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.services.clients import add_client, list_clients
from mhsw_desktop.vault.vault import Vault
from tests.support import PASSPHRASE, create_vault

MARKERS = ("Zyqxwvandermeer", "Quillibrant", "555-0199-ZQ", "thistlewood-marker")


def encodings(marker: str) -> list[bytes]:
    return [marker.encode("utf-8"), marker.encode("utf-16-le"), marker.encode("utf-16-be")]


def scan(folder: Path, since: float | None = None) -> list[str]:
    """Files under ``folder`` holding a marker; only those changed at or after ``since``."""
    hits = []
    for path in folder.rglob("*"):
        try:
            if path.is_symlink() or not path.is_file():
                continue
            if since is not None and path.stat().st_mtime < since:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        for marker in MARKERS:
            if any(enc in data for enc in encodings(marker)):
                hits.append(f"{path}: {marker}")
    return hits


@pytest.fixture
def system_tmpdir() -> Path:
    """The temp folder the system gives, captured before ``private_tmpdir`` replaces it."""
    return Path(tempfile.gettempdir())


@pytest.fixture
def private_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, system_tmpdir: Path) -> Path:
    """Point TMPDIR at an empty folder so that any temp file we write would be found."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    monkeypatch.setenv("SQLITE_TMPDIR", str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def test_distinctive_strings_never_reach_the_disk_in_plaintext(
    tmp_path: Path, system_tmpdir: Path, private_tmpdir: Path
) -> None:
    started = time.time() - 2  # file systems with coarse timestamps
    assert system_tmpdir != private_tmpdir
    folder = tmp_path / "vault"
    vault, _ = create_vault(folder)
    with vault, vault.unit_of_work() as session:
        for i in range(300):  # enough rows to spill over many pages and sorts
            add_client(
                session,
                ClientInput(
                    legal_first_name=MARKERS[1],
                    legal_last_name=f"{MARKERS[0]}{i}",
                    date_of_birth=date(1970, 1, 1),
                    address=f"{MARKERS[3]} road {i}",
                    important_to_know=MARKERS[3] * 20,
                ),
            )
    # Work that sorts and builds temporary b-trees, then an edit, then lock.
    with Vault.open(folder, PASSPHRASE) as vault:
        with vault.session() as session:
            assert len(list_clients(session, "all")) == 300
        with vault.engine.connect() as conn:
            conn.exec_driver_sql(
                "SELECT important_to_know FROM clients ORDER BY important_to_know DESC"
            ).fetchall()
            wal = folder / "vault.db-wal"
            assert wal.exists()
            assert scan(folder) == [], "the WAL must be encrypted too"
        vault.verify()
    assert scan(folder) == []
    assert scan(private_tmpdir) == []
    # A library that ignores TMPDIR would write to the system's temp folder: look there
    # too, at files written since the test began (older ones are not ours).
    assert scan(system_tmpdir, since=started) == []


def test_temp_store_is_memory_on_every_connection(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    with Vault.open(folder, PASSPHRASE) as vault:
        for _ in range(3):
            with vault.engine.connect() as conn:
                assert conn.exec_driver_sql("PRAGMA temp_store").scalar_one() == 2
                assert conn.exec_driver_sql("PRAGMA secure_delete").scalar_one() == 1
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
                assert conn.exec_driver_sql("PRAGMA journal_mode").scalar_one() == "wal"
                assert conn.exec_driver_sql("PRAGMA synchronous").scalar_one() == 2


def test_the_key_file_holds_no_key_in_the_clear(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    with Vault.open(folder, PASSPHRASE) as vault:
        assert vault._data_key is not None
        key = bytes(vault._data_key)
    for path in folder.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert key not in data and key.hex().encode() not in data, path
    assert os.environ.get("MHSW_PASSPHRASE") is None

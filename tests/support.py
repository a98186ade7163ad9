"""Helpers shared by the headless tests: real vaults in temporary folders, file snapshots."""

from __future__ import annotations

import hashlib
from pathlib import Path

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

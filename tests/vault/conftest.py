"""Fixtures for vault tests: a closed, real vault folder with one client in it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.services.clients import add_client
from tests.support import create_vault


@pytest.fixture
def vault_folder(tmp_path: Path) -> tuple[Path, str]:
    """A locked vault holding one client; returns (folder, recovery key)."""
    folder = tmp_path / "vault"
    vault, recovery = create_vault(folder)
    with vault, vault.unit_of_work() as session:
        add_client(
            session,
            ClientInput("Renée", "Østergaard", date(1980, 5, 4), phone="(406) 555-0142"),
        )
    return folder, recovery

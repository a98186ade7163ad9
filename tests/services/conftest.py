"""An open vault for service tests, always locked afterwards."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mhsw_desktop.vault.vault import Vault
from tests.support import create_vault


@pytest.fixture
def vault(tmp_path: Path) -> Iterator[Vault]:
    opened, _ = create_vault(tmp_path / "vault")
    try:
        yield opened
    finally:
        opened.lock()

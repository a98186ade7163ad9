"""Shared test setup: Qt runs offscreen, and a fixture makes real vaults in tmp_path."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest

TEST_PASSPHRASE = "correct horse battery staple 42"


@pytest.fixture
def vault_factory(tmp_path):
    """``make(name="vault", passphrase=TEST_PASSPHRASE) -> (vault, recovery_key)``.

    Vaults use the minimum KDF parameters (fast) and are always locked afterwards.
    """
    from mhsw_desktop.vault import kdf
    from mhsw_desktop.vault.vault import Vault

    made = []

    def make(name: str = "vault", passphrase: str = TEST_PASSPHRASE):
        vault, recovery = Vault.create(tmp_path / name, passphrase, params=kdf.minimum_params())
        made.append(vault)
        return vault, recovery

    yield make
    for vault in made:
        vault.lock()

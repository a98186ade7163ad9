"""The encrypted vault: keys, the SQLCipher engine, migrations (no Qt here)."""

from mhsw_desktop.vault.errors import VaultError
from mhsw_desktop.vault.vault import Vault, VaultInfo

__all__ = ["Vault", "VaultError", "VaultInfo"]

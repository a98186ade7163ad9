"""The demo vault: synthetic caseload, a passphrase everyone knows, kept apart from real vaults."""

from __future__ import annotations

from pathlib import Path

#: shown on the unlock screen of the demo vault; never use it for real records
DEMO_PASSPHRASE = "demo-vault harbor lantern 7"  # noqa: S105 (synthetic data only)
DEMO_CLIENTS = 200
DEMO_SEED = 20261122
#: notes per demo client (every template, most signed, a few drafts and addenda)
DEMO_NOTES = 3
#: a file in the demo vault's folder that marks it as synthetic
DEMO_MARKER = "DEMO-SYNTHETIC-DATA.txt"


def default_vault_folder() -> Path:
    """Where a new vault goes unless the practitioner picks another folder."""
    from platformdirs import user_data_path

    return user_data_path("MHSW Desktop", appauthor=False) / "vault"


def default_demo_folder() -> Path:
    from platformdirs import user_data_path

    return user_data_path("MHSW Desktop", appauthor=False) / "demo-vault"


def ensure_demo_vault(folder: Path | None = None) -> Path:
    """Create and fill the demo vault on first use; return its folder."""
    from mhsw_desktop.services.synthetic import fill_demo
    from mhsw_desktop.vault import kdf
    from mhsw_desktop.vault.vault import Vault, is_vault

    folder = folder or default_demo_folder()
    if is_vault(folder):
        return folder
    vault, _recovery = Vault.create(folder, DEMO_PASSPHRASE, params=kdf.minimum_params())
    try:
        with vault.unit_of_work() as session:
            fill_demo(session, DEMO_CLIENTS, DEMO_SEED, notes_per_client=DEMO_NOTES)
    finally:
        vault.lock()
    (folder / DEMO_MARKER).write_text("This vault holds synthetic people only.\n")
    return folder


def is_demo_vault(folder: Path) -> bool:
    """True for the demo vault's folder (the unlock screen then shows the passphrase)."""
    return (
        folder.expanduser().absolute() == default_demo_folder().absolute()
        or (folder / DEMO_MARKER).exists()
    )

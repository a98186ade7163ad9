"""The backup actions in the File menu: each with its own mnemonic, an accessible name."""

from __future__ import annotations

from mhsw_desktop.ui.actions import ACTIONS

MINE = ("backup_now", "restore_backup", "backup_settings")


def _mnemonic(text: str) -> str:
    at = text.replace("&&", "").find("&")
    return text.replace("&&", "")[at + 1].lower() if at >= 0 else ""


def test_the_backup_actions_have_mnemonics_no_other_file_action_uses() -> None:
    file_menu = [a for a in ACTIONS if a.menu == "file"]
    for spec in (a for a in file_menu if a.id in MINE):
        letter = _mnemonic(spec.text)
        assert letter, spec.id
        others = [a.id for a in file_menu if a.id != spec.id and _mnemonic(a.text) == letter]
        assert not others, (spec.id, letter, others)
        assert spec.accessible_name

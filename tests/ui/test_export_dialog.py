"""File > Export all data… on a real vault: a plaintext export asks first and says where
it goes (going back writes nothing), an encrypted archive opens with its password, and
the dialog's controls are named."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from mhsw_desktop.services import open_export
from mhsw_desktop.ui.export_dialog import ExportDialog
from mhsw_desktop.vault import kdf
from tests.ui.conftest import unlock
from tests.ui.test_accessibility import unnamed

ARCHIVE = "quarry lantern mosaic 88 willow"


def _open(qtbot, controller, filled_vault, tmp_path: Path) -> ExportDialog:
    folder, passphrase, _ = filled_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.actions_by_id["export_all"].trigger()
    dialog = window.findChild(ExportDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.kdf_params = kdf.minimum_params()
    out = tmp_path / "exports"
    out.mkdir()
    dialog.folder.setText(str(out))
    return dialog


def test_a_plaintext_export_is_confirmed_with_its_folder(
    qtbot, controller, filled_vault, tmp_path
) -> None:
    dialog = _open(qtbot, controller, filled_vault, tmp_path)
    assert unnamed(dialog) == []
    assert dialog.encrypted.isChecked()  # the safe choice comes first
    assert not dialog.export_button.isEnabled()  # no archive password yet
    dialog.plain.setChecked(True)
    assert dialog.export_button.isEnabled()

    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    assert box is not None and "NOT be encrypted" in box.text()
    assert dialog.folder.text() in box.text()
    back = next(b for b in box.buttons() if b.text() == "&Go back")
    assert box.defaultButton() is back
    qtbot.mouseClick(back, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.confirm_box is None)
    assert list(Path(dialog.folder.text()).iterdir()) == []

    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    box = dialog.confirm_box
    go = next(b for b in box.buttons() if b.text() == "Export &unencrypted")
    qtbot.mouseClick(go, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=10_000)
    (written,) = Path(dialog.folder.text()).iterdir()
    assert written.name.startswith("mhsw-export-") and (written / "export.json").is_file()
    assert str(written) in dialog.status.text() and "not encrypted" in dialog.status.text()
    assert open_export.load_export(written).counts["clients"] == 3


def test_an_encrypted_archive_needs_a_strong_repeated_password(
    qtbot, controller, filled_vault, tmp_path
) -> None:
    dialog = _open(qtbot, controller, filled_vault, tmp_path)
    dialog.csv.setChecked(False)
    dialog.json.setChecked(False)
    assert not dialog.export_button.isEnabled() and "at least one format" in dialog.error.text()
    dialog.json.setChecked(True)
    dialog.password.passphrase.setText(ARCHIVE)
    dialog.password.confirm.setText(ARCHIVE + "x")
    assert not dialog.export_button.isEnabled()
    dialog.password.confirm.setText(ARCHIVE)
    assert dialog.export_button.isEnabled()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.confirm_box is None  # an archive in a local folder needs no question
    qtbot.waitUntil(lambda: dialog.outcome is not None, timeout=10_000)
    archive = dialog.outcome.path
    assert archive.suffix == ".mhswexport" and dialog.password.text() == ""
    assert open_export.load_export(archive, ARCHIVE).counts["clients"] == 3
    assert b"Pruitt" not in archive.read_bytes()


def test_the_dialog_closes_on_lock(qtbot, controller, filled_vault, tmp_path) -> None:
    dialog = _open(qtbot, controller, filled_vault, tmp_path)
    controller.main_window.actions_by_id["lock"].trigger()
    qtbot.waitUntil(lambda: not dialog.isVisible())

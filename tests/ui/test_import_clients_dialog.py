"""File > Import clients from CSV… on a real vault: the guessed mapping in combo boxes
beside each column's first values, every row's problems listed with Import disabled, a
field taken by one column at a time, the date format chosen, and an import that adds the
clients to the list."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from mhsw_desktop.ui.import_clients_dialog import ImportClientsDialog
from tests.ui.conftest import unlock
from tests.ui.test_accessibility import unnamed

BAD = (
    "First Name,Last,DOB,Status,Case Worker\n"
    "Wren,Okafor,03/14/1985,Active,Sam\n"
    "Bo,Reed,13/01/2090,weird,Kim\n"
    ",Stone,01/02/1970,,Lee\n"
)
GOOD = (
    "Given name,Surname,Birth date,Phone\n"
    "Wren,Okafor,1985-03-14,(406) 555-0101\n"
    "Ana,González,1985-03-14,\n"  # already in the vault
)


def _open(qtbot, controller, filled_vault):
    folder, passphrase, _ = filled_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.actions_by_id["import_clients"].trigger()
    dialog = window.findChild(ImportClientsDialog)
    assert dialog is not None and dialog.isVisible()
    return window, dialog


def _load(qtbot, dialog: ImportClientsDialog, path: Path, text: str) -> None:
    path.write_text(text, "utf-8")
    dialog.load(path)
    qtbot.waitUntil(lambda: dialog.checked is not None and dialog.runner.idle())


def test_problems_are_listed_and_import_stays_disabled(
    qtbot, controller, filled_vault, tmp_path
) -> None:
    _window, dialog = _open(qtbot, controller, filled_vault)
    _load(qtbot, dialog, tmp_path / "other-system.csv", BAD)
    assert unnamed(dialog) == []
    assert [c.currentData() for c in dialog.combos] == [
        "legal_first_name", "legal_last_name", "date_of_birth", "status", None
    ]  # fmt: skip
    assert dialog.mapping_model.index(0, 2).data() == "Wren"  # the first values are shown
    assert dialog.combos[2].accessibleName() == "Field for column 3, DOB"
    # 03/14 and 13/01 cannot both be right: the date format is asked for
    assert "choose the date format" in dialog.problem_model.index(0, 2).data()
    assert not dialog.import_button.isEnabled()

    dialog.date_format.setCurrentIndex(dialog.date_format.findData("mdy"))
    qtbot.waitUntil(lambda: dialog.checked.date_format == "mdy" and dialog.runner.idle())
    rows = [
        tuple(dialog.problem_model.index(r, c).data() for c in range(3))
        for r in range(dialog.problem_model.rowCount())
    ]
    assert rows == [
        ("3", "DOB", "13/01/2090 is not a real date"),
        ("3", "Status", "unknown status 'weird' (active, on hold, discharged)"),
        ("4", "First Name", "is required"),
    ]
    assert "2 with problems" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()

    # a field goes to one column: giving "Legal first name" to Case Worker takes it away
    dialog.combos[4].setCurrentIndex(dialog.combos[4].findData("legal_first_name"))
    assert dialog.combos[0].currentData() is None
    qtbot.waitUntil(lambda: dialog.runner.idle() and dialog.problem_model.rowCount() == 2)
    assert dialog.checked.valid[0][1].legal_first_name == "Sam"  # row 4 has a first name now


def test_a_clean_file_imports_and_skips_the_likely_duplicate(
    qtbot, controller, filled_vault, tmp_path
) -> None:
    window, dialog = _open(qtbot, controller, filled_vault)
    _load(qtbot, dialog, tmp_path / "good.csv", GOOD)
    assert dialog.checked.ok
    assert "1 likely duplicates will be skipped" in dialog.summary.text()
    assert dialog.problem_model.rowCount() == 1  # the duplicate, as a warning
    assert dialog.import_button.isEnabled()
    before = window.clients.model.rowCount()
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.imported is not None and dialog.runner.idle())
    assert len(dialog.imported.imported) == 1 and len(dialog.imported.skipped) == 1
    assert "Imported 1 clients" in dialog.summary.text()
    assert not dialog.import_button.isEnabled()
    qtbot.waitUntil(lambda: window.clients.model.rowCount() == before + 1)


def test_a_file_that_is_not_csv_text_says_so_and_lock_closes(
    qtbot, controller, filled_vault, tmp_path
) -> None:
    window, dialog = _open(qtbot, controller, filled_vault)
    path = tmp_path / "picture.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    dialog.load(path)
    qtbot.waitUntil(lambda: bool(dialog.error.text()))
    assert "NUL characters" in dialog.error.text() or "UTF-8" in dialog.error.text()
    assert not dialog.import_button.isEnabled()
    window.actions_by_id["lock"].trigger()
    qtbot.waitUntil(lambda: not dialog.isVisible())

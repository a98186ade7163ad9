"""The audit log in the app: File > Audit log… lists the entries (no record content),
filters them by action, checks the chain, and closes on lock."""

from __future__ import annotations

from PySide6.QtCore import Qt

from mhsw_desktop.ui.audit_log_dialog import AuditLogDialog
from tests.ui.conftest import unlock
from tests.ui.test_accessibility import unnamed


def test_the_audit_log_lists_filters_and_checks_the_chain(qtbot, controller, filled_vault):
    folder, passphrase, _ = filled_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.actions_by_id["audit_log"].trigger()
    dialog = window.findChild(AuditLogDialog)
    assert dialog is not None and dialog.isVisible()
    qtbot.waitUntil(lambda: dialog.model.rowCount() >= 5)
    cells = [dialog.model.index(row, 2).data() for row in range(dialog.model.rowCount())]
    assert cells[0] == "create vault" and cells.count("create") == 3 and "unlock" in cells
    shown = [
        dialog.model.index(row, column).data(Qt.ItemDataRole.DisplayRole)
        for row in range(dialog.model.rowCount())
        for column in range(dialog.model.columnCount())
    ]
    assert not any("Østergaard" in str(text) or "555-0142" in str(text) for text in shown)
    assert unnamed(dialog) == []

    dialog.action.setCurrentIndex(dialog.action.findData("unlock"))
    qtbot.mouseClick(dialog.apply, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.model.rowCount() == 1)
    assert dialog.count.text() == "1 entry"

    qtbot.mouseClick(dialog.check, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "unbroken" in dialog.chain_status.text())

    window.actions_by_id["lock"].trigger()
    qtbot.waitUntil(lambda: not dialog.isVisible())

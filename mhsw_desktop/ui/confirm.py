"""Asking before a step that removes something: a plain-text question whose default
answer is the safe one."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QMessageBox, QWidget


def ask_first(
    parent: QWidget,
    title: str,
    text: str,
    action: str,
    on_yes: Callable[[], None],
    *,
    keep: str | None = None,
    on_close: Callable[[], None] | None = None,
) -> QMessageBox:
    """Open (window-modal) a question with ``action`` and ``keep`` ("&Keep" unless given)
    buttons, ``keep`` the default; ``on_close`` runs however it closes (a lock closes it
    unanswered), then ``on_yes`` if ``action`` was chosen. Returns the box, which deletes
    itself on close."""
    if keep is None:
        keep = QCoreApplication.translate("Confirm", "&Keep")
    box = QMessageBox(parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(title)
    box.setText(text)
    yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
    yes.setAccessibleName(action.replace("&", ""))
    no = box.addButton(keep, QMessageBox.ButtonRole.RejectRole)
    no.setAccessibleName(keep.replace("&", ""))
    box.setDefaultButton(no)
    box.setEscapeButton(no)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def decided() -> None:
        if on_close is not None:
            on_close()
        if box.clickedButton() is yes:
            on_yes()

    box.finished.connect(decided)
    box.open()
    return box

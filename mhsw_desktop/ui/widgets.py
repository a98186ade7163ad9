"""Small building blocks shared by dialogs: plain-text labels, error lines, busy bars."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QProgressBar, QPushButton, QWidget


def plain_label(text: str, parent: QWidget | None = None) -> QLabel:
    """A label that never interprets its text as HTML (user text is text)."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def error_label(parent: QWidget | None = None) -> QLabel:
    """A wrapped, plain-text line for inline error messages, in the palette's error colour."""
    label = plain_label("", parent)
    label.setWordWrap(True)
    label.setAccessibleName(QCoreApplication.translate("Widgets", "Error message"))
    label.setObjectName("error")
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.darkRed)
    label.setPalette(palette)
    return label


def busy_bar(parent: QWidget | None = None) -> QProgressBar:
    """An indeterminate progress bar, hidden until work starts."""
    bar = QProgressBar(parent)
    bar.setRange(0, 0)
    bar.setTextVisible(False)
    bar.setAccessibleName(QCoreApplication.translate("Widgets", "Working"))
    bar.setMaximumHeight(max(8, bar.fontMetrics().height() // 2))
    bar.hide()
    return bar


def scaled_font(base: QFont, scale: float, *, bold: bool = False) -> QFont:
    """``base`` scaled relative to the system font (never a fixed pixel size)."""
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * scale)
    font.setBold(bold)
    return font


def accept_cancel(
    dialog: QDialog, text: str, accessible_name: str, on_accept: Callable[[], None]
) -> tuple[QDialogButtonBox, QPushButton]:
    """The dialog's button row: ``text`` (runs ``on_accept``) and Cancel (rejects); the
    caller translates ``text`` and ``accessible_name``."""
    buttons = QDialogButtonBox(dialog)
    accept = buttons.addButton(text, QDialogButtonBox.ButtonRole.AcceptRole)
    accept.setAccessibleName(accessible_name)
    cancel = buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
    cancel.setAccessibleName(QCoreApplication.translate("Widgets", "Cancel"))
    buttons.accepted.connect(on_accept)
    buttons.rejected.connect(dialog.reject)
    return buttons, accept

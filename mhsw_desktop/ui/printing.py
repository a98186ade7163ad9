"""Printing the recovery key on paper (through the print dialog; nothing is saved to disk)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QFont, QFontDatabase, QTextCursor, QTextDocument
from PySide6.QtWidgets import QDialog, QWidget


def recovery_document(key: str, folder: Path) -> QTextDocument:
    """A plain-text page: what the key is for, the vault's folder and the key itself."""
    doc = QTextDocument()
    cursor = QTextCursor(doc)
    heading = QCoreApplication.translate("RecoveryKeyPage", "MHSW Desktop — vault recovery key")
    where = QCoreApplication.translate(
        "RecoveryKeyPage", "Vault folder: {folder}\nPrinted: {day}"
    ).format(folder=folder, day=date.today().isoformat())
    what = QCoreApplication.translate(
        "RecoveryKeyPage",
        "This key opens the vault if the passphrase is forgotten. Keep it somewhere safe, "
        "away from the computer.",
    )
    cursor.insertText(f"{heading}\n\n{where}\n\n{what}\n\n")
    fixed = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
    big = QFont(fixed)
    big.setPointSizeF(fixed.pointSizeF() * 1.8)
    fmt = cursor.charFormat()
    fmt.setFont(big)
    groups = key.split("-")
    lines = "\n".join("  ".join(groups[i : i + 3]) for i in range(0, len(groups), 3))
    cursor.insertText(lines + "\n", fmt)
    return doc


def print_recovery_key(parent: QWidget, key: str, folder: Path) -> bool:
    """Show the print dialog and print; True when it was sent to a printer."""
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("RecoveryKeyPage", "Print the recovery key"))
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    recovery_document(key, folder).print_(printer)
    return True

"""What the main window shows while the vault is locked: no data, one Unlock button."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from mhsw_desktop.ui.widgets import plain_label, scaled_font


class LockedPane(QWidget):
    unlock_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = plain_label(self.tr("The vault is locked"), self)
        title.setFont(scaled_font(self.font(), 1.6, bold=True))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        hint = plain_label(self.tr("Unlock it with your passphrase to see your records."), self)
        hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock = QPushButton(self.tr("&Unlock…"), self)
        self.unlock.setAccessibleName(self.tr("Unlock the vault"))
        self.unlock.clicked.connect(self.unlock_requested)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(title)
        layout.addWidget(hint)
        layout.addWidget(self.unlock, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)

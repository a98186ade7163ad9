"""Choose a session note of the client to link to a treatment-plan goal."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from mhsw_desktop.ui.widgets import accept_cancel, plain_label


class LinkNoteDialog(QDialog):
    """``notes`` are (note id, "2025-06-02 SOAP note") of the client, newest first."""

    chosen = Signal(object)

    def __init__(
        self, goal: str, notes: Sequence[tuple[uuid.UUID, str]], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Link a session note"))
        self.setObjectName("link_note_dialog")
        intro = plain_label(
            self.tr("Which session worked on this goal?\n{goal}").format(goal=goal), self
        )
        intro.setWordWrap(True)
        self.note = QComboBox(self)
        self.note.setAccessibleName(self.tr("Session note"))
        for note_id, text in notes:
            self.note.addItem(text, note_id)
        label = QLabel(self.tr("&Note:"), self)
        label.setBuddy(self.note)
        form = QFormLayout()
        form.addRow(label, self.note)
        self.buttons, self.ok = accept_cancel(self, self.tr("&Link"), self.tr("Link"), self._link)
        self.ok.setEnabled(bool(notes))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        if not notes:
            layout.addWidget(plain_label(self.tr("This client has no session notes yet."), self))
        layout.addLayout(form)
        layout.addWidget(self.buttons)

    def _link(self) -> None:
        note_id = self.note.currentData()
        if note_id is not None:
            self.accept()
            self.chosen.emit(note_id)

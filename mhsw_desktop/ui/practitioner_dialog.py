"""The practitioner profile: who signs notes (name, credentials, licence) and the
practice header of reports."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import accept_cancel, busy_bar, error_label, plain_label

#: (field, label, limit, kind)
FIELDS: tuple[tuple[str, str, int, str], ...] = (
    ("name", "&Name (as you sign)", 200, "line"),
    ("credentials", "&Credentials (e.g. LCSW)", 100, "line"),
    ("licence_number", "&Licence number", 100, "line"),
    ("practice_name", "&Practice name", 200, "line"),
    ("address", "&Address", 500, "text"),
    ("phone", "P&hone", 40, "line"),
)


class PractitionerDialog(QDialog):
    """Loads the profile on open and saves it with ``save_practitioner``."""

    saved = Signal()

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._busy = True
        self.setWindowTitle("Practitioner profile")
        self.setObjectName("practitioner_dialog")
        intro = plain_label(
            "Signed notes record your name, credentials and licence number as they are "
            "on the day you sign. Reports carry the practice details.",
            self,
        )
        intro.setWordWrap(True)
        self.widgets: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        for name, label_text, limit, kind in FIELDS:
            widget: QLineEdit | QPlainTextEdit
            if kind == "line":
                line = QLineEdit(self)
                line.setMaxLength(limit)
                widget = line
            else:
                text = QPlainTextEdit(self)
                text.setTabChangesFocus(True)
                text.setMaximumHeight(text.fontMetrics().height() * 4)
                widget = text
            widget.setObjectName(name)
            widget.setAccessibleName(label_text.replace("&", ""))
            label = QLabel(label_text + ":", self)
            label.setBuddy(widget)
            form.addRow(label, widget)
            self.widgets[name] = widget
        self.error = error_label(self)
        self.busy = busy_bar(self)
        self.buttons, self.save_button = accept_cancel(self, "&Save", "Save profile", self.save)
        self.save_button.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())
        self._load()

    def _load(self) -> None:
        if self.runner.vault is None:
            return
        from mhsw_desktop.services.practitioner import get_practitioner

        self.busy.show()
        self.runner.query(get_practitioner, self._loaded, self._failed)

    def _loaded(self, profile: Any) -> None:
        self._busy = False
        self.busy.hide()
        for name, widget in self.widgets.items():
            value = getattr(profile, name)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            else:
                widget.setPlainText(value)
        self.save_button.setEnabled(True)

    def value(self) -> Any:
        from mhsw_desktop.services.practitioner import PractitionerInput

        values = {
            name: w.text() if isinstance(w, QLineEdit) else w.toPlainText()
            for name, w in self.widgets.items()
        }
        return PractitionerInput(**values)

    def save(self) -> None:
        if self._busy:
            return
        from mhsw_desktop.services.practitioner import save_practitioner

        data = self.value()
        self._busy = True
        self.save_button.setEnabled(False)
        self.busy.show()
        self.runner.query(
            lambda s: save_practitioner(s, data),
            lambda _r: self._saved(),
            self._failed,
            changes="practitioner",
        )

    def _saved(self) -> None:
        self._busy = False
        self.busy.hide()
        self.saved.emit()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.busy.hide()
        self.save_button.setEnabled(True)
        self.error.setText(user_message(exc))

    def discard(self) -> None:
        """Close at once (the vault is locking)."""
        self._busy = False
        QDialog.reject(self)

"""The client form (add or edit every field) and the discharge dialog.

Validation runs as the user types (``client_errors``), messages appear under each
touched field, and Save stays disabled while anything is invalid. Saving goes through
the operation runner; a new client is first checked against likely duplicates.
Closing with unsaved changes asks first; locking the vault closes it without saving.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.domain.client import LIMITS, ClientStatus
from mhsw_desktop.domain.client_rules import ClientInput, client_errors
from mhsw_desktop.domain.language import DocumentLanguage, languages
from mhsw_desktop.errors import ValidationError
from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import accept_cancel, error_label, plain_label

#: (field, label with mnemonic, kind) in reading order; the labels are source text,
#: shown through tr()
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("legal_first_name", QT_TRANSLATE_NOOP("ClientFormDialog", "Legal &first name"), "line"),
    ("legal_last_name", QT_TRANSLATE_NOOP("ClientFormDialog", "Legal &last name"), "line"),
    ("preferred_name", QT_TRANSLATE_NOOP("ClientFormDialog", "P&referred name"), "line"),
    ("pronouns", QT_TRANSLATE_NOOP("ClientFormDialog", "Pro&nouns"), "line"),
    ("date_of_birth", QT_TRANSLATE_NOOP("ClientFormDialog", "Date of &birth"), "date"),
    (
        "preferred_language",
        QT_TRANSLATE_NOOP("ClientFormDialog", "Preferred lan&guage"),
        "language",
    ),
    ("interpreter_needed", QT_TRANSLATE_NOOP("ClientFormDialog", "Interpreter needed"), "check"),
    (
        "document_language",
        QT_TRANSLATE_NOOP("ClientFormDialog", "Client d&ocuments in"),
        "documents",
    ),
    ("phone", QT_TRANSLATE_NOOP("ClientFormDialog", "&Phone"), "line"),
    ("email", QT_TRANSLATE_NOOP("ClientFormDialog", "E&mail"), "line"),
    ("address", QT_TRANSLATE_NOOP("ClientFormDialog", "&Address"), "text"),
    (
        "emergency_contact_name",
        QT_TRANSLATE_NOOP("ClientFormDialog", "Emergency &contact"),
        "line",
    ),
    (
        "emergency_contact_phone",
        QT_TRANSLATE_NOOP("ClientFormDialog", "Emergency contact phon&e"),
        "line",
    ),
    ("intake_date", QT_TRANSLATE_NOOP("ClientFormDialog", "&Intake date"), "date"),
    ("status", QT_TRANSLATE_NOOP("ClientFormDialog", "Sta&tus"), "status"),
    ("discharge_date", QT_TRANSLATE_NOOP("ClientFormDialog", "&Discharge date"), "date"),
    ("discharge_reason", QT_TRANSLATE_NOOP("ClientFormDialog", "Disc&harge reason"), "text"),
    ("important_to_know", QT_TRANSLATE_NOOP("ClientFormDialog", "Important to &know"), "text"),
)
REQUIRED = frozenset({"legal_first_name", "legal_last_name", "date_of_birth"})


def _label_words(label: str) -> str:
    return label.replace("&", "")


class ClientFormDialog(QDialog):
    """Add a client (``detail`` None) or edit one; emits :attr:`saved` with the id."""

    saved = Signal(object)

    def __init__(
        self,
        runner: OperationRunner,
        detail: Any = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.client_id: uuid.UUID | None = detail.id if detail is not None else None
        self._touched: set[str] = set()
        self._saving = False
        self._confirm: QMessageBox | None = None
        self.setWindowTitle(self.tr("Edit client") if detail is not None else self.tr("New client"))
        self.setObjectName("client_form")
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        #: each field's label without its mnemonic, as the form shows it
        self.words: dict[str, str] = {}

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for name, source_label, kind in FIELDS:
            widget = self._make_field(name, kind)
            label_text = self.tr(source_label)
            words = _label_words(label_text)
            self.words[name] = words
            if name in REQUIRED:
                widget.setAccessibleName(self.tr("{name} (required)").format(name=words))
                shown = self.tr("{label} *:").format(label=label_text)
            else:
                widget.setAccessibleName(words)
                shown = self.tr("{label}:").format(label=label_text)
            widget.setObjectName(name)
            label = QLabel(shown, self)
            label.setBuddy(widget)
            error = error_label(self)
            error.setAccessibleName(self.tr("{field} problem").format(field=words))
            error.hide()
            column = QVBoxLayout()
            column.setSpacing(0)
            column.addWidget(widget)
            column.addWidget(error)
            form.addRow(label, column)
            self.widgets[name] = widget
            self.errors[name] = error

        inner = QWidget(self)
        inner.setLayout(form)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(inner)
        scroll.setAccessibleName(self.tr("Client details"))

        self.summary = error_label(self)
        self.summary.setAccessibleName(self.tr("What still needs attention"))
        self.buttons, self.save_button = accept_cancel(
            self, self.tr("&Save"), self.tr("Save client"), self.save
        )
        self.save_button.setDefault(True)
        required = plain_label(self.tr("* required"), self)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(required)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

        initial = (
            detail.data
            if detail is not None
            else ClientInput(legal_first_name="", legal_last_name="", date_of_birth=None)
        )
        self._fill(initial)
        self._initial = self.value()
        for name, widget in self.widgets.items():
            self._connect_change(name, widget)
        self._revalidate()
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 110, self.fontMetrics().height() * 44)

    # -- building ----------------------------------------------------------------
    def _make_field(self, name: str, kind: str) -> QWidget:
        if kind == "line":
            edit = QLineEdit(self)
            edit.setMaxLength(LIMITS[name])
            return edit
        if kind == "text":
            text = QPlainTextEdit(self)
            text.setTabChangesFocus(True)
            text.setMaximumHeight(text.fontMetrics().height() * 5)
            return text
        if kind == "date":
            return OptionalDateEdit(None, self)
        if kind == "check":
            box = QCheckBox(self)
            box.setToolTip(self.tr("An interpreter takes part in sessions with this client"))
            return box
        combo = QComboBox(self)
        if kind == "language":
            for lang in languages():  # the languages' names as the domain gives them
                combo.addItem(lang.label, lang.code)
            combo.setToolTip(
                self.tr(
                    "The client's documents (safety plan, forms, next steps) print in this language"
                )
            )
        elif kind == "documents":
            for choice in DocumentLanguage:
                combo.addItem(choice.label, choice.value)
        else:
            for status in ClientStatus:
                combo.addItem(status.label, status.value)
        return combo

    def _connect_change(self, name: str, widget: QWidget) -> None:
        def changed(*_args: object) -> None:
            self._touched.add(name)
            self._revalidate()

        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(changed)
        elif isinstance(widget, QCheckBox):
            widget.toggled.connect(changed)
        elif isinstance(widget, OptionalDateEdit):
            widget.dateChanged.connect(changed)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(changed)

    def _fill(self, data: ClientInput) -> None:
        for name, widget in self.widgets.items():
            value = getattr(data, name)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            elif isinstance(widget, OptionalDateEdit):
                widget.set_value(value)
            elif isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                found = widget.findData(getattr(value, "value", value))
                if found < 0 and name == "preferred_language":  # a language this install
                    widget.addItem(str(value), value)  # does not list is kept, not lost
                    found = widget.count() - 1
                widget.setCurrentIndex(max(0, found))

    # -- reading ---------------------------------------------------------------------
    def value(self) -> ClientInput:
        """What the form holds now, as a ClientInput (not yet validated)."""
        values: dict[str, Any] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                values[name] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText()
            elif isinstance(widget, OptionalDateEdit):
                values[name] = widget.value()
            elif isinstance(widget, QCheckBox):
                values[name] = widget.isChecked()
            elif isinstance(widget, QComboBox):
                data = widget.currentData()
                values[name] = ClientStatus(data) if name == "status" else str(data)
        return ClientInput(**values)

    def is_dirty(self) -> bool:
        return self.value() != self._initial

    def current_errors(self) -> dict[str, str]:
        return client_errors(self.value(), date.today())

    def _revalidate(self) -> None:
        data = self.value()
        problems = client_errors(data, date.today())
        discharged = data.status == ClientStatus.DISCHARGED
        for name in ("discharge_date", "discharge_reason"):
            self.widgets[name].setEnabled(discharged or bool(getattr(data, name)))
        self._show_errors(problems, only_touched=True)
        self.save_button.setEnabled(not problems and not self._saving)
        if problems:
            # the field's label, then the domain's message about it ("is required")
            needed = "; ".join(f"{self.words.get(n, n)} {msg}" for n, msg in problems.items())
            self.summary.setText(self.tr("To save: {needed}.").format(needed=needed))
        else:
            self.summary.setText("")

    def _show_errors(self, problems: dict[str, str], *, only_touched: bool) -> None:
        for name, label in self.errors.items():
            message = problems.get(name, "")
            visible = bool(message) and (not only_touched or name in self._touched)
            label.setText(message if visible else "")
            label.setVisible(visible)

    # -- saving ------------------------------------------------------------------------
    def save(self) -> None:
        if self._saving:
            return
        data = self.value()
        problems = client_errors(data, date.today())
        if problems:
            self._touched.update(problems)
            self._show_errors(problems, only_touched=False)
            return
        self._set_saving(True)
        if self.client_id is None:
            from mhsw_desktop.services.clients import likely_duplicates

            self.runner.query(
                lambda s: likely_duplicates(s, data),
                lambda dups: self._after_duplicate_check(data, dups),
                self._failed,
            )
        else:
            from mhsw_desktop.services.clients import update_client

            client_id = self.client_id
            self.runner.query(
                lambda s: update_client(s, client_id, data),
                lambda _r: self._saved(client_id),
                self._failed,
                changes="clients",
            )

    def _after_duplicate_check(self, data: ClientInput, duplicates: list[Any]) -> None:
        if not duplicates:
            self._add(data)
            return
        line = self.tr("• {name}, born {date}, {status}")
        names = "\n".join(
            line.format(
                name=row.display_name,
                date=row.date_of_birth.isoformat(),
                status=row.status.label,  # the domain's label
            )
            for row in duplicates[:5]
        )
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Possible duplicate"))
        box.setText(
            self.tr(
                "This may be someone already in your caseload (same date of birth and name):"
                "\n\n{names}\n\nAdd a new client anyway?"
            ).format(names=names)
        )
        add = box.addButton(self.tr("&Add anyway"), QMessageBox.ButtonRole.AcceptRole)
        back = box.addButton(self.tr("&Go back"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        self._confirm = box

        def decided() -> None:
            self._confirm = None
            if box.clickedButton() is add:
                self._add(data)
            else:
                self._set_saving(False)

        box.finished.connect(decided)
        box.open()

    def _add(self, data: ClientInput) -> None:
        from mhsw_desktop.services.clients import add_client

        self.runner.query(
            lambda s: add_client(s, data), self._saved, self._failed, changes="clients"
        )

    def _saved(self, client_id: uuid.UUID) -> None:
        self._set_saving(False)
        self._initial = self.value()
        self.saved.emit(client_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, ValidationError):
            self._touched.update(exc.errors)
            self._show_errors(exc.errors, only_touched=False)
        self.summary.setText(user_message(exc))

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving and not self.current_errors())

    # -- closing -----------------------------------------------------------------------
    def reject(self) -> None:
        """Cancel or Esc: ask before throwing away typed changes."""
        if self._saving:
            return
        if not self.is_dirty():
            super().reject()
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Unsaved changes"))
        box.setText(self.tr("Discard the changes you made to this client?"))
        discard = box.addButton(self.tr("&Discard changes"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("&Keep editing"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        self._confirm = box

        def decided() -> None:
            self._confirm = None
            if box.clickedButton() is discard:
                self.discard()

        box.finished.connect(decided)
        box.open()

    def closeEvent(self, event: Any) -> None:
        if self.is_dirty() or self._saving:
            event.ignore()
            self.reject()
        else:
            super().closeEvent(event)

    def discard(self) -> None:
        """Close at once, saving nothing (the vault is locking)."""
        if self._confirm is not None:
            self._confirm.done(0)
            self._confirm = None
        self._initial = self.value()
        self._saving = False
        QDialog.reject(self)


class DischargeDialog(QDialog):
    """Discharge one client: a date (today unless changed) and a reason, both required."""

    saved = Signal(object)

    def __init__(
        self,
        runner: OperationRunner,
        client_id: uuid.UUID,
        intake: date | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.client_id = client_id
        self._intake = intake
        self._saving = False
        self.setWindowTitle(self.tr("Discharge client"))
        self.setObjectName("discharge_dialog")
        self.on = OptionalDateEdit(date.today(), self)
        self.on.setAccessibleName(self.tr("Discharge date"))
        self.reason = QPlainTextEdit(self)
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName(self.tr("Discharge reason"))
        self.error = error_label(self)
        on_label = QLabel(self.tr("Discharge &date:"), self)
        on_label.setBuddy(self.on)
        reason_label = QLabel(self.tr("&Reason:"), self)
        reason_label.setBuddy(self.reason)
        self.buttons, self.save_button = accept_cancel(
            self, self.tr("&Discharge"), self.tr("Discharge client"), self.save
        )
        form = QFormLayout()
        form.addRow(on_label, self.on)
        form.addRow(reason_label, self.reason)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.on.dateChanged.connect(self._revalidate)
        self.reason.textChanged.connect(self._revalidate)
        self._revalidate()
        self.resize(self.fontMetrics().averageCharWidth() * 60, self.sizeHint().height())

    def problem(self) -> str:
        on, reason = self.on.value(), self.reason.toPlainText().strip()
        if on is None:
            return self.tr("Choose the discharge date.")
        if on > date.today():
            return self.tr("The discharge date is in the future.")
        if self._intake is not None and on < self._intake:
            return self.tr("The discharge date is before the intake date.")
        if not reason:
            return self._no_reason()
        if len(reason) > LIMITS["discharge_reason"]:
            return self.tr("The reason is too long (at most {limit} characters).").format(
                limit=LIMITS["discharge_reason"]
            )
        return ""

    def _no_reason(self) -> str:
        return self.tr("Give a reason for the discharge.")

    def _revalidate(self) -> None:
        problem = self.problem()
        # "give a reason" waits until the user has typed something there
        quiet = not self.reason.toPlainText() and problem == self._no_reason()
        self.error.setText("" if quiet else problem)
        self.save_button.setEnabled(not problem and not self._saving)

    def save(self) -> None:
        if self.problem() or self._saving:
            return
        from mhsw_desktop.services.clients import discharge_client

        on, reason, client_id = self.on.value(), self.reason.toPlainText(), self.client_id
        assert on is not None
        self._saving = True
        self.save_button.setEnabled(False)
        self.runner.query(
            lambda s: discharge_client(s, client_id, on, reason),
            lambda _r: self._done(),
            self._failed,
            changes="clients",
        )

    def _done(self) -> None:
        self._saving = False
        self.saved.emit(self.client_id)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.error.setText(user_message(exc))
        self._revalidate()

    def discard(self) -> None:
        """Close at once, saving nothing (the vault is locking)."""
        self._saving = False
        QDialog.reject(self)

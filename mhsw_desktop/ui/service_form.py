"""A small form dialog that saves through one service call: labelled fields with a message
under each, a summary line, Save and Cancel, and closing without saving on lock.

The care-team dialogs build on it. The service validates; a ``ValidationError`` puts
each message under its field and keeps the dialog open, with nothing saved. A dialog
that edits a record may also offer to delete it (:meth:`add_delete_button`): it asks
first, and the service's refusal shows in the summary line in the service's words.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLayout,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.errors import ValidationError
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import accept_cancel, error_label, plain_label

#: service messages that read as the end of a sentence begun by the field's name
_CONTINUATIONS = ("is ", "are ", "does ", "holds ", "cannot ")


def field_message(words: str, message: str) -> str:
    """A service message as a line under its field: "Purpose is required"."""
    if message.startswith(_CONTINUATIONS):
        return f"{words} {message}"
    return message[:1].upper() + message[1:]


class ServiceFormDialog(QDialog):
    """Subclasses add fields with :meth:`add_field`, then implement :meth:`value` (what the
    form holds, comparable, for "unsaved changes") and :meth:`work` (the service call).

    Its own words are translated in the context "ServiceFormDialog" by name, not with
    ``self.tr``: a subclass's ``tr`` may look them up under the subclass's name.
    """

    #: the saving call's result (usually the new record's id)
    saved = Signal(object)
    #: the record was deleted through :meth:`add_delete_button`'s button
    deleted = Signal()

    def __init__(
        self,
        runner: OperationRunner,
        title: str,
        accept_text: str,
        accept_name: str,
        parent: QWidget | None = None,
        *,
        intro: str = "",
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self._saving = False
        self._confirm: QMessageBox | None = None
        self._initial: Any = None
        self.delete_button: QPushButton | None = None
        self.setWindowTitle(title)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.DontWrapRows)
        self.widgets: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        self.words: dict[str, str] = {}
        self.summary = error_label(self)
        self.summary.setAccessibleName(
            QCoreApplication.translate("ServiceFormDialog", "What still needs attention")
        )
        self.buttons, self.save_button = accept_cancel(self, accept_text, accept_name, self.save)
        self.save_button.setDefault(True)
        layout = QVBoxLayout(self)
        # messages appearing under fields grow the dialog rather than being cut off
        layout.setSizeConstraint(QLayout.SizeConstraint.SetMinimumSize)
        if intro:
            text = plain_label(intro, self)
            text.setWordWrap(True)
            layout.addWidget(text)
        layout.addLayout(self.form)
        layout.addStretch(1)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)

    # -- building ----------------------------------------------------------------
    def add_field(
        self,
        name: str,
        label_text: str,
        widget: QWidget,
        *,
        required: bool = False,
        accessible_name: str = "",
        error_names: tuple[str, ...] = (),
        container: QWidget | None = None,
    ) -> QLabel:
        """A labelled row (``label_text`` with its mnemonic) and a message line under it.

        ``error_names`` are further service field names whose messages show here;
        ``container`` (holding ``widget`` and more) takes the row's place when given.
        """
        words = label_text.replace("&", "")
        widget.setObjectName(name)
        spoken = accessible_name or words
        if required:
            spoken = QCoreApplication.translate("ServiceFormDialog", "{name} (required)").format(
                name=spoken
            )
            shown = QCoreApplication.translate("ServiceFormDialog", "{label} *:").format(
                label=label_text
            )
        else:
            shown = QCoreApplication.translate("ServiceFormDialog", "{label}:").format(
                label=label_text
            )
        widget.setAccessibleName(spoken)
        label = QLabel(shown, self)
        label.setBuddy(widget)
        error = error_label(self)
        error.setAccessibleName(
            QCoreApplication.translate("ServiceFormDialog", "{field} problem").format(field=words)
        )
        error.hide()
        column = QVBoxLayout()
        column.setSpacing(0)
        column.addWidget(container or widget)
        column.addWidget(error)
        self.form.addRow(label, column)
        for key in (name, *error_names):
            self.errors[key] = error
            self.words[key] = words
        self.widgets[name] = widget
        return label

    def add_delete_button(
        self,
        text: str,
        accessible_name: str,
        *,
        question_title: str,
        question: str,
        action: str,
        delete: Callable[[Any], Any],
        changes: str,
    ) -> QPushButton:
        """A button at the start of the button row that asks ``question`` and, if the
        answer is ``action``, runs ``delete(session)`` and closes; a refusal keeps the
        dialog open with the service's message in the summary line."""
        button = self.buttons.addButton(text, QDialogButtonBox.ButtonRole.DestructiveRole)
        button.setAccessibleName(accessible_name)
        button.setAutoDefault(False)
        self.delete_button = button

        def confirmed() -> None:
            if self._saving or self.runner.vault is None:
                return
            self.summary.setText("")
            self._set_saving(True)
            self.runner.query(delete, self._deleted, self._failed, changes=changes)

        def ask() -> None:
            if self._saving or self._confirm is not None:
                return
            from mhsw_desktop.ui.confirm import ask_first

            self._confirm = ask_first(
                self, question_title, question, action, confirmed, on_close=self._forget_confirm
            )

        button.clicked.connect(ask)
        return button

    def _forget_confirm(self) -> None:
        self._confirm = None

    def mark_clean(self) -> None:
        """What the form holds now is what "unchanged" means (call once it is filled)."""
        self._initial = self.value()

    def mark_clean_once_loaded(self, combo: Any) -> None:
        """When ``combo`` (a :class:`CollaboratorCombo`, first in :meth:`value`) has first
        loaded, its choice becomes part of "unchanged", unless something else was already
        changed: closing an untouched form then asks nothing."""

        def settle() -> None:
            initial = self._initial
            if isinstance(initial, tuple) and self.value()[1:] == initial[1:]:
                self.mark_clean()

        combo.loaded.connect(settle, Qt.ConnectionType.SingleShotConnection)

    # -- to implement --------------------------------------------------------------------
    def value(self) -> Any:
        raise NotImplementedError

    def work(self) -> tuple[Callable[[Any], Any], str] | None:
        """(function of a session, kind of change) that saves, or None when the form itself
        already says what is missing."""
        raise NotImplementedError

    # -- messages ------------------------------------------------------------------------
    def show_errors(self, problems: dict[str, str]) -> None:
        """Each message under its field; every other line cleared."""
        shown: dict[int, list[str]] = {}
        for key, message in problems.items():
            label = self.errors.get(key)
            if label is not None:
                shown.setdefault(id(label), []).append(field_message(self.words[key], message))
        for label in set(self.errors.values()):
            lines = shown.get(id(label), [])
            label.setText("\n".join(lines))
            label.setVisible(bool(lines))

    def clear_errors(self) -> None:
        self.show_errors({})
        self.summary.setText("")

    # -- saving ------------------------------------------------------------------------
    def save(self) -> None:
        if self._saving or self.runner.vault is None:
            return
        planned = self.work()
        if planned is None:
            return
        fn, changes = planned
        self._set_saving(True)
        self.runner.query(fn, self._saved, self._failed, changes=changes)

    def _deleted(self, _result: Any) -> None:
        self._set_saving(False)
        self._initial = None  # nothing left to save or to discard
        self.deleted.emit()
        QDialog.accept(self)

    def _saved(self, result: Any) -> None:
        self._set_saving(False)
        self._initial = self.value()
        self.saved.emit(result)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_saving(False)
        if isinstance(exc, ValidationError):
            self.show_errors(exc.errors)
            unplaced = {k: v for k, v in exc.errors.items() if k not in self.errors}
            if not unplaced:
                text = QCoreApplication.translate(
                    "ServiceFormDialog", "Please correct the fields marked above."
                )
            else:
                # the service's field names and messages, as it words them
                problems = "; ".join(f"{k.replace('_', ' ')} {v}" for k, v in unplaced.items())
                text = QCoreApplication.translate(
                    "ServiceFormDialog", "Please correct: {problems}"
                ).format(problems=problems)
            self.summary.setText(text)
        else:
            self.summary.setText(user_message(exc))

    def _set_saving(self, saving: bool) -> None:
        self._saving = saving
        self.save_button.setEnabled(not saving)
        if self.delete_button is not None:
            self.delete_button.setEnabled(not saving)

    # -- closing -----------------------------------------------------------------------
    def is_dirty(self) -> bool:
        return self._initial is not None and self.value() != self._initial

    def reject(self) -> None:
        """Cancel or Esc: ask before throwing away typed changes."""
        if self._saving:
            return
        if not self.is_dirty():
            super().reject()
            return
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(QCoreApplication.translate("ServiceFormDialog", "Unsaved changes"))
        box.setText(QCoreApplication.translate("ServiceFormDialog", "Discard what you typed here?"))
        discard = box.addButton(
            QCoreApplication.translate("ServiceFormDialog", "&Discard"),
            QMessageBox.ButtonRole.DestructiveRole,
        )
        keep = box.addButton(
            QCoreApplication.translate("ServiceFormDialog", "&Keep editing"),
            QMessageBox.ButtonRole.RejectRole,
        )
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
        self._initial = None
        self._saving = False
        QDialog.reject(self)

"""Add or edit a directory entry (a collaborator): every field, checked as you type.

The checks are the service's own (``checked_collaborator``, which needs no database), so
the messages under the fields are the ones the service would give. A new entry, or an
edit that changes the name or phone, is first compared with the rest of the directory
for a likely duplicate (same name and phone); an edit is saved with ``update_collaborator``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QLineEdit, QMessageBox, QPlainTextEdit, QWidget

from mhsw_desktop.domain.care_team import CARE_LIMITS, CollaboratorRole, ContactMethod
from mhsw_desktop.errors import ValidationError
from mhsw_desktop.ui.operations import OperationRunner
from mhsw_desktop.ui.service_form import ServiceFormDialog
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

#: (field, label with mnemonic, kind) in reading order; labels and placeholders are source
#: text, shown through tr()
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", QT_TRANSLATE_NOOP("CollaboratorFormDialog", "&Name"), "line"),
    ("credentials", QT_TRANSLATE_NOOP("CollaboratorFormDialog", "&Credentials"), "line"),
    ("role", QT_TRANSLATE_NOOP("CollaboratorFormDialog", "&Role"), "role"),
    ("organisation", QT_TRANSLATE_NOOP("CollaboratorFormDialog", "&Organisation"), "line"),
    ("phone", QT_TRANSLATE_NOOP("CollaboratorFormDialog", "&Phone"), "line"),
    ("fax", QT_TRANSLATE_NOOP("CollaboratorFormDialog", "&Fax"), "line"),
    ("email", QT_TRANSLATE_NOOP("CollaboratorFormDialog", "E&mail"), "line"),
    ("address", QT_TRANSLATE_NOOP("CollaboratorFormDialog", "&Address"), "text"),
    (
        "preferred_contact",
        QT_TRANSLATE_NOOP("CollaboratorFormDialog", "Pre&ferred contact"),
        "contact",
    ),
    ("notes", QT_TRANSLATE_NOOP("CollaboratorFormDialog", "No&tes"), "text"),
)
PLACEHOLDERS = {
    "name": QT_TRANSLATE_NOOP("CollaboratorFormDialog", "e.g. Dana Whitfield"),
    "credentials": QT_TRANSLATE_NOOP("CollaboratorFormDialog", "e.g. MD, LCSW, LAC"),
    "organisation": QT_TRANSLATE_NOOP("CollaboratorFormDialog", "e.g. Valley Community Health"),
    "phone": QT_TRANSLATE_NOOP("CollaboratorFormDialog", "e.g. (406) 555-0123"),
    "email": QT_TRANSLATE_NOOP("CollaboratorFormDialog", "name@example.org"),
}


class CollaboratorFormDialog(ServiceFormDialog):
    """``row`` is a ``CollaboratorRow`` to edit, or None for a new entry; :attr:`saved`
    carries the entry's id."""

    def __init__(
        self, runner: OperationRunner, row: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            runner,
            self.tr("Edit collaborator") if row is not None else self.tr("New collaborator"),
            self.tr("&Save"),
            self.tr("Save collaborator"),
            parent,
        )
        self.setObjectName("collaborator_form")
        self.collaborator_id: uuid.UUID | None = row.id if row is not None else None
        self._touched: set[str] = set()
        for name, label, kind in FIELDS:
            self.add_field(name, self.tr(label), self._make(name, kind), required=name == "name")
        if row is not None:
            self._fill(row)
            self._touched.update(self.widgets)  # what it holds is checked from the start
        for name, widget in self.widgets.items():
            self._connect(name, widget)
        self.mark_clean()
        self._revalidate()
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 80, self.sizeHint().height())

    def _make(self, name: str, kind: str) -> QWidget:
        if kind == "line":
            edit = QLineEdit(self)
            edit.setMaxLength(CARE_LIMITS[name])
            if name in PLACEHOLDERS:
                edit.setPlaceholderText(self.tr(PLACEHOLDERS[name]))
            return edit
        if kind == "text":
            text = QPlainTextEdit(self)
            text.setTabChangesFocus(True)
            text.setMaximumHeight(text.fontMetrics().height() * 4)
            return text
        combo = QComboBox(self)
        choices = CollaboratorRole if kind == "role" else ContactMethod
        for choice in choices:
            combo.addItem(choice.label, choice.value)
        if kind == "role":
            combo.setCurrentIndex(combo.findData(CollaboratorRole.OTHER.value))
        return combo

    def _fill(self, row: Any) -> None:
        for name, widget in self.widgets.items():
            value = getattr(row, name)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(value.value)))

    def _connect(self, name: str, widget: QWidget) -> None:
        def changed(*_args: object) -> None:
            self._touched.add(name)
            self._revalidate()

        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(changed)
        elif isinstance(widget, QComboBox):
            widget.currentIndexChanged.connect(changed)

    # -- reading and checking --------------------------------------------------------------
    def value(self) -> Any:
        from mhsw_desktop.services.collaborators import CollaboratorInput

        values: dict[str, Any] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                values[name] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText()
            elif isinstance(widget, QComboBox):
                kind = CollaboratorRole if name == "role" else ContactMethod
                values[name] = kind(widget.currentData())
        return CollaboratorInput(**values)

    def problems(self) -> dict[str, str]:
        from mhsw_desktop.services.collaborators import checked_collaborator

        try:
            checked_collaborator(self.value())
        except ValidationError as exc:
            return exc.errors
        return {}

    def _revalidate(self) -> None:
        problems = self.problems()
        self.show_errors({k: v for k, v in problems.items() if k in self._touched})
        # what is not yet shown under a field (a required name not yet typed)
        unseen = {k: v for k, v in problems.items() if k not in self._touched}
        # the messages are the service's
        needed = "; ".join(f"{self.words.get(k, k).lower()} {v}" for k, v in unseen.items())
        self.summary.setText(
            self.tr("To save: {needed}.").format(needed=needed) if unseen and self._touched else ""
        )

    # -- saving --------------------------------------------------------------------------
    def work(self) -> tuple[Callable[[Any], Any], str] | None:
        problems = self.problems()
        if problems:
            self._touched.update(problems)
            self._revalidate()
            self.summary.setText(
                self.tr("Nothing was saved: please correct the fields marked above.")
            )
            return None
        from mhsw_desktop.services import collaborators

        data, collaborator_id = self.value(), self.collaborator_id
        if collaborator_id is not None:

            def update(session: Any) -> Any:
                collaborators.update_collaborator(session, collaborator_id, data)
                return collaborator_id

            return update, "collaborators"
        return (lambda s: collaborators.add_collaborator(s, data)), "collaborators"

    def save(self) -> None:
        """A new entry, or a new name or phone, is compared with the directory first."""
        if self._saving or self.runner.vault is None:
            return
        data = self.value()
        initial = self._initial
        if (
            self.collaborator_id is not None
            and initial is not None
            and (data.name.strip(), data.phone.strip())
            == (initial.name.strip(), initial.phone.strip())
        ):
            super().save()
            return
        if self.problems():
            self.work()  # shows every message
            return
        from mhsw_desktop.services.collaborators import likely_duplicate_collaborators

        exclude = self.collaborator_id
        self._set_saving(True)
        self.runner.query(
            lambda s: likely_duplicate_collaborators(s, data, exclude=exclude),
            self._checked,
            self._failed,
        )

    def _checked(self, duplicates: list[Any]) -> None:
        self._set_saving(False)
        if not duplicates:
            super().save()
            return
        names = "\n".join(
            f"• {row.display_name}" + (f", {row.organisation}" if row.organisation else "")
            for row in duplicates[:5]
        )
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Possible duplicate"))
        editing = self.collaborator_id is not None
        if editing:
            text = self.tr(
                "The directory already has another entry with this name and phone number:"
                "\n\n{names}\n\nSave this entry anyway?"
            )
        else:
            text = self.tr(
                "The directory already has someone with this name and phone number:"
                "\n\n{names}\n\nAdd a new entry anyway?"
            )
        box.setText(text.format(names=names))
        add = box.addButton(
            self.tr("&Save anyway") if editing else self.tr("&Add anyway"),
            QMessageBox.ButtonRole.AcceptRole,
        )
        back = box.addButton(self.tr("&Go back"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        self._confirm = box

        def decided() -> None:
            self._confirm = None
            if box.clickedButton() is add:
                ServiceFormDialog.save(self)

        box.finished.connect(decided)
        box.open()

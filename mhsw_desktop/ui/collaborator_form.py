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

#: (field, label with mnemonic, kind) in reading order
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "&Name", "line"),
    ("credentials", "&Credentials", "line"),
    ("role", "&Role", "role"),
    ("organisation", "&Organisation", "line"),
    ("phone", "&Phone", "line"),
    ("fax", "&Fax", "line"),
    ("email", "E&mail", "line"),
    ("address", "&Address", "text"),
    ("preferred_contact", "Pre&ferred contact", "contact"),
    ("notes", "No&tes", "text"),
)
PLACEHOLDERS = {
    "name": "e.g. Dana Whitfield",
    "credentials": "e.g. MD, LCSW, LAC",
    "organisation": "e.g. Valley Community Health",
    "phone": "e.g. (406) 555-0123",
    "email": "name@example.org",
}


class CollaboratorFormDialog(ServiceFormDialog):
    """``row`` is a ``CollaboratorRow`` to edit, or None for a new entry; :attr:`saved`
    carries the entry's id."""

    def __init__(
        self, runner: OperationRunner, row: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            runner,
            "Edit collaborator" if row is not None else "New collaborator",
            "&Save",
            "Save collaborator",
            parent,
        )
        self.setObjectName("collaborator_form")
        self.collaborator_id: uuid.UUID | None = row.id if row is not None else None
        self._touched: set[str] = set()
        for name, label, kind in FIELDS:
            self.add_field(name, label, self._make(name, kind), required=name == "name")
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
            edit.setPlaceholderText(PLACEHOLDERS.get(name, ""))
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
        self.summary.setText(
            "To save: "
            + "; ".join(f"{self.words.get(k, k).lower()} {v}" for k, v in unseen.items())
            + "."
            if unseen and self._touched
            else ""
        )

    # -- saving --------------------------------------------------------------------------
    def work(self) -> tuple[Callable[[Any], Any], str] | None:
        problems = self.problems()
        if problems:
            self._touched.update(problems)
            self._revalidate()
            self.summary.setText("Nothing was saved: please correct the fields marked above.")
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
        box.setWindowTitle("Possible duplicate")
        editing = self.collaborator_id is not None
        box.setText(
            f"The directory already has {'another entry' if editing else 'someone'} with this "
            f"name and phone number:\n\n{names}\n\n"
            + ("Save this entry anyway?" if editing else "Add a new entry anyway?")
        )
        add = box.addButton(
            "&Save anyway" if editing else "&Add anyway", QMessageBox.ButtonRole.AcceptRole
        )
        back = box.addButton("&Go back", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(back)
        self._confirm = box

        def decided() -> None:
            self._confirm = None
            if box.clickedButton() is add:
                ServiceFormDialog.save(self)

        box.finished.connect(decided)
        box.open()

"""Add or edit a community resource: every field, checked as you type with the service's
own checks (``checked_resource``, which needs no database); a new entry, or a new name or
phone, is first compared with the directory for a likely duplicate."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from mhsw_desktop.domain.resources import RESOURCE_LIMITS, ResourceCategory
from mhsw_desktop.errors import ValidationError
from mhsw_desktop.ui.operations import OperationRunner
from mhsw_desktop.ui.service_form import ServiceFormDialog
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

#: (field, label with mnemonic, kind) in reading order; labels and placeholders are source
#: text, shown through tr()
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", QT_TRANSLATE_NOOP("ResourceFormDialog", "&Name"), "line"),
    ("categories", QT_TRANSLATE_NOOP("ResourceFormDialog", "Categories"), "categories"),
    ("services", QT_TRANSLATE_NOOP("ResourceFormDialog", "&Services"), "text"),
    ("eligibility", QT_TRANSLATE_NOOP("ResourceFormDialog", "Eli&gibility"), "text"),
    ("hours", QT_TRANSLATE_NOOP("ResourceFormDialog", "&Hours"), "text"),
    ("phone", QT_TRANSLATE_NOOP("ResourceFormDialog", "&Phone"), "line"),
    ("email", QT_TRANSLATE_NOOP("ResourceFormDialog", "E&mail"), "line"),
    ("website", QT_TRANSLATE_NOOP("ResourceFormDialog", "&Website"), "line"),
    ("address", QT_TRANSLATE_NOOP("ResourceFormDialog", "A&ddress"), "text"),
    ("languages", QT_TRANSLATE_NOOP("ResourceFormDialog", "&Languages"), "line"),
    ("notes", QT_TRANSLATE_NOOP("ResourceFormDialog", "No&tes"), "text"),
)
PLACEHOLDERS = {
    "name": QT_TRANSLATE_NOOP("ResourceFormDialog", "e.g. Riverbend Food Pantry"),
    "phone": QT_TRANSLATE_NOOP("ResourceFormDialog", "e.g. (406) 555-0101"),
    "email": QT_TRANSLATE_NOOP("ResourceFormDialog", "name@example.org"),
    "website": QT_TRANSLATE_NOOP("ResourceFormDialog", "www.example.org"),
    "languages": QT_TRANSLATE_NOOP("ResourceFormDialog", "e.g. English, Spanish"),
}


class ResourceFormDialog(ServiceFormDialog):
    """``row`` is a ``ResourceRow`` to edit, or None for a new entry; :attr:`saved`
    carries the entry's id."""

    def __init__(
        self, runner: OperationRunner, row: Any = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            runner,
            self.tr("Edit community resource")
            if row is not None
            else self.tr("New community resource"),
            self.tr("&Save"),
            self.tr("Save community resource"),
            parent,
        )
        self.setObjectName("resource_form")
        self.resource_id: uuid.UUID | None = row.id if row is not None else None
        self._touched: set[str] = set()
        self.category_boxes: dict[ResourceCategory, QCheckBox] = {}
        for name, label, kind in FIELDS:
            if kind == "categories":
                container = self._categories()
                self.add_field(
                    name, self.tr(label), container, accessible_name=self.tr("Categories")
                )
            else:
                self.add_field(
                    name, self.tr(label), self._make(name, kind), required=name == "name"
                )
        if row is not None:
            self._fill(row)
            self._touched.update(self.widgets)
        for name, widget in self.widgets.items():
            self._connect(name, widget)
        self.mark_clean()
        self._revalidate()
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 90, self.sizeHint().height())

    def _categories(self) -> QWidget:
        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        for number, category in enumerate(ResourceCategory):
            check = QCheckBox(category.label, box)
            check.setAccessibleName(self.tr("Category: {category}").format(category=category.label))
            check.setObjectName(f"category_{category.value}")
            self.category_boxes[category] = check
            grid.addWidget(check, number // 4, number % 4)
        return box

    def _make(self, name: str, kind: str) -> QWidget:
        if kind == "line":
            edit = QLineEdit(self)
            edit.setMaxLength(RESOURCE_LIMITS[name])
            if name in PLACEHOLDERS:
                edit.setPlaceholderText(self.tr(PLACEHOLDERS[name]))
            return edit
        text = QPlainTextEdit(self)
        text.setTabChangesFocus(True)
        text.setMaximumHeight(text.fontMetrics().height() * 3 + 12)
        return text

    def _fill(self, row: Any) -> None:
        for name, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                widget.setText(getattr(row, name))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(getattr(row, name))
        for category, check in self.category_boxes.items():
            check.setChecked(category in row.categories)

    def _connect(self, name: str, widget: QWidget) -> None:
        def changed(*_args: object) -> None:
            self._touched.add(name)
            self._revalidate()

        if isinstance(widget, QLineEdit | QPlainTextEdit):
            widget.textChanged.connect(changed)
        elif name == "categories":
            for check in self.category_boxes.values():
                check.toggled.connect(changed)

    # -- reading and checking --------------------------------------------------------------
    def value(self) -> Any:
        from mhsw_desktop.services.resources import ResourceInput

        values: dict[str, Any] = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QLineEdit):
                values[name] = widget.text()
            elif isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText()
        values["categories"] = tuple(c for c, box in self.category_boxes.items() if box.isChecked())
        return ResourceInput(**values)

    def problems(self) -> dict[str, str]:
        from mhsw_desktop.services.resources import checked_resource

        try:
            checked_resource(self.value())
        except ValidationError as exc:
            return exc.errors
        return {}

    def _revalidate(self) -> None:
        problems = self.problems()
        self.show_errors({k: v for k, v in problems.items() if k in self._touched})
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
        from mhsw_desktop.services import resources

        data, resource_id = self.value(), self.resource_id
        if resource_id is not None:

            def update(session: Any) -> Any:
                resources.update_resource(session, resource_id, data)
                return resource_id

            return update, "resources"
        return (lambda s: resources.add_resource(s, data)), "resources"

    def save(self) -> None:
        """A new entry, or a new name or phone, is compared with the directory first."""
        if self._saving or self.runner.vault is None:
            return
        data = self.value()
        initial = self._initial
        if (
            self.resource_id is not None
            and initial is not None
            and (data.name.strip(), data.phone.strip())
            == (initial.name.strip(), initial.phone.strip())
        ):
            super().save()
            return
        if self.problems():
            self.work()  # shows every message
            return
        from mhsw_desktop.services.resources import likely_duplicate_resources

        exclude = self.resource_id
        self._set_saving(True)
        self.runner.query(
            lambda s: likely_duplicate_resources(s, data, exclude=exclude),
            self._checked,
            self._failed,
        )

    def _checked(self, duplicates: list[Any]) -> None:
        self._set_saving(False)
        if not duplicates:
            super().save()
            return
        names = "\n".join(f"• {row.name}" + (f", {row.phone}" if row.phone else "")
                          for row in duplicates[:5])  # fmt: skip
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Possible duplicate"))
        editing = self.resource_id is not None
        if editing:
            text = self.tr(
                "The directory already has another entry with this name and phone number:"
                "\n\n{names}\n\nSave this entry anyway?"
            )
        else:
            text = self.tr(
                "The directory already has a resource with this name and phone number:"
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

"""Note templates: the practice adds its own (or edits one it added), starting from any template.

Notes keep a copy of the template they were written with, so editing never alters them.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import error_label, plain_label

NEW = "__new__"
TITLE, PROMPT, REQUIRED = range(3)


def key_for(name: str, taken: set[str]) -> str:
    """A template key from its name: lower-case words joined by underscores, unique."""
    base = re.sub(r"[^a-z0-9]+", "_", name.lower()).strip("_")[:34] or "template"
    if not base[0].isalpha():
        base = "t_" + base
    key, n = base, 2
    while key in taken:
        key, n = f"{base}_{n}", n + 1
    return key


class TemplateDialog(QDialog):
    """Choose "New template" or one of the practice's own, edit its sections, save."""

    saved = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.templates: list[Any] = []
        self.setWindowTitle(self.tr("Note templates"))
        self.setObjectName("template_dialog")
        intro = plain_label(
            self.tr(
                "Add a template of your own, or change one you added. Notes already written "
                "keep the template they were written with. Built-in templates (SOAP, DAP, BIRP, "
                "GIRP, free-form) cannot be changed, but a new template can start from one."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.choice = QComboBox(self)
        self.choice.setAccessibleName(self.tr("Template to edit"))
        self.start_from = QComboBox(self)
        self.start_from.setAccessibleName(self.tr("Start from template"))
        self.name = QLineEdit(self)
        self.name.setMaxLength(80)
        self.name.setAccessibleName(self.tr("Template name"))
        self.description = QLineEdit(self)
        self.description.setMaxLength(300)
        self.description.setAccessibleName(self.tr("Template description"))
        form = QFormLayout()
        for text, widget in (
            (self.tr("&Template:"), self.choice),
            (self.tr("Start &from:"), self.start_from),
            (self.tr("&Name:"), self.name),
            (self.tr("&Description:"), self.description),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            form.addRow(label, widget)

        self.sections = QTableWidget(0, 3, self)
        self.sections.setAccessibleName(self.tr("Sections of the template"))
        self.sections.setHorizontalHeaderLabels(
            [self.tr("Section title"), self.tr("Prompt"), self.tr("Required")]
        )
        self.sections.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.sections.setTabKeyNavigation(False)
        header = self.sections.horizontalHeader()
        header.setAccessibleName(self.tr("Section columns"))
        self.sections.verticalHeader().setAccessibleName(self.tr("Section numbers"))
        header.setSectionResizeMode(PROMPT, QHeaderView.ResizeMode.Stretch)
        header.resizeSection(TITLE, self.fontMetrics().averageCharWidth() * 24)
        buttons_row = QHBoxLayout()
        self.add_section = self._button(
            self.tr("&Add section"), self.tr("Add a section"), self._add_row
        )
        self.remove_section = self._button(
            self.tr("&Remove section"), self.tr("Remove the section"), self._remove
        )
        self.move_up = self._button(
            self.tr("Move &up"), self.tr("Move the section up"), lambda: self._move(-1)
        )
        self.move_down = self._button(
            self.tr("Move do&wn"), self.tr("Move the section down"), lambda: self._move(1)
        )
        for button in (self.add_section, self.remove_section, self.move_up, self.move_down):
            buttons_row.addWidget(button)
        buttons_row.addStretch(1)

        self.error = error_label(self)
        self.buttons = QDialogButtonBox(self)
        self.save_button = self.buttons.addButton(
            self.tr("&Save"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setAccessibleName(self.tr("Save template"))
        close = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close"))
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        sections_label = QLabel(self.tr("Sections (in the order the note shows them):"), self)
        layout.addWidget(sections_label)
        layout.addWidget(self.sections, 1)
        layout.addLayout(buttons_row)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        width = self.fontMetrics().averageCharWidth() * 100
        self.resize(width, int(width * 0.7))
        self.choice.currentIndexChanged.connect(self._chosen)
        self.start_from.currentIndexChanged.connect(self._start_from)
        self._load()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    # -- loading --------------------------------------------------------------------
    def _load(self, select: str = NEW) -> None:
        from mhsw_desktop.services.templates import list_templates

        def done(templates: list[Any]) -> None:
            self.templates = templates
            for combo in (self.choice, self.start_from):
                combo.blockSignals(True)
                combo.clear()
            self.choice.addItem(self.tr("New template"), NEW)
            self.start_from.addItem(self.tr("(blank)"), "")
            for template in templates:
                self.start_from.addItem(template.name, template.key)
                if not template.builtin:
                    self.choice.addItem(template.name, template.key)
            for combo in (self.choice, self.start_from):
                combo.blockSignals(False)
            index = max(0, self.choice.findData(select))
            self.choice.setCurrentIndex(index)
            self._chosen()

        self.runner.query(list_templates, done, lambda exc: self.error.setText(user_message(exc)))

    def _template(self, key: str) -> Any:
        return next((t for t in self.templates if t.key == key), None)

    def _chosen(self, *_args: object) -> None:
        key = self.choice.currentData()
        editing = key != NEW
        self.start_from.setEnabled(not editing)
        template = self._template(key) if editing else None
        self.name.setText(template.name if template else "")
        self.description.setText(template.description if template else "")
        self._fill(template.sections if template else ())
        self.error.setText("")

    def _start_from(self, *_args: object) -> None:
        template = self._template(self.start_from.currentData())
        self._fill(template.sections if template else ())
        if template is not None and not self.description.text():
            self.description.setText(template.description)

    def _fill(self, sections: Any) -> None:
        self.sections.setRowCount(0)
        for section in sections:
            self._add_row(section.title, section.prompt, section.required)

    # -- editing --------------------------------------------------------------------
    def _add_row(self, title: str = "", prompt: str = "", required: bool = False) -> None:
        row = self.sections.rowCount()
        self.sections.insertRow(row)
        self.sections.setItem(row, TITLE, QTableWidgetItem(title if isinstance(title, str) else ""))
        self.sections.setItem(row, PROMPT, QTableWidgetItem(prompt))
        check = QTableWidgetItem()
        check.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
        check.setCheckState(Qt.CheckState.Checked if required else Qt.CheckState.Unchecked)
        self.sections.setItem(row, REQUIRED, check)
        self.sections.setCurrentCell(row, TITLE)

    def _remove(self) -> None:
        row = self.sections.currentRow()
        if row >= 0:
            self.sections.removeRow(row)

    def _move(self, step: int) -> None:
        row = self.sections.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.sections.rowCount():
            return
        items = [self.sections.takeItem(row, c) for c in range(3)]
        others = [self.sections.takeItem(target, c) for c in range(3)]
        for c in range(3):
            self.sections.setItem(target, c, items[c])
            self.sections.setItem(row, c, others[c])
        self.sections.setCurrentCell(target, self.sections.currentColumn())

    def template(self) -> Any:
        """The template as typed (checked by the service when saved)."""
        from mhsw_desktop.domain.templates import NoteTemplate, TemplateSection

        editing = self.choice.currentData()
        taken = {t.key for t in self.templates}
        key = editing if editing != NEW else key_for(self.name.text(), taken)
        sections = []
        used: set[str] = set()
        for row in range(self.sections.rowCount()):
            title_item = self.sections.item(row, TITLE)
            prompt_item = self.sections.item(row, PROMPT)
            required_item = self.sections.item(row, REQUIRED)
            title = title_item.text().strip() if title_item else ""
            if not title:
                continue
            section_key = key_for(title, used)
            used.add(section_key)
            sections.append(
                TemplateSection(
                    key=section_key,
                    title=title,
                    prompt=prompt_item.text().strip() if prompt_item else "",
                    required=bool(
                        required_item and required_item.checkState() == Qt.CheckState.Checked
                    ),
                )
            )
        return NoteTemplate(
            key, self.name.text().strip(), self.description.text().strip(), tuple(sections)
        )

    def save(self) -> None:
        from mhsw_desktop.services.templates import add_template, update_template

        template = self.template()
        editing = self.choice.currentData() != NEW

        def work(session: Any) -> str:
            (update_template if editing else add_template)(session, template)
            return str(template.key)

        def done(key: str) -> None:
            self.error.setText("")
            self.saved.emit(key)
            self._load(select=key)

        self.runner.query(
            work, done, lambda exc: self.error.setText(user_message(exc)), changes="templates"
        )

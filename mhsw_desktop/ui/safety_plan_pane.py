"""A client's safety plan in the client view: the seven numbered steps edited as the
practitioner and the client write them together (one entry per line; people and services
as editable rows), saved whole with Ctrl+S, signed with the passphrase again, the client's
signature date, new versions, the version history with "Compare with previous", and the
client's copy and the wallet card to print. Every read and write goes through the
operation runner; unsaved edits are never dropped without asking (a lock drops them)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.actions import SAFETY_PLAN_ACTIONS, make_action
from mhsw_desktop.ui.confirm import ask_first
from mhsw_desktop.ui.contact_table_model import (
    PERSON_COLUMNS,
    SERVICE_COLUMNS,
    ContactTableModel,
    ContactTableView,
)
from mhsw_desktop.ui.date_edit import DISPLAY_FORMAT
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import Column, RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import error_label, plain_label

#: the kinds of change after which the pane reloads
WATCHED = ("safety_plans", "clients")
#: the fields that are not steps but still get their own message line
OTHER_FIELDS = ("plan_date", "likelihood_of_use", "barriers")


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


def _status(row: Any) -> str:
    if row.signed_at:
        return QCoreApplication.translate("SafetyPlanPane", "Signed {day}").format(
            day=row.signed_at.date().isoformat()
        )
    return QCoreApplication.translate("SafetyPlanPane", "Draft")


HISTORY_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Version"), lambda r: str(r.version_number)),
    (QT_TRANSLATE_NOOP("Columns", "Plan date"), lambda r: _day(r.plan_date)),
    (QT_TRANSLATE_NOOP("Columns", "Status"), _status),
    (QT_TRANSLATE_NOOP("Columns", "Signed by"), lambda r: r.signer_name),
)


def _lines(text: str) -> tuple[str, ...]:
    """One entry per line, blank lines and surrounding spaces dropped."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


class SafetyPlanPane(QWidget):
    """One client's safety plan; :meth:`show_client` loads it, :meth:`clear` forgets it."""

    problem = Signal(str)
    #: the draft was saved (the version id)
    saved = Signal(object)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from mhsw_desktop.services.safety_plans import STEPS

        self.setObjectName("safety_plan_pane")
        self.runner = runner
        self.client_id: uuid.UUID | None = None
        self.plan: Any = None  # SafetyPlanState
        self.shown: Any = None  # the SafetyPlanView in the editor
        self._generation = 0  # of loads: a newer load makes an older one's result stale
        self._epoch = 0  # of clients shown: a result for a client no longer shown is dropped
        self._filling = False
        #: edits since the editor was filled; a save clears them only if none came after
        self._edits = 0
        self._saved_edits = 0
        self._saving = False
        #: the plan (or its absence) is shown for client_id
        self._loaded = False
        #: focus_first was asked before the plan was loaded
        self._focus_pending = False

        self.actions_by_id: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        for spec in SAFETY_PLAN_ACTIONS:
            action = make_action(spec, self)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            # a tool button shows the action's text, mnemonic and all; make_action gives
            # the text and, as the tool tip, the accessible name (both as the interface reads)
            action.setIconText(action.text())
            self.addAction(action)
            self.actions_by_id[spec.id] = action
            self.buttons[spec.id] = self._tool_button(action, action.toolTip())
        act = self.actions_by_id
        act["start_safety_plan"].triggered.connect(self.start_plan)
        act["save_safety_plan"].triggered.connect(lambda: self.save())
        act["sign_safety_plan"].triggered.connect(self.sign)
        act["safety_plan_client_signed"].triggered.connect(self.record_client_signature)
        act["new_safety_plan_version"].triggered.connect(self.new_version)
        act["discard_safety_plan_draft"].triggered.connect(self.discard_draft)
        act["compare_safety_plans"].triggered.connect(self.compare)
        self.print_buttons: list[QToolButton] = []

        # the state line, the save status and the general message
        self.state = plain_label("", self)
        self.state.setAccessibleName(self.tr("Safety plan version and status"))
        self.state.setWordWrap(True)
        self.state.setFont(self._bold())
        self.save_status = plain_label("", self)
        self.save_status.setAccessibleName(self.tr("Save status"))
        self.error = error_label(self)
        self.error.setAccessibleName(self.tr("Safety plan message"))

        # no plan yet
        self.empty = QFrame(self)
        self.empty.setObjectName("safety_plan_empty")
        explanation = plain_label(
            self.tr(
                "This client has no safety plan yet. A safety plan is written with the client, "
                "in their own words: the warning signs of a crisis, what they can do on their "
                "own, the people and places that help, the professionals and crisis lines to "
                "call, making their surroundings safe, and their reasons for living.\n\n"
                "Starting one makes version 1, a draft that already lists you (from your "
                "practitioner profile) and the crisis lines. It can be changed until you sign "
                "it; then the client takes a copy and a wallet card home."
            ),
            self.empty,
        )
        explanation.setWordWrap(True)
        explanation.setMaximumWidth(self.fontMetrics().averageCharWidth() * 110)  # readable
        self.explanation = explanation
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addWidget(explanation)
        start_row = QHBoxLayout()
        start_row.addWidget(self.buttons["start_safety_plan"])
        start_row.addStretch(1)
        empty_layout.addLayout(start_row)
        empty_layout.addStretch(1)
        self.buttons["start_safety_plan"].setSizePolicy(
            QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed
        )

        # the steps
        self.item_edits: dict[str, QPlainTextEdit] = {}
        self.contact_tables: dict[str, ContactTableView] = {}
        self.contact_buttons: dict[str, list[QToolButton]] = {}
        self.field_errors: dict[str, QLabel] = {}
        self.step_boxes: dict[str, QGroupBox] = {}
        content = QWidget(self)
        content.setObjectName("safety_plan_steps")
        grid = QGridLayout(content)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        places = {
            "warning_signs": (0, 0, 1),
            "coping_strategies": (0, 1, 1),
            "distraction_contacts": (1, 0, 1),
            "help_contacts": (1, 1, 1),
            "professional_contacts": (2, 0, 2),
            "environment_safety": (3, 0, 1),
            "reasons_for_living": (3, 1, 1),
        }
        for step in STEPS:
            box = self._step_box(step, content)
            row, column, span = places[step.key]
            grid.addWidget(box, row, column, 1, span)
        grid.addWidget(self._use_box(content), 4, 0, 1, 2)
        grid.setRowStretch(5, 1)
        self.steps_area = QScrollArea(self)
        self.steps_area.setObjectName("safety_plan_scroll")
        self.steps_area.setWidget(content)
        self.steps_area.setWidgetResizable(True)
        self.steps_area.setFrameShape(QFrame.Shape.NoFrame)
        self.steps_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        # the side: what can be done, printing, the versions
        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        actions_box = QGroupBox(self.tr("This version"), side)
        actions_layout = QVBoxLayout(actions_box)
        for action_id in (
            "save_safety_plan",
            "sign_safety_plan",
            "safety_plan_client_signed",
            "new_safety_plan_version",
            "discard_safety_plan_draft",
        ):
            actions_layout.addWidget(self.buttons[action_id])
        self.print_layout = QVBoxLayout()
        actions_layout.addLayout(self.print_layout)
        side_layout.addWidget(actions_box)

        self.history = RecordTableModel(HISTORY_COLUMNS, self)
        self.history_table = RecordTableView(self.history, self.tr("Safety plan versions"), side)
        self.history_table.setObjectName("safety_plan_history")
        history_header = self.history_table.horizontalHeader()
        history_header.setStretchLastSection(True)
        history_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        history_header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # the signer's name is elided rather than the table scrolling sideways
        self.history_table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history_table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history_table.setMinimumHeight(self.fontMetrics().height() * 5)
        self.history_table.selectionModel().selectionChanged.connect(self._history_selected)
        self.history_table.open_requested.connect(lambda _row: self.compare())
        history_box = QGroupBox(self.tr("Versions (select one to show it)"), side)
        history_layout = QVBoxLayout(history_box)
        history_layout.addWidget(self.history_table, 1)
        compare_row = QHBoxLayout()
        compare_row.addWidget(self.buttons["compare_safety_plans"])
        history_layout.addLayout(compare_row)
        side_layout.addWidget(history_box, 1)
        chars = self.fontMetrics().averageCharWidth()
        side.setMinimumWidth(chars * 62)

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.steps_area)
        self.splitter.addWidget(side)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([chars * 150, chars * 64])

        top = QHBoxLayout()
        top.addWidget(self.state, 1)
        top.addWidget(self.save_status)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.error)
        layout.addWidget(self.empty)
        layout.addWidget(self.splitter, 1)
        runner.changed.connect(self._records_changed)
        runner.locked.connect(self.clear)
        self.clear()

    # -- building ------------------------------------------------------------------------
    def _bold(self) -> Any:
        font = self.font()
        font.setBold(True)
        return font

    def _tool_button(self, action: QAction, name: str) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(action)
        button.setAccessibleName(name)
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        return button

    def _prompt(self, text: str, parent: QWidget) -> QLabel:
        label = plain_label(text, parent)
        label.setWordWrap(True)
        font = label.font()
        font.setItalic(True)
        label.setFont(font)
        return label

    def _field_error(self, key: str, what: str, parent: QWidget) -> QLabel:
        label = error_label(parent)
        label.setAccessibleName(self.tr("Problem with {what}").format(what=what))
        label.hide()
        self.field_errors[key] = label
        return label

    def _step_box(self, step: Any, parent: QWidget) -> QGroupBox:
        box = QGroupBox(f"{step.number}. {step.title}", parent)
        box.setObjectName(f"step_{step.key}")
        self.step_boxes[step.key] = box
        layout = QVBoxLayout(box)
        prompt = self._prompt(step.prompt, box)
        layout.addWidget(prompt)
        lines = self.fontMetrics().lineSpacing()
        name = self.tr("Step {number}, {title}").format(number=step.number, title=step.title)
        if step.kind == "items":
            edit = QPlainTextEdit(box)
            edit.setObjectName(f"edit_{step.key}")
            edit.setTabChangesFocus(True)
            edit.setAccessibleName(self.tr("{step}: one entry per line").format(step=name))
            edit.setAccessibleDescription(step.prompt)
            edit.setPlaceholderText(self.tr("One entry per line"))
            # about six entries in view; more scroll (a plan that fits a page has few)
            edit.setFixedHeight(lines * 6 + 2 * edit.frameWidth() + 8)
            edit.textChanged.connect(self._edited)
            prompt.setBuddy(edit)
            self.item_edits[step.key] = edit
            layout.addWidget(edit)
        else:
            professional = step.key == "professional_contacts"
            model = ContactTableModel(SERVICE_COLUMNS if professional else PERSON_COLUMNS, self)
            table = ContactTableView(model, name, box)
            table.setObjectName(f"table_{step.key}")
            table.setAccessibleDescription(
                self.tr(
                    "{prompt}. Insert adds a row, Delete removes it, Ctrl+Up and Ctrl+Down "
                    "move it; type in a cell to change it."
                ).format(prompt=step.prompt)
            )
            chars = self.fontMetrics().averageCharWidth()
            header = table.horizontalHeader()
            if professional:
                for column, width in ((0, 28), (1, 14), (2, 42)):
                    header.resizeSection(column, chars * width)
            else:
                header.setStretchLastSection(False)
                header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
                header.resizeSection(1, chars * 18)
            table.verticalHeader().setDefaultSectionSize(lines + 10)
            rows = 5 if professional else 3
            table.setFixedHeight(
                header.sizeHint().height() + (lines + 10) * rows + 2 * table.frameWidth()
            )
            for signal in (model.dataChanged, model.rowsInserted, model.rowsRemoved,
                           model.rowsMoved):  # fmt: skip
                signal.connect(self._edited)
            prompt.setBuddy(table)
            self.contact_tables[step.key] = table
            row = QHBoxLayout()
            row.addWidget(table, 1)
            buttons = QVBoxLayout()
            if professional:
                add = self.tr("Add a service to step {number}")
            else:
                add = self.tr("Add a person or place to step {number}")
            self.contact_buttons[step.key] = []
            for text, accessible, slot in (
                (self.tr("Add"), add, table.add_row),
                (self.tr("Remove"), self.tr("Remove the selected row of step {number}"),
                 table.remove_current),
                (self.tr("Up"), self.tr("Move the selected row of step {number} up"),
                 lambda t=table: t.move_current(-1)),
                (self.tr("Down"), self.tr("Move the selected row of step {number} down"),
                 lambda t=table: t.move_current(1)),
            ):  # fmt: skip
                accessible = accessible.format(number=step.number)
                button = QToolButton(box)
                button.setText(text)
                button.setAccessibleName(accessible)
                button.setToolTip(accessible)
                button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
                button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
                button.clicked.connect(slot)
                buttons.addWidget(button)
                self.contact_buttons[step.key].append(button)
            buttons.addStretch(1)
            row.addLayout(buttons)
            layout.addLayout(row)
        what = self.tr("step {number}").format(number=step.number)
        layout.addWidget(self._field_error(step.key, what, box))
        return box

    def _use_box(self, parent: QWidget) -> QGroupBox:
        box = QGroupBox(self.tr("Using the plan"), parent)
        box.setObjectName("step_use")
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.plan_date = QDateEdit(box)
        self.plan_date.setDisplayFormat(DISPLAY_FORMAT)
        self.plan_date.setCalendarPopup(True)
        self.plan_date.setMinimumDate(QDate(1990, 1, 1))
        self.plan_date.setAccessibleName(self.tr("Plan date"))
        self.plan_date.setMinimumWidth(
            self.fontMetrics().horizontalAdvance("2026-12-31") + self.fontMetrics().height() * 3
        )
        self.plan_date.dateChanged.connect(self._edited)
        self.likelihood = QSpinBox(box)
        self.likelihood.setRange(-1, 10)
        self.likelihood.setSpecialValueText(self.tr("Not recorded"))
        self.likelihood.setSuffix(self.tr(" of 10"))
        self.likelihood.setAccessibleName(self.tr("Likelihood of using the plan, 0 to 10"))
        self.likelihood.setToolTip(
            self.tr("How likely the client says they are to use the plan: 0 not at all, 10 certain")
        )
        self.likelihood.valueChanged.connect(self._edited)
        self.barriers = QPlainTextEdit(box)
        self.barriers.setObjectName("edit_barriers")
        self.barriers.setTabChangesFocus(True)
        self.barriers.setAccessibleName(
            self.tr("What might get in the way, and how it will be handled")
        )
        self.barriers.setFixedHeight(
            self.fontMetrics().lineSpacing() * 3 + 2 * self.barriers.frameWidth() + 8
        )
        self.barriers.textChanged.connect(self._edited)
        for field, label_text, widget in (
            # mnemonics the client view leaves free (D is Client signed, L the Timeline)
            ("plan_date", self.tr("Plan date:"), self.plan_date),
            ("likelihood_of_use", self.tr("Li&kely to use it:"), self.likelihood),
            ("barriers", self.tr("&Barriers:"), self.barriers),
        ):
            label = QLabel(label_text, box)
            label.setBuddy(widget)
            column = QVBoxLayout()
            column.setSpacing(2)
            if isinstance(widget, QDateEdit | QSpinBox):
                row = QHBoxLayout()
                row.addWidget(widget)
                row.addStretch(1)
                column.addLayout(row)
            else:
                column.addWidget(widget)
            what = label_text.replace("&", "").removesuffix(":").rstrip()
            column.addWidget(self._field_error(field, what, box))
            form.addRow(label, column)
        return box

    def set_print_actions(self, actions: list[QAction]) -> None:
        """The print actions of the client's copy and the wallet card (from the registry,
        owned by the main window), as buttons under the version's actions."""
        from mhsw_desktop.ui.actions import accessible_name

        for action in actions:
            name = accessible_name(action.objectName().removeprefix("action_"))
            button = self._tool_button(action, name)
            self.print_buttons.append(button)
            self.print_layout.addWidget(button)
        self._update_actions()

    # -- loading -------------------------------------------------------------------------
    def show_client(self, client_id: uuid.UUID) -> None:
        if client_id != self.client_id:
            self.clear()
        self.client_id = client_id
        self.load()

    def load(self) -> None:
        client_id = self.client_id
        if client_id is None or self.runner.vault is None:
            return
        from mhsw_desktop.services.safety_plans import get_safety_plan

        self._generation += 1
        generation = self._generation

        def done(plan: Any) -> None:
            if generation == self._generation and client_id == self.client_id:
                self._show(plan)

        self.runner.query(lambda s: get_safety_plan(s, client_id), done, self._failed)

    def _show(self, plan: Any) -> None:
        self.plan = plan
        self._loaded = True
        shown_id: Any = self.shown.id if self.shown is not None else None
        self.history.set_rows(plan.versions if plan else [])
        if plan is None:
            self._show_version(None)
            return
        if self.is_dirty() and shown_id == plan.current.id:
            # the newest draft is being written: keep what is typed, refresh the rest
            self._select_history(shown_id)
            self._show_state()
            return
        keep = shown_id is not None and any(v.id == shown_id for v in plan.versions)
        if keep and shown_id != plan.current.id:
            self._select_history(shown_id)
            self._load_version(shown_id)
        else:
            self._select_history(plan.current.id)
            self._show_version(plan.current)

    def _select_history(self, version_id: uuid.UUID) -> None:
        row = self.history.row_of(version_id)
        if row >= 0:
            blocked = self.history_table.selectionModel().blockSignals(True)
            self.history_table.selectRow(row)
            self.history_table.selectionModel().blockSignals(blocked)

    def _load_version(self, version_id: uuid.UUID) -> None:
        from mhsw_desktop.services.safety_plans import get_version

        generation = self._generation

        def done(version: Any) -> None:
            if generation == self._generation:
                self._show_version(version)

        self.runner.query(lambda s: get_version(s, version_id), done, self._failed)

    def _show_version(self, version: Any) -> None:
        """Fill the editor with ``version`` (read-only unless it is the newest draft)."""
        self.shown = version
        self._clear_errors()
        self._fill(version.content if version is not None else None)
        has_plan = version is not None
        self.empty.setVisible(not has_plan and self.client_id is not None)
        self.splitter.setVisible(has_plan)
        self._set_read_only(not self.editable())
        self._show_state()
        if self._focus_pending:
            self.focus_first()

    def _fill(self, content: Any) -> None:
        from mhsw_desktop.services.safety_plans import STEPS

        self._filling = True
        try:
            for step in STEPS:
                entries = getattr(content, step.key) if content is not None else ()
                if step.kind == "items":
                    self.item_edits[step.key].setPlainText("\n".join(entries))
                else:
                    self.contact_tables[step.key].contacts.set_contacts(list(entries))
            day = content.plan_date if content is not None else date.today()
            self.plan_date.setMaximumDate(QDate.currentDate())
            self.plan_date.setDate(QDate(day.year, day.month, day.day))
            likelihood = content.likelihood_of_use if content is not None else None
            self.likelihood.setValue(-1 if likelihood is None else likelihood)
            self.barriers.setPlainText(content.barriers if content is not None else "")
        finally:
            self._filling = False
        self._edits = self._saved_edits = 0

    def _show_state(self) -> None:
        version = self.shown
        if version is None:
            self.state.setText("")
            self.save_status.setText("")
            self._update_actions()
            return
        parts = [self.tr("Version {number}").format(number=version.version_number)]
        if version.signed:
            who = ", ".join(p for p in (version.signer_name, version.signer_credentials) if p)
            parts.append(
                self.tr("Signed by {who} on {day}").format(
                    who=who, day=version.signed_at.date().isoformat()
                )
            )
            parts.append(
                self.tr("client signed {day}").format(day=version.client_signed_on.isoformat())
                if version.client_signed_on
                else self.tr("client signature not recorded")
            )
        else:
            parts.append(self.tr("Draft (not signed)"))
        parts.append(self.tr("plan date {day}").format(day=version.plan_date.isoformat()))
        in_force = self.plan.in_force if self.plan is not None else None
        if version.signed and in_force is not None and in_force.id == version.id:
            parts.append(self.tr("the version in force"))
        elif version.signed:
            parts.append(
                self.tr("an earlier version, read-only")
                if in_force is not None
                else self.tr("read-only")
            )
        elif in_force is not None:
            parts.append(
                self.tr("version {number} stays in force until this is signed").format(
                    number=in_force.version_number
                )
            )
        self.state.setText(" · ".join(parts))
        self._show_save_status()
        self._update_actions()

    def _show_save_status(self) -> None:
        if not self.editable():
            self.save_status.setText(
                self.tr("Signed versions cannot be changed") if self.shown else ""
            )
        elif self._saving:
            self.save_status.setText(self.tr("Saving…"))
        elif self.is_dirty():
            self.save_status.setText(self.tr("Unsaved changes (Ctrl+S saves)"))
        else:
            self.save_status.setText(self.tr("All changes saved"))

    def _set_read_only(self, read_only: bool) -> None:
        for edit in (*self.item_edits.values(), self.barriers):
            edit.setReadOnly(read_only)
        for table in self.contact_tables.values():
            table.set_read_only(read_only)
        for buttons in self.contact_buttons.values():
            for button in buttons:
                button.setVisible(not read_only)
        self.plan_date.setReadOnly(read_only)
        self.likelihood.setReadOnly(read_only)
        for widget in (self.plan_date, self.likelihood):
            widget.setButtonSymbols(
                QAbstractSpinBox.ButtonSymbols.NoButtons
                if read_only
                else QAbstractSpinBox.ButtonSymbols.UpDownArrows
            )
        self.plan_date.setCalendarPopup(not read_only)

    def _history_selected(self, *_args: object) -> None:
        row = self.history_table.current_record()
        if row is None or self.plan is None:
            return
        if self.shown is not None and row.id == self.shown.id:
            return
        if self.is_dirty():
            # keep the draft selected until the question is answered
            if self.shown is not None:
                self._select_history(self.shown.id)
            self.ask_to_leave(lambda: self._go_to(row.id))
            return
        self._go_to(row.id)

    def _go_to(self, version_id: uuid.UUID) -> None:
        if self.plan is None:
            return
        self._select_history(version_id)
        if version_id == self.plan.current.id:
            self._show_version(self.plan.current)
        else:
            self._load_version(version_id)

    def _failed(self, exc: BaseException) -> None:
        self.problem.emit(user_message(exc))

    def _records_changed(self, kind: str) -> None:
        if kind in WATCHED and self.client_id is not None:
            self.load()

    def clear(self) -> None:
        """Forget the client and anything typed (on lock, or before showing another)."""
        self._generation += 1
        self._epoch += 1
        self.client_id = None
        self.plan = None
        self.shown = None
        self._saving = False
        self._loaded = False
        self._focus_pending = False
        for child in self.findChildren(QDialog):
            discard = getattr(child, "discard", None)
            if callable(discard):
                discard()
            elif isinstance(child, QMessageBox) or child.isVisible():
                child.done(0)
        self.history.clear()
        self._clear_errors()
        self._fill(None)
        self.state.setText("")
        self.save_status.setText("")
        self.empty.hide()
        self.splitter.hide()
        self._update_actions()

    # -- state ---------------------------------------------------------------------------
    def editable(self) -> bool:
        """The shown version is the plan's (newest) draft."""
        return (
            self.plan is not None
            and self.shown is not None
            and not self.shown.signed
            and self.shown.id == self.plan.current.id
        )

    def is_dirty(self) -> bool:
        """There are edits to the draft that are not saved yet."""
        return self.editable() and self._edits != self._saved_edits

    def _edited(self, *_args: object) -> None:
        if self._filling or not self.editable():
            return
        self._edits += 1
        self._show_save_status()

    def _update_actions(self, *_args: object) -> None:
        if not shiboken6.isValid(self):
            return
        act = self.actions_by_id
        loaded = self.client_id is not None and self.runner.vault is not None
        has_plan = self.plan is not None
        draft = self.editable()
        shown = self.shown
        act["start_safety_plan"].setEnabled(loaded and not has_plan)
        act["save_safety_plan"].setEnabled(draft)
        act["sign_safety_plan"].setEnabled(draft)
        act["safety_plan_client_signed"].setEnabled(
            shown is not None and shown.signed and shown.client_signed_on is None
        )
        act["new_safety_plan_version"].setEnabled(has_plan and self.plan.current.signed)
        discardable = draft and shown is not None and shown.version_number > 1
        act["discard_safety_plan_draft"].setEnabled(discardable)
        self.buttons["discard_safety_plan_draft"].setVisible(discardable)
        act["compare_safety_plans"].setEnabled(self._previous_number() is not None)
        for button in self.print_buttons:
            button.setVisible(has_plan)

    def _previous_number(self) -> int | None:
        """The number of the version before the one shown (discarded ones are gone)."""
        if self.plan is None or self.shown is None:
            return None
        earlier = [
            v.version_number
            for v in self.plan.versions
            if v.version_number < self.shown.version_number
        ]
        return max(earlier) if earlier else None

    # -- the draft -----------------------------------------------------------------------
    def collect(self) -> Any:
        """The editor's content as a SafetyPlanInput (what Save sends)."""
        from mhsw_desktop.services.safety_plans import STEPS, SafetyPlanInput

        self._commit_open_cells()
        values: dict[str, Any] = {}
        for step in STEPS:
            if step.kind == "items":
                values[step.key] = _lines(self.item_edits[step.key].toPlainText())
            else:
                values[step.key] = self.contact_tables[step.key].contacts.contacts()
        day = self.plan_date.date()
        likelihood = self.likelihood.value()
        return SafetyPlanInput(
            plan_date=date(day.year(), day.month(), day.day()),
            likelihood_of_use=None if likelihood < 0 else likelihood,
            barriers=self.barriers.toPlainText(),
            language=self.shown.content.language if self.shown is not None else "",
            **values,
        )

    def _commit_open_cells(self) -> None:
        """A cell still being typed in goes into its model before the draft is read."""
        editor = QApplication.focusWidget()
        if editor is None:
            return
        for table in self.contact_tables.values():
            if (
                table.state() == QAbstractItemView.State.EditingState
                and editor.parentWidget() is table.viewport()
            ):
                table.commitData(editor)
                table.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def save(self, then: Callable[[], None] | None = None) -> None:
        """Save the whole draft; per-field messages go next to their step."""
        if not self.editable() or self.runner.vault is None or self._saving:
            return
        from mhsw_desktop.services.safety_plans import update_draft

        data = self.collect()
        version_id = self.shown.id
        edits = self._edits
        epoch = self._epoch
        self._saving = True
        self._show_save_status()

        def done(_result: Any) -> None:
            if epoch != self._epoch:
                return
            self._saving = False
            self._clear_errors()
            self._saved_edits = edits
            self._show_save_status()
            self.saved.emit(version_id)
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            if epoch != self._epoch:
                return
            self._saving = False
            self._show_save_status()
            self._show_errors(exc, self.tr("Not saved. Please correct what is marked below."))

        self.runner.query(
            lambda s: update_draft(s, version_id, data), done, failed, changes="safety_plans"
        )

    def _clear_errors(self) -> None:
        self.error.setText("")
        self.error.hide()
        for label in self.field_errors.values():
            label.setText("")
            label.hide()

    def _show_errors(self, exc: BaseException | dict[str, str], heading: str) -> None:
        from mhsw_desktop.errors import ValidationError

        self._clear_errors()
        if isinstance(exc, dict):
            errors = exc
        elif isinstance(exc, ValidationError):
            errors = exc.errors
        else:
            self.error.setText(user_message(exc))
            self.error.show()
            return
        general: list[str] = []
        first: QWidget | None = None
        for key, message in errors.items():
            label = self.field_errors.get(key)
            if label is None:
                general.append(f"{key.replace('_', ' ').capitalize()}: {message}.")
                continue
            label.setText(message[0].upper() + message[1:] + ".")
            label.show()
            if first is None:
                first = self._editor_of(key)
        self.error.setText(" ".join([heading, *general]))
        self.error.show()
        if first is not None:
            first.setFocus(Qt.FocusReason.OtherFocusReason)
            self.steps_area.ensureWidgetVisible(first)

    def _editor_of(self, key: str) -> QWidget | None:
        if key in self.item_edits:
            return self.item_edits[key]
        if key in self.contact_tables:
            return self.contact_tables[key]
        return {
            "plan_date": self.plan_date,
            "likelihood_of_use": self.likelihood,
            "barriers": self.barriers,
        }.get(key)

    def ask_to_leave(self, proceed: Callable[[], None]) -> QMessageBox | None:
        """Before the draft's unsaved edits would be dropped: save them, drop them, or stay.
        Without unsaved edits ``proceed`` runs at once."""
        if not self.is_dirty():
            proceed()
            return None
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Unsaved safety plan"))
        box.setText(
            self.tr(
                "The safety plan draft has changes that are not saved yet. Save them before "
                "going on?"
            )
        )
        save = box.addButton(self.tr("&Save"), QMessageBox.ButtonRole.AcceptRole)
        save.setAccessibleName(self.tr("Save the changes"))
        drop = box.addButton(self.tr("&Don't save"), QMessageBox.ButtonRole.DestructiveRole)
        drop.setAccessibleName(self.tr("Drop the changes"))
        stay = box.addButton(QMessageBox.StandardButton.Cancel)
        stay.setAccessibleName(self.tr("Cancel"))
        box.setDefaultButton(save)
        box.setEscapeButton(stay)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def decided() -> None:
            clicked = box.clickedButton()
            if clicked is save:
                self.save(then=proceed)
            elif clicked is drop:
                self._saved_edits = self._edits
                proceed()

        box.finished.connect(decided)
        box.open()
        return box

    def focus_first(self) -> None:
        """Focus where work starts: Start, the first step of a draft, or the versions
        (once the plan is loaded)."""
        self._focus_pending = not self._loaded or (self.plan is not None and self.shown is None)
        if self._focus_pending:
            return
        if self.plan is None:
            self.buttons["start_safety_plan"].setFocus(Qt.FocusReason.OtherFocusReason)
        elif self.editable():
            self.item_edits["warning_signs"].setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.history_table.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- actions -------------------------------------------------------------------------
    def _open(self, dialog: Any) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def start_plan(self) -> None:
        client_id = self.client_id
        if client_id is None or self.plan is not None or self.runner.vault is None:
            return
        from mhsw_desktop.services.safety_plans import create_safety_plan

        self.shown = None
        self._focus_pending = True  # on the first step once the draft is shown
        self.runner.query(
            lambda s: create_safety_plan(s, client_id), None, self._failed, changes="safety_plans"
        )

    def sign(self) -> Any:
        """Check what signing needs, save what is typed, then ask for the passphrase."""
        if not self.editable():
            return None
        from mhsw_desktop.services.safety_plans import clean, signing_errors

        errors = signing_errors(clean(self.collect()))
        if errors:
            self._show_errors(
                errors, self.tr("Not signed yet: the plan needs what is marked below.")
            )
            return None
        if self.is_dirty():
            self.save(then=self._ask_passphrase)
            return None
        return self._ask_passphrase()

    def _ask_passphrase(self) -> Any:
        from mhsw_desktop.ui.plan_sign_dialogs import SignSafetyPlanDialog

        if not self.editable():
            return None
        version_id = self.shown.id
        dialog = SignSafetyPlanDialog(self.runner, self.shown.version_number, self)
        epoch = self._epoch
        not_signed = self.tr("Not signed.")

        def verified(_text: str) -> None:
            from mhsw_desktop.services.practitioner import signer_for
            from mhsw_desktop.services.safety_plans import sign_version

            if self.runner.vault is None or epoch != self._epoch:
                return
            self.runner.query(
                lambda s: sign_version(s, version_id, signer_for(s)),
                lambda _hash: self._clear_errors(),
                lambda exc: self._show_errors(exc, not_signed),
                changes="safety_plans",
            )

        dialog.verified.connect(verified)
        return self._open(dialog)

    def record_client_signature(self) -> Any:
        from mhsw_desktop.ui.plan_sign_dialogs import ClientSignedDialog

        version = self.shown
        if version is None or not version.signed or version.client_signed_on is not None:
            return None
        dialog = ClientSignedDialog(version.plan_date, self)

        def chosen(day: Any) -> None:
            from mhsw_desktop.services.safety_plans import record_client_signature

            if self.runner.vault is None:
                return
            self.runner.query(
                lambda s: record_client_signature(s, version.id, day),
                None,
                self._failed,
                changes="safety_plans",
            )

        dialog.chosen.connect(chosen)
        return self._open(dialog)

    def new_version(self) -> None:
        client_id = self.client_id
        if client_id is None or self.plan is None or not self.plan.current.signed:
            return
        from mhsw_desktop.services.safety_plans import start_new_version

        self.shown = None  # show the new draft once it is made
        self._focus_pending = True
        self.runner.query(
            lambda s: start_new_version(s, client_id), None, self._failed, changes="safety_plans"
        )

    def discard_draft(self) -> Any:
        if not self.editable() or self.shown.version_number < 2:
            return None
        version_id = self.shown.id
        number = self.shown.version_number

        def discard() -> None:
            from mhsw_desktop.services.safety_plans import discard_draft

            if self.runner.vault is None:
                return
            self.shown = None
            self._saved_edits = self._edits
            self.runner.query(
                lambda s: discard_draft(s, version_id),
                None,
                self._failed,
                changes="safety_plans",
            )

        return ask_first(
            self,
            self.tr("Discard draft"),
            self.tr(
                "Discard the draft of version {number} and everything changed in it? The "
                "signed versions stay as they are, and its number is not used again."
            ).format(number=number),
            self.tr("&Discard"),
            discard,
        )

    def compare(self) -> None:
        version = self.shown
        previous = self._previous_number()
        if version is None or previous is None or self.runner.vault is None:
            return
        from mhsw_desktop.services.safety_plans import diff_with_previous

        epoch = self._epoch

        def done(changes: Any) -> None:
            if changes is None or epoch != self._epoch:
                return
            from mhsw_desktop.ui.plan_diff_dialog import PlanDiffDialog

            self._open(
                PlanDiffDialog(
                    previous, version.version_number, changes, self, what=self.tr("Safety plan")
                )
            )

        self.runner.query(lambda s: diff_with_previous(s, version.id), done, self._failed)

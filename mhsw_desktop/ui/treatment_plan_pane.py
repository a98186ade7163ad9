"""A client's treatment plan in the client view: the current version as a tree (problems,
goals, objectives, interventions) edited while it is a draft, signing with the passphrase
again, the client's signature date, reviews as new versions, and the version history with
"Compare with previous". Every read and write goes through the operation runner."""

from __future__ import annotations

import uuid
from typing import Any

import shiboken6
from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtGui import QAction, QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QMessageBox,
    QSplitter,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.actions import PLAN_ACTIONS, make_action
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.plan_tree_model import ITEM_ROLE, KIND_ROLE, PlanTreeModel
from mhsw_desktop.ui.record_model import Column, RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import plain_label

#: the kinds of change after which the pane reloads
WATCHED = ("treatment_plans", "notes", "diagnoses", "clients")


def _day(value: Any) -> str:
    return value.isoformat() if value else ""


HISTORY_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Version"), lambda r: str(r.version_number)),
    (QT_TRANSLATE_NOOP("Columns", "Status"), lambda r: r.status.label),
    (QT_TRANSLATE_NOOP("Columns", "Plan date"), lambda r: _day(r.plan_date)),
    (QT_TRANSLATE_NOOP("Columns", "Review by"), lambda r: _day(r.review_date)),
    (QT_TRANSLATE_NOOP("Columns", "Signed by"), lambda r: r.signer_name),
    (
        QT_TRANSLATE_NOOP("Columns", "Signed"),
        lambda r: _day(r.signed_at.date()) if r.signed_at else "",
    ),
    (QT_TRANSLATE_NOOP("Columns", "Client signed"), lambda r: _day(r.client_signed_on)),
)
#: which item kinds can be added under the selected kind (None: nothing selected)
ADD_UNDER = {"add_goal": "problem", "add_objective": "goal", "add_intervention": "goal"}


class TreatmentPlanPane(QWidget):
    """One client's plan; :meth:`show_client` loads it, :meth:`clear` forgets it."""

    problem = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("treatment_plan_pane")
        self.runner = runner
        self.client_id: uuid.UUID | None = None
        self.plan: Any = None  # PlanView
        self.shown: Any = None  # the VersionView in the tree
        self._generation = 0
        self._diagnoses: list[tuple[uuid.UUID, str]] = []
        self._wanted_item: uuid.UUID | None = None

        self.actions_by_id: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        for spec in PLAN_ACTIONS:
            action = make_action(spec, self)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            # a tool button shows the action's text, mnemonic and all; make_action gives
            # the text and, as the tool tip, the accessible name (both as the interface reads)
            action.setIconText(action.text())
            self.actions_by_id[spec.id] = action
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setAccessibleName(action.toolTip())
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setSizePolicy(button.sizePolicy().horizontalPolicy().Expanding,
                                 button.sizePolicy().verticalPolicy())  # fmt: skip
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.buttons[spec.id] = button
        act = self.actions_by_id
        act["start_plan"].triggered.connect(self.start_plan)
        act["plan_details"].triggered.connect(self.edit_details)
        act["add_problem"].triggered.connect(lambda: self.add_item("problem"))
        act["add_goal"].triggered.connect(lambda: self.add_item("goal"))
        act["add_objective"].triggered.connect(lambda: self.add_item("objective"))
        act["add_intervention"].triggered.connect(lambda: self.add_item("intervention"))
        act["edit_plan_item"].triggered.connect(self.edit_item)
        act["remove_plan_item"].triggered.connect(self.remove_item)
        act["sign_plan"].triggered.connect(self.sign)
        act["client_signed"].triggered.connect(self.record_client_signature)
        act["start_review"].triggered.connect(self.start_review)
        act["discard_review"].triggered.connect(self.discard_review)
        act["link_note"].triggered.connect(self.link_note)
        act["compare_versions"].triggered.connect(self.compare)

        # the state line and the overdue warning
        self.state = plain_label("", self)
        self.state.setAccessibleName(self.tr("Treatment plan version and status"))
        self.state.setWordWrap(True)
        self.overdue = plain_label("", self)
        self.overdue.setAccessibleName(self.tr("Review overdue"))
        palette = self.overdue.palette()
        palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.darkRed)
        self.overdue.setPalette(palette)
        self.overdue.setFont(self._bold())
        self.summary = plain_label("", self)
        self.summary.setAccessibleName(self.tr("Plan summary"))
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.empty = plain_label(
            self.tr(
                "This client has no treatment plan yet. Start one: it begins as a draft you can "
                "change until you sign it."
            ),
            self,
        )
        self.empty.setWordWrap(True)

        # the tree
        self.model = PlanTreeModel(self)
        self.tree = QTreeView(self)
        self.tree.setObjectName("plan_tree")
        self.tree.setModel(self.model)
        self.tree.setAccessibleName(
            self.tr("Treatment plan: problems, goals, objectives, interventions")
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setWordWrap(False)
        header = self.tree.header()
        header.setAccessibleName(self.tr("Treatment plan columns"))
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.doubleClicked.connect(lambda _index: self.edit_item())
        self.tree.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)

        side = QVBoxLayout()
        for action_id in (
            "start_plan", "plan_details", "add_problem", "add_goal", "add_objective",
            "add_intervention", "edit_plan_item", "remove_plan_item", "link_note",
        ):  # fmt: skip
            side.addWidget(self.buttons[action_id])
        side.addSpacing(self.fontMetrics().height() // 2)
        for action_id in ("sign_plan", "client_signed", "start_review", "discard_review"):
            side.addWidget(self.buttons[action_id])
        side.addStretch(1)
        plan_box = QGroupBox(self.tr("Current version"), self)
        plan_box.setObjectName("plan_box")
        plan_layout = QHBoxLayout(plan_box)
        column = QVBoxLayout()
        column.addWidget(self.state)
        column.addWidget(self.overdue)
        column.addWidget(self.summary)
        column.addWidget(self.empty)
        column.addWidget(self.tree, 1)
        plan_layout.addLayout(column, 1)
        plan_layout.addLayout(side)

        # the history
        self.history = RecordTableModel(HISTORY_COLUMNS, self)
        self.history_table = RecordTableView(self.history, self.tr("Treatment plan versions"), self)
        self.history_table.setObjectName("plan_history")
        history_header = self.history_table.horizontalHeader()
        history_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        history_header.setStretchLastSection(False)
        history_header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.history_table.setMinimumHeight(self.fontMetrics().height() * 4)
        self.history_table.selectionModel().selectionChanged.connect(self._history_selected)
        self.history_table.open_requested.connect(lambda _row: self.compare())
        history_box = QGroupBox(self.tr("Versions (select one to show it)"), self)
        history_layout = QHBoxLayout(history_box)
        history_layout.addWidget(self.history_table, 1)
        history_side = QVBoxLayout()
        history_side.addWidget(self.buttons["compare_versions"])
        history_side.addStretch(1)
        history_layout.addLayout(history_side)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(plan_box)
        splitter.addWidget(history_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)
        runner.changed.connect(self._records_changed)
        runner.locked.connect(self.clear)
        self.clear()

    def _bold(self) -> Any:
        font = self.font()
        font.setBold(True)
        return font

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
        from mhsw_desktop.services.diagnoses import list_diagnoses
        from mhsw_desktop.services.treatment_plans import get_plan

        self._generation += 1
        generation = self._generation

        def work(session: Any) -> Any:
            diagnoses = [
                (d.id, f"{d.code} {d.description}") for d in list_diagnoses(session, client_id)
            ]
            return get_plan(session, client_id), diagnoses

        def done(result: Any) -> None:
            if generation == self._generation and client_id == self.client_id:
                self._show(*result)

        self.runner.query(work, done, self._failed)

    def _show(self, plan: Any, diagnoses: list[tuple[uuid.UUID, str]]) -> None:
        self.plan = plan
        self._diagnoses = diagnoses
        shown_id: Any = self.shown.id if self.shown is not None else None
        self.history.set_rows(plan.versions if plan else [])
        if plan is None:
            self._show_version(None)
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
        from mhsw_desktop.services.treatment_plans import get_version

        generation = self._generation

        def done(version: Any) -> None:
            if generation == self._generation:
                self._show_version(version)

        self.runner.query(lambda s: get_version(s, version_id), done, self._failed)

    def _show_version(self, version: Any) -> None:
        selected = self._wanted_item or self._selected_id()
        self._wanted_item = None
        self.shown = version
        self.model.set_version(version)
        self.tree.expandAll()
        has_plan = version is not None
        self.empty.setVisible(not has_plan and self.client_id is not None)
        self.tree.setVisible(has_plan)
        if version is None:
            self.state.setText("")
            self.summary.setText("")
            self.overdue.setText("")
            self.overdue.hide()
        else:
            self.state.setText(self._state_text(version))
            self.summary.setText(version.summary)
            self.summary.setVisible(bool(version.summary))
            overdue = self.plan is not None and self.plan.review_overdue
            self.overdue.setText(
                self.tr(
                    "Review overdue: the plan was due for review on {day}. Start a review."
                ).format(day=self.plan.review_due.isoformat())
                if overdue
                else ""
            )
            self.overdue.setVisible(overdue)
        if selected is not None:
            index = self.model.index_of(selected)
            if index.isValid():
                self.tree.setCurrentIndex(index)
        self._update_actions()

    def _state_text(self, version: Any) -> str:
        parts = [self.tr("Version {number}").format(number=version.version_number)]
        if version.signed:
            who = ", ".join(p for p in (version.signer_name, version.signer_credentials) if p)
            parts.append(
                self.tr("Signed by {who} on {day}").format(
                    who=who, day=version.signed_at.date().isoformat()
                )
            )
            if version.client_signed_on:
                parts.append(
                    self.tr("client signed {day}").format(day=version.client_signed_on.isoformat())
                )
            else:
                parts.append(self.tr("client signature not recorded"))
        else:
            parts.append(self.tr("Draft (not signed)"))
        parts.append(self.tr("plan date {day}").format(day=version.plan_date.isoformat()))
        parts.append(self.tr("review by {day}").format(day=version.due_for_review.isoformat()))
        if self.plan is not None and version.id != self.plan.current.id:
            parts.append(self.tr("an earlier version (read-only)"))
        return " · ".join(parts)

    def _history_selected(self, *_args: object) -> None:
        row = self.history_table.current_record()
        if row is None or self.plan is None:
            return
        if row.id == self.plan.current.id:
            self._show_version(self.plan.current)
        elif self.shown is None or row.id != self.shown.id:
            self._load_version(row.id)
        self._update_actions()

    def _failed(self, exc: BaseException) -> None:
        self.problem.emit(user_message(exc))

    def _records_changed(self, kind: str) -> None:
        if kind in WATCHED and self.client_id is not None:
            self.load()

    def clear(self) -> None:
        """Forget the client (on lock, or before showing another)."""
        self._generation += 1
        self.client_id = None
        self.plan = None
        self.shown = None
        self._diagnoses = []
        self._wanted_item = None
        for child in self.findChildren(QMessageBox):
            child.done(0)
        self.history.clear()
        self.model.clear()
        for label in (self.state, self.summary, self.overdue):
            label.setText("")
        self.overdue.hide()
        self.empty.hide()
        self._update_actions()

    # -- state ---------------------------------------------------------------------------
    def _selected(self) -> tuple[str | None, Any]:
        index = self.tree.currentIndex()
        if not index.isValid() or not self.tree.selectionModel().isSelected(index):
            rows = self.tree.selectionModel().selectedRows()
            index = rows[0] if rows else QModelIndex()
        if not index.isValid():
            return None, None
        return index.data(KIND_ROLE), index.data(ITEM_ROLE)

    def _selected_id(self) -> uuid.UUID | None:
        _kind, item = self._selected()
        return item.id if item is not None else None

    def editable(self) -> bool:
        """The shown version is the plan's draft."""
        return (
            self.plan is not None
            and self.shown is not None
            and not self.shown.signed
            and self.shown.id == self.plan.current.id
        )

    def _update_actions(self, *_args: object) -> None:
        if not shiboken6.isValid(self):
            return
        act = self.actions_by_id
        loaded = self.client_id is not None and self.runner.vault is not None
        has_plan = self.plan is not None
        draft = self.editable()
        kind, _item = self._selected()
        act["start_plan"].setEnabled(loaded and not has_plan)
        self.buttons["start_plan"].setVisible(not has_plan)
        for action_id in ("plan_details", "add_problem", "sign_plan"):
            act[action_id].setEnabled(draft)
        for action_id, under in ADD_UNDER.items():
            act[action_id].setEnabled(draft and self._goal_or_problem(kind, under))
        act["edit_plan_item"].setEnabled(draft and kind is not None)
        act["remove_plan_item"].setEnabled(draft and kind is not None)
        act["link_note"].setEnabled(has_plan and kind == "goal")
        shown_signed = self.shown is not None and self.shown.signed
        act["client_signed"].setEnabled(
            shown_signed and self.shown is not None and self.shown.client_signed_on is None
        )
        act["start_review"].setEnabled(has_plan and self.plan.current.signed)
        act["discard_review"].setEnabled(
            draft and self.shown is not None and self.shown.version_number > 1
        )
        act["compare_versions"].setEnabled(self.shown is not None and self.shown.version_number > 1)
        for action_id in ("plan_details", "add_problem", "add_goal", "add_objective",
                          "add_intervention", "edit_plan_item", "remove_plan_item", "link_note",
                          "sign_plan", "client_signed", "start_review"):  # fmt: skip
            self.buttons[action_id].setVisible(has_plan)
        self.buttons["discard_review"].setVisible(
            draft and self.shown is not None and self.shown.version_number > 1
        )

    @staticmethod
    def _goal_or_problem(kind: str | None, under: str) -> bool:
        """A goal goes under a problem or beside a goal; objectives and interventions go
        under the goal that is selected or that holds the selected item."""
        if under == "problem":
            return kind in ("problem", "goal")
        return kind in ("goal", "objective", "intervention")

    def _parent_of_new(self, kind: str) -> uuid.UUID | None:
        """Where a new ``kind`` goes, from the selection."""
        selected_kind, item = self._selected()
        if item is None:
            return None
        if kind == "goal":
            return item.id if selected_kind == "problem" else item.problem_id  # type: ignore[no-any-return]
        if selected_kind == "goal":
            return item.id  # type: ignore[no-any-return]
        return item.goal_id  # type: ignore[no-any-return]

    # -- dialogs -------------------------------------------------------------------------
    def _open(self, dialog: Any) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _objectives_of(self, goal_id: uuid.UUID) -> list[tuple[uuid.UUID, str]]:
        if self.shown is None:
            return []
        for goal in self.shown.goals():
            if goal.id == goal_id:
                return [
                    (o.id, f"{n}. {' '.join(o.description.split())[:80]}")
                    for n, o in enumerate(goal.objectives, start=1)
                ]
        return []

    def _item_dialog(self, kind: str, item: Any = None, parent_id: Any = None) -> Any:
        from mhsw_desktop.ui.plan_item_dialog import PlanItemDialog

        goal_id = None
        if kind == "intervention":
            goal_id = item.goal_id if item is not None else parent_id
        dialog = PlanItemDialog(
            self.runner,
            kind,
            item=item,
            parent_id=parent_id,
            objectives=self._objectives_of(goal_id) if goal_id else (),
            diagnoses=self._diagnoses,
            parent=self,
        )
        dialog.saved.connect(self._remember)
        return self._open(dialog)

    def _remember(self, item_id: Any) -> None:
        if isinstance(item_id, uuid.UUID):
            self._wanted_item = item_id

    def start_plan(self) -> None:
        client_id = self.client_id
        if client_id is None or self.plan is not None or self.runner.vault is None:
            return
        from mhsw_desktop.services.treatment_plans import create_plan

        self.runner.query(
            lambda s: create_plan(s, client_id), None, self._failed, changes="treatment_plans"
        )

    def edit_details(self) -> Any:
        if not self.editable():
            return None
        return self._item_dialog("version", self.shown)

    def add_item(self, kind: str) -> Any:
        if not self.editable():
            return None
        if kind == "problem":
            return self._item_dialog("problem", parent_id=self.shown.id)
        parent_id = self._parent_of_new(kind)
        if parent_id is None:
            return None
        return self._item_dialog(kind, parent_id=parent_id)

    def edit_item(self) -> Any:
        kind, item = self._selected()
        if not self.editable() or kind is None:
            return None
        return self._item_dialog(kind, item)

    def remove_item(self) -> Any:
        kind, item = self._selected()
        if not self.editable() or kind is None:
            return None
        # (title and the button's accessible name, question) for each kind of item
        words = {
            "problem": (
                self.tr("Remove problem"),
                self.tr(
                    "Remove this problem from the draft with its goals, objectives and "
                    "interventions?"
                ),
            ),
            "goal": (
                self.tr("Remove goal"),
                self.tr("Remove this goal from the draft with its objectives and interventions?"),
            ),
            "objective": (
                self.tr("Remove objective"),
                self.tr(
                    "Remove this objective from the draft (its interventions stay, for the goal "
                    "as a whole)?"
                ),
            ),
            "intervention": (
                self.tr("Remove intervention"),
                self.tr("Remove this intervention from the draft?"),
            ),
        }
        title, question = words[kind]
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(f"{question}\n\n{item.description[:300]}")
        remove = box.addButton(self.tr("&Remove"), QMessageBox.ButtonRole.DestructiveRole)
        remove.setAccessibleName(title)
        keep = box.addButton(self.tr("&Keep"), QMessageBox.ButtonRole.RejectRole)
        keep.setAccessibleName(self.tr("Keep"))
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        item_id = item.id

        def decided() -> None:
            if box.clickedButton() is remove and self.runner.vault is not None:
                from mhsw_desktop.services.treatment_plans import remove_item

                self.runner.query(
                    lambda s: remove_item(s, kind, item_id),
                    None,
                    self._failed,
                    changes="treatment_plans",
                )

        box.finished.connect(decided)
        box.open()
        return box

    def sign(self) -> Any:
        from mhsw_desktop.ui.plan_sign_dialogs import SignPlanDialog

        if not self.editable():
            return None
        version_id = self.shown.id
        dialog = SignPlanDialog(self.runner, self.shown.version_number, self)

        def verified(_text: str) -> None:
            from mhsw_desktop.services.practitioner import signer_for
            from mhsw_desktop.services.treatment_plans import sign_version

            if self.runner.vault is None:
                return
            self.runner.query(
                lambda s: sign_version(s, version_id, signer_for(s)),
                None,
                self._failed,
                changes="treatment_plans",
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
            from mhsw_desktop.services.treatment_plans import record_client_signature

            if self.runner.vault is None:
                return
            self.runner.query(
                lambda s: record_client_signature(s, version.id, day),
                None,
                self._failed,
                changes="treatment_plans",
            )

        dialog.chosen.connect(chosen)
        return self._open(dialog)

    def start_review(self) -> None:
        client_id = self.client_id
        if client_id is None or self.plan is None or not self.plan.current.signed:
            return
        from mhsw_desktop.services.treatment_plans import start_review

        self.shown = None  # show the new draft once it is made
        self.runner.query(
            lambda s: start_review(s, client_id), None, self._failed, changes="treatment_plans"
        )

    def discard_review(self) -> Any:
        if not self.editable() or self.shown.version_number < 2:
            return None
        version_id = self.shown.id
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Discard review"))
        box.setText(
            self.tr(
                "Discard the draft of version {number} and everything changed in it? The "
                "signed versions stay as they are, and its number is not used again."
            ).format(number=self.shown.version_number)
        )
        discard = box.addButton(self.tr("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
        discard.setAccessibleName(self.tr("Discard the review"))
        keep = box.addButton(self.tr("&Keep"), QMessageBox.ButtonRole.RejectRole)
        keep.setAccessibleName(self.tr("Keep"))
        box.setDefaultButton(keep)
        box.setEscapeButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def decided() -> None:
            if box.clickedButton() is discard and self.runner.vault is not None:
                from mhsw_desktop.services.treatment_plans import discard_review

                self.shown = None
                self.runner.query(
                    lambda s: discard_review(s, version_id),
                    None,
                    self._failed,
                    changes="treatment_plans",
                )

        box.finished.connect(decided)
        box.open()
        return box

    def link_note(self) -> Any:
        kind, goal = self._selected()
        client_id = self.client_id
        if kind != "goal" or client_id is None or self.runner.vault is None:
            return None
        from mhsw_desktop.services.notes import list_notes

        generation = self._generation
        note_words = self.tr("{day} {template} note")  # worded here, used on the worker

        def work(session: Any) -> Any:
            return [
                (n.id, note_words.format(day=n.session_date.isoformat(), template=n.template_name))
                for n in list_notes(session, client_id)
            ]

        def loaded(notes: list[tuple[uuid.UUID, str]]) -> None:
            if generation == self._generation and shiboken6.isValid(self):
                self._open_link_dialog(goal, notes)

        self.runner.query(work, loaded, self._failed)
        return None

    def _open_link_dialog(self, goal: Any, notes: list[tuple[uuid.UUID, str]]) -> Any:
        from mhsw_desktop.ui.link_note_dialog import LinkNoteDialog

        dialog = LinkNoteDialog(" ".join(goal.description.split())[:200], notes, self)

        def chosen(note_id: Any) -> None:
            from mhsw_desktop.services.treatment_plans import link_note

            if self.runner.vault is None:
                return
            self.runner.query(
                lambda s: link_note(s, note_id, goal.id),
                None,
                self._failed,
                changes="treatment_plans",
            )

        dialog.chosen.connect(chosen)
        return self._open(dialog)

    def compare(self) -> None:
        version = self.shown
        if version is None or version.version_number < 2 or self.runner.vault is None:
            return
        from mhsw_desktop.services.treatment_plans import diff_versions, previous_version_id

        generation = self._generation

        def work(session: Any) -> Any:
            previous = previous_version_id(session, version.id)
            if previous is None:
                return None
            old = diff_versions(session, previous, version.id)
            from mhsw_desktop.services.treatment_plans import get_version

            return get_version(session, previous).version_number, old

        def done(result: Any) -> None:
            if result is None or generation != self._generation:
                return
            from mhsw_desktop.ui.plan_diff_dialog import PlanDiffDialog

            number, changes = result
            self._open(PlanDiffDialog(number, version.version_number, changes, self))

        self.runner.query(work, done, self._failed)

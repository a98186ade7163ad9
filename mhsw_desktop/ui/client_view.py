"""The client view: who the client is, their timeline of notes and coordination contacts,
their care team, treatment plan, safety plan, measures and referrals, their diagnoses, and
the actions on them (new note, open an entry, edit details, diagnoses, print)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.domain.language import describe
from mhsw_desktop.ui.care_team_pane import CareTeamPane
from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.measures_pane import MeasuresPane
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.referrals_pane import ReferralsPane
from mhsw_desktop.ui.safety_plan_pane import SafetyPlanPane
from mhsw_desktop.ui.timeline import TimelineModel, is_contact, kind_choices
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.treatment_plan_pane import TreatmentPlanPane
from mhsw_desktop.ui.widgets import plain_label, scaled_font


def client_display_name(data: Any) -> str:
    """ "Last, First" with the preferred name in quotes when it differs (from ClientInput)."""
    name = f"{data.legal_last_name}, {data.legal_first_name}"
    if data.preferred_name and data.preferred_name != data.legal_first_name:
        name += f" “{data.preferred_name}”"
    return name


#: the print actions the Safety plan tab shows as buttons too
SAFETY_PLAN_PRINTS = ("action_print_safety_plan", "action_print_wallet_card")


def _rank(row: Any) -> str:
    """The diagnosis's rank, in the view's own words."""
    if row.is_primary:
        return QCoreApplication.translate("ClientView", "Primary")
    return QCoreApplication.translate("ClientView", "Secondary")


DIAGNOSIS_COLUMNS = (
    (QT_TRANSLATE_NOOP("Columns", "Code"), lambda r: r.code),
    (QT_TRANSLATE_NOOP("Columns", "Diagnosis"), lambda r: r.description),
    (QT_TRANSLATE_NOOP("Columns", "Rank"), _rank),
    (
        QT_TRANSLATE_NOOP("Columns", "Onset"),
        lambda r: r.onset_date.isoformat() if r.onset_date else "",
    ),
    (
        QT_TRANSLATE_NOOP("Columns", "Resolved"),
        lambda r: r.resolved_date.isoformat() if r.resolved_date else "",
    ),
)


class ClientView(QWidget):
    """One client at a time; :meth:`show_client` loads, :meth:`clear` forgets."""

    back_requested = Signal()
    #: (client id, client name)
    new_note_requested = Signal(object, str)
    #: note id
    open_note_requested = Signal(object)
    #: client id
    edit_requested = Signal(object)
    #: (client id, client name)
    add_task_requested = Signal(object, str)
    problem = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.client_id: uuid.UUID | None = None
        self.client_name = ""
        self._generation = 0

        self.back = QPushButton(self.tr("← &Clients"), self)
        self.back.setAccessibleName(self.tr("Back to the client list"))
        self.back.clicked.connect(self.back_requested)
        self.name = plain_label("", self)
        self.name.setFont(scaled_font(self.font(), 1.5, bold=True))
        self.name.setAccessibleName(self.tr("Client name"))
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts = plain_label("", self)
        self.facts.setAccessibleName(self.tr("Date of birth and status"))
        self.important = plain_label("", self)
        self.important.setWordWrap(True)
        self.important.setFrameShape(QFrame.Shape.StyledPanel)
        self.important.setMargin(self.fontMetrics().height() // 3)
        self.important.setAccessibleName(self.tr("Important to know"))
        self.important.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.new_note = self._button(self.tr("&New note…"), self.tr("New note"), self._new_note)
        self.open_note = self._button(
            self.tr("&Open"), self.tr("Open the selected timeline entry"), self._open_note
        )
        self.edit = self._button(
            self.tr("&Edit details…"), self.tr("Edit client details"), self._edit
        )
        self.add_task = self._button(
            self.tr("Add &task…"), self.tr("Add a task for this client"), self._add_task
        )

        self.print_menu = QMenu(self)
        self.print_button = QToolButton(self)
        self.print_button.setText(self.tr("&Print"))
        self.print_button.setAccessibleName(self.tr("Print or save a report"))
        self.print_button.setToolTip(self.tr("Session summary, face sheet or full record"))
        self.print_button.setMenu(self.print_menu)
        self.print_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.print_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.print_button.hide()  # until the main window hands over its print actions

        header = QHBoxLayout()
        header.addWidget(self.back)
        header.addSpacing(self.fontMetrics().averageCharWidth() * 2)
        header.addWidget(self.name, 1)
        for button in (self.new_note, self.open_note, self.add_task, self.edit):
            header.addWidget(button)
        header.addWidget(self.print_button)

        # timeline
        self.timeline = TimelineModel(self)
        self.table = RecordTableView(self.timeline, self.tr("Timeline"), self)
        self.table.setObjectName("timeline")
        self.table.open_requested.connect(self._open_entry)
        chars = self.fontMetrics().averageCharWidth()
        date_width = self.fontMetrics().horizontalAdvance("2026-12-31") + chars * 3
        self.table.horizontalHeader().resizeSection(0, date_width)
        for column, width in ((1, 40), (2, 24)):
            self.table.horizontalHeader().resizeSection(column, chars * width)
        self.kind = QComboBox(self)
        for key, label in kind_choices():
            self.kind.addItem(label, key)
        self.kind.setAccessibleName(self.tr("Show which entries"))
        kind_label = QLabel(self.tr("S&how:"), self)
        kind_label.setBuddy(self.kind)
        self.date_from = OptionalDateEdit(None, self)
        self.date_from.setAccessibleName(self.tr("Entries from date"))
        from_label = QLabel(self.tr("&From:"), self)
        from_label.setBuddy(self.date_from)
        self.date_to = OptionalDateEdit(None, self)
        self.date_to.setAccessibleName(self.tr("Entries to date"))
        to_label = QLabel(self.tr("&To:"), self)
        to_label.setBuddy(self.date_to)
        self.count = plain_label("", self)
        self.count.setAccessibleName(self.tr("Number of entries"))
        filters = QHBoxLayout()
        for widget in (kind_label, self.kind, from_label, self.date_from, to_label, self.date_to):
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count)
        self.kind.currentIndexChanged.connect(self._filter)
        self.date_from.dateChanged.connect(self._filter)
        self.date_to.dateChanged.connect(self._filter)
        self.timeline.modelReset.connect(self._show_count)
        timeline_box = QGroupBox(self.tr("Timeline (newest first)"), self)
        timeline_layout = QVBoxLayout(timeline_box)
        timeline_layout.addLayout(filters)
        timeline_layout.addWidget(self.table, 1)

        # diagnoses
        self.diagnoses = RecordTableModel(DIAGNOSIS_COLUMNS, self)
        self.diagnosis_table = RecordTableView(self.diagnoses, self.tr("Diagnoses"), self)
        self.diagnosis_table.setObjectName("diagnoses")
        diagnosis_header = self.diagnosis_table.horizontalHeader()
        diagnosis_header.setStretchLastSection(False)
        for column in (0, 2, 3, 4):
            diagnosis_header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        diagnosis_header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.diagnosis_table.setWordWrap(True)
        self.diagnosis_table.open_requested.connect(self._edit_diagnosis)
        self.add_diagnosis = self._button(
            self.tr("&Add diagnosis…"), self.tr("Add diagnosis"), self._add_diagnosis
        )
        self.edit_diagnosis = self._button(
            self.tr("Ed&it…"),
            self.tr("Edit the selected diagnosis"),
            lambda: self._edit_diagnosis(None),
        )
        self.remove_diagnosis = self._button(
            self.tr("&Remove…"), self.tr("Remove the selected diagnosis"), self._remove_diagnosis
        )
        diagnosis_box = QGroupBox(self.tr("Diagnoses (ICD-10-CM)"), self)
        diagnosis_layout = QVBoxLayout(diagnosis_box)
        diagnosis_row = QHBoxLayout()
        diagnosis_row.addWidget(self.diagnosis_table, 1)
        diagnosis_layout.addLayout(diagnosis_row, 1)
        diagnosis_buttons = QVBoxLayout()
        diagnosis_buttons.addWidget(self.add_diagnosis)
        diagnosis_buttons.addWidget(self.edit_diagnosis)
        diagnosis_buttons.addWidget(self.remove_diagnosis)
        diagnosis_buttons.addStretch(1)
        diagnosis_row.addLayout(diagnosis_buttons)

        # the care team, beside the timeline
        self.care_team = CareTeamPane(runner, self)
        self.care_team.problem.connect(self.problem)
        self.tabs = QTabWidget(self)
        self.treatment_plan = TreatmentPlanPane(runner, self)
        self.treatment_plan.problem.connect(self.problem)
        self.tabs.setAccessibleName(
            self.tr("Timeline, care team, treatment plan, safety plan, measures or referrals")
        )
        self.tabs.addTab(timeline_box, self.tr("Time&line"))
        self.tabs.addTab(self.care_team, self.tr("Care tea&m"))
        self.tabs.addTab(self.treatment_plan, self.tr("Treatment plan"))
        self.safety_plan = SafetyPlanPane(runner, self)
        self.safety_plan.problem.connect(self.problem)
        self.tabs.addTab(self.safety_plan, self.tr("Safet&y plan"))
        self.measures = MeasuresPane(runner, self)
        self.measures.problem.connect(self.problem)
        # the item-9 alert (banner and the saved-measure warning) opens the Safety plan tab
        self.measures.set_safety_plan_available(True)
        self.measures.safety_plan_requested.connect(self._safety_plan_requested)
        self.tabs.addTab(self.measures, self.tr("Meas&ures"))
        self.referrals = ReferralsPane(runner, self)
        self.referrals.problem.connect(self.problem)
        self.tabs.addTab(self.referrals, self.tr("Referrals"))

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.tabs)
        splitter.addWidget(diagnosis_box)
        splitter.setStretchFactor(0, 4)
        splitter.setStretchFactor(1, 1)
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(self.facts)
        layout.addWidget(self.important)
        layout.addWidget(self.measures.alert_banner)
        layout.addWidget(splitter, 1)
        shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Back), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.back_requested)
        runner.changed.connect(self._records_changed)
        self.clear()

    def add_report_actions(self, actions: list[QAction]) -> None:
        """The print actions (from the registry, owned by the main window) in the Print
        button's menu; the first (session summary) also on the timeline's context menu,
        the safety plan's client copy and wallet card also on the Safety plan tab."""
        for action in actions:
            self.print_menu.addAction(action)
        self.safety_plan.set_print_actions(
            [a for a in actions if a.objectName() in SAFETY_PLAN_PRINTS]
        )
        if actions:
            self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            self.table.addAction(actions[0])
        self.print_button.setVisible(bool(actions))

    def selected_note_id(self) -> uuid.UUID | None:
        """The note selected in the timeline, if any (None for a contact)."""
        row = self.table.current_record()
        return row.id if row is not None and not is_contact(row) else None

    def show_care_team(self, release_id: uuid.UUID | None = None) -> None:
        """Bring the care team tab forward, with ``release_id`` selected once loaded."""
        self.tabs.setCurrentWidget(self.care_team)
        if release_id is not None:
            self.care_team.select_release(release_id)

    def show_safety_plan(self) -> None:
        """Bring the Safety plan tab forward (it offers to start one when there is none)."""
        self.tabs.setCurrentWidget(self.safety_plan)
        self.safety_plan.focus_first()

    def _safety_plan_requested(self, client_id: Any) -> None:
        if client_id == self.client_id:
            self.show_safety_plan()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    # -- loading -----------------------------------------------------------------------
    def show_client(self, client_id: uuid.UUID, then: Callable[[], None] | None = None) -> None:
        """Show ``client_id`` (asking first when the safety plan has unsaved edits for
        another client); ``then`` runs once it is shown."""
        if client_id != self.client_id and self.safety_plan.is_dirty():
            self.tabs.setCurrentWidget(self.safety_plan)
            self.safety_plan.ask_to_leave(lambda: self.show_client(client_id, then))
            return
        opened = client_id != self.client_id
        if opened:
            self.clear()
        self.client_id = client_id
        self.load(opened=opened)
        self.care_team.show_client(client_id)
        self.treatment_plan.show_client(client_id)
        self.safety_plan.show_client(client_id)
        self.measures.show_client(client_id)
        self.referrals.show_client(client_id)
        if then is not None:
            then()

    def load(self, *, opened: bool = False) -> None:
        """(Re)load the client's record; ``opened`` when the practitioner has just opened
        it (written to the audit log as a view; a refresh is not a view)."""
        client_id = self.client_id
        if client_id is None or self.runner.vault is None:
            return
        from mhsw_desktop.services.care_team import list_contacts
        from mhsw_desktop.services.clients import get_client
        from mhsw_desktop.services.diagnoses import list_diagnoses
        from mhsw_desktop.services.notes import list_notes

        self._generation += 1
        generation = self._generation

        def work(session: Any) -> Any:
            if opened:
                from mhsw_desktop.services.audit import record

                record(session, "view", object_type="clients", object_id=client_id,
                       client_id=client_id)  # fmt: skip
            return (
                get_client(session, client_id),
                list_notes(session, client_id, include_in_error=True),
                list_diagnoses(session, client_id),
                list_contacts(session, client_id),
            )

        def done(result: Any) -> None:
            if generation == self._generation and client_id == self.client_id:
                self._show(*result)

        self.runner.query(work, done, self._failed)

    def _show(
        self, detail: Any, notes: list[Any], diagnoses: list[Any], contacts: list[Any]
    ) -> None:
        data = detail.data
        self.client_name = client_display_name(data)
        self.name.setText(self.client_name)
        facts = [self.tr("Born {date}").format(date=data.date_of_birth.isoformat())]
        if data.pronouns:
            facts.append(data.pronouns)
        facts.append(data.status.label)  # the domain's label
        # the domain's words: "Spanish, interpreter needed"
        spoken = describe(data.preferred_language, data.interpreter_needed)
        if spoken:
            facts.append(spoken[0].upper() + spoken[1:])
        if data.phone:
            facts.append(data.phone)
        self.facts.setText(" · ".join(facts))
        self.important.setText(
            self.tr("Important to know: {text}").format(text=data.important_to_know)
            if data.important_to_know
            else ""
        )
        self.important.setVisible(bool(data.important_to_know))
        selected = self.table.current_record()
        self.timeline.set_entries([*notes, *contacts])
        if selected is not None:
            row = self.timeline.row_of(selected.id)
            if row >= 0:
                self.table.selectRow(row)
        self.diagnoses.set_rows(diagnoses)
        self._set_enabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.problem.emit(user_message(exc))

    def _records_changed(self, kind: str) -> None:
        watched = ("notes", "drafts", "diagnoses", "clients", "care_team", "collaborators")
        if kind in watched and self.client_id is not None and self.isVisible():
            self.load()

    def clear(self) -> None:
        """Forget the client (on lock, or before showing another)."""
        self._generation += 1
        self.client_id = None
        self.client_name = ""
        self.name.setText("")
        self.facts.setText("")
        self.important.setText("")
        self.important.hide()
        self.timeline.clear()
        self.diagnoses.clear()
        self.care_team.clear()
        self.treatment_plan.clear()
        self.safety_plan.clear()
        self.measures.clear()
        self.referrals.clear()
        self.count.setText("")
        self.kind.setCurrentIndex(0)
        self.date_from.set_value(None)
        self.date_to.set_value(None)
        self._set_enabled(False)

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (
            self.new_note,
            self.open_note,
            self.print_button,
            self.edit,
            self.add_task,
            self.add_diagnosis,
            self.edit_diagnosis,
            self.remove_diagnosis,
        ):
            widget.setEnabled(enabled)

    # -- timeline ------------------------------------------------------------------------
    def _filter(self, *_args: object) -> None:
        self.timeline.set_kind(
            str(self.kind.currentData()), self.date_from.value(), self.date_to.value()
        )

    def _show_count(self) -> None:
        total = self.timeline.total()
        everything = len(self.timeline.all_rows())
        if total == everything:
            self.count.setText(self.tr("%n entries", "", total))
        else:
            self.count.setText(self.tr("{shown} of %n entries", "", everything).format(shown=total))

    # -- actions -------------------------------------------------------------------------
    def _new_note(self) -> None:
        if self.client_id is not None:
            self.new_note_requested.emit(self.client_id, self.client_name)

    def _open_note(self) -> None:
        row = self.table.current_record()
        if row is not None:
            self._open_entry(row)

    def _open_entry(self, row: Any) -> None:
        """A note opens in the editor; a coordination contact in its dialog."""
        if is_contact(row):
            self.care_team.edit_contact_row(row)
        else:
            self.open_note_requested.emit(row.id)

    def _edit(self) -> None:
        if self.client_id is not None:
            self.edit_requested.emit(self.client_id)

    def _add_task(self) -> None:
        if self.client_id is not None:
            self.add_task_requested.emit(self.client_id, self.client_name)

    def _add_diagnosis(self) -> None:
        from mhsw_desktop.ui.diagnosis_dialog import DiagnosisDialog

        if self.client_id is None:
            return
        dialog = DiagnosisDialog(self.runner, self.client_id, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _edit_diagnosis(self, row: Any) -> None:
        from mhsw_desktop.ui.diagnosis_dialog import DiagnosisDialog

        row = row if row is not None else self.diagnosis_table.current_record()
        if row is None or self.client_id is None:
            return
        dialog = DiagnosisDialog(self.runner, self.client_id, row, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _remove_diagnosis(self) -> None:
        row = self.diagnosis_table.current_record()
        if row is None:
            return
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(self.tr("Remove diagnosis"))
        box.setText(
            self.tr(
                "Remove {code} from this client's diagnoses? If it has resolved, "
                "edit it and give a resolved date instead: that keeps the history."
            ).format(code=row.code)
        )
        remove = box.addButton(self.tr("&Remove"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("&Keep"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def decided() -> None:
            if box.clickedButton() is remove:
                from mhsw_desktop.services.diagnoses import remove_diagnosis

                self.runner.query(
                    lambda s: remove_diagnosis(s, row.id),
                    None,
                    self._failed,
                    changes="diagnoses",
                )

        box.finished.connect(decided)
        box.open()

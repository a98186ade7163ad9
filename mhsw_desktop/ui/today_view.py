"""The Today view: tasks due today and overdue, releases of information to renew, notes
to finish (oldest first, with their age) and drafts recovered after the app closed
unexpectedly."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import QDate, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.measure_alerts_box import MeasureAlertsBox
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.plan_reviews_box import PlanReviewsBox
from mhsw_desktop.ui.record_model import RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.release_model import ATTENTION_COLUMNS, StatusTableModel
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP, interface_locale
from mhsw_desktop.ui.widgets import plain_label, scaled_font


class TodayWords(QObject):
    """The cells' words, in a QObject so that ``self.tr(text, "", n)`` gives the day
    count its plural forms (lupdate marks a ``translate()`` with a count as singular)."""

    def age(self, days: int) -> str:
        if days <= 0:
            return self.tr("today")
        return self.tr("1 day") if days == 1 else self.tr("%n days", "", days)

    def due(self, row: Any) -> str:
        if row.overdue:
            return self.tr("Overdue since {day}").format(day=row.due_date.isoformat())
        return self.tr("Today")


@cache
def _words() -> TodayWords:
    return TodayWords()


TASK_COLUMNS = (
    (QT_TRANSLATE_NOOP("Columns", "Done"), lambda r: ""),
    (QT_TRANSLATE_NOOP("Columns", "Task"), lambda r: r.title),
    (QT_TRANSLATE_NOOP("Columns", "Due"), lambda r: _words().due(r)),
    (QT_TRANSLATE_NOOP("Columns", "Client"), lambda r: r.client_name),
)
UNSIGNED_COLUMNS = (
    (QT_TRANSLATE_NOOP("Columns", "Client"), lambda r: r.client_name),
    (QT_TRANSLATE_NOOP("Columns", "Session"), lambda r: r.session_date.isoformat()),
    (QT_TRANSLATE_NOOP("Columns", "Age"), lambda r: _words().age(r.age_days)),
)


class TodayView(QWidget):
    """What needs doing today. Opening an item emits a request; the window acts on it."""

    #: note id
    open_note_requested = Signal(object)
    #: client id
    open_client_requested = Signal(object)
    #: client id: the client's Safety plan tab (from a measure alert)
    open_safety_plan_requested = Signal(object)
    #: (client id, release id): the client's care team, that release selected
    open_care_team_requested = Signal(object, object)
    add_task_requested = Signal()
    problem = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._loading = False
        self._again = False
        self.heading = plain_label(self.tr("Today"), self)
        self.heading.setFont(scaled_font(self.font(), 1.5, bold=True))
        self.heading.setAccessibleName(self.tr("Today"))

        self.tasks = RecordTableModel(
            TASK_COLUMNS,
            self,
            check_column=0,
            is_checked=lambda r: r.completed_at is not None,
            on_check=self._complete,
        )
        self.task_table = RecordTableView(self.tasks, self.tr("Tasks due today and overdue"), self)
        self.task_table.setObjectName("today_tasks")
        self.task_table.open_requested.connect(self._open_task)
        chars = self.fontMetrics().averageCharWidth()
        header = self.task_table.horizontalHeader()
        for column, width in ((0, 7), (2, 34), (3, 30)):
            header.resizeSection(column, chars * width)
        # The task's words matter most: its column takes the spare width.
        header.setStretchLastSection(False)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.add_task = QPushButton(self.tr("Add &task…"), self)
        self.add_task.setAccessibleName(self.tr("Add task"))
        self.add_task.clicked.connect(self.add_task_requested)
        self.tasks_empty = plain_label(self.tr("Nothing due today and nothing overdue."), self)
        task_box = QGroupBox(self.tr("Tasks due today and overdue"), self)
        task_layout = QVBoxLayout(task_box)
        task_layout.addWidget(self.task_table, 1)
        task_layout.addWidget(self.tasks_empty)
        row = QHBoxLayout()
        row.addWidget(self.add_task)
        row.addStretch(1)
        task_layout.addLayout(row)

        self.unsigned = RecordTableModel(UNSIGNED_COLUMNS, self)
        self.unsigned_table = RecordTableView(self.unsigned, self.tr("Notes to finish"), self)
        self.unsigned_table.setObjectName("notes_to_finish")
        self.unsigned_table.open_requested.connect(lambda r: self.open_note_requested.emit(r.id))
        self.unsigned_table.horizontalHeader().resizeSection(0, chars * 34)
        self.unsigned_empty = plain_label(self.tr("Every note is signed."), self)
        unsigned_box = QGroupBox(self.tr("Notes to finish (oldest first)"), self)
        unsigned_layout = QVBoxLayout(unsigned_box)
        unsigned_layout.addWidget(self.unsigned_table, 1)
        unsigned_layout.addWidget(self.unsigned_empty)

        self.recovered = RecordTableModel(UNSIGNED_COLUMNS[:2], self)
        self.recovered_table = RecordTableView(self.recovered, self.tr("Recovered drafts"), self)
        self.recovered_table.setObjectName("recovered_drafts")
        self.recovered_table.open_requested.connect(lambda r: self.open_note_requested.emit(r.id))
        self.recovered_table.horizontalHeader().resizeSection(0, chars * 34)
        self.recovered_box = QGroupBox(
            self.tr("Recovered drafts (open in an editor when the app last closed)"), self
        )
        recovered_layout = QVBoxLayout(self.recovered_box)
        recovered_layout.addWidget(self.recovered_table)

        self.releases = StatusTableModel(ATTENTION_COLUMNS, 2, parent=self)
        self.release_table = RecordTableView(self.releases, self.tr("Releases to renew"), self)
        self.release_table.setObjectName("releases_to_renew")
        self.release_table.open_requested.connect(
            lambda r: self.open_care_team_requested.emit(r.client_id, r.id)
        )
        for column, width in ((0, 34), (1, 40), (2, 26)):
            self.release_table.horizontalHeader().resizeSection(column, chars * width)
        self.releases_box = QGroupBox(
            self.tr("Releases of information expiring or expired (renew or close them)"), self
        )
        releases_layout = QVBoxLayout(self.releases_box)
        releases_layout.addWidget(self.release_table)

        self.measure_alerts = MeasureAlertsBox(runner, self)
        self.measure_alerts.open_client_requested.connect(self.open_client_requested)
        self.measure_alerts.set_safety_plan_available(True)
        self.measure_alerts.safety_plan_requested.connect(self.open_safety_plan_requested)
        self.measure_alerts.problem.connect(self.problem)
        self.plan_reviews = PlanReviewsBox(runner, self)
        self.plan_reviews.problem.connect(self.problem)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.measure_alerts)
        layout.addWidget(self.recovered_box)
        layout.addWidget(task_box, 1)
        layout.addWidget(self.releases_box, 1)
        layout.addWidget(self.plan_reviews)
        layout.addWidget(unsigned_box, 1)
        runner.changed.connect(self._records_changed)
        self.clear()

    # -- data ----------------------------------------------------------------------
    def load(self) -> None:
        if self.runner.vault is None:
            return
        self.measure_alerts.load()
        self.plan_reviews.load()
        if self._loading:
            self._again = True
            return
        from mhsw_desktop.services.releases import releases_needing_attention
        from mhsw_desktop.services.tasks import today_summary

        self._loading = True
        today = date.today()
        self.runner.query(
            lambda s: (today_summary(s, today), releases_needing_attention(s, today)),
            self._loaded,
            self._failed,
        )

    def _loaded(self, result: Any) -> None:
        summary, releases = result
        self.releases.set_rows(releases)
        self._loading = False
        today = date.today()
        #: Translators: a Qt date format (dddd: the weekday, MMMM: the month), here
        #: "Wednesday 2 December 2026"
        when = interface_locale().toString(
            QDate(today.year, today.month, today.day), self.tr("dddd d MMMM yyyy")
        )
        self.heading.setText(self.tr("Today — {date}").format(date=when))
        self.tasks.set_rows([*summary.overdue, *summary.due_today])
        self.unsigned.set_rows(summary.unsigned_notes)
        self.recovered.set_rows(summary.recovered_drafts)
        self._show_empty()
        if self._again:
            self._again = False
            self.load()

    def _failed(self, exc: BaseException) -> None:
        self._loading = False
        self.problem.emit(user_message(exc))

    def _records_changed(self, kind: str) -> None:
        watched = ("tasks", "notes", "clients", "releases", "collaborators")
        if kind in watched and self.runner.vault is not None:
            self.load()

    def clear(self) -> None:
        """Drop everything shown (on lock)."""
        self._loading = False
        self._again = False
        self.heading.setText(self.tr("Today"))
        self.tasks.clear()
        self.unsigned.clear()
        self.recovered.clear()
        self.releases.clear()
        self.measure_alerts.clear()
        self.plan_reviews.clear()
        self._show_empty()

    def _show_empty(self) -> None:
        self.task_table.setVisible(self.tasks.rowCount() > 0)
        self.tasks_empty.setVisible(self.tasks.rowCount() == 0)
        self.unsigned_table.setVisible(self.unsigned.rowCount() > 0)
        self.unsigned_empty.setVisible(self.unsigned.rowCount() == 0)
        self.recovered_box.setVisible(self.recovered.rowCount() > 0)
        self.releases_box.setVisible(self.releases.rowCount() > 0)

    # -- actions -------------------------------------------------------------------------
    def _complete(self, row: Any, done: bool) -> None:
        from mhsw_desktop.services.tasks import complete_task

        self.runner.query(
            lambda s: complete_task(s, row.id, done), None, self._failed, changes="tasks"
        )

    def _open_task(self, row: Any) -> None:
        if row.note_id is not None:
            self.open_note_requested.emit(row.note_id)
        elif row.client_id is not None:
            self.open_client_requested.emit(row.client_id)

    def focus_first(self) -> None:
        for table in (
            self.measure_alerts.table,
            self.recovered_table,
            self.task_table,
            self.release_table,
            self.plan_reviews.table,
            self.unsigned_table,
        ):
            if table.isVisible():
                table.setFocus(Qt.FocusReason.ShortcutFocusReason)
                return
        self.add_task.setFocus(Qt.FocusReason.ShortcutFocusReason)

"""The Today view's measure alerts: PHQ-9 item 9 answered above 0 and not yet reviewed, for
every client, oldest first. It loads itself, and hides when there is nothing to review.

Safety-plan hook: as in the measures pane, "Open safety plan" stays hidden until the
safety-plan UI calls :meth:`MeasureAlertsBox.set_safety_plan_available` and connects
:attr:`MeasureAlertsBox.safety_plan_requested` (it carries the client id); the Today view
does both.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QHeaderView, QPushButton, QVBoxLayout, QWidget

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import Column, RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

WATCHED = ("measures", "clients")
#: the table grows with its rows up to this many, then scrolls
MAX_ROWS = 6


class MeasureAlertWords(QObject):
    """The age cell, in a QObject so that ``self.tr(text, "", n)`` gives the day count its
    plural forms (lupdate marks a ``translate()`` with a count as singular only)."""

    def age(self, days: int) -> str:
        if days <= 0:
            return self.tr("today")
        return self.tr("1 day ago") if days == 1 else self.tr("%n days ago", "", days)


@cache
def _words() -> MeasureAlertWords:
    return MeasureAlertWords()


ALERT_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Client"), lambda r: r.client_name),
    (QT_TRANSLATE_NOOP("Columns", "Measure"), lambda r: f"{r.name}, {r.taken_on.isoformat()}"),
    (QT_TRANSLATE_NOOP("Columns", "Age"), lambda r: _words().age(r.age_days)),
    # the service's alert messages
    (QT_TRANSLATE_NOOP("Columns", "Alert"), lambda r: "; ".join(r.messages)),
)


class MeasureAlertsBox(QGroupBox):
    #: client id
    open_client_requested = Signal(object)
    #: client id
    safety_plan_requested = Signal(object)
    problem = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Measure alerts to review (thoughts of self-harm)"))
        self.setObjectName("measure_alerts")
        self.runner = runner
        self._serial = 0
        self.alerts = RecordTableModel(ALERT_COLUMNS, self)
        self.table = RecordTableView(self.alerts, self.tr("Measure alerts to review"), self)
        self.table.setObjectName("measure_alerts_table")
        self.table.open_requested.connect(lambda r: self.open_client_requested.emit(r.client_id))
        chars = self.fontMetrics().averageCharWidth()
        header = self.table.horizontalHeader()
        header.resizeSection(0, chars * 30)
        header.setStretchLastSection(False)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.open_client = QPushButton(self.tr("Open &client"), self)
        self.open_client.setAccessibleName(self.tr("Open the client of the selected alert"))
        self.open_client.clicked.connect(self._open_client)
        self.safety_plan = QPushButton(self.tr("Open safet&y plan"), self)
        self.safety_plan.setAccessibleName(
            self.tr("Open the safety plan of the selected alert's client")
        )
        self.safety_plan.clicked.connect(self._open_safety_plan)
        self.safety_plan.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_client)
        buttons.addWidget(self.safety_plan)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        runner.changed.connect(self._records_changed)
        runner.locked.connect(self.clear)
        self.clear()

    def set_safety_plan_available(self, available: bool) -> None:
        self.safety_plan.setVisible(available)

    def load(self) -> None:
        if self.runner.vault is None:
            return
        from mhsw_desktop.services.measures import alerts

        self._serial += 1
        serial = self._serial
        today = date.today()

        def done(rows: list[Any]) -> None:
            if serial == self._serial:
                self.alerts.set_rows(rows)
                self._fit(len(rows))
                self.setVisible(bool(rows))
                if rows and self.table.current_record() is None:
                    self.table.selectRow(0)

        self.runner.query(lambda s: alerts(s, today), done, self._failed)

    def _fit(self, rows: int) -> None:
        """As tall as its rows (up to ``MAX_ROWS``, then it scrolls): the box stays small."""
        shown = max(1, min(rows, MAX_ROWS))
        height = self.table.horizontalHeader().sizeHint().height()
        height += self.table.verticalHeader().defaultSectionSize() * shown
        self.table.setFixedHeight(height + self.table.frameWidth() * 2 + 2)

    def _failed(self, exc: BaseException) -> None:
        self.problem.emit(user_message(exc))

    def _records_changed(self, kind: str) -> None:
        if kind in WATCHED and self.runner.vault is not None:
            self.load()

    def clear(self) -> None:
        """Drop everything shown (on lock)."""
        self._serial += 1
        self.alerts.clear()
        self.hide()

    def _open_client(self) -> None:
        row = self.table.current_record()
        if row is not None:
            self.open_client_requested.emit(row.client_id)

    def _open_safety_plan(self) -> None:
        row = self.table.current_record()
        if row is not None:
            self.safety_plan_requested.emit(row.client_id)

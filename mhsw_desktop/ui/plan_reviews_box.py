"""The Today view's treatment plans past their review date, longest overdue first. It loads
itself, and hides when no plan is overdue."""

from __future__ import annotations

from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QGroupBox, QHeaderView, QVBoxLayout, QWidget

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import Column, RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

WATCHED = ("treatment_plans", "clients")
#: the table grows with its rows up to this many, then scrolls
MAX_ROWS = 6


class PlanReviewWords(QObject):
    """The cells' words, in a QObject so that ``self.tr(text, "", n)`` gives the day
    count its plural forms (lupdate marks a ``translate()`` with a count as singular)."""

    def overdue(self, days: int) -> str:
        return self.tr("1 day") if days == 1 else self.tr("%n days", "", days)

    def version(self, number: int) -> str:
        return self.tr("Version {number}").format(number=number)


@cache
def _words() -> PlanReviewWords:
    return PlanReviewWords()


REVIEW_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Client"), lambda r: r.client_name),
    (QT_TRANSLATE_NOOP("Columns", "Plan"), lambda r: _words().version(r.version_number)),
    (QT_TRANSLATE_NOOP("Columns", "Review was due"), lambda r: r.review_due.isoformat()),
    (QT_TRANSLATE_NOOP("Columns", "Overdue by"), lambda r: _words().overdue(r.days_overdue)),
)


class PlanReviewsBox(QGroupBox):
    #: client id: show the client's treatment plan
    open_plan_requested = Signal(object)
    problem = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Treatment plans due for review"))
        self.setObjectName("plan_reviews")
        self.runner = runner
        self._serial = 0
        self.reviews = RecordTableModel(REVIEW_COLUMNS, self)
        self.table = RecordTableView(self.reviews, self.tr("Treatment plans due for review"), self)
        self.table.setObjectName("plan_reviews_table")
        self.table.open_requested.connect(lambda r: self.open_plan_requested.emit(r.client_id))
        header = self.table.horizontalHeader()
        header.resizeSection(0, self.fontMetrics().averageCharWidth() * 30)
        header.setStretchLastSection(True)
        for column in (1, 2):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        runner.changed.connect(self._records_changed)
        self.clear()

    def load(self) -> None:
        if self.runner.vault is None:
            return
        from mhsw_desktop.services.treatment_plans import plans_due_for_review

        self._serial += 1
        serial = self._serial
        today = date.today()

        def done(rows: list[Any]) -> None:
            if serial == self._serial:
                self._show(rows)

        self.runner.query(lambda s: plans_due_for_review(s, today), done, self._failed)

    def _show(self, rows: list[Any]) -> None:
        self.reviews.set_rows(rows)
        shown = min(len(rows), MAX_ROWS)
        row_height = self.table.verticalHeader().defaultSectionSize()
        self.table.setFixedHeight(
            self.table.horizontalHeader().height()
            + row_height * shown
            + 2 * self.table.frameWidth()
        )
        self.setVisible(bool(rows))

    def _failed(self, exc: BaseException) -> None:
        self.problem.emit(user_message(exc))

    def _records_changed(self, kind: str) -> None:
        if kind in WATCHED and self.runner.vault is not None:
            self.load()

    def clear(self) -> None:
        """Drop everything shown (on lock)."""
        self._serial += 1
        self.reviews.clear()
        self.hide()

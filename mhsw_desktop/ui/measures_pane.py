"""A client's measures in the client view: enter a PHQ-9 or GAD-7, the history, the trend
chart with severity bands and event markers, change since baseline, and the banner that
shows open item-9 alerts (placed by the client view above its tabs).

Safety-plan hook: the "Open safety plan" buttons stay hidden until the safety-plan UI
calls :meth:`MeasuresPane.set_safety_plan_available` and connects
:attr:`MeasuresPane.safety_plan_requested` (it carries the client id); the client view
does both.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.domain.measure_defs import DEFINITIONS, definition, missing_text
from mhsw_desktop.ui.measure_chart import TrendChart, chart_events, chart_points
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import ROW_ROLE, Column, RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import plain_label

#: the kinds of change after which the pane reloads
WATCHED = ("measures", "clients")
BANNER_COLOUR = "#ffe08a"


def _alert_cell(row: Any) -> str:
    if not row.alert:
        return ""
    if row.alert_reviewed_at:
        return QCoreApplication.translate("MeasuresPane", "Item 9: reviewed")
    return QCoreApplication.translate("MeasuresPane", "Item 9: to review")


def _difficulty(row: Any) -> str:
    d = definition(row.kind)
    if row.difficulty is None or not d.difficulty_choices:
        return ""
    return str(d.difficulty_choices[row.difficulty])


def _severity(row: Any) -> str:
    return (
        str(row.band_label)
        if row.band_label
        else QCoreApplication.translate("MeasuresPane", "Incomplete")
    )


HISTORY_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Date"), lambda r: r.taken_on.isoformat()),
    (QT_TRANSLATE_NOOP("Columns", "Total"), lambda r: "—" if r.total is None else str(r.total)),
    (QT_TRANSLATE_NOOP("Columns", "Severity"), _severity),
    (
        QT_TRANSLATE_NOOP("Columns", "Unanswered"),
        lambda r: missing_text(r.missing) if r.missing else "",
    ),
    (QT_TRANSLATE_NOOP("Columns", "Difficulty"), _difficulty),
    (QT_TRANSLATE_NOOP("Columns", "Alert"), _alert_cell),
)
EVENT_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Date"), lambda r: r.event_date.isoformat()),
    (QT_TRANSLATE_NOOP("Columns", "Kind"), lambda r: r.kind.label),
    (QT_TRANSLATE_NOOP("Columns", "Label"), lambda r: r.label),
)


#: the questionnaires with a printed form (``mhsw report phq9-form|gad7-form``)
PRINTABLE = frozenset({"phq9", "gad7"})


class MeasureAlertBanner(QFrame):
    """The client's open measure alerts, in words, with what to do about them."""

    review_requested = Signal()
    safety_plan_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("measure_alert_banner")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        # the same light amber on light and dark themes, with black text on it
        palette.setColor(QPalette.ColorRole.Window, QColor(BANNER_COLOUR))
        palette.setColor(QPalette.ColorRole.WindowText, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.text = plain_label("", self)
        self.text.setWordWrap(True)
        self.text.setAccessibleName(self.tr("Measure alert"))
        self.text.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # no mnemonic: Alt+Y is the client view's Safety plan tab, which this opens too
        self.safety_plan = QPushButton(self.tr("Open safety plan"), self)
        self.safety_plan.setAccessibleName(self.tr("Open the client's safety plan"))
        self.safety_plan.clicked.connect(self.safety_plan_requested)
        self.safety_plan.hide()
        self.review = QPushButton(self.tr("Mark re&viewed…"), self)
        self.review.setAccessibleName(self.tr("Mark the measure alerts reviewed"))
        self.review.clicked.connect(self.review_requested)
        layout = QHBoxLayout(self)
        layout.addWidget(self.text, 1)
        layout.addWidget(self.safety_plan)
        layout.addWidget(self.review)
        self.alerts: list[Any] = []
        self.hide()

    def set_alerts(self, alerts: list[Any]) -> None:
        self.alerts = list(alerts)
        lines = [
            self.tr("Alert, {day}: {message}.").format(day=a.taken_on.isoformat(), message=message)
            for a in self.alerts
            for message in a.messages
        ]
        if lines:
            lines.append(
                self.tr("Review risk with the client and make or review their safety plan.")
            )
        self.text.setText("\n".join(lines))
        self.setVisible(bool(lines))


class MeasuresPane(QWidget):
    """One client's measures; :meth:`show_client` loads, :meth:`clear` forgets."""

    problem = Signal(str)
    #: client id: open (or start) the client's safety plan
    safety_plan_requested = Signal(object)
    #: a ReportRequest: the printed form of the selected measure (or a blank one)
    report_requested = Signal(object)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("measures_pane")
        self.runner = runner
        self.client_id: uuid.UUID | None = None
        self._generation = 0
        self._rows: list[Any] = []
        self._events: list[Any] = []
        self._changes: dict[str, Any] = {}
        self._safety_plan = False

        self.alert_banner = MeasureAlertBanner(self)
        self.alert_banner.review_requested.connect(self._review)
        self.alert_banner.safety_plan_requested.connect(self._open_safety_plan)

        self.kind = QComboBox(self)
        for d in DEFINITIONS:
            self.kind.addItem(self.tr("{name} — {title}").format(name=d.name, title=d.title), d.key)
        self.kind.setAccessibleName(self.tr("Measure"))
        kind_label = QLabel(self.tr("&Questionnaire:"), self)
        kind_label.setBuddy(self.kind)
        self.new_measure = self._button("", "", self._new_measure)
        self.add_event = self._button(
            self.tr("Mar&k event…"), self.tr("Mark an event on the trend"), self._event
        )
        self.delete_measure = self._button(
            self.tr("&Delete…"), self.tr("Delete the selected measure"), self._delete_measure
        )
        top = QHBoxLayout()
        top.addWidget(kind_label)
        top.addWidget(self.kind, 1)
        top.addWidget(self.new_measure)
        self.print_form = self._button(
            self.tr("Print fo&rm…"),
            self.tr("Print the questionnaire: the selected one as answered, or a blank one"),
            self._print_form,
        )
        self.print_form.setToolTip(
            self.tr(
                "The PHQ-9 or GAD-7 as the client answered it (the one selected below), or "
                "a blank form to fill in, in the client's language"
            )
        )
        top.addWidget(self.add_event)
        top.addWidget(self.print_form)
        top.addWidget(self.delete_measure)
        self.change = plain_label("", self)
        self.change.setWordWrap(True)
        self.change.setAccessibleName(self.tr("Change since baseline"))

        self.chart = TrendChart(self)
        self.history = RecordTableModel(HISTORY_COLUMNS, self)
        self.history_table = RecordTableView(self.history, self.tr("Measure history"), self)
        self.history_table.setObjectName("measure_history")
        self.history_table.delete_requested.connect(lambda _r: self._delete_measure())
        header = self.history_table.horizontalHeader()
        header.setStretchLastSection(False)
        for column in range(len(HISTORY_COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.events = RecordTableModel(EVENT_COLUMNS, self)
        self.events_table = RecordTableView(self.events, self.tr("Trend events"), self)
        self.events_table.setObjectName("measure_events")
        self.events_table.delete_requested.connect(self._delete_event)
        self.lists = QTabWidget(self)
        self.lists.setAccessibleName(self.tr("History or events"))
        self.lists.addTab(self.history_table, self.tr("Hi&story (newest first)"))
        self.lists.addTab(self.events_table, self.tr("Events"))
        self.empty = plain_label("", self)

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.lists)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.change)
        layout.addWidget(splitter, 1)
        self.kind.currentIndexChanged.connect(self._show_kind)
        runner.changed.connect(self._records_changed)
        self.clear()

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.clicked.connect(slot)
        return button

    def current_kind(self) -> str:
        return str(self.kind.currentData())

    def set_safety_plan_available(self, available: bool) -> None:
        """Show the "Open safety plan" buttons (the safety-plan UI calls this)."""
        self._safety_plan = available
        self.alert_banner.safety_plan.setVisible(available)

    # -- loading ------------------------------------------------------------------------
    def show_client(self, client_id: uuid.UUID) -> None:
        if client_id != self.client_id:
            self.clear()
        self.client_id = client_id
        self.load()

    def load(self) -> None:
        client_id = self.client_id
        if client_id is None or self.runner.vault is None:
            return
        from mhsw_desktop.services.measures import (
            alerts,
            change_since_baseline,
            list_events,
            list_measures,
        )

        self._generation += 1
        generation = self._generation
        today = date.today()

        def work(session: Any) -> Any:
            rows = list_measures(session, client_id)
            kinds = dict.fromkeys(r.kind for r in rows)
            changes = {k: change_since_baseline(session, client_id, k) for k in kinds}
            return rows, list_events(session, client_id), alerts(session, today, client_id), changes

        def done(result: Any) -> None:
            if generation == self._generation and client_id == self.client_id:
                self._show(*result)

        self.runner.query(work, done, self._failed)

    def _show(
        self, rows: list[Any], events: list[Any], open_alerts: list[Any], changes: Any
    ) -> None:
        self._rows, self._events, self._changes = rows, events, changes
        self.alert_banner.set_alerts(open_alerts)
        self.events.set_rows(list(reversed(events)))
        self._set_enabled(True)
        self._show_kind()

    def _show_kind(self, *_args: object) -> None:
        kind = self.current_kind()
        d = definition(kind)
        self.new_measure.setText(self.tr("Ne&w {name}…").format(name=d.name))
        self.new_measure.setAccessibleName(self.tr("New {name}").format(name=d.name))
        self.print_form.setEnabled(self.client_id is not None and kind in PRINTABLE)
        if self.client_id is None:
            return
        selected = self.history_table.current_record()
        rows = [r for r in self._rows if r.kind == kind]
        self.history.set_rows(list(reversed(rows)))
        if selected is not None and (index := self.history.row_of(selected.id)) >= 0:
            self.history_table.selectRow(index)
        self.chart.set_data(d, chart_points(rows), chart_events(self._events))
        change = self._changes.get(kind)
        if change is not None:
            source = change.change.source
            source = f" {source[:1].upper()}{source[1:]}." if source else ""
            since = self.tr("Since baseline ({start} to {end}): {summary}.").format(
                start=change.baseline_date.isoformat(),
                end=change.latest_date.isoformat(),
                summary=change.summary,
            )
            self.change.setText(since + source)
        elif rows:
            self.change.setText(
                self.tr("Change since baseline needs two complete {name} forms.").format(
                    name=d.name
                )
            )
        else:
            self.change.setText(
                self.tr("No {name} recorded for this client yet.").format(name=d.name)
            )

    def _failed(self, exc: BaseException) -> None:
        self.problem.emit(user_message(exc))

    def _records_changed(self, kind: str) -> None:
        if kind in WATCHED and self.client_id is not None:
            self.load()

    def clear(self) -> None:
        """Forget the client (on lock, or before showing another)."""
        self._generation += 1
        self.client_id = None
        self._rows, self._events, self._changes = [], [], {}
        self.history.clear()
        self.events.clear()
        self.chart.clear()
        self.change.setText("")
        self.alert_banner.set_alerts([])
        self._set_enabled(False)
        self._show_kind()

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.new_measure, self.add_event, self.delete_measure):
            widget.setEnabled(enabled)

    # -- actions ------------------------------------------------------------------------
    def _new_measure(self) -> None:
        from mhsw_desktop.ui.measure_form import MeasureFormDialog

        if self.client_id is None:
            return
        dialog = MeasureFormDialog(self.runner, self.client_id, self.current_kind(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._saved)
        dialog.open()

    def _saved(self, row: Any) -> None:
        if not row.alert:
            return
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("{name} alert").format(name=row.name))
        box.setText(
            "\n".join(f"{m}." for m in row.alert_messages)
            + "\n\n"
            + self.tr("Review risk with the client now and make or review their safety plan.")
        )
        plan = (
            box.addButton(self.tr("Open safet&y plan"), QMessageBox.ButtonRole.AcceptRole)
            if self._safety_plan
            else None
        )
        box.addButton(QMessageBox.StandardButton.Close)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        client_id = row.client_id

        def decided() -> None:
            if plan is not None and box.clickedButton() is plan:
                self.safety_plan_requested.emit(client_id)

        box.finished.connect(decided)
        box.open()

    def _event(self) -> None:
        from mhsw_desktop.ui.measure_event_dialog import MeasureEventDialog

        if self.client_id is None:
            return
        dialog = MeasureEventDialog(self.runner, self.client_id, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _review(self) -> None:
        from mhsw_desktop.ui.alert_review_dialog import AlertReviewDialog

        if not self.alert_banner.alerts:
            return
        dialog = AlertReviewDialog(self.runner, self.alert_banner.alerts, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _open_safety_plan(self) -> None:
        if self.client_id is not None:
            self.safety_plan_requested.emit(self.client_id)

    def _confirm(self, title: str, text: str, action: str, on_yes: Any) -> None:
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(title)
        box.setText(text)
        yes = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("&Keep"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda _r: box.clickedButton() is yes and on_yes())
        box.open()

    def _print_form(self) -> None:
        """The selected PHQ-9 or GAD-7 as answered; with none selected, a blank form of the
        questionnaire chosen above (only those two have printed forms)."""
        from mhsw_desktop.reports.make import ReportRequest

        if self.client_id is None:
            return
        # only a row the practitioner selected prints as answered: the table's current
        # row (where Tab left the cursor) would hand out old answers for a blank form
        chosen = self.history_table.selectionModel().selectedRows()
        row = chosen[0].data(ROW_ROLE) if chosen else None
        kind = self.current_kind()
        if kind not in PRINTABLE:
            self.problem.emit(self.tr("Only the PHQ-9 and GAD-7 have printed forms."))
            return
        self.report_requested.emit(
            ReportRequest(
                f"{kind}-form",
                client_id=self.client_id,
                measure_id=row.id if row is not None else None,
            )
        )

    def _delete_measure(self) -> None:
        row = self.history_table.current_record()
        if row is None:
            return
        from mhsw_desktop.services.measures import delete_measure

        self._confirm(
            self.tr("Delete {name}").format(name=row.name),
            self.tr(
                "Delete the {name} of {day} ({score})? Do this only for a form recorded by mistake."
            ).format(name=row.name, day=row.taken_on.isoformat(), score=row.score_text),
            self.tr("&Delete"),
            lambda: self.runner.query(
                lambda s: delete_measure(s, row.id), None, self._failed, changes="measures"
            ),
        )

    def _delete_event(self, row: Any) -> None:
        from mhsw_desktop.services.measures import delete_event

        self._confirm(
            self.tr("Delete event"),
            self.tr("Delete the event of {day} ({text}) from the trend?").format(
                day=row.event_date.isoformat(), text=row.text
            ),
            self.tr("&Delete"),
            lambda: self.runner.query(
                lambda s: delete_event(s, row.id), None, self._failed, changes="measures"
            ),
        )

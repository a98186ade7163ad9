"""Measures in the GUI: the form (radio buttons, keyboard entry, live score, item-9 warning),
the client's measures pane (history, trend chart with bands and event markers, change since
baseline, the alert banner and its review), the Today view's alerts, the safety-plan hook,
models, accessible names, and lock dropping it all.

Only synthetic people.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage

from mhsw_desktop.domain.measures import EventKind
from mhsw_desktop.ui.measure_chart import ALERT_COLOUR, EVENT_COLOUR, LINE_COLOUR, date_ticks
from tests.ui.conftest import sample_client, unlock
from tests.ui.test_accessibility import unnamed

TODAY = date.today()


def ago(days: int) -> date:
    return TODAY - timedelta(days=days)


def add_history(session, client_id):
    """Ana's PHQ-9s over half a year (one with item 9 answered, one incomplete), a GAD-7,
    and two events on her trend."""
    from mhsw_desktop.services.measures import EventInput, MeasureInput, add_event, add_measure

    for days, answers in (
        (170, (3, 3, 2, 2, 2, 2, 2, 2, 2)),  # 20, item 9 -> alert
        (120, (2, 2, 2, 2, 2, 2, 1, 1, 0)),  # 14
        (90, (2, 2, None, 1, 1, 1, 1, 1, 0)),  # incomplete
        (60, (1, 1, 1, 1, 1, 1, 1, 1, 0)),  # 8
        (10, (1, 1, 0, 0, 1, 0, 0, 0, 0)),  # 3
    ):
        add_measure(session, MeasureInput(client_id, "phq9", answers, ago(days)))
    add_measure(session, MeasureInput(client_id, "gad7", (2, 2, 2, 1, 1, 1, 1), ago(30)))
    add_event(session, EventInput(client_id, ago(150), EventKind.MEDICATION_CHANGE,
                                  "Sertraline 50 mg"))  # fmt: skip
    add_event(session, EventInput(client_id, ago(100), EventKind.CRISIS))


@pytest.fixture
def measured(vault_factory, runner):
    """An open vault on the runner: Ana with a measure history, Earl with none."""
    from mhsw_desktop.services.clients import add_client

    vault, _recovery = vault_factory()
    with vault.unit_of_work() as session:
        ana = add_client(session, sample_client())
        earl = add_client(session, sample_client("Earl", "Pruitt", date(1950, 6, 7)))
        add_history(session, ana)
    runner.vault = vault
    return runner, {"ana": ana, "earl": earl}


def make_pane(qtbot, runner, client_id):
    from mhsw_desktop.ui.measures_pane import MeasuresPane

    pane = MeasuresPane(runner)
    qtbot.addWidget(pane)
    pane.resize(1000, 760)
    pane.show()
    pane.alert_banner.setParent(pane)  # in the app the client view places it
    pane.show_client(client_id)
    qtbot.waitUntil(lambda: runner.idle() and pane.history.rowCount() > 0, timeout=5000)
    return pane


def colour_count(image: QImage, colour: str, tolerance: int = 40) -> int:
    """How many pixels of ``image`` are close to ``colour`` (sampled every other pixel)."""
    target = QColor(colour)
    found = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            pixel = image.pixelColor(x, y)
            if (
                abs(pixel.red() - target.red()) + abs(pixel.green() - target.green())
                + abs(pixel.blue() - target.blue()) < tolerance
            ):  # fmt: skip
                found += 1
    return found


# -- the pane ---------------------------------------------------------------------------
def test_the_pane_shows_history_chart_change_and_the_alert(
    qtbot, qtmodeltester, measured, tmp_path
):
    runner, ids = measured
    pane = make_pane(qtbot, runner, ids["ana"])
    assert pane.current_kind() == "phq9"
    assert pane.new_measure.text() == "Ne&w PHQ-9…"
    # history: newest first, the incomplete form without a total
    history = [pane.history.row_at(n) for n in range(pane.history.rowCount())]
    assert [r.total for r in history] == [3, 8, None, 14, 20]
    cells = [pane.history.data(pane.history.index(2, c)) for c in range(6)]
    assert cells[1:4] == ["—", "Incomplete", "item 3 not answered"]
    assert pane.history.data(pane.history.index(4, 5)) == "Item 9: to review"
    qtmodeltester.check(pane.history)
    qtmodeltester.check(pane.events)
    assert pane.events.rowCount() == 2
    # change since baseline, with its reading and source
    assert "PHQ-9 20 → 3 (-17): reliable improvement (threshold 6 points)" in pane.change.text()
    assert "Commonly used reliable-change threshold (NHS Talking Therapies" in pane.change.text()
    # the chart has every point, the events, and says so in words
    chart = pane.chart
    assert [p.total for p in chart.points] == [20, 14, None, 8, 3]
    assert len(chart.events) == 2
    assert chart.accessibleName() == "PHQ-9 trend chart"
    assert "item 9 alert" in chart.accessibleDescription()
    # the alert banner
    assert pane.alert_banner.isVisible()
    text = pane.alert_banner.text.text()
    assert text.startswith(f"Alert, {ago(170).isoformat()}: PHQ-9 item 9")
    assert "'More than half the days' (2)" in text
    assert not pane.alert_banner.safety_plan.isVisible()  # no safety-plan UI hooked yet
    # GAD-7: another history, another chart, no change yet
    pane.kind.setCurrentIndex(pane.kind.findData("gad7"))
    assert pane.history.rowCount() == 1 and pane.new_measure.text() == "Ne&w GAD-7…"
    assert "needs two complete GAD-7 forms" in pane.change.text()
    assert chart.accessibleName() == "GAD-7 trend chart"
    assert unnamed(pane) == []


def test_the_chart_paints_bands_points_alerts_and_events(qtbot, measured, tmp_path):
    """Look at it: the screenshot is kept under tmp_path (chart.png) for the reviewer."""
    runner, ids = measured
    pane = make_pane(qtbot, runner, ids["ana"])
    chart = pane.chart
    chart.resize(900, 420)
    image = chart.grab().toImage()
    assert image.save(str(tmp_path / "chart.png"))
    assert colour_count(image, LINE_COLOUR) > 30
    assert colour_count(image, ALERT_COLOUR) > 10
    assert colour_count(image, EVENT_COLOUR) > 10
    # each band is shaded: sample the plot's left edge at every band's middle
    plot = chart._plot_rect()
    d = chart.definition
    shades = set()
    for band in d.bands:
        y = int(chart._y(plot, d, (band.low + band.high) / 2))
        shades.add(image.pixelColor(int(plot.left()) + 3, y).name())
    assert len(shades) == len(d.bands)
    # bigger system font: the chart grows with it and still paints
    font = chart.font()
    font.setPointSizeF(font.pointSizeF() * 1.6)
    chart.setFont(font)
    assert chart.sizeHint().height() > 0
    chart.resize(chart.sizeHint())
    assert chart.grab().toImage().save(str(tmp_path / "chart_large_font.png"))


def test_an_empty_chart_says_so(qtbot, measured):
    runner, ids = measured
    from mhsw_desktop.ui.measures_pane import MeasuresPane

    pane = MeasuresPane(runner)
    qtbot.addWidget(pane)
    pane.show_client(ids["earl"])
    qtbot.waitUntil(lambda: runner.idle() and pane.chart.definition is not None, timeout=5000)
    assert pane.history.rowCount() == 0
    assert pane.change.text() == "No PHQ-9 recorded for this client yet."
    assert pane.chart.summary() == "No PHQ-9 recorded yet."
    assert not pane.alert_banner.isVisibleTo(pane)
    assert not pane.chart.grab().toImage().isNull()


@pytest.mark.parametrize(
    ("first", "last", "expected"),
    [
        (date(2025, 1, 10), date(2025, 6, 20), ["Feb 2025", "Mar 2025", "Apr 2025", "May 2025",
                                                "Jun 2025"]),
        (date(2025, 6, 1), date(2025, 6, 7), ["2025-06-01", "2025-06-03", "2025-06-05",
                                              "2025-06-07"]),
    ],
)  # fmt: skip
def test_date_ticks(first, last, expected):
    assert [text for _day, text in date_ticks(first, last, 6)] == expected


# -- the form ---------------------------------------------------------------------------
def test_the_form_by_keyboard_scores_live_and_saves(qtbot, measured):
    from mhsw_desktop.services.measures import list_measures
    from mhsw_desktop.ui.measure_form import MeasureFormDialog

    runner, ids = measured
    dialog = MeasureFormDialog(runner, ids["earl"], "phq9")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.activateWindow()
    qtbot.waitActive(dialog)
    assert dialog.score_label.text() == "No answers yet: 0 of 9 items."
    assert unnamed(dialog) == []
    # digits answer the focused item and move on
    dialog.rows[0].focus()
    for key in "21120100":
        qtbot.keyClick(dialog.focusWidget(), key)
    assert dialog.answers() == (2, 1, 1, 2, 0, 1, 0, 0, None)
    assert dialog.score_label.text() == "Incomplete, no total: item 9 not answered."
    assert "not answered: ask about it" in dialog.warning.text()
    qtbot.keyClick(dialog.focusWidget(), "1")  # item 9
    assert dialog.score_label.text() == "Total 8 of 27 — Mild"
    assert "Saving raises an alert" in dialog.warning.text()
    assert dialog.focusWidget() is dialog.difficulty.buttons[0]  # then the difficulty question
    # the arrow keys move between an item's answers; Delete clears one
    dialog.rows[4].buttons[0].setFocus()
    qtbot.waitUntil(dialog.rows[4].buttons[0].hasFocus)
    qtbot.keyClick(dialog.rows[4].buttons[0], Qt.Key.Key_Right)
    assert dialog.rows[4].answer() == 1
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Delete)
    assert dialog.rows[4].answer() is None
    assert "item 5 not answered" in dialog.score_label.text()
    qtbot.keyClick(dialog.rows[4].buttons[0], "0")
    dialog.difficulty.set_answer(1)
    assert dialog.score_label.text() == "Total 8 of 27 — Mild"  # difficulty is not scored
    with qtbot.waitSignal(dialog.saved, timeout=5000) as saved:
        dialog.save_button.click()
    row = saved.args[0]
    assert (row.total, row.band, row.alert, row.difficulty) == (8, "mild", True, 1)
    with runner.vault.session() as session:
        (stored,) = list_measures(session, ids["earl"])
    assert stored.answers == (2, 1, 1, 2, 0, 1, 0, 0, 1)


def test_the_form_refuses_a_future_date_and_keeps_what_was_typed(qtbot, measured):
    from PySide6.QtCore import QDate

    from mhsw_desktop.ui.measure_form import MeasureFormDialog

    runner, ids = measured
    # a dialog opened yesterday (midnight passed): today's limit moved on
    dialog = MeasureFormDialog(runner, ids["earl"], "gad7", today=TODAY + timedelta(days=1))
    qtbot.addWidget(dialog)
    dialog.show()
    tomorrow = TODAY + timedelta(days=1)
    dialog.taken_on.setDate(QDate(tomorrow.year, tomorrow.month, tomorrow.day))
    dialog.set_answers([1, 1, 1, 1, 1, 1, 1])
    dialog.save_button.click()
    qtbot.waitUntil(lambda: runner.idle() and dialog.error.text() != "", timeout=5000)
    assert "is in the future" in dialog.error.text()
    assert dialog.isVisible() and dialog.answers() == (1,) * 7
    assert dialog.save_button.isEnabled()
    dialog.discard()


def test_saving_an_alert_from_the_pane_warns_and_offers_the_safety_plan(qtbot, measured):
    from PySide6.QtWidgets import QMessageBox

    from mhsw_desktop.ui.measure_form import MeasureFormDialog

    runner, ids = measured
    pane = make_pane(qtbot, runner, ids["ana"])
    pane.set_safety_plan_available(True)
    pane.new_measure.click()
    dialog = pane.findChild(MeasureFormDialog)
    assert dialog is not None and dialog.isVisible()
    dialog.set_answers([0, 0, 0, 0, 0, 0, 0, 0, 3])
    dialog.save_button.click()
    qtbot.waitUntil(lambda: pane.findChild(QMessageBox) is not None, timeout=5000)
    box = pane.findChild(QMessageBox)
    assert "'Nearly every day' (3)" in box.text()
    (plan,) = [b for b in box.buttons() if "safet" in b.text()]
    with qtbot.waitSignal(pane.safety_plan_requested) as requested:
        plan.click()
    assert requested.args == [ids["ana"]]
    qtbot.waitUntil(lambda: runner.idle() and pane.history.rowCount() == 6, timeout=5000)
    assert pane.alert_banner.text.text().count("Alert, ") == 2


# -- alerts: banner, review, Today ------------------------------------------------------
def test_reviewing_clears_the_banner_and_the_today_alerts(qtbot, qtmodeltester, measured):
    from mhsw_desktop.ui.alert_review_dialog import AlertReviewDialog
    from mhsw_desktop.ui.measure_alerts_box import MeasureAlertsBox

    runner, ids = measured
    box = MeasureAlertsBox(runner)
    qtbot.addWidget(box)
    box.load()
    qtbot.waitUntil(lambda: runner.idle() and box.alerts.rowCount() == 1, timeout=5000)
    assert box.isVisible()
    qtmodeltester.check(box.alerts)
    row = box.alerts.row_at(0)
    assert row.client_name == "González, Ana"
    assert box.alerts.data(box.alerts.index(0, 1)) == f"PHQ-9, {ago(170).isoformat()}"
    assert box.alerts.data(box.alerts.index(0, 2)) == "170 days ago"
    with qtbot.waitSignal(box.open_client_requested) as opened:
        box.open_client.click()
    assert opened.args == [ids["ana"]]
    assert not box.safety_plan.isVisibleTo(box)
    box.set_safety_plan_available(True)
    with qtbot.waitSignal(box.safety_plan_requested) as asked:
        box.safety_plan.click()
    assert asked.args == [ids["ana"]]
    assert unnamed(box) == []

    pane = make_pane(qtbot, runner, ids["ana"])
    assert pane.alert_banner.isVisible()
    pane.alert_banner.review.click()
    dialog = pane.findChild(AlertReviewDialog)
    assert dialog is not None and unnamed(dialog) == []
    dialog.note.setPlainText("Risk assessed; safety plan reviewed with Ana.")
    dialog.save_button.click()
    qtbot.waitUntil(
        lambda: runner.idle() and not pane.alert_banner.isVisible() and box.alerts.rowCount() == 0,
        timeout=5000,
    )
    assert not box.isVisibleTo(box)  # hides when nothing is left to review
    assert pane.history.data(pane.history.index(4, 5)) == "Item 9: reviewed"


def test_events_are_added_and_deleted(qtbot, measured):
    from PySide6.QtWidgets import QMessageBox

    from mhsw_desktop.ui.measure_event_dialog import MeasureEventDialog

    runner, ids = measured
    pane = make_pane(qtbot, runner, ids["ana"])
    pane.add_event.click()
    dialog = pane.findChild(MeasureEventDialog)
    assert dialog is not None and unnamed(dialog) == []
    dialog.kind.setCurrentIndex(dialog.kind.findData(EventKind.DISCHARGE.value))
    dialog.label.setText("Discharged to <b>GP</b> care")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: runner.idle() and pane.events.rowCount() == 3, timeout=5000)
    assert pane.events.row_at(0).label == "Discharged to <b>GP</b> care"
    assert chart_texts(pane)[-1] == "Discharged to <b>GP</b> care"
    pane.lists.setCurrentWidget(pane.events_table)
    pane.events_table.selectRow(0)
    qtbot.keyClick(pane.events_table, Qt.Key.Key_Delete)
    box = pane.findChild(QMessageBox)
    (delete,) = [b for b in box.buttons() if b.text() == "&Delete"]
    delete.click()
    qtbot.waitUntil(lambda: runner.idle() and pane.events.rowCount() == 2, timeout=5000)


def chart_texts(pane):
    return [e.text for e in pane.chart.events]


def test_deleting_a_measure_asks_first(qtbot, measured):
    from PySide6.QtWidgets import QMessageBox

    runner, ids = measured
    pane = make_pane(qtbot, runner, ids["ana"])
    pane.history_table.selectRow(0)
    pane.delete_measure.click()
    box = pane.findChild(QMessageBox)
    assert "recorded by mistake" in box.text()
    (keep,) = [b for b in box.buttons() if b.text() == "&Keep"]
    keep.click()
    qtbot.waitUntil(runner.idle)
    assert pane.history.rowCount() == 5
    pane.delete_measure.click()
    box = next(b for b in pane.findChildren(QMessageBox) if b.isVisible())
    (delete,) = [b for b in box.buttons() if b.text() == "&Delete"]
    delete.click()
    qtbot.waitUntil(lambda: runner.idle() and pane.history.rowCount() == 4, timeout=5000)


# -- in the app -------------------------------------------------------------------------
def test_the_client_view_and_today_show_the_alert_and_lock_drops_it(qtbot, controller, tmp_path):
    from mhsw_desktop.services.clients import add_client
    from mhsw_desktop.ui.measure_form import MeasureFormDialog
    from mhsw_desktop.vault import kdf
    from mhsw_desktop.vault.vault import Vault
    from tests.conftest import TEST_PASSPHRASE

    vault, _ = Vault.create(tmp_path / "app", TEST_PASSPHRASE, params=kdf.minimum_params())
    with vault.unit_of_work() as session:
        ana = add_client(session, sample_client())
        add_history(session, ana)
    folder = vault.folder
    vault.lock()
    window = unlock(qtbot, controller, folder, TEST_PASSPHRASE)
    today = window.today
    window.show_view(today)
    qtbot.waitUntil(lambda: today.measure_alerts.alerts.rowCount() == 1, timeout=5000)
    assert today.measure_alerts.isVisible()
    today_shot = tmp_path / "today.png"
    assert window.grab().save(str(today_shot))
    qtbot.keyClick(today.measure_alerts.table, Qt.Key.Key_Return)
    view = window.client_view
    qtbot.waitUntil(lambda: view.client_id == ana and view.measures.history.rowCount() == 5)
    assert view.measures.alert_banner.isVisible()  # above the tabs, whichever is shown
    assert view.tabs.indexOf(view.measures) >= 0
    view.tabs.setCurrentWidget(view.measures)
    view.measures.new_measure.click()
    dialog = view.measures.findChild(MeasureFormDialog)
    assert dialog is not None and dialog.isVisible()
    screenshot = tmp_path / "client_measures.png"
    assert window.grab().save(str(screenshot))
    controller.lock()
    assert not shiboken6.isValid(dialog) or not dialog.isVisible()
    assert view.measures.history.rowCount() == 0 and view.measures.chart.points == []
    assert not view.measures.alert_banner.isVisibleTo(view)
    assert today.measure_alerts.alerts.rowCount() == 0

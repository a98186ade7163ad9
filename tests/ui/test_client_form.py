"""The client form: live validation, Save gating, duplicate warning, unsaved-change safety."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from mhsw_desktop.ui.client_form import ClientFormDialog, DischargeDialog


@pytest.fixture
def open_runner(runner, vault_factory):
    vault, _recovery = vault_factory()
    runner.vault = vault
    return runner


def make_form(qtbot, runner, detail=None):
    form = ClientFormDialog(runner, detail)
    qtbot.addWidget(form)
    form.show()
    return form


def fill(form, first="Ana", last="González", born=date(1985, 3, 14)):
    form.widgets["legal_first_name"].setText(first)
    form.widgets["legal_last_name"].setText(last)
    form.widgets["date_of_birth"].set_value(born)


def test_future_date_of_birth_blocks_saving_with_a_visible_message(qtbot, open_runner):
    form = make_form(qtbot, open_runner)
    fill(form, born=date.today() + timedelta(days=1))
    message = form.errors["date_of_birth"]
    assert message.isVisible()
    assert "in the future" in message.text()
    assert not form.save_button.isEnabled()
    fill(form)
    assert not message.isVisible()
    assert form.save_button.isEnabled()


def test_empty_form_cannot_be_saved_and_says_why(qtbot, open_runner):
    form = make_form(qtbot, open_runner)
    assert not form.save_button.isEnabled()
    assert "Legal first name is required" in form.summary.text()
    assert not form.errors["legal_first_name"].isVisible()  # untouched fields stay quiet


def test_max_lengths_come_from_limits(qtbot, open_runner):
    from mhsw_desktop.domain.client import LIMITS

    form = make_form(qtbot, open_runner)
    assert form.widgets["phone"].maxLength() == LIMITS["phone"]
    assert form.widgets["legal_last_name"].maxLength() == LIMITS["legal_last_name"]


def test_saving_adds_the_client(qtbot, open_runner):
    from mhsw_desktop.services.clients import list_clients

    form = make_form(qtbot, open_runner)
    fill(form)
    form.widgets["important_to_know"].setPlainText("Prefers <afternoon> visits & calls")
    with qtbot.waitSignal(form.saved, timeout=5_000):
        form.save_button.click()
    with open_runner.vault.unit_of_work() as session:
        [row] = list_clients(session)
    assert row.legal_last_name == "González"


def test_likely_duplicate_asks_before_adding(qtbot, open_runner):
    from mhsw_desktop.services.clients import add_client, list_clients
    from tests.ui.conftest import sample_client

    with open_runner.vault.unit_of_work() as session:
        add_client(session, sample_client())
    form = make_form(qtbot, open_runner)
    fill(form, first="ana", last="Gonzalez")
    form.save_button.click()
    qtbot.waitUntil(lambda: form._confirm is not None, timeout=5_000)
    box = form._confirm
    assert box.textFormat() == Qt.TextFormat.PlainText
    assert "González, Ana" in box.text()
    back = next(b for b in box.buttons() if "Go back" in b.text())
    back.click()
    qtbot.waitUntil(open_runner.idle)
    with open_runner.vault.unit_of_work() as session:
        assert len(list_clients(session)) == 1
    assert form.isVisible()


def test_cancel_with_unsaved_changes_asks_first(qtbot, open_runner):
    form = make_form(qtbot, open_runner)
    fill(form)
    form.reject()
    assert form.isVisible()
    box = form._confirm
    assert isinstance(box, QMessageBox)
    keep = next(b for b in box.buttons() if "Keep" in b.text())
    keep.click()
    assert form.isVisible()
    assert form.widgets["legal_first_name"].text() == "Ana"
    form.reject()
    discard = next(b for b in form._confirm.buttons() if "Discard" in b.text())
    discard.click()
    assert not form.isVisible()


def test_discharge_dialog_requires_a_reason(qtbot, open_runner):
    from mhsw_desktop.services.clients import add_client, get_client
    from tests.ui.conftest import sample_client

    with open_runner.vault.unit_of_work() as session:
        client_id = add_client(session, sample_client(intake_date=date(2020, 1, 1)))
    dialog = DischargeDialog(open_runner, client_id, date(2020, 1, 1))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.save_button.isEnabled()
    dialog.on.set_value(date.today() + timedelta(days=3))
    assert "future" in dialog.error.text()
    dialog.on.set_value(date.today())
    dialog.reason.setPlainText("Goals met")
    assert dialog.save_button.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=5_000):
        dialog.save_button.click()
    with open_runner.vault.unit_of_work() as session:
        assert get_client(session, client_id).data.status.value == "discharged"

"""The operation runner: work on one worker, handlers on the GUI thread, lock drops results."""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread


def test_result_arrives_on_the_gui_thread(qtbot, runner):
    seen = {}

    def work():
        seen["worker"] = threading.current_thread().name
        return 42

    def done(value):
        seen["value"] = value
        seen["gui"] = QThread.currentThread() is qtbot_app_thread()

    with qtbot.waitSignal(runner.finished):
        runner.run(work, done)
    assert seen["value"] == 42
    assert seen["worker"].startswith("mhsw-db")
    assert seen["gui"]
    assert runner.idle()


def qtbot_app_thread():
    from PySide6.QtWidgets import QApplication

    return QApplication.instance().thread()


def test_errors_go_to_the_error_handler(qtbot, runner):
    errors = []

    def work():
        raise ValueError("boom")

    with qtbot.waitSignal(runner.finished):
        runner.run(work, lambda _v: None, errors.append)
    assert isinstance(errors[0], ValueError)


def test_changes_are_announced(qtbot, runner):
    with qtbot.waitSignal(runner.changed) as blocker:
        runner.run(lambda: None, changes="clients")
    assert blocker.args == ["clients"]


def test_lock_waits_for_running_work_and_drops_its_result(qtbot, runner, vault_factory):
    vault, _recovery = vault_factory()
    runner.vault = vault
    started, release = threading.Event(), threading.Event()
    delivered = []

    def slow():
        started.set()
        release.wait(5)
        return "result"

    runner.run(slow, delivered.append)
    queued = []
    runner.run(lambda: "never", queued.append)
    started.wait(5)
    threading.Timer(0.05, release.set).start()
    runner.lock_vault()
    assert vault.is_locked
    assert runner.vault is None
    qtbot.waitUntil(runner.idle)
    assert delivered == [] and queued == []


def test_query_uses_a_unit_of_work(qtbot, runner, vault_factory):
    from mhsw_desktop.services.clients import count_clients

    vault, _recovery = vault_factory()
    runner.vault = vault
    counts = []
    with qtbot.waitSignal(runner.finished):
        runner.query(count_clients, counts.append)
    assert counts == [0]


def test_user_message_hides_bug_details():
    from mhsw_desktop.errors import UserFacingError
    from mhsw_desktop.ui.operations import user_message

    assert user_message(UserFacingError("Plain words.")) == "Plain words."
    text = user_message(KeyError("González"))
    assert "González" not in text and "KeyError" in text

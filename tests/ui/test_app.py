"""The entry point: --version without Qt, settings hold no client data, clipboard on lock."""

from __future__ import annotations

import subprocess
import sys


def test_version_prints_and_loads_no_qt():
    code = (
        "import sys; from mhsw_desktop.app import main; rc = main(['--version']); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt loaded'; "
        "sys.exit(rc)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "MHSW Desktop 0.1.0"


def test_unlock_dialog_module_does_not_load_the_database_libraries():
    code = (
        "import sys; import mhsw_desktop.ui.controller, mhsw_desktop.ui.unlock_dialog; "
        "bad = [m for m in sys.modules if m.split('.')[0] in ('sqlalchemy', 'sqlcipher3') "
        "or m in ('mhsw_desktop.vault.vault', 'mhsw_desktop.vault.engine') "
        "or m.startswith('mhsw_desktop.services')]; "
        "assert not bad, bad"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr


def test_settings_are_declared_and_typed(settings):
    import pytest

    assert settings.get("security/auto_lock_minutes") == 10
    settings.set("vault/recent_path", "/somewhere/vault")
    assert settings.get("vault/recent_path") == "/somewhere/vault"
    with pytest.raises(KeyError):
        settings.get("clients/last_opened_name")
    with pytest.raises(TypeError):
        settings.set("security/auto_lock_minutes", "ten")


def test_settings_file_holds_no_client_data(qtbot, controller, filled_vault, isolated_settings):
    folder, passphrase, _recovery = filled_vault
    controller.start(folder)
    dialog = controller.unlock_dialog
    dialog.passphrase.setText(passphrase)
    with qtbot.waitSignal(controller.unlocked, timeout=10_000):
        dialog.attempt()
    window = controller.main_window
    qtbot.waitUntil(lambda: window.clients.model.rowCount() == 3)
    window.clients.filter.setText("gonzalez")
    controller.quit()
    controller.settings.sync()
    files = [p for p in isolated_settings.rglob("*") if p.is_file()]
    stored = "".join(p.read_text(errors="replace") for p in files)
    assert str(folder) in stored
    for secret in ("González", "Gonzalez", "gonzalez", "Pruitt", passphrase):
        assert secret not in stored


def test_clipboard_keeps_text_the_app_did_not_put_there(qapp, qtbot):
    from PySide6.QtGui import QGuiApplication

    from mhsw_desktop.ui.clipboard import clear_our_text, copy_text, watch_copies

    watch_copies()
    copy_text("recovery words")
    assert clear_our_text()
    assert qapp.clipboard().text() == ""
    # Text copied while none of our windows has the focus came from another program.
    for widget in qapp.topLevelWidgets():
        widget.hide()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is None)
    qapp.clipboard().setText("user's own text")
    assert not clear_our_text()
    assert qapp.clipboard().text() == "user's own text"


def test_crash_output_names_no_record_content(capsys):
    from mhsw_desktop.app import report_crash

    try:
        raise ValueError("González, Ana: 1990-02-03 at 12 Elm Ave")
    except ValueError as exc:
        report_crash(type(exc), exc, exc.__traceback__)
    err = capsys.readouterr().err
    assert "ValueError" in err and "test_app.py" in err
    assert "González" not in err and "Elm" not in err

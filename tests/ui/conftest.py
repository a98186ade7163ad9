"""GUI test fixtures: isolated QSettings, an app controller, a runner, clients in vaults."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QSettings, QStandardPaths


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, qapp):
    """QSettings go to an INI file under tmp_path; the user's real config is never read."""
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "cfg"))
    qapp.setOrganizationName("MHSW Desktop Tests")
    qapp.setApplicationName("MHSW Desktop Tests")
    yield tmp_path / "cfg"


@pytest.fixture
def settings(isolated_settings):
    from mhsw_desktop.ui.settings import Settings

    return Settings()


@pytest.fixture
def runner(qtbot):
    from mhsw_desktop.ui.operations import OperationRunner

    runner = OperationRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def controller(settings, qtbot):
    from mhsw_desktop.ui.controller import AppController
    from mhsw_desktop.vault import kdf

    controller = AppController(settings, kdf_params=kdf.minimum_params(), quit_on_close=False)
    yield controller
    controller.shutdown()
    for widget in (controller.main_window, controller.unlock_dialog):
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def sample_client(first="Ana", last="González", born=date(1985, 3, 14), **more):
    from mhsw_desktop.domain.client_rules import ClientInput

    return ClientInput(first, last, born, **more)


@pytest.fixture
def filled_vault(vault_factory):
    """A locked vault with three clients; returns (folder, passphrase, recovery key)."""
    from mhsw_desktop.services.clients import add_client
    from tests.conftest import TEST_PASSPHRASE

    vault, recovery = vault_factory()
    with vault.unit_of_work() as session:
        add_client(session, sample_client(phone="(406) 555-0142"))
        add_client(session, sample_client("Bjørn", "Østergaard", date(1970, 1, 2)))
        add_client(session, sample_client("Earl", "Pruitt", date(1950, 6, 7)))
    folder = vault.folder
    vault.lock()
    return folder, TEST_PASSPHRASE, recovery

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


@pytest.fixture(scope="session")
def _notes_vault_template(tmp_path_factory):
    """Built once per run (250 notes take a while); each test gets a copy."""
    import random
    from datetime import timedelta

    from mhsw_desktop.services.clients import add_client
    from mhsw_desktop.services.notes import NoteInput, create_draft
    from mhsw_desktop.services.practitioner import PractitionerInput, save_practitioner
    from mhsw_desktop.services.synthetic_notes import (
        add_synthetic_clinical_data,
        add_synthetic_notes,
    )
    from mhsw_desktop.services.tasks import TaskInput, add_task
    from mhsw_desktop.vault import kdf
    from mhsw_desktop.vault.vault import Vault
    from tests.conftest import TEST_PASSPHRASE

    vault, _recovery = Vault.create(
        tmp_path_factory.mktemp("notes") / "vault", TEST_PASSPHRASE, params=kdf.minimum_params()
    )
    today = date.today()
    with vault.unit_of_work() as session:
        ana = add_client(
            session,
            sample_client(important_to_know="Prefers afternoon sessions <b>not</b> bold"),
        )
        bjorn = add_client(session, sample_client("Bjørn", "Østergaard", date(1970, 1, 2)))
        earl = add_client(session, sample_client("Earl", "Pruitt", date(1950, 6, 7)))
        save_practitioner(
            session,
            PractitionerInput(name="Jordan Reyes", credentials="LCSW", licence_number="MT-1234"),
        )
        rng = random.Random(7)
        add_synthetic_notes(session, ana, today - timedelta(days=900), rng, notes=250, today=today)
        add_synthetic_clinical_data(session, ana, today - timedelta(days=900), rng, today=today)
        add_task(
            session,
            TaskInput("Renew release of information", today - timedelta(days=3), client_id=earl),
        )
        create_draft(
            session,
            NoteInput(
                client_id=earl,
                session_date=today - timedelta(days=5),
                template_key="dap",
                sections={"data": "Discussed the zebrafinch aviary & <script> plans."},
            ),
        )
    folder = vault.folder
    vault.lock()
    return folder, TEST_PASSPHRASE, {"ana": ana, "bjorn": bjorn, "earl": earl}


@pytest.fixture
def notes_vault(_notes_vault_template, tmp_path):
    """A locked vault: three clients, a practitioner profile, Ana with many synthetic
    notes (signed, drafts, addenda), diagnoses, an overdue task and an unsigned note.

    Returns (folder, passphrase, {"ana": id, "earl": id, "bjorn": id}).
    """
    import shutil

    folder, passphrase, ids = _notes_vault_template
    copy = tmp_path / "notes_vault"
    shutil.copytree(folder, copy)
    return copy, passphrase, ids


def unlock(qtbot, controller, folder, passphrase):
    """Unlock ``folder`` through the dialog and wait for the main window's first loads."""
    if controller.unlock_dialog is None:
        controller.start(folder)
    dialog = controller.unlock_dialog
    dialog.passphrase.setText(passphrase)
    with qtbot.waitSignal(controller.unlocked, timeout=10_000):
        dialog.attempt()
    window = controller.main_window
    qtbot.waitUntil(lambda: window.clients.model.rowCount() > 0 and controller.runner.idle())
    return window

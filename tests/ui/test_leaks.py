"""Distinctive strings through every feature, then every file the run could write is
searched for them: zero hits, and nothing of them left on the clipboard after lock.

The strings go in as a client's names and address, a note's sections and its
psychotherapy note, a collaborator; they are searched for, printed into a session
summary (PDF bytes in memory), exported to an encrypted archive and backed up; then the
app itself opens the vault offscreen, shows the client, searches, copies and locks.
Searched afterwards, as UTF-8 and UTF-16-LE, as typed and lower-cased (the full-text
index folds case): the vault folder and its backups, the export folder, a temp folder
made for this run (TMPDIR), the Qt settings folder and Qt's test-mode standard paths.
"""

from __future__ import annotations

import io
import secrets
import shutil
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.reports.make import ReportRequest, make_report
from mhsw_desktop.services import notes
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.collaborators import CollaboratorInput, add_collaborator
from mhsw_desktop.services.open_export import export_vault
from mhsw_desktop.services.search import search
from mhsw_desktop.vault import backup, kdf
from mhsw_desktop.vault.vault import Vault
from tests.conftest import TEST_PASSPHRASE
from tests.ui.conftest import unlock

TOKEN = secrets.token_hex(5).upper()
MARKERS = {
    field: f"ZQXLEAK{field}{TOKEN}"
    for field in ("FIRST", "LAST", "ADDRESS", "NOTE", "PRIVATE", "COLLAB", "SEARCH")
}
ARCHIVE_PASSWORD = "quarry lantern fennel 58 osprey"


def forms(marker: str) -> list[bytes]:
    return [
        text.encode(encoding)
        for text in (marker, marker.lower())
        for encoding in ("utf-8", "utf-16-le")
    ]


def readable(path: Path, since: float | None) -> bytes | None:
    """A regular file's bytes (None for links, folders, files gone or older than ``since``)."""
    try:
        fresh = since is None or path.lstat().st_mtime >= since
        return path.read_bytes() if fresh and path.is_file() and not path.is_symlink() else None
    except OSError:  # gone meanwhile, or not ours to read
        return None


def hits(root: Path, since: float | None = None, skip: Path | None = None) -> list[str]:
    """Files under ``root`` holding any marker in any form (only files changed since
    ``since``, and none under ``skip``)."""
    found = []
    for path in root.rglob("*"):
        data = None if skip and path.is_relative_to(skip) else readable(path, since)
        if data:
            found += [f"{path}: {m}" for m in MARKERS.values() if any(f in data for f in forms(m))]
    return found


@pytest.fixture
def run_tmpdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty temp folder for this run: any temp file written would land (and be found) here."""
    temp = tmp_path / "tmp"
    temp.mkdir()
    for name in ("TMPDIR", "TEMP", "TMP", "SQLITE_TMPDIR"):
        monkeypatch.setenv(name, str(temp))
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    return temp


def qt_standard_folders() -> list[Path]:
    kinds = (
        QStandardPaths.StandardLocation.AppConfigLocation,
        QStandardPaths.StandardLocation.AppDataLocation,
        QStandardPaths.StandardLocation.CacheLocation,
        QStandardPaths.StandardLocation.GenericConfigLocation,
        QStandardPaths.StandardLocation.GenericCacheLocation,
        QStandardPaths.StandardLocation.GenericDataLocation,
    )
    folders = {Path(QStandardPaths.writableLocation(kind)) for kind in kinds}
    return sorted(folder for folder in folders if folder.is_dir())


def test_nothing_typed_reaches_a_file_or_the_clipboard(
    qtbot, controller, vault_factory, isolated_settings, run_tmpdir, tmp_path, tmp_path_factory
):
    started = time.time() - 2  # file systems with coarse timestamps
    assert QStandardPaths.isTestModeEnabled()
    vault, _recovery = vault_factory()
    folder = vault.folder
    day = date.today() - timedelta(days=1)
    with vault.unit_of_work() as session:
        client = add_client(
            session,
            ClientInput(
                MARKERS["FIRST"], MARKERS["LAST"], date(1980, 5, 4),
                address=f"{MARKERS['ADDRESS']} Road", important_to_know=MARKERS["ADDRESS"],
            ),
        )  # fmt: skip
        note = notes.create_draft(
            session,
            notes.NoteInput(
                client, day, "soap",
                {"subjective": f"Said {MARKERS['NOTE']} twice.", "plan": MARKERS["SEARCH"]},
                psychotherapy_note=MARKERS["PRIVATE"],
            ),
        )  # fmt: skip
        add_collaborator(session, CollaboratorInput(name=MARKERS["COLLAB"]))
    with vault.session() as session:
        assert [h.ref_id for h in search(session, MARKERS["SEARCH"])] == [note]
        assert search(session, MARKERS["PRIVATE"], include_private=True)
        pdf = make_report(session, ReportRequest("session-summary", client, note))
    printed = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert MARKERS["NOTE"] in printed and MARKERS["LAST"] in printed  # it did carry them
    exports = tmp_path / "exports"
    exports.mkdir()
    archive = export_vault(vault, exports, password=ARCHIVE_PASSWORD, params=kdf.minimum_params())
    assert archive.encrypted and archive.path.is_file()
    backup.back_up(vault)
    vault.lock()

    # The app: unlock, show the client, search, copy the name, lock.
    window = unlock(qtbot, controller, folder, TEST_PASSPHRASE)
    qtbot.addWidget(window)
    window.show_client(client)
    qtbot.waitUntil(lambda: MARKERS["LAST"] in window.client_view.name.text(), timeout=5_000)
    window.show_view(window.search)
    window.search.query.setText(MARKERS["SEARCH"])
    qtbot.waitUntil(lambda: window.search.results.rowCount() == 1, timeout=5_000)
    window.show_view(window.clients)
    QApplication.clipboard().clear()
    window.activateWindow()
    window.clients.table.selectRow(0)
    window.clients.table.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWindow() is not None)
    qtbot.keyClick(window.clients.table, Qt.Key.Key_C, Qt.KeyboardModifier.ControlModifier)
    assert MARKERS["LAST"] in QApplication.clipboard().text()
    window.actions_by_id["lock"].trigger()
    qtbot.waitUntil(lambda: controller.vault is None and controller.runner.idle())
    controller.settings.sync()

    # The search finds what it should: a plaintext export, and text as UTF-16 or folded.
    control = tmp_path / "control"
    control.mkdir()
    with Vault.open(folder, TEST_PASSPHRASE) as reopened:
        export_vault(reopened, control, formats=("csv",))
    (control / "utf16").write_bytes(MARKERS["COLLAB"].lower().encode("utf-16-le"))
    found = hits(control)
    assert any(MARKERS["LAST"] in h for h in found) and any("utf16" in h for h in found)
    shutil.rmtree(control)

    assert QApplication.clipboard().text() == ""
    if QApplication.clipboard().supportsSelection():
        assert QApplication.clipboard().text(QApplication.clipboard().Mode.Selection) == ""
    scanned = [folder, exports, run_tmpdir, isolated_settings]
    assert {"backups", "vault.db", "vault.key"} <= {p.name for p in folder.iterdir()}
    assert any((folder / "backups").iterdir()), "a backup was made and scanned"
    for root in scanned:
        assert hits(root) == [], root
    for root in qt_standard_folders():
        assert hits(root, since=started) == [], root
    # A library that ignored TMPDIR would have written to the system's temp folder (the
    # test runs' own folders, where pytest keeps this test's files, are left out).
    system_temp = Path("/tmp")  # where such a library would write on POSIX
    if system_temp.is_dir():
        base = tmp_path_factory.getbasetemp().parent
        assert hits(system_temp, since=started, skip=base) == []

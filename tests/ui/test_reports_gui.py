"""Reports in the GUI: the preview and its pages, saving as PDF (with a password),
printing, the psychotherapy box, closing on lock, and the print actions."""

from __future__ import annotations

import io
import os
import stat
import tempfile
from datetime import date

import pytest
import shiboken6
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox, QPushButton

from mhsw_desktop.ui.report_preview import (
    ReportPreviewDialog,
    cloud_service,
    pages_to_print,
)
from tests.ui.conftest import sample_client, unlock

NOTE_TEXT = "Walked to the lighthouse and named three worries"
PRIVATE_TEXT = "Process impressions: the zeppelin dream returns"
OTHER_TEXT = "Reviewed the bus timetable for the clinic"
OLDER_TEXT = "First visit: talked about the allotment garden"


@pytest.fixture
def report_vault(vault_factory):
    """A locked vault: Ana with today's note (and a psychotherapy note) and an older one,
    Bjørn with today's note, Earl with none. Returns (folder, passphrase, ids)."""
    from datetime import timedelta

    from mhsw_desktop.services.clients import add_client
    from mhsw_desktop.services.notes import NoteInput, create_draft
    from tests.conftest import TEST_PASSPHRASE

    vault, _recovery = vault_factory("reports")
    today = date.today()
    with vault.unit_of_work() as session:
        ana = add_client(session, sample_client())
        bjorn = add_client(session, sample_client("Bjørn", "Østergaard", date(1970, 1, 2)))
        earl = add_client(session, sample_client("Earl", "Pruitt", date(1950, 6, 7)))
        note = create_draft(
            session,
            NoteInput(
                client_id=ana,
                session_date=today,
                template_key="dap",
                sections={"data": NOTE_TEXT, "assessment": "Calmer than last week."},
                psychotherapy_note=PRIVATE_TEXT,
            ),
        )
        older = create_draft(
            session,
            NoteInput(
                client_id=ana,
                session_date=today - timedelta(days=14),
                template_key="dap",
                sections={"data": OLDER_TEXT},
            ),
        )
        create_draft(
            session,
            NoteInput(
                client_id=bjorn,
                session_date=today,
                template_key="dap",
                sections={"data": OTHER_TEXT},
            ),
        )
    folder = vault.folder
    vault.lock()
    ids = {"ana": ana, "bjorn": bjorn, "earl": earl, "note": note, "older": older}
    return folder, TEST_PASSPHRASE, ids


def previews(window=None):
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, ReportPreviewDialog) and w.isVisible()
    ]


def wait_preview(qtbot):
    qtbot.waitUntil(lambda: len(previews()) == 1, timeout=15_000)
    dialog = previews()[0]
    qtbot.waitUntil(lambda: dialog.page_count > 0 and dialog.print_button.isEnabled())
    return dialog


def text_of(data: bytes, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(data))
    if password is not None:
        reader.decrypt(password)
    return "\n".join(page.extract_text() for page in reader.pages)


def open_client_summary(qtbot, controller, report_vault):
    folder, passphrase, ids = report_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.show_client(ids["ana"])
    qtbot.waitUntil(lambda: window.client_view.timeline.rowCount() == 2)
    window.actions_by_id["print_summary"].trigger()
    return window, wait_preview(qtbot)


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """Python's and Qt's temp folder, empty: a test can check that nothing lands there."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setenv("TMPDIR", str(folder))
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def choose_file(monkeypatch, path):
    asked = []

    def fake(parent, caption, start, filters):
        asked.append(start)
        return str(path), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake))
    return asked


def test_summary_preview_and_save_as_pdf(
    qtbot, controller, report_vault, tmp_path, monkeypatch, private_tmp
):
    _window, dialog = open_client_summary(qtbot, controller, report_vault)
    assert dialog.windowTitle() == "Session summary — preview"
    assert "González" not in dialog.windowTitle()
    pages = len(PdfReader(io.BytesIO(dialog._pdf)).pages)
    assert dialog.page_count == pages >= 1
    assert dialog.page_number.text() == f"Page 1 of {pages}"
    assert not dialog.page_view.pixmap().isNull()
    assert not dialog.private.isChecked() and dialog.private.isVisible()
    assert OLDER_TEXT not in text_of(dialog._pdf)  # nothing selected: the latest note

    out_dir = tmp_path / "out"
    out_dir.mkdir()
    target = out_dir / "summary.pdf"
    asked = choose_file(monkeypatch, target)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Saved to" in dialog.status.text())
    assert asked[0].endswith(f"session-summary-{date.today().isoformat()}.pdf")
    assert "González" not in asked[0]
    assert str(target) in dialog.status.text()
    assert os.listdir(out_dir) == ["summary.pdf"]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    text = text_of(target.read_bytes())
    assert "González" in text and NOTE_TEXT in text
    assert PRIVATE_TEXT not in text
    assert list(private_tmp.iterdir()) == []
    # opening the client and saving the report are in the audit log, without any text
    from mhsw_desktop.services.audit import list_entries

    ana = report_vault[2]["ana"]
    with controller.runner.vault.session() as session:
        mine = [(e.action, e.object_type, e.detail) for e in list_entries(session, client_id=ana)]
    assert ("view", "clients", "") in mine
    assert mine[-1] == ("export", "report", "session-summary, 1 page, saved as PDF")


def test_save_with_a_password(qtbot, controller, report_vault, tmp_path, monkeypatch):
    _window, dialog = open_client_summary(qtbot, controller, report_vault)
    target = tmp_path / "protected.pdf"
    choose_file(monkeypatch, target)
    dialog.protect.setChecked(True)
    assert dialog.password_row.isVisible()
    # too short, then not the same twice: said plainly, nothing asked or written
    dialog.password.setText("short")
    dialog.repeat.setText("short")
    dialog.save_button.click()
    assert "at least 10 characters" in dialog.error.text()
    dialog.password.setText("harbour lamp 2291")
    dialog.repeat.setText("harbour lamp 2219")
    dialog.save_button.click()
    assert "not the same" in dialog.error.text()
    assert not target.exists()
    dialog.repeat.setText("harbour lamp 2291")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "password-protected" in dialog.status.text())
    assert dialog.error.text() == ""
    assert dialog.password.text() == "" and dialog.repeat.text() == ""

    data = target.read_bytes()
    assert NOTE_TEXT.encode() not in data
    reader = PdfReader(io.BytesIO(data))
    assert reader.is_encrypted
    assert not reader.decrypt("wrong password 123")
    from pypdf.errors import FileNotDecryptedError

    with pytest.raises(FileNotDecryptedError):
        PdfReader(io.BytesIO(data)).pages[0].extract_text()
    assert NOTE_TEXT in text_of(data, "harbour lamp 2291")


def test_save_to_a_folder_that_cannot_be_written(
    qtbot, controller, report_vault, tmp_path, monkeypatch
):
    _window, dialog = open_client_summary(qtbot, controller, report_vault)
    choose_file(monkeypatch, tmp_path / "no such folder" / "summary")
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.error.text() != "")
    message = dialog.error.text()
    assert "Could not save" in message and "summary.pdf" in message
    assert "Nothing was written" in message and "Traceback" not in message
    assert dialog.error.textFormat() == Qt.TextFormat.PlainText
    assert dialog.save_button.isEnabled()


def test_saving_into_a_synced_folder_asks_first(
    qtbot, controller, report_vault, tmp_path, monkeypatch
):
    _window, dialog = open_client_summary(qtbot, controller, report_vault)
    folder = tmp_path / "Dropbox"
    folder.mkdir()
    choose_file(monkeypatch, folder / "summary.pdf")
    dialog.save_button.click()
    box = dialog.findChild(QMessageBox)
    assert box is not None and "Dropbox" in box.text()
    box.buttons()[[b.text() for b in box.buttons()].index("&Choose another folder")].click()
    assert not (folder / "summary.pdf").exists()
    dialog.save_button.click()
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox) is not None)
    box = next(b for b in dialog.findChildren(QMessageBox) if b.isVisible())
    next(b for b in box.buttons() if b.text() == "Save &there").click()
    qtbot.waitUntil(lambda: (folder / "summary.pdf").exists())


def test_psychotherapy_notes_only_when_ticked_in_this_copy(qtbot, controller, report_vault):
    window, dialog = open_client_summary(qtbot, controller, report_vault)
    assert PRIVATE_TEXT not in text_of(dialog._pdf)
    before = dialog._pdf
    dialog.private.setChecked(True)
    qtbot.waitUntil(lambda: dialog._pdf is not None and dialog._pdf != before)
    assert dialog.request.include_psychotherapy
    assert PRIVATE_TEXT in text_of(dialog._pdf)
    assert "psychotherapy notes included" in dialog.status.text()
    dialog.private.setChecked(False)
    qtbot.waitUntil(lambda: not dialog.request.include_psychotherapy)
    qtbot.waitUntil(lambda: dialog.print_button.isEnabled())
    assert PRIVATE_TEXT not in text_of(dialog._pdf)
    # ticked, closed, opened again: unticked again
    dialog.private.setChecked(True)
    qtbot.waitUntil(lambda: dialog.request.include_psychotherapy and dialog.page_count)
    dialog.close()
    window.actions_by_id["print_summary"].trigger()
    again = wait_preview(qtbot)
    assert again is not dialog
    assert not again.private.isChecked() and not again.request.include_psychotherapy
    assert PRIVATE_TEXT not in text_of(again._pdf)


def test_print_all_pages_and_the_current_page(
    qtbot, controller, report_vault, tmp_path, monkeypatch
):
    from PySide6.QtPrintSupport import QPrintDialog, QPrinter

    folder, passphrase, _ids = report_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.actions_by_id["print_today"].trigger()
    dialog = wait_preview(qtbot)
    assert dialog.windowTitle() == "Today's session summaries — preview"
    text = text_of(dialog._pdf)
    assert NOTE_TEXT in text and OTHER_TEXT in text and OLDER_TEXT not in text
    pages = dialog.page_count
    assert pages >= 2

    chosen = {"range": QPrinter.PrintRange.AllPages}
    made: list = []

    def fake_exec(self):
        printer = self.printer()
        made.append(printer)
        out = tmp_path / f"printed-{len(made)}.pdf"
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(out))
        printer.setPrintRange(chosen["range"])
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", fake_exec)
    dialog.print_button.click()
    qtbot.waitUntil(lambda: "Sent" in dialog.status.text())
    printed = PdfReader(tmp_path / "printed-1.pdf")
    assert len(printed.pages) == pages
    assert "Today" in made[0].docName() and "González" not in made[0].docName()
    assert made[0].resolution() >= 300

    dialog.go_to(1)
    chosen["range"] = QPrinter.PrintRange.CurrentPage
    dialog.print_button.click()
    qtbot.waitUntil(
        lambda: (tmp_path / "printed-2.pdf").exists() and dialog.print_button.isEnabled()
    )
    assert len(PdfReader(tmp_path / "printed-2.pdf").pages) == 1
    assert "Sent 1 page to the printer." in dialog.status.text()
    # each printing is in the audit log, by kind and size
    from mhsw_desktop.services.audit import list_entries

    qtbot.waitUntil(controller.runner.idle)
    with controller.runner.vault.session() as session:
        prints = [e.detail for e in list_entries(session, action="print")]
    assert prints[-1] == "session-summary, 1 page, printed" and len(prints) == 2


def test_pages_and_zoom_from_the_keyboard(qtbot, controller, report_vault):
    folder, passphrase, _ids = report_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.actions_by_id["print_today"].trigger()
    dialog = wait_preview(qtbot)
    assert dialog.zoom_label.text().startswith("Fit width")
    width = dialog.page_view.pixmap().width()
    qtbot.keyClick(dialog.page_area, Qt.Key.Key_PageDown)
    assert dialog.current_page == 1
    assert dialog.page_number.text() == f"Page 2 of {dialog.page_count}"
    qtbot.keyClick(dialog.page_area, Qt.Key.Key_PageUp)
    assert dialog.current_page == 0
    assert not dialog.actions_by_id["previous_page"].isEnabled()
    qtbot.keyClick(dialog.page_area, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert dialog.zoom_label.text().endswith("%") and "Fit" not in dialog.zoom_label.text()
    assert dialog.page_view.pixmap().width() > width
    qtbot.keyClick(dialog.page_area, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(dialog.page_area, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert dialog.page_view.pixmap().width() < width
    qtbot.keyClick(dialog.page_area, Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert dialog.zoom_label.text().startswith("Fit width")
    assert dialog.page_view.pixmap().width() == width


def test_the_preview_closes_and_forgets_the_pdf_on_lock(qtbot, controller, report_vault):
    _window, dialog = open_client_summary(qtbot, controller, report_vault)
    dialog.private.setChecked(True)  # a regeneration under way when the lock comes
    with qtbot.waitSignal(controller.locked):
        controller.lock()
    assert previews() == []
    assert dialog._pdf is None and dialog._pages is None
    if shiboken6.isValid(dialog):
        assert not dialog.isVisible()


def test_print_today_with_no_notes_says_so(qtbot, controller, filled_vault):
    folder, passphrase, _recovery = filled_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.actions_by_id["print_today"].trigger()

    def box():
        found = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
        return found[0] if found else None

    qtbot.waitUntil(lambda: box() is not None)
    assert "no session notes dated" in box().text()
    assert previews() == []


def test_print_actions_follow_the_client_selection(qtbot, controller, report_vault):
    folder, passphrase, ids = report_vault
    window = unlock(qtbot, controller, folder, passphrase)
    act = window.actions_by_id
    per_client = (
        "print_summary",
        "print_face_sheet",
        "print_record",
        "print_measures",
        "print_treatment_plan",
        "print_safety_plan",
        "print_wallet_card",
        "print_disclosures",
    )
    window.clients.table.clearSelection()
    window.clients.table.setCurrentIndex(window.clients.proxy.index(-1, -1))
    window._selection_changed(False)
    assert not any(act[a].isEnabled() for a in per_client)
    assert act["print_today"].isEnabled() and act["print_caseload"].isEnabled()
    assert act["print_summary"].shortcut().toString() == "Ctrl+P"
    file_menu = window.menuBar().actions()[0].menu()
    assert {a.objectName() for a in file_menu.actions()} >= {
        f"action_{a}" for a in (*per_client, "print_today", "print_caseload")
    }
    window.clients.select_id(ids["earl"])
    assert all(act[a].isEnabled() for a in per_client)
    window.show_client(ids["ana"])
    qtbot.waitUntil(lambda: window.client_view.print_button.isEnabled())
    menu = window.client_view.print_menu
    in_menu = [a.objectName() for a in menu.actions()]
    # every per-client print is there, in this order (later features add theirs)
    assert [n for n in in_menu if n.removeprefix("action_") in per_client] == [
        f"action_{a}" for a in per_client
    ]
    assert in_menu[0] == "action_print_summary"
    assert act["print_summary"] in window.client_view.table.actions()
    controller.lock()
    assert not any(act[a].isEnabled() for a in (*per_client, "print_today", "print_caseload"))


def test_face_sheet_record_and_caseload_open(qtbot, controller, report_vault):
    folder, passphrase, ids = report_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.show_client(ids["ana"])
    qtbot.waitUntil(lambda: window.client_view.timeline.rowCount() == 2)
    expected = {
        "print_face_sheet": ("Face sheet — preview", False),
        "print_record": ("Full record — preview", True),
        "print_caseload": ("Caseload list — preview", False),
        "print_disclosures": ("Accounting of disclosures — preview", False),
        "print_measures": ("Measures history — preview", False),
    }
    for action_id, (title, private) in expected.items():
        window.actions_by_id[action_id].trigger()
        dialog = wait_preview(qtbot)
        assert dialog.windowTitle() == title
        assert dialog.private.isVisibleTo(dialog) is private
        assert dialog.page_count == len(PdfReader(io.BytesIO(dialog._pdf)).pages)
        if action_id == "print_record":
            assert NOTE_TEXT in text_of(dialog._pdf)
            assert PRIVATE_TEXT not in text_of(dialog._pdf)
        if action_id == "print_caseload":
            assert "Østergaard" in text_of(dialog._pdf)
        if action_id == "print_measures":
            assert "No measures have been recorded" in text_of(dialog._pdf)
        if action_id == "print_disclosures":
            assert "No disclosures have been recorded" in text_of(dialog._pdf)
            assert not dialog.recipient_row.isVisibleTo(dialog)
        dialog.close()
        qtbot.waitUntil(lambda: previews() == [])


def test_record_progress_and_cancel(qtbot, controller, notes_vault, monkeypatch):
    import threading

    from mhsw_desktop.ui.report_preview import ProgressRelay

    seen: list[tuple[int, int]] = []
    gate = threading.Event()
    original_progressed = ReportPreviewDialog._progressed
    original_call = ProgressRelay.__call__

    def spy(self, generation, done, total):
        seen.append((done, total))
        original_progressed(self, generation, done, total)

    def held(self, done, total):
        original_call(self, done, total)
        if done == 2:  # the worker waits here until the test has looked
            gate.wait(20)

    monkeypatch.setattr(ReportPreviewDialog, "_progressed", spy)
    monkeypatch.setattr(ProgressRelay, "__call__", held)
    folder, passphrase, ids = notes_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.clients.select_id(ids["ana"])
    problems: list[str] = []
    window.actions_by_id["print_record"].trigger()
    dialog = window.findChild(ReportPreviewDialog)
    dialog.problem.connect(problems.append)
    try:
        qtbot.waitUntil(lambda: len(seen) >= 2, timeout=20_000)
        progress = dialog._progress
        qtbot.waitUntil(progress.isVisible)  # after 0.4 s
        assert progress.maximum() == seen[-1][1] >= 200  # Ana's notes
        assert progress.value() == 2
        assert progress.windowTitle() == "Full record"
        cancel = next(
            b for b in progress.findChildren(QPushButton) if b.accessibleName().startswith("Cancel")
        )
        with qtbot.waitSignal(dialog.finished):
            cancel.click()
    finally:
        gate.set()
    qtbot.waitUntil(controller.runner.idle, timeout=20_000)
    assert previews() == [] and problems == []


def test_note_editor_prints_its_note(qtbot, controller, report_vault):
    from mhsw_desktop.ui.note_editor import NoteEditor

    folder, passphrase, ids = report_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.open_note(ids["note"])
    qtbot.waitUntil(lambda: window.findChild(NoteEditor) is not None)
    editor = window.findChild(NoteEditor)
    qtbot.waitUntil(editor.isVisible)
    assert editor.print_button.accessibleName() == "Print session summary"
    editor.print_button.click()
    dialog = wait_preview(qtbot)
    assert dialog.request.note_id == ids["note"]
    assert NOTE_TEXT in text_of(dialog._pdf)
    dialog.close()
    qtbot.waitUntil(lambda: previews() == [])
    with qtbot.waitActive(editor):
        editor.activateWindow()
    qtbot.keyClick(editor, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    assert wait_preview(qtbot).request.note_id == ids["note"]
    editor.discard()


def test_ctrl_p_prints_the_note_selected_in_the_timeline(qtbot, controller, report_vault):
    folder, passphrase, ids = report_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.show_client(ids["ana"])
    view = window.client_view
    qtbot.waitUntil(lambda: view.timeline.rowCount() == 2)
    view.table.selectRow(view.timeline.row_of(ids["older"]))
    assert view.selected_note_id() == ids["older"]
    with qtbot.waitActive(window):
        window.activateWindow()
    qtbot.keyClick(view.table, Qt.Key.Key_P, Qt.KeyboardModifier.ControlModifier)
    dialog = wait_preview(qtbot)
    assert dialog.request.note_id == ids["older"]
    text = text_of(dialog._pdf)
    assert OLDER_TEXT in text and NOTE_TEXT not in text


def test_preview_widgets_have_accessible_names(qtbot, controller, report_vault):
    from tests.ui.test_accessibility import unnamed

    _window, dialog = open_client_summary(qtbot, controller, report_vault)
    dialog.protect.setChecked(True)
    assert unnamed(dialog) == []


@pytest.mark.parametrize(
    ("path", "service"),
    [
        ("/home/a/Dropbox/reports/x.pdf", "Dropbox"),
        ("/home/a/OneDrive - Valley Clinic/x.pdf", "OneDrive"),
        ("/Users/a/Library/Mobile Documents/com~apple~CloudDocs/x.pdf", "iCloud Drive"),
        ("/Volumes/GoogleDrive/My Drive/x.pdf", "Google Drive"),
        ("/home/a/Documents/x.pdf", None),
        ("/home/a/Documents/dropbox-notes.pdf", None),
    ],
)
def test_cloud_folders(path, service):
    from pathlib import PurePosixPath

    assert cloud_service(PurePosixPath(path)) == service  # type: ignore[arg-type]


def test_pages_to_print():
    from PySide6.QtGui import QPageRanges

    ranges = QPageRanges()
    ranges.addRange(2, 3)
    ranges.addPage(9)
    assert pages_to_print(5, 0, mode="all") == [0, 1, 2, 3, 4]
    assert pages_to_print(5, 3, mode="current") == [3]
    assert pages_to_print(5, 0, mode="range", ranges=ranges) == [1, 2]
    assert pages_to_print(5, 0, mode="range", ranges=QPageRanges()) == [0, 1, 2, 3, 4]
    assert pages_to_print(3, 0, mode="all", last_first=True) == [2, 1, 0]


def test_saving_leaves_no_folder_in_the_file_dialogs_history(
    qtbot, controller, report_vault, tmp_path
):
    """Qt's file dialog writes the folders it visited into QtProject's settings (a plain
    file, or the registry) when it closes; a folder named after a client must not stay."""
    from PySide6.QtCore import QSettings, QTimer

    _window, dialog = open_client_summary(qtbot, controller, report_vault)
    qt_settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    qt_settings.setValue("FileDialog/history", ["file:///home/someone/Pictures"])
    qt_settings.remove("FileDialog/lastVisited")
    qt_settings.sync()
    folder = tmp_path / "Ana González"
    folder.mkdir()

    def answer() -> None:
        shown = [w for w in QApplication.topLevelWidgets() if isinstance(w, QFileDialog)]
        shown = [w for w in shown if w.isVisible()]
        if not shown:
            QTimer.singleShot(50, answer)
            return
        shown[0].selectFile(str(folder / "summary.pdf"))
        shown[0].accept()

    QTimer.singleShot(50, answer)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "Saved to" in dialog.status.text())
    assert [saved.suffix for saved in folder.iterdir()] == [".pdf"]
    qt_settings = QSettings(QSettings.Scope.UserScope, "QtProject")
    remembered = [qt_settings.value(f"FileDialog/{key}") for key in ("history", "lastVisited")]
    assert "Gonz" not in repr(remembered) and str(tmp_path) not in repr(remembered)
    # what other programs' dialogs remembered is left as it was
    assert remembered == [["file:///home/someone/Pictures"], None]
    qt_settings.remove("FileDialog/history")


def test_a_preview_closes_when_its_note_is_marked_entered_in_error_elsewhere(
    qtbot, controller, report_vault
):
    """A preview left open must not print what may no longer print: its note marked
    entered in error in another window, the pages go and the preview says why."""
    from mhsw_desktop.services import notes

    folder, passphrase, ids = report_vault
    window = unlock(qtbot, controller, folder, passphrase)
    window.print_note(ids["ana"], ids["note"])
    dialog = wait_preview(qtbot)
    problems: list[str] = []
    dialog.problem.connect(problems.append)
    assert NOTE_TEXT in text_of(dialog._pdf)
    controller.runner.query(
        lambda s: notes.mark_entered_in_error(s, ids["note"], "Wrong client's chart."),
        changes="notes",
    )
    qtbot.waitUntil(lambda: previews() == [], timeout=10_000)
    assert dialog._pdf is None and dialog._pages is None
    assert problems and "entered in error" in problems[0]


def test_a_copy_for_a_collaborator_is_checked_labelled_and_recorded(
    qtbot, controller, report_vault, tmp_path, monkeypatch
):
    """ "Copy for" offers the client's care team; without a covering release the copy is
    refused and the practice's own copy stays; with one, saving records a disclosure."""
    from datetime import timedelta

    from mhsw_desktop.domain.care_team import Category
    from mhsw_desktop.services.care_team import (
        TeamMemberInput,
        add_team_member,
        list_disclosures,
    )
    from mhsw_desktop.services.collaborators import CollaboratorInput, add_collaborator
    from mhsw_desktop.services.releases import ReleaseInput, add_release
    from mhsw_desktop.vault.vault import Vault

    folder, passphrase, ids = report_vault
    vault = Vault.open(folder, passphrase)
    with vault, vault.unit_of_work() as session:
        doctor = add_collaborator(
            session, CollaboratorInput("Tomasz Oduya", credentials="MD", phone="(802) 555-0177")
        )
        add_team_member(session, ids["ana"], TeamMemberInput(doctor))
    _window, dialog = open_client_summary(qtbot, controller, report_vault)
    qtbot.waitUntil(lambda: dialog.recipient_row.isVisible())
    assert dialog.recipient.count() == 2 and dialog.recipient.currentData() is None
    own = dialog._pdf

    dialog.recipient.setCurrentIndex(1)
    dialog.recipient.activated.emit(1)
    qtbot.waitUntil(lambda: dialog.error.isVisible() and not dialog._busy)
    assert "Nothing was shared" in dialog.error.text()
    assert dialog._pdf == own and dialog.recipient.currentData() is None  # still its own copy

    def grant(session):
        add_release(
            session, ids["ana"],
            ReleaseInput(doctor, (Category.ATTENDANCE, Category.PROGRESS_SUMMARIES),
                         "Medication review", date.today() - timedelta(days=1),
                         expiry_date=date.today() + timedelta(days=90)),
        )  # fmt: skip

    done = []
    controller.runner.query(grant, done.append, changes="releases")
    qtbot.waitUntil(lambda: bool(done))
    dialog.recipient.setCurrentIndex(1)
    dialog.recipient.activated.emit(1)
    qtbot.waitUntil(lambda: dialog.request.for_collaborator == doctor and not dialog._busy)
    assert "Copy for Tomasz Oduya, MD" in text_of(dialog._pdf)

    target = tmp_path / "for-doctor.pdf"
    choose_file(monkeypatch, target)
    dialog.save_button.click()
    qtbot.waitUntil(lambda: "recorded as a disclosure" in dialog.status.text())
    assert "Copy for Tomasz Oduya" in text_of(target.read_bytes())
    found = []
    controller.runner.query(lambda s: list_disclosures(s, ids["ana"]), found.append)
    qtbot.waitUntil(lambda: bool(found))
    (entry,) = found[0]
    assert entry.collaborator_id == doctor and entry.what == "Session summary (1 page)"

"""The report preview: a report's pages shown from memory, printed, or saved as a PDF.

Pages are drawn from the PDF bytes with pypdfium2 one page at a time (QtPdf is not part
of PySide6-Essentials), on the GUI thread only. Nothing is written to disk except the
file the user chooses to save; locking the vault closes the preview and drops the PDF.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
import threading
from collections.abc import Iterator, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import shiboken6
from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QObject,
    QRectF,
    QSettings,
    QSizeF,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QGuiApplication,
    QImage,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop import APP_NAME
from mhsw_desktop.domain.language import languages
from mhsw_desktop.errors import NotFoundError, UserFacingError
from mhsw_desktop.reports import CLIENT_FACING
from mhsw_desktop.reports.make import ReportRequest
from mhsw_desktop.ui.actions import PREVIEW_ACTIONS, accessible_name, build_actions
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import error_label, plain_label

#: the reports' names in titles; source text, translated by :func:`report_title`
KIND_TITLES = {
    "session-summary": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Session summary"),
    "face-sheet": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Face sheet"),
    "record": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Full record"),
    "treatment-plan": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Treatment plan"),
    "safety-plan": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Safety plan (client copy)"),
    "wallet-card": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Safety plan wallet card"),
    "caseload": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Caseload list"),
    "disclosures": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Accounting of disclosures"),
    "measures": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Measures history"),
    "phq9-form": QT_TRANSLATE_NOOP("ReportPreviewDialog", "PHQ-9 form"),
    "gad7-form": QT_TRANSLATE_NOOP("ReportPreviewDialog", "GAD-7 form"),
    "next-steps": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Next-steps sheet"),
    "resources": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Resource list"),
    "treatment-consent-form": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Consent to treatment form"),
    "telehealth-consent-form": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Telehealth consent form"),
    "release-form": QT_TRANSLATE_NOOP("ReportPreviewDialog", "Release of information form"),
}
#: the kinds that can carry psychotherapy (process) notes, when asked in that very copy
PRIVATE_KINDS = frozenset({"session-summary", "record"})
#: the kinds a copy can be made of for a collaborator on the client's care team
SHARED_KINDS = frozenset(
    {"session-summary", "face-sheet", "record", "treatment-plan", "safety-plan"}
)
#: printing never renders finer than this (a 600 dpi page image is 140 MB)
PRINT_DPI = 300
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
#: the largest page image the preview holds, in pixels (about 64 MB)
MAX_PREVIEW_PIXELS = 16_000_000
#: folder names of the common sync clients: saving there puts the file on someone's server
#: (the services' own names, shown as they are)
CLOUD_FOLDERS = {
    "onedrive": "OneDrive",
    "dropbox": "Dropbox",
    "icloud drive": "iCloud Drive",
    "iclouddrive": "iCloud Drive",
    "com~apple~clouddocs": "iCloud Drive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
}

#: the folder last saved into, for this run only (never stored: it is not a setting)
_last_folder: Path | None = None


def report_title(request: ReportRequest) -> str:
    """What the report is called in titles, in the interface's language: never whose it is
    (titles show in taskbars)."""
    if request.kind == "session-summary" and request.day is not None:
        if request.day == date.today():
            return QCoreApplication.translate("ReportPreviewDialog", "Today's session summaries")
        return QCoreApplication.translate(
            "ReportPreviewDialog", "Session summaries of {day}"
        ).format(day=request.day.isoformat())
    if request.kind in KIND_TITLES:
        return QCoreApplication.translate("ReportPreviewDialog", KIND_TITLES[request.kind])
    return QCoreApplication.translate("ReportPreviewDialog", "Report")


def cloud_service(path: Path) -> str | None:
    """The sync service whose folder ``path`` lies in ("OneDrive"), or None."""
    for part in path.parts[:-1]:
        name = part.casefold()
        for marker, service in CLOUD_FOLDERS.items():
            if name == marker or name.startswith(f"{marker} - "):  # "OneDrive - Clinic"
                return service
    return None


@contextlib.contextmanager
def file_dialog_history_kept() -> Iterator[None]:
    """Put Qt's file-dialog settings back as they were once the dialog inside has closed.

    On closing, a QFileDialog writes the folders it visited into the settings it shares
    with every Qt program (QtProject, group FileDialog: history and lastVisited; a plain
    file, or the registry): a folder named after a client would outlive the save there.
    """
    keys = ("FileDialog/history", "FileDialog/lastVisited")
    before = QSettings(QSettings.Scope.UserScope, "QtProject")
    kept = {key: before.value(key) for key in keys}
    del before
    try:
        yield
    finally:
        after = QSettings(QSettings.Scope.UserScope, "QtProject")
        for key, value in kept.items():
            if value is None:
                after.remove(key)
            elif key.endswith("history") and isinstance(value, str):
                # An INI file cannot tell a one-folder list from a string (Linux keeps
                # QtProject.conf as INI): put back the list Qt's dialogs expect.
                after.setValue(key, [value])
            else:
                after.setValue(key, value)
        after.sync()


def _audit_report(
    session: Any, action: str, request: Any, pages: int, how: str,
    languages: tuple[str, ...] = ("en",),
) -> None:  # fmt: skip
    """A report that left the app, in the audit log (its kind, languages and size, never
    its text), worded as ``mhsw report`` words it; the entry is stored, not shown here,
    so it is written as the log writes every entry."""
    from mhsw_desktop.services.audit import record

    count = f"{pages} page{'s' if pages != 1 else ''}"
    spoken = "" if languages == ("en",) else f" in {'+'.join(languages)}"
    record(session, action, object_type="report", client_id=request.client_id,
           detail=f"{request.kind}{spoken}, {count}, {how}")  # fmt: skip


def pages_to_print(
    count: int, current: int, *, mode: str, ranges: Any = None, last_first: bool = False
) -> list[int]:
    """Page indexes (from 0) to print: ``mode`` is "all", "current" or "range"
    (``ranges`` a QPageRanges, pages from 1)."""
    if mode == "current":
        chosen = [current]
    elif mode == "range" and ranges is not None and not ranges.isEmpty():
        chosen = [i for i in range(count) if ranges.contains(i + 1)]
    else:
        chosen = list(range(count))
    return chosen[::-1] if last_first else chosen


class ReportCancelled(Exception):
    """The practitioner cancelled while the report was being made."""


class SaveFailed(UserFacingError):
    """The chosen file could not be written."""


class PdfPages:
    """A PDF held in memory, drawn one page at a time.

    pdfium is not thread-safe: every call happens on the GUI thread.
    """

    def __init__(self, data: bytes) -> None:
        import pypdfium2 as pdfium

        self._doc: Any = pdfium.PdfDocument(data)
        self.count = len(self._doc)
        self._sizes = [tuple(self._doc.get_page_size(i)) for i in range(self.count)]

    def size(self, index: int) -> tuple[float, float]:
        """Width and height of page ``index`` in points (1/72 inch)."""
        width, height = self._sizes[index]
        return float(width), float(height)

    def _bitmap(self, index: int, scale: float) -> Any:
        page = self._doc[index]
        try:
            return page.render(scale=scale, rev_byteorder=True, prefer_bgrx=True)
        finally:
            page.close()

    def render(self, index: int, scale: float) -> QImage:
        """Page ``index`` as an image, ``scale`` pixels per point."""
        bitmap = self._bitmap(index, scale)
        try:
            return _image(bitmap).copy()  # the copy owns its pixels; the bitmap goes
        finally:
            bitmap.close()

    def paint(self, painter: QPainter, index: int, dpi: float, target: QRectF) -> None:
        """Draw page ``index``, rendered at ``dpi``, into ``target`` (no second copy)."""
        bitmap = self._bitmap(index, dpi / 72)
        try:
            painter.drawImage(target, _image(bitmap))
        finally:
            bitmap.close()

    def close(self) -> None:
        self._doc.close()


def _image(bitmap: Any) -> QImage:
    """A QImage over a pypdfium2 bitmap's buffer (valid while the bitmap lives)."""
    formats = {
        "RGBX": QImage.Format.Format_RGBX8888,
        "RGBA": QImage.Format.Format_RGBA8888,
        "RGB": QImage.Format.Format_RGB888,
        "L": QImage.Format.Format_Grayscale8,
    }
    return QImage(bitmap.buffer, bitmap.width, bitmap.height, bitmap.stride, formats[bitmap.mode])


class ProgressRelay(QObject):
    """Called by a report builder on the worker; hands progress to the GUI thread by a
    signal, and stops the build when the practitioner cancels."""

    #: (generation, done, total)
    progressed = Signal(int, int, int)

    def __init__(self, generation: int) -> None:
        super().__init__()
        self.generation = generation
        self._cancelled = threading.Event()

    def cancel(self) -> None:
        self._cancelled.set()

    def __call__(self, done: int, total: int) -> None:
        if self._cancelled.is_set():
            raise ReportCancelled()
        self.progressed.emit(self.generation, done, total)


class ReportPreviewDialog(QDialog):
    """Shows one report; :meth:`start` makes it (on the worker) and shows the dialog
    when the first PDF is ready. If that first attempt fails, :attr:`problem` carries
    the message and the dialog closes without ever showing."""

    #: the report could not be made (plain words for the practitioner)
    problem = Signal(str)

    def __init__(
        self, runner: OperationRunner, request: ReportRequest, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        # psychotherapy notes go in only when chosen in this dialog, every time it opens
        self.request = dataclasses.replace(request, include_psychotherapy=False)
        self.title = report_title(request)
        # never a client's name
        self.setWindowTitle(self.tr("{title} — preview").format(title=self.title))
        self.setObjectName("report_preview")
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.setModal(False)
        self._pdf: bytes | None = None
        #: the finished report the pages come from (its page count goes into a disclosure)
        self._report: Any = None
        self._pages: PdfPages | None = None
        self._page = 0
        self._zoom: float | None = None  # None: fit the width
        self._shown_factor = 1.0
        self._generation = 0
        self._relay: ProgressRelay | None = None
        self._progress: QProgressDialog | None = None
        self._busy = False
        self._discarded = False
        self._printing = False
        self._close_after_print = False
        self._print_dialog: QDialog | None = None
        #: the request last asked for (shown, or being made)
        self._asked = self.request
        #: records changed during a print run: make the report again once it ends
        self._stale = False

        self.actions_by_id = build_actions(self, PREVIEW_ACTIONS)
        act = self.actions_by_id
        for action in act.values():
            self.addAction(action)
        act["previous_page"].triggered.connect(lambda: self.go_to(self._page - 1))
        act["next_page"].triggered.connect(lambda: self.go_to(self._page + 1))
        act["zoom_in"].triggered.connect(lambda: self.zoom_by(+1))
        act["zoom_out"].triggered.connect(lambda: self.zoom_by(-1))
        act["fit_width"].triggered.connect(self.fit_width)

        # -- the page, with navigation and zoom above it ----------------------------------
        nav = QHBoxLayout()
        for action_id in ("previous_page", "next_page"):
            nav.addWidget(self._tool_button(action_id))
        self.page_number = plain_label("", self)
        self.page_number.setAccessibleName(self.tr("Page number"))
        nav.addWidget(self.page_number)
        nav.addStretch(1)
        for action_id in ("zoom_out", "zoom_in", "fit_width"):
            nav.addWidget(self._tool_button(action_id))
        self.zoom_label = plain_label("", self)
        self.zoom_label.setAccessibleName(self.tr("Zoom"))
        widest = self._zoom_words(1.0, fitted=True)
        self.zoom_label.setMinimumWidth(self.fontMetrics().horizontalAdvance(widest))
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        nav.addWidget(self.zoom_label)

        self.page_view = QLabel(self)
        self.page_view.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.page_view.setAccessibleName(self.tr("Report page"))
        self.page_area = QScrollArea(self)
        self.page_area.setObjectName("report_page")
        self.page_area.setAccessibleName(self.tr("Report page"))
        self.page_area.setWidget(self.page_view)
        self.page_area.setWidgetResizable(True)
        self.page_area.setBackgroundRole(QPalette.ColorRole.Dark)
        self.page_area.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOn)
        self.page_view.setBackgroundRole(QPalette.ColorRole.Dark)
        self.page_view.setAutoFillBackground(True)
        self.page_view.setMargin(self._gap())
        self.page_area.viewport().installEventFilter(self)
        self._rerender = QTimer(self)
        self._rerender.setSingleShot(True)
        self._rerender.setInterval(60)
        self._rerender.timeout.connect(self._show_page)

        # -- options ------------------------------------------------------------------
        self.private = QCheckBox(
            self.tr("Include ps&ychotherapy (process) notes in this copy"), self
        )
        self.private.setAccessibleName(
            self.tr("Include psychotherapy (process) notes in this copy")
        )
        self.private.setToolTip(
            self.tr(
                "Psychotherapy notes are kept apart from the record. They go into this copy "
                "only, and only while this box is ticked."
            )
        )
        self.private.setVisible(self.request.kind in PRIVATE_KINDS)
        self.private.toggled.connect(self._private_toggled)

        self.recipient = QComboBox(self)
        self.recipient.setAccessibleName(self.tr("Copy for"))
        self.recipient.setToolTip(
            self.tr(
                "A copy for someone on the client's care team is checked against the client's "
                "releases of information, says whom it is for, and is recorded as a disclosure "
                "when it is saved or printed."
            )
        )
        self.recipient.addItem(self.tr("The practice's own copy"), None)
        self.recipient_row = QWidget(self)
        recipient_row = QHBoxLayout(self.recipient_row)
        recipient_row.setContentsMargins(0, 0, 0, 0)
        recipient_label = QLabel(self.tr("Cop&y for:"), self.recipient_row)
        recipient_label.setBuddy(self.recipient)
        recipient_row.addWidget(recipient_label)
        recipient_row.addWidget(self.recipient, 1)
        self.recipient_row.hide()  # shown once the client's care team is known
        self.recipient.activated.connect(self._recipient_chosen)

        self.language = QComboBox(self)
        self.language.setAccessibleName(self.tr("Language of this copy"))
        self.language.setToolTip(
            self.tr(
                "Documents for the client print in the language their record asks for; choose "
                "another for this copy, or both the client's language and English."
            )
        )
        self.language.addItem(self.tr("As the client's record asks"), None)
        for lang in languages():  # the languages' names as the domain gives them
            self.language.addItem(lang.label, lang.code)
        self.language.addItem(self.tr("Both: the client's language, then English"), "both")
        self.language_row = QWidget(self)
        language_row = QHBoxLayout(self.language_row)
        language_row.setContentsMargins(0, 0, 0, 0)
        language_label = QLabel(self.tr("&Language:"), self.language_row)
        language_label.setBuddy(self.language)
        language_row.addWidget(language_label)
        language_row.addWidget(self.language, 1)
        self.language_row.setVisible(
            self.request.kind in CLIENT_FACING and self.request.client_id is not None
        )
        self.language.activated.connect(self._language_chosen)
        self._sync_language()

        from mhsw_desktop.reports.protect import MIN_PASSWORD

        self.protect = QCheckBox(self.tr("Pro&tect the saved PDF with a password"), self)
        self.protect.setAccessibleName(self.tr("Protect the saved PDF with a password"))
        self.protect.toggled.connect(self._protect_toggled)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(self.tr("PDF password"))
        self.password.setPlaceholderText(self.tr("At least %n characters", "", MIN_PASSWORD))
        self.repeat = QLineEdit(self)
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat.setAccessibleName(self.tr("Repeat the PDF password"))
        self.password_row = QWidget(self)
        row = QHBoxLayout(self.password_row)
        row.setContentsMargins(0, 0, 0, 0)
        for text, field in (
            (self.tr("Pass&word:"), self.password),
            (self.tr("R&epeat it:"), self.repeat),
        ):
            label = QLabel(text, self.password_row)
            label.setBuddy(field)
            row.addWidget(label)
            row.addWidget(field, 1)
        self.password_row.hide()
        self.error = error_label(self)
        self.error.hide()
        self.status = plain_label("", self)
        self.status.setAccessibleName(self.tr("Report status"))
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # -- buttons ---------------------------------------------------------------------
        act["print_report"].triggered.connect(self.print_report)
        act["save_pdf"].triggered.connect(self.save_pdf)
        buttons = QDialogButtonBox(self)
        self.print_button = self._push_button(
            buttons, "print_report", self.tr("Print on paper (Ctrl+P)")
        )
        self.save_button = self._push_button(
            buttons, "save_pdf", self.tr("Save a copy as a PDF file (Ctrl+S)")
        )
        close = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        close.setAccessibleName(self.tr("Close the preview"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(nav)
        layout.addWidget(self.page_area, 1)
        layout.addWidget(self.private)
        layout.addWidget(self.recipient_row)
        layout.addWidget(self.language_row)
        layout.addWidget(self.protect)
        layout.addWidget(self.password_row)
        layout.addWidget(self.error)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(buttons)
        layout.addLayout(bottom)

        runner.locked.connect(self.discard)
        runner.changed.connect(self._records_changed)
        self._set_busy(True)
        self._size_to_screen()

    def _tool_button(self, action_id: str) -> QToolButton:
        button = QToolButton(self)
        button.setDefaultAction(self.actions_by_id[action_id])
        button.setAccessibleName(accessible_name(action_id))
        button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        button.setAutoRaise(False)
        return button

    def _push_button(self, box: QDialogButtonBox, action_id: str, tip: str) -> QPushButton:
        """A button in the bottom row for a registry action (enabled with it); ``tip`` is
        already in the interface's language."""
        action = self.actions_by_id[action_id]
        button = box.addButton(action.text(), QDialogButtonBox.ButtonRole.ActionRole)
        button.setAccessibleName(accessible_name(action_id))
        button.setToolTip(tip)
        button.setAutoDefault(False)
        button.clicked.connect(action.trigger)
        action.enabledChanged.connect(button.setEnabled)
        button.setEnabled(action.isEnabled())
        return button

    def _set_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.setVisible(bool(text))

    def _gap(self) -> int:
        return max(6, self.fontMetrics().height() // 2)

    def _size_to_screen(self) -> None:
        chars = self.fontMetrics().averageCharWidth()
        width, height = chars * 100, self.fontMetrics().height() * 52
        screen = self.screen() or QGuiApplication.primaryScreen()
        if screen is not None:
            room = screen.availableGeometry()
            width = min(width, int(room.width() * 0.9))
            height = min(height, int(room.height() * 0.9))
        self.resize(width, height)

    # -- making the report ------------------------------------------------------------
    def start(self) -> None:
        """Make the report; the dialog shows itself when it is ready."""
        self._generate(self.request)
        self._load_recipients()

    def _load_recipients(self) -> None:
        """The client's current care team, offered in "Copy for"."""
        client_id = self.request.client_id
        if client_id is None or self.request.kind not in SHARED_KINDS or self.runner.vault is None:
            return

        def work(session: Any) -> Any:
            from mhsw_desktop.services.care_team import list_team

            team = list_team(session, client_id)
            return [(m.collaborator_id, m.display_name) for m in team if m.current]

        self.runner.query(work, self._recipients_loaded, lambda exc: None)

    def _recipients_loaded(self, members: list[tuple[Any, str]]) -> None:
        if self._discarded or not shiboken6.isValid(self):
            return
        seen = set()
        for collaborator_id, name in members:
            if collaborator_id not in seen:
                seen.add(collaborator_id)
                self.recipient.addItem(name, collaborator_id)
        self.recipient_row.setVisible(self.recipient.count() > 1)
        self._sync_recipient()
        self._sync_language()

    def _recipient_chosen(self, index: int) -> None:
        chosen = self.recipient.itemData(index)
        if chosen != self.request.for_collaborator:
            self._generate(dataclasses.replace(self.request, for_collaborator=chosen))

    def _language_chosen(self, index: int) -> None:
        chosen = self.language.itemData(index)
        if chosen != self.request.lang:
            self._generate(dataclasses.replace(self.request, lang=chosen))

    def _sync_language(self) -> None:
        """The choice shows the language of the current PDF (after a refusal, the one
        before)."""
        index = self.language.findData(self.request.lang)
        blocked = self.language.blockSignals(True)
        self.language.setCurrentIndex(max(index, 0))
        self.language.blockSignals(blocked)

    def _sync_recipient(self) -> None:
        """The choice shows whom the current PDF is for (after a refusal, the one before)."""
        index = self.recipient.findData(self.request.for_collaborator)
        blocked = self.recipient.blockSignals(True)
        self.recipient.setCurrentIndex(max(index, 0))
        self.recipient.blockSignals(blocked)

    def _generate(self, request: ReportRequest) -> None:
        if self.runner.vault is None:
            self.discard()
            return
        from mhsw_desktop.reports.make import make_report

        self._stop_generation()
        self._asked = request
        self._generation += 1
        relay = ProgressRelay(self._generation)
        relay.progressed.connect(self._progressed, Qt.ConnectionType.QueuedConnection)
        self._relay = relay
        generation = self._generation
        self._set_busy(True)
        self._set_error("")
        self.status.setText(self.tr("Preparing the report…"))
        self._open_progress()

        def work(session: Any) -> Any:
            return make_report(session, request, progress=relay)

        self.runner.query(
            work,
            lambda pdf: self._generated(generation, request, pdf),
            lambda exc: self._failed(generation, exc),
        )

    def _open_progress(self) -> None:
        parent = self if self.isVisible() else self.parentWidget()
        what = self.title[0].lower() + self.title[1:]
        #: Translators: {report} is the report's name as in its title, first letter in lower
        #: case ("face sheet")
        making = self.tr("Preparing the {report}…").format(report=what)
        progress = QProgressDialog(making, "", 0, 0, parent)
        progress.setWindowTitle(self.title)
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.setValue(0)  # at its minimum, the timer below restarts: shown after 0.4 s
        progress.setMinimumDuration(400)
        cancel = QPushButton(self.tr("Cancel"), progress)
        cancel.setAccessibleName(self.tr("Cancel making the report"))
        progress.setCancelButton(cancel)
        progress.canceled.connect(self._cancel_generation)
        self._progress = progress

    @Slot(int, int, int)
    def _progressed(self, generation: int, done: int, total: int) -> None:
        progress = self._progress
        if generation != self._generation or progress is None or not shiboken6.isValid(progress):
            return
        if progress.maximum() != total:
            progress.setRange(0, total)
            #: Translators: {report} is the report's name as in its title, in lower case
            #: ("today's session summaries")
            making = self.tr("Preparing the {report}: %n notes…", "", total)
            progress.setLabelText(making.format(report=self.title.lower()))
        progress.setValue(done)

    def _close_progress(self) -> None:
        progress, self._progress = self._progress, None
        if progress is None or not shiboken6.isValid(progress):
            return
        with contextlib.suppress(RuntimeError, TypeError):
            progress.canceled.disconnect(self._cancel_generation)
        progress.hide()
        progress.deleteLater()

    def _stop_generation(self) -> None:
        """Whatever is being made is no longer wanted (its result is ignored)."""
        self._generation += 1
        if self._relay is not None:
            self._relay.cancel()
            self._relay = None
        self._close_progress()

    def _cancel_generation(self) -> None:
        self._stop_generation()
        if self._pdf is None:  # cancelled before there was anything to show
            self.discard()
            return
        self._set_busy(False)
        self._sync_private()
        self.status.setText(self.tr("Cancelled; the preview shows the report as it was."))

    def _generated(self, generation: int, request: ReportRequest, pdf: Any) -> None:
        if generation != self._generation or self._discarded:
            return
        self._relay = None
        self._close_progress()
        pages = PdfPages(pdf.data)
        self._drop_pdf()
        self._pdf, self._pages, self.request = pdf.data, pages, request
        self._report = pdf
        self._page = min(self._page, pages.count - 1)
        self._sync_private()
        self._sync_recipient()
        if request.lang is None and request.for_collaborator is None:
            # say what "as the record asks" came to for this client
            names = " + ".join(
                lang.name for code in pdf.languages for lang in languages() if lang.code == code
            )
            self.language.setItemText(
                0, self.tr("As the client's record asks ({languages})").format(languages=names)
            )
        self._sync_language()
        self._set_busy(False)
        included = request.include_psychotherapy and request.kind in PRIVATE_KINDS
        count = self.tr("1 page") if pages.count == 1 else self.tr("%n pages", "", pages.count)
        if included:
            count = self.tr("{pages} · psychotherapy notes included in this copy").format(
                pages=count
            )
        self.status.setText(count)
        if not self.isVisible():
            self.show()
            if QGuiApplication.platformName() != "offscreen":
                self.raise_()
                self.activateWindow()
            self.page_area.setFocus()
        self._show_page()

    def _failed(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation or self._discarded:
            return
        self._relay = None
        self._close_progress()
        if isinstance(exc, ReportCancelled):
            return
        message = user_message(exc)
        if isinstance(exc, NotFoundError) and self.request.day is not None:
            message = self.tr(
                "There are no session notes dated {day}, so there is nothing to print."
            ).format(day=self.request.day.isoformat())
        if self._pdf is None:
            self.problem.emit(message)
            self.discard()
            return
        self._set_busy(False)
        self._sync_private()
        self._sync_recipient()
        self._sync_language()
        self.status.setText("")
        self._set_error(message)

    def _records_changed(self, kind: str) -> None:
        """Records changed elsewhere (a note signed, corrected or marked entered in error):
        what is shown may no longer be what may print. The old pages go at once, so they can
        be neither printed nor saved, and the report is made again; if it can no longer be
        made (the note was entered in error), the preview closes and says why."""
        if kind == "drafts" or self._discarded:
            return  # typing in a draft saves every few seconds; its pages say DRAFT anyway
        if kind == "disclosures" and self.request.kind != "disclosures":
            return  # a copy was recorded as given out: what the pages show is unchanged
        if self._printing:
            self._stale = True
            return
        if self._pdf is not None:
            self._drop_pdf()
            self._update_navigation()
        self._generate(self._asked)

    def _private_toggled(self, checked: bool) -> None:
        if checked != self.request.include_psychotherapy:
            self._generate(dataclasses.replace(self.request, include_psychotherapy=checked))

    def _sync_private(self) -> None:
        """The box shows what the current PDF holds."""
        blocked = self.private.blockSignals(True)
        self.private.setChecked(self.request.include_psychotherapy)
        self.private.blockSignals(blocked)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        ready = not busy and self._pages is not None
        self.private.setEnabled(not busy)
        self.recipient.setEnabled(not busy)
        for action in self.actions_by_id.values():
            action.setEnabled(ready)
        if ready:
            self._update_navigation()

    # -- showing pages ------------------------------------------------------------------
    @property
    def page_count(self) -> int:
        return self._pages.count if self._pages is not None else 0

    @property
    def current_page(self) -> int:
        """The page shown, from 0."""
        return self._page

    def go_to(self, index: int) -> None:
        if self._pages is None:
            return
        index = max(0, min(index, self._pages.count - 1))
        if index != self._page:
            self._page = index
            self._show_page()
            self.page_area.verticalScrollBar().setValue(0)

    def zoom_by(self, step: int) -> None:
        current = self._shown_factor
        if step > 0:
            bigger = [z for z in ZOOMS if z > current + 0.01]
            self._zoom = bigger[0] if bigger else ZOOMS[-1]
        else:
            smaller = [z for z in ZOOMS if z < current - 0.01]
            self._zoom = smaller[-1] if smaller else ZOOMS[0]
        self._show_page()

    def fit_width(self) -> None:
        self._zoom = None
        self._show_page()

    def _fit_factor(self, width_pt: float) -> float:
        room = self.page_area.viewport().width() - 2 * self._gap()
        natural = width_pt / 72 * self.logicalDpiX()
        return float(max(ZOOMS[0] / 2, min(ZOOMS[-1], room / natural)))

    def _show_page(self) -> None:
        self._rerender.stop()
        pages = self._pages
        if pages is None:
            self.page_view.clear()
            return
        width_pt, height_pt = pages.size(self._page)
        factor = self._zoom if self._zoom is not None else self._fit_factor(width_pt)
        self._shown_factor = factor
        logical = factor * self.logicalDpiX() / 72  # screen pixels per point
        scale = logical * self.devicePixelRatioF()
        pixels = width_pt * height_pt * scale * scale
        if pixels > MAX_PREVIEW_PIXELS:
            scale *= math.sqrt(MAX_PREVIEW_PIXELS / pixels)
        pixmap = QPixmap.fromImage(pages.render(self._page, scale))
        pixmap.setDevicePixelRatio(scale / logical)
        self.page_view.setPixmap(pixmap)
        self._update_navigation()

    def _update_navigation(self) -> None:
        count = self.page_count
        if count:
            self.page_number.setText(
                self.tr("Page {page} of {count}").format(page=self._page + 1, count=count)
            )
        else:
            self.page_number.setText("")
        self.page_view.setAccessibleDescription(self.page_number.text())
        self.zoom_label.setText(self._zoom_words(self._shown_factor, fitted=self._zoom is None))
        act = self.actions_by_id
        ready = not self._busy and count > 0
        act["previous_page"].setEnabled(ready and self._page > 0)
        act["next_page"].setEnabled(ready and self._page < count - 1)
        act["zoom_in"].setEnabled(ready and self._shown_factor < ZOOMS[-1] - 0.01)
        act["zoom_out"].setEnabled(ready and self._shown_factor > ZOOMS[0] + 0.01)
        act["fit_width"].setEnabled(ready)
        act["print_report"].setEnabled(ready)
        act["save_pdf"].setEnabled(ready)

    def _zoom_words(self, factor: float, *, fitted: bool) -> str:
        """The zoom as the label shows it: "Fit width (100%)" or "150%"."""
        percent = round(factor * 100)
        if fitted:
            return self.tr("Fit width ({percent}%)").format(percent=percent)
        #: Translators: the zoom, as a percentage of the page's natural size
        return self.tr("{percent}%").format(percent=percent)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and self._zoom is None and self._pages is not None:
            self._rerender.start()  # once the resizing settles
        return super().eventFilter(watched, event)

    # -- printing -------------------------------------------------------------------------
    def print_report(self) -> None:
        """The print dialog, then each chosen page drawn at no more than 300 dpi."""
        from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter

        pages = self._pages
        if pages is None or self._busy or self._printing:
            return
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(f"{APP_NAME} — {self.title}")  # print queues show it
        printer.setFullPage(True)  # the report carries its own margins
        width_pt, height_pt = pages.size(self._page)
        printer.setPageSize(
            QPageSize(
                QSizeF(min(width_pt, height_pt), max(width_pt, height_pt)),
                QPageSize.Unit.Point,
                "",
                QPageSize.SizeMatchPolicy.FuzzyMatch,
            )
        )
        printer.setPageOrientation(
            QPageLayout.Orientation.Landscape
            if width_pt > height_pt
            else QPageLayout.Orientation.Portrait
        )
        dialog = QPrintDialog(printer, self)
        dialog.setWindowTitle(self.tr("Print — {title}").format(title=self.title))
        option = QAbstractPrintDialog.PrintDialogOption
        dialog.setOptions(
            option.PrintPageRange
            | option.PrintCurrentPage
            | option.PrintShowPageSize
            | option.PrintCollateCopies
            | option.PrintToFile
        )
        dialog.setMinMax(1, pages.count)
        self._print_dialog = dialog
        try:
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
        finally:
            self._print_dialog = None
        if not accepted or self._discarded or self._pages is not pages:
            return
        mode = {
            QPrinter.PrintRange.CurrentPage: "current",
            QPrinter.PrintRange.PageRange: "range",
        }.get(printer.printRange(), "all")
        chosen = pages_to_print(
            pages.count,
            self._page,
            mode=mode,
            ranges=printer.pageRanges(),
            last_first=printer.pageOrder() == QPrinter.PageOrder.LastPageFirst,
        )
        if not chosen:
            self._set_error(self.tr("The chosen page range has no pages of this report."))
            return
        copies = 1 if printer.supportsMultipleCopies() else max(1, printer.copyCount())
        self._print_pages(printer, pages, chosen * copies)

    def _print_pages(self, printer: Any, pages: PdfPages, sequence: Sequence[int]) -> None:
        self._set_error("")
        painter = QPainter()
        if not painter.begin(printer):
            self._set_error(
                self.tr(
                    "The printer could not be started. Check that it is switched on and "
                    "connected, then try again."
                )
            )
            return
        resolution = printer.resolution()
        dpi = min(resolution, PRINT_DPI)
        paper = QRectF(printer.pageLayout().fullRectPixels(resolution))
        progress = None
        if len(sequence) > 1:
            progress = QProgressDialog(self.tr("Printing…"), "", 0, len(sequence), self)
            progress.setWindowTitle(self.tr("Print — {title}").format(title=self.title))
            progress.setWindowModality(Qt.WindowModality.WindowModal)
            progress.setValue(0)
            progress.setMinimumDuration(300)
            cancel = QPushButton(self.tr("Cancel"), progress)
            cancel.setAccessibleName(self.tr("Cancel printing"))
            progress.setCancelButton(cancel)
        self._printing = True
        self._set_busy(True)
        stopped = False
        try:
            for n, index in enumerate(sequence):
                if self._close_after_print or (progress is not None and progress.wasCanceled()):
                    stopped = True
                    break
                if n and not printer.newPage():
                    stopped = True
                    break
                width_pt, height_pt = pages.size(index)
                page_w, page_h = width_pt / 72 * resolution, height_pt / 72 * resolution
                fits = page_w <= paper.width() * 1.01 and page_h <= paper.height() * 1.01
                shrink = 1.0 if fits else min(paper.width() / page_w, paper.height() / page_h)
                target = QRectF(0, 0, page_w * shrink, page_h * shrink)
                target.moveCenter(paper.center())
                pages.paint(painter, index, dpi, target)
                if progress is not None:
                    progress.setLabelText(
                        self.tr("Printing page {page} of {count}…").format(
                            page=n + 1, count=len(sequence)
                        )
                    )
                    progress.setValue(n + 1)
        finally:
            if stopped:
                printer.abort()
            if painter.isActive():
                painter.end()
            if progress is not None and shiboken6.isValid(progress):
                progress.hide()
                progress.deleteLater()
            self._printing = False
        if self._close_after_print:
            self.done(0)
            return
        self._set_busy(False)
        if self._stale:
            self._stale = False
            self._records_changed("")
        if stopped:
            self.status.setText(self.tr("Printing was stopped."))
        else:
            count = len(sequence)
            if count == 1:
                self.status.setText(self.tr("Sent 1 page to the printer."))
            else:
                self.status.setText(self.tr("Sent %n pages to the printer.", "", count))
            self._record_printed("print", count)

    def _record_printed(self, means: str, pages: int) -> None:
        """The report was printed: write it in the audit log and, for a copy for a
        collaborator, in the client's accounting of disclosures."""
        request, report = self.request, self._report
        if report is None or self.runner.vault is None:
            return
        shared = request.for_collaborator is not None
        spoken = report.languages

        def work(session: Any) -> Any:
            from mhsw_desktop.reports.make import record_sharing

            _audit_report(session, "print", request, pages, "printed", spoken)
            return record_sharing(session, request, report, means) if shared else None

        self.runner.query(
            work,
            (lambda _id: self._disclosure_recorded()) if shared else None,
            self._save_failed,
            changes="disclosures" if shared else None,
            keep=True,
        )

    def _disclosure_recorded(self) -> None:
        if shiboken6.isValid(self) and not self._discarded:
            #: Translators: {status} is "Sent 3 pages to the printer" (its full stop dropped)
            printed = self.tr("{status}; recorded as a disclosure.")
            self.status.setText(printed.format(status=self.status.text().rstrip(".")))

    # -- saving ----------------------------------------------------------------------------
    def _protect_toggled(self, checked: bool) -> None:
        self.password_row.setVisible(checked)
        if checked:
            self.password.setFocus()
        else:
            self.password.clear()
            self.repeat.clear()
            self._set_error("")

    def save_pdf(self) -> None:
        """Ask where (and for a password if chosen), then write the file whole."""
        from mhsw_desktop.reports.make import suggested_filename
        from mhsw_desktop.reports.protect import MIN_PASSWORD

        if self._pdf is None or self._busy:
            return
        password: str | None = None
        if self.protect.isChecked():
            password = self.password.text()
            if len(password) < MIN_PASSWORD:
                self._set_error(
                    self.tr(
                        "The password needs at least %n characters (it has {length}), so that "
                        "nobody can guess it.",
                        "",
                        MIN_PASSWORD,
                    ).format(length=len(password))
                )
                self.password.setFocus()
                return
            if self.repeat.text() != password:
                self._set_error(self.tr("The two passwords are not the same. Type them again."))
                self.repeat.setFocus()
                self.repeat.selectAll()
                return
        self._set_error("")
        start = _last_folder or Path(
            QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
            or Path.home()
        )
        with file_dialog_history_kept():
            chosen, _filter = QFileDialog.getSaveFileName(
                self, self.tr("Save the report as PDF"),
                str(start / suggested_filename(self.request)), self.tr("PDF files") + " (*.pdf)",
            )  # fmt: skip
        if not chosen or self._discarded:
            return
        path = Path(chosen)
        if path.suffix.casefold() != ".pdf":
            path = path.with_name(f"{path.name}.pdf")
        service = cloud_service(path)
        if service is None:
            self._write(path, password)
            return
        box = QMessageBox(self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Save as PDF"))
        box.setText(
            self.tr(
                "That folder looks like one that {service} copies to the internet. A report "
                "saved there leaves this computer.\n\nSave it there anyway?"
            ).format(service=service)
        )
        save = box.addButton(self.tr("Save &there"), QMessageBox.ButtonRole.AcceptRole)
        other = box.addButton(self.tr("&Choose another folder"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(other)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def decided() -> None:
            if box.clickedButton() is save and not self._discarded:
                self._write(path, password)

        box.finished.connect(decided)
        box.open()

    def _write(self, path: Path, password: str | None) -> None:
        data, request, report = self._pdf, self.request, self._report
        if data is None or self.runner.vault is None:
            return
        # worded here, on the GUI thread: the file is written on the worker
        not_saved = self.tr("Could not save {path}: {reason}. Nothing was written.")
        unwritable = self.tr("the folder cannot be written to")

        def write() -> Path:
            from mhsw_desktop.reports.protect import protect
            from mhsw_desktop.vault.files import write_atomic

            out = protect(data, password) if password is not None else data
            try:
                write_atomic(path, out)
            except OSError as exc:
                reason = exc.strerror or unwritable  # the system's words, when it has them
                raise SaveFailed(not_saved.format(path=path, reason=reason)) from None
            return path

        def write_and_record(session: Any) -> Path:
            # One unit of work: the disclosure and the audit entry are committed only if
            # the file was written.
            from mhsw_desktop.reports.make import record_sharing

            if request.for_collaborator is not None:
                record_sharing(session, request, report, "pdf")
            _audit_report(session, "export", request, report.pages if report else 0,
                          "saved as PDF", report.languages if report else ("en",))  # fmt: skip
            return write()

        self.actions_by_id["save_pdf"].setEnabled(False)
        self.status.setText(self.tr("Saving…"))
        protected = password is not None
        shared = request.for_collaborator is not None
        done = lambda saved: self._saved(saved, protected, shared)  # noqa: E731
        self.runner.query(
            write_and_record, done, self._save_failed, changes="disclosures" if shared else None
        )

    def _saved(self, path: Path, protected: bool, shared: bool = False) -> None:
        global _last_folder
        _last_folder = path.parent
        if not shiboken6.isValid(self) or self._pdf is None:
            return  # closed while saving: the file is written, there is nobody to tell
        self.actions_by_id["save_pdf"].setEnabled(not self._busy and self._pdf is not None)
        self.password.clear()
        self.repeat.clear()
        if protected and shared:
            text = self.tr("Saved to {path} (password-protected); recorded as a disclosure.")
        elif protected:
            text = self.tr("Saved to {path} (password-protected).")
        elif shared:
            text = self.tr("Saved to {path}; recorded as a disclosure.")
        else:
            text = self.tr("Saved to {path}.")
        self.status.setText(text.format(path=path))

    def _save_failed(self, exc: BaseException) -> None:
        if not shiboken6.isValid(self) or self._pdf is None:
            return
        self.actions_by_id["save_pdf"].setEnabled(not self._busy and self._pdf is not None)
        self.status.setText("")
        self._set_error(user_message(exc))

    # -- closing ---------------------------------------------------------------------------
    def _drop_pdf(self) -> None:
        if self._pages is not None:
            self._pages.close()
        self._pages = None
        self._pdf = None
        self._report = None
        self.page_view.clear()

    @Slot()
    def discard(self) -> None:
        """The vault is locking (or there is nothing to show): forget the PDF and close."""
        if self._discarded:
            return
        self._discarded = True
        self._stop_generation()
        if self._print_dialog is not None and shiboken6.isValid(self._print_dialog):
            self._print_dialog.done(0)
        self.password.clear()
        self.repeat.clear()
        with contextlib.suppress(RuntimeError, TypeError):
            self.runner.locked.disconnect(self.discard)
        self.done(0)

    def done(self, result: int) -> None:
        """Closing in any way (Close, Esc, the window's X, a lock) lets the PDF go; a
        print run under way stops at its next page and then closes the dialog."""
        self._stop_generation()
        if self._printing:
            self._close_after_print = True
            self.hide()
            return
        self._drop_pdf()
        super().done(result)

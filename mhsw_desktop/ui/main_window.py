"""The main window: a thin frame that assembles the action registry, panes and status bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QFrame,
    QHBoxLayout,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop import APP_NAME, __version__
from mhsw_desktop.ui.actions import (
    ACTIONS,
    CLIENT_DOCUMENT_ACTIONS,
    MENUS,
    build_actions,
    words,
)
from mhsw_desktop.ui.client_list import ClientListPane
from mhsw_desktop.ui.client_view import ClientView
from mhsw_desktop.ui.locked_pane import LockedPane
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.search_view import SearchView
from mhsw_desktop.ui.today_view import TodayView
from mhsw_desktop.ui.widgets import plain_label


def _bring_forward(window: QWidget) -> None:
    """Raise and activate a window (the offscreen test platform cannot, and says so)."""
    from PySide6.QtGui import QGuiApplication

    if QGuiApplication.platformName() != "offscreen":
        window.raise_()
        window.activateWindow()


class MainWindow(QMainWindow):
    """Frame around the main views (Today, Clients, Search, one client); what happens on
    lock/unlock is the controller's. Note editors are dialogs it owns, one per note."""

    lock_requested = Signal()
    unlock_requested = Signal()
    quit_requested = Signal()
    change_passphrase_requested = Signal()
    #: a checked backup file, its secret and the moment naming the vault kept aside:
    #: the controller locks, then restores it
    restore_requested = Signal(object, str, object)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("main_window")
        self.setWindowTitle(self.locked_title())
        self.actions_by_id = build_actions(self)

        self.clients = ClientListPane(runner, self)
        self.today = TodayView(runner, self)
        self.search = SearchView(runner, self)
        self.client_view = ClientView(runner, self)
        self.locked = LockedPane(self)
        self.stack = QStackedWidget(self)
        for pane in (self.today, self.clients, self.search, self.client_view, self.locked):
            self.stack.addWidget(pane)
        #: open note editors by note id (None for a note not yet saved)
        self.editors: dict[Any, Any] = {}
        #: ids of drafts that were open in an editor when the vault locked (memory only)
        self._open_at_lock: set[Any] = set()
        #: editors of notes not yet created that were saved by the lock (memory only)
        self._new_at_lock = 0
        #: the view to come back to after an unlock
        self._last_view: QWidget = self.clients
        self._last_client: Any = None

        self.banner = QFrame(self)
        self.banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.banner.setObjectName("recovered_banner")
        self.banner_text = plain_label("", self.banner)
        self.banner_text.setAccessibleName(self.tr("Recovered drafts notice"))
        self.banner_text.setWordWrap(True)
        self.banner_open = QPushButton(self.tr("&Open recovered drafts"), self.banner)
        self.banner_open.setAccessibleName(self.tr("Open recovered drafts"))
        self.banner_open.clicked.connect(self.open_recovered)
        self.banner_close = QPushButton(self.tr("Dis&miss"), self.banner)
        self.banner_close.setAccessibleName(self.tr("Dismiss the recovered drafts notice"))
        self.banner_close.clicked.connect(self.banner.hide)
        banner_layout = QHBoxLayout(self.banner)
        banner_layout.addWidget(self.banner_text, 1)
        banner_layout.addWidget(self.banner_open)
        banner_layout.addWidget(self.banner_close)
        self.banner.hide()
        self._recovered: list[Any] = []
        central = QWidget(self)
        central_layout = QVBoxLayout(central)
        central_layout.setContentsMargins(0, 0, 0, 0)
        central_layout.addWidget(self.banner)
        central_layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)

        self._build_menus()
        self.vault_label = plain_label("", self)
        self.vault_label.setAccessibleName(self.tr("Vault folder"))
        self.count_label = plain_label("", self)
        self.count_label.setAccessibleName(self.tr("Number of clients shown"))
        self.statusBar().addWidget(self.vault_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)

        act = self.actions_by_id
        act["lock"].triggered.connect(self.lock_requested)
        act["quit"].triggered.connect(self.quit_requested)
        act["change_passphrase"].triggered.connect(self.change_passphrase_requested)
        act["about"].triggered.connect(self.show_about)
        act["find"].triggered.connect(self.find_in_view)
        act["new_client"].triggered.connect(self.new_client)
        act["edit_client"].triggered.connect(self.edit_client)
        act["discharge_client"].triggered.connect(self.discharge_client)
        act["view_today"].triggered.connect(lambda: self.show_view(self.today))
        act["view_clients"].triggered.connect(lambda: self.show_view(self.clients))
        act["view_search"].triggered.connect(lambda: self.show_view(self.search))
        act["new_note"].triggered.connect(self.new_note_for_current)
        act["add_task"].triggered.connect(lambda: self.add_task(None))
        act["practitioner_profile"].triggered.connect(self.practitioner_profile)
        act["note_templates"].triggered.connect(self.note_templates)
        act["collaborators"].triggered.connect(self.collaborator_directory)
        act["resources"].triggered.connect(self.resource_directory)
        act["audit_log"].triggered.connect(self.audit_log)
        act["export_all"].triggered.connect(self.export_all)
        act["import_clients"].triggered.connect(self.import_clients)
        act["backup_now"].triggered.connect(self.backup_now)
        act["restore_backup"].triggered.connect(self.restore_backup)
        act["backup_settings"].triggered.connect(self.backup_settings)
        act["print_summary"].triggered.connect(self.print_summary)
        act["print_face_sheet"].triggered.connect(lambda: self.print_for_client("face-sheet"))
        act["print_record"].triggered.connect(lambda: self.print_for_client("record"))
        act["print_disclosures"].triggered.connect(lambda: self.print_for_client("disclosures"))
        act["print_measures"].triggered.connect(lambda: self.print_for_client("measures"))
        act["print_treatment_plan"].triggered.connect(
            lambda: self.print_for_client("treatment-plan")
        )
        act["print_safety_plan"].triggered.connect(lambda: self.print_for_client("safety-plan"))
        act["print_wallet_card"].triggered.connect(lambda: self.print_for_client("wallet-card"))
        for action_id, kind in CLIENT_DOCUMENT_ACTIONS:
            act[action_id].triggered.connect(lambda _=False, k=kind: self.print_for_client(k))
        act["print_today"].triggered.connect(self.print_today)
        act["print_caseload"].triggered.connect(self.print_caseload)
        self.client_view.add_report_actions(
            [
                act[a]
                for a in (
                    "print_summary",
                    "print_face_sheet",
                    "print_record",
                    "print_measures",
                    "print_treatment_plan",
                    "print_safety_plan",
                    "print_wallet_card",
                    "print_disclosures",
                    *(action_id for action_id, _kind in CLIENT_DOCUMENT_ACTIONS),
                )
            ]
        )
        self.clients.open_requested.connect(self.show_client)
        self.client_view.back_requested.connect(lambda: self.show_view(self.clients))
        self.client_view.new_note_requested.connect(self.new_note)
        self.client_view.open_note_requested.connect(self.open_note)
        self.client_view.edit_requested.connect(self.open_client)
        self.client_view.add_task_requested.connect(lambda cid, name: self.add_task((cid, name)))
        self.client_view.problem.connect(self.show_problem)
        self.client_view.measures.report_requested.connect(self.open_report)
        self.today.open_note_requested.connect(self.open_note)
        self.today.open_client_requested.connect(self.show_client)
        self.today.plan_reviews.open_plan_requested.connect(self.show_treatment_plan)
        self.today.open_care_team_requested.connect(self.show_care_team)
        self.today.open_safety_plan_requested.connect(self.show_safety_plan)
        self.today.add_task_requested.connect(lambda: self.add_task(None))
        self.today.problem.connect(self.show_problem)
        self.search.open_note_requested.connect(self.open_note)
        self.search.open_client_requested.connect(self.show_client)
        runner.changed.connect(self._records_changed)
        self.clients.count_changed.connect(self._show_count)
        self.clients.selection_changed.connect(self._selection_changed)
        self.clients.problem.connect(self.show_problem)
        self.locked.unlock_requested.connect(self.unlock_requested)
        self.show_locked()
        width = self.fontMetrics().averageCharWidth() * 140
        self.resize(width, int(width * 0.62))

    def locked_title(self) -> str:
        """The window's title while the vault is locked (never client data)."""
        return self.tr("{app} — Locked").format(app=APP_NAME)

    def recovered_message(self, count: int, kept_at_lock: int) -> str:
        """What to say about drafts found still open at unlock."""
        if kept_at_lock >= count:
            if count == 1:
                return self.tr("1 draft you were writing when the vault locked was kept.")
            return self.tr("%n drafts you were writing when the vault locked were kept.", "", count)
        if count == 1:
            return self.tr("1 draft was recovered after the app closed unexpectedly.")
        return self.tr("%n drafts were recovered after the app closed unexpectedly.", "", count)

    def _build_menus(self) -> None:
        menus = {}
        for menu_id, title in MENUS:
            menus[menu_id] = self.menuBar().addMenu(words(title))
        toolbar = QToolBar(self.tr("Main toolbar"), self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setAccessibleName(self.tr("Main toolbar"))
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        for spec in ACTIONS:
            action = self.actions_by_id[spec.id]
            if spec.id == "quit" or spec.group_start:
                menus[spec.menu].addSeparator()
            menus[spec.menu].addAction(action)
            self.addAction(action)  # shortcuts work while the menu bar is hidden too
            if spec.toolbar:
                toolbar.addAction(action)
                button = toolbar.widgetForAction(action)
                if button is not None:
                    button.setAccessibleName(words(spec.accessible_name))
        self.toolbar = toolbar

    # -- states ----------------------------------------------------------------------
    def show_unlocked(self, folder: Path) -> None:
        self.setWindowTitle(APP_NAME)
        self.vault_label.setText(self.tr("Vault: {folder}").format(folder=folder))
        self.stack.setCurrentWidget(self.clients)
        self._set_client_actions(True)
        self.clients.load()
        self.today.load()
        self.clients.filter.setFocus()
        if self._last_view is self.client_view and self._last_client is not None:
            self.show_client(self._last_client)
        elif self._last_view is not self.clients:
            self.show_view(self._last_view)
        self._check_recovered()

    def show_view(self, view: QWidget) -> None:
        """Bring a main view forward (Ctrl+1 Today, Ctrl+2 Clients, Ctrl+3 Search)."""
        if self.runner.vault is None or self.stack.currentWidget() is self.locked:
            return
        self.stack.setCurrentWidget(view)
        self._last_view = view
        if view is self.today:
            self.today.load()
            self.today.focus_first()
        elif view is self.search:
            self.search.load()
            self.search.focus_query()
        elif view is self.clients:
            self.clients.table.setFocus()
        self._set_client_actions(True)
        self._show_count(self.clients.proxy.rowCount(), self.clients.model.rowCount())

    def show_client(self, client_id: Any) -> None:
        """The client view (timeline, diagnoses) for one client."""
        if self.runner.vault is None:
            return

        def shown() -> None:  # at once, or once unsaved safety-plan edits are dealt with
            self._last_client = client_id

        self.client_view.show_client(client_id, shown)
        self.show_view(self.client_view)
        self.client_view.table.setFocus()

    def show_care_team(self, client_id: Any, release_id: Any = None) -> None:
        """The client view on its care team tab, ``release_id`` selected once loaded."""
        if self.runner.vault is None:
            return
        self.show_client(client_id)
        self.client_view.show_care_team(release_id)

    def show_treatment_plan(self, client_id: Any) -> None:
        """The client view on its treatment plan tab."""
        if self.runner.vault is None:
            return
        self.show_client(client_id)
        self.client_view.tabs.setCurrentWidget(self.client_view.treatment_plan)
        self.client_view.treatment_plan.tree.setFocus()

    def show_safety_plan(self, client_id: Any) -> None:
        """The client view on its Safety plan tab (which offers to start one)."""
        if self.runner.vault is None:
            return
        self.show_client(client_id)
        if self.client_view.client_id == client_id:  # not while asking about unsaved edits
            self.client_view.show_safety_plan()

    def find_in_view(self) -> None:
        if self.stack.currentWidget() is self.search:
            self.search.focus_query()
            return
        self.show_view(self.clients)
        self.clients.focus_filter()

    def _records_changed(self, kind: str) -> None:
        if kind == "clients":
            self.search._filters_loaded = False

    def show_locked(self) -> None:
        """Drop every view of client data: dialogs, rows, filter text, counts, title."""
        from mhsw_desktop.ui.note_editor import NoteEditor

        for editor in self.findChildren(NoteEditor):
            if editor.isVisible() and not editor.read_only:
                if editor.note_id is not None:
                    self._open_at_lock.add(editor.note_id)
                elif editor.is_dirty():
                    self._new_at_lock += 1
        for dialog in self.findChildren(QDialog):
            discard = getattr(dialog, "discard", None)
            if callable(discard):
                discard()
            elif isinstance(dialog, QMessageBox) or dialog.isVisible():
                dialog.done(0)
        self.editors.clear()
        self.clients.clear()
        self.today.clear()
        self.search.clear()
        self.client_view.clear()
        self.banner.hide()
        self.banner_text.setText("")
        self._recovered = []
        self.count_label.setText("")
        self.vault_label.setText(self.tr("Locked"))
        self.setWindowTitle(self.locked_title())
        self.stack.setCurrentWidget(self.locked)
        self._set_client_actions(False)

    def _set_client_actions(self, unlocked: bool) -> None:
        for action_id in (
            "new_client",
            "find",
            "lock",
            "change_passphrase",
            "view_today",
            "view_clients",
            "view_search",
            "add_task",
            "practitioner_profile",
            "note_templates",
            "collaborators",
            "resources",
            "audit_log",
            "export_all",
            "backup_now",
            "restore_backup",
            "backup_settings",
            "import_clients",
            "print_today",
            "print_caseload",
        ):
            self.actions_by_id[action_id].setEnabled(unlocked)
        self._selection_changed(unlocked and self.clients.current_id() is not None)

    def _selection_changed(self, selected: bool) -> None:
        current = self.stack.currentWidget()
        on_list = current is self.clients
        on_client = current is self.client_view and self.client_view.client_id is not None
        for action_id in (
            "edit_client",
            "discharge_client",
            "print_summary",
            "print_face_sheet",
            "print_record",
            "print_measures",
            "print_treatment_plan",
            "print_safety_plan",
            "print_wallet_card",
            "print_disclosures",
            *(action_id for action_id, _kind in CLIENT_DOCUMENT_ACTIONS),
        ):
            self.actions_by_id[action_id].setEnabled((selected and on_list) or on_client)
        self.actions_by_id["new_note"].setEnabled((selected and on_list) or on_client)

    def _show_count(self, shown: int, total: int) -> None:
        if self.stack.currentWidget() is not self.clients:
            self.count_label.setText("")
        elif shown == total:
            self.count_label.setText(self.tr("%n clients", "", total))
        else:
            self.count_label.setText(
                self.tr("{shown} of %n clients", "", total).format(shown=shown)
            )

    # -- client work -------------------------------------------------------------------
    def new_client(self) -> None:
        from mhsw_desktop.ui.client_form import ClientFormDialog

        form = ClientFormDialog(self.runner, None, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._select_after_save)
        form.open()

    def edit_client(self) -> None:
        client_id = self._chosen_client_id()
        if client_id is not None:
            self.open_client(client_id)

    def _chosen_client_id(self) -> Any:
        if self.stack.currentWidget() is self.client_view:
            return self.client_view.client_id
        return self.clients.current_id()

    def open_client(self, client_id: Any) -> None:
        from mhsw_desktop.services.clients import get_client

        self.runner.query(lambda s: get_client(s, client_id), self._show_form, self._failed)

    def _show_form(self, detail: Any) -> None:
        from mhsw_desktop.ui.client_form import ClientFormDialog

        form = ClientFormDialog(self.runner, detail, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._select_after_save)
        form.open()

    def discharge_client(self) -> None:
        from mhsw_desktop.ui.client_form import DischargeDialog

        client_id = self._chosen_client_id()
        row = self.clients.model.row_at(self.clients.model.row_of(client_id)) if client_id else None
        if row is None or self.clients.model.row_of(client_id) < 0:
            return
        dialog = DischargeDialog(self.runner, row.id, row.intake_date, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def _select_after_save(self, client_id: Any) -> None:
        self._pending_select = client_id
        self.runner.finished.connect(self._try_select)

    def _try_select(self) -> None:
        if self.clients.select_id(self._pending_select) or self.runner.idle():
            self.runner.finished.disconnect(self._try_select)

    def _failed(self, exc: BaseException) -> None:
        self.show_problem(user_message(exc))

    # -- reports --------------------------------------------------------------------------
    def open_report(self, request: Any) -> None:
        """Make ``request``'s report and show it in a preview (print, save as PDF)."""
        from mhsw_desktop.ui.report_preview import ReportPreviewDialog

        if self.runner.vault is None:
            return
        dialog = ReportPreviewDialog(self.runner, request, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.problem.connect(self.show_problem)
        dialog.start()

    def print_summary(self) -> None:
        """The selected note's summary (the client's latest when no note is selected)."""
        client_id = self._chosen_client_id()
        note_id = None
        if self.stack.currentWidget() is self.client_view:
            note_id = self.client_view.selected_note_id()
        if client_id is not None:
            self.print_note(client_id, note_id)

    def print_note(self, client_id: Any, note_id: Any) -> None:
        from mhsw_desktop.reports.make import ReportRequest

        self.open_report(ReportRequest("session-summary", client_id=client_id, note_id=note_id))

    def print_for_client(self, kind: str) -> None:
        """``kind`` for the chosen client; the next-steps sheet is of the note selected in
        the client's timeline (the latest when none is), as the session summary is."""
        from mhsw_desktop.reports.make import ReportRequest

        client_id = self._chosen_client_id()
        note_id = None
        if kind == "next-steps" and self.stack.currentWidget() is self.client_view:
            note_id = self.client_view.selected_note_id()
        if client_id is not None:
            self.open_report(ReportRequest(kind, client_id=client_id, note_id=note_id))

    def print_today(self) -> None:
        from datetime import date

        from mhsw_desktop.reports.make import ReportRequest

        self.open_report(ReportRequest("session-summary", day=date.today()))

    def print_caseload(self) -> None:
        from mhsw_desktop.reports.make import ReportRequest

        self.open_report(ReportRequest("caseload"))

    # -- notes ----------------------------------------------------------------------------
    def new_note_for_current(self) -> None:
        if self.stack.currentWidget() is self.client_view:
            if self.client_view.client_id is not None:
                self.new_note(self.client_view.client_id, self.client_view.client_name)
            return
        row = self.clients.current_row()
        if row is not None:
            self.new_note(row.id, row.display_name)

    def new_note(self, client_id: Any, client_name: str) -> None:
        from mhsw_desktop.services.templates import list_templates

        self.runner.query(
            list_templates,
            lambda templates: self._show_editor(client_id, client_name, templates, None, ""),
            self._failed,
        )

    def open_note(self, note_id: Any, highlight: str = "") -> None:
        """Show a note in its editor (a draft is marked open), or raise its editor."""
        editor = self.editors.get(note_id)
        if editor is not None:
            editor.show()
            _bring_forward(editor)
            if highlight:
                editor.highlight = highlight
                editor.show_highlight()
            return
        from mhsw_desktop.services import notes
        from mhsw_desktop.services.clients import get_client
        from mhsw_desktop.services.templates import list_templates
        from mhsw_desktop.ui.client_view import client_display_name

        def work(session: Any) -> Any:
            detail = notes.get_note(session, note_id)
            if detail.signed_at is None:
                notes.set_editing(session, note_id, True)
            client = get_client(session, detail.client_id)
            return detail, client_display_name(client.data), list_templates(session)

        def done(result: Any) -> None:
            detail, name, templates = result
            if note_id in self.editors:
                return
            self._show_editor(detail.client_id, name, templates, detail, highlight)

        self.runner.query(work, done, self._failed)

    def _show_editor(
        self, client_id: Any, name: str, templates: list[Any], detail: Any, highlight: str
    ) -> Any:
        from mhsw_desktop.ui.note_editor import NoteEditor

        editor = NoteEditor(
            self.runner, client_id, name, templates, detail, highlight=highlight, parent=self
        )
        editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        key = detail.id if detail is not None else None
        if key is not None:
            self.editors[key] = editor
        self._open_at_lock.discard(key)

        def changed(note_id: Any) -> None:
            for k, e in list(self.editors.items()):
                if e is editor and k != note_id:
                    del self.editors[k]
            self.editors[note_id] = editor

        def finished(_result: int) -> None:
            for k, e in list(self.editors.items()):
                if e is editor:
                    del self.editors[k]

        editor.note_changed.connect(changed)
        editor.finished.connect(finished)
        editor.profile_requested.connect(self.practitioner_profile)
        editor.print_requested.connect(self.print_note)
        editor.show()
        _bring_forward(editor)
        return editor

    def _check_recovered(self) -> None:
        from mhsw_desktop.services.notes import recovered_drafts

        self.runner.query(recovered_drafts, self._show_recovered, self._failed)

    def _show_recovered(self, drafts: list[Any]) -> None:
        self._recovered = list(drafts)
        kept = sum(1 for d in drafts if d.id in self._open_at_lock) + self._new_at_lock
        self._open_at_lock.clear()
        self._new_at_lock = 0
        if not drafts:
            self.banner.hide()
            return
        self.banner_text.setText(self.recovered_message(len(drafts), kept))
        self.banner_open.setText(
            self.tr("&Open the draft") if len(drafts) == 1 else self.tr("&Open recovered drafts")
        )
        self.banner.show()

    def open_recovered(self) -> None:
        for draft in self._recovered:
            self.open_note(draft.id)
        self.banner.hide()

    def add_task(self, client: Any) -> None:
        from mhsw_desktop.ui.task_dialog import TaskDialog

        if self.runner.vault is None:
            return
        dialog = TaskDialog(self.runner, client, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def note_templates(self) -> None:
        from mhsw_desktop.ui.template_dialog import TemplateDialog

        if self.runner.vault is None:
            return
        dialog = TemplateDialog(self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def collaborator_directory(self) -> None:
        from mhsw_desktop.ui.collaborator_directory import open_directory

        open_directory(self.runner, self)

    def audit_log(self) -> None:
        from mhsw_desktop.ui.audit_log_dialog import open_audit_log

        open_audit_log(self.runner, self)

    def export_all(self) -> None:
        from mhsw_desktop.ui.export_dialog import open_export_dialog

        open_export_dialog(self.runner, self)

    def backup_now(self) -> None:
        """Make a backup on the worker; say where it went (or why it could not be made)."""
        from mhsw_desktop.ui.backups import back_up_now

        back_up_now(self.runner, self.statusBar(), self)

    def restore_backup(self) -> None:
        from mhsw_desktop.ui.restore_wizard import RestoreWizard
        from mhsw_desktop.vault.backup import all_folders

        vault = self.runner.vault
        if vault is None:
            return
        wizard = RestoreWizard(self.runner, vault.folder, all_folders(vault.folder), self)
        wizard.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        wizard.restore_requested.connect(self.restore_requested)
        self.restore_wizard = wizard
        wizard.open()

    def backup_settings(self) -> None:
        from mhsw_desktop.ui.backup_settings_dialog import open_backup_settings

        self.backup_settings_dialog = open_backup_settings(self.runner, self)

    def import_clients(self) -> None:
        from mhsw_desktop.ui.import_clients_dialog import open_import_clients

        open_import_clients(self.runner, self)

    def resource_directory(self) -> None:
        from mhsw_desktop.ui.resource_directory import open_resource_directory

        open_resource_directory(self.runner, self)

    def practitioner_profile(self) -> None:
        from mhsw_desktop.ui.practitioner_dialog import PractitionerDialog

        if self.runner.vault is None:
            return
        dialog = PractitionerDialog(self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()

    def show_problem(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> None:
        from mhsw_desktop.components import COMPONENTS

        # the components' names, licences and purposes are as components.py gives them
        parts = "\n".join(f"• {c.name} — {c.licence} ({c.purpose})" for c in COMPONENTS)
        where = self.vault_label.text() or self.tr("No vault is open.")
        text = self.tr(
            "{app} {version}\n\nEncrypted, offline records for mental health social workers. "
            "Everything stays on this computer.\n\n{where}\n"
            "Backups are kept in the vault folder's backups/ folder.\n\n"
            "Built with:\n{parts}"
        ).format(app=APP_NAME, version=__version__, where=where, parts=parts)
        box = QMessageBox(
            QMessageBox.Icon.Information,
            self.tr("About {app}").format(app=APP_NAME),
            text,
            parent=self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window quits (the controller locks first), after asking about a
        safety plan with unsaved edits."""
        event.ignore()
        if self.client_view.safety_plan.is_dirty():
            self.show_view(self.client_view)
            self.client_view.show_safety_plan()
            self.client_view.safety_plan.ask_to_leave(self.quit_requested.emit)
            return
        self.quit_requested.emit()

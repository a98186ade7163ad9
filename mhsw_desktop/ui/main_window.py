"""The main window: a thin frame that assembles the action registry, panes and status bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QMainWindow,
    QMessageBox,
    QStackedWidget,
    QToolBar,
    QWidget,
)

from mhsw_desktop import APP_NAME, __version__
from mhsw_desktop.ui.actions import ACTIONS, MENUS, build_actions
from mhsw_desktop.ui.client_list import ClientListPane
from mhsw_desktop.ui.locked_pane import LockedPane
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import plain_label

LOCKED_TITLE = f"{APP_NAME} — Locked"


class MainWindow(QMainWindow):
    """Frame around the client list; what happens on lock/unlock is the controller's."""

    lock_requested = Signal()
    unlock_requested = Signal()
    quit_requested = Signal()
    change_passphrase_requested = Signal()

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self.setObjectName("main_window")
        self.setWindowTitle(LOCKED_TITLE)
        self.actions_by_id = build_actions(self)

        self.clients = ClientListPane(runner, self)
        self.locked = LockedPane(self)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.clients)
        self.stack.addWidget(self.locked)
        self.setCentralWidget(self.stack)

        self._build_menus()
        self.vault_label = plain_label("", self)
        self.vault_label.setAccessibleName("Vault folder")
        self.count_label = plain_label("", self)
        self.count_label.setAccessibleName("Number of clients shown")
        self.statusBar().addWidget(self.vault_label, 1)
        self.statusBar().addPermanentWidget(self.count_label)

        act = self.actions_by_id
        act["lock"].triggered.connect(self.lock_requested)
        act["quit"].triggered.connect(self.quit_requested)
        act["change_passphrase"].triggered.connect(self.change_passphrase_requested)
        act["about"].triggered.connect(self.show_about)
        act["find"].triggered.connect(self.clients.focus_filter)
        act["new_client"].triggered.connect(self.new_client)
        act["edit_client"].triggered.connect(self.edit_client)
        act["discharge_client"].triggered.connect(self.discharge_client)
        self.clients.open_requested.connect(self.open_client)
        self.clients.count_changed.connect(self._show_count)
        self.clients.selection_changed.connect(self._selection_changed)
        self.clients.problem.connect(self.show_problem)
        self.locked.unlock_requested.connect(self.unlock_requested)
        self.show_locked()
        width = self.fontMetrics().averageCharWidth() * 140
        self.resize(width, int(width * 0.62))

    def _build_menus(self) -> None:
        menus = {}
        for menu_id, title in MENUS:
            menus[menu_id] = self.menuBar().addMenu(title)
        toolbar = QToolBar("Main toolbar", self)
        toolbar.setObjectName("main_toolbar")
        toolbar.setAccessibleName("Main toolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.addToolBar(toolbar)
        for spec in ACTIONS:
            action = self.actions_by_id[spec.id]
            if spec.id == "quit":
                menus[spec.menu].addSeparator()
            menus[spec.menu].addAction(action)
            self.addAction(action)  # shortcuts work while the menu bar is hidden too
            if spec.toolbar:
                toolbar.addAction(action)
                button = toolbar.widgetForAction(action)
                if button is not None:
                    button.setAccessibleName(spec.accessible_name)
        self.toolbar = toolbar

    # -- states ----------------------------------------------------------------------
    def show_unlocked(self, folder: Path) -> None:
        self.setWindowTitle(APP_NAME)
        self.vault_label.setText(f"Vault: {folder}")
        self.stack.setCurrentWidget(self.clients)
        self._set_client_actions(True)
        self.clients.load()
        self.clients.filter.setFocus()

    def show_locked(self) -> None:
        """Drop every view of client data: dialogs, rows, filter text, counts, title."""
        for dialog in self.findChildren(QDialog):
            discard = getattr(dialog, "discard", None)
            if callable(discard):
                discard()
            elif isinstance(dialog, QMessageBox) or dialog.isVisible():
                dialog.done(0)
        self.clients.clear()
        self.count_label.setText("")
        self.vault_label.setText("Locked")
        self.setWindowTitle(LOCKED_TITLE)
        self.stack.setCurrentWidget(self.locked)
        self._set_client_actions(False)

    def _set_client_actions(self, unlocked: bool) -> None:
        for action_id in ("new_client", "find", "lock", "change_passphrase"):
            self.actions_by_id[action_id].setEnabled(unlocked)
        self._selection_changed(unlocked and self.clients.current_id() is not None)

    def _selection_changed(self, selected: bool) -> None:
        unlocked = self.stack.currentWidget() is self.clients
        for action_id in ("edit_client", "discharge_client"):
            self.actions_by_id[action_id].setEnabled(selected and unlocked)

    def _show_count(self, shown: int, total: int) -> None:
        if self.stack.currentWidget() is not self.clients:
            self.count_label.setText("")
        elif shown == total:
            self.count_label.setText(f"{total} clients")
        else:
            self.count_label.setText(f"{shown} of {total} clients")

    # -- client work -------------------------------------------------------------------
    def new_client(self) -> None:
        from mhsw_desktop.ui.client_form import ClientFormDialog

        form = ClientFormDialog(self.runner, None, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(self._select_after_save)
        form.open()

    def edit_client(self) -> None:
        client_id = self.clients.current_id()
        if client_id is not None:
            self.open_client(client_id)

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

        row = self.clients.current_row()
        if row is None:
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

    def show_problem(self, message: str) -> None:
        box = QMessageBox(QMessageBox.Icon.Warning, APP_NAME, message, parent=self)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def show_about(self) -> None:
        from mhsw_desktop.components import COMPONENTS

        parts = "\n".join(f"• {c.name} — {c.licence} ({c.purpose})" for c in COMPONENTS)
        where = self.vault_label.text() or "No vault is open."
        box = QMessageBox(
            QMessageBox.Icon.Information,
            f"About {APP_NAME}",
            f"{APP_NAME} {__version__}\n\nEncrypted, offline records for mental health "
            f"social workers. Everything stays on this computer.\n\n{where}\n"
            "Backups are kept in the vault folder's backups/ folder.\n\n"
            f"Built with:\n{parts}",
            parent=self,
        )
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing the window quits (the controller locks first)."""
        event.ignore()
        self.quit_requested.emit()

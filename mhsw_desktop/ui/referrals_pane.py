"""The client view's Referrals tab: the client's referrals to community resources, newest
first, with what became of each and its follow-up; refer, change, remove, and the
directory one click away."""

from __future__ import annotations

import uuid
from functools import cache
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QHBoxLayout, QHeaderView, QToolButton, QVBoxLayout, QWidget

from mhsw_desktop.ui.actions import REFERRAL_ACTIONS, make_action
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import Column, RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import plain_label


class ReferralWords(QObject):
    """The cells' words (a QObject, so that they are translated in its context)."""

    def followup_done(self, day: str) -> str:
        return self.tr("{day} (done)").format(day=day)

    def resource_gone(self, name: str) -> str:
        return self.tr("{name} (no longer in the directory)").format(name=name)

    def count(self, n: int) -> str:
        return self.tr("1 referral") if n == 1 else self.tr("%n referrals", "", n)


@cache
def _words() -> ReferralWords:
    return ReferralWords()


def status_text(row: Any) -> str:
    """The status (the domain's label) and the day it was set."""
    return f"{row.status.label}" + (f" ({row.status_date.isoformat()})" if row.status_date else "")


def followup_text(row: Any) -> str:
    if row.followup_date is None:
        return ""
    day = row.followup_date.isoformat()
    return _words().followup_done(day) if row.followup_done else day


def resource_name(row: Any) -> str:
    return _words().resource_gone(row.resource_name) if row.resource_deleted else row.resource_name


COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Referred"), lambda r: r.referred_on.isoformat()),
    (QT_TRANSLATE_NOOP("Columns", "Resource"), resource_name),
    (QT_TRANSLATE_NOOP("Columns", "Status"), status_text),
    (QT_TRANSLATE_NOOP("Columns", "Follow up"), followup_text),
    (QT_TRANSLATE_NOOP("Columns", "Notes"), lambda r: " ".join(r.notes.split())),
)
#: kinds of change that may alter what the pane shows (referral writes announce "tasks")
WATCHED = ("tasks", "resources", "referrals", "clients")


class ReferralsPane(QWidget):
    """One client's referrals; :meth:`show_client` loads, :meth:`clear` forgets."""

    problem = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("referrals_pane")
        self.runner = runner
        self.client_id: uuid.UUID | None = None
        self._generation = 0

        self.actions_by_id: dict[str, QAction] = {}
        self.buttons: dict[str, QToolButton] = {}
        for spec in REFERRAL_ACTIONS:
            action = make_action(spec, self)
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.setIconText(action.text())  # a tool button shows it, mnemonic and all
            self.actions_by_id[spec.id] = action
            button = QToolButton(self)
            button.setDefaultAction(action)
            button.setAccessibleName(action.toolTip())  # the spec's accessible name
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.buttons[spec.id] = button
        act = self.actions_by_id
        act["refer"].triggered.connect(lambda: self.refer())
        act["edit_referral"].triggered.connect(lambda: self.edit())
        act["remove_referral"].triggered.connect(lambda: self.remove())
        act["open_resources"].triggered.connect(self.open_directory)

        self.model = RecordTableModel(COLUMNS, self)
        self.table = RecordTableView(self.model, self.tr("Referrals"), self)
        self.table.setObjectName("referrals")
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        for column in (0, 2, 3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        header.resizeSection(1, self.fontMetrics().averageCharWidth() * 36)
        self.table.open_requested.connect(self.edit)
        self.table.delete_requested.connect(lambda _row: self.remove())
        self.empty = plain_label(
            self.tr(
                "No referrals yet. Refer… connects this client to a food bank, housing help, "
                "transport, benefits, a crisis line, a support group, legal aid or treatment."
            ),
            self,
        )
        self.empty.setWordWrap(True)
        self.count = plain_label("", self)
        self.count.setAccessibleName(self.tr("Number of referrals"))

        buttons = QHBoxLayout()
        for spec in REFERRAL_ACTIONS:
            buttons.addWidget(self.buttons[spec.id])
        buttons.addStretch(1)
        buttons.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)

        self.table.selectionModel().selectionChanged.connect(self._selected)
        self.model.modelReset.connect(self._selected)
        runner.changed.connect(self._records_changed)
        self.clear()

    # -- loading -----------------------------------------------------------------------
    def show_client(self, client_id: uuid.UUID) -> None:
        if client_id != self.client_id:
            self.clear()
        self.client_id = client_id
        self.load()

    def load(self) -> None:
        client_id = self.client_id
        if client_id is None or self.runner.vault is None:
            return
        from mhsw_desktop.services.resources import list_referrals

        self._generation += 1
        generation = self._generation

        def done(rows: list[Any]) -> None:
            if generation == self._generation and client_id == self.client_id:
                self._show(rows)

        self.runner.query(lambda s: list_referrals(s, client_id), done, self._failed)

    def _show(self, rows: list[Any]) -> None:
        selected = self.table.current_record()
        self.model.set_rows(rows)
        if selected is not None and self.model.row_of(selected.id) >= 0:
            self.table.selectRow(self.model.row_of(selected.id))
        self.empty.setVisible(not rows)
        self.table.setVisible(bool(rows))
        self.count.setText(_words().count(len(rows)))
        self.actions_by_id["refer"].setEnabled(True)
        self.actions_by_id["open_resources"].setEnabled(True)

    def _failed(self, exc: BaseException) -> None:
        self.problem.emit(user_message(exc))

    def _records_changed(self, kind: str) -> None:
        if kind in WATCHED and self.client_id is not None:
            self.load()

    def _selected(self, *_args: object) -> None:
        chosen = self.client_id is not None and self.table.current_record() is not None
        self.actions_by_id["edit_referral"].setEnabled(chosen)
        self.actions_by_id["remove_referral"].setEnabled(chosen)

    def clear(self) -> None:
        """Forget the client (on lock, or before showing another)."""
        self._generation += 1
        self.client_id = None
        self.model.clear()
        self.count.setText("")
        self.empty.hide()
        self.table.show()
        for action in self.actions_by_id.values():
            action.setEnabled(False)

    # -- actions -------------------------------------------------------------------------
    def refer(self, resource_id: uuid.UUID | None = None) -> Any:
        from mhsw_desktop.ui.referral_dialog import ReferralDialog

        if self.client_id is None or self.runner.vault is None:
            return None
        dialog = ReferralDialog(self.runner, self.client_id, None, self, resource_id=resource_id)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._select_later)
        dialog.open()
        return dialog

    def edit(self, row: Any = None) -> Any:
        from mhsw_desktop.ui.referral_dialog import ReferralDialog

        row = row if row is not None else self.table.current_record()
        if row is None or self.client_id is None or self.runner.vault is None:
            return None
        dialog = ReferralDialog(self.runner, self.client_id, row, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._select_later)
        dialog.open()
        return dialog

    def remove(self) -> Any:
        """Ask, then remove the selected referral (entered by mistake)."""
        from mhsw_desktop.ui.confirm import ask_first
        from mhsw_desktop.ui.referral_dialog import CHANGES, remove_question

        row = self.table.current_record()
        if row is None or self.runner.vault is None:
            return None
        referral_id = row.id

        def confirmed() -> None:
            from mhsw_desktop.services.resources import delete_referral

            if self.runner.vault is not None:
                self.runner.query(
                    lambda s: delete_referral(s, referral_id), None, self._failed, changes=CHANGES
                )

        return ask_first(
            self, self.tr("Remove referral"), remove_question(row), self.tr("&Remove"), confirmed
        )

    def open_directory(self) -> None:
        from mhsw_desktop.ui.resource_directory import open_resource_directory

        open_resource_directory(self.runner, self.window())

    def _select_later(self, referral_id: Any) -> None:
        def select() -> None:
            index = self.model.row_of(referral_id)
            if index >= 0:
                self.table.selectRow(index)

        self.model.modelReset.connect(select, Qt.ConnectionType.SingleShotConnection)

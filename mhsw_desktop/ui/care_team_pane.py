"""A client's care team in the client view: who is on the team and what may be shared with
them, the client's releases of information (status computed by the service, shown in
words), the coordination log, and the accounting of disclosures (read-only).

Team memberships, releases and contacts open for editing on Enter or a double-click and
ask before deleting on the Delete key (or their buttons); whether a change or a deletion
is allowed is the service's call, and its refusal is shown in its own words."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.domain.care_team import ReleaseStatus
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import Column, RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.release_model import RELEASE_COLUMNS, StatusTableModel
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import plain_label

#: the kinds of change after which the pane reloads
WATCHED = ("care_team", "releases", "collaborators", "clients")


def _period(row: Any) -> str:
    start = row.start_date.isoformat()
    if row.end_date is not None:
        return QCoreApplication.translate("CareTeamPane", "{start} to {end}").format(
            start=start, end=row.end_date.isoformat()
        )
    return QCoreApplication.translate("CareTeamPane", "Since {start}").format(start=start)


def _team_release(row: Any) -> str:
    status = row.release_status
    if status is None:
        return QCoreApplication.translate("CareTeamPane", "No release")
    if status.in_force:
        shared = ", ".join(c.label.lower() for c in row.may_share)
        return f"{status.label}: {shared}"
    return QCoreApplication.translate("CareTeamPane", "{status}: share nothing").format(
        status=status.label
    )


def _primary(row: Any) -> str:
    return (
        QCoreApplication.translate("CareTeamPane", "Primary contact") if row.primary_contact else ""
    )


TEAM_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Collaborator"), lambda r: r.display_name),
    (QT_TRANSLATE_NOOP("Columns", "Role on team"), lambda r: r.display_role),
    (QT_TRANSLATE_NOOP("Columns", "Primary"), _primary),
    (QT_TRANSLATE_NOOP("Columns", "On team"), _period),
    (QT_TRANSLATE_NOOP("Columns", "Phone"), lambda r: r.phone),
    (QT_TRANSLATE_NOOP("Columns", "Release"), _team_release),
)
CONTACT_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Date"), lambda r: r.contact_date.isoformat()),
    (QT_TRANSLATE_NOOP("Columns", "With"), lambda r: r.collaborator_name),
    (QT_TRANSLATE_NOOP("Columns", "How"), lambda r: r.mode.label),
    (QT_TRANSLATE_NOOP("Columns", "Direction"), lambda r: r.direction.label),
    (QT_TRANSLATE_NOOP("Columns", "Summary"), lambda r: " ".join(r.summary.split())),
)
DISCLOSURE_COLUMNS: tuple[Column, ...] = (
    (QT_TRANSLATE_NOOP("Columns", "Date"), lambda r: r.disclosed_on.isoformat()),
    (
        QT_TRANSLATE_NOOP("Columns", "To"),
        lambda r: (
            r.recipient_name + (f", {r.recipient_organisation}" if r.recipient_organisation else "")
        ),
    ),
    (QT_TRANSLATE_NOOP("Columns", "What"), lambda r: r.what),
    (
        QT_TRANSLATE_NOOP("Columns", "Categories"),
        lambda r: ", ".join(c.label.lower() for c in r.categories),
    ),
    (QT_TRANSLATE_NOOP("Columns", "By"), lambda r: r.means.label),
    (QT_TRANSLATE_NOOP("Columns", "Purpose"), lambda r: " ".join(r.purpose.split())),
)


class CareTeamPane(QWidget):
    """One client's care team; :meth:`show_client` loads it, :meth:`clear` forgets it."""

    problem = Signal(str)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("care_team_pane")
        self.runner = runner
        self.client_id: uuid.UUID | None = None
        self._generation = 0
        #: a release to select once the rows are in (opened from the Today view)
        self._release_wanted: uuid.UUID | None = None

        # the team
        self.team = StatusTableModel(TEAM_COLUMNS, 5, lambda r: r.release_status, self)
        self.team_table = self._table(self.team, self.tr("Care team"), "care_team", stretch=5)
        self.add_member = self._button(
            self.tr("A&dd to team…"), self.tr("Add to care team"), self._add_member
        )
        self.edit_member = self._button(
            self.tr("Edit…"), self.tr("Edit the selected team membership"), self.edit_member_row
        )
        self.end_member = self._button(
            self.tr("End mem&bership…"),
            self.tr("End the selected team membership"),
            self._end_member,
        )
        self.remove_member = self._button(
            self.tr("Remove…"),
            self.tr("Remove the selected team membership (entered by mistake)"),
            self.remove_member_row,
        )
        self.directory = self._button(
            self.tr("Director&y…"), self.tr("Open the collaborator directory"), self._open_directory
        )
        self.team_empty = plain_label(self.tr("No one is on this client's care team yet."), self)
        team_box = self._box(
            self.tr("Care team"), self.team_table, self.team_empty,
            (self.add_member, self.edit_member, self.end_member, self.remove_member,
             self.directory),
        )  # fmt: skip

        # releases
        self.releases = StatusTableModel(RELEASE_COLUMNS, 1, parent=self)
        self.release_table = self._table(
            self.releases, self.tr("Releases of information"), "releases", 2
        )
        self.add_release = self._button(
            self.tr("Add relea&se…"), self.tr("Add release of information"), self._add_release
        )
        self.edit_release = self._button(
            self.tr("Edit…"),
            self.tr("Edit the selected release of information"),
            self.edit_release_row,
        )
        self.revoke = self._button(
            self.tr("Re&voke…"), self.tr("Revoke the selected release of information"), self._revoke
        )
        self.delete_release = self._button(
            self.tr("Delete…"),
            self.tr("Delete the selected release of information (entered by mistake)"),
            self.delete_release_row,
        )
        self.releases_empty = plain_label(
            self.tr("No releases of information: nothing may be shared with anyone."), self
        )
        release_box = self._box(
            self.tr("Releases of information"), self.release_table, self.releases_empty,
            (self.add_release, self.edit_release, self.revoke, self.delete_release),
        )  # fmt: skip

        # coordination log and disclosures
        self.contacts = RecordTableModel(CONTACT_COLUMNS, self)
        self.contact_table = self._table(self.contacts, self.tr("Coordination log"), "contacts", 4)
        self.log_contact = self._button(
            self.tr("Lo&g contact…"), self.tr("Log contact"), self._log_contact
        )
        self.edit_contact = self._button(
            self.tr("Edit…"), self.tr("Edit the selected contact"), self.edit_contact_row
        )
        self.delete_contact = self._button(
            self.tr("Delete…"),
            self.tr("Delete the selected contact (logged by mistake)"),
            self.delete_contact_row,
        )
        self.contacts_empty = plain_label(self.tr("No contacts logged yet."), self)
        contact_page = QWidget(self)
        contact_layout = QHBoxLayout(contact_page)
        column = QVBoxLayout()
        column.addWidget(self.contact_table, 1)
        column.addWidget(self.contacts_empty)
        contact_layout.addLayout(column, 1)
        contact_buttons = QVBoxLayout()
        for button in (self.log_contact, self.edit_contact, self.delete_contact):
            contact_buttons.addWidget(button)
        contact_buttons.addStretch(1)
        contact_layout.addLayout(contact_buttons)
        self.disclosures = RecordTableModel(DISCLOSURE_COLUMNS, self)
        self.disclosure_table = self._table(
            self.disclosures, self.tr("Accounting of disclosures"), "disclosures", 2
        )
        self.disclosures_empty = plain_label(
            self.tr("Nothing has been disclosed. Reports made for a collaborator are listed here."),
            self,
        )
        disclosure_page = QWidget(self)
        disclosure_layout = QVBoxLayout(disclosure_page)
        disclosure_layout.addWidget(self.disclosure_table, 1)
        disclosure_layout.addWidget(self.disclosures_empty)
        self.log_tabs = QTabWidget(self)
        self.log_tabs.setAccessibleName(self.tr("Coordination log and disclosures"))
        self.log_tabs.addTab(contact_page, self.tr("Coordination &log"))
        self.log_tabs.addTab(disclosure_page, self.tr("Accounting of dis&closures"))

        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for widget in (team_box, release_box, self.log_tabs):
            splitter.addWidget(widget)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(splitter)

        for table, edit, delete in (
            (self.team_table, self.edit_member_row, self.remove_member_row),
            (self.release_table, self.edit_release_row, self.delete_release_row),
            (self.contact_table, self.edit_contact_row, self.delete_contact_row),
        ):
            table.selectionModel().selectionChanged.connect(self._update_buttons)
            table.model().modelReset.connect(self._update_buttons)
            table.open_requested.connect(edit)
            table.delete_requested.connect(delete)
        runner.changed.connect(self._records_changed)
        self.clear()

    # -- building ----------------------------------------------------------------
    def _table(
        self, model: RecordTableModel, name: str, object_name: str, stretch: int
    ) -> RecordTableView:
        table = RecordTableView(model, name, self)
        table.setObjectName(object_name)
        header = table.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        table.setMinimumHeight(table.fontMetrics().height() * 5)
        return table

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.clicked.connect(lambda: slot())
        return button

    def _box(
        self, title: str, table: QWidget, empty: QLabel, buttons: tuple[QPushButton, ...]
    ) -> QGroupBox:
        box = QGroupBox(title, self)
        layout = QHBoxLayout(box)
        column = QVBoxLayout()
        column.addWidget(table, 1)
        column.addWidget(empty)
        layout.addLayout(column, 1)
        side = QVBoxLayout()
        for button in buttons:
            side.addWidget(button)
        side.addStretch(1)
        layout.addLayout(side)
        return box

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
        from mhsw_desktop.services import care_team

        self._generation += 1
        generation = self._generation
        today = date.today()

        def work(session: Any) -> Any:
            return (
                care_team.list_team(session, client_id, today=today),
                care_team.list_releases(session, client_id, today=today),
                care_team.list_contacts(session, client_id),
                care_team.list_disclosures(session, client_id),
            )

        def done(result: Any) -> None:
            if generation == self._generation and client_id == self.client_id:
                self._show(*result)

        self.runner.query(work, done, self._failed)

    def _show(
        self, team: list[Any], releases: list[Any], contacts: list[Any], disclosed: list[Any]
    ) -> None:
        for table, model, rows in (
            (self.team_table, self.team, team),
            (self.release_table, self.releases, releases),
            (self.contact_table, self.contacts, contacts),
            (self.disclosure_table, self.disclosures, disclosed),
        ):
            selected = table.current_record()
            model.set_rows(rows)
            if selected is not None and model.row_of(selected.id) >= 0:
                table.selectRow(model.row_of(selected.id))
        self._show_empty()
        for widget in (self.add_member, self.directory, self.add_release, self.log_contact):
            widget.setEnabled(True)
        self._update_buttons()
        wanted, self._release_wanted = self._release_wanted, None
        if wanted is not None and self.releases.row_of(wanted) >= 0:
            self.release_table.selectRow(self.releases.row_of(wanted))
            if self.isVisible():
                self.release_table.setFocus(Qt.FocusReason.OtherFocusReason)

    def select_release(self, release_id: uuid.UUID) -> None:
        """Select (and focus) a release of the client being shown, once it is loaded."""
        if self.releases.row_of(release_id) >= 0:
            self.release_table.selectRow(self.releases.row_of(release_id))
            self.release_table.setFocus(Qt.FocusReason.OtherFocusReason)
        self._release_wanted = release_id

    def _show_empty(self) -> None:
        for table, model, empty in (
            (self.team_table, self.team, self.team_empty),
            (self.release_table, self.releases, self.releases_empty),
            (self.contact_table, self.contacts, self.contacts_empty),
            (self.disclosure_table, self.disclosures, self.disclosures_empty),
        ):
            empty.setVisible(model.rowCount() == 0)
            table.setVisible(model.rowCount() > 0)

    def _failed(self, exc: BaseException) -> None:
        self.problem.emit(user_message(exc))

    def _records_changed(self, kind: str) -> None:
        if kind in WATCHED and self.client_id is not None:
            self.load()

    def clear(self) -> None:
        """Forget the client (on lock, or before showing another)."""
        self._generation += 1
        self.client_id = None
        self._release_wanted = None
        for model in (self.team, self.releases, self.contacts, self.disclosures):
            model.clear()
        self._show_empty()
        for widget in (
            self.add_member,
            self.directory,
            self.add_release,
            self.log_contact,
        ):
            widget.setEnabled(False)
        self._update_buttons()

    def _update_buttons(self, *_args: object) -> None:
        member = self.team_table.current_record() if self.client_id else None
        release = self.release_table.current_record() if self.client_id else None
        contact = self.contact_table.current_record() if self.client_id else None
        self.end_member.setEnabled(member is not None and member.end_date is None)
        self.revoke.setEnabled(release is not None and release.status is not ReleaseStatus.REVOKED)
        for button, row in (
            (self.edit_member, member),
            (self.remove_member, member),
            (self.edit_release, release),
            (self.delete_release, release),
            (self.edit_contact, contact),
            (self.delete_contact, contact),
        ):
            button.setEnabled(row is not None)

    def on_team(self) -> tuple[uuid.UUID, ...]:
        """Collaborators currently on the team (they lead every choice of collaborator)."""
        return tuple(r.collaborator_id for r in self.team.all_rows() if r.current)

    def _selected_collaborator(self) -> uuid.UUID | None:
        row = self.team_table.current_record()
        return row.collaborator_id if row is not None else None

    # -- actions -------------------------------------------------------------------------
    def _open(self, dialog: Any) -> Any:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def _add_member(self) -> Any:
        from mhsw_desktop.ui.team_member_dialog import TeamMemberDialog

        if self.client_id is None:
            return None
        return self._open(TeamMemberDialog(self.runner, self.client_id, self.on_team(), self))

    def edit_member_row(self, row: Any = None) -> Any:
        """The membership dialog for ``row`` (the selected one when None)."""
        from mhsw_desktop.ui.team_member_dialog import TeamMemberDialog

        row = row if row is not None else self.team_table.current_record()
        if row is None or self.client_id is None:
            return None
        return self._open(
            TeamMemberDialog(self.runner, self.client_id, self.on_team(), self, row=row)
        )

    def remove_member_row(self, row: Any = None) -> Any:
        from mhsw_desktop.services.care_team import remove_team_member
        from mhsw_desktop.ui.team_member_dialog import remove_question

        row = row if row is not None else self.team_table.current_record()
        if row is None or self.client_id is None:
            return None
        member_id = row.id
        return self._ask(
            self.tr("Remove from care team"),
            remove_question(row),
            self.tr("&Remove"),
            lambda s: remove_team_member(s, member_id),
            "care_team",
        )

    def _ask(
        self, title: str, question: str, action: str, delete: Any, changes: str
    ) -> QMessageBox:
        """Ask ``question``; if the answer is ``action``, run ``delete(session)``: a refusal
        is shown (:attr:`problem`) as the service words it."""
        from mhsw_desktop.ui.confirm import ask_first

        client_id = self.client_id

        def confirmed() -> None:
            if self.runner.vault is not None and self.client_id == client_id:
                self.runner.query(delete, None, self._failed, changes=changes)

        return ask_first(self, title, question, action, confirmed)

    def _end_member(self) -> Any:
        from mhsw_desktop.services.care_team import end_team_membership
        from mhsw_desktop.ui.end_date_dialog import EndDateDialog

        row = self.team_table.current_record()
        if row is None or self.client_id is None:
            return None
        member_id = row.id
        return self._open(
            EndDateDialog(
                self.runner,
                title=self.tr("End team membership"),
                intro=self.tr(
                    "{name} leaves this client's care team. The membership stays in the "
                    "history; releases are not changed."
                ).format(name=row.display_name),
                date_label=self.tr("&Last day on the team"),
                field="end_date",
                accept_text=self.tr("&End membership"),
                accept_name=self.tr("End membership"),
                record=lambda s, day: end_team_membership(s, member_id, day),
                changes="care_team",
                parent=self,
            )
        )

    def _add_release(self) -> Any:
        from mhsw_desktop.ui.release_dialog import ReleaseDialog

        if self.client_id is None:
            return None
        return self._open(
            ReleaseDialog(
                self.runner,
                self.client_id,
                self._selected_collaborator(),
                self.on_team(),
                self,
            )
        )

    def edit_release_row(self, row: Any = None) -> Any:
        """The release dialog for ``row`` (the selected one when None); the service may
        refuse the change, and the dialog then says why."""
        from mhsw_desktop.ui.release_dialog import ReleaseDialog

        row = row if row is not None else self.release_table.current_record()
        if row is None or self.client_id is None:
            return None
        return self._open(
            ReleaseDialog(self.runner, self.client_id, None, self.on_team(), self, row=row)
        )

    def delete_release_row(self, row: Any = None) -> Any:
        from mhsw_desktop.services.care_team import delete_release
        from mhsw_desktop.ui.release_dialog import delete_question

        row = row if row is not None else self.release_table.current_record()
        if row is None or self.client_id is None:
            return None
        release_id = row.id
        return self._ask(
            self.tr("Delete release of information"),
            delete_question(row),
            self.tr("&Delete release"),
            lambda s: delete_release(s, release_id),
            "releases",
        )

    def _revoke(self) -> Any:
        from mhsw_desktop.services.care_team import revoke_release
        from mhsw_desktop.ui.end_date_dialog import EndDateDialog

        row = self.release_table.current_record()
        if row is None or self.client_id is None:
            return None
        release_id = row.id
        return self._open(
            EndDateDialog(
                self.runner,
                title=self.tr("Revoke release of information"),
                intro=self.tr(
                    "The client revokes the release for {name} signed {day}. From the "
                    "revocation date nothing may be shared under it; what was shared before "
                    "stays in the accounting."
                ).format(name=row.collaborator_name, day=row.signed_date.isoformat()),
                date_label=self.tr("&Revoked on"),
                field="revoked_date",
                accept_text=self.tr("&Revoke release"),
                accept_name=self.tr("Revoke release"),
                record=lambda s, day: revoke_release(s, release_id, day),
                changes="releases",
                parent=self,
            )
        )

    def _log_contact(self) -> Any:
        from mhsw_desktop.ui.contact_dialog import ContactDialog

        if self.client_id is None:
            return None
        return self._open(
            ContactDialog(
                self.runner, self.client_id, self._selected_collaborator(), self.on_team(), self
            )
        )

    def edit_contact_row(self, row: Any = None) -> Any:
        """The contact dialog for ``row`` (a ``ContactRow``; the selected one when None),
        also used by the timeline."""
        from mhsw_desktop.ui.contact_dialog import ContactDialog

        row = row if row is not None else self.contact_table.current_record()
        if row is None or self.client_id is None:
            return None
        return self._open(
            ContactDialog(self.runner, self.client_id, None, self.on_team(), self, row=row)
        )

    def delete_contact_row(self, row: Any = None) -> Any:
        from mhsw_desktop.services.care_team import delete_contact
        from mhsw_desktop.ui.contact_dialog import delete_question

        row = row if row is not None else self.contact_table.current_record()
        if row is None or self.client_id is None:
            return None
        contact_id = row.id
        return self._ask(
            self.tr("Delete contact"),
            delete_question(row),
            self.tr("&Delete contact"),
            lambda s: delete_contact(s, contact_id),
            "care_team",
        )

    def _open_directory(self) -> Any:
        from mhsw_desktop.ui.collaborator_directory import open_directory

        return open_directory(self.runner, self.window())

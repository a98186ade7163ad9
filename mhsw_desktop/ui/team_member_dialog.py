"""Put a collaborator on a client's care team: who (from the directory, or a new entry),
their part on this team, from when, and whether they are the primary contact; or change a
membership (its role, dates, primary contact), or remove one entered by mistake."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from mhsw_desktop.domain.care_team import CARE_LIMITS
from mhsw_desktop.ui.collaborator_combo import CollaboratorCombo
from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner
from mhsw_desktop.ui.service_form import ServiceFormDialog


def remove_question(row: Any) -> str:
    """Asked before a membership (``TeamMemberRow``) is removed."""
    return QCoreApplication.translate(
        "TeamMemberDialog",
        "Remove {name} from this client's care team? Do this only for a membership entered "
        "by mistake: when someone leaves the team, end the membership instead, so that it "
        "stays in the history.",
    ).format(name=row.display_name)


class TeamMemberDialog(ServiceFormDialog):
    """Adds one membership, or edits ``row`` (a ``TeamMemberRow``: the person stays the
    same); :attr:`saved` carries its id."""

    def __init__(
        self,
        runner: OperationRunner,
        client_id: uuid.UUID,
        on_team: tuple[uuid.UUID, ...] = (),
        parent: QWidget | None = None,
        *,
        row: Any = None,
    ) -> None:
        editing = row is not None
        super().__init__(
            runner,
            self.tr("Edit care-team membership") if editing else self.tr("Add to care team"),
            self.tr("&Save") if editing else self.tr("&Add to team"),
            self.tr("Save care-team membership") if editing else self.tr("Add to care team"),
            parent,
        )
        self.setObjectName("team_member_dialog")
        self.client_id = client_id
        self.member_id: uuid.UUID | None = row.id if editing else None
        self._on_team = set(on_team)
        self.collaborator = CollaboratorCombo(runner, self)
        self.collaborator.problem.connect(self.summary.setText)
        self.new_collaborator = QPushButton(self.tr("Ne&w collaborator…"), self)
        self.new_collaborator.setAccessibleName(self.tr("Add a new collaborator to the directory"))
        self.new_collaborator.clicked.connect(self._new_collaborator)
        who = QWidget(self)
        line = QHBoxLayout(who)
        line.setContentsMargins(0, 0, 0, 0)
        line.addWidget(self.collaborator, 1)
        line.addWidget(self.new_collaborator)
        self.add_field(
            "collaborator_id",
            self.tr("&Collaborator"),
            self.collaborator,
            required=True,
            container=who,
        )
        self.team_role = QLineEdit(self)
        self.team_role.setMaxLength(CARE_LIMITS["team_role"])
        self.team_role.setPlaceholderText(self.tr("Leave empty for their role in the directory"))
        self.add_field("team_role", self.tr("&Role on this team"), self.team_role)
        self.start = OptionalDateEdit(date.today(), self)
        self.add_field("start_date", self.tr("&Start date"), self.start, required=True)
        #: only when editing: a new member's membership is ended later, from the pane
        self.end: OptionalDateEdit | None = None
        if editing:
            self.end = OptionalDateEdit(row.end_date, self)
            self.end.setToolTip(self.tr("The last day on the team (Delete clears it)"))
            self.add_field("end_date", self.tr("&Last day on the team"), self.end)
        self.primary = QCheckBox(self.tr("&Yes (replaces any other primary contact)"), self)
        self.add_field(
            "primary_contact",
            self.tr("Primary contact"),
            self.primary,
            accessible_name=self.tr("Primary contact"),
        )
        self.collaborator.currentIndexChanged.connect(self._revalidate)
        if editing:
            self.collaborator.setEnabled(False)
            self.new_collaborator.hide()
            self.team_role.setText(row.team_role)
            self.start.set_value(row.start_date)
            self.primary.setChecked(row.primary_contact)
            self._add_remove(row)
        self.collaborator.load(
            select=row.collaborator_id if editing else None,
            first=(),
            name=row.display_name if editing else "",
        )
        self.mark_clean()
        self.mark_clean_once_loaded(self.collaborator)
        self._revalidate()
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.sizeHint().height())

    def _add_remove(self, row: Any) -> None:
        from mhsw_desktop.services.care_team import remove_team_member

        member_id = row.id
        self.add_delete_button(
            self.tr("Re&move from team…"),
            self.tr("Remove this membership (entered by mistake)"),
            question_title=self.tr("Remove from care team"),
            question=remove_question(row),
            action=self.tr("&Remove"),
            delete=lambda s: remove_team_member(s, member_id),
            changes="care_team",
        )

    def value(self) -> Any:
        return (
            self.collaborator.chosen(),
            self.team_role.text(),
            self.start.value(),
            self.end.value() if self.end is not None else None,
            self.primary.isChecked(),
        )

    def _revalidate(self, *_args: object) -> None:
        self.save_button.setEnabled(self.collaborator.chosen() is not None and not self._saving)

    def _set_saving(self, saving: bool) -> None:
        super()._set_saving(saving)
        self._revalidate()

    def work(self) -> tuple[Callable[[Any], Any], str] | None:
        from mhsw_desktop.services.care_team import (
            TeamMemberInput,
            add_team_member,
            update_team_member,
        )

        collaborator_id = self.collaborator.chosen()
        if collaborator_id is None:
            self.show_errors({"collaborator_id": self.tr("Choose who joins the team.")})
            return None
        start = self.start.value()
        if start is None:
            self.show_errors({"start_date": self.tr("is required")})
            return None
        data = TeamMemberInput(
            collaborator_id, self.team_role.text(), start,
            self.end.value() if self.end is not None else None, self.primary.isChecked(),
        )  # fmt: skip
        member_id, client_id = self.member_id, self.client_id
        if member_id is not None:

            def update(session: Any) -> uuid.UUID:
                update_team_member(session, member_id, data)
                return member_id

            return update, "care_team"
        return (lambda s: add_team_member(s, client_id, data)), "care_team"

    def _new_collaborator(self) -> None:
        from mhsw_desktop.ui.collaborator_form import CollaboratorFormDialog

        form = CollaboratorFormDialog(self.runner, None, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(lambda new_id: self.collaborator.load(select=new_id))
        form.open()

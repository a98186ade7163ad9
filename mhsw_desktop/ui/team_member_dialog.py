"""Put a collaborator on a client's care team: who (from the directory, or a new entry),
their part on this team, from when, and whether they are the primary contact."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLineEdit, QPushButton, QWidget

from mhsw_desktop.domain.care_team import CARE_LIMITS
from mhsw_desktop.ui.collaborator_combo import CollaboratorCombo
from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner
from mhsw_desktop.ui.service_form import ServiceFormDialog


class TeamMemberDialog(ServiceFormDialog):
    """Adds one membership; :attr:`saved` carries its id."""

    def __init__(
        self,
        runner: OperationRunner,
        client_id: uuid.UUID,
        on_team: tuple[uuid.UUID, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, "Add to care team", "&Add to team", "Add to care team", parent)
        self.setObjectName("team_member_dialog")
        self.client_id = client_id
        self._on_team = set(on_team)
        self.collaborator = CollaboratorCombo(runner, self)
        self.collaborator.problem.connect(self.summary.setText)
        self.new_collaborator = QPushButton("Ne&w collaborator…", self)
        self.new_collaborator.setAccessibleName("Add a new collaborator to the directory")
        self.new_collaborator.clicked.connect(self._new_collaborator)
        who = QWidget(self)
        row = QHBoxLayout(who)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.collaborator, 1)
        row.addWidget(self.new_collaborator)
        self.add_field(
            "collaborator_id", "&Collaborator", self.collaborator, required=True, container=who
        )
        self.team_role = QLineEdit(self)
        self.team_role.setMaxLength(CARE_LIMITS["team_role"])
        self.team_role.setPlaceholderText("Leave empty for their role in the directory")
        self.add_field("team_role", "&Role on this team", self.team_role)
        self.start = OptionalDateEdit(date.today(), self)
        self.add_field("start_date", "&Start date", self.start, required=True)
        self.primary = QCheckBox("&Yes (replaces any other primary contact)", self)
        self.add_field(
            "primary_contact", "Primary contact", self.primary, accessible_name="Primary contact"
        )
        self.collaborator.currentIndexChanged.connect(self._revalidate)
        self.collaborator.load(first=())
        self.mark_clean()
        self._revalidate()
        self.resize(self.fontMetrics().averageCharWidth() * 90, self.sizeHint().height())

    def value(self) -> Any:
        return (
            self.collaborator.chosen(),
            self.team_role.text(),
            self.start.value(),
            self.primary.isChecked(),
        )

    def _revalidate(self, *_args: object) -> None:
        self.save_button.setEnabled(self.collaborator.chosen() is not None and not self._saving)

    def _set_saving(self, saving: bool) -> None:
        super()._set_saving(saving)
        self._revalidate()

    def work(self) -> tuple[Callable[[Any], Any], str] | None:
        from mhsw_desktop.services.care_team import TeamMemberInput, add_team_member

        collaborator_id = self.collaborator.chosen()
        if collaborator_id is None:
            self.show_errors({"collaborator_id": "Choose who joins the team."})
            return None
        start = self.start.value()
        if start is None:
            self.show_errors({"start_date": "is required"})
            return None
        data = TeamMemberInput(
            collaborator_id, self.team_role.text(), start, None, self.primary.isChecked()
        )
        client_id = self.client_id
        return (lambda s: add_team_member(s, client_id, data)), "care_team"

    def _new_collaborator(self) -> None:
        from mhsw_desktop.ui.collaborator_form import CollaboratorFormDialog

        form = CollaboratorFormDialog(self.runner, None, self)
        form.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        form.saved.connect(lambda new_id: self.collaborator.load(select=new_id))
        form.open()

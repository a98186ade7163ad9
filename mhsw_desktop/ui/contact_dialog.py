"""Log one coordination contact with a collaborator about a client: the date, how it took
place, which way, and what was said; or correct one, or delete one logged by mistake."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from mhsw_desktop.domain.care_team import ContactMode, Direction
from mhsw_desktop.ui.collaborator_combo import CollaboratorCombo
from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner
from mhsw_desktop.ui.service_form import ServiceFormDialog


def delete_question(row: Any) -> str:
    """Asked before a contact (``ContactRow``) is deleted."""
    return QCoreApplication.translate(
        "ContactDialog",
        "Delete the {mode} contact with {collaborator} on {day} from the coordination log? "
        "Do this only for a contact logged by mistake.",
    ).format(
        mode=row.mode.label.lower(),
        collaborator=row.collaborator_name,
        day=row.contact_date.isoformat(),
    )


class ContactDialog(ServiceFormDialog):
    """Adds one entry to the coordination log, or edits ``row`` (a ``ContactRow``);
    :attr:`saved` carries its id."""

    def __init__(
        self,
        runner: OperationRunner,
        client_id: uuid.UUID,
        collaborator_id: uuid.UUID | None = None,
        on_team: tuple[uuid.UUID, ...] = (),
        parent: QWidget | None = None,
        *,
        row: Any = None,
    ) -> None:
        editing = row is not None
        super().__init__(
            runner,
            self.tr("Edit coordination contact") if editing else self.tr("Log contact"),
            self.tr("&Save") if editing else self.tr("&Log contact"),
            self.tr("Save contact") if editing else self.tr("Log contact"),
            parent,
        )
        self.setObjectName("contact_dialog")
        self.client_id = client_id
        self.contact_id: uuid.UUID | None = row.id if editing else None
        self.collaborator = CollaboratorCombo(runner, self)
        self.collaborator.problem.connect(self.summary.setText)
        self.add_field("collaborator_id", self.tr("&With"), self.collaborator, required=True)
        self.on = OptionalDateEdit(date.today(), self)
        self.add_field("contact_date", self.tr("&Date"), self.on, required=True)
        self.mode = QComboBox(self)
        for mode in ContactMode:
            self.mode.addItem(mode.label, mode.value)
        self.add_field("mode", self.tr("&How"), self.mode)
        self.direction = QComboBox(self)
        self.direction.addItem(self.tr("Outgoing (we contacted them)"), Direction.OUTGOING.value)
        self.direction.addItem(self.tr("Incoming (they contacted us)"), Direction.INCOMING.value)
        self.add_field("direction", self.tr("Di&rection"), self.direction)
        self.summary_text = QPlainTextEdit(self)
        self.summary_text.setTabChangesFocus(True)
        self.summary_text.setPlaceholderText(self.tr("What was asked, shared or agreed"))
        self.summary_text.setMinimumHeight(self.summary_text.fontMetrics().height() * 5)
        self.add_field("summary", self.tr("&Summary"), self.summary_text, required=True)
        self.collaborator.currentIndexChanged.connect(self._revalidate)
        self.summary_text.textChanged.connect(self._revalidate)
        if editing:
            collaborator_id = row.collaborator_id
            self.on.set_value(row.contact_date)
            self.mode.setCurrentIndex(max(0, self.mode.findData(row.mode.value)))
            self.direction.setCurrentIndex(max(0, self.direction.findData(row.direction.value)))
            self.summary_text.setPlainText(row.summary)
            self._add_delete(row)
        self.collaborator.load(
            select=collaborator_id, first=on_team, name=row.collaborator_name if editing else ""
        )
        self.mark_clean()
        self.mark_clean_once_loaded(self.collaborator)
        self._revalidate()
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())

    def _add_delete(self, row: Any) -> None:
        from mhsw_desktop.services.care_team import delete_contact

        contact_id = row.id
        self.add_delete_button(
            self.tr("De&lete contact…"),
            self.tr("Delete this contact from the coordination log"),
            question_title=self.tr("Delete contact"),
            question=delete_question(row),
            action=self.tr("&Delete contact"),
            delete=lambda s: delete_contact(s, contact_id),
            changes="care_team",
        )

    def value(self) -> Any:
        return (
            self.collaborator.chosen(),
            self.on.value(),
            self.mode.currentData(),
            self.direction.currentData(),
            self.summary_text.toPlainText(),
        )

    def _revalidate(self, *_args: object) -> None:
        ready = self.collaborator.chosen() is not None and bool(
            self.summary_text.toPlainText().strip()
        )
        self.save_button.setEnabled(ready and not self._saving)

    def _set_saving(self, saving: bool) -> None:
        super()._set_saving(saving)
        self._revalidate()

    def work(self) -> tuple[Callable[[Any], Any], str] | None:
        from mhsw_desktop.services.care_team import ContactInput, add_contact

        collaborator_id, on = self.collaborator.chosen(), self.on.value()
        if collaborator_id is None or on is None:
            self.show_errors(
                {
                    **({"collaborator_id": self.tr("Choose whom you were in contact with.")}
                       if collaborator_id is None else {}),
                    **({"contact_date": self.tr("is required")} if on is None else {}),
                }
            )  # fmt: skip
            return None
        data = ContactInput(
            collaborator_id,
            on,
            ContactMode(self.mode.currentData()),
            Direction(self.direction.currentData()),
            self.summary_text.toPlainText(),
        )
        contact_id, client_id = self.contact_id, self.client_id
        if contact_id is not None:
            from mhsw_desktop.services.care_team import update_contact

            def update(session: Any) -> uuid.UUID:
                update_contact(session, contact_id, data)
                return contact_id

            return update, "care_team"
        return (lambda s: add_contact(s, client_id, data)), "care_team"

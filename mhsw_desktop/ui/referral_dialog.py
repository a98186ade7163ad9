"""Refer a client to a community resource, or change a referral: the resource (from the
directory), the referral date, its status, a follow-up date (which the service keeps as a
task) and notes; a referral entered by mistake can be removed."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QWidget

from mhsw_desktop.domain.resources import ReferralStatus
from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.service_form import ServiceFormDialog
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

#: the first item of the list, before a resource is chosen
PROMPT = QT_TRANSLATE_NOOP("ReferralDialog", "Choose a resource…")
#: referral changes are announced as task changes: the follow-up task changes with them
CHANGES = "tasks"


def resource_text(row: Any) -> str:
    """ "Name — Categories" for a directory row."""
    return f"{row.name} — {row.category_labels}" if row.categories else row.name


def remove_question(row: Any) -> str:
    """Asked before a referral (``ReferralRow``) is removed."""
    return QCoreApplication.translate(
        "ReferralDialog",
        "Remove the referral to {resource} of {day}? Do this only for a referral entered by "
        "mistake: when it was declined or went unanswered, change its status instead, so "
        "that it stays in the history.",
    ).format(resource=row.resource_name, day=row.referred_on.isoformat())


class ReferralDialog(ServiceFormDialog):
    """A new referral for ``client_id``, or ``row`` (a ``ReferralRow``) to change;
    :attr:`saved` carries the referral's id."""

    def __init__(
        self,
        runner: OperationRunner,
        client_id: uuid.UUID,
        row: Any = None,
        parent: QWidget | None = None,
        *,
        resource_id: uuid.UUID | None = None,
    ) -> None:
        editing = row is not None
        super().__init__(
            runner,
            self.tr("Change referral") if editing else self.tr("Refer to a community resource"),
            self.tr("&Save") if editing else self.tr("&Refer"),
            self.tr("Save referral") if editing else self.tr("Make referral"),
            parent,
        )
        self.setObjectName("referral_dialog")
        self.client_id = client_id
        self.referral_id: uuid.UUID | None = row.id if editing else None
        self._row = row
        self.resource = QComboBox(self)
        self.resource.addItem(self.tr(PROMPT), None)
        self.resource.setMinimumContentsLength(36)
        self.resource.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.add_field("resource_id", self.tr("Res&ource"), self.resource, required=True)
        self.referred_on = OptionalDateEdit(row.referred_on if editing else date.today(), self)
        self.add_field("referred_on", self.tr("Referral &date"), self.referred_on, required=True)
        self.status = QComboBox(self)
        for status in ReferralStatus:
            self.status.addItem(status.label, status.value)
        self.add_field("status", self.tr("S&tatus"), self.status, error_names=("status_date",))
        self.followup = OptionalDateEdit(row.followup_date if editing else None, self)
        self.followup.setToolTip(
            self.tr("A follow-up date adds a task for this client on that day (Delete clears it)")
        )
        self.add_field("followup_date", self.tr("&Follow up on"), self.followup)
        self.notes = QPlainTextEdit(self)
        self.notes.setTabChangesFocus(True)
        self.notes.setMaximumHeight(self.notes.fontMetrics().height() * 4 + 12)
        self.notes.setPlaceholderText(self.tr("What the referral is for, and what came of it"))
        self.add_field("notes", self.tr("&Notes"), self.notes)
        if editing:
            self.status.setCurrentIndex(max(0, self.status.findData(row.status.value)))
            self.notes.setPlainText(row.notes)
            from mhsw_desktop.services.resources import delete_referral

            referral_id = row.id
            self.add_delete_button(
                self.tr("Re&move referral…"),
                self.tr("Remove this referral (entered by mistake)"),
                question_title=self.tr("Remove referral"),
                question=remove_question(row),
                action=self.tr("&Remove"),
                delete=lambda s: delete_referral(s, referral_id),
                changes=CHANGES,
            )
        self.resource.currentIndexChanged.connect(self._revalidate)
        self.mark_clean()
        self._load_resources(row.resource_id if editing else resource_id)
        self._revalidate()
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())

    def _load_resources(self, select: uuid.UUID | None) -> None:
        if self.runner.vault is None:
            return
        from mhsw_desktop.services.resources import list_resources

        row = self._row

        def done(rows: list[Any]) -> None:
            dirty = self.is_dirty()
            self.resource.blockSignals(True)
            for resource in rows:
                self.resource.addItem(resource_text(resource), str(resource.id))
            if row is not None and self.resource.findData(str(row.resource_id)) < 0:
                self.resource.addItem(
                    self.tr("{name} (no longer in the directory)").format(name=row.resource_name),
                    str(row.resource_id),
                )
            if select is not None:
                self.resource.setCurrentIndex(max(0, self.resource.findData(str(select))))
            self.resource.blockSignals(False)
            if not dirty:
                self.mark_clean()
            self._revalidate()

        self.runner.query(list_resources, done, lambda e: self.summary.setText(user_message(e)))

    def chosen(self) -> uuid.UUID | None:
        value = self.resource.currentData()
        return uuid.UUID(value) if isinstance(value, str) else None

    def value(self) -> Any:
        return (
            self.chosen(),
            self.referred_on.value(),
            self.status.currentData(),
            self.followup.value(),
            self.notes.toPlainText(),
        )

    def _revalidate(self, *_args: object) -> None:
        self.save_button.setEnabled(self.chosen() is not None and not self._saving)

    def _set_saving(self, saving: bool) -> None:
        super()._set_saving(saving)
        self._revalidate()

    def work(self) -> tuple[Callable[[Any], Any], str] | None:
        from mhsw_desktop.services.resources import ReferralInput, add_referral, update_referral

        resource_id, referred_on, status, followup, notes = self.value()
        missing: dict[str, str] = {}
        if resource_id is None:
            missing["resource_id"] = self.tr("Choose the resource the client is referred to.")
        if referred_on is None:
            missing["referred_on"] = self.tr("is required")
        if missing:
            self.show_errors(missing)
            return None
        data = ReferralInput(
            client_id=self.client_id,
            resource_id=resource_id,
            referred_on=referred_on,
            status=ReferralStatus(status),
            followup_date=followup,
            notes=notes,
        )
        referral_id = self.referral_id
        if referral_id is not None:

            def update(session: Any) -> uuid.UUID:
                update_referral(session, referral_id, data)
                return referral_id

            return update, CHANGES
        return (lambda s: add_referral(s, data)), CHANGES

"""Record a client's signed release of information for one collaborator: what may be
shared (psychotherapy notes and substance-use information never ticked by default), the
purpose, the signed date, and when it ends (a date or an event)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from mhsw_desktop.domain.care_team import (
    CARE_LIMITS,
    DEFAULT_RELEASE_CATEGORIES,
    Category,
    days_left,
    release_status,
)
from mhsw_desktop.ui.collaborator_combo import CollaboratorCombo
from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner
from mhsw_desktop.ui.release_status_text import status_words
from mhsw_desktop.ui.service_form import ServiceFormDialog
from mhsw_desktop.ui.widgets import plain_label

#: what the special categories say beside their box
CATEGORY_TEXT = {
    Category.PSYCHOTHERAPY_NOTES: "Psychotherapy notes (only when the signed form names them)",
    Category.SUBSTANCE_USE: "Substance-use information (needs the client's specific consent)",
}


class ReleaseDialog(ServiceFormDialog):
    """Adds one release; :attr:`saved` carries its id."""

    def __init__(
        self,
        runner: OperationRunner,
        client_id: uuid.UUID,
        collaborator_id: uuid.UUID | None = None,
        on_team: tuple[uuid.UUID, ...] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            runner,
            "Add release of information",
            "&Add release",
            "Add release of information",
            parent,
            intro="Enter the release as the client signed it. What it allows is checked "
            "every time anything is produced for this collaborator.",
        )
        self.setObjectName("release_dialog")
        self.client_id = client_id
        self.collaborator = CollaboratorCombo(runner, self)
        self.collaborator.problem.connect(self.summary.setText)
        self.add_field("collaborator_id", "&Collaborator", self.collaborator, required=True)

        box = QWidget(self)
        grid = QGridLayout(box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.categories: dict[Category, QCheckBox] = {}
        ordinary = [c for c in Category if c not in CATEGORY_TEXT]
        for n, category in enumerate(ordinary):
            check = QCheckBox(category.label, box)
            check.setChecked(category in DEFAULT_RELEASE_CATEGORIES)
            grid.addWidget(check, n // 3, n % 3)
            self.categories[category] = check
        row = (len(ordinary) + 2) // 3
        for n, (category, text) in enumerate(CATEGORY_TEXT.items()):
            check = QCheckBox(text, box)
            check.setChecked(False)
            grid.addWidget(check, row + n, 0, 1, 3)
            self.categories[category] = check
        for category, check in self.categories.items():
            check.setAccessibleName(category.label)
            check.setObjectName(f"category_{category.value}")
        label = self.add_field(
            "categories",
            "What may be &shared",
            box,
            required=True,
            accessible_name="What may be shared",
        )
        label.setBuddy(self.categories[Category.ATTENDANCE])

        self.consent = QPlainTextEdit(self)
        self.consent.setTabChangesFocus(True)
        self.consent.setPlaceholderText(
            "42 CFR Part 2: what the client's signed consent allows to be shared, as worded"
        )
        self.consent.setMaximumHeight(self.consent.fontMetrics().height() * 4)
        self.add_field("substance_use_consent", "Substance-use c&onsent", self.consent)
        self.purpose = QPlainTextEdit(self)
        self.purpose.setTabChangesFocus(True)
        self.purpose.setPlaceholderText("e.g. Coordinate medication management")
        self.purpose.setMaximumHeight(self.purpose.fontMetrics().height() * 3)
        self.add_field("purpose", "&Purpose", self.purpose, required=True)
        self.signed = OptionalDateEdit(date.today(), self)
        self.add_field("signed_date", "Si&gned on", self.signed, required=True)
        self.expiry = OptionalDateEdit(None, self)
        self.expiry.setToolTip("The last day the release is in force (Delete clears it)")
        self.add_field("expiry_date", "&Expires after", self.expiry)
        self.ends_when = QLineEdit(self)
        self.ends_when.setMaxLength(CARE_LIMITS["expiry_event"])
        self.ends_when.setPlaceholderText("or an event, e.g. End of treatment at the clinic")
        self.add_field("expiry_event", "Or e&nds when", self.ends_when)
        self.preview = plain_label("", self)
        self.preview.setAccessibleName("Status once saved")
        self.form.addRow(plain_label("Status:", self), self.preview)

        for check in self.categories.values():
            check.toggled.connect(self._revalidate)
        for signal in (
            self.collaborator.currentIndexChanged,
            self.signed.dateChanged,
            self.expiry.dateChanged,
            self.ends_when.textChanged,
        ):
            signal.connect(self._revalidate)
        self.collaborator.load(select=collaborator_id, first=on_team)
        self.mark_clean()
        self._revalidate()
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 96, self.sizeHint().height())

    def chosen_categories(self) -> tuple[Category, ...]:
        return tuple(c for c, check in self.categories.items() if check.isChecked())

    def value(self) -> Any:
        return (
            self.collaborator.chosen(),
            self.chosen_categories(),
            self.consent.toPlainText(),
            self.purpose.toPlainText(),
            self.signed.value(),
            self.expiry.value(),
            self.ends_when.text(),
        )

    def _revalidate(self, *_args: object) -> None:
        substance = self.categories[Category.SUBSTANCE_USE].isChecked()
        self.consent.setEnabled(substance or bool(self.consent.toPlainText()))
        self.save_button.setEnabled(self.collaborator.chosen() is not None and not self._saving)
        expiry, event = self.expiry.value(), self.ends_when.text().strip()
        if expiry is None and not event:
            self.preview.setText("Give the last day it is in force, or the event that ends it.")
            return
        today = date.today()
        probe = SimpleNamespace(expiry_date=expiry, revoked_date=None)
        words = status_words(release_status(probe, today), days_left(probe, today), probe)
        if expiry is None:
            words += " until the event is recorded"
        self.preview.setText(words)

    def _set_saving(self, saving: bool) -> None:
        super()._set_saving(saving)
        self._revalidate()

    def work(self) -> tuple[Callable[[Any], Any], str] | None:
        from mhsw_desktop.services.care_team import ReleaseInput, add_release

        collaborator_id = self.collaborator.chosen()
        missing: dict[str, str] = {}
        if collaborator_id is None:
            missing["collaborator_id"] = "Choose whom the release is for."
        signed = self.signed.value()
        if signed is None:
            missing["signed_date"] = "is required"
        if missing:
            self.show_errors(missing)
            return None
        assert collaborator_id is not None and signed is not None
        data = ReleaseInput(
            collaborator_id=collaborator_id,
            categories=self.chosen_categories(),
            purpose=self.purpose.toPlainText(),
            signed_date=signed,
            expiry_date=self.expiry.value(),
            expiry_event=self.ends_when.text(),
            substance_use_consent=self.consent.toPlainText(),
        )
        client_id = self.client_id
        return (lambda s: add_release(s, client_id, data)), "releases"

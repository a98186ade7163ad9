"""Record a client's signed release of information for one collaborator: what may be
shared (psychotherapy notes and substance-use information never ticked by default), the
purpose, the signed date, and when it ends (a date or an event). The same dialog corrects
a release as entered, or deletes one entered by mistake, as far as the service allows:
once it refuses (the release was used for a disclosure, or revoked), the dialog shows its
words and keeps the release as it is."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from types import SimpleNamespace
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
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
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import plain_label

#: what the special categories say beside their box (translated where shown)
CATEGORY_TEXT = {
    Category.PSYCHOTHERAPY_NOTES: QT_TRANSLATE_NOOP(
        "ReleaseDialog", "Psychotherapy notes (only when the signed form names them)"
    ),
    Category.SUBSTANCE_USE: QT_TRANSLATE_NOOP(
        "ReleaseDialog", "Substance-use information (needs the client's specific consent)"
    ),
}


def delete_question(row: Any) -> str:
    """Asked before a release (``ReleaseRow``) is deleted."""
    return QCoreApplication.translate(
        "ReleaseDialog",
        "Delete the release for {name} signed {day}? "
        "Do this only for a release entered by mistake; one the client withdrew is revoked "
        "instead.",
    ).format(name=row.collaborator_name, day=row.signed_date.isoformat())


class ReleaseDialog(ServiceFormDialog):
    """Adds one release, or edits ``row`` (a ``ReleaseRow``); :attr:`saved` carries its id."""

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
        if editing:
            title = self.tr("Edit release of information")
            accept_text, accept_name = self.tr("&Save"), self.tr("Save release of information")
            intro = self.tr(
                "Correct the release for {name} signed {day} so that it matches the form the "
                "client signed."
            ).format(name=row.collaborator_name, day=row.signed_date.isoformat())
        else:
            title = self.tr("Add release of information")
            accept_text, accept_name = (
                self.tr("&Add release"),
                self.tr("Add release of information"),
            )
            intro = self.tr(
                "Enter the release as the client signed it. What it allows is checked "
                "every time anything is produced for this collaborator."
            )
        super().__init__(runner, title, accept_text, accept_name, parent, intro=intro)
        self.setObjectName("release_dialog")
        self.client_id = client_id
        self.release_id: uuid.UUID | None = row.id if editing else None
        self._row = row
        #: the service refused a change: the form shows the release as it stays
        self.locked = False
        self.collaborator = CollaboratorCombo(runner, self)
        self.collaborator.problem.connect(self.summary.setText)
        self.add_field(
            "collaborator_id", self.tr("&Collaborator"), self.collaborator, required=True
        )

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
        special_row = (len(ordinary) + 2) // 3
        for n, (category, text) in enumerate(CATEGORY_TEXT.items()):
            check = QCheckBox(QCoreApplication.translate("ReleaseDialog", text), box)
            check.setChecked(False)
            grid.addWidget(check, special_row + n, 0, 1, 3)
            self.categories[category] = check
        for category, check in self.categories.items():
            check.setAccessibleName(category.label)
            check.setObjectName(f"category_{category.value}")
        label = self.add_field(
            "categories",
            self.tr("What may be &shared"),
            box,
            required=True,
            accessible_name=self.tr("What may be shared"),
        )
        label.setBuddy(self.categories[Category.ATTENDANCE])

        self.consent = QPlainTextEdit(self)
        self.consent.setTabChangesFocus(True)
        self.consent.setPlaceholderText(
            self.tr(
                "42 CFR Part 2: what the client's signed consent allows to be shared, as worded"
            )
        )
        self.consent.setMaximumHeight(self.consent.fontMetrics().height() * 4)
        self.add_field("substance_use_consent", self.tr("Substance-use c&onsent"), self.consent)
        self.purpose = QPlainTextEdit(self)
        self.purpose.setTabChangesFocus(True)
        self.purpose.setPlaceholderText(self.tr("e.g. Coordinate medication management"))
        self.purpose.setMaximumHeight(self.purpose.fontMetrics().height() * 3)
        self.add_field("purpose", self.tr("&Purpose"), self.purpose, required=True)
        self.signed = OptionalDateEdit(date.today(), self)
        self.add_field("signed_date", self.tr("Si&gned on"), self.signed, required=True)
        self.expiry = OptionalDateEdit(None, self)
        self.expiry.setToolTip(self.tr("The last day the release is in force (Delete clears it)"))
        self.add_field("expiry_date", self.tr("&Expires after"), self.expiry)
        self.ends_when = QLineEdit(self)
        self.ends_when.setMaxLength(CARE_LIMITS["expiry_event"])
        self.ends_when.setPlaceholderText(
            self.tr("or an event, e.g. End of treatment at the clinic")
        )
        self.add_field("expiry_event", self.tr("Or e&nds when"), self.ends_when)
        self.preview = plain_label("", self)
        self.preview.setAccessibleName(self.tr("Status once saved"))
        self.form.addRow(plain_label(self.tr("Status:"), self), self.preview)

        for check in self.categories.values():
            check.toggled.connect(self._revalidate)
        for signal in (
            self.collaborator.currentIndexChanged,
            self.signed.dateChanged,
            self.expiry.dateChanged,
            self.ends_when.textChanged,
        ):
            signal.connect(self._revalidate)
        if editing:
            self._fill(row)
            collaborator_id = row.collaborator_id
            self._add_delete(row)
        self.collaborator.load(
            select=collaborator_id, first=on_team, name=row.collaborator_name if editing else ""
        )
        self.mark_clean()
        self.mark_clean_once_loaded(self.collaborator)
        self._revalidate()
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 96, self.sizeHint().height())

    def _fill(self, row: Any) -> None:
        for category, check in self.categories.items():
            check.setChecked(category in row.categories)
        self.consent.setPlainText(row.substance_use_consent)
        self.purpose.setPlainText(row.purpose)
        self.signed.set_value(row.signed_date)
        self.expiry.set_value(row.expiry_date)
        self.ends_when.setText(row.expiry_event)

    def _add_delete(self, row: Any) -> None:
        from mhsw_desktop.services.care_team import delete_release

        release_id = row.id
        self.add_delete_button(
            self.tr("&Delete release…"),
            self.tr("Delete this release of information"),
            question_title=self.tr("Delete release of information"),
            question=delete_question(row),
            action=self.tr("&Delete release"),
            delete=lambda s: delete_release(s, release_id),
            changes="releases",
        )

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
        self.consent.setEnabled((substance or bool(self.consent.toPlainText())) and not self.locked)
        ready = self.collaborator.chosen() is not None and not self.locked
        self.save_button.setEnabled(ready and not self._saving)
        expiry, event = self.expiry.value(), self.ends_when.text().strip()
        if expiry is None and not event:
            self.preview.setText(
                self.tr("Give the last day it is in force, or the event that ends it.")
            )
            return
        today = date.today()
        probe = SimpleNamespace(expiry_date=expiry, revoked_date=None)
        words = status_words(release_status(probe, today), days_left(probe, today), probe)
        if expiry is None:
            words = self.tr("{status} until the event is recorded").format(status=words)
        self.preview.setText(words)

    def _set_saving(self, saving: bool) -> None:
        super()._set_saving(saving)
        self._revalidate()

    def _failed(self, exc: BaseException) -> None:
        """A refusal to change the release (``ReleaseLocked``) shows in the service's
        words, and the form goes back to the release as it stays, read-only."""
        super()._failed(exc)
        from mhsw_desktop.services.care_team import ReleaseLocked

        if isinstance(exc, ReleaseLocked) and self._row is not None:
            self.lock_form()

    def lock_form(self) -> None:
        row = self._row
        assert row is not None
        self.locked = True
        self._fill(row)
        index = self.collaborator.index_of(row.collaborator_id)
        if index >= 0:
            self.collaborator.setCurrentIndex(index)
        self.show_errors({})
        for widget in self.widgets.values():
            widget.setEnabled(False)
        self._initial = None  # closing asks nothing: nothing here can be saved
        self._revalidate()
        close = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        close.setText(self.tr("&Close"))
        close.setAccessibleName(self.tr("Close"))
        close.setFocus()

    def work(self) -> tuple[Callable[[Any], Any], str] | None:
        from mhsw_desktop.services.care_team import ReleaseInput, add_release

        collaborator_id = self.collaborator.chosen()
        missing: dict[str, str] = {}
        if collaborator_id is None:
            missing["collaborator_id"] = self.tr("Choose whom the release is for.")
        signed = self.signed.value()
        if signed is None:
            missing["signed_date"] = self.tr("is required")
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
        release_id, client_id = self.release_id, self.client_id
        if release_id is not None:
            from mhsw_desktop.services.care_team import update_release

            def update(session: Any) -> uuid.UUID:
                update_release(session, release_id, data)
                return release_id

            return update, "releases"
        return (lambda s: add_release(s, client_id, data)), "releases"

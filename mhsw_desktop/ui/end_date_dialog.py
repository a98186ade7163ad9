"""Ask for the day something ends (a care-team membership, a release revoked) and record it."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from PySide6.QtWidgets import QWidget

from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner
from mhsw_desktop.ui.service_form import ServiceFormDialog


class EndDateDialog(ServiceFormDialog):
    """``record(session, day)`` runs on the worker when accepted; the service's date
    message (under ``field``) keeps the dialog open."""

    def __init__(
        self,
        runner: OperationRunner,
        *,
        title: str,
        intro: str,
        date_label: str,
        field: str,
        accept_text: str,
        accept_name: str,
        record: Callable[[Any, date], Any],
        changes: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(runner, title, accept_text, accept_name, parent, intro=intro)
        self.setObjectName("end_date_dialog")
        self._record = record
        self._changes = changes
        self.on = OptionalDateEdit(date.today(), self)
        self.add_field(field, date_label, self.on, required=True)
        self._field = field
        self.mark_clean()
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())

    def value(self) -> Any:
        return self.on.value()

    def work(self) -> tuple[Callable[[Any], Any], str] | None:
        day = self.on.value()
        if day is None:
            self.show_errors({self._field: self.tr("is required")})
            return None
        record = self._record
        return (lambda s: record(s, day)), self._changes

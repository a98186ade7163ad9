"""A choice of collaborator from the directory, loaded through the runner; the client's
team (when given) comes first."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QWidget

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

#: the first item of the list, before a collaborator is chosen
PROMPT = QT_TRANSLATE_NOOP("CollaboratorCombo", "Choose a collaborator…")


def collaborator_text(row: Any) -> str:
    """ "Name, MD — Psychiatrist, Organisation" for a directory row."""
    text = f"{row.display_name} — {row.role.label}"
    return f"{text}, {row.organisation}" if row.organisation else text


class CollaboratorCombo(QComboBox):
    """Items carry the collaborator's id as text (Qt compares strings, not Python objects);
    the first item is a prompt (no id)."""

    #: the directory could not be read; the message is safe to show
    problem = Signal(str)
    #: the items are in (after each :meth:`load`)
    loaded = Signal()

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._serial = 0
        self.addItem(self.tr(PROMPT), None)
        self.setMinimumContentsLength(30)
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)

    def load(
        self,
        select: uuid.UUID | None = None,
        first: Collection[uuid.UUID] = (),
        *,
        name: str = "",
    ) -> None:
        """Fill from the directory; ``first`` (the team) leads; ``select`` is chosen. If
        ``select`` (called ``name``) is no longer in the directory, :attr:`problem` says so."""
        if self.runner.vault is None:
            return
        from mhsw_desktop.services.collaborators import list_collaborators

        self._serial += 1
        serial = self._serial
        keep = select if select is not None else self.chosen()
        leading = set(first)

        def done(rows: list[Any]) -> None:
            if serial != self._serial:
                return
            ordered = [r for r in rows if r.id in leading] + [
                r for r in rows if r.id not in leading
            ]
            self.blockSignals(True)
            self.clear()
            self.addItem(self.tr(PROMPT), None)
            for row in ordered:
                self.addItem(collaborator_text(row), str(row.id))
            self.blockSignals(False)
            self.setCurrentIndex(max(0, self.index_of(keep)))
            self.currentIndexChanged.emit(self.currentIndex())
            if name and select is not None and self.index_of(select) < 0:
                self.problem.emit(
                    self.tr("{name} is no longer in the collaborator directory.").format(name=name)
                )
            self.loaded.emit()

        self.runner.query(list_collaborators, done, lambda e: self.problem.emit(user_message(e)))

    def chosen(self) -> uuid.UUID | None:
        value = self.currentData()
        return uuid.UUID(value) if isinstance(value, str) else None

    def index_of(self, collaborator_id: uuid.UUID | None) -> int:
        """The item of ``collaborator_id`` (-1 when it is not listed)."""
        return -1 if collaborator_id is None else self.findData(str(collaborator_id))

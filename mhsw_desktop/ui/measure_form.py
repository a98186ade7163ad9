"""Enter a completed measure (PHQ-9, GAD-7, ...): each item's text with its answers as radio
buttons, the unscored difficulty question, the date, and the score as the rules compute it.

Keyboard: Tab moves between items, the arrow keys between an item's answers, a digit key
answers the focused item and moves to the next, Delete clears an answer (an unanswered
item is allowed: the form then has no total).
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QDateEdit,
    QDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.domain.measure_defs import MeasureDefinition, definition, missing_text, score
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import accept_cancel, error_label, plain_label, scaled_font


class AnswerRow(QFrame):
    """One question and its answers; ``answer()`` is None until one is chosen."""

    changed = Signal()
    #: a digit key answered this row: focus may move on
    answered_by_key = Signal()

    def __init__(
        self, number: str, text: str, choices: tuple[str, ...], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.question = plain_label(f"{number} {text}".strip(), self)
        self.question.setWordWrap(True)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        answers = QHBoxLayout()
        answers.setContentsMargins(self.fontMetrics().averageCharWidth() * 3, 0, 0, 0)
        item = number.rstrip(".")
        self.buttons: list[QRadioButton] = []
        for value, label in enumerate(choices):
            button = QRadioButton(
                self.tr("{label} ({value})").format(label=label, value=value), self
            )
            if item:
                spoken = self.tr("Item {item}: {label}, {value}")
            else:
                spoken = self.tr("Difficulty: {label}, {value}")
            button.setAccessibleName(spoken.format(item=item, label=label, value=value))
            button.installEventFilter(self)
            self.group.addButton(button, value)
            self.buttons.append(button)
            answers.addWidget(button)
        answers.addStretch(1)
        self.group.idToggled.connect(self._toggled)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, self.fontMetrics().height() // 3)
        layout.addWidget(self.question)
        layout.addLayout(answers)
        self.question.setBuddy(self.buttons[0])

    def _toggled(self, _id: int, checked: bool) -> None:
        if checked:
            self.changed.emit()

    def answer(self) -> int | None:
        value = self.group.checkedId()
        return None if value < 0 else value

    def set_answer(self, value: int | None) -> None:
        if value is None:
            self.group.setExclusive(False)
            for button in self.buttons:
                button.setChecked(False)
            self.group.setExclusive(True)
            self.changed.emit()
        else:
            self.buttons[value].setChecked(True)

    def focus(self) -> None:
        button = self.group.checkedButton() or self.buttons[0]
        button.setFocus(Qt.FocusReason.TabFocusReason)

    def eventFilter(self, watched: Any, event: Any) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QKeyEvent.Type.KeyPress:
            text = event.text()
            if text.isdigit() and int(text) < len(self.buttons):
                self.set_answer(int(text))
                self.buttons[int(text)].setFocus(Qt.FocusReason.OtherFocusReason)
                self.answered_by_key.emit()
                return True
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
                self.set_answer(None)
                return True
        return False


class MeasureFormDialog(QDialog):
    """A new measure of ``kind`` for one client; emits :attr:`saved` with the stored row."""

    saved = Signal(object)

    def __init__(
        self,
        runner: OperationRunner,
        client_id: uuid.UUID,
        kind: str,
        parent: QWidget | None = None,
        *,
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.client_id = client_id
        self.definition: MeasureDefinition = definition(kind)
        self._saving = False
        d = self.definition
        self.setObjectName("measure_form")
        self.setWindowTitle(self.tr("New {name}").format(name=d.name))

        heading = plain_label(d.title, self)
        heading.setFont(scaled_font(self.font(), 1.2, bold=True))
        stem = plain_label(d.stem, self)
        stem.setWordWrap(True)
        keys = plain_label(
            self.tr(
                "Keys: 0 to {max} answer an item and move on; the arrow keys change an "
                "answer; Delete clears it (an unanswered item leaves the form without a total)."
            ).format(max=d.max_answer),
            self,
        )
        keys.setWordWrap(True)
        keys.setEnabled(False)  # drawn as a quiet hint
        self.taken_on = QDateEdit(self)
        self.taken_on.setDisplayFormat("yyyy-MM-dd")
        self.taken_on.setCalendarPopup(True)
        day = today or date.today()
        self.taken_on.setMaximumDate(QDate(day.year, day.month, day.day))
        self.taken_on.setMinimumDate(QDate(1900, 1, 1))
        self.taken_on.setDate(QDate(day.year, day.month, day.day))
        self.taken_on.setAccessibleName(self.tr("Date completed"))
        date_label = QLabel(self.tr("&Date completed:"), self)
        date_label.setBuddy(self.taken_on)
        date_row = QHBoxLayout()
        date_row.addWidget(date_label)
        date_row.addWidget(self.taken_on)
        date_row.addStretch(1)

        self.rows: list[AnswerRow] = []
        items = QWidget(self)
        items_layout = QVBoxLayout(items)
        for number, text in enumerate(d.items, start=1):
            row = AnswerRow(f"{number}.", text, d.choices, items)
            row.setObjectName(f"item_{number}")
            self.rows.append(row)
            items_layout.addWidget(row)
        self.difficulty: AnswerRow | None = None
        if d.difficulty_question:
            note = plain_label(self.tr("Not scored:"), items)
            note.setFont(scaled_font(self.font(), 1.0, bold=True))
            items_layout.addWidget(note)
            self.difficulty = AnswerRow("", d.difficulty_question, d.difficulty_choices, items)
            self.difficulty.setObjectName("difficulty")
            items_layout.addWidget(self.difficulty)
        items_layout.addStretch(1)
        for index, row in enumerate(self.rows):
            row.changed.connect(self._update_result)
            row.answered_by_key.connect(lambda i=index: self._next(i))
        if self.difficulty is not None:
            self.difficulty.changed.connect(self._update_result)
        scroll = QScrollArea(self)
        scroll.setWidget(items)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)

        self.score_label = plain_label("", self)
        self.score_label.setFont(scaled_font(self.font(), 1.1, bold=True))
        self.score_label.setAccessibleName(self.tr("Score"))
        self.score_label.setWordWrap(True)
        self.warning = error_label(self)
        self.warning.setAccessibleName(self.tr("Alert"))
        self.error = error_label(self)
        self.buttons, self.save_button = accept_cancel(
            self, self.tr("&Save"), self.tr("Save {name}").format(name=d.name), self.save
        )

        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(stem)
        layout.addWidget(keys)
        layout.addLayout(date_row)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.score_label)
        layout.addWidget(self.warning)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 110, self.fontMetrics().height() * 40)
        self._update_result()
        self.rows[0].focus()

    # -- answers ------------------------------------------------------------------------
    def answers(self) -> tuple[int | None, ...]:
        return tuple(row.answer() for row in self.rows)

    def set_answers(self, answers: list[int | None], difficulty: int | None = None) -> None:
        for row, value in zip(self.rows, answers, strict=True):
            row.set_answer(value)
        if self.difficulty is not None:
            self.difficulty.set_answer(difficulty)

    def _next(self, index: int) -> None:
        if index + 1 < len(self.rows):
            self.rows[index + 1].focus()
        elif self.difficulty is not None:
            self.difficulty.focus()
        else:
            self.save_button.setFocus(Qt.FocusReason.TabFocusReason)

    def _update_result(self) -> None:
        d = self.definition
        result = score(d, self.answers())
        if result.total is None:
            answered = len(d.items) - len(result.missing)
            if answered == 0:
                text = self.tr("No answers yet: 0 of {count} items.").format(count=len(d.items))
            else:
                text = self.tr("Incomplete, no total: {missing}.").format(
                    missing=missing_text(result.missing)
                )
        elif result.band:
            text = self.tr("Total {total} of {max} — {band}").format(
                total=result.total, max=d.max_total, band=result.band.label
            )
        else:
            text = self.tr("Total {total} of {max}").format(total=result.total, max=d.max_total)
        self.score_label.setText(text)
        warnings = [
            self.tr("{alert}. Saving raises an alert.").format(alert=a.message)
            for a in result.alerts
        ]
        warnings += [f"{n}." for n in result.notices]
        self.warning.setText("\n".join(warnings))
        self.warning.setVisible(bool(warnings))

    # -- saving -------------------------------------------------------------------------
    def save(self) -> None:
        if self._saving:
            return
        from mhsw_desktop.services.measures import MeasureInput, add_measure

        qdate = self.taken_on.date()
        data = MeasureInput(
            client_id=self.client_id,
            kind=self.definition.key,
            answers=self.answers(),
            taken_on=date(qdate.year(), qdate.month(), qdate.day()),
            difficulty=self.difficulty.answer() if self.difficulty is not None else None,
        )
        self._saving = True
        self.save_button.setEnabled(False)
        self.error.setText("")
        self.runner.query(
            lambda s: add_measure(s, data), self._saved, self._failed, changes="measures"
        )

    def _saved(self, row: Any) -> None:
        self._saving = False
        self.saved.emit(row)
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._saving = False
        self.save_button.setEnabled(True)
        self.error.setText(user_message(exc))

    def discard(self) -> None:
        """Close at once (the vault is locking): nothing typed here is kept."""
        self._saving = False
        QDialog.reject(self)

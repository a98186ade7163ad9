"""Add or edit one part of a draft treatment plan: the plan's dates and summary, a problem,
a measurable goal, an objective with its target date, or an intervention with who is
responsible. The service checks everything; its messages show in the dialog."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.domain.measure_defs import DEFINITIONS
from mhsw_desktop.domain.plans import PLAN_LIMITS, GoalStatus
from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import accept_cancel, busy_bar, error_label

#: each kind of item: the dialog's title when adding and when editing, and what its text
#: field is called (source text, shown through tr())
TITLES = {
    "version": (
        QT_TRANSLATE_NOOP("PlanItemDialog", "Plan details"),
        QT_TRANSLATE_NOOP("PlanItemDialog", "Plan details"),
        QT_TRANSLATE_NOOP("PlanItemDialog", "Summary"),
    ),
    "problem": (
        QT_TRANSLATE_NOOP("PlanItemDialog", "Add problem"),
        QT_TRANSLATE_NOOP("PlanItemDialog", "Edit problem"),
        QT_TRANSLATE_NOOP("PlanItemDialog", "Problem"),
    ),
    "goal": (
        QT_TRANSLATE_NOOP("PlanItemDialog", "Add goal"),
        QT_TRANSLATE_NOOP("PlanItemDialog", "Edit goal"),
        QT_TRANSLATE_NOOP("PlanItemDialog", "Goal"),
    ),
    "objective": (
        QT_TRANSLATE_NOOP("PlanItemDialog", "Add objective"),
        QT_TRANSLATE_NOOP("PlanItemDialog", "Edit objective"),
        QT_TRANSLATE_NOOP("PlanItemDialog", "Objective"),
    ),
    "intervention": (
        QT_TRANSLATE_NOOP("PlanItemDialog", "Add intervention"),
        QT_TRANSLATE_NOOP("PlanItemDialog", "Edit intervention"),
        QT_TRANSLATE_NOOP("PlanItemDialog", "Intervention"),
    ),
}
_LIMIT_KEY = {"version": "summary", "problem": "problem", "goal": "goal",
              "objective": "objective", "intervention": "intervention"}  # fmt: skip


class PlanItemDialog(QDialog):
    """``kind`` is "version", "problem", "goal", "objective" or "intervention".

    ``item`` is the view to edit (None to add one under ``parent_id``: the version for a
    problem, the problem for a goal, the goal for an objective or an intervention).
    ``objectives`` lists (id, label) of the goal's objectives (interventions only);
    ``diagnoses`` (id, label) of the client's diagnoses (problems only).
    """

    saved = Signal(object)

    def __init__(
        self,
        runner: OperationRunner,
        kind: str,
        *,
        item: Any = None,
        parent_id: uuid.UUID | None = None,
        objectives: Sequence[tuple[uuid.UUID, str]] = (),
        diagnoses: Sequence[tuple[uuid.UUID, str]] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.runner = runner
        self.kind = kind
        self.item = item
        self.parent_id = parent_id
        self._busy = False
        self.setObjectName("plan_item_dialog")
        add_title, edit_title, field_name = TITLES[kind]
        self.setWindowTitle(self.tr(edit_title if item else add_title))
        form = QFormLayout()
        self.text = QPlainTextEdit(self)
        self.text.setTabChangesFocus(True)
        self.text.setObjectName("description")
        self.text.setAccessibleName(self.tr(field_name))
        self.text.setPlainText(
            (item.summary if kind == "version" else item.description) if item else ""
        )
        self.text.setMinimumHeight(self.fontMetrics().height() * 4)
        self._add(
            form, self.tr("Summa&ry:") if kind == "version" else self.tr("&Description:"), self.text
        )
        self.plan_date = self.review_date = self.target_date = None
        self.status: QComboBox | None = None
        self.measure: QComboBox | None = None
        self.target: QSpinBox | None = None
        self.responsible = self.frequency = None
        self.objective: QComboBox | None = None
        self.diagnosis: QComboBox | None = None
        if kind == "version":
            self.plan_date = OptionalDateEdit(item.plan_date if item else date.today(), self)
            self.plan_date.setAccessibleName(self.tr("Plan date"))
            self._add(form, self.tr("&Plan date:"), self.plan_date)
            self.review_date = OptionalDateEdit(item.review_date if item else None, self)
            self.review_date.setAccessibleName(self.tr("Review date"))
            self._add(form, self.tr("Re&view by:"), self.review_date)
        if kind == "problem":
            self.diagnosis = self._combo(
                self.tr("Related diagnosis"),
                [(None, self.tr("None")), *diagnoses],
                item.diagnosis_id if item else None,
            )
            self._add(form, self.tr("Related dia&gnosis:"), self.diagnosis)
        if kind == "goal":
            measures: list[tuple[str | None, str]] = [
                (None, self.tr("Not measured by a questionnaire"))
            ]
            measures += [(d.key, d.name) for d in DEFINITIONS]
            current = item.measure_kind if item and item.measure_kind else None
            self.measure = self._combo(self.tr("Measured by"), measures, current)
            self._add(form, self.tr("&Measured by:"), self.measure)
            self.target = QSpinBox(self)
            self.target.setRange(-1, 1000)
            self.target.setSpecialValueText(self.tr("No target score"))
            self.target.setValue(
                item.target_score if item and item.target_score is not None else -1
            )
            self.target.setAccessibleName(self.tr("Target score (at or below)"))
            self._add(form, self.tr("&Target score:"), self.target)
        if kind in ("goal", "objective"):
            statuses = [(s, s.label) for s in GoalStatus]
            self.status = self._combo(self.tr("Status"), statuses, item.status if item else None)
            self._add(form, self.tr("&Status:"), self.status)
        if kind == "objective":
            default = date.today() + timedelta(days=30)
            self.target_date = OptionalDateEdit(item.target_date if item else default, self)
            self.target_date.setAccessibleName(self.tr("Target date"))
            self._add(form, self.tr("Target d&ate:"), self.target_date)
        if kind == "intervention":
            self.responsible = self._line(
                self.tr("Who is responsible"),
                item.responsible if item else "",
                PLAN_LIMITS["responsible"],
            )
            self.responsible.setPlaceholderText(self.tr("Clinician, Client, Psychiatrist…"))
            self._add(form, self.tr("&Who is responsible:"), self.responsible)
            self.frequency = self._line(
                self.tr("How often"), item.frequency if item else "", PLAN_LIMITS["frequency"]
            )
            self.frequency.setPlaceholderText(self.tr("Weekly, Daily, Each session…"))
            self._add(form, self.tr("How o&ften:"), self.frequency)
            self.objective = self._combo(
                self.tr("Serves objective"),
                [(None, self.tr("The goal as a whole")), *objectives],
                item.objective_id if item else None,
            )
            self._add(form, self.tr("Serves o&bjective:"), self.objective)
        self.error = error_label(self)
        self.busy = busy_bar(self)
        self.buttons, self.ok = accept_cancel(self, self.tr("&Save"), self.tr("Save"), self.save)
        self.ok.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.text.textChanged.connect(self._check_length)
        self.resize(self.fontMetrics().averageCharWidth() * 80, self.sizeHint().height())

    def _add(self, form: QFormLayout, text: str, field: QWidget) -> None:
        label = QLabel(text, self)
        label.setBuddy(field)
        form.addRow(label, field)

    def _combo(self, name: str, choices: Sequence[tuple[Any, str]], current: Any) -> QComboBox:
        combo = QComboBox(self)
        combo.setAccessibleName(name)
        for value, label in choices:
            combo.addItem(label, value)
            if value == current:
                combo.setCurrentIndex(combo.count() - 1)
        return combo

    def _line(self, name: str, text: str, limit: int) -> QLineEdit:
        line = QLineEdit(text, self)
        line.setAccessibleName(name)
        line.setMaxLength(limit)
        return line

    def _check_length(self) -> None:
        limit = PLAN_LIMITS[_LIMIT_KEY[self.kind]]
        length = len(self.text.toPlainText())
        self.error.setText(
            self.tr("The text is {length} characters long; at most {limit} fit.").format(
                length=length, limit=limit
            )
            if length > limit
            else ""
        )

    # -- saving --------------------------------------------------------------------------
    def work(self) -> Callable[[Any], Any]:
        """The service call this dialog makes (run on the worker, in one unit of work)."""
        from mhsw_desktop.services import treatment_plans as tp

        text = self.text.toPlainText()
        item_id: Any = self.item.id if self.item is not None else None
        parent_id: Any = self.parent_id
        if self.kind == "version":
            assert self.plan_date is not None and self.review_date is not None
            plan_date = self.plan_date.value()
            if plan_date is None:
                raise_later = {"plan_date": self.tr("is required")}
                return lambda _s: _refuse(raise_later)
            data = tp.VersionInput(plan_date, self.review_date.value(), text)
            return lambda s: tp.update_version(s, item_id, data)
        if self.kind == "problem":
            assert self.diagnosis is not None
            problem = tp.ProblemInput(text, self.diagnosis.currentData())
            if item_id is not None:
                return lambda s: tp.update_problem(s, item_id, problem)
            return lambda s: tp.add_problem(s, parent_id, problem)
        if self.kind == "goal":
            assert self.status is not None and self.measure is not None and self.target
            score = self.target.value()
            goal = tp.GoalInput(
                text, self.status.currentData(), self.measure.currentData() or "",
                None if score < 0 else score,
            )  # fmt: skip
            if item_id is not None:
                return lambda s: tp.update_goal(s, item_id, goal)
            return lambda s: tp.add_goal(s, parent_id, goal)
        if self.kind == "objective":
            assert self.status is not None and self.target_date is not None
            objective = tp.ObjectiveInput(text, self.target_date.value(), self.status.currentData())
            if item_id is not None:
                return lambda s: tp.update_objective(s, item_id, objective)
            return lambda s: tp.add_objective(s, parent_id, objective)
        assert self.responsible is not None and self.frequency is not None and self.objective
        intervention = tp.InterventionInput(
            text, self.responsible.text(), self.frequency.text(), self.objective.currentData()
        )
        if item_id is not None:
            return lambda s: tp.update_intervention(s, item_id, intervention)
        return lambda s: tp.add_intervention(s, parent_id, intervention)

    def save(self) -> None:
        if self._busy or self.runner.vault is None:
            return
        self._busy = True
        self.busy.show()
        self.ok.setEnabled(False)
        self.error.setText("")
        self.runner.query(self.work(), self._saved, self._failed, changes="treatment_plans")

    def _saved(self, result: Any) -> None:
        self._busy = False
        self.busy.hide()
        self.accept()
        self.saved.emit(result if result is not None else getattr(self.item, "id", None))

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.busy.hide()
        self.ok.setEnabled(True)
        self.error.setText(user_message(exc))

    def discard(self) -> None:
        """Close at once, keeping nothing (the vault is locking)."""
        self._busy = False
        self.text.clear()
        QDialog.reject(self)


def _refuse(errors: dict[str, str]) -> None:
    from mhsw_desktop.errors import ValidationError

    raise ValidationError(errors)

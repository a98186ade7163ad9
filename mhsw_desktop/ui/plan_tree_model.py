"""A treatment-plan version as a tree: problems, their goals, each goal's objectives (with
the interventions that serve them) and the goal's other interventions. Plain text only."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP

ModelIndex = QModelIndex | QPersistentModelIndex
#: the node's item (a ProblemView, GoalView, ObjectiveView or InterventionView)
ITEM_ROLE = Qt.ItemDataRole.UserRole
#: "problem", "goal", "objective" or "intervention"
KIND_ROLE = Qt.ItemDataRole.UserRole + 1

_TOP = QModelIndex()
HEADERS = (
    QT_TRANSLATE_NOOP("PlanTreeModel", "Plan item"),
    QT_TRANSLATE_NOOP("PlanTreeModel", "Status or target"),
    QT_TRANSLATE_NOOP("PlanTreeModel", "Who is responsible"),
)


def _flat(text: str) -> str:
    return " ".join(text.split())


@dataclass(eq=False)
class Node:
    kind: str
    item: Any
    label: str
    details: str = ""
    responsible: str = ""
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)

    def add(self, child: Node) -> Node:
        child.parent = self
        self.children.append(child)
        return child

    def row(self) -> int:
        return 0 if self.parent is None else self.parent.children.index(self)


def measure_name(kind: str) -> str:
    """ "PHQ-9" for "phq9"; a kind without a definition as it was written."""
    from mhsw_desktop.domain.measure_defs import DEFINITIONS

    return next((d.name for d in DEFINITIONS if d.key == kind), kind.upper())


class PlanTreeWords(QObject):
    """The nodes' words, in a QObject so that ``self.tr(text, "", n)`` gives counts their
    plural forms (lupdate marks a ``translate()`` with a count as singular only)."""

    def linked_notes(self, count: int) -> str:
        return self.tr("1 linked note") if count == 1 else self.tr("%n linked notes", "", count)

    def problem(self, number: int, text: str) -> str:
        return self.tr("Problem {number}: {text}").format(number=number, text=text)

    def goal(self, number: str, text: str) -> str:
        return self.tr("Goal {number}: {text}").format(number=number, text=text)

    def objective(self, number: str, text: str) -> str:
        return self.tr("Objective {number}: {text}").format(number=number, text=text)

    def objective_details(self, status: str, target: str | None) -> str:
        if target is None:
            target = self.tr("No date")
        return self.tr("{status} · by {day}").format(status=status, day=target)

    def intervention(self, text: str) -> str:
        return self.tr("Intervention: {text}").format(text=text)


@cache
def _words() -> PlanTreeWords:
    return PlanTreeWords()


def _goal_details(goal: Any) -> str:
    parts = [goal.status.label]
    if goal.measure_kind:
        target = f" ≤ {goal.target_score}" if goal.target_score is not None else ""
        parts.append(f"{measure_name(goal.measure_kind)}{target}")
    if goal.notes:
        parts.append(_words().linked_notes(len(goal.notes)))
    return " · ".join(parts)


def build_tree(version: Any) -> Node:
    """The nodes of ``version`` (a VersionView) under an invisible root."""
    words = _words()
    root = Node("root", None, "")
    for p_number, problem in enumerate(version.problems, start=1):
        p_node = root.add(Node("problem", problem,
                               words.problem(p_number, _flat(problem.description)),
                               problem.diagnosis))  # fmt: skip
        for g_number, goal in enumerate(problem.goals, start=1):
            number = f"{p_number}.{g_number}"
            g_node = p_node.add(
                Node("goal", goal, words.goal(number, _flat(goal.description)),
                     _goal_details(goal))
            )  # fmt: skip
            by_objective: dict[Any, Node] = {}
            for o_number, objective in enumerate(goal.objectives, start=1):
                target = objective.target_date.isoformat() if objective.target_date else None
                by_objective[objective.id] = g_node.add(
                    Node("objective", objective,
                         words.objective(f"{number}.{o_number}", _flat(objective.description)),
                         words.objective_details(objective.status.label, target))
                )  # fmt: skip
            for intervention in goal.interventions:
                owner = by_objective.get(intervention.objective_id, g_node)
                owner.add(
                    Node("intervention", intervention,
                         words.intervention(_flat(intervention.description)),
                         intervention.frequency, intervention.responsible)
                )  # fmt: skip
    return root


class PlanTreeModel(QAbstractItemModel):
    """Read-only; its owner hands it a version with :meth:`set_version`."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._root = Node("root", None, "")

    def set_version(self, version: Any) -> None:
        self.beginResetModel()
        self._root = build_tree(version) if version is not None else Node("root", None, "")
        self.endResetModel()

    def clear(self) -> None:
        self.set_version(None)

    def node(self, index: ModelIndex) -> Node:
        if index.isValid():
            node = index.internalPointer()
            assert isinstance(node, Node)
            return node
        return self._root

    def index_of(self, item_id: Any) -> QModelIndex:
        """The index of the item with ``item_id`` (invalid when it is not shown)."""

        def find(parent: QModelIndex) -> QModelIndex:
            for row in range(self.rowCount(parent)):
                index = self.index(row, 0, parent)
                if self.node(index).item.id == item_id:
                    return index
                found = find(index)
                if found.isValid():
                    return found
            return QModelIndex()

        return find(QModelIndex())

    # -- the model ------------------------------------------------------------------------
    def index(self, row: int, column: int, parent: ModelIndex = _TOP) -> QModelIndex:
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        return self.createIndex(row, column, self.node(parent).children[row])

    def parent(self, index: ModelIndex = _TOP) -> QModelIndex:  # type: ignore[override]
        if not index.isValid():
            return QModelIndex()
        parent = self.node(index).parent
        if parent is None or parent is self._root:
            return QModelIndex()
        return self.createIndex(parent.row(), 0, parent)

    def rowCount(self, parent: ModelIndex = _TOP) -> int:
        if parent.isValid() and parent.column() != 0:
            return 0
        return len(self.node(parent).children)

    def columnCount(self, parent: ModelIndex = _TOP) -> int:
        return len(HEADERS)

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            text = (node.label, node.details, node.responsible)[index.column()]
            return text if role == Qt.ItemDataRole.DisplayRole else (text or None)
        if role == ITEM_ROLE:
            return node.item
        if role == KIND_ROLE:
            return node.kind
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(HEADERS):
            return self.tr(HEADERS[section])
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

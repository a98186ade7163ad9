"""A treatment-plan version as a tree: problems, their goals, each goal's objectives (with
the interventions that serve them) and the goal's other interventions. Plain text only."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QObject, QPersistentModelIndex, Qt

ModelIndex = QModelIndex | QPersistentModelIndex
#: the node's item (a ProblemView, GoalView, ObjectiveView or InterventionView)
ITEM_ROLE = Qt.ItemDataRole.UserRole
#: "problem", "goal", "objective" or "intervention"
KIND_ROLE = Qt.ItemDataRole.UserRole + 1

_TOP = QModelIndex()
HEADERS = ("Plan item", "Status or target", "Who is responsible")


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


def _goal_details(goal: Any) -> str:
    parts = [goal.status.label]
    if goal.measure_kind:
        target = f" ≤ {goal.target_score}" if goal.target_score is not None else ""
        parts.append(f"{measure_name(goal.measure_kind)}{target}")
    if goal.notes:
        count = len(goal.notes)
        parts.append(f"{count} linked note{'s' if count != 1 else ''}")
    return " · ".join(parts)


def build_tree(version: Any) -> Node:
    """The nodes of ``version`` (a VersionView) under an invisible root."""
    root = Node("root", None, "")
    for p_number, problem in enumerate(version.problems, start=1):
        p_node = root.add(Node("problem", problem, f"Problem {p_number}: "
                               f"{_flat(problem.description)}", problem.diagnosis))  # fmt: skip
        for g_number, goal in enumerate(problem.goals, start=1):
            number = f"{p_number}.{g_number}"
            g_node = p_node.add(
                Node("goal", goal, f"Goal {number}: {_flat(goal.description)}",
                     _goal_details(goal))
            )  # fmt: skip
            by_objective: dict[Any, Node] = {}
            for o_number, objective in enumerate(goal.objectives, start=1):
                target = objective.target_date.isoformat() if objective.target_date else "No date"
                by_objective[objective.id] = g_node.add(
                    Node("objective", objective,
                         f"Objective {number}.{o_number}: {_flat(objective.description)}",
                         f"{objective.status.label} · by {target}")
                )  # fmt: skip
            for intervention in goal.interventions:
                owner = by_objective.get(intervention.objective_id, g_node)
                owner.add(
                    Node("intervention", intervention,
                         f"Intervention: {_flat(intervention.description)}",
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
            return HEADERS[section]
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

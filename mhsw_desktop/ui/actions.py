"""The action registry: every menu item, shortcut and toolbar button declared once."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QWidget

StandardKey = QKeySequence.StandardKey


@dataclass(frozen=True)
class ActionSpec:
    """An action's identity and words; ``shortcut`` is a StandardKey where Qt has one."""

    id: str
    text: str
    accessible_name: str
    status_tip: str
    shortcut: QKeySequence.StandardKey | str | None = None
    menu: str = "file"
    toolbar: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        "new_client",
        "&New client…",
        "New client",
        "Add a client to the caseload",
        StandardKey.New,
        menu="clients",
        toolbar=True,
    ),
    ActionSpec(
        "edit_client",
        "&Edit client…",
        "Edit client",
        "Open the selected client's record",
        "Ctrl+E",
        menu="clients",
        toolbar=True,
    ),
    ActionSpec(
        "discharge_client",
        "&Discharge client…",
        "Discharge client",
        "Discharge the selected client with a date and a reason",
        None,
        menu="clients",
        toolbar=True,
    ),
    ActionSpec(
        "find",
        "&Filter clients",
        "Filter clients",
        "Move to the client filter",
        StandardKey.Find,
        menu="clients",
    ),
    ActionSpec(
        "view_today",
        "&Today",
        "Show today",
        "Tasks due, notes to finish and recovered drafts",
        "Ctrl+1",
        menu="view",
    ),
    ActionSpec(
        "view_clients",
        "&Clients",
        "Show clients",
        "The caseload",
        "Ctrl+2",
        menu="view",
    ),
    ActionSpec(
        "view_search",
        "&Search",
        "Show search",
        "Search notes and clients",
        "Ctrl+3",
        menu="view",
    ),
    ActionSpec(
        "new_note",
        "New &note…",
        "New note",
        "Write a session note for the selected client",
        "Ctrl+Shift+N",
        menu="notes",
        toolbar=True,
    ),
    ActionSpec(
        "add_task",
        "Add &task…",
        "Add task",
        "Add a follow-up task with a due date",
        "Ctrl+T",
        menu="notes",
    ),
    ActionSpec(
        "practitioner_profile",
        "&Practitioner profile…",
        "Practitioner profile",
        "Your name, credentials and licence number for signing; practice details",
        None,
        menu="file",
    ),
    ActionSpec(
        "note_templates",
        "Note &templates…",
        "Note templates",
        "Add your own note template or change one you added",
        None,
        menu="notes",
    ),
    ActionSpec(
        "lock",
        "&Lock",
        "Lock the vault",
        "Lock the vault now (also happens when idle)",
        "Ctrl+L",
        menu="file",
        toolbar=True,
    ),
    ActionSpec(
        "change_passphrase",
        "&Change passphrase…",
        "Change passphrase",
        "Choose a new passphrase for this vault",
        None,
        menu="file",
    ),
    ActionSpec("quit", "&Quit", "Quit", "Lock the vault and quit", StandardKey.Quit, menu="file"),
    ActionSpec("about", "&About MHSW Desktop", "About", "Version and licence", None, menu="help"),
)
MENUS: tuple[tuple[str, str], ...] = (
    ("file", "&File"),
    ("view", "&View"),
    ("clients", "&Clients"),
    ("notes", "&Notes"),
    ("help", "&Help"),
)


def build_actions(parent: QWidget) -> dict[str, QAction]:
    """Make one QAction per spec, owned by ``parent``, keyed by id."""
    made: dict[str, QAction] = {}
    for spec in ACTIONS:
        action = QAction(spec.text, parent)
        action.setObjectName(f"action_{spec.id}")
        action.setStatusTip(spec.status_tip)
        action.setToolTip(spec.accessible_name)
        if spec.shortcut is not None:
            if isinstance(spec.shortcut, QKeySequence.StandardKey):
                action.setShortcuts(spec.shortcut)
            else:
                action.setShortcut(QKeySequence(spec.shortcut))
        if spec.id == "quit":
            action.setMenuRole(QAction.MenuRole.QuitRole)
        elif spec.id == "about":
            action.setMenuRole(QAction.MenuRole.AboutRole)
        made[spec.id] = action
    return made


def accessible_name(action_id: str) -> str:
    return next(s.accessible_name for s in ACTIONS if s.id == action_id)

"""Every GUI setting in one declared list (name, type, default), stored with QSettings.

Nothing here may ever hold client data: only window state, the vault folder path and
preferences. Values are versioned so that later releases can upgrade them in steps.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QByteArray, QSettings

#: bumped when a stored setting changes meaning; see :data:`UPGRADES`
SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Setting:
    """One declared setting: its key, Python type, default and a line for the reader."""

    name: str
    type: type
    default: Any
    doc: str


SETTINGS: tuple[Setting, ...] = (
    Setting("settings_version", int, SETTINGS_VERSION, "format of the stored settings"),
    Setting("window/geometry", QByteArray, QByteArray(), "main window size and place"),
    Setting("window/state", QByteArray, QByteArray(), "toolbar and dock layout"),
    Setting("window/client_header", QByteArray, QByteArray(), "client list column widths"),
    Setting("vault/recent_path", str, "", "folder of the vault opened last (a path only)"),
    Setting("security/auto_lock_minutes", int, 10, "lock after this many idle minutes; 0 = never"),
    Setting("clients/status_filter", str, "current", "which clients the list shows"),
    Setting(
        "backup/last_problem",
        str,
        "",
        "why the last automatic backup failed (a folder and a reason, never client data); "
        "shown until a backup succeeds",
    ),
)
_BY_NAME = {s.name: s for s in SETTINGS}

#: version -> function upgrading stored settings from that version to the next
UPGRADES: dict[int, Any] = {}


class Settings:
    """Typed access to the declared settings; unknown names are a programming error."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store if store is not None else QSettings()
        self._upgrade()

    def get(self, name: str) -> Any:
        setting = _BY_NAME[name]
        value = self._store.value(name, setting.default)
        if value is None:
            return setting.default
        if setting.type is bool and isinstance(value, str):
            return value.lower() in {"1", "true", "yes"}
        if setting.type in (int, str, bool):
            convert: Any = setting.type
            try:
                return convert(value)
            except (TypeError, ValueError):
                return setting.default
        if not isinstance(value, setting.type):
            return setting.default
        return value

    def set(self, name: str, value: Any) -> None:
        setting = _BY_NAME[name]
        if not isinstance(value, setting.type):
            raise TypeError(f"setting {name} takes {setting.type.__name__}")
        self._store.setValue(name, value)

    def sync(self) -> None:
        self._store.sync()

    def _upgrade(self) -> None:
        stored = self._store.value("settings_version")
        version = int(stored) if stored is not None else SETTINGS_VERSION
        while version < SETTINGS_VERSION:
            UPGRADES[version](self._store)
            version += 1
        self._store.setValue("settings_version", SETTINGS_VERSION)

"""Auto-lock after idle minutes: an application event filter restarts a timer on input."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

_ACTIVITY = frozenset(
    {
        QEvent.Type.KeyPress,
        QEvent.Type.MouseButtonPress,
        QEvent.Type.MouseMove,
        QEvent.Type.Wheel,
        QEvent.Type.TouchBegin,
    }
)


MAX_MINUTES = 24 * 60


class IdleWatcher(QObject):
    """Emits :attr:`idle` once when no key or mouse input arrived for ``minutes``."""

    idle = Signal()

    def __init__(self, minutes: float, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.idle)
        self.set_minutes(minutes)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_minutes(self, minutes: float) -> None:
        """0 (or less) turns auto-lock off; at most a day (a QTimer holds 24.8 days)."""
        minutes = min(minutes, MAX_MINUTES)
        self._minutes = minutes
        self._timer.setInterval(max(1, int(minutes * 60_000)))
        if minutes <= 0:
            self._timer.stop()

    def start(self) -> None:
        if self._minutes > 0:
            self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    def is_active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _ACTIVITY and self._timer.isActive():
            self._timer.start()
        return False

    def remove(self) -> None:
        app = QApplication.instance()
        if app is not None:
            app.removeEventFilter(self)
        self._timer.stop()

"""Copying to the clipboard so that the copy can be taken back on lock."""

from __future__ import annotations

import hashlib

from PySide6.QtGui import QGuiApplication

_copied: set[str] = set()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard and remember (by hash only) that we put it there."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)
    _copied.add(_digest(text))


def clear_our_text() -> bool:
    """Empty the clipboard if it still holds text this app put there; True if it did."""
    clipboard = QGuiApplication.clipboard()
    held = clipboard.text()
    cleared = bool(held) and _digest(held) in _copied
    if cleared:
        clipboard.clear()
    _copied.clear()
    return cleared

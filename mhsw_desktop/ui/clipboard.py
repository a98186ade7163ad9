"""Copying to the clipboard so that the copy can be taken back on lock."""

from __future__ import annotations

import hashlib

from PySide6.QtGui import QClipboard, QGuiApplication

_copied: set[str] = set()


def _digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def copy_text(text: str) -> None:
    """Put ``text`` on the clipboard and remember (by hash only) that we put it there."""
    clipboard = QGuiApplication.clipboard()
    clipboard.setText(text)
    _copied.add(_digest(text))


_watching = False


def watch_copies() -> None:
    """Remember (by hash) whatever reaches the clipboard while one of our windows has
    the focus: Ctrl+C in a table or a field puts client data there without copy_text."""
    global _watching
    if _watching:
        return
    _watching = True
    clipboard = QGuiApplication.clipboard()

    def changed() -> None:
        if QGuiApplication.focusWindow() is not None:
            text = clipboard.text()
            if text:
                _copied.add(_digest(text))

    clipboard.dataChanged.connect(changed)


def clear_our_text() -> bool:
    """Empty the clipboard and the X11 selection if this app filled them; True if it did.

    That covers Ctrl+C in any table or field (Qt then owns the clipboard) as well as
    :func:`copy_text`; text another program copied is left alone.
    """
    clipboard = QGuiApplication.clipboard()
    held = clipboard.text()
    cleared = False
    if clipboard.ownsClipboard() or (bool(held) and _digest(held) in _copied):
        clipboard.clear(QClipboard.Mode.Clipboard)
        cleared = True
    if clipboard.supportsSelection() and clipboard.ownsSelection():
        clipboard.clear(QClipboard.Mode.Selection)
        cleared = True
    _copied.clear()
    return cleared

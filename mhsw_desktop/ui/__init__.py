"""The PySide6 desktop interface: windows, dialogs, item models and the operation runner."""

from __future__ import annotations

import sys


def _guard_none_refcount() -> None:
    """Work around a PySide6 6.12.0 reference-count bug on CPython 3.11.

    Every Qt method that returns nothing (``label.setText``, ``processEvents``…) gives
    back ``None`` without taking a reference, so None's count falls by one per call and
    the interpreter aborts ("none_dealloc") after some thousands of calls; True and False
    suffer the same way. Python 3.12+ makes these objects immortal (PEP 683), which hides
    the bug; here we give them the same effectively infinite count. Remove this when the
    project requires Python 3.12 or a fixed PySide6.
    """
    if sys.version_info >= (3, 12) or sys.implementation.name != "cpython":
        return
    import ctypes

    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += 1 << 40


_guard_none_refcount()

"""The Qt binding itself: PySide6 6.12.0 lost a reference to None per void call on 3.11."""

from __future__ import annotations

import subprocess
import sys


def test_thousands_of_void_qt_calls_keep_the_interpreter_alive() -> None:
    """Run in a child: the broken binding aborts the interpreter ("none_dealloc")."""
    code = (
        "import sys\n"
        "from PySide6.QtWidgets import QApplication, QLabel\n"
        "app = QApplication(['x', '-platform', 'offscreen'])\n"
        "label = QLabel()\n"
        "before = sys.getrefcount(None)\n"
        "for _ in range(20000):\n"
        "    label.setText('x')\n"
        "print(sys.getrefcount(None) - before)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert result.returncode == 0, result.stderr[-500:]
    assert abs(int(result.stdout.strip())) < 100

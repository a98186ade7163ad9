"""Resident memory of the real app with a large vault open (target: under 300 MB).

Starts the GUI offscreen on the bulk-filled vault of ``bench_notes.py`` (run that first),
unlocks it, then does what a day's work does: scrolls the client list, opens client
timelines, runs searches, opens the Today view. Prints RSS after each step and the peak.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/bench_memory.py [--clients N --notes M]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSPHRASE = "benchmark harbor lantern 314 quill"
SEARCHES = ("panic", "sleep", "eviction", "grocery store", "anx*", "housing", "mother")


def rss_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--notes", type=int, default=100)
    args = parser.parse_args()
    folder = ROOT / "bench-out" / f"notes-{args.clients}x{args.notes}"
    if not folder.exists():
        sys.exit(f"{folder} is missing: run benchmarks/bench_notes.py first")

    from PySide6.QtCore import QSettings, QStandardPaths
    from PySide6.QtWidgets import QApplication

    app = QApplication([])
    QStandardPaths.setTestModeEnabled(True)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(ROOT / "bench-out" / "cfg")
    )
    from mhsw_desktop.ui.controller import AppController
    from mhsw_desktop.ui.settings import Settings

    def settle(cond, timeout: float = 60.0) -> None:  # type: ignore[no-untyped-def]
        end = time.monotonic() + timeout
        while time.monotonic() < end and not cond():
            app.processEvents()
            time.sleep(0.01)
        for _ in range(10):
            app.processEvents()

    print(f"after start: {rss_mb():.0f} MB")
    controller = AppController(Settings(), quit_on_close=False)
    controller.start(folder)
    dialog = controller.unlock_dialog
    assert dialog is not None
    dialog.passphrase.setText(PASSPHRASE)
    dialog.attempt()
    settle(lambda: controller.main_window is not None and controller.vault is not None)
    window = controller.main_window
    assert window is not None
    window.resize(1200, 800)
    window.show()
    settle(lambda: window.clients.model.rowCount() > 0)
    print(f"unlocked, {window.clients.model.rowCount()} clients listed: {rss_mb():.0f} MB")
    table = window.clients.table
    for row in range(0, window.clients.proxy.rowCount(), 25):
        table.scrollTo(window.clients.proxy.index(row, 0))
        app.processEvents()
    print(f"client list scrolled end to end: {rss_mb():.0f} MB")
    for row in range(0, min(40, window.clients.model.rowCount())):
        window.show_client(window.clients.model.row_at(row).id)
        settle(lambda: controller.runner.idle(), 30)
    print(f"40 client timelines opened: {rss_mb():.0f} MB")
    window.actions_by_id["view_search"].trigger()
    for query in SEARCHES:
        window.search.query.setText(query)
        window.search.search()
        settle(lambda: controller.runner.idle(), 30)
    print(f"{len(SEARCHES)} searches: {rss_mb():.0f} MB")
    window.actions_by_id["view_today"].trigger()
    settle(lambda: controller.runner.idle(), 30)
    print(f"Today view: {rss_mb():.0f} MB")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS with {args.clients * args.notes} notes open: {peak:.0f} MB  (target < 300)")
    controller.shutdown()


if __name__ == "__main__":
    main()

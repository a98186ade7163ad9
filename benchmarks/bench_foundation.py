"""Foundation figures: start to unlock window, unlock to populated list, filter per keystroke.

Each database figure is also printed as a ratio to the same work on an unencrypted
SQLite copy of the same data (exported with ``sqlcipher_export``). Targets (issue #2,
2-core machine, 10,000 clients): start <= 1.0 s; unlock (after the KDF) to populated
list <= 200 ms; filter per keystroke <= 30 ms; encrypted/plain ratio <= 1.5x.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import textwrap
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from mhsw_desktop.services.clients import list_clients
from mhsw_desktop.services.synthetic import fill_demo
from mhsw_desktop.vault import kdf
from mhsw_desktop.vault.keyfile import KeyFile
from mhsw_desktop.vault.vault import DB_NAME, KEY_NAME, Vault, is_vault

PASSPHRASE = "benchmark harbor lantern 314 quill"
OUT = ROOT / "bench-out"


def ensure_vault(clients: int) -> Path:
    folder = OUT / f"vault-{clients}"
    if is_vault(folder):
        return folder
    print(f"generating a vault of {clients} synthetic clients in {folder} …", flush=True)
    vault, _ = Vault.create(folder, PASSPHRASE, params=kdf.minimum_params())
    with vault, vault.unit_of_work() as session:
        fill_demo(session, clients, seed=42)
    return folder


def plain_copy(folder: Path) -> Path:
    """An unencrypted copy of the same database, for the ratios."""
    plain = folder.parent / f"{folder.name}-plain.sqlite"
    if plain.exists():
        return plain
    with Vault.open(folder, PASSPHRASE) as vault, vault.engine.connect() as conn:
        conn.exec_driver_sql(f"ATTACH DATABASE '{plain}' AS plain KEY ''")
        conn.exec_driver_sql("SELECT sqlcipher_export('plain')")
        conn.commit()
        conn.exec_driver_sql("DETACH DATABASE plain")
    return plain


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def bench_start_to_unlock_window(folder: Path, runs: int) -> float:
    """Wall time from spawning the process to the unlock dialog being shown."""
    child = textwrap.dedent(
        f"""
        import sys, time
        from PySide6.QtCore import QEvent, QObject, QTimer
        from PySide6.QtWidgets import QApplication, QDialog
        app = QApplication(sys.argv[:1])
        class Watch(QObject):
            def eventFilter(self, obj, event):
                if event.type() == QEvent.Type.Show and type(obj).__name__ == "UnlockDialog":
                    print(f"SHOWN {{time.time():.6f}}", flush=True)
                    QTimer.singleShot(0, lambda: __import__("os")._exit(0))
                return False
        watch = Watch(); app.installEventFilter(watch)
        from mhsw_desktop.app import main
        main(["--vault", {str(folder)!r}])
        """
    )
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "XDG_CONFIG_HOME": str(OUT / "cfg")}
    samples = []
    for _ in range(runs):
        start = time.time()
        out = subprocess.run(
            [sys.executable, "-c", child],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=60,
        ).stdout
        shown = float(next(line for line in out.splitlines() if line.startswith("SHOWN"))[6:])
        samples.append(shown - start)
    return median_ms(samples)


def bench_unlock_to_list(folder: Path, plain: Path, runs: int) -> tuple[float, float, float]:
    """Unlock after the KDF (engine, schema check) to a populated model; and plain query.

    Encrypted and plain runs alternate, so that whatever else the machine is doing
    weighs on both sides of the ratio alike.
    """
    from PySide6.QtWidgets import QApplication

    from mhsw_desktop.ui.client_model import ClientFilterProxy, ClientTableModel

    _app = QApplication.instance() or QApplication([])
    key_file = KeyFile.load(folder / KEY_NAME)
    model = ClientTableModel()
    proxy = ClientFilterProxy()
    proxy.setSourceModel(model)
    enc, query_only, plain_query = [], [], []
    for _ in range(runs):
        data_key = key_file.unwrap_with_passphrase(PASSPHRASE)  # the KDF: not timed
        assert data_key is not None
        start = time.perf_counter()
        vault = Vault._open_database(folder, key_file, data_key, migrate=True)  # after the KDF
        with vault.session() as session:
            q0 = time.perf_counter()
            rows = list_clients(session, "current")
            query_only.append(time.perf_counter() - q0)
        model.set_rows(rows)
        proxy.rowCount()
        enc.append(time.perf_counter() - start)
        vault.lock()
        model.clear()

        plain_engine = create_engine(f"sqlite:///{plain}")
        with Session(plain_engine) as session:
            q0 = time.perf_counter()
            list_clients(session, "current")
            plain_query.append(time.perf_counter() - q0)
        plain_engine.dispose()
    return median_ms(enc), median_ms(query_only), median_ms(plain_query)


def bench_filter(folder: Path) -> tuple[float, float, int]:
    """Typing a surname one key at a time into the filter; then deleting it."""
    from PySide6.QtWidgets import QApplication

    from mhsw_desktop.ui.client_model import ClientFilterProxy, ClientTableModel

    _app = QApplication.instance() or QApplication([])
    with Vault.open(folder, PASSPHRASE) as vault, vault.session() as session:
        rows = list_clients(session, "all")
    model = ClientTableModel()
    model.set_rows(rows)
    proxy = ClientFilterProxy()
    proxy.setSourceModel(model)
    proxy.set_status_filter("all")
    word = "gonzalez ana"
    samples = []
    for text in [word[:i] for i in range(1, len(word) + 1)] + [
        word[:i] for i in range(len(word) - 1, -1, -1)
    ]:
        start = time.perf_counter()
        proxy.set_filter_text(text)
        proxy.rowCount()
        samples.append(time.perf_counter() - start)
    return median_ms(samples), max(samples) * 1000, len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--clients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    OUT.mkdir(exist_ok=True)
    folder = ensure_vault(args.clients)
    plain = plain_copy(folder)
    size_mb = (folder / DB_NAME).stat().st_size / 1e6
    print(f"vault: {args.clients} clients, {size_mb:.1f} MB encrypted; cpu count {os.cpu_count()}")

    start_ms = bench_start_to_unlock_window(folder, args.runs)
    print(f"process start -> unlock window shown: {start_ms:7.1f} ms   (target <= 1000)")
    unlock_ms, enc_q, plain_q = bench_unlock_to_list(folder, plain, args.runs)
    print(f"unlock (after KDF) -> populated list: {unlock_ms:7.1f} ms   (target <= 200)")
    print(
        f"  list query alone: encrypted {enc_q:.1f} ms, plain SQLite {plain_q:.1f} ms, "
        f"ratio {enc_q / plain_q:.2f}x   (target <= 1.5x)"
    )
    median, worst, n = bench_filter(folder)
    print(
        f"filter per keystroke over {n} rows: median {median:.1f} ms, worst {worst:.1f} ms   "
        "(target <= 30; in memory, so the plain-SQLite ratio is 1.00x by construction)"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the benchmark process: {peak:.0f} MB")


if __name__ == "__main__":
    main()

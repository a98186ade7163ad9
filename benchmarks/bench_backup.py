"""Backup figures: make, list, verify and restore a backup of a large vault.

Issue #8: backups happen on lock and quit, so making one must be quick on an old laptop,
and a restore checks every page first. Prints, for the bulk-filled vault of
``bench_notes.py`` (500 clients x 100 notes by default): the database size; ``back_up``
in-process (median of runs) and the bytes per second it reaches; the list of backups;
``mhsw backup`` and ``mhsw backups verify`` and ``mhsw restore`` end to end (KDF
included), each with its peak RSS. Usage:

    .venv/bin/python benchmarks/bench_backup.py [--clients 500] [--notes 100] [--runs 3]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_notes import OUT, PASSPHRASE, bulk_fill

from mhsw_desktop.vault import backup
from mhsw_desktop.vault.vault import DB_NAME, Vault, is_vault

MHSW = Path(sys.executable).with_name("mhsw")


#: runs one command and reports its own peak RSS (KiB) as the last line on stderr
_WRAP = (
    "import resource, subprocess, sys\n"
    "r = subprocess.run(sys.argv[1:])\n"
    "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(r.returncode)\n"
)


def run_cli(*args: str) -> tuple[float, int]:
    """Seconds and peak RSS (MiB) of one ``mhsw`` process (the passphrase on stdin)."""
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", _WRAP, str(MHSW), *args],
        input=f"{PASSPHRASE}\n",
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"mhsw {' '.join(args)} failed: {result.stderr}")
    return seconds, int(result.stderr.strip().splitlines()[-1]) // 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--notes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = OUT / f"notes-{args.clients}x{args.notes}"
    if not is_vault(folder):
        print(f"filling {folder} ...", flush=True)
        bulk_fill(folder, args.clients, args.notes)
    scratch = OUT / "backup-scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    db_bytes = (folder / DB_NAME).stat().st_size
    print(f"vault: {args.clients} clients x {args.notes} notes, {db_bytes / 2**20:.1f} MiB")

    times = []
    with Vault.open(folder, PASSPHRASE) as vault:
        for run in range(args.runs):
            target = scratch / f"run-{run}.mhswbak"
            start = time.perf_counter()
            backup.make_backup(vault, target, kind="manual")
            times.append(time.perf_counter() - start)
    median = statistics.median(times)
    print(
        f"make_backup (in-process, VACUUM INTO + archive): median {median * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms over {args.runs} runs, "
        f"{db_bytes / median / 2**20:.0f} MiB/s"
    )
    start = time.perf_counter()
    entries = backup.list_backups(scratch)
    listed_ms = (time.perf_counter() - start) * 1000
    print(f"list {len(entries)} backups (manifests only): {listed_ms:.1f} ms")

    out = scratch / "cli.mhswbak"
    seconds, peak = run_cli("--vault", str(folder), "backup", "-o", str(out))
    print(f"mhsw backup -o (KDF, unlock, copy, lock): {seconds:.2f} s, peak RSS {peak} MiB")
    seconds, peak = run_cli("backups", "verify", str(out))
    print(f"mhsw backups verify (every check, KDF included): {seconds:.2f} s, peak RSS {peak} MiB")
    seconds, peak = run_cli("restore", str(out), "--to", str(scratch / "restored"))
    print(f"mhsw restore (verify, switch, open, record): {seconds:.2f} s, peak RSS {peak} MiB")
    shutil.rmtree(scratch, ignore_errors=True)
    if os.environ.get("MHSW_BENCH_KEEP") != "1":
        print("(scratch removed; the filled vault stays cached in bench-out/)")


if __name__ == "__main__":
    main()

"""Report figures: a session summary, a 100-note record, today's batch of 8, and the CLI.

Issue #7 targets (2-core machine): session summary <= 150 ms; full record of a client with
100 notes <= 3 s; today's batch of 8 summaries <= 1.5 s. Each figure is the median of
several runs after one warm-up (the first build also registers the embedded fonts, and
that cold figure is printed too). Peak RSS of the process is printed at the end.

    .venv/bin/python benchmarks/bench_reports.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from datetime import time as clock
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mhsw_desktop.reports.make import ReportRequest, make_report
from mhsw_desktop.services.clients import list_clients
from mhsw_desktop.services.notes import NoteInput, create_draft, sign_note
from mhsw_desktop.services.synthetic import fill_demo
from mhsw_desktop.services.synthetic_notes import SIGNER, add_synthetic_notes, synthetic_sections
from mhsw_desktop.vault import kdf
from mhsw_desktop.vault.vault import Vault

PASSPHRASE = "benchmark harbor lantern 314 quill"
TARGETS = {"summary": 150.0, "record": 3000.0, "batch": 1500.0}


def build_vault(folder: Path) -> None:
    """Twelve clients; the first has 100 notes; eight sessions today across the others."""
    vault, _ = Vault.create(folder, PASSPHRASE, params=kdf.minimum_params())
    rng = random.Random(3)
    today = date.today()
    with vault, vault.unit_of_work() as session:
        fill_demo(session, 12, seed=5, notes_per_client=1)
        rows = list_clients(session, "all")
        first = rows[0]
        add_synthetic_notes(session, first.id, date(2022, 1, 10), rng, notes=99, today=today)
        for n, row in enumerate(rows[1:9]):
            data = NoteInput(
                client_id=row.id, session_date=today, template_key="soap",
                sections=synthetic_sections(rng, "soap"), start_time=clock(8 + n, 0),
                duration_minutes=50, plan="Weekly sessions.",
            )  # fmt: skip
            sign_note(session, create_draft(session, data), SIGNER)


def timed(fn, runs: int) -> tuple[float, list[float], int]:  # type: ignore[no-untyped-def]
    """(cold ms, warm ms samples, pages)."""
    start = time.perf_counter()
    pdf = fn()
    cold = (time.perf_counter() - start) * 1000
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        pdf = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return cold, samples, pdf.pages


def cli_seconds(folder: Path, client: str, out: Path) -> float:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "mhsw_desktop.cli", "--vault", str(folder), "report",
         "session-summary", "--client", client, "-o", str(out)],
        input=f"{PASSPHRASE}\n", capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"mhsw report failed: {result.stderr.strip()}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--build", metavar="DIR", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.build:  # in a child process, so the figures below are the reports' own memory
        build_vault(Path(args.build))
        return
    work = Path(tempfile.mkdtemp(prefix="mhsw-bench-reports-"))
    try:
        folder = work / "vault"
        started = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--build", str(folder)], check=True)
        print(f"vault built in {time.perf_counter() - started:.1f} s (12 clients, 119 notes)")
        vault = Vault.open(folder, PASSPHRASE)
        with vault, vault.session() as session:
            first = list_clients(session, "all")[0].id
            figures = {
                "summary": timed(
                    lambda: make_report(session, ReportRequest("session-summary", first)),
                    args.runs,
                ),
                "record": timed(
                    lambda: make_report(session, ReportRequest("record", first)), args.runs
                ),
                "batch": timed(
                    lambda: make_report(
                        session, ReportRequest("session-summary", day=date.today())
                    ),
                    args.runs,
                ),
            }
        labels = {
            "summary": "session summary (1 note)",
            "record": "full record (100 notes)",
            "batch": "today's batch (8 summaries)",
        }
        for key, (cold, samples, pages) in figures.items():
            median = statistics.median(samples)
            print(
                f"{labels[key]:30s} median {median:7.0f} ms  max {max(samples):7.0f} ms  "
                f"cold {cold:7.0f} ms  {pages:3d} pages  target {TARGETS[key]:.0f} ms  "
                f"ratio {median / TARGETS[key]:.2f}"
            )
        seconds = cli_seconds(folder, str(first), work / "cli.pdf")
        print(f"`mhsw report session-summary` end to end (64 MiB KDF floor): {seconds:.2f} s")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS of this process: {peak:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()

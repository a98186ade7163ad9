"""Client-document figures: each document in English, Spanish and both, and the CLI.

Issue #10: the documents a client takes home are printed while the client waits, on an
old laptop. Prints, for one synthetic Spanish-speaking client of a demo vault (with a
safety plan, notes, a completed PHQ-9 and GAD-7, a release and a referral): the median
time to build each client document in each language (in-process, data gathering
included), its pages, and the peak RSS of the process; then ``mhsw report next-steps
--lang es`` end to end (KDF included). Usage:

    .venv/bin/python benchmarks/bench_client_documents.py [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.reports import CLIENT_FACING
from mhsw_desktop.reports.make import ReportRequest, make_report
from mhsw_desktop.services import measures, safety_plans
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.notes import NoteInput, create_draft
from mhsw_desktop.services.resources import ReferralInput, ResourceInput, add_referral, add_resource
from mhsw_desktop.services.synthetic import fill_demo
from mhsw_desktop.vault.vault import Vault

PASSPHRASE = "benchmark passphrase, synthetic data only"
KINDS = sorted(CLIENT_FACING)


def make_vault(folder: Path) -> tuple[Vault, object, dict[str, object]]:
    vault, _recovery = Vault.create(folder, PASSPHRASE)  # the KDF calibrated to this machine
    with vault.unit_of_work() as s:
        fill_demo(s, 40, 3, notes_per_client=5)
        client = add_client(
            s, ClientInput("Lucía", "Ramírez Peña", date(1979, 6, 2), preferred_language="es")
        )
        safety_plans.create_safety_plan(s, client)
        create_draft(
            s,
            NoteInput(client, date.today(), "free", {"note": "Sesión."},
                      homework="Caminar diez minutos después del almuerzo.\nLlamar a mi hermana."),
        )  # fmt: skip
        answers = (1, 2, 1, 0, 2, 1, 0, 1, 0)
        phq = measures.add_measure(s, measures.MeasureInput(client, "phq9", answers, date.today()))
        centre = ResourceInput(name="Centro Comunitario del Valle", services="Apoyo familiar",
                               phone="(802) 555-0190", languages="English, Spanish")  # fmt: skip
        resource_id = add_resource(s, centre)
        add_referral(s, ReferralInput(client_id=client, resource_id=resource_id,
                                      referred_on=date.today()))  # fmt: skip
    return vault, client, {"phq9-form": phq.id}


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        vault, client, completed = make_vault(Path(tmp) / "vault")
        print(f"{'document':26} {'lang':5} {'median ms':>9} {'pages':>5}")
        with vault:
            for kind in KINDS:
                for lang in ("en", "es", "both"):
                    extra = {"measure_id": completed[kind]} if kind in completed else {}
                    request = ReportRequest(kind, client, lang=lang, **extra)  # type: ignore[arg-type]
                    times, pages = [], 0
                    for _ in range(args.runs):
                        start = time.perf_counter()
                        with vault.session() as s:
                            pdf = make_report(s, request)
                        times.append((time.perf_counter() - start) * 1000)
                        pages = pdf.pages
                    print(f"{kind:26} {lang:5} {statistics.median(times):9.0f} {pages:5}")
        print(f"peak RSS of this process: {peak_rss_mib():.0f} MiB")
        mhsw = Path(sys.executable).with_name("mhsw")
        out = Path(tmp) / "next-steps.pdf"
        start = time.perf_counter()
        subprocess.run(
            [str(mhsw), "--vault", str(Path(tmp) / "vault"), "report", "next-steps", "--client",
             str(client), "--lang", "es", "-o", str(out)],
            input=PASSPHRASE + "\n", text=True, check=True, capture_output=True,
            env={**os.environ},
        )  # fmt: skip
        print(f"mhsw report next-steps --lang es (KDF included): "
              f"{(time.perf_counter() - start) * 1000:.0f} ms")  # fmt: skip


if __name__ == "__main__":
    main()

#!/usr/bin/env python
"""Kill a note writer with SIGKILL at random moments, many times, and check every run.

The suite does 50 runs (tests/vault/test_crash_kill.py); this is the long version a
developer runs by hand::

    .venv/bin/python scripts/crash_loop.py [--runs 500] [--seed N] [--passphrase-every 10]

Every run forks a writer that saves session notes through the real services into one
synthetic vault (minimum KDF) and is killed after a random delay; the vault is then
reopened here: every note reported saved must be there exactly, and SQLite's and
SQLCipher's integrity checks must be clean. Every ``--passphrase-every``-th run changes
the passphrase in a loop instead (exactly one of old and new must open the key file).
Prints runs per second, failures with the seed that replays them, and a summary; exits 1
on any failure.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.support import NEW_PASSPHRASE, PASSPHRASE, create_vault
from tests.vault.crash_writer import (
    CrashHarness,
    Expected,
    check_vault,
    which_passphrases_open,
)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=500, help="kill runs (default 500)")
    parser.add_argument("--seed", type=int, default=None, help="replay a sequence of delays")
    parser.add_argument(
        "--passphrase-every",
        type=int,
        default=10,
        metavar="N",
        help="every N-th run changes the passphrase (0: never; default 10)",
    )
    parser.add_argument(
        "--check-every",
        type=int,
        default=1,
        metavar="N",
        help="reopen and check the vault after every N-th run (default 1)",
    )
    args = parser.parse_args(argv)
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**9)
    from mhsw_desktop.domain.client_rules import ClientInput
    from mhsw_desktop.services.clients import add_client

    with tempfile.TemporaryDirectory(prefix="mhsw-crash-") as temp:
        folder = Path(temp) / "vault"
        vault, _ = create_vault(folder)
        with vault, vault.unit_of_work() as session:
            client = str(add_client(session, ClientInput("Ana", "González", date(1990, 2, 3))))
        harness = CrashHarness(seed)
        expected: Expected = {}
        passphrase, failures, kills, changes, torn = PASSPHRASE, 0, 0, 0, 0
        print(f"seed {seed}: {args.runs} runs in {folder}", flush=True)
        started = time.perf_counter()
        try:
            for number in range(1, args.runs + 1):
                every = args.passphrase_every
                other = NEW_PASSPHRASE if passphrase == PASSPHRASE else PASSPHRASE
                if every and number % every == 0:
                    run = harness.run(harness.passphrase_command(folder, passphrase, other), number)
                    changes += len(run.changes())
                    opens = which_passphrases_open(folder, PASSPHRASE, NEW_PASSPHRASE)
                    problems = [] if len(opens) == 1 else [f"passphrases that open: {opens}"]
                    passphrase = opens[0] if opens else passphrase
                else:
                    run = harness.run(harness.notes_command(folder, number, client, passphrase),
                                      number)  # fmt: skip
                    for note_id, note, rev in run.notes():
                        expected[note_id] = (number, note, rev)
                    problems = []
                problems += run.errors()
                if not run.killed:
                    problems.append(f"the writer was not killed (status {run.status})")
                if not problems and number % args.check_every == 0:
                    problems = check_vault(folder, passphrase, seed, expected)
                kills += run.killed
                torn += len(run.torn())
                if problems:
                    failures += 1
                    print(f"FAIL run {number} (seed {seed}, delay {run.delay:.3f} s): {problems}",
                          flush=True)  # fmt: skip
                if number % 50 == 0:
                    rate = number / (time.perf_counter() - started)
                    print(f"{number} runs, {rate:.2f} runs/s, {failures} failures", flush=True)
        finally:
            harness.close()
        elapsed = time.perf_counter() - started
    print(
        f"summary: {args.runs} runs ({kills} killed) in {elapsed:.1f} s, "
        f"{args.runs / elapsed:.2f} runs/s; {len(expected)} notes checked, "
        f"{changes} passphrase changes, {torn} lines cut short by a kill; "
        f"{failures} failures; seed {seed}"
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""SIGKILL at random moments while notes are written or the passphrase changes: nothing
that was reported saved is lost, and the vault passes every check afterwards.

The writers run in a forked child (tests/vault/crash_writer.py); scripts/crash_loop.py
runs the same loop for as long as a developer likes. The seed is printed with any failure
(and can be fixed with MHSW_CRASH_SEED) so a failing sequence of delays can be replayed.
"""

from __future__ import annotations

import os
import random
import time
from datetime import date
from pathlib import Path

import pytest

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.vault.vault import KEY_NAME, Vault
from tests.support import NEW_PASSPHRASE, PASSPHRASE, create_vault
from tests.vault.crash_writer import CrashHarness, Expected, check_vault, which_passphrases_open

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL and fork (POSIX)")

KILL_RUNS = 50
PASSPHRASE_RUNS = 20


@pytest.fixture(scope="module")
def seed() -> int:
    return int(os.environ.get("MHSW_CRASH_SEED") or random.SystemRandom().randrange(10**9))


@pytest.fixture(scope="module")
def harness(seed: int):
    harness = CrashHarness(seed)
    yield harness
    harness.close()


def make_vault(folder: Path) -> str:
    vault, _ = create_vault(folder)
    with vault, vault.unit_of_work() as session:
        return str(add_client(session, ClientInput("Ana", "González", date(1990, 2, 3))))


def test_every_reported_note_survives_fifty_kills(
    tmp_path: Path, harness: CrashHarness, seed: int
) -> None:
    folder = tmp_path / "vault"
    client = make_vault(folder)
    expected: Expected = {}
    killed_while_writing = 0
    for number in range(1, KILL_RUNS + 1):
        run = harness.run(harness.notes_command(folder, number, client, PASSPHRASE), number)
        where = f"seed {seed}, run {number}, kill after {run.delay:.3f} s"
        assert not run.errors(), f"{where}: {run.errors()}"
        assert run.killed, f"{where}: the writer ended by itself ({run.status})"
        killed_while_writing += bool(run.lines)
        problems = harness.check_notes(folder, PASSPHRASE, run, expected)
        assert problems == [], f"{where}: {problems}"
    # The kills really land among the writes (not all before the first commit).
    assert killed_while_writing >= KILL_RUNS // 2, f"seed {seed}"
    assert len(expected) > KILL_RUNS, f"seed {seed}: only {len(expected)} notes were written"


def test_a_kill_during_a_passphrase_change_leaves_exactly_one_passphrase(
    tmp_path: Path, harness: CrashHarness, seed: int
) -> None:
    """The key file is replaced whole: after any kill, the old or the new passphrase opens
    it (never both, never neither), and the database behind it opens too."""
    folder = tmp_path / "vault"
    make_vault(folder)
    current = PASSPHRASE
    changes = 0
    for number in range(1, PASSPHRASE_RUNS + 1):
        other = NEW_PASSPHRASE if current == PASSPHRASE else PASSPHRASE
        run = harness.run(harness.passphrase_command(folder, current, other), number)
        where = f"seed {seed}, run {number}, kill after {run.delay:.3f} s"
        assert not run.errors(), f"{where}: {run.errors()}"
        assert run.killed, where
        opens = which_passphrases_open(folder, PASSPHRASE, NEW_PASSPHRASE)
        assert len(opens) == 1, f"{where}: {opens}"
        reported = run.changes()
        changes += len(reported)
        if reported:  # a change that returned is on disk (or the next one after it is)
            last = (current, other)[reported[-1] % 2]
            nxt = (current, other)[(reported[-1] + 1) % 2]
            assert opens[0] in (last, nxt), where
        current = opens[0]
    # A kill between writing the new key file and renaming it leaves the temp file; the
    # next unlock removes it once it is stale (it may hold a never-adopted passphrase's wrap).
    leftovers = list(folder.glob(".*.tmp"))
    for path in leftovers:
        os.utime(path, (time.time() - 120, time.time() - 120))
    assert check_vault(folder, current, seed, {}) == [], f"seed {seed}"
    assert list(folder.glob(".*.tmp")) == [], leftovers
    assert changes >= PASSPHRASE_RUNS // 2, f"seed {seed}: the kills came before any change"
    assert (folder / KEY_NAME).exists()


def test_an_unlock_removes_stale_temp_files_but_not_a_write_in_progress(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    make_vault(folder)
    stale, fresh = folder / ".vault.key.0123456789ab.tmp", folder / ".audit.anchor.ab.tmp"
    stale.write_bytes(b"{}")
    fresh.write_bytes(b"{}")
    os.utime(stale, (time.time() - 600, time.time() - 600))
    Vault.open(folder, PASSPHRASE, migrate=False).lock()  # inspection writes nothing
    assert stale.exists()
    Vault.open(folder, PASSPHRASE).lock()
    assert not stale.exists() and fresh.exists()

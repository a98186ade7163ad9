"""Kill-during-write harness: a writer process that is SIGKILLed at random moments.

A *server* process (``python tests/vault/crash_writer.py``) imports the app once and,
for every ``notes``/``passphrase`` command read from stdin, forks a *writer* that opens
the vault and writes in a loop through the real services, printing a line after each
commit has returned (never before). The driver (:class:`CrashHarness`, used by
tests/vault/test_crash_kill.py and scripts/crash_loop.py) kills the writer with SIGKILL
after a random delay, reads what was reported, and checks the vault in its own process.

Forking from a warm server keeps a run at a fraction of a second (a fresh interpreter
spends most of that on imports), so the suite can afford fifty kills. The server never
opens the vault itself: each writer makes its own engine after the fork.

Protocol (a line each way; commands are tab-separated, as passphrases hold spaces):
``notes FOLDER RUN SEED CLIENT PASSPHRASE`` or ``passphrase FOLDER OLD NEW``; the server
answers ``pid N``, the writer prints ``ready``, then ``note ID NUMBER REV end`` (revision REV
of its NUMBER-th note is committed) or ``changed N end`` (the N-th change of passphrase
returned), and the server ends each run with ``reaped STATUS`` on a line of its own.
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
#: how many writes a writer makes at most before it stops by itself
MAX_WRITES = 5_000
#: the longest random delay before the kill, in seconds
MAX_DELAY = 0.3
#: how long the driver waits for any line before it gives up on the server
LINE_TIMEOUT = 60


def note_text(seed: int, run: int, note: int, rev: int) -> str:
    """The exact text of one revision of one note: reproducible from its numbers alone.

    Lengths vary from a line to a few pages, so commits touch one page or several.
    """
    rng = random.Random(f"{seed}/{run}/{note}/{rev}")
    hexed = rng.randbytes(4 * rng.choice((3, 30, 120, 600))).hex()
    words = [hexed[i : i + 8] for i in range(0, len(hexed), 8)]
    return f"crash run {run} note {note} rev {rev}: " + " ".join(words)


# -- the writer side (runs in the forked child) ------------------------------------------
def _write_notes(folder: str, run: int, seed: int, client: str, passphrase: str) -> None:
    import uuid

    from mhsw_desktop.services import notes
    from mhsw_desktop.vault.vault import Vault

    client_id = uuid.UUID(client)
    vault = Vault.open(folder, passphrase)
    print("ready", flush=True)
    rng = random.Random(f"{seed}/{run}")
    written: list[tuple[uuid.UUID, int, int]] = []  # (id, note number, revision)
    for n in range(MAX_WRITES):
        if written and rng.random() < 0.3:  # an autosave of an earlier draft
            k = rng.randrange(len(written))
            note_id, number, rev = written[k]
            text = note_text(seed, run, number, rev + 1)
            data = notes.NoteInput(client_id, date.today(), "free", {"note": text})
            with vault.unit_of_work() as session:
                notes.save_draft(session, note_id, data)
            written[k] = (note_id, number, rev + 1)
            print(f"note {note_id} {number} {rev + 1} end", flush=True)
        else:
            data = notes.NoteInput(
                client_id, date.today(), "free", {"note": note_text(seed, run, n, 0)}
            )
            with vault.unit_of_work() as session:
                note_id = notes.create_draft(session, data)
            written.append((note_id, n, 0))
            print(f"note {note_id} {n} 0 end", flush=True)


def _change_passphrases(folder: str, old: str, new: str) -> None:
    from mhsw_desktop.vault.vault import Vault

    vault = Vault.open(folder, old)
    print("ready", flush=True)
    for n in range(1, MAX_WRITES):
        vault.change_passphrase(new if n % 2 else old)
        print(f"changed {n} end", flush=True)


def serve() -> None:
    """Read commands from stdin; fork one writer for each and report how it ended."""
    # Warm the imports the writers need, without opening anything.
    import mhsw_desktop.services.notes
    import mhsw_desktop.vault.vault  # noqa: F401

    for line in sys.stdin:
        words = line.rstrip("\n").split("\t")
        if not words[0]:
            continue
        pid = os.fork()
        if pid == 0:  # the writer
            try:
                if words[0] == "notes":
                    _write_notes(words[1], int(words[2]), int(words[3]), words[4], words[5])
                elif words[0] == "passphrase":
                    _change_passphrases(words[1], words[2], words[3])
            except BaseException as exc:
                print(f"error {type(exc).__name__}: {exc}", flush=True)
                os._exit(1)
            os._exit(0)
        print(f"pid {pid}", flush=True)
        _, status = os.waitpid(pid, 0)
        # A newline first: should a killed writer leave half a line, it ends here.
        print(f"\nreaped {status}", flush=True)


# -- the driver side (the test process) ---------------------------------------------------
def which_passphrases_open(folder: Path, *candidates: str) -> list[str]:
    """The candidates that unwrap the data key from the key file as it is on disk."""
    from mhsw_desktop.vault.keyfile import KeyFile
    from mhsw_desktop.vault.vault import KEY_NAME

    key_file = KeyFile.load(folder / KEY_NAME)
    return [p for p in candidates if key_file.unwrap_with_passphrase(p) is not None]


#: note id -> (run, note number, last revision reported committed)
Expected = dict[str, tuple[int, int, int]]


def check_vault(folder: Path, passphrase: str, seed: int, expected: Expected) -> list[str]:
    """Open the vault here and list what is wrong: lost or changed notes, failed checks."""
    import json

    from sqlalchemy import select

    from mhsw_desktop.domain.note import Note
    from mhsw_desktop.vault.vault import Vault

    problems = []
    with Vault.open(folder, passphrase) as vault:
        report = vault.verify()
        if not report.ok or report.checks.get("cipher_integrity_check") != "ok":
            problems.append(f"verify: {report.problems} {report.checks}")
        with vault.session() as session:
            # One query for all of them: the check must stay fast as the vault grows.
            rows = session.execute(select(Note.id, Note.sections).where(Note.deleted_at.is_(None)))
            stored = {str(note_id): json.loads(sections) for note_id, sections in rows}
        for note_id, (run, number, rev) in expected.items():
            if note_id not in stored:
                problems.append(f"note {note_id} (run {run}, #{number}) is missing")
                continue
            found = stored[note_id].get("note")
            if found == note_text(seed, run, number, rev):
                continue
            if found == note_text(seed, run, number, rev + 1):
                expected[note_id] = (run, number, rev + 1)  # committed, not yet reported
            else:
                problems.append(f"note {note_id} (run {run}, #{number}) lost revision {rev}")
    return problems


@dataclass
class Run:
    """What one killed writer reported before it died."""

    number: int = 0
    lines: list[str] = field(default_factory=list)
    delay: float = 0.0
    status: int = 0

    @property
    def killed(self) -> bool:
        return os.WIFSIGNALED(self.status) and os.WTERMSIG(self.status) == signal.SIGKILL

    def _whole(self, kind: str) -> list[list[str]]:
        """The words of each whole line of ``kind`` (half a line cut by the kill is not one)."""
        return [line.split() for line in self.lines
                if line.startswith(kind + " ") and line.endswith(" end")]  # fmt: skip

    def notes(self) -> list[tuple[str, int, int]]:
        """(note id, note number, revision) of each note reported committed."""
        return [(w[1], int(w[2]), int(w[3])) for w in self._whole("note")]

    def changes(self) -> list[int]:
        """The numbers of the passphrase changes reported done."""
        return [int(w[1]) for w in self._whole("changed")]

    def torn(self) -> list[str]:
        """Lines the kill cut short (reported, so never counted as committed)."""
        return [line for line in self.lines
                if not line.endswith(" end") and not line.startswith("error ")]  # fmt: skip

    def errors(self) -> list[str]:
        return [line for line in self.lines if line.startswith("error ")]


class CrashHarness:
    """Drives a server process; passphrases travel on its stdin (never the command line)."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(seed)
        self._pending = b""
        self.server = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            bufsize=0,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
        )

    def _line(self) -> str:
        """The next line from the server (never waits forever: a hang is a failure)."""
        assert self.server.stdout is not None
        while b"\n" not in self._pending:
            ready, _, _ = select.select([self.server.stdout], [], [], LINE_TIMEOUT)
            if not ready:
                raise RuntimeError(f"the crash server said nothing for {LINE_TIMEOUT} s")
            chunk = os.read(self.server.stdout.fileno(), 65536)
            if not chunk:
                raise RuntimeError(f"the crash server ended (seed {self.seed})")
            self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return line.decode("utf-8", "replace")

    def run(self, command: str, number: int = 0) -> Run:
        """Start one writer, kill it after a random delay once it is ready, collect its lines."""
        assert self.server.stdin is not None
        self.server.stdin.write(command.encode() + b"\n")
        first = self._line()
        assert first.startswith("pid "), first
        pid = int(first.split()[1])
        result = Run(number=number, delay=self.rng.uniform(0, MAX_DELAY))
        line = self._line()
        while line != "ready" and not line.startswith(("error ", "reaped ")):
            line = self._line()
        if line == "ready":
            time.sleep(result.delay)
            os.kill(pid, signal.SIGKILL)
            line = self._line()
        while not line.startswith("reaped "):
            if line:
                result.lines.append(line)
            line = self._line()
        result.status = int(line.split()[1])
        return result

    def check_notes(self, folder: Path, passphrase: str, run: Run, expected: Expected) -> list[str]:
        """Fold ``run``'s reports into ``expected`` and check the vault against all of it.

        Every revision reported committed must be there, exactly; the one being saved at
        the kill may have committed unreported, so the next revision is accepted too.
        """
        for note_id, number, rev in run.notes():
            expected[note_id] = (run.number, number, rev)
        return check_vault(folder, passphrase, self.seed, expected)

    def notes_command(self, folder: Path, run: int, client: str, passphrase: str) -> str:
        return "\t".join(("notes", str(folder), str(run), str(self.seed), client, passphrase))

    @staticmethod
    def passphrase_command(folder: Path, old: str, new: str) -> str:
        return "\t".join(("passphrase", str(folder), old, new))

    def close(self) -> None:
        if self.server.stdin is not None:
            self.server.stdin.close()
        self.server.wait(timeout=30)


if __name__ == "__main__" and sys.argv[1:] == ["serve"]:
    serve()

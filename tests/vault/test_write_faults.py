"""A full disk or a failing drive at the N-th write: a plain message, and every file as it was.

Python's own writes (the key file, the audit anchor, the backup policy: all through
``write_atomic``) are failed in-process at the N-th ``os.open``, file write, ``os.fsync``
or ``os.replace``, for every N until the operation gets through. SQLite writes in C, so
its failures come from the kernel: a child process runs with ``RLIMIT_FSIZE`` just above
the write-ahead log's size (SIGXFSZ ignored), so a save meets "file too large" half way.
"""

from __future__ import annotations

import errno
import itertools
import json
import os
import resource
import signal
import subprocess
import sys
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.errors import UserFacingError
from mhsw_desktop.services import notes
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.vault import backup
from mhsw_desktop.vault.audit import ANCHOR_NAME
from mhsw_desktop.vault.vault import DB_NAME, Vault
from tests.cli.test_cli import ENV, assert_one_line_error, mhsw
from tests.support import NEW_PASSPHRASE, PASSPHRASE, create_vault, snapshot

REPO = Path(__file__).resolve().parents[2]
ERRNOS = {errno.ENOSPC: "the disk is full", errno.EIO: "write error"}


class Faults:
    """Fail the ``fail_at``-th Python-level write call with ``OSError(code)``.

    Counted calls: ``os.open`` for writing, a write on a file from ``os.fdopen``,
    ``os.fsync`` and ``os.replace``. ``hit`` tells whether the failure was reached, and
    ``after_replace`` whether it came after the new file was renamed into place (only the
    folder's fsync is left then, and the change is made whatever it says).
    """

    def __init__(self, fail_at: int, code: int) -> None:
        self.fail_at, self.code = fail_at, code
        self.calls: list[str] = []
        self.hit = self.after_replace = False

    def step(self, name: str) -> None:
        self.calls.append(name)
        if len(self.calls) == self.fail_at:
            self.hit = True
            self.after_replace = any(call.startswith("replace") for call in self.calls[:-1])
            raise OSError(self.code, os.strerror(self.code))

    def install(self, monkeypatch: pytest.MonkeyPatch) -> None:
        real_open, real_fdopen = os.open, os.fdopen
        real_fsync, real_replace = os.fsync, os.replace
        faults = self

        def fault_open(path: Any, flags: int, *args: Any, **kwargs: Any) -> int:
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT):
                faults.step(f"open {Path(path).name}")
            return real_open(path, flags, *args, **kwargs)

        class FaultyFile:
            def __init__(self, handle: Any) -> None:
                self.handle = handle

            def __enter__(self) -> FaultyFile:
                return self

            def __exit__(self, *exc: object) -> None:
                self.handle.close()

            def write(self, data: bytes) -> int:
                faults.step("write")
                return int(self.handle.write(data))

            def __getattr__(self, name: str) -> Any:
                return getattr(self.handle, name)

        def fault_fsync(fd: int) -> None:
            faults.step("fsync")
            real_fsync(fd)

        def fault_replace(src: Any, dst: Any, **kwargs: Any) -> None:
            faults.step(f"replace {Path(dst).name}")
            real_replace(src, dst, **kwargs)

        monkeypatch.setattr(os, "open", fault_open)
        monkeypatch.setattr(os, "fdopen", lambda *a, **k: FaultyFile(real_fdopen(*a, **k)))
        monkeypatch.setattr(os, "fsync", fault_fsync)
        monkeypatch.setattr(os, "replace", fault_replace)


def at_rest(folder: Path) -> dict[str, str]:
    """What a failed write must leave as it was: every file but SQLite's WAL and index."""
    return {k: v for k, v in snapshot(folder).items() if not k.endswith(("-wal", "-shm"))}


def fail_every_write(
    operation: Callable[[], object], folder: Path, code: int, monkeypatch: pytest.MonkeyPatch
) -> list[UserFacingError]:
    """Run ``operation`` with its 1st, 2nd, ... write failing until it gets through.

    Checks that every failed attempt left the files as they were, and returns its errors.
    """
    refused: list[UserFacingError] = []
    for n in itertools.count(1):
        before = at_rest(folder)
        faults = Faults(n, code)
        with monkeypatch.context() as patch:
            faults.install(patch)
            try:
                operation()
            except UserFacingError as exc:
                assert faults.hit and not faults.after_replace, f"write {n}: {exc}"
                assert at_rest(folder) == before, f"write {n} ({faults.calls[-1]}) changed files"
                refused.append(exc)
                continue
        if not faults.hit:
            return refused
        assert faults.after_replace, f"write {n} failed unnoticed: {faults.calls}"
    raise AssertionError("unreachable")


@pytest.fixture
def open_vault(vault_folder: tuple[Path, str]) -> Iterator[Vault]:
    vault = Vault.open(vault_folder[0], PASSPHRASE)
    yield vault
    vault.lock()


@pytest.mark.parametrize("code", list(ERRNOS), ids=[errno.errorcode[c] for c in ERRNOS])
def test_a_failed_key_file_write_keeps_the_old_passphrase(
    open_vault: Vault, code: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = open_vault.folder

    def change() -> None:
        if open_vault.check_passphrase(PASSPHRASE):  # not yet changed by an earlier round
            open_vault.change_passphrase(NEW_PASSPHRASE)

    refused = fail_every_write(change, folder, code, monkeypatch)
    # open, write, fsync, replace: each failure is refused; the folder's fsync after the
    # replace is not a failure of the change (the new key file is whole and in place).
    assert len(refused) == 4
    for error in refused:
        assert ERRNOS[code] in str(error) and "Nothing of this change was saved" in str(error)
        assert "Traceback" not in str(error) and "Errno" not in str(error)
    open_vault.lock()
    with pytest.raises(UserFacingError, match="not correct"):
        Vault.open(folder, PASSPHRASE)
    Vault.open(folder, NEW_PASSPHRASE).lock()


@pytest.mark.parametrize("code", list(ERRNOS), ids=[errno.errorcode[c] for c in ERRNOS])
def test_a_failed_anchor_write_still_locks_and_the_log_still_verifies(
    vault_folder: tuple[Path, str], code: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Lock never fails: a full disk keeps the older anchor, which the log still reaches."""
    folder, _ = vault_folder
    for n in itertools.count(1):
        vault = Vault.open(folder, PASSPHRASE)
        anchor_before = (folder / ANCHOR_NAME).read_bytes()
        faults = Faults(n, code)
        with monkeypatch.context() as patch:
            faults.install(patch)
            vault.lock()
        assert vault.is_locked
        if not faults.hit:
            break
        if not faults.after_replace:
            assert (folder / ANCHOR_NAME).read_bytes() == anchor_before, f"write {n}"
        assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")], f"write {n}"
        with Vault.open(folder, PASSPHRASE) as reopened:
            assert reopened.audit_warning == "", f"write {n}"
            assert reopened.verify().ok, f"write {n}"
    assert n > 4


def test_a_failed_backup_policy_write_is_a_plain_error(
    vault_folder: tuple[Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder, _ = vault_folder
    policy = backup.BackupPolicy(keep_daily=3, keep_weekly=2)
    refused = fail_every_write(lambda: policy.save(folder), folder, errno.ENOSPC, monkeypatch)
    assert len(refused) == 4 and all("the disk is full" in str(e) for e in refused)
    assert backup.BackupPolicy.load(folder) == policy


# -- SQLite's own writes, failed by the kernel -----------------------------------------------
CHILD = r"""
import os, resource, signal, sys, uuid
from datetime import date, timedelta
from mhsw_desktop.errors import UserFacingError
from mhsw_desktop.services import notes
from mhsw_desktop.vault.vault import Vault

signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG
folder, client, size = sys.argv[1], uuid.UUID(sys.argv[2]), int(sys.argv[3])
vault = Vault.open(folder, sys.stdin.readline().rstrip("\n"))
day = date.today() - timedelta(days=1)
print("ready", flush=True)
limit = int(sys.stdin.readline())
soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, hard))
text = "".join(f"{i:06d} late shift; slept poorly. " for i in range(size // 30))[:size]
try:
    with vault.unit_of_work() as session:
        note_id = notes.create_draft(session, notes.NoteInput(client, day, "free", {"note": text}))
except UserFacingError as exc:
    print(f"refused {type(exc).__name__}: {exc}", flush=True)
except BaseException as exc:
    print(f"crashed {type(exc).__name__}: {exc}", flush=True)
else:
    print(f"saved {note_id}", flush=True)
sys.stdin.readline()  # the parent has compared the files: the disk has space again
resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
with vault.unit_of_work() as session:
    after = notes.create_draft(session, notes.NoteInput(client, day, "free", {"note": "after"}))
print(f"after {after}", flush=True)
sys.stdin.readline()  # killed here, so that no clean close tidies anything up
"""


def live_notes(folder: Path, client: str) -> dict[str, str]:
    import uuid

    with Vault.open(folder, PASSPHRASE) as vault, vault.session() as session:
        assert vault.verify().ok
        rows = notes.list_notes(session, uuid.UUID(client))
        return {str(row.id): notes.get_note(session, row.id).data.sections["note"] for row in rows}


@pytest.fixture
def vault_with_notes(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "vault"
    vault, _ = create_vault(folder)
    day = date.today() - timedelta(days=1)
    with vault, vault.unit_of_work() as session:
        client = add_client(session, ClientInput("Ana", "González", date(1990, 2, 3)))
        for i in range(3):
            notes.create_draft(session, notes.NoteInput(client, day, "free", {"note": f"n{i}"}))
    return folder, str(client)


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE semantics of Linux")
@pytest.mark.parametrize("room", [0, 100, 4200, 20_000])
def test_a_save_on_a_full_disk_fails_whole_and_the_vault_stays_sound(
    vault_with_notes: tuple[Path, str], room: int
) -> None:
    folder, client = vault_with_notes
    earlier = live_notes(folder, client)
    child = subprocess.Popen(
        [sys.executable, "-c", CHILD, str(folder), client, "19000"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    assert child.stdin is not None and child.stdout is not None

    def say(line: str) -> None:
        assert child.stdin is not None
        child.stdin.write(line + "\n")
        child.stdin.flush()

    try:
        say(PASSPHRASE)
        assert child.stdout.readline() == "ready\n"
        wal = folder / f"{DB_NAME}-wal"
        before = at_rest(folder)
        say(str(wal.stat().st_size + room))
        outcome = child.stdout.readline().strip()
        assert outcome.startswith(("refused", "saved")), outcome
        if outcome.startswith("refused"):
            assert outcome.startswith("refused WriteFailed: ") and "Nothing of this" in outcome
            assert "disk is full" in outcome or "may be full" in outcome, outcome
        # The database and the key file are untouched (the WAL may hold uncommitted frames).
        assert at_rest(folder) == before
        say("")
        after_line = child.stdout.readline().split()
        assert after_line[0] == "after", after_line
    finally:
        child.kill()
        child.wait(timeout=30)
    found = live_notes(folder, client)
    expected = {**earlier, after_line[1]: "after"}
    if outcome.startswith("saved"):
        saved_id = outcome.split()[1]
        assert found.pop(saved_id).startswith("000000 late shift")
    assert found == expected


def _limit_fsize(limit: int) -> Callable[[], None]:
    def limit_in_child() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, resource.RLIM_INFINITY))

    return limit_in_child


@pytest.mark.skipif(sys.platform != "linux", reason="RLIMIT_FSIZE semantics of Linux")
@pytest.mark.parametrize("limit", [0, 40_000], ids=["at unlock", "at the note"])
def test_mhsw_notes_add_on_a_full_disk_says_so_in_one_line(
    vault_with_notes: tuple[Path, str], limit: int
) -> None:
    folder, client = vault_with_notes
    earlier = live_notes(folder, client)
    # The unlock and the lock are written down before the note fails (and the anchor moves
    # with them when there is room): the rest is as it was.
    before = {k: v for k, v in at_rest(folder).items() if k != ANCHOR_NAME}
    text = "".join(f"{i:06d} slept poorly. " for i in range(1200))[:19_000]
    day = (date.today() - timedelta(days=1)).isoformat()
    command = [sys.executable, "-m", "mhsw_desktop.cli", "--vault", str(folder), "notes", "add",
               "--client", client, "--template", "free", "--date", day, "--section",
               f"note={text}"]  # fmt: skip
    result = subprocess.run(
        command,
        input=f"{PASSPHRASE}\n",
        capture_output=True,
        text=True,
        env=ENV,
        cwd=REPO,
        timeout=120,
        check=False,
        preexec_fn=_limit_fsize(limit),
    )
    assert result.returncode == 1, (result.stdout, result.stderr)
    assert_one_line_error(result)
    assert "disk is full" in result.stderr or "may be full" in result.stderr, result.stderr
    assert result.stdout == ""
    assert {k: v for k, v in at_rest(folder).items() if k != ANCHOR_NAME} == before
    assert live_notes(folder, client) == earlier
    assert mhsw("--vault", str(folder), "verify", "--json", stdin=f"{PASSPHRASE}\n").returncode == 0
    assert json.loads(mhsw("--vault", str(folder), "notes", "list", "--client", client, "--json",
                           stdin=f"{PASSPHRASE}\n").stdout)["count"] == 3  # fmt: skip

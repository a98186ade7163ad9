"""Writing the app's own files whole or not at all, owner-only, and wiping key buffers."""

from __future__ import annotations

import contextlib
import os
import secrets
import time
from pathlib import Path

OWNER_ONLY_FILE = 0o600
OWNER_ONLY_DIR = 0o700


def write_atomic(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data``: a crash leaves either the old file or the new one.

    The temporary file is created owner-only beside the target, fsynced, then renamed
    over it; the folder is fsynced so that the rename itself survives a power cut.
    """
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        raise
    # The new file is in place and its bytes are on disk. A folder that cannot be flushed
    # now leaves only the rename's durability in doubt (after a power cut a reader finds
    # the old file or the new one, whole); failing here would report "nothing changed"
    # about a change that has been made.
    with contextlib.suppress(OSError):
        fsync_dir(path.parent)


def remove_stale_temp_files(folder: Path, older_than: float = 60.0) -> list[Path]:
    """Delete what :func:`write_atomic` left in ``folder`` when it was killed mid-write.

    Such a file may hold a whole key file wrapped under a passphrase that never became
    the vault's. Only files older than ``older_than`` seconds go, so that a write in
    progress (another instance of the app) is left alone. Returns what was removed.
    """
    removed = []
    now = time.time()
    for path in folder.glob(".*.tmp"):
        with contextlib.suppress(OSError):
            if path.is_file() and now - path.lstat().st_mtime > older_than:
                path.unlink()
                removed.append(path)
    return removed


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries to disk (a no-op where the platform cannot)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_private_dir(folder: Path) -> bool:
    """Create ``folder`` (and parents) and make the folder itself owner-only.

    A folder that already exists is left exactly as it is: its permissions belong to
    whoever made it. Returns whether the folder was created here.
    """
    if folder.is_dir():
        return False
    folder.parent.mkdir(parents=True, exist_ok=True)
    try:
        folder.mkdir(OWNER_ONLY_DIR)
    except FileExistsError:
        if folder.is_dir():  # made by someone else meanwhile: not ours to change
            return False
        raise
    if os.name == "posix":
        os.chmod(folder, OWNER_ONLY_DIR)  # mkdir's mode is filtered by the umask
    return True


def wipe(buffer: bytearray) -> None:
    """Overwrite a key buffer in place. Best effort: copies made by libraries remain."""
    for i in range(len(buffer)):
        buffer[i] = 0

"""The operation runner: database work on one worker thread, results back on the GUI thread.

Widgets call :meth:`OperationRunner.run` (plain work) or :meth:`OperationRunner.query`
(work that needs a session); they never touch the database themselves, and the worker
never touches a widget. One single-worker executor serialises every write.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

log = logging.getLogger(__name__)

Handler = Callable[[Any], None]

#: how long a lock may keep the window still before it says "Locking…"
SLOW_LOCK_SECONDS = 0.4


@dataclass
class _Pending:
    on_success: Handler | None
    on_error: Handler | None
    changes: str | None
    generation: int
    #: runs even when a lock comes first (saving typed text); its handler is still dropped
    keep: bool = False


class OperationRunner(QObject):
    """Runs callables on the database worker and calls their handlers on the GUI thread.

    Handlers of operations started before a :meth:`lock` are dropped: after a lock no
    result may reach a widget.
    """

    #: a kind of record ("clients") changed; views decide whether to refresh
    changed = Signal(str)
    #: an operation's handler has run (or was dropped); the runner may now be idle
    finished = Signal()
    #: the vault went locked (every view must drop client data) or unlocked
    locked = Signal()
    #: internal: worker -> GUI thread hand-over (op id, future)
    _done = Signal(int, object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mhsw-db")
        self._pending: dict[int, _Pending] = {}
        self._futures: dict[int, Future[Any]] = {}
        self._next_id = 0
        self._generation = 0
        self._lock = threading.Lock()
        self.vault: Any = None  # mhsw_desktop.vault.vault.Vault, imported lazily
        self._done.connect(self._deliver, Qt.ConnectionType.QueuedConnection)

    # -- starting work -----------------------------------------------------------
    def run(
        self,
        fn: Callable[[], Any],
        on_success: Handler | None = None,
        on_error: Handler | None = None,
        *,
        changes: str | None = None,
        keep: bool = False,
    ) -> int:
        """Run ``fn()`` on the worker; ``on_success(result)`` or ``on_error(exc)`` follow.

        With ``keep`` the work still runs when the vault locks before it starts (it runs
        before the lock, on the same worker); only its handlers are dropped.
        """
        op_id = self._next_id
        self._next_id += 1
        self._pending[op_id] = _Pending(on_success, on_error, changes, self._generation, keep)
        future = self._executor.submit(fn)
        self._futures[op_id] = future
        future.add_done_callback(partial(self._emit_done, op_id))
        return op_id

    def _emit_done(self, op_id: int, future: Future[Any]) -> None:
        """Called on the worker thread: hand the finished future to the GUI thread."""
        self._done.emit(op_id, future)

    def query(
        self,
        fn: Callable[[Any], Any],
        on_success: Handler | None = None,
        on_error: Handler | None = None,
        *,
        changes: str | None = None,
        keep: bool = False,
    ) -> int:
        """Run ``fn(session)`` in one unit of work on the open vault (commit on success)."""
        vault = self.vault
        if vault is None:
            raise RuntimeError("no vault is open")

        def work() -> Any:
            with vault.unit_of_work() as session:
                return fn(session)

        return self.run(work, on_success, on_error, changes=changes, keep=keep)

    def idle(self) -> bool:
        """True when no operation is running or waiting for its handler."""
        return not self._pending

    # -- locking -------------------------------------------------------------------
    def lock_vault(self, before_lock: Callable[[Any], None] | None = None) -> None:
        """Drop queued work, wait for the running operation, then lock the vault.

        ``before_lock(vault)`` runs on the worker just before the lock (the daily backup);
        whatever it raises, the vault still locks. The GUI thread waits for the operation
        already running and for ``before_lock``; when that takes longer than
        :data:`SLOW_LOCK_SECONDS` (a backup of a large vault) a small "Locking…" window
        says so while the wait goes on, with user input held back until it is done.
        """
        self._generation += 1
        for op_id, future in list(self._futures.items()):
            pending = self._pending.get(op_id)
            if pending is not None and pending.keep:
                continue
            if future.cancel():
                self._futures.pop(op_id, None)
        vault, self.vault = self.vault, None
        if vault is not None:

            def finish() -> None:
                try:
                    if before_lock is not None:
                        before_lock(vault)
                finally:
                    vault.lock()

            future = self._executor.submit(finish)
            try:
                if not _finished_within(future, SLOW_LOCK_SECONDS):
                    _wait_showing_progress(future)
                future.result()
            except Exception as exc:  # before_lock failed; the vault is locked regardless
                log.error("before locking: %s", type(exc).__name__)
        self.locked.emit()

    def shutdown(self) -> None:
        """Lock, then stop the worker (at quit)."""
        self.lock_vault()
        self._executor.shutdown(wait=True, cancel_futures=True)

    # -- delivering --------------------------------------------------------------
    @Slot(int, object)
    def _deliver(self, op_id: int, future: Future[Any]) -> None:
        pending = self._pending.pop(op_id, None)
        self._futures.pop(op_id, None)
        try:
            if pending is None or pending.generation != self._generation or future.cancelled():
                _lock_stray_vault(future)
                return
            exc = future.exception()
            if exc is not None:
                if pending.on_error is not None:
                    pending.on_error(exc)
                else:
                    log.error("operation failed: %s", type(exc).__name__)
                return
            if pending.changes:
                self.changed.emit(pending.changes)
            if pending.on_success is not None:
                pending.on_success(future.result())
        finally:
            self.finished.emit()


def _finished_within(future: Future[Any], seconds: float) -> bool:
    done, _not_done = wait([future], timeout=seconds)
    return bool(done)


def _wait_showing_progress(future: Future[Any]) -> None:
    """Wait for ``future`` in a local event loop that paints but takes no user input,
    under a small busy window (no cancel: the lock must happen). No client data in it."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication, QProgressDialog

    if QApplication.instance() is None:  # headless use: just wait
        wait([future])
        return
    dialog = QProgressDialog(
        QCoreApplication.translate(
            "OperationRunner", "Locking: finishing today's backup and the work in progress…"
        ),
        "",
        0,
        0,
    )
    dialog.setObjectName("locking_progress")
    dialog.setWindowTitle(QCoreApplication.translate("OperationRunner", "Locking"))
    dialog.setAccessibleName(QCoreApplication.translate("OperationRunner", "Locking the vault"))
    dialog.setCancelButton(None)
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    loop = QEventLoop()
    timer = QTimer()
    timer.setInterval(50)
    timer.timeout.connect(lambda: loop.quit() if future.done() else None)
    timer.start()
    dialog.show()
    try:
        if not future.done():
            loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    finally:
        timer.stop()
        dialog.close()
        dialog.deleteLater()


def _lock_stray_vault(future: Future[Any]) -> None:
    """A result dropped by a lock may be a vault that was being unlocked: lock it too,
    so that no engine or key outlives the lock."""
    if future.cancelled() or future.exception() is not None:
        return
    result = future.result()
    lock = getattr(result, "lock", None)
    if callable(lock) and getattr(result, "is_locked", True) is False:
        lock()


def user_message(exc: BaseException) -> str:
    """Words to show for an operation's failure: a known error's own message, or a
    neutral sentence for a bug (whose text may hold record data, so it is not shown). A
    known error's message is the service's, in English."""
    from mhsw_desktop.errors import UserFacingError

    if isinstance(exc, UserFacingError):
        return str(exc)
    from mhsw_desktop.vault.vault import corruption_error, is_corruption

    if is_corruption(exc):
        return str(corruption_error(exc))  # type: ignore[arg-type]
    log.error("unexpected failure in an operation: %s", type(exc).__name__)
    return QCoreApplication.translate(
        "OperationRunner",
        "Something went wrong inside MHSW Desktop ({error}). Nothing was saved by this step. "
        "Please try again, and report it if it repeats.",
    ).format(error=type(exc).__name__)

"""Backups in the app: the daily one made as the vault locks (lock and quit), and
File > Back up now. The work runs on the database worker; the words come back here."""

from __future__ import annotations

import logging
from typing import Any

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QStatusBar, QWidget

from mhsw_desktop.ui.operations import OperationRunner, user_message

log = logging.getLogger(__name__)


def daily_backup(vault: Any) -> str | None:
    """Make today's automatic backup if none is made yet (on the worker, just before the
    vault locks). Returns None when none was due, "" when it was made, otherwise what
    the practitioner must be told. Never raises: locking must not fail."""
    from mhsw_desktop import __version__
    from mhsw_desktop.errors import UserFacingError
    from mhsw_desktop.vault import backup

    try:
        if vault.read_only or not backup.due(vault.folder):
            return None
        result = backup.back_up(vault, kind="auto", app_version=__version__)
    except UserFacingError as exc:
        return QCoreApplication.translate(
            "Backups", "Today's automatic backup failed. {reason}"
        ).format(reason=exc)
    except Exception as exc:  # a bug: its text may hold record data, so only its type
        log.error("automatic backup failed (%s)", type(exc).__name__)
        return QCoreApplication.translate(
            "Backups",
            "Today's automatic backup failed (an internal error). The earlier backups are kept.",
        )
    if result.second_problem:
        return QCoreApplication.translate(
            "Backups",
            "Today's backup was made in {folder}, but not copied to the second folder: {reason}.",
        ).format(folder=result.path.parent, reason=result.second_problem)
    return ""


def back_up_now(runner: OperationRunner, status: QStatusBar, parent: QWidget) -> None:
    """File > Back up now: a backup on the worker; the status bar says where it went."""
    from mhsw_desktop import __version__
    from mhsw_desktop.vault import backup

    vault = runner.vault
    if vault is None:
        return
    status.showMessage(QCoreApplication.translate("Backups", "Making a backup…"))

    def done(result: Any) -> None:
        if result.second_copy:
            text = QCoreApplication.translate(
                "Backups", "Backup saved: {path} (and copied to the second folder)"
            )
        else:
            text = QCoreApplication.translate("Backups", "Backup saved: {path}")
        status.showMessage(text.format(path=result.path), 15_000)
        if result.second_problem:
            QMessageBox.warning(
                parent,
                QCoreApplication.translate("Backups", "Backup"),
                QCoreApplication.translate(
                    "Backups",
                    "The backup was saved in {folder}, but not copied to the second folder: "
                    "{reason}.",
                ).format(folder=result.path.parent, reason=result.second_problem),
            )

    def failed(exc: BaseException) -> None:
        status.clearMessage()
        QMessageBox.warning(
            parent, QCoreApplication.translate("Backups", "Backup"), user_message(exc)
        )

    runner.run(lambda: backup.back_up(vault, kind="manual", app_version=__version__), done, failed)

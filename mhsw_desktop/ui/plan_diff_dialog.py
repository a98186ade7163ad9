"""What changed between two versions of a plan (treatment or safety), in words (read-only)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from mhsw_desktop.ui.widgets import plain_label


class PlanDiffDialog(QDialog):
    """Lists the changes from version ``old`` to version ``new``, one per line; ``what``
    changed is a treatment plan unless said otherwise. The changes come in words from the
    service."""

    def __init__(
        self,
        old: int,
        new: int,
        changes: Sequence[str],
        parent: QWidget | None = None,
        *,
        what: str | None = None,
    ) -> None:
        super().__init__(parent)
        if what is None:
            what = self.tr("Treatment plan")
        self.setWindowTitle(
            self.tr("{what}: version {old} to {new}").format(what=what, old=old, new=new)
        )
        self.setObjectName("plan_diff_dialog")
        heading = plain_label(
            self.tr("What changed from version {old} to version {new}:").format(old=old, new=new),
            self,
        )
        self.changes = QPlainTextEdit(self)
        self.changes.setReadOnly(True)
        self.changes.setAccessibleName(self.tr("Changes between the versions"))
        self.changes.setPlainText(
            "\n".join(f"• {line}" for line in changes) if changes else self.tr("Nothing changed.")
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(self.tr("Close"))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.changes, 1)
        layout.addWidget(buttons)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 90, self.fontMetrics().height() * 20)

    def discard(self) -> None:
        """Close at once (the vault is locking)."""
        self.changes.clear()
        QDialog.reject(self)

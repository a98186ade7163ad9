"""What changed between two versions of a plan (treatment or safety), in words (read-only)."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPlainTextEdit, QVBoxLayout, QWidget

from mhsw_desktop.ui.widgets import plain_label


class PlanDiffDialog(QDialog):
    """Lists the changes from version ``old`` to version ``new``, one per line."""

    def __init__(
        self,
        old: int,
        new: int,
        changes: Sequence[str],
        parent: QWidget | None = None,
        *,
        what: str = "Treatment plan",
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"{what}: version {old} to {new}")
        self.setObjectName("plan_diff_dialog")
        heading = plain_label(f"What changed from version {old} to version {new}:", self)
        self.changes = QPlainTextEdit(self)
        self.changes.setReadOnly(True)
        self.changes.setAccessibleName("Changes between the versions")
        self.changes.setPlainText(
            "\n".join(f"• {line}" for line in changes) if changes else "Nothing changed."
        )
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName("Close")
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

"""The practitioner profile: who signs notes (name, credentials, licence) and the
practice header of reports (practice details, logo, paper size)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, Signal
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import accept_cancel, busy_bar, error_label, plain_label

#: (field, label, limit, kind); the labels are translated where shown
FIELDS: tuple[tuple[str, str, int, str], ...] = (
    ("name", QT_TRANSLATE_NOOP("PractitionerDialog", "&Name (as you sign)"), 200, "line"),
    (
        "credentials",
        QT_TRANSLATE_NOOP("PractitionerDialog", "&Credentials (e.g. LCSW)"),
        100,
        "line",
    ),
    ("licence_number", QT_TRANSLATE_NOOP("PractitionerDialog", "&Licence number"), 100, "line"),
    ("practice_name", QT_TRANSLATE_NOOP("PractitionerDialog", "&Practice name"), 200, "line"),
    ("address", QT_TRANSLATE_NOOP("PractitionerDialog", "&Address"), 500, "text"),
    ("phone", QT_TRANSLATE_NOOP("PractitionerDialog", "P&hone"), 40, "line"),
)
#: (stored value, label) of the paper sizes, as the service knows them
PAPER_SIZES: tuple[tuple[str, str], ...] = (
    ("letter", QT_TRANSLATE_NOOP("PractitionerDialog", "Letter")),
    ("a4", QT_TRANSLATE_NOOP("PractitionerDialog", "A4")),
)
#: the preview shows the logo scaled to fit this box (logical pixels), as on a report
PREVIEW_SIZE = (160, 64)


def choose_image(parent: QWidget, caption: str) -> str:
    """A PNG or JPEG picked by the user, starting in their pictures ("" when cancelled)."""
    start = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.PicturesLocation)
    chosen, _filter = QFileDialog.getOpenFileName(
        parent,
        caption,
        start or str(Path.home()),
        QCoreApplication.translate("PractitionerDialog", "Images") + " (*.png *.jpg *.jpeg)",
    )
    return chosen


class PractitionerDialog(QDialog):
    """Loads the profile on open and saves it with ``save_practitioner`` (and ``set_logo``
    when the logo was chosen or removed), in one unit of work."""

    saved = Signal()

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._busy = True
        self.setWindowTitle(self.tr("Practitioner profile"))
        self.setObjectName("practitioner_dialog")
        intro = plain_label(
            self.tr(
                "Signed notes record your name, credentials and licence number as they are "
                "on the day you sign. Reports carry the practice details."
            ),
            self,
        )
        intro.setWordWrap(True)
        self.widgets: dict[str, QLineEdit | QPlainTextEdit] = {}
        form = QFormLayout()
        for name, source_text, limit, kind in FIELDS:
            label_text = QCoreApplication.translate("PractitionerDialog", source_text)
            widget: QLineEdit | QPlainTextEdit
            if kind == "line":
                line = QLineEdit(self)
                line.setMaxLength(limit)
                widget = line
            else:
                text = QPlainTextEdit(self)
                text.setTabChangesFocus(True)
                text.setMaximumHeight(text.fontMetrics().height() * 4)
                widget = text
            widget.setObjectName(name)
            widget.setAccessibleName(label_text.replace("&", ""))
            label = QLabel(self.tr("{label}:").format(label=label_text), self)
            label.setBuddy(widget)
            form.addRow(label, widget)
            self.widgets[name] = widget
        self.paper_size = QComboBox(self)
        self.paper_size.setObjectName("paper_size")
        self.paper_size.setAccessibleName(self.tr("Paper size"))
        for value, shown in PAPER_SIZES:
            self.paper_size.addItem(QCoreApplication.translate("PractitionerDialog", shown), value)
        paper_label = QLabel(self.tr("Pape&r size:"), self)
        paper_label.setBuddy(self.paper_size)
        form.addRow(paper_label, self.paper_size)
        self._logo_row(form)
        #: the logo shown: PNG bytes as the service stores them, or None
        self.logo: bytes | None = None
        #: the logo was chosen or removed since the profile was loaded
        self.logo_changed = False
        self.error = error_label(self)
        self.busy = busy_bar(self)
        self.buttons, self.save_button = accept_cancel(
            self, self.tr("&Save"), self.tr("Save profile"), self.save
        )
        self.save_button.setEnabled(False)
        self._set_loaded(False)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.busy)
        layout.addWidget(self.buttons)
        self.resize(self.fontMetrics().averageCharWidth() * 70, self.sizeHint().height())
        self._load()

    def _logo_row(self, form: QFormLayout) -> None:
        """Add the logo row to ``form``: a preview, Choose… and Remove."""
        self.logo_preview = plain_label(self.tr("No logo"), self)
        self.logo_preview.setObjectName("logo_preview")
        self.logo_preview.setAccessibleName(self.tr("Logo preview"))
        self.logo_preview.setAccessibleDescription(self.tr("No logo"))
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setMinimumSize(*PREVIEW_SIZE)
        self.logo_preview.setFrameShape(QLabel.Shape.StyledPanel)
        self.choose_logo = QPushButton(self.tr("Ch&oose…"), self)
        self.choose_logo.setObjectName("choose_logo")
        self.choose_logo.setAccessibleName(self.tr("Choose a logo image"))
        self.choose_logo.setToolTip(
            self.tr("A PNG or JPEG, at most 2 MB; stored at most 600×600 px")
        )
        self.choose_logo.clicked.connect(self.pick_logo)
        self.remove_logo = QPushButton(self.tr("Re&move"), self)
        self.remove_logo.setObjectName("remove_logo")
        self.remove_logo.setAccessibleName(self.tr("Remove the logo"))
        self.remove_logo.clicked.connect(self.clear_logo)
        row = QHBoxLayout()
        row.addWidget(self.logo_preview)
        row.addWidget(self.choose_logo, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addWidget(self.remove_logo, 0, Qt.AlignmentFlag.AlignVCenter)
        row.addStretch(1)
        label = QLabel(self.tr("Lo&go:"), self)
        label.setBuddy(self.choose_logo)
        form.addRow(label, row)

    def _set_loaded(self, loaded: bool) -> None:
        """Enable what may be used once the profile is shown and no work is running."""
        self.save_button.setEnabled(loaded)
        self.choose_logo.setEnabled(loaded)
        self.remove_logo.setEnabled(loaded and self.logo is not None)

    def _show_logo(self, png: bytes | None) -> None:
        self.logo = png
        pixmap = QPixmap()
        if png is None or not pixmap.loadFromData(png, "PNG"):
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(self.tr("No logo"))
            self.logo_preview.setAccessibleDescription(self.tr("No logo"))
            return
        ratio = self.devicePixelRatioF()
        fitted = pixmap.scaled(
            int(PREVIEW_SIZE[0] * ratio),
            int(PREVIEW_SIZE[1] * ratio),
            Qt.AspectRatioMode.KeepAspectRatio,
            Qt.TransformationMode.SmoothTransformation,
        )
        fitted.setDevicePixelRatio(ratio)
        self.logo_preview.setPixmap(fitted)
        self.logo_preview.setAccessibleDescription(
            self.tr("Logo, {width} by {height} pixels").format(
                width=pixmap.width(), height=pixmap.height()
            )
        )

    def _load(self) -> None:
        if self.runner.vault is None:
            return
        from mhsw_desktop.services.practitioner import get_logo, get_practitioner

        self.busy.show()
        self.runner.query(
            lambda s: (get_practitioner(s), get_logo(s)), self._loaded, self._load_failed
        )

    def _loaded(self, result: tuple[Any, bytes | None]) -> None:
        profile, logo = result
        self._busy = False
        self.busy.hide()
        for name, widget in self.widgets.items():
            value = getattr(profile, name)
            if isinstance(widget, QLineEdit):
                widget.setText(value)
            else:
                widget.setPlainText(value)
        index = self.paper_size.findData(profile.paper_size)
        self.paper_size.setCurrentIndex(max(index, 0))
        self._show_logo(logo)
        self.logo_changed = False
        self._set_loaded(True)

    def pick_logo(self) -> None:
        """Ask for an image file, then have the service check it and show the result."""
        if self._busy:
            return
        chosen = choose_image(self, self.tr("Choose the practice logo"))
        if not chosen or self._busy:
            return
        from mhsw_desktop.services.practitioner import MAX_LOGO_BYTES, normalise_logo

        try:
            with open(chosen, "rb") as file:
                data = file.read(MAX_LOGO_BYTES + 1)  # one byte over is enough to refuse it
        except OSError as exc:
            self.error.setText(
                self.tr("Could not read {file}: {reason}.").format(
                    file=Path(chosen).name, reason=exc.strerror
                )
            )
            return
        self.error.setText("")
        self._busy = True
        self._set_loaded(False)
        self.busy.show()
        self.runner.run(lambda: normalise_logo(data), self._logo_checked, self._failed)

    def _logo_checked(self, png: bytes) -> None:
        self._busy = False
        self.busy.hide()
        self._show_logo(png)
        self.logo_changed = True
        self._set_loaded(True)

    def clear_logo(self) -> None:
        if self._busy:
            return
        self.error.setText("")
        self._show_logo(None)
        self.logo_changed = True
        self._set_loaded(True)
        self.choose_logo.setFocus()

    def value(self) -> Any:
        from mhsw_desktop.services.practitioner import PractitionerInput

        values = {
            name: w.text() if isinstance(w, QLineEdit) else w.toPlainText()
            for name, w in self.widgets.items()
        }
        return PractitionerInput(**values, paper_size=self.paper_size.currentData())

    def save(self) -> None:
        if self._busy:
            return
        from mhsw_desktop.services.practitioner import save_practitioner, set_logo

        data = self.value()
        logo, logo_changed = self.logo, self.logo_changed

        def work(session: Any) -> None:
            save_practitioner(session, data)
            if logo_changed:
                set_logo(session, logo)

        self._busy = True
        self._set_loaded(False)
        self.busy.show()
        self.runner.query(
            work,
            lambda _r: self._saved(),
            self._failed,
            changes="practitioner",
        )

    def _saved(self) -> None:
        self._busy = False
        self.busy.hide()
        self.saved.emit()
        self.accept()

    def _load_failed(self, exc: BaseException) -> None:
        """Nothing to edit: saving now would blank the profile, so only Cancel stays."""
        self._busy = False
        self.busy.hide()
        self.error.setText(user_message(exc))

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self.busy.hide()
        self._set_loaded(True)
        self.error.setText(user_message(exc))

    def discard(self) -> None:
        """Close at once (the vault is locking)."""
        self._busy = False
        QDialog.reject(self)

"""The note editor: write a session note in a template, autosaved as a draft; sign it;
read a signed note with its signature block and addenda.

Autosave: a single-shot timer restarted on every edit saves two seconds after typing
stops, and focus leaving the editor saves at once. Every save goes through the
operation runner (``save_draft``), in order, on the one database worker. Closing saves
first and marks the draft closed (``set_editing(False)``); a lock saves too but leaves
the draft marked open, so the next unlock offers it as recovered.
"""

from __future__ import annotations

import contextlib
import uuid
from datetime import date, datetime, time
from functools import cache
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QObject, Qt, QTime, QTimer, Signal
from PySide6.QtGui import QCloseEvent, QFont, QTextCharFormat, QTextCursor, QTextDocument
from PySide6.QtWidgets import (
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTextEdit,
    QTimeEdit,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop import APP_NAME
from mhsw_desktop.domain.note import MSE_FIELDS, NOTE_LIMITS, Location, RiskLevel, ServiceType
from mhsw_desktop.ui.actions import make_action, spec_of
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.widgets import error_label, plain_label, scaled_font

#: milliseconds after the last edit before a draft saves itself
AUTOSAVE_MS = 2000


def _text_box(parent: QWidget, name: str, lines: int = 3, placeholder: str = "") -> QPlainTextEdit:
    """A text box; ``name`` and ``placeholder`` are already in the interface's language."""
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setAccessibleName(name)
    box.setPlaceholderText(placeholder)
    box.setMinimumHeight(box.fontMetrics().height() * (lines + 1))
    return box


class CollapsibleSection(QWidget):
    """A heading button that shows or hides the body below it (keyboard: Space); ``title``
    is already in the interface's language."""

    def __init__(self, title: str, body: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.body = body
        self.toggle = QToolButton(self)
        self.toggle.setText(title)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.toggle.setAccessibleName(
            self.tr("Show or hide {section}").format(section=title.replace("&", ""))
        )
        self.toggle.setFont(scaled_font(self.font(), 1.05, bold=True))
        self.toggle.toggled.connect(self.set_expanded)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toggle)
        layout.addWidget(body)
        body.hide()

    def set_expanded(self, expanded: bool) -> None:
        if self.toggle.isChecked() != expanded:
            self.toggle.setChecked(expanded)
            return
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if expanded else Qt.ArrowType.RightArrow)
        self.body.setVisible(expanded)

    def expanded(self) -> bool:
        return self.toggle.isChecked()


class NoteEditor(QDialog):
    """Edits one draft (or starts one) or shows one signed note, for one client.

    ``detail`` is a ``NoteDetail`` (None for a new note); ``templates`` are the
    templates to choose from when starting a note. ``highlight`` is text to find and
    select once the note shows (from a search result).
    """

    #: a note was created, saved, signed or changed: its id
    note_changed = Signal(object)
    #: the practitioner asked for the practitioner profile (to be able to sign)
    profile_requested = Signal()
    #: print this note's session summary: (client id, note id), once it is saved
    print_requested = Signal(object, object)

    def __init__(
        self,
        runner: OperationRunner,
        client_id: uuid.UUID,
        client_name: str,
        templates: list[Any],
        detail: Any = None,
        *,
        highlight: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowFlag(Qt.WindowType.WindowMaximizeButtonHint, True)
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        # never client data in a title
        self.setWindowTitle(self.tr("Session note — {app}").format(app=APP_NAME))
        self.setObjectName("note_editor")
        self.setModal(False)
        self.runner = runner
        self.client_id = client_id
        self.client_name = client_name
        self.templates = list(templates)
        self.detail = detail
        self.note_id: uuid.UUID | None = detail.id if detail is not None else None
        self.highlight = highlight
        self._template: Any = detail.template if detail is not None else None
        self._saved_value: Any = None
        self._creating = False
        self._after_create: list[Any] = []
        #: the id of a note being created, written on the worker as soon as it exists, so a
        #: save queued behind the create (at a lock) updates it instead of losing its text
        self._created_id: dict[str, uuid.UUID] = {}
        self._closing = False
        self._loading = True
        self._dialog: QDialog | None = None
        self.section_edits: dict[str, QPlainTextEdit] = {}
        self.section_labels: dict[str, QLabel] = {}

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(AUTOSAVE_MS)
        self.timer.timeout.connect(self.save_now)

        heading = plain_label(client_name, self)
        heading.setFont(scaled_font(self.font(), 1.3, bold=True))
        heading.setAccessibleName(self.tr("Client"))
        self.state_label = plain_label("", self)
        self.state_label.setAccessibleName(self.tr("Note state"))
        top = QHBoxLayout()
        top.addWidget(heading, 1)
        top.addWidget(self.state_label)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._build_edit_page())
        self.pages.addWidget(self._build_read_page())

        self.status = plain_label("", self)
        self.status.setAccessibleName(self.tr("Save status"))
        self.status.setObjectName("save_status")
        self.error = error_label(self)
        self.error.setAccessibleName(self.tr("What needs attention"))

        self.sign_button = self._button(self.tr("&Sign…"), self.tr("Sign note"), self.sign)
        self.delete_button = self._button(
            self.tr("&Delete draft…"), self.tr("Delete draft"), self.delete_draft
        )
        self.addendum_button = self._button(
            self.tr("Add &addendum…"), self.tr("Add addendum"), self.add_addendum
        )
        self.error_button = self._button(
            self.tr("Mark entered in &error…"), self.tr("Mark entered in error"), self.mark_in_error
        )
        self.close_button = self._button(self.tr("&Close"), self.tr("Close note"), self.close)
        self.print_button = self._button(
            self.tr("Print summar&y…"), self.tr("Print session summary"), self.print_summary
        )
        self.print_button.setToolTip(
            self.tr("Preview, print or save this note's session summary (Ctrl+P)")
        )
        print_action = make_action(spec_of("print_summary"), self)
        print_action.triggered.connect(self.print_summary)
        self.addAction(print_action)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        for button in (
            self.print_button,
            self.delete_button,
            self.error_button,
            self.addendum_button,
            self.sign_button,
            self.close_button,
        ):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self._fill(detail)
        self._loading = False
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._focus_changed)
        chars = self.fontMetrics().averageCharWidth()
        self.resize(chars * 110, self.fontMetrics().height() * 46)
        if highlight:
            QTimer.singleShot(0, self.show_highlight)

    def _button(self, text: str, name: str, slot: Any) -> QPushButton:
        button = QPushButton(text, self)
        button.setAccessibleName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    # -- building --------------------------------------------------------------------
    def _build_edit_page(self) -> QWidget:
        page = QWidget(self)
        self.session_date = QDateEdit(page)
        self.session_date.setDisplayFormat("yyyy-MM-dd")
        self.session_date.setCalendarPopup(True)
        self.session_date.setMinimumDate(QDate(1990, 1, 1))
        self.session_date.setMaximumDate(QDate.currentDate())
        self.session_date.setAccessibleName(self.tr("Session date"))
        self.has_start = QCheckBox(self.tr("Start &time:"), page)
        self.has_start.setAccessibleName(self.tr("Record a start time"))
        self.start_time = QTimeEdit(page)
        self.start_time.setDisplayFormat("HH:mm")
        self.start_time.setAccessibleName(self.tr("Start time"))
        self.start_time.setEnabled(False)
        self.has_start.toggled.connect(self.start_time.setEnabled)
        self.duration = QSpinBox(page)
        self.duration.setRange(0, 24 * 60)
        self.duration.setSingleStep(5)
        #: Translators: after the session's length in minutes ("50 min"), its space included
        self.duration.setSuffix(self.tr(" min"))
        self.duration.setSpecialValueText(self.tr("Not set"))
        self.duration.setAccessibleName(self.tr("Duration in minutes"))
        # the service types, places, risk levels and templates are named by the domain
        self.service_type = QComboBox(page)
        for service in ServiceType:
            self.service_type.addItem(service.label, service.value)
        self.service_type.setAccessibleName(self.tr("Service type"))
        self.location = QComboBox(page)
        for place in Location:
            self.location.addItem(place.label, place.value)
        self.location.setAccessibleName(self.tr("Location"))
        self.present = QLineEdit(page)
        self.present.setMaxLength(NOTE_LIMITS["present"])
        self.present.setPlaceholderText(self.tr("e.g. client and mother"))
        self.present.setAccessibleName(self.tr("Who was present"))
        self.template = QComboBox(page)
        self.template.setAccessibleName(self.tr("Note template"))
        for template in self.templates:
            self.template.addItem(template.name, template.key)

        grid = QGridLayout()
        date_label = QLabel(self.tr("Session &date:"), page)
        date_label.setBuddy(self.session_date)
        grid.addWidget(date_label, 0, 0)
        grid.addWidget(self.session_date, 0, 1)
        grid.addWidget(self.has_start, 0, 2)
        grid.addWidget(self.start_time, 0, 3)
        duration_label = QLabel(self.tr("D&uration:"), page)
        duration_label.setBuddy(self.duration)
        grid.addWidget(duration_label, 0, 4)
        grid.addWidget(self.duration, 0, 5)
        service_label = QLabel(self.tr("Ser&vice:"), page)
        service_label.setBuddy(self.service_type)
        grid.addWidget(service_label, 1, 0)
        grid.addWidget(self.service_type, 1, 1)
        location_label = QLabel(self.tr("L&ocation:"), page)
        location_label.setBuddy(self.location)
        grid.addWidget(location_label, 1, 2)
        grid.addWidget(self.location, 1, 3)
        template_label = QLabel(self.tr("Te&mplate:"), page)
        template_label.setBuddy(self.template)
        grid.addWidget(template_label, 1, 4)
        grid.addWidget(self.template, 1, 5)
        present_label = QLabel(self.tr("&Present:"), page)
        present_label.setBuddy(self.present)
        grid.addWidget(present_label, 2, 0)
        grid.addWidget(self.present, 2, 1, 1, 5)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        grid.setColumnStretch(5, 1)

        self.sections_box = QVBoxLayout()
        self.required_hint = plain_label(self.tr("* required before signing"), page)

        # optional structured fields
        more = QWidget(page)
        form = QFormLayout(more)
        self.mse: dict[str, QLineEdit] = {}
        for key, label in MSE_FIELDS:  # the items' names are the domain's
            edit = QLineEdit(more)
            edit.setMaxLength(NOTE_LIMITS["mse"])
            edit.setAccessibleName(self.tr("Mental status: {item}").format(item=label))
            edit.setObjectName(f"mse_{key}")
            row_label = QLabel(self.tr("{label}:").format(label=label), more)
            row_label.setBuddy(edit)
            form.addRow(row_label, edit)
            self.mse[key] = edit
        self.risk = QComboBox(more)
        for level in RiskLevel:
            self.risk.addItem(level.label, level.value)
        self.risk.setAccessibleName(self.tr("Risk level"))
        risk_label = QLabel(self.tr("&Risk:"), more)
        risk_label.setBuddy(self.risk)
        form.addRow(risk_label, self.risk)
        self.risk_comment = _text_box(
            more,
            self.tr("Risk comment"),
            2,
            self.tr("Required when risk is above none: what you saw and did"),
        )
        self.risk_comment_label = QLabel(self.tr("Risk comment:"), more)
        self.risk_comment_label.setBuddy(self.risk_comment)
        form.addRow(self.risk_comment_label, self.risk_comment)
        self.interventions = _text_box(more, self.tr("Interventions used"), 2)
        interventions_label = QLabel(self.tr("&Interventions:"), more)
        interventions_label.setBuddy(self.interventions)
        form.addRow(interventions_label, self.interventions)
        self.plan = _text_box(more, self.tr("Plan"), 2)
        plan_label = QLabel(self.tr("P&lan:"), more)
        plan_label.setBuddy(self.plan)
        form.addRow(plan_label, self.plan)
        self.has_next = QCheckBox(self.tr("&Next appointment:"), more)
        self.has_next.setAccessibleName(self.tr("Record the next appointment"))
        self.next_appointment = QDateTimeEdit(more)
        self.next_appointment.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.next_appointment.setCalendarPopup(True)
        self.next_appointment.setAccessibleName(self.tr("Next appointment"))
        self.next_appointment.setEnabled(False)
        week = QDateTime.currentDateTime().addDays(7)
        self.next_appointment.setDateTime(QDateTime(week.date(), QTime(week.time().hour(), 0)))
        self.has_next.toggled.connect(self.next_appointment.setEnabled)
        form.addRow(self.has_next, self.next_appointment)
        self.homework = _text_box(
            more,
            self.tr("Between sessions (on the client's next-steps sheet)"),
            2,
            self.tr("What the client will try before the next session, one item per line"),
        )
        self.homework.setToolTip(
            self.tr(
                "Printed, as written, on the next-steps sheet the client takes home "
                "(Documents menu)"
            )
        )
        homework_label = QLabel(self.tr("Bet&ween sessions:"), more)
        homework_label.setBuddy(self.homework)
        form.addRow(homework_label, self.homework)
        self.more = CollapsibleSection(
            self.tr("Mental status, risk, interventions, plan, next appointment and homework"),
            more,
            page,
        )

        private = QWidget(page)
        private_layout = QVBoxLayout(private)
        private_layout.setContentsMargins(0, 0, 0, 0)
        explanation = plain_label(
            self.tr(
                "Process notes for yourself. Kept apart from the progress note: never in "
                "search results, summaries or exports unless you ask for them each time."
            ),
            private,
        )
        explanation.setWordWrap(True)
        self.psychotherapy = _text_box(private, self.tr("Psychotherapy notes (private)"), 4)
        private_layout.addWidget(explanation)
        private_layout.addWidget(self.psychotherapy)
        self.private = CollapsibleSection(self.tr("Psychotherapy notes (private)"), private, page)

        inner = QWidget(page)
        column = QVBoxLayout(inner)
        column.addLayout(grid)
        column.addLayout(self.sections_box)
        column.addWidget(self.required_hint)
        column.addWidget(self._rule(inner))
        column.addWidget(self.more)
        column.addWidget(self._rule(inner))
        column.addWidget(self.private)
        column.addStretch(1)
        self.edit_scroll = QScrollArea(page)
        self.edit_scroll.setWidgetResizable(True)
        self.edit_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.edit_scroll.setWidget(inner)
        self.edit_scroll.setAccessibleName(self.tr("Note"))
        outer = QVBoxLayout(page)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.edit_scroll)

        for widget in (self.present,):
            widget.textChanged.connect(self._edited)
        for edit in self.mse.values():
            edit.textChanged.connect(self._edited)
        for box in (self.risk_comment, self.interventions, self.plan, self.psychotherapy):
            box.textChanged.connect(self._edited)
        self.session_date.dateChanged.connect(self._edited)
        self.start_time.timeChanged.connect(self._edited)
        self.has_start.toggled.connect(self._edited)
        self.duration.valueChanged.connect(self._edited)
        self.service_type.currentIndexChanged.connect(self._edited)
        self.location.currentIndexChanged.connect(self._edited)
        self.risk.currentIndexChanged.connect(self._risk_changed)
        self.next_appointment.dateTimeChanged.connect(self._edited)
        self.has_next.toggled.connect(self._edited)
        self.homework.textChanged.connect(self._edited)
        self.template.currentIndexChanged.connect(self._template_chosen)
        return page

    def _rule(self, parent: QWidget) -> QFrame:
        line = QFrame(parent)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        return line

    def _build_read_page(self) -> QWidget:
        page = QWidget(self)
        self.reader = QTextEdit(page)
        self.reader.setReadOnly(True)
        self.reader.setAcceptRichText(False)
        self.reader.setAccessibleName(self.tr("Signed note"))
        self.reader.setObjectName("signed_note")
        self.reader.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.show_private = QPushButton(self.tr("Show psychotherapy notes (private)"), page)
        self.show_private.setCheckable(True)
        self.show_private.setAutoDefault(False)
        self.show_private.setAccessibleName(self.tr("Show psychotherapy notes (private)"))
        self.private_reader = QPlainTextEdit(page)
        self.private_reader.setReadOnly(True)
        self.private_reader.setAccessibleName(self.tr("Psychotherapy notes (private), read only"))
        self.private_reader.hide()
        self.show_private.toggled.connect(self.private_reader.setVisible)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.reader, 3)
        layout.addWidget(self.show_private, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(self.private_reader, 1)
        return page

    def _build_sections(self, template: Any, texts: dict[str, str]) -> None:
        """One text box per section of ``template``, its prompt as the placeholder."""
        while self.sections_box.count():
            item = self.sections_box.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.section_edits = {}
        self.section_labels = {}
        parent = self.sections_box.parentWidget() or self
        any_required = False
        # the sections' titles and prompts are the template's, as written
        for section in template.sections if template is not None else ():
            any_required = any_required or section.required
            if section.required:
                title = self.tr("{title} *").format(title=section.title)
                name = self.tr("{title} (required)").format(title=section.title)
            else:
                title = name = section.title
            label = plain_label(title, parent)
            label.setFont(scaled_font(self.font(), 1.0, bold=True))
            edit = _text_box(parent, name, 5, section.prompt)
            edit.setObjectName(f"section_{section.key}")
            edit.setPlainText(texts.get(section.key, ""))
            edit.textChanged.connect(self._edited)
            label.setBuddy(edit)
            self.sections_box.addWidget(label)
            self.sections_box.addWidget(edit)
            self.section_edits[section.key] = edit
            self.section_labels[section.key] = label
        self.required_hint.setVisible(any_required)

    # -- filling and reading ----------------------------------------------------------
    def _fill(self, detail: Any) -> None:
        if detail is None:
            self.session_date.setDate(QDate.currentDate())
            template = self.templates[0] if self.templates else None
            self._template = template
            self._build_sections(template, {})
            self._show_state()
            self.status.setText(self.tr("New note: it saves itself as you type."))
            return
        data = detail.data
        if self.template.findData(detail.template.key) < 0:
            self.template.addItem(detail.template.name, detail.template.key)
        self.template.setCurrentIndex(self.template.findData(detail.template.key))
        self.template.setEnabled(False)
        self.template.setToolTip(self.tr("A note keeps the template it was started with."))
        self.session_date.setDate(_qdate(data.session_date))
        self.has_start.setChecked(data.start_time is not None)
        if data.start_time is not None:
            self.start_time.setTime(QTime(data.start_time.hour, data.start_time.minute))
        self.duration.setValue(data.duration_minutes or 0)
        self.service_type.setCurrentIndex(max(0, self.service_type.findData(data.service_type)))
        self.location.setCurrentIndex(max(0, self.location.findData(data.location)))
        self.present.setText(data.present)
        for key, edit in self.mse.items():
            edit.setText(data.mental_status.get(key, ""))
        self.risk.setCurrentIndex(max(0, self.risk.findData(str(data.risk_level))))
        self.risk_comment.setPlainText(data.risk_comment)
        self.interventions.setPlainText(data.interventions)
        self.plan.setPlainText(data.plan)
        self.has_next.setChecked(data.next_appointment is not None)
        if data.next_appointment is not None:
            self.next_appointment.setDateTime(_qdatetime(data.next_appointment))
        self.homework.setPlainText(data.homework)
        self.psychotherapy.setPlainText(data.psychotherapy_note)
        self._build_sections(detail.template, data.sections)
        structured = bool(
            any(data.mental_status.values())
            or data.risk_level
            or data.risk_comment
            or data.interventions
            or data.plan
            or data.next_appointment
            or data.homework
        )
        self.more.set_expanded(structured)
        self.private.set_expanded(bool(data.psychotherapy_note))
        self._risk_changed()
        self._saved_value = self.value()
        if detail.signed_at is not None:
            self._show_signed(detail)
        else:
            self.status.setText(
                self.tr("Draft last saved {when}").format(when=_local(detail.updated_at))
            )
        self._show_state()

    def value(self) -> Any:
        """What the editor holds now, as a NoteInput."""
        from mhsw_desktop.services.notes import NoteInput

        start = self.start_time.time() if self.has_start.isChecked() else None
        nxt = self.next_appointment.dateTime() if self.has_next.isChecked() else None
        qd = self.session_date.date()
        return NoteInput(
            client_id=self.client_id,
            session_date=date(qd.year(), qd.month(), qd.day()),
            template_key=self._template.key if self._template is not None else "",
            sections={key: edit.toPlainText() for key, edit in self.section_edits.items()},
            start_time=time(start.hour(), start.minute()) if start is not None else None,
            duration_minutes=self.duration.value() or None,
            service_type=ServiceType(self.service_type.currentData()),
            location=Location(self.location.currentData()),
            present=self.present.text(),
            mental_status={k: e.text() for k, e in self.mse.items() if e.text()},
            risk_level=RiskLevel(self.risk.currentData()),
            risk_comment=self.risk_comment.toPlainText(),
            interventions=self.interventions.toPlainText(),
            plan=self.plan.toPlainText(),
            next_appointment=(
                datetime(
                    nxt.date().year(),
                    nxt.date().month(),
                    nxt.date().day(),
                    nxt.time().hour(),
                    nxt.time().minute(),
                )
                if nxt is not None
                else None
            ),
            psychotherapy_note=self.psychotherapy.toPlainText(),
            homework=self.homework.toPlainText(),
        )

    def _has_text(self) -> bool:
        data = self.value()
        return bool(
            any(t.strip() for t in data.sections.values())
            or data.present.strip()
            or any(data.mental_status.values())
            or data.risk_comment.strip()
            or data.interventions.strip()
            or data.plan.strip()
            or data.homework.strip()
            or data.psychotherapy_note.strip()
        )

    @property
    def read_only(self) -> bool:
        return self.detail is not None and self.detail.signed_at is not None

    def is_dirty(self) -> bool:
        if self.read_only:
            return False
        if self.note_id is None:
            return self._has_text()
        return bool(self.value() != self._saved_value)

    # -- editing -------------------------------------------------------------------------
    def _edited(self, *_args: object) -> None:
        if self._loading or self.read_only or self._closing:
            return
        self.error.setText("")
        self.timer.start()

    def _risk_changed(self, *_args: object) -> None:
        above_none = self.risk.currentData() not in ("", "none")
        self.risk_comment_label.setText(
            self.tr("Risk comment *:") if above_none else self.tr("Risk comment:")
        )
        self.risk_comment.setAccessibleName(
            self.tr("Risk comment (required above none)") if above_none else self.tr("Risk comment")
        )
        self._edited()

    def _template_chosen(self, index: int) -> None:
        if self._loading or index < 0:
            return
        key = self.template.itemData(index)
        template = next((t for t in self.templates if t.key == key), None)
        if template is None or self.note_id is not None:
            return
        old_texts = {k: e.toPlainText() for k, e in self.section_edits.items()}
        old_titles = {s.key: s.title for s in (self._template.sections if self._template else ())}
        new_keys = {s.key for s in template.sections}
        texts = {k: v for k, v in old_texts.items() if k in new_keys}
        orphans = [
            f"{old_titles.get(k, k)}:\n{v.strip()}"
            for k, v in old_texts.items()
            if k not in new_keys and v.strip()
        ]
        if orphans and template.sections:
            first = template.sections[0].key
            texts[first] = "\n\n".join([*orphans, texts.get(first, "")]).strip()
        self._template = template
        self._build_sections(template, texts)
        self._edited()

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Focus leaving the editor (to another window or nowhere) saves at once."""
        if old is None or not self.timer.isActive():
            return
        if self.isAncestorOf(old) and (new is None or not self.isAncestorOf(new)):
            self.save_now()

    def changeEvent(self, event: Any) -> None:
        from PySide6.QtCore import QEvent

        if (
            event.type() == QEvent.Type.ActivationChange
            and not self.isActiveWindow()
            and self.timer.isActive()
        ):
            self.save_now()
        super().changeEvent(event)

    # -- saving --------------------------------------------------------------------------
    def save_now(self, *, finish: bool = False, keep: bool = False, then: Any = None) -> None:
        """Save what is typed (if anything changed); ``finish`` also marks the draft
        closed; ``keep`` makes the save survive a lock that comes before it runs."""
        self.timer.stop()
        if self.read_only:
            if then is not None:
                then()
            return
        if self.note_id is None and self._creating and not keep:
            self._after_create.append(lambda: self.save_now(finish=finish, keep=keep, then=then))
            return
        data = self.value()
        changed = data != self._saved_value
        note_id = self.note_id
        if note_id is None and not self._has_text():
            if then is not None:
                then()
            return
        if note_id is not None and not changed and not finish:
            if then is not None:
                then()
            return
        from mhsw_desktop.services import notes

        created_id = self._created_id

        def work(session: Any) -> uuid.UUID:
            target = note_id or created_id.get("id")
            if target is None:
                target = notes.create_draft(session, data)
                notes.set_editing(session, target, not finish)
                created_id["id"] = target
            else:
                if changed:
                    notes.save_draft(session, target, data)
                if finish:
                    notes.set_editing(session, target, False)
            return target

        def saved(new_id: uuid.UUID) -> None:
            self._saved_value = data
            created = self.note_id is None
            self.note_id = new_id
            self._creating = False
            if created:
                self.template.setEnabled(False)
                self.template.setToolTip(self.tr("A note keeps the template it was started with."))
            saved_at = f"{datetime.now():%H:%M:%S}"
            self.status.setText(self.tr("Draft saved {time}").format(time=saved_at))
            self._show_state()
            self.note_changed.emit(new_id)
            pending, self._after_create = self._after_create, []
            for step in pending:
                step()
            if then is not None:
                then()

        def failed(exc: BaseException) -> None:
            self._creating = False
            self._closing = False
            self.status.setText(self.tr("Not saved"))
            self.error.setText(
                self.tr("The draft could not be saved: {reason}").format(reason=user_message(exc))
            )
            pending, self._after_create = self._after_create, []
            for step in pending:
                step()

        if note_id is None:
            self._creating = True
        self.status.setText(self.tr("Saving…"))
        # Creating a note always survives a lock: its text would have nowhere else to go.
        self.runner.query(
            work,
            saved,
            failed,
            changes="notes" if note_id is None else "drafts",
            keep=keep or note_id is None,
        )

    # -- signing and after ----------------------------------------------------------------
    def sign(self) -> None:
        from mhsw_desktop.services.notes import signing_errors

        if self.read_only or self._template is None:
            return
        if not self._has_text():
            self.error.setText(self.tr("Write the note before signing it."))
            return
        problems = signing_errors(self.value(), self._template)
        if problems:
            needed = "; ".join(_problem_words(problems))
            self.error.setText(self.tr("To sign: {needed}.").format(needed=needed))
            self._focus_problem(problems)
            return
        self.save_now()
        from mhsw_desktop.ui.sign_dialogs import SignDialog

        dialog = SignDialog(self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.verified.connect(lambda _text: self._sign_verified())
        self._dialog = dialog
        dialog.open()

    def _sign_verified(self) -> None:
        self.save_now(then=self._sign_saved)

    def _sign_saved(self) -> None:
        from mhsw_desktop.services import notes
        from mhsw_desktop.services.practitioner import signer_for

        note_id = self.note_id
        if note_id is None:
            return

        def work(session: Any) -> Any:
            signer = signer_for(session)
            notes.sign_note(session, note_id, signer)
            notes.set_editing(session, note_id, False)
            return notes.get_note(session, note_id)

        self.status.setText(self.tr("Signing…"))
        self.runner.query(work, self._signed, self._sign_failed, changes="notes")

    def _signed(self, detail: Any) -> None:
        self.detail = detail
        self._show_signed(detail)
        self._show_state()
        self.status.setText(self.tr("Signed {when}").format(when=_local(detail.signed_at)))
        self.note_changed.emit(detail.id)

    def _sign_failed(self, exc: BaseException) -> None:
        from mhsw_desktop.services.practitioner import ProfileIncomplete

        self.status.setText(self.tr("Not signed"))
        self.error.setText(user_message(exc))
        if isinstance(exc, ProfileIncomplete):
            self.profile_requested.emit()

    def add_addendum(self) -> None:
        if not self.read_only:
            return
        from mhsw_desktop.ui.sign_dialogs import AddendumDialog

        dialog = AddendumDialog(self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.verified.connect(self._addendum_verified)
        self._dialog = dialog
        dialog.open()

    def _addendum_verified(self, text: str) -> None:
        from mhsw_desktop.services import notes
        from mhsw_desktop.services.practitioner import signer_for

        note_id = self.note_id
        assert note_id is not None

        def work(session: Any) -> Any:
            notes.add_addendum(session, note_id, text, signer_for(session))
            return notes.get_note(session, note_id)

        self.runner.query(work, self._signed, self._sign_failed, changes="notes")

    def mark_in_error(self) -> None:
        if not self.read_only or self.detail.entered_in_error_at is not None:
            return
        from mhsw_desktop.ui.sign_dialogs import EnteredInErrorDialog

        dialog = EnteredInErrorDialog(self.runner, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.verified.connect(self._error_verified)
        self._dialog = dialog
        dialog.open()

    def _error_verified(self, reason: str) -> None:
        from mhsw_desktop.services import notes

        note_id = self.note_id
        assert note_id is not None

        def work(session: Any) -> Any:
            notes.mark_entered_in_error(session, note_id, reason)
            return notes.get_note(session, note_id)

        self.runner.query(work, self._signed, self._sign_failed, changes="notes")

    def delete_draft(self) -> None:
        if self.read_only:
            return
        if self.note_id is None and not self._has_text():
            self._finish_close()
            return
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("Delete draft"))
        box.setText(self.tr("Delete this draft? What you wrote in it will be gone."))
        delete = box.addButton(self.tr("&Delete draft"), QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton(self.tr("&Keep it"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def decided() -> None:
            if box.clickedButton() is delete:
                self._delete_confirmed()

        box.finished.connect(decided)
        self._dialog = box
        box.open()

    def _delete_confirmed(self) -> None:
        self.timer.stop()
        self._closing = True
        note_id = self.note_id
        if note_id is None:
            self._finish_close()
            return
        from mhsw_desktop.services.notes import delete_draft

        self.runner.query(
            lambda s: delete_draft(s, note_id),
            lambda _r: self._finish_close(),
            self._close_failed,
            changes="notes",
        )

    # -- showing ------------------------------------------------------------------------
    def _show_state(self) -> None:
        signed = self.read_only
        in_error = signed and self.detail.entered_in_error_at is not None
        if in_error:
            state = self.tr("Entered in error")
        elif signed:
            state = self.tr("Signed")
        elif self.note_id is None:
            state = self.tr("New draft")
        else:
            state = self.tr("Draft")
        if self.detail is not None and getattr(self.detail, "late_entry", False):
            state = self.tr("{state} · late entry").format(state=state)
        self.state_label.setText(state)
        self.pages.setCurrentIndex(1 if signed else 0)
        self.sign_button.setVisible(not signed)
        self.delete_button.setVisible(not signed)
        self.addendum_button.setVisible(signed and not in_error)
        self.error_button.setVisible(signed and not in_error)
        self.print_button.setVisible(not in_error)  # kept for the audit, never printed

    def _show_signed(self, detail: Any) -> None:
        self.timer.stop()
        self.reader.clear()
        write_signed(self.reader.document(), detail, self.reader.font())
        self.reader.moveCursor(QTextCursor.MoveOperation.Start)
        self.private_reader.setPlainText(detail.data.psychotherapy_note)
        self.show_private.setVisible(bool(detail.data.psychotherapy_note))
        self.show_private.setChecked(False)
        self.pages.setCurrentIndex(1)

    def show_highlight(self) -> None:
        """Select the first place the search words occur (signed text or a section)."""
        words = [w for w in self.highlight.split() if w]
        if not words:
            return
        flags = QTextDocument.FindFlag(0)
        if self.read_only:
            for word in words:
                if self.reader.find(word, flags):
                    self.reader.setFocus()
                    self.reader.ensureCursorVisible()
                    return
            return
        for word in words:
            for edit in self.section_edits.values():
                found = edit.document().find(word, 0, flags)
                if not found.isNull():
                    edit.setTextCursor(found)
                    edit.setFocus()
                    edit.ensureCursorVisible()
                    self.edit_scroll.ensureWidgetVisible(edit)
                    return

    def _focus_problem(self, problems: dict[str, str]) -> None:
        for key in problems:
            if key.startswith("section:"):
                edit = self.section_edits.get(key.split(":", 1)[1])
                if edit is not None:
                    self.edit_scroll.ensureWidgetVisible(edit)
                    edit.setFocus()
                    return
            if key == "risk_comment":
                self.more.set_expanded(True)
                self.risk_comment.setFocus()
                return

    def print_summary(self) -> None:
        """Save what is typed, then ask for this note's session summary."""
        in_error = self.detail is not None and self.detail.entered_in_error_at is not None
        if self._closing or in_error:
            return

        def ask() -> None:
            if self.note_id is None:
                self.status.setText(self.tr("Nothing to print yet: the note is empty."))
            else:
                self.print_requested.emit(self.client_id, self.note_id)

        self.save_now(then=ask)

    # -- closing -------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        """Closing saves first; the window goes when the save is done."""
        if self._closing:
            event.accept()
            super().closeEvent(event)
            return
        event.ignore()
        self.close_note()

    def reject(self) -> None:
        """Esc closes like Close does: saving first, never losing text."""
        self.close_note()

    def close_note(self) -> None:
        if self._closing:
            return
        self._closing = True
        self.timer.stop()
        if self.read_only or (self.note_id is None and not self._has_text()):
            self._finish_close()
            return
        self.status.setText(self.tr("Saving…"))
        self.save_now(finish=True, then=self._finish_close)

    def _close_failed(self, exc: BaseException) -> None:
        self._closing = False
        self.error.setText(user_message(exc))

    def _finish_close(self) -> None:
        self._closing = True
        self._disconnect()
        QDialog.reject(self)

    def _disconnect(self) -> None:
        app = QApplication.instance()
        if isinstance(app, QApplication):
            with contextlib.suppress(RuntimeError, TypeError):
                app.focusChanged.disconnect(self._focus_changed)

    def discard(self) -> None:
        """The vault is locking: save what is typed (the save runs before the lock),
        leave the draft marked open so the next unlock offers it, and close at once."""
        if self._dialog is not None and shiboken6.isValid(self._dialog):
            discard = getattr(self._dialog, "discard", None)
            if callable(discard):
                discard()
        self._dialog = None
        if self.is_dirty():
            self.save_now(keep=True)
        self.timer.stop()
        self._closing = True
        self._disconnect()
        QDialog.reject(self)


# -- helpers ---------------------------------------------------------------------------
def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _qdatetime(value: datetime) -> QDateTime:
    return QDateTime(_qdate(value.date()), QTime(value.hour, value.minute))


def _local(moment: datetime | None) -> str:
    """A stored (UTC) time in local time, to the second."""
    if moment is None:
        return ""
    from datetime import UTC

    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone().strftime("%Y-%m-%d %H:%M:%S")


def _problem_words(problems: dict[str, str]) -> list[str]:
    """The signing check's problems, in its own words (a section's is whole; the risk
    comment's follows its name)."""
    words = []
    for key, message in problems.items():
        if key == "risk_comment":
            words.append(
                QCoreApplication.translate("NoteEditor", "a risk comment {problem}").format(
                    problem=message
                )
            )
        else:
            words.append(message)
    return words


class SignedNoteText(QObject):
    """Writes a signed note's text: a QObject so that its words are translated with
    ``self.tr`` (the duration as a plural)."""

    def write(self, doc: QTextDocument, detail: Any, base: QFont) -> None:
        data = detail.data
        doc.setDefaultFont(base)
        cursor = QTextCursor(doc)
        heading = QTextCharFormat()
        heading.setFont(scaled_font(base, 1.1, bold=True))
        plain = QTextCharFormat()
        plain.setFont(base)
        small = QTextCharFormat()
        small.setFont(scaled_font(base, 0.9))

        def block(title: str, text: str) -> None:
            if not text.strip():
                return
            cursor.insertText(title + "\n", heading)
            cursor.insertText(text.rstrip() + "\n\n", plain)

        when = data.session_date.isoformat()
        if data.start_time is not None:
            when += f" {data.start_time:%H:%M}"
        if data.duration_minutes:
            #: Translators: {when} is the session's date and start time ("2026-12-02 14:00")
            when = self.tr("{when}, %n minutes", "", data.duration_minutes).format(when=when)
        # the template's name and sections' titles, the service type, location and risk
        # level, and the mental status items are the template's and the domain's words
        cursor.insertText(f"{detail.template.name} — {data.service_type.label}\n", heading)
        lines = [
            self.tr("Session: {when}").format(when=when),
            self.tr("Location: {location}").format(location=data.location.label),
        ]
        if data.present:
            lines.append(self.tr("Present: {present}").format(present=data.present))
        if detail.late_entry:
            lines.append(self.tr("Late entry (written after the session day)"))
        cursor.insertText("\n".join(lines) + "\n\n", plain)
        if detail.entered_in_error_at is not None:
            on = _local(detail.entered_in_error_at)
            cursor.insertText(self.tr("ENTERED IN ERROR on {when}").format(when=on) + "\n", heading)
            reason = self.tr("Reason: {reason}").format(reason=detail.entered_in_error_reason)
            cursor.insertText(reason + "\n\n", plain)
        for section in detail.template.sections:
            block(section.title, data.sections.get(section.key, ""))
        mse = "\n".join(
            f"{label}: {data.mental_status[key]}"
            for key, label in MSE_FIELDS
            if data.mental_status.get(key)
        )
        block(self.tr("Mental status"), mse)
        if data.risk_level:
            risk = data.risk_level.label + (f" — {data.risk_comment}" if data.risk_comment else "")
            block(self.tr("Risk"), risk)
        block(self.tr("Interventions"), data.interventions)
        block(self.tr("Plan"), data.plan)
        if data.next_appointment is not None:
            block(self.tr("Next appointment"), f"{data.next_appointment:%Y-%m-%d %H:%M}")
        block(self.tr("Between sessions"), data.homework)
        signer = ", ".join(p for p in (detail.signer_name, detail.signer_credentials) if p)
        signature = [self.tr("Signed by {signer}").format(signer=signer)]
        if detail.signer_licence:
            signature.append(self.tr("Licence {licence}").format(licence=detail.signer_licence))
        signature.append(self.tr("Signed {when}").format(when=_local(detail.signed_at)))
        signature.append(self.tr("SHA-256 {digest}").format(digest=detail.content_hash))
        cursor.insertText(self.tr("Signature") + "\n", heading)
        cursor.insertText("\n".join(signature) + "\n\n", small)
        for number, addendum in enumerate(detail.addenda, start=1):
            cursor.insertText(self.tr("Addendum {number}").format(number=number) + "\n", heading)
            cursor.insertText(addendum.text.rstrip() + "\n", plain)
            who = ", ".join(p for p in (addendum.signer_name, addendum.signer_credentials) if p)
            signed = self.tr("Signed by {signer} {when}").format(
                signer=who, when=_local(addendum.signed_at)
            )
            digest = self.tr("SHA-256 {digest}").format(digest=addendum.content_hash)
            cursor.insertText(f"{signed}\n{digest}\n\n", small)


@cache
def _signed_text() -> SignedNoteText:
    return SignedNoteText()


def write_signed(doc: QTextDocument, detail: Any, base: QFont) -> None:
    """Write a signed note into ``doc`` as plain text runs (never parsed as HTML)."""
    _signed_text().write(doc, detail, base)

"""The search view: full-text search over notes and clients as you type, with filters,
ranked results and highlighted snippets; opening a result shows the note at the match.

Snippets are user text: they are escaped first, and only then are the service's match
markers turned into this module's own <b> tags, so no markup from a note ever renders.
"""

from __future__ import annotations

import html
import re
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAbstractTextDocumentLayout, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from mhsw_desktop.ui.date_edit import OptionalDateEdit
from mhsw_desktop.ui.operations import OperationRunner, user_message
from mhsw_desktop.ui.record_model import RecordTableModel
from mhsw_desktop.ui.record_view import RecordTableView
from mhsw_desktop.ui.translation import QT_TRANSLATE_NOOP
from mhsw_desktop.ui.widgets import error_label, plain_label

SEARCH_DELAY_MS = 250
HTML_ROLE = Qt.ItemDataRole.UserRole + 2
START, END = "\x02", "\x03"  # the services' HIGHLIGHT_START / HIGHLIGHT_END


def _markers() -> tuple[str, str]:
    try:
        from mhsw_desktop.services.search import HIGHLIGHT_END, HIGHLIGHT_START
    except ImportError:  # pragma: no cover - the service is always there in a build
        return START, END
    return HIGHLIGHT_START, HIGHLIGHT_END


def snippet_html(snippet: str) -> str:
    """Escape the snippet, then mark its matches with <b> (our only tags)."""
    start, end = _markers()
    return html.escape(snippet).replace(start, "<b>").replace(end, "</b>")


def snippet_plain(snippet: str) -> str:
    start, end = _markers()
    return snippet.replace(start, "").replace(end, "")


def matched_words(snippet: str) -> str:
    """The words the service marked as matches, space-separated (to find in the note)."""
    start, end = _markers()
    found = re.findall(re.escape(start) + "(.*?)" + re.escape(end), snippet, re.DOTALL)
    seen: list[str] = []
    for word in found:
        if word and word not in seen:
            seen.append(word)
    return " ".join(seen)


def _heading(hit: Any) -> str:
    parts = [hit.title]
    if hit.client_name and hit.kind == "note":
        parts.append(hit.client_name)
    if hit.date is not None and hit.date.isoformat() not in hit.title:
        parts.append(hit.date.isoformat())
    return " · ".join(parts)


class SearchResultsModel(RecordTableModel):
    """Search hits, ranked; the display text is plain, :data:`HTML_ROLE` is escaped HTML."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            (
                (
                    QT_TRANSLATE_NOOP("Columns", "Result"),
                    lambda h: f"{_heading(h)}\n{snippet_plain(h.snippet)}",
                ),
            ),
            parent,
        )

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == HTML_ROLE and index.isValid() and 0 <= index.row() < self.rowCount():
            hit = self.row_at(index.row())
            return (
                f"<span>{html.escape(_heading(hit))}</span><br>"
                f"<span>{snippet_html(' '.join(hit.snippet.split()))}</span>"
            )
        return super().data(index, role)


class HtmlDelegate(QStyledItemDelegate):
    """Paints :data:`HTML_ROLE` (our own escaped markup) as rich text."""

    def _document(self, option: QStyleOptionViewItem, index: Any) -> QTextDocument:
        doc = QTextDocument()
        doc.setDefaultFont(option.font)
        doc.setHtml(str(index.data(HTML_ROLE) or ""))
        doc.setTextWidth(max(option.rect.width(), 200))
        return doc

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Any) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        widget = opt.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        doc = self._document(option, index)
        context = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        palette = opt.palette
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        context.palette.setColor(QPalette.ColorRole.Text, palette.color(role))
        rect = opt.rect
        painter.save()
        painter.translate(rect.topLeft())
        painter.setClipRect(QRectF(0, 0, rect.width(), rect.height()))
        doc.documentLayout().draw(painter, context)
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        doc = self._document(option, index)
        return QSize(int(doc.idealWidth()), int(doc.size().height()))


class SearchView(QWidget):
    """Query, filters and results. Opening a result emits a request with what to show."""

    #: (note id, words to select in it)
    open_note_requested = Signal(object, str)
    #: client id
    open_client_requested = Signal(object)

    def __init__(self, runner: OperationRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.runner = runner
        self._serial = 0
        self._filters_loaded = False

        self.query = QLineEdit(self)
        self.query.setPlaceholderText(
            self.tr('Search notes and clients — words, prefix*, "a phrase"')
        )
        self.query.setAccessibleName(self.tr("Search notes and clients"))
        self.query.setClearButtonEnabled(True)
        self.query.setObjectName("search_query")
        query_label = QLabel(self.tr("&Search:"), self)
        query_label.setBuddy(self.query)
        self.client = QComboBox(self)
        self.client.setAccessibleName(self.tr("Only this client"))
        self.client.addItem(self.tr("All clients"), None)
        self.template = QComboBox(self)
        self.template.setAccessibleName(self.tr("Only this template"))
        self.template.addItem(self.tr("Any template"), None)
        self.signed = QComboBox(self)
        self.signed.setAccessibleName(self.tr("Signed or unsigned"))
        for text, value in (
            (self.tr("Signed and unsigned"), None),
            (self.tr("Signed"), True),
            (self.tr("Unsigned"), False),
        ):
            self.signed.addItem(text, value)
        self.date_from = OptionalDateEdit(None, self)
        self.date_from.setAccessibleName(self.tr("Sessions from date"))
        self.date_to = OptionalDateEdit(None, self)
        self.date_to.setAccessibleName(self.tr("Sessions to date"))
        self.private = QCheckBox(self.tr("Include &psychotherapy notes (this search only)"), self)
        self.private.setAccessibleName(self.tr("Include psychotherapy notes in this search only"))
        self.hint = error_label(self)
        self.hint.setAccessibleName(self.tr("Search hint"))
        self.hint.hide()
        self.count = plain_label("", self)
        self.count.setAccessibleName(self.tr("Number of results"))

        self.results = SearchResultsModel(self)
        self.table = RecordTableView(self.results, self.tr("Search results"), self)
        self.table.setObjectName("search_results")
        self.table.horizontalHeader().hide()
        self.table.setItemDelegate(HtmlDelegate(self.table))
        self.table.setWordWrap(True)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() * 3)
        self.table.open_requested.connect(self._open)

        top = QHBoxLayout()
        top.addWidget(query_label)
        top.addWidget(self.query, 1)
        filters = QHBoxLayout()
        for text, widget in (
            (self.tr("&Client:"), self.client),
            (self.tr("&Template:"), self.template),
            (self.tr("&Show:"), self.signed),
            (self.tr("&From:"), self.date_from),
            (self.tr("T&o:"), self.date_to),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            filters.addWidget(label)
            filters.addWidget(widget)
        filters.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.private)
        bottom.addStretch(1)
        bottom.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addLayout(bottom)
        layout.addWidget(self.hint)
        layout.addWidget(self.table, 1)

        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(SEARCH_DELAY_MS)
        self.timer.timeout.connect(self.search)
        self.query.textChanged.connect(lambda _t: self.timer.start())
        self.query.returnPressed.connect(self._query_enter)
        for combo in (self.client, self.template, self.signed):
            combo.currentIndexChanged.connect(lambda _i: self.timer.start())
        for edit in (self.date_from, self.date_to):
            edit.dateChanged.connect(lambda _d: self.timer.start())
        self.private.toggled.connect(lambda on: self.timer.start() if on else None)
        self.clear()

    # -- filters ----------------------------------------------------------------------
    def load(self) -> None:
        """Fill the client and template choices (once per unlock)."""
        if self._filters_loaded or self.runner.vault is None:
            return
        from mhsw_desktop.services.clients import list_clients
        from mhsw_desktop.services.templates import list_templates

        def work(session: Any) -> Any:
            return list_clients(session, "all"), list_templates(session)

        def done(result: Any) -> None:
            clients, templates = result
            self._filters_loaded = True
            for row in clients:
                self.client.addItem(row.display_name, row.id)
            for template in templates:
                self.template.addItem(template.name, template.key)

        self.runner.query(work, done, lambda exc: self.hint.setText(user_message(exc)))

    # -- searching ---------------------------------------------------------------------
    def _query_enter(self) -> None:
        """Enter in the query: search now, or open the first result when it is current."""
        if self.timer.isActive() or self.results.rowCount() == 0:
            self.search()
            return
        self.table.setFocus()
        if not self.table.currentIndex().isValid():
            self.table.selectRow(0)

    def search(self) -> None:
        self.timer.stop()
        text = self.query.text().strip()
        self._serial += 1
        serial = self._serial
        if not text:
            self.results.clear()
            self.hint.setText("")
            self.hint.hide()
            self.count.setText("")
            return
        vault = self.runner.vault
        if vault is None:
            return
        from mhsw_desktop.services.search import search

        options: dict[str, Any] = {
            "client_id": self.client.currentData(),
            "date_from": self.date_from.value(),
            "date_to": self.date_to.value(),
            "template_key": self.template.currentData(),
            "signed": self.signed.currentData(),
            "include_private": self.private.isChecked(),
        }
        # private notes are included for this one search only
        self.private.blockSignals(True)
        self.private.setChecked(False)
        self.private.blockSignals(False)

        def done(hits: list[Any]) -> None:
            if serial != self._serial:
                return
            self.hint.setText("")
            self.hint.hide()
            self.results.set_rows(hits)
            if not hits:
                count = self.tr("No matches")
            elif len(hits) == 1:
                count = self.tr("1 result")
            else:
                count = self.tr("%n results", "", len(hits))
            self.count.setText(count)
            if hits:
                self.table.selectRow(0)

        def failed(exc: BaseException) -> None:
            if serial != self._serial:
                return
            self.results.clear()
            self.count.setText("")
            self.hint.setText(user_message(exc))
            self.hint.show()

        self.runner.query(lambda s: search(s, text, **options), done, failed)

    def _open(self, hit: Any) -> None:
        if hit.kind == "note":
            self.open_note_requested.emit(hit.ref_id, matched_words(hit.snippet))
        elif hit.client_id is not None or hit.kind == "client":
            self.open_client_requested.emit(hit.client_id or hit.ref_id)

    def focus_query(self) -> None:
        self.query.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.query.selectAll()

    def clear(self) -> None:
        """Drop the query, results and client choices (on lock)."""
        self._serial += 1
        self.timer.stop()
        self.query.clear()
        self.results.clear()
        self.hint.setText("")
        self.hint.hide()
        self.count.setText("")
        self.private.setChecked(False)
        self._filters_loaded = False
        while self.client.count() > 1:
            self.client.removeItem(1)
        while self.template.count() > 1:
            self.template.removeItem(1)
        self.signed.setCurrentIndex(0)
        self.date_from.set_value(None)
        self.date_to.set_value(None)

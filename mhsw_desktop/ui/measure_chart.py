"""A client's trend on one measure, painted with QPainter: totals over time over the
severity bands, item-9 alerts ringed, incomplete forms marked without a total, and the
practitioner's events (medication change, crisis, discharge) as labelled markers.

Every size comes from the font, so the chart stays readable at any system font size.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPainterPath, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from mhsw_desktop.domain.measure_defs import MeasureDefinition
from mhsw_desktop.ui.widgets import scaled_font as scaled

#: band shades from the best band to the worst (interpolated for other counts)
BAND_RAMP = ("#5cb85c", "#a8d05a", "#f0d04a", "#f0a040", "#e05a4a")
BAND_ALPHA = 70
LINE_COLOUR = "#1f5fa8"
ALERT_COLOUR = "#c0182a"
EVENT_COLOUR = "#6a3d9a"
INCOMPLETE_COLOUR = "#777777"


@dataclass(frozen=True)
class ChartPoint:
    day: date
    #: None for an incomplete form (shown, never given a height)
    total: int | None
    alert: bool = False


@dataclass(frozen=True)
class ChartEvent:
    day: date
    text: str


def band_colour(index: int, count: int) -> QColor:
    """The shade of band ``index`` of ``count`` (0 = the best)."""
    if count <= 1:
        return QColor(BAND_RAMP[0])
    position = index * (len(BAND_RAMP) - 1) / (count - 1)
    return QColor(BAND_RAMP[round(position)])


class TrendChart(QWidget):
    """Call :meth:`set_data`; :meth:`clear` forgets everything (on lock)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trend_chart")
        self.setAccessibleName(self.tr("Trend chart"))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # so a screen reader can reach its summary
        self.definition: MeasureDefinition | None = None
        self.points: list[ChartPoint] = []
        self.events: list[ChartEvent] = []

    # -- data ---------------------------------------------------------------------------
    def set_data(
        self,
        definition: MeasureDefinition,
        points: list[ChartPoint],
        events: list[ChartEvent],
    ) -> None:
        self.definition = definition
        self.points = sorted(points, key=lambda p: p.day)
        self.events = sorted(events, key=lambda e: e.day)
        self.setAccessibleName(self.tr("{name} trend chart").format(name=definition.name))
        self.setAccessibleDescription(self.summary())
        self.update()

    def clear(self) -> None:
        self.definition = None
        self.points = []
        self.events = []
        self.setAccessibleName(self.tr("Trend chart"))
        self.setAccessibleDescription("")
        self.update()

    def summary(self) -> str:
        """The chart in words (its accessible description)."""
        d = self.definition
        if d is None:
            return ""
        scored = [p for p in self.points if p.total is not None]
        if not self.points:
            return self.tr("No {name} recorded yet.").format(name=d.name)
        parts = []
        for p in self.points:
            day = p.day.isoformat()
            if p.total is None:
                parts.append(self.tr("{day} incomplete").format(day=day))
                continue
            band = d.band_for(p.total).label.lower()
            if p.alert:
                point = self.tr("{day} {total} ({band}, item 9 alert)")
            else:
                point = self.tr("{day} {total} ({band})")
            parts.append(point.format(day=day, total=p.total, band=band))
        text = self.tr("%n {name} totals: {points}.", "", len(scored)).format(
            name=d.name, points="; ".join(parts)
        )
        if self.events:
            events = "; ".join(f"{e.day.isoformat()} {e.text}" for e in self.events)
            text += " " + self.tr("Events: {events}.").format(events=events)
        return text

    # -- size ---------------------------------------------------------------------------
    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 80, metrics.height() * 20)

    def minimumSizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.averageCharWidth() * 40, metrics.height() * 12)

    # -- geometry -----------------------------------------------------------------------
    def _date_range(self) -> tuple[date, date]:
        days = [p.day for p in self.points] + [e.day for e in self.events]
        first, last = min(days), max(days)
        span = (last - first).days
        pad = max(3, span // 20)
        if span < 14:
            pad = max(pad, (14 - span) // 2 + 1)
        return first - timedelta(days=pad), last + timedelta(days=pad)

    def _plot_rect(self) -> QRectF:
        metrics = self.fontMetrics()
        line = metrics.height()
        left = line * 1.6 + metrics.horizontalAdvance("000") + line * 0.6
        right = metrics.horizontalAdvance("Moderately severe") + line
        top = line * (1.6 + (2.2 if self.events else 0.4))
        bottom = line * 3.0
        return QRectF(
            left,
            top,
            max(10.0, self.width() - left - right),
            max(10.0, self.height() - top - bottom),
        )

    # -- painting -----------------------------------------------------------------------
    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        try:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            palette = self.palette()
            painter.fillRect(self.rect(), palette.base())
            painter.setPen(palette.text().color())
            d = self.definition
            if d is None:
                return
            self._paint_title(painter, d)
            if not self.points and not self.events:
                painter.drawText(
                    self.rect(),
                    Qt.AlignmentFlag.AlignCenter,
                    self.tr("No {name} recorded yet.").format(name=d.name),
                )
                return
            plot = self._plot_rect()
            first, last = self._date_range()
            self._paint_bands(painter, d, plot)
            self._paint_axes(painter, d, plot, first, last)
            self._paint_events(painter, plot, first, last)
            self._paint_points(painter, d, plot, first, last)
        finally:
            painter.end()

    def _x(self, plot: QRectF, first: date, last: date, day: date) -> float:
        span = max(1, (last - first).days)
        return plot.left() + plot.width() * (day - first).days / span

    def _y(self, plot: QRectF, d: MeasureDefinition, value: float) -> float:
        return plot.bottom() - plot.height() * value / max(1, d.max_total)

    def _paint_title(self, painter: QPainter, d: MeasureDefinition) -> None:
        metrics = self.fontMetrics()
        line = metrics.height()
        painter.save()
        painter.setFont(scaled(self.font(), 1.15, bold=True))
        painter.drawText(
            QRectF(line * 0.5, line * 0.2, self.width() - line, line * 1.3),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.tr("{name} total over time").format(name=d.name),
        )
        painter.restore()
        if self.points:
            self._paint_legend(painter, line * 0.2 + line * 0.65)

    def _paint_legend(self, painter: QPainter, middle: float) -> None:
        """Right-aligned in the title row: what the marks mean."""
        metrics = self.fontMetrics()
        radius = max(3.0, metrics.height() / 3.6)
        gap = metrics.averageCharWidth() * 2
        entries = [("total", self.tr("Total"))]
        if any(p.alert for p in self.points):
            entries.append(("alert", self.tr("Item 9 alert")))
        if any(p.total is None for p in self.points):
            entries.append(("incomplete", self.tr("Incomplete (no total)")))
        if self.events:
            entries.append(("event", self.tr("Event")))
        widths = [radius * 5 + metrics.horizontalAdvance(text) for _, text in entries]
        x = self.width() - metrics.height() * 0.5 - sum(widths) - gap * (len(entries) - 1)
        text_colour = self.palette().text().color()
        for (kind, text), width in zip(entries, widths, strict=True):
            centre = QPointF(x + radius * 1.5, middle)
            if kind == "total":
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QBrush(QColor(LINE_COLOUR)))
                painter.drawEllipse(centre, radius, radius)
            elif kind == "alert":
                painter.setPen(QPen(QColor(ALERT_COLOUR), radius * 0.7))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(centre, radius * 1.4, radius * 1.4)
            elif kind == "incomplete":
                painter.setPen(QPen(QColor(INCOMPLETE_COLOUR), 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(centre.x() - radius, middle - radius, radius * 2,
                                        radius * 2))  # fmt: skip
            else:
                pen = QPen(QColor(EVENT_COLOUR), max(1.0, metrics.height() / 12))
                pen.setStyle(Qt.PenStyle.DashLine)
                painter.setPen(pen)
                painter.drawLine(QPointF(centre.x(), middle - radius * 1.6),
                                 QPointF(centre.x(), middle + radius * 1.6))  # fmt: skip
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(text_colour)
            painter.drawText(
                QRectF(x + radius * 3.5, middle - metrics.height(), width, metrics.height() * 2),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text,
            )  # fmt: skip
            x += width + gap

    def _paint_bands(self, painter: QPainter, d: MeasureDefinition, plot: QRectF) -> None:
        metrics = self.fontMetrics()
        text_colour = self.palette().text().color()
        for index, band in enumerate(d.bands):
            # a band covers its totals from half a point below its lowest to half above
            top = self._y(plot, d, min(d.max_total, band.high + 0.5))
            bottom = self._y(plot, d, max(0, band.low - 0.5))
            colour = band_colour(index, len(d.bands))
            colour.setAlpha(BAND_ALPHA)
            area = QRectF(plot.left(), top, plot.width(), bottom - top)
            painter.fillRect(area, colour)
            painter.setPen(text_colour)
            label_box = QRectF(plot.right() + metrics.averageCharWidth(), top,
                               self.width() - plot.right(), bottom - top)  # fmt: skip
            if label_box.height() >= metrics.height() * 0.8:
                painter.drawText(
                    label_box, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    band.label.split(":")[0],
                )  # fmt: skip

    def _paint_axes(
        self, painter: QPainter, d: MeasureDefinition, plot: QRectF, first: date, last: date
    ) -> None:
        metrics = self.fontMetrics()
        text_colour = self.palette().text().color()
        painter.setPen(QPen(text_colour, 1))
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())
        # y ticks: where each band starts, and the highest total
        ticks = sorted({b.low for b in d.bands} | {d.max_total})
        tick_len = metrics.averageCharWidth() * 0.6
        painter.setPen(text_colour)
        for value in ticks:
            y = self._y(plot, d, value)
            painter.drawLine(QPointF(plot.left() - tick_len, y), QPointF(plot.left(), y))
            box = QRectF(
                0, y - metrics.height() / 2, plot.left() - tick_len * 1.5, metrics.height()
            )
            painter.drawText(box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                             str(value))  # fmt: skip
        # x ticks: dates (or month starts) far enough apart for their labels
        label_width = metrics.horizontalAdvance("2026-12-31") * 1.5
        count = max(2, int(plot.width() // label_width))
        for day, text in date_ticks(first, last, count):
            x = self._x(plot, first, last, day)
            painter.drawLine(QPointF(x, plot.bottom()), QPointF(x, plot.bottom() + tick_len))
            box = QRectF(x - label_width / 2, plot.bottom() + tick_len, label_width,
                         metrics.height())  # fmt: skip
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
        # axis titles
        painter.drawText(
            QRectF(plot.left(), plot.bottom() + metrics.height() * 1.6, plot.width(),
                   metrics.height() * 1.2),
            Qt.AlignmentFlag.AlignCenter, self.tr("Date"),
        )  # fmt: skip
        painter.save()
        painter.translate(metrics.height() * 0.3, plot.center().y())
        painter.rotate(-90)
        painter.drawText(
            QRectF(-plot.height() / 2, 0, plot.height(), metrics.height() * 1.2),
            Qt.AlignmentFlag.AlignCenter, self.tr("Total score"),
        )  # fmt: skip
        painter.restore()

    def _paint_events(self, painter: QPainter, plot: QRectF, first: date, last: date) -> None:
        if not self.events:
            return
        metrics = self.fontMetrics()
        colour = QColor(EVENT_COLOUR)
        pen = QPen(colour, max(1.0, metrics.height() / 12), Qt.PenStyle.DashLine)
        max_label = metrics.averageCharWidth() * 24
        row_end = [-1e9, -1e9]  # right edge of the last label on each of two rows
        for event in self.events:
            x = self._x(plot, first, last, event.day)
            painter.setPen(pen)
            painter.drawLine(QPointF(x, plot.top()), QPointF(x, plot.bottom()))
            text = metrics.elidedText(event.text, Qt.TextElideMode.ElideRight, int(max_label))
            width = metrics.horizontalAdvance(text)
            left = min(max(0.0, x - width / 2), self.width() - width)
            row = 0 if left > row_end[0] else 1 if left > row_end[1] else 0
            row_end[row] = left + width + metrics.averageCharWidth()
            y = plot.top() - metrics.height() * (2.1 - row * 1.05)
            painter.setPen(colour)
            painter.drawText(QRectF(left, y, width + 2, metrics.height()),
                             Qt.AlignmentFlag.AlignCenter, text)  # fmt: skip
            # a small triangle where the marker meets the plot
            size = metrics.height() * 0.3
            path = QPainterPath(QPointF(x - size, plot.top() - size))
            path.lineTo(QPointF(x + size, plot.top() - size))
            path.lineTo(QPointF(x, plot.top()))
            path.closeSubpath()
            painter.fillPath(path, colour)

    def _paint_points(
        self, painter: QPainter, d: MeasureDefinition, plot: QRectF, first: date, last: date
    ) -> None:
        metrics = self.fontMetrics()
        radius = max(3.0, metrics.height() / 3.6)
        line = QColor(LINE_COLOUR)
        scored = [p for p in self.points if p.total is not None]
        painter.setPen(QPen(line, max(1.5, metrics.height() / 9)))
        for a, b in itertools.pairwise(scored):
            assert a.total is not None and b.total is not None
            painter.drawLine(
                QPointF(self._x(plot, first, last, a.day), self._y(plot, d, a.total)),
                QPointF(self._x(plot, first, last, b.day), self._y(plot, d, b.total)),
            )
        for point in self.points:
            x = self._x(plot, first, last, point.day)
            if point.total is None:
                # an incomplete form: a hollow grey square on the axis, never a height
                painter.setPen(QPen(QColor(INCOMPLETE_COLOUR), 1.5))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(x - radius, plot.bottom() - radius * 2.6,
                                        radius * 2, radius * 2))  # fmt: skip
                continue
            y = self._y(plot, d, point.total)
            if point.alert:
                painter.setPen(QPen(QColor(ALERT_COLOUR), radius * 0.7))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawEllipse(QPointF(x, y), radius * 2.1, radius * 2.1)
            painter.setPen(QPen(self.palette().base().color(), 1))
            painter.setBrush(QBrush(line))
            painter.drawEllipse(QPointF(x, y), radius, radius)
            painter.setPen(self.palette().text().color())
            box = QRectF(x - radius * 6, y - radius - metrics.height() * 1.1, radius * 12,
                         metrics.height())  # fmt: skip
            if point.alert:
                box = box.translated(0, -radius * 1.2)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, str(point.total))
        painter.setBrush(Qt.BrushStyle.NoBrush)


def date_ticks(first: date, last: date, count: int) -> list[tuple[date, str]]:
    """About ``count`` ticks between two dates: month starts ("Jan 2025") over two months
    or more, evenly spaced days (ISO dates) below that."""
    span = (last - first).days
    if span >= 60:
        months = (last.year - first.year) * 12 + last.month - first.month + 1
        step = max(1, -(-months // max(1, count)))
        ticks = []
        year, month = first.year, first.month
        while (year, month) <= (last.year, last.month):
            day = date(year, month, 1)
            if first <= day <= last:
                ticks.append((day, f"{day:%b %Y}"))
            month += step
            year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
        return ticks
    step = max(1, -(-span // max(1, count - 1)))
    return [(first + timedelta(days=n), (first + timedelta(days=n)).isoformat())
            for n in range(0, span + 1, step)]  # fmt: skip


def chart_points(rows: list[Any]) -> list[ChartPoint]:
    """Chart points from the service's ``MeasureRow`` list."""
    return [ChartPoint(r.taken_on, r.total, r.alert) for r in rows]


def chart_events(rows: list[Any]) -> list[ChartEvent]:
    """Chart markers from the service's ``EventRow`` list."""
    return [ChartEvent(r.event_date, r.text) for r in rows]

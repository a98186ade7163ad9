"""A client's measures history: per measure, the trend chart with its severity bands and
event markers, the change since baseline, and every score in a table."""

from __future__ import annotations

from datetime import date

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from mhsw_desktop.domain.measure_defs import MeasureDefinition
from mhsw_desktop.reports.base import (
    BOLD,
    FONT,
    INK,
    MUTED,
    RULE,
    Pdf,
    ReportDocument,
    Styles,
    clean,
    day,
    facts_table,
    grid,
    para,
    printed_line,
    render,
    styles,
)
from mhsw_desktop.reports.sharing import prepared_for_block
from mhsw_desktop.services.report_data import MeasuresData, MeasureSeries, PreparedFor

TITLE = "Measures history"
#: band shading from the mildest to the most severe (greys and warm tints, legible in print)
BAND_TINTS = ("#eef4ee", "#f6f3e4", "#f8ead9", "#f6dfd6", "#f1d3d3", "#ecc8c8")


def trend_chart(
    series: MeasureSeries, events: tuple[tuple[date, str], ...], width: float
) -> Drawing:
    """Scores over time on the measure's severity bands, with the practitioner's markers."""
    d: MeasureDefinition = series.definition
    unit = float(cm)
    height = 6.2 * unit
    left, right, top, bottom = 1.0 * unit, 3.6 * unit, 0.5 * unit, 0.9 * unit
    plot_w, plot_h = width - left - right, height - top - bottom
    drawing = Drawing(width, height)
    top_score = d.max_total

    def y_of(score: float) -> float:
        return bottom + plot_h * score / top_score

    for n, band in enumerate(d.bands):
        low, high = y_of(band.low), y_of(min(band.high + 1, top_score))
        tint = colors.HexColor(BAND_TINTS[min(n, len(BAND_TINTS) - 1)])
        drawing.add(Rect(left, low, plot_w, high - low, fillColor=tint, strokeColor=None))
        name = f"{band.label} ({band.low}–{band.high})"
        drawing.add(String(left + plot_w + 4, (low + high) / 2 - 3, name, fontName=FONT,
                           fontSize=6.5, fillColor=MUTED))  # fmt: skip
    drawing.add(
        Rect(left, bottom, plot_w, plot_h, fillColor=None, strokeColor=RULE, strokeWidth=0.6)
    )
    for score in range(0, top_score + 1, 5 if top_score > 12 else 3):
        drawing.add(String(left - 4, y_of(score) - 3, str(score), fontName=FONT, fontSize=6.5,
                           fillColor=MUTED, textAnchor="end"))  # fmt: skip

    scored = [(row.taken_on, row.total) for row in series.rows if row.total is not None]
    days = [when for when, _ in scored] + [when for when, _ in events]
    if not days:
        return drawing
    first, last = min(days), max(days)
    span = max((last - first).days, 1)

    def x_of(when: date) -> float:
        if first == last:
            return left + plot_w / 2
        return left + plot_w * (when - first).days / span

    for when, label in events:
        x = x_of(when)
        drawing.add(Line(x, bottom, x, bottom + plot_h, strokeColor=MUTED, strokeWidth=0.6,
                         strokeDashArray=[2, 2]))  # fmt: skip
        text = clean(label)[:28]
        drawing.add(String(x + 2, bottom + plot_h - 8, text, fontName=FONT, fontSize=6,
                           fillColor=MUTED))  # fmt: skip
    points = [(x_of(when), y_of(total)) for when, total in scored]
    if len(points) > 1:
        flat = [value for point in points for value in point]
        drawing.add(PolyLine(flat, strokeColor=INK, strokeWidth=1.2))
    for (x, y), (_, total) in zip(points, scored, strict=True):
        drawing.add(Circle(x, y, 2.2, fillColor=INK, strokeColor=colors.white, strokeWidth=0.5))
        drawing.add(String(x, y + 4, str(total), fontName=BOLD, fontSize=6.5, fillColor=INK,
                           textAnchor="middle"))  # fmt: skip
    for when in sorted({first, last}):
        drawing.add(String(x_of(when), bottom - 10, when.isoformat(), fontName=FONT,
                           fontSize=6.5, fillColor=MUTED, textAnchor="middle"))  # fmt: skip
    return drawing


def _series_blocks(
    series: MeasureSeries, events: tuple[tuple[date, str], ...], st: Styles, width: float
) -> list[Flowable]:
    d = series.definition
    out: list[Flowable] = [
        KeepTogether(
            [
                Paragraph(para(f"{d.name}: {d.title}"), st.heading),
                trend_chart(series, events, width),
            ]
        )
    ]
    if series.change:
        out.append(Paragraph(para(series.change), st.body))
    rows = []
    for row in series.rows:
        total = str(row.total) if row.total is not None else "not scored"
        notes = "; ".join((*row.alert_messages, *row.notices))
        if row.missing:
            notes = "; ".join(
                p for p in (f"unanswered: items {', '.join(map(str, row.missing))}", notes) if p
            )
        rows.append((day(row.taken_on), total, row.band_label, notes))
    out.append(
        grid(("Date", "Total", "Severity", "Notes"), rows, st,
             [width * f for f in (0.15, 0.12, 0.2, 0.53)])
    )  # fmt: skip
    return out


def build(data: MeasuresData, *, prepared_for: PreparedFor | None = None) -> Pdf:
    client = data.client
    doc = ReportDocument(
        data.practice,
        title=TITLE,
        running=f"{TITLE}: {client.name}, born {day(client.data.date_of_birth)}",
    )
    st = styles()
    width = doc.content_width
    story: list[Flowable] = [
        *doc.opening(st, TITLE),
        *prepared_for_block(prepared_for, st, width),
        facts_table(
            [("Client", client.name), ("Date of birth", day(client.data.date_of_birth))],
            st,
            width,
        ),
        Paragraph(f"Client ID {client.id}", st.small),
        Spacer(1, 0.2 * cm),
    ]
    if not data.series:
        story.append(Paragraph("No measures have been recorded for this client.", st.body))
    for series in data.series:
        story += _series_blocks(series, data.events, st, width)
    story += [Spacer(1, 0.3 * cm), printed_line(st)]
    return render(doc, story)

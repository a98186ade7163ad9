"""The printed PHQ-9 and GAD-7 forms: blank, for the client to fill in, or completed, from
an administration on record; in English, in the client's language, or in both.

The page follows the published forms: the practice, the title, the client's name and the
date, the question, one row per item with a box under each answer, the column sums and
the total "for office use", the difficulty question and the authors' attribution. A
bilingual copy gives each text in the client's language with the English under it,
smaller and quieter. The form only shows texts: the total and the band of a completed
form are the ones the measures service scored and stored, and an item the client left
unanswered shows as unanswered, never as 0 (and then there is no total).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table
from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import Category
from mhsw_desktop.domain.measure_defs import MeasureDefinition, definition
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.reports.base import (
    ACCENT,
    BOLD,
    CALM,
    FONT,
    INK,
    ITALIC,
    MUTED,
    RULE,
    SHADE,
    PageMark,
    Pdf,
    ReportDocument,
    para,
    practice_block,
    render,
    styles,
    table_style,
)
from mhsw_desktop.reports.make import Builder, ReportRequest
from mhsw_desktop.reports.tongue import SECOND_COLOR, Tongue
from mhsw_desktop.services.report_data import PracticeHeader, client_facts, practice_header

FAMILY = "measures"
#: the report kind of each printable measure
FORM_KINDS = {"phq9-form": "phq9", "gad7-form": "gad7"}
#: the quiet colour of the English under the client's language (as Tongue.pair uses)
SECOND = colors.HexColor(SECOND_COLOR)
#: the tint of a ticked box
TICKED = CALM
#: the sizes of type tried, largest first, until the form fits one page
SCALES = (1.1, 1.05, 1.0, 0.95, 0.9, 0.85, 0.8, 0.75)


@dataclass(frozen=True)
class Answers:
    """A recorded administration, as the measures service scored it."""

    taken_on: date
    #: per item, in order; None for an item the client left unanswered
    answers: tuple[int | None, ...]
    difficulty: int | None
    #: None when an item is unanswered
    total: int | None
    #: the band's key ("moderate"), "" without a total
    band: str
    #: 1-based numbers of the unanswered items
    missing: tuple[int, ...]


@dataclass(frozen=True)
class MeasureFormData:
    practice: PracticeHeader
    kind: str
    client_name: str
    #: None: a blank form
    answers: Answers | None = None

    @property
    def definition(self) -> MeasureDefinition:
        return definition(self.kind)


# -- gathering -------------------------------------------------------------------------
def prepare(
    session: Session, request: ReportRequest, tongue: Tongue
) -> tuple[Builder, set[Category]]:
    """The form of ``request`` (blank, or with the answers of ``request.measure_id``)."""
    assert request.client_id is not None  # make.check() saw to it
    data = form_data(session, request.kind, request.client_id, request.measure_id)
    return (lambda _shared: build(data, tongue)), set()


def form_data(
    session: Session, report_kind: str, client_id: uuid.UUID, measure_id: uuid.UUID | None
) -> MeasureFormData:
    """What the form shows. NotFoundError for a measure of another client (or none);
    ValidationError for an administration of another measure."""
    from mhsw_desktop.services.measures import get_measure

    kind = FORM_KINDS[report_kind]
    client = client_facts(session, client_id)
    answers = None
    if measure_id is not None:
        row = get_measure(session, measure_id)
        if row.client_id != client.id:
            raise NotFoundError("That measure belongs to another client.")
        if row.kind != kind:
            wanted = definition(kind).name
            other = f"{row.kind}-form"
            how = (
                f"print it as {other}"
                if other in FORM_KINDS
                else f"only {' and '.join(definition(k).name for k in FORM_KINDS.values())} "
                "forms can be printed"
            )
            raise ValidationError(
                {"measure": f"is a {row.name} of {row.taken_on.isoformat()}, not a {wanted}: {how}"}
            )
        answers = Answers(
            taken_on=row.taken_on,
            answers=row.answers,
            difficulty=row.difficulty,
            total=row.total,
            band=row.band,
            missing=row.missing,
        )
    return MeasureFormData(practice_header(session), kind, client.name, answers)


# -- type ------------------------------------------------------------------------------
@dataclass(frozen=True)
class FormStyles:
    title: ParagraphStyle
    title_second: ParagraphStyle
    stem: ParagraphStyle
    stem_second: ParagraphStyle
    item: ParagraphStyle
    item_second: ParagraphStyle
    head: ParagraphStyle
    head_second: ParagraphStyle
    label: ParagraphStyle
    label_second: ParagraphStyle
    value: ParagraphStyle
    number: ParagraphStyle
    note: ParagraphStyle
    office: ParagraphStyle
    office_second: ParagraphStyle
    sum: ParagraphStyle
    small: ParagraphStyle
    small_second: ParagraphStyle
    #: the side of an answer box
    box: float
    scale: float


def form_styles(tongue: Tongue, scale: float = 1.0) -> FormStyles:
    """Large calm type for one language; a little smaller for two, the English quieter."""
    two = tongue.bilingual
    lead = (9.8 if two else 11.2) * scale
    second = 7.8 * scale

    def style(name: str, size: float, *, font: str = FONT, color: colors.Color = INK,
              align: int = 0, spacing: float = 1.22) -> ParagraphStyle:  # fmt: skip
        return ParagraphStyle(f"mf-{name}", fontName=font, fontSize=size,
                              leading=size * spacing, textColor=color, alignment=align)  # fmt: skip

    head = (7.9 if two else 8.8) * scale
    return FormStyles(
        title=style("title", 16.5 * scale, font=BOLD, color=ACCENT),
        title_second=style("title2", 11 * scale, font=ITALIC, color=SECOND),
        stem=style("stem", lead, font=BOLD),
        stem_second=style("stem2", second, font=ITALIC, color=SECOND, spacing=1.12),
        item=style("item", lead, spacing=1.18 if two else 1.22),
        item_second=style("item2", second, font=ITALIC, color=SECOND, spacing=1.12),
        head=style("head", head, font=BOLD, align=TA_CENTER, spacing=1.15),
        head_second=style("head2", 6.9 * scale, font=ITALIC, color=SECOND, align=TA_CENTER,
                          spacing=1.15),
        label=style("label", 8.5 * scale, font=BOLD, color=MUTED),
        label_second=style("label2", 7.2 * scale, font=ITALIC, color=SECOND),
        value=style("value", 11.5 * scale, font=BOLD),
        number=style("number", lead, font=BOLD, color=ACCENT, align=TA_RIGHT),
        note=style("note", 8.5 * scale, font=ITALIC, color=MUTED),
        office=style("office", 8.5 * scale, font=BOLD, color=MUTED, align=TA_RIGHT),
        office_second=style("office2", 7.2 * scale, font=ITALIC, color=SECOND, align=TA_RIGHT),
        sum=style("sum", 10.5 * scale, font=BOLD, align=TA_CENTER),
        small=style("small", 7.6 * scale, color=MUTED),
        small_second=style("small2", 7 * scale, font=ITALIC, color=SECOND),
        box=0.42 * cm * scale ** 0.5,
        scale=scale,
    )  # fmt: skip


def stacked(
    tongue: Tongue,
    key: str,
    lead: ParagraphStyle,
    second: ParagraphStyle,
    family: str = FAMILY,
    **fields: object,
) -> list[Flowable]:
    """``key`` in the document's leading language, then (a bilingual copy) the English
    under it in the quieter style; a text that reads the same in both is given once."""
    parts = tongue.each(family, key, **{k: para(str(v)) for k, v in fields.items()})
    return [Paragraph(part, lead if n == 0 else second) for n, part in enumerate(parts)]


class AnswerBox(Flowable):
    """A box to tick, ticked when ``ticked``, with the answer's score beside it in small
    grey figures (what the office adds up)."""

    def __init__(self, side: float, *, ticked: bool = False, score: int | None = None) -> None:
        super().__init__()
        self.side = side
        self.ticked = ticked
        self.score = score

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width = available_width
        self.height = self.side
        return self.width, self.height

    def draw(self) -> None:
        canvas = self.canv
        side = self.side
        x = (self.width - side) / 2
        canvas.saveState()
        canvas.setLineWidth(0.9 if not self.ticked else 1.2)
        canvas.setStrokeColor(INK if self.ticked else RULE)
        canvas.setFillColor(TICKED)
        canvas.rect(x, 0, side, side, stroke=1, fill=1 if self.ticked else 0)
        if self.ticked:  # a heavy tick, drawn (not a glyph), across the box
            canvas.setStrokeColor(INK)
            canvas.setLineWidth(side * 0.16)
            canvas.setLineCap(1)
            canvas.setLineJoin(1)
            path = canvas.beginPath()
            path.moveTo(x + side * 0.18, side * 0.52)
            path.lineTo(x + side * 0.42, side * 0.22)
            path.lineTo(x + side * 0.86, side * 0.88)
            canvas.drawPath(path, stroke=1, fill=0)
        if self.score is not None:
            canvas.setFillColor(MUTED)
            canvas.setFont(FONT, side * 0.62)
            canvas.drawString(x + side + 2.5, side * 0.08, str(self.score))
        canvas.restoreState()


# -- pieces ----------------------------------------------------------------------------
def _title(data: MeasureFormData, tongue: Tongue, fs: FormStyles) -> list[Flowable]:
    return stacked(tongue, f"form.title.{data.kind}", fs.title, fs.title_second)


def _who_and_when(data: MeasureFormData, tongue: Tongue, fs: FormStyles, width: float) -> Table:
    """The client's name and the date: the date it was taken, or a line to write it on."""
    taken = data.answers.taken_on if data.answers else None
    when: object = Paragraph(para(tongue.date(taken)), fs.value) if taken else ""
    name_label = stacked(tongue, "client_name", fs.label, fs.label_second, family="common")
    date_label = stacked(tongue, "date", fs.label, fs.label_second, family="common")
    widths = [width * 0.22, width * 0.36, width * 0.11, width * 0.31]
    table = Table(
        [[name_label, Paragraph(para(data.client_name), fs.value), date_label, when]],
        colWidths=widths,
        hAlign="LEFT",
    )
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
            ("LINEBELOW", (1, 0), (1, 0), 0.6, INK),
            ("LINEBELOW", (3, 0), (3, 0), 0.6, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 6),
            ("LEFTPADDING", (2, 0), (2, 0), 8),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        )
    )
    return table


def _widths(
    d: MeasureDefinition, width: float, tongue: Tongue, scale: float, fs: FormStyles
) -> list[float]:
    """The number, the item, and one column per answer (as wide as its heading's type
    needs: "Más de la mitad de los días" in three lines, not five). The number column
    holds the widest "9." in its own type, with the cell's padding (3 pt each side)."""
    widest = max(stringWidth(f"{n}.", BOLD, fs.number.fontSize) for n in range(1, len(d.items) + 1))
    number = max(0.65 * cm, widest + 6 + 1)
    answer = (1.66 if tongue.bilingual else 1.8) * cm * scale
    return [number, width - number - answer * len(d.choices), *([answer] * len(d.choices))]


def _office_rows(
    data: MeasureFormData, tongue: Tongue, fs: FormStyles
) -> tuple[list[list[object]], list[tuple[object, ...]]]:
    """The column sums and the total "for office use" (lines to write on, on a blank
    form), as rows of the items' table, with their style commands."""
    d = data.definition
    answers = data.answers
    columns = len(d.choices)
    first = len(d.items) + 1  # the row after the header and the items
    label = [
        Paragraph(f"{office} <font name='{ITALIC}'>({add})</font>",
                  fs.office if n == 0 else fs.office_second)
        for n, (office, add) in enumerate(
            zip(tongue.each(FAMILY, "form.office_use"), tongue.each(FAMILY, "form.add_columns"),
                strict=True)
        )
    ]  # fmt: skip
    sums: list[object] = []
    for score in range(columns):
        plus = "" if score == 0 else "+ "
        if answers is None:
            value = "0" if score == 0 else ""
        else:
            value = str(score * sum(1 for a in answers.answers if a == score))
        sums.append(Paragraph(f"{plus}{value}" if value else plus, fs.sum))
    total_label = Paragraph("= " + " / ".join(tongue.each(FAMILY, "form.total_score")), fs.office)
    total: object = ""
    if answers is not None and answers.total is not None:
        band = ""
        if answers.band:
            band = " (" + " / ".join(tongue.each(FAMILY, f"{d.key}.band.{answers.band}")) + ")"
        total = Paragraph(f"{answers.total}<font name='{FONT}' size='{fs.item.fontSize * 0.85}'>"
                          f"{band}</font>", ParagraphStyle("mf-total", parent=fs.sum,
                                                           alignment=0))  # fmt: skip
    elif answers is not None:
        total = Paragraph("—", ParagraphStyle("mf-none", parent=fs.sum, alignment=0))
    rows: list[list[object]] = [
        ["", label, *sums],
        ["", total_label, total, *([""] * (columns - 1))],
    ]
    style: list[tuple[object, ...]] = [
        ("SPAN", (2, first + 1), (-1, first + 1)),
        ("VALIGN", (0, first), (-1, -1), "BOTTOM"),
        ("LINEABOVE", (0, first), (-1, first), 0.9, RULE),
        ("TOPPADDING", (0, first), (-1, first), 5),
        ("BACKGROUND", (0, first), (-1, -1), SHADE),
    ]
    if answers is None:  # lines to write the sums and the total on
        style += [("LINEBELOW", (c, first), (c, first), 0.6, INK) for c in range(3, 2 + columns)]
        style += [("LINEBELOW", (2, first + 1), (3, first + 1), 0.6, INK)]
    return rows, style


def _items_table(data: MeasureFormData, tongue: Tongue, fs: FormStyles, width: float) -> Table:
    d = data.definition
    answers = data.answers
    head: list[object] = [
        [*stacked(tongue, f"{d.key}.stem", fs.stem, fs.stem_second),
         Spacer(1, 2),
         Paragraph(" ".join(tongue.each(FAMILY, "form.instruction")), fs.note)],
        "",
    ]  # fmt: skip
    head += [stacked(tongue, f"{d.key}.choice.{score}", fs.head, fs.head_second)
             for score in range(len(d.choices))]  # fmt: skip
    rows: list[list[object]] = [head]
    for number in range(1, len(d.items) + 1):
        given = answers.answers[number - 1] if answers else None
        text = stacked(tongue, f"{d.key}.item.{number}", fs.item, fs.item_second)
        if answers is not None and given is None:
            text.append(Paragraph(" / ".join(tongue.each(FAMILY, "form.not_answered")), fs.note))
        boxes = [AnswerBox(fs.box, ticked=given == score, score=score)
                 for score in range(len(d.choices))]  # fmt: skip
        rows.append([Paragraph(f"{number}.", fs.number), text, *boxes])
    office, office_style = _office_rows(data, tongue, fs)
    rows += office
    table = Table(rows, colWidths=_widths(d, width, tongue, fs.scale, fs), hAlign="LEFT")
    pad = 2.0 if tongue.bilingual else 2.5
    last_item = len(d.items)
    table.setStyle(
        table_style(
            ("SPAN", (0, 0), (1, 0)),
            ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
            ("VALIGN", (0, 1), (-1, last_item), "MIDDLE"),
            ("VALIGN", (0, 1), (0, last_item), "TOP"),
            ("LINEBELOW", (0, 0), (-1, 0), 0.9, RULE),
            ("LINEBELOW", (0, 1), (-1, last_item - 1), 0.4, RULE),
            *[("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f7f9fa"))
              for r in range(2, last_item + 1, 2)],
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("LEFTPADDING", (1, 1), (1, last_item), 5),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad + 0.5),
            ("LEFTPADDING", (2, 0), (-1, 0), 1.5),
            ("RIGHTPADDING", (2, 0), (-1, 0), 1.5),
            *office_style,
        )
    )  # fmt: skip
    return table


def _no_total(data: MeasureFormData, tongue: Tongue, fs: FormStyles) -> list[Flowable]:
    answers = data.answers
    if answers is None or not answers.missing:
        return []
    numbers = ", ".join(str(n) for n in answers.missing)
    key = "form.no_total_one" if len(answers.missing) == 1 else "form.no_total_many"
    fields = {"number": numbers} if len(answers.missing) == 1 else {"numbers": numbers}
    return [Spacer(1, 3), *stacked(tongue, key, fs.note, fs.small_second, **fields)]


def _option_widths(tongue: Tongue, keys: list[str], fs: FormStyles, width: float) -> list[float]:
    """Widths for answers side by side: each as wide as its longest label needs (plus its
    box), the room left over shared out evenly; evenly when they cannot all fit."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    need = [
        max(stringWidth(part, (fs.item if n == 0 else fs.item_second).fontName,
                        (fs.item if n == 0 else fs.item_second).fontSize)
            for n, part in enumerate(tongue.each(FAMILY, key)))
        + fs.box + 16
        for key in keys
    ]  # fmt: skip
    if sum(need) > width:
        return [width / len(keys)] * len(keys)
    spare = (width - sum(need)) / len(keys)
    return [n + spare for n in need]


def _difficulty(
    data: MeasureFormData, tongue: Tongue, fs: FormStyles, width: float
) -> list[Flowable]:
    d = data.definition
    if not d.difficulty_question:
        return []
    answers = data.answers
    chosen = answers.difficulty if answers else None
    cells: list[object] = []
    side = fs.box
    count = len(d.difficulty_choices)
    widths = _option_widths(tongue, [f"{d.key}.difficulty.{n}" for n in range(count)], fs, width)
    for n, cell_width in enumerate(widths):
        box = AnswerBox(side, ticked=chosen == n)
        label = stacked(tongue, f"{d.key}.difficulty.{n}", fs.item, fs.item_second)
        inner = Table([[box, label]], colWidths=[side + 4, cell_width - side - 10])
        inner.setStyle(
            table_style(
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("LEFTPADDING", (1, 0), (1, 0), 4),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (0, 0), 1.5),
            )
        )
        cells.append(inner)
    options = Table([cells], colWidths=widths, hAlign="LEFT")
    options.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        )
    )
    out: list[Flowable] = [
        *stacked(tongue, f"{d.key}.difficulty", fs.stem, fs.stem_second),
        Spacer(1, 5),
        options,
    ]
    if answers is not None and chosen is None:
        out.append(Paragraph(" / ".join(tongue.each(FAMILY, "form.not_answered")), fs.note))
    return [KeepTogether(out)]


def _attribution(tongue: Tongue, fs: FormStyles) -> list[Flowable]:
    return stacked(tongue, "form.attribution", fs.small, fs.small_second)


# -- the document ----------------------------------------------------------------------
def story(
    doc: ReportDocument, data: MeasureFormData, tongue: Tongue, scale: float
) -> list[Flowable]:
    fs = form_styles(tongue, scale)
    width = doc.content_width
    return [
        PageMark(titled=True),
        practice_block(
            data.practice, styles((0.8 if tongue.bilingual else 0.9) * scale), width, tongue
        ),
        Spacer(1, 0.25 * cm * scale),
        *_title(data, tongue, fs),
        Spacer(1, 0.25 * cm * scale),
        _who_and_when(data, tongue, fs, width),
        Spacer(1, 0.35 * cm * scale),
        _items_table(data, tongue, fs, width),
        *_no_total(data, tongue, fs),
        Spacer(1, 0.4 * cm * scale),
        *_difficulty(data, tongue, fs, width),
        Spacer(1, 0.4 * cm * scale),
        *_attribution(tongue, fs),
    ]


def build(data: MeasureFormData, tongue: Tongue) -> Pdf:
    """The form on one page, in the largest type that fits it (a bilingual PHQ-9, a long
    practice address or a long name need smaller type); the smallest try is kept
    whatever it takes."""
    name = data.definition.name
    pdf: Pdf | None = None
    for scale in SCALES:
        doc = ReportDocument(
            data.practice,
            title=f"{name} – {tongue.t(FAMILY, f'form.title.{data.kind}')}",
            running=f"{name}: {data.client_name}",
            tongue=tongue,
        )
        pdf = render(doc, story(doc, data, tongue, scale))
        if pdf.pages == 1:
            break
    assert pdf is not None
    return pdf

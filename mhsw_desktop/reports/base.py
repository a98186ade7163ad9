"""What every report shares: the embedded fonts, safe text, styles, the page frame.

User text reaches ReportLab only through :func:`para`, which escapes it: a Paragraph
parses markup, so "said <sigh>" would lose a word and an ``<img>`` tag could open files.
Each page carries the practice's "Confidential" footer with "Page x of y"; a page showing
an unsigned note carries a DRAFT watermark.
"""

from __future__ import annotations

import functools
import io
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    Image,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import ActionFlowable
from reportlab.platypus.flowables import _listWrapOn

from mhsw_desktop.reports.tongue import ENGLISH_ONLY, Tongue
from mhsw_desktop.resources import resources_dir
from mhsw_desktop.services.report_data import PracticeHeader, local_time

FONT = "DejaVuSans"
BOLD = "DejaVuSans-Bold"
ITALIC = "DejaVuSans-Oblique"
BOLD_ITALIC = "DejaVuSans-BoldOblique"
_fonts_lock = threading.Lock()
_fonts_ready = False

INK = colors.HexColor("#1f2933")
MUTED = colors.HexColor("#52606d")
RULE = colors.HexColor("#9aa5b1")
SHADE = colors.HexColor("#eef1f4")
#: the client documents' accent and the fill of their calm boxes: a quiet blue that
#: prints well in grey
ACCENT = colors.HexColor("#2d5f73")
CALM = colors.HexColor("#e8f0f3")
MARGIN = 1.8 * cm
BOTTOM_MARGIN = MARGIN + 0.4 * cm
FOOTER_Y = BOTTOM_MARGIN - 0.9 * cm
FOOTER_TEXT = "Confidential: protected health information. Do not disclose without consent."
RUNNING_SIZE = 7.5
#: a heading starts at the foot of a page only if this much of what follows fits under it
MIN_START_ROOM = 1.5 * cm


def register_fonts() -> None:
    """Register DejaVu Sans (shipped in resources/fonts) once per process."""
    global _fonts_ready
    with _fonts_lock:
        if _fonts_ready:
            return
        folder = resources_dir() / "fonts"
        for name, file in (
            (FONT, "DejaVuSans.ttf"),
            (BOLD, "DejaVuSans-Bold.ttf"),
            (ITALIC, "DejaVuSans-Oblique.ttf"),
            (BOLD_ITALIC, "DejaVuSans-BoldOblique.ttf"),
        ):
            pdfmetrics.registerFont(TTFont(name, str(folder / file)))
        pdfmetrics.registerFontFamily(
            FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC
        )
        _fonts_ready = True


# -- text -----------------------------------------------------------------------------------
_DROP = {"Cc", "Cf", "Co", "Cs", "Cn"}
_KEEP = {"\n", "\t"}
_SPACES = re.compile(r"[ \t]+")


def clean(text: str) -> str:
    """Text without the characters a page cannot show (controls, bidi overrides, unassigned)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n")
    return "".join(ch for ch in text if ch in _KEEP or unicodedata.category(ch) not in _DROP)


def para(text: str) -> str:
    """User text made safe for a Paragraph: escaped, line breaks kept, tabs as spaces."""
    lines = [_SPACES.sub(" ", line).rstrip() for line in clean(text).split("\n")]
    return "<br/>".join(escape(line) for line in lines)


def day(value: date | None) -> str:
    return value.isoformat() if value else ""


def clock(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def moment(value: datetime | None) -> str:
    """A stored UTC time as local time with its offset, e.g. 2026-11-22 14:05 (UTC-05:00)."""
    if value is None:
        return ""
    local = local_time(value)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]})"


# -- styles ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    small: ParagraphStyle
    label: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    right: ParagraphStyle
    banner: ParagraphStyle


def styles(scale: float = 1.0) -> Styles:
    """The report styles; ``scale`` enlarges everything (client copies in large type)."""
    register_fonts()
    size = 9.5 * scale
    body = ParagraphStyle(
        "body", fontName=FONT, fontSize=size, leading=size * 1.3, textColor=INK, spaceAfter=2
    )
    return Styles(
        body=body,
        small=ParagraphStyle("small", parent=body, fontSize=size * 0.8, leading=size * 1.05,
                             textColor=MUTED, spaceAfter=0),
        label=ParagraphStyle("label", parent=body, fontName=BOLD, fontSize=size * 0.85,
                             leading=size * 1.1, textColor=MUTED, spaceAfter=0),
        title=ParagraphStyle("title", parent=body, fontName=BOLD, fontSize=size * 1.7,
                             leading=size * 2.1, spaceBefore=2, spaceAfter=6),
        heading=ParagraphStyle("heading", parent=body, fontName=BOLD, fontSize=size * 1.2,
                               leading=size * 1.6, spaceBefore=8, spaceAfter=3, keepWithNext=1),
        subheading=ParagraphStyle("subheading", parent=body, fontName=BOLD, spaceBefore=4,
                                  spaceAfter=0, keepWithNext=1),
        right=ParagraphStyle("right", parent=body, alignment=TA_RIGHT, spaceAfter=0),
        banner=ParagraphStyle("banner", parent=body, fontName=BOLD, textColor=colors.white,
                              backColor=colors.HexColor("#9b1c1c"), borderPadding=(3, 4, 3, 4),
                              spaceBefore=6, spaceAfter=8),
    )  # fmt: skip


# -- building blocks --------------------------------------------------------------------------
def table_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A table style on DejaVu (a table's own default font is Helvetica, without "ễ")."""
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), *commands])


def layout_style(*commands: tuple[Any, ...]) -> TableStyle:
    """A table used for layout: cells top-aligned, with no padding (the cells' own
    content spaces itself); ``commands`` add to it or override it."""
    return table_style(
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("TOPPADDING", (0, 0), (-1, -1), 0),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        *commands,
    )


def calm_box_style(
    *commands: tuple[Any, ...], heading_pad: float = 0.3 * cm, last_ruled: int = -2
) -> TableStyle:
    """The calm box of crisis lines on a client's document: a heading row across both
    columns, then a row per contact (what it is, its phone) with a rule under each up to
    row ``last_ruled``; ``commands`` add to it."""
    return table_style(
        ("SPAN", (0, 0), (-1, 0)),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
        ("BACKGROUND", (0, 0), (-1, -1), CALM),
        ("LEFTPADDING", (0, 0), (-1, -1), 0.3 * cm),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0.3 * cm),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, 0), heading_pad),
        ("LINEBELOW", (0, 1), (-1, last_ruled), 0.5, RULE),
        ("BOTTOMPADDING", (0, -1), (-1, -1), 0.25 * cm),
        *commands,
    )


def practice_block(
    practice: PracticeHeader, st: Styles, width: float, tongue: Tongue = ENGLISH_ONLY
) -> Flowable:
    """Logo on the left, practice and practitioner on the right; a rule under both.

    A client's document (``tongue``) says "Licence" and "Phone" in its leading language.
    """
    lines = []
    if practice.practice_name:
        lines.append(Paragraph(f"<b>{para(practice.practice_name)}</b>", st.right))
    who = ", ".join(p for p in (practice.practitioner_name, practice.credentials) if p)
    if who:
        lines.append(Paragraph(para(who), st.right))
    if practice.licence_number:
        licence = tongue.t("common", "licence", number=practice.licence_number)
        lines.append(Paragraph(para(licence), st.right))
    if practice.address:
        lines.append(Paragraph(para(practice.address), st.right))
    if practice.phone:
        phone = tongue.t("common", "phone", number=practice.phone)
        lines.append(Paragraph(para(phone), st.right))
    if not lines:
        unset = tongue.t("common", "practice_not_set")
        if tongue.lead == "en":  # the practitioner's own language says where to set them
            unset += " (File > Practitioner profile)"
        lines.append(Paragraph(f"<i>{para(unset)}</i>", st.right))
    logo: Flowable = Spacer(1, 1)
    if practice.logo_png:
        logo = _logo(practice.logo_png, max_width=width * 0.3, max_height=1.8 * cm)
    table = Table([[logo, lines]], colWidths=[width * 0.35, width * 0.65])
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        )
    )
    return table


def _logo(png: bytes, *, max_width: float, max_height: float) -> Flowable:
    image = Image(io.BytesIO(png), mask="auto")  # the logo may be transparent
    ratio = min(max_width / image.imageWidth, max_height / image.imageHeight, 1.0)
    image.drawWidth = image.imageWidth * ratio
    image.drawHeight = image.imageHeight * ratio
    image.hAlign = "LEFT"
    return image


def facts_table(
    pairs: Sequence[tuple[str, str]], st: Styles, width: float, *, columns: int = 2
) -> Flowable:
    """Label/value pairs in ``columns`` column pairs, shaded labels, empty values left out."""
    cells = [(Paragraph(para(k), st.label), Paragraph(para(v), st.body)) for k, v in pairs if v]
    rows = []
    for start in range(0, len(cells), columns):
        row: list[Any] = []
        for label, value in cells[start : start + columns]:
            row += [label, value]
        row += [""] * (2 * columns - len(row))
        rows.append(row)
    if not rows:
        return Spacer(1, 1)
    label_w = width * 0.14 if columns > 1 else width * 0.25
    value_w = width / columns - label_w
    table = Table(rows, colWidths=[label_w, value_w] * columns, hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, SHADE),
    ]
    style += [("BACKGROUND", (2 * c, 0), (2 * c, -1), SHADE) for c in range(columns)]
    table.setStyle(table_style(*style))
    return table


def grid(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    st: Styles,
    widths: Sequence[float],
) -> Table:
    """A plain table with a shaded header row that repeats on every page."""
    data: list[list[Any]] = [[Paragraph(para(h), st.label) for h in header]]
    data += [[Paragraph(para(cell), st.body) for cell in row] for row in rows]
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LINEBELOW", (0, 0), (-1, 0), 0.6, RULE),
            ("LINEBELOW", (0, 1), (-1, -1), 0.25, SHADE),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        )
    )
    return table


def section(title: str, text: str, st: Styles) -> list[Flowable]:
    """A heading and its paragraph (the heading's style keeps it with the text)."""
    return [Paragraph(para(title), st.subheading), Paragraph(para(text), st.body)]


class Invisible(Flowable):
    """A flowable that takes no room and shows nothing (it only tells the document something)."""

    def __init__(self) -> None:
        super().__init__()
        self.width = self.height = 0

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        pass


class PageMark(Invisible):
    """Changes what the pages from here on carry.

    ``draft``: the DRAFT watermark on (or off), from the page where the next thing that
    shows is drawn: a heading that keep-with-next carries over to the next page takes the
    mark with it, so the page it leaves is not watermarked for a note it does not hold.
    ``running``: the line at the top of later pages (whose record this is); ``titled``: a
    new item (a report, or one summary of a batch) begins on this page with its own header,
    so the page needs no running line and its page numbers start again.
    """

    def __init__(
        self, *, draft: bool | None = None, running: str | None = None, titled: bool = False
    ) -> None:
        super().__init__()
        self.draft = draft
        self.running = running
        self.titled = titled

    def draw(self) -> None:
        doc = getattr(self.canv, "_doctemplate", None)
        if isinstance(doc, ReportDocument):
            doc.mark(self)


# -- the document -----------------------------------------------------------------------------
class KeepWithNext(KeepTogether):
    """A keep-with-next group: headings (and a note's opening lines) with what follows.

    ReportLab moves such a group whole to the next page whenever it does not fit, so a
    heading followed by a long section or a long table left the rest of the page blank (a
    session summary's first page, the record's contents). Here the group starts where it
    is when the headings and :data:`MIN_START_ROOM` of what follows fit; otherwise it moves
    on, so a heading never sits alone at the foot of a page.
    """

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        dims: list[tuple[float, float]] = []
        width, height = _listWrapOn(self._content, available_width, self.canv, dims=dims)
        self._H = height
        self._H0 = dims[0][1] if dims else 0
        self._lead = height - (dims[-1][1] if dims else 0)  # all but the last flowable
        self._wrapInfo = available_width, available_height
        return width, 0xFFFFFF  # force a split, as KeepTogether does

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (available_width, available_height):
            self.wrap(available_width, available_height)
        if self._H > available_height >= self._lead + MIN_START_ROOM:
            return list(self._content)
        return list(super().split(available_width, available_height))


class ReportDocument(BaseDocTemplate):
    """One frame per page, the running header after page one, and the footer.

    ``running`` is the line at the top of every page after the first (report and client),
    so a loose page still says whose it is.
    """

    def __init__(
        self,
        practice: PracticeHeader,
        *,
        title: str,
        running: str = "",
        on_page: Callable[[Canvas, ReportDocument], None] | None = None,
        tongue: Tongue = ENGLISH_ONLY,
    ) -> None:
        register_fonts()
        size = A4 if practice.paper_size == "a4" else LETTER
        super().__init__(
            io.BytesIO(),
            pagesize=size,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=BOTTOM_MARGIN,
            title=title,
            author=practice.practice_name or practice.practitioner_name,
            creator="MHSW Desktop",
            subject="Confidential clinical record",
            pageCompression=1,
            # DejaVu from the start: otherwise every page names Helvetica, which has no "ễ"
            initialFontName=FONT,
            keepTogetherClass=KeepWithNext,
        )
        self.practice = practice
        #: the language(s) of the page frame (footer, page numbers, watermark)
        self.tongue = tongue
        self._initial_running = running
        self._extra = on_page
        self._reset()
        frame = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
        self.addPageTemplates(
            [PageTemplate(id="page", frames=[frame], onPage=self._begin, onPageEnd=self._end)]
        )

    @property
    def content_width(self) -> float:
        return float(self.width)

    def opening(self, st: Styles, title: str, running: str | None = None) -> list[Flowable]:
        """The top of a report's first page: the practice header and the title."""
        return [
            PageMark(titled=True, running=running),
            practice_block(self.practice, st, self.content_width, self.tongue),
            Spacer(1, 0.2 * cm),
            Paragraph(para(title), st.title),
        ]

    def _reset(self) -> None:
        """The state of a build's first page (every pass of a multi-pass build starts here)."""
        self.running = self._initial_running
        self.page_running = self._initial_running
        self.page_titled = False
        self.draft_mode = False
        self.page_draft = False
        self.page_fresh = True
        self.pending_draft: bool | None = None
        #: which item (report, or summary of a batch) the current page belongs to
        self.item = 0

    def beforeDocument(self) -> None:
        self._reset()

    def mark(self, mark: PageMark) -> None:
        """A :class:`PageMark` has been reached on the current page."""
        if mark.titled:  # a new item begins: nothing carries over from the one before
            self.item += 1
            self.draft_mode = False
            self.pending_draft = None
            if self.page_fresh:
                self.page_draft = False
            self.page_titled = True
        if mark.running is not None:
            self.running = mark.running
        if mark.draft is not None:
            self.pending_draft = mark.draft

    def _begin(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        self.page_draft = self.draft_mode
        self.page_running = self.running
        self.page_titled = False
        self.page_fresh = True
        if self._extra is not None:
            self._extra(canvas, self)

    def afterFlowable(self, flowable: Flowable) -> None:
        if isinstance(flowable, Invisible | ActionFlowable | Spacer):  # only what shows counts
            return
        if self.pending_draft is not None:
            draft, self.pending_draft = self.pending_draft, None
            self.draft_mode = draft
            # A page that so far shows nothing takes the mark as it is; otherwise the page
            # stays marked if it already holds some of a draft.
            self.page_draft = draft if self.page_fresh else self.page_draft or draft
        self.page_fresh = False

    def _end(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        if isinstance(canvas, NumberedCanvas):
            canvas.item = self.item
        if not self.page_titled and self.page_running:
            canvas.saveState()
            canvas.setFont(FONT, RUNNING_SIZE)
            canvas.setFillColor(MUTED)
            y = self.pagesize[1] - self.topMargin + 0.5 * cm
            line = fit_line(clean(self.page_running).replace("\n", " "), FONT, RUNNING_SIZE,
                            self.width)  # fmt: skip
            canvas.drawString(self.leftMargin, y, line)
            canvas.setStrokeColor(RULE)
            canvas.setLineWidth(0.4)
            canvas.line(self.leftMargin, y - 3, self.leftMargin + self.width, y - 3)
            canvas.restoreState()
        if self.page_draft:
            canvas.saveState()
            canvas.setFont(BOLD, 110)
            canvas.setFillColor(colors.HexColor("#b91c1c"))
            canvas.setFillAlpha(0.13)
            canvas.translate(self.pagesize[0] / 2, self.pagesize[1] / 2)
            canvas.rotate(50)
            canvas.drawCentredString(0, -40, self.tongue.t("common", "draft_watermark"))
            canvas.restoreState()
        canvas.saveState()
        canvas.setFont(FONT, 7.5)
        canvas.setFillColor(MUTED)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.4)
        canvas.line(self.leftMargin, FOOTER_Y + 9, self.leftMargin + self.width, FOOTER_Y + 9)
        footers = list(self.tongue.each("common", "footer"))
        if self.practice.audit_ref:
            footers[-1] += f"  ·  {self.practice.audit_ref}"
        for n, footer in enumerate(footers):  # a bilingual copy: the second under the first
            canvas.drawString(self.leftMargin, FOOTER_Y - n * 8.5, footer)
        canvas.restoreState()


class NumberedCanvas(Canvas):
    """Holds pages back until the end so each footer can say "Page x of y".

    Pages are counted per item: in a batch of session summaries each summary is its own
    document for its own chart, so its pages say "Page 1 of 2", not "Page 3 of 9".
    """

    def __init__(self, *args: Any, tongue: Tongue = ENGLISH_ONLY, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tongue = tongue
        self._pages: list[dict[str, Any]] = []
        #: the item of the page being drawn (set by the document at each page end)
        self.item = 0

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(state["item"] for state in self._pages)
        numbers: Counter[int] = Counter()
        for state in self._pages:
            self.__dict__.update(state)
            numbers[self.item] += 1
            self._page_number_footer(numbers[self.item], totals[self.item])
            super().showPage()
        super().save()

    def _page_number_footer(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(FONT, 7.5)
        self.setFillColor(MUTED)
        right = self._pagesize[0] - MARGIN
        label = self.tongue.t("common", "page", number=number, total=total)
        self.drawRightString(right, FOOTER_Y, label)
        self.restoreState()


def fit_line(text: str, font: str, size: float, width: float) -> str:
    """``text`` cut (with an ellipsis) to what fits in ``width`` points on one line."""
    if pdfmetrics.stringWidth(text, font, size) <= width:
        return text
    ellipsis = "…"
    room = width - pdfmetrics.stringWidth(ellipsis, font, size)
    low, high = 0, len(text)
    while low < high:  # the longest prefix that fits
        middle = (low + high + 1) // 2
        if pdfmetrics.stringWidth(text[:middle], font, size) <= room:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + ellipsis


@dataclass(frozen=True)
class Pdf:
    """A finished report, in memory only."""

    data: bytes
    pages: int
    #: the languages it is written in, the leading one first
    languages: tuple[str, ...] = ("en",)


def render(doc: ReportDocument, story: list[Flowable], *, multi_pass: bool = False) -> Pdf:
    """Build ``story`` into PDF bytes, in memory: nothing is written to disk."""
    maker = functools.partial(NumberedCanvas, tongue=doc.tongue)
    if multi_pass:
        doc.multiBuild(story, canvasmaker=maker)
    else:
        doc.build(story, canvasmaker=maker)
    buffer = doc.filename
    assert isinstance(buffer, io.BytesIO)
    return Pdf(buffer.getvalue(), int(doc.page), doc.tongue.languages)


def printed_line(st: Styles) -> Paragraph:
    now = datetime.now().astimezone()
    offset = now.strftime("%z")
    return Paragraph(
        f"Printed {now:%Y-%m-%d %H:%M} (UTC{offset[:3]}:{offset[3:]}) from MHSW Desktop", st.small
    )

"""The safety-plan wallet card: one page holding a card of credit-card size to cut out and
fold, the warning signs and coping strategies on the front, the people and the crisis
lines to call on the back.

The card is laid out first (:func:`layout`, plain positioned lines, so tests can check
that nothing leaves the card) and then drawn. Entries are taken whole, in the plan's
order, while they fit; a step that does not fit ends with "…see your full plan" instead
of running over the edge. The card carries no name: a lost wallet should not say whose
safety plan it holds.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Literal

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import cm, mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Paragraph

from mhsw_desktop.reports.base import (
    ACCENT,
    BOLD,
    CALM,
    FONT,
    FOOTER_Y,
    INK,
    ITALIC,
    MARGIN,
    MUTED,
    RULE,
    Pdf,
    clean,
    fit_line,
    practice_block,
    register_fonts,
    styles,
)
from mhsw_desktop.reports.tongue import ENGLISH_ONLY, Tongue
from mhsw_desktop.services.safety_plans import Contact, SafetyPlanData, crisis_lines, in_language

TITLE = "Safety-plan wallet card"
#: the card's texts, shared with the safety plan (``resources/i18n/*/safety_plan.json``)
TEXTS = "safety_plan"
CARD_WIDTH = 85.6 * mm
CARD_HEIGHT = 54 * mm
#: the margin inside each side of the card that text keeps clear of (cutting is not exact)
PAD = 3.2 * mm
#: the card's top edge is at least this far down from the top of the page
CARD_TOP = 7.5 * cm
SIZE = 8.0
LEADING = 9.8
#: the space above each step's label after the first
GAP = 3.0
HEAD_SIZE = 9.5
HEAD_LEADING = 12.0
PHONE_SIZE = 8.5
#: the lines an empty step takes (two ruled lines to write on, with room to write)
BLANK = 3
#: an entry longer than this many lines is shortened with an ellipsis
ENTRY_LINES = 2
MORE = "…see your full plan"


@dataclass(frozen=True)
class Line:
    """One string on the card; ``x``/``y`` is its left end on the baseline (points on the
    page). ``align`` "right" means ``x`` is its right end."""

    x: float
    y: float
    text: str
    font: str
    size: float
    color: str = "ink"
    align: Literal["left", "right"] = "left"

    @property
    def left(self) -> float:
        return self.x - self.width if self.align == "right" else self.x

    @property
    def width(self) -> float:
        return float(stringWidth(self.text, self.font, self.size))


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def top(self) -> float:
        return self.y + self.height

    @property
    def right(self) -> float:
        return self.x + self.width


@dataclass(frozen=True)
class Side:
    """One side of the card: its box, its lines, blank lines to write on, shaded areas."""

    box: Box
    lines: tuple[Line, ...]
    rules: tuple[tuple[float, float, float], ...]  # (x0, x1, y)
    shades: tuple[Box, ...]


@dataclass(frozen=True)
class CardLayout:
    front: Side
    back: Side

    @property
    def box(self) -> Box:
        """The whole piece to cut out: front and back side by side."""
        return Box(self.front.box.x, self.front.box.y, 2 * CARD_WIDTH, CARD_HEIGHT)


# -- fitting -------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Section:
    label: str
    #: each entry as the lines it takes (already wrapped and shortened)
    entries: tuple[tuple[Line, ...], ...]
    shaded: bool = False


def _wrap_item(text: str, width: float) -> tuple[str, ...]:
    """``text`` in at most :data:`ENTRY_LINES` lines of ``width``; the last one ends in "…"
    when there was more."""
    flat = " ".join(clean(text).split())
    lines = simpleSplit(flat, FONT, SIZE, width) or [""]
    shown = [fit_line(line, FONT, SIZE, width) for line in lines[: ENTRY_LINES - 1]]
    rest = " ".join(lines[ENTRY_LINES - 1 :])
    if rest:
        shown.append(fit_line(rest, FONT, SIZE, width))
    return tuple(shown)


def _item_entry(text: str, width: float) -> tuple[Line, ...]:
    """A bulleted entry; each line's ``y`` is its offset below the entry's first line."""
    bullet = stringWidth("• ", FONT, SIZE)
    wrapped = _wrap_item(text, width - bullet)
    return (
        Line(0, 0, "•", FONT, SIZE, "accent"),
        *(Line(bullet, -row * LEADING, line, FONT, SIZE) for row, line in enumerate(wrapped)),
    )


def _contact_entry(contact: Contact, width: float) -> tuple[Line, ...]:
    """The name on the left, the phone in bold on the right, both shortened to fit."""
    name = " ".join(clean(contact.name).split())
    phone = " ".join(clean(contact.phone).split())
    if not phone:
        return (Line(0, 0, fit_line(name, FONT, SIZE, width), FONT, SIZE),)
    phone = fit_line(phone, BOLD, PHONE_SIZE, width * 0.45)
    room = width - stringWidth(phone, BOLD, PHONE_SIZE) - 2 * mm
    return (
        Line(0, 0, fit_line(name, FONT, SIZE, room), FONT, SIZE),
        Line(width, 0, phone, BOLD, PHONE_SIZE, align="right"),
    )


def _rows(entry: tuple[Line, ...]) -> int:
    """How many lines an entry takes."""
    return len({line.y for line in entry})


def allocate(needs: list[list[int]], budget: int, order: list[int] | None = None) -> list[int]:
    """How many entries of each section fit in ``budget`` lines.

    Each section takes a line for its label (and :data:`BLANK` lines to write on when it
    is empty); then the sections take turns in ``order`` (the most important first), one
    whole entry each, so that one long step cannot crowd out the next. A section that
    cannot show all its entries keeps one line for "…see your full plan".
    """
    turns = order if order is not None else list(range(len(needs)))
    shown = [0] * len(needs)
    free = budget - len(needs) - sum(BLANK for n in needs if not n)
    everything = sum(sum(n) for n in needs)
    reserved = [1 if n else 0 for n in needs] if everything > free else [0] * len(needs)
    free -= sum(reserved)
    for _ in range(2):  # a second round with the note lines of sections that did fit
        progress = True
        while progress:
            progress = False
            for i in turns:
                n = needs[i]
                if shown[i] < len(n) and n[shown[i]] <= free:
                    free -= n[shown[i]]
                    shown[i] += 1
                    progress = True
        for i, n in enumerate(needs):
            if reserved[i] and shown[i] == len(n):
                free += reserved[i]
                reserved[i] = 0
    return shown


def _place(
    sections: list[_Section],
    box: Box,
    top: float,
    bottom: float,
    order: list[int] | None = None,
    more: str = MORE,
) -> Side:
    """Lay ``sections`` out from ``top`` down to ``bottom`` inside ``box`` (its padding
    kept); ``order`` says which section comes first when they take turns for the room."""
    budget = int((top - bottom - GAP * (len(sections) - 1)) // LEADING)
    counts = allocate([[_rows(e) for e in s.entries] for s in sections], budget, order)
    left, width = box.x + PAD, box.width - 2 * PAD
    lines: list[Line] = []
    rules: list[tuple[float, float, float]] = []
    shades: list[Box] = []
    y = top
    for index, (section, count) in enumerate(zip(sections, counts, strict=True)):
        y -= GAP if index else 0
        start = y
        y -= LEADING
        label = fit_line(section.label, BOLD, SIZE, width)
        lines.append(Line(left, y + 1.5, label, BOLD, SIZE, "accent"))
        if not section.entries:
            for _ in range(2):
                y -= LEADING * BLANK / 2
                rules.append((left, left + width, y))
        for entry in section.entries[:count]:
            baseline = y - LEADING + 1.5
            lines += [replace(line, x=left + line.x, y=baseline + line.y) for line in entry]
            y -= _rows(entry) * LEADING
        if count < len(section.entries):
            y -= LEADING
            lines.append(Line(left + stringWidth("• ", FONT, SIZE), y + 1.5, more, ITALIC, SIZE,
                              "muted"))  # fmt: skip
        if section.shaded:
            shades.append(Box(box.x + PAD * 0.5, y - 1, box.width - PAD, start - y + 2))
    return Side(box, tuple(lines), tuple(rules), tuple(shades))


def crisis_lines_first(contacts: Sequence[Contact]) -> tuple[Contact, ...]:
    """Step 5 with the crisis lines (those of ``resources/crisis_lines``, by phone) first,
    the rest in the plan's order: on a small card, what is cut is never 988."""
    lines = {line.phone for line in crisis_lines() if line.phone}
    return tuple(sorted(contacts, key=lambda contact: contact.phone not in lines))


def layout(data: SafetyPlanData, x: float, y: float, tongue: Tongue = ENGLISH_ONLY) -> CardLayout:
    """The card with its lower left corner at (``x``, ``y``) on the page, in ``tongue``
    (a bilingual card gives its headings in both languages, "Señales de alerta / Warning
    signs", cut to fit; the entries are the client's own words, once)."""
    version = data.version
    width = CARD_WIDTH - 2 * PAD
    front_box = Box(x, y, CARD_WIDTH, CARD_HEIGHT)
    back_box = Box(x + CARD_WIDTH, y, CARD_WIDTH, CARD_HEIGHT)
    head_y = y + CARD_HEIGHT - PAD - HEAD_SIZE

    def fitted(texts: tuple[str, ...], size: float) -> str:
        """Both languages when they fit the card's width, else the leading one alone
        (a heading cut mid-phrase helps no one)."""
        both = " / ".join(texts)
        if stringWidth(both, BOLD, size) <= width or len(texts) == 1:
            return fit_line(both, BOLD, size, width)
        return fit_line(texts[0], BOLD, size, width)

    def head(key: str, left: float) -> Line:
        title = fitted(tongue.each(TEXTS, key), HEAD_SIZE)
        return Line(left, head_y, title, BOLD, HEAD_SIZE, "accent")

    heading = head("card.heading", x + PAD)
    top = y + CARD_HEIGHT - PAD - HEAD_LEADING

    def title(key: str) -> str:
        return fitted(tongue.each(TEXTS, f"step.{key}.title"), SIZE)

    def items(key: str) -> _Section:
        entries = tuple(_item_entry(text, width) for text in version.step(key))
        return _Section(title(key), entries)

    def contacts(key: str, *, shaded: bool = False) -> _Section:
        people = version.step(key)
        if key == "professional_contacts":
            people = tuple(in_language(c, tongue.lead) for c in crisis_lines_first(people))
        entries = tuple(_contact_entry(contact, width) for contact in people)
        return _Section(title(key), entries, shaded)

    more = tongue.t(TEXTS, "card.more")
    front = _place([items("warning_signs"), items("coping_strategies")], front_box, top, y + PAD,
                   more=more)  # fmt: skip
    front = Side(front.box, (heading, *front.lines), front.rules, front.shades)
    back_heading = head("card.who_i_can_call", back_box.x + PAD)
    # the last line of the back says which version this is
    sections = [contacts("help_contacts"), contacts("professional_contacts", shaded=True)]
    # the crisis lines come first when the two steps take turns for the room
    back = _place(sections, back_box, top, y + PAD + LEADING, order=[1, 0], more=more)
    status = "" if version.signed else " · " + tongue.t(TEXTS, "card.draft")
    when = tongue.date(version.plan_date, "medium")
    foot = tongue.t(TEXTS, "card.version", number=version.version_number, date=when) + status
    foot_line = Line(back_box.x + PAD, y + PAD + 1.5, fit_line(foot, FONT, 7, width), FONT, 7,
                     "muted")  # fmt: skip
    back = Side(back.box, (back_heading, *back.lines, foot_line), back.rules, back.shades)
    return CardLayout(front, back)


# -- drawing -------------------------------------------------------------------------------
_COLORS = {"ink": INK, "muted": MUTED, "accent": ACCENT}


def _draw_side(canvas: Canvas, side: Side) -> None:
    for shade in side.shades:
        canvas.setFillColor(CALM)
        canvas.roundRect(shade.x, shade.y, shade.width, shade.height, 2, stroke=0, fill=1)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.5)
    for x0, x1, y in side.rules:
        canvas.line(x0, y, x1, y)
    for line in side.lines:
        canvas.setFont(line.font, line.size)
        canvas.setFillColor(_COLORS[line.color])
        if line.align == "right":
            canvas.drawRightString(line.x, line.y, line.text)
        else:
            canvas.drawString(line.x, line.y, line.text)


def _draw_cut_and_fold(canvas: Canvas, card: CardLayout, tongue: Tongue) -> None:
    box = card.box
    canvas.saveState()
    canvas.setStrokeColor(INK)
    canvas.setLineWidth(0.6)
    canvas.setDash(4, 3)
    canvas.rect(box.x, box.y, box.width, box.height, stroke=1, fill=0)
    fold = box.x + CARD_WIDTH
    canvas.setStrokeColor(MUTED)
    canvas.setDash(1, 2.5)
    canvas.line(fold, box.y - 4 * mm, fold, box.top + 4 * mm)
    canvas.setDash()
    canvas.setFillColor(MUTED)
    canvas.setFont(FONT, 7.5)
    canvas.drawCentredString(fold, box.top + 5.5 * mm, tongue.joined(TEXTS, "card.fold"))
    canvas.drawCentredString(box.x + CARD_WIDTH / 2, box.top + 2 * mm,
                             tongue.joined(TEXTS, "card.front"))  # fmt: skip
    canvas.drawCentredString(fold + CARD_WIDTH / 2, box.top + 2 * mm,
                             tongue.joined(TEXTS, "card.back"))  # fmt: skip
    canvas.setFont(FONT, 11)
    canvas.drawRightString(box.x - 1.5 * mm, box.top - 3.5 * mm, "✂")
    canvas.restoreState()


def build(data: SafetyPlanData, tongue: Tongue = ENGLISH_ONLY) -> Pdf:
    return build_with_layout(data, tongue)[0]


def build_with_layout(
    data: SafetyPlanData, tongue: Tongue = ENGLISH_ONLY
) -> tuple[Pdf, CardLayout]:
    """The page, and where everything on the card went (for tests)."""
    register_fonts()
    practice = data.practice
    page_width, page_height = A4 if practice.paper_size == "a4" else LETTER
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(page_width, page_height), pageCompression=1,
                    initialFontName=FONT)  # fmt: skip
    canvas.setTitle(tongue.t(TEXTS, "card.title"))
    canvas.setAuthor(practice.practice_name or practice.practitioner_name)
    canvas.setCreator("MHSW Desktop")
    canvas.setSubject("Confidential clinical record")
    st = styles()
    width = page_width - 2 * MARGIN
    header = practice_block(practice, st, width, tongue)
    _, height = header.wrapOn(canvas, width, page_height)
    top = page_height - MARGIN
    header.drawOn(canvas, MARGIN, top - height)
    top -= height + 0.3 * cm
    for flowable in (
        Paragraph(tongue.pair(TEXTS, "card.title", size=11), st.title),
        Paragraph(tongue.pair(TEXTS, "card.instructions"), st.body),
    ):
        _, height = flowable.wrapOn(canvas, width, page_height)
        flowable.drawOn(canvas, MARGIN, top - height)
        top -= height + 0.15 * cm
    # the card sits under the instructions, centred, never higher than CARD_TOP
    card_top = min(page_height - CARD_TOP, top - 1.2 * cm)
    card = layout(data, (page_width - 2 * CARD_WIDTH) / 2, card_top - CARD_HEIGHT, tongue)
    canvas.setFillColor(colors.white)
    canvas.rect(card.box.x, card.box.y, card.box.width, card.box.height, stroke=0, fill=1)
    _draw_side(canvas, card.front)
    _draw_side(canvas, card.back)
    _draw_cut_and_fold(canvas, card, tongue)
    canvas.setFont(FONT, 7.5)
    canvas.setFillColor(MUTED)
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.4)
    canvas.line(MARGIN, FOOTER_Y + 9, page_width - MARGIN, FOOTER_Y + 9)
    for n, footer in enumerate(tongue.each("common", "footer")):
        canvas.drawString(MARGIN, FOOTER_Y - n * 8.5, footer)
    canvas.drawRightString(page_width - MARGIN, FOOTER_Y, tongue.t("common", "page", number=1,
                                                                    total=1))  # fmt: skip
    canvas.showPage()
    canvas.save()
    return Pdf(buffer.getvalue(), 1, tongue.languages), card

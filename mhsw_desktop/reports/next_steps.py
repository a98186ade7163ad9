"""The sheet a client takes home after a session: the next appointment, what they agreed to
try before it, who to call if they need help before then, and how to reach the practice.

It is written to the client, warmly and plainly, in large type on one page where it fits
(a long homework list may take two). Nothing clinical is on it: no diagnosis, no risk
level, no note text but the homework, which prints as typed, one item per line. The
crisis lines are those of the client's safety plan (step 5) when there is one. A bilingual
copy gives each heading and sentence in the client's language with the English under it,
quieter; the client's and the practitioner's own words appear once.

The pieces shared with the resource list (styles, section headings, the help box) live
here too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table
from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import Category
from mhsw_desktop.reports.base import (
    ACCENT,
    BOLD,
    CALM,
    FONT,
    INK,
    MUTED,
    RULE,
    PageMark,
    Pdf,
    ReportDocument,
    calm_box_style,
    para,
    practice_block,
    render,
    styles,
    table_style,
)
from mhsw_desktop.reports.make import Builder, ReportRequest
from mhsw_desktop.reports.tongue import SECOND_COLOR, Tongue
from mhsw_desktop.services.client_documents import HelpLines, NextStepsData, next_steps_data
from mhsw_desktop.services.report_data import PracticeHeader
from mhsw_desktop.services.safety_plans import Contact

FAMILY = "next_steps"
#: the sheet is tried at these sizes, in order, until it fits one page
SCALES = (1.0, 0.94, 0.88, 0.82, 0.76)
#: ruled lines to write on when there is no homework
HOMEWORK_LINES = 3


@dataclass(frozen=True)
class SheetStyles:
    """The type of the client's take-home sheets at one ``scale``."""

    scale: float
    body: ParagraphStyle
    bullet: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    meta: ParagraphStyle
    heading: ParagraphStyle
    strong: ParagraphStyle
    label: ParagraphStyle
    name: ParagraphStyle
    phone: ParagraphStyle


def sheet_styles(scale: float = 1.0, size: float = 13.0) -> SheetStyles:
    """Calm, large type: ``size`` points of body text at ``scale`` 1."""
    size *= scale
    body = ParagraphStyle(
        "cd-body", fontName=FONT, fontSize=size, leading=size * 1.35, textColor=INK
    )  # fmt: skip
    return SheetStyles(
        scale=scale,
        body=body,
        bullet=ParagraphStyle("cd-bullet", parent=body, leftIndent=0.75 * cm,
                              bulletIndent=0.2 * cm, bulletFontName=FONT, spaceAfter=3),
        small=ParagraphStyle("cd-small", parent=body, fontSize=size - 2,
                             leading=(size - 2) * 1.3, textColor=MUTED),
        title=ParagraphStyle("cd-title", parent=body, fontName=BOLD, fontSize=size * 1.75,
                             leading=size * 2.15, textColor=ACCENT, spaceAfter=1),
        meta=ParagraphStyle("cd-meta", parent=body, fontSize=size - 1, leading=(size - 1) * 1.3,
                            textColor=MUTED),
        heading=ParagraphStyle("cd-heading", parent=body, fontName=BOLD, fontSize=size + 2,
                               leading=(size + 2) * 1.3, textColor=ACCENT, keepWithNext=1),
        strong=ParagraphStyle("cd-strong", parent=body, fontName=BOLD, fontSize=size + 2.5,
                              leading=(size + 2.5) * 1.3),
        label=ParagraphStyle("cd-label", parent=body, fontName=BOLD, fontSize=size - 1.5,
                             leading=(size - 1.5) * 1.3, textColor=MUTED),
        name=ParagraphStyle("cd-name", parent=body, spaceAfter=0),
        phone=ParagraphStyle("cd-phone", parent=body, fontName=BOLD, fontSize=size + 1,
                             leading=(size + 1) * 1.3, alignment=TA_RIGHT),
    )  # fmt: skip


# -- shared pieces -----------------------------------------------------------------------
def section_heading(
    tongue: Tongue, family: str, key: str, st: SheetStyles, width: float
) -> list[Flowable]:
    """A heading with a rule under it (a bilingual copy: the English under, smaller); it
    stays with what follows."""
    heading = Paragraph(tongue.pair(family, key, size=st.body.fontSize, inline=True), st.heading)
    rule = Table([[""]], colWidths=[width], rowHeights=[3])
    rule.setStyle(table_style(("LINEABOVE", (0, 0), (-1, 0), 0.8, ACCENT)))
    rule.keepWithNext = True
    return [Spacer(1, 0.38 * cm * st.scale), heading, rule, Spacer(1, 0.1 * cm)]


def sentence(tongue: Tongue, family: str, key: str, style: ParagraphStyle, **fields: Any) -> str:
    """An app sentence as Paragraph markup (a bilingual copy: the English under, smaller);
    ``fields`` are user text and are escaped."""
    return tongue.pair(family, key, size=round(style.fontSize - 1, 1), **fields)


def _contact_cell(contact: Contact, st: SheetStyles) -> Paragraph:
    text = f"<b>{para(contact.name)}</b>"
    size = st.small.fontSize
    for extra in (contact.organisation, contact.address):
        if extra:
            text += f'<br/><font size="{size}" color="{SECOND_COLOR}">{para(extra)}</font>'
    return Paragraph(text, st.name)


def help_box(
    help: HelpLines, tongue: Tongue, family: str, st: SheetStyles, width: float
) -> list[Flowable]:
    """The crisis lines (or the services of step 5 of the client's safety plan): what each
    is on the left, its phone, large and bold, on the right, in a calm box. Kept whole
    on a page. ``family`` holds ``help.heading``, ``help.from_plan`` and ``help.default``."""
    intro_key = "help.from_plan" if help.from_safety_plan else "help.default"
    phones = [tongue.phone(contact.phone) for contact in help.contacts]
    widest = max((stringWidth(p, BOLD, st.phone.fontSize) for p in phones), default=0)
    phone_w = min(max(widest + 0.8 * cm, 2.2 * cm), width * 0.4)
    rows: list[list[object]] = [
        [Paragraph(sentence(tongue, family, intro_key, st.body), st.body), ""]
    ]
    for contact, phone in zip(help.contacts, phones, strict=True):
        rows.append([_contact_cell(contact, st), Paragraph(para(phone), st.phone)])
    box = Table(rows, colWidths=[width - phone_w, phone_w])
    box.setStyle(calm_box_style(heading_pad=0.25 * cm))
    return [KeepTogether([*section_heading(tongue, family, "help.heading", st, width), box])]


def facts(rows: list[tuple[str, str]], st: SheetStyles, width: float, label_w: float) -> Table:
    """Label/value rows (the labels already Paragraph markup, the values too)."""
    table = Table(
        [[Paragraph(label, st.label), Paragraph(value, st.body)] for label, value in rows],
        colWidths=[label_w, width - label_w],
        hAlign="LEFT",
    )
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (0, -1), 0.3 * cm),
            ("RIGHTPADDING", (1, 0), (1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            # the label's first line sits on the value's first line
            ("TOPPADDING", (0, 0), (0, -1), 2 + (st.body.fontSize - st.label.fontSize) * 0.8),
        )
    )
    return table


def ruled_lines(count: int, width: float, st: SheetStyles) -> Table:
    table = Table([[""] for _ in range(count)], colWidths=[width],
                  rowHeights=[0.95 * cm * st.scale] * count, hAlign="LEFT")  # fmt: skip
    table.setStyle(table_style(*[("LINEBELOW", (0, r), (0, r), 0.6, RULE) for r in range(count)]))
    return table


def clinician(practice: PracticeHeader) -> str:
    return ", ".join(p for p in (practice.practitioner_name, practice.credentials) if p)


def opening(
    practice: PracticeHeader, tongue: Tongue, family: str, meta: str, st: SheetStyles,
    width: float,
) -> list[Flowable]:  # fmt: skip
    """The practice header, the sheet's title and the line under it (``meta``: markup)."""
    return [
        PageMark(titled=True),
        practice_block(practice, styles(1.1 * st.scale), width, tongue),
        Spacer(1, 0.35 * cm * st.scale),
        Paragraph(tongue.pair(family, "title", size=round(st.title.fontSize * 0.6, 1)), st.title),
        Paragraph(meta, st.meta),
    ]


def fit_one_page(make: Callable[[float], Pdf], attempts: tuple[float, ...] = SCALES) -> Pdf:
    """Build with each scale of ``attempts`` until the document fits one page (the last
    attempt is kept whatever its length)."""
    for scale in attempts[:-1]:
        pdf = make(scale)
        if pdf.pages == 1:
            return pdf
    return make(attempts[-1])


# -- this sheet --------------------------------------------------------------------------
def prepare(
    session: Session, request: ReportRequest, tongue: Tongue
) -> tuple[Builder, set[Category]]:
    """The sheet of ``request.note_id`` (one of the client's notes) or of the client's
    latest note."""
    assert request.client_id is not None  # make.check() saw to it
    data = next_steps_data(session, request.client_id, request.note_id, tongue.lead)
    return (lambda _shared: build(data, tongue)), set()


def _appointment(
    data: NextStepsData, tongue: Tongue, st: SheetStyles, width: float
) -> list[Flowable]:
    heading = section_heading(tongue, FAMILY, "appointment.heading", st, width)
    who = clinician(data.practice)
    if data.next_appointment is not None:
        lines = [Paragraph(para(tongue.moment(data.next_appointment)), st.strong)]
        if who:
            # the leading language only: the clinician's name is written once
            lines.append(Paragraph(para(tongue.t(FAMILY, "appointment.with", who=who)), st.body))
        box = Table([[lines]], colWidths=[width])
        box.setStyle(
            table_style(
                ("BACKGROUND", (0, 0), (-1, -1), CALM),
                ("LEFTPADDING", (0, 0), (-1, -1), 0.3 * cm),
                ("TOPPADDING", (0, 0), (-1, -1), 0.2 * cm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0.25 * cm),
            )
        )
        change = Paragraph(sentence(tongue, FAMILY, "appointment.change", st.small), st.small)
        return [KeepTogether([*heading, box, Spacer(1, 0.1 * cm), change])]
    date_label, time_label = tongue.joined("common", "date"), tongue.joined(FAMILY, "time")
    blanks = Table(
        [["", "", ""], [Paragraph(para(date_label), st.small), "",
                        Paragraph(para(time_label), st.small)]],
        colWidths=[width * 0.55, width * 0.08, width * 0.37],
        rowHeights=[1.0 * cm * st.scale, None], hAlign="LEFT",
    )  # fmt: skip
    blanks.setStyle(
        table_style(
            ("LINEBELOW", (0, 0), (0, 0), 0.6, RULE),
            ("LINEBELOW", (2, 0), (2, 0), 0.6, RULE),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 2),
        )
    )
    return [
        KeepTogether([
            *heading,
            Paragraph(sentence(tongue, FAMILY, "appointment.none", st.body), st.body),
            Spacer(1, 0.15 * cm),
            Paragraph(sentence(tongue, FAMILY, "appointment.write_in", st.small), st.small),
            blanks,
        ])
    ]  # fmt: skip


def _homework(data: NextStepsData, tongue: Tongue, st: SheetStyles, width: float) -> list[Flowable]:
    heading = section_heading(tongue, FAMILY, "homework.heading", st, width)
    if not data.homework:
        intro = Paragraph(sentence(tongue, FAMILY, "homework.blank", st.body), st.body)
        return [KeepTogether([*heading, intro, ruled_lines(HOMEWORK_LINES, width, st)])]
    intro = Paragraph(sentence(tongue, FAMILY, "homework.intro", st.body), st.body)
    items = [Paragraph(para(item), st.bullet, bulletText="•") for item in data.homework]
    return [*heading, intro, Spacer(1, 0.1 * cm), *items]


def _reach_us(data: NextStepsData, tongue: Tongue, st: SheetStyles, width: float) -> list[Flowable]:
    """Who and where on the left, the phone, large, on the right."""
    practice = data.practice
    left: list[Flowable] = []
    if practice.practice_name:
        left.append(Paragraph(f"<b>{para(practice.practice_name)}</b>", st.body))
    who = clinician(practice)
    if who:
        label = tongue.pair(FAMILY, "label.clinician", inline=True)
        left.append(Paragraph(f"{label}: {para(who)}", st.body))
    if practice.address:
        left.append(Paragraph(para(practice.address), st.body))
    right: list[Flowable] = []
    if practice.phone:
        right = [
            Paragraph(tongue.pair(FAMILY, "label.phone", inline=True), st.label),
            Paragraph(para(tongue.phone(practice.phone)), st.strong),
        ]
    phone_w = min(6.5 * cm, width * 0.4)
    table = Table([[left, right]], colWidths=[width - phone_w, phone_w], hAlign="LEFT")
    table.setStyle(
        table_style(
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0),
        )
    )
    note = Paragraph(sentence(tongue, FAMILY, "contact.note", st.small), st.small)
    return [
        KeepTogether([
            *section_heading(tongue, FAMILY, "contact.heading", st, width),
            table, Spacer(1, 0.1 * cm), note,
        ])
    ]  # fmt: skip


def _story(data: NextStepsData, tongue: Tongue, st: SheetStyles, width: float) -> list[Flowable]:
    # the leading language only: it holds the client's name and a date, written once
    meta = tongue.t(FAMILY, "meta", name=para(data.client.name),
                    date=tongue.date(data.session_date))  # fmt: skip
    return [
        *opening(data.practice, tongue, FAMILY, meta, st, width),
        *_appointment(data, tongue, st, width),
        *_homework(data, tongue, st, width),
        *help_box(data.help, tongue, FAMILY, st, width),
        *_reach_us(data, tongue, st, width),
    ]


def build(data: NextStepsData, tongue: Tongue) -> Pdf:
    """The sheet in ``tongue``, on one page where a slightly smaller type makes it fit."""

    def make(scale: float) -> Pdf:
        running = tongue.t(FAMILY, "running", name=data.client.name,
                           date=tongue.date(data.session_date, "medium"))  # fmt: skip
        doc = ReportDocument(data.practice, title=tongue.t(FAMILY, "document_title"),
                             running=running, tongue=tongue)  # fmt: skip
        st = sheet_styles(scale)
        return render(doc, _story(data, tongue, st, doc.content_width))

    return fit_one_page(make)

"""The client's copy of the safety plan: the seven steps in large, calm type, the crisis
lines where they are found at once, lines to write on, and both signatures.

It is handed to a person at risk, so it reads as a letter, not a chart: the client's own
words under each step's plain question, phones in bold, and nothing the client did not
write with the clinician. The likelihood of use and the barriers are the clinician's
working notes and stay off this copy. A draft says so in words but carries no watermark:
a plan is often finished on paper and handed over the same day.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from mhsw_desktop.reports.base import (
    ACCENT,
    BOLD,
    CALM,
    FONT,
    INK,
    MUTED,
    RULE,
    KeepWithNext,
    PageMark,
    Pdf,
    ReportDocument,
    calm_box_style,
    layout_style,
    para,
    practice_block,
    render,
    styles,
    table_style,
)
from mhsw_desktop.reports.sharing import prepared_for_block
from mhsw_desktop.reports.tongue import ENGLISH_ONLY, Tongue
from mhsw_desktop.services.report_data import PracticeHeader, PreparedFor, local_time
from mhsw_desktop.services.safety_plans import (
    STEPS,
    Contact,
    SafetyPlanData,
    SafetyPlanView,
    Step,
    in_language,
)

TITLE = "My safety plan"
#: the texts of this document and of the wallet card (``resources/i18n/*/safety_plan.json``)
TEXTS = "safety_plan"
DRAFT_EDGE = colors.HexColor("#b7791f")
DRAFT_FILL = colors.HexColor("#fdf6e7")
#: the body type: large enough to read in distress, without looking like a poster
SIZE = 13.5
BADGE = 0.95 * cm
#: where the entries of a step start (under the step's question, right of its number)
INDENT = BADGE + 0.45 * cm
#: blank lines to write on under a step that holds nothing yet
BLANK_LINES = 3
#: a contact taller than this (points) may be split across pages; shorter ones never are
TALL_ROW = 9 * cm
#: how many contacts with a phone the crisis box at the top repeats from step 5
CRISIS_BOX_CONTACTS = 4

_body = ParagraphStyle(
    "sp-body", fontName=FONT, fontSize=SIZE, leading=SIZE * 1.35, textColor=INK
)  # fmt: skip
BODY = _body
ENTRY = ParagraphStyle("sp-entry", parent=_body, leftIndent=INDENT + 0.55 * cm,
                       bulletIndent=INDENT + 0.05 * cm, bulletFontName=FONT,
                       spaceAfter=4)  # fmt: skip
PROMPT = ParagraphStyle("sp-prompt", parent=_body, fontName=BOLD, fontSize=SIZE + 0.5,
                        leading=(SIZE + 0.5) * 1.3)  # fmt: skip
TITLE_STYLE = ParagraphStyle("sp-title", parent=_body, fontName=BOLD, fontSize=24, leading=30,
                             textColor=ACCENT, spaceAfter=2)  # fmt: skip
META = ParagraphStyle("sp-meta", parent=_body, fontSize=12, leading=16, textColor=MUTED)
NAME = ParagraphStyle("sp-name", parent=_body, spaceAfter=0)
PHONE = ParagraphStyle("sp-phone", parent=_body, fontName=BOLD, fontSize=SIZE + 1,
                       leading=(SIZE + 1) * 1.3, alignment=TA_RIGHT)  # fmt: skip
SMALL = ParagraphStyle("sp-small", parent=_body, fontSize=10, leading=13, textColor=MUTED)
NOTE = ParagraphStyle("sp-note", parent=_body, fontSize=11.5, leading=15, textColor=MUTED)
BOX_HEAD = ParagraphStyle("sp-box-head", parent=PROMPT, textColor=ACCENT)
NUMBER = ParagraphStyle("sp-number", parent=_body, fontName=BOLD, fontSize=15, leading=15,
                        textColor=colors.white, alignment=TA_CENTER)  # fmt: skip


def running_line(data: SafetyPlanData, tongue: Tongue = ENGLISH_ONLY) -> str:
    version = data.version
    return tongue.t(TEXTS, "running", name=data.client.name, number=version.version_number,
                    date=tongue.date(version.plan_date, "medium"))  # fmt: skip


class NumberBadge(Flowable):
    """A step's number in a filled circle."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number
        self.width = self.height = BADGE

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        return BADGE, BADGE

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setFillColor(ACCENT)
        canvas.circle(BADGE / 2, BADGE / 2, BADGE / 2, stroke=0, fill=1)
        canvas.setFillColor(colors.white)
        canvas.setFont(BOLD, 15)
        canvas.drawCentredString(BADGE / 2, BADGE / 2 - 5.3, str(self.number))
        canvas.restoreState()


# -- pieces ----------------------------------------------------------------------------
def _step_heading(step: Step, width: float, tongue: Tongue) -> Table:
    prompt = tongue.pair(TEXTS, f"step.{step.key}.prompt", size=SIZE - 1.5)
    table = Table(
        [[NumberBadge(step.number), Paragraph(prompt, PROMPT)]],
        colWidths=[INDENT, width - INDENT],
    )
    table.setStyle(
        layout_style(
            ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
        )
    )
    return table


def _contact_cell(contact: Contact, *, address: bool = True) -> Paragraph:
    text = f"<b>{para(contact.name)}</b>"
    for extra in (contact.organisation, contact.address if address else ""):
        if extra:
            text += f'<br/><font size="11.5" color="#52606d">{para(extra)}</font>'
    return Paragraph(text, NAME)


def _contact_rows(
    contacts: tuple[Contact, ...], name_w: float, phone_w: float, *, address: bool
) -> tuple[list[list[object]], bool]:
    """The name and phone cells of ``contacts``, and whether any row is too tall to be
    kept whole on a page."""
    rows: list[list[object]] = []
    tall = False
    for contact in contacts:
        name = _contact_cell(contact, address=address)
        phone = Paragraph(para(contact.phone), PHONE) if contact.phone else ""
        height = name.wrap(name_w - 12, TALL_ROW)[1]
        if isinstance(phone, Paragraph):
            height = max(height, phone.wrap(phone_w - 12, TALL_ROW)[1])
        tall = tall or height > TALL_ROW
        rows.append([name, phone])
    return rows, tall


def contact_table(
    contacts: tuple[Contact, ...],
    width: float,
    *,
    indent: float,
    shaded: bool = False,
) -> Table:
    """Name (and, for services, what they are and where) on the left; the phone, bold, on
    the right. A contact stays whole on its page (a phone torn from its name is no use)
    unless it is longer than a page could hold."""
    phone_w = min(5.2 * cm, (width - indent) * 0.4)
    name_w = width - indent - phone_w
    cells, tall = _contact_rows(contacts, name_w, phone_w, address=True)
    table = Table([["", *row] for row in cells], colWidths=[indent, name_w, phone_w],
                  hAlign="LEFT")  # fmt: skip
    table.splitInRow = int(tall)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 0),
        ("LEFTPADDING", (1, 0), (1, -1), 6),
        ("RIGHTPADDING", (1, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ("LINEBELOW", (1, 0), (-1, -2), 0.5, RULE),
    ]
    if shaded:
        style.append(("BACKGROUND", (1, 0), (-1, -1), CALM))
    table.setStyle(table_style(*style))
    return table


def blank_lines(step: Step, width: float, tongue: Tongue = ENGLISH_ONLY) -> Table:
    """Ruled lines to write on by hand (a name and a phone for people and services)."""
    if step.kind == "contacts":
        phone_w = (width - INDENT) * 0.35
        rows: list[list[object]] = [["", "", "", ""] for _ in range(BLANK_LINES)]
        name, phone = tongue.joined(TEXTS, "name"), tongue.joined(TEXTS, "phone")
        rows.append(["", Paragraph(name, SMALL), "", Paragraph(phone, SMALL)])
        widths = [INDENT, width - INDENT - phone_w - 0.6 * cm, 0.6 * cm, phone_w]
        lines = [("LINEBELOW", (1, r), (1, r), 0.6, RULE) for r in range(BLANK_LINES)]
        lines += [("LINEBELOW", (3, r), (3, r), 0.6, RULE) for r in range(BLANK_LINES)]
    else:
        rows = [["", ""] for _ in range(BLANK_LINES)]
        widths = [INDENT, width - INDENT]
        lines = [("LINEBELOW", (1, r), (1, r), 0.6, RULE) for r in range(BLANK_LINES)]
    heights = [0.95 * cm] * BLANK_LINES + ([None] if step.kind == "contacts" else [])
    table = Table(rows, colWidths=widths, rowHeights=heights, hAlign="LEFT")
    table.setStyle(
        table_style(
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 1),
            *lines,
        )
    )
    return table


def step_blocks(
    step: Step, version: SafetyPlanView, width: float, tongue: Tongue = ENGLISH_ONLY
) -> list[Flowable]:
    """One step: its number and question, then the entries (or lines to write on)."""
    entries = localised_step(version, step.key, tongue)
    gap = Spacer(1, 0.45 * cm)
    heading = _step_heading(step, width, tongue)
    if not entries:  # the lines to write on stay with their question, on one page
        return [KeepTogether([heading, blank_lines(step, width, tongue)]), gap]
    body: list[Flowable]
    if step.kind == "items":
        body = [Paragraph(para(text), ENTRY, bulletText="•") for text in entries]
    else:
        shaded = step.key == "professional_contacts"
        body = [contact_table(entries, width, indent=INDENT, shaded=shaded)]
    return [KeepWithNext([heading, body[0]]), *body[1:], gap]


def localised_step(version: SafetyPlanView, key: str, tongue: Tongue) -> tuple[Any, ...]:
    """A step's entries as written, except the default crisis lines nobody edited: those
    are given in the document's leading language."""
    entries = version.step(key)
    if key != "professional_contacts":
        return entries
    return tuple(in_language(contact, tongue.lead) for contact in entries)


def crisis_box(
    version: SafetyPlanView, width: float, tongue: Tongue = ENGLISH_ONLY
) -> list[Flowable]:
    """The first services of step 5 that have a phone, boxed at the top of the first page
    (what they are, without their addresses: those are in step 5)."""
    everything = localised_step(version, "professional_contacts", tongue)
    services = tuple(c for c in everything if c.phone)[:CRISIS_BOX_CONTACTS]
    if not services:
        return []
    phone_w = min(5.2 * cm, width * 0.4)
    cells, tall = _contact_rows(services, width - phone_w, phone_w, address=False)
    rows: list[list[object]] = [
        [Paragraph(tongue.pair(TEXTS, "crisis_box", size=SIZE - 1.5), BOX_HEAD), ""],
        *cells,
    ]
    if len(everything) > len(services):
        rows.append([Paragraph(tongue.pair(TEXTS, "more_in_step5", inline=True), NOTE), ""])
    box = Table(rows, colWidths=[width - phone_w, phone_w])
    box.splitInRow = int(tall)
    last_contact = len(services)
    note_row = [("SPAN", (0, -1), (-1, -1))] if len(rows) > last_contact + 1 else []
    box.setStyle(calm_box_style(*note_row, last_ruled=last_contact - 1))
    return [box, Spacer(1, 0.5 * cm)]


def draft_notice(width: float, tongue: Tongue = ENGLISH_ONLY) -> Flowable:
    box = Table(
        [[Paragraph(tongue.pair(TEXTS, "draft", size=SIZE - 2), BODY)]],
        colWidths=[width],
    )
    box.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 1, DRAFT_EDGE),
            ("BACKGROUND", (0, 0), (-1, -1), DRAFT_FILL),
            ("LEFTPADDING", (0, 0), (-1, -1), 0.25 * cm),
            ("TOPPADDING", (0, 0), (-1, -1), 0.15 * cm),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0.2 * cm),
        )
    )
    return box


def _signature_line(label: str, under: str, width: float, date_label: str = "Date") -> Table:
    """A ruled line to sign on, with a date line beside it."""
    table = Table(
        [["", "", ""],
         [Paragraph(para(label) + (f"<br/>{para(under)}" if under else ""), SMALL), "",
          Paragraph(para(date_label), SMALL)]],
        colWidths=[width * 0.6, width * 0.08, width * 0.32],
        rowHeights=[1.2 * cm, None],
    )  # fmt: skip
    table.setStyle(
        table_style(
            ("LINEBELOW", (0, 0), (0, 0), 0.8, INK),
            ("LINEBELOW", (2, 0), (2, 0), 0.8, INK),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 1), (-1, 1), 2),
        )
    )
    return table


def signature_blocks(
    version: SafetyPlanView,
    practice: PracticeHeader,
    width: float,
    tongue: Tongue = ENGLISH_ONLY,
) -> list[Flowable]:
    """The client's line (or the day they signed) and the clinician's signature as recorded
    when signed (or a line to sign on while it is a draft)."""
    out: list[Flowable] = [
        Paragraph(tongue.pair(TEXTS, "signatures", inline=True), BOX_HEAD),
        Spacer(1, 0.15 * cm),
    ]
    date_label = tongue.joined("common", "date")
    if version.client_signed_on is not None:
        when = version.client_signed_on
        out.append(Paragraph(tongue.pair(TEXTS, "signed_by_me", size=SIZE - 2, date=when), BODY))
    else:
        out.append(_signature_line(tongue.joined(TEXTS, "my_signature"), "", width, date_label))
    out.append(Spacer(1, 0.35 * cm))
    if version.signed_at is not None:
        who = ", ".join(p for p in (version.signer_name, version.signer_credentials) if p)
        when = local_time(version.signed_at).date()
        signed = tongue.pair(TEXTS, "signed_by_clinician", size=SIZE - 2, who=who, date=when)
        out.append(Paragraph(signed, BODY))
    else:
        who = ", ".join(p for p in (practice.practitioner_name, practice.credentials) if p)
        label = tongue.joined(TEXTS, "clinician_signature")
        out.append(_signature_line(label, who, width, date_label))
    return [KeepTogether(out)]


def _meta(data: SafetyPlanData, tongue: Tongue) -> str:
    version = data.version
    when = version.plan_date
    return tongue.pair(
        TEXTS, "meta", size=10, name=data.client.name, date=when, number=version.version_number
    )


# -- the document ----------------------------------------------------------------------
def build(
    data: SafetyPlanData,
    *,
    prepared_for: PreparedFor | None = None,
    tongue: Tongue = ENGLISH_ONLY,
) -> Pdf:
    """The client's copy in ``tongue``: its leading language, and for a bilingual copy the
    English under each heading and question (the client's own words appear once)."""
    version = data.version
    doc = ReportDocument(data.practice, title=tongue.t(TEXTS, "document_title"),
                         running=running_line(data, tongue), tongue=tongue)  # fmt: skip
    width = doc.content_width
    header_st = styles(1.1)
    story: list[Flowable] = [
        PageMark(titled=True),
        practice_block(data.practice, header_st, width, tongue),
        Spacer(1, 0.35 * cm),
        Paragraph(tongue.pair(TEXTS, "title", size=15), TITLE_STYLE),
        Paragraph(_meta(data, tongue), META),
        Spacer(1, 0.3 * cm),
        *prepared_for_block(prepared_for, header_st, width),
    ]
    if not version.signed:
        story += [draft_notice(width, tongue), Spacer(1, 0.3 * cm)]
    story += [
        Paragraph(tongue.pair(TEXTS, "intro", size=SIZE - 2), BODY),
        Spacer(1, 0.35 * cm),
        *crisis_box(version, width, tongue),
    ]
    for step in STEPS:
        story += step_blocks(step, version, width, tongue)
    story += [Spacer(1, 0.2 * cm), *signature_blocks(version, data.practice, width, tongue)]
    if version.content_hash:
        reference = tongue.t(TEXTS, "reference", ref=version.content_hash[:12])
        story += [Spacer(1, 0.4 * cm), Paragraph(para(reference), SMALL)]
    return render(doc, story)

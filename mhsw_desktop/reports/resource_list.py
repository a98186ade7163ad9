"""The list of community resources given to a client: for each service what it offers, its
hours, phone, address, website, the languages spoken there and who can use it, then the
crisis lines.

The entries are the directory's words, printed as typed; the labels, the intro and the
categories are in the document's language (a bilingual copy: the English under or after
them, quieter). Type is calm and large enough to read at a kitchen table, and an entry
is never split across pages unless it is longer than a page.
"""

from __future__ import annotations

from datetime import date

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table
from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import Category
from mhsw_desktop.domain.language import text
from mhsw_desktop.reports.base import (
    ACCENT,
    RULE,
    Pdf,
    ReportDocument,
    layout_style,
    para,
    render,
    table_style,
)
from mhsw_desktop.reports.make import Builder, ReportRequest
from mhsw_desktop.reports.next_steps import (
    SheetStyles,
    help_box,
    opening,
    sentence,
    sheet_styles,
)
from mhsw_desktop.reports.tongue import SECOND_COLOR, Tongue
from mhsw_desktop.services.client_documents import ResourceListData, resource_list_data
from mhsw_desktop.services.resources import ResourceRow

FAMILY = "resources"
#: the body type of the list (a little smaller than the next-steps sheet: there is more)
SIZE = 12.5


def prepare(
    session: Session, request: ReportRequest, tongue: Tongue
) -> tuple[Builder, set[Category]]:
    """The entries of ``request.resource_ids`` or of the client's open and recent
    referrals."""
    assert request.client_id is not None  # make.check() saw to it
    data = resource_list_data(session, request.client_id, request.resource_ids, tongue.lead)
    return (lambda _shared: build(data, tongue)), set()


def _categories(row: ResourceRow, tongue: Tongue) -> str:
    """ "Alimentos · Vivienda", then (bilingual) " / Food · Housing", quieter."""
    if not row.categories:
        return ""
    keys = [f"category.{category.value}" for category in row.categories]
    parts = list(dict.fromkeys(" · ".join(text(code, FAMILY, key) for key in keys)
                               for code in tongue.languages))  # fmt: skip
    rest = "".join(f' / <font color="{SECOND_COLOR}"><i>{part}</i></font>' for part in parts[1:])
    return parts[0] + rest


#: the fields of the left column (what it is) and of the right one (how to get there)
ABOUT = ("services", "eligibility", "languages", "website", "email")
REACH = ("phone", "hours", "address")


def _field(row: ResourceRow, name: str, tongue: Tongue, st: SheetStyles) -> list[Flowable]:
    """A field's label (a bilingual copy: "Horario / Hours") over its value, as typed."""
    value: str = getattr(row, name)
    if not value.strip():
        return []
    label = Paragraph(tongue.pair(FAMILY, f"label.{name}", inline=True), st.label)
    if name == "phone":
        shown = Paragraph(para(tongue.phone(value)), st.strong)
    else:
        shown = Paragraph(para(value), st.body)
    return [label, shown, Spacer(1, 0.16 * cm)]


def entry(
    row: ResourceRow, tongue: Tongue, st: SheetStyles, width: float, page_height: float
) -> list[Flowable]:
    """One service: its name and what kind of help it is, then what it offers on the left
    and how to reach it on the right (the fields it has); kept on one page unless it is
    longer than ``page_height``, when it starts where it is and runs on."""
    name_style = ParagraphStyle("rl-name", parent=st.strong, textColor=ACCENT, keepWithNext=1)
    parts: list[Flowable] = [Paragraph(para(row.name), name_style)]
    kinds = _categories(row, tongue)
    if kinds:
        parts.append(Paragraph(kinds, st.small))
    about = [f for name in ABOUT for f in _field(row, name, tongue, st)]
    reach = [f for name in REACH for f in _field(row, name, tongue, st)]
    if about or reach:
        gap = 0.6 * cm
        right_w = width * 0.4
        columns = Table([[about, "", reach]], colWidths=[width - right_w - gap, gap, right_w],
                        hAlign="LEFT")  # fmt: skip
        columns.splitInRow = 1  # only used when the entry is longer than a page
        columns.setStyle(layout_style())
        parts += [Spacer(1, 0.15 * cm), columns]
    rule = Table([[""]], colWidths=[width], rowHeights=[0.1 * cm])
    rule.setStyle(table_style(("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE)))
    parts += [rule, Spacer(1, 0.4 * cm)]
    height = sum(part.wrap(width, 10 * page_height)[1] for part in parts)
    return parts if height > page_height else [KeepTogether(parts)]


def _story(
    data: ResourceListData, tongue: Tongue, st: SheetStyles, width: float, page_height: float
) -> list[Flowable]:
    # the leading language only: it holds the client's name and a date, written once
    meta = tongue.t(FAMILY, "meta", name=para(data.client.name), date=tongue.date(date.today()))
    intro = "intro.chosen" if data.chosen else "intro.referred"
    story: list[Flowable] = [
        *opening(data.practice, tongue, FAMILY, meta, st, width),
        Spacer(1, 0.3 * cm),
        Paragraph(sentence(tongue, FAMILY, intro, st.body), st.body),
        Paragraph(sentence(tongue, FAMILY, "intro.call_ahead", st.body), st.body),
        Spacer(1, 0.45 * cm),
    ]
    for row in data.resources:
        story += entry(row, tongue, st, width, page_height)
    story += help_box(data.help, tongue, FAMILY, st, width)
    practice = data.practice
    reach = ", ".join(p for p in (practice.practice_name, tongue.phone(practice.phone)) if p)
    closing = [Paragraph(sentence(tongue, FAMILY, "questions", st.body), st.body)]
    if reach:
        closing.append(Paragraph(f"<b>{para(reach)}</b>", st.body))
    story += [Spacer(1, 0.35 * cm), KeepTogether(closing)]
    return story


def build(data: ResourceListData, tongue: Tongue) -> Pdf:
    """The list in ``tongue``."""
    running = tongue.t(FAMILY, "running", name=data.client.name,
                       date=tongue.date(date.today(), "medium"))  # fmt: skip
    doc = ReportDocument(data.practice, title=tongue.t(FAMILY, "document_title"),
                         running=running, tongue=tongue)  # fmt: skip
    st = sheet_styles(1.0, SIZE)
    return render(doc, _story(data, tongue, st, doc.content_width, float(doc.height)))

"""The session summary: one note with its practice header, client and signature (one page)."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer

from mhsw_desktop.reports.base import (
    Pdf,
    ReportDocument,
    Styles,
    day,
    facts_table,
    printed_line,
    render,
    styles,
)
from mhsw_desktop.reports.note_blocks import diagnoses_table, whole_note
from mhsw_desktop.reports.sharing import prepared_for_block
from mhsw_desktop.services.report_data import PreparedFor, SessionSummaryData

TITLE = "Session summary"


def _story(
    data: SessionSummaryData, st: Styles, doc: ReportDocument, shared: PreparedFor | None
) -> list[Flowable]:
    width = doc.content_width
    client = data.client
    running = (
        f"{TITLE}: {client.name}, born {day(client.data.date_of_birth)}, session "
        f"{day(data.note.session_date)}"
    )
    current = tuple(d for d in data.diagnoses if d.resolved_date is None)
    diagnoses: list[Flowable] = []
    if current:
        diagnoses = [Paragraph("Diagnoses", st.subheading), diagnoses_table(current, st, width)]
    story: list[Flowable] = [
        *doc.opening(st, TITLE, running),
        *prepared_for_block(shared, st, width),
        facts_table(
            [
                ("Client", client.name),
                ("Date of birth", day(client.data.date_of_birth)),
                ("Pronouns", client.data.pronouns),
            ],
            st,
            width,
        ),
        Paragraph(f"Client ID {client.id}", st.small),
        Spacer(1, 0.15 * cm),
        *whole_note(data.note, st, width, before_signature=diagnoses),
        Spacer(1, 0.2 * cm),
        printed_line(st),
    ]
    return story


def build(data: SessionSummaryData, *, prepared_for: PreparedFor | None = None) -> Pdf:
    return build_many([data], prepared_for=prepared_for)


def build_many(
    items: Sequence[SessionSummaryData], *, prepared_for: PreparedFor | None = None
) -> Pdf:
    """Several summaries in one PDF (today's batch), each starting on a new page."""
    if not items:
        raise ValueError("no session summaries to build")
    first = items[0]
    doc = ReportDocument(first.practice, title=TITLE if len(items) == 1 else "Session summaries")
    st = styles()
    story: list[Flowable] = []
    for index, item in enumerate(items):
        if index:
            story.append(PageBreak())
        story += _story(item, st, doc, prepared_for)
    return render(doc, story)

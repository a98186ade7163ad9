"""The caseload list: every client of a filter, with their last session and unsigned notes."""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer

from mhsw_desktop.reports.base import (
    Pdf,
    ReportDocument,
    day,
    grid,
    printed_line,
    render,
    styles,
)
from mhsw_desktop.services.report_data import CaseloadData

TITLE = "Caseload"
_FILTERS = {
    "current": "active and on hold",
    "active": "active",
    "on_hold": "on hold",
    "discharged": "discharged",
    "all": "all clients",
}


def build(data: CaseloadData) -> Pdf:
    which = _FILTERS.get(data.status_filter, data.status_filter)
    doc = ReportDocument(data.practice, title=TITLE, running=f"{TITLE} ({which})")
    st = styles()
    width = doc.content_width
    rows = [
        (
            line.client.display_name,
            day(line.client.date_of_birth),
            line.client.status.label,
            day(line.client.intake_date),
            day(line.last_session),
            str(line.sessions),
            str(line.unsigned) if line.unsigned else "",
        )
        for line in data.lines
    ]
    count = len(rows)
    story: list[Flowable] = [
        *doc.opening(st, f"{TITLE} ({which})"),
        Paragraph(f"{count} client{'s' if count != 1 else ''}.", st.body),
        printed_line(st),
        Spacer(1, 0.2 * cm),
    ]
    if rows:
        fractions = (0.3, 0.13, 0.12, 0.13, 0.13, 0.09, 0.1)
        story.append(
            grid(
                ("Client", "Born", "Status", "Intake", "Last session", "Notes", "Unsigned"),
                rows,
                st,
                [width * f for f in fractions],
            )
        )
    return render(doc, story)

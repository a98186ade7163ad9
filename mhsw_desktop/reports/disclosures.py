"""A client's accounting of disclosures: what was shared, with whom, when, under which release."""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer

from mhsw_desktop.reports.base import (
    Pdf,
    ReportDocument,
    day,
    facts_table,
    grid,
    printed_line,
    render,
    styles,
)
from mhsw_desktop.services.report_data import DisclosuresData

TITLE = "Accounting of disclosures"


def build(data: DisclosuresData) -> Pdf:
    client = data.client
    doc = ReportDocument(
        data.practice,
        title=TITLE,
        running=f"{TITLE}: {client.name}, born {day(client.data.date_of_birth)}",
    )
    st = styles()
    width = doc.content_width
    count = len(data.disclosures)
    story: list[Flowable] = [
        *doc.opening(st, TITLE),
        facts_table(
            [("Client", client.name), ("Date of birth", day(client.data.date_of_birth))],
            st,
            width,
        ),
        Paragraph(f"Client ID {client.id}", st.small),
        Spacer(1, 0.2 * cm),
        Paragraph(
            f"{count} disclosure{'s' if count != 1 else ''} recorded, oldest first."
            if count
            else "No disclosures have been recorded for this client.",
            st.body,
        ),
    ]
    if count:
        rows = [
            (
                day(d.disclosed_on),
                d.recipient_name
                + (f", {d.recipient_organisation}" if d.recipient_organisation else ""),
                d.what,
                ", ".join(c.label for c in d.categories),
                d.means.label,
                d.purpose,
            )
            for d in data.disclosures
        ]
        fractions = (0.12, 0.2, 0.17, 0.21, 0.1, 0.2)
        story.append(
            grid(
                ("Date", "To", "What", "Information", "By", "Purpose (release)"),
                rows,
                st,
                [width * f for f in fractions],
            )
        )
    story += [Spacer(1, 0.3 * cm), printed_line(st)]
    return render(doc, story)

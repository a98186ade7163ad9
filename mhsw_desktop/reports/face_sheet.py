"""The client face sheet: who the client is, how to reach them, diagnoses, what is open."""

from __future__ import annotations

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, Paragraph, Spacer

from mhsw_desktop.domain.language import describe
from mhsw_desktop.reports.base import (
    Pdf,
    ReportDocument,
    Styles,
    day,
    facts_table,
    grid,
    printed_line,
    render,
    section,
    styles,
)
from mhsw_desktop.reports.note_blocks import diagnoses_table
from mhsw_desktop.reports.sharing import prepared_for_block
from mhsw_desktop.services.report_data import FaceSheetData, PreparedFor

TITLE = "Client face sheet"


def running_line(title: str, data: FaceSheetData) -> str:
    client = data.client
    return f"{title}: {client.name}, born {day(client.data.date_of_birth)}, client ID {client.id}"


def face_blocks(
    data: FaceSheetData, st: Styles, width: float, *, internal: bool = True
) -> list[Flowable]:
    """The face sheet's body (also the first part of the full record).

    ``internal`` False (a copy for a collaborator) leaves out what is only the practice's
    own working information: "Important to know" and the open follow-ups.
    """
    person = data.client.data
    status = person.status.label
    if person.discharge_date:
        status += f" on {day(person.discharge_date)}"
    out: list[Flowable] = [
        facts_table(
            [
                ("Legal name", f"{person.legal_first_name} {person.legal_last_name}"),
                ("Preferred name", person.preferred_name),
                ("Date of birth", day(person.date_of_birth)),
                ("Pronouns", person.pronouns),
                ("Language", describe(person.preferred_language, person.interpreter_needed)),
                ("Status", status),
                ("Intake", day(person.intake_date)),
                ("Phone", person.phone),
                ("Email", person.email),
            ],
            st,
            width,
        ),
        Paragraph(f"Client ID {data.client.id}", st.small),
    ]
    contact = "  ".join(
        p for p in (person.emergency_contact_name, person.emergency_contact_phone) if p
    )
    for title, text in (
        ("Address", person.address),
        ("Emergency contact", contact),
        ("Reason for discharge", person.discharge_reason),
        ("Important to know", person.important_to_know if internal else ""),
    ):
        if text:
            out += section(title, text, st)
    out.append(Paragraph("Diagnoses", st.subheading))
    if data.diagnoses:
        out.append(diagnoses_table(data.diagnoses, st, width))
    else:
        out.append(Paragraph("None recorded.", st.body))
    sessions = f"{data.sessions} session note{'s' if data.sessions != 1 else ''}"
    if data.sessions:
        sessions += f", from {day(data.first_session)} to {day(data.last_session)}"
    if data.unsigned:
        sessions += f"; {data.unsigned} not yet signed"
    out += section("Sessions", sessions + ".", st)
    if data.open_tasks and internal:
        out.append(Paragraph("Open follow-ups", st.subheading))
        rows = [(day(t.due_date), t.title) for t in data.open_tasks]
        out.append(grid(("Due", "Follow-up"), rows, st, (width * 0.18, width * 0.82)))
    return out


def build(data: FaceSheetData, *, prepared_for: PreparedFor | None = None) -> Pdf:
    doc = ReportDocument(data.practice, title=TITLE, running=running_line(TITLE, data))
    st = styles()
    width = doc.content_width
    story: list[Flowable] = [
        *doc.opening(st, TITLE),
        *prepared_for_block(prepared_for, st, width),
        *face_blocks(data, st, width, internal=prepared_for is None),
        Spacer(1, 0.3 * cm),
        printed_line(st),
    ]
    return render(doc, story)

"""A note as printed: its facts, template sections, risk, plan, signature and addenda.

Shared by the session summary, the day's batch and the full record, so a note reads the
same wherever it is printed.
"""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from mhsw_desktop.reports.base import (
    RULE,
    SHADE,
    PageMark,
    Styles,
    clock,
    day,
    facts_table,
    grid,
    moment,
    para,
    section,
    table_style,
)
from mhsw_desktop.services.diagnoses import DiagnosisRow
from mhsw_desktop.services.report_data import NoteText, SignedBy


def session_facts(note: NoteText) -> list[tuple[str, str]]:
    duration = f"{note.duration_minutes} minutes" if note.duration_minutes else ""
    return [
        ("Session date", day(note.session_date)),
        ("Time", clock(note.start_time)),
        ("Duration", duration),
        ("Service", note.service_type),
        ("Location", note.location),
        ("Note format", note.template_name),
        ("Present", note.present),
    ]


def status_banner(note: NoteText, st: Styles) -> list[Flowable]:
    """DRAFT and late-entry labels, said in words as well as by the watermark."""
    out: list[Flowable] = []
    if note.is_draft:
        out.append(Paragraph("DRAFT: not signed. This note may still change.", st.banner))
    if note.late_entry:
        days = (note.written_on - note.session_date).days
        out.append(
            Paragraph(
                f"<b>Late entry:</b> written {day(note.written_on)}, {days} days after the "
                "session.",
                st.body,
            )
        )
    return out


def note_body(note: NoteText, st: Styles, width: float, *, compact: bool = False) -> list[Flowable]:
    """Sections in the template's order, then mental status, risk, interventions, plan."""
    out: list[Flowable] = []
    for title, text in note.sections:
        out += section(title, text, st)
    if note.mental_status and compact:
        out += section("Mental status", "; ".join(f"{k}: {v}" for k, v in note.mental_status), st)
    elif note.mental_status:
        out.append(Paragraph("Mental status", st.subheading))
        out.append(facts_table(note.mental_status, st, width, columns=1))
    if note.risk_level or note.risk_comment:
        level = note.risk_level or "Not rated"
        text = f"{level}. {note.risk_comment}" if note.risk_comment else level
        out += section("Risk", text, st)
    if note.interventions:
        out += section("Interventions", note.interventions, st)
    if note.plan and note.plan not in {text for _, text in note.sections}:
        titles = {title.casefold() for title, _ in note.sections}
        out += section("Follow-up plan" if "plan" in titles else "Plan", note.plan, st)
    if note.next_appointment is not None:
        out += section("Next appointment", f"{note.next_appointment:%Y-%m-%d %H:%M}", st)
    if note.homework:
        out += section("Between sessions (given to the client)", note.homework, st)
    if note.psychotherapy_note:
        out.append(_boxed(
            "Psychotherapy note (process note): included at the practitioner's request for "
            "this copy only",
            note.psychotherapy_note, st, width,
        ))  # fmt: skip
    return out


def _boxed(title: str, text: str, st: Styles, width: float) -> Flowable:
    table = Table(
        [[Paragraph(para(title), st.label)], [Paragraph(para(text), st.body)]],
        colWidths=[width],
    )
    table.setStyle(
        table_style(
            ("BOX", (0, 0), (-1, -1), 0.8, RULE),
            ("BACKGROUND", (0, 0), (-1, 0), SHADE),
            ("LEFTPADDING", (0, 0), (-1, -1), 5),
            ("RIGHTPADDING", (0, 0), (-1, -1), 5),
        )
    )
    return table


def signature_line(
    signed: SignedBy, st: Styles, *, what: str = "Electronically signed"
) -> list[Flowable]:
    who = ", ".join(p for p in (signed.name, signed.credentials) if p)
    licence = f", licence {signed.licence}" if signed.licence else ""
    return [
        Paragraph(
            f"<b>{para(what)} by {para(who)}</b>{para(licence)} "
            f"on {para(moment(signed.signed_at))}",
            st.body,
        ),
        Paragraph(f"Content hash (SHA-256): {para(signed.content_hash)}", st.small),
    ]


def signature_block(note: NoteText, st: Styles) -> list[Flowable]:
    """Who signed and when, with the hash that proves the text unchanged; addenda after."""
    out: list[Flowable] = [Spacer(1, 0.25 * cm)]
    if note.signed is None:
        out.append(
            Paragraph(
                "<b>Not signed.</b> This draft is not part of the legal record until it is signed.",
                st.body,
            )
        )
    else:
        out.append(KeepTogether(signature_line(note.signed, st)))
    for number, addendum in enumerate(note.addenda, start=1):
        out.append(
            KeepTogether(
                [
                    Paragraph(f"Addendum {number}", st.subheading),
                    Paragraph(para(addendum.text), st.body),
                    *signature_line(addendum.signed, st, what="Signed"),
                ]
            )
        )
    return out


def diagnoses_table(diagnoses: tuple[DiagnosisRow, ...], st: Styles, width: float) -> Flowable:
    rows = [
        (
            d.code,
            d.description,
            "Primary" if d.is_primary else "",
            day(d.onset_date),
            f"Resolved {day(d.resolved_date)}" if d.resolved_date else "Current",
        )
        for d in diagnoses
    ]
    widths = [width * f for f in (0.1, 0.5, 0.11, 0.14, 0.15)]
    return grid(("Code", "Diagnosis (ICD-10-CM)", "", "Onset", "Status"), rows, st, widths)


def whole_note(
    note: NoteText,
    st: Styles,
    width: float,
    *,
    heading: Flowable | None = None,
    before_signature: Sequence[Flowable] = (),
    compact: bool = False,
) -> list[Flowable]:
    """Everything a note prints, from the draft mark to its last addendum.

    ``compact`` gives the session's facts as one line instead of a table (the full
    record, where a hundred tables would cost seconds).
    """
    facts = session_facts(note)
    if compact:
        line = " · ".join(f"{label}: {value}" for label, value in facts if value)
        summary: Flowable = Paragraph(para(line), st.small)
    else:
        summary = facts_table(facts, st, width)
    opening = [
        *([heading] if heading is not None else []),
        summary,
        *status_banner(note, st),
        Spacer(1, 0.15 * cm),
    ]
    for flowable in opening:  # the note's opening lines stay with the start of its text
        flowable.keepWithNext = 1
    return [
        PageMark(draft=note.is_draft),
        *opening,
        *note_body(note, st, width, compact=compact),
        *before_signature,
        *signature_block(note, st),
    ]

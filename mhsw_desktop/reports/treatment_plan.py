"""The printed treatment plan: problems, goals, objectives and interventions of the current
version, its review date, the practitioner's signature and a line for the client's."""

from __future__ import annotations

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table

from mhsw_desktop.domain.measure_defs import definition
from mhsw_desktop.reports.base import (
    RULE,
    KeepWithNext,
    PageMark,
    Pdf,
    ReportDocument,
    Styles,
    day,
    facts_table,
    grid,
    moment,
    para,
    printed_line,
    render,
    section,
    styles,
    table_style,
)
from mhsw_desktop.reports.sharing import prepared_for_block
from mhsw_desktop.services.report_data import PreparedFor
from mhsw_desktop.services.treatment_plans import GoalView, TreatmentPlanData, VersionView

TITLE = "Treatment plan"
#: a description longer than this goes under its heading, not into it (a heading must fit
#: on a page: it is kept with what follows)
HEADING_CHARS = 240


def measure_name(kind: str) -> str:
    """ "PHQ-9" for "phq9"; an unknown kind as it was written."""
    try:
        return definition(kind).name
    except (KeyError, ValueError, LookupError):
        return kind.upper()


def running_line(data: TreatmentPlanData) -> str:
    client = data.client
    return (
        f"{TITLE}, version {data.version.version_number}: {client.name}, born "
        f"{day(client.data.date_of_birth)}, client ID {client.id}"
    )


def _status(version: VersionView) -> str:
    if version.signed:
        return "Signed"
    return "Draft (not signed)"


def _review(data: TreatmentPlanData) -> str:
    text = day(data.version.due_for_review)
    if data.review_overdue:
        text += " (review overdue)"
    return text


def _heading(label: str, text: str, style: ParagraphStyle, st: Styles) -> list[Flowable]:
    """ "Goal 1.1: text" as a heading, or "Goal 1.1" with a long text under it."""
    if len(text) <= HEADING_CHARS:
        return [Paragraph(f"{para(label)}: {para(text)}", style)]
    return [Paragraph(para(label), style), Paragraph(para(text), st.body)]


def _rows_split(table: Table) -> Table:
    """A row taller than a page (a very long objective) splits across pages."""
    table.splitInRow = 1
    return table


def _goal_blocks(number: str, goal: GoalView, st: Styles, width: float) -> list[Flowable]:
    measured = ""
    if goal.measure_kind:
        measured = f"Measured by {measure_name(goal.measure_kind)}"
        if goal.target_score is not None:
            measured += f", target {goal.target_score} or below"
    facts = " · ".join(p for p in (f"Status: {goal.status.label}", measured) if p)
    head: list[Flowable] = [
        *_heading(f"Goal {number}", goal.description, st.subheading, st),
        Paragraph(para(facts), st.small),
    ]
    out: list[Flowable] = []
    numbers = {o.id: f"{number}.{i}" for i, o in enumerate(goal.objectives, start=1)}
    if goal.objectives:
        rows = [
            (numbers[o.id], o.description, day(o.target_date) or "No date", o.status.label)
            for o in goal.objectives
        ]
        out.append(
            _rows_split(
                grid(
                    ("", "Objective", "Target date", "Status"),
                    rows,
                    st,
                    (width * 0.08, width * 0.6, width * 0.15, width * 0.17),
                )
            )
        )
    else:
        out.append(Paragraph("No objectives yet.", st.body))
    if goal.interventions:
        out.append(Spacer(1, 0.1 * cm))
        rows = [
            (
                i.description,
                i.responsible,
                i.frequency,
                numbers.get(i.objective_id, "") if i.objective_id else "",
            )
            for i in goal.interventions
        ]
        out.append(
            _rows_split(
                grid(
                    ("Intervention", "Who is responsible", "How often", "Objective"),
                    rows,
                    st,
                    (width * 0.5, width * 0.2, width * 0.18, width * 0.12),
                )
            )
        )
    return [KeepWithNext([*head, out[0]]), *out[1:], Spacer(1, 0.15 * cm)]


def plan_blocks(data: TreatmentPlanData, st: Styles, width: float) -> list[Flowable]:
    version = data.version
    out: list[Flowable] = []
    if version.summary:
        out += section("Summary", version.summary, st)
    if not version.problems:
        out.append(Paragraph("No problems have been written into this plan yet.", st.body))
    for p_index, problem in enumerate(version.problems, start=1):
        out += _heading(f"Problem {p_index}", problem.description, st.heading, st)
        if problem.diagnosis:
            out.append(Paragraph(f"Related diagnosis: {para(problem.diagnosis)}", st.small))
        if not problem.goals:
            out.append(Paragraph("No goals yet.", st.body))
        for g_index, goal in enumerate(problem.goals, start=1):
            out += _goal_blocks(f"{p_index}.{g_index}", goal, st, width)
    return out


def signature_blocks(version: VersionView, st: Styles, width: float) -> list[Flowable]:
    """The practitioner's electronic signature (or "not signed") and the client's line."""
    out: list[Flowable] = [Spacer(1, 0.4 * cm), Paragraph("Signatures", st.heading)]
    if version.signed:
        who = ", ".join(p for p in (version.signer_name, version.signer_credentials) if p)
        licence = f", licence {version.signer_licence}" if version.signer_licence else ""
        practitioner: list[Flowable] = [
            Paragraph(
                f"<b>Electronically signed by {para(who)}</b>{para(licence)} "
                f"on {para(moment(version.signed_at))}",
                st.body,
            ),
            Paragraph(f"Content hash (SHA-256): {para(version.content_hash)}", st.small),
        ]
    else:
        practitioner = [
            Paragraph(
                "<b>Not signed.</b> This draft is not part of the legal record until it is signed.",
                st.body,
            )
        ]
    out.append(KeepTogether(practitioner))
    out.append(Spacer(1, 0.5 * cm))
    if version.client_signed_on is not None:
        client: list[Flowable] = [
            Paragraph(
                "<b>Client signature:</b> signed by the client on "
                f"{day(version.client_signed_on)}.",
                st.body,
            )
        ]
    else:
        line = Table(
            [["", "", ""], [Paragraph("Client signature", st.small), "",
                            Paragraph("Date", st.small)]],
            colWidths=[width * 0.6, width * 0.08, width * 0.32],
            rowHeights=[0.9 * cm, None],
        )  # fmt: skip
        line.setStyle(
            table_style(
                ("LINEBELOW", (0, 0), (0, 0), 0.8, RULE),
                ("LINEBELOW", (2, 0), (2, 0), 0.8, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            )
        )
        client = [
            Paragraph(
                "I took part in writing this plan and agree with it.",
                st.body,
            ),
            line,
        ]
    out.append(KeepTogether(client))
    return out


def build(data: TreatmentPlanData, *, prepared_for: PreparedFor | None = None) -> Pdf:
    version = data.version
    doc = ReportDocument(data.practice, title=TITLE, running=running_line(data))
    st = styles()
    width = doc.content_width
    client = data.client
    story: list[Flowable] = [
        *doc.opening(st, TITLE),
        PageMark(draft=not version.signed),
        *prepared_for_block(prepared_for, st, width),
    ]
    if not version.signed:
        story.append(Paragraph("DRAFT: not signed. This plan may still change.", st.banner))
    story += [
        facts_table(
            [
                ("Client", client.name),
                ("Date of birth", day(client.data.date_of_birth)),
                ("Version", str(version.version_number)),
                ("Status", _status(version)),
                ("Plan date", day(version.plan_date)),
                ("Review by", _review(data)),
            ],
            st,
            width,
        ),
        Paragraph(f"Client ID {client.id}", st.small),
        Spacer(1, 0.15 * cm),
        *plan_blocks(data, st, width),
        *signature_blocks(version, st, width),
        Spacer(1, 0.3 * cm),
        printed_line(st),
    ]
    return render(doc, story)

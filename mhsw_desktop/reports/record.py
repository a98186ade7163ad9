"""The full record of one client: face sheet, every note with its addenda, follow-ups.

A table of contents on the first page and PDF bookmarks lead to each part and each note.
Notes entered in error are not in it; psychotherapy notes only when asked for.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from reportlab.lib.units import cm
from reportlab.platypus import Flowable, PageBreak, Paragraph, Spacer
from reportlab.platypus.tableofcontents import TableOfContents

from mhsw_desktop.reports.base import (
    Invisible,
    PageMark,
    Pdf,
    ReportDocument,
    Styles,
    day,
    facts_table,
    grid,
    para,
    printed_line,
    render,
    styles,
    table_style,
)
from mhsw_desktop.reports.face_sheet import face_blocks, running_line
from mhsw_desktop.reports.note_blocks import whole_note
from mhsw_desktop.reports.sharing import prepared_for_block
from mhsw_desktop.services.report_data import NoteText, PreparedFor, RecordData

TITLE = "Clinical record"


class _Heading(Paragraph):
    """A heading that goes into the contents and the PDF outline at ``level``."""

    def __init__(self, text: str, style: Any, level: int, key: str) -> None:
        super().__init__(para(text), style)
        self.toc_text = text
        self.level = level
        self.key = key


class RecordDocument(ReportDocument):
    def afterFlowable(self, flowable: Flowable) -> None:
        super().afterFlowable(flowable)
        if isinstance(flowable, _Heading):
            self.canv.bookmarkPage(flowable.key)
            self.canv.addOutlineEntry(
                flowable.toc_text, flowable.key, level=flowable.level, closed=flowable.level > 0
            )
            self.notify(
                "TOCEntry", (flowable.level, para(flowable.toc_text), self.page, flowable.key)
            )


def _note_heading(note: NoteText) -> str:
    parts = [day(note.session_date), note.template_name, note.service_type]
    if note.is_draft:
        parts.append("DRAFT")
    return " · ".join(parts)


def build(
    data: RecordData,
    progress: Callable[[int, int], None] | None = None,
    *,
    prepared_for: PreparedFor | None = None,
) -> Pdf:
    """The record as PDF; ``progress(done, total)`` follows the notes laid out (first pass)."""
    face = data.face
    doc = RecordDocument(face.practice, title=TITLE, running=running_line(TITLE, face))
    st = styles()
    width = doc.content_width
    toc = TableOfContents(dotsMinLevel=0, tableStyle=table_style())
    toc.levelStyles = [_toc_style(st, 0), _toc_style(st, 1)]
    headings = [
        (0, "1. Client", "client"),
        (0, f"2. Session notes ({len(data.notes)})", "notes"),
        *((1, _note_heading(note), f"note-{note.id}") for note in data.notes),
        *([(0, "3. Follow-ups", "tasks")] if prepared_for is None else []),
    ]
    # Placeholders as tall as the real contents: the first pass then lays every page out
    # where it will stay, and the second only fills in the numbers (two passes, not three).
    toc.addEntries([(level, para(text), 999, key) for level, text, key in headings])
    counter = _Counter(progress, 2 * len(data.notes))
    private = (
        "Psychotherapy (process) notes are included in this copy at the practitioner's request."
        if data.psychotherapy_included
        else "Psychotherapy (process) notes are not part of this record and are not included."
    )
    story: list[Flowable] = [
        *doc.opening(st, TITLE),
        *prepared_for_block(prepared_for, st, width),
        facts_table(
            [
                ("Client", face.client.name),
                ("Date of birth", day(face.client.data.date_of_birth)),
                ("Notes", str(len(data.notes))),
                ("Status", face.client.data.status.label),
            ],
            st,
            width,
        ),
        Paragraph(para(private), st.small),
        printed_line(st),
        Spacer(1, 0.3 * cm),
        Paragraph("Contents", st.heading),
        toc,
        PageBreak(),
        _Heading("1. Client", st.heading, 0, "client"),
        *face_blocks(face, st, width, internal=prepared_for is None),
        PageBreak(),
        _Heading(f"2. Session notes ({len(data.notes)})", st.heading, 0, "notes"),
    ]
    if not data.notes:
        story.append(Paragraph("No session notes.", st.body))
    for note in data.notes:
        heading = _Heading(_note_heading(note), st.subheading, 1, f"note-{note.id}")
        story += whole_note(note, st, width, heading=heading, compact=True)
        story.append(_Progress(counter))
        story.append(Spacer(1, 0.4 * cm))
    story.append(PageMark(draft=False))
    if prepared_for is None:  # the practice's own working list: not for collaborators
        story.append(_Heading("3. Follow-ups", st.heading, 0, "tasks"))
        if data.tasks:
            rows = [(day(t.due_date), t.title, "Done" if t.done else "Open") for t in data.tasks]
            widths = (width * 0.16, width * 0.7, width * 0.14)
            story.append(grid(("Due", "Follow-up", ""), rows, st, widths))
        else:
            story.append(Paragraph("None.", st.body))
    story += [Spacer(1, 0.5 * cm), Paragraph("End of record.", st.small)]
    return render(doc, story, multi_pass=True)


def _toc_style(st: Styles, level: int) -> Any:
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        f"toc{level}",
        parent=st.body,
        fontName=st.subheading.fontName if level == 0 else st.body.fontName,
        leftIndent=level * 14,
        firstLineIndent=0,
        spaceBefore=3 if level == 0 else 0,
        spaceAfter=0,
    )


class _Counter:
    """Counts notes laid out over both passes and tells ``callback`` (done, total)."""

    def __init__(self, callback: Callable[[int, int], None] | None, total: int) -> None:
        self.callback = callback
        self.total = total
        self.done = 0

    def step(self) -> None:
        self.done += 1
        if self.callback is not None:
            self.callback(min(self.done, self.total), self.total)


class _Progress(Invisible):
    """One more note laid out."""

    def __init__(self, counter: _Counter) -> None:
        super().__init__()
        self.counter = counter

    def draw(self) -> None:
        self.counter.step()

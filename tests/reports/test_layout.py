"""How reports fall onto pages: the DRAFT watermark, page numbers, the running line, breaks.

Built from plain report data (no vault), so many layouts are cheap to try.
"""

from __future__ import annotations

import io
import re
import uuid
from datetime import date, datetime, time

import pytest
from pypdf import PdfReader
from reportlab.platypus import KeepTogether, Paragraph, Spacer

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.reports import record, session_summary
from mhsw_desktop.reports.base import MARGIN, PageMark, ReportDocument, render, styles
from mhsw_desktop.services import report_data as rd

PRACTICE = rd.PracticeHeader(
    "Harbor Lane Counseling", "Avery Lindqvist", "LCSW", "LIC-SYN-123", "12 Mill St", "555-0142"
)
SIGNED = rd.SignedBy("Avery Lindqvist", "LCSW", "LIC-SYN-123", datetime(2024, 1, 1, 12), "ab" * 32)


def client(first: str = "Ana", last: str = "Silva") -> rd.ClientFacts:
    return rd.ClientFacts(uuid.uuid4(), ClientInput(first, last, date(1980, 1, 1)))


def note(text: str, *, draft: bool = False, day: date = date(2024, 1, 1)) -> rd.NoteText:
    return rd.NoteText(
        id=uuid.uuid4(), session_date=day, start_time=time(9), duration_minutes=50,
        service_type="Individual", location="Office", present="", template_name="SOAP",
        sections=(("Subjective", text),), mental_status=(), risk_level="", risk_comment="",
        interventions="", plan="", next_appointment=None, late_entry=False, written_on=day,
        signed=None if draft else SIGNED, addenda=(),
    )  # fmt: skip


def record_pdf(notes: tuple[rd.NoteText, ...]) -> bytes:
    face = rd.FaceSheetData(PRACTICE, client(), (), (), len(notes), None, None, 0)
    return record.build(rd.RecordData(face, notes, ())).data


def pages_of(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def watermarked(page_text: str) -> bool:
    """The watermark is the only "DRAFT" on a page whose own text avoids the word."""
    return "DRAFT" in page_text


# -- the DRAFT watermark ------------------------------------------------------------------------
def test_a_draft_mark_moves_with_the_block_it_marks() -> None:
    """A draft whose heading cannot start at the foot of a page begins on the next one:
    the page it leaves holds only signed text and must not be watermarked."""
    doc = ReportDocument(PRACTICE, title="Test")
    st = styles()
    story = [
        PageMark(titled=True),
        Paragraph("Signed text only.", st.body),
        Spacer(1, doc.height - 60),
        PageMark(draft=True),
        KeepTogether([Paragraph("Unsigned heading", st.subheading),
                      Paragraph("unsigned words " * 200, st.body)]),
        PageMark(draft=False),
        Paragraph("Signed again.", st.body),
    ]  # fmt: skip
    pages = pages_of(render(doc, story).data)
    assert len(pages) >= 2
    assert "Signed text only." in pages[0] and "Unsigned heading" not in pages[0]
    assert not watermarked(pages[0])
    assert "Unsigned heading" in pages[1] and watermarked(pages[1])


#: what shows a draft note on a page: its heading, its text, its banner, its signature line
DRAFT_SIGNS = ("· DRAFT", "UNSIGNEDB", "DRAFT: not signed", "Not signed.")


def test_in_the_record_only_pages_showing_a_draft_are_watermarked() -> None:
    """A signed note of every length before a draft: whatever falls where, a page carries
    the watermark exactly when it shows some of the draft."""
    wrong = []
    for words in range(560, 880, 12):
        notes = (
            note("SIGNEDA " + "word " * words),
            note("UNSIGNEDB " + "word " * 40, draft=True),
            note("SIGNEDC " + "word " * 50),
        )
        for number, text in enumerate(pages_of(record_pdf(notes)), start=1):
            if "Contents" in text:  # the contents name the draft too
                continue
            shows_draft = any(part in text for part in DRAFT_SIGNS)
            if watermarked(text.replace("· DRAFT", "")) != shows_draft:
                wrong.append((words, number, shows_draft))
    assert wrong == []


# -- page numbers -------------------------------------------------------------------------------
def test_each_summary_of_a_batch_numbers_its_own_pages() -> None:
    """Each summary goes into its own client's chart: "Page 1 of 2", not "Page 1 of 3"."""
    long_one = rd.SessionSummaryData(PRACTICE, client(), note("word " * 1500), ())
    short_one = rd.SessionSummaryData(PRACTICE, client("Bo", "Berg"), note("Short."), ())
    pages = pages_of(session_summary.build_many([long_one, short_one]).data)
    footers = [re.findall(r"Page (\d+) of (\d+)", text)[-1] for text in pages]
    first = len(pages) - 1  # the long summary's pages; the short one fills the last
    assert first >= 2
    assert footers == [(str(n), str(first)) for n in range(1, first + 1)] + [("1", "1")]
    assert "Berg" in pages[-1] and "Berg" not in pages[-2]


# -- the running line ---------------------------------------------------------------------------
def test_the_running_line_stays_inside_the_margins() -> None:
    """A long name is cut short with an ellipsis instead of running off the page."""
    import pypdfium2 as pdfium

    data = rd.SessionSummaryData(
        PRACTICE, client("W" * 100, "Nguyễn-Muñoz" + "M" * 80), note("word " * 1500), ()
    )
    pdf = session_summary.build(data).data
    running = pages_of(pdf)[1].splitlines()
    assert any(line.startswith("Session summary: WWW") and line.endswith("…") for line in running)
    page = pdfium.PdfDocument(pdf)[1]
    image = page.render(scale=2).to_pil().convert("L")  # 2 pixels per point
    width, _height = image.size
    right_margin = image.crop((width - int(MARGIN * 2) + 4, 0, width, int(MARGIN * 2)))
    assert right_margin.getextrema()[0] > 240  # nothing drawn in the right margin


# -- page breaks --------------------------------------------------------------------------------
def test_a_long_first_section_starts_on_the_first_page() -> None:
    """A heading kept with a long section does not push it all to page 2 (leaving page 1
    nearly blank); it starts under the session facts and runs on."""
    text = " ".join(f"w{n:05d}" for n in range(1500))
    data = rd.SessionSummaryData(PRACTICE, client(), note(text), ())
    pages = pages_of(session_summary.build(data).data)
    assert "Subjective" in pages[0] and "w00000" in pages[0]


def test_the_records_contents_start_on_its_first_page() -> None:
    notes = tuple(note(f"Session {n}.") for n in range(100))
    pages = pages_of(record_pdf(notes))
    assert "Contents" in pages[0] and "1. Client" in pages[0]


@pytest.mark.parametrize("words", [300, 400, 500])
def test_a_note_heading_is_never_left_alone_at_the_foot_of_a_page(words: int) -> None:
    notes = tuple(note(f"N{n} " + "word " * (words + 37 * n), day=date(2024, 1, 1 + n))
                  for n in range(8))  # fmt: skip
    for text in pages_of(record_pdf(notes))[2:]:
        body = [line for line in text.splitlines() if line.strip()]
        body = [
            line
            for line in body
            if not line.startswith(("Confidential", "Page ", "Clinical record:"))
        ]
        last = body[-1] if body else ""
        assert not re.match(r"\d{4}-\d\d-\d\d · SOAP", last), last
        assert not last.startswith("Session date:"), last

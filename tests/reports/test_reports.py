"""Reports read back as a reader would: the right text in the right order, nothing private."""

from __future__ import annotations

import io
import re
import tempfile
import uuid
from dataclasses import replace
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.errors import FileNotDecryptedError

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.note import Location, RiskLevel, ServiceType
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.reports import KINDS, NOT_YET
from mhsw_desktop.reports.make import ReportRequest, ReportUnavailable, make_report
from mhsw_desktop.reports.protect import protect
from mhsw_desktop.services import notes
from mhsw_desktop.services.clients import add_client, discharge_client
from mhsw_desktop.services.diagnoses import DiagnosisInput, add_diagnosis
from mhsw_desktop.services.practitioner import PractitionerInput, Signer, save_practitioner
from mhsw_desktop.services.report_data import NoteInErrorError
from mhsw_desktop.services.tasks import TaskInput, add_task
from mhsw_desktop.vault.vault import Vault

TODAY = date.today()
DAY = TODAY - timedelta(days=1)
SIGNER = Signer("Avery Lindqvist", "LCSW", "LIC-SYN-123")
PRIVATE = "Countertransference: reminded me of my own father."
SOAP = {
    "subjective": "Client reported poor sleep since the move.",
    "objective": "Tearful; oriented x3.",
    "assessment": "Depressive symptoms persist.",
    "plan": "Weekly sessions; thought record.",
}


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces made single spaces."""
    return re.sub(r"\s+", " ", text)


def in_order(text: str, *parts: str) -> bool:
    at = 0
    for part in parts:
        found = text.find(part, at)
        if found < 0:
            return False
        at = found + len(part)
    return True


@pytest.fixture
def client_id(vault: Vault) -> uuid.UUID:
    with vault.unit_of_work() as session:
        save_practitioner(
            session,
            PractitionerInput(
                name="Avery Lindqvist", credentials="LCSW", licence_number="LIC-SYN-123",
                practice_name="Harbor Lane Counseling", address="12 Mill St\nRiverbend, VT",
                phone="(802) 555-0142",
            ),
        )  # fmt: skip
        cid = add_client(
            session,
            ClientInput("Søren", "Nguyễn-Muñoz", date(1990, 2, 3), preferred_name="Sø",
                        pronouns="he/him", intake_date=date(2024, 1, 2)),
        )  # fmt: skip
        add_diagnosis(session, cid, DiagnosisInput("F33.1", is_primary=True))
    return cid


def write_note(
    vault: Vault,
    client_id: uuid.UUID,
    *,
    sign: bool = True,
    day: date = DAY,
    start: time | None = time(10, 0),
    **changes: object,
) -> uuid.UUID:
    data = notes.NoteInput(
        client_id=client_id, session_date=day, template_key="soap", sections=dict(SOAP),
        start_time=start, duration_minutes=50, service_type=ServiceType.INDIVIDUAL,
        location=Location.OFFICE, risk_level=RiskLevel.LOW, risk_comment="Denies SI.",
        plan="Weekly; next session Tuesday.", psychotherapy_note=PRIVATE,
    )  # fmt: skip
    data = replace(data, **changes)  # type: ignore[arg-type]
    with vault.unit_of_work() as session:
        note_id = notes.create_draft(session, data)
        if sign:
            notes.sign_note(session, note_id, SIGNER)
    return note_id


def report(vault: Vault, request: ReportRequest) -> tuple[str, int, bytes]:
    with vault.session() as session:
        pdf = make_report(session, request)
    assert pdf.data.startswith(b"%PDF-")
    assert len(PdfReader(io.BytesIO(pdf.data)).pages) == pdf.pages
    return flat(text_of(pdf.data)), pdf.pages, pdf.data


# -- the session summary ---------------------------------------------------------------------
def test_session_summary_reads_in_order_on_one_page(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = write_note(vault, client_id)
    text, pages, _ = report(vault, ReportRequest("session-summary", client_id, note_id))
    assert pages == 1
    assert in_order(
        text,
        "Harbor Lane Counseling", "Avery Lindqvist, LCSW", "Licence LIC-SYN-123",
        "Session summary", "Søren “Sø” Nguyễn-Muñoz", "1990-02-03",
        f"Client ID {client_id}", DAY.isoformat(), "10:00", "50 minutes", "Individual",
        "Office", "SOAP",
        "Subjective", SOAP["subjective"], "Objective", SOAP["objective"],
        "Assessment", SOAP["assessment"], "Plan", SOAP["plan"],
        "Risk", "Low. Denies SI.", "Follow-up plan", "Weekly; next session Tuesday.",
        "Diagnoses", "F33.1", "Electronically signed by Avery Lindqvist, LCSW",
        "licence LIC-SYN-123", "Content hash (SHA-256)",
        "Confidential", "Page 1 of 1",
    )  # fmt: skip
    assert "DRAFT" not in text
    with vault.session() as session:
        assert notes.get_note(session, note_id).content_hash in text


def test_psychotherapy_note_only_when_asked_for(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = write_note(vault, client_id)
    for kind in ("session-summary", "record"):
        plain, _, _ = report(vault, ReportRequest(kind, client_id, note_id))
        assert "Countertransference" not in plain
        asked, _, _ = report(
            vault, ReportRequest(kind, client_id, note_id, include_psychotherapy=True)
        )
        assert flat(PRIVATE) in asked
        assert "included at the practitioner's request" in asked


def test_unsigned_note_says_draft(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = write_note(vault, client_id, sign=False)
    text, _, _ = report(vault, ReportRequest("session-summary", client_id, note_id))
    assert "DRAFT: not signed" in text
    assert "Electronically signed" not in text
    # the watermark is drawn as well as said
    assert text.count("DRAFT") >= 2


def test_addenda_print_under_the_signature(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = write_note(vault, client_id)
    with vault.unit_of_work() as session:
        notes.add_addendum(session, note_id, "Client called to add: slept better Friday.", SIGNER)
    text, _, _ = report(vault, ReportRequest("session-summary", client_id, note_id))
    assert in_order(
        text, "Electronically signed", "Addendum 1", "slept better Friday.", "Signed by"
    )


def test_late_entry_is_labelled(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = write_note(vault, client_id, day=TODAY - timedelta(days=9))
    text, _, _ = report(vault, ReportRequest("session-summary", client_id, note_id))
    assert f"Late entry: written {TODAY.isoformat()}, 9 days after the session." in text


def test_note_entered_in_error_never_prints(vault: Vault, client_id: uuid.UUID) -> None:
    kept = write_note(vault, client_id, sections={**SOAP, "subjective": "Kept note."})
    wrong = write_note(vault, client_id, sections={**SOAP, "subjective": "Wrong chart note."})
    with vault.unit_of_work() as session:
        notes.mark_entered_in_error(session, wrong, "Wrong client's chart.")
    with vault.session() as session, pytest.raises(NoteInErrorError):
        make_report(session, ReportRequest("session-summary", client_id, wrong))
    for kind in ("record", "face-sheet"):
        text, _, _ = report(vault, ReportRequest(kind, client_id))
        assert "Wrong chart note" not in text
    latest, _, _ = report(vault, ReportRequest("session-summary", client_id))
    assert "Kept note." in latest
    assert kept


HOSTILE = [
    "said <sigh> often",
    "A&O x3 & calm",
    "<img src='/etc/passwd'/> stays text",
    "unbalanced <b bold",
    "entity &amp; &lt;literal&gt;",
    "<para>not a tag</para>",
    "tab\there and\r\nwindows line",
    "zero\u200bwidth and bidi \u202eoverride",
]


@pytest.mark.parametrize("hostile", HOSTILE)
def test_hostile_text_prints_literally(vault: Vault, client_id: uuid.UUID, hostile: str) -> None:
    note_id = write_note(vault, client_id, sections={**SOAP, "subjective": hostile})
    text, _, _ = report(vault, ReportRequest("session-summary", client_id, note_id))
    expected = hostile.replace("\t", " ").replace("\r\n", " ")
    expected = expected.replace("\u200b", "").replace("\u202e", "")
    assert flat(expected) in text


def test_unknown_note_and_other_clients_note_are_refused(
    vault: Vault, client_id: uuid.UUID
) -> None:
    note_id = write_note(vault, client_id)
    with vault.unit_of_work() as session:
        other = add_client(session, ClientInput("Ana", "Silva", date(1980, 1, 1)))
    with vault.session() as session:
        with pytest.raises(NotFoundError, match="another client"):
            make_report(session, ReportRequest("session-summary", other, note_id))
        with pytest.raises(NotFoundError):
            make_report(session, ReportRequest("session-summary", client_id, uuid.uuid4()))
        with pytest.raises(NotFoundError, match="no session notes"):
            make_report(session, ReportRequest("session-summary", other))
        with pytest.raises(ValidationError, match="client"):
            make_report(session, ReportRequest("face-sheet"))


def test_todays_batch_one_summary_per_page_in_session_order(
    vault: Vault, client_id: uuid.UUID
) -> None:
    with vault.unit_of_work() as session:
        second = add_client(session, ClientInput("Ingrid", "Ågren", date(1975, 5, 5)))
    write_note(
        vault, second, day=TODAY, start=time(14, 0), sections={**SOAP, "subjective": "Afternoon."}
    )
    write_note(
        vault,
        client_id,
        day=TODAY,
        start=time(9, 0),
        sections={**SOAP, "subjective": "Morning."},
        sign=False,
    )
    write_note(vault, client_id, day=DAY)  # another day: not in today's batch
    with vault.session() as session:
        pdf = make_report(session, ReportRequest("session-summary", day=TODAY))
    reader = PdfReader(io.BytesIO(pdf.data))
    pages = [flat(p.extract_text()) for p in reader.pages]
    assert len(pages) == 2
    assert "Morning." in pages[0] and "Nguyễn-Muñoz" in pages[0] and "DRAFT" in pages[0]
    assert "Afternoon." in pages[1] and "Ågren" in pages[1] and "DRAFT" not in pages[1]
    with vault.session() as session, pytest.raises(NotFoundError, match="No session notes"):
        make_report(session, ReportRequest("session-summary", day=TODAY - timedelta(days=30)))


# -- face sheet, record, caseload --------------------------------------------------------------
def test_face_sheet(vault: Vault, client_id: uuid.UUID) -> None:
    write_note(vault, client_id)
    write_note(vault, client_id, sign=False, day=TODAY)
    with vault.unit_of_work() as session:
        add_task(session, TaskInput("Send the release to Dr. Oduya", TODAY + timedelta(days=3),
                                    client_id=client_id))  # fmt: skip
    text, pages, _ = report(vault, ReportRequest("face-sheet", client_id))
    assert pages == 1
    assert in_order(
        text, "Client face sheet", "Søren Nguyễn-Muñoz", "Sø", "1990-02-03", "he/him",
        "Active", "2024-01-02", "Diagnoses", "F33.1", "Primary",
        f"2 session notes, from {DAY.isoformat()} to {TODAY.isoformat()}; 1 not yet signed",
        "Open follow-ups", "Send the release to Dr. Oduya",
    )  # fmt: skip


def test_record_has_contents_bookmarks_and_every_note(vault: Vault, client_id: uuid.UUID) -> None:
    days = [DAY - timedelta(days=7 * n) for n in range(12)]
    for n, day in enumerate(days):
        write_note(vault, client_id, day=day, sections={**SOAP, "subjective": f"Session {n}."})
    write_note(vault, client_id, day=TODAY, sign=False, sections={**SOAP, "subjective": "Draft."})
    with vault.unit_of_work() as session:
        discharge_client(session, client_id, TODAY, "Goals met.")
    text, pages, raw = report(vault, ReportRequest("record", client_id))
    assert pages >= 4
    assert in_order(text, "Clinical record", "Contents", "1. Client", "2. Session notes (13)",
                    "3. Follow-ups")  # fmt: skip
    # oldest session first, each with its own entry
    order = [f"Session {n}." for n in reversed(range(12))] + ["Draft."]
    assert in_order(text, *order)
    assert "Discharged" in text and "Goals met." in text
    assert "End of record." in text
    reader = PdfReader(io.BytesIO(raw))
    outline = reader.outline
    titles = [item.title for item in outline if not isinstance(item, list)]
    assert titles == ["1. Client", "2. Session notes (13)", "3. Follow-ups"]
    children = next(item for item in outline if isinstance(item, list))
    assert len(children) == 13
    assert children[0].title.startswith(days[-1].isoformat())
    assert children[-1].title.endswith("DRAFT")
    # the contents give the page each note is on
    first = reader.get_destination_page_number(children[0])
    assert days[-1].isoformat() in reader.pages[first].extract_text()


def test_caseload_lists_the_filter(vault: Vault, client_id: uuid.UUID) -> None:
    write_note(vault, client_id, sign=False)
    with vault.unit_of_work() as session:
        gone = add_client(session, ClientInput("Mia", "Lindqvist", date(1960, 1, 1),
                                               intake_date=date(2020, 1, 1)))  # fmt: skip
        discharge_client(session, gone, TODAY, "Moved away.")
    text, _, _ = report(vault, ReportRequest("caseload"))
    assert "Caseload (active and on hold)" in text and "1 client." in text
    assert "Nguyễn-Muñoz, Søren “Sø”" in text and "Lindqvist, Mia" not in text
    everyone, _, _ = report(vault, ReportRequest("caseload", status="all"))
    assert "2 clients." in everyone and "Lindqvist, Mia" in everyone


def test_unlanded_kinds_say_so(vault: Vault, client_id: uuid.UUID) -> None:
    assert set(NOT_YET) < set(KINDS)
    assert "genogram" in NOT_YET
    assert not {"safety-plan", "wallet-card"} & set(NOT_YET)  # they have landed
    for kind in NOT_YET:
        with vault.session() as session, pytest.raises(ReportUnavailable, match="not available"):
            make_report(session, ReportRequest(kind, client_id))
    with vault.session() as session, pytest.raises(NotFoundError, match="No collaborator"):
        make_report(session, ReportRequest("face-sheet", client_id, for_collaborator=uuid.uuid4()))


# -- paper and passwords ------------------------------------------------------------------------
def test_paper_size_from_the_practice_settings(vault: Vault, client_id: uuid.UUID) -> None:
    _, _, letter = report(vault, ReportRequest("face-sheet", client_id))
    box = PdfReader(io.BytesIO(letter)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    with vault.unit_of_work() as session:
        from mhsw_desktop.services.practitioner import get_practitioner

        save_practitioner(session, replace(get_practitioner(session), paper_size="a4"))
    _, _, a4 = report(vault, ReportRequest("face-sheet", client_id))
    box = PdfReader(io.BytesIO(a4)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)


def test_password_protected_pdf_opens_only_with_its_password(
    vault: Vault, client_id: uuid.UUID
) -> None:
    note_id = write_note(vault, client_id)
    _, _, raw = report(vault, ReportRequest("session-summary", client_id, note_id))
    locked = protect(raw, "orchard-lantern-42")
    assert b"Nguy" not in locked and SOAP["subjective"].encode() not in locked
    reader = PdfReader(io.BytesIO(locked))
    assert reader.is_encrypted
    with pytest.raises(FileNotDecryptedError):
        _ = reader.pages[0].extract_text()
    assert not PdfReader(io.BytesIO(locked)).decrypt("wrong-password-1")
    opened = PdfReader(io.BytesIO(locked))
    assert opened.decrypt("orchard-lantern-42")
    assert "/AESV3" in str(opened.trailer["/Encrypt"]["/CF"])
    assert SOAP["subjective"] in flat(opened.pages[0].extract_text())
    with pytest.raises(ValidationError, match="at least 10"):
        protect(raw, "short")


def test_the_same_data_prints_the_same_pages(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = write_note(vault, client_id)
    first, _, _ = report(vault, ReportRequest("session-summary", client_id, note_id))
    again, _, _ = report(vault, ReportRequest("session-summary", client_id, note_id))
    strip = re.compile(r"Printed \S+ \S+ \(UTC[^)]*\)")
    assert strip.sub("", first) == strip.sub("", again)


def test_signing_time_prints_in_local_time_with_offset(vault: Vault, client_id: uuid.UUID) -> None:
    note_id = write_note(vault, client_id)
    with vault.session() as session:
        signed = notes.get_note(session, note_id).signed_at
    assert signed is not None
    local = signed.replace(tzinfo=__import__("datetime").UTC).astimezone()
    text, _, _ = report(vault, ReportRequest("session-summary", client_id, note_id))
    assert f"{local:%Y-%m-%d %H:%M} (UTC" in text
    assert isinstance(signed, datetime)


def test_building_reports_writes_nothing_to_disk(
    vault: Vault, client_id: uuid.UUID, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_note(vault, client_id)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    monkeypatch.setenv("TMPDIR", str(scratch))
    monkeypatch.chdir(scratch)
    vault_files = {p.name for p in vault.info.folder.iterdir()}
    for request in (
        ReportRequest("session-summary", client_id, include_psychotherapy=True),
        ReportRequest("face-sheet", client_id),
        ReportRequest("record", client_id, include_psychotherapy=True),
        ReportRequest("caseload"),
    ):
        report(vault, request)
    assert list(scratch.iterdir()) == []
    assert {p.name for p in vault.info.folder.iterdir()} == vault_files


def test_pdf_metadata_names_no_client(vault: Vault, client_id: uuid.UUID) -> None:
    """File managers index PDF titles: the metadata says what the report is, not whose."""
    write_note(vault, client_id)
    for kind in ("session-summary", "face-sheet", "record"):
        _, _, raw = report(vault, ReportRequest(kind, client_id))
        meta = PdfReader(io.BytesIO(raw)).metadata
        assert meta is not None
        assert meta.author == "Harbor Lane Counseling"
        values = " ".join(str(v) for v in meta.values())
        assert "Nguy" not in values and "Søren" not in values and str(client_id) not in values


def test_only_embedded_dejavu_fonts(vault: Vault, client_id: uuid.UUID) -> None:
    """Every font is DejaVu, embedded: "Nguyễn" prints the same on any reader or printer."""
    note_id = write_note(vault, client_id)
    _, _, raw = report(vault, ReportRequest("session-summary", client_id, note_id))
    fonts = {}
    for page in PdfReader(io.BytesIO(raw)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            if "/DescendantFonts" in font:
                font = font["/DescendantFonts"][0].get_object()
            descriptor = font["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor
    assert fonts and all("DejaVuSans" in name for name in fonts)
    assert all(fonts.values())


def test_the_practice_logo_prints_in_the_header(vault: Vault, client_id: uuid.UUID) -> None:
    from PIL import Image as PILImage

    from mhsw_desktop.services.practitioner import set_logo

    _, _, before = report(vault, ReportRequest("face-sheet", client_id))
    assert not list(PdfReader(io.BytesIO(before)).pages[0].images)
    picture = io.BytesIO()
    PILImage.new("RGBA", (300, 100), (30, 90, 160, 200)).save(picture, "PNG")
    with vault.unit_of_work() as session:
        set_logo(session, picture.getvalue())
    text, pages, raw = report(vault, ReportRequest("face-sheet", client_id))
    images = list(PdfReader(io.BytesIO(raw)).pages[0].images)
    assert len(images) == 1 and pages == 1
    assert "Harbor Lane Counseling" in text


def test_the_longest_note_prints_whole(vault: Vault, client_id: uuid.UUID) -> None:
    """A section at its 20,000-character limit and an unbroken 3,000-character "word" (a
    pasted link, say) flow over pages and wrap inside the margins; nothing is cut off."""
    from mhsw_desktop.domain.note import NOTE_LIMITS

    words = " ".join(f"w{n:05d}" for n in range(NOTE_LIMITS["section"] // 7))
    unbroken = "".join(chr(ord("a") + n % 26) for n in range(3_000))
    note_id = write_note(
        vault, client_id, sections={**SOAP, "subjective": words, "objective": unbroken}
    )
    text, pages, raw = report(vault, ReportRequest("session-summary", client_id, note_id))
    assert pages >= 4
    assert "w00000" in text and f"w{NOTE_LIMITS['section'] // 7 - 1:05d}" in text
    assert unbroken not in text  # broken over lines, not run off the page
    # it may also run over a page break: read the pages without their running lines
    furniture = ("Session summary:", "Confidential:", "Page ")
    body = "".join(
        line
        for page in PdfReader(io.BytesIO(raw)).pages
        for line in page.extract_text().splitlines()
        if not line.startswith(furniture)
    )
    assert unbroken in body.replace(" ", "")

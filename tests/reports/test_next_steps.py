"""The next-steps sheet read back as the client would read it: the next appointment, the
homework as typed, the crisis lines, how to reach the practice, nothing clinical; in
English, Spanish and both, on one page. Synthetic people only."""

from __future__ import annotations

import io
import json
import re
import uuid
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.language import _english, text
from mhsw_desktop.domain.note import RiskLevel
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.reports import NOT_YET
from mhsw_desktop.reports.make import ReportRequest, make_report
from mhsw_desktop.reports.tongue import Tongue
from mhsw_desktop.services import notes
from mhsw_desktop.services import safety_plans as sp
from mhsw_desktop.services.client_documents import homework_items
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.practitioner import PractitionerInput, save_practitioner
from mhsw_desktop.services.report_data import NoteInErrorError
from mhsw_desktop.services.safety_plans import Contact
from mhsw_desktop.vault.vault import Vault
from tests.cli.test_cli import mhsw
from tests.support import PASSPHRASE, create_vault

FAMILY = "next_steps"
DAY = date.today() - timedelta(days=1)
NEXT = datetime(2031, 3, 12, 15, 30)  # a Wednesday
SOAP = {
    "subjective": "Client reported poor sleep since the move.",
    "objective": "Tearful; oriented x3.",
    "assessment": "Depressive symptoms persist.",
    "plan": "Weekly sessions; thought record.",
}
RISK = "Passive thoughts last week, none today."
HOMEWORK_EN = (
    "- Walk for ten minutes after lunch\n\n"
    "• Write down one thing that went well each evening\n"
    "Bring the sleep diary"
)
HOMEWORK_ES = "Caminar diez minutos después del almuerzo\nEscribir cada noche algo que salió bien"
PHONE = "(802) 555-0142"


def flat(found: str) -> str:
    """Runs of white space (the narrow no-break space before "p.m." too) as one space."""
    return re.sub(r"\s+", " ", found)


def pdf_text(raw: bytes) -> str:
    reader = PdfReader(io.BytesIO(raw))
    return flat(" ".join(page.extract_text() or "" for page in reader.pages))


def english_left(pdf: str, families: tuple[str, ...]) -> list[str]:
    """The English texts of ``families`` (the parts between their {places} and tags) that a
    Spanish PDF still holds; texts that read the same in both languages are not counted."""
    found = []
    for family in (*families, "common"):
        for key, english in _english(family).items():
            if english == text("es", family, key):
                continue
            for part in re.split(r"\{[a-z_]+\}|<[^>]+>", english):
                part = part.strip(" .,:;·()")
                if len(part) >= 4 and re.search(rf"\b{re.escape(part)}\b", pdf):
                    found.append(f"{family}.{key}: {part!r}")
    return found


def practice(session: object) -> None:
    save_practitioner(
        session,  # type: ignore[arg-type]
        PractitionerInput("Avery Lindqvist", "LCSW", "CA-90210", "Harbor Lane Counseling",
                          "12 Mill St\nRiverbend, VT 05601", "8025550142"),
    )  # fmt: skip


def note_input(client: uuid.UUID, **changes: object) -> notes.NoteInput:
    data = notes.NoteInput(
        client_id=client, session_date=DAY, template_key="soap", sections=dict(SOAP),
        start_time=None, duration_minutes=50, risk_level=RiskLevel.LOW, risk_comment=RISK,
        interventions="CBT: thought record introduced.", plan="Review the diary.",
        next_appointment=NEXT, homework=HOMEWORK_EN,
    )  # fmt: skip
    return replace(data, **changes)  # type: ignore[arg-type]


def client_with_note(
    vault: Vault, *, language: str = "en", documents: str = "client", **changes: object
) -> tuple[uuid.UUID, uuid.UUID]:
    with vault.unit_of_work() as s:
        practice(s)
        client = add_client(
            s,
            ClientInput("Lucía", "Ramírez Peña", date(1979, 6, 2), preferred_language=language,
                        document_language=documents),
        )  # fmt: skip
        note = notes.create_draft(s, note_input(client, **changes))
    return client, note


def sheet(vault: Vault, client: uuid.UUID, **request: object) -> tuple[str, int, tuple[str, ...]]:
    with vault.session() as s:
        made = make_report(s, ReportRequest("next-steps", client, **request))  # type: ignore[arg-type]
    return pdf_text(made.data), made.pages, made.languages


def in_order(found: str, *parts: str) -> bool:
    at = 0
    for part in parts:
        at = found.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


# -- English -------------------------------------------------------------------------------
def test_the_english_sheet_reads_in_order_on_one_page_with_nothing_clinical(vault: Vault) -> None:
    client, _ = client_with_note(vault)
    got, pages, languages = sheet(vault, client, lang="en")
    assert pages == 1 and languages == ("en",)
    when = flat(Tongue().moment(NEXT))
    assert "Wednesday, March 12, 2031" in when
    assert in_order(
        got, "Harbor Lane Counseling", "Your next steps", "Lucía Ramírez Peña",
        f"after our session on {Tongue().date(DAY)}",
        "Your next appointment", when, "with Avery Lindqvist, LCSW",
        "Before our next meeting", "What we agreed you would try",
        "Walk for ten minutes after lunch", "Write down one thing that went well each evening",
        "Bring the sleep diary",
        "If you need help before then", "988 Suicide & Crisis Lifeline", "988",
        "Emergency services", "911",
        "How to reach us", "Your clinician", "Avery Lindqvist, LCSW", "12 Mill St", PHONE,
    )  # fmt: skip
    # the typed bullets are the sheet's own, not doubled
    assert "- Walk" not in got and "• • Write" not in got
    # nothing clinical: no note text but the homework, no risk, no diagnosis
    for clinical in (*SOAP.values(), RISK, "CBT", "Review the diary", "Low", "risk", "Risk"):
        assert clinical not in got
    assert "Page 1 of 1" in got and "DRAFT" not in got


def test_no_appointment_and_no_homework_leave_room_to_write(vault: Vault) -> None:
    client, _ = client_with_note(vault, next_appointment=None, homework="  \n ")
    got, pages, _ = sheet(vault, client, lang="en")
    assert pages == 1
    assert text("en", FAMILY, "appointment.none") in got
    assert text("en", FAMILY, "appointment.write_in") in got and "Date" in got and "Time" in got
    assert text("en", FAMILY, "homework.blank") in got
    assert text("en", FAMILY, "homework.intro") not in got


def test_homework_lines_as_typed() -> None:
    assert homework_items(HOMEWORK_EN) == (
        "Walk for ten minutes after lunch",
        "Write down one thing that went well each evening",
        "Bring the sleep diary",
    )
    assert homework_items("-5 minutes of breathing\n* <b>not bold</b> & more") == (
        "-5 minutes of breathing",
        "<b>not bold</b> & more",
    )


@pytest.mark.parametrize("hostile", ["<b>not bold</b> & <img src='x'/>", "said <sigh> a lot"])
def test_hostile_homework_prints_literally(vault: Vault, hostile: str) -> None:
    client, _ = client_with_note(vault, homework=hostile)
    got, _, _ = sheet(vault, client, lang="en")
    assert hostile in got


def test_the_latest_note_unless_one_is_named(vault: Vault) -> None:
    client, first = client_with_note(vault, homework="The first week's task")
    with vault.unit_of_work() as s:
        later = notes.create_draft(
            s, note_input(client, session_date=date.today(), homework="This week's task")
        )
        wrong = notes.create_draft(
            s, note_input(client, session_date=date.today(), homework="Written in error")
        )
        notes.mark_entered_in_error(s, wrong, "Wrong chart")
    got, _, _ = sheet(vault, client, lang="en")
    assert "This week's task" in got and "Written in error" not in got
    assert later
    got, _, _ = sheet(vault, client, lang="en", note_id=first)
    assert "The first week's task" in got and "This week's task" not in got
    with vault.session() as s, pytest.raises(NoteInErrorError):
        make_report(s, ReportRequest("next-steps", client, note_id=wrong))


def test_another_clients_note_or_no_note_is_refused(vault: Vault) -> None:
    client, note = client_with_note(vault)
    with vault.unit_of_work() as s:
        other = add_client(s, ClientInput("Tomás", "Quintero", date(1990, 1, 5)))
    with vault.session() as s:
        with pytest.raises(NotFoundError, match="another client"):
            make_report(s, ReportRequest("next-steps", other, note_id=note))
        with pytest.raises(NotFoundError, match="no session notes yet"):
            make_report(s, ReportRequest("next-steps", other))
        with pytest.raises(NotFoundError, match="No note with id"):
            make_report(s, ReportRequest("next-steps", client, note_id=uuid.uuid4()))
        with pytest.raises(NotFoundError, match="No client"):
            make_report(s, ReportRequest("next-steps", uuid.uuid4()))
        with pytest.raises(ValidationError, match="lang"):
            make_report(s, ReportRequest("next-steps", client, lang="xx"))
    assert "next-steps" not in NOT_YET and "resources" not in NOT_YET


def test_the_crisis_lines_of_the_clients_safety_plan(vault: Vault) -> None:
    client, _ = client_with_note(vault)
    hospital = Contact("Riverbend Emergency Department", "(802) 555-0100", "Open 24 hours",
                       "400 Hospital Rd, Riverbend")  # fmt: skip
    with vault.unit_of_work() as s:
        version = sp.create_safety_plan(s, client)  # the clinician and the crisis lines
        state = sp.get_safety_plan(s, client)
        assert state is not None
        start = state.current.content
        assert any(c.phone == "8025550142" for c in start.professional_contacts)
        more = (*start.professional_contacts, hospital, Contact("My sister, no phone"))
        sp.update_draft(s, version, replace(start, professional_contacts=more))
    got, _, _ = sheet(vault, client, lang="en")
    assert text("en", FAMILY, "help.from_plan") in got
    assert in_order(
        got, "988 Suicide & Crisis Lifeline", "Emergency services",
        "Riverbend Emergency Department", "Open 24 hours", "(802) 555-0100",
    )  # fmt: skip
    assert "My sister" not in got, "only the entries with a phone"
    # the clinician's own entry is under "How to reach us", not among the crisis lines
    crisis = got[got.index("If you need help before then") : got.index("How to reach us")]
    assert PHONE not in crisis and PHONE in got
    spanish, _, _ = sheet(vault, client, lang="es")
    assert "988 Línea de Prevención del Suicidio y Crisis" in spanish, "unedited: in Spanish"
    assert "Riverbend Emergency Department" in spanish, "the practitioner's words, as typed"


# -- Spanish and both ----------------------------------------------------------------------
def test_the_spanish_sheet_has_no_english_of_its_own(vault: Vault) -> None:
    client, _ = client_with_note(vault, language="es", homework=HOMEWORK_ES)
    got, pages, languages = sheet(vault, client, lang="es")
    assert pages == 1 and languages == ("es",)
    spanish = Tongue(("es",))
    for key in ("title", "appointment.heading", "homework.heading", "homework.intro",
                "help.heading", "help.default", "contact.heading", "label.clinician"):  # fmt: skip
        assert text("es", FAMILY, key) in got, key
    assert flat(spanish.moment(NEXT)) in got and "miércoles, 12 de marzo de 2031" in got
    assert f"después de nuestra sesión del {spanish.date(DAY)}" in got
    assert "con Avery Lindqvist, LCSW" in got
    assert "Caminar diez minutos después del almuerzo" in got
    assert "oprima 2" in got and "AYUDA" in got and "Servicios de emergencia" in got
    assert "Página 1 de 1" in got and "Confidencial" in got
    assert english_left(got, (FAMILY,)) == []


def test_a_spanish_sheet_without_appointment_or_homework(vault: Vault) -> None:
    client, _ = client_with_note(vault, language="es", next_appointment=None, homework="")
    got, _, _ = sheet(vault, client)
    for key in ("appointment.none", "appointment.write_in", "homework.blank", "time"):
        assert text("es", FAMILY, key) in got, key
    assert "Fecha" in got
    assert english_left(got, (FAMILY,)) == []


def test_a_spanish_speaking_client_gets_spanish_by_default(vault: Vault) -> None:
    client, _ = client_with_note(vault, language="es", homework=HOMEWORK_ES)
    got, _, languages = sheet(vault, client)
    assert languages == ("es",)
    assert "Sus próximos pasos" in got and "Your next steps" not in got
    english, _, languages = sheet(vault, client, lang="en")
    assert languages == ("en",) and "Your next steps" in english and "Página" not in english
    assert english_left(english, (FAMILY,)), "the check finds English where there is some"


def test_both_lead_with_spanish_and_the_words_once(vault: Vault) -> None:
    client, _ = client_with_note(vault, language="es", documents="both", homework=HOMEWORK_ES)
    got, pages, languages = sheet(vault, client)
    assert languages == ("es", "en") and pages == 1
    for key in ("title", "appointment.heading", "homework.heading", "help.heading",
                "contact.heading", "contact.note"):  # fmt: skip
        assert text("es", FAMILY, key) in got and text("en", FAMILY, key) in got, key
    assert got.index("Sus próximos pasos") < got.index("Your next steps")
    assert got.count("Caminar diez minutos") == 1, "the homework appears once"
    assert got.count("Lucía Ramírez Peña") == 1, "the client's name once"
    assert got.count("Avery Lindqvist, LCSW") == 3  # header, appointment, how to reach us
    assert "Confidencial" in got and "Confidential" in got


# -- the command line ----------------------------------------------------------------------
def test_the_command_line_prints_it_in_spanish(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    opened, _ = create_vault(folder)
    try:
        client, _ = client_with_note(opened, homework=HOMEWORK_ES)
    finally:
        opened.lock()
    out = tmp_path / "next.pdf"
    result = mhsw("--vault", str(folder), "report", "next-steps", "--client", str(client),
                  "--lang", "es", "-o", str(out), "--json", stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["languages"] == ["es"] and payload["pages"] == 1
    assert "Sus próximos pasos" in pdf_text(out.read_bytes())
    refused = mhsw("--vault", str(folder), "report", "next-steps", "--client", str(client),
                   "--note", str(uuid.uuid4()), "-o", str(tmp_path / "x.pdf"),
                   stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert refused.returncode == 1 and "No note with id" in refused.stderr
    assert not (tmp_path / "x.pdf").exists()

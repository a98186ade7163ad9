"""The client's copy of the safety plan and the wallet card read back as the client would
read them: the seven steps in order, phones, "Draft – not yet signed" without a watermark,
the signatures, lines to write on; the card on one page with the crisis line, nothing
leaving its edges. Synthetic people only."""

from __future__ import annotations

import io
import uuid
from dataclasses import replace
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth

from mhsw_desktop.domain.care_team import Category
from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.reports import wallet_card
from mhsw_desktop.reports.base import BOLD, FONT
from mhsw_desktop.reports.make import ReportRequest, make_report, record_sharing
from mhsw_desktop.reports.tongue import Tongue
from mhsw_desktop.services import safety_plans as sp
from mhsw_desktop.services.care_team import SharingRefused, list_disclosures
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.collaborators import CollaboratorInput, add_collaborator
from mhsw_desktop.services.practitioner import (
    PractitionerInput,
    get_practitioner,
    save_practitioner,
    signer_for,
)
from mhsw_desktop.services.safety_plans import STEPS, Contact, SafetyPlanInput
from mhsw_desktop.vault.vault import Vault
from tests.reports.test_reports import flat, in_order
from tests.reports.test_reports_for_collaborators import release

TODAY = date.today()
#: how the client's copy writes today (a client reads "December 2, 2026", not ISO)
LONG = Tongue().date(TODAY)
BARRIERS = "Might feel like a burden to call anyone"


def text_of(raw: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages))


def plan_input(**changes: object) -> SafetyPlanInput:
    """A whole plan, as a client and clinician might write it together (synthetic)."""
    data = SafetyPlanInput(
        TODAY,
        warning_signs=("Lying awake going over things", "Pulling away from friends"),
        coping_strategies=("Walk the dog along the river", "Listen to my playlist"),
        distraction_contacts=(Contact("Marisol Peña (neighbour)", "(802) 555-0133"),
                              Contact("The library on Main St")),
        help_contacts=(Contact("Tomás González (brother)", "(802) 555-0178"),
                       Contact("Lena Nguyễn (friend)", "(802) 555-0121")),
        professional_contacts=(
            *sp.crisis_lines(),
            Contact("Riverbend Emergency Department", "(802) 555-0100", "Open 24 hours",
                    "400 Hospital Rd, Riverbend"),
        ),
        environment_safety=("Give my extra medication to Tomás to keep",),
        reasons_for_living=("My daughter Sofía", "Seeing the mountains in autumn"),
        likelihood_of_use=8,
        barriers=BARRIERS,
    )  # fmt: skip
    return replace(data, **changes)  # type: ignore[arg-type]


def make_plan(
    vault: Vault, data: SafetyPlanInput | None = None, *, sign: bool = False
) -> uuid.UUID:
    """A synthetic client with a safety plan (a draft unless ``sign``); the client's id."""
    with vault.unit_of_work() as s:
        save_practitioner(
            s,
            PractitionerInput("Avery Lindqvist", "LCSW", "CA-90210", "Harbor Lane Counseling",
                              "12 Mill St\nRiverbend, VT", "(802) 555-0142"),
        )  # fmt: skip
        client = add_client(s, ClientInput("Ana", "González Nguyễn", date(1985, 3, 14)))
        version = sp.create_safety_plan(s, client, data or plan_input())
        if sign:
            sp.sign_version(s, version, signer_for(s))
            sp.record_client_signature(s, version, TODAY)
    return client


def report(vault: Vault, kind: str, client: uuid.UUID) -> tuple[str, int, bytes]:
    with vault.session() as s:
        pdf = make_report(s, ReportRequest(kind, client))
    return text_of(pdf.data), pdf.pages, pdf.data


# -- the client's copy ----------------------------------------------------------------
def test_a_draft_prints_the_steps_in_order_with_contacts_and_says_draft(vault: Vault) -> None:
    client = make_plan(vault)
    text, _, _ = report(vault, "safety-plan", client)
    assert in_order(
        text, "Harbor Lane Counseling", "My safety plan", "Ana González Nguyễn",
        f"plan of {LONG}", "version 1", "Draft – not yet signed",
        "If I am in crisis", "988 Suicide & Crisis Lifeline", "988",
        "1", STEPS[0].prompt, "Lying awake going over things", "Pulling away from friends",
        "2", STEPS[1].prompt, "Walk the dog along the river",
        "3", STEPS[2].prompt, "Marisol Peña (neighbour)", "(802) 555-0133", "The library",
        "4", STEPS[3].prompt, "Tomás González (brother)", "(802) 555-0178",
        "Lena Nguyễn (friend)", "(802) 555-0121",
        "5", STEPS[4].prompt, "988 Suicide & Crisis Lifeline", "988",
        "Emergency services", "911", "Riverbend Emergency Department", "Open 24 hours",
        "400 Hospital Rd", "(802) 555-0100",
        "6", STEPS[5].prompt, "Give my extra medication",
        "7", STEPS[6].prompt, "My daughter Sofía",
        "Signatures", "My signature", "Date", "Clinician's signature",
        "Avery Lindqvist, LCSW", "Date",
    )  # fmt: skip
    assert "DRAFT" not in text  # said in words, no watermark: it may be handed over
    # the clinician's working fields stay off the client's copy
    assert BARRIERS not in text and "ikelihood" not in text
    assert "Confidential" in text and "Page 1 of" in text


def test_a_signed_plan_carries_both_signatures_as_recorded(vault: Vault) -> None:
    client = make_plan(vault, sign=True)
    with vault.unit_of_work() as s:  # the profile changes later: the copy keeps the signer
        save_practitioner(s, replace(get_practitioner(s), name="Someone Else"))
    text, _, _ = report(vault, "safety-plan", client)
    assert "Draft" not in text
    assert in_order(
        text, "Signatures", f"Signed by me on {LONG}",
        f"Signed by my clinician, Avery Lindqvist, LCSW, on {LONG}",
        "Plan reference",
    )  # fmt: skip
    assert "My signature" not in text


def test_an_empty_step_keeps_its_question_and_lines_to_write_on(vault: Vault) -> None:
    client = make_plan(vault, SafetyPlanInput(TODAY))  # nothing at all, not even 988
    text, _, _ = report(vault, "safety-plan", client)
    assert in_order(text, *(f"{step.number} {step.prompt}" for step in STEPS))
    assert text.count("Name Phone") == 3  # under the lines of steps 3, 4 and 5
    assert "If I am in crisis" not in text  # no phone to repeat at the top
    assert "Draft – not yet signed" in text


@pytest.mark.parametrize(
    "hostile",
    [
        "said <sigh> often",
        "A&O x3 </para> <unclosed",
        "<b>bold</b> & <i>not</i>",
        '<img src="//server/share/x.png"/> <a href="file:///etc">x</a>',
        "bidi \u202eevil\u202c and a bell \x07 line\nsecond line",
        "W" * 1000,
    ],
)
def test_hostile_text_prints_as_text(vault: Vault, hostile: str) -> None:
    item = hostile[:1000]
    who = Contact(hostile[:200], "<tel> & 555", hostile[:200], hostile[:1000])
    data = plan_input(
        warning_signs=(item,), coping_strategies=(item,), environment_safety=(item,),
        reasons_for_living=(item,), help_contacts=(who,), distraction_contacts=(who,),
        professional_contacts=(who, *sp.crisis_lines()),
    )  # fmt: skip
    client = make_plan(vault, data)
    _, card_pages, _ = report(vault, "wallet-card", client)
    assert card_pages == 1
    text, _, _ = report(vault, "safety-plan", client)
    if "<" in hostile:
        assert "<tel> & 555" in text
        assert "<sigh>" in text or "<b>bold</b>" in text or "</para>" in text or "<img" in text
    if hostile.startswith("WWW"):  # printed whole, wrapped
        assert text.count("W") >= 4 * 1000


def test_thirty_long_entries_a_step_paginate(vault: Vault) -> None:
    n = sp.MAX_ENTRIES
    long = "and then it all comes back again, " * 28  # about 1,000 characters
    data = plan_input(
        warning_signs=tuple(f"Sign {i} {long}"[:1000] for i in range(n)),
        coping_strategies=tuple(f"Coping {i}" for i in range(n)),
        distraction_contacts=tuple(Contact(f"Friend {i} " + "Ñ" * 180, f"555-01{i:02}")
                                   for i in range(n)),
        help_contacts=tuple(Contact(f"Helper {i}", "+1 (802) 555-0199 ext. " + "9" * 36)
                            for i in range(n)),
        professional_contacts=sp.crisis_lines() + tuple(
            Contact(f"Service {i}", f"1-800-555-01{i:02}", "Hours " * 33, "Street " * 140)
            for i in range(n - 2)
        ),
        environment_safety=tuple("Unbalanced < and & " * 50 for _ in range(n)),
        reasons_for_living=tuple(f"Reason {i}" for i in range(n)),
    )  # fmt: skip
    client = make_plan(vault, data)
    text, pages, _ = report(vault, "safety-plan", client)
    assert pages > 10
    assert in_order(text, "Sign 0", "Sign 29", "Coping 29", "Friend 29", "Helper 29",
                    "Service 27", "Reason 29", "Signatures")  # fmt: skip
    assert f"Page {pages} of {pages}" in text


def test_no_plan_says_so(vault: Vault) -> None:
    with vault.unit_of_work() as s:
        client = add_client(s, ClientInput("Earl", "Pruitt", date(1950, 6, 7)))
    for kind in ("safety-plan", "wallet-card"):
        with vault.session() as s, pytest.raises(NotFoundError, match="no safety plan yet"):
            make_report(s, ReportRequest(kind, client))


def test_a_copy_for_a_collaborator_passes_the_guard_the_card_is_never_made(
    vault: Vault,
) -> None:
    client = make_plan(vault, sign=True)
    with vault.unit_of_work() as s:
        doctor = add_collaborator(s, CollaboratorInput("Tomasz Oduya", credentials="MD"))
    card = ReportRequest("wallet-card", client, for_collaborator=doctor)
    with vault.session() as s, pytest.raises(ValidationError, match="client only"):
        make_report(s, card)
    request = ReportRequest("safety-plan", client, for_collaborator=doctor)
    release(vault, client, doctor, Category.ATTENDANCE)
    with vault.session() as s, pytest.raises(SharingRefused, match="treatment plan"):
        make_report(s, request)
    release(vault, client, doctor, Category.TREATMENT_PLAN)
    with vault.unit_of_work() as s:
        pdf = make_report(s, request)
        record_sharing(s, request, pdf, "pdf")
    assert in_order(text_of(pdf.data), "My safety plan", "Copy for Tomasz Oduya", "1")
    with vault.session() as s:
        (disclosure,) = list_disclosures(s, client)
    assert disclosure.what.startswith("Safety plan")


# -- the wallet card ------------------------------------------------------------------
def card_of(vault: Vault, client: uuid.UUID) -> tuple[bytes, wallet_card.CardLayout]:
    with vault.session() as s:
        pdf, card = wallet_card.build_with_layout(sp.safety_plan_data(s, client))
    return pdf.data, card


def placed_text(raw: bytes) -> list[tuple[str, float, float, float, bool]]:
    """Every string drawn on the page: (text, x, y, size, bold)."""
    out: list[tuple[str, float, float, float, bool]] = []

    def visit(text: str, cm: list[float], tm: list[float], font: object, size: float) -> None:
        if text.strip():
            x = cm[0] * tm[4] + cm[2] * tm[5] + cm[4]
            y = cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
            name = str(font.get("/BaseFont", "")) if isinstance(font, dict) else ""
            out.append((text, x, y, size * tm[0], "Bold" in name))

    (page,) = PdfReader(io.BytesIO(raw)).pages
    page.extract_text(visitor_text=visit)
    return out


def assert_inside(card: wallet_card.CardLayout) -> None:
    """Every line of the card within its side, clear of the cutting margin."""
    for side in (card.front, card.back):
        box = side.box
        assert side.lines
        for line in side.lines:
            assert line.size >= 7, line
            assert line.left >= box.x + wallet_card.PAD - 0.01, line
            assert line.left + line.width <= box.right - wallet_card.PAD + 0.01, line
            assert line.y >= box.y + wallet_card.PAD - 0.01, line
            assert line.y + line.size <= box.top - wallet_card.PAD + 0.01, line
        for shade in side.shades:
            assert box.x <= shade.x and shade.x + shade.width <= box.right
            assert box.y <= shade.y and shade.top <= box.top


def test_the_wallet_card_is_one_page_with_the_crisis_lines(vault: Vault) -> None:
    client = make_plan(vault, sign=True)
    raw, card = card_of(vault, client)
    text, pages, _ = report(vault, "wallet-card", client)
    assert pages == 1 and len(PdfReader(io.BytesIO(raw)).pages) == 1
    assert in_order(
        text, "Safety-plan wallet card", "Cut along the dashed line",
        "My safety plan", "Warning signs", "Lying awake going over things",
        "Coping on my own", "Walk the dog",
        "Who I can call", "People I can ask for help", "Tomás González (brother)",
        "(802) 555-0178", "Professionals and crisis lines", "988 Suicide & Crisis Lifeline",
        "988", "Emergency services", "911", f"Version 1 of {Tongue().date(TODAY, 'medium')}",
    )  # fmt: skip
    assert "González Nguyễn" not in text  # a lost card does not say whose plan it is
    assert "see your full plan" not in text  # everything fitted
    assert (round(card.box.width / 72 * 25.4, 1), round(card.box.height / 72 * 25.4, 1)) == (
        171.2,
        54.0,
    )
    assert_inside(card)


def test_a_draft_card_says_so(vault: Vault) -> None:
    client = make_plan(vault)
    text, _, _ = report(vault, "wallet-card", client)
    assert "Draft – not yet signed" in text and "DRAFT" not in text


def test_what_does_not_fit_is_cut_never_overflowing(vault: Vault) -> None:
    n = sp.MAX_ENTRIES
    data = plan_input(
        warning_signs=tuple(f"Sign {i} " + "W" * 990 for i in range(n)),
        coping_strategies=tuple(f"Coping {i} " + "long words " * 80 for i in range(n)),
        help_contacts=tuple(Contact(f"Helper {i} " + "Ñ" * 190, "+1 " + "5" * 57)
                            for i in range(n)),
        professional_contacts=sp.crisis_lines() + tuple(
            Contact("Service " + "x" * 190, "1-800-555-0100") for _ in range(n - 2)
        ),
    )  # fmt: skip
    client = make_plan(vault, data)
    raw, card = card_of(vault, client)
    assert len(PdfReader(io.BytesIO(raw)).pages) == 1
    assert_inside(card)
    texts = [line.text for side in (card.front, card.back) for line in side.lines]
    assert texts.count(wallet_card.MORE) == 4  # each of the four steps was cut
    assert any(t.startswith("Sign 0") for t in texts)
    assert any(t.startswith("Coping 0") for t in texts)
    assert any(t.startswith("Helper 0") for t in texts)
    assert "988 Suicide & Crisis Lifeline" in texts and "988" in texts
    # and on the page as drawn: whatever is level with the card lies within it
    box = card.box
    drawn = [p for p in placed_text(raw) if box.y - 2 < p[2] < box.top + 2]
    assert any("988" in p[0] for p in drawn)
    for text, x, _, size, bold in drawn:
        if text.strip() == "✂":
            continue  # the scissors mark the cut line from outside
        width = stringWidth(text, BOLD if bold else FONT, size)
        assert box.x <= x and x + width <= box.right + 0.5, (text, x, width)
        assert size >= 7


def test_allocation_takes_turns_and_keeps_a_line_for_the_note() -> None:
    assert wallet_card.allocate([[1, 1], [1]], 10) == [2, 1]  # everything fits
    # 10 lines: 2 labels, 2 notes; 6 left, taken in turns
    assert wallet_card.allocate([[1] * 30, [1] * 30], 10) == [3, 3]
    assert wallet_card.allocate([[1] * 30, [1] * 30], 9, order=[1, 0]) == [2, 3]
    # a short step gives its unused room (and its note line) to the long one
    assert wallet_card.allocate([[1] * 30, [1]], 10) == [6, 1]
    # an empty step takes its lines to write on
    assert wallet_card.allocate([[], [1] * 30], 10) == [0, 4]  # 2 labels, 3 blank, a note


def test_the_card_page_follows_the_paper_size(vault: Vault) -> None:
    client = make_plan(vault)
    with vault.unit_of_work() as s:
        save_practitioner(s, replace(get_practitioner(s), paper_size="a4"))
    raw, card = card_of(vault, client)
    box = PdfReader(io.BytesIO(raw)).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert_inside(card)
    assert card.box.x > 0 and card.box.right < 595


def test_the_card_puts_the_crisis_lines_first_so_they_are_never_cut(vault: Vault) -> None:
    """A practitioner may list many services before 988; on the card 988 comes first."""
    services = tuple(Contact(f"Service {n} with a long name", f"(802) 555-01{n:02d}",
                             "Weekdays") for n in range(12))  # fmt: skip
    client = make_plan(vault, plan_input(professional_contacts=(*services, *sp.crisis_lines())))
    _, card = card_of(vault, client)
    back = [line.text for line in card.back.lines]
    first = back.index("Professionals and crisis lines")
    assert back[first + 1 : first + 5] == ["988 Suicide & Crisis Lifeline", "988",
                                           "Emergency services", "911"]  # fmt: skip
    assert_inside(card)
    full, _, _ = report(vault, "safety-plan", client)
    assert full.index("Service 0 with a long name") < full.index("988 Suicide")  # plan's order


def test_every_page_carries_the_audit_logs_newest_entry(vault: Vault) -> None:
    """A paper copy anchors the audit chain outside the vault (DESIGN: the latest hash is
    printed on every report)."""
    client = make_plan(vault, sign=True)
    seq, digest = vault.audit_head()
    with vault.session() as s:
        pdf = make_report(s, ReportRequest("safety-plan", client))
    pages = PdfReader(io.BytesIO(pdf.data)).pages
    assert len(pages) > 1
    for page in pages:
        assert f"Audit {seq}, {digest[:12]}" in page.extract_text()

"""The printed treatment plan reads back: its items in order, DRAFT while unsigned, the
signature block and the client's line; copies for collaborators pass the sharing guard;
`mhsw report treatment-plan` writes it."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from mhsw_desktop.domain.care_team import Category
from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.errors import NotFoundError
from mhsw_desktop.reports.make import ReportRequest, make_report, record_sharing
from mhsw_desktop.services import treatment_plans as tp
from mhsw_desktop.services.care_team import SharingRefused, list_disclosures
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.collaborators import CollaboratorInput, add_collaborator
from mhsw_desktop.services.practitioner import PractitionerInput, save_practitioner, signer_for
from mhsw_desktop.services.treatment_plans import (
    GoalInput,
    InterventionInput,
    ObjectiveInput,
    ProblemInput,
)
from mhsw_desktop.vault.vault import Vault
from tests.cli.test_cli import mhsw
from tests.reports.test_reports import flat, in_order
from tests.reports.test_reports_for_collaborators import release
from tests.support import PASSPHRASE, create_vault

TODAY = date.today()
HOSTILE = 'Sleep <b>unbroken</b> & "rested" <img src="/etc/passwd"/>'


def text_of(raw: bytes) -> str:
    return flat(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(raw)).pages))


def make_plan(vault: Vault) -> tuple[uuid.UUID, uuid.UUID]:
    """A synthetic client with a two-problem plan (a draft); (client id, version id)."""
    with vault.unit_of_work() as s:
        save_practitioner(
            s, PractitionerInput("Avery Lindqvist", "LCSW", "CA-90210", "Harbor Lane Counseling")
        )
        client = add_client(s, ClientInput("Søren", "Nguyễn", date(1990, 2, 3)))
        version = tp.create_plan(s, client, summary="Referred by primary care for low mood.")
        mood = tp.add_problem(s, version, ProblemInput("Depressed mood most days"))
        goal = tp.add_goal(s, mood, GoalInput("Mood lifts", measure_kind="phq9", target_score=9))
        walk = tp.add_objective(
            s, goal, ObjectiveInput("Walk 20 minutes, 5 days a week", TODAY + timedelta(30))
        )
        tp.add_intervention(s, goal, InterventionInput("Behavioural activation", "Clinician",
                                                       "Weekly", walk))  # fmt: skip
        tp.add_intervention(s, goal, InterventionInput("Log activities", "Client", "Daily"))
        sleep = tp.add_problem(s, version, ProblemInput("Poor sleep"))
        rest = tp.add_goal(s, sleep, GoalInput(HOSTILE))
        tp.add_objective(s, rest, ObjectiveInput("Same bedtime on weeknights"))
    return client, version


def test_a_draft_plan_prints_in_order_with_draft_and_a_blank_client_line(vault: Vault) -> None:
    client, _ = make_plan(vault)
    with vault.session() as s:
        pdf = make_report(s, ReportRequest("treatment-plan", client))
    text = text_of(pdf.data)
    assert in_order(
        text, "Harbor Lane Counseling", "Treatment plan", "DRAFT: not signed",
        "Søren Nguyễn", "Version", "1", "Draft (not signed)",
        "Review by", (TODAY + timedelta(days=tp.REVIEW_INTERVAL_DAYS)).isoformat(),
        "Referred by primary care", "Problem 1: Depressed mood most days",
        "Goal 1.1: Mood lifts", "Measured by PHQ-9, target 9 or below",
        "1.1.1", "Walk 20 minutes", (TODAY + timedelta(30)).isoformat(), "Not started",
        "Behavioural activation", "Clinician", "Weekly", "1.1.1",
        "Log activities", "Client", "Daily",
        "Problem 2: Poor sleep", "Goal 2.1:", "Same bedtime",
        "Signatures", "Not signed.", "Client signature", "Date",
    )  # fmt: skip
    assert HOSTILE in text  # user text is text, never markup
    assert text.count("DRAFT") >= 2  # the banner and the watermark on the page


def test_a_signed_plan_carries_the_signature_and_the_client_date(vault: Vault) -> None:
    client, version = make_plan(vault)
    with vault.unit_of_work() as s:
        digest = tp.sign_version(s, version, signer_for(s))
        tp.record_client_signature(s, version, TODAY)
    with vault.session() as s:
        pdf = make_report(s, ReportRequest("treatment-plan", client))
    text = text_of(pdf.data)
    assert "DRAFT" not in text
    assert in_order(
        text, "Status", "Signed", "Electronically signed by Avery Lindqvist, LCSW, licence "
        "CA-90210", digest, f"signed by the client on {TODAY.isoformat()}",
    )  # fmt: skip


def test_no_plan_says_so(vault: Vault) -> None:
    with vault.unit_of_work() as s:
        client = add_client(s, ClientInput("Earl", "Pruitt", date(1950, 6, 7)))
    with vault.session() as s, pytest.raises(NotFoundError, match="no treatment plan"):
        make_report(s, ReportRequest("treatment-plan", client))


def test_a_copy_for_a_collaborator_needs_a_release_covering_the_plan(vault: Vault) -> None:
    client, _ = make_plan(vault)
    with vault.unit_of_work() as s:
        doctor = add_collaborator(s, CollaboratorInput("Tomasz Oduya", credentials="MD"))
    release(vault, client, doctor, Category.ATTENDANCE, Category.DIAGNOSIS)
    request = ReportRequest("treatment-plan", client, for_collaborator=doctor)
    with (
        vault.session() as s,
        pytest.raises(SharingRefused, match="does not cover: treatment plan"),
    ):
        make_report(s, request)
    release(vault, client, doctor, Category.TREATMENT_PLAN)
    with vault.unit_of_work() as s:
        pdf = make_report(s, request)
        record_sharing(s, request, pdf, "pdf")
    assert "Copy for Tomasz Oduya" in text_of(pdf.data)
    with vault.session() as s:
        (disclosure,) = list_disclosures(s, client)
    assert disclosure.what.startswith("Treatment plan")


def test_mhsw_report_treatment_plan_writes_the_file(tmp_path: Path) -> None:
    folder = tmp_path / "vault"
    vault, _ = create_vault(folder)
    try:
        client, _ = make_plan(vault)
    finally:
        vault.lock()
    out = tmp_path / "plan.pdf"
    result = mhsw("--vault", str(folder), "report", "treatment-plan", "--client", str(client),
                  "-o", str(out), stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert in_order(text_of(out.read_bytes()), "Treatment plan", "Problem 1", "Problem 2")


@pytest.mark.parametrize(
    "hostile",
    [
        "said <sigh> often",
        "A&O x3 </para> <unclosed",
        '<img src="//server/share/x.png"/> <a href="file:///etc">x</a>',
        "bidi \u202eevil\u202c and a bell \x07 and a NUL-free line\nsecond line",
        "W" * 3000,
    ],
)
def test_hostile_text_in_every_field_prints_as_text(vault: Vault, hostile: str) -> None:
    with vault.unit_of_work() as s:
        client = add_client(s, ClientInput("Ana", "González", date(1985, 3, 14)))
        version = tp.create_plan(s, client, summary=hostile)
        problem = tp.add_problem(s, version, ProblemInput(hostile))
        goal = tp.add_goal(s, problem, GoalInput(hostile, measure_kind="phq9"))
        tp.add_objective(s, goal, ObjectiveInput(hostile))
        tp.add_intervention(s, goal, InterventionInput(hostile, hostile[:200], hostile[:200]))
    with vault.session() as s:
        pdf = make_report(s, ReportRequest("treatment-plan", client))
    text = text_of(pdf.data)
    if "<" in hostile:
        assert hostile.split("\n")[0].split(" ")[0] in text
        assert "<sigh>" in text or "<img" in text or "</para>" in text
    if hostile.startswith("WWW"):  # printed whole, wrapped, on as many pages as it takes
        assert text.count("W") >= 5 * len(hostile)  # pages break it, footers between
    assert pdf.pages >= 1

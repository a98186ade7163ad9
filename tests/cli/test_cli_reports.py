"""`mhsw report` as scripts use it: files written owner-only, exit codes, --json, passwords."""

from __future__ import annotations

import io
import json
import os
import shutil
import stat
import uuid
from pathlib import Path

import pytest
from pypdf import PdfReader

from mhsw_desktop.reports import KINDS, NOT_YET
from mhsw_desktop.services.safety_plans import create_safety_plan
from mhsw_desktop.vault.vault import Vault
from tests.cli.test_cli import assert_one_line_error, mhsw
from tests.cli.test_cli_notes import PW, SOAP, add_note
from tests.support import PASSPHRASE, records_snapshot


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    folder = tmp_path_factory.mktemp("cli-reports") / "vault"
    assert mhsw("--vault", str(folder), "init", stdin=PW).returncode == 0
    added = mhsw("--vault", str(folder), "clients", "add", "--first-name", "Søren",
                 "--last-name", "Nguyễn", "--dob", "1990-02-03", stdin=PW)  # fmt: skip
    assert added.returncode == 0, added.stderr
    client = added.stdout.strip()
    prof = mhsw("--vault", str(folder), "practitioner", "set", "--name", "Avery Lindqvist",
                "--credentials", "LCSW", "--practice-name", "Harbor Lane Counseling",
                stdin=PW)  # fmt: skip
    assert prof.returncode == 0, prof.stderr
    note = add_note(folder, client, *SOAP)
    private = mhsw("--vault", str(folder), "notes", "update", note, "--psychotherapy-note",
                   "Felt protective of the client.", stdin=PW)  # fmt: skip
    assert private.returncode == 0, private.stderr
    return folder, client, note


@pytest.fixture
def vault(template: tuple[Path, str, str], tmp_path: Path) -> tuple[Path, str, str]:
    folder = tmp_path / "vault"
    shutil.copytree(template[0], folder)
    return folder, template[1], template[2]


def one_line_error(result: object, contains: str) -> None:
    assert_one_line_error(result)  # type: ignore[arg-type]
    assert contains in result.stderr  # type: ignore[attr-defined]


def pdf_text(path: Path, password: str | None = None) -> str:
    reader = PdfReader(io.BytesIO(path.read_bytes()))
    if password is not None:
        assert reader.decrypt(password)
    return " ".join((page.extract_text() or "").replace("\n", " ") for page in reader.pages)


def test_session_summary_to_a_file(vault: tuple[Path, str, str], tmp_path: Path) -> None:
    folder, client, note = vault
    out = tmp_path / "summary.pdf"
    result = mhsw("--vault", str(folder), "report", "session-summary", "--client", client,
                  "--note", note, "-o", str(out), "--json", stdin=PW)  # fmt: skip
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload == {
        "file": str(out), "kind": "session-summary", "pages": 1, "bytes": out.stat().st_size,
        "encrypted": False, "psychotherapy_notes_included": False, "for": None,
        "disclosure_id": None, "languages": ["en"],
    }  # fmt: skip
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    text = pdf_text(out)
    assert "Søren Nguyễn" in text and "Client reported panic at the grocery store." in text
    assert "DRAFT" in text and "protective" not in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["summary.pdf", "vault"]


def test_psychotherapy_notes_only_with_the_flag(
    vault: tuple[Path, str, str], tmp_path: Path
) -> None:
    folder, client, _ = vault
    out = tmp_path / "record.pdf"
    result = mhsw("--vault", str(folder), "report", "record", "--client", client, "-o", str(out),
                  "--include-psychotherapy-notes", stdin=PW)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Wrote" in result.stdout and "page" in result.stdout
    assert "Felt protective of the client." in pdf_text(out)


def test_password_from_stdin(vault: tuple[Path, str, str], tmp_path: Path) -> None:
    folder, client, _ = vault
    out = tmp_path / "face.pdf"
    result = mhsw("--vault", str(folder), "report", "face-sheet", "--client", client,
                  "-o", str(out), "--pdf-password-stdin", "--json",
                  stdin=f"{PASSPHRASE}\nferry-lantern-2031\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["encrypted"] is True
    assert PdfReader(io.BytesIO(out.read_bytes())).is_encrypted
    assert "Client face sheet" in pdf_text(out, "ferry-lantern-2031")
    short = mhsw("--vault", str(folder), "report", "face-sheet", "--client", client,
                 "-o", str(tmp_path / "x.pdf"), "--pdf-password-stdin",
                 stdin=f"{PASSPHRASE}\nshort\n")  # fmt: skip
    assert short.returncode == 1
    one_line_error(short, "at least 10")
    assert not (tmp_path / "x.pdf").exists()


def test_todays_batch_and_caseload(vault: tuple[Path, str, str], tmp_path: Path) -> None:
    folder, _, _ = vault
    from datetime import date, timedelta

    yesterday = (date.today() - timedelta(days=1)).isoformat()
    out = tmp_path / "day.pdf"
    result = mhsw("--vault", str(folder), "report", "session-summary", "--date", yesterday,
                  "-o", str(out), stdin=PW)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "grocery store" in pdf_text(out)
    none = mhsw("--vault", str(folder), "report", "session-summary", "--date", "today",
                "-o", str(tmp_path / "none.pdf"), stdin=PW)  # fmt: skip
    assert none.returncode == 1
    one_line_error(none, "No session notes on")
    caseload = tmp_path / "caseload.pdf"
    result = mhsw("--vault", str(folder), "report", "caseload", "--status", "all",
                  "-o", str(caseload), stdin=PW)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Nguyễn, Søren" in pdf_text(caseload)


@pytest.mark.parametrize("kind", sorted(NOT_YET))  # the genogram, for now
def test_kinds_not_landed_say_so_and_exit_1(
    vault: tuple[Path, str, str], tmp_path: Path, kind: str
) -> None:
    folder, client, _ = vault
    out = tmp_path / "x.pdf"
    # No passphrase is given: the command refuses before asking for one.
    result = mhsw("--vault", str(folder), "report", kind, "--client", client, "-o", str(out),
                  stdin="")  # fmt: skip
    assert result.returncode == 1
    one_line_error(result, "not available yet")
    assert not out.exists()


def test_safety_plan_and_wallet_card_to_files(vault: tuple[Path, str, str], tmp_path: Path) -> None:
    folder, client, _ = vault
    no_plan = mhsw("--vault", str(folder), "report", "safety-plan", "--client", client,
                   "-o", str(tmp_path / "none.pdf"), stdin=PW)  # fmt: skip
    assert no_plan.returncode == 1
    one_line_error(no_plan, "This client has no safety plan yet.")
    assert not (tmp_path / "none.pdf").exists()
    opened = Vault.open(folder, PASSPHRASE)
    try:
        with opened.unit_of_work() as session:
            create_safety_plan(session, uuid.UUID(client))  # the clinician and 988
    finally:
        opened.lock()
    plan, card = tmp_path / "plan.pdf", tmp_path / "card.pdf"
    for kind, out in (("safety-plan", plan), ("wallet-card", card)):
        result = mhsw("--vault", str(folder), "report", kind, "--client", client,
                      "-o", str(out), stdin=PW)  # fmt: skip
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "My safety plan" in pdf_text(plan) and "Søren Nguyễn" in pdf_text(plan)
    assert "Draft – not yet signed" in pdf_text(plan)
    assert len(PdfReader(io.BytesIO(card.read_bytes())).pages) == 1
    assert "988 Suicide & Crisis Lifeline" in pdf_text(card)
    # the card is for the client only: refused before the passphrase is asked
    shared = mhsw("--vault", str(folder), "report", "wallet-card", "--client", client,
                  "--for", client, "-o", str(tmp_path / "x.pdf"), stdin="")  # fmt: skip
    assert shared.returncode != 0
    one_line_error(shared, "client only")
    assert not (tmp_path / "x.pdf").exists()


def test_every_kind_is_known_to_the_parser() -> None:
    helped = mhsw("report", "--help")
    assert helped.returncode == 0
    for kind in KINDS:
        assert kind in helped.stdout


def test_refusals_change_nothing(vault: tuple[Path, str, str], tmp_path: Path) -> None:
    folder, client, note = vault
    before = records_snapshot(folder)
    out = tmp_path / "x.pdf"
    wrong = mhsw("--vault", str(folder), "report", "face-sheet", "--client", client,
                 "-o", str(out), stdin="not the passphrase at all\n")  # fmt: skip
    assert wrong.returncode == 3
    no_folder = mhsw("--vault", str(folder), "report", "face-sheet", "--client", client,
                     "-o", str(tmp_path / "missing" / "x.pdf"), stdin=PW)  # fmt: skip
    assert no_folder.returncode == 1
    one_line_error(no_folder, "does not exist")
    no_client = mhsw("--vault", str(folder), "report", "face-sheet", "-o", str(out), stdin=PW)
    assert no_client.returncode == 2
    one_line_error(no_client, "needs --client")
    for wrong, says in (
        (["face-sheet", "--client", client, "--note", note], "--note is for"),
        (["record", "--client", client, "--date", "today"], "--date is for"),
        (["session-summary", "--client", client, "--note", note, "--date", "today"], "not both"),
        (["record", "--client", client, "--status", "all"], "--status is for"),
        (["face-sheet", "--client", client, "--include-psychotherapy-notes"], "record only"),
    ):
        misused = mhsw("--vault", str(folder), "report", *wrong, "-o", str(out), stdin=PW)
        assert misused.returncode == 2, wrong
        one_line_error(misused, says)
    bad_kind = mhsw("--vault", str(folder), "report", "horoscope", "-o", str(out), stdin=PW)
    assert bad_kind.returncode == 2
    collab = mhsw("--vault", str(folder), "report", "session-summary", "--client", client,
                  "--for", note, "-o", str(out), stdin=PW)  # fmt: skip
    assert collab.returncode == 1
    one_line_error(collab, "No collaborator with id")
    assert not out.exists()
    assert records_snapshot(folder) == before
    assert os.listdir(tmp_path) == ["vault"]


def test_a_copy_for_a_collaborator_needs_a_release_and_is_recorded(
    vault: tuple[Path, str, str], tmp_path: Path
) -> None:
    folder, client, note = vault
    signed = mhsw("--vault", str(folder), "notes", "sign", note, stdin=PW)
    assert signed.returncode == 0, signed.stderr
    added = mhsw("--vault", str(folder), "collaborators", "add", "--name", "Tomasz Oduya",
                 "--credentials", "MD", "--phone", "(802) 555-0177", stdin=PW)  # fmt: skip
    assert added.returncode == 0, added.stderr
    doctor = added.stdout.strip().split()[-1]
    out = tmp_path / "for-doctor.pdf"
    refused = mhsw("--vault", str(folder), "report", "session-summary", "--client", client,
                   "--for", doctor, "-o", str(out), stdin=PW)  # fmt: skip
    assert refused.returncode == 1
    one_line_error(refused, "Nothing was shared")
    assert not out.exists()
    from datetime import date, timedelta

    signed_on = (date.today() - timedelta(days=2)).isoformat()
    roi = mhsw("--vault", str(folder), "roi", "add", "--client", client, "--collaborator", doctor,
               "--categories", "attendance,progress_summaries", "--purpose", "Medication review",
               "--signed", signed_on, "--expiry-event", "end of treatment",
               stdin=PW)  # fmt: skip
    assert roi.returncode == 0, roi.stderr
    made = mhsw("--vault", str(folder), "report", "session-summary", "--client", client,
                "--for", doctor, "-o", str(out), "--json", stdin=PW)  # fmt: skip
    assert made.returncode == 0, made.stderr
    payload = json.loads(made.stdout)
    assert payload["for"] == doctor and payload["disclosure_id"]
    assert "Copy for Tomasz Oduya, MD" in pdf_text(out)
    listed = json.loads(mhsw("--vault", str(folder), "disclosures", "--client", client,
                             "--json", stdin=PW).stdout)  # fmt: skip
    entries = listed["disclosures"] if isinstance(listed, dict) else listed
    assert [d["id"] for d in entries] == [payload["disclosure_id"]]
    accounting = tmp_path / "accounting.pdf"
    printed = mhsw("--vault", str(folder), "report", "disclosures", "--client", client,
                   "-o", str(accounting), stdin=PW)  # fmt: skip
    assert printed.returncode == 0, printed.stderr
    assert "Session summary (1 page)" in pdf_text(accounting)

"""The care team on the command line: collaborators and vCards, teams, releases with their
status, the coordination log, the sharing guard and the accounting of disclosures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli import ENV, assert_one_line_error, mhsw
from tests.support import PASSPHRASE, records_snapshot, snapshot

PW = f"{PASSPHRASE}\n"
TODAY = date.today()


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def ok(folder: Path, *args: str) -> str:
    result = mhsw("--vault", str(folder), *args, stdin=PW)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def as_json(folder: Path, *args: str) -> Any:
    return json.loads(ok(folder, *args, "--json"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    folder = tmp_path_factory.mktemp("cli-care") / "vault"
    assert mhsw("--vault", str(folder), "init", stdin=PW).returncode == 0
    ids = {
        "client": ok(folder, "clients", "add", "--first-name", "Ana", "--last-name", "Synth",
                     "--dob", "1990-02-03", "--intake-date", day(-100)),
        "okafor": ok(folder, "collaborators", "add", "--name", "Maya Okafor", "--credentials",
                     "MD", "--role", "psychiatrist", "--phone", "(406) 555-0123", "--fax",
                     "(406) 555-0124", "--email", "maya.okafor@example.org",
                     "--preferred-contact", "fax", "--address", "12 Quay St\nPort Synth"),
        "brandt": ok(folder, "collaborators", "add", "--name", "Theo Brandt", "--role",
                     "probation_parole", "--phone", "406-555-0150"),
    }  # fmt: skip
    return folder, ids


@pytest.fixture
def vault(template: tuple[Path, dict[str, str]], tmp_path: Path) -> tuple[Path, dict[str, str]]:
    folder = tmp_path / "vault"
    shutil.copytree(template[0], folder)
    return folder, template[1]


def test_a_care_team_is_scripted_end_to_end(vault: tuple[Path, dict[str, str]]) -> None:
    folder, ids = vault
    client, okafor, brandt = ids["client"], ids["okafor"], ids["brandt"]
    listed = as_json(folder, "collaborators", "list")
    assert listed["count"] == 2
    assert [c["name"] for c in listed["collaborators"]] == ["Maya Okafor", "Theo Brandt"]
    assert listed["collaborators"][0]["preferred_contact"] == "fax"

    member = ok(folder, "team", "add", "--client", client, "--collaborator", okafor, "--primary",
                "--role", "Prescriber", "--start", day(-30))  # fmt: skip
    ok(folder, "team", "add", "--client", client, "--collaborator", brandt)
    ok(folder, "roi", "add", "--client", client, "--collaborator", okafor,
       "--categories", "attendance,diagnosis,treatment-plan", "--purpose", "Coordination of care",
       "--signed", day(-10), "--expires", day(355))  # fmt: skip

    team = as_json(folder, "team", "list", "--client", client)
    assert team["count"] == 2
    first, second = team["members"]
    assert first["id"] == member and first["primary_contact"] and first["team_role"] == "Prescriber"
    assert first["release_status"] == "active"
    assert first["may_share"] == ["attendance", "diagnosis", "treatment_plan"]
    assert second["collaborator_id"] == brandt and second["release_status"] is None
    text = ok(folder, "team", "list", "--client", client)
    assert "Maya Okafor, MD (Prescriber, primary contact)" in text
    assert "release: no release; may share: nothing" in text

    ok(folder, "team", "end", member, "--date", TODAY.isoformat())
    assert ok(folder, "team", "list", "--client", client).count("current") == 2  # ends today


def test_the_guard_refuses_what_no_release_covers_and_records_nothing(
    vault: tuple[Path, dict[str, str]],
) -> None:
    folder, ids = vault
    client, okafor, brandt = ids["client"], ids["okafor"], ids["brandt"]
    ok(folder, "roi", "add", "--client", client, "--collaborator", okafor,
       "--categories", "attendance,diagnosis", "--purpose", "Coordination of care",
       "--signed", day(-10), "--expires", day(355))  # fmt: skip
    before = records_snapshot(folder)
    refusals = [
        (brandt, "diagnosis", "There is no release of information"),
        (okafor, "diagnosis,psychotherapy_notes", "does not cover: psychotherapy notes"),
        (okafor, "substance_use", "42 CFR Part 2"),
        (okafor, "progress_summaries", "does not cover: progress summaries"),
    ]
    for to, categories, words in refusals:
        result = mhsw("--vault", str(folder), "disclose", "--client", client, "--to", to,
                      "--categories", categories, "--means", "fax", "--what", "record",
                      stdin=PW)  # fmt: skip
        assert result.returncode == 1, result.stderr
        assert_one_line_error(result)
        assert words in result.stderr and "Nothing was shared." in result.stderr
    assert records_snapshot(folder) == before
    assert as_json(folder, "disclosures", "--client", client) == {"count": 0, "disclosures": []}

    recorded = as_json(folder, "disclose", "--client", client, "--to", okafor,
                       "--categories", "diagnosis", "--means", "verbal",
                       "--what", "Phone call: diagnosis confirmed", "--date", day(-1))  # fmt: skip
    accounting = as_json(folder, "disclosures", "--client", client)
    assert accounting["count"] == 1
    (entry,) = accounting["disclosures"]
    assert entry["id"] == recorded["id"] and entry["release_id"] == recorded["release_id"]
    assert entry["recipient_name"] == "Maya Okafor, MD" and entry["means"] == "verbal"
    assert entry["categories"] == ["diagnosis"] and entry["disclosed_on"] == day(-1)
    assert entry["purpose"] == "Coordination of care"
    result = mhsw("--vault", str(folder), "disclosures", "--client", client, stdin=PW)
    assert "Maya Okafor, MD  Verbal  [diagnosis]  Phone call" in result.stdout
    assert result.stderr.strip() == "1 disclosure"


def test_roi_list_shows_the_status_computed_today(vault: tuple[Path, dict[str, str]]) -> None:
    folder, ids = vault
    client, okafor, brandt = ids["client"], ids["okafor"], ids["brandt"]

    def add(*more: str) -> str:
        return ok(folder, "roi", "add", "--client", client, "--purpose", "Coordination",
                  *more)  # fmt: skip

    active = add("--collaborator", okafor, "--categories", "diagnosis", "--signed", day(-5),
                 "--expiry-event", "End of treatment")  # fmt: skip
    expiring = add("--collaborator", okafor, "--categories", "attendance", "--signed", day(-5),
                   "--expires", TODAY.isoformat())  # fmt: skip
    expired = add("--collaborator", brandt, "--categories", "attendance", "--signed", day(-400),
                  "--expires", day(-1))  # fmt: skip
    revoked = add("--collaborator", brandt, "--categories", "substance_use", "--signed", day(-5),
                  "--expires", day(300), "--substance-use-consent",
                  "Attendance at the SUD programme only")  # fmt: skip
    ok(folder, "roi", "revoke", revoked)
    rows = {r["id"]: r for r in as_json(folder, "roi", "list", "--client", client)["releases"]}
    assert {i: r["status"] for i, r in rows.items()} == {
        active: "active",
        expiring: "expiring",
        expired: "expired",
        revoked: "revoked",
    }
    assert rows[expiring]["days_left"] == 0 and rows[active]["expiry_event"] == "End of treatment"
    assert rows[revoked]["substance_use_consent"] == "Attendance at the SUD programme only"
    text = ok(folder, "roi", "list", "--client", client)
    assert "EXPIRING" in text and "expires on: End of treatment" in text
    assert f"revoked {TODAY.isoformat()}" in text
    # the expiring release got its follow-up task, due today
    tasks = as_json(folder, "tasks", "list", "--due", "today")["tasks"]
    assert [t["title"] for t in tasks] == [
        f"Release of information expires {TODAY.isoformat()}: renew or close"
    ]


def test_the_coordination_log(vault: tuple[Path, dict[str, str]]) -> None:
    folder, ids = vault
    client, okafor = ids["client"], ids["okafor"]
    ok(
        folder,
        "contacts",
        "add",
        "--client",
        client,
        "--collaborator",
        okafor,
        "--date",
        day(-2),
        "--mode",
        "phone",
        "--direction",
        "out",
        "--summary",
        "Medication review",
    )
    ok(
        folder,
        "contacts",
        "add",
        "--client",
        client,
        "--collaborator",
        okafor,
        "--date",
        day(-1),
        "--mode",
        "secure_message",
        "--direction",
        "in",
        "--summary",
        "Labs received",
    )
    log = as_json(folder, "contacts", "list", "--client", client)
    assert [(c["summary"], c["mode"], c["direction"]) for c in log["contacts"]] == [
        ("Labs received", "secure_message", "in"),
        ("Medication review", "phone", "out"),
    ]
    result = mhsw("--vault", str(folder), "contacts", "add", "--client", client,
                  "--collaborator", okafor, "--date", day(1), "--mode", "phone",
                  "--direction", "in", "--summary", "x", stdin=PW)  # fmt: skip
    assert result.returncode == 1 and "in the future" in result.stderr
    assert_one_line_error(result)


@pytest.mark.parametrize("version", ["3.0", "4.0"])
def test_vcards_round_trip_between_vaults(
    vault: tuple[Path, dict[str, str]], tmp_path: Path, version: str
) -> None:
    folder, _ids = vault
    card = tmp_path / "directory.vcf"
    out = as_json(folder, "collaborators", "export-vcard", "-o", str(card),
                  "--vcard-version", version)  # fmt: skip
    assert out == {"file": str(card), "count": 2, "version": version}
    assert card.read_text(encoding="utf-8").count(f"VERSION:{version}") == 2
    assert card.stat().st_mode & 0o077 == 0  # owner-only, like every file the app writes

    other = tmp_path / "other"
    assert mhsw("--vault", str(other), "init", stdin=PW).returncode == 0
    imported = as_json(other, "collaborators", "import-vcard", str(card))
    assert imported["imported"] == 2 and imported["skipped"] == []

    def directory(where: Path) -> list[dict[str, Any]]:
        found = as_json(where, "collaborators", "list")["collaborators"]
        return [{k: v for k, v in c.items() if k != "id"} for c in found]

    assert directory(other) == directory(folder)
    again = mhsw("--vault", str(other), "collaborators", "import-vcard", str(card), stdin=PW)
    assert again.returncode == 0
    assert again.stdout.startswith("Imported 0 collaborators.\nSkipped 2 duplicates:")
    assert "already in the directory as" in again.stdout


def test_a_malformed_vcard_file_is_refused_before_the_passphrase(
    vault: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    folder, _ids = vault
    bad = tmp_path / "bad.vcf"
    bad.write_bytes(
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lena Park\r\nTEL:406 555 0170\r\nEND:VCARD\r\n"
        b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo\r\nEMAIL:bo-at-example.org\r\nEND:VCARD\r\n"
    )
    before = snapshot(folder)
    result = mhsw("--vault", str(folder), "collaborators", "import-vcard", str(bad), stdin="")
    assert result.returncode == 1
    assert_one_line_error(result)
    assert "card 2 (Bo): email does not look like an email address" in result.stderr
    assert "Nothing was imported." in result.stderr
    missing = mhsw("--vault", str(folder), "collaborators", "import-vcard",
                   str(tmp_path / "nope.vcf"), stdin="")  # fmt: skip
    assert missing.returncode == 1 and "Could not read" in missing.stderr
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (["roi", "add", "--client", "{client}", "--collaborator", "{okafor}", "--categories",
          "everything", "--purpose", "x", "--signed", "2025-01-01"], 2, "not a category"),
        (["roi", "list"], 2, "--client"),
        (["team", "list", "--client", "not-an-id"], 2, "not a record id"),
        (["collaborators", "add", "--name", "X", "--role", "wizard"], 2, "invalid choice"),
        (["collaborators", "export-vcard", "-o", "/nonexistent-folder/x.vcf"], 1, "does not exist"),
        (["team", "list", "--client", "0192f0c1-a2b3-7c4d-8e9f-00112233aabc"], 1, "No client"),
        (["roi", "add", "--client", "{client}", "--collaborator", "{okafor}", "--categories",
          "diagnosis", "--purpose", "x", "--signed", "2025-01-01"], 1, "expiry date or an expiry"),
        (["collaborators", "add", "--name", "Maya Okafor", "--phone", "+1 406 555 0123"], 1,
         "already in the directory"),
        (["collaborators", "add", "--name", "Ann", "--preferred-contact", "email"], 1,
         "preferred contact: is email, but none is recorded"),
    ],
)  # fmt: skip
def test_errors_are_one_line_with_the_usual_exit_codes(
    vault: tuple[Path, dict[str, str]], args: list[str], code: int, words: str
) -> None:
    folder, ids = vault
    filled = [a.format(**ids) for a in args]
    result = mhsw("--vault", str(folder), *filled, stdin=PW)
    assert result.returncode == code, result.stderr
    assert words in result.stderr
    assert_one_line_error(result)


def test_the_care_team_commands_import_neither_qt_nor_reportlab(
    vault: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    folder, ids = vault
    code = (
        "import sys\n"
        "from mhsw_desktop.cli import main\n"
        f"for argv in ({['team', 'list', '--client', ids['client']]!r},"
        f" {['roi', 'list', '--client', ids['client']]!r},"
        f" {['disclosures', '--client', ids['client']]!r},"
        f" {['collaborators', 'export-vcard', '-o', str(tmp_path / 'x.vcf')]!r}):\n"
        f"    assert main(['--vault', {str(folder)!r}, *argv]) == 0\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', "
        "'reportlab', 'alembic', 'zxcvbn')]\n"
        "print(heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=PW * 4,
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.strip().endswith("[]"), result.stderr

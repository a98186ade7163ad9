"""Community resources and referrals on the command line: CSV import (all or nothing,
refused before the passphrase), export, list with --json and filters, and referrals whose
follow-up date is a task.

Only synthetic places: example.org addresses, 555-01xx phones.
"""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_cli import assert_one_line_error, mhsw
from tests.support import PASSPHRASE, snapshot

PW = f"{PASSPHRASE}\n"
TODAY = date.today()
HEADER = "name,services,categories,eligibility,hours,phone,email,website,address,languages,notes"
GOOD_CSV = (
    HEADER + "\r\n"
    "Riverbend Food Pantry,Groceries weekly,food,County residents,Tue 10-16,(406) 555-0101,"
    'pantry@example.org,riverbend.example.org,"14 Mill Street\nRiverbend","English, Español",\r\n'
    "Northfork Legal Aid,Benefits appeals,legal_aid;benefits,,,(406) 555-0106,,,,Français,\r\n"
)


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def ok(folder: Path, *args: str) -> str:
    result = mhsw("--vault", str(folder), *args, stdin=PW)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def as_json(folder: Path, *args: str) -> Any:
    return json.loads(ok(folder, *args, "--json"))


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("cli-resources") / "vault"
    assert mhsw("--vault", str(folder), "init", stdin=PW).returncode == 0
    client = ok(folder, "clients", "add", "--first-name", "Ana", "--last-name", "Synth",
                "--dob", "1990-02-03", "--intake-date", day(-100))  # fmt: skip
    return folder, client


@pytest.fixture
def vault(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "vault"
    shutil.copytree(template[0], folder)
    return folder, template[1]


def write(tmp_path: Path, text: str, name: str = "resources.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return path


def test_import_list_export_round_trip(vault: tuple[Path, str], tmp_path: Path) -> None:
    folder, _client = vault
    source = write(tmp_path, GOOD_CSV)
    out = ok(folder, "resources", "import-csv", str(source))
    assert out == "Imported 2 resources."
    listed = as_json(folder, "resources", "list")
    assert listed["count"] == 2
    pantry = listed["resources"][1]
    assert pantry["name"] == "Riverbend Food Pantry"
    assert pantry["categories"] == ["food"]
    assert pantry["address"] == "14 Mill Street\nRiverbend"
    text = ok(folder, "resources", "list")
    assert "Northfork Legal Aid  (Benefits, Legal aid  (406) 555-0106  Français)" in text

    target = tmp_path / "out.csv"
    result = json.loads(ok(folder, "resources", "export-csv", "-o", str(target), "--json"))
    assert result == {"file": str(target), "count": 2}
    exported = target.read_bytes()
    assert exported.startswith(b"\xef\xbb\xbf" + HEADER.encode() + b"\r\n")

    # importing the export again skips both as duplicates, naming their rows
    again = mhsw("--vault", str(folder), "resources", "import-csv", str(target), stdin=PW)
    assert again.returncode == 0, again.stderr
    assert "Imported 0 resources." in again.stdout
    assert "row 2: Northfork Legal Aid (already in the directory as" in again.stdout
    assert "row 3: Riverbend Food Pantry" in again.stdout


def test_filters_fold_case_and_accents(vault: tuple[Path, str], tmp_path: Path) -> None:
    folder, _client = vault
    ok(folder, "resources", "import-csv", str(write(tmp_path, GOOD_CSV)))

    def names(*args: str) -> list[str]:
        return [r["name"] for r in as_json(folder, "resources", "list", *args)["resources"]]

    assert names("--search", "PANTRY") == ["Riverbend Food Pantry"]
    assert names("--language", "espanol") == ["Riverbend Food Pantry"]
    assert names("--language", "francais") == ["Northfork Legal Aid"]
    assert names("--category", "Legal aid") == ["Northfork Legal Aid"]
    assert names("--category", "crisis") == []
    bad = mhsw("--vault", str(folder), "resources", "list", "--category", "spa", stdin=PW)
    assert bad.returncode == 2
    assert_one_line_error(bad)


def test_malformed_csv_is_refused_before_the_passphrase(
    vault: tuple[Path, str], tmp_path: Path
) -> None:
    folder, _client = vault
    before = snapshot(folder)
    source = write(
        tmp_path,
        HEADER + "\nGood,,,,,,,,,,\n,missing name,,,,,,,,,\nBad,,,,,not a phone,,,,,\n",
    )
    result = mhsw("--vault", str(folder), "resources", "import-csv", str(source))  # no stdin
    assert result.returncode == 1
    assert_one_line_error(result)
    assert "Nothing was imported" in result.stderr
    assert "row 3, name: is required" in result.stderr
    assert "row 4, phone: does not look like a phone number" in result.stderr
    assert "passphrase" not in result.stderr.lower()
    assert snapshot(folder) == before
    assert as_json(folder, "resources", "list")["count"] == 0

    missing = mhsw("--vault", str(folder), "resources", "import-csv", str(tmp_path / "no.csv"))
    assert missing.returncode == 1
    assert_one_line_error(missing)
    assert "Could not read" in missing.stderr


def test_add_refuses_duplicates_and_bad_fields(vault: tuple[Path, str]) -> None:
    folder, _client = vault
    ok(folder, "resources", "add", "--name", "Synth Shelter", "--phone", "406-555-0120",
       "--categories", "housing;crisis")  # fmt: skip
    dup = mhsw("--vault", str(folder), "resources", "add", "--name", "synth shelter",
               "--phone", "(406) 555-0120", stdin=PW)  # fmt: skip
    assert dup.returncode == 1 and "already in the directory" in dup.stderr
    long = mhsw("--vault", str(folder), "resources", "add", "--name", "x" * 201)  # no stdin
    assert long.returncode == 1
    assert_one_line_error(long)
    assert "at most 200 fit" in long.stderr


def test_referrals_with_follow_up_tasks(vault: tuple[Path, str]) -> None:
    folder, client = vault
    resource = ok(folder, "resources", "add", "--name", "Valley Ride", "--phone", "406-555-0103")
    made = as_json(folder, "referrals", "add", "--client", client, "--resource", resource,
                   "--date", day(-2), "--follow-up", day(5),
                   "--notes", "Rides to clinic")  # fmt: skip
    assert made["status"] == "made"
    assert made["followup_date"] == day(5)
    tasks = as_json(folder, "tasks", "list", "--due", "all")["tasks"]
    assert [(t["title"], t["due_date"]) for t in tasks] == [
        ("Follow up referral: Valley Ride", day(5))
    ]

    as_json(folder, "referrals", "update", made["id"], "--follow-up", day(9))
    tasks = as_json(folder, "tasks", "list", "--due", "all")["tasks"]
    assert [t["due_date"] for t in tasks] == [day(9)]

    done = as_json(folder, "referrals", "update", made["id"], "--status", "completed")
    assert done["status"] == "completed" and done["status_date"] == day(0)
    assert done["followup_done"] is True
    tasks = as_json(folder, "tasks", "list", "--due", "all")["tasks"]
    assert tasks[0]["completed_at"] is not None

    listed = as_json(folder, "referrals", "list", "--client", client)
    assert listed["count"] == 1 and listed["referrals"][0]["notes"] == "Rides to clinic"
    text = ok(folder, "referrals", "list", "--client", client)
    assert f"{day(-2)}  Valley Ride  Completed {day(0)}  follow-up {day(9)} (done)" in text

    future = mhsw("--vault", str(folder), "referrals", "add", "--client", client,
                  "--resource", resource, "--date", day(1), stdin=PW)  # fmt: skip
    assert future.returncode == 1
    assert_one_line_error(future)
    assert "is in the future" in future.stderr

"""`mhsw safety-plan show` as scripts use it: the newest version or a numbered one, the
history, `--json`, and one-line errors (exit 1 for a client without a plan, 2 for usage)."""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from mhsw_desktop.services import safety_plans as sp
from mhsw_desktop.services.practitioner import Signer
from mhsw_desktop.services.safety_plans import Contact, SafetyPlanInput
from mhsw_desktop.vault.vault import Vault
from tests.cli.test_cli import assert_one_line_error, mhsw
from tests.support import PASSPHRASE

PW = f"{PASSPHRASE}\n"
DAY = date(2025, 3, 4)


def ok(folder: Path, *args: str) -> str:
    result = mhsw("--vault", str(folder), *args, stdin=PW)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, str]:
    """A vault with a client whose plan has a signed version 1 and a draft version 2, and
    a client with no plan."""
    folder = tmp_path_factory.mktemp("cli-safety") / "vault"
    assert mhsw("--vault", str(folder), "init", stdin=PW).returncode == 0
    client = ok(folder, "clients", "add", "--first-name", "Sofía", "--last-name", "Muñoz",
                "--dob", "1991-05-06").strip()  # fmt: skip
    other = ok(folder, "clients", "add", "--first-name", "Liam", "--last-name", "Synth",
               "--dob", "1980-01-02").strip()  # fmt: skip
    content = SafetyPlanInput(
        plan_date=DAY,
        warning_signs=("Not sleeping",),
        coping_strategies=("Play guitar",),
        help_contacts=(Contact("Rosa (sister)", "(406) 555-0142"),),
        professional_contacts=(
            Contact("988 Suicide & Crisis Lifeline", "988", "Call or text", "Line one\nLine two"),
        ),
        environment_safety=("Medications kept by my partner",),
        likelihood_of_use=7,
    )
    opened = Vault.open(folder, PASSPHRASE)
    with opened, opened.unit_of_work() as s:
        first = sp.create_safety_plan(s, uuid.UUID(client), content, today=DAY)
        sp.sign_version(s, first, Signer("Avery Lindqvist", "LCSW"), now=datetime(2025, 3, 4, 17))
        second = sp.start_new_version(s, uuid.UUID(client), today=DAY)
        sp.update_draft(
            s, second, replace(content, warning_signs=("Not sleeping", "Skipping meals")),
            today=DAY,
        )  # fmt: skip
    return folder, client, other


def test_show_prints_the_newest_version_step_by_step(vault: tuple[Path, str, str]) -> None:
    folder, client, _ = vault
    out = ok(folder, "safety-plan", "show", "--client", client).splitlines()
    assert out[0] == "Safety plan, version 2 of 2025-03-04 (draft, not signed)"
    steps = [line for line in out if line[:1].isdigit()]
    assert [s.split(".")[0] for s in steps] == ["1", "2", "3", "4", "5", "6", "7"]
    assert "   - Skipping meals" in out and "   - Rosa (sister)  (406) 555-0142" in out
    assert "   - 988 Suicide & Crisis Lifeline  988 (Call or text; Line one, Line two)" in out
    assert out[out.index("3. People and places that distract me") + 1] == "   (nothing yet)"
    assert "Likelihood of use: 7 of 10" in out
    assert out[-1] == "Versions: 2 of 2025-03-04 (draft); 1 of 2025-03-04 (signed)"


def test_show_a_numbered_version_as_json(vault: tuple[Path, str, str]) -> None:
    folder, client, _ = vault
    out = json.loads(ok(folder, "safety-plan", "show", "--client", client, "--version", "1",
                        "--json"))  # fmt: skip
    assert out["client_id"] == client
    version = out["version"]
    assert (version["number"], version["status"], version["plan_date"]) == (
        1,
        "signed",
        "2025-03-04",
    )
    assert version["signer"] == {"name": "Avery Lindqvist", "credentials": "LCSW", "licence": ""}
    assert version["signed_at"] == "2025-03-04T17:00:00" and len(version["content_hash"]) == 64
    assert version["steps"][0]["entries"] == ["Not sleeping"]
    assert version["steps"][3] == {
        "number": 4, "key": "help_contacts", "title": "People I can ask for help",
        "entries": [{"name": "Rosa (sister)", "phone": "(406) 555-0142"}],
    }  # fmt: skip
    assert [(v["number"], v["status"]) for v in out["versions"]] == [(2, "draft"), (1, "signed")]


def test_a_client_without_a_plan_or_version_is_one_line_exit_1(
    vault: tuple[Path, str, str],
) -> None:
    folder, client, other = vault
    for args in (("--client", other), ("--client", client, "--version", "9"),
                 ("--client", str(uuid.uuid4()))):  # fmt: skip
        result = mhsw("--vault", str(folder), "safety-plan", "show", *args, stdin=PW)
        assert result.returncode == 1 and result.stdout == ""
        assert_one_line_error(result)
    result = mhsw("--vault", str(folder), "safety-plan", "show", "--client", other, stdin=PW)
    assert "no safety plan yet" in result.stderr


def test_usage_errors_exit_2_before_the_passphrase(vault: tuple[Path, str, str]) -> None:
    folder, client, _ = vault
    for args in (("show",), ("show", "--client", "not-an-id"), ("show", "--client", client,
                 "--version", "0"), ("sign", "--client", client)):  # fmt: skip
        result = mhsw("--vault", str(folder), "safety-plan", *args)  # no passphrase given
        assert result.returncode == 2, (args, result.stderr)
        assert_one_line_error(result)

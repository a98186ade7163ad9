"""The notes, search, tasks and practitioner commands as scripts use them."""

from __future__ import annotations

import json
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.cli.test_cli import assert_one_line_error, mhsw
from tests.support import PASSPHRASE, records_snapshot

YESTERDAY = (date.today() - timedelta(days=1)).isoformat()
PW = f"{PASSPHRASE}\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("cli-notes") / "vault"
    assert mhsw("--vault", str(folder), "init", stdin=PW).returncode == 0
    added = mhsw("--vault", str(folder), "clients", "add", "--first-name", "Ana",
                 "--last-name", "González", "--dob", "1990-02-03", stdin=PW)  # fmt: skip
    assert added.returncode == 0, added.stderr
    prof = mhsw("--vault", str(folder), "practitioner", "set", "--name", "Avery Lindqvist",
                "--credentials", "LCSW", "--licence-number", "SYN-1", stdin=PW)  # fmt: skip
    assert prof.returncode == 0, prof.stderr
    return folder, added.stdout.strip()


@pytest.fixture
def vault(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "vault"
    shutil.copytree(template[0], folder)
    return folder, template[1]


def add_note(folder: Path, client: str, *sections: str, template: str = "soap") -> str:
    args = ["--vault", str(folder), "notes", "add", "--client", client, "--template", template,
            "--date", YESTERDAY, "--duration", "50"]  # fmt: skip
    for section in sections:
        args += ["--section", section]
    result = mhsw(*args, stdin=PW)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


SOAP = ("subjective=Client reported panic at the grocery store.", "objective=Anxious; x3.",
        "assessment=Panic symptoms persist.", "plan=Paced breathing; weekly.")  # fmt: skip


def test_add_list_show_sign_and_addendum(vault: tuple[Path, str]) -> None:
    folder, client = vault
    note_id = add_note(folder, client, *SOAP)
    listed = json.loads(mhsw("--vault", str(folder), "notes", "list", "--client", client,
                             "--json", stdin=PW).stdout)  # fmt: skip
    assert listed["count"] == 1 and listed["notes"][0]["id"] == note_id
    assert listed["notes"][0]["signed_at"] is None and listed["notes"][0]["template"] == "SOAP"

    signed = mhsw("--vault", str(folder), "notes", "sign", note_id, "--json", stdin=PW)
    assert signed.returncode == 0, signed.stderr
    digest = json.loads(signed.stdout)["content_hash"]
    assert len(digest) == 64

    added = mhsw("--vault", str(folder), "notes", "addendum", note_id, "--text",
                 "Correction: 45 minutes.", stdin=PW)  # fmt: skip
    assert added.returncode == 0, added.stderr
    shown = json.loads(mhsw("--vault", str(folder), "notes", "show", note_id, "--json",
                            stdin=PW).stdout)  # fmt: skip
    assert shown["content_hash"] == digest and shown["signer"] == "Avery Lindqvist"
    assert shown["sections"]["plan"] == "Paced breathing; weekly."
    assert [a["text"] for a in shown["addenda"]] == ["Correction: 45 minutes."]


def test_changing_a_signed_note_fails_with_exit_1(vault: tuple[Path, str]) -> None:
    folder, client = vault
    note_id = add_note(folder, client, *SOAP)
    assert mhsw("--vault", str(folder), "notes", "sign", note_id, stdin=PW).returncode == 0
    before = records_snapshot(folder)
    result = mhsw("--vault", str(folder), "notes", "update", note_id, "--section",
                  "plan=rewritten", stdin=PW)  # fmt: skip
    assert result.returncode == 1
    assert "signed and can no longer be changed" in result.stderr
    assert_one_line_error(result)
    assert records_snapshot(folder) == before
    again = mhsw("--vault", str(folder), "notes", "sign", note_id, stdin=PW)
    assert again.returncode == 1 and "signed" in again.stderr


def test_a_draft_can_be_updated_and_an_incomplete_one_cannot_be_signed(
    vault: tuple[Path, str],
) -> None:
    folder, client = vault
    note_id = add_note(folder, client, "subjective=Only this.")
    refused = mhsw("--vault", str(folder), "notes", "sign", note_id, stdin=PW)
    assert refused.returncode == 1 and "required before signing" in refused.stderr
    for section in SOAP[1:]:
        updated = mhsw("--vault", str(folder), "notes", "update", note_id, "--section", section,
                       stdin=PW)  # fmt: skip
        assert updated.returncode == 0, updated.stderr
    assert mhsw("--vault", str(folder), "notes", "sign", note_id, stdin=PW).returncode == 0


@pytest.mark.parametrize(
    ("args", "code", "words"),
    [
        (("--template", "nope", "--date", YESTERDAY), 1, "No note template"),
        (("--template", "soap", "--date", "2999-01-01"), 1, "in the future"),
        (("--template", "soap", "--date", YESTERDAY, "--section", "mood=x"), 1, "no section"),
        (("--template", "soap", "--date", YESTERDAY, "--section", "noequals"), 2, "NAME=TEXT"),
        (("--template", "soap", "--date", YESTERDAY, "--duration", "0"), 1, "between 1"),
    ],
)
def test_bad_note_input_is_one_clear_line(
    vault: tuple[Path, str], args: tuple[str, ...], code: int, words: str
) -> None:
    folder, client = vault
    result = mhsw("--vault", str(folder), "notes", "add", "--client", client, *args, stdin=PW)
    assert result.returncode == code, result.stderr
    assert words in result.stderr
    assert_one_line_error(result)


def test_a_malformed_id_is_a_usage_error(vault: tuple[Path, str]) -> None:
    folder, _client = vault
    result = mhsw("--vault", str(folder), "notes", "list", "--client", "not-an-id", stdin=PW)
    assert result.returncode == 2 and "not a record id" in result.stderr


def test_search_json_and_hints(vault: tuple[Path, str]) -> None:
    folder, client = vault
    add_note(folder, client, *SOAP)
    found = mhsw("--vault", str(folder), "search", "grocery", "--json", stdin=PW)
    assert found.returncode == 0, found.stderr
    doc = json.loads(found.stdout)
    assert doc["count"] == 1
    assert "[grocery]" in doc["results"][0]["snippet"]
    assert doc["results"][0]["client_name"] == "González, Ana"
    by_client = json.loads(mhsw("--vault", str(folder), "search", "gonzalez", "--client", client,
                                "--json", stdin=PW).stdout)  # fmt: skip
    assert [r["kind"] for r in by_client["results"]] == ["client"]
    bad = mhsw("--vault", str(folder), "search", '"unclosed', stdin=PW)
    assert bad.returncode == 1 and "quotation mark" in bad.stderr
    assert_one_line_error(bad)


def test_tasks_add_list_done(vault: tuple[Path, str]) -> None:
    folder, client = vault
    today = date.today().isoformat()
    late = (date.today() - timedelta(days=3)).isoformat()
    first = mhsw("--vault", str(folder), "tasks", "add", "--title", "Call Dr. Lee",
                 "--due", today, "--client", client, stdin=PW)  # fmt: skip
    second = mhsw("--vault", str(folder), "tasks", "add", "--title", "Renew ROI", "--due", late,
                  stdin=PW)  # fmt: skip
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr

    def listed(due: str) -> list[str]:
        out = mhsw("--vault", str(folder), "tasks", "list", "--due", due, "--json", stdin=PW)
        return [t["title"] for t in json.loads(out.stdout)["tasks"]]

    assert listed("today") == ["Call Dr. Lee"]
    assert listed("overdue") == ["Renew ROI"]
    assert listed("all") == ["Renew ROI", "Call Dr. Lee"]
    done = mhsw("--vault", str(folder), "tasks", "done", second.stdout.strip(), stdin=PW)
    assert done.returncode == 0
    assert listed("overdue") == []


def test_demo_with_notes(tmp_path: Path) -> None:
    folder = tmp_path / "v"
    assert mhsw("--vault", str(folder), "init", stdin=PW).returncode == 0
    demo = mhsw("--vault", str(folder), "demo", "--clients", "3", "--notes", "4", stdin=PW)
    assert demo.returncode == 0, demo.stderr
    clients = json.loads(mhsw("--vault", str(folder), "clients", "list", "--status", "all",
                              "--json", stdin=PW).stdout)["clients"]  # fmt: skip
    counts = [
        json.loads(mhsw("--vault", str(folder), "notes", "list", "--client", c["id"], "--json",
                        stdin=PW).stdout)["count"]
        for c in clients
    ]  # fmt: skip
    assert counts == [4, 4, 4]


def test_listing_notes_of_an_unknown_client_exits_1(vault: tuple[Path, str]) -> None:
    folder, _client = vault
    result = mhsw("--vault", str(folder), "notes", "list", "--client",
                  "01a20000-0000-7000-8000-000000000000", stdin=PW)  # fmt: skip
    assert result.returncode == 1 and "No client" in result.stderr
    assert_one_line_error(result)

"""`mhsw audit verify` and `mhsw audit list` as scripts use them: the chain checked without
writing, the first bad entry named with exit 1, entries filtered by client and action."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mhsw_desktop.vault.vault import Vault
from tests.cli.test_cli import assert_one_line_error, mhsw
from tests.support import PASSPHRASE, snapshot

PW = f"{PASSPHRASE}\n"


def ok(folder: Path, *args: str) -> str:
    result = mhsw("--vault", str(folder), *args, stdin=PW)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture
def vault(tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "vault"
    assert mhsw("--vault", str(folder), "init", stdin=PW).returncode == 0
    client = ok(folder, "clients", "add", "--first-name", "Ana", "--last-name", "Zyqxw",
                "--dob", "1990-02-03").strip()  # fmt: skip
    ok(folder, "clients", "add", "--first-name", "Luis", "--last-name", "Synth",
       "--dob", "1980-02-03")  # fmt: skip
    note = ok(folder, "notes", "add", "--client", client, "--template", "free", "--date",
              "2025-01-02", "--section", "note=Quillibrant said so").strip()  # fmt: skip
    ok(folder, "notes", "show", note)
    ok(folder, "report", "session-summary", "--client", client, "-o",
       str(tmp_path / "summary.pdf"))  # fmt: skip
    return folder, client


def test_verify_walks_the_chain_and_writes_nothing(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    before = snapshot(folder)
    out = json.loads(ok(folder, "audit", "verify", "--json"))
    assert out["ok"] is True and out["entries"] > 10 and out["first_bad_entry"] is None
    assert ok(folder, "audit", "verify").startswith("OK: the audit log's")
    assert snapshot(folder) == before


def test_list_filters_by_client_and_action_and_holds_no_content(vault: tuple[Path, str]) -> None:
    folder, client = vault
    mine = json.loads(ok(folder, "audit", "list", "--client", client, "--json"))
    actions = [(e["action"], e["object_type"]) for e in mine["entries"]]
    assert actions[0] == ("create", "clients")
    assert ("view", "notes") in actions and ("export", "report") in actions
    assert {e["client_id"] for e in mine["entries"]} == {client}
    exports = json.loads(ok(folder, "audit", "list", "--action", "export", "--json"))
    assert [e["detail"] for e in exports["entries"]] == ["session-summary, 1 page, saved as PDF"]
    everything = ok(folder, "audit", "list")
    assert "Zyqxw" not in everything and "Quillibrant" not in everything
    newest = json.loads(ok(folder, "audit", "list", "--limit", "2", "--json"))["entries"]
    assert [e["action"] for e in newest] == ["lock", "unlock"]


def test_a_changed_entry_is_named_with_exit_1(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    with Vault.open(folder, PASSPHRASE, migrate=False) as opened, opened.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.exec_driver_sql("UPDATE audit_log SET action = 'view' WHERE seq = 4")
    result = mhsw("--vault", str(folder), "audit", "verify", stdin=PW)
    assert result.returncode == 1 and "entry 4 was changed (first bad entry: 4)" in result.stdout
    as_json = json.loads(ok_or(folder, "audit", "verify", "--json"))
    assert as_json["ok"] is False and as_json["first_bad_entry"] == 4
    full = json.loads(ok_or(folder, "verify", "--json"))
    assert full["ok"] is False and full["checks"]["audit_chain"] == "broken"


def ok_or(folder: Path, *args: str) -> str:
    """The output of a command expected to report a fault (exit 1)."""
    result = mhsw("--vault", str(folder), *args, stdin=PW)
    assert result.returncode == 1, result.stderr
    return result.stdout


def test_bad_options_are_one_line_before_the_passphrase(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    for args, code in ((("list", "--limit", "0"), 2), (("check",), 2),
                       (("list", "--since", "yesterday"), 1)):  # fmt: skip
        result = mhsw("--vault", str(folder), "audit", *args)  # no passphrase given
        assert result.returncode == code, (args, result.stderr)
        assert_one_line_error(result)

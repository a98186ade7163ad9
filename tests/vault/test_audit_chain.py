"""The audit chain on a real vault: every unlock and lock is in it, and an edited, deleted,
inserted or reordered entry — or entries cut off the end — is found and named."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy.exc import IntegrityError

from mhsw_desktop.vault import audit
from mhsw_desktop.vault.audit import ANCHOR_NAME, Pending
from mhsw_desktop.vault.vault import Vault
from tests.support import PASSPHRASE, create_vault


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A vault with a few entries beyond its creation, locked (so anchored)."""
    vault, _ = create_vault(tmp_path / "vault")
    with vault, vault.engine.begin() as conn:
        audit.append_many(conn, [Pending("view", "clients", None, None, detail=f"n{i}")
                                 for i in range(5)])  # fmt: skip
    return tmp_path / "vault"


def actions(vault: Vault) -> list[str]:
    with vault.engine.connect() as conn:
        return list(conn.exec_driver_sql("SELECT action FROM audit_log ORDER BY seq").scalars())


def tamper(folder: Path, *statements: str) -> None:
    """Change the log behind the app's back (the triggers dropped, as an attacker would)."""
    with Vault.open(folder, PASSPHRASE, migrate=False) as vault, vault.engine.begin() as conn:
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_update")
        conn.exec_driver_sql("DROP TRIGGER audit_log_no_delete")
        for statement in statements:
            conn.exec_driver_sql(statement)


def check(folder: Path) -> audit.ChainCheck:
    with Vault.open(folder, PASSPHRASE, migrate=False) as vault:
        return vault.verify_audit()


def test_create_unlock_and_lock_are_written_and_the_chain_is_whole(folder: Path) -> None:
    with Vault.open(folder, PASSPHRASE) as vault:
        assert actions(vault) == ["create_vault", *["view"] * 5, "lock", "unlock"]
        result = vault.verify_audit()
        assert result.ok and result.entries == 8
        assert vault.audit_head() == (8, result.head_hash)
    anchor = json.loads((folder / ANCHOR_NAME).read_text())
    assert anchor["seq"] == 9 and anchor["format"] == "mhsw-audit-anchor"
    assert check(folder).ok


def test_opening_read_only_writes_nothing(folder: Path) -> None:
    before = (folder / "vault.db").read_bytes(), (folder / ANCHOR_NAME).read_bytes()
    with Vault.open(folder, PASSPHRASE, migrate=False) as vault:
        assert vault.read_only and vault.record("view") is None
    assert ((folder / "vault.db").read_bytes(), (folder / ANCHOR_NAME).read_bytes()) == before


def test_the_database_refuses_to_change_or_delete_an_entry(folder: Path) -> None:
    with Vault.open(folder, PASSPHRASE) as vault:
        for sql in ("UPDATE audit_log SET detail = 'x' WHERE seq = 2",
                    "DELETE FROM audit_log WHERE seq = 2"):  # fmt: skip
            with pytest.raises(IntegrityError, match="append-only"), vault.engine.begin() as c:
                c.exec_driver_sql(sql)


@pytest.mark.parametrize(
    ("statements", "first_bad", "words"),
    [
        (["UPDATE audit_log SET detail = 'n9' WHERE seq = 3"], 3, "entry 3 was changed"),
        (["UPDATE audit_log SET at = '2020-01-01 00:00:00.000000' WHERE seq = 4"], 4, "changed"),
        (["DELETE FROM audit_log WHERE seq = 4"], 4, "entry 4 is missing"),
        # renumbered after a deletion: the links no longer meet
        (
            [
                "DELETE FROM audit_log WHERE seq = 4",
                "UPDATE audit_log SET seq = seq - 1 WHERE seq > 4",
            ],
            4,
            "does not follow",
        ),
        # two entries swapped, numbers and all
        (
            [
                "UPDATE audit_log SET seq = 100 WHERE seq = 3",
                "UPDATE audit_log SET seq = 3 WHERE seq = 4",
                "UPDATE audit_log SET seq = 4 WHERE seq = 100",
            ],
            3,
            "does not follow",
        ),
    ],
)
def test_tampering_is_found_and_the_first_bad_entry_named(
    folder: Path, statements: list[str], first_bad: int, words: str
) -> None:
    tamper(folder, *statements)
    result = check(folder)
    assert not result.ok and result.first_bad == first_bad and words in result.problem
    with Vault.open(folder, PASSPHRASE, migrate=False) as vault:
        report = vault.verify()
    assert not report.ok and report.checks["audit_chain"] == "broken"
    assert any(p.startswith("audit log: ") for p in report.problems)


def test_entries_cut_off_the_end_are_found_by_the_anchor(folder: Path) -> None:
    tamper(folder, "DELETE FROM audit_log WHERE seq >= 6")  # a tidy cut: the chain is whole
    result = check(folder)
    assert not result.ok and "entries 6 to 7 are missing from the end" in result.problem
    with Vault.open(folder, PASSPHRASE) as vault:  # still opens: the records come first
        assert "no longer matches its anchor" in vault.audit_warning
        assert actions(vault)[-2:] == ["audit_anchor_mismatch", "unlock"]


def test_a_forged_or_foreign_anchor_is_not_trusted(folder: Path, tmp_path: Path) -> None:
    anchor = json.loads((folder / ANCHOR_NAME).read_text())
    anchor["seq"] = 3
    (folder / ANCHOR_NAME).write_text(json.dumps(anchor))
    result = check(folder)
    assert not result.ok and "was changed or comes from another vault" in result.problem
    (folder / ANCHOR_NAME).write_text("not json")
    assert "damaged" in check(folder).problem
    other, _ = create_vault(tmp_path / "other")
    other.lock()
    (folder / ANCHOR_NAME).write_bytes((tmp_path / "other" / ANCHOR_NAME).read_bytes())
    assert "another vault" in check(folder).problem


def test_a_clock_that_runs_backwards_is_itself_an_entry(folder: Path) -> None:
    with Vault.open(folder, PASSPHRASE) as vault, vault.engine.begin() as conn:
        _, _, last = audit.head(conn)
        assert last is not None
        written = audit.append_many(conn, [Pending("view")], now=last - timedelta(hours=3))
    assert [e.action for e in written] == ["clock_backwards", "view"]
    assert "10800 s earlier" in written[0].detail
    assert check(folder).ok


def test_a_failing_disk_on_lock_still_locks(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    vault = Vault.open(folder, PASSPHRASE)

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(audit, "write_atomic", full)
    vault.lock()
    assert vault.is_locked
    monkeypatch.undo()
    assert check(folder).ok  # the lock entry is there; the older anchor still fits

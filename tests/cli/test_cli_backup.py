"""``mhsw backup``, ``backups list|verify|policy`` and ``restore`` as a nightly script uses
them: real processes, the secret on stdin, exit codes, JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.cli.test_cli import assert_one_line_error, mhsw
from tests.support import PASSPHRASE, snapshot


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("cli-backup") / "vault"
    made = mhsw("--vault", str(folder), "init", "--json", stdin=f"{PASSPHRASE}\n")
    assert made.returncode == 0, made.stderr
    demo = mhsw("--vault", str(folder), "demo", "--clients", "8", "--notes", "1",
                stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert demo.returncode == 0, demo.stderr
    return folder, json.loads(made.stdout)["recovery_key"]


@pytest.fixture
def vault(template: tuple[Path, str], tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    shutil.copytree(template[0], folder)
    return folder


def _backup(vault: Path, *extra: str) -> dict:
    result = mhsw("--vault", str(vault), "backup", "--json", *extra, stdin=f"{PASSPHRASE}\n")
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_backup_then_list_then_restore(vault: Path, tmp_path: Path) -> None:
    made = _backup(vault)
    assert Path(made["file"]).parent == vault / "backups"
    assert made["kind"] == "scheduled" and made["counts"]["clients"] == 8
    assert made["audit_head"]["seq"] > 0 and len(made["audit_head"]["hash"]) == 64
    assert made["second_copy"] is None and made["removed"] == []

    listed = mhsw("--vault", str(vault), "backups", "list", "--json")  # no secret needed
    assert listed.returncode == 0, listed.stderr
    (entry,) = json.loads(listed.stdout)["backups"]
    assert entry["file"] == made["file"] and entry["ok"] is True
    assert entry["counts"] == made["counts"]
    text = mhsw("--vault", str(vault), "backups", "list")
    assert "8 clients, 8 notes" in text.stdout

    target = tmp_path / "restored"
    restored = mhsw("restore", made["file"], "--to", str(target), "--json",
                    stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    payload = json.loads(restored.stdout)
    assert payload["restored"] == str(target) and payload["kept_aside"] is None
    assert payload["opened_with"] == "passphrase" and payload["counts"] == made["counts"]

    def clients(folder: Path) -> list[dict]:
        listed = mhsw("--vault", str(folder), "clients", "list", "--json", stdin=f"{PASSPHRASE}\n")
        assert listed.returncode == 0, listed.stderr
        return json.loads(listed.stdout)["clients"]

    assert clients(target) == clients(vault)
    verified = mhsw("--vault", str(target), "verify", stdin=f"{PASSPHRASE}\n")
    assert verified.returncode == 0, verified.stdout


def test_restore_over_a_vault_keeps_it_aside(vault: Path) -> None:
    made = _backup(vault)
    before = {k: v for k, v in snapshot(vault).items() if not k.startswith("backups")}
    restored = mhsw("restore", made["file"], "--to", str(vault), "--json",
                    stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert restored.returncode == 0, restored.stderr
    aside = Path(json.loads(restored.stdout)["kept_aside"])
    assert aside.name.startswith("vault.before-restore-")
    assert snapshot(aside) == before


def test_restore_with_the_recovery_key(vault: Path, template: tuple[Path, str], tmp_path: Path):
    made = _backup(vault, "-o", str(tmp_path / "nightly.mhswbak"))
    assert made["file"] == str(tmp_path / "nightly.mhswbak")
    result = mhsw("restore", made["file"], "--to", str(tmp_path / "r"), stdin=f"{template[1]}\n")
    assert result.returncode == 0, result.stderr
    assert "recovery key" in result.stdout and "unlock-recovery" in result.stdout


def test_a_wrong_secret_exits_3_and_a_damaged_backup_exits_1(vault: Path, tmp_path: Path) -> None:
    made = _backup(vault)
    target = tmp_path / "r"
    wrong = mhsw("restore", made["file"], "--to", str(target), stdin="not the passphrase\n")
    assert wrong.returncode == 3
    assert_one_line_error(wrong)
    assert "when the backup was made" in wrong.stderr
    assert not target.exists()

    path = Path(made["file"])
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    kept = snapshot(vault)
    for args in (("restore", str(path), "--to", str(vault)), ("backups", "verify", str(path))):
        damaged = mhsw(*args, stdin=f"{PASSPHRASE}\n")
        assert damaged.returncode == 1
        assert_one_line_error(damaged)
        assert "cannot be trusted" in damaged.stderr
    assert snapshot(vault) == kept
    # the list reads manifests only (fast, no secret): it sees a cut file, not a flipped bit
    path.write_bytes(bytes(data[: len(data) // 2]))
    listed = json.loads(mhsw("--vault", str(vault), "backups", "list", "--json").stdout)
    assert listed["backups"][0]["ok"] is False and listed["backups"][0]["problem"]


def test_verify_checks_a_backup_without_restoring_it(vault: Path) -> None:
    made = _backup(vault)
    result = mhsw("backups", "verify", made["file"], "--json", stdin=f"{PASSPHRASE}\n")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["ok"] is True and payload["opened_with"] == "passphrase"


def test_the_policy_and_the_second_folder(vault: Path, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    missing = mhsw("--vault", str(vault), "backups", "policy", "--second-folder", str(usb))
    assert missing.returncode == 1 and "does not exist" in missing.stderr
    usb.mkdir()
    set_ = mhsw("--vault", str(vault), "backups", "policy", "--keep-daily", "3",
                "--second-folder", str(usb), "--json")  # fmt: skip
    assert set_.returncode == 0, set_.stderr
    assert json.loads(set_.stdout) == {"keep_daily": 3, "keep_weekly": 8, "second_folder": str(usb)}
    made = _backup(vault)
    assert made["second_copy"] == str(usb / Path(made["file"]).name)
    listed = json.loads(mhsw("--vault", str(vault), "backups", "list", "--json").stdout)
    assert listed["folders"] == [str(vault / "backups"), str(usb)]
    assert len(listed["backups"]) == 2
    bad = mhsw("--vault", str(vault), "backups", "policy", "--keep-weekly", "0")
    assert bad.returncode == 2


def test_a_backup_to_a_folder_that_is_gone_fails_plainly(vault: Path, tmp_path: Path) -> None:
    result = mhsw("--vault", str(vault), "backup", "-o", str(tmp_path / "gone" / "b.mhswbak"),
                  stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert result.returncode == 1
    assert_one_line_error(result)
    assert "earlier backups are kept" in result.stderr
    assert not (tmp_path / "gone").exists()

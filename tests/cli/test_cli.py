"""The ``mhsw`` command as scripts use it: real processes, stdin secrets, exit codes, JSON."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mhsw_desktop.cli import FAST_KDF_ENV
from mhsw_desktop.vault.vault import DB_NAME, KEY_NAME
from tests.support import NEW_PASSPHRASE, PASSPHRASE, snapshot

MHSW = Path(sys.executable).with_name("mhsw")
ENV = {**os.environ, FAST_KDF_ENV: "1"}


def mhsw(
    *args: str, stdin: str = "", env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    command = [str(MHSW)] if MHSW.exists() else [sys.executable, "-m", "mhsw_desktop.cli"]
    return subprocess.run(
        [*command, *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=env or ENV,
        timeout=120,
        check=False,
    )


def assert_one_line_error(result: subprocess.CompletedProcess[str]) -> None:
    assert result.stderr.count("\n") == 1, result.stderr
    assert result.stderr.startswith("mhsw: ")
    assert "Traceback" not in result.stderr


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("cli") / "vault"
    result = mhsw("--vault", str(folder), "init", "--json", stdin=f"{PASSPHRASE}\n")
    assert result.returncode == 0, result.stderr
    recovery = json.loads(result.stdout)["recovery_key"]
    demo = mhsw(
        "--vault", str(folder), "demo", "--clients", "40", "--seed", "9", stdin=f"{PASSPHRASE}\n"
    )
    assert demo.returncode == 0, demo.stderr
    return folder, recovery


@pytest.fixture
def vault(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    """A private copy of the module's vault (40 synthetic clients)."""
    folder = tmp_path / "vault"
    shutil.copytree(template[0], folder)
    return folder, template[1]


def test_init_calibrates_and_prints_the_recovery_key_in_groups(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != FAST_KDF_ENV}
    result = mhsw("--vault", str(tmp_path / "v"), "init", stdin=f"{PASSPHRASE}\n", env=env)
    assert result.returncode == 0, result.stderr
    assert "Recovery key" in result.stdout
    key_line = [line.strip() for line in result.stdout.splitlines() if line.count("-") == 8]
    assert len(key_line) == 1 and len(key_line[0]) == 44
    doc = json.loads((tmp_path / "v" / KEY_NAME).read_text())
    assert doc["kdf"]["memory_kib"] >= 65536 and doc["kdf"]["iterations"] >= 2


def test_init_refuses_a_weak_passphrase(tmp_path: Path) -> None:
    result = mhsw("--vault", str(tmp_path / "v"), "init", stdin="password\n")
    assert result.returncode == 1
    assert "too weak" in result.stderr
    assert_one_line_error(result)
    assert not (tmp_path / "v" / KEY_NAME).exists()


def test_init_refuses_an_existing_vault(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    before = snapshot(folder)
    result = mhsw("--vault", str(folder), "init", stdin=f"{PASSPHRASE}\n")
    assert result.returncode == 1 and "already holds a vault" in result.stderr
    assert snapshot(folder) == before


def test_clients_list_json(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    result = mhsw(
        "--vault",
        str(folder),
        "clients",
        "list",
        "--status",
        "all",
        "--json",
        stdin=f"{PASSPHRASE}\n",
    )
    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["count"] == 40 == len(doc["clients"])
    first = doc["clients"][0]
    assert set(first) >= {"id", "legal_first_name", "legal_last_name", "date_of_birth", "status"}
    active = json.loads(
        mhsw("--vault", str(folder), "clients", "list", "--json", stdin=f"{PASSPHRASE}\n").stdout
    )
    assert 0 < active["count"] < 40
    assert {c["status"] for c in active["clients"]} == {"active"}


def test_clients_add_prints_the_id_and_lists_it(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    result = mhsw(
        "--vault",
        str(folder),
        "clients",
        "add",
        "--first-name",
        "Søren",
        "--last-name",
        "Lindqvist-Muñoz",
        "--dob",
        "1984-07-09",
        "--phone",
        "(406) 555-0111",
        stdin=f"{PASSPHRASE}\n",
    )
    assert result.returncode == 0, result.stderr
    new_id = result.stdout.strip()
    listing = mhsw("clients", "list", "--vault", str(folder), stdin=f"{PASSPHRASE}\n")
    line = next(line for line in listing.stdout.splitlines() if line.startswith(new_id))
    assert "Lindqvist-Muñoz, Søren" in line and "1984-07-09" in line


def test_clients_add_refuses_a_likely_duplicate_unless_allowed(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    args = (
        "--vault",
        str(folder),
        "clients",
        "add",
        "--first-name",
        "Ana",
        "--last-name",
        "González",
        "--dob",
        "1990-02-03",
    )
    assert mhsw(*args, stdin=f"{PASSPHRASE}\n").returncode == 0
    again = mhsw(*args[:7], "Gonzalez", *args[8:], stdin=f"{PASSPHRASE}\n")
    assert again.returncode == 1 and "same name and date of birth" in again.stderr
    forced = mhsw(*args, "--allow-duplicate", stdin=f"{PASSPHRASE}\n")
    assert forced.returncode == 0


@pytest.mark.parametrize(
    ("extra", "words"),
    [
        (("--dob", "2999-01-01"), "in the future"),
        (("--dob", "1990-02-30"), "not a real date"),
        (("--dob", "1990-02-03", "--email", "nope"), "email address"),
        (("--dob", "1990-02-03", "--pronouns", "x" * 41), "at most 40"),
    ],
)
def test_clients_add_bad_input_is_one_clear_line_and_changes_nothing(
    vault: tuple[Path, str], extra: tuple[str, ...], words: str
) -> None:
    folder, _ = vault
    before = snapshot(folder)
    result = mhsw(
        "--vault",
        str(folder),
        "clients",
        "add",
        "--first-name",
        "A",
        "--last-name",
        "B",
        *extra,
        stdin=f"{PASSPHRASE}\n",
    )
    assert result.returncode == 1
    assert words in result.stderr
    assert_one_line_error(result)
    assert snapshot(folder) == before


def test_wrong_passphrase_exits_3_and_changes_nothing(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    before = snapshot(folder)
    result = mhsw("--vault", str(folder), "clients", "list", stdin="not it\n")
    assert result.returncode == 3
    assert_one_line_error(result)
    assert "passphrase is not correct" in result.stderr
    assert snapshot(folder) == before


def test_usage_errors_exit_2(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    for args in (
        ("--vault", str(folder), "frobnicate"),
        ("--vault", str(folder), "clients"),
        ("--vault", str(folder), "clients", "add", "--first-name", "A"),
    ):
        result = mhsw(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
    assert mhsw("clients", "list", stdin=f"{PASSPHRASE}\n").returncode == 2  # no --vault


def test_missing_stdin_secret_is_a_clear_error(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    result = mhsw("--vault", str(folder), "clients", "list", stdin="")
    assert result.returncode == 1 and "standard input" in result.stderr


def test_verify_ok_and_fault(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    ok = mhsw("--vault", str(folder), "verify", stdin=f"{PASSPHRASE}\n")
    assert ok.returncode == 0 and ok.stdout.startswith("OK:") and ok.stdout.count("\n") == 1
    data = bytearray((folder / DB_NAME).read_bytes())
    for i in range(8192 + 200, 8192 + 260):
        data[i] ^= 0x5A
    (folder / DB_NAME).write_bytes(bytes(data))
    bad = mhsw("--vault", str(folder), "verify", "--json", stdin=f"{PASSPHRASE}\n")
    assert bad.returncode == 1
    report = json.loads(bad.stdout)
    assert report["ok"] is False and report["problems"]


def test_change_passphrase_then_unlock_recovery(vault: tuple[Path, str]) -> None:
    folder, recovery = vault
    changed = mhsw(
        "--vault", str(folder), "change-passphrase", stdin=f"{PASSPHRASE}\n{NEW_PASSPHRASE}\n"
    )
    assert changed.returncode == 0, changed.stderr
    assert mhsw("--vault", str(folder), "verify", stdin=f"{PASSPHRASE}\n").returncode == 3
    assert mhsw("--vault", str(folder), "verify", stdin=f"{NEW_PASSPHRASE}\n").returncode == 0
    third = "juniper bellwether canyon 88 quartz"
    wrong = mhsw("--vault", str(folder), "unlock-recovery", stdin=f"{'A' * 36}\n{third}\n")
    assert wrong.returncode == 3
    assert_one_line_error(wrong)
    recovered = mhsw("--vault", str(folder), "unlock-recovery", stdin=f"{recovery}\n{third}\n")
    assert recovered.returncode == 0, recovered.stderr
    assert mhsw("--vault", str(folder), "verify", stdin=f"{third}\n").returncode == 0


def test_demo_refuses_a_vault_that_already_has_clients(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    result = mhsw("--vault", str(folder), "demo", "--clients", "5", stdin=f"{PASSPHRASE}\n")
    assert result.returncode == 1 and "already holds clients" in result.stderr


def test_the_cli_imports_neither_qt_nor_reportlab(vault: tuple[Path, str]) -> None:
    folder, _ = vault
    code = (
        "import sys\n"
        "from mhsw_desktop.cli import main\n"
        f"rc = main(['--vault', {str(folder)!r}, 'clients', 'list'])\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', "
        "'reportlab', 'alembic', 'zxcvbn', 'babel', 'phonenumbers')]\n"
        "print(rc, heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        input=f"{PASSPHRASE}\n",
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    assert result.stderr.strip().endswith("0 []"), result.stderr

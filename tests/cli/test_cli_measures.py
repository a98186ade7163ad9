"""Measures on the command line: add (total, band, alert), list with change since baseline,
alerts until reviewed, trend events, and clear refusals before the passphrase is asked."""

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
from tests.support import PASSPHRASE, snapshot

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
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("cli-measures") / "vault"
    assert mhsw("--vault", str(folder), "init", stdin=PW).returncode == 0
    client = ok(folder, "clients", "add", "--first-name", "Ana", "--last-name", "Synth",
                "--dob", "1990-02-03")  # fmt: skip
    return folder, client


@pytest.fixture
def vault(template: tuple[Path, str], tmp_path: Path) -> tuple[Path, str]:
    folder = tmp_path / "vault"
    shutil.copytree(template[0], folder)
    return folder, template[1]


def test_add_prints_total_band_and_the_alert(vault: tuple[Path, str]) -> None:
    folder, client = vault
    out = ok(folder, "measures", "add", "--client", client, "--kind", "phq9",
             "--items", "2,2,2,2,2,1,1,1,1", "--date", day(-1))  # fmt: skip
    first, alert = out.splitlines()
    assert first.endswith(f"{day(-1)}  PHQ-9 14 (Moderate)")
    assert alert.startswith("ALERT: PHQ-9 item 9") and "'Several days' (1)" in alert
    calm = ok(folder, "measures", "add", "--client", client, "--kind", "gad7",
              "--items", "0,0,1,0,0,0,0")  # fmt: skip
    assert calm.endswith(f"{day(0)}  GAD-7 1 (Minimal)") and "ALERT" not in calm


def test_add_json_and_an_incomplete_form(vault: tuple[Path, str]) -> None:
    folder, client = vault
    doc = as_json(folder, "measures", "add", "--client", client, "--kind", "phq9",
                  "--items", "1,1,,1,1,1,1,1,", "--difficulty", "2")  # fmt: skip
    assert doc["total"] is None and doc["band"] is None and doc["complete"] is False
    assert doc["missing_items"] == [3, 9]
    assert doc["items"] == [1, 1, None, 1, 1, 1, 1, 1, None]
    assert doc["difficulty"] == 2 and doc["alert"] is False
    assert "item 9" in doc["notices"][0]
    text = ok(folder, "measures", "add", "--client", client, "--kind", "gad7",
              "--items", "1,1,1,-,1,1,1")  # fmt: skip
    assert text.endswith("GAD-7 Incomplete: item 4 not answered")


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ("0,0,0,0,0,0,0,0,4", "item 9: 4 is not an answer (0 to 3)"),
        ("0,0,0", "PHQ-9 has 9 items but 3 answers were given"),
        ("0,x,0,0,0,0,0,0,0", "item 2: 'x' is not a number"),
    ],
)
def test_bad_items_are_refused_before_the_passphrase(
    vault: tuple[Path, str], items: str, message: str
) -> None:
    folder, client = vault
    before = snapshot(folder)
    result = mhsw("--vault", str(folder), "measures", "add", "--client", client,
                  "--kind", "phq9", "--items", items, stdin="")  # fmt: skip
    assert result.returncode == 1
    assert message in result.stderr
    assert_one_line_error(result)
    assert snapshot(folder) == before


def test_refusals_after_opening(vault: tuple[Path, str]) -> None:
    folder, client = vault
    future = mhsw("--vault", str(folder), "measures", "add", "--client", client, "--kind",
                  "phq9", "--items", "0,0,0,0,0,0,0,0,0", "--date", day(1), stdin=PW)  # fmt: skip
    assert future.returncode == 1 and "is in the future" in future.stderr
    assert_one_line_error(future)
    nobody = mhsw("--vault", str(folder), "measures", "list", "--client",
                  "0192f0c1-a2b3-7c4d-8e9f-00112233aabc", stdin=PW)  # fmt: skip
    assert nobody.returncode == 1 and "No client" in nobody.stderr
    usage = mhsw("--vault", str(folder), "measures", "add", "--client", client, "--kind",
                 "beck", "--items", "0", stdin=PW)  # fmt: skip
    assert usage.returncode == 2


def test_list_shows_history_and_change_since_baseline(vault: tuple[Path, str]) -> None:
    folder, client = vault
    for items, when in (("2,2,2,2,2,2,2,2,0", -60), ("1,1,1,1,1,1,1,1,0", -2)):
        ok(folder, "measures", "add", "--client", client, "--kind", "phq9", "--items", items,
           "--date", day(when))  # fmt: skip
    ok(folder, "measures", "add", "--client", client, "--kind", "gad7", "--items", "3,3,3,3,3,3,3")
    text = ok(folder, "measures", "list", "--client", client)
    lines = text.splitlines()
    assert "PHQ-9  16 (Moderately severe)" in lines[0]
    assert "GAD-7  21 (Severe)" in lines[2]
    assert lines[-1] == (
        "Since baseline: PHQ-9 16 → 8 (-8): reliable improvement (threshold 6 points)"
    )
    doc = as_json(folder, "measures", "list", "--client", client, "--kind", "phq9")
    assert doc["count"] == 2 and [m["total"] for m in doc["measures"]] == [16, 8]
    (change,) = doc["changes_since_baseline"]
    assert change["reading"] == "reliable_improvement" and change["threshold"] == 6


def test_alerts_until_reviewed(vault: tuple[Path, str]) -> None:
    folder, client = vault
    assert as_json(folder, "alerts") == {"count": 0, "alerts": []}
    added = as_json(folder, "measures", "add", "--client", client, "--kind", "phq9",
                    "--items", "0,0,0,0,0,0,0,0,3")  # fmt: skip
    doc = as_json(folder, "alerts")
    assert doc["count"] == 1
    (alert,) = doc["alerts"]
    assert alert["measure_id"] == added["id"] and alert["client_name"] == "Synth, Ana"
    assert "'Nearly every day' (3)" in alert["alerts"][0]
    text = ok(folder, "alerts")
    assert text.startswith(added["id"]) and "Synth, Ana" in text
    assert "  ALERT" in ok(folder, "measures", "list", "--client", client)
    ok(folder, "measures", "review-alert", added["id"], "--note", "Safety plan reviewed")
    assert as_json(folder, "alerts")["count"] == 0
    assert "alert reviewed" in ok(folder, "measures", "list", "--client", client)
    again = mhsw("--vault", str(folder), "measures", "review-alert", added["id"], stdin=PW)
    assert again.returncode == 1 and "already reviewed" in again.stderr


def test_events(vault: tuple[Path, str]) -> None:
    folder, client = vault
    event = ok(folder, "measures", "add-event", "--client", client, "--date", day(-10),
               "--kind", "medication_change", "--label", "Sertraline 50 mg")  # fmt: skip
    doc = as_json(folder, "measures", "events", "--client", client)
    assert doc["events"] == [
        {"id": event, "client_id": client, "date": day(-10), "kind": "medication_change",
         "label": "Sertraline 50 mg"},
    ]  # fmt: skip


def test_measures_import_neither_qt_nor_reportlab(vault: tuple[Path, str]) -> None:
    folder, client = vault
    code = (
        "import sys\n"
        "from mhsw_desktop.cli import main\n"
        f"rc = main(['--vault', {str(folder)!r}, 'measures', 'add', '--client', {client!r},"
        " '--kind', 'phq9', '--items', '0,0,0,0,0,0,0,0,0'])\n"
        "heavy = [m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', "
        "'reportlab', 'alembic', 'zxcvbn')]\n"
        "print(rc, heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], input=PW, capture_output=True, text=True, env=ENV,
        check=False,
    )  # fmt: skip
    assert result.stderr.strip().endswith("0 []"), result.stderr

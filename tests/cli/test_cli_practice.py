"""Practice settings on the command line: `mhsw practitioner set/show`, paper size and logo."""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

import pytest
from PIL import Image

from tests.cli.test_cli import assert_one_line_error, mhsw
from tests.support import PASSPHRASE, snapshot

PW = f"{PASSPHRASE}\n"


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-practice") / "vault"
    assert mhsw("--vault", str(folder), "init", stdin=PW).returncode == 0
    prof = mhsw("--vault", str(folder), "practitioner", "set", "--name", "Avery Lindqvist",
                "--credentials", "LCSW", "--address", "12 Quay St\nPort Synth, MT 59000",
                stdin=PW)  # fmt: skip
    assert prof.returncode == 0, prof.stderr
    return folder


@pytest.fixture
def vault(template: Path, tmp_path: Path) -> Path:
    folder = tmp_path / "vault"
    shutil.copytree(template, folder)
    return folder


def jpeg_with_exif(path: Path, size: tuple[int, int]) -> Path:
    exif = Image.Exif()
    exif[0x010F] = "SyntheticCam"  # Make
    out = io.BytesIO()
    Image.new("RGB", size, (10, 80, 60)).save(out, format="JPEG", exif=exif)
    path.write_bytes(out.getvalue())
    return path


def show(folder: Path, *more: str) -> str:
    result = mhsw("--vault", str(folder), "practitioner", "show", *more, stdin=PW)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_paper_size_and_logo_are_set_shown_and_removed(vault: Path, tmp_path: Path) -> None:
    logo = jpeg_with_exif(tmp_path / "logo.jpg", (1200, 400))
    result = mhsw("--vault", str(vault), "practitioner", "set", "--paper-size", "A4",
                  "--logo", str(logo), "--json", stdin=PW)  # fmt: skip
    assert result.returncode == 0, result.stderr
    saved = json.loads(result.stdout)
    assert saved["paper_size"] == "a4" and saved["name"] == "Avery Lindqvist"
    assert saved["logo"] == {"present": True, "width": 600, "height": 200}

    assert json.loads(show(vault, "--json")) == saved
    text = show(vault)
    lines = text.splitlines()
    assert "Name:           Avery Lindqvist" in lines
    assert "Address:        12 Quay St" in lines
    assert "                Port Synth, MT 59000" in lines
    assert "Paper size:     A4" in lines
    assert "Logo:           600 x 200 px" in lines
    assert "PNG" not in text and "SyntheticCam" not in text  # never the bytes

    # Changing another field keeps the logo; --no-logo removes it and keeps the rest.
    again = mhsw("--vault", str(vault), "practitioner", "set", "--phone", "(406) 555-0100",
                 "--json", stdin=PW)  # fmt: skip
    assert json.loads(again.stdout)["logo"]["present"] is True
    removed = mhsw("--vault", str(vault), "practitioner", "set", "--no-logo", "--json", stdin=PW)
    assert removed.returncode == 0, removed.stderr
    doc = json.loads(removed.stdout)
    assert doc["logo"] == {"present": False, "width": None, "height": None}
    assert doc["paper_size"] == "a4" and doc["phone"] == "(406) 555-0100"
    assert "Logo:           none" in show(vault).splitlines()


def test_a_new_vault_shows_an_empty_profile_on_letter(tmp_path: Path) -> None:
    folder = tmp_path / "fresh"
    assert mhsw("--vault", str(folder), "init", stdin=PW).returncode == 0
    doc = json.loads(show(folder, "--json"))
    assert doc["name"] == "" and doc["paper_size"] == "letter"
    assert doc["logo"] == {"present": False, "width": None, "height": None}
    assert "Paper size:     Letter" in show(folder).splitlines()


@pytest.mark.parametrize(
    "flags",
    [
        ("--paper-size", "legal"),
        ("--logo", "x.png", "--no-logo"),
    ],
    ids=["unknown-paper-size", "logo-and-no-logo"],
)
def test_bad_flags_are_usage_errors(vault: Path, flags: tuple[str, ...]) -> None:
    before = snapshot(vault)
    result = mhsw("--vault", str(vault), "practitioner", "set", *flags, stdin=PW)
    assert result.returncode == 2
    assert_one_line_error(result)
    assert snapshot(vault) == before


def test_a_missing_logo_file_fails_before_the_passphrase(vault: Path, tmp_path: Path) -> None:
    before = snapshot(vault)
    missing = tmp_path / "nowhere" / "logo.png"
    result = mhsw("--vault", str(vault), "practitioner", "set", "--logo", str(missing))
    assert result.returncode == 1
    assert_one_line_error(result)
    assert f"Could not read {missing}: No such file or directory" in result.stderr
    assert snapshot(vault) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"GIF89a not really", "logo: the file is not a PNG or JPEG image"),
        (b"\x00" * (2 * 1024 * 1024 + 10), "logo: the file is larger than 2 MB"),
    ],
    ids=["not-an-image", "too-large"],
)
def test_a_bad_logo_is_one_clear_line_and_changes_nothing(
    vault: Path, tmp_path: Path, content: bytes, message: str
) -> None:
    bad = tmp_path / "logo.png"
    bad.write_bytes(content)
    before = snapshot(vault)
    result = mhsw("--vault", str(vault), "practitioner", "set", "--paper-size", "a4",
                  "--logo", str(bad), stdin=PW)  # fmt: skip
    assert result.returncode == 1
    assert_one_line_error(result)
    assert message in result.stderr
    assert snapshot(vault) == before

"""mhsw export, import-export and import-clients as scripts use them: real processes,
secrets on stdin, exit codes, one-line errors and the --json shapes the README documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import assert_one_line_error, mhsw
from tests.support import NEW_PASSPHRASE, PASSPHRASE

ARCHIVE = "quarry lantern mosaic 88 willow"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-export") / "vault"
    assert mhsw("--vault", str(folder), "init", stdin=f"{PASSPHRASE}\n").returncode == 0
    made = mhsw("--vault", str(folder), "demo", "--clients", "6", "--notes", "2",
                stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert made.returncode == 0, made.stderr
    return folder


def test_a_plaintext_export_needs_confirmation_and_says_where_it_is(
    demo: Path, tmp_path: Path
) -> None:
    refused = mhsw("--vault", str(demo), "export", "--to", str(tmp_path), stdin=f"{PASSPHRASE}\n")
    assert refused.returncode == 2
    assert_one_line_error(refused)
    assert "--yes-plaintext" in refused.stderr and str(tmp_path) in refused.stderr
    assert list(tmp_path.iterdir()) == []
    done = mhsw("--vault", str(demo), "export", "--to", str(tmp_path), "--yes-plaintext",
                "--format", "csv", stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    (folder,) = tmp_path.iterdir()
    assert f"NOT encrypted) written: {folder}" in done.stdout
    assert sorted(p.name for p in folder.iterdir()) == ["csv"]


def test_export_json_shape_and_bad_options(demo: Path, tmp_path: Path) -> None:
    done = mhsw("--vault", str(demo), "export", "--to", str(tmp_path), "--yes-plaintext",
                "--json", stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert set(payload) == {"path", "kind", "encrypted", "formats", "exported_at", "files",
                            "bytes", "counts", "audit_head"}  # fmt: skip
    assert payload["kind"] == "folder" and payload["formats"] == ["json", "csv"]
    assert payload["counts"]["clients"] == 6
    size = Path(payload["path"], "export.json").stat().st_size
    assert {"name": "export.json", "bytes": size} in payload["files"]
    bad = mhsw("--vault", str(demo), "export", "--to", str(tmp_path), "--format", "xml",
               "--yes-plaintext", stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert bad.returncode == 2 and "unknown format xml" in bad.stderr
    gone = mhsw("--vault", str(demo), "export", "--to", str(tmp_path / "nowhere"),
                "--yes-plaintext", stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert gone.returncode == 1 and "does not exist" in gone.stderr


def test_encrypted_export_and_import_into_a_new_vault(demo: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    made = mhsw("--vault", str(demo), "export", "--to", str(out), "--encrypt", "--json",
                stdin=f"{PASSPHRASE}\n{ARCHIVE}\n")  # fmt: skip
    assert made.returncode == 0, made.stderr
    archive = Path(json.loads(made.stdout)["path"])
    assert archive.suffix == ".mhswexport" and json.loads(made.stdout)["encrypted"] is True

    wrong = mhsw("import-export", str(archive), "--to", str(tmp_path / "nv"),
                 stdin=f"not the password 12 ferns at all\n{NEW_PASSPHRASE}\n")  # fmt: skip
    assert wrong.returncode == 3 and "does not open this export archive" in wrong.stderr
    assert_one_line_error(wrong)
    assert not (tmp_path / "nv").exists()

    done = mhsw("import-export", str(archive), "--to", str(tmp_path / "nv"), "--json",
                stdin=f"{ARCHIVE}\n{NEW_PASSPHRASE}\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert set(payload) >= {"vault", "vault_id", "recovery_key", "counts", "warnings", "source",
                            "exported_at", "source_vault_id"}  # fmt: skip
    assert payload["counts"]["clients"] == 6 and payload["warnings"] == []
    listed = mhsw("--vault", str(tmp_path / "nv"), "clients", "list", "--status", "all",
                  "--json", stdin=f"{NEW_PASSPHRASE}\n")  # fmt: skip
    original = mhsw("--vault", str(demo), "clients", "list", "--status", "all", "--json",
                    stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert json.loads(listed.stdout) == json.loads(original.stdout)
    verified = mhsw("--vault", str(tmp_path / "nv"), "audit", "verify",
                    stdin=f"{NEW_PASSPHRASE}\n")  # fmt: skip
    assert verified.returncode == 0, verified.stdout + verified.stderr


def test_a_malformed_export_is_refused_by_record_and_leaves_no_vault(
    demo: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    made = mhsw("--vault", str(demo), "export", "--to", str(out), "--yes-plaintext", "--json",
                "--format", "json", stdin=f"{PASSPHRASE}\n")  # fmt: skip
    data_path = Path(json.loads(made.stdout)["path"]) / "export.json"
    document = json.loads(data_path.read_text("utf-8"))
    document["tables"]["clients"][1]["date_of_birth"] = "1985-02-30"
    data_path.write_text(json.dumps(document), "utf-8")
    refused = mhsw("import-export", str(data_path.parent), "--to", str(tmp_path / "nv"),
                   stdin=f"{NEW_PASSPHRASE}\n")  # fmt: skip
    assert refused.returncode == 1
    assert_one_line_error(refused)
    assert "clients record 2 (id " in refused.stderr and "date_of_birth" in refused.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


CSV_BAD = "First Name,Last,DOB,Status\nAna,Quill,1985-03-14,Active\nBo,Reed,2090-01-01,gone\n"
CSV_GOOD = "First Name,Last,DOB,Case Worker\nAna,Quill,03/14/1985,Sam\nBo,Reed,12/31/1990,Sam\n"


def test_import_clients_dry_run_errors_and_import(demo: Path, tmp_path: Path) -> None:
    vault = tmp_path / "vault"
    import shutil

    shutil.copytree(demo, vault)
    bad = tmp_path / "bad.csv"
    bad.write_text(CSV_BAD, "utf-8")
    refused = mhsw("--vault", str(vault), "import-clients", str(bad), "--json",
                   stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert refused.returncode == 1
    assert_one_line_error(refused)
    payload = json.loads(refused.stdout)
    assert [(e["row"], e["column"]) for e in payload["errors"]] == [(3, "DOB"), (3, "Status")]
    assert payload["imported"] == 0

    good = tmp_path / "good.csv"
    good.write_text(CSV_GOOD, "utf-8")
    dry = mhsw("--vault", str(vault), "import-clients", str(good), "--dry-run",
               "--map", "Case Worker=important_to_know", stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert "Case Worker  ->  Important to know (important_to_know)" in dry.stdout
    assert "Dates read as: mdy" in dry.stdout and "Dry run" in dry.stderr
    done = mhsw("--vault", str(vault), "import-clients", str(good), "--json",
                stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert set(payload) == {"file", "dry_run", "rows", "mapping", "date_format", "errors",
                            "duplicates", "imported", "ids", "skipped"}  # fmt: skip
    assert payload["imported"] == 2 and payload["mapping"][3]["field"] is None
    again = mhsw("--vault", str(vault), "import-clients", str(good), "--json",
                 stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert json.loads(again.stdout)["imported"] == 0
    assert [d["row"] for d in json.loads(again.stdout)["skipped"]] == [2, 3]
    usage = mhsw("--vault", str(vault), "import-clients", str(good), "--map", "nonsense",
                 stdin=f"{PASSPHRASE}\n")  # fmt: skip
    assert usage.returncode == 2 and "COLUMN=FIELD" in usage.stderr

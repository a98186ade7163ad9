"""Open export on real vaults: a round trip that reproduces every row of every table, the
encrypted archive (wrong password, flipped bytes), CSV formula neutralisation, the audit
entry, and exports that are refused by record and field with no vault left behind."""

from __future__ import annotations

import copy
import csv
import io
import json
import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.models import Base, Note, Release
from mhsw_desktop.domain.templates import NoteTemplate, TemplateSection
from mhsw_desktop.resources import resources_dir
from mhsw_desktop.services import export_archive
from mhsw_desktop.services import open_export as oe
from mhsw_desktop.services import treatment_plans as tp
from mhsw_desktop.services.care_team import record_disclosure
from mhsw_desktop.services.clients import add_client, delete_client
from mhsw_desktop.services.notes import NoteInput, add_addendum, create_draft, mark_entered_in_error
from mhsw_desktop.services.resources import ReferralInput, ResourceInput, add_referral, add_resource
from mhsw_desktop.services.search import search
from mhsw_desktop.services.synthetic import fill_demo
from mhsw_desktop.services.synthetic_notes import SIGNER
from mhsw_desktop.services.templates import add_template
from mhsw_desktop.vault import kdf
from mhsw_desktop.vault.vault import Vault
from tests.support import PASSPHRASE, create_vault

ARCHIVE_PASSWORD = "quarry lantern mosaic 88 willow"
FORMULA = '=HYPERLINK("http://example.org","x")'


def fill_rich(vault: Vault) -> dict[str, Any]:
    """A synthetic caseload with a row in every table the app writes (signed notes,
    addenda, a signed treatment plan and its review, resources, referrals, a disclosure,
    a tombstone and a note entered in error)."""
    today = date.today()
    with vault.unit_of_work() as s:
        fill_demo(s, 6, 11, notes_per_client=3)
        client = add_client(
            s,
            ClientInput("Wren", "Okafor-Lind", date(1979, 5, 2), phone="+1 406 555 0142",
                        important_to_know=FORMULA),
        )  # fmt: skip
        gone = add_client(s, ClientInput("Tomas", "Eklund", date(1990, 1, 9)))
        delete_client(s, gone)
        version = tp.create_plan(s, client, plan_date=today, summary="Sleep", today=today)
        problem = tp.add_problem(s, version, tp.ProblemInput("Poor sleep"))
        goal = tp.add_goal(s, problem, tp.GoalInput("Sleep 7 hours", measure_kind="PHQ9",
                                                    target_score=9))  # fmt: skip
        objective = tp.add_objective(
            s, goal, tp.ObjectiveInput("Keep a sleep diary", today + timedelta(30)), today=today
        )
        tp.add_intervention(s, goal, tp.InterventionInput("CBT-I", "Clinician", "Weekly",
                                                          objective))  # fmt: skip
        tp.sign_version(s, version, SIGNER)
        tp.start_review(s, client, today=today)
        resource = add_resource(s, ResourceInput("Cedar Hollow Pantry", phone="(406) 555-0188"))
        add_referral(s, ReferralInput(client, resource, today, followup_date=today + timedelta(7)))
        notes = list(s.scalars(select(Note).where(Note.signed_at.is_not(None)).limit(2)))
        mark_entered_in_error(s, notes[0].id, "wrong chart")
        add_addendum(s, notes[1].id, "Seen again the next day.", SIGNER)
        add_template(s, NoteTemplate("brief", "Brief", "", (TemplateSection("story", "Story"),)))
        draft = create_draft(
            s,
            NoteInput(
                client_id=client,
                session_date=today,
                template_key="brief",
                sections={"story": "@home"},
            ),
        )
        tp.link_note(s, draft, goal)
        release = s.scalars(select(Release)).first()
        assert release is not None
        categories = release.categories.split(",")[:1]
        record_disclosure(s, release.client_id, release.collaborator_id, release.id, categories,
                          "fax", "session summary")  # fmt: skip
    return {"client": client, "deleted": gone}


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("source") / "vault"
    vault, _ = create_vault(folder)
    with vault:
        fill_rich(vault)
    return folder


def tables_of(folder: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (the search index without its internal row numbers)."""
    with Vault.open(folder, PASSPHRASE, migrate=False) as vault, vault.engine.connect() as c:
        names = c.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name NOT LIKE 'search_index%' ORDER BY name"
        ).scalars()
        out = {n: c.exec_driver_sql(f'SELECT * FROM "{n}"').fetchall() for n in names}
    out = {n: rows if n == "audit_log" else sorted(rows, key=repr) for n, rows in out.items()}
    out["audit_log"].sort(key=lambda row: row[0])
    out["search_docs"] = sorted((row[1:] for row in out["search_docs"]), key=repr)
    return out


def export(folder: Path, into: Path, **options: Any) -> oe.ExportResult:
    into.mkdir(exist_ok=True)
    with Vault.open(folder, PASSPHRASE) as vault:
        return oe.export_vault(vault, into, params=kdf.minimum_params(), **options)


def test_round_trip_reproduces_every_row_of_every_table(source: Path, tmp_path: Path) -> None:
    result = export(source, tmp_path / "out")
    before = tables_of(source)
    document = oe.load_export(result.path)
    assert document.warnings == []
    made = oe.import_export(document, tmp_path / "new", PASSPHRASE, params=kdf.minimum_params())
    after = tables_of(made.folder)
    assert set(after) == set(before)
    exported = document.counts["audit_log"]
    for name in before:
        if name == "audit_log":
            # the export's entries, then the new vault's own (creation, import, lock ...)
            assert after[name][:exported] == before[name][:exported]
            actions = [row[3] for row in after[name][exported:]]
            assert actions[:2] == ["create_vault", "import"]
        else:
            assert after[name] == before[name], name
    for name in {t.name for t in Base.metadata.sorted_tables} - {"audit_log"}:
        assert document.counts[name] == len(before[name]), name
    empty = sorted(name for name, count in document.counts.items() if not count)
    assert empty == [], "fill_rich should put a row in every table"
    with Vault.open(made.folder, PASSPHRASE) as vault:
        report = vault.verify()
        assert report.ok, report.problems
        with vault.session() as s:
            assert search(s, "Okafor")  # the search index was rebuilt
            assert not search(s, "Eklund")  # a tombstone stays out of it


def test_the_schema_file_is_the_schema_and_names_every_table_and_column() -> None:
    shipped = json.loads((resources_dir() / "export" / oe.SCHEMA_NAME).read_text("utf-8"))
    assert shipped == oe.json_schema(), "regenerate it: python -c 'from mhsw_desktop..."
    tables = shipped["properties"]["tables"]["properties"]
    assert set(tables) == {t.name for t in Base.metadata.sorted_tables}
    for table in Base.metadata.sorted_tables:
        assert set(tables[table.name]["items"]["properties"]) == {c.name for c in table.columns}
        assert tables[table.name]["description"]


def test_export_files_are_owner_only_named_from_the_time_and_in_the_audit_log(
    source: Path, tmp_path: Path
) -> None:
    result = export(source, tmp_path / "out", now=datetime(2026, 3, 4, 5, 6, 7))
    assert result.path.name == "mhsw-export-20260304T050607Z"
    names = [p.relative_to(result.path).as_posix() for p in result.path.rglob("*")]
    assert "export.json" in names and "csv/clients.csv" in names and "csv/audit_log.csv" in names
    assert not any("Okafor" in n or "Wren" in n for n in names)
    for path in [result.path, *result.path.rglob("*")]:
        assert path.stat().st_mode & 0o077 == 0, path
    assert [p.name for p in (tmp_path / "out").iterdir()] == [result.path.name]  # no temp left
    document = json.loads((result.path / "export.json").read_text("utf-8"))
    last = document["tables"]["audit_log"][-1]
    assert (last["action"], last["object_type"]) == ("export", "vault")
    assert "plaintext folder" in last["detail"] and "Okafor" not in last["detail"]
    assert document["audit_head"]["seq"] == last["seq"]


def test_csv_cells_that_look_like_formulas_are_neutralised(source: Path, tmp_path: Path) -> None:
    result = export(source, tmp_path / "out", formats=("csv",))
    assert not (result.path / "export.json").exists()
    text = (result.path / "csv" / "clients.csv").read_text("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    wren = next(r for r in rows if r["legal_last_name"] == "Okafor-Lind")
    assert wren["important_to_know"] == "'" + FORMULA
    assert wren["phone"] == "'+1 406 555 0142"
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r.values())


def test_encrypted_archive_round_trip_wrong_password_and_flipped_bytes(
    source: Path, tmp_path: Path
) -> None:
    result = export(source, tmp_path / "out", password=ARCHIVE_PASSWORD)
    assert result.path.suffix == export_archive.SUFFIX and result.encrypted
    assert result.path.stat().st_mode & 0o077 == 0
    data = result.path.read_bytes()
    assert b"Okafor" not in data and b"clients" not in data
    with pytest.raises(export_archive.PasswordNeeded):
        oe.load_export(result.path)
    with pytest.raises(export_archive.WrongArchivePassword, match="password does not open"):
        oe.load_export(result.path, "not the password at all 12 ferns")
    document = oe.load_export(result.path, ARCHIVE_PASSWORD)
    assert document.counts["clients"] == 8
    for offset, error in (
        (len(data) - 1, export_archive.ArchiveDamaged),  # the GCM tag
        (len(data) // 2, export_archive.ArchiveDamaged),  # the ciphertext
        (export_archive.HEADER_BYTES - 40, export_archive.WrongArchivePassword),  # the nonce
        (0, export_archive.ArchiveDamaged),  # the magic
    ):
        flipped = bytearray(data)
        flipped[offset] ^= 0x01
        path = tmp_path / f"flipped-{offset}{export_archive.SUFFIX}"
        path.write_bytes(bytes(flipped))
        with pytest.raises((error, oe.ExportInvalid)):
            oe.load_export(path, ARCHIVE_PASSWORD)
    truncated = tmp_path / f"short{export_archive.SUFFIX}"
    truncated.write_bytes(data[:60])
    with pytest.raises(export_archive.ArchiveDamaged, match="truncated"):
        export_archive.unseal(truncated.read_bytes(), ARCHIVE_PASSWORD)


@pytest.mark.parametrize("password", [None, ARCHIVE_PASSWORD], ids=["folder", "archive"])
def test_an_export_whose_audit_entry_cannot_commit_leaves_no_file_behind(
    source: Path, tmp_path: Path, password: str | None
) -> None:
    """The files are written before the unit of work commits; a full disk at the commit
    (the export may just have filled it) must not leave a plaintext folder behind."""
    from contextlib import contextmanager

    from mhsw_desktop.vault.errors import WriteFailed

    into = tmp_path / "out"
    into.mkdir()
    with Vault.open(source, PASSPHRASE) as vault:
        real = vault.unit_of_work
        entries = len(tables_of_open(vault)["audit_log"])

        @contextmanager
        def commit_fails() -> Any:
            with real() as session:
                yield session
                raise WriteFailed(str(source), "the disk is full")

        vault.unit_of_work = commit_fails  # type: ignore[method-assign]
        with pytest.raises(WriteFailed):
            oe.export_vault(vault, into, password=password, params=kdf.minimum_params())
        vault.unit_of_work = real  # type: ignore[method-assign]
        assert len(tables_of_open(vault)["audit_log"]) == entries
    assert list(into.iterdir()) == []


def tables_of_open(vault: Vault) -> dict[str, list[Any]]:
    with vault.unit_of_work() as session:
        return {"audit_log": list(session.execute(select(Base.metadata.tables["audit_log"])))}


@pytest.mark.parametrize(
    ("memory_kib", "iterations", "lanes"),
    [
        (4 * 1024 * 1024, 64, 4),  # 4 GiB: what a key file may hold, not an archive
        (1024 * 1024, 1, 4),  # 1 GiB in one pass
        (256 * 1024, 64, 4),  # within each ceiling, but 4 x the costliest calibration
        (64 * 1024, 1, 64),  # 64 lanes
    ],
)
def test_a_hostile_archive_header_asking_for_huge_argon2_costs_is_refused_before_deriving(
    monkeypatch: pytest.MonkeyPatch, memory_kib: int, iterations: int, lanes: int
) -> None:
    def no_derivation(*_args: object) -> bytearray:
        raise AssertionError("the key was derived from a hostile header")

    monkeypatch.setattr(kdf, "derive", no_derivation)
    header = export_archive._HEADER.pack(
        export_archive.MAGIC, export_archive.VERSION, memory_kib, iterations, lanes,
        b"s" * 16, b"n" * 12,
    )  # fmt: skip
    data = header + b"c" * export_archive.CHECK_BYTES + b"x" * 64
    with pytest.raises(export_archive.ArchiveDamaged, match="beyond what an archive"):
        export_archive.unseal(data, ARCHIVE_PASSWORD)
    with pytest.raises(ValueError, match="beyond what an archive"):
        export_archive.seal(b"zip", ARCHIVE_PASSWORD,
                            kdf.KdfParams(memory_kib, iterations, lanes, b"s" * 16))  # fmt: skip


def test_a_weak_archive_password_and_no_format_are_refused_before_anything_is_written(
    source: Path, tmp_path: Path
) -> None:
    with pytest.raises(export_archive.WeakArchivePassword):
        export(source, tmp_path / "out", password="password")
    with pytest.raises(oe.ExportFailed, match="at least one format"):
        export(source, tmp_path / "out", formats=())
    assert list((tmp_path / "out").iterdir()) == []


@pytest.fixture(scope="module")
def small_export(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """export.json of a small vault (two clients, a note, a task), as a dict."""
    root = tmp_path_factory.mktemp("small")
    vault, _ = create_vault(root / "vault")
    with vault:
        with vault.unit_of_work() as s:
            fill_demo(s, 2, 5, notes_per_client=1)
        result = oe.export_vault(vault, root, formats=("json",))
    return json.loads((result.path / oe.DATA_NAME).read_text("utf-8"))


def _bad(document: dict[str, Any], change: Any) -> dict[str, Any]:
    edited = copy.deepcopy(document)
    change(edited)
    return edited


def _client(d: dict[str, Any]) -> dict[str, Any]:
    return d["tables"]["clients"][0]


BAD_EXPORTS = [
    (lambda d: d.update(format="zip"), "not an MHSW Desktop export"),
    (lambda d: d.update(format_version=2), "newer MHSW Desktop"),
    (lambda d: d.update(schema_revision="0099_future"), "schema_revision '0099_future'"),
    (lambda d: d["tables"].update(gadgets=[]), "unknown table 'gadgets'"),
    (lambda d: _client(d).update(date_of_birth="1985-13-01"),
     r"clients record 1 \(id .*\), date_of_birth: '1985-13-01' is not a date"),
    (lambda d: _client(d).update(legal_first_name=None), "legal_first_name: is required"),
    (lambda d: _client(d).pop("legal_last_name"), "legal_last_name: is missing"),
    (lambda d: _client(d).update(legal_first_name="x" * 101), "101 characters long"),
    (lambda d: _client(d).update(id="nope"), "id: 'nope' is not an id"),
    (lambda d: _client(d).update(colour="blue"), "unknown field 'colour'"),
    (lambda d: d["tables"]["notes"][0].update(client_id=str(uuid.uuid4())),
     "notes record 1 .*client_id: names .*, which is not in clients"),
    (lambda d: d["tables"]["notes"][0].update(duration_minutes="50"), "must be a whole number"),
    (lambda d: d["tables"]["clients"].append(copy.deepcopy(_client(d))),
     "repeats the id of an earlier record"),
    (lambda d: d["counts"].update(clients=3), "the export says 3 records, 2 are present"),
    (lambda d: d["tables"].update(clients={"a": 1}), "clients must be a list"),
    (lambda d: d["tables"]["notes"][0].update(sections="{oops"),
     "notes record 1 .*sections: is not the JSON text the app keeps here"),
    (lambda d: d["tables"]["notes"][0].update(mental_status="[]"),
     "mental_status: must be JSON text of an object"),
    (lambda d: _client(d).update(preferred_language="fr"),
     r"clients record 1 \(id .*\), preferred_language: 'fr' is not one of the languages"),
    (lambda d: _client(d).update(document_language="bogus"),
     "document_language: must be one of both, client, english"),
]  # fmt: skip


@pytest.mark.parametrize(("change", "words"), BAD_EXPORTS)
def test_a_malformed_export_names_the_record_and_field(
    small_export: dict[str, Any], change: Any, words: str
) -> None:
    raw = json.dumps(_bad(small_export, change)).encode()
    with pytest.raises(oe.ExportInvalid, match=words):
        oe.parse_export(raw)


def test_not_json_and_not_an_export_are_refused_in_words(tmp_path: Path) -> None:
    for raw, words in ((b"{", "not valid JSON .line 1"), (b"\xff\xfe", "not UTF-8"),
                       (b"[]", "one JSON object"), (b'{"a": NaN}', "not valid JSON")):  # fmt: skip
        with pytest.raises(oe.ExportInvalid, match=words):
            oe.parse_export(raw)
    (tmp_path / "csv").mkdir()
    with pytest.raises(oe.ExportInvalid, match="only CSV files"):
        oe.load_export(tmp_path)


def test_a_record_the_database_refuses_is_named_and_no_vault_is_left(
    small_export: dict[str, Any], tmp_path: Path
) -> None:
    edited = _bad(small_export, lambda d: _client(d).update(status="wandering"))
    document = oe.parse_export(json.dumps(edited).encode())  # the types are all right
    with pytest.raises(oe.ExportInvalid, match=r"clients record 1 \(id .*\): CHECK constraint"):
        oe.import_export(document, tmp_path / "new", PASSPHRASE, params=kdf.minimum_params())
    assert list(tmp_path.iterdir()) == []


def test_a_note_whose_json_does_not_fit_the_app_is_named_and_no_vault_is_left(
    small_export: dict[str, Any], tmp_path: Path
) -> None:
    edited = _bad(small_export, lambda d: d["tables"]["notes"][0].update(template_snapshot="{}"))
    document = oe.parse_export(json.dumps(edited).encode())
    with pytest.raises(oe.ExportInvalid, match=r"notes record \(id .*\): its sections"):
        oe.import_export(document, tmp_path / "new", PASSPHRASE, params=kdf.minimum_params())
    assert list(tmp_path.iterdir()) == []


def test_the_target_must_be_new_or_empty(small_export: dict[str, Any], tmp_path: Path) -> None:
    document = oe.parse_export(json.dumps(small_export).encode())
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "keep.txt").write_text("x")
    with pytest.raises(Exception, match="not empty"):
        oe.import_export(document, tmp_path / "full", PASSPHRASE, params=kdf.minimum_params())
    (tmp_path / "empty").mkdir()
    made = oe.import_export(document, tmp_path / "empty", PASSPHRASE, params=kdf.minimum_params())
    assert made.counts["clients"] == 2
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "full"]


def test_an_edited_audit_log_is_imported_as_it_is_with_a_warning(
    small_export: dict[str, Any], tmp_path: Path
) -> None:
    edited = _bad(small_export, lambda d: d["tables"]["audit_log"][2].update(detail="edited"))
    document = oe.parse_export(json.dumps(edited).encode())
    assert document.warnings and "from entry 3 on" in document.warnings[0]
    made = oe.import_export(document, tmp_path / "new", PASSPHRASE, params=kdf.minimum_params())
    assert made.warnings == tuple(document.warnings)
    with Vault.open(made.folder, PASSPHRASE) as vault:
        check = vault.verify_audit()
    assert (check.ok, check.first_bad) == (False, 3)


def test_every_text_column_that_holds_json_is_checked_as_json(source: Path, tmp_path: Path) -> None:
    document = json.loads((export(source, tmp_path / "o").path / oe.DATA_NAME).read_text())
    holding_json = set()
    for table, rows in document["tables"].items():
        for spec in oe.table_specs()[table]:
            values = [r[spec.name] for r in rows if isinstance(r[spec.name], str) and r[spec.name]]
            if values and all(v[:1] in "[{" and v[-1:] in "]}" for v in values):
                holding_json.add((table, spec.name))
    assert holding_json <= set(oe.JSON_TEXT)


def test_an_export_from_before_client_languages_imports_with_their_defaults(
    small_export: dict[str, Any],
) -> None:
    """0007_languages added fields an older export cannot have: its records take the
    values the migration gave existing rows; a current export must still carry them."""
    older = copy.deepcopy(small_export)
    older["schema_revision"] = "0006_audit_log"
    for record in older["tables"]["clients"]:
        for name in ("preferred_language", "interpreter_needed", "document_language"):
            record.pop(name)
    for record in older["tables"]["notes"]:
        record.pop("homework")
    parsed = oe.parse_export(json.dumps(older).encode())
    clients = parsed.rows["clients"]
    assert [c["preferred_language"] for c in clients] == ["en", "en"]
    assert {c["interpreter_needed"] for c in clients} == {False}
    assert {c["document_language"] for c in clients} == {"client"}
    assert {n["homework"] for n in parsed.rows["notes"]} == {""}
    current = copy.deepcopy(older)
    current["schema_revision"] = small_export["schema_revision"]
    with pytest.raises(oe.ExportInvalid, match="preferred_language: is missing"):
        oe.parse_export(json.dumps(current).encode())

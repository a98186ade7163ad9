"""Backups on real vaults: what a backup holds, that it restores whole, that a damaged or
tampered one is refused with nothing replaced, rotation, and failures that keep the old."""

from __future__ import annotations

import errno
import hashlib
import hmac
import json
import shutil
import stat
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mhsw_desktop.services.synthetic import fill_demo
from mhsw_desktop.vault import backup
from mhsw_desktop.vault.errors import VaultError, WrongPassphrase, WrongRecoveryKey
from mhsw_desktop.vault.vault import DB_NAME, KEY_NAME, Vault
from tests.support import NEW_PASSPHRASE, PASSPHRASE, create_vault, snapshot


def _tables(folder: Path, passphrase: str = PASSPHRASE) -> dict[str, list[tuple]]:
    """Every row of every table but the audit log (which a restore appends to)."""
    with Vault.open(folder, passphrase, migrate=False) as vault, vault.engine.connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name != 'audit_log' ORDER BY name"
        ).scalars()
        return {
            n: conn.exec_driver_sql(f'SELECT * FROM "{n}" ORDER BY 1').fetchall() for n in names
        }


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("backup") / "vault"
    vault, recovery = create_vault(folder)
    with vault, vault.unit_of_work() as session:
        fill_demo(session, 12, 3, notes_per_client=2)
    return folder, recovery


@pytest.fixture
def folder(template: tuple[Path, str], tmp_path: Path) -> Path:
    copy = tmp_path / "vault"
    shutil.copytree(template[0], copy)
    return copy


@pytest.fixture
def recovery(template: tuple[Path, str]) -> str:
    return template[1]


def _backup(folder: Path, **kwargs) -> backup.BackupResult:
    with Vault.open(folder, PASSPHRASE) as vault:
        return backup.back_up(vault, app_version="9.9", **kwargs)


def _flip(data: bytes, at: int) -> bytes:
    changed = bytearray(data)
    changed[at] ^= 0x01
    return bytes(changed)


def _db_offset(path: Path) -> int:
    """Where the database member's bytes start inside the archive."""
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("vault.db")
    with path.open("rb") as handle:
        handle.seek(info.header_offset + 26)
        name_len, extra_len = (
            int.from_bytes(handle.read(2), "little"),
            int.from_bytes(handle.read(2), "little"),
        )
    return info.header_offset + 30 + name_len + extra_len


# -- what a backup is -----------------------------------------------------------------
def test_a_backup_holds_a_copy_the_key_file_and_a_manifest_of_counts(folder: Path) -> None:
    result = _backup(folder, kind="manual")
    assert result.path.parent == folder / "backups"
    assert result.path.name.startswith("manual-") and result.path.suffix == ".mhswbak"
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    with zipfile.ZipFile(result.path) as zf:
        assert zf.comment == backup.MAGIC
        assert sorted(zf.namelist()) == sorted(backup.MEMBERS)
        assert zf.read("vault.key") == (folder / KEY_NAME).read_bytes()
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["app_version"] == "9.9"
    assert manifest["counts"]["clients"] == 12 and manifest["counts"]["notes"] == 24
    assert "search_docs_fts_data" not in manifest["counts"]
    with Vault.open(folder, PASSPHRASE) as vault, vault.engine.connect() as conn:
        seq_at_backup = manifest["audit_head"]["seq"]
        found = conn.exec_driver_sql(
            "SELECT hash FROM audit_log WHERE seq = ?", (seq_at_backup,)
        ).scalar()
        assert found == manifest["audit_head"]["hash"]
        # the backup itself is in the log, after the head the copy ends at
        logged = conn.exec_driver_sql(
            "SELECT seq, outcome, detail FROM audit_log WHERE action = 'backup'"
        ).fetchall()
    assert [(s > seq_at_backup, o) for s, o, _ in logged] == [(True, "ok")]
    assert result.path.name in logged[0][2]
    # nothing in the manifest is client data: only numbers, names of tables and hashes
    text = json.dumps(manifest)
    with Vault.open(folder, PASSPHRASE) as vault, vault.engine.connect() as conn:
        surnames = conn.exec_driver_sql("SELECT legal_last_name FROM clients").scalars().all()
    assert not any(name in text for name in surnames)


def test_restore_into_a_new_folder_reproduces_every_record(folder: Path, recovery: str) -> None:
    result = _backup(folder)
    before = _tables(folder)
    restored = backup.restore(result.path, PASSPHRASE, folder.with_name("restored"))
    assert restored.kept_aside is None and restored.how == "passphrase"
    assert _tables(restored.folder) == before
    with Vault.open(restored.folder, PASSPHRASE) as vault:
        report = vault.verify()
        assert report.ok, report.problems
        assert vault.audit_warning == ""
        with vault.engine.connect() as conn:
            actions = conn.exec_driver_sql(
                "SELECT action, detail FROM audit_log ORDER BY seq DESC LIMIT 3"
            ).fetchall()
    assert ("restore", f"{result.path.name} of {result.manifest.created_at}") in actions
    # the recovery key of that time opens it as well
    again = backup.restore(result.path, recovery, folder.with_name("by-recovery"))
    assert again.how == "recovery key"
    assert _tables(again.folder) == before
    for path in [again.folder, *again.folder.rglob("*")]:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_restore_over_the_vault_keeps_the_current_one_aside(folder: Path) -> None:
    older = _backup(folder)
    older_tables = _tables(folder)
    with Vault.open(folder, PASSPHRASE) as vault, vault.unit_of_work() as session:
        fill_demo(session, 3, 77)
    newer_tables = _tables(folder)
    assert newer_tables != older_tables
    current = {k: v for k, v in snapshot(folder).items() if not k.startswith("backups")}

    result = backup.restore(older.path, PASSPHRASE, folder)

    assert result.kept_aside is not None and result.kept_aside.name.startswith(
        "vault.before-restore-"
    )
    assert snapshot(result.kept_aside) == current  # whole, byte for byte (backups moved on)
    assert _tables(result.kept_aside) == newer_tables
    assert _tables(folder) == older_tables
    assert (folder / "backups" / older.path.name).exists()  # the backups came along


def test_a_backup_opens_with_the_passphrase_of_its_time(folder: Path, recovery: str) -> None:
    old = _backup(folder)
    with Vault.open(folder, PASSPHRASE) as vault:
        vault.change_passphrase(NEW_PASSPHRASE)
    target = folder.with_name("restored")
    with pytest.raises(WrongPassphrase, match="when the backup was made"):
        backup.restore(old.path, NEW_PASSPHRASE, target)
    assert not target.exists()
    assert backup.restore(old.path, PASSPHRASE, target).how == "passphrase"


def test_a_recovery_key_of_another_vault_is_refused(folder: Path, tmp_path: Path) -> None:
    made = _backup(folder)
    other, other_recovery = create_vault(tmp_path / "other")
    other.lock()
    with pytest.raises(WrongRecoveryKey) as caught:
        backup.restore(made.path, other_recovery, tmp_path / "x")
    assert caught.value.exit_code == 3
    assert not (tmp_path / "x").exists()


# -- refusing what cannot be trusted ----------------------------------------------------
def _refused(path: Path, target: Path, match: str, secret: str = PASSPHRASE) -> None:
    before = snapshot(target) if target.exists() else None
    with pytest.raises(backup.BackupDamaged, match=match):
        backup.restore(path, secret, target)
    assert (snapshot(target) if target.exists() else None) == before
    assert not [p for p in target.parent.iterdir() if ".restoring-" in p.name]


@pytest.mark.parametrize("where", ["start", "middle", "end"])
def test_a_flipped_byte_in_the_database_is_refused(folder: Path, where: str) -> None:
    made = _backup(folder)
    start = _db_offset(made.path)
    size = made.manifest.database_bytes
    at = {"start": start + 20, "middle": start + size // 2, "end": start + size - 3}[where]
    made.path.write_bytes(_flip(made.path.read_bytes(), at))
    _refused(made.path, folder, "truncated or damaged|checksum")


def test_a_truncated_backup_is_refused_and_listed_as_damaged(folder: Path) -> None:
    made = _backup(folder)
    data = made.path.read_bytes()
    for cut in (len(data) - 1, len(data) // 2, 100):
        made.path.write_bytes(data[:cut])
        _refused(made.path, folder, "truncated|not a backup")
        (entry,) = backup.list_backups(made.path.parent)
        assert not entry.ok and entry.problem


def _rewrite(path: Path, manifest: dict, db: bytes | None = None, key: bytes | None = None) -> None:
    with zipfile.ZipFile(path) as zf:
        members = {name: zf.read(name) for name in backup.MEMBERS}
    members["manifest.json"] = json.dumps(manifest).encode()
    if db is not None:
        members["vault.db"] = db
    if key is not None:
        members["vault.key"] = key
    with zipfile.ZipFile(path, "w") as zf:
        zf.comment = backup.MAGIC
        for name, data in members.items():
            zf.writestr(name, data)


def test_a_manifest_edited_to_match_a_changed_file_fails_its_mac(folder: Path) -> None:
    made = _backup(folder)
    with zipfile.ZipFile(made.path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        db = bytearray(zf.read("vault.db"))
    db[len(db) // 2] ^= 0xFF
    manifest["database"]["sha256"] = hashlib.sha256(db).hexdigest()
    _rewrite(made.path, manifest, db=bytes(db))
    _refused(made.path, folder, "manifest has been changed")

    manifest["counts"]["clients"] += 1  # or a forged count, with the old checksum
    _refused(made.path, folder, "manifest has been changed")


def test_a_forged_page_is_caught_even_past_checksum_and_mac(folder: Path) -> None:
    """Defence in depth: were the manifest's MAC forged too, SQLCipher's page HMACs and
    the counts still refuse a changed copy."""
    made = _backup(folder)
    with zipfile.ZipFile(made.path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        db = bytearray(zf.read("vault.db"))
    db[8192 + 100] ^= 0x01  # inside page 3
    manifest["database"]["sha256"] = hashlib.sha256(db).hexdigest()
    with Vault.open(folder, PASSPHRASE) as vault:
        key = vault.derived_key(backup.MANIFEST_LABEL)
    body = {k: v for k, v in manifest.items() if k != "mac"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    manifest["mac"] = hmac.new(key, canonical, hashlib.sha256).hexdigest()
    _rewrite(made.path, manifest, db=bytes(db))
    _refused(made.path, folder, "authentication check|cannot be decrypted")


def test_a_key_file_swapped_in_from_another_vault_is_refused(folder: Path, tmp_path: Path) -> None:
    made = _backup(folder)
    create_vault(tmp_path / "other")[0].lock()
    other_key = (tmp_path / "other" / KEY_NAME).read_bytes()
    with zipfile.ZipFile(made.path) as zf:
        manifest = json.loads(zf.read("manifest.json"))
    manifest["key_file"]["sha256"] = hashlib.sha256(other_key).hexdigest()
    _rewrite(made.path, manifest, key=other_key)
    _refused(made.path, folder, "another vault")


def test_a_file_that_is_not_a_backup_is_refused(folder: Path, tmp_path: Path) -> None:
    stray = tmp_path / "notes.mhswbak"
    with zipfile.ZipFile(stray, "w") as zf:
        zf.writestr("hello.txt", "not a backup")
    _refused(stray, folder, "not an MHSW Desktop backup")
    stray.write_bytes(b"\x00" * 5000)
    _refused(stray, folder, "truncated or not a backup")


def test_restore_refuses_a_folder_that_holds_other_files(folder: Path, tmp_path: Path) -> None:
    made = _backup(folder)
    busy = tmp_path / "papers"
    busy.mkdir()
    (busy / "letter.txt").write_text("keep me")
    with pytest.raises(backup.RestoreTargetInvalid, match="not a vault"):
        backup.restore(made.path, PASSPHRASE, busy)
    assert (busy / "letter.txt").read_text() == "keep me"


# -- failures keep the earlier backups ---------------------------------------------------
def test_a_backup_into_a_folder_that_is_gone_says_so_and_keeps_the_old(folder: Path) -> None:
    first = _backup(folder, kind="auto")
    kept = snapshot(folder / "backups")
    with Vault.open(folder, PASSPHRASE) as vault:
        with pytest.raises(backup.BackupFailed, match="earlier backups are kept"):
            backup.back_up(vault, output=folder.with_name("unplugged") / "x" / "b.mhswbak",
                           kind="manual")  # fmt: skip
        outcomes = (
            vault.engine.connect()
            .exec_driver_sql("SELECT outcome FROM audit_log WHERE action = 'backup' ORDER BY seq")
            .scalars()
            .all()
        )
    assert outcomes == ["ok", "failed"]
    assert snapshot(folder / "backups") == kept
    assert first.path.exists()


def test_a_full_disk_leaves_no_partial_file_and_the_old_backups(
    folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _backup(folder, kind="auto")
    kept = snapshot(folder / "backups")

    def full(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(backup.shutil, "copyfileobj", full)
    with (
        Vault.open(folder, PASSPHRASE) as vault,
        pytest.raises(backup.BackupFailed, match="the disk is full"),
    ):
        backup.back_up(vault, kind="auto", now=datetime.now(UTC) + timedelta(days=1))
    assert snapshot(folder / "backups") == kept  # no temporary copy or archive left


def test_a_missing_second_folder_is_reported_and_the_first_copy_stands(
    folder: Path, tmp_path: Path
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    backup.BackupPolicy(second_folder=usb).save(folder)
    made = _backup(folder, kind="auto")
    assert made.second_copy == usb / made.path.name
    assert made.second_copy.read_bytes() == made.path.read_bytes()
    shutil.rmtree(usb)
    later = _backup(folder, kind="auto", now=datetime.now(UTC) + timedelta(days=1))
    assert later.path.exists() and later.second_copy is None
    assert "drive connected" in later.second_problem


# -- rotation and the daily rule ------------------------------------------------------
def _at(days_ago: float) -> datetime:
    return datetime(2026, 12, 2, 18, 0, tzinfo=UTC) - timedelta(days=days_ago)


@pytest.mark.parametrize(
    ("ages", "daily", "weekly", "kept"),
    [
        ([], 7, 8, []),
        ([0, 1, 2], 7, 8, [0, 1, 2]),
        # three in one day: the newest of the day stands for it
        ([0, 0.1, 0.2, 1], 7, 8, [0, 1]),
        # 60 daily backups (the newest on a Wednesday): the last 7 days, and the newest
        # of each of the last 8 ISO weeks (each week's Sunday, and this Wednesday)
        (list(range(60)), 7, 8, [0, 1, 2, 3, 4, 5, 6, 10, 17, 24, 31, 38, 45]),
        (list(range(60)), 2, 1, [0, 1]),
        # gaps: days that have no backup do not use up the allowance
        ([0, 10, 20, 30], 3, 1, [0, 10, 20]),
    ],
)
def test_rotation_keeps_the_newest_of_each_day_and_week(
    ages: list[float], daily: int, weekly: int, kept: list[float]
) -> None:
    moments = [_at(a) for a in ages]
    assert backup.to_keep(moments, daily, weekly) == {_at(a) for a in kept}


def test_rotation_thins_only_automatic_backups_of_this_vault(folder: Path) -> None:
    backup.BackupPolicy(keep_daily=2, keep_weekly=1).save(folder)
    start = datetime.now(UTC) - timedelta(days=5)
    manual = _backup(folder, kind="manual", now=start)
    made = [_backup(folder, kind="auto", now=start + timedelta(days=d)) for d in range(1, 5)]
    names = sorted(p.name for p in (folder / "backups").iterdir())
    assert manual.path.name in names  # made on demand: never removed by rotation
    assert [m.path.name in names for m in made] == [False, False, True, True]
    assert [m.removed for m in made] == [[], [], [made[0].path], [made[1].path]]


def test_the_automatic_backup_is_due_once_a_day(folder: Path) -> None:
    assert backup.due(folder)
    _backup(folder, kind="manual")
    assert backup.due(folder)  # an on-demand backup does not stand in for the daily one
    _backup(folder, kind="auto")
    assert not backup.due(folder)
    assert backup.due(folder, now=datetime.now(UTC) + timedelta(days=1))


def test_the_policy_is_saved_checked_and_survives_damage(folder: Path, tmp_path: Path) -> None:
    assert backup.BackupPolicy.load(folder) == backup.BackupPolicy(7, 8, None)
    backup.BackupPolicy(3, 4, tmp_path).save(folder)
    assert backup.BackupPolicy.load(folder) == backup.BackupPolicy(3, 4, tmp_path)
    assert stat.S_IMODE((folder / backup.POLICY_NAME).stat().st_mode) == 0o600
    for bad in (0, 367, -1):
        with pytest.raises(VaultError, match="from 1 to 366"):
            backup.BackupPolicy(keep_daily=bad)
    (folder / backup.POLICY_NAME).write_text("{not json")
    assert backup.BackupPolicy.load(folder) == backup.BackupPolicy()


def test_the_list_is_newest_first_and_needs_no_secret(folder: Path) -> None:
    first = _backup(folder, kind="auto", now=datetime.now(UTC) - timedelta(days=2))
    second = _backup(folder, kind="manual")
    entries = backup.list_backups(folder / "backups")
    assert [e.path for e in entries] == [second.path, first.path]
    assert all(e.ok for e in entries)
    assert entries[0].manifest is not None and entries[0].manifest.counts["clients"] == 12
    assert DB_NAME not in {p.name for p in (folder / "backups").iterdir()}

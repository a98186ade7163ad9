"""Encrypted backups of a vault: make, list, verify, rotate and restore.

A backup is one file, ``<kind>-<vault id>-<UTC time>.mhswbak``: a ZIP archive, stored
uncompressed (the pages are ciphertext and do not compress), whose comment is the format
magic and which holds three members::

    manifest.json   what the backup is (no client data): time, app version, schema,
                    rows per table, the audit log's head, SHA-256 of the two files below,
                    and a MAC over all of it under a key derived from the data key
    vault.key       the key file as it was at that time (its passphrase and the
                    recovery key of that time open the backup)
    vault.db        SQLCipher's own consistent copy (``VACUUM INTO``), still encrypted
                    under the vault's data key, with the same file salt

Listing reads only the manifests (no secret). Verifying checks, in this order: the
archive's structure and CRCs, the two checksums (a truncated or bit-flipped file fails
here, before any secret is asked), the secret against the backup's own key file, the
manifest's MAC (a manifest edited to match a changed file fails here), then every page
of the copy (``cipher_integrity_check``), SQLite's integrity and foreign keys, the audit
chain up to the head the manifest names, and the row counts.

A backup is written to a hidden temporary file beside its final name and renamed into
place only when whole, so a full disk or a vanished folder leaves the earlier backups as
they were and no partial file behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import shutil
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine

from mhsw_desktop.vault import audit, errors, schema
from mhsw_desktop.vault.files import (
    OWNER_ONLY_FILE,
    fsync_dir,
    make_private_dir,
    wipe,
    write_atomic,
)

if TYPE_CHECKING:
    from mhsw_desktop.vault.vault import Vault

MAGIC = b"MHSW-BACKUP 1"
MANIFEST_MAGIC = "MHSW-BACKUP-MANIFEST"
FORMAT = 1
SUFFIX = ".mhswbak"
MEMBERS = ("manifest.json", "vault.key", "vault.db")
POLICY_NAME = "backup-policy.json"
POLICY_MAGIC = "MHSW-BACKUP-POLICY"
MANIFEST_LABEL = b"mhsw backup manifest v1"
_CHUNK = 1024 * 1024
#: the kinds rotation thins out: made on lock and quit, and by ``mhsw backup`` (nightly
#: scripts); a backup the practitioner asked for in the app is theirs to delete
ROTATED = frozenset({"auto", "scheduled"})
_NAME = re.compile(
    r"^(?P<kind>[a-z-]+)-(?P<vault>[0-9a-f]{8})-(?P<stamp>\d{8}T\d{6}Z)(-\d+)?\.mhswbak$"
)


# -- errors -------------------------------------------------------------------------
class BackupFailed(errors.VaultError):
    def __init__(self, where: Path, reason: str) -> None:
        super().__init__(
            f"The backup to {where} could not be made ({reason}). The earlier backups are "
            "kept as they were."
        )


class BackupDamaged(errors.VaultError):
    def __init__(self, name: str, detail: str) -> None:
        super().__init__(
            f"The backup {name} cannot be trusted ({detail}). It was not restored; "
            "choose another backup."
        )


class RestoreTargetInvalid(errors.VaultError):
    """The folder to restore into is a file, or holds something that is not a vault."""


class WrongBackupPassphrase(errors.WrongPassphrase):
    def __init__(self, made: str) -> None:
        errors.VaultError.__init__(
            self,
            f"That passphrase does not open this backup. Use the passphrase the vault had "
            f"when the backup was made ({made}), or the recovery key.",
        )


class WrongBackupRecoveryKey(errors.WrongRecoveryKey):
    def __init__(self) -> None:
        super().__init__(
            "That recovery key does not open this backup: it belongs to another vault or "
            "was reissued after the backup was made."
        )


# -- the policy -----------------------------------------------------------------------
@dataclass(frozen=True)
class BackupPolicy:
    """How many automatic backups to keep, and the optional second folder (a USB drive).

    Stored in the vault folder (``backup-policy.json``) so that the app and ``mhsw`` agree.
    It holds no client data: two numbers and a path.
    """

    keep_daily: int = 7
    keep_weekly: int = 8
    second_folder: Path | None = None

    def __post_init__(self) -> None:
        for name in ("keep_daily", "keep_weekly"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 366:
                raise errors.VaultError(
                    f"{name.replace('_', ' ')} must be a whole number from 1 to 366."
                )

    @classmethod
    def load(cls, vault_folder: Path) -> BackupPolicy:
        path = vault_folder / POLICY_NAME
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError):
            return cls()  # a damaged policy must never stop backups: use the defaults
        if not isinstance(data, dict) or data.get("magic") != POLICY_MAGIC:
            return cls()
        second = data.get("second_folder")
        try:
            return cls(
                keep_daily=data.get("keep_daily", 7),
                keep_weekly=data.get("keep_weekly", 8),
                second_folder=Path(second) if isinstance(second, str) and second else None,
            )
        except errors.VaultError:
            return cls()

    def save(self, vault_folder: Path) -> None:
        payload = {
            "magic": POLICY_MAGIC,
            "format": 1,
            "keep_daily": self.keep_daily,
            "keep_weekly": self.keep_weekly,
            "second_folder": str(self.second_folder) if self.second_folder else None,
        }
        try:
            write_atomic(vault_folder / POLICY_NAME, json.dumps(payload, indent=2).encode())
        except OSError as exc:  # the old policy file is still in place, whole
            raise errors.WriteFailed(str(vault_folder), errors.write_failure_reason(exc)) from exc


# -- what a backup says about itself ---------------------------------------------------
@dataclass(frozen=True)
class Manifest:
    vault_id: str
    created_at: str  # UTC, ISO 8601, seconds
    app_version: str
    schema_revision: str
    kind: str
    counts: dict[str, int]
    audit_seq: int
    audit_hash: str
    database_bytes: int
    database_sha256: str
    key_file_sha256: str
    mac: str = ""

    def body(self) -> dict[str, Any]:
        return {
            "magic": MANIFEST_MAGIC,
            "format": FORMAT,
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "app_version": self.app_version,
            "schema_revision": self.schema_revision,
            "kind": self.kind,
            "counts": dict(sorted(self.counts.items())),
            "audit_head": {"seq": self.audit_seq, "hash": self.audit_hash},
            "database": {"bytes": self.database_bytes, "sha256": self.database_sha256},
            "key_file": {"sha256": self.key_file_sha256},
        }

    def canonical(self) -> bytes:
        return json.dumps(self.body(), sort_keys=True, separators=(",", ":")).encode()

    def to_json(self) -> bytes:
        return json.dumps({**self.body(), "mac": self.mac}, indent=2, sort_keys=True).encode()

    @classmethod
    def parse(cls, raw: bytes, name: str) -> Manifest:
        try:
            data = json.loads(raw.decode("utf-8"))
            if data.get("magic") != MANIFEST_MAGIC:
                raise ValueError("not a backup manifest")
            if int(data["format"]) > FORMAT:
                raise errors.VaultTooNew(f"backup format {data['format']}")
            counts = {str(k): int(v) for k, v in dict(data["counts"]).items()}
            return cls(
                vault_id=str(data["vault_id"]),
                created_at=str(data["created_at"]),
                app_version=str(data["app_version"]),
                schema_revision=str(data["schema_revision"]),
                kind=str(data["kind"]),
                counts=counts,
                audit_seq=int(data["audit_head"]["seq"]),
                audit_hash=str(data["audit_head"]["hash"]),
                database_bytes=int(data["database"]["bytes"]),
                database_sha256=str(data["database"]["sha256"]),
                key_file_sha256=str(data["key_file"]["sha256"]),
                mac=str(data["mac"]),
            )
        except errors.VaultTooNew:
            raise
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupDamaged(name, "its manifest cannot be read") from exc

    @property
    def created(self) -> datetime:
        return datetime.fromisoformat(self.created_at)


def manifest_key(data_key: bytes | bytearray) -> bytes:
    """The manifests' MAC key, derived from the data key (never the data key itself)."""
    return hmac.new(bytes(data_key), MANIFEST_LABEL, hashlib.sha256).digest()


def _mac(key: bytes, manifest: Manifest) -> str:
    return hmac.new(key, manifest.canonical(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class BackupEntry:
    """One backup file as ``backups list`` shows it: read from its manifest alone."""

    path: Path
    bytes: int
    manifest: Manifest | None
    problem: str = ""

    @property
    def ok(self) -> bool:
        return self.manifest is not None and not self.problem


@dataclass
class BackupResult:
    path: Path
    manifest: Manifest
    second_copy: Path | None = None
    #: why the second folder got no copy (it is missing, full, …); empty when it did
    second_problem: str = ""
    removed: list[Path] = field(default_factory=list)


# -- making -----------------------------------------------------------------------------
def table_counts(raw: Any, database: str = "main") -> dict[str, int]:
    """Rows in every table of ``database`` on the DB-API connection ``raw`` (full-text
    indexes, their shadow tables and SQLite's own left out)."""
    rows = raw.execute(
        f"SELECT name, sql FROM {database}.sqlite_master "
        "WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL")]
    counts = {}
    for name, _sql in rows:
        if name == "alembic_version" or any(name == v or name.startswith(v + "_") for v in virtual):
            continue
        counts[name] = int(raw.execute(f'SELECT count(*) FROM {database}."{name}"').fetchone()[0])
    return counts


def _audit_head(raw: Any, database: str) -> tuple[int, str]:
    found = raw.execute(
        f"SELECT 1 FROM {database}.sqlite_master WHERE type = 'table' AND name = ?",
        (audit.TABLE,),
    ).fetchone()
    if found is None:
        return 0, audit.GENESIS
    row = raw.execute(
        f"SELECT seq, hash FROM {database}.{audit.TABLE} ORDER BY seq DESC LIMIT 1"
    ).fetchone()
    return (0, audit.GENESIS) if row is None else (int(row[0]), str(row[1]))


def backup_name(kind: str, vault_id: str, moment: datetime) -> str:
    return f"{kind}-{vault_id.replace('-', '')[:8]}-{moment.strftime('%Y%m%dT%H%M%SZ')}{SUFFIX}"


def make_backup(
    vault: Vault,
    target: Path,
    *,
    kind: str = "manual",
    app_version: str = "",
    now: datetime | None = None,
) -> Manifest:
    """Write a backup of the open ``vault`` to the file ``target`` (whole or not at all).

    The copy is SQLCipher's ``VACUUM INTO`` on a connection of the vault's own engine, so
    it is consistent even while the app keeps working, and never leaves ciphertext: the
    copy is encrypted with the vault's key. Raises :class:`BackupFailed` on any I/O error;
    then nothing is left at ``target`` or beside it.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    folder = target.parent
    if not folder.is_dir():  # never made here: it may be a drive that is not plugged in
        raise BackupFailed(folder, "the folder is gone; is the drive connected?")
    token = secrets.token_hex(6)
    copy = folder / f".{target.name}.{token}.db.tmp"
    archive = folder / f".{target.name}.{token}.tmp"
    try:
        with vault.engine.connect() as conn:
            # The driver connection, in autocommit mode: VACUUM cannot run inside a
            # transaction (and SQLAlchemy would open one). The copy keeps the key and the
            # file salt. The manifest describes the copy itself, attached with the same
            # key, so that a write landing meanwhile cannot make the two disagree.
            raw = conn.connection.driver_connection
            assert raw is not None
            raw.execute("VACUUM INTO ?", (str(copy),))
            raw.execute("ATTACH DATABASE ? AS backup_copy", (str(copy),))
            try:
                counts = table_counts(raw, "backup_copy")
                seq, digest = _audit_head(raw, "backup_copy")
            finally:
                raw.execute("DETACH DATABASE backup_copy")
        os.chmod(copy, OWNER_ONLY_FILE)
        key_bytes = (vault.folder / "vault.key").read_bytes()
        manifest = Manifest(
            vault_id=vault.info.vault_id,
            created_at=moment.isoformat(timespec="seconds"),
            app_version=app_version,
            schema_revision=vault.info.schema_revision,
            kind=kind,
            counts=counts,
            audit_seq=seq,
            audit_hash=digest,
            database_bytes=copy.stat().st_size,
            database_sha256=_sha256_file(copy),
            key_file_sha256=hashlib.sha256(key_bytes).hexdigest(),
        )
        manifest = _with_mac(manifest, vault)
        fd = os.open(archive, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", compression=zipfile.ZIP_STORED) as zf:
                zf.comment = MAGIC
                zf.writestr(_info("manifest.json", moment), manifest.to_json())
                zf.writestr(_info("vault.key", moment), key_bytes)
                with open(copy, "rb") as src, zf.open(_info("vault.db", moment), "w") as dst:
                    shutil.copyfileobj(src, dst, _CHUNK)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(archive, target)
        fsync_dir(folder)
    except OSError as exc:
        raise BackupFailed(folder, _reason(exc)) from exc
    except Exception as exc:
        if "full" in str(exc) or "disk I/O" in str(exc):  # SQLite's own write failed
            raise BackupFailed(folder, "the disk is full or cannot be written") from exc
        raise
    finally:
        for leftover in (copy, archive):
            with contextlib.suppress(OSError):
                leftover.unlink()
    return manifest


def _with_mac(manifest: Manifest, vault: Vault) -> Manifest:
    return replace(manifest, mac=_mac(vault.derived_key(MANIFEST_LABEL), manifest))


def _info(name: str, moment: datetime) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=moment.timetuple()[:6])
    info.external_attr = (0o100000 | OWNER_ONLY_FILE) << 16
    info.compress_type = zipfile.ZIP_STORED
    return info


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _reason(exc: OSError) -> str:
    """Plain words for a failed backup write; a folder that is gone is likely a drive."""
    import errno

    if exc.errno in (errno.ENOENT, errno.ENOTDIR):
        return "the folder is gone; is the drive connected?"
    return errors.write_failure_reason(exc)


# -- rotation ---------------------------------------------------------------------------
def to_keep(moments: Iterable[datetime], keep_daily: int, keep_weekly: int) -> set[datetime]:
    """Which backups rotation keeps: the newest of each of the last ``keep_daily`` days
    that have one, and the newest of each of the last ``keep_weekly`` ISO weeks that have
    one (the same backup may count for both). Days and weeks are UTC."""
    newest_first = sorted(set(moments), reverse=True)
    keep: set[datetime] = set()
    for bucket, limit in ((_day, keep_daily), (_week, keep_weekly)):
        seen: list[object] = []
        for moment in newest_first:
            key = bucket(moment)
            if key in seen:
                continue
            if len(seen) >= limit:
                break
            seen.append(key)
            keep.add(moment)
    return keep


def _day(moment: datetime) -> date:
    return moment.date()


def _week(moment: datetime) -> tuple[int, int]:
    iso = moment.isocalendar()
    return iso.year, iso.week


def rotate(folder: Path, policy: BackupPolicy, vault_id: str) -> list[Path]:
    """Delete this vault's backups in ``folder`` that rotation does not keep; return them.

    Only the automatic and scheduled backups named by this module for this vault are
    considered; a backup made on demand (``manual``), a file the user put there, another
    vault's backups and pre-upgrade copies are never touched.
    """
    prefix = vault_id.replace("-", "")[:8]
    found: dict[Path, datetime] = {}
    for path in _backup_files(folder):
        match = _NAME.match(path.name)
        if match and match["vault"] == prefix and match["kind"] in ROTATED:
            found[path] = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC)
    keep = to_keep(found.values(), policy.keep_daily, policy.keep_weekly)
    removed = []
    for path, moment in sorted(found.items()):
        if moment not in keep:
            with contextlib.suppress(OSError):
                path.unlink()
                removed.append(path)
    return removed


def _backup_files(folder: Path) -> list[Path]:
    try:
        return sorted(p for p in folder.iterdir() if p.name.endswith(SUFFIX) and p.is_file())
    except OSError:
        return []


# -- the routine backup (lock, quit, on demand, `mhsw backup`) ---------------------------
def backups_folder(vault_folder: Path) -> Path:
    return vault_folder / "backups"


def all_folders(vault_folder: Path) -> list[Path]:
    """Where this vault's backups are: its own folder, then the policy's second folder."""
    policy = BackupPolicy.load(vault_folder)
    folders = [backups_folder(vault_folder)]
    if policy.second_folder is not None:
        folders.append(policy.second_folder)
    return folders


def back_up(
    vault: Vault,
    *,
    kind: str = "manual",
    app_version: str = "",
    output: Path | None = None,
    now: datetime | None = None,
) -> BackupResult:
    """Make a backup and record it in the audit log; then copy it to the second folder and
    rotate both folders (only after the new backup is whole, so a failure keeps the old).

    ``output`` writes that one file instead (no second copy, no rotation). A failure is
    written to the audit log too, then raised as :class:`BackupFailed`.
    """
    moment = (now or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    policy = BackupPolicy.load(vault.folder)
    folder = backups_folder(vault.folder)
    try:
        if output is None:
            make_private_dir(folder)
        target = output if output is not None else _free_name(folder, kind, vault, moment)
        manifest = make_backup(vault, target, kind=kind, app_version=app_version, now=moment)
    except (errors.VaultError, OSError) as exc:
        # The failure is written down where the disk allows; the message must reach the
        # practitioner either way.
        with contextlib.suppress(Exception):
            vault.record("backup", object_type="backup", outcome="failed", detail=kind)
        if isinstance(exc, OSError):
            raise BackupFailed(folder, _reason(exc)) from exc
        raise
    vault.record("backup", object_type="backup", detail=f"{kind} {target.name}")
    result = BackupResult(target, manifest)
    if output is not None:
        return result
    result.removed += rotate(folder, policy, manifest.vault_id)
    if policy.second_folder is not None:
        second = policy.second_folder / target.name
        try:
            if not policy.second_folder.is_dir():
                raise FileNotFoundError(2, "missing", str(policy.second_folder))
            _copy_whole(target, second)
            result.second_copy = second
            result.removed += rotate(policy.second_folder, policy, manifest.vault_id)
        except OSError as exc:
            result.second_problem = _reason(exc)
            with contextlib.suppress(Exception):
                vault.record(
                    "backup", object_type="backup", outcome="failed", detail=f"second folder {kind}"
                )
    return result


def _free_name(folder: Path, kind: str, vault: Vault, moment: datetime) -> Path:
    """The backup's file name; a second backup within the same second gets ``-2``, …"""
    base = backup_name(kind, vault.info.vault_id, moment).removesuffix(SUFFIX)
    target, attempt = folder / f"{base}{SUFFIX}", 1
    while target.exists():
        attempt += 1
        target = folder / f"{base}-{attempt}{SUFFIX}"
    return target


def _copy_whole(source: Path, target: Path) -> None:
    tmp = target.with_name(f".{target.name}.{secrets.token_hex(6)}.tmp")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
        with os.fdopen(fd, "wb") as dst, open(source, "rb") as src:
            shutil.copyfileobj(src, dst, _CHUNK)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, target)
        fsync_dir(target.parent)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()


def due(vault_folder: Path, *, now: datetime | None = None) -> bool:
    """Whether the daily automatic backup is due: none yet today (local calendar day)."""
    today = (now or datetime.now(UTC)).astimezone().date()
    for entry in list_backups(backups_folder(vault_folder)):
        manifest = entry.manifest
        if manifest and manifest.kind == "auto" and manifest.created.astimezone().date() == today:
            return False
    return True


# -- listing ----------------------------------------------------------------------------
def list_backups(*folders: Path) -> list[BackupEntry]:
    """The backups in ``folders`` together, newest first, each read from its manifest alone."""
    entries = [read_entry(path) for folder in folders for path in _backup_files(folder)]
    return sorted(
        entries,
        key=lambda e: (e.manifest.created_at if e.manifest else "", e.path.name),
        reverse=True,
    )


def read_entry(path: Path) -> BackupEntry:
    try:
        size = path.stat().st_size
        with zipfile.ZipFile(path) as zf:
            if zf.comment != MAGIC:
                cut = bool(zf.comment) and MAGIC.startswith(zf.comment)
                problem = "it is truncated" if cut else "not an MHSW Desktop backup"
                return BackupEntry(path, size, None, problem)
            names = zf.namelist()
            if sorted(names) != sorted(MEMBERS):
                return BackupEntry(path, size, None, "its contents are incomplete")
            manifest = Manifest.parse(zf.read("manifest.json"), path.name)
            if zf.getinfo("vault.db").file_size != manifest.database_bytes:
                return BackupEntry(path, size, manifest, "its database is not the recorded size")
            return BackupEntry(path, size, manifest)
    except errors.VaultError as exc:
        return BackupEntry(path, _size(path), None, str(exc))
    except (OSError, zipfile.BadZipFile, EOFError):
        return BackupEntry(path, _size(path), None, "it is truncated or not a backup")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


# -- verifying and restoring -------------------------------------------------------------
@dataclass
class VerifiedBackup:
    """A backup unpacked into ``folder`` (a private staging folder) and fully checked."""

    manifest: Manifest
    folder: Path
    how: str  # "passphrase" or "recovery key"


def looks_like_recovery_key(secret: str) -> bool:
    from mhsw_desktop.vault.recovery import RecoveryKeyFormatError, parse_recovery_key

    try:
        parse_recovery_key(secret)
    except RecoveryKeyFormatError:
        return False
    return True


def unpack_and_verify(
    path: Path,
    secret: str,
    staging: Path,
    *,
    progress: Callable[[str], None] | None = None,
) -> VerifiedBackup:
    """Unpack the backup at ``path`` into the new folder ``staging`` and check all of it.

    ``secret`` is the passphrase of the backup's time or the recovery key. Raises
    :class:`BackupDamaged` for anything wrong with the file, WrongPassphrase or
    WrongRecoveryKey for a secret that does not open it; ``staging`` is removed then.
    """
    from mhsw_desktop.vault.keyfile import KeyFile
    from mhsw_desktop.vault.recovery import parse_recovery_key
    from mhsw_desktop.vault.vault import DB_NAME, KEY_NAME

    say = progress or (lambda _step: None)
    name = path.name
    if staging.exists():
        raise RestoreTargetInvalid(f"{staging} already exists.")
    entry = read_entry(path)
    if entry.manifest is None or entry.problem:
        raise BackupDamaged(name, entry.problem or "its manifest cannot be read")
    manifest = entry.manifest
    make_private_dir(staging)
    try:
        say("Checking the backup file…")
        try:
            with zipfile.ZipFile(path) as zf:
                for member in ("vault.key", "vault.db"):
                    _extract(zf, member, staging / (KEY_NAME if member == "vault.key" else DB_NAME))
        except (zipfile.BadZipFile, EOFError) as exc:
            raise BackupDamaged(name, "it is truncated or damaged") from exc
        except OSError as exc:
            if isinstance(exc, (PermissionError, FileNotFoundError)) or exc.errno == 28:
                raise BackupFailed(staging, _reason(exc)) from exc
            raise BackupDamaged(name, "it is truncated or damaged") from exc
        if _sha256_file(staging / DB_NAME) != manifest.database_sha256:
            raise BackupDamaged(name, "its database does not match its checksum")
        if _sha256_file(staging / KEY_NAME) != manifest.key_file_sha256:
            raise BackupDamaged(name, "its key file does not match its checksum")
        try:
            key_file = KeyFile.load(staging / KEY_NAME)
        except errors.KeyFileDamaged as exc:
            raise BackupDamaged(name, "its key file is damaged") from exc
        if key_file.vault_id != manifest.vault_id:
            raise BackupDamaged(name, "its key file belongs to another vault")
        say("Checking the passphrase or recovery key…")
        if looks_like_recovery_key(secret):
            how = "recovery key"
            data_key = key_file.unwrap_with_recovery(parse_recovery_key(secret))
            if data_key is None:
                raise WrongBackupRecoveryKey()
        else:
            how = "passphrase"
            data_key = key_file.unwrap_with_passphrase(secret)
            if data_key is None:
                raise WrongBackupPassphrase(manifest.created_at[:10])
        try:
            if not hmac.compare_digest(_mac(manifest_key(data_key), manifest), manifest.mac):
                raise BackupDamaged(name, "its manifest has been changed")
            say("Checking every page of the copy…")
            _check_copy(staging / DB_NAME, data_key, manifest, name)
        finally:
            wipe(data_key)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return VerifiedBackup(manifest, staging, how)


def _extract(zf: zipfile.ZipFile, member: str, target: Path) -> None:
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE)
    with os.fdopen(fd, "wb") as dst, zf.open(member) as src:
        shutil.copyfileobj(src, dst, _CHUNK)  # zipfile checks the CRC at the end
        dst.flush()
        os.fsync(dst.fileno())


def _check_copy(db_path: Path, data_key: bytearray, manifest: Manifest, name: str) -> None:
    from mhsw_desktop.vault.engine import open_engine

    engine: Engine = open_engine(db_path, data_key)
    try:
        with engine.connect() as conn:
            try:
                faults = conn.exec_driver_sql("PRAGMA cipher_integrity_check").fetchall()
                integrity = [r[0] for r in conn.exec_driver_sql("PRAGMA integrity_check")]
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            except Exception as exc:
                raise BackupDamaged(name, "its pages cannot be decrypted or read") from exc
            if faults:
                raise BackupDamaged(name, f"{len(faults)} pages fail their authentication check")
            if integrity != ["ok"]:
                raise BackupDamaged(name, "its database structure is damaged")
            if broken:
                raise BackupDamaged(name, f"{len(broken)} rows point at missing records")
            revision = conn.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
            if revision not in schema.KNOWN_REVISIONS:
                raise errors.VaultTooNew(f"schema revision {revision}")
            if table_counts(conn.connection.driver_connection) != manifest.counts:
                raise BackupDamaged(name, "its row counts differ from its manifest")
            if _audit_head(conn.connection.driver_connection, "main")[0]:
                chain = audit.verify(conn, (manifest.audit_seq, manifest.audit_hash))
                if not chain.ok:
                    raise BackupDamaged(name, f"its audit log is broken: {chain.problem}")
            conn.rollback()
    finally:
        engine.dispose()
    # reading in WAL mode may have made -wal/-shm files: the staged copy is one file
    for suffix in ("-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            db_path.with_name(db_path.name + suffix).unlink()


@dataclass
class RestoreResult:
    folder: Path
    manifest: Manifest
    how: str
    #: where the vault that was in ``folder`` was moved (None when there was none)
    kept_aside: Path | None


def restore(
    path: Path,
    secret: str,
    target: Path,
    *,
    progress: Callable[[str], None] | None = None,
    now: datetime | None = None,
) -> RestoreResult:
    """Verify the backup at ``path`` fully, then make it the vault in ``target``.

    The backups folder and its policy move along to the restored vault.

    A vault already in ``target`` is moved aside first (``<target>.before-restore-<time>``)
    and never deleted; the switch is two renames in the same parent folder. The restored
    vault's audit anchor is set to the backup's head and a ``restore`` entry is recorded
    in it. Nothing is replaced when any check fails.
    """
    from mhsw_desktop.vault.vault import Vault, is_vault

    target = target.expanduser().absolute()
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    stamp = moment.strftime("%Y%m%dT%H%M%SZ")
    if target.exists() and not target.is_dir():
        raise RestoreTargetInvalid(f"{target} is a file, not a folder.")
    existing = target.is_dir() and any(target.iterdir())
    if existing and not is_vault(target):
        raise RestoreTargetInvalid(
            f"{target} holds files that are not a vault; choose an empty folder or a vault."
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupFailed(target.parent, _reason(exc)) from exc
    staging = target.with_name(f".{target.name}.restoring-{secrets.token_hex(4)}")
    verified = unpack_and_verify(path, secret, staging, progress=progress)
    try:
        make_private_dir(staging / "backups")
    except OSError as exc:
        shutil.rmtree(staging, ignore_errors=True)
        raise BackupFailed(staging, _reason(exc)) from exc
    aside: Path | None = None
    if target.exists():
        if existing:
            aside = target.with_name(f"{target.name}.before-restore-{stamp}")
            n = 1
            while aside.exists():
                n += 1
                aside = target.with_name(f"{target.name}.before-restore-{stamp}-{n}")
            os.replace(target, aside)
        else:
            target.rmdir()
    try:
        os.replace(staging, target)
    except OSError:
        if aside is not None:
            os.replace(aside, target)  # put the current vault back
        shutil.rmtree(staging, ignore_errors=True)
        raise
    if aside is not None:
        _carry_backups(aside, target)
    fsync_dir(target.parent)
    opened = (
        Vault.open_with_recovery(target, secret)
        if verified.how == "recovery key"
        else Vault.open(target, secret)
    )
    with opened:
        if opened.audited:
            # The restored log ends at the backup's head: that is the new anchor.
            opened._write_anchor()
            opened.record(
                "restore",
                object_type="vault",
                detail=f"{path.name} of {verified.manifest.created_at}",
            )
    return RestoreResult(target, verified.manifest, verified.how, aside)


def _carry_backups(old: Path, new: Path) -> None:
    """The backups (and their policy) follow the practitioner to the restored vault: they
    are whole files, so moving them is two renames, and the vault kept aside stays whole.
    """
    with contextlib.suppress(OSError):
        if (old / "backups").is_dir():
            (new / "backups").rmdir()  # made empty by restore
            os.replace(old / "backups", new / "backups")
    with contextlib.suppress(OSError):
        if (old / POLICY_NAME).exists():
            shutil.copy2(old / POLICY_NAME, new / POLICY_NAME)


__all__ = [
    "BackupDamaged",
    "BackupEntry",
    "BackupFailed",
    "BackupPolicy",
    "BackupResult",
    "Manifest",
    "RestoreResult",
    "back_up",
    "due",
    "list_backups",
    "make_backup",
    "restore",
    "rotate",
    "to_keep",
    "unpack_and_verify",
]

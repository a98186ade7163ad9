"""The vault: create, open (passphrase or recovery key), migrate, verify, lock."""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session

from mhsw_desktop.vault import audit, errors, kdf, schema
from mhsw_desktop.vault.engine import open_engine
from mhsw_desktop.vault.files import (
    OWNER_ONLY_FILE,
    make_private_dir,
    remove_stale_temp_files,
    wipe,
)
from mhsw_desktop.vault.keyfile import KeyFile
from mhsw_desktop.vault.passphrase import assess
from mhsw_desktop.vault.recovery import (
    RecoveryKeyFormatError,
    new_recovery_key,
    parse_recovery_key,
)

DB_NAME = "vault.db"
KEY_NAME = "vault.key"
BACKUPS = "backups"
PAGE_SIZE = 4096  # SQLCipher 4's default; an encrypted file is whole pages
#: Alembic's folder (env.py and versions/); a module attribute so tests can use a copy
MIGRATIONS = Path(__file__).with_name("migrations")


@dataclass(frozen=True)
class VaultInfo:
    """What the status bar and `mhsw verify` may say about a vault (no client data)."""

    folder: Path
    vault_id: str
    created_at: str
    schema_revision: str
    kdf_memory_kib: int
    kdf_iterations: int


@dataclass
class VerifyReport:
    problems: list[str] = field(default_factory=list)
    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.problems


def is_vault(folder: Path) -> bool:
    return (folder / KEY_NAME).exists() or (folder / DB_NAME).exists()


class Vault:
    """An open vault. Get one from :meth:`create`, :meth:`open` or :meth:`open_with_recovery`.

    ``must_change_passphrase`` is true after a recovery-key unlock: the caller asks for a
    new passphrase and calls :meth:`change_passphrase` before anything else.
    """

    def __init__(
        self,
        folder: Path,
        key_file: KeyFile,
        data_key: bytearray,
        engine: Engine,
        revision: str,
        *,
        read_only: bool = False,
    ) -> None:
        self.folder = folder
        self._key_file = key_file
        self._data_key: bytearray | None = data_key
        self._engine: Engine | None = engine
        self._revision = revision
        self.must_change_passphrase = False
        #: opened for inspection (``migrate=False``): nothing is written, not even the audit
        self.read_only = read_only or revision != schema.HEAD
        #: whether this vault keeps an audit log (every vault at 0006 or later does)
        self.audited = not self.read_only and _has_table(engine, audit.TABLE)
        self._anchor_key = bytearray(audit.anchor_key(data_key))
        #: set when the audit log does not reach its anchor (entries cut off or edited)
        self.audit_warning = ""

    # -- creating ---------------------------------------------------------------
    @classmethod
    def create(
        cls,
        folder: Path | str,
        passphrase: str,
        *,
        params: kdf.KdfParams | None = None,
        enforce_strength: bool = True,
        record_creation: bool = True,
    ) -> tuple[Vault, str]:
        """Make a new vault in ``folder`` (empty or absent); return it and its recovery key.

        ``params`` defaults to Argon2id calibrated to about half a second here. A folder
        that already holds anything is refused, and a folder that exists already keeps
        its permissions (only folders made here are set owner-only). Without
        ``record_creation`` the audit log starts empty, so that an import of an open
        export can put the exported chain first and continue it (services/open_export.py).
        """
        folder = Path(folder).expanduser().absolute()
        if folder.exists() and is_vault(folder):
            raise errors.VaultExists(str(folder))
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise errors.FolderNotEmpty(str(folder))
        if enforce_strength:
            strength = assess(passphrase)
            if not strength.acceptable:
                raise errors.WeakPassphrase(strength.feedback)
        try:
            make_private_dir(folder)
            make_private_dir(folder / BACKUPS)
        except OSError as exc:
            raise errors.VaultNotWritable(str(folder)) from exc
        if not os.access(folder, os.W_OK):
            raise errors.VaultNotWritable(str(folder))

        params = params or kdf.calibrate()
        data_key = bytearray(os.urandom(32))
        recovery_raw, recovery_text = new_recovery_key()
        db_path = folder / DB_NAME
        # Made owner-only before SQLite opens it: SQLite gives the WAL and shared-memory
        # files the database's mode, and a file it created would follow the umask.
        try:
            os.close(os.open(db_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY_FILE))
            os.chmod(db_path, OWNER_ONLY_FILE)
        except OSError as exc:
            raise errors.VaultNotWritable(str(folder)) from exc
        engine = open_engine(db_path, data_key)
        try:
            _upgrade(engine)
            key_file = KeyFile.new(
                vault_id=str(uuid.uuid4()),
                created_at=datetime.now(UTC).isoformat(timespec="seconds"),
                database_salt=_database_salt(db_path),
                params=params,
                data_key=data_key,
                passphrase=passphrase,
                recovery_raw=recovery_raw,
            )
            key_file.save(folder / KEY_NAME)
        except BaseException:
            engine.dispose()
            for leftover in (db_path, *_sidecars(db_path)):
                leftover.unlink(missing_ok=True)
            raise
        vault = cls(folder, key_file, data_key, engine, schema.HEAD)
        if record_creation:
            vault.record("create_vault", object_type="vault")
        return vault, recovery_text

    # -- opening ----------------------------------------------------------------
    @classmethod
    def open(cls, folder: Path | str, passphrase: str, *, migrate: bool = True) -> Vault:
        """Unlock with the passphrase. Every failure leaves every file as it was.

        An older schema is upgraded (after a backup) unless ``migrate`` is false: then
        nothing is written, ``info.schema_revision`` shows the old revision and
        :meth:`verify` reports it. Such a vault is for inspection, not for use.
        """
        folder, key_file = _preflight(Path(folder))
        data_key = key_file.unwrap_with_passphrase(passphrase)
        if data_key is None:
            raise errors.WrongPassphrase()
        return cls._open_database(folder, key_file, data_key, migrate=migrate, how="passphrase")

    @classmethod
    def open_with_recovery(
        cls, folder: Path | str, recovery_key: str, *, migrate: bool = True
    ) -> Vault:
        """Unlock with the recovery key; the caller must then set a new passphrase."""
        folder, key_file = _preflight(Path(folder))
        try:
            raw = parse_recovery_key(recovery_key)
        except RecoveryKeyFormatError as exc:
            raise errors.WrongRecoveryKey(str(exc)) from exc
        data_key = key_file.unwrap_with_recovery(raw)
        if data_key is None:
            raise errors.WrongRecoveryKey()
        vault = cls._open_database(folder, key_file, data_key, migrate=migrate, how="recovery key")
        vault.must_change_passphrase = True
        return vault

    @classmethod
    def _open_database(
        cls, folder: Path, key_file: KeyFile, data_key: bytearray, *, migrate: bool, how: str
    ) -> Vault:
        db_path = folder / DB_NAME
        engine = open_engine(db_path, data_key)
        try:
            revision = _check_database(engine, db_path, data_key)
            if revision != schema.HEAD and migrate:
                _backup_before_migration(engine, folder, revision)
                _upgrade(engine)
                revision = schema.HEAD
        except BaseException:
            engine.dispose()
            wipe(data_key)
            raise
        vault = cls(
            folder, key_file, data_key, engine, _revision_text(revision), read_only=not migrate
        )
        if vault.audited:
            try:
                vault._check_anchor()
                vault.record("unlock", object_type="vault", detail=how)
            except BaseException as exc:
                vault.lock()
                if is_corruption(exc):  # a damaged page met by the unlock's audit entry
                    raise corruption_error(exc) from exc  # type: ignore[arg-type]
                raise
        if not vault.read_only:
            remove_stale_temp_files(folder)  # left by a write that was killed
        return vault

    # -- using ------------------------------------------------------------------
    @property
    def is_locked(self) -> bool:
        return self._engine is None

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise errors.VaultLocked()
        return self._engine

    @property
    def info(self) -> VaultInfo:
        return VaultInfo(
            folder=self.folder,
            vault_id=self._key_file.vault_id,
            created_at=self._key_file.created_at,
            schema_revision=self._revision,
            kdf_memory_kib=self._key_file.kdf.memory_kib,
            kdf_iterations=self._key_file.kdf.iterations,
        )

    def session(self) -> Session:
        """A new session; the caller owns it (one unit of work per operation).

        ``session.info["audit"]`` tells the services' audit hook whether to write down
        what the session changes (never for a vault opened read-only)."""
        return Session(self.engine, expire_on_commit=False, info={"audit": self.audited})

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """A session that commits when the block ends normally and rolls back otherwise.

        A write SQLite cannot make (a full disk, a failing drive) rolls the whole unit
        back and is raised as :class:`errors.WriteFailed`.
        """
        with write_failures(self.folder), self.session() as session, session.begin():
            yield session

    def change_passphrase(self, new_passphrase: str, *, enforce_strength: bool = True) -> None:
        """Rewrap the data key under ``new_passphrase``; the database is not re-encrypted."""
        if self._data_key is None:
            raise errors.VaultLocked()
        if enforce_strength:
            strength = assess(new_passphrase)
            if not strength.acceptable:
                raise errors.WeakPassphrase(strength.feedback)
        if not os.access(self.folder, os.W_OK):
            raise errors.VaultNotWritable(str(self.folder))
        updated = self._key_file.rewrap_passphrase(self._data_key, new_passphrase)
        try:
            updated.save(self.folder / KEY_NAME)
        except OSError as exc:  # the old key file is still in place, whole
            raise errors.WriteFailed(str(self.folder), errors.write_failure_reason(exc)) from exc
        self._key_file = updated
        self.must_change_passphrase = False
        self.record("change_passphrase", object_type="vault")

    def check_passphrase(self, passphrase: str) -> bool:
        """Whether ``passphrase`` is this vault's (asked again before signing a note).

        Runs the full key derivation, so a guess costs what an unlock costs; nothing
        is written.
        """
        if self._data_key is None:
            raise errors.VaultLocked()
        candidate = self._key_file.unwrap_with_passphrase(passphrase)
        if candidate is None:
            return False
        try:
            return hmac.compare_digest(bytes(candidate), bytes(self._data_key))
        finally:
            wipe(candidate)

    def derived_key(self, label: bytes) -> bytes:
        """A key for one purpose (``label``), derived from the data key by HMAC-SHA256;
        the data key itself never leaves this object."""
        if self._data_key is None:
            raise errors.VaultLocked()
        return hmac.new(bytes(self._data_key), label, hashlib.sha256).digest()

    def verify(self) -> VerifyReport:
        """Full checks: every page's HMAC, SQLite's integrity, foreign keys, schema.

        A check that cannot even run (a page too damaged to parse) is itself a problem.
        """
        report = VerifyReport()
        with self.engine.connect() as conn:

            def run(name: str, sql: str) -> list[str] | None:
                try:
                    return [str(row[0]) for row in conn.exec_driver_sql(sql)]
                except DatabaseError as exc:
                    report.checks[name] = "could not run"
                    report.problems.append(f"{name} could not run: {corruption_error(exc)}")
                    return None

            cipher = run("cipher_integrity_check", "PRAGMA cipher_integrity_check")
            if cipher is not None:
                report.checks["cipher_integrity_check"] = (
                    f"{len(cipher)} faults" if cipher else "ok"
                )
                if cipher:
                    report.problems.append(f"{len(cipher)} pages fail their authentication check")
            integrity = run("integrity_check", "PRAGMA integrity_check")
            if integrity is not None:
                report.checks["integrity_check"] = "; ".join(integrity[:5])
                if integrity != ["ok"]:
                    report.problems.append("integrity check failed: " + "; ".join(integrity[:5]))
            fk = run("foreign_key_check", "PRAGMA foreign_key_check")
            if fk is not None:
                report.checks["foreign_key_check"] = f"{len(fk)} broken links" if fk else "ok"
                if fk:
                    report.problems.append(f"{len(fk)} rows point at records that do not exist")
            try:
                revision = _revision_text(_current_revision(conn))
            except DatabaseError as exc:
                revision = f"unreadable ({corruption_error(exc)})"
            report.checks["schema"] = revision
            if revision != schema.HEAD:
                report.problems.append(f"schema is at {revision}, expected {schema.HEAD}")
        if not report.problems and _has_table(self.engine, audit.TABLE):
            chain = self.verify_audit()
            report.checks["audit_chain"] = f"ok ({chain.entries} entries)" if chain.ok else "broken"
            if not chain.ok:
                report.problems.append(f"audit log: {chain.problem}")
        return report

    # -- the audit chain ---------------------------------------------------------
    def record(self, action: str, **fields: Any) -> audit.Entry | None:
        """Append one audit entry in its own transaction (fields as ``audit.Pending``).

        A read-only vault (or one without an audit log) writes nothing and returns None.
        """
        if not self.audited:
            return None
        with write_failures(self.folder), self.engine.begin() as conn:
            return audit.append(conn, action, **fields)

    def audit_anchor(self) -> tuple[int, str] | None:
        """The anchored (number, hash) from ``audit.anchor``; AnchorInvalid if forged."""
        return audit.read_anchor(self.folder, bytes(self._anchor_key))

    def audit_head(self) -> tuple[int, str]:
        """The newest entry's number and hash (printed on reports, kept in backups)."""
        with self.engine.connect() as conn:
            seq, digest, _ = audit.head(conn)
        return seq, digest

    def verify_audit(self) -> audit.ChainCheck:
        """Walk the whole chain against the anchor (the first bad entry is named)."""
        try:
            anchor = self.audit_anchor()
        except audit.AnchorInvalid as exc:
            seq, digest = self.audit_head()
            return audit.ChainCheck(False, seq, digest, None, str(exc))
        with self.engine.connect() as conn:
            return audit.verify(conn, anchor)

    def _write_anchor(self) -> None:
        seq, digest = self.audit_head()
        audit.write_anchor(self.folder, bytes(self._anchor_key), seq, digest)

    def _check_anchor(self) -> None:
        """On unlock: does the log still reach its anchor? (One indexed look-up, not a
        walk of the chain: ``verify_audit`` does that.) A mismatch is written down and
        shown; it never keeps the practitioner from their records."""
        try:
            anchor = self.audit_anchor()
        except audit.AnchorInvalid as exc:
            self.audit_warning = f"The audit log's anchor cannot be trusted: {exc}."
        else:
            if anchor is None:
                return
            with self.engine.connect() as conn:
                found = conn.execute(
                    text(f"SELECT hash FROM {audit.TABLE} WHERE seq = :seq"), {"seq": anchor[0]}
                ).scalar()
            if found != anchor[1]:
                self.audit_warning = (
                    f"The audit log no longer matches its anchor (entry {anchor[0]} is "
                    "missing or changed). Run a full check of the audit log."
                )
        if self.audit_warning:
            self.record("audit_anchor_mismatch", object_type="vault", outcome="failed")

    def lock(self) -> None:
        """Close every connection, dispose the engine and overwrite the key in memory.

        The lock is written to the audit log and the log's head to the anchor first; if
        that fails (a full disk) the vault still locks.
        """
        if self._engine is not None and self.audited:
            try:
                self.record("lock", object_type="vault")
                self._write_anchor()
            except (OSError, DatabaseError, errors.WriteFailed):
                pass  # locking must never fail: the next unlock sees the older anchor
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None
        if self._data_key is not None:
            wipe(self._data_key)
            self._data_key = None
        wipe(self._anchor_key)

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.lock()


# -- helpers --------------------------------------------------------------------
def _has_table(engine: Engine, name: str) -> bool:
    with engine.connect() as conn:
        found = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"),
            {"name": name},
        ).first()
    return found is not None


def _sidecars(db_path: Path) -> tuple[Path, Path, Path]:
    return (
        db_path.with_name(db_path.name + "-wal"),
        db_path.with_name(db_path.name + "-shm"),
        db_path.with_name(db_path.name + "-journal"),
    )


def _database_salt(db_path: Path) -> str:
    with db_path.open("rb") as handle:
        return handle.read(16).hex()


def _preflight(folder: Path) -> tuple[Path, KeyFile]:
    """Checks that need no secret: the files are there, writable and belong together."""
    folder = folder.expanduser().absolute()
    key_path, db_path = folder / KEY_NAME, folder / DB_NAME
    if not folder.is_dir() or not is_vault(folder):
        raise errors.VaultNotFound(str(folder))
    if not key_path.exists():
        raise errors.KeyFileMissing(str(folder))
    writable = os.access(folder, os.W_OK) and os.access(db_path, os.W_OK | os.R_OK)
    if not writable and db_path.exists():
        raise errors.VaultNotWritable(str(folder))
    try:
        key_file = KeyFile.load(key_path)
    except PermissionError as exc:
        raise errors.VaultNotWritable(str(folder)) from exc
    if not db_path.exists():
        raise errors.VaultCorrupt("the database file is missing")
    size = db_path.stat().st_size
    if size == 0 or size % PAGE_SIZE:
        raise errors.VaultCorrupt("the database file is truncated")
    if _database_salt(db_path) != key_file.database_salt:
        raise errors.KeyFileMismatch()
    return folder, key_file


def _check_database(engine: Engine, db_path: Path, data_key: bytearray) -> str | None:
    """Read the schema revision, turning decryption failures into plain errors.

    Only page 1 and the schema are read here: a full check decrypts every page, which
    unlock cannot afford on a large vault. ``verify`` does that; a damaged data page met
    later is reported as :class:`VaultCorrupt` by :func:`database_errors`.
    """
    declared = _header_page_count(db_path, data_key) * PAGE_SIZE
    if declared > db_path.stat().st_size and not _sidecars(db_path)[0].exists():
        raise errors.VaultCorrupt("the database file is truncated")
    try:
        with engine.connect() as conn:
            revision = _current_revision(conn)
    except (DatabaseError, OperationalError) as exc:
        if is_write_failure(exc):
            raise errors.WriteFailed(str(db_path.parent), write_failure_text(exc)) from exc
        raise corruption_error(exc) from exc
    if revision is not None and revision not in schema.KNOWN_REVISIONS:
        raise errors.VaultTooNew(f"schema revision {revision}")
    return revision


def corruption_error(exc: DatabaseError) -> errors.VaultCorrupt:
    """The plain-language error for SQLite's "not a database" or "malformed" failures."""
    if "malformed" in str(exc.orig):
        return errors.VaultCorrupt("the database file is truncated or its structure is damaged")
    return errors.VaultCorrupt("its pages cannot be decrypted or read")


#: SQLite's messages for writes the operating system refused (SQLITE_FULL, SQLITE_IOERR)
_WRITE_FAILURES = {
    "database or disk is full": "the disk is full",
    "disk I/O error": "the drive could not be written (it may be full or failing)",
}


def is_write_failure(exc: BaseException) -> bool:
    """True for SQLite failing to write (a full disk, a failing drive), not a bug."""
    return isinstance(exc, DatabaseError) and str(exc.orig) in _WRITE_FAILURES


def write_failure_text(exc: DatabaseError) -> str:
    return _WRITE_FAILURES.get(str(exc.orig), "the disk could not be written")


@contextmanager
def write_failures(folder: Path) -> Iterator[None]:
    """Raise SQLite's write failures inside the block as :class:`errors.WriteFailed`."""
    try:
        yield
    except DatabaseError as exc:
        if is_write_failure(exc):
            raise errors.WriteFailed(str(folder), write_failure_text(exc)) from exc
        raise


def is_corruption(exc: BaseException) -> bool:
    """True for the SQLite failures that mean a damaged file (not a bug in a query)."""
    text = str(getattr(exc, "orig", exc))
    return isinstance(exc, DatabaseError) and (
        "malformed" in text or "not a database" in text or "hmac check failed" in text
    )


def _header_page_count(db_path: Path, data_key: bytearray) -> int:
    """The page count page 1 declares, read without locks, WAL or writes (``immutable``).

    0 when page 1 itself cannot be decrypted (the caller's next read reports that).
    """
    import sqlcipher3

    uri = db_path.absolute().as_uri() + "?immutable=1"
    conn = sqlcipher3.connect(uri, uri=True)
    try:
        conn.execute(f"PRAGMA key = \"x'{bytes(data_key).hex()}'\"")
        return int(conn.execute("PRAGMA page_count").fetchone()[0])
    except sqlcipher3.DatabaseError:  # not decryptable, or malformed: reported by the caller
        return 0
    finally:
        conn.close()


def _current_revision(conn: object) -> str | None:
    from sqlalchemy import Connection

    assert isinstance(conn, Connection)
    has_table = conn.exec_driver_sql(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'alembic_version'"
    ).first()
    if has_table is None:
        return None
    row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
    return None if row is None else str(row[0])


def _revision_text(revision: str | None) -> str:
    """How a revision is shown: a database with no schema at all says so."""
    return "none (empty database)" if revision is None else revision


def _upgrade(engine: Engine) -> None:
    """Bring the schema to head in one transaction: all of it, or none of it.

    Runs on one connection with foreign keys off (SQLite can only switch them outside a
    transaction), so that Alembic's batch table rebuilds (copy, drop, rename) fire no
    cascades and trip no checks halfway. Before committing, ``foreign_key_check`` must
    find nothing, or the whole upgrade is rolled back. Any failure leaves the schema and
    ``alembic_version`` exactly as they were.
    """
    with engine.connect() as conn:
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("PRAGMA foreign_keys = OFF")
        try:
            with conn.begin():
                _migrate(conn)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise errors.VaultCorrupt(
                        f"upgrading it would leave {len(broken)} rows pointing at records "
                        "that do not exist, so it was not upgraded"
                    )
        except errors.VaultError:
            raise
        except Exception as exc:
            raise errors.MigrationFailed(type(exc).__name__) from exc
        finally:
            try:
                raw.execute("PRAGMA foreign_keys = ON")
            except Exception:
                conn.invalidate()  # never hand a connection without foreign keys back
                raise


def _migrate(conn: object) -> None:
    """Run Alembic's upgrade to head on ``conn`` (imported only when a migration is due).

    The caller owns the transaction: env.py sees it already begun and opens none.
    """
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = conn
    command.upgrade(config, "head")


def _backup_before_migration(engine: Engine, folder: Path, revision: str | None) -> None:
    """An encrypted copy (same key) with its key file, before the schema changes."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    name = f"pre-upgrade-{revision or 'empty'}-{stamp}"
    target = folder / BACKUPS / name
    attempt = 1
    while not make_private_dir(target):  # a second attempt within the same second
        attempt += 1
        target = folder / BACKUPS / f"{name}-{attempt}"
    with engine.connect() as conn:
        # VACUUM cannot run inside a transaction: use the driver connection, which is in
        # autocommit mode (no BEGIN has been issued on it).
        raw = conn.connection.driver_connection
        assert raw is not None
        raw.execute("VACUUM INTO ?", (str(target / DB_NAME),))
    os.chmod(target / DB_NAME, 0o600)
    shutil.copy2(folder / KEY_NAME, target / KEY_NAME)
    os.chmod(target / KEY_NAME, 0o600)

"""The SQLCipher engine: raw key, pragmas set and checked on every connection.

Transactions are real: the driver's own (legacy) transaction handling is switched off
and SQLAlchemy emits ``BEGIN`` itself (SQLAlchemy's documented pysqlite recipe). Without
that, pysqlite opens a transaction only before INSERT/UPDATE/DELETE, so DDL such as a
migration's CREATE TABLE commits at once even inside ``engine.begin()``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, create_engine, event
from sqlalchemy.pool import QueuePool

#: page cache per connection, in KiB (SQLite's negative cache_size); enough for the lists
CACHE_KIB = 16 * 1024

_PRAGMAS = (
    # Off, departing from DESIGN.md: wiping every freed SQLite allocation made full-text
    # search five times slower (p95 63 ms against 12 ms at 50,000 notes; see
    # benchmarks/bench_notes.py), while the plaintext it would wipe is a fraction of what
    # the process holds anyway (Python strings in models and widgets, which it cannot
    # touch). Memory of a running, unlocked app is out of reach of a stolen, powered-off
    # laptop; swap and hibernation files are the operating system's to encrypt.
    "PRAGMA cipher_memory_security = OFF",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = FULL",
    "PRAGMA foreign_keys = ON",
    "PRAGMA secure_delete = ON",
    "PRAGMA temp_store = MEMORY",
    f"PRAGMA cache_size = -{CACHE_KIB}",
)


class TempStoreNotInMemory(RuntimeError):
    """SQLite would write temporary tables to disk unencrypted: refuse to go on."""


def quiet_sqlcipher_log() -> None:
    """SQLCipher prints decryption failures to stderr by default; we report them ourselves."""
    import sqlcipher3

    conn = sqlcipher3.connect(":memory:")
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
    finally:
        conn.close()


def open_engine(db_path: Path, data_key: bytes | bytearray) -> Engine:
    """An engine on ``db_path`` keyed with the raw 256-bit ``data_key``.

    The key goes in as SQLCipher's raw-key form (``x'…'``), so SQLCipher runs no KDF of
    its own. Connections may be used from the one database worker thread and closed on
    lock from the GUI thread, hence ``check_same_thread=False`` with a small pool.
    """
    quiet_sqlcipher_log()
    url = URL.create(
        "sqlite+pysqlcipher", password=f"x'{bytes(data_key).hex()}'", database=str(db_path)
    )
    engine = create_engine(
        url,
        poolclass=QueuePool,
        pool_size=2,
        max_overflow=2,
        connect_args={"check_same_thread": False},
    )
    event.listen(engine, "connect", _configure_connection)
    event.listen(engine, "begin", _begin)
    return engine


def _begin(conn: Connection) -> None:
    """Open the transaction ourselves, so that DDL and reads are inside it too."""
    conn.exec_driver_sql("BEGIN")


def _configure_connection(dbapi_connection: Any, _record: Any) -> None:
    # The driver must never BEGIN or COMMIT on its own: SQLAlchemy's "begin" event
    # (``_begin``) opens every transaction, and commit/rollback close it.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    try:
        for pragma in _PRAGMAS:
            cursor.execute(pragma)
        cursor.execute("PRAGMA temp_store")
        (temp_store,) = cursor.fetchone()
        if int(temp_store) != 2:
            raise TempStoreNotInMemory(f"temp_store is {temp_store}, expected 2 (MEMORY)")
    finally:
        cursor.close()

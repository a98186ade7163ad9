"""Time-ordered UUIDs (version 7, RFC 9562) for primary keys, and UTC timestamps."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime
from typing import Any


def new_id() -> uuid.UUID:
    """A UUIDv7: 48 bits of Unix milliseconds, then random bits, so ids sort by creation."""
    millis = time.time_ns() // 1_000_000
    value = (millis & ((1 << 48) - 1)) << 80 | int.from_bytes(os.urandom(10), "big")
    value &= ~(0xF << 76)
    value |= 0x7 << 76  # version 7
    value &= ~(0x3 << 62)
    value |= 0x2 << 62  # RFC 4122 variant
    return uuid.UUID(int=value)


def utcnow() -> datetime:
    """Now in UTC, without tzinfo: SQLite keeps naive timestamps, and all of ours are UTC."""
    return datetime.now(UTC).replace(tzinfo=None)


_SAFE_UNKNOWN = uuid.SafeUUID.unknown
_new_uuid: Any = object.__new__
_set: Any = object.__setattr__


def uuid_from_hex(text: str) -> uuid.UUID:
    """``uuid.UUID(text)`` for the 32-digit hex SQLite stores, without its parsing cost.

    Lists of thousands of rows spend most of their conversion time in ``UUID.__init__``;
    this builds the same immutable object from the integer directly.
    """
    value = _new_uuid(uuid.UUID)
    _set(value, "int", int(text, 16))
    _set(value, "is_safe", _SAFE_UNKNOWN)
    return value  # type: ignore[no-any-return]

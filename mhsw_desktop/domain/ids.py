"""Time-ordered UUIDs (version 7, RFC 9562) for primary keys, and UTC timestamps."""

from __future__ import annotations

import os
import time
import uuid
from datetime import UTC, datetime


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

"""Recovery keys: 160 random bits written as groups of four characters with a check group."""

from __future__ import annotations

import base64
import hashlib
import os

KEY_BYTES = 20  # 160 bits: 32 base32 characters
GROUP = 4
_CHECK_CHARS = 4
# Characters people confuse with base32 letters; base32 itself has no 0, 1, 8 or 9.
_CONFUSABLE = str.maketrans({"0": "O", "1": "I", "8": "B"})


class RecoveryKeyFormatError(ValueError):
    """The text typed is not a well-formed recovery key (a typing error)."""


def _check_group(raw: bytes) -> str:
    digest = hashlib.sha256(b"mhsw-recovery-check" + raw).digest()
    return base64.b32encode(digest)[:_CHECK_CHARS].decode("ascii")


def new_recovery_key() -> tuple[bytes, str]:
    """Return the raw key and its printable form, e.g. ``ABCD-EFGH-…-WXYZ``."""
    raw = os.urandom(KEY_BYTES)
    return raw, format_recovery_key(raw)


def format_recovery_key(raw: bytes) -> str:
    text = base64.b32encode(raw).decode("ascii") + _check_group(raw)
    return "-".join(text[i : i + GROUP] for i in range(0, len(text), GROUP))


def parse_recovery_key(text: str) -> bytes:
    """Read a recovery key as typed: any case, spaces or dashes, 0/1/8 for O/I/B."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum()).translate(_CONFUSABLE)
    expected = KEY_BYTES * 8 // 5 + _CHECK_CHARS
    if len(cleaned) != expected:
        raise RecoveryKeyFormatError(
            f"A recovery key has {expected} characters; {len(cleaned)} were entered."
        )
    body, check = cleaned[:-_CHECK_CHARS], cleaned[-_CHECK_CHARS:]
    try:
        raw = base64.b32decode(body)
    except ValueError as exc:
        raise RecoveryKeyFormatError(
            "The recovery key contains characters it cannot have."
        ) from exc
    if _check_group(raw) != check:
        raise RecoveryKeyFormatError(
            "The recovery key has a typing error (its last group does not match the rest)."
        )
    return raw

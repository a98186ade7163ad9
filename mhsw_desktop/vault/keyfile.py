"""The versioned key file: KDF parameters and the data key wrapped by passphrase and recovery key.

Layout (JSON, UTF-8)::

    {"magic": "MHSW-VAULT-KEY", "format": 1, "vault_id": "...", "created_at": "...",
     "database_salt": "<hex of SQLCipher's 16-byte file salt>",
     "kdf": {"name": "argon2id", "memory_kib": 65536, "iterations": 6, "lanes": 4,
             "salt": "<b64>"},
     "passphrase_wrap": {"nonce": "<b64>", "ciphertext": "<b64>"},
     "recovery_wrap": {"salt": "<b64>", "nonce": "<b64>", "ciphertext": "<b64>"},
     "checksum": "<hex>"}

``checksum`` is the SHA-256 (hex) of the canonical JSON (sorted keys, no spaces, UTF-8)
of every other field, so that any damage to the file reads as damage, not as a wrong
passphrase. The rule is the same in every format version (a newer file is recognised
as newer only when its checksum holds).

Each wrap is AES-256-GCM of the 32-byte data key, with the vault id and the wrap's
purpose as associated data, so a wrap copied from another vault or slot fails to open.
The recovery key is 160 random bits, so HKDF-SHA256 (not a slow KDF) derives its
key-encryption key: there is nothing to guess. Passphrases are normalised to Unicode NFC
before derivation, so the same words typed on macOS (NFD) and Windows (NFC) agree.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from mhsw_desktop.vault import kdf
from mhsw_desktop.vault.errors import KeyFileDamaged, VaultTooNew
from mhsw_desktop.vault.files import wipe, write_atomic
from mhsw_desktop.vault.kdf import KdfParams

MAGIC = "MHSW-VAULT-KEY"
FORMAT = 1
NONCE_BYTES = 12
#: an AES-GCM wrap of the 32-byte data key: the key and a 16-byte tag
WRAP_BYTES = 32 + 16
SALT_BYTES = 16


def passphrase_secret(passphrase: str) -> bytes:
    """The bytes a passphrase is derived from: NFC-normalised UTF-8."""
    return unicodedata.normalize("NFC", passphrase).encode("utf-8")


@dataclass(frozen=True)
class Wrap:
    """One AES-GCM wrap of the data key."""

    nonce: bytes
    ciphertext: bytes
    salt: bytes = b""


@dataclass(frozen=True)
class KeyFile:
    vault_id: str
    created_at: str
    database_salt: str
    kdf: KdfParams
    passphrase_wrap: Wrap
    recovery_wrap: Wrap

    # -- wrapping ---------------------------------------------------------------
    def _aad(self, purpose: str) -> bytes:
        return f"{MAGIC}|{FORMAT}|{self.vault_id}|{purpose}".encode()

    def unwrap_with_passphrase(self, passphrase: str) -> bytearray | None:
        """The data key, or None when the passphrase is wrong."""
        kek = kdf.derive(passphrase_secret(passphrase), self.kdf)
        return _open(kek, self.passphrase_wrap, self._aad("passphrase"))

    def unwrap_with_recovery(self, recovery_raw: bytes) -> bytearray | None:
        kek = _recovery_kek(recovery_raw, self.recovery_wrap.salt)
        return _open(kek, self.recovery_wrap, self._aad("recovery"))

    def rewrap_passphrase(self, data_key: bytes | bytearray, passphrase: str) -> KeyFile:
        """A copy whose passphrase wrap opens with ``passphrase`` (fresh salt and nonce).

        The KDF cost is kept as stored: it is never silently lowered.
        """
        params = self.kdf.with_new_salt()
        draft = replace(self, kdf=params)
        kek = kdf.derive(passphrase_secret(passphrase), params)
        return replace(draft, passphrase_wrap=_seal(kek, data_key, draft._aad("passphrase")))

    @classmethod
    def new(
        cls,
        *,
        vault_id: str,
        created_at: str,
        database_salt: str,
        params: KdfParams,
        data_key: bytes | bytearray,
        passphrase: str,
        recovery_raw: bytes,
    ) -> KeyFile:
        recovery_salt = os.urandom(SALT_BYTES)
        draft = cls(
            vault_id=vault_id,
            created_at=created_at,
            database_salt=database_salt,
            kdf=params,
            passphrase_wrap=Wrap(b"", b""),
            recovery_wrap=Wrap(b"", b""),
        )
        kek = kdf.derive(passphrase_secret(passphrase), params)
        pw = _seal(kek, data_key, draft._aad("passphrase"))
        rkek = _recovery_kek(recovery_raw, recovery_salt)
        rw = _seal(rkek, data_key, draft._aad("recovery"))
        return replace(draft, passphrase_wrap=pw, recovery_wrap=replace(rw, salt=recovery_salt))

    # -- files ------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        doc = {
            "magic": MAGIC,
            "format": FORMAT,
            "vault_id": self.vault_id,
            "created_at": self.created_at,
            "database_salt": self.database_salt,
            "kdf": {
                "name": "argon2id",
                "memory_kib": self.kdf.memory_kib,
                "iterations": self.kdf.iterations,
                "lanes": self.kdf.lanes,
                "salt": _b64(self.kdf.salt),
            },
            "passphrase_wrap": {
                "nonce": _b64(self.passphrase_wrap.nonce),
                "ciphertext": _b64(self.passphrase_wrap.ciphertext),
            },
            "recovery_wrap": {
                "salt": _b64(self.recovery_wrap.salt),
                "nonce": _b64(self.recovery_wrap.nonce),
                "ciphertext": _b64(self.recovery_wrap.ciphertext),
            },
        }
        doc["checksum"] = _checksum(doc)
        return (json.dumps(doc, indent=2) + "\n").encode("utf-8")

    def save(self, path: Path) -> None:
        write_atomic(path, self.to_bytes())

    @classmethod
    def from_bytes(cls, data: bytes) -> KeyFile:
        """Read a key file; anything damaged, truncated or tampered is KeyFileDamaged."""
        try:
            doc = json.loads(data.decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise KeyFileDamaged("it is not readable as a key file") from exc
        if not isinstance(doc, dict) or doc.get("magic") != MAGIC:
            raise KeyFileDamaged("it is not an MHSW Desktop key file")
        checksum = doc.pop("checksum", None)
        if not isinstance(checksum, str):
            raise KeyFileDamaged("its checksum is missing")
        if not hmac.compare_digest(checksum, _checksum(doc)):
            raise KeyFileDamaged("its checksum does not match its contents")
        version = doc.get("format")
        if not isinstance(version, int) or isinstance(version, bool):
            raise KeyFileDamaged("its format version is missing")
        if version > FORMAT:
            raise VaultTooNew(f"key file format {version}, this version reads up to {FORMAT}")
        if version < 1:
            raise KeyFileDamaged(f"its format version {version} does not exist")
        try:
            k = doc["kdf"]
            if k["name"] != "argon2id":
                raise KeyFileDamaged(f"unknown key derivation {k['name']!r}")
            params = KdfParams(
                memory_kib=_int(k["memory_kib"]),
                iterations=_int(k["iterations"]),
                lanes=_int(k["lanes"]),
                salt=_unb64(k["salt"]),
            )
            pw, rw = doc["passphrase_wrap"], doc["recovery_wrap"]
            key_file = cls(
                vault_id=_str(doc["vault_id"]),
                created_at=_str(doc["created_at"]),
                database_salt=_str(doc["database_salt"]),
                kdf=params,
                passphrase_wrap=Wrap(_unb64(pw["nonce"]), _unb64(pw["ciphertext"])),
                recovery_wrap=Wrap(
                    _unb64(rw["nonce"]), _unb64(rw["ciphertext"]), _unb64(rw["salt"])
                ),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise KeyFileDamaged(f"a field is missing or malformed: {exc}") from exc
        try:
            params.check()
        except ValueError as exc:
            raise KeyFileDamaged(str(exc)) from exc
        for name, wrap in (
            ("passphrase", key_file.passphrase_wrap),
            ("recovery", key_file.recovery_wrap),
        ):
            if len(wrap.nonce) != NONCE_BYTES or len(wrap.ciphertext) != WRAP_BYTES:
                raise KeyFileDamaged(f"its {name} wrap has the wrong length")
        if len(key_file.recovery_wrap.salt) < SALT_BYTES:
            raise KeyFileDamaged("its recovery salt is too short")
        try:
            database_salt = bytes.fromhex(key_file.database_salt)
        except ValueError:
            database_salt = b""
        if len(database_salt) != 16:
            raise KeyFileDamaged("its database salt is malformed")
        return key_file

    @classmethod
    def load(cls, path: Path) -> KeyFile:
        return cls.from_bytes(path.read_bytes())


def _recovery_kek(recovery_raw: bytes, salt: bytes) -> bytearray:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=b"mhsw-recovery-kek")
    return bytearray(hkdf.derive(recovery_raw))


def _seal(kek: bytearray, data_key: bytes | bytearray, aad: bytes) -> Wrap:
    nonce = os.urandom(NONCE_BYTES)
    try:
        return Wrap(nonce, AESGCM(bytes(kek)).encrypt(nonce, bytes(data_key), aad))
    finally:
        wipe(kek)


def _open(kek: bytearray, wrap: Wrap, aad: bytes) -> bytearray | None:
    try:
        return bytearray(AESGCM(bytes(kek)).decrypt(wrap.nonce, wrap.ciphertext, aad))
    except InvalidTag:
        return None
    finally:
        wipe(kek)


def _checksum(doc: dict[str, Any]) -> str:
    """SHA-256 (hex) of the canonical JSON of ``doc`` (every field but the checksum)."""
    canonical = json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _int(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError("expected a whole number")
    return int(value)


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected text")
    return value


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: Any) -> bytes:
    if not isinstance(text, str):
        raise TypeError("expected base64 text")
    return base64.b64decode(text, validate=True)

"""The encrypted export archive: the export's files in one ZIP, sealed with AES-256-GCM
under a key derived by Argon2id from a password chosen for the archive.

Layout (big-endian)::

    magic      12 bytes  b"MHSW-EXPORT\\x00"
    version     2 bytes  1
    memory_kib  4 bytes  Argon2id parameters, as the vault's key file keeps them
    iterations  4 bytes
    lanes       2 bytes
    salt       16 bytes
    nonce      12 bytes
    check      32 bytes  HMAC-SHA256 of the bytes above, under a key derived from the
                         password: a wrong password is told apart from a damaged file
    ciphertext   ...     AES-256-GCM of the ZIP, the header above as associated data

A changed byte anywhere fails either the check (a wrong password, or a changed header)
or GCM's tag (a damaged or edited archive); nothing is read from a file that fails.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import os
import struct
import zipfile
from collections.abc import Mapping
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from mhsw_desktop.errors import UserFacingError
from mhsw_desktop.vault import kdf
from mhsw_desktop.vault.files import wipe, write_atomic

MAGIC = b"MHSW-EXPORT\x00"
VERSION = 1
SUFFIX = ".mhswexport"
_HEADER = struct.Struct(">12sHIIH16s12s")
CHECK_BYTES = 32
HEADER_BYTES = _HEADER.size + CHECK_BYTES
#: a ZIP member larger than this is refused (the archive is authenticated, but still)
MAX_MEMBER_BYTES = 2 * 1024**3
#: Argon2id ceilings for an archive's header, far tighter than a key file's: the header is
#: read (and the key derived) before anything about the file can be checked, so a hostile
#: archive asking for gigabytes or hours must be refused first. Archives are written at
#: the calibrated 64 MiB, so this leaves room without letting a stranger's file hang or
#: exhaust an old laptop.
MAX_MEMORY_KIB = 256 * 1024
MAX_ITERATIONS = kdf.MAX_ITERATIONS
MAX_LANES = 16
#: memory x passes: no more work than the costliest archive calibration would write
MAX_WORK_KIB = kdf.MIN_MEMORY_KIB * kdf.MAX_ITERATIONS


class ArchiveError(UserFacingError):
    """An archive that cannot be opened; nothing was read from it."""


class PasswordNeeded(ArchiveError):
    def __init__(self) -> None:
        super().__init__("This export is an encrypted archive: its password is needed.")


class WrongArchivePassword(ArchiveError):
    exit_code = 3

    def __init__(self) -> None:
        super().__init__(
            "The password does not open this export archive (or its header was changed)."
        )


class ArchiveDamaged(ArchiveError):
    def __init__(self, detail: str) -> None:
        super().__init__(
            f"The export archive is damaged or was changed ({detail}); nothing was read."
        )


class WeakArchivePassword(ArchiveError):
    def __init__(self, reason: str) -> None:
        super().__init__(f"That archive password is too weak: {reason}")


def check_password(password: str) -> None:
    """The vault's passphrase floor applies to archive passwords too."""
    from mhsw_desktop.vault.passphrase import assess

    strength = assess(password)
    if not strength.acceptable:
        raise WeakArchivePassword(strength.feedback)


def is_archive(data: bytes) -> bool:
    return data.startswith(MAGIC)


def _check_params(params: kdf.KdfParams) -> None:
    """ValueError for parameters no archive of this app has, or a reader should run."""
    params.check()
    if (
        params.memory_kib > MAX_MEMORY_KIB
        or params.iterations > MAX_ITERATIONS
        or params.lanes > MAX_LANES
        or params.memory_kib * params.iterations > MAX_WORK_KIB
    ):
        raise ValueError("its key-derivation parameters are beyond what an archive may ask for")


def _keys(password: str, params: kdf.KdfParams) -> tuple[bytearray, bytes]:
    master = kdf.derive(password.encode("utf-8"), params)
    try:
        seal = bytearray(hmac.new(bytes(master), b"mhsw export seal v1", hashlib.sha256).digest())
        check = hmac.new(bytes(master), b"mhsw export check v1", hashlib.sha256).digest()
    finally:
        wipe(master)
    return seal, check


def seal(plaintext: bytes, password: str, params: kdf.KdfParams | None = None) -> bytes:
    """The archive's bytes for ``plaintext`` (a ZIP) under ``password``."""
    params = (params or kdf.calibrate()).with_new_salt()
    _check_params(params)  # never write an archive the reader would refuse
    nonce = os.urandom(12)
    header = _HEADER.pack(
        MAGIC, VERSION, params.memory_kib, params.iterations, params.lanes, params.salt, nonce
    )
    seal_key, check_key = _keys(password, params)
    try:
        header += hmac.new(check_key, header, hashlib.sha256).digest()
        return header + AESGCM(bytes(seal_key)).encrypt(nonce, plaintext, header)
    finally:
        wipe(seal_key)


def unseal(data: bytes, password: str) -> bytes:
    """The ZIP inside an archive; WrongArchivePassword or ArchiveDamaged otherwise."""
    if len(data) < HEADER_BYTES + 16 or not is_archive(data):
        raise ArchiveDamaged("it is truncated or not an MHSW Desktop export archive")
    _magic, version, memory, iterations, lanes, salt, nonce = _HEADER.unpack_from(data)
    if version != VERSION:
        raise ArchiveDamaged(
            f"format version {version}; this version of MHSW Desktop reads version {VERSION}"
        )
    params = kdf.KdfParams(memory, iterations, lanes, salt)
    try:
        _check_params(params)
    except ValueError as exc:
        raise ArchiveDamaged(str(exc)) from None
    header = data[:HEADER_BYTES]
    seal_key, check_key = _keys(password, params)
    try:
        expected = hmac.new(check_key, header[: _HEADER.size], hashlib.sha256).digest()
        if not hmac.compare_digest(expected, header[_HEADER.size :]):
            raise WrongArchivePassword()
        try:
            return AESGCM(bytes(seal_key)).decrypt(nonce, data[HEADER_BYTES:], header)
        except InvalidTag:
            raise ArchiveDamaged("its contents fail their authentication check") from None
    finally:
        wipe(seal_key)


def write_archive(
    target: Path, files: Mapping[str, bytes], password: str, *, params: kdf.KdfParams | None
) -> None:
    """``files`` zipped, sealed and written whole (owner-only) to ``target``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data,
                             compress_type=zipfile.ZIP_DEFLATED)  # fmt: skip
    write_atomic(target, seal(buffer.getvalue(), password, params))


def open_archive(data: bytes, password: str) -> dict[str, bytes]:
    """The files of an archive by name, after its password and tag have been checked."""
    plain = unseal(data, password)
    try:
        with zipfile.ZipFile(io.BytesIO(plain)) as archive:
            members = archive.infolist()
            if any(m.file_size > MAX_MEMBER_BYTES for m in members):
                raise ArchiveDamaged("a file inside it is too large")
            return {m.filename: archive.read(m) for m in members if not m.is_dir()}
    except (zipfile.BadZipFile, OSError, EOFError) as exc:
        raise ArchiveDamaged(f"its contents are not a readable ZIP: {exc}") from None

"""Tampering with the database, its write-ahead log and the key file: found, plainly told.

tests/vault/test_keyfile.py covers stale checksums and malformed fields, and
tests/vault/test_vault_errors.py a damaged root page; here a single byte is flipped in
sampled data pages, in committed frames of the log (with the log's own checksums redone,
as a forger would), and in key-file fields whose checksum is redone too, so that only
the cryptography stands between the change and the practitioner's records.
"""

from __future__ import annotations

import json
import random
import shutil
import struct
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.services import notes
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.vault import errors, kdf
from mhsw_desktop.vault.vault import DB_NAME, KEY_NAME, PAGE_SIZE, Vault
from tests.support import PASSPHRASE, create_vault, snapshot
from tests.vault import keyfiles
from tests.vault.test_keyfile import at, flip_b64, value

WAL_HEADER, FRAME_HEADER = 32, 24
FRAME = FRAME_HEADER + PAGE_SIZE


def detected(folder: Path) -> str:
    """How opening and verifying ``folder`` reports damage ('' when it does not)."""
    try:
        with Vault.open(folder, PASSPHRASE) as vault:
            report = vault.verify()
    except errors.VaultCorrupt as exc:
        assert "damaged" in str(exc) and "Traceback" not in str(exc)
        return f"open: {exc}"
    return "; ".join(report.problems)


# -- the database -------------------------------------------------------------------------
@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A locked vault with clients and notes on many pages (made once, copied per test)."""
    folder = tmp_path_factory.mktemp("tamper") / "vault"
    vault, _ = create_vault(folder)
    with vault, vault.unit_of_work() as session:
        for i in range(12):
            client = add_client(session, ClientInput("Ana", f"González{i}", date(1990, 2, 3)))
            for n in range(4):
                text = f"session {n}: " + "slept poorly, worried about rent. " * (20 * n + 1)
                data = notes.NoteInput(client, date(2026, 1, 1 + n), "free", {"note": text})
                notes.create_draft(session, data)
    return folder


def test_a_flipped_byte_in_any_sampled_page_is_found(filled: Path, tmp_path: Path) -> None:
    """One bit in one byte, anywhere in a page (data, header or the HMAC and IV at its end),
    on page 1, the last page and pages between: refused at unlock or reported by verify,
    and the damaged page is never silently rewritten."""
    original = (filled / DB_NAME).read_bytes()
    pages = len(original) // PAGE_SIZE
    rng = random.Random(8)
    chosen = sorted({1, 2, pages, *rng.sample(range(3, pages), 9)})
    for page in chosen:
        folder = tmp_path / f"page{page}"
        shutil.copytree(filled, folder)
        offset = (page - 1) * PAGE_SIZE + rng.randrange(16 if page == 1 else 0, PAGE_SIZE)
        damaged = bytearray(original)
        damaged[offset] ^= 1 << rng.randrange(8)
        (folder / DB_NAME).write_bytes(bytes(damaged))
        key_before = (folder / KEY_NAME).read_bytes()
        assert detected(folder), f"page {page} of {pages}, byte {offset}"
        start = (page - 1) * PAGE_SIZE
        after = (folder / DB_NAME).read_bytes()
        assert after[start : start + PAGE_SIZE] == damaged[start : start + PAGE_SIZE], page
        assert (folder / KEY_NAME).read_bytes() == key_before


# -- the write-ahead log --------------------------------------------------------------------
def _checksum(data: bytes, s1: int, s2: int, little: bool) -> tuple[int, int]:
    """SQLite's WAL checksum (https://sqlite.org/fileformat2.html#walformat)."""
    words = struct.unpack(("<" if little else ">") + f"{len(data) // 4}I", data)
    for i in range(0, len(words), 2):
        s1 = (s1 + words[i] + s2) & 0xFFFFFFFF
        s2 = (s2 + words[i + 1] + s1) & 0xFFFFFFFF
    return s1, s2


def reseal_wal(wal: bytearray) -> None:
    """Recompute every frame's checksum, as someone forging a frame would."""
    little = struct.unpack(">I", wal[:4])[0] == 0x377F0682
    s1, s2 = _checksum(bytes(wal[:24]), 0, 0, little)
    for start in range(WAL_HEADER, len(wal) - FRAME + 1, FRAME):
        body = bytes(wal[start : start + 8]) + bytes(wal[start + FRAME_HEADER : start + FRAME])
        s1, s2 = _checksum(body, s1, s2, little)
        wal[start + 16 : start + 24] = struct.pack(">II", s1, s2)


def frames(wal: bytes) -> list[tuple[int, int]]:
    """(page number, commit size) of every frame; a non-zero size ends a transaction."""
    return [struct.unpack(">II", wal[start : start + 8])
            for start in range(WAL_HEADER, len(wal) - FRAME + 1, FRAME)]  # fmt: skip


@pytest.fixture(scope="module")
def crashed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, list[str]]]:
    """A vault as a crash leaves it: five notes committed in the WAL, none checkpointed.

    The files are copied while the vault is open and idle (what a power cut leaves).
    """
    base = tmp_path_factory.mktemp("wal")
    folder, copy = base / "vault", base / "crashed"
    vault, _ = create_vault(folder)
    with vault.unit_of_work() as session:
        client = add_client(session, ClientInput("Ana", "González", date(1990, 2, 3)))
    vault.lock()
    vault = Vault.open(folder, PASSPHRASE)
    texts = [f"wal note {i}: " + "worried about rent. " * 30 + "end" for i in range(5)]
    for note in texts:
        with vault.unit_of_work() as session:
            data = notes.NoteInput(client, date(2026, 1, 2), "free", {"note": note})
            notes.create_draft(session, data)
    copy.mkdir()
    for path in folder.iterdir():
        if path.is_file():
            shutil.copy2(path, copy / path.name)
    vault.lock()
    yield copy, texts


def note_texts(folder: Path) -> list[str]:
    with Vault.open(folder, PASSPHRASE) as vault, vault.session() as session:
        assert vault.verify().ok
        rows = session.execute(text("SELECT sections FROM notes ORDER BY created_at"))
        return [json.loads(sections)["note"] for (sections,) in rows]


def test_the_crash_copy_holds_the_five_notes_only_in_its_log(
    crashed: tuple[Path, list[str]], tmp_path: Path
) -> None:
    source, texts = crashed
    wal = (source / f"{DB_NAME}-wal").read_bytes()
    assert sum(1 for _, commit in frames(wal) if commit) == 6  # the unlock and five notes
    copy = tmp_path / "v"
    shutil.copytree(source, copy)
    resealed = bytearray(wal)
    reseal_wal(resealed)
    assert bytes(resealed) == wal  # the checksum above is SQLite's own
    assert note_texts(copy) == texts


def test_a_forged_frame_is_refused_by_its_page_hmac(
    crashed: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """A byte changed in the newest frame of each page, the log's checksums redone so that
    SQLite takes the frame: SQLCipher's page HMAC refuses it, at unlock or in verify."""
    source, _ = crashed
    wal = (source / f"{DB_NAME}-wal").read_bytes()
    newest = {page: i for i, (page, _) in enumerate(frames(wal))}
    rng = random.Random(3)
    for page, index in sorted(newest.items()):
        folder = tmp_path / f"frame{index}"
        shutil.copytree(source, folder)
        forged = bytearray(wal)
        forged[WAL_HEADER + index * FRAME + FRAME_HEADER + rng.randrange(PAGE_SIZE)] ^= 0x10
        reseal_wal(forged)
        (folder / f"{DB_NAME}-wal").write_bytes(bytes(forged))
        key_before = (folder / KEY_NAME).read_bytes()
        found = detected(folder)
        assert found, f"frame {index} (page {page}) was accepted"
        assert (folder / KEY_NAME).read_bytes() == key_before
        # Opening again says the same: the damage was carried, not repaired or hidden.
        assert detected(folder), f"frame {index} (page {page})"


def test_a_damaged_frame_ends_the_log_where_a_torn_write_would(
    crashed: tuple[Path, list[str]], tmp_path: Path
) -> None:
    """Without its checksum redone, a changed frame reads to SQLite as the end of the log
    (what a power cut in mid-write leaves): the transactions before it are kept whole,
    the ones from it on are not applied, and the vault is consistent. SQLite cannot tell
    this from a crash, so it is not reported (see the report of issue #8)."""
    source, texts = crashed
    wal = (source / f"{DB_NAME}-wal").read_bytes()
    ends = [i for i, (_, commit) in enumerate(frames(wal)) if commit]
    for kept, end in enumerate(ends[1:-1], start=1):  # damage the frame after a commit
        folder = tmp_path / f"after{end}"
        shutil.copytree(source, folder)
        damaged = bytearray(wal)
        damaged[WAL_HEADER + (end + 1) * FRAME + FRAME_HEADER + 200] ^= 0x01
        (folder / f"{DB_NAME}-wal").write_bytes(bytes(damaged))
        assert note_texts(folder) == texts[:kept]


# -- the key file -------------------------------------------------------------------------
PW, RW, KDF = "passphrase_wrap", "recovery_wrap", "kdf"


def tag_flip(v: str) -> str:
    """A bit in the GCM tag: the last 16 of the 48 bytes of a wrap."""
    return flip_b64(v, 47, 5)


# Changed and resealed (the checksum matches again): the wrap no longer opens.
FORGED: list[tuple[str, Any]] = [
    ("passphrase nonce", at(PW, "nonce", lambda v: flip_b64(v, 6, 2))),
    ("passphrase wrapped key", at(PW, "ciphertext", lambda v: flip_b64(v, 7, 4))),
    ("passphrase gcm tag", at(PW, "ciphertext", tag_flip)),
    ("kdf salt", at(KDF, "salt", lambda v: flip_b64(v, 9, 0))),
    ("kdf iterations raised", at(KDF, "iterations", lambda v: v + 1)),
    ("kdf memory raised", at(KDF, "memory_kib", lambda v: v * 2)),
    ("kdf lanes", at(KDF, "lanes", lambda v: v - 1)),
    ("vault id", at(None, "vault_id", lambda v: v[:-1] + ("0" if v[-1] != "0" else "1"))),
]


@pytest.mark.parametrize("change", [f[1] for f in FORGED], ids=[f[0] for f in FORGED])
def test_a_forged_key_file_field_is_refused_and_nothing_changes(
    vault_folder: tuple[Path, str], change: Any
) -> None:
    """No changed field is silently accepted: the wrap's authentication (AES-GCM, with the
    vault id as associated data) fails. With the checksum redone, the code cannot tell a
    forgery from a wrong passphrase, and says the passphrase is not correct."""
    folder, _ = vault_folder
    doc = keyfiles.read(folder)
    change(doc)
    keyfiles.write(folder, doc, reseal=True)
    before = snapshot(folder)
    with pytest.raises(errors.WrongPassphrase, match="not correct"):
        Vault.open(folder, PASSPHRASE)
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    "change",
    [at(RW, "nonce", lambda v: flip_b64(v, 0, 1)), at(RW, "ciphertext", tag_flip),
     at(RW, "salt", lambda v: flip_b64(v, 3, 3))],
    ids=["recovery nonce", "recovery gcm tag", "recovery salt"],
)  # fmt: skip
def test_a_forged_recovery_wrap_is_refused_when_the_recovery_key_is_used(
    vault_folder: tuple[Path, str], change: Any
) -> None:
    folder, recovery = vault_folder
    doc = keyfiles.read(folder)
    change(doc)
    keyfiles.write(folder, doc, reseal=True)
    before = snapshot(folder)
    with pytest.raises(errors.WrongRecoveryKey, match="does not open this vault"):
        Vault.open_with_recovery(folder, recovery)
    assert snapshot(folder) == before


# Weakened parameters in an otherwise valid, resealed key file: refused before any work.
WEAK: list[tuple[str, Any, str]] = [
    ("memory one KiB under 64 MiB", at(KDF, "memory_kib", value(kdf.MIN_MEMORY_KIB - 1)), "below"),
    ("memory zero", at(KDF, "memory_kib", value(0)), "below"),
    ("memory negative", at(KDF, "memory_kib", value(-65536)), "below"),
    ("iterations zero", at(KDF, "iterations", value(0)), "below"),
    ("iterations negative", at(KDF, "iterations", value(-1)), "below"),
    ("lanes zero", at(KDF, "lanes", value(0)), "malformed"),
    ("lanes over the cap", at(KDF, "lanes", value(kdf.MAX_LANES + 1)), "malformed"),
    ("empty salt", at(KDF, "salt", value("")), "malformed"),
    ("another kdf", at(KDF, "name", value("pbkdf2")), "unknown key derivation"),
]


@pytest.mark.parametrize(("change", "words"), [w[1:] for w in WEAK], ids=[w[0] for w in WEAK])
def test_weakened_kdf_parameters_are_refused_and_nothing_changes(
    vault_folder: tuple[Path, str], change: Any, words: str
) -> None:
    folder, recovery = vault_folder
    doc = keyfiles.read(folder)
    change(doc)
    keyfiles.write(folder, doc, reseal=True)
    before = snapshot(folder)
    for attempt in (lambda: Vault.open(folder, PASSPHRASE),
                    lambda: Vault.open_with_recovery(folder, recovery)):  # fmt: skip
        with pytest.raises(errors.KeyFileDamaged, match=words) as caught:
            attempt()
        assert str(caught.value).startswith("The vault's key file is damaged")
    assert snapshot(folder) == before

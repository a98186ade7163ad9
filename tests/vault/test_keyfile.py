"""The key file: any damage reads as damage (never "wrong passphrase" or a crash)."""

from __future__ import annotations

import base64
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from mhsw_desktop.vault import errors, kdf
from mhsw_desktop.vault.keyfile import KeyFile
from mhsw_desktop.vault.vault import KEY_NAME, Vault
from tests.support import NEW_PASSPHRASE, PASSPHRASE, create_vault, snapshot
from tests.vault.keyfiles import Doc, checksum, read, write


def flip_b64(value: str, byte: int = 0, bit: int = 0) -> str:
    data = bytearray(base64.b64decode(value))
    data[byte] ^= 1 << bit
    return base64.b64encode(bytes(data)).decode("ascii")


def resize_b64(value: str, delta: int) -> str:
    data = base64.b64decode(value)
    data = data + b"\x00" * delta if delta > 0 else data[:delta]
    return base64.b64encode(data).decode("ascii")


def test_the_key_file_carries_a_checksum_of_its_other_fields(
    vault_folder: tuple[Path, str],
) -> None:
    folder, _ = vault_folder
    doc = read(folder)
    assert doc["checksum"] == checksum(doc)


def test_every_single_bit_flip_anywhere_in_the_file_is_damage(
    vault_folder: tuple[Path, str],
) -> None:
    folder, _ = vault_folder
    original = (folder / KEY_NAME).read_bytes()
    KeyFile.from_bytes(original)
    for i in range(len(original)):
        for bit in range(8):
            damaged = bytearray(original)
            damaged[i] ^= 1 << bit
            with pytest.raises(errors.KeyFileDamaged):
                KeyFile.from_bytes(bytes(damaged))


FieldChange = Callable[[Doc], None]


def at(section: str | None, key: str, new: Callable[[Any], Any]) -> FieldChange:
    """A change that replaces ``doc[section][key]`` (or ``doc[key]``) by ``new(old)``."""

    def change(doc: Doc) -> None:
        target = doc[section] if section else doc
        target[key] = new(target[key])

    return change


def value(v: Any) -> Callable[[Any], Any]:
    return lambda _old: v


PW, RW, KDF = "passphrase_wrap", "recovery_wrap", "kdf"

# A bit flipped inside a decoded value, the file otherwise intact (checksum now stale).
FLIPS: list[tuple[str, FieldChange]] = [
    ("passphrase nonce", at(PW, "nonce", flip_b64)),
    ("passphrase ciphertext", at(PW, "ciphertext", lambda v: flip_b64(v, 40))),
    ("recovery nonce", at(RW, "nonce", lambda v: flip_b64(v, 11, 7))),
    ("recovery ciphertext", at(RW, "ciphertext", lambda v: flip_b64(v, 3, 1))),
    ("recovery salt", at(RW, "salt", flip_b64)),
    ("kdf salt", at(KDF, "salt", lambda v: flip_b64(v, 5, 3))),
    ("kdf memory", at(KDF, "memory_kib", lambda v: v ^ 1024)),
    ("kdf iterations", at(KDF, "iterations", lambda v: v ^ 2)),
    ("kdf lanes", at(KDF, "lanes", lambda v: v ^ 1)),
    ("vault id", at(None, "vault_id", lambda v: ("2" if v[0] == "1" else "1") + v[1:])),
    ("database salt", at(None, "database_salt", lambda v: ("1" if v[0] == "0" else "0") + v[1:])),
    ("format", at(None, "format", value(3))),
]


@pytest.mark.parametrize("change", [f[1] for f in FLIPS], ids=[f[0] for f in FLIPS])
def test_a_flipped_value_is_damage_and_nothing_changes(
    vault_folder: tuple[Path, str], change: FieldChange
) -> None:
    folder, _ = vault_folder
    doc = read(folder)
    change(doc)
    write(folder, doc, reseal=False)
    before = snapshot(folder)
    with pytest.raises(errors.KeyFileDamaged, match="key file is damaged") as caught:
        Vault.open(folder, PASSPHRASE)
    assert "checksum" in str(caught.value)
    assert snapshot(folder) == before


# Consistently tampered files (checksum recomputed): each value is still checked.
TAMPERED: list[tuple[str, FieldChange, str]] = [
    ("short nonce", at(PW, "nonce", lambda v: resize_b64(v, -1)), "wrong length"),
    ("long nonce", at(RW, "nonce", lambda v: resize_b64(v, 4)), "wrong length"),
    ("short ciphertext", at(PW, "ciphertext", lambda v: resize_b64(v, -1)), "wrong length"),
    ("long ciphertext", at(RW, "ciphertext", lambda v: resize_b64(v, 1)), "wrong length"),
    ("short kdf salt", at(KDF, "salt", lambda v: resize_b64(v, -1)), "malformed"),
    ("short recovery salt", at(RW, "salt", lambda v: resize_b64(v, -1)), "too short"),
    ("huge iterations", at(KDF, "iterations", value(10**9)), "above the maximum"),
    ("iterations over cap", at(KDF, "iterations", value(kdf.MAX_ITERATIONS + 1)), "above the"),
    ("memory over 4 GiB", at(KDF, "memory_kib", value(4 * 1024 * 1024 + 1)), "above the"),
    ("memory below floor", at(KDF, "memory_kib", value(1024)), "below the minimum"),
    ("memory as text", at(KDF, "memory_kib", value("65536")), "malformed"),
    ("fractional iterations", at(KDF, "iterations", value(2.5)), "malformed"),
    ("format 0", at(None, "format", value(0)), "does not exist"),
    ("format as text", at(None, "format", value("1")), "format version"),
    ("format as boolean", at(None, "format", value(True)), "format version"),
    ("database salt not hex", at(None, "database_salt", value("zz" * 16)), "database salt"),
    ("vault id a number", at(None, "vault_id", value(7)), "malformed"),
]


@pytest.mark.parametrize(
    ("change", "words"), [t[1:] for t in TAMPERED], ids=[t[0] for t in TAMPERED]
)
def test_a_consistently_tampered_value_is_refused_as_damage(
    vault_folder: tuple[Path, str], change: FieldChange, words: str
) -> None:
    folder, _ = vault_folder
    doc = read(folder)
    change(doc)
    write(folder, doc, reseal=True)
    before = snapshot(folder)
    with pytest.raises(errors.KeyFileDamaged, match=words):
        KeyFile.load(folder / KEY_NAME)
    with pytest.raises(errors.KeyFileDamaged, match="key file is damaged"):
        Vault.open(folder, PASSPHRASE)
    assert snapshot(folder) == before


def test_a_key_file_without_checksum_is_refused(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    doc = read(folder)
    del doc["checksum"]
    write(folder, doc, reseal=False)
    with pytest.raises(errors.KeyFileDamaged, match="checksum is missing"):
        Vault.open(folder, PASSPHRASE)


def test_a_newer_format_with_a_good_checksum_is_too_new(vault_folder: tuple[Path, str]) -> None:
    folder, _ = vault_folder
    doc = read(folder)
    doc["format"] = 2
    write(folder, doc, reseal=True)
    with pytest.raises(errors.VaultTooNew, match="key file format 2"):
        Vault.open(folder, PASSPHRASE)


NFC = unicodedata.normalize("NFC", "crème brûlée señora 42 Ångström")
NFD = unicodedata.normalize("NFD", NFC)


def test_the_two_spellings_really_differ() -> None:
    assert NFC != NFD and NFC.encode() != NFD.encode()


@pytest.mark.parametrize(("typed_at_creation", "typed_at_unlock"), [(NFC, NFD), (NFD, NFC)])
def test_a_passphrase_opens_whatever_its_unicode_normal_form(
    tmp_path: Path, typed_at_creation: str, typed_at_unlock: str
) -> None:
    """The same words typed on macOS (NFD) and on Windows (NFC) open the same vault."""
    folder = tmp_path / "v"
    vault, _ = create_vault(folder, typed_at_creation)
    vault.lock()
    with Vault.open(folder, typed_at_unlock) as vault:
        assert not vault.is_locked
        vault.change_passphrase(NEW_PASSPHRASE)
        vault.change_passphrase(typed_at_creation)
    Vault.open(folder, typed_at_unlock).lock()
    with pytest.raises(errors.WrongPassphrase):
        Vault.open(folder, typed_at_unlock.replace("42", "43"))

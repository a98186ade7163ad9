"""Fuzzing the resources CSV and vCard importers: any input is imported whole or refused
with a plain message (a UserFacingError), and a refused file adds nothing to the vault.

Inputs are arbitrary text, arbitrary bytes and valid exports with bytes flipped, cut,
repeated or inserted. Each example runs the real import in a unit of work on one real
vault, and every table's row count is compared before and after. Hypothesis runs
derandomized and without its example database, so the suite is the same on every run.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from mhsw_desktop.errors import UserFacingError
from mhsw_desktop.services.resources import (
    CSV_COLUMNS,
    export_resources_csv,
    import_resources_csv,
)
from mhsw_desktop.services.synthetic_care import add_directory
from mhsw_desktop.services.synthetic_resources import add_synthetic_resources
from mhsw_desktop.services.vcard import export_vcards, import_vcards
from mhsw_desktop.vault.vault import Vault
from tests.support import create_vault

FUZZ = settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

Importer = Callable[[Any, bytes], Any]


@pytest.fixture(scope="module")
def vault(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    opened, _ = create_vault(tmp_path_factory.mktemp("fuzz") / "vault")
    try:
        yield opened
    finally:
        opened.lock()


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Valid files as this app exports them (from another vault, so they import anew)."""
    source, _ = create_vault(tmp_path_factory.mktemp("fuzz-source") / "vault")
    with source, source.unit_of_work() as session:
        add_synthetic_resources(session)
        add_directory(session)
        return {
            "csv": export_resources_csv(session).encode("utf-8"),
            "vcard3": export_vcards(session, "3.0").encode("utf-8"),
            "vcard4": export_vcards(session, "4.0").encode("utf-8"),
        }


def row_counts(vault: Vault) -> dict[str, int]:
    with vault.engine.connect() as conn:
        names = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            " AND name NOT LIKE '%search%' AND name != 'audit_log'"
        ).scalars()
        return {
            name: conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar_one()
            for name in list(names)
        }


def check_import(vault: Vault, importer: Importer, data: bytes, table: str) -> None:
    """Imported whole (the table grows by what was reported) or refused plainly (no change)."""
    before = row_counts(vault)
    try:
        with vault.unit_of_work() as session:
            result = importer(session, data)
    except UserFacingError as exc:
        message = str(exc)
        assert message.strip() and "Traceback" not in message
        assert "Nothing was imported" in message or "Nothing" in message, message
        assert row_counts(vault) == before
        event(f"refused: {type(exc).__name__}")
        return
    event("imported" if result.imported else "nothing new (duplicates or no rows)")
    after = row_counts(vault)
    assert after[table] == before[table] + len(result.imported)
    assert {k: v for k, v in after.items() if k != table} == {
        k: v for k, v in before.items() if k != table
    }


@st.composite
def mutated(draw: st.DrawFn, sample: bytes) -> bytes:
    """A valid file with a few edits: flipped bits, cuts, repeats and inserted bytes."""
    data = bytearray(sample)
    for _ in range(draw(st.integers(1, 4))):
        where = draw(st.integers(0, max(len(data) - 1, 0)))
        kind = draw(st.sampled_from(["flip", "cut", "repeat", "insert", "truncate"]))
        if kind == "flip" and data:
            data[where] ^= 1 << draw(st.integers(0, 7))
        elif kind == "cut":
            del data[where : where + draw(st.integers(1, 64))]
        elif kind == "repeat":
            data[where:where] = data[where : where + draw(st.integers(1, 200))]
        elif kind == "insert":
            data[where:where] = draw(
                st.one_of(
                    st.binary(min_size=1, max_size=8),
                    st.sampled_from([b'"', b",", b"\r\n", b";", b":", b"\x00", b"=",
                                     b"BEGIN:VCARD\r\n", b"END:VCARD\r\n", b"\xff\xfe"]),
                )
            )  # fmt: skip
        else:
            del data[where:]
    return bytes(data)


CASES: list[tuple[str, Importer, str]] = [
    ("csv", import_resources_csv, "community_resources"),
    ("vcard3", import_vcards, "collaborators"),
    ("vcard4", import_vcards, "collaborators"),
]


def _case(name: str) -> tuple[Importer, str]:
    for case, importer, table in CASES:
        if case == name:
            return importer, table
    raise KeyError(name)


def test_the_tables_counted_are_the_ones_imports_fill(vault: Vault) -> None:
    counts = row_counts(vault)
    assert {"community_resources", "collaborators", "clients", "notes"} <= set(counts)


@pytest.mark.parametrize("kind", ["csv", "vcard3"])
@FUZZ
@given(text=st.text(max_size=400))
def test_arbitrary_text_is_imported_or_refused_plainly(vault: Vault, kind: str, text: str) -> None:
    importer, table = _case(kind)
    check_import(vault, importer, text.encode("utf-8"), table)


@pytest.mark.parametrize("kind", ["csv", "vcard3"])
@FUZZ
@given(data=st.binary(max_size=400))
def test_arbitrary_bytes_are_imported_or_refused_plainly(
    vault: Vault, kind: str, data: bytes
) -> None:
    importer, table = _case(kind)
    check_import(vault, importer, data, table)


@pytest.mark.parametrize("kind", [c[0] for c in CASES])
@FUZZ
@given(data=st.data())
def test_a_damaged_export_is_imported_or_refused_plainly(
    vault: Vault, samples: dict[str, bytes], kind: str, data: st.DataObject
) -> None:
    importer, table = _case(kind)
    check_import(vault, importer, data.draw(mutated(samples[kind])), table)


@FUZZ
@given(
    columns=st.lists(st.sampled_from(CSV_COLUMNS), min_size=1, max_size=6, unique=True),
    rows=st.lists(st.lists(st.text(max_size=40), max_size=7), max_size=6),
)
def test_arbitrary_cells_under_a_real_header_are_imported_or_refused_plainly(
    vault: Vault, columns: list[str], rows: list[list[str]]
) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["name", *[c for c in columns if c != "name"]])
    writer.writerows(rows)
    check_import(
        vault, import_resources_csv, buffer.getvalue().encode("utf-8"), "community_resources"
    )


def test_the_samples_themselves_import(tmp_path: Path, samples: dict[str, bytes]) -> None:
    """The mutations start from files that import whole."""
    target, _ = create_vault(tmp_path / "vault")
    with target:
        for kind, importer, _table in CASES[:2]:
            with target.unit_of_work() as session:
                assert len(importer(session, samples[kind]).imported) > 3, kind

"""Hypothesis against the open-export importer: arbitrary bytes and mutated exports give
only clean, named refusals (ExportInvalid and the other UserFacingErrors), and an import
that is refused leaves nothing behind."""

from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mhsw_desktop.errors import UserFacingError
from mhsw_desktop.services import export_archive
from mhsw_desktop.services import open_export as oe
from mhsw_desktop.vault import kdf
from mhsw_desktop.vault.vault import Vault
from tests.services.test_open_export import small_export
from tests.support import PASSPHRASE

FUZZ = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=6,
)


@pytest.fixture(scope="module")
def document(small_export: dict[str, Any]) -> dict[str, Any]:
    """The small vault's export.json (two clients, a note each, their tasks...)."""
    return small_export


@FUZZ
@given(st.binary(max_size=300))
def test_arbitrary_bytes_are_refused_in_words(data: bytes) -> None:
    try:
        oe.parse_export(data)
    except oe.ExportInvalid as exc:
        assert str(exc).startswith("The export cannot be imported")


@FUZZ
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=120))
def test_arbitrary_archives_are_refused_in_words(tail: bytes, cut: int) -> None:
    header = export_archive.MAGIC + bytes(range(200))[:cut]
    with pytest.raises(export_archive.ArchiveError):
        export_archive.open_archive(header + tail, "any password at all 12 ferns")


def _mutate(document: dict[str, Any], data: st.DataObject) -> dict[str, Any]:
    edited = copy.deepcopy(document)
    tables = sorted(name for name, rows in edited["tables"].items() if rows)
    how = data.draw(st.sampled_from(["replace", "delete", "add", "top", "drop_record"]))
    if how == "top":
        key = data.draw(st.sampled_from(sorted(edited)))
        edited[key] = data.draw(json_values)
        return edited
    table = data.draw(st.sampled_from(tables))
    rows = edited["tables"][table]
    index = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    if how == "drop_record":
        del rows[index]
        return edited
    record = rows[index]
    if how == "add":
        record[data.draw(st.text(max_size=10))] = data.draw(json_values)
        return edited
    field = data.draw(st.sampled_from(sorted(record)))
    if how == "delete":
        del record[field]
    else:
        record[field] = data.draw(json_values | st.sampled_from(["", "x" * 5000, "\ud800"]))
    return edited


@FUZZ
@given(data=st.data())
def test_mutated_exports_are_refused_in_words(document: dict[str, Any], data: Any) -> None:
    raw = json.dumps(_mutate(document, data)).encode("utf-8", "surrogatepass")
    try:
        oe.parse_export(raw)
    except oe.ExportInvalid as exc:
        assert exc.problems and "Nothing was imported" in str(exc)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_mutated_exports_import_whole_or_not_at_all(document: dict[str, Any], data: Any) -> None:
    raw = json.dumps(_mutate(document, data)).encode("utf-8", "surrogatepass")
    with tempfile.TemporaryDirectory() as scratch:
        parent = Path(scratch)
        try:
            checked = oe.parse_export(raw)
            made = oe.import_export(
                checked, parent / "new", PASSPHRASE, params=kdf.minimum_params()
            )
        except UserFacingError:
            assert list(parent.iterdir()) == []  # no vault, no hidden staging folder
            return
        with Vault.open(made.folder, PASSPHRASE) as vault, vault.engine.connect() as conn:
            for name, count in checked.counts.items():
                if name != "audit_log":
                    got = conn.exec_driver_sql(f'SELECT count(*) FROM "{name}"').scalar()
                    assert got == count, name


__all__ = ["small_export"]  # the fixture, shared with the export tests

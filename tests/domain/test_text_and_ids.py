"""Folding for search, and time-ordered ids."""

from __future__ import annotations

import uuid

import pytest

from mhsw_desktop.domain.ids import new_id
from mhsw_desktop.domain.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("González", "gonzalez"),
        ("MUÑOZ", "munoz"),
        ("Nguyễn", "nguyen"),
        ("Søren", "soren"),
        ("Æsa", "aesa"),
        ("Straße", "strasse"),
        ("Zoë", "zoe"),
        ("O'Brien", "o'brien"),
    ],
)
def test_fold_ignores_case_and_diacritics(text: str, folded: str) -> None:
    assert fold(text) == folded


def test_ids_are_uuid7_and_sort_by_creation() -> None:
    ids = [new_id() for _ in range(200)]
    assert all(i.version == 7 and i.variant == uuid.RFC_4122 for i in ids)
    assert len(set(ids)) == 200
    millis = [i.int >> 80 for i in ids]
    assert millis == sorted(millis)

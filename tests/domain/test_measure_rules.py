"""Measure scoring rules: every band boundary, PHQ-9 item 9 at each answer, incomplete forms,
out-of-range answers, reliable change, and definitions that are sound as data."""

from __future__ import annotations

import pytest

from mhsw_desktop.domain.measure_defs import (
    DEFINITIONS,
    KINDS,
    ChangeReading,
    MeasureDefinition,
    change_reading,
    check_definition,
    definition,
    parse_items,
    score,
)
from mhsw_desktop.errors import ValidationError

PHQ9 = definition("phq9")
GAD7 = definition("gad7")


def answers_for(d: MeasureDefinition, total: int, *, last: int | None = None) -> list[int]:
    """Answers adding up to ``total``, filled from the first item (``last`` fixes the last)."""
    answers = [0] * len(d.items)
    remaining = total
    if last is not None:
        answers[-1] = last
        remaining -= last
    for i in range(len(answers) - (1 if last is not None else 0)):
        answers[i] = min(d.max_answer, remaining)
        remaining -= answers[i]
    assert remaining == 0, f"cannot reach {total}"
    return answers


PHQ9_BANDS = [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
    (14, "moderate"), (15, "moderately_severe"), (19, "moderately_severe"), (20, "severe"),
    (27, "severe"),
]  # fmt: skip
GAD7_BANDS = [
    (0, "minimal"), (4, "minimal"), (5, "mild"), (9, "mild"), (10, "moderate"),
    (14, "moderate"), (15, "severe"), (21, "severe"),
]  # fmt: skip


@pytest.mark.parametrize(("total", "band"), PHQ9_BANDS)
def test_phq9_band_at_every_boundary(total: int, band: str) -> None:
    result = score(PHQ9, answers_for(PHQ9, total))
    assert result.total == total
    assert result.band is not None and result.band.key == band
    assert bool(result.alerts) is (total > 24)  # item 9 is needed past 24


@pytest.mark.parametrize(("total", "band"), GAD7_BANDS)
def test_gad7_band_at_every_boundary(total: int, band: str) -> None:
    result = score(GAD7, answers_for(GAD7, total))
    assert (result.total, result.band and result.band.key) == (total, band)
    assert result.alerts == ()


@pytest.mark.parametrize(
    ("item9", "alert"),
    [(0, False), (1, True), (2, True), (3, True)],
)
def test_phq9_item9_alerts_whatever_the_total(item9: int, alert: bool) -> None:
    """A minimal total with item 9 above 0 still alerts; so does a severe one."""
    for total in (item9, 27 if item9 == 3 else 24 + item9):
        result = score(PHQ9, answers_for(PHQ9, total, last=item9))
        assert bool(result.alerts) is alert
        if alert:
            (found,) = result.alerts
            assert found.item == 9 and found.answer == item9
            assert PHQ9.choices[item9] in found.message
    assert score(PHQ9, [0] * 8 + [1]).band.key == "minimal"  # type: ignore[union-attr]


def test_an_incomplete_form_has_no_total_and_names_what_is_missing() -> None:
    result = score(PHQ9, [1, None, 2, 3, None, 0, 0, 1, 0])
    assert result.total is None and result.band is None
    assert result.missing == (2, 5)
    assert not result.complete
    assert result.summary(PHQ9) == "PHQ-9 incomplete: items 2, 5 not answered; no total"
    one = score(GAD7, [1, 1, 1, 1, 1, 1, None])
    assert one.summary(GAD7) == "GAD-7 incomplete: item 7 not answered; no total"


def test_a_blank_item9_is_a_notice_not_an_alert() -> None:
    result = score(PHQ9, [0] * 8 + [None])
    assert result.alerts == ()
    assert result.notices and "item 9" in result.notices[0]
    # ...while an answered item 9 alerts even when another item is blank
    partial = score(PHQ9, [None] + [0] * 7 + [2])
    assert partial.total is None and len(partial.alerts) == 1


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ([0] * 8 + [4], "item 9: 4 is not an answer (0 to 3)"),
        ([-1] + [0] * 8, "item 1: -1 is not an answer (0 to 3)"),
        ([0] * 8, "PHQ-9 has 9 items but 8 answers were given"),
        ([0] * 10, "PHQ-9 has 9 items but 10 answers were given"),
        ([0, 7, 0, 0, 0, 0, 0, 0, 9], "item 2: 7 is not an answer (0 to 3); item 9: 9"),
    ],
)
def test_out_of_range_answers_are_rejected_with_clear_messages(
    answers: list[int], message: str
) -> None:
    with pytest.raises(ValidationError, match="items") as caught:
        score(PHQ9, answers)
    assert message in caught.value.errors["items"]


def test_the_difficulty_question_is_checked_but_not_scored() -> None:
    plain = score(PHQ9, [1] * 9)
    with_difficulty = score(PHQ9, [1] * 9, difficulty=3)
    assert plain.total == with_difficulty.total == 9
    with pytest.raises(ValidationError, match="difficulty"):
        score(PHQ9, [1] * 9, difficulty=4)
    with pytest.raises(ValidationError, match="no difficulty question"):
        score(definition("phq2"), [1, 1], difficulty=1)


def test_booleans_and_unknown_kinds_are_refused() -> None:
    with pytest.raises(ValidationError):
        score(PHQ9, [True] + [0] * 8)  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="not a known measure"):
        definition("beck")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("0,1,2,3", (0, 1, 2, 3)),
        (" 0 , 1 ,, 3", (0, 1, None, 3)),
        ("0,-,2", (0, None, 2)),
        ("0,-1", (0, -1)),  # parsed, then refused by the range check
    ],
)
def test_parse_items(text: str, expected: tuple[int | None, ...]) -> None:
    assert parse_items(text) == expected


def test_parse_items_names_what_is_not_a_number() -> None:
    with pytest.raises(ValidationError, match=r"item 2: 'x' is not a number"):
        parse_items("0,x,1")


@pytest.mark.parametrize(
    ("kind", "baseline", "latest", "reading"),
    [
        ("phq9", 18, 12, ChangeReading.RELIABLE_IMPROVEMENT),  # -6: at the threshold
        ("phq9", 18, 13, ChangeReading.NO_RELIABLE_CHANGE),  # -5
        ("phq9", 8, 14, ChangeReading.RELIABLE_DETERIORATION),
        ("phq9", 8, 8, ChangeReading.NO_RELIABLE_CHANGE),
        ("gad7", 15, 11, ChangeReading.RELIABLE_IMPROVEMENT),  # -4
        ("gad7", 15, 12, ChangeReading.NO_RELIABLE_CHANGE),
        ("gad7", 5, 9, ChangeReading.RELIABLE_DETERIORATION),
        ("phq2", 6, 0, ChangeReading.NOT_ESTABLISHED),
    ],
)
def test_reliable_change(kind: str, baseline: int, latest: int, reading: ChangeReading) -> None:
    d = definition(kind)
    change = change_reading(d, baseline, latest)
    assert change.reading is reading
    assert change.change == latest - baseline
    assert (change.threshold is None) == (reading is ChangeReading.NOT_ESTABLISHED)
    if change.threshold is not None:
        assert "commonly used" in change.source


def test_change_summary_reads_well() -> None:
    change = change_reading(PHQ9, 18, 11)
    assert change.summary(PHQ9) == ("PHQ-9 18 → 11 (-7): reliable improvement (threshold 6 points)")


@pytest.mark.parametrize("d", DEFINITIONS, ids=lambda d: d.key)
def test_every_definition_is_sound(d: MeasureDefinition) -> None:
    """Bands cover every total without gaps; alerts name items that exist."""
    assert check_definition(d) == []
    for total in range(d.max_total + 1):
        assert d.band_for(total).low <= total


def test_a_broken_definition_is_caught() -> None:
    from dataclasses import replace

    from mhsw_desktop.domain.measure_defs import AlertRule, Band

    broken = replace(
        PHQ9,
        bands=(Band("a", "A", 0, 4), Band("b", "B", 6, 26)),
        alerts=(AlertRule(item=12, above=0, message="x"),),
    )
    problems = check_definition(broken)
    assert "band b starts at 6, expected 5" in problems
    assert "bands end at 26, the highest total is 27" in problems
    assert "alert on item 12, which does not exist" in problems


def test_measures_are_data() -> None:
    """PHQ-2 and GAD-2 are entries in the table, scored by the same code."""
    assert KINDS[:2] == ("phq9", "gad7")
    assert {"phq2", "gad2"} <= set(KINDS)
    assert score(definition("phq2"), [2, 1]).band.key == "positive"  # type: ignore[union-attr]
    assert score(definition("gad2"), [1, 1]).band.key == "negative"  # type: ignore[union-attr]

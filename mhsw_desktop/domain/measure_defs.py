"""Standardised measures as data, and the pure rules that score them.

Every measure is one entry of ``DEFINITIONS``: its items, the answers each item allows,
its severity bands, the answers that raise an alert whatever the total, the unscored
difficulty question, and the reliable-change threshold where one is established. Adding
a measure (PHQ-2 and GAD-2 below show how) is adding an entry, not code.

Scoring never invents a total: a form with an unanswered item has no total and no band,
and the missing items are named. Answers outside an item's range are rejected with a
message that says which item and what is allowed.

Sources. PHQ-9: Kroenke, Spitzer & Williams (2001), J Gen Intern Med 16:606-613. GAD-7:
Spitzer, Kroenke, Williams & Löwe (2006), Arch Intern Med 166:1092-1097. PHQ-2: Kroenke,
Spitzer & Williams (2003), Med Care 41:1284-1292. GAD-2: Kroenke et al. (2007), Ann
Intern Med 146:317-325. The PHQ and GAD-7 were developed by Drs. Spitzer, Williams,
Kroenke and colleagues with an educational grant from Pfizer Inc.; no permission is
required to reproduce, translate, display or distribute them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from mhsw_desktop.errors import ValidationError

#: How often a problem bothered the client over the last two weeks (PHQ and GAD answers).
FREQUENCY_CHOICES: tuple[str, ...] = (
    "Not at all",
    "Several days",
    "More than half the days",
    "Nearly every day",
)
DIFFICULTY_QUESTION = (
    "If you checked off any problems, how difficult have these problems made it for you "
    "to do your work, take care of things at home, or get along with other people?"
)
DIFFICULTY_CHOICES: tuple[str, ...] = (
    "Not difficult at all",
    "Somewhat difficult",
    "Very difficult",
    "Extremely difficult",
)
TWO_WEEKS_STEM = (
    "Over the last 2 weeks, how often have you been bothered by any of the following problems?"
)


@dataclass(frozen=True)
class Band:
    """A severity band: totals from ``low`` to ``high``, both included."""

    key: str
    label: str
    low: int
    high: int


@dataclass(frozen=True)
class AlertRule:
    """An answer that needs the practitioner's attention whatever the total."""

    #: 1-based item number
    item: int
    #: an answer above this raises the alert
    above: int
    #: what the alert says (the answer given is added)
    message: str
    #: what to say when the item was left unanswered (not an alert, but worth asking)
    if_missing: str = ""


class ScoreDirection(StrEnum):
    """Which way is better: symptom measures improve as the total falls."""

    LOWER_IS_BETTER = "lower_is_better"
    HIGHER_IS_BETTER = "higher_is_better"


@dataclass(frozen=True)
class MeasureDefinition:
    key: str
    #: short name ("PHQ-9")
    name: str
    title: str
    #: the instruction above the items, as the client reads it
    stem: str
    items: tuple[str, ...]
    #: the labels of the answers every item allows, scored 0, 1, 2...
    choices: tuple[str, ...]
    bands: tuple[Band, ...]
    alerts: tuple[AlertRule, ...] = ()
    #: the unscored functional-difficulty question ("" when the measure has none)
    difficulty_question: str = ""
    difficulty_choices: tuple[str, ...] = ()
    direction: ScoreDirection = ScoreDirection.LOWER_IS_BETTER
    #: the change in total that counts as reliable (None: none established)
    reliable_change: int | None = None
    #: where ``reliable_change`` comes from, shown beside the reading
    reliable_change_source: str = ""

    @property
    def max_answer(self) -> int:
        return len(self.choices) - 1

    @property
    def max_total(self) -> int:
        return self.max_answer * len(self.items)

    def band(self, key: str) -> Band | None:
        return next((b for b in self.bands if b.key == key), None)

    def band_for(self, total: int) -> Band:
        for band in self.bands:
            if band.low <= total <= band.high:
                return band
        raise ValueError(f"{self.name}: no band for a total of {total}")


# Reliable change. A change smaller than the reliable-change threshold may be measurement
# error. The thresholds below are the commonly used ones: PHQ-9 6 points and GAD-7 4
# points, as NHS Talking Therapies (formerly IAPT) uses them for "reliable improvement"
# and "reliable deterioration" (The NHS Talking Therapies Manual; the values come from
# the Jacobson-Truax reliable change index computed on the measures' published
# reliability). Other thresholds appear in the literature (e.g. 5 points for the PHQ-9,
# McMillan, Gilbody & Richards 2010): these are a convention, not a law of nature.
_RCI_SOURCE = (
    "commonly used reliable-change threshold (NHS Talking Therapies, "
    "Jacobson-Truax reliable change index)"
)

DEFINITIONS: tuple[MeasureDefinition, ...] = (
    MeasureDefinition(
        key="phq9",
        name="PHQ-9",
        title="Patient Health Questionnaire-9 (depression)",
        stem=TWO_WEEKS_STEM,
        items=(
            "Little interest or pleasure in doing things",
            "Feeling down, depressed, or hopeless",
            "Trouble falling or staying asleep, or sleeping too much",
            "Feeling tired or having little energy",
            "Poor appetite or overeating",
            "Feeling bad about yourself — or that you are a failure or have let yourself "
            "or your family down",
            "Trouble concentrating on things, such as reading the newspaper or watching television",
            "Moving or speaking so slowly that other people could have noticed? Or the "
            "opposite — being so fidgety or restless that you have been moving around a lot "
            "more than usual",
            "Thoughts that you would be better off dead or of hurting yourself in some way",
        ),
        choices=FREQUENCY_CHOICES,
        bands=(
            Band("minimal", "Minimal", 0, 4),
            Band("mild", "Mild", 5, 9),
            Band("moderate", "Moderate", 10, 14),
            Band("moderately_severe", "Moderately severe", 15, 19),
            Band("severe", "Severe", 20, 27),
        ),
        alerts=(
            AlertRule(
                item=9,
                above=0,
                message="PHQ-9 item 9 (thoughts of being better off dead or of self-harm)",
                if_missing="PHQ-9 item 9 (thoughts of self-harm) was not answered: ask about it",
            ),
        ),
        difficulty_question=DIFFICULTY_QUESTION,
        difficulty_choices=DIFFICULTY_CHOICES,
        reliable_change=6,
        reliable_change_source=_RCI_SOURCE,
    ),
    MeasureDefinition(
        key="gad7",
        name="GAD-7",
        title="Generalized Anxiety Disorder-7 (anxiety)",
        stem=TWO_WEEKS_STEM,
        items=(
            "Feeling nervous, anxious, or on edge",
            "Not being able to stop or control worrying",
            "Worrying too much about different things",
            "Trouble relaxing",
            "Being so restless that it is hard to sit still",
            "Becoming easily annoyed or irritable",
            "Feeling afraid, as if something awful might happen",
        ),
        choices=FREQUENCY_CHOICES,
        bands=(
            Band("minimal", "Minimal", 0, 4),
            Band("mild", "Mild", 5, 9),
            Band("moderate", "Moderate", 10, 14),
            Band("severe", "Severe", 15, 21),
        ),
        difficulty_question=DIFFICULTY_QUESTION,
        difficulty_choices=DIFFICULTY_CHOICES,
        reliable_change=4,
        reliable_change_source=_RCI_SOURCE,
    ),
    MeasureDefinition(
        key="phq2",
        name="PHQ-2",
        title="Patient Health Questionnaire-2 (depression screen)",
        stem=TWO_WEEKS_STEM,
        items=(
            "Little interest or pleasure in doing things",
            "Feeling down, depressed, or hopeless",
        ),
        choices=FREQUENCY_CHOICES,
        bands=(
            Band("negative", "Negative screen", 0, 2),
            Band("positive", "Positive screen: give the PHQ-9", 3, 6),
        ),
    ),
    MeasureDefinition(
        key="gad2",
        name="GAD-2",
        title="Generalized Anxiety Disorder-2 (anxiety screen)",
        stem=TWO_WEEKS_STEM,
        items=(
            "Feeling nervous, anxious, or on edge",
            "Not being able to stop or control worrying",
        ),
        choices=FREQUENCY_CHOICES,
        bands=(
            Band("negative", "Negative screen", 0, 2),
            Band("positive", "Positive screen: give the GAD-7", 3, 6),
        ),
    ),
)

_BY_KEY = {d.key: d for d in DEFINITIONS}
KINDS: tuple[str, ...] = tuple(d.key for d in DEFINITIONS)


def definition(kind: str) -> MeasureDefinition:
    """The definition of ``kind`` ("phq9"); ValidationError for an unknown one."""
    found = _BY_KEY.get(kind)
    if found is None:
        raise ValidationError({"kind": f"{kind!r} is not a known measure (use one of {_kinds()})"})
    return found


def _kinds() -> str:
    return ", ".join(KINDS)


def check_definition(d: MeasureDefinition) -> list[str]:
    """What is wrong with a definition (empty when it is sound): used by the tests on every
    entry, so that a new measure cannot ship with a gap in its bands."""
    problems: list[str] = []
    if not d.items:
        problems.append("has no items")
    if len(d.choices) < 2:
        problems.append("needs at least two answers per item")
    expected = 0
    for band in d.bands:
        if band.low != expected:
            problems.append(f"band {band.key} starts at {band.low}, expected {expected}")
        if band.high < band.low:
            problems.append(f"band {band.key} ends before it starts")
        expected = band.high + 1
    if expected - 1 != d.max_total:
        problems.append(f"bands end at {expected - 1}, the highest total is {d.max_total}")
    for rule in d.alerts:
        if not 1 <= rule.item <= len(d.items):
            problems.append(f"alert on item {rule.item}, which does not exist")
    if bool(d.difficulty_question) != bool(d.difficulty_choices):
        problems.append("a difficulty question needs its answers, and answers their question")
    return problems


# -- scoring ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Alert:
    item: int
    answer: int
    #: e.g. "PHQ-9 item 9 (...): answered 'Several days' (1)"
    message: str


@dataclass(frozen=True)
class Score:
    kind: str
    answers: tuple[int | None, ...]
    #: None when any item is unanswered
    total: int | None
    band: Band | None
    #: 1-based numbers of the unanswered items
    missing: tuple[int, ...]
    alerts: tuple[Alert, ...]
    #: things to ask about that are not alerts (an unanswered item 9)
    notices: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing

    def summary(self, d: MeasureDefinition) -> str:
        """One line: "PHQ-9 14 (Moderate)" or "PHQ-9 incomplete: items 3, 9 not answered"."""
        if self.total is None:
            return f"{d.name} incomplete: {missing_text(self.missing)}; no total"
        band = f" ({self.band.label})" if self.band else ""
        return f"{d.name} {self.total}{band}"


def missing_text(missing: Sequence[int]) -> str:
    """'item 9 not answered' / 'items 3, 9 not answered'."""
    if len(missing) == 1:
        return f"item {missing[0]} not answered"
    return "items " + ", ".join(str(n) for n in missing) + " not answered"


def check_answers(
    d: MeasureDefinition, answers: Sequence[int | None], difficulty: int | None = None
) -> None:
    """ValidationError when answers do not fit the form: the wrong number of them, an
    answer out of range (each named), or a difficulty answer the measure does not have."""
    errors: dict[str, str] = {}
    if len(answers) != len(d.items):
        errors["items"] = (
            f"{d.name} has {len(d.items)} items but {len(answers)} answers were given "
            "(leave an unanswered item empty, do not drop it)"
        )
    else:
        bad = [
            f"item {number}: {answer} is not an answer (0 to {d.max_answer})"
            for number, answer in enumerate(answers, start=1)
            if answer is not None
            and (
                isinstance(answer, bool)
                or not isinstance(answer, int)
                or not 0 <= answer <= d.max_answer
            )
        ]
        if bad:
            errors["items"] = "; ".join(bad)
    if difficulty is not None:
        if not d.difficulty_choices:
            errors["difficulty"] = f"{d.name} has no difficulty question"
        elif (
            isinstance(difficulty, bool)
            or not isinstance(difficulty, int)
            or not 0 <= difficulty < len(d.difficulty_choices)
        ):
            errors["difficulty"] = (
                f"{difficulty} is not an answer (0 to {len(d.difficulty_choices) - 1})"
            )
    if errors:
        raise ValidationError(errors)


def score(
    d: MeasureDefinition, answers: Sequence[int | None], difficulty: int | None = None
) -> Score:
    """Score a form (checked first: see :func:`check_answers`). The difficulty answer is
    checked but never scored."""
    check_answers(d, answers, difficulty)
    given = tuple(answers)
    missing = tuple(n for n, a in enumerate(given, start=1) if a is None)
    total = None if missing else sum(a for a in given if a is not None)
    alerts: list[Alert] = []
    notices: list[str] = []
    for rule in d.alerts:
        answer = given[rule.item - 1]
        if answer is None:
            if rule.if_missing:
                notices.append(rule.if_missing)
        elif answer > rule.above:
            alerts.append(
                Alert(
                    rule.item,
                    answer,
                    f"{rule.message}: answered '{d.choices[answer]}' ({answer})",
                )
            )
    return Score(
        kind=d.key,
        answers=given,
        total=total,
        band=None if total is None else d.band_for(total),
        missing=missing,
        alerts=tuple(alerts),
        notices=tuple(notices),
    )


def parse_items(text: str) -> tuple[int | None, ...]:
    """ "0,1,2,,3" or "0,1,2,-,3" as answers; an empty place or "-" is an unanswered item.

    ValidationError names anything that is not a whole number.
    """
    parts = [p.strip() for p in text.split(",")]
    answers: list[int | None] = []
    bad: list[str] = []
    for number, part in enumerate(parts, start=1):
        if part in ("", "-"):
            answers.append(None)
        elif part.isdigit() or (part.startswith("-") and part[1:].isdigit()):
            answers.append(int(part))
        else:
            bad.append(f"item {number}: {part!r} is not a number")
    if bad:
        raise ValidationError({"items": "; ".join(bad)})
    return tuple(answers)


# -- change since baseline -----------------------------------------------------------------
class ChangeReading(StrEnum):
    RELIABLE_IMPROVEMENT = "reliable_improvement"
    RELIABLE_DETERIORATION = "reliable_deterioration"
    NO_RELIABLE_CHANGE = "no_reliable_change"
    #: the measure has no established threshold: the change is shown without a reading
    NOT_ESTABLISHED = "not_established"

    @property
    def label(self) -> str:
        return {
            "reliable_improvement": "Reliable improvement",
            "reliable_deterioration": "Reliable deterioration",
            "no_reliable_change": "No reliable change",
            "not_established": "No established reliable-change threshold",
        }[self.value]


@dataclass(frozen=True)
class Change:
    baseline: int
    latest: int
    #: latest minus baseline
    change: int
    reading: ChangeReading
    threshold: int | None
    source: str

    def summary(self, d: MeasureDefinition) -> str:
        sign = "+" if self.change > 0 else ""
        text = f"{d.name} {self.baseline} → {self.latest} ({sign}{self.change})"
        if self.threshold is None:
            return f"{text}: {self.reading.label.lower()}"
        return f"{text}: {self.reading.label.lower()} (threshold {self.threshold} points)"


def change_reading(d: MeasureDefinition, baseline: int, latest: int) -> Change:
    """How ``latest`` compares with ``baseline`` against the measure's reliable-change
    threshold (a change of at least the threshold counts as reliable)."""
    delta = latest - baseline
    threshold = d.reliable_change
    if threshold is None:
        reading = ChangeReading.NOT_ESTABLISHED
    elif abs(delta) < threshold:
        reading = ChangeReading.NO_RELIABLE_CHANGE
    else:
        better = delta < 0 if d.direction is ScoreDirection.LOWER_IS_BETTER else delta > 0
        reading = (
            ChangeReading.RELIABLE_IMPROVEMENT if better else ChangeReading.RELIABLE_DETERIORATION
        )
    return Change(baseline, latest, delta, reading, threshold, d.reliable_change_source)

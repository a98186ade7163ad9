"""The passphrase strength floor: a minimum length and a zxcvbn score, with feedback."""

from __future__ import annotations

from dataclasses import dataclass

MIN_LENGTH = 12
MIN_SCORE = 3  # zxcvbn: 0 too guessable … 4 very unguessable
MAX_LENGTH = 1024
_LABELS = ("Very weak", "Weak", "Fair", "Strong", "Very strong")


@dataclass(frozen=True)
class Strength:
    score: int
    label: str
    acceptable: bool
    feedback: str


def assess(passphrase: str) -> Strength:
    """Judge a candidate passphrase; ``feedback`` says what would make it acceptable."""
    if len(passphrase) > MAX_LENGTH:
        return Strength(0, _LABELS[0], False, f"Use at most {MAX_LENGTH} characters.")
    from zxcvbn import zxcvbn  # loads word lists: only when a passphrase is being chosen

    # zxcvbn's cost grows with length; beyond 100 characters the score no longer matters.
    result = zxcvbn(passphrase[:100])
    score = int(result["score"])
    hints = [result["feedback"].get("warning") or "", *result["feedback"]["suggestions"]]
    hint = " ".join(h for h in hints if h)
    if len(passphrase) < MIN_LENGTH:
        return Strength(
            min(score, 1),
            _LABELS[min(score, 1)],
            False,
            f"Use at least {MIN_LENGTH} characters; several unrelated words work well.",
        )
    if score < MIN_SCORE:
        return Strength(score, _LABELS[score], False, hint or "Add another uncommon word.")
    return Strength(score, _LABELS[score], True, "")

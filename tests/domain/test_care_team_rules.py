"""The care team's pure rules: release status at every boundary, coverage, the sharing
decision, categories, roles and duplicate matching."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date

import pytest

from mhsw_desktop.domain.care_team import (
    EXPIRING_DAYS,
    Category,
    CollaboratorRole,
    Refusal,
    ReleaseStatus,
    categories_from_text,
    categories_to_text,
    days_left,
    likely_same_collaborator,
    parse_category,
    release_status,
    same_phone,
    sharing_decision,
    uncovered,
)

TODAY = date(2025, 6, 15)
C = Category


@dataclass(frozen=True)
class Terms:
    """A release as the rules read it."""

    expiry_date: date | None = None
    revoked_date: date | None = None
    signed_date: date = date(2025, 1, 6)
    categories: str = "attendance,diagnosis"
    substance_use_consent: str = ""
    id: uuid.UUID = field(default_factory=uuid.uuid4)


def d(text: str) -> date:
    return date.fromisoformat(text)


# -- status -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("expiry", "revoked", "expected"),
    [
        # an expiry date far off, and an expiry event without a date
        ("2026-01-01", None, ReleaseStatus.ACTIVE),
        (None, None, ReleaseStatus.ACTIVE),
        # the 30-day window: 30 days left is still active, 29 days left is expiring
        ("2025-07-15", None, ReleaseStatus.ACTIVE),  # 30 days left
        ("2025-07-14", None, ReleaseStatus.EXPIRING),  # 29 days left
        ("2025-06-16", None, ReleaseStatus.EXPIRING),  # tomorrow
        # the expiry day itself is the last day in force: expiring, not expired
        ("2025-06-15", None, ReleaseStatus.EXPIRING),
        # the day after it, expired
        ("2025-06-14", None, ReleaseStatus.EXPIRED),
        ("2020-01-01", None, ReleaseStatus.EXPIRED),
        # revocation takes effect on its own date
        ("2026-01-01", "2025-06-15", ReleaseStatus.REVOKED),
        ("2026-01-01", "2025-03-01", ReleaseStatus.REVOKED),
        ("2026-01-01", "2025-06-16", ReleaseStatus.ACTIVE),  # recorded ahead: not yet
        ("2025-06-20", "2025-06-16", ReleaseStatus.EXPIRING),  # not yet revoked, expiring
        # revoked before expiry, now past the expiry too: it ended by revocation
        ("2025-05-31", "2025-05-01", ReleaseStatus.REVOKED),
        # revoked on the expiry day itself: revoked
        ("2025-05-31", "2025-05-31", ReleaseStatus.REVOKED),
        # revoked after it had already expired: it ended by expiry
        ("2025-05-31", "2025-06-10", ReleaseStatus.EXPIRED),
        # an event-only release that was revoked
        (None, "2025-06-01", ReleaseStatus.REVOKED),
    ],
)
def test_release_status(expiry: str | None, revoked: str | None, expected: ReleaseStatus) -> None:
    terms = Terms(d(expiry) if expiry else None, d(revoked) if revoked else None)
    assert release_status(terms, TODAY) is expected


def test_the_expiring_window_is_thirty_days_and_the_expiry_day_is_in_force() -> None:
    assert EXPIRING_DAYS == 30
    expiry = d("2025-06-15")
    statuses = {
        offset: release_status(Terms(expiry), date.fromordinal(expiry.toordinal() - offset))
        for offset in (31, 30, 29, 1, 0, -1)
    }
    assert statuses == {
        31: ReleaseStatus.ACTIVE,
        30: ReleaseStatus.ACTIVE,
        29: ReleaseStatus.EXPIRING,
        1: ReleaseStatus.EXPIRING,
        0: ReleaseStatus.EXPIRING,
        -1: ReleaseStatus.EXPIRED,
    }
    assert [s.in_force for s in ReleaseStatus] == [True, True, False, False]


@pytest.mark.parametrize(
    ("expiry", "expected"), [(None, None), ("2025-06-15", 0), ("2025-06-20", 5), ("2025-06-10", -5)]
)
def test_days_left(expiry: str | None, expected: int | None) -> None:
    assert days_left(Terms(d(expiry) if expiry else None), TODAY) == expected


# -- categories ---------------------------------------------------------------------------
def test_categories_are_stored_in_declaration_order_without_repeats() -> None:
    text = categories_to_text([C.SUBSTANCE_USE, "attendance", C.ATTENDANCE, C.DIAGNOSIS])
    assert text == "attendance,diagnosis,substance_use"
    assert categories_from_text(text) == (C.ATTENDANCE, C.DIAGNOSIS, C.SUBSTANCE_USE)
    assert categories_from_text("") == ()
    assert categories_from_text("attendance,telepathy") == (C.ATTENDANCE,)
    with pytest.raises(ValueError):
        categories_to_text(["telepathy"])


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("attendance", C.ATTENDANCE),
        ("Treatment plan", C.TREATMENT_PLAN),
        ("treatment-plan", C.TREATMENT_PLAN),
        ("progress_summaries", C.PROGRESS_SUMMARIES),
        ("PSYCHOTHERAPY NOTES", C.PSYCHOTHERAPY_NOTES),
        ("substance-use", C.SUBSTANCE_USE),
        ("Substance-use information", C.SUBSTANCE_USE),
        (" assessments ", C.ASSESSMENTS),
    ],
)
def test_parse_category(typed: str, expected: Category) -> None:
    assert parse_category(typed) is expected


def test_parse_category_refuses_what_it_does_not_know() -> None:
    with pytest.raises(ValueError, match="not a category"):
        parse_category("everything")


def test_psychotherapy_notes_are_covered_only_when_named() -> None:
    everything_else = [c for c in Category if c is not C.PSYCHOTHERAPY_NOTES]
    assert uncovered(everything_else, [C.PSYCHOTHERAPY_NOTES, C.DIAGNOSIS]) == (
        C.PSYCHOTHERAPY_NOTES,
    )
    assert uncovered([C.PSYCHOTHERAPY_NOTES], [C.PSYCHOTHERAPY_NOTES]) == ()


# -- the sharing decision -------------------------------------------------------------------
def refusal(releases: list[Terms], wanted: list[Category], day: date = TODAY) -> Refusal:
    decision = sharing_decision(releases, wanted, day)
    assert isinstance(decision, Refusal), decision
    return decision


def test_no_release_at_all() -> None:
    r = refusal([], [C.DIAGNOSIS])
    assert r.reason == "no_release" and "no release of information" in r.message
    assert r.missing == (C.DIAGNOSIS,)


def test_an_expired_release_is_named_with_its_date() -> None:
    r = refusal([Terms(expiry_date=d("2025-06-14"))], [C.DIAGNOSIS])
    assert r.reason == "expired" and "expired on 2025-06-14" in r.message


def test_a_revoked_release_is_named_with_its_date() -> None:
    r = refusal([Terms(d("2026-01-01"), revoked_date=d("2025-05-02"))], [C.ATTENDANCE])
    assert r.reason == "revoked" and "revoked on 2025-05-02" in r.message


def test_the_latest_ending_is_the_one_named() -> None:
    old = Terms(expiry_date=d("2024-12-31"), signed_date=d("2024-01-02"))
    revoked = Terms(d("2026-01-01"), revoked_date=d("2025-04-01"))
    assert refusal([old, revoked], [C.ATTENDANCE]).reason == "revoked"
    newer = Terms(expiry_date=d("2025-05-30"), signed_date=d("2025-01-02"))
    assert refusal([revoked, newer], [C.ATTENDANCE]).reason == "expired"


def test_a_release_signed_after_the_day_does_not_cover_it() -> None:
    r = refusal([Terms(d("2026-01-01"), signed_date=d("2025-06-20"))], [C.ATTENDANCE])
    assert r.reason == "not_yet_signed" and "2025-06-20" in r.message


def test_missing_categories_are_each_named() -> None:
    r = refusal([Terms(d("2026-01-01"))], [C.DIAGNOSIS, C.TREATMENT_PLAN, C.PSYCHOTHERAPY_NOTES])
    assert r.reason == "categories"
    assert r.missing == (C.TREATMENT_PLAN, C.PSYCHOTHERAPY_NOTES)
    assert "treatment plan" in r.message
    assert "psychotherapy notes (covered only by a release that names them)" in r.message
    assert "diagnosis" not in r.message.split("does not cover:")[1]


def test_substance_use_needs_the_category_and_its_specific_consent() -> None:
    not_named = refusal([Terms(d("2026-01-01"))], [C.SUBSTANCE_USE])
    assert not_named.reason == "categories" and "42 CFR Part 2" in not_named.message
    named_without_consent = Terms(d("2026-01-01"), categories="substance_use")
    r = refusal([named_without_consent], [C.SUBSTANCE_USE, C.ATTENDANCE])
    assert r.reason == "categories" and r.missing == (C.ATTENDANCE, C.SUBSTANCE_USE)
    r = refusal([named_without_consent], [C.SUBSTANCE_USE])
    assert r.reason == "substance_use_consent" and "consent" in r.message
    with_consent = Terms(
        d("2026-01-01"), categories="substance_use", substance_use_consent="SUD dx and attendance"
    )
    assert sharing_decision([with_consent], [C.SUBSTANCE_USE], TODAY) is with_consent


def test_a_covering_release_is_chosen_and_expiring_still_covers() -> None:
    expiring = Terms(expiry_date=d("2025-06-15"))
    assert sharing_decision([expiring], [C.ATTENDANCE], TODAY) is expiring
    longer = Terms(expiry_date=d("2026-06-15"))
    narrow = Terms(expiry_date=d("2027-06-15"), categories="attendance")
    assert sharing_decision([expiring, narrow, longer], [C.DIAGNOSIS], TODAY) is longer
    assert sharing_decision([expiring, longer, narrow], [C.ATTENDANCE], TODAY) is narrow
    open_ended = Terms(expiry_date=None)
    assert sharing_decision([longer, open_ended], [C.ATTENDANCE], TODAY) is open_ended


def test_two_releases_that_only_together_cover_are_refused_as_such() -> None:
    a = Terms(d("2026-01-01"), categories="attendance")
    b = Terms(d("2026-01-01"), categories="diagnosis")
    r = refusal([a, b], [C.ATTENDANCE, C.DIAGNOSIS])
    assert r.reason == "categories" and "No single release" in r.message


def test_nothing_requested_is_a_programming_error() -> None:
    with pytest.raises(ValueError):
        sharing_decision([Terms()], [], TODAY)


# -- roles and duplicates ---------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("psychiatrist", CollaboratorRole.PSYCHIATRIST),
        ("Consulting Psychiatrist", CollaboratorRole.PSYCHIATRIST),
        ("Primary-care provider", CollaboratorRole.PRIMARY_CARE),
        ("PCP", CollaboratorRole.PRIMARY_CARE),
        ("Substance Use Counselor", CollaboratorRole.SUBSTANCE_USE_COUNSELLOR),
        ("school counsellor", CollaboratorRole.SCHOOL_COUNSELLOR),
        ("Parole Officer", CollaboratorRole.PROBATION_PAROLE),
        ("probation_parole", CollaboratorRole.PROBATION_PAROLE),
        ("Case Manager II", CollaboratorRole.CASE_MANAGER),
        ("Attorney at law", CollaboratorRole.ATTORNEY),
        ("Hospital chaplain", CollaboratorRole.CLERGY),
        ("Certified Peer Specialist", CollaboratorRole.PEER_SUPPORT),
        ("Family therapist", CollaboratorRole.THERAPIST),
        ("", CollaboratorRole.OTHER),
        ("Dog walker", CollaboratorRole.OTHER),
    ],
)
def test_role_from_text(text: str, role: CollaboratorRole) -> None:
    from mhsw_desktop.domain.care_team import role_from_text

    assert role_from_text(text) is role


@pytest.mark.parametrize(
    ("a", "b", "same"),
    [
        ("(406) 555-0123", "406.555.0123", True),
        ("+1 406 555 0123", "(406) 555-0123", True),
        ("tel:+1-406-555-0123", "4065550123", True),
        ("", "", True),
        ("(406) 555-0123", "", False),
        ("(406) 555-0123", "(406) 555-0124", False),
        ("555-0123", "406-555-0123", True),  # a local number and the same with its area code
        ("555-0123", "1-406-555-0123", False),  # four extra digits: not a country code
        ("55 5012", "406 555 012", False),
    ],
)
def test_same_phone(a: str, b: str, same: bool) -> None:
    assert same_phone(a, b) is same


def test_duplicates_need_the_same_folded_name_and_phone() -> None:
    assert likely_same_collaborator("José  Núñez", "406 555 0188", "jose nunez", "(406) 555-0188")
    assert not likely_same_collaborator("José Núñez", "406 555 0188", "Jose Nunes", "406 555 0188")
    assert not likely_same_collaborator("José Núñez", "406 555 0188", "José Núñez", "406 555 0189")

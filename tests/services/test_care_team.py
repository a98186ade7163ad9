"""The care team on a real vault: the directory, teams, the coordination log, releases and
their follow-ups, the sharing guard and the accounting of disclosures."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import DatabaseError, IntegrityError

from mhsw_desktop.domain.care_team import (
    Category,
    CollaboratorRole,
    ContactMethod,
    ContactMode,
    Direction,
    Disclosure,
    DisclosureMeans,
    Release,
    ReleaseStatus,
)
from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.note import Task
from mhsw_desktop.errors import NotFoundError, UserFacingError, ValidationError
from mhsw_desktop.services import care_team as ct
from mhsw_desktop.services.clients import add_client, discharge_client
from mhsw_desktop.services.tasks import complete_task, list_tasks, today_summary
from mhsw_desktop.vault.vault import Vault

TODAY = date.today()
C = Category


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


OKAFOR = ct.CollaboratorInput(
    name="Maya Okafor",
    role=CollaboratorRole.PSYCHIATRIST,
    credentials="MD",
    organisation="Harbor Lane Clinic",
    phone="(406) 555-0123",
    fax="(406) 555-0124",
    email="maya.okafor@example.org",
    address="12 Quay St\nPort Synth, MT 59000",
    preferred_contact=ContactMethod.FAX,
    notes="Prefers faxed summaries before appointments.",
)
BRANDT = ct.CollaboratorInput(
    name="Theo Brandt", role=CollaboratorRole.PROBATION_PAROLE, phone="406-555-0150"
)


def release(collaborator: uuid.UUID, *categories: Category, **changes: object) -> ct.ReleaseInput:
    base = ct.ReleaseInput(
        collaborator_id=collaborator,
        categories=categories or (C.ATTENDANCE, C.DIAGNOSIS, C.TREATMENT_PLAN),
        purpose="Coordination of care",
        signed_date=days(-10),
        expiry_date=days(355),
    )
    return replace(base, **changes)  # type: ignore[arg-type]


@pytest.fixture
def people(vault: Vault) -> dict[str, uuid.UUID]:
    with vault.unit_of_work() as session:
        return {
            "ana": add_client(session, ClientInput("Ana", "González", date(1990, 2, 3))),
            "ben": add_client(session, ClientInput("Ben", "Ito", date(1985, 6, 7))),
            "okafor": ct.add_collaborator(session, OKAFOR),
            "brandt": ct.add_collaborator(session, BRANDT),
        }


def disclosure_count(vault: Vault) -> int:
    with vault.session() as session:
        return int(session.scalar(select(func.count()).select_from(Disclosure)) or 0)


# -- the directory ------------------------------------------------------------------------
def test_the_directory_lists_by_name_and_round_trips_every_field(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    with vault.session() as session:
        rows = ct.list_collaborators(session)
        assert [r.name for r in rows] == ["Maya Okafor", "Theo Brandt"]
        okafor = ct.get_collaborator(session, people["okafor"])
    assert okafor.data == OKAFOR
    assert okafor.display_name == "Maya Okafor, MD"
    doc = okafor.to_json()
    assert doc["role"] == "psychiatrist" and doc["preferred_contact"] == "fax"
    assert doc["id"] == str(people["okafor"])


def test_the_directory_is_sorted_by_folded_name(vault: Vault) -> None:
    with vault.unit_of_work() as session:
        for name in ("zoe Adams", "Émile Brun", "anna Zorn", "Ömer Celik"):
            ct.add_collaborator(session, ct.CollaboratorInput(name=name))
        assert [r.name for r in ct.list_collaborators(session)] == [
            "anna Zorn",
            "Émile Brun",
            "Ömer Celik",
            "zoe Adams",
        ]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": "  "}, "name", "is required"),
        ({"name": "x" * 201}, "name", "at most 200"),
        ({"name": "Maya\nOkafor"}, "name", "cannot be stored"),
        ({"credentials": "x" * 101}, "credentials", "at most 100"),
        ({"email": "maya at example.org"}, "email", "does not look like an email"),
        ({"phone": "call me"}, "phone", "does not look like a phone"),
        ({"fax": "12"}, "fax", "does not look like a phone"),
        ({"notes": "x" * 4001}, "notes", "at most 4000"),
        ({"address": "x" * 501}, "address", "at most 500"),
        ({"fax": "", "preferred_contact": ContactMethod.FAX}, "preferred_contact", "none is"),
        ({"role": "wizard"}, "role", "is not one of"),
    ],
)
def test_a_collaborator_that_breaks_a_rule_is_refused_by_field(
    vault: Vault, changes: dict[str, object], field: str, message: str
) -> None:
    with vault.unit_of_work() as session:
        with pytest.raises(ValidationError) as caught:
            ct.add_collaborator(session, replace(OKAFOR, **changes))  # type: ignore[arg-type]
        assert field in caught.value.errors and message in caught.value.errors[field]
        assert ct.list_collaborators(session) == []


def test_duplicates_are_found_by_folded_name_and_phone(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    with vault.session() as session:
        twin = ct.CollaboratorInput(name="maya  OKAFOR", phone="+1 406 555 0123")
        assert [r.id for r in ct.likely_duplicate_collaborators(session, twin)] == [
            people["okafor"]
        ]
        other = replace(twin, phone="406 555 0199")
        assert ct.likely_duplicate_collaborators(session, other) == []
        assert ct.likely_duplicate_collaborators(session, twin, exclude=people["okafor"]) == []


def test_update_and_delete_a_collaborator(vault: Vault, people: dict[str, uuid.UUID]) -> None:
    with vault.unit_of_work() as session:
        ct.update_collaborator(session, people["brandt"], replace(BRANDT, organisation="County"))
        assert ct.get_collaborator(session, people["brandt"]).organisation == "County"
        member = ct.add_team_member(session, people["ana"], ct.TeamMemberInput(people["brandt"]))
        with pytest.raises(UserFacingError, match="on 1 client care team"):
            ct.delete_collaborator(session, people["brandt"])
        ct.end_team_membership(session, member, TODAY)
        ct.delete_collaborator(session, people["brandt"], today=days(1))
        assert [r.id for r in ct.list_collaborators(session)] == [people["okafor"]]
        with pytest.raises(NotFoundError):
            ct.get_collaborator(session, people["brandt"])


# -- the team -----------------------------------------------------------------------------
def test_the_team_lists_current_members_first_with_what_may_be_shared(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    ana = people["ana"]
    with vault.unit_of_work() as session:
        third = ct.add_collaborator(session, ct.CollaboratorInput("Lena Park", phone="4065550170"))
        ct.add_team_member(
            session, ana, ct.TeamMemberInput(third, start_date=days(-200), end_date=days(-20))
        )
        ct.add_team_member(session, ana, ct.TeamMemberInput(people["brandt"], primary_contact=True))
        ct.add_team_member(
            session,
            ana,
            ct.TeamMemberInput(people["okafor"], "Prescriber", days(-30), primary_contact=True),
        )
        ct.add_release(session, ana, release(people["okafor"]))
        ct.add_release(
            session, ana, release(people["brandt"], signed_date=days(-400), expiry_date=days(-5))
        )
        team = ct.list_team(session, ana)
    assert [(m.name, m.current, m.primary_contact) for m in team] == [
        ("Maya Okafor", True, True),  # the newest primary contact replaced the first
        ("Theo Brandt", True, False),
        ("Lena Park", False, False),
    ]
    okafor, brandt, park = team
    assert okafor.display_role == "Prescriber" and brandt.display_role.startswith("Probation")
    assert okafor.release_status is ReleaseStatus.ACTIVE
    assert okafor.may_share == (C.ATTENDANCE, C.DIAGNOSIS, C.TREATMENT_PLAN)
    assert brandt.release_status is ReleaseStatus.EXPIRED and brandt.may_share == ()
    assert park.release_status is None and park.release_id is None
    doc = okafor.to_json()
    assert doc["may_share"] == ["attendance", "diagnosis", "treatment_plan"]
    assert doc["release_status"] == "active" and doc["end_date"] is None


def test_team_rules(vault: Vault, people: dict[str, uuid.UUID]) -> None:
    ana, okafor = people["ana"], people["okafor"]
    with vault.unit_of_work() as session:
        member = ct.add_team_member(session, ana, ct.TeamMemberInput(okafor, start_date=days(-9)))
        with pytest.raises(ValidationError, match="already on this client's team"):
            ct.add_team_member(session, ana, ct.TeamMemberInput(okafor))
        with pytest.raises(ValidationError, match="in the future"):
            ct.add_team_member(
                session, ana, ct.TeamMemberInput(people["brandt"], start_date=days(1))
            )
        with pytest.raises(ValidationError, match="before the start date"):
            ct.end_team_membership(session, member, days(-10))
        with pytest.raises(ValidationError, match="at most 100"):
            ct.add_team_member(session, ana, ct.TeamMemberInput(people["brandt"], "x" * 101))
        with pytest.raises(NotFoundError):
            ct.add_team_member(session, ana, ct.TeamMemberInput(uuid.uuid4()))
        with pytest.raises(NotFoundError):
            ct.list_team(session, uuid.uuid4())
        ct.end_team_membership(session, member, days(-1))
        # after the end, the same collaborator may join again
        again = ct.add_team_member(session, ana, ct.TeamMemberInput(okafor))
        ct.update_team_member(session, again, ct.TeamMemberInput(okafor, "Consultant"))
        assert [m.team_role for m in ct.list_team(session, ana)] == ["Consultant", ""]
        ct.remove_team_member(session, again)
        assert len(ct.list_team(session, ana)) == 1


# -- the coordination log -------------------------------------------------------------------
def test_the_coordination_log(vault: Vault, people: dict[str, uuid.UUID]) -> None:
    ana, okafor = people["ana"], people["okafor"]
    with vault.unit_of_work() as session:
        first = ct.add_contact(
            session,
            ana,
            ct.ContactInput(okafor, days(-3), ContactMode.PHONE, Direction.OUTGOING, "Med review"),
        )
        ct.add_contact(
            session,
            ana,
            ct.ContactInput(okafor, TODAY, ContactMode.FAX, Direction.INCOMING, " Labs received "),
        )
        for bad, field in [
            (ct.ContactInput(okafor, days(1), ContactMode.PHONE, Direction.INCOMING, "x"), "date"),
            (ct.ContactInput(okafor, TODAY, ContactMode.PHONE, Direction.INCOMING, " "), "summary"),
            (
                ct.ContactInput(okafor, TODAY, ContactMode.PHONE, Direction.INCOMING, "x" * 4001),
                "summary",
            ),
            (ct.ContactInput(okafor, TODAY, "pigeon", Direction.INCOMING, "x"), "mode"),  # type: ignore[arg-type]
        ]:
            with pytest.raises(ValidationError) as caught:
                ct.add_contact(session, ana, bad)
            assert any(field in name for name in caught.value.errors)
        log = ct.list_contacts(session, ana)
        assert [(c.summary, c.mode, c.direction) for c in log] == [
            ("Labs received", ContactMode.FAX, Direction.INCOMING),
            ("Med review", ContactMode.PHONE, Direction.OUTGOING),
        ]
        assert log[0].collaborator_name == "Maya Okafor, MD"
        assert log[1].to_json()["direction"] == "out"
        ct.update_contact(
            session,
            first,
            ct.ContactInput(okafor, days(-4), ContactMode.MEETING, Direction.OUTGOING, "Case conf"),
        )
        ct.delete_contact(session, log[0].id)
        assert [c.summary for c in ct.list_contacts(session, ana)] == ["Case conf"]
        assert ct.list_contacts(session, people["ben"]) == []


# -- releases -------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"categories": ()}, "categories", "at least one"),
        ({"categories": ("telepathy",)}, "categories", "unknown"),
        ({"purpose": " "}, "purpose", "is required"),
        ({"purpose": "x" * 501}, "purpose", "at most 500"),
        ({"signed_date": days(1)}, "signed_date", "in the future"),
        ({"signed_date": date(1970, 1, 1)}, "signed_date", "not a plausible"),
        ({"expiry_date": days(-11)}, "expiry_date", "before the signed date"),
        ({"expiry_date": None}, "expiry_date", "expiry date or an expiry event"),
        ({"expiry_event": "x" * 501}, "expiry_event", "at most 500"),
        ({"categories": (C.SUBSTANCE_USE,)}, "substance_use_consent", "42 CFR Part 2"),
        ({"substance_use_consent": "SUD records"}, "substance_use_consent", "only when"),
    ],
)
def test_a_release_that_breaks_a_rule_is_refused_by_field(
    vault: Vault, people: dict[str, uuid.UUID], changes: dict[str, object], field: str, message: str
) -> None:
    with vault.unit_of_work() as session:
        data = replace(release(people["okafor"]), **changes)  # type: ignore[arg-type]
        with pytest.raises(ValidationError) as caught:
            ct.add_release(session, people["ana"], data)
        assert message in caught.value.errors[field]
        assert ct.list_releases(session, people["ana"]) == []


def test_releases_list_with_their_computed_status(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    ana, okafor, brandt = people["ana"], people["okafor"], people["brandt"]
    with vault.unit_of_work() as session:
        active = ct.add_release(session, ana, release(okafor))
        event = ct.add_release(
            session,
            ana,
            release(brandt, C.ATTENDANCE, expiry_date=None, expiry_event="End of probation"),
        )
        expiring = ct.add_release(session, ana, release(okafor, C.ASSESSMENTS, expiry_date=TODAY))
        expired = ct.add_release(
            session, ana, release(brandt, signed_date=days(-400), expiry_date=days(-1))
        )
        revoked = ct.add_release(session, ana, release(okafor, C.DIAGNOSIS, signed_date=days(-5)))
        ct.revoke_release(session, revoked, days(-1))
        rows = {r.id: r for r in ct.list_releases(session, ana)}
        assert {i: r.status for i, r in rows.items()} == {
            active: ReleaseStatus.ACTIVE,
            event: ReleaseStatus.ACTIVE,
            expiring: ReleaseStatus.EXPIRING,
            expired: ReleaseStatus.EXPIRED,
            revoked: ReleaseStatus.REVOKED,
        }
        assert rows[expiring].days_left == 0 and rows[event].days_left is None
        doc = rows[event].to_json()
        assert doc["status"] == "active" and doc["expiry_event"] == "End of probation"
        assert doc["categories"] == ["attendance"] and doc["expiry_date"] is None
        # the same rows seen a year on
        later = {r.id: r.status for r in ct.list_releases(session, ana, today=days(400))}
        assert later[active] is ReleaseStatus.EXPIRED and later[event] is ReleaseStatus.ACTIVE
        assert ct.list_releases(session, people["ben"]) == []


def test_revoking_a_release(vault: Vault, people: dict[str, uuid.UUID]) -> None:
    with vault.unit_of_work() as session:
        rid = ct.add_release(session, people["ana"], release(people["okafor"]))
        with pytest.raises(ValidationError, match="in the future"):
            ct.revoke_release(session, rid, days(1))
        with pytest.raises(ValidationError, match="before the signed date"):
            ct.revoke_release(session, rid, days(-11))
        ct.revoke_release(session, rid)
        assert ct.get_release(session, rid).revoked_date == TODAY
        with pytest.raises(ValidationError, match="already revoked"):
            ct.revoke_release(session, rid)
        with pytest.raises(ct.ReleaseLocked, match="revoked"):
            ct.update_release(session, rid, release(people["okafor"]))


def test_a_release_used_for_a_disclosure_is_kept_as_signed(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    ana, okafor = people["ana"], people["okafor"]
    with vault.unit_of_work() as session:
        rid = ct.add_release(session, ana, release(okafor))
        ct.update_release(session, rid, release(okafor, purpose="Medication management"))
        assert ct.get_release(session, rid).purpose == "Medication management"
        ct.record_disclosure(session, ana, okafor, rid, [C.DIAGNOSIS], "fax", "face-sheet")
        with pytest.raises(ct.ReleaseLocked, match="Record a new release"):
            ct.update_release(session, rid, release(okafor, C.PSYCHOTHERAPY_NOTES))
        with pytest.raises(ct.ReleaseLocked, match="Revoke it instead"):
            ct.delete_release(session, rid)
        other = ct.add_release(session, ana, release(okafor))
        ct.delete_release(session, other)
        assert [r.id for r in ct.list_releases(session, ana)] == [rid]


# -- the sharing guard ----------------------------------------------------------------------
REFUSALS = [
    # (releases to record, categories asked for, reason, words in the message)
    ([], [C.DIAGNOSIS], "no_release", "no release of information"),
    (
        [{"signed_date": days(-400), "expiry_date": days(-1)}],
        [C.DIAGNOSIS],
        "expired",
        f"expired on {days(-1).isoformat()}",
    ),
    ([{"revoke": days(-2)}], [C.DIAGNOSIS], "revoked", f"revoked on {days(-2).isoformat()}"),
    ([{}], [C.DIAGNOSIS, C.PROGRESS_SUMMARIES], "categories", "does not cover: progress summaries"),
    (
        [
            {
                "categories": tuple(c for c in Category if c not in (C.PSYCHOTHERAPY_NOTES,)),
                "substance_use_consent": "SUD treatment attendance",
            }
        ],
        [C.PROGRESS_SUMMARIES, C.PSYCHOTHERAPY_NOTES],
        "categories",
        "psychotherapy notes (covered only by a release that names them)",
    ),
    ([{}], [C.SUBSTANCE_USE], "categories", "42 CFR Part 2"),
]


@pytest.mark.parametrize(("recorded", "wanted", "reason", "words"), REFUSALS)
def test_the_guard_refuses_and_nothing_is_recorded(
    vault: Vault,
    people: dict[str, uuid.UUID],
    recorded: list[dict[str, object]],
    wanted: list[Category],
    reason: str,
    words: str,
) -> None:
    ana, okafor = people["ana"], people["okafor"]
    with vault.unit_of_work() as session:
        for terms in recorded:
            changes = dict(terms)
            revoke = changes.pop("revoke", None)
            rid = ct.add_release(session, ana, release(okafor, **changes))
            if revoke is not None:
                ct.revoke_release(session, rid, revoke)  # type: ignore[arg-type]
    with pytest.raises(ct.SharingRefused) as caught, vault.unit_of_work() as session:
        release_id = ct.check_sharing(session, ana, okafor, wanted)
        ct.record_disclosure(session, ana, okafor, release_id, wanted, "pdf", "record")
    refused = caught.value
    assert refused.reason == reason and words in str(refused), str(refused)
    assert refused.exit_code == 1 and isinstance(refused, UserFacingError)
    assert "Nothing was shared." in str(refused)
    assert "González" not in str(refused) and "Ana" not in str(refused)
    assert disclosure_count(vault) == 0
    with vault.session() as session:
        assert ct.list_disclosures(session, ana) == []


def test_substance_use_is_shared_only_with_its_specific_consent(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    ana, okafor = people["ana"], people["okafor"]
    with vault.unit_of_work() as session:
        rid = ct.add_release(
            session,
            ana,
            release(okafor, C.SUBSTANCE_USE, substance_use_consent="Diagnosis and attendance"),
        )
        assert ct.check_sharing(session, ana, okafor, [C.SUBSTANCE_USE]) == rid
        # a release stored without its consent (e.g. by an older version) does not cover it
        stored = session.get(Release, rid)
        assert stored is not None
        stored.substance_use_consent = ""
        with pytest.raises(ct.SharingRefused) as caught:
            ct.check_sharing(session, ana, okafor, ["substance_use"])
        assert caught.value.reason == "substance_use_consent"
        assert caught.value.missing == (C.SUBSTANCE_USE,)


def test_a_covering_release_lets_it_through_and_it_is_recorded(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    ana, okafor = people["ana"], people["okafor"]
    with vault.unit_of_work() as session:
        ct.add_release(session, ana, release(okafor, C.ATTENDANCE))
        rid = ct.add_release(
            session, ana, release(okafor, C.DIAGNOSIS, C.PSYCHOTHERAPY_NOTES, signed_date=days(-2))
        )
    with vault.unit_of_work() as session:
        assert ct.check_sharing(session, ana, okafor, ["psychotherapy_notes"]) == rid
        first = ct.record_disclosure(
            session, ana, okafor, rid, [C.PSYCHOTHERAPY_NOTES, C.DIAGNOSIS], "fax", "record"
        )
        second = ct.record_disclosure(
            session,
            ana,
            okafor,
            rid,
            [C.DIAGNOSIS],
            DisclosureMeans.VERBAL,
            "Phone call: diagnosis confirmed",
            when=days(-1),
        )
        # the directory changes later; the accounting keeps the recipient as they were
        ct.update_collaborator(session, okafor, replace(OKAFOR, organisation="Elsewhere"))
    with vault.session() as session:
        rows = ct.list_disclosures(session, ana)
        assert ct.list_disclosures(session, people["ben"]) == []
    assert [r.id for r in rows] == [first, second]
    latest = rows[0]
    assert latest.categories == (C.DIAGNOSIS, C.PSYCHOTHERAPY_NOTES)
    assert latest.means is DisclosureMeans.FAX and latest.what == "record"
    assert latest.recipient_name == "Maya Okafor, MD"
    assert latest.recipient_organisation == "Harbor Lane Clinic"
    assert latest.purpose == "Coordination of care" and latest.disclosed_on == TODAY
    assert rows[1].disclosed_on == days(-1)
    doc = latest.to_json()
    assert doc["categories"] == ["diagnosis", "psychotherapy_notes"] and doc["means"] == "fax"
    assert set(doc) >= {"recipient_name", "release_id", "disclosed_on", "recorded_at"}


def test_record_disclosure_checks_its_release_and_fields(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    ana, ben, okafor, brandt = people["ana"], people["ben"], people["okafor"], people["brandt"]
    with vault.unit_of_work() as session:
        rid = ct.add_release(session, ana, release(okafor, C.DIAGNOSIS))
        bens = ct.add_release(session, ben, release(okafor, C.DIAGNOSIS, C.ASSESSMENTS))
    cases: list[tuple[tuple[object, ...], dict[str, object], type[Exception], str]] = [
        ((ana, okafor, bens, [C.DIAGNOSIS], "pdf", "record"), {}, ValidationError, "release"),
        ((ana, brandt, rid, [C.DIAGNOSIS], "pdf", "record"), {}, ValidationError, "release"),
        ((ana, okafor, rid, [C.ASSESSMENTS], "pdf", "record"), {}, ct.SharingRefused, "assess"),
        ((ana, okafor, rid, [], "pdf", "record"), {}, ValidationError, "at least one"),
        ((ana, okafor, rid, [C.DIAGNOSIS], "carrier pigeon", "x"), {}, ValidationError, "means"),
        ((ana, okafor, rid, [C.DIAGNOSIS], "pdf", " "), {}, ValidationError, "what"),
        ((ana, okafor, rid, [C.DIAGNOSIS], "pdf", "x" * 201), {}, ValidationError, "at most 200"),
        ((ana, okafor, rid, [C.DIAGNOSIS], "pdf", "r"), {"when": days(1)}, ValidationError,
         "future"),
        ((ana, okafor, rid, [C.DIAGNOSIS], "pdf", "r"), {"when": days(-20)}, ct.SharingRefused,
         "after"),  # the release was signed after that day
        ((ana, okafor, uuid.uuid4(), [C.DIAGNOSIS], "pdf", "r"), {}, NotFoundError, "release"),
    ]  # fmt: skip
    for args, kwargs, error, words in cases:
        with pytest.raises(error) as caught, vault.unit_of_work() as session:
            ct.record_disclosure(session, *args, **kwargs)  # type: ignore[arg-type]
        assert words in str(caught.value), (args, str(caught.value))
    assert disclosure_count(vault) == 0


def test_unknown_people_are_not_found(vault: Vault, people: dict[str, uuid.UUID]) -> None:
    with vault.session() as session:
        with pytest.raises(NotFoundError, match="collaborator"):
            ct.check_sharing(session, people["ana"], uuid.uuid4(), [C.DIAGNOSIS])
        with pytest.raises(NotFoundError, match="client"):
            ct.check_sharing(session, uuid.uuid4(), people["okafor"], [C.DIAGNOSIS])
        with pytest.raises(ValidationError, match="at least one"):
            ct.check_sharing(session, people["ana"], people["okafor"], [])


def test_the_accounting_of_disclosures_is_append_only(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    ana, okafor = people["ana"], people["okafor"]
    with vault.unit_of_work() as session:
        rid = ct.add_release(session, ana, release(okafor))
        ct.record_disclosure(session, ana, okafor, rid, [C.ATTENDANCE], "letter", "attendance")
    for statement in (
        "UPDATE disclosures SET what = 'something else'",
        "UPDATE disclosures SET deleted_at = '2025-01-01 00:00:00'",
        "DELETE FROM disclosures",
    ):
        with (
            pytest.raises((IntegrityError, DatabaseError), match="append-only"),
            vault.engine.begin() as conn,
        ):
            conn.exec_driver_sql(statement)
    assert disclosure_count(vault) == 1


# -- follow-ups and the Today view --------------------------------------------------------------
def open_followups(vault: Vault) -> list[tuple[str, date]]:
    with vault.session() as session:
        return [(t.title, t.due_date) for t in list_tasks(session, "open")]


def test_a_release_gets_one_follow_up_due_when_it_starts_expiring(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    ana, okafor = people["ana"], people["okafor"]
    expiry = days(100)
    title = f"Release of information expires {expiry.isoformat()}: renew or close"
    with vault.unit_of_work() as session:
        rid = ct.add_release(session, ana, release(okafor, expiry_date=expiry))
    assert open_followups(vault) == [(title, days(71))]  # the first of its last 30 days
    with vault.session() as session:
        assert today_summary(session, days(70)).due_today == []
        summary = today_summary(session, days(71))
        assert [t.title for t in summary.due_today] == [title]
        assert summary.due_today[0].client_id == ana
    # saving it again changes nothing; a new expiry date moves the one follow-up
    with vault.unit_of_work() as session:
        ct.update_release(session, rid, release(okafor, expiry_date=expiry))
    assert open_followups(vault) == [(title, days(71))]
    with vault.unit_of_work() as session:
        ct.update_release(session, rid, release(okafor, expiry_date=days(10)))
    assert open_followups(vault) == [
        (f"Release of information expires {days(10).isoformat()}: renew or close", TODAY)
    ]
    # revoked: the follow-up is withdrawn
    with vault.unit_of_work() as session:
        ct.revoke_release(session, rid)
    assert open_followups(vault) == []
    with vault.session() as session:
        assert session.scalar(select(func.count()).select_from(Task)) == 2  # tombstones


def test_no_follow_up_without_an_expiry_date_or_once_expired(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    with vault.unit_of_work() as session:
        ct.add_release(
            session,
            people["ana"],
            release(people["okafor"], expiry_date=None, expiry_event="Discharge"),
        )
        ct.add_release(
            session,
            people["ana"],
            release(people["brandt"], signed_date=days(-400), expiry_date=days(-1)),
        )
    assert open_followups(vault) == []


def test_a_renewal_settles_the_earlier_follow_up(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    ana, okafor = people["ana"], people["okafor"]
    with vault.unit_of_work() as session:
        ct.add_release(session, ana, release(okafor, C.ATTENDANCE, expiry_date=days(5)))
        narrower = ct.add_release(session, ana, release(okafor, C.DIAGNOSIS, expiry_date=days(6)))
    assert len(open_followups(vault)) == 2
    with vault.unit_of_work() as session:
        renewal = ct.add_release(
            session, ana, release(okafor, C.ATTENDANCE, signed_date=TODAY, expiry_date=days(365))
        )
        assert [r.id for r in ct.releases_needing_attention(session)] == [narrower]
    # the renewal's own follow-up (far off) and the uncovered release's remain open
    assert [due for _title, due in open_followups(vault)] == [TODAY, days(336)]
    with vault.session() as session:
        assert ct.get_release(session, renewal).followup_task_id is not None


def test_releases_needing_attention(vault: Vault, people: dict[str, uuid.UUID]) -> None:
    ana, ben, okafor, brandt = people["ana"], people["ben"], people["okafor"], people["brandt"]
    with vault.unit_of_work() as session:
        soon = ct.add_release(session, ana, release(okafor, expiry_date=days(3)))
        lapsed = ct.add_release(
            session, ana, release(brandt, signed_date=days(-300), expiry_date=days(-10))
        )
        ct.add_release(session, ana, release(brandt, signed_date=days(-500), expiry_date=days(-91)))
        assess = ct.add_release(session, ana, release(okafor, C.ASSESSMENTS, expiry_date=days(31)))
        revoked = ct.add_release(session, ana, release(brandt, C.ASSESSMENTS, expiry_date=days(2)))
        ct.revoke_release(session, revoked)
        ct.add_release(
            session, ana, release(okafor, C.ATTENDANCE, expiry_date=None, expiry_event="Discharge")
        )
        bens = ct.add_release(session, ben, release(okafor, expiry_date=TODAY))
        rows = ct.releases_needing_attention(session)
        assert [(r.id, r.status) for r in rows] == [
            (lapsed, ReleaseStatus.EXPIRED),
            (bens, ReleaseStatus.EXPIRING),
            (soon, ReleaseStatus.EXPIRING),
        ]
        assert rows[1].client_name == "Ito, Ben" and rows[1].collaborator_name == "Maya Okafor, MD"
        discharge_client(session, ben, TODAY, "Moved away")
        assert [r.id for r in ct.releases_needing_attention(session)] == [lapsed, soon]
        # a later day: the lapsed one has aged out, the others have expired
        later = ct.releases_needing_attention(session, days(85))
        assert [(r.id, r.status) for r in later] == [
            (soon, ReleaseStatus.EXPIRED),
            (assess, ReleaseStatus.EXPIRED),
        ]


def test_a_done_follow_up_is_not_reopened_by_saving_again(
    vault: Vault, people: dict[str, uuid.UUID]
) -> None:
    ana, okafor = people["ana"], people["okafor"]
    with vault.unit_of_work() as session:
        rid = ct.add_release(session, ana, release(okafor, expiry_date=days(5)))
        task = ct.get_release(session, rid).followup_task_id
        assert task is not None
        complete_task(session, task)
        ct.update_release(session, rid, release(okafor, expiry_date=days(5), purpose="Care"))
    assert open_followups(vault) == []


# -- the migration --------------------------------------------------------------------------
def test_a_vault_from_0003_gains_the_care_team(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """0004_care_team: an older vault keeps its clients and gets empty care-team tables."""
    from mhsw_desktop.vault import schema
    from tests.support import PASSPHRASE, add_client_to_old_vault, older_vault

    before = "0003_practice_settings"
    folder = tmp_path / "vault"
    made = older_vault(tmp_path, monkeypatch, before)
    with made, made.unit_of_work() as session:
        assert made.info.schema_revision == before
        client = add_client_to_old_vault(session, "Ana", "González", date(1990, 2, 3))
    monkeypatch.undo()

    with Vault.open(folder, PASSPHRASE) as opened:
        assert opened.info.schema_revision == schema.HEAD
        assert opened.verify().ok
        with opened.unit_of_work() as session:
            assert ct.list_team(session, client) == []
            okafor = ct.add_collaborator(session, OKAFOR)
            rid = ct.add_release(session, client, release(okafor))
            ct.record_disclosure(session, client, okafor, rid, [C.DIAGNOSIS], "pdf", "face-sheet")
        with opened.session() as session:
            assert len(ct.list_disclosures(session, client)) == 1
    (backup,) = (folder / "backups").iterdir()
    assert backup.name.startswith(f"pre-upgrade-{before}-")

"""Treatment plans on a real vault: drafts edited item by item, signing that freezes (the
service refuses and so does the database), reviews as new versions, differences in words,
notes linked to goals, the client's signature date and the review that falls due."""

from __future__ import annotations

import uuid
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy.exc import IntegrityError

from mhsw_desktop.domain.client_rules import ClientInput
from mhsw_desktop.domain.plans import GoalStatus, PlanGoal, VersionStatus
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.services import treatment_plans as tp
from mhsw_desktop.services.clients import add_client
from mhsw_desktop.services.notes import NoteInput, create_draft
from mhsw_desktop.services.practitioner import Signer
from mhsw_desktop.services.treatment_plans import (
    REVIEW_INTERVAL_DAYS,
    GoalInput,
    InterventionInput,
    ObjectiveInput,
    PlanSignedError,
    ProblemInput,
    VersionInput,
)
from mhsw_desktop.vault.vault import Vault

TODAY = date(2025, 6, 2)
SIGNER = Signer("Avery Lindqvist", "LCSW", "CA-LCSW-90210")
NOON = datetime(2025, 6, 2, 16, 0)


@pytest.fixture
def client(vault: Vault) -> uuid.UUID:
    with vault.unit_of_work() as session:
        return add_client(session, ClientInput("Ana", "González", date(1985, 3, 14)))


def build_plan(vault: Vault, client: uuid.UUID) -> dict[str, uuid.UUID]:
    """Version 1 with one problem, goal, objective and intervention; ids by name."""
    with vault.unit_of_work() as s:
        version = tp.create_plan(s, client, plan_date=TODAY, summary="Low mood", today=TODAY)
        problem = tp.add_problem(s, version, ProblemInput("Depressed mood most days"))
        goal = tp.add_goal(
            s, problem, GoalInput("PHQ-9 below 10", measure_kind="PHQ9", target_score=9)
        )
        objective = tp.add_objective(
            s, goal, ObjectiveInput("Walk 20 minutes, 5 days a week", TODAY + timedelta(30)),
            today=TODAY,
        )  # fmt: skip
        intervention = tp.add_intervention(
            s, goal, InterventionInput("Behavioural activation", "Clinician", "Weekly",
                                       objective),
        )  # fmt: skip
    return {"version": version, "problem": problem, "goal": goal, "objective": objective,
            "intervention": intervention}  # fmt: skip


def test_a_new_plan_is_a_draft_version_1_reviewed_after_the_interval(
    vault: Vault, client: uuid.UUID
) -> None:
    ids = build_plan(vault, client)
    with vault.session() as s:
        plan = tp.get_plan(s, client, TODAY)
    assert plan is not None
    v = plan.current
    assert (v.version_number, v.status, v.signed) == (1, VersionStatus.DRAFT, False)
    assert v.review_date == TODAY + timedelta(days=REVIEW_INTERVAL_DAYS)
    assert plan.draft is v and not plan.review_overdue
    (problem,) = v.problems
    (goal,) = problem.goals
    assert (goal.measure_kind, goal.target_score) == ("phq9", 9)
    assert goal.status == GoalStatus.NOT_STARTED
    assert goal.objectives[0].target_date == TODAY + timedelta(30)
    assert goal.interventions[0].responsible == "Clinician"
    assert goal.interventions[0].objective_id == ids["objective"]
    with vault.unit_of_work() as s, pytest.raises(ValidationError, match="already has"):
        tp.create_plan(s, client, today=TODAY)


def test_input_is_checked_with_clear_messages(vault: Vault, client: uuid.UUID) -> None:
    ids = build_plan(vault, client)
    cases = [
        (lambda s: tp.add_problem(s, ids["version"], ProblemInput("  ")), "problem: is required"),
        (
            lambda s: tp.add_goal(s, ids["problem"], GoalInput("x" * 4001)),
            "goal: is 4001 characters long; at most 4000 fit",
        ),
        (
            lambda s: tp.add_intervention(s, ids["goal"], InterventionInput("CBT", "r" * 201)),
            "responsible: is 201 characters long",
        ),
        (
            lambda s: tp.update_version(
                s, ids["version"], VersionInput(TODAY + timedelta(1), None), today=TODAY
            ),
            "plan date: 2025-06-03 is in the future",
        ),
        (
            lambda s: tp.update_version(s, ids["version"], VersionInput(TODAY, TODAY), today=TODAY),
            "review date: must be after the plan date",
        ),
        (
            lambda s: tp.add_goal(s, ids["problem"], GoalInput("Sleep", target_score=5)),
            "target score: needs the measure",
        ),
        (
            lambda s: tp.add_objective(
                s, ids["goal"], ObjectiveInput("Old", date(1980, 1, 1)), today=TODAY
            ),
            "implausibly early",
        ),
    ]
    for call, message in cases:
        with pytest.raises(ValidationError, match=message), vault.unit_of_work() as s:
            call(s)
    with pytest.raises(NotFoundError), vault.unit_of_work() as s:
        tp.update_goal(s, uuid.uuid4(), GoalInput("x"))


def test_signing_freezes_in_the_service_and_in_the_database(
    vault: Vault, client: uuid.UUID
) -> None:
    ids = build_plan(vault, client)
    with vault.unit_of_work() as s:
        problem = tp.add_problem(s, ids["version"], ProblemInput("Isolation"))
    with pytest.raises(ValidationError, match="every problem needs"), vault.unit_of_work() as s:
        tp.sign_version(s, ids["version"], SIGNER, now=NOON)
    with vault.unit_of_work() as s:
        tp.remove_item(s, "problem", problem)
        digest = tp.sign_version(s, ids["version"], SIGNER, now=NOON)
    with vault.session() as s:
        v = tp.get_version(s, ids["version"])
    assert v.signed and v.content_hash == digest and len(digest) == 64
    assert (v.signer_name, v.signer_credentials, v.signer_licence) == (
        "Avery Lindqvist", "LCSW", "CA-LCSW-90210")  # fmt: skip
    for call in (
        lambda s: tp.update_goal(s, ids["goal"], GoalInput("Changed")),
        lambda s: tp.add_problem(s, ids["version"], ProblemInput("New")),
        lambda s: tp.remove_item(s, "intervention", ids["intervention"]),
        lambda s: tp.update_version(s, ids["version"], VersionInput(TODAY, None), today=TODAY),
        lambda s: tp.sign_version(s, ids["version"], SIGNER),
    ):
        with pytest.raises(PlanSignedError, match="Start a review"), vault.unit_of_work() as s:
            call(s)
    # below the service: the trigger refuses whoever writes
    with pytest.raises(IntegrityError, match="immutable"), vault.unit_of_work() as s:
        row = s.get(PlanGoal, ids["goal"])
        assert row is not None
        row.status = "met"


def test_the_client_signature_date_once_and_never_in_the_future(
    vault: Vault, client: uuid.UUID
) -> None:
    ids = build_plan(vault, client)
    version = ids["version"]
    with pytest.raises(ValidationError, match="sign the plan yourself"), vault.unit_of_work() as s:
        tp.record_client_signature(s, version, TODAY, today=TODAY)
    with vault.unit_of_work() as s:
        tp.sign_version(s, version, SIGNER, now=NOON)
    with pytest.raises(ValidationError, match="in the future"), vault.unit_of_work() as s:
        tp.record_client_signature(s, version, TODAY + timedelta(1), today=TODAY)
    with pytest.raises(ValidationError, match="before the plan date"), vault.unit_of_work() as s:
        tp.record_client_signature(s, version, TODAY - timedelta(1), today=TODAY)
    with vault.unit_of_work() as s:
        tp.record_client_signature(s, version, TODAY, today=TODAY)
    with pytest.raises(ValidationError, match="already recorded"), vault.unit_of_work() as s:
        tp.record_client_signature(s, version, TODAY, today=TODAY)
    with vault.session() as s:
        assert tp.get_version(s, version).client_signed_on == TODAY


def test_a_review_makes_version_2_from_the_signed_one_and_the_diff_says_what_changed(
    vault: Vault, client: uuid.UUID
) -> None:
    ids = build_plan(vault, client)
    with pytest.raises(ValidationError, match="still a draft"), vault.unit_of_work() as s:
        tp.start_review(s, client, today=TODAY)
    with vault.unit_of_work() as s:
        tp.sign_version(s, ids["version"], SIGNER, now=NOON)
    later = TODAY + timedelta(days=80)
    with vault.unit_of_work() as s:
        second = tp.start_review(s, client, today=later)
    with vault.session() as s:
        plan = tp.get_plan(s, client, later)
        assert plan is not None
        v2 = plan.current
    assert (v2.version_number, v2.status, v2.plan_date) == (2, VersionStatus.DRAFT, later)
    assert v2.review_date == later + timedelta(days=REVIEW_INTERVAL_DAYS)
    assert [r.version_number for r in plan.versions] == [2, 1]
    goal = v2.problems[0].goals[0]
    assert goal.id != ids["goal"] and goal.lineage_id == ids["goal"]
    assert goal.interventions[0].objective_id == goal.objectives[0].id
    with vault.unit_of_work() as s:
        tp.update_goal(s, goal.id, GoalInput("PHQ-9 below 10", GoalStatus.IN_PROGRESS, "phq9", 9))
        tp.update_objective(
            s, goal.objectives[0].id, ObjectiveInput("Walk 30 minutes, 5 days a week",
                                                     later + timedelta(30)), today=later
        )  # fmt: skip
        tp.remove_item(s, "intervention", goal.interventions[0].id)
        tp.add_intervention(s, goal.id, InterventionInput("Sleep hygiene", "Client", "Daily"))
        tp.add_problem(s, second, ProblemInput("Housing insecurity"))
        changes = tp.diff_versions(s, ids["version"], second)
    assert changes == [
        "Plan date changed from 2025-06-02 to 2025-08-21.",
        "Review date changed from 2025-08-31 to 2025-11-19.",
        "Goal “PHQ-9 below 10”: status changed from not started to in progress.",
        "Objective “Walk 20 minutes, 5 days a week” reworded: now “Walk 30 minutes, 5 days a "
        "week”.",
        "Objective “Walk 30 minutes, 5 days a week”: target date changed from 2025-07-02 to "
        "2025-09-20.",
        "Intervention added: “Sleep hygiene”.",
        "Intervention removed: “Behavioural activation”.",
        "Problem added: “Housing insecurity”.",
    ]
    # the signed version is untouched
    with vault.session() as s:
        first = tp.get_version(s, ids["version"])
    assert first.problems[0].goals[0].interventions[0].description == "Behavioural activation"


def test_review_overdue_from_the_day_after_the_review_date(vault: Vault, client: uuid.UUID) -> None:
    ids = build_plan(vault, client)
    with vault.unit_of_work() as s:
        tp.sign_version(s, ids["version"], SIGNER, now=NOON)
    due = TODAY + timedelta(days=REVIEW_INTERVAL_DAYS)
    with vault.session() as s:
        on_the_day = tp.get_plan(s, client, due)
        day_after = tp.get_plan(s, client, due + timedelta(days=1))
        assert tp.plans_due_for_review(s, due) == []
        (late,) = tp.plans_due_for_review(s, due + timedelta(days=3))
    assert on_the_day is not None and day_after is not None
    assert (on_the_day.review_due, on_the_day.review_overdue) == (due, False)
    assert day_after.review_overdue
    assert (late.client_name, late.days_overdue, late.version_number) == ("González, Ana", 3, 1)
    # a review in progress does not stop the clock: the signed version's date still counts
    with vault.unit_of_work() as s:
        tp.start_review(s, client, today=due + timedelta(days=1))
    with vault.session() as s:
        plan = tp.get_plan(s, client, due + timedelta(days=1))
    assert plan is not None and plan.review_overdue and plan.review_due == due


def test_notes_link_to_goals_and_follow_them_across_versions(
    vault: Vault, client: uuid.UUID
) -> None:
    ids = build_plan(vault, client)
    with vault.unit_of_work() as s:
        other = add_client(s, ClientInput("Earl", "Pruitt", date(1950, 6, 7)))
        note = create_draft(s, NoteInput(client, TODAY, "soap"), today=TODAY)
        stranger = create_draft(s, NoteInput(other, TODAY, "soap"), today=TODAY)
        first = tp.link_note(s, note, ids["goal"])
        assert tp.link_note(s, note, ids["goal"]) == first  # once is enough
        tp.sign_version(s, ids["version"], SIGNER, now=NOON)
    with pytest.raises(ValidationError, match="another client"), vault.unit_of_work() as s:
        tp.link_note(s, stranger, ids["goal"])
    with vault.unit_of_work() as s:
        tp.start_review(s, client, today=TODAY)
        plan = tp.get_plan(s, client, TODAY)
        assert plan is not None
        goal = plan.current.problems[0].goals[0]
        assert [n.note_id for n in goal.notes] == [note]
        assert tp.goals_of_note(s, note) == [ids["goal"]]
        tp.unlink_note(s, note, goal.id)  # by lineage: the link to version 1's goal goes
        assert tp.goals_of_note(s, note) == []


def test_removing_a_goal_takes_what_is_under_it(vault: Vault, client: uuid.UUID) -> None:
    ids = build_plan(vault, client)
    with vault.unit_of_work() as s:
        tp.remove_item(s, "objective", ids["objective"])
        v = tp.get_version(s, ids["version"])
        assert v.problems[0].goals[0].interventions[0].objective_id is None
        tp.remove_item(s, "goal", ids["goal"])
        v = tp.get_version(s, ids["version"])
    assert v.problems[0].goals == ()
    with pytest.raises(ValidationError, match="kind"), vault.unit_of_work() as s:
        tp.remove_item(s, "plan", ids["version"])


def test_a_review_can_be_discarded_and_version_1_cannot(vault: Vault, client: uuid.UUID) -> None:
    ids = build_plan(vault, client)
    with pytest.raises(ValidationError, match="version 1 is the plan"), vault.unit_of_work() as s:
        tp.discard_review(s, ids["version"])
    with vault.unit_of_work() as s:
        tp.sign_version(s, ids["version"], SIGNER, now=NOON)
        second = tp.start_review(s, client, today=TODAY)
        tp.add_problem(s, second, ProblemInput("Started by mistake"))
        tp.discard_review(s, second)
        plan = tp.get_plan(s, client, TODAY)
        assert plan is not None
        assert [v.version_number for v in plan.versions] == [1]
        assert plan.current.id == ids["version"] and plan.current.signed
        third = tp.start_review(s, client, today=TODAY)  # a discarded number is not reused
        assert tp.get_version(s, third).version_number == 3
    with pytest.raises(PlanSignedError), vault.unit_of_work() as s:
        tp.discard_review(s, ids["version"])

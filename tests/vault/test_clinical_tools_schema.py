"""0005_clinical_tools: signed plan and safety-plan versions are frozen below the services."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mhsw_desktop.domain.models import (
    Client,
    PlanGoal,
    PlanProblem,
    SafetyPlan,
    SafetyPlanVersion,
    TreatmentPlan,
    TreatmentPlanVersion,
)
from mhsw_desktop.vault.vault import Vault
from tests.support import PASSPHRASE

SIGNED = datetime(2025, 3, 4, 15, 0)


@pytest.fixture
def vault(vault_folder: tuple[Path, str]) -> Iterator[Vault]:
    opened = Vault.open(vault_folder[0], PASSPHRASE)
    try:
        yield opened
    finally:
        opened.lock()


def _client_id(vault: Vault) -> uuid.UUID:
    with vault.session() as session:
        return session.scalars(select(Client.id)).one()


def _treatment_plan(vault: Vault, *, signed: bool) -> tuple[uuid.UUID, uuid.UUID, uuid.UUID]:
    """(version id, problem id, goal id) of a one-goal plan, signed or a draft."""
    client_id = _client_id(vault)
    with vault.unit_of_work() as session:
        plan = TreatmentPlan(client_id=client_id)
        session.add(plan)
        session.flush()
        version = TreatmentPlanVersion(
            plan_id=plan.id, version_number=1, plan_date=date(2025, 3, 4)
        )
        session.add(version)
        session.flush()
        problem = PlanProblem(
            version_id=version.id, lineage_id=uuid.uuid4(), description="Low mood"
        )
        session.add(problem)
        session.flush()
        goal = PlanGoal(
            version_id=version.id,
            problem_id=problem.id,
            lineage_id=uuid.uuid4(),
            description="PHQ-9 below 10 by June",
            measure_kind="phq9",
            target_score=9,
        )
        session.add(goal)
        session.flush()
        if signed:
            version.status = "signed"
            version.signed_at = SIGNED
            version.signer_name = "Avery Lindqvist"
            version.content_hash = "0" * 64
        return version.id, problem.id, goal.id


def test_a_draft_plan_can_change_and_a_signed_one_cannot(vault: Vault) -> None:
    draft, _, draft_goal = _treatment_plan(vault, signed=False)
    with vault.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE plan_goals SET status = 'met' WHERE id = ?", (draft_goal.hex,))
        conn.exec_driver_sql(
            "UPDATE treatment_plan_versions SET summary = 'x' WHERE id = ?", (draft.hex,)
        )

    version, problem, goal = _treatment_plan(vault, signed=True)
    ident = (version.hex,)
    for sql, args in (
        ("UPDATE treatment_plan_versions SET summary = 'rewritten' WHERE id = ?", ident),
        (
            "UPDATE treatment_plan_versions SET signed_at = NULL, status = 'draft' WHERE id = ?",
            ident,
        ),
        ("UPDATE treatment_plan_versions SET deleted_at = '2025-03-05' WHERE id = ?", ident),
        ("DELETE FROM treatment_plan_versions WHERE id = ?", ident),
        ("UPDATE plan_goals SET status = 'met' WHERE id = ?", (goal.hex,)),
        ("UPDATE plan_problems SET description = 'x' WHERE id = ?", (problem.hex,)),
        ("DELETE FROM plan_goals WHERE id = ?", (goal.hex,)),
        ("UPDATE plan_goals SET version_id = ? WHERE id = ?", (version.hex, draft_goal.hex)),
        (
            "INSERT INTO plan_objectives (id, created_at, updated_at, version_id, goal_id,"
            " lineage_id, position, description, status)"
            " VALUES (?, '2025-03-05', '2025-03-05', ?, ?, ?, 0, 'Walk daily', 'not_started')",
            (uuid.uuid4().hex, version.hex, goal.hex, uuid.uuid4().hex),
        ),
    ):
        with pytest.raises(IntegrityError, match="immutable"), vault.engine.begin() as conn:
            conn.exec_driver_sql(sql, args)
    with pytest.raises(IntegrityError, match="immutable"), vault.unit_of_work() as session:
        row = session.get(PlanGoal, goal)
        assert row is not None
        row.description = "changed through the ORM"


def test_the_client_signature_date_is_recorded_once(vault: Vault) -> None:
    version, _, _ = _treatment_plan(vault, signed=True)
    sql = "UPDATE treatment_plan_versions SET client_signed_on = ? WHERE id = ?"
    with vault.engine.begin() as conn:
        conn.exec_driver_sql(sql, ("2025-03-06", version.hex))
    with pytest.raises(IntegrityError, match="immutable"), vault.engine.begin() as conn:
        conn.exec_driver_sql(sql, ("2025-03-07", version.hex))


def test_a_signed_safety_plan_is_frozen(vault: Vault) -> None:
    client_id = _client_id(vault)
    with vault.unit_of_work() as session:
        plan = SafetyPlan(client_id=client_id)
        session.add(plan)
        session.flush()
        version = SafetyPlanVersion(
            plan_id=plan.id,
            version_number=1,
            plan_date=date(2025, 3, 4),
            warning_signs='["Not sleeping"]',
            status="signed",
            signed_at=SIGNED,
            signer_name="Avery Lindqvist",
        )
        session.add(version)
        session.flush()
        version_id = version.id
    for sql in (
        "UPDATE safety_plan_versions SET warning_signs = '[]' WHERE id = ?",
        "UPDATE safety_plan_versions SET likelihood_of_use = 3 WHERE id = ?",
        "DELETE FROM safety_plan_versions WHERE id = ?",
    ):
        with pytest.raises(IntegrityError, match="immutable"), vault.engine.begin() as conn:
            conn.exec_driver_sql(sql, (version_id.hex,))
    with pytest.raises(IntegrityError, match="likelihood_of_use"), vault.unit_of_work() as s:
        s.add(
            SafetyPlanVersion(
                plan_id=plan.id, version_number=2, plan_date=date(2025, 4, 1), likelihood_of_use=11
            )
        )

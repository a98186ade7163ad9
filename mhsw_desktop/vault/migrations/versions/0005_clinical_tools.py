"""Clinical tools: measures and their events, treatment plans, safety plans, resources, referrals.

Revision ID: 0005_clinical_tools
Revises: 0004_care_team

Signed treatment-plan and safety-plan versions are frozen by triggers as well as by the
services, as signed notes are (0002): a signed version's content cannot change, it
cannot be deleted, and nothing under a signed treatment-plan version (problems, goals,
objectives, interventions) can be added, changed or deleted. The client's signature
date may still be recorded once after signing.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_clinical_tools"
down_revision = "0004_care_team"
branch_labels = None
depends_on = None

EVENT_KINDS = ("medication_change", "crisis", "discharge", "other")
VERSION_STATUSES = ("draft", "signed")
GOAL_STATUSES = ("not_started", "in_progress", "met", "partly_met", "not_met", "discontinued")
REFERRAL_STATUSES = ("made", "accepted", "completed", "declined", "no_response")

#: every column of a treatment-plan version that signing freezes (client_signed_on: once)
TREATMENT_VERSION_CONTENT = (
    "plan_id", "version_number", "status", "plan_date", "review_date", "summary",
    "signed_at", "signer_name", "signer_credentials", "signer_licence", "content_hash",
    "deleted_at",
)  # fmt: skip
SAFETY_VERSION_CONTENT = (
    "plan_id", "version_number", "status", "plan_date", "language", "warning_signs",
    "coping_strategies", "distraction_contacts", "help_contacts", "professional_contacts",
    "environment_safety", "reasons_for_living", "likelihood_of_use", "barriers",
    "signed_at", "signer_name", "signer_credentials", "signer_licence", "content_hash",
    "deleted_at",
)  # fmt: skip
#: the tables under a treatment-plan version, frozen with it
PLAN_ITEMS = ("plan_problems", "plan_goals", "plan_objectives", "plan_interventions")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


def _frozen_version(columns: tuple[str, ...]) -> str:
    """Content changed, or a client signature date already recorded changed."""
    return (
        f"{_changed(columns)} OR "
        "(OLD.client_signed_on IS NOT NULL AND NEW.client_signed_on IS NOT OLD.client_signed_on)"
    )


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def _signature_columns() -> list[sa.Column]:
    return [
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signer_credentials", sa.String(length=100), nullable=False),
        sa.Column("signer_licence", sa.String(length=100), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("client_signed_on", sa.Date(), nullable=True),
    ]


def _version_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["version_id"],
        ["treatment_plan_versions.id"],
        name=f"fk_{table}_version_id_treatment_plan_versions",
    )


def upgrade() -> None:
    _measures()
    _treatment_plans()
    _safety_plans()
    _resources()
    _triggers()


def _measures() -> None:
    op.create_table(
        "measures",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("taken_on", sa.Date(), nullable=False),
        sa.Column("answers", sa.Text(), nullable=False),
        sa.Column("difficulty", sa.Integer(), nullable=True),
        sa.Column("total", sa.Integer(), nullable=True),
        sa.Column("band", sa.String(length=30), nullable=False),
        sa.Column("alert", sa.Boolean(), nullable=False),
        sa.Column("alert_reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("alert_review_note", sa.Text(), nullable=False),
        sa.Column("note_id", sa.Uuid(), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_measures_client_id_clients"
        ),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], name="fk_measures_note_id_notes"),
        sa.PrimaryKeyConstraint("id", name="pk_measures"),
    )
    op.create_index("ix_measures_client_kind_date", "measures", ["client_id", "kind", "taken_on"])
    op.create_index("ix_measures_alert", "measures", ["alert", "alert_reviewed_at"])

    op.create_table(
        "measure_events",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        *_record_columns(),
        sa.CheckConstraint(_in("kind", EVENT_KINDS), name="ck_measure_events_kind"),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_measure_events_client_id_clients"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_measure_events"),
    )
    op.create_index("ix_measure_events_client_date", "measure_events", ["client_id", "event_date"])


def _treatment_plans() -> None:
    op.create_table(
        "treatment_plans",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_treatment_plans_client_id_clients"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_treatment_plans"),
    )
    op.create_index("ix_treatment_plans_client", "treatment_plans", ["client_id"])

    op.create_table(
        "treatment_plan_versions",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("plan_date", sa.Date(), nullable=False),
        sa.Column("review_date", sa.Date(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        *_signature_columns(),
        *_record_columns(),
        sa.CheckConstraint(
            _in("status", VERSION_STATUSES), name="ck_treatment_plan_versions_status"
        ),
        sa.CheckConstraint(
            "(status = 'signed') = (signed_at IS NOT NULL)",
            name="ck_treatment_plan_versions_signed_at",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"],
            ["treatment_plans.id"],
            name="fk_treatment_plan_versions_plan_id_treatment_plans",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_treatment_plan_versions"),
    )
    op.create_index(
        "ix_treatment_plan_versions_plan_number",
        "treatment_plan_versions",
        ["plan_id", "version_number"],
        unique=True,
    )
    op.create_index("ix_treatment_plan_versions_review", "treatment_plan_versions", ["review_date"])

    op.create_table(
        "plan_problems",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("lineage_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("diagnosis_id", sa.Uuid(), nullable=True),
        *_record_columns(),
        _version_fk("plan_problems"),
        sa.ForeignKeyConstraint(
            ["diagnosis_id"], ["diagnoses.id"], name="fk_plan_problems_diagnosis_id_diagnoses"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_plan_problems"),
    )
    op.create_index("ix_plan_problems_version", "plan_problems", ["version_id"])

    op.create_table(
        "plan_goals",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("problem_id", sa.Uuid(), nullable=False),
        sa.Column("lineage_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("measure_kind", sa.String(length=20), nullable=False),
        sa.Column("target_score", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        *_record_columns(),
        sa.CheckConstraint(_in("status", GOAL_STATUSES), name="ck_plan_goals_status"),
        _version_fk("plan_goals"),
        sa.ForeignKeyConstraint(
            ["problem_id"], ["plan_problems.id"], name="fk_plan_goals_problem_id_plan_problems"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_plan_goals"),
    )
    op.create_index("ix_plan_goals_version", "plan_goals", ["version_id"])
    op.create_index("ix_plan_goals_problem", "plan_goals", ["problem_id"])

    op.create_table(
        "plan_objectives",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.Column("lineage_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("target_date", sa.Date(), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        *_record_columns(),
        sa.CheckConstraint(_in("status", GOAL_STATUSES), name="ck_plan_objectives_status"),
        _version_fk("plan_objectives"),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["plan_goals.id"], name="fk_plan_objectives_goal_id_plan_goals"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_plan_objectives"),
    )
    op.create_index("ix_plan_objectives_version", "plan_objectives", ["version_id"])
    op.create_index("ix_plan_objectives_goal", "plan_objectives", ["goal_id"])

    op.create_table(
        "plan_interventions",
        sa.Column("version_id", sa.Uuid(), nullable=False),
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        sa.Column("objective_id", sa.Uuid(), nullable=True),
        sa.Column("lineage_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("responsible", sa.String(length=200), nullable=False),
        sa.Column("frequency", sa.String(length=200), nullable=False),
        *_record_columns(),
        _version_fk("plan_interventions"),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["plan_goals.id"], name="fk_plan_interventions_goal_id_plan_goals"
        ),
        sa.ForeignKeyConstraint(
            ["objective_id"],
            ["plan_objectives.id"],
            name="fk_plan_interventions_objective_id_plan_objectives",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_plan_interventions"),
    )
    op.create_index("ix_plan_interventions_version", "plan_interventions", ["version_id"])
    op.create_index("ix_plan_interventions_goal", "plan_interventions", ["goal_id"])

    op.create_table(
        "note_goal_links",
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("goal_id", sa.Uuid(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], name="fk_note_goal_links_note_id_notes"),
        sa.ForeignKeyConstraint(
            ["goal_id"], ["plan_goals.id"], name="fk_note_goal_links_goal_id_plan_goals"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_note_goal_links"),
    )
    op.create_index("ix_note_goal_links_note", "note_goal_links", ["note_id"])
    op.create_index("ix_note_goal_links_goal", "note_goal_links", ["goal_id"])


def _safety_plans() -> None:
    op.create_table(
        "safety_plans",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_safety_plans_client_id_clients"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_safety_plans"),
    )
    op.create_index("ix_safety_plans_client", "safety_plans", ["client_id"])

    op.create_table(
        "safety_plan_versions",
        sa.Column("plan_id", sa.Uuid(), nullable=False),
        sa.Column("version_number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("plan_date", sa.Date(), nullable=False),
        sa.Column("language", sa.String(length=35), nullable=False),
        sa.Column("warning_signs", sa.Text(), nullable=False),
        sa.Column("coping_strategies", sa.Text(), nullable=False),
        sa.Column("distraction_contacts", sa.Text(), nullable=False),
        sa.Column("help_contacts", sa.Text(), nullable=False),
        sa.Column("professional_contacts", sa.Text(), nullable=False),
        sa.Column("environment_safety", sa.Text(), nullable=False),
        sa.Column("reasons_for_living", sa.Text(), nullable=False),
        sa.Column("likelihood_of_use", sa.Integer(), nullable=True),
        sa.Column("barriers", sa.Text(), nullable=False),
        *_signature_columns(),
        *_record_columns(),
        sa.CheckConstraint(_in("status", VERSION_STATUSES), name="ck_safety_plan_versions_status"),
        sa.CheckConstraint(
            "(status = 'signed') = (signed_at IS NOT NULL)",
            name="ck_safety_plan_versions_signed_at",
        ),
        sa.CheckConstraint(
            "likelihood_of_use IS NULL OR likelihood_of_use BETWEEN 0 AND 10",
            name="ck_safety_plan_versions_likelihood_of_use",
        ),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["safety_plans.id"], name="fk_safety_plan_versions_plan_id_safety_plans"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_safety_plan_versions"),
    )
    op.create_index(
        "ix_safety_plan_versions_plan_number",
        "safety_plan_versions",
        ["plan_id", "version_number"],
        unique=True,
    )


def _resources() -> None:
    op.create_table(
        "community_resources",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("services", sa.Text(), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("eligibility", sa.Text(), nullable=False),
        sa.Column("hours", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("website", sa.String(length=300), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("languages", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("sort_name", sa.Text(), nullable=False),
        *_record_columns(),
        sa.PrimaryKeyConstraint("id", name="pk_community_resources"),
    )
    op.create_index("ix_community_resources_sort_name", "community_resources", ["sort_name"])

    op.create_table(
        "referrals",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=False),
        sa.Column("referred_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("status_date", sa.Date(), nullable=True),
        sa.Column("followup_date", sa.Date(), nullable=True),
        sa.Column("followup_task_id", sa.Uuid(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        *_record_columns(),
        sa.CheckConstraint(_in("status", REFERRAL_STATUSES), name="ck_referrals_status"),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_referrals_client_id_clients"
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["community_resources.id"],
            name="fk_referrals_resource_id_community_resources",
        ),
        sa.ForeignKeyConstraint(
            ["followup_task_id"], ["tasks.id"], name="fk_referrals_followup_task_id_tasks"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_referrals"),
    )
    op.create_index("ix_referrals_client_date", "referrals", ["client_id", "referred_on"])
    op.create_index("ix_referrals_resource", "referrals", ["resource_id"])
    op.create_index("ix_referrals_followup", "referrals", ["followup_date"])


def _version_signed(ref: str) -> str:
    return f"(SELECT signed_at FROM treatment_plan_versions WHERE id = {ref}) IS NOT NULL"


def _triggers() -> None:
    for table, content, message in (
        ("treatment_plan_versions", TREATMENT_VERSION_CONTENT, "signed treatment plans"),
        ("safety_plan_versions", SAFETY_VERSION_CONTENT, "signed safety plans"),
    ):
        op.execute(
            f"CREATE TRIGGER {table}_signed_are_frozen BEFORE UPDATE ON {table} "
            f"WHEN OLD.signed_at IS NOT NULL AND ({_frozen_version(content)}) "
            f"BEGIN SELECT RAISE(ABORT, '{message} are immutable'); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_signed_are_kept BEFORE DELETE ON {table} "
            "WHEN OLD.signed_at IS NOT NULL "
            f"BEGIN SELECT RAISE(ABORT, '{message} are immutable'); END"
        )
    for table in PLAN_ITEMS:
        op.execute(
            f"CREATE TRIGGER {table}_signed_no_insert BEFORE INSERT ON {table} "
            f"WHEN {_version_signed('NEW.version_id')} "
            "BEGIN SELECT RAISE(ABORT, 'signed treatment plans are immutable'); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_signed_are_frozen BEFORE UPDATE ON {table} "
            f"WHEN {_version_signed('OLD.version_id')} OR {_version_signed('NEW.version_id')} "
            "BEGIN SELECT RAISE(ABORT, 'signed treatment plans are immutable'); END"
        )
        op.execute(
            f"CREATE TRIGGER {table}_signed_are_kept BEFORE DELETE ON {table} "
            f"WHEN {_version_signed('OLD.version_id')} "
            "BEGIN SELECT RAISE(ABORT, 'signed treatment plans are immutable'); END"
        )


TRIGGERS = (
    "treatment_plan_versions_signed_are_frozen",
    "treatment_plan_versions_signed_are_kept",
    "safety_plan_versions_signed_are_frozen",
    "safety_plan_versions_signed_are_kept",
    *(
        f"{table}_{suffix}"
        for table in PLAN_ITEMS
        for suffix in ("signed_no_insert", "signed_are_frozen", "signed_are_kept")
    ),
)


def downgrade() -> None:
    for trigger in TRIGGERS:
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    for table in (
        "referrals",
        "community_resources",
        "safety_plan_versions",
        "safety_plans",
        "note_goal_links",
        "plan_interventions",
        "plan_objectives",
        "plan_goals",
        "plan_problems",
        "treatment_plan_versions",
        "treatment_plans",
        "measure_events",
        "measures",
    ):
        op.drop_table(table)

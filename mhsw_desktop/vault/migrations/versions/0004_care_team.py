"""The care team: collaborators, team links, coordination contacts, releases, disclosures.

Revision ID: 0004_care_team
Revises: 0003_practice_settings

The accounting of disclosures is append-only: triggers refuse any change to, or
deletion of, a recorded disclosure, whatever the caller.
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_care_team"
down_revision = "0003_practice_settings"
branch_labels = None
depends_on = None

ROLES = (
    "psychiatrist", "primary_care", "therapist", "substance_use_counsellor", "case_manager",
    "school_counsellor", "probation_parole", "attorney", "clergy", "peer_support", "other",
)  # fmt: skip
CONTACT_METHODS = ("", "phone", "fax", "email", "letter", "secure_message")
MODES = ("phone", "fax", "letter", "meeting", "secure_message")
DIRECTIONS = ("in", "out")
MEANS = ("print", "pdf", "fax", "letter", "verbal", "secure_message")


def _in(column: str, values: tuple[str, ...]) -> str:
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"


def _record_columns() -> list[sa.Column]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
    ]


def upgrade() -> None:
    op.create_table(
        "collaborators",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credentials", sa.String(length=100), nullable=False),
        sa.Column("role", sa.String(length=30), nullable=False),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("fax", sa.String(length=40), nullable=False),
        sa.Column("email", sa.String(length=254), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("preferred_contact", sa.String(length=20), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("sort_name", sa.Text(), nullable=False),
        *_record_columns(),
        sa.CheckConstraint(_in("role", ROLES), name="ck_collaborators_role"),
        sa.CheckConstraint(
            _in("preferred_contact", CONTACT_METHODS), name="ck_collaborators_preferred_contact"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_collaborators"),
    )
    op.create_index("ix_collaborators_sort_name", "collaborators", ["sort_name"])

    op.create_table(
        "team_members",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("collaborator_id", sa.Uuid(), nullable=False),
        sa.Column("team_role", sa.String(length=100), nullable=False),
        sa.Column("start_date", sa.Date(), nullable=False),
        sa.Column("end_date", sa.Date(), nullable=True),
        sa.Column("primary_contact", sa.Boolean(), nullable=False),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_team_members_client_id_clients"
        ),
        sa.ForeignKeyConstraint(
            ["collaborator_id"],
            ["collaborators.id"],
            name="fk_team_members_collaborator_id_collaborators",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_team_members"),
    )
    op.create_index("ix_team_members_client", "team_members", ["client_id"])
    op.create_index("ix_team_members_collaborator", "team_members", ["collaborator_id"])

    op.create_table(
        "coordination_contacts",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("collaborator_id", sa.Uuid(), nullable=False),
        sa.Column("contact_date", sa.Date(), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=3), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        *_record_columns(),
        sa.CheckConstraint(_in("mode", MODES), name="ck_coordination_contacts_mode"),
        sa.CheckConstraint(_in("direction", DIRECTIONS), name="ck_coordination_contacts_direction"),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_coordination_contacts_client_id_clients"
        ),
        sa.ForeignKeyConstraint(
            ["collaborator_id"],
            ["collaborators.id"],
            name="fk_coordination_contacts_collaborator_id_collaborators",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_coordination_contacts"),
    )
    op.create_index(
        "ix_coordination_contacts_client_date",
        "coordination_contacts",
        ["client_id", "contact_date"],
    )

    op.create_table(
        "releases",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("collaborator_id", sa.Uuid(), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("signed_date", sa.Date(), nullable=False),
        sa.Column("expiry_date", sa.Date(), nullable=True),
        sa.Column("expiry_event", sa.Text(), nullable=False),
        sa.Column("revoked_date", sa.Date(), nullable=True),
        sa.Column("substance_use_consent", sa.Text(), nullable=False),
        sa.Column("followup_task_id", sa.Uuid(), nullable=True),
        *_record_columns(),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_releases_client_id_clients"
        ),
        sa.ForeignKeyConstraint(
            ["collaborator_id"],
            ["collaborators.id"],
            name="fk_releases_collaborator_id_collaborators",
        ),
        sa.ForeignKeyConstraint(
            ["followup_task_id"], ["tasks.id"], name="fk_releases_followup_task_id_tasks"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_releases"),
    )
    op.create_index("ix_releases_client_collaborator", "releases", ["client_id", "collaborator_id"])
    op.create_index("ix_releases_expiry", "releases", ["expiry_date"])

    op.create_table(
        "disclosures",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("collaborator_id", sa.Uuid(), nullable=False),
        sa.Column("release_id", sa.Uuid(), nullable=False),
        sa.Column("disclosed_on", sa.Date(), nullable=False),
        sa.Column("categories", sa.Text(), nullable=False),
        sa.Column("means", sa.String(length=20), nullable=False),
        sa.Column("what", sa.String(length=200), nullable=False),
        sa.Column("recipient_name", sa.String(length=300), nullable=False),
        sa.Column("recipient_organisation", sa.String(length=200), nullable=False),
        *_record_columns(),
        sa.CheckConstraint(_in("means", MEANS), name="ck_disclosures_means"),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name="fk_disclosures_client_id_clients"
        ),
        sa.ForeignKeyConstraint(
            ["collaborator_id"],
            ["collaborators.id"],
            name="fk_disclosures_collaborator_id_collaborators",
        ),
        sa.ForeignKeyConstraint(
            ["release_id"], ["releases.id"], name="fk_disclosures_release_id_releases"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_disclosures"),
    )
    op.create_index("ix_disclosures_client_date", "disclosures", ["client_id", "disclosed_on"])
    op.create_index("ix_disclosures_release", "disclosures", ["release_id"])
    op.execute(
        "CREATE TRIGGER disclosures_are_frozen BEFORE UPDATE ON disclosures "
        "BEGIN SELECT RAISE(ABORT, 'the accounting of disclosures is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER disclosures_are_kept BEFORE DELETE ON disclosures "
        "BEGIN SELECT RAISE(ABORT, 'the accounting of disclosures is append-only'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS disclosures_are_frozen")
    op.execute("DROP TRIGGER IF EXISTS disclosures_are_kept")
    for table in (
        "disclosures",
        "releases",
        "coordination_contacts",
        "team_members",
        "collaborators",
    ):
        op.drop_table(table)

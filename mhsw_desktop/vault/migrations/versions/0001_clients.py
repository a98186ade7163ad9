"""Clients: the first table.

Revision ID: 0001_clients
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001_clients"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.Column("legal_first_name", sa.String(100), nullable=False),
        sa.Column("legal_last_name", sa.String(100), nullable=False),
        sa.Column("preferred_name", sa.String(100), nullable=False),
        sa.Column("pronouns", sa.String(40), nullable=False),
        sa.Column("date_of_birth", sa.Date(), nullable=False),
        sa.Column("phone", sa.String(40), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("emergency_contact_name", sa.String(200), nullable=False),
        sa.Column("emergency_contact_phone", sa.String(40), nullable=False),
        sa.Column("intake_date", sa.Date(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("discharge_date", sa.Date(), nullable=True),
        sa.Column("discharge_reason", sa.Text(), nullable=False),
        sa.Column("important_to_know", sa.Text(), nullable=False),
        sa.Column("search_key", sa.Text(), nullable=False),
        sa.Column("sort_name", sa.Text(), nullable=False),
        sa.CheckConstraint(
            "status IN ('active', 'on_hold', 'discharged')", name="ck_clients_status"
        ),
        sa.CheckConstraint(
            "(status = 'discharged') = (discharge_date IS NOT NULL)",
            name="ck_clients_discharge_date",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_clients"),
    )
    op.create_index("ix_clients_sort_name", "clients", ["sort_name"])
    op.create_index("ix_clients_dob", "clients", ["date_of_birth"])
    op.create_index("ix_clients_status", "clients", ["status"])


def downgrade() -> None:
    op.drop_table("clients")

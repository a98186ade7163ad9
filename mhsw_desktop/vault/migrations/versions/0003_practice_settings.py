"""Practice settings for reports: the practice logo and the paper size.

Revision ID: 0003_practice_settings
Revises: 0002_notes

A profile saved before this revision keeps every field, has no logo and prints on
Letter paper. The table is rebuilt (batch mode) so that the paper size gets its check.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003_practice_settings"
down_revision = "0002_notes"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("practitioner", recreate="always") as batch:
        batch.add_column(sa.Column("logo", sa.LargeBinary(), nullable=True))
        batch.add_column(
            sa.Column("paper_size", sa.String(length=10), nullable=False, server_default="letter")
        )
        batch.create_check_constraint(
            op.f("ck_practitioner_paper_size"), "paper_size IN ('letter', 'a4')"
        )


def downgrade() -> None:
    with op.batch_alter_table("practitioner", recreate="always") as batch:
        batch.drop_constraint(op.f("ck_practitioner_paper_size"), type_="check")
        batch.drop_column("paper_size")
        batch.drop_column("logo")

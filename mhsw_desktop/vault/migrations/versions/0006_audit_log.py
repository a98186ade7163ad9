"""The audit log: an append-only chain of who-did-what entries (no record content).

Revision ID: 0006_audit_log
Revises: 0005_clinical_tools

Entries are numbered (``seq``) and chained by hash (``vault/audit.py``); the database
refuses to change or delete one. The table departs from the other tables' shape on
purpose: an integer sequence is its key (the chain's order), it has no ``updated_at``
or tombstone (nothing in it is ever updated or deleted), and ``id`` is a UUID for a
later sync between devices.
"""

import sqlalchemy as sa
from alembic import op

revision = "0006_audit_log"
down_revision = "0005_clinical_tools"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audit_log",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("object_type", sa.String(length=60), nullable=False),
        sa.Column("object_id", sa.Uuid(), nullable=True),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=300), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_client_seq", "audit_log", ["client_id", "seq"])
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.execute(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )
    op.execute(
        "CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log "
        "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END"
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_delete")
    op.execute("DROP TRIGGER IF EXISTS audit_log_no_update")
    op.drop_table("audit_log")

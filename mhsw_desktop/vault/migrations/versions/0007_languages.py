"""Client languages, and the between-sessions homework a client takes home.

Revision ID: 0007_languages
Revises: 0006_audit_log

Each client gains a preferred language (a code of ``resources/i18n/languages.json``),
whether an interpreter is needed, and which language their documents print in
("english", "client" or "both"). Notes gain ``homework``: what the client agreed to try
before the next session, printed on the client's next-steps sheet. It is part of the
note's signed content, so the trigger that freezes signed notes is remade to cover it.
"""

import sqlalchemy as sa
from alembic import op

revision = "0007_languages"
down_revision = "0006_audit_log"
branch_labels = None
depends_on = None

#: the notes' frozen columns as of 0002, and the one this revision adds
_BEFORE = (
    "client_id", "session_date", "start_time", "duration_minutes", "service_type",
    "location", "present", "template_key", "template_snapshot", "sections", "mental_status",
    "risk_level", "risk_comment", "interventions", "plan", "next_appointment",
    "psychotherapy_note", "signed_at", "signer_name", "signer_credentials", "signer_licence",
    "content_hash", "deleted_at",
)  # fmt: skip
_AFTER = (*_BEFORE, "homework")


def _frozen(columns: tuple[str, ...]) -> str:
    changed = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)
    return (
        "CREATE TRIGGER notes_signed_are_frozen BEFORE UPDATE ON notes "
        f"WHEN OLD.signed_at IS NOT NULL AND ({changed}) "
        "BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END"
    )


def upgrade() -> None:
    op.add_column(
        "clients",
        sa.Column("preferred_language", sa.String(length=16), nullable=False, server_default="en"),
    )
    op.add_column(
        "clients",
        sa.Column("interpreter_needed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.add_column(
        "clients",
        sa.Column(
            "document_language", sa.String(length=10), nullable=False, server_default="client"
        ),
    )
    op.add_column("notes", sa.Column("homework", sa.Text(), nullable=False, server_default=""))
    op.execute("DROP TRIGGER IF EXISTS notes_signed_are_frozen")
    op.execute(_frozen(_AFTER))


_KEPT = (
    "CREATE TRIGGER notes_signed_are_kept BEFORE DELETE ON notes "
    "WHEN OLD.signed_at IS NOT NULL "
    "BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END"
)


def downgrade() -> None:
    # Dropping a column rebuilds the table, and its triggers go with it: both are made
    # again afterwards, as 0002 had them.
    with op.batch_alter_table("notes") as batch:
        batch.drop_column("homework")
    for trigger in ("notes_signed_are_frozen", "notes_signed_are_kept"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute(_frozen(_BEFORE))
    op.execute(_KEPT)
    with op.batch_alter_table("clients") as batch:
        batch.drop_column("document_language")
        batch.drop_column("interpreter_needed")
        batch.drop_column("preferred_language")

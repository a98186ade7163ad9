"""Session notes, addenda, tasks, diagnoses, the practitioner, custom templates, search.

Revision ID: 0002_notes
Revises: 0001_clients

Signed notes and addenda are frozen by triggers as well as by the services, so that no
caller (a bug, a script, a future feature) can change one. Search is an FTS5 index
(case and diacritics folded) whose rows map one-to-one to ``search_docs``, which holds
what results are filtered on.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002_notes"
down_revision = "0001_clients"
branch_labels = None
depends_on = None

#: every column of a note that signing freezes (entered-in-error and editing marks stay open)
NOTE_CONTENT = (
    "client_id", "session_date", "start_time", "duration_minutes", "service_type",
    "location", "present", "template_key", "template_snapshot", "sections", "mental_status",
    "risk_level", "risk_comment", "interventions", "plan", "next_appointment",
    "psychotherapy_note", "signed_at", "signer_name", "signer_credentials", "signer_licence",
    "content_hash", "deleted_at",
)  # fmt: skip
ADDENDUM_CONTENT = (
    "note_id", "text", "signed_at", "signer_name", "signer_credentials", "signer_licence",
    "content_hash", "deleted_at",
)  # fmt: skip


def _changed(columns: tuple[str, ...]) -> str:
    return " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in columns)


NOTE_CONTENT_CHANGED = _changed(NOTE_CONTENT)
ADDENDUM_CHANGED = _changed(ADDENDUM_CONTENT)


def upgrade() -> None:
    op.create_table(
        "note_templates",
        sa.Column("key", sa.String(length=40), nullable=False),
        sa.Column("definition", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_templates")),
        sa.UniqueConstraint("key", name=op.f("uq_note_templates_key")),
    )
    op.create_table(
        "practitioner",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("credentials", sa.String(length=100), nullable=False),
        sa.Column("licence_number", sa.String(length=100), nullable=False),
        sa.Column("practice_name", sa.String(length=200), nullable=False),
        sa.Column("address", sa.Text(), nullable=False),
        sa.Column("phone", sa.String(length=40), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practitioner")),
    )
    op.create_table(
        "diagnoses",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("code", sa.String(length=10), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("onset_date", sa.Date(), nullable=True),
        sa.Column("resolved_date", sa.Date(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_diagnoses_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagnoses")),
    )
    op.create_index("ix_diagnoses_client", "diagnoses", ["client_id"], unique=False)
    op.create_table(
        "notes",
        sa.Column("client_id", sa.Uuid(), nullable=False),
        sa.Column("session_date", sa.Date(), nullable=False),
        sa.Column("start_time", sa.Time(), nullable=True),
        sa.Column("duration_minutes", sa.Integer(), nullable=True),
        sa.Column("service_type", sa.String(length=20), nullable=False),
        sa.Column("location", sa.String(length=20), nullable=False),
        sa.Column("present", sa.Text(), nullable=False),
        sa.Column("template_key", sa.String(length=40), nullable=False),
        sa.Column("template_snapshot", sa.Text(), nullable=False),
        sa.Column("sections", sa.Text(), nullable=False),
        sa.Column("mental_status", sa.Text(), nullable=False),
        sa.Column("risk_level", sa.String(length=10), nullable=False),
        sa.Column("risk_comment", sa.Text(), nullable=False),
        sa.Column("interventions", sa.Text(), nullable=False),
        sa.Column("plan", sa.Text(), nullable=False),
        sa.Column("next_appointment", sa.DateTime(), nullable=True),
        sa.Column("psychotherapy_note", sa.Text(), nullable=False),
        sa.Column("editing_since", sa.DateTime(), nullable=True),
        sa.Column("signed_at", sa.DateTime(), nullable=True),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signer_credentials", sa.String(length=100), nullable=False),
        sa.Column("signer_licence", sa.String(length=100), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("entered_in_error_at", sa.DateTime(), nullable=True),
        sa.Column("entered_in_error_reason", sa.Text(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_notes_client_id_clients")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    op.create_index("ix_notes_client_date", "notes", ["client_id", "session_date"], unique=False)
    op.create_index("ix_notes_signed_at", "notes", ["signed_at"], unique=False)
    op.create_table(
        "note_addenda",
        sa.Column("note_id", sa.Uuid(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("signed_at", sa.DateTime(), nullable=False),
        sa.Column("signer_name", sa.String(length=200), nullable=False),
        sa.Column("signer_credentials", sa.String(length=100), nullable=False),
        sa.Column("signer_licence", sa.String(length=100), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["note_id"], ["notes.id"], name=op.f("fk_note_addenda_note_id_notes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_note_addenda")),
    )
    op.create_index("ix_note_addenda_note", "note_addenda", ["note_id"], unique=False)
    op.create_table(
        "tasks",
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("details", sa.Text(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("client_id", sa.Uuid(), nullable=True),
        sa.Column("note_id", sa.Uuid(), nullable=True),
        sa.Column("completed_at", sa.DateTime(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["client_id"], ["clients.id"], name=op.f("fk_tasks_client_id_clients")
        ),
        sa.ForeignKeyConstraint(["note_id"], ["notes.id"], name=op.f("fk_tasks_note_id_notes")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tasks")),
    )
    op.create_index("ix_tasks_client", "tasks", ["client_id"], unique=False)
    op.create_index("ix_tasks_due", "tasks", ["completed_at", "due_date"], unique=False)
    op.execute(
        "CREATE TABLE search_docs ("
        " rowid INTEGER PRIMARY KEY,"
        " kind TEXT NOT NULL,"
        " ref_id CHAR(32) NOT NULL UNIQUE,"
        " client_id CHAR(32),"
        " day DATE,"
        " template_key TEXT,"
        " signed INTEGER NOT NULL DEFAULT 0)"
    )
    op.execute("CREATE INDEX ix_search_docs_client_day ON search_docs (client_id, day)")
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "title, body, private, tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4')"
    )
    # Clients written before this revision become searchable at once.
    op.execute(
        "INSERT INTO search_docs (kind, ref_id, client_id, day, signed)"
        " SELECT 'client', id, id, intake_date, 0 FROM clients WHERE deleted_at IS NULL"
    )
    op.execute(
        "INSERT INTO search_index (rowid, title, body, private)"
        " SELECT d.rowid, c.legal_first_name || ' ' || c.legal_last_name || ' ' ||"
        " c.preferred_name, c.important_to_know || ' ' || c.phone || ' ' || c.email, ''"
        " FROM search_docs d JOIN clients c ON c.id = d.ref_id"
    )
    op.execute(
        "CREATE TRIGGER notes_signed_are_frozen BEFORE UPDATE ON notes "
        f"WHEN OLD.signed_at IS NOT NULL AND ({NOTE_CONTENT_CHANGED}) "
        "BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END"
    )
    op.execute(
        "CREATE TRIGGER notes_signed_are_kept BEFORE DELETE ON notes "
        "WHEN OLD.signed_at IS NOT NULL "
        "BEGIN SELECT RAISE(ABORT, 'signed notes are immutable'); END"
    )
    op.execute(
        "CREATE TRIGGER addenda_are_frozen BEFORE UPDATE ON note_addenda "
        f"WHEN {ADDENDUM_CHANGED} "
        "BEGIN SELECT RAISE(ABORT, 'signed addenda are immutable'); END"
    )
    op.execute(
        "CREATE TRIGGER addenda_are_kept BEFORE DELETE ON note_addenda "
        "BEGIN SELECT RAISE(ABORT, 'signed addenda are immutable'); END"
    )


def downgrade() -> None:
    for trigger in (
        "notes_signed_are_frozen",
        "notes_signed_are_kept",
        "addenda_are_frozen",
        "addenda_are_kept",
    ):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE search_index")
    op.execute("DROP TABLE search_docs")
    for table in ("note_addenda", "tasks", "notes", "diagnoses", "practitioner", "note_templates"):
        op.drop_table(table)

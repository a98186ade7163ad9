"""The schema revisions this version knows, oldest first (checked against Alembic by a test).

Kept apart from Alembic so that opening an up-to-date vault never imports it.
"""

KNOWN_REVISIONS: tuple[str, ...] = (
    "0001_clients",
    "0002_notes",
    "0003_practice_settings",
    "0004_care_team",
    "0005_clinical_tools",
    "0006_audit_log",
    "0007_languages",
)
HEAD = KNOWN_REVISIONS[-1]

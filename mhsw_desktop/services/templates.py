"""Note templates: the built-in ones shipped in resources/ and those the practitioner adds."""

from __future__ import annotations

from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from mhsw_desktop.domain.note import CustomTemplate
from mhsw_desktop.domain.templates import (
    NoteTemplate,
    load_builtin_templates,
    template_errors,
    template_from_json,
)
from mhsw_desktop.errors import NotFoundError, ValidationError
from mhsw_desktop.resources import resources_dir


@cache
def builtin_templates() -> tuple[NoteTemplate, ...]:
    return tuple(load_builtin_templates(resources_dir() / "note_templates"))


def list_templates(session: Session) -> list[NoteTemplate]:
    """Built-in templates first (SOAP, DAP, BIRP, GIRP, free-form), then the practice's own."""
    custom = session.scalars(
        select(CustomTemplate)
        .where(CustomTemplate.deleted_at.is_(None))
        .order_by(CustomTemplate.key)
    )
    return [*builtin_templates(), *(template_from_json(c.definition) for c in custom)]


def get_template(session: Session, key: str) -> NoteTemplate:
    for template in list_templates(session):
        if template.key == key:
            return template
    raise NotFoundError(f"No note template named {key!r}.")


def add_template(session: Session, template: NoteTemplate) -> None:
    """Save a practice template. Notes already written keep their own copy of theirs."""
    errors = template_errors(template)
    if any(t.key == template.key for t in list_templates(session)):
        errors["key"] = f"{template.key!r} is already used by another template"
    if errors:
        raise ValidationError(errors)
    session.add(CustomTemplate(key=template.key, definition=template.to_json()))
    session.flush()


def update_template(session: Session, template: NoteTemplate) -> None:
    """Change a practice template (built-ins are fixed); existing notes are not touched."""
    row = session.scalars(
        select(CustomTemplate).where(
            CustomTemplate.key == template.key, CustomTemplate.deleted_at.is_(None)
        )
    ).first()
    if row is None:
        raise NotFoundError(f"No practice template named {template.key!r}.")
    errors = template_errors(template)
    if errors:
        raise ValidationError(errors)
    row.definition = template.to_json()
    session.flush()

"""Note templates: sections with prompts, read from JSON files and checked (pure)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mhsw_desktop.errors import ValidationError

FORMAT = 1
_KEY = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True)
class TemplateSection:
    key: str
    title: str
    prompt: str = ""
    required: bool = False


@dataclass(frozen=True)
class NoteTemplate:
    key: str
    name: str
    description: str
    sections: tuple[TemplateSection, ...]
    builtin: bool = False

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": FORMAT,
                "key": self.key,
                "name": self.name,
                "description": self.description,
                "sections": [
                    {"key": s.key, "title": s.title, "prompt": s.prompt, "required": s.required}
                    for s in self.sections
                ],
            },
            ensure_ascii=False,
            sort_keys=True,
        )

    def section(self, key: str) -> TemplateSection | None:
        return next((s for s in self.sections if s.key == key), None)


def template_from_json(text: str, *, builtin: bool = False) -> NoteTemplate:
    """Parse and check a template definition; ValidationError says what is wrong."""
    try:
        doc: Any = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError({"template": f"is not valid JSON ({exc.msg})"}) from None
    if not isinstance(doc, dict):
        raise ValidationError({"template": "must be a JSON object"})
    if int(doc.get("format", 0)) > FORMAT:
        raise ValidationError({"template": "was written for a newer version of the app"})
    raw_sections = doc.get("sections")
    template = NoteTemplate(
        key=str(doc.get("key", "")),
        name=str(doc.get("name", "")).strip(),
        description=str(doc.get("description", "")).strip(),
        sections=tuple(
            TemplateSection(
                key=str(s.get("key", "")),
                title=str(s.get("title", "")).strip(),
                prompt=str(s.get("prompt", "")).strip(),
                required=bool(s.get("required", False)),
            )
            for s in (raw_sections if isinstance(raw_sections, list) else [])
            if isinstance(s, dict)
        ),
        builtin=builtin,
    )
    errors = template_errors(template)
    if errors:
        raise ValidationError(errors)
    return template


def template_errors(template: NoteTemplate) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not _KEY.match(template.key):
        errors["key"] = "use lower-case letters, digits and underscores (at most 40)"
    if not template.name or len(template.name) > 80:
        errors["name"] = "is required (at most 80 characters)"
    if not template.sections:
        errors["sections"] = "a template needs at least one section"
    keys = [s.key for s in template.sections]
    if len(set(keys)) != len(keys):
        errors["sections"] = "two sections share a key"
    for s in template.sections:
        if not _KEY.match(s.key) or not s.title or len(s.title) > 80:
            errors["sections"] = f"section {s.key!r} needs a key and a title (at most 80)"
    return errors


def load_builtin_templates(folder: Path) -> list[NoteTemplate]:
    """Every ``*.json`` template in ``folder``, in a stable order (SOAP, DAP, BIRP, GIRP…)."""
    order = {"soap": 0, "dap": 1, "birp": 2, "girp": 3, "free": 9}
    templates = [
        template_from_json(path.read_text(encoding="utf-8"), builtin=True)
        for path in sorted(folder.glob("*.json"))
    ]
    return sorted(templates, key=lambda t: (order.get(t.key, 5), t.name))

"""Editing key files in tests: the checksum rule, written out independently of the code."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from mhsw_desktop.vault.vault import KEY_NAME

Doc = dict[str, Any]


def checksum(doc: Doc) -> str:
    """The documented rule: SHA-256 of the canonical JSON of every other field."""
    body = {k: v for k, v in doc.items() if k != "checksum"}
    canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def read(folder: Path) -> Doc:
    doc: Doc = json.loads((folder / KEY_NAME).read_text())
    return doc


def write(folder: Path, doc: Doc, *, reseal: bool) -> None:
    """Write ``doc`` as the key file, with a checksum that matches it when ``reseal``."""
    if reseal:
        doc["checksum"] = checksum(doc)
    (folder / KEY_NAME).write_text(json.dumps(doc, indent=2))

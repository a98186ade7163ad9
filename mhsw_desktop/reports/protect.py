"""Password protection of a finished PDF with AES-256 (pypdf, on top of `cryptography`).

ReportLab's own 256-bit mode needs an unmaintained package and its 128-bit mode is RC4,
so the finished bytes are encrypted here instead, in memory.
"""

from __future__ import annotations

import io
import secrets

from mhsw_desktop.errors import ValidationError

MIN_PASSWORD = 10


def check_password(password: str) -> None:
    """A PDF password someone else will type: long enough that guessing it is hopeless."""
    if len(password) < MIN_PASSWORD:
        raise ValidationError(
            {"pdf_password": f"must be at least {MIN_PASSWORD} characters (it has {len(password)})"}
        )


def protect(pdf: bytes, password: str) -> bytes:
    """The same document, readable only with ``password`` (AES-256, PDF 2.0 security)."""
    from pypdf import PdfReader, PdfWriter

    check_password(password)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    # A random owner password: nobody can lift the restrictions without re-encrypting.
    writer.encrypt(
        user_password=password, owner_password=secrets.token_urlsafe(24), algorithm="AES-256"
    )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()

"""What a valid client record is: the input shape, parsing and every validation rule."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date

from mhsw_desktop.domain.client import LIMITS, ClientStatus
from mhsw_desktop.domain.language import DocumentLanguage, check_code
from mhsw_desktop.domain.text import fold
from mhsw_desktop.errors import ValidationError

EARLIEST_BIRTH = date(1900, 1, 1)
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")
_PHONE_CHARS = re.compile(r"^[0-9+()\-.\s]+(\s*(x|ext\.?)\s*[0-9]{1,6})?$", re.IGNORECASE)
_MULTILINE = frozenset({"address", "important_to_know", "discharge_reason"})
#: Unicode categories never stored: control codes (Cc; newline and tab are allowed in
#: multi-line fields only), lone surrogates (Cs, which UTF-8 cannot even encode), and the
#: line and paragraph separators (Zl, Zp) that break lines where no newline is seen.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cs", "Zl", "Zp"})
#: bidirectional controls (embeddings, overrides, isolates, marks): they reorder how text
#: is shown, so a name or a note could display differently from what is stored
_BIDI_CONTROLS = frozenset(
    [*map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\u200e", "\u200f"]
)
_MULTILINE_ALLOWED = frozenset("\n\t")
UNSTORABLE = "contains characters that cannot be stored (such as control codes)"


def has_unstorable(text: str, *, multiline: bool) -> bool:
    """True when ``text`` holds a character no client field may store (see above)."""
    if text.isascii() and text.isprintable():  # the common case, at C speed
        return False
    allowed = _MULTILINE_ALLOWED if multiline else frozenset()
    for ch in text:
        if ch in allowed:
            continue
        if ch in _BIDI_CONTROLS or unicodedata.category(ch) in _REFUSED_CATEGORIES:
            return True
    return False


@dataclass(frozen=True)
class ClientInput:
    """A client as entered on the form or the command line, before it is saved."""

    legal_first_name: str
    legal_last_name: str
    date_of_birth: date | None
    preferred_name: str = ""
    pronouns: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    emergency_contact_name: str = ""
    emergency_contact_phone: str = ""
    intake_date: date | None = None
    status: ClientStatus = ClientStatus.ACTIVE
    discharge_date: date | None = None
    discharge_reason: str = ""
    important_to_know: str = ""
    #: a code of ``resources/i18n/languages.json`` ("en", "es")
    preferred_language: str = "en"
    interpreter_needed: bool = False
    #: which language the client's documents print in (a ``DocumentLanguage`` value)
    document_language: str = "client"

    def text_fields(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name in LIMITS}


def parse_date(text: str, field: str) -> date:
    """Read a YYYY-MM-DD date, or raise a ValidationError naming ``field``."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        if re.fullmatch(r"\s*\d{4}-\d{2}-\d{2}\s*", text):
            raise ValidationError({field: f"{text.strip()} is not a real date"}) from None
        raise ValidationError({field: "use the form YYYY-MM-DD"}) from None


def normalised(data: ClientInput, today: date) -> ClientInput:
    """Strip whitespace, default the intake date to today; raise ValidationError if invalid."""
    cleaned = {name: value.strip() for name, value in data.text_fields().items()}
    result = ClientInput(
        **{
            **{f.name: getattr(data, f.name) for f in fields(data)},
            **cleaned,
            "intake_date": data.intake_date or today,
        }
    )
    errors = client_errors(result, today)
    if errors:
        raise ValidationError(errors)
    return result


def client_errors(data: ClientInput, today: date) -> dict[str, str]:
    """Every rule a client breaks, as field -> message (empty when valid)."""
    errors: dict[str, str] = {}
    for name, value in data.text_fields().items():
        limit = LIMITS[name]
        if len(value) > limit:
            errors[name] = f"is {len(value)} characters long; at most {limit} fit"
        elif has_unstorable(value, multiline=name in _MULTILINE):
            errors[name] = UNSTORABLE
    for name in ("legal_first_name", "legal_last_name"):
        if name not in errors and not data.text_fields()[name].strip():
            errors[name] = "is required"

    dob = data.date_of_birth
    if dob is None:
        errors["date_of_birth"] = "is required"
    elif dob > today:
        errors["date_of_birth"] = f"{dob.isoformat()} is in the future"
    elif dob < EARLIEST_BIRTH:
        errors["date_of_birth"] = f"{dob.isoformat()} is before {EARLIEST_BIRTH.year}"

    intake = data.intake_date
    if intake is not None:
        if intake > today:
            errors["intake_date"] = f"{intake.isoformat()} is in the future"
        elif dob is not None and intake < dob:
            errors["intake_date"] = "is before the date of birth"

    email = data.email.strip()
    if email and "email" not in errors and not _EMAIL.match(email):
        errors["email"] = "does not look like an email address (name@example.org)"
    for name in ("phone", "emergency_contact_phone"):
        value = data.text_fields()[name].strip()
        if value and name not in errors:
            digits = sum(ch.isdigit() for ch in value)
            if not _PHONE_CHARS.match(value) or not 7 <= digits <= 20:
                errors[name] = "does not look like a phone number"

    problem = check_code(data.preferred_language)
    if problem:
        errors["preferred_language"] = problem
    if data.document_language not in {d.value for d in DocumentLanguage}:
        choices = ", ".join(d.value for d in DocumentLanguage)
        errors["document_language"] = f"must be one of {choices}"

    if data.status == ClientStatus.DISCHARGED:
        if data.discharge_date is None:
            errors["discharge_date"] = "is required when a client is discharged"
        elif data.discharge_date > today:
            errors["discharge_date"] = f"{data.discharge_date.isoformat()} is in the future"
        elif intake is not None and data.discharge_date < intake:
            errors["discharge_date"] = "is before the intake date"
        if "discharge_reason" not in errors and not data.discharge_reason.strip():
            errors["discharge_reason"] = "is required when a client is discharged"
    elif data.discharge_date is not None:
        errors["discharge_date"] = "is only set for a discharged client"
    return errors


def search_key(data: ClientInput) -> str:
    """The folded text a client is found by: names, phone (also as bare digits), email, birth.

    Stored with the record (inside the encrypted database) so that lists need no
    folding at load time.
    """
    digits = "".join(ch for ch in data.phone if ch.isdigit())
    dob = data.date_of_birth.isoformat() if data.date_of_birth else ""
    parts = (
        data.legal_first_name,
        data.legal_last_name,
        data.preferred_name,
        data.phone,
        digits,
        data.email,
        dob,
    )
    return fold(" ".join(p for p in parts if p))


def sort_name(data: ClientInput) -> str:
    """The key clients sort by: last, first and preferred name, folded (separated by NUL)."""
    return fold(f"{data.legal_last_name}\x00{data.legal_first_name}\x00{data.preferred_name}")

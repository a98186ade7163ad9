"""Collaborators in and out as vCard 3.0 and 4.0 (through ``vobject``).

An import is all or nothing: the whole file is read and every card checked before
anything is written, so a malformed file gives one clear message and adds no one.
Cards that duplicate a directory entry or an earlier card (the same folded name and
the same phone digits, or our own UID) are skipped and reported, not added.

Mapping: FN is the name; N's honorific suffix is the credentials; ORG the organisation;
ROLE (or TITLE) the role, matched by words (our own X-MHSW-ROLE wins when present);
the first TEL typed FAX is the fax and the first other TEL the phone; the first EMAIL;
ADR as lines; NOTE; X-MHSW-PREFERRED-CONTACT. Exports carry UID ``urn:uuid:<id>``.
"""

from __future__ import annotations

import binascii
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy.orm import Session

from mhsw_desktop.domain.care_team import (
    CollaboratorRole,
    ContactMethod,
    likely_same_collaborator,
    role_from_text,
)
from mhsw_desktop.errors import UserFacingError, ValidationError
from mhsw_desktop.services.collaborators import (
    CollaboratorInput,
    CollaboratorRow,
    add_collaborator,
    checked_collaborator,
    list_collaborators,
)

VCardVersion = Literal["3.0", "4.0"]
VERSIONS: tuple[VCardVersion, ...] = ("3.0", "4.0")
#: larger files are refused before parsing (photos make cards big; a directory is not)
MAX_VCARD_BYTES = 10 * 1024 * 1024
_ROLE_X = "x-mhsw-role"
_PREFERRED_X = "x-mhsw-preferred-contact"
_SHOWN_PROBLEMS = 3


class VCardError(UserFacingError):
    """A vCard file that cannot be imported; nothing from it was added."""


@dataclass(frozen=True)
class ParsedCard:
    #: 1-based position in the file
    number: int
    data: CollaboratorInput
    #: the card's UID when it is one of our own exports
    uid: uuid.UUID | None = None


@dataclass(frozen=True)
class SkippedCard:
    number: int
    name: str
    #: the directory entry it duplicates; None when it repeats an earlier card of the file
    duplicate_of: uuid.UUID | None

    def to_json(self) -> dict[str, Any]:
        return {
            "card": self.number,
            "name": self.name,
            "duplicate_of": str(self.duplicate_of) if self.duplicate_of else None,
        }


@dataclass(frozen=True)
class ImportResult:
    imported: tuple[uuid.UUID, ...]
    skipped: tuple[SkippedCard, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "imported": len(self.imported),
            "ids": [str(i) for i in self.imported],
            "skipped": [s.to_json() for s in self.skipped],
        }


# -- reading ------------------------------------------------------------------------------
def _text(value: Any) -> str:
    """A property value as one string (list-valued components joined by ", ")."""
    if isinstance(value, list | tuple):
        return ", ".join(str(v).strip() for v in value if str(v).strip())
    return str(value or "").strip()


def _types(prop: Any) -> set[str]:
    found: set[str] = set()
    for value in prop.params.get("TYPE", []):
        found |= {part.strip().upper() for part in str(value).split(",")}
    if prop.params.get("PREF"):
        found.add("PREF")
    return found


def _phone(value: Any) -> str:
    text = _text(value)
    if text[:4].lower() == "tel:":
        text = text[4:]
        number, _, ext = text.partition(";ext=")
        text = f"{number} ext. {ext}" if ext else number
    return text.strip()


def _first(props: list[Any], prefer: str = "PREF") -> Any | None:
    if not props:
        return None
    return next((p for p in props if prefer in _types(p)), props[0])


def _address(value: Any) -> str:
    if isinstance(value, str):
        return value.strip()
    parts = {
        name: _text(getattr(value, name, ""))
        for name in ("box", "extended", "street", "city", "region", "code", "country")
    }
    lines = [parts[name] for name in ("box", "extended", "street") if parts[name]]
    place = " ".join(p for p in (parts["region"], parts["code"]) if p)
    town = ", ".join(p for p in (parts["city"], place) if p)
    lines += [line for line in (town, parts["country"]) if line]
    return "\n".join(lines)


def _card(component: Any, number: int) -> ParsedCard:
    """One vCard component as a collaborator (not yet checked)."""
    contents: dict[str, list[Any]] = component.contents
    version = _text(contents["version"][0].value) if "version" in contents else "3.0"
    if version not in VERSIONS:
        hint = " Export the contacts as vCard 3.0 or 4.0 and try again." if version else ""
        raise VCardError(
            f"Card {number} is vCard {version or '(no version)'}, which is not supported."
            + hint
            + " Nothing was imported."
        )
    name = _text(contents["fn"][0].value) if "fn" in contents else ""
    credentials = ""
    if "n" in contents:
        structured = contents["n"][0].value
        credentials = _text(getattr(structured, "suffix", ""))
        if not name:
            name = " ".join(
                _text(getattr(structured, part, "")) for part in ("given", "additional", "family")
            )
            name = " ".join(name.split())
    if credentials:
        for tail in (f", {credentials}", f" {credentials}"):
            if name.endswith(tail) and len(name) > len(tail):
                name = name[: -len(tail)].strip()
                break
    if not name:
        raise VCardError(f"Card {number} has no name (FN or N). Nothing was imported.")

    role = CollaboratorRole.OTHER
    if _ROLE_X in contents:
        try:
            role = CollaboratorRole(_text(contents[_ROLE_X][0].value))
        except ValueError:
            role = CollaboratorRole.OTHER
    if role is CollaboratorRole.OTHER:
        for key in ("role", "title"):
            if key in contents:
                role = role_from_text(_text(contents[key][0].value))
                if role is not CollaboratorRole.OTHER:
                    break

    tels = contents.get("tel", [])
    faxes = [t for t in tels if "FAX" in _types(t)]
    voices = [t for t in tels if "FAX" not in _types(t)]
    phone, fax = _first(voices), _first(faxes)
    email = _first(contents.get("email", []))
    address = _first(contents.get("adr", []), prefer="WORK")
    org = contents.get("org", [])
    preferred = ContactMethod.NONE
    if _PREFERRED_X in contents:
        try:
            preferred = ContactMethod(_text(contents[_PREFERRED_X][0].value).lower())
        except ValueError:
            preferred = ContactMethod.NONE
    uid = None
    if "uid" in contents:
        raw = _text(contents["uid"][0].value)
        if raw.lower().startswith("urn:uuid:"):
            try:
                uid = uuid.UUID(raw[9:])
            except ValueError:
                uid = None
    data = CollaboratorInput(
        name=name,
        role=role,
        credentials=credentials,
        organisation=_text(org[0].value) if org else "",
        phone=_phone(phone.value) if phone is not None else "",
        fax=_phone(fax.value) if fax is not None else "",
        email=_text(email.value) if email is not None else "",
        address=_address(address.value) if address is not None else "",
        preferred_contact=preferred,
        notes=_text(contents["note"][0].value) if "note" in contents else "",
    )
    return ParsedCard(number, data, uid)


def parse_vcards(data: bytes) -> list[ParsedCard]:
    """Every card of a vCard file, checked as directory entries; VCardError on any fault.

    Nothing is partial: a file with one bad card is refused whole, with a message that
    names the card and the field.
    """
    import vobject
    from vobject.base import VObjectError

    if len(data) > MAX_VCARD_BYTES:
        raise VCardError(
            f"The file is larger than {MAX_VCARD_BYTES // (1024 * 1024)} MB; it is not a "
            "list of contacts this app can import. Nothing was imported."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise VCardError(
            "The file is not UTF-8 text, as vCard 3.0 and 4.0 files are. Nothing was imported."
        ) from None
    try:
        components = list(vobject.readComponents(text, validate=False))
    except VObjectError as exc:
        where = f" (line {exc.lineNumber})" if getattr(exc, "lineNumber", None) else ""
        raise VCardError(
            f"The file is not a valid vCard file{where}. Nothing was imported."
        ) from None
    except (ValueError, TypeError, AttributeError, IndexError, binascii.Error):
        raise VCardError(
            "The file is not a valid vCard file (a value could not be read). Nothing was imported."
        ) from None
    if not components:
        raise VCardError("The file holds no vCards. Nothing was imported.")
    cards: list[ParsedCard] = []
    problems: list[str] = []
    for number, component in enumerate(components, start=1):
        if component.name.upper() != "VCARD":
            raise VCardError(
                f"Item {number} of the file is a {component.name}, not a vCard. "
                "Nothing was imported."
            )
        try:
            card = _card(component, number)
        except (ValueError, TypeError, AttributeError, IndexError, KeyError):
            raise VCardError(
                f"Card {number} could not be read (a value is malformed). Nothing was imported."
            ) from None
        try:
            cards.append(ParsedCard(number, checked_collaborator(card.data), card.uid))
        except ValidationError as exc:
            fields = "; ".join(
                f"{field.replace('_', ' ')} {message}" for field, message in exc.errors.items()
            )
            problems.append(f"card {number} ({card.data.name[:60]}): {fields}")
    if problems:
        more = len(problems) - _SHOWN_PROBLEMS
        shown = "; ".join(problems[:_SHOWN_PROBLEMS]) + (f"; and {more} more" if more > 0 else "")
        raise VCardError(f"Some cards cannot be imported: {shown}. Nothing was imported.")
    return cards


def import_vcards(session: Session, data: bytes) -> ImportResult:
    """Add every card of a vCard file that is not a duplicate; all or nothing.

    Raises VCardError before writing anything if any card is malformed. The caller's unit
    of work commits the additions together.
    """
    cards = parse_vcards(data)
    existing = list_collaborators(session)
    seen: list[CollaboratorInput] = []
    imported: list[uuid.UUID] = []
    skipped: list[SkippedCard] = []
    for card in cards:
        twin = next(
            (
                row
                for row in existing
                if row.id == card.uid
                or likely_same_collaborator(row.name, row.phone, card.data.name, card.data.phone)
            ),
            None,
        )
        if twin is not None:
            skipped.append(SkippedCard(card.number, card.data.name, twin.id))
            continue
        if any(
            likely_same_collaborator(s.name, s.phone, card.data.name, card.data.phone) for s in seen
        ):
            skipped.append(SkippedCard(card.number, card.data.name, None))
            continue
        seen.append(card.data)
        imported.append(add_collaborator(session, card.data))
    return ImportResult(tuple(imported), tuple(skipped))


# -- writing ------------------------------------------------------------------------------
def collaborators_to_vcards(rows: Iterable[CollaboratorRow], version: VCardVersion = "3.0") -> str:
    """The directory as one vCard file (CRLF line ends, folded lines)."""
    import vobject

    if version not in VERSIONS:
        raise ValueError(f"vCard version must be one of {', '.join(VERSIONS)}")
    v4 = version == "4.0"
    out = []
    for row in rows:
        card = vobject.vCard()
        card.add("version").value = version
        card.add("uid").value = f"urn:uuid:{row.id}"
        card.add("fn").value = row.name
        given, _, family = row.name.rpartition(" ")
        card.add("n").value = vobject.vcard.Name(family=family, given=given, suffix=row.credentials)
        if row.organisation:
            card.add("org").value = [row.organisation]
        card.add("role").value = row.role.label
        card.add(_ROLE_X).value = row.role.value
        for number, kinds in ((row.phone, ["work", "voice"]), (row.fax, ["work", "fax"])):
            if number:
                tel = card.add("tel")
                tel.value = number
                tel.params["TYPE"] = kinds if v4 else [k.upper() for k in kinds]
        if row.email:
            email = card.add("email")
            email.value = row.email
            email.params["TYPE"] = ["work"] if v4 else ["INTERNET", "WORK"]
        if row.address:
            adr = card.add("adr")
            adr.value = vobject.vcard.Address(street=row.address)
            adr.params["TYPE"] = ["work"] if v4 else ["WORK"]
        if row.notes:
            card.add("note").value = row.notes
        if row.preferred_contact:
            card.add(_PREFERRED_X).value = row.preferred_contact.value
        out.append(card.serialize())
    return "".join(out)


def export_vcards(session: Session, version: VCardVersion = "3.0") -> str:
    """Every directory entry as a vCard file of ``version``."""
    return collaborators_to_vcards(list_collaborators(session), version)

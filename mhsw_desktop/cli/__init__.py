"""The headless ``mhsw`` command: vault and client operations for scripts (no Qt imported).

A public contract: verbs, flags, exit codes and ``--json`` output only ever grow.
Exit codes: 0 success, 1 error, 2 usage, 3 wrong passphrase or recovery key.
Secrets come from standard input (one per line) when it is not a terminal, otherwise
from a prompt without echo. Errors are one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import uuid
from collections.abc import Callable, Sequence
from dataclasses import asdict, replace
from datetime import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from mhsw_desktop.vault.vault import Vault

EXIT_OK, EXIT_ERROR, EXIT_USAGE, EXIT_WRONG_SECRET = 0, 1, 2, 3
#: for tests and benchmarks only: use the 64 MiB, one-pass floor instead of calibrating
FAST_KDF_ENV = "MHSW_TEST_MINIMUM_KDF"


class CliError(Exception):
    def __init__(self, message: str, code: int = EXIT_ERROR) -> None:
        super().__init__(message)
        self.code = code


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(EXIT_USAGE, f"mhsw: usage error: {message} (see mhsw --help)\n")


# -- secrets ------------------------------------------------------------------------
class Secrets:
    """Reads secrets: line by line from piped stdin, or prompted without echo."""

    def __init__(self) -> None:
        self.interactive = sys.stdin is not None and sys.stdin.isatty()

    def read(self, prompt: str, *, confirm: bool = False) -> str:
        if self.interactive:
            import getpass

            value = getpass.getpass(f"{prompt}: ")
            if confirm and getpass.getpass(f"{prompt} (again): ") != value:
                raise CliError("The two entries do not match; nothing was changed.")
        else:
            line = sys.stdin.readline() if sys.stdin is not None else ""
            if not line:
                raise CliError(f"Expected the {prompt.lower()} as a line on standard input.")
            value = line.rstrip("\r\n")
        if not value:
            raise CliError(f"The {prompt.lower()} is empty.")
        return value


# -- output -------------------------------------------------------------------------
def _emit(args: argparse.Namespace, payload: dict[str, Any], text: str) -> None:
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
    elif text:
        print(text)


def _vault_dir(args: argparse.Namespace) -> Path:
    if not args.vault:
        raise CliError("--vault DIR is required.", EXIT_USAGE)
    return Path(args.vault).expanduser()


def _open(args: argparse.Namespace, secrets: Secrets) -> Vault:
    from mhsw_desktop.vault.vault import Vault

    return Vault.open(_vault_dir(args), secrets.read("Passphrase"))


def _kdf_params() -> Any:
    if os.environ.get(FAST_KDF_ENV) == "1":
        from mhsw_desktop.vault.kdf import minimum_params

        return minimum_params()
    return None


# -- commands -----------------------------------------------------------------------
def cmd_init(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.vault.vault import Vault

    folder = _vault_dir(args)
    passphrase = secrets.read("New passphrase", confirm=True)
    vault, recovery = Vault.create(folder, passphrase, params=_kdf_params())
    info = vault.info
    vault.lock()
    _emit(
        args,
        {"vault": str(info.folder), "vault_id": info.vault_id, "recovery_key": recovery},
        f"Vault created in {info.folder}.\n\n"
        "Recovery key - shown this once. Print it or write it down and keep it somewhere\n"
        "safe, apart from this computer. It opens the vault if the passphrase is forgotten.\n\n"
        f"    {recovery}\n",
    )
    return EXIT_OK


def cmd_verify(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.vault.errors import VaultCorrupt
    from mhsw_desktop.vault.vault import Vault

    folder = _vault_dir(args)
    try:
        # Verify looks, it never writes: an older schema is reported, not upgraded.
        vault = Vault.open(folder, secrets.read("Passphrase"), migrate=False)
    except VaultCorrupt as exc:
        _emit(args, {"ok": False, "checks": {}, "problems": [str(exc)]}, f"FAULT: {exc}")
        return EXIT_ERROR
    with vault:
        report = vault.verify()
    checks = ", ".join(f"{name} {value}" for name, value in report.checks.items())
    if report.ok:
        text = f"OK: {folder} passed every check ({checks})."
    else:
        text = f"FAULT: {folder}: " + "; ".join(report.problems)
    _emit(args, {"ok": report.ok, "checks": report.checks, "problems": report.problems}, text)
    return EXIT_OK if report.ok else EXIT_ERROR


def cmd_change_passphrase(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.vault.passphrase import assess

    vault = _open(args, secrets)
    with vault:
        new = secrets.read("New passphrase", confirm=True)
        strength = assess(new)
        if not strength.acceptable:
            raise CliError(f"That passphrase is too weak: {strength.feedback}")
        vault.change_passphrase(new)
    _emit(args, {"changed": True}, "Passphrase changed. The recovery key still works.")
    return EXIT_OK


def cmd_unlock_recovery(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.vault.vault import Vault

    vault = Vault.open_with_recovery(_vault_dir(args), secrets.read("Recovery key"))
    with vault:
        new = secrets.read("New passphrase", confirm=True)
        vault.change_passphrase(new)
    _emit(
        args,
        {"changed": True},
        "Vault unlocked with the recovery key and a new passphrase set. "
        "The recovery key still works.",
    )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.clients import count_clients
    from mhsw_desktop.services.synthetic import fill_demo

    if args.clients < 0 or args.clients > 1_000_000:
        raise CliError("--clients must be between 0 and 1000000.", EXIT_USAGE)
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        if count_clients(session):
            raise CliError(
                "The vault already holds clients; demo data goes only into an empty vault."
            )
        added = fill_demo(session, args.clients, args.seed, notes_per_client=args.notes)
    _emit(
        args,
        {"clients": added, "seed": args.seed, "notes_per_client": args.notes},
        f"Added {added} synthetic clients"
        + (f" with {args.notes} notes each." if args.notes else "."),
    )
    return EXIT_OK


def cmd_clients_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.clients import list_clients

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_clients(session, args.status)
    if args.json:
        _emit(args, {"count": len(rows), "clients": [row.to_json() for row in rows]}, "")
        return EXIT_OK
    for row in rows:
        print(f"{row.id}  {row.display_name}  {row.date_of_birth.isoformat()}  {row.status.value}")
    print(f"{len(rows)} client{'s' if len(rows) != 1 else ''}", file=sys.stderr)
    return EXIT_OK


def language_flags(p: argparse.ArgumentParser, *, new: bool) -> None:
    """--language, --interpreter/--no-interpreter, --documents (defaults only when adding)."""
    p.add_argument(
        "--language", default="en" if new else None, metavar="CODE",
        help="the client's preferred language (en, es; default en)" if new
        else "the client's preferred language (en, es)",
    )  # fmt: skip
    p.add_argument(
        "--interpreter", action=argparse.BooleanOptionalAction, default=False if new else None,
        help="whether an interpreter is needed",
    )  # fmt: skip
    p.add_argument(
        "--documents", choices=("english", "client", "both"),
        default="client" if new else None,
        help="the language of the client's documents: English, the client's language "
             "(the default), or both",
    )  # fmt: skip


def cmd_clients_set_language(args: argparse.Namespace, secrets: Secrets) -> int:
    from datetime import date

    from mhsw_desktop.domain.client_rules import normalised
    from mhsw_desktop.services.clients import get_client, update_client

    changes = {
        name: value
        for name, value in (
            ("preferred_language", args.language),
            ("interpreter_needed", args.interpreter),
            ("document_language", args.documents),
        )
        if value is not None
    }
    if not changes:
        raise CliError("Give --language, --interpreter/--no-interpreter or --documents.",
                       EXIT_USAGE)  # fmt: skip
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        data = replace(get_client(session, args.id).data, **changes)
        normalised(data, date.today())
        update_client(session, args.id, data)
    _emit(
        args,
        {"id": str(args.id), "preferred_language": data.preferred_language,
         "interpreter_needed": data.interpreter_needed,
         "document_language": data.document_language},
        f"{args.id}: language {data.preferred_language}, interpreter "
        f"{'needed' if data.interpreter_needed else 'not needed'}, documents "
        f"{data.document_language}",
    )  # fmt: skip
    return EXIT_OK


def cmd_clients_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from datetime import date

    from mhsw_desktop.domain.client_rules import ClientInput, normalised, parse_date
    from mhsw_desktop.services.clients import add_client, likely_duplicates

    data = ClientInput(
        legal_first_name=args.first_name,
        legal_last_name=args.last_name,
        date_of_birth=parse_date(args.dob, "date_of_birth"),
        preferred_name=args.preferred_name,
        pronouns=args.pronouns,
        phone=args.phone,
        email=args.email,
        address=args.address,
        emergency_contact_name=args.emergency_contact_name,
        emergency_contact_phone=args.emergency_contact_phone,
        intake_date=parse_date(args.intake_date, "intake_date") if args.intake_date else None,
        important_to_know=args.important,
        preferred_language=args.language,
        interpreter_needed=args.interpreter,
        document_language=args.documents,
    )
    normalised(data, date.today())  # bad input is refused before the passphrase is asked
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        duplicates = likely_duplicates(session, data)
        if duplicates and not args.allow_duplicate:
            ids = ", ".join(str(row.id) for row in duplicates)
            raise CliError(
                f"A client with the same name and date of birth already exists ({ids}); "
                "nothing was added. Use --allow-duplicate to add anyway."
            )
        client_id = add_client(session, data)
    _emit(args, {"id": str(client_id)}, str(client_id))
    return EXIT_OK


# -- notes, search, tasks, practitioner ------------------------------------------------
def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a record id") from None


def _sections(pairs: list[str]) -> dict[str, str]:
    sections: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise CliError(f"--section takes NAME=TEXT, got {pair!r}.", EXIT_USAGE)
        sections[name.strip().lower()] = value
    return sections


def _clock(text: str) -> time:
    try:
        return time.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a time (HH:MM)") from None


def _note_input(args: argparse.Namespace, base: Any | None = None) -> Any:
    from mhsw_desktop.domain.client_rules import parse_date
    from mhsw_desktop.domain.note import Location, ServiceType
    from mhsw_desktop.services.notes import NoteInput

    if base is None:
        return NoteInput(
            client_id=args.client,
            session_date=parse_date(args.date, "session_date"),
            template_key=args.template,
            sections=_sections(args.section),
            start_time=args.start,
            duration_minutes=args.duration,
            service_type=ServiceType(args.service_type),
            location=Location(args.location),
            present=args.present,
            psychotherapy_note=args.psychotherapy_note or "",
        )
    changes: dict[str, Any] = {"sections": {**base.sections, **_sections(args.section)}}
    if args.psychotherapy_note is not None:
        changes["psychotherapy_note"] = args.psychotherapy_note
    if args.date:
        changes["session_date"] = parse_date(args.date, "session_date")
    if args.duration is not None:
        changes["duration_minutes"] = args.duration
    return replace(base, **changes)


def cmd_notes_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.notes import create_draft

    data = _note_input(args)
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        note_id = create_draft(session, data)
    _emit(args, {"id": str(note_id)}, str(note_id))
    return EXIT_OK


def cmd_notes_update(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.notes import get_note, save_draft

    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        detail = get_note(session, args.id)
        save_draft(session, args.id, _note_input(args, detail.data))
    _emit(args, {"id": str(args.id), "updated": True}, f"Draft {args.id} updated.")
    return EXIT_OK


def cmd_notes_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.notes import list_notes

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_notes(session, args.client)
    if args.json:
        _emit(args, {"count": len(rows), "notes": [row.to_json() for row in rows]}, "")
        return EXIT_OK
    for row in rows:
        state = "signed" if row.signed_at else "DRAFT"
        late = " late-entry" if row.late_entry else ""
        print(f"{row.id}  {row.session_date.isoformat()}  {row.template_name:<9}  {state}{late}")
    return EXIT_OK


def cmd_notes_show(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.audit import record
    from mhsw_desktop.services.notes import get_note

    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        note = get_note(session, args.id)
        record(session, "view", object_type="notes", object_id=note.id, client_id=note.client_id)
    sections = {s.key: note.data.sections.get(s.key, "") for s in note.template.sections}
    payload = {
        "id": str(note.id),
        "client_id": str(note.client_id),
        "session_date": note.data.session_date.isoformat(),
        "template": note.template.key,
        "sections": sections,
        "signed_at": note.signed_at.isoformat(timespec="seconds") if note.signed_at else None,
        "signer": note.signer_name or None,
        "content_hash": note.content_hash or None,
        "late_entry": note.late_entry,
        "addenda": [
            {"text": a.text, "signed_at": a.signed_at.isoformat(timespec="seconds"),
             "signer": a.signer_name}
            for a in note.addenda
        ],
    }  # fmt: skip
    lines = [f"{note.template.name} note, {note.data.session_date.isoformat()}"]
    for section in note.template.sections:
        lines += ["", f"{section.title}:", sections[section.key] or "(empty)"]
    if note.signed_at:
        lines += [
            "",
            f"Signed {note.signed_at:%Y-%m-%d %H:%M} by {note.signer_name}"
            f" {note.signer_credentials}".rstrip(),
            f"SHA-256 {note.content_hash}",
        ]
    else:
        lines += ["", "DRAFT (unsigned)"]
    for a in note.addenda:
        lines += ["", f"Addendum {a.signed_at:%Y-%m-%d %H:%M} by {a.signer_name}:", a.text]
    _emit(args, payload, "\n".join(lines))
    return EXIT_OK


def cmd_notes_sign(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.notes import sign_note
    from mhsw_desktop.services.practitioner import signer_for

    vault = _open(args, secrets)  # the passphrase just given is the signature's re-entry
    with vault, vault.unit_of_work() as session:
        digest = sign_note(session, args.id, signer_for(session))
    _emit(args, {"id": str(args.id), "content_hash": digest}, f"Signed. SHA-256 {digest}")
    return EXIT_OK


def cmd_notes_addendum(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.notes import add_addendum
    from mhsw_desktop.services.practitioner import signer_for

    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        addendum_id = add_addendum(session, args.id, args.text, signer_for(session))
    _emit(args, {"id": str(addendum_id)}, str(addendum_id))
    return EXIT_OK


def cmd_search(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.search import plain_snippet, search

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        hits = search(
            session,
            args.query,
            client_id=args.client,
            include_private=args.include_private,
            limit=args.limit,
        )
    if args.json:
        _emit(args, {"count": len(hits), "results": [hit.to_json() for hit in hits]}, "")
        return EXIT_OK
    for hit in hits:
        when = hit.date.isoformat() if hit.date else ""
        print(f"{hit.kind:<6} {hit.ref_id}  {when}  {hit.client_name}")
        print("       " + " ".join(plain_snippet(hit.snippet).split()))
    return EXIT_OK


def cmd_tasks_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.tasks import list_tasks

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_tasks(session, args.due)
    if args.json:
        _emit(args, {"count": len(rows), "tasks": [row.to_json() for row in rows]}, "")
        return EXIT_OK
    for row in rows:
        flag = "done" if row.completed_at else "OVERDUE" if row.overdue else "due"
        print(f"{row.id}  {row.due_date.isoformat()}  {flag:<7}  {row.title}"
              + (f"  ({row.client_name})" if row.client_name else ""))  # fmt: skip
    return EXIT_OK


def cmd_tasks_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.domain.client_rules import parse_date
    from mhsw_desktop.services.tasks import TaskInput, add_task

    data = TaskInput(
        title=args.title,
        due_date=parse_date(args.due, "due_date"),
        details=args.details,
        client_id=args.client,
        note_id=args.note,
    )
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        task_id = add_task(session, data)
    _emit(args, {"id": str(task_id)}, str(task_id))
    return EXIT_OK


def cmd_tasks_done(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.tasks import complete_task

    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        complete_task(session, args.id)
    _emit(args, {"id": str(args.id), "done": True}, "Task marked done.")
    return EXIT_OK


def _logo_json(png: bytes | None) -> dict[str, Any]:
    """The logo as scripts see it: present or not, and its size (never its bytes)."""
    if png is None:
        return {"present": False, "width": None, "height": None}
    from mhsw_desktop.services.practitioner import logo_pixel_size

    width, height = logo_pixel_size(png)
    return {"present": True, "width": width, "height": height}


def _read_logo(path_text: str) -> bytes:
    """The logo file checked and re-encoded, before the passphrase is asked for."""
    from mhsw_desktop.services.practitioner import MAX_LOGO_BYTES, normalise_logo

    path = Path(path_text).expanduser()
    try:
        with path.open("rb") as file:
            data = file.read(MAX_LOGO_BYTES + 1)  # one byte over is enough to refuse it
    except OSError as exc:
        raise CliError(f"Could not read {path}: {exc.strerror}; nothing was changed.") from None
    return normalise_logo(data)


def cmd_practitioner_set(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.practitioner import (
        PractitionerInput,
        get_logo,
        get_practitioner,
        save_practitioner,
        set_logo,
    )

    logo = _read_logo(args.logo) if args.logo is not None else None
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        current = get_practitioner(session)
        changes = {
            name: value
            for name in ("name", "credentials", "licence_number", "practice_name", "address",
                         "phone", "paper_size")
            if (value := getattr(args, name)) is not None
        }  # fmt: skip
        save_practitioner(session, replace(current, **changes))
        if logo is not None or args.no_logo:
            set_logo(session, logo)
        saved: PractitionerInput = get_practitioner(session)
        png = get_logo(session)
    _emit(args, {**asdict(saved), "logo": _logo_json(png)}, "Practitioner profile saved.")
    return EXIT_OK


def cmd_practitioner_show(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.practitioner import PAPER_SIZES, get_logo, get_practitioner

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        profile = get_practitioner(session)
        png = get_logo(session)
    logo = _logo_json(png)
    if args.json:
        _emit(args, {**asdict(profile), "logo": logo}, "")
        return EXIT_OK
    rows = (
        ("Name", profile.name),
        ("Credentials", profile.credentials),
        ("Licence number", profile.licence_number),
        ("Practice name", profile.practice_name),
        ("Address", profile.address),
        ("Phone", profile.phone),
        ("Paper size", PAPER_SIZES.get(profile.paper_size, profile.paper_size)),
        ("Logo", f"{logo['width']} x {logo['height']} px" if logo["present"] else "none"),
    )
    width = max(len(label) for label, _ in rows) + 2
    for label, value in rows:
        # a multi-line address continues under its first line
        lines = value.splitlines() or [""]
        print(f"{label + ':':<{width}}{lines[0]}".rstrip())
        for line in lines[1:]:
            print(f"{'':<{width}}{line}".rstrip())
    return EXIT_OK


# -- care team ------------------------------------------------------------------------
def _date_arg(text: str | None, field: str) -> Any:
    """A YYYY-MM-DD option as a date (None when not given)."""
    from mhsw_desktop.domain.client_rules import parse_date

    return parse_date(text, field) if text else None


def _categories_arg(text: str) -> Any:
    """``--categories attendance,diagnosis`` as categories, before the passphrase is asked."""
    from mhsw_desktop.domain.care_team import parse_category

    try:
        found = [parse_category(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        from mhsw_desktop.domain.care_team import Category

        known = ", ".join(c.value for c in Category)
        raise CliError(f"--categories: {exc}; use any of {known}.", EXIT_USAGE) from None
    if not found:
        raise CliError("--categories names no category.", EXIT_USAGE)
    return tuple(found)


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


def cmd_collaborators_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.care_team import list_collaborators

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_collaborators(session)
    if args.json:
        _emit(args, {"count": len(rows), "collaborators": [r.to_json() for r in rows]}, "")
        return EXIT_OK
    for row in rows:
        extra = "  ".join(p for p in (row.organisation, row.phone) if p)
        print(f"{row.id}  {row.display_name}  ({row.role.label})" + (f"  {extra}" if extra else ""))
    print(_plural(len(rows), "collaborator"), file=sys.stderr)
    return EXIT_OK


def cmd_collaborators_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.domain.care_team import CollaboratorRole, ContactMethod
    from mhsw_desktop.services.care_team import (
        CollaboratorInput,
        add_collaborator,
        likely_duplicate_collaborators,
    )

    data = CollaboratorInput(
        name=args.name,
        role=CollaboratorRole(args.role),
        credentials=args.credentials,
        organisation=args.organisation,
        phone=args.phone,
        fax=args.fax,
        email=args.email,
        address=args.address,
        preferred_contact=ContactMethod(args.preferred_contact or ""),
        notes=args.notes,
    )
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        duplicates = likely_duplicate_collaborators(session, data)
        if duplicates and not args.allow_duplicate:
            ids = ", ".join(str(row.id) for row in duplicates)
            raise CliError(
                f"A collaborator with the same name and phone is already in the directory "
                f"({ids}); nothing was added. Use --allow-duplicate to add anyway."
            )
        collaborator_id = add_collaborator(session, data)
    _emit(args, {"id": str(collaborator_id)}, str(collaborator_id))
    return EXIT_OK


def cmd_collaborators_import(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.vcard import MAX_VCARD_BYTES, import_vcards, parse_vcards

    path = Path(args.file).expanduser()
    try:
        with path.open("rb") as file:
            data = file.read(MAX_VCARD_BYTES + 1)  # one byte over is enough to refuse it
    except OSError as exc:
        raise CliError(f"Could not read {path}: {exc.strerror}; nothing was imported.") from None
    parse_vcards(data)  # a malformed file says so before the passphrase is asked for
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        result = import_vcards(session, data)
    lines = [f"Imported {_plural(len(result.imported), 'collaborator')}."]
    if result.skipped:
        lines.append(f"Skipped {_plural(len(result.skipped), 'duplicate')}:")
        lines += [
            f"  card {s.number}: {s.name} "
            + (f"(already in the directory as {s.duplicate_of})" if s.duplicate_of
               else "(repeats an earlier card of the file)")
            for s in result.skipped
        ]  # fmt: skip
    _emit(args, result.to_json(), "\n".join(lines))
    return EXIT_OK


def cmd_collaborators_export(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.care_team import list_collaborators
    from mhsw_desktop.services.vcard import collaborators_to_vcards
    from mhsw_desktop.vault.files import write_atomic

    target = Path(args.output).expanduser()
    if target.is_dir():
        raise CliError(f"{target} is a folder; give a file name ending in .vcf.", EXIT_USAGE)
    if not target.parent.is_dir():
        raise CliError(f"The folder {target.parent} does not exist; nothing was written.")
    from mhsw_desktop.services.audit import record

    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        rows = list_collaborators(session)
        data = collaborators_to_vcards(rows, args.vcard_version).encode("utf-8")
        detail = f"{_plural(len(rows), 'collaborator')}, vCard {args.vcard_version}"
        record(session, "export", object_type="collaborators", detail=detail)
        try:
            write_atomic(target, data)
        except OSError as exc:
            raise CliError(
                f"Could not write {target}: {exc.strerror}; nothing was written."
            ) from None
    _emit(
        args,
        {"file": str(target), "count": len(rows), "version": args.vcard_version},
        f"Wrote {_plural(len(rows), 'collaborator')} to {target} (vCard {args.vcard_version}).",
    )
    return EXIT_OK


def cmd_team_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.care_team import list_team

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_team(session, args.client)
    if args.json:
        _emit(args, {"count": len(rows), "members": [r.to_json() for r in rows]}, "")
        return EXIT_OK
    for row in rows:
        when = "current" if row.current else (
            f"ended {row.end_date.isoformat()}" if row.end_date else
            f"from {row.start_date.isoformat()}")  # fmt: skip
        primary = ", primary contact" if row.primary_contact else ""
        release = row.release_status.value if row.release_status else "no release"
        shared = ", ".join(c.value for c in row.may_share) or "nothing"
        print(
            f"{row.id}  {row.display_name} ({row.display_role}{primary})  {when}  "
            f"release: {release}; may share: {shared}"
        )
    return EXIT_OK


def cmd_team_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.care_team import TeamMemberInput, add_team_member

    data = TeamMemberInput(
        collaborator_id=args.collaborator,
        team_role=args.role,
        start_date=_date_arg(args.start, "start_date"),
        end_date=_date_arg(args.end, "end_date"),
        primary_contact=args.primary,
    )
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        member_id = add_team_member(session, args.client, data)
    _emit(args, {"id": str(member_id)}, str(member_id))
    return EXIT_OK


def cmd_team_end(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.care_team import end_team_membership

    on = _date_arg(args.date, "end_date")
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        end_team_membership(session, args.id, on)
    _emit(args, {"id": str(args.id), "ended": True}, "Team membership ended.")
    return EXIT_OK


def cmd_roi_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.care_team import list_releases

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_releases(session, args.client)
    if args.json:
        _emit(args, {"count": len(rows), "releases": [r.to_json() for r in rows]}, "")
        return EXIT_OK
    for row in rows:
        ends = row.expiry_date.isoformat() if row.expiry_date else f"on: {row.expiry_event}"
        if row.revoked_date:
            ends += f", revoked {row.revoked_date.isoformat()}"
        print(
            f"{row.id}  {row.collaborator_name}  {row.status.value.upper()}  "
            f"signed {row.signed_date.isoformat()}, expires {ends}  "
            f"[{', '.join(c.value for c in row.categories)}]"
        )
    return EXIT_OK


def cmd_roi_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.domain.client_rules import parse_date
    from mhsw_desktop.services.care_team import ReleaseInput, add_release

    data = ReleaseInput(
        collaborator_id=args.collaborator,
        categories=_categories_arg(args.categories),
        purpose=args.purpose,
        signed_date=parse_date(args.signed, "signed_date"),
        expiry_date=_date_arg(args.expires, "expiry_date"),
        expiry_event=args.expiry_event,
        substance_use_consent=args.substance_use_consent,
    )
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        release_id = add_release(session, args.client, data)
    _emit(args, {"id": str(release_id)}, str(release_id))
    return EXIT_OK


def cmd_roi_revoke(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.care_team import revoke_release

    on = _date_arg(args.date, "revoked_date")
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        revoke_release(session, args.id, on)
    _emit(args, {"id": str(args.id), "revoked": True}, "Release revoked.")
    return EXIT_OK


def cmd_contacts_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.domain.care_team import ContactMode, Direction
    from mhsw_desktop.domain.client_rules import parse_date
    from mhsw_desktop.services.care_team import ContactInput, add_contact

    data = ContactInput(
        collaborator_id=args.collaborator,
        contact_date=parse_date(args.date, "contact_date"),
        mode=ContactMode(args.mode),
        direction=Direction(args.direction),
        summary=args.summary,
    )
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        contact_id = add_contact(session, args.client, data)
    _emit(args, {"id": str(contact_id)}, str(contact_id))
    return EXIT_OK


def cmd_contacts_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.care_team import list_contacts

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_contacts(session, args.client)
    if args.json:
        _emit(args, {"count": len(rows), "contacts": [r.to_json() for r in rows]}, "")
        return EXIT_OK
    for row in rows:
        print(f"{row.id}  {row.contact_date.isoformat()}  {row.direction.value:<3}  "
              f"{row.mode.label:<14}  {row.collaborator_name}")  # fmt: skip
        print("    " + " ".join(row.summary.split()))
    return EXIT_OK


def cmd_disclosures(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.care_team import list_disclosures

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_disclosures(session, args.client)
    if args.json:
        _emit(args, {"count": len(rows), "disclosures": [r.to_json() for r in rows]}, "")
        return EXIT_OK
    for row in rows:
        print(
            f"{row.disclosed_on.isoformat()}  {row.recipient_name}  {row.means.label}  "
            f"[{', '.join(c.value for c in row.categories)}]  {row.what}"
        )
    print(_plural(len(rows), "disclosure"), file=sys.stderr)
    return EXIT_OK


def cmd_disclose(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.domain.care_team import DisclosureMeans
    from mhsw_desktop.services.care_team import check_sharing, record_disclosure

    categories = _categories_arg(args.categories)
    day = _date_arg(args.date, "date")
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        release_id = check_sharing(session, args.client, args.to, categories, today=day)
        disclosure_id = record_disclosure(
            session, args.client, args.to, release_id, categories,
            DisclosureMeans(args.means), args.what, when=day,
        )  # fmt: skip
    _emit(
        args,
        {"id": str(disclosure_id), "release_id": str(release_id)},
        f"Recorded under release {release_id}: {disclosure_id}",
    )
    return EXIT_OK


# -- measures -------------------------------------------------------------------------
def _measure_lines(row: Any) -> list[str]:
    """What ``measures add`` prints: the score, then any alert and notice, one a line."""
    lines = [f"{row.id}  {row.taken_on.isoformat()}  {row.name} {row.score_text}"]
    lines += [f"ALERT: {message}. Review risk and the client's safety plan." for message in
              row.alert_messages]  # fmt: skip
    lines += [f"Note: {notice}." for notice in row.notices]
    return lines


def cmd_measures_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from datetime import date

    from mhsw_desktop.domain.measure_defs import definition, parse_items, score
    from mhsw_desktop.services.measures import MeasureInput, add_measure

    answers = parse_items(args.items)
    score(definition(args.kind), answers, args.difficulty)  # refuse before the passphrase
    data = MeasureInput(
        client_id=args.client,
        kind=args.kind,
        answers=answers,
        taken_on=_date_arg(args.date, "date") or date.today(),
        difficulty=args.difficulty,
        note_id=args.note,
    )
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        row = add_measure(session, data)
    _emit(args, row.to_json(), "\n".join(_measure_lines(row)))
    return EXIT_OK


def cmd_measures_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.measures import change_since_baseline, list_measures

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_measures(session, args.client, args.kind)
        kinds = dict.fromkeys(row.kind for row in rows)
        changes = [c for k in kinds if (c := change_since_baseline(session, args.client, k))]
    if args.json:
        payload = {
            "count": len(rows),
            "measures": [row.to_json() for row in rows],
            "changes_since_baseline": [c.to_json() for c in changes],
        }
        _emit(args, payload, "")
        return EXIT_OK
    for row in rows:
        flag = ("  ALERT" if row.alert_open else "  alert reviewed") if row.alert else ""
        print(f"{row.id}  {row.taken_on.isoformat()}  {row.name:<6} {row.score_text}{flag}")
    for change in changes:
        print(f"Since baseline: {change.summary}")
    print(_plural(len(rows), "measure"), file=sys.stderr)
    return EXIT_OK


def cmd_measures_review(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.measures import review_alert

    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        review_alert(session, args.id, args.note)
    _emit(args, {"id": str(args.id), "reviewed": True}, "Alert marked reviewed.")
    return EXIT_OK


def cmd_measures_event(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.domain.measures import EventKind
    from mhsw_desktop.services.measures import EventInput, add_event

    data = EventInput(args.client, _date_arg(args.date, "date"), EventKind(args.kind), args.label)
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        event_id = add_event(session, data)
    _emit(args, {"id": str(event_id)}, str(event_id))
    return EXIT_OK


def cmd_measures_events(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.measures import list_events

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_events(session, args.client)
    if args.json:
        _emit(args, {"count": len(rows), "events": [r.to_json() for r in rows]}, "")
        return EXIT_OK
    for row in rows:
        print(f"{row.id}  {row.event_date.isoformat()}  {row.kind.label}  {row.label}")
    return EXIT_OK


def cmd_alerts(args: argparse.Namespace, secrets: Secrets) -> int:
    from datetime import date

    from mhsw_desktop.services.measures import alerts

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = alerts(session, date.today())
    if args.json:
        _emit(args, {"count": len(rows), "alerts": [r.to_json() for r in rows]}, "")
        return EXIT_OK
    for row in rows:
        print(f"{row.measure_id}  {row.taken_on.isoformat()}  {row.client_name}  "
              f"{'; '.join(row.messages)}")  # fmt: skip
    print(_plural(len(rows), "alert") + " to review", file=sys.stderr)
    return EXIT_OK


# -- the audit log ----------------------------------------------------------------------
def _entries(count: int) -> str:
    return f"{count} {'entry' if count == 1 else 'entries'}"


def cmd_audit_verify(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.vault.vault import Vault

    # A check looks, it never writes: opened read-only, so the check itself is not logged.
    vault = Vault.open(_vault_dir(args), secrets.read("Passphrase"), migrate=False)
    with vault:
        result = vault.verify_audit()
    payload = {
        "ok": result.ok,
        "entries": result.entries,
        "head_hash": result.head_hash,
        "first_bad_entry": result.first_bad,
        "problem": result.problem or None,
    }
    if result.ok:
        text = f"OK: the audit log's {_entries(result.entries)} form an unbroken chain."
    else:
        where = f" (first bad entry: {result.first_bad})" if result.first_bad else ""
        text = f"FAULT: {result.problem}{where}."
    _emit(args, payload, text)
    return EXIT_OK if result.ok else EXIT_ERROR


def cmd_audit_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.audit import list_entries

    since, until = _date_arg(args.since, "since"), _date_arg(args.until, "until")
    if args.limit is not None and args.limit < 1:
        raise CliError("--limit must be 1 or more.", EXIT_USAGE)
    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_entries(session, client_id=args.client, action=args.action, since=since,
                            until=until, limit=args.limit)  # fmt: skip
    if args.json:
        _emit(args, {"count": len(rows), "entries": [r.to_json() for r in rows]}, "")
        return EXIT_OK
    for row in rows:
        what = " ".join(p for p in (row.object_type, str(row.object_id or "")) if p)
        when = row.at.isoformat(timespec="seconds")
        line = f"{row.seq:>7}  {when}  {row.action:<16} {row.outcome:<7}"
        print("  ".join(p for p in (line, what, row.detail) if p))
    print(_entries(len(rows)), file=sys.stderr)
    return EXIT_OK


# -- safety plans ---------------------------------------------------------------------
def _safety_plan_text(view: Any, versions: Sequence[Any]) -> str:
    """What ``safety-plan show`` prints: the version's steps, then the history."""
    from mhsw_desktop.services.safety_plans import STEPS, Contact

    if view.signed:
        signer = ", ".join(p for p in (view.signer_name, view.signer_credentials) if p)
        state = f"signed {view.signed_at.date().isoformat()} by {signer}"
    else:
        state = "draft, not signed"
    lines = [f"Safety plan, version {view.version_number} of {view.plan_date.isoformat()} "
             f"({state})"]  # fmt: skip
    if view.client_signed_on:
        lines.append(f"Client signed on {view.client_signed_on.isoformat()}")
    for step in STEPS:
        lines.append(f"{step.number}. {step.title}")
        entries = view.step(step.key)
        for entry in entries:
            if isinstance(entry, Contact):
                extra = "; ".join(p for p in (entry.organisation, entry.address) if p)
                extra = ", ".join(line.strip() for line in extra.splitlines() if line.strip())
                text = "  ".join(p for p in (entry.name, entry.phone) if p)
                entry = f"{text} ({extra})" if extra else text
            lines.append(f"   - {entry}")
        if not entries:
            lines.append("   (nothing yet)")
    likelihood = view.content.likelihood_of_use
    lines.append(
        "Likelihood of use: " + ("not recorded" if likelihood is None else f"{likelihood} of 10")
    )
    if view.content.barriers:
        lines.append(f"Barriers: {view.content.barriers}")
    lines.append("Versions: " + "; ".join(
        f"{row.version_number} of {row.plan_date.isoformat()} ({row.status.value})"
        for row in versions
    ))  # fmt: skip
    return "\n".join(lines)


def cmd_safety_plan_show(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.errors import NotFoundError
    from mhsw_desktop.services.safety_plans import (
        get_safety_plan,
        row_json,
        version_by_number,
        version_json,
    )

    if args.version is not None and args.version < 1:
        raise CliError("--version must be 1 or more.", EXIT_USAGE)
    from mhsw_desktop.services.audit import record

    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        state = get_safety_plan(session, args.client)
        if state is None:
            raise NotFoundError("This client has no safety plan yet.")
        view = state.current
        if args.version is not None and args.version != view.version_number:
            view = version_by_number(session, args.client, args.version)
        record(session, "view", object_type="safety_plan_versions", object_id=view.id,
               client_id=args.client)  # fmt: skip
    payload = {
        "client_id": str(args.client),
        "plan_id": str(state.plan_id),
        "version": version_json(view),
        "versions": [row_json(row) for row in state.versions],
    }
    _emit(args, payload, _safety_plan_text(view, state.versions))
    return EXIT_OK


# -- community resources and referrals ------------------------------------------------
def _resource_categories_arg(text: str) -> Any:
    """``--categories food;housing`` (labels too), before the passphrase is asked."""
    from mhsw_desktop.services.resources import parse_category

    try:
        return tuple(parse_category(part) for part in text.replace(",", ";").split(";")
                     if part.strip())  # fmt: skip
    except ValueError as exc:
        raise CliError(f"--categories: {exc}.", EXIT_USAGE) from None


def _resource_category_arg(text: str | None) -> Any:
    if not text:
        return None
    found = _resource_categories_arg(text)
    if len(found) != 1:
        raise CliError("--category takes one category.", EXIT_USAGE)
    return found[0]


def cmd_resources_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.resources import list_resources

    category = _resource_category_arg(args.category)
    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_resources(session, args.search, category=category, language=args.language)
    if args.json:
        _emit(args, {"count": len(rows), "resources": [r.to_json() for r in rows]}, "")
        return EXIT_OK
    for row in rows:
        extra = "  ".join(p for p in (row.category_labels, row.phone, row.languages) if p)
        print(f"{row.id}  {row.name}" + (f"  ({extra})" if extra else ""))
    print(_plural(len(rows), "resource"), file=sys.stderr)
    return EXIT_OK


def cmd_resources_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.resources import (
        ResourceInput,
        add_resource,
        checked_resource,
        likely_duplicate_resources,
    )

    data = ResourceInput(
        name=args.name,
        categories=_resource_categories_arg(args.categories),
        **{f: getattr(args, f) for f in ("services", "eligibility", "hours", "phone", "email",
                                         "website", "address", "languages", "notes")},
    )  # fmt: skip
    checked_resource(data)  # refuse before the passphrase
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        duplicates = likely_duplicate_resources(session, data)
        if duplicates and not args.allow_duplicate:
            ids = ", ".join(str(row.id) for row in duplicates)
            raise CliError(
                f"A resource with the same name and phone is already in the directory "
                f"({ids}); nothing was added. Use --allow-duplicate to add anyway."
            )
        resource_id = add_resource(session, data)
    _emit(args, {"id": str(resource_id)}, str(resource_id))
    return EXIT_OK


def cmd_resources_import(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.resources import (
        MAX_CSV_BYTES,
        import_resources_csv,
        parse_resources_csv,
    )

    path = Path(args.file).expanduser()
    try:
        with path.open("rb") as file:
            data = file.read(MAX_CSV_BYTES + 1)  # one byte over is enough to refuse it
    except OSError as exc:
        raise CliError(f"Could not read {path}: {exc.strerror}; nothing was imported.") from None
    parse_resources_csv(data)  # a malformed file says so before the passphrase is asked for
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        result = import_resources_csv(session, data)
    lines = [f"Imported {_plural(len(result.imported), 'resource')}."]
    if result.skipped:
        lines.append(f"Skipped {_plural(len(result.skipped), 'duplicate')}:")
        lines += [
            f"  row {s.row}: {s.name} "
            + (f"(already in the directory as {s.duplicate_of})" if s.duplicate_of
               else "(repeats an earlier row of the file)")
            for s in result.skipped
        ]  # fmt: skip
    _emit(args, result.to_json(), "\n".join(lines))
    return EXIT_OK


def cmd_resources_export(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.resources import list_resources, resources_to_csv
    from mhsw_desktop.vault.files import write_atomic

    target = Path(args.output).expanduser()
    if target.is_dir():
        raise CliError(f"{target} is a folder; give a file name ending in .csv.", EXIT_USAGE)
    if not target.parent.is_dir():
        raise CliError(f"The folder {target.parent} does not exist; nothing was written.")
    from mhsw_desktop.services.audit import record

    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        rows = list_resources(session)
        record(session, "export", object_type="community_resources",
               detail=f"{_plural(len(rows), 'resource')}, CSV")  # fmt: skip
        try:
            write_atomic(target, resources_to_csv(rows).encode("utf-8"))
        except OSError as exc:
            raise CliError(
                f"Could not write {target}: {exc.strerror}; nothing was written."
            ) from None
    _emit(
        args,
        {"file": str(target), "count": len(rows)},
        f"Wrote {_plural(len(rows), 'resource')} to {target}.",
    )
    return EXIT_OK


def _referral_line(row: Any) -> str:
    status = row.status.label + (f" {row.status_date.isoformat()}" if row.status_date else "")
    follow = ""
    if row.followup_date:
        follow = f"  follow-up {row.followup_date.isoformat()}" + (
            " (done)" if row.followup_done else ""
        )
    gone = " (no longer in the directory)" if row.resource_deleted else ""
    return f"{row.id}  {row.referred_on.isoformat()}  {row.resource_name}{gone}  {status}{follow}"


def _followup_arg(text: str | None) -> Any:
    """``--follow-up`` as a date; "none" clears it; absent is ``...`` (keep)."""
    if text is None:
        return ...
    return None if text.strip().lower() == "none" else _date_arg(text, "followup_date")


def cmd_referrals_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from datetime import date

    from mhsw_desktop.domain.resources import ReferralStatus
    from mhsw_desktop.services.resources import ReferralInput, add_referral, get_referral

    followup = _followup_arg(args.follow_up)
    data = ReferralInput(
        client_id=args.client,
        resource_id=args.resource,
        referred_on=_date_arg(args.date, "referred_on") or date.today(),
        status=ReferralStatus(args.status),
        followup_date=None if followup is ... else followup,
        notes=args.notes,
    )
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        row = get_referral(session, add_referral(session, data))
    _emit(args, row.to_json(), _referral_line(row))
    return EXIT_OK


def cmd_referrals_update(args: argparse.Namespace, secrets: Secrets) -> int:
    from dataclasses import replace as changed

    from mhsw_desktop.domain.resources import ReferralStatus
    from mhsw_desktop.services.resources import get_referral, update_referral

    followup = _followup_arg(args.follow_up)
    status_date = _date_arg(args.status_date, "status_date")
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        data = get_referral(session, args.id).data
        data = changed(
            data,
            status=ReferralStatus(args.status) if args.status else data.status,
            status_date=status_date,
            followup_date=data.followup_date if followup is ... else followup,
            notes=data.notes if args.notes is None else args.notes,
        )
        update_referral(session, args.id, data)
        row = get_referral(session, args.id)
    _emit(args, row.to_json(), _referral_line(row))
    return EXIT_OK


def cmd_referrals_list(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.services.resources import list_referrals

    vault = _open(args, secrets)
    with vault, vault.session() as session:
        rows = list_referrals(session, args.client)
    if args.json:
        _emit(args, {"count": len(rows), "referrals": [r.to_json() for r in rows]}, "")
        return EXIT_OK
    for row in rows:
        print(_referral_line(row))
    print(_plural(len(rows), "referral"), file=sys.stderr)
    return EXIT_OK


# -- reports --------------------------------------------------------------------------
def _day(text: str) -> Any:
    from mhsw_desktop.domain.client_rules import parse_date

    if text == "today":
        from datetime import date

        return date.today()
    return parse_date(text, "date")


def _report_usage(args: argparse.Namespace) -> None:
    """Flags that do not fit the report kind are usage errors, not silently ignored."""
    kind = args.kind
    from mhsw_desktop.reports import CLIENT_FACING

    if args.note is not None and kind not in ("session-summary", "next-steps"):
        raise CliError("--note is for session-summary and next-steps only.", EXIT_USAGE)
    if args.lang is not None and kind not in CLIENT_FACING:
        raise CliError(
            f"--lang is for the client's documents ({', '.join(sorted(CLIENT_FACING))}); "
            f"the {kind} report is the practitioner's record, in English.",
            EXIT_USAGE,
        )
    if args.measure is not None and kind not in ("phq9-form", "gad7-form"):
        raise CliError("--measure is for phq9-form and gad7-form only.", EXIT_USAGE)
    if args.release is not None and kind != "release-form":
        raise CliError("--release is for release-form only.", EXIT_USAGE)
    if args.resource and kind != "resources":
        raise CliError("--resource is for resources only.", EXIT_USAGE)
    if args.date is not None and kind != "session-summary":
        raise CliError("--date is for session-summary only.", EXIT_USAGE)
    if args.note is not None and args.date is not None:
        raise CliError("Give --note or --date, not both.", EXIT_USAGE)
    if args.status is not None and kind != "caseload":
        raise CliError("--status is for caseload only.", EXIT_USAGE)
    if args.include_psychotherapy_notes and kind not in PSYCHOTHERAPY_KINDS:
        raise CliError(
            "--include-psychotherapy-notes is for session-summary and record only.", EXIT_USAGE
        )
    per_client = kind not in ("caseload",) and not (kind == "session-summary" and args.date)
    if per_client and args.client is None:
        raise CliError(f"{kind} needs --client ID.", EXIT_USAGE)


def _in_languages(languages: tuple[str, ...]) -> str:
    """ " in es+en" for a client document not in English alone (for the audit line)."""
    return "" if languages == ("en",) else f" in {'+'.join(languages)}"


def _lang(text: str) -> str:
    from mhsw_desktop.domain.language import check_code

    value = text.strip().lower()
    if value != "both" and check_code(value) is not None:
        raise argparse.ArgumentTypeError(f"{text!r}: {check_code(value)}, or both")
    return value


#: the reports that can hold psychotherapy (process) notes when asked
PSYCHOTHERAPY_KINDS = ("session-summary", "record")


def cmd_report(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.reports.make import ReportRequest, check
    from mhsw_desktop.vault.files import write_atomic

    _report_usage(args)
    request = ReportRequest(
        kind=args.kind,
        client_id=args.client,
        note_id=args.note,
        day=_day(args.date) if args.date else None,
        status=args.status or "current",
        include_psychotherapy=args.include_psychotherapy_notes,
        for_collaborator=getattr(args, "for"),
        lang=args.lang,
        measure_id=args.measure,
        release_id=args.release,
        resource_ids=tuple(args.resource),
    )
    check(request)  # an unavailable kind says so before asking for the passphrase
    target = Path(args.output).expanduser()
    if target.is_dir():
        raise CliError(f"{target} is a folder; give a file name ending in .pdf.", EXIT_USAGE)
    if not target.parent.is_dir():
        raise CliError(f"The folder {target.parent} does not exist; nothing was written.")
    passphrase = secrets.read("Passphrase")
    password = None
    if args.pdf_password_stdin:
        from mhsw_desktop.reports.protect import check_password

        password = secrets.read("PDF password", confirm=True)
        check_password(password)  # before the vault is opened: a refusal costs nothing
    from mhsw_desktop.reports.make import make_report, record_sharing
    from mhsw_desktop.services import audit
    from mhsw_desktop.vault.vault import Vault

    disclosure = None
    vault = Vault.open(_vault_dir(args), passphrase)
    # One unit of work: the disclosure of a copy for a collaborator is written down
    # first and committed only once the file is written, so a failed write records nothing.
    with vault, vault.unit_of_work() as session:
        pdf = make_report(session, request)
        if request.for_collaborator is not None:
            disclosure = record_sharing(session, request, pdf, "pdf")
        data = pdf.data
        if password is not None:
            from mhsw_desktop.reports.protect import protect

            data = protect(data, password)
        pages = f"{pdf.pages} page{'s' if pdf.pages != 1 else ''}"
        what = f"{args.kind}{_in_languages(pdf.languages)}, {pages}, saved as PDF"
        audit.record(session, "export", object_type="report", client_id=request.client_id,
                     detail=what)  # fmt: skip
        try:
            write_atomic(target, data)
        except OSError as exc:
            raise CliError(
                f"Could not write {target}: {exc.strerror}; nothing was written."
            ) from None
    _emit(
        args,
        {
            "file": str(target),
            "kind": args.kind,
            "pages": pdf.pages,
            "bytes": len(data),
            "encrypted": password is not None,
            "psychotherapy_notes_included": request.include_psychotherapy,
            "for": str(request.for_collaborator) if request.for_collaborator else None,
            "disclosure_id": str(disclosure) if disclosure else None,
            "languages": list(pdf.languages),
        },
        f"Wrote {target} ({pdf.pages} page{'s' if pdf.pages != 1 else ''}"
        + (", password-protected" if password is not None else "")
        + (", recorded as disclosed)." if disclosure else ")."),
    )
    return EXIT_OK


# -- parser -------------------------------------------------------------------------
def build_parser() -> argparse.ArgumentParser:
    from mhsw_desktop import __version__

    common = _Parser(add_help=False)
    common.add_argument("--vault", metavar="DIR", default=argparse.SUPPRESS, help="vault folder")
    common.add_argument(
        "--json", action="store_true", default=argparse.SUPPRESS, help="machine-readable output"
    )

    parser = _Parser(
        prog="mhsw",
        description="MHSW Desktop on the command line. Secrets are read from standard "
        "input (one per line) or prompted without echo.",
        epilog="Exit codes: 0 success, 1 error, 2 usage, 3 wrong passphrase or recovery key.",
    )
    parser.add_argument("--vault", metavar="DIR", help="vault folder")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    parser.add_argument("--version", action="version", version=f"mhsw {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True

    def add(name: str, func: Callable[..., int], help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, parents=[common], help=help_text, description=help_text)
        p.set_defaults(func=func)
        return p

    add("init", cmd_init, "create a vault and print its recovery key")
    add("verify", cmd_verify, "check encryption, integrity and schema; exit 1 on any fault")
    add("change-passphrase", cmd_change_passphrase, "stdin: the old passphrase, then the new")
    add(
        "unlock-recovery",
        cmd_unlock_recovery,
        "stdin: the recovery key, then a new passphrase",
    )
    demo = add("demo", cmd_demo, "fill an empty vault with synthetic clients")
    demo.add_argument("--clients", type=int, default=200, metavar="N")
    demo.add_argument("--seed", type=int, default=1, metavar="S")
    demo.add_argument(
        "--notes", type=int, default=0, metavar="N", help="synthetic notes per client (default 0)"
    )

    clients = sub.add_parser("clients", help="list and add clients")
    clients_sub = clients.add_subparsers(
        dest="clients_command", metavar="ACTION", parser_class=_Parser
    )
    clients_sub.required = True
    listing = clients_sub.add_parser("list", parents=[common], help="list clients")
    listing.add_argument(
        "--status",
        choices=("active", "on_hold", "discharged", "current", "all"),
        default="active",
        help="which clients (default: active; current = active and on hold)",
    )
    listing.set_defaults(func=cmd_clients_list)
    adding = clients_sub.add_parser("add", parents=[common], help="add a client; prints its id")
    adding.add_argument("--first-name", required=True)
    adding.add_argument("--last-name", required=True)
    adding.add_argument("--dob", required=True, metavar="YYYY-MM-DD")
    adding.add_argument("--preferred-name", default="")
    adding.add_argument("--pronouns", default="")
    adding.add_argument("--phone", default="")
    adding.add_argument("--email", default="")
    adding.add_argument("--address", default="")
    adding.add_argument("--emergency-contact-name", default="")
    adding.add_argument("--emergency-contact-phone", default="")
    adding.add_argument("--intake-date", default="", metavar="YYYY-MM-DD")
    adding.add_argument("--important", default="", help="the 'important to know' note")
    adding.add_argument(
        "--allow-duplicate", action="store_true", help="add even if a likely duplicate exists"
    )
    language_flags(adding, new=True)
    adding.set_defaults(func=cmd_clients_add)
    lang = clients_sub.add_parser(
        "set-language", parents=[common],
        help="a client's preferred language, interpreter need and document language",
    )  # fmt: skip
    lang.add_argument("id", type=_uuid, metavar="ID")
    language_flags(lang, new=False)
    lang.set_defaults(func=cmd_clients_set_language)

    notes = sub.add_parser("notes", help="session notes: add, list, show, update, sign")
    notes_sub = notes.add_subparsers(dest="notes_command", metavar="ACTION", parser_class=_Parser)
    notes_sub.required = True

    def note_fields(p: argparse.ArgumentParser, *, new: bool) -> None:
        p.add_argument("--date", required=new, default="", metavar="YYYY-MM-DD")
        p.add_argument("--duration", type=int, metavar="MIN")
        p.add_argument(
            "--section", action="append", default=[], metavar="NAME=TEXT",
            help="text of one template section (repeat for each)",
        )  # fmt: skip
        p.add_argument(
            "--psychotherapy-note", default=None, metavar="TEXT",
            help="private process note: kept out of search, summaries and exports",
        )  # fmt: skip

    n_add = notes_sub.add_parser("add", parents=[common], help="start a note; prints its id")
    n_add.add_argument("--client", type=_uuid, required=True, metavar="ID")
    n_add.add_argument("--template", required=True, metavar="soap|dap|birp|girp|free|KEY")
    note_fields(n_add, new=True)
    n_add.add_argument("--start", type=_clock, metavar="HH:MM")
    n_add.add_argument(
        "--service-type", default="individual",
        choices=("individual", "family", "couple", "group", "crisis", "phone", "home_visit",
                 "collateral"),
    )  # fmt: skip
    n_add.add_argument(
        "--location", default="office",
        choices=("office", "client_home", "telehealth", "school", "community", "other"),
    )  # fmt: skip
    n_add.add_argument("--present", default="", help="who was present")
    n_add.set_defaults(func=cmd_notes_add)
    n_list = notes_sub.add_parser("list", parents=[common], help="a client's notes, newest first")
    n_list.add_argument("--client", type=_uuid, required=True, metavar="ID")
    n_list.set_defaults(func=cmd_notes_list)
    n_show = notes_sub.add_parser("show", parents=[common], help="one note with its addenda")
    n_show.add_argument("id", type=_uuid, metavar="ID")
    n_show.set_defaults(func=cmd_notes_show)
    n_update = notes_sub.add_parser(
        "update", parents=[common], help="change a draft (a signed note refuses: exit 1)"
    )
    n_update.add_argument("id", type=_uuid, metavar="ID")
    note_fields(n_update, new=False)
    n_update.set_defaults(func=cmd_notes_update)
    n_sign = notes_sub.add_parser(
        "sign", parents=[common], help="sign a draft (the passphrase given is the re-entry)"
    )
    n_sign.add_argument("id", type=_uuid, metavar="ID")
    n_sign.set_defaults(func=cmd_notes_sign)
    n_add_a = notes_sub.add_parser("addendum", parents=[common], help="add a signed addendum")
    n_add_a.add_argument("id", type=_uuid, metavar="ID")
    n_add_a.add_argument("--text", required=True)
    n_add_a.set_defaults(func=cmd_notes_addendum)

    finding = sub.add_parser(
        "search", parents=[common], help="full-text search of notes and clients"
    )
    finding.add_argument("query", metavar="QUERY")
    finding.add_argument("--client", type=_uuid, metavar="ID")
    finding.add_argument(
        "--include-private", action="store_true",
        help="also search psychotherapy (process) notes, for this search only",
    )  # fmt: skip
    finding.add_argument("--limit", type=int, default=50, metavar="N")
    finding.set_defaults(func=cmd_search)

    tasks = sub.add_parser("tasks", help="follow-up tasks")
    tasks_sub = tasks.add_subparsers(dest="tasks_command", metavar="ACTION", parser_class=_Parser)
    tasks_sub.required = True
    t_list = tasks_sub.add_parser("list", parents=[common], help="tasks by due date")
    t_list.add_argument(
        "--due", choices=("today", "overdue", "open", "all"), default="open",
        help="which tasks (default: open = not done)",
    )  # fmt: skip
    t_list.set_defaults(func=cmd_tasks_list)
    t_add = tasks_sub.add_parser("add", parents=[common], help="add a task; prints its id")
    t_add.add_argument("--title", required=True)
    t_add.add_argument("--due", required=True, metavar="YYYY-MM-DD")
    t_add.add_argument("--details", default="")
    t_add.add_argument("--client", type=_uuid, metavar="ID")
    t_add.add_argument("--note", type=_uuid, metavar="ID")
    t_add.set_defaults(func=cmd_tasks_add)
    t_done = tasks_sub.add_parser("done", parents=[common], help="mark a task done")
    t_done.add_argument("id", type=_uuid, metavar="ID")
    t_done.set_defaults(func=cmd_tasks_done)

    prac = sub.add_parser(
        "practitioner", help="the practitioner profile (who signs; the header of reports)"
    )
    prac_sub = prac.add_subparsers(dest="prac_command", metavar="ACTION", parser_class=_Parser)
    prac_sub.required = True
    p_set = prac_sub.add_parser("set", parents=[common], help="set fields of the profile")
    for flag in ("name", "credentials", "licence-number", "practice-name", "address", "phone"):
        p_set.add_argument(f"--{flag}", default=None)
    p_set.add_argument(
        "--paper-size", type=str.lower, choices=("letter", "a4"), default=None,
        help="paper the reports are laid out for",
    )  # fmt: skip
    p_logo = p_set.add_mutually_exclusive_group()
    p_logo.add_argument(
        "--logo", default=None, metavar="FILE",
        help="practice logo for report headers: PNG or JPEG, at most 2 MB and 4000x4000 px "
        "(stored as PNG scaled to fit 600x600, without metadata)",
    )  # fmt: skip
    p_logo.add_argument("--no-logo", action="store_true", help="remove the practice logo")
    p_set.set_defaults(func=cmd_practitioner_set)
    p_show = prac_sub.add_parser("show", parents=[common], help="show the profile")
    p_show.set_defaults(func=cmd_practitioner_show)

    collab = sub.add_parser("collaborators", help="the directory of collaborators; vCards")
    collab_sub = collab.add_subparsers(
        dest="collab_command", metavar="ACTION", parser_class=_Parser
    )
    collab_sub.required = True
    c_list = collab_sub.add_parser("list", parents=[common], help="the directory, by name")
    c_list.set_defaults(func=cmd_collaborators_list)
    c_add = collab_sub.add_parser("add", parents=[common], help="add one; prints its id")
    c_add.add_argument("--name", required=True)
    c_add.add_argument(
        "--role", default="other", choices=("psychiatrist", "primary_care", "therapist",
        "substance_use_counsellor", "case_manager", "school_counsellor", "probation_parole",
        "attorney", "clergy", "peer_support", "other"),
    )  # fmt: skip
    for flag in ("credentials", "organisation", "phone", "fax", "email", "address", "notes"):
        c_add.add_argument(f"--{flag}", default="")
    c_add.add_argument(
        "--preferred-contact", default="",
        choices=("phone", "fax", "email", "letter", "secure_message"),
    )  # fmt: skip
    c_add.add_argument(
        "--allow-duplicate", action="store_true", help="add even if a likely duplicate exists"
    )
    c_add.set_defaults(func=cmd_collaborators_add)
    c_imp = collab_sub.add_parser(
        "import-vcard", parents=[common],
        help="add the cards of a vCard 3.0/4.0 file (duplicates skipped; all or nothing)",
    )  # fmt: skip
    c_imp.add_argument("file", metavar="FILE")
    c_imp.set_defaults(func=cmd_collaborators_import)
    c_exp = collab_sub.add_parser(
        "export-vcard", parents=[common], help="write the directory as a vCard file"
    )
    c_exp.add_argument("-o", "--output", required=True, metavar="FILE.vcf")
    c_exp.add_argument("--vcard-version", choices=("3.0", "4.0"), default="3.0")
    c_exp.set_defaults(func=cmd_collaborators_export)

    team = sub.add_parser("team", help="a client's care team")
    team_sub = team.add_subparsers(dest="team_command", metavar="ACTION", parser_class=_Parser)
    team_sub.required = True
    tm_list = team_sub.add_parser(
        "list", parents=[common], help="who is on the team and what they may be told"
    )
    tm_list.add_argument("--client", type=_uuid, required=True, metavar="ID")
    tm_list.set_defaults(func=cmd_team_list)
    tm_add = team_sub.add_parser("add", parents=[common], help="add a collaborator to a team")
    tm_add.add_argument("--client", type=_uuid, required=True, metavar="ID")
    tm_add.add_argument("--collaborator", type=_uuid, required=True, metavar="ID")
    tm_add.add_argument("--role", default="", help="their part for this client")
    tm_add.add_argument("--start", metavar="YYYY-MM-DD", help="default: today")
    tm_add.add_argument("--end", metavar="YYYY-MM-DD")
    tm_add.add_argument("--primary", action="store_true", help="the primary contact")
    tm_add.set_defaults(func=cmd_team_add)
    tm_end = team_sub.add_parser("end", parents=[common], help="end a team membership")
    tm_end.add_argument("id", type=_uuid, metavar="MEMBER_ID")
    tm_end.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    tm_end.set_defaults(func=cmd_team_end)

    roi = sub.add_parser("roi", help="releases of information")
    roi_sub = roi.add_subparsers(dest="roi_command", metavar="ACTION", parser_class=_Parser)
    roi_sub.required = True
    r_list = roi_sub.add_parser(
        "list", parents=[common], help="a client's releases with their status today"
    )
    r_list.add_argument("--client", type=_uuid, required=True, metavar="ID")
    r_list.set_defaults(func=cmd_roi_list)
    r_add = roi_sub.add_parser("add", parents=[common], help="record a signed release")
    r_add.add_argument("--client", type=_uuid, required=True, metavar="ID")
    r_add.add_argument("--collaborator", type=_uuid, required=True, metavar="ID")
    r_add.add_argument(
        "--categories", required=True, metavar="LIST",
        help="comma-separated: attendance, diagnosis, treatment_plan, progress_summaries, "
        "assessments, psychotherapy_notes, substance_use",
    )  # fmt: skip
    r_add.add_argument("--purpose", required=True)
    r_add.add_argument("--signed", required=True, metavar="YYYY-MM-DD")
    r_add.add_argument("--expires", metavar="YYYY-MM-DD", help="the last day it is in force")
    r_add.add_argument("--expiry-event", default="", metavar="TEXT")
    r_add.add_argument(
        "--substance-use-consent", default="", metavar="TEXT",
        help="required with substance_use: what the specific consent (42 CFR Part 2) allows",
    )  # fmt: skip
    r_add.set_defaults(func=cmd_roi_add)
    r_rev = roi_sub.add_parser("revoke", parents=[common], help="record a revocation")
    r_rev.add_argument("id", type=_uuid, metavar="ID")
    r_rev.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    r_rev.set_defaults(func=cmd_roi_revoke)

    contacts = sub.add_parser("contacts", help="the coordination log")
    contacts_sub = contacts.add_subparsers(
        dest="contacts_command", metavar="ACTION", parser_class=_Parser
    )
    contacts_sub.required = True
    k_add = contacts_sub.add_parser("add", parents=[common], help="log a contact; prints its id")
    k_add.add_argument("--client", type=_uuid, required=True, metavar="ID")
    k_add.add_argument("--collaborator", type=_uuid, required=True, metavar="ID")
    k_add.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    k_add.add_argument(
        "--mode", required=True, choices=("phone", "fax", "letter", "meeting", "secure_message")
    )
    k_add.add_argument("--direction", required=True, choices=("in", "out"))
    k_add.add_argument("--summary", required=True)
    k_add.set_defaults(func=cmd_contacts_add)
    k_list = contacts_sub.add_parser("list", parents=[common], help="a client's log, newest first")
    k_list.add_argument("--client", type=_uuid, required=True, metavar="ID")
    k_list.set_defaults(func=cmd_contacts_list)

    disc = add("disclosures", cmd_disclosures, "a client's accounting of disclosures")
    disc.add_argument("--client", type=_uuid, required=True, metavar="ID")
    give = add(
        "disclose", cmd_disclose,
        "record a disclosure made outside the app (checked against the releases first)",
    )  # fmt: skip
    give.add_argument("--client", type=_uuid, required=True, metavar="ID")
    give.add_argument("--to", type=_uuid, required=True, metavar="COLLABORATOR_ID")
    give.add_argument("--categories", required=True, metavar="LIST")
    give.add_argument(
        "--means", required=True,
        choices=("print", "pdf", "fax", "letter", "verbal", "secure_message"),
    )  # fmt: skip
    give.add_argument("--what", required=True, help="what was disclosed (never its content)")
    give.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")

    from mhsw_desktop.domain.measure_defs import KINDS as MEASURE_KINDS

    meas = sub.add_parser("measures", help="PHQ-9, GAD-7 and other measures")
    meas_sub = meas.add_subparsers(dest="measures_command", metavar="ACTION", parser_class=_Parser)
    meas_sub.required = True
    m_add = meas_sub.add_parser(
        "add", parents=[common], help="record a completed form; prints total, band and any alert"
    )
    m_add.add_argument("--client", type=_uuid, required=True, metavar="ID")
    m_add.add_argument("--kind", required=True, choices=MEASURE_KINDS)
    m_add.add_argument(
        "--items", required=True, metavar="0,1,2,...",
        help="each item's answer in order; leave a place empty (or '-') for an unanswered item",
    )  # fmt: skip
    m_add.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    m_add.add_argument(
        "--difficulty", type=int, default=None, metavar="N",
        help="the difficulty question (0-3): recorded, not scored",
    )  # fmt: skip
    m_add.add_argument("--note", type=_uuid, default=None, metavar="NOTE_ID")
    m_add.set_defaults(func=cmd_measures_add)
    m_list = meas_sub.add_parser(
        "list",
        parents=[common],
        help="a client's measures, oldest first, and change since baseline",
    )
    m_list.add_argument("--client", type=_uuid, required=True, metavar="ID")
    m_list.add_argument("--kind", choices=MEASURE_KINDS, default=None)
    m_list.set_defaults(func=cmd_measures_list)
    m_rev = meas_sub.add_parser("review-alert", parents=[common], help="mark an alert reviewed")
    m_rev.add_argument("id", type=_uuid, metavar="MEASURE_ID")
    m_rev.add_argument("--note", default="", help="what was done")
    m_rev.set_defaults(func=cmd_measures_review)
    m_ev = meas_sub.add_parser("add-event", parents=[common], help="mark an event on the trend")
    m_ev.add_argument("--client", type=_uuid, required=True, metavar="ID")
    m_ev.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    m_ev.add_argument(
        "--kind", required=True, choices=("medication_change", "crisis", "discharge", "other")
    )
    m_ev.add_argument("--label", default="", help="what the chart shows beside the marker")
    m_ev.set_defaults(func=cmd_measures_event)
    m_evs = meas_sub.add_parser("events", parents=[common], help="a client's trend events")
    m_evs.add_argument("--client", type=_uuid, required=True, metavar="ID")
    m_evs.set_defaults(func=cmd_measures_events)
    add("alerts", cmd_alerts, "measure alerts not yet reviewed (PHQ-9 item 9), oldest first")

    aud = sub.add_parser("audit", help="the audit log: check its chain, list its entries")
    aud_sub = aud.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=_Parser)
    aud_sub.required = True
    a_ver = aud_sub.add_parser(
        "verify", parents=[common],
        help="walk the whole chain; exit 1 naming the first edited, missing or moved entry",
    )  # fmt: skip
    a_ver.set_defaults(func=cmd_audit_verify)
    a_list = aud_sub.add_parser("list", parents=[common], help="entries, oldest first")
    a_list.add_argument("--client", type=_uuid, default=None, metavar="ID")
    a_list.add_argument("--action", default=None, help="e.g. view, change, sign, export")
    a_list.add_argument("--since", metavar="YYYY-MM-DD")
    a_list.add_argument("--until", metavar="YYYY-MM-DD")
    a_list.add_argument("--limit", type=int, default=None, metavar="N", help="the newest N")
    a_list.set_defaults(func=cmd_audit_list)

    spl = sub.add_parser("safety-plan", help="a client's safety plan (Stanley-Brown)")
    spl_sub = spl.add_subparsers(dest="safety_plan_command", metavar="ACTION", parser_class=_Parser)
    spl_sub.required = True
    sp_show = spl_sub.add_parser(
        "show", parents=[common], help="the newest version (or --version N) and the history"
    )
    sp_show.add_argument("--client", type=_uuid, required=True, metavar="ID")
    sp_show.add_argument("--version", type=int, default=None, metavar="N")
    sp_show.set_defaults(func=cmd_safety_plan_show)

    res = sub.add_parser("resources", help="the directory of community resources; CSV")
    res_sub = res.add_subparsers(dest="resources_command", metavar="ACTION", parser_class=_Parser)
    res_sub.required = True
    r_list = res_sub.add_parser("list", parents=[common], help="the directory, by name")
    r_list.add_argument(
        "--search",
        default="",
        metavar="TEXT",
        help="words in the name, services, categories, languages or phone",
    )
    r_list.add_argument("--category", default=None, help="e.g. food, housing, legal_aid")
    r_list.add_argument("--language", default="", help="e.g. Spanish (accents ignored)")
    r_list.set_defaults(func=cmd_resources_list)
    r_add = res_sub.add_parser("add", parents=[common], help="add one; prints its id")
    r_add.add_argument("--name", required=True)
    r_add.add_argument(
        "--categories",
        default="",
        metavar="LIST",
        help="separated by ';': food, housing, transport, benefits, crisis, "
        "support_groups, legal_aid, substance_use_treatment",
    )
    for flag in (
        "services",
        "eligibility",
        "hours",
        "phone",
        "email",
        "website",
        "address",
        "languages",
        "notes",
    ):
        r_add.add_argument(f"--{flag}", default="")
    r_add.add_argument(
        "--allow-duplicate", action="store_true", help="add even if a likely duplicate exists"
    )
    r_add.set_defaults(func=cmd_resources_add)
    r_imp = res_sub.add_parser(
        "import-csv",
        parents=[common],
        help="add the rows of a UTF-8 CSV file whose header names any of: name (required), "
        "services, categories (separated by ';'), eligibility, hours, phone, email, website, "
        "address, languages, notes; duplicates skipped; all or nothing",
    )
    r_imp.add_argument("file", metavar="FILE")
    r_imp.set_defaults(func=cmd_resources_import)
    r_exp = res_sub.add_parser("export-csv", parents=[common], help="write the directory as CSV")
    r_exp.add_argument("-o", "--output", required=True, metavar="FILE.csv")
    r_exp.set_defaults(func=cmd_resources_export)

    ref = sub.add_parser("referrals", help="a client's referrals to community resources")
    ref_sub = ref.add_subparsers(dest="referrals_command", metavar="ACTION", parser_class=_Parser)
    ref_sub.required = True
    statuses = ("made", "accepted", "completed", "declined", "no_response")
    rf_add = ref_sub.add_parser(
        "add", parents=[common], help="refer a client; a follow-up date creates a task"
    )
    rf_add.add_argument("--client", type=_uuid, required=True, metavar="ID")
    rf_add.add_argument("--resource", type=_uuid, required=True, metavar="ID")
    rf_add.add_argument("--date", metavar="YYYY-MM-DD", help="default: today")
    rf_add.add_argument("--status", choices=statuses, default="made")
    rf_add.add_argument("--follow-up", metavar="YYYY-MM-DD")
    rf_add.add_argument("--notes", default="")
    rf_add.set_defaults(func=cmd_referrals_add)
    rf_up = ref_sub.add_parser(
        "update", parents=[common], help="record what became of a referral; move its follow-up"
    )
    rf_up.add_argument("id", type=_uuid, metavar="REFERRAL_ID")
    rf_up.add_argument("--status", choices=statuses, default=None)
    rf_up.add_argument("--status-date", metavar="YYYY-MM-DD", help="default: today")
    rf_up.add_argument("--follow-up", metavar="YYYY-MM-DD|none")
    rf_up.add_argument("--notes", default=None)
    rf_up.set_defaults(func=cmd_referrals_update)
    rf_list = ref_sub.add_parser(
        "list", parents=[common], help="a client's referrals, newest first"
    )
    rf_list.add_argument("--client", type=_uuid, required=True, metavar="ID")
    rf_list.set_defaults(func=cmd_referrals_list)

    from mhsw_desktop.reports import KINDS

    rep = add("report", cmd_report, "write a report as PDF (see the README for each KIND)")
    rep.add_argument("kind", choices=KINDS, metavar="KIND", help="one of the kinds below")
    # one kind per line: wrapped help would break "treatment-consent-form" at its hyphens
    rep.formatter_class = argparse.RawDescriptionHelpFormatter
    rep.epilog = "kinds:\n" + "\n".join(f"  {kind}" for kind in KINDS)
    rep.add_argument("--client", type=_uuid, metavar="ID")
    rep.add_argument(
        "--note", type=_uuid, metavar="ID",
        help="session-summary: this note (default: the client's latest)",
    )  # fmt: skip
    rep.add_argument(
        "--date", metavar="YYYY-MM-DD|today",
        help="session-summary: every session of that day in one PDF (--client optional)",
    )  # fmt: skip
    rep.add_argument(
        "--status", default=None,
        choices=("active", "on_hold", "discharged", "current", "all"),
        help="caseload: which clients (default: current)",
    )  # fmt: skip
    rep.add_argument("-o", "--output", required=True, metavar="FILE.pdf")
    rep.add_argument(
        "--for", type=_uuid, default=None, metavar="COLLABORATOR_ID",
        help="a copy for a care-team collaborator (checked against their release)",
    )  # fmt: skip
    rep.add_argument(
        "--include-psychotherapy-notes", action="store_true",
        help="include psychotherapy (process) notes in this report only",
    )  # fmt: skip
    rep.add_argument(
        "--pdf-password-stdin", action="store_true",
        help="protect the PDF (AES-256) with a password read from stdin after the passphrase",
    )  # fmt: skip
    rep.add_argument(
        "--lang", type=_lang, default=None, metavar="en|es|both",
        help="client documents: the language to print in, or both the client's and English "
             "(default: the client's preference)",
    )  # fmt: skip
    rep.add_argument(
        "--measure", type=_uuid, default=None, metavar="ID",
        help="phq9-form, gad7-form: the client's answers of this administration "
             "(default: a blank form)",
    )  # fmt: skip
    rep.add_argument(
        "--release", type=_uuid, default=None, metavar="ID",
        help="release-form: filled in from this release (default: blank, to fill in by hand)",
    )  # fmt: skip
    rep.add_argument(
        "--resource", type=_uuid, action="append", default=[], metavar="ID",
        help="resources: this directory entry (repeat; default: the client's referrals)",
    )  # fmt: skip

    from mhsw_desktop.cli import backup_commands, data_commands

    backup_commands.register(sub, common)
    data_commands.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "func"):
        parser.error("a command is required")
    from mhsw_desktop.errors import UserFacingError

    try:
        return int(args.func(args, Secrets()))
    except CliError as exc:
        print(f"mhsw: error: {exc}", file=sys.stderr)
        return exc.code
    except UserFacingError as exc:
        print(f"mhsw: error: {exc}", file=sys.stderr)
        if getattr(args, "json", False) and args.func is cmd_verify:
            print(json.dumps({"ok": False, "checks": {}, "problems": [str(exc)]}))
        return exc.exit_code
    except (KeyboardInterrupt, EOFError):
        print("mhsw: interrupted; nothing more was changed.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`mhsw … | head`): not an error worth a message.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:
        from mhsw_desktop.vault.vault import corruption_error, is_corruption

        if is_corruption(exc):
            print(f"mhsw: error: {corruption_error(exc)}", file=sys.stderr)  # type: ignore[arg-type]
        else:
            report_internal_error(exc)
        return EXIT_ERROR


def report_internal_error(exc: Exception) -> None:
    """Report a bug without a traceback or any record content (only the error's type)."""
    print(
        f"mhsw: internal error ({type(exc).__name__}). Nothing was saved by the failed "
        "step. Please report this.",
        file=sys.stderr,
    )

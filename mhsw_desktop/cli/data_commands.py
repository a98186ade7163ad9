"""The ``mhsw`` commands for open export and import (no Qt; imports happen when a verb runs).

``export`` writes every record as JSON and CSV into a new folder (plaintext: confirmed by
``--yes-plaintext`` or a typed "yes") or an encrypted archive (``--encrypt``);
``import-export`` makes a new vault from an export; ``import-clients`` adds clients from
another system's CSV file, all or nothing, with ``--dry-run`` to see the mapping first.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mhsw_desktop.cli import Secrets
    from mhsw_desktop.services.client_import import Preview


def _confirm_plaintext(args: argparse.Namespace, folder: Path, secrets: Secrets) -> None:
    """A plaintext export goes ahead only when asked for in words."""
    from mhsw_desktop.cli import EXIT_USAGE, CliError

    if args.encrypt or args.yes_plaintext:
        return
    warning = (
        f"A plaintext export writes every client record, unencrypted, into a new folder "
        f"in {folder}."
    )
    if not secrets.interactive:
        raise CliError(
            f"{warning} Add --yes-plaintext to confirm, or --encrypt for an encrypted archive; "
            "nothing was exported.",
            EXIT_USAGE,
        )
    print(warning, file=sys.stderr)
    answer = input("Type yes to write it unencrypted: ")
    if answer.strip().lower() != "yes":
        raise CliError("Not confirmed; nothing was exported.")


def cmd_export(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop import __version__
    from mhsw_desktop.cli import EXIT_OK, EXIT_USAGE, CliError, _emit, _kdf_params, _open
    from mhsw_desktop.services import open_export

    try:
        formats = open_export.parse_formats(args.format)
    except ValueError as exc:
        raise CliError(f"--format: {exc}.", EXIT_USAGE) from None
    into = Path(args.to).expanduser().absolute()
    if not into.is_dir():
        raise CliError(f"The folder {into} does not exist; nothing was exported.")
    _confirm_plaintext(args, into, secrets)
    vault = _open(args, secrets)
    with vault:
        password = None
        if args.encrypt:
            from mhsw_desktop.services.export_archive import check_password

            password = secrets.read("Archive password", confirm=True)
            check_password(password)
        result = open_export.export_vault(
            vault, into, formats=formats, password=password, params=_kdf_params(),
            app_version=__version__,
        )  # fmt: skip
    records = sum(result.counts.values())
    what = "Encrypted archive" if result.encrypted else "Plaintext export (NOT encrypted)"
    lines = [
        f"{what} written: {result.path}",
        f"{result.counts.get('clients', 0)} clients, {records:,} records in "
        f"{len(result.counts)} tables; {', '.join(formats)}; {result.bytes:,} bytes.",
    ]
    if not result.encrypted:
        lines.append("Keep it safe or delete it when done: anyone who can read the folder "
                     "can read the records.")  # fmt: skip
    _emit(args, result.to_json(), "\n".join(lines))
    return EXIT_OK


def cmd_import_export(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.cli import EXIT_OK, CliError, _emit, _kdf_params
    from mhsw_desktop.services import export_archive, open_export

    source = Path(args.source).expanduser().absolute()
    if not source.exists():
        raise CliError(f"No export at {source}.")
    try:
        document = open_export.load_export(source)
    except export_archive.PasswordNeeded:
        document = open_export.load_export(source, secrets.read("Archive password"))
    passphrase = secrets.read("New passphrase", confirm=True)
    result = open_export.import_export(document, Path(args.to), passphrase, params=_kdf_params())
    payload = {
        **result.to_json(),
        "source": str(source),
        "exported_at": document.exported_at.isoformat(timespec="seconds") + "Z",
        "source_vault_id": document.vault_id,
    }
    lines = [
        f"Vault created in {result.folder} from the export of "
        f"{document.exported_at:%Y-%m-%d %H:%M} UTC "
        f"({result.counts.get('clients', 0)} clients, {sum(result.counts.values()):,} records).",
        *(f"Warning: {w}" for w in result.warnings),
        "",
        "Recovery key - shown this once. Print it or write it down and keep it somewhere",
        "safe, apart from this computer. It opens the vault if the passphrase is forgotten.",
        "",
        f"    {result.recovery_key}",
        "",
    ]
    _emit(args, payload, "\n".join(lines))
    return EXIT_OK


def _preview_text(checked: Preview, rows: list[str]) -> str:
    from mhsw_desktop.services.client_import import FIELDS

    lines = ["Columns:"]
    width = max((len(c) for c in checked.header), default=0)
    for item in checked.mapping_json():
        name = item["field"]
        target = f"{FIELDS[name]} ({name})" if name else "(not imported)"
        lines.append(f"  {item['position']:>2}. {item['column']:<{width}}  ->  {target}")
    lines.append(f"Dates read as: {checked.date_format}")
    lines.append(f"{checked.rows} rows, {len(checked.valid)} without problems.")
    if checked.problems:
        lines.append("Problems:")
        lines += [f"  {p}" for p in checked.problems]
    if checked.duplicates:
        lines.append("Likely duplicates (same name and date of birth):")
        lines += [f"  {d}" for d in checked.duplicates]
    lines += rows
    return "\n".join(lines)


def cmd_import_clients(args: argparse.Namespace, secrets: Secrets) -> int:
    from datetime import date

    from mhsw_desktop.cli import EXIT_ERROR, EXIT_OK, EXIT_USAGE, CliError, _emit, _open
    from mhsw_desktop.services import client_import as ci

    path = Path(args.file).expanduser()
    overrides: dict[str, str] = {}
    for pair in args.map:
        column, sep, name = pair.partition("=")
        if not sep or not column.strip():
            raise CliError(f"--map takes COLUMN=FIELD, got {pair!r}.", EXIT_USAGE)
        overrides[column] = name
    try:
        with path.open("rb") as file:
            data = file.read(ci.MAX_CSV_BYTES + 1)
    except OSError as exc:
        raise CliError(f"Could not read {path}: {exc.strerror}; nothing was imported.") from None
    source = ci.read_clients_csv(data)  # a malformed file says so before the passphrase
    mapping = ci.apply_overrides(source.header, ci.guess_mapping(source.header), overrides)
    vault = _open(args, secrets)
    with vault, vault.unit_of_work() as session:
        checked = ci.preview(
            source, mapping, today=date.today(), date_format=args.date_format, session=session
        )
        payload: dict[str, Any] = {
            "file": str(path.absolute()),
            "dry_run": args.dry_run,
            "rows": checked.rows,
            "mapping": checked.mapping_json(),
            "date_format": checked.date_format,
            "errors": [p.to_json() for p in checked.problems],
            "duplicates": [d.to_json() for d in checked.duplicates],
            "imported": 0,
            "ids": [],
            "skipped": [],
        }
        if checked.problems or args.dry_run:
            _emit(args, payload, _preview_text(checked, []))
            if checked.problems:
                count = len(checked.problem_rows() - {1})
                what = (
                    f"{count} row{'s' if count != 1 else ''} with problems"
                    if count
                    else "the columns or the date format need a choice (see above)"
                )
                print(f"mhsw: error: {what}; nothing was imported.", file=sys.stderr)
                return EXIT_ERROR
            print("Dry run: nothing was imported.", file=sys.stderr)
            return EXIT_OK
        outcome = ci.import_clients(session, checked, allow_duplicates=args.allow_duplicates)
    payload["imported"] = len(outcome.imported)
    payload["ids"] = [str(i) for i in outcome.imported]
    payload["skipped"] = [d.to_json() for d in outcome.skipped]
    summary = [f"Imported {len(outcome.imported)} clients."]
    if outcome.skipped:
        summary.append(
            f"Skipped {len(outcome.skipped)} likely duplicates (--allow-duplicates adds them)."
        )
    _emit(args, payload, _preview_text(checked, summary))
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``export``, ``import-export`` and ``import-clients`` to ``sub``."""
    exp = sub.add_parser(
        "export",
        parents=[common],
        help="every record as JSON and CSV, into a new folder or an encrypted archive "
        "(stdin: the passphrase, then with --encrypt the archive password)",
        description="Export every record of the vault (the audit log too) into a new "
        "folder in DIR named from the time (mhsw-export-YYYYMMDDTHHMMSSZ), or with "
        "--encrypt into one encrypted archive there (.mhswexport). A plaintext export "
        "needs --yes-plaintext (or a typed yes at a terminal).",
    )
    exp.add_argument("--to", required=True, metavar="DIR", help="an existing folder")
    exp.add_argument(
        "--format", default="json,csv", metavar="LIST", help="json, csv or json,csv (default)"
    )
    exp.add_argument(
        "--encrypt", action="store_true",
        help="one archive, AES-256-GCM under an Argon2id key from a password read from stdin "
        "(given twice at a terminal)",
    )  # fmt: skip
    exp.add_argument(
        "--yes-plaintext", action="store_true",
        help="confirm that the export is written unencrypted",
    )  # fmt: skip
    exp.set_defaults(func=cmd_export)

    imp = sub.add_parser(
        "import-export",
        parents=[common],
        help="make a new vault from an export (stdin: the archive password for an archive, "
        "then the new passphrase)",
        description="Check the whole export (folder, export.json or .mhswexport archive), "
        "then make a new vault in NEWVAULT holding every record. Nothing is left behind "
        "when the export is refused.",
    )
    imp.add_argument("source", metavar="EXPORT")
    imp.add_argument("--to", required=True, metavar="NEWVAULT")
    imp.set_defaults(func=cmd_import_export)

    cli = sub.add_parser(
        "import-clients",
        parents=[common],
        help="add clients from another system's CSV file (all or nothing; --dry-run to check)",
        description="Columns are matched to client fields from their headers (First Name, "
        "Last, DOB, ...); --map overrides. Every row is checked like the client form; "
        "any problem imports nothing (exit 1). Likely duplicates are skipped.",
    )
    cli.add_argument("file", metavar="FILE.csv")
    cli.add_argument(
        "--map", action="append", default=[], metavar="COLUMN=FIELD",
        help="the field a column fills (COLUMN: header text or number; FIELD: e.g. "
        "legal_first_name, date_of_birth, or ignore); may be repeated",
    )  # fmt: skip
    cli.add_argument(
        "--date-format", default="auto", choices=("auto", "iso", "mdy", "dmy"),
        help="how dates are written: iso YYYY-MM-DD, mdy MM/DD/YYYY, dmy DD/MM/YYYY; "
        "auto tells from the file and refuses when it cannot",
    )  # fmt: skip
    cli.add_argument("--dry-run", action="store_true", help="show the preview; write nothing")
    cli.add_argument("--allow-duplicates", action="store_true", help="add likely duplicates too")
    cli.set_defaults(func=cmd_import_clients)

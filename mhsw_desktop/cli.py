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
from collections.abc import Callable, Sequence
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

    folder = _vault_dir(args)
    try:
        vault = _open(args, secrets)
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
        added = fill_demo(session, args.clients, args.seed)
    _emit(args, {"clients": added, "seed": args.seed}, f"Added {added} synthetic clients.")
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


def cmd_clients_add(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.domain.client_rules import ClientInput, parse_date
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
    )
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
    adding.set_defaults(func=cmd_clients_add)
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
        return exc.exit_code
    except KeyboardInterrupt:
        print("mhsw: interrupted; nothing more was changed.", file=sys.stderr)
        return 130
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


if __name__ == "__main__":
    sys.exit(main())

"""The ``mhsw`` commands for backups and restore (no Qt; imports happen when a verb runs).

``backup`` and ``restore`` read one secret from standard input; ``backups list`` needs
none (it reads the manifests, which hold no client data).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mhsw_desktop.cli import Secrets
    from mhsw_desktop.vault.backup import BackupEntry, Manifest


def _manifest_json(manifest: Manifest) -> dict[str, Any]:
    return {
        "created_at": manifest.created_at,
        "kind": manifest.kind,
        "app_version": manifest.app_version,
        "schema": manifest.schema_revision,
        "counts": manifest.counts,
        "audit_head": {"seq": manifest.audit_seq, "hash": manifest.audit_hash},
    }


def _count_text(manifest: Manifest) -> str:
    clients, notes = manifest.counts.get("clients", 0), manifest.counts.get("notes", 0)
    return f"{clients} client{'s' if clients != 1 else ''}, {notes} note{'s' if notes != 1 else ''}"


def cmd_backup(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop import __version__
    from mhsw_desktop.cli import EXIT_OK, _emit, _open
    from mhsw_desktop.vault import backup

    output = Path(args.output).expanduser().absolute() if args.output else None
    if output is not None and output.is_dir():
        output = output / "backup.mhswbak"
    vault = _open(args, secrets)
    with vault:
        result = backup.back_up(vault, kind="scheduled", app_version=__version__, output=output)
    size = result.path.stat().st_size
    payload = {
        "file": str(result.path),
        "bytes": size,
        **_manifest_json(result.manifest),
        "second_copy": str(result.second_copy) if result.second_copy else None,
        "second_problem": result.second_problem or None,
        "removed": [str(p) for p in result.removed],
    }
    lines = [f"Backup written to {result.path} ({_count_text(result.manifest)}, {size:,} bytes)."]
    if result.second_copy:
        lines.append(f"Copied to {result.second_copy}.")
    if result.second_problem:
        lines.append(f"No copy in the second folder: {result.second_problem}.")
    if result.removed:
        lines.append(f"Rotation removed {len(result.removed)} older backup(s).")
    _emit(args, payload, "\n".join(lines))
    return EXIT_OK


def _entry_json(entry: BackupEntry) -> dict[str, Any]:
    return {
        "file": str(entry.path),
        "folder": str(entry.path.parent),
        "bytes": entry.bytes,
        "ok": entry.ok,
        "problem": entry.problem or None,
        **(_manifest_json(entry.manifest) if entry.manifest else {}),
    }


def cmd_backups_list(args: argparse.Namespace, _secrets: Secrets) -> int:
    from mhsw_desktop.cli import EXIT_OK, CliError, _emit, _vault_dir
    from mhsw_desktop.vault import backup
    from mhsw_desktop.vault.vault import is_vault

    folder = _vault_dir(args).absolute()
    if not is_vault(folder):
        raise CliError(f"No vault was found in {folder}.")
    policy = backup.BackupPolicy.load(folder)
    folders = backup.all_folders(folder)
    entries = backup.list_backups(*folders)
    lines = []
    for entry in entries:
        if entry.manifest is None:
            lines.append(f"{entry.path}  DAMAGED: {entry.problem}")
            continue
        state = f"  DAMAGED: {entry.problem}" if entry.problem else ""
        lines.append(
            f"{entry.manifest.created_at}  {entry.manifest.kind:<7} "
            f"{_count_text(entry.manifest):<24} {entry.bytes:>12,} B  {entry.path}{state}"
        )
    text = "\n".join(lines) if lines else f"No backups yet in {folders[0]}."
    payload = {
        "folders": [str(p) for p in folders],
        "policy": {"keep_daily": policy.keep_daily, "keep_weekly": policy.keep_weekly},
        "backups": [_entry_json(e) for e in entries],
    }
    _emit(args, payload, text)
    return EXIT_OK


def cmd_backups_verify(args: argparse.Namespace, secrets: Secrets) -> int:
    import shutil
    import tempfile

    from mhsw_desktop.cli import EXIT_OK, CliError, _emit
    from mhsw_desktop.vault import backup

    path = Path(args.file).expanduser().absolute()
    if not path.is_file():
        raise CliError(f"No backup file at {path}.")
    secret = secrets.read("Passphrase or recovery key")
    with tempfile.TemporaryDirectory(prefix="mhsw-verify-") as scratch:
        verified = backup.unpack_and_verify(path, secret, Path(scratch) / "copy")
        shutil.rmtree(verified.folder, ignore_errors=True)
    manifest = verified.manifest
    _emit(
        args,
        {"ok": True, "file": str(path), "opened_with": verified.how, **_manifest_json(manifest)},
        f"OK: {path} is whole and opens with the {verified.how} "
        f"(made {manifest.created_at}, {_count_text(manifest)}).",
    )
    return EXIT_OK


def cmd_backups_policy(args: argparse.Namespace, _secrets: Secrets) -> int:
    from mhsw_desktop.cli import EXIT_OK, CliError, _emit, _vault_dir
    from mhsw_desktop.vault import backup
    from mhsw_desktop.vault.vault import is_vault

    folder = _vault_dir(args).absolute()
    if not is_vault(folder):
        raise CliError(f"No vault was found in {folder}.")
    policy = backup.BackupPolicy.load(folder)
    changes: dict[str, Any] = {}
    if args.keep_daily is not None:
        changes["keep_daily"] = args.keep_daily
    if args.keep_weekly is not None:
        changes["keep_weekly"] = args.keep_weekly
    if args.no_second_folder:
        changes["second_folder"] = None
    elif args.second_folder:
        second = Path(args.second_folder).expanduser().absolute()
        if not second.is_dir():
            raise CliError(f"The second backup folder {second} does not exist.")
        changes["second_folder"] = second
    if changes:
        from dataclasses import replace

        policy = replace(policy, **changes)
        policy.save(folder)
    second_text = str(policy.second_folder) if policy.second_folder else None
    _emit(
        args,
        {
            "keep_daily": policy.keep_daily,
            "keep_weekly": policy.keep_weekly,
            "second_folder": second_text,
        },
        f"Keeps the newest backup of each of the last {policy.keep_daily} days and "
        f"{policy.keep_weekly} weeks; second folder: {second_text or 'none'}.",
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace, secrets: Secrets) -> int:
    from mhsw_desktop.cli import EXIT_OK, CliError, _emit
    from mhsw_desktop.vault import backup

    path = Path(args.file).expanduser().absolute()
    if not path.is_file():
        raise CliError(f"No backup file at {path}.")
    target = Path(args.to).expanduser().absolute()
    secret = secrets.read("Passphrase or recovery key")
    result = backup.restore(path, secret, target)
    lines = [
        f"Restored the backup of {result.manifest.created_at} "
        f"({_count_text(result.manifest)}) into {result.folder}."
    ]
    if result.kept_aside:
        lines.append(f"The vault that was there is kept at {result.kept_aside}.")
    if result.how == "recovery key":
        lines.append("Opened with the recovery key: set a new passphrase with "
                     "`mhsw --vault DIR unlock-recovery`.")  # fmt: skip
    _emit(
        args,
        {
            "restored": str(result.folder),
            "backup": str(path),
            "opened_with": result.how,
            "kept_aside": str(result.kept_aside) if result.kept_aside else None,
            **_manifest_json(result.manifest),
        },
        "\n".join(lines),
    )
    return EXIT_OK


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add ``backup``, ``backups list|verify|policy`` and ``restore`` to ``sub``."""
    from mhsw_desktop.cli import _Parser

    def positive(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if not 1 <= value <= 366:
            raise argparse.ArgumentTypeError("must be from 1 to 366")
        return value

    bak = sub.add_parser(
        "backup",
        parents=[common],
        help="make an encrypted backup now (stdin: the passphrase)",
        description="Make an encrypted backup: into the vault's backups folder (then copied "
        "to the second folder and rotated), or to FILE.",
    )
    bak.add_argument("-o", "--output", metavar="FILE", default=None)
    bak.set_defaults(func=cmd_backup)

    baks = sub.add_parser("backups", help="list, verify and configure backups")
    baks_sub = baks.add_subparsers(dest="backups_command", metavar="ACTION", parser_class=_Parser)
    baks_sub.required = True
    b_list = baks_sub.add_parser(
        "list", parents=[common], help="backups, newest first, with counts (no secret needed)"
    )
    b_list.set_defaults(func=cmd_backups_list)
    b_ver = baks_sub.add_parser(
        "verify",
        parents=[common],
        help="check a backup fully without restoring it (stdin: passphrase or recovery key)",
    )
    b_ver.add_argument("file", metavar="FILE")
    b_ver.set_defaults(func=cmd_backups_verify)
    b_pol = baks_sub.add_parser(
        "policy", parents=[common], help="show or set how many backups are kept, and where"
    )
    b_pol.add_argument("--keep-daily", type=positive, metavar="N", default=None)
    b_pol.add_argument("--keep-weekly", type=positive, metavar="N", default=None)
    second = b_pol.add_mutually_exclusive_group()
    second.add_argument("--second-folder", metavar="DIR", default=None)
    second.add_argument("--no-second-folder", action="store_true")
    b_pol.set_defaults(func=cmd_backups_policy)

    res = sub.add_parser(
        "restore",
        parents=[common],
        help="verify a backup, then make it the vault in DIR (stdin: passphrase or recovery key)",
        description="Verify FILE fully, then make it the vault in DIR. A vault already in DIR "
        "is moved aside (DIR.before-restore-TIME), never deleted.",
    )
    res.add_argument("file", metavar="FILE")
    res.add_argument("--to", required=True, metavar="DIR")
    res.set_defaults(func=cmd_restore)

"""The desktop entry point: ``mhsw-desktop [--version] [--vault DIR] [--demo]``.

Qt, the vault and the services are imported only when needed, so ``--version`` loads
no Qt and the unlock window appears before the database libraries have loaded.
"""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path
from types import TracebackType

from mhsw_desktop import APP_NAME, __version__

ORGANIZATION = "MHSW Desktop"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="mhsw-desktop", description=f"{APP_NAME}: encrypted, offline client records."
    )
    parser.add_argument("--version", action="store_true", help="print the version and exit")
    parser.add_argument("--vault", metavar="DIR", type=Path, help="open the vault in DIR")
    parser.add_argument(
        "--demo", action="store_true", help="open the demo vault (synthetic people only)"
    )
    # Qt's own options (-platform, -style …) pass through untouched
    args, _qt_args = parser.parse_known_args(argv)
    return args


def report_crash(
    kind: type[BaseException], _value: BaseException, tb: TracebackType | None
) -> None:
    """Uncaught exceptions: say where, never what (a message may quote a client's record).

    Prints the exception type and the file:line of each frame, nothing else, so a bug
    report can be made without client data reaching stderr or a crash log.
    """
    frames = [f"{Path(f.filename).name}:{f.lineno} in {f.name}" for f in traceback.extract_tb(tb)]
    print(
        f"{APP_NAME} {__version__}: internal error ({kind.__name__}); no record content shown.\n  "
        + "\n  ".join(frames[-8:]),
        file=sys.stderr,
    )


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    if args.version:
        print(f"{APP_NAME} {__version__}")
        return 0
    sys.excepthook = report_crash

    from PySide6.QtWidgets import QApplication

    from mhsw_desktop.ui.controller import AppController
    from mhsw_desktop.ui.settings import Settings
    from mhsw_desktop.ui.translation import install_translators

    app = QApplication.instance() or QApplication([sys.argv[0], *argv])
    assert isinstance(app, QApplication)
    install_translators(app)  # the system's language, when a translation exists
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setQuitOnLastWindowClosed(False)  # the controller decides when to quit

    settings = Settings()
    controller = AppController(settings)
    if args.demo:
        controller.open_demo()
    elif args.vault is not None:
        controller.start(args.vault.expanduser().absolute())
    else:
        recent = settings.get("vault/recent_path")
        controller.start(Path(recent) if recent and Path(recent).is_dir() else None)
    try:
        return app.exec()
    finally:
        controller.shutdown()


if __name__ == "__main__":
    sys.exit(main())

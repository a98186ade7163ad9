"""The ``mhsw`` commands for open export and import (no Qt; imports happen when a verb runs)."""

from __future__ import annotations

import argparse
from typing import Any


def register(sub: Any, common: argparse.ArgumentParser) -> None:
    """Add this module's verbs to the top-level subparsers sub."""

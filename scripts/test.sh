#!/usr/bin/env bash
# The whole check, as CI runs it: set up .venv, lint, type-check, run every test offscreen.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup-env.sh

export QT_QPA_PLATFORM=offscreen
echo "== ruff check"; .venv/bin/ruff check .
echo "== ruff format --check"; .venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy
# One worker per core; a module's tests stay on one worker so its shared fixtures
# (template vaults) are made once.
echo "== pytest"; .venv/bin/python -m pytest -n auto --dist loadscope "$@"

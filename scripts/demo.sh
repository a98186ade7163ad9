#!/usr/bin/env bash
# Start MHSW Desktop on the demo vault (synthetic people; the passphrase is on screen).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export MHSW_GUI=1
source scripts/setup-env.sh
exec .venv/bin/mhsw-desktop --demo "$@"

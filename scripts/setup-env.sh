#!/usr/bin/env bash
# Sourced by scripts/demo.sh and scripts/test.sh: makes .venv with everything the app,
# the tests and the linters need, and the few system libraries Qt loads. Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_apt=()
have_lib() { ldconfig -p 2>/dev/null | grep -q "$1"; }

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

apt_install() {
  [ "$#" -gt 0 ] || return 0
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  if command -v apt-get >/dev/null 2>&1; then
    echo "Installing system packages: $*"
    $sudo apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
  else
    echo "Please install the system libraries for: $* (no apt-get here)" >&2
  fi
}

PYTHON=$(pick_python) || { apt_install python3 python3-venv; PYTHON=python3; }
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  apt_install python3-venv
fi

# Libraries Qt needs even offscreen (OpenGL/EGL, fonts, keyboard maps, D-Bus), and the
# X11 ones for a real window.
have_lib libEGL.so.1 || need_apt+=(libegl1)
have_lib libGL.so.1 || need_apt+=(libgl1)
have_lib libfontconfig.so.1 || need_apt+=(libfontconfig1)
have_lib libxkbcommon.so.0 || need_apt+=(libxkbcommon0)
have_lib libdbus-1.so.3 || need_apt+=(libdbus-1-3)
if [ "${MHSW_GUI:-0}" = "1" ]; then
  have_lib libxkbcommon-x11.so.0 || need_apt+=(libxkbcommon-x11-0)
  have_lib libxcb-cursor.so.0 || need_apt+=(libxcb-cursor0)
  have_lib libxcb-icccm.so.4 || need_apt+=(libxcb-icccm4)
  have_lib libxcb-keysyms.so.1 || need_apt+=(libxcb-keysyms1)
  have_lib libxcb-shape.so.0 || need_apt+=(libxcb-shape0)
fi
[ "${#need_apt[@]}" -eq 0 ] || apt_install "${need_apt[@]}"

if [ ! -x .venv/bin/python ]; then
  echo "Creating .venv with $PYTHON"
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.mhsw-installed
wanted=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$wanted" ]; then
  echo "Installing MHSW Desktop and its dependencies into .venv (first run takes a minute)"
  .venv/bin/python -m pip install -q --upgrade pip
  .venv/bin/python -m pip install -q -e '.[dev]'
  echo "$wanted" >"$stamp"
fi

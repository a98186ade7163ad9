#!/usr/bin/env bash
# Sourced by scripts/demo.sh and scripts/test.sh: makes .venv with everything the app,
# the tests and the linters need, and the few system libraries Qt loads. Idempotent.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

need_apt=()

# The linker cache, read once. ldconfig lives in /sbin, which is not on a normal user's
# PATH on Debian. (Read into a variable, not piped into `grep -q`: under pipefail an
# early-exiting grep makes ldconfig die of SIGPIPE and a present library look missing.)
ldconfig_bin=/sbin/ldconfig
[ -x "$ldconfig_bin" ] || ldconfig_bin=$(command -v ldconfig 2>/dev/null || true)
known_libs=""
if [ -n "$ldconfig_bin" ]; then
  known_libs=$("$ldconfig_bin" -p 2>/dev/null || true)
fi
have_lib() {
  if [ -n "$known_libs" ]; then
    grep -qF -- "$1" <<<"$known_libs"
  else  # no ldconfig at all: look in the usual library folders
    compgen -G "/lib/$1" >/dev/null || compgen -G "/usr/lib/$1" >/dev/null ||
      compgen -G "/lib*/*/$1" >/dev/null || compgen -G "/usr/lib*/*/$1" >/dev/null ||
      compgen -G "/usr/lib64/$1" >/dev/null
  fi
}

pick_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  return 1
}

# Install Debian packages when we can; otherwise say what to install, and carry on
# (never a silent exit under `set -e`).
apt_install() {
  [ "$#" -gt 0 ] || return 0
  local sudo=()
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "Please install the system packages for: $* (this system has no apt-get)." >&2
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "These system packages are missing: $*" >&2
      echo "Ask an administrator to run: apt-get install $*" >&2
      return 0
    fi
    sudo=(sudo)
  fi
  echo "Installing system packages: $*"
  if ! { "${sudo[@]}" apt-get update -qq >/dev/null &&
         DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq \
           --no-install-recommends "$@" >/dev/null; }; then
    echo "Could not install: $*. Install them yourself: sudo apt-get install $*" >&2
  fi
  return 0
}

if ! PYTHON=$(pick_python); then
  apt_install python3 python3-venv
  PYTHON=$(pick_python) || {
    echo "MHSW Desktop needs Python 3.11 or newer; please install it and run this again." >&2
    return 1 2>/dev/null || exit 1
  }
fi
if ! "$PYTHON" -c 'import venv, ensurepip' >/dev/null 2>&1; then
  apt_install python3-venv
fi

# Libraries Qt needs even offscreen (GLib, OpenGL/EGL, fonts, keyboard maps, D-Bus), and
# the X11 ones for a real window. A minimal Debian 12 lacks GLib.
have_lib libglib-2.0.so.0 || need_apt+=(libglib2.0-0)
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

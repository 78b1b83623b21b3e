#!/usr/bin/env bash
# Set up everything the app and its tests need on a Debian machine (run as root for the system
# libraries): the libraries Qt needs, a virtual environment in .venv and the Python packages.
# Safe to run again: it skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

debs=(libglib2.0-0 libgl1 libegl1 libfontconfig1 libfreetype6 libxkbcommon0 libdbus-1-3 libx11-6
      fonts-dejavu-core
      # emoji and wide script coverage, so names and comments in any script show as text, not boxes
      fonts-noto-color-emoji fonts-noto-core)
if [ "${1:-}" = "--tests" ] && [ -z "${RCP_SKIP_LIBREOFFICE:-}" ]; then
  # LibreOffice renders the board deck and re-saves workbooks in the tests that prove a deck
  # opens without repair (one PDF page per slide) and a workbook survives a spreadsheet program;
  # set RCP_SKIP_LIBREOFFICE=1 to skip those tests instead
  debs+=(libreoffice-impress-nogui libreoffice-calc-nogui)
fi
if [ "${1:-}" = "--tests" ]; then
  # Java runs MPXJ, the MS Project reader the tests use to read our MS Project XML back;
  # the locales' sources, from which a test builds a German locale (months named in English
  # whatever the machine's language); Liberation Sans, Arial's widths, against which a test
  # measures how the deck's table rows wrap their text
  debs+=(default-jre-headless locales fonts-liberation)
fi
if [ "${1:-}" = "--desktop" ]; then
  # what Qt's xcb platform plugin needs to open a real window on an X11 desktop
  debs+=(libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0
         libxcb-render-util0 libxcb-randr0 libxcb-shape0 libxcb-xinerama0 libxcb-xfixes0)
fi
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing system libraries: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1
  else
    echo "Please install these system packages first: ${missing[*]}" >&2
  fi
fi

if [ ! -x .venv/bin/python ]; then
  echo "Creating the Python environment in .venv"
  python3 -m venv .venv
fi
stamp=.venv/.installed-$(sha256sum pyproject.toml | cut -c1-16)
if [ ! -f "$stamp" ]; then
  echo "Installing Python packages (PySide6, sqlite-utils, networkx, python-pptx, openpyxl, test tools)"
  .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip >/dev/null
  # the dependencies declared in pyproject.toml (the app runs from this folder, so the project
  # itself needs no build step)
  .venv/bin/python - > .venv/requirements.txt <<'PY'
import tomllib
project = tomllib.load(open("pyproject.toml", "rb"))["project"]
print("\n".join(project["dependencies"] + project["optional-dependencies"]["test"]))
PY
  .venv/bin/python -m pip install -q --disable-pip-version-check -r .venv/requirements.txt
  rm -f .venv/.installed-* && touch "$stamp"
fi

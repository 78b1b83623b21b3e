#!/usr/bin/env bash
# Set up (see setup.sh) and run the whole test suite, offscreen.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --tests
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -q -n 2 "$@"

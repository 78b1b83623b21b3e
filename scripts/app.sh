#!/usr/bin/env bash
# Set up (see setup.sh) and open the window; with no plan given it opens the last plan, else the
# bundled sample plan. Extra arguments go to main.py.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --desktop
exec .venv/bin/python main.py "$@"

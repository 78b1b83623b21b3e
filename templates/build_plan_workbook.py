"""Build templates/plan-workbook.xlsx: the empty exchange workbook with every sheet's headers,
drop-down lists and a Guide sheet explaining each column. Run:

    .venv/bin/python templates/build_plan_workbook.py
"""

from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from planner.xlsx import write_blank_workbook

OUTPUT = Path(__file__).resolve().parent / "plan-workbook.xlsx"


def main() -> None:
    """Write the empty workbook."""
    write_blank_workbook(OUTPUT)
    print(f"wrote {OUTPUT}")


if __name__ == "__main__":
    main()

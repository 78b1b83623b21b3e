"""Excel exchange benchmark: export and import of big plans against openpyxl doing the bare minimum.

    .venv/bin/python bench/bench_xlsx.py             # 2,000 and 20,000 actions
    .venv/bin/python bench/bench_xlsx.py --quick     # 2,000 only
    .venv/bin/python bench/bench_xlsx.py --repeat 5  # alternating pairs (default 3)

In alternating pairs, best of N, wall and CPU time:

* **export**, in process: ``write_workbook(plan, path)`` (every sheet with headers, widths, drop-down
  lists, date formats, the Guide; written to a temporary file and moved into place) against the
  floor: openpyxl in write-only mode appending the same cell values (no styles) to the same
  sheets and saving;
* **import**, whole process: ``python main.py import-xlsx BOOK PLAN --force`` (read every cell,
  build and check the plan, write the plan file, read it back and check it, print counts)
  against the floor: a whole ``python`` process in which openpyxl (read-only, values) reads every
  cell of every sheet of the same workbook.

The workbooks are our own exports of plans from bench/gen_plans.py (seed 1, three links an
action), kept in bench/out/.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import timing  # noqa: E402
from bench.gen_plans import make_plan  # noqa: E402

OUT = ROOT / "bench" / "out"
READ_FLOOR = ("import sys\n"
              "from openpyxl import load_workbook\n"
              "wb = load_workbook(sys.argv[1], read_only=True, data_only=True)\n"
              "for ws in wb.worksheets:\n"
              "    for row in ws.iter_rows(values_only=True):\n"
              "        pass\n"
              "wb.close()\n")


def unique_names(plan) -> None:
    """The generator may give two people the same name; a workbook (where owners are written as
    names) needs them different, so the later ones get their id added."""
    seen: set[str] = set()
    for person in plan.people.values():
        if person.name.casefold() in seen:
            person.name = f"{person.name} ({person.id})"
        seen.add(person.name.casefold())


def write_floor(rows: dict[str, list[list]], path: Path) -> None:
    """openpyxl, write-only, appending the same values to the same sheets."""
    from openpyxl import Workbook

    from planner.xlsx.columns import SHEETS

    wb = Workbook(write_only=True)
    for sheet, columns in SHEETS.items():
        ws = wb.create_sheet(sheet)
        ws.append(columns)
        for row in rows[sheet]:
            ws.append(row)
    wb.save(path)


def bench(n: int, repeat: int) -> None:
    from planner.xlsx import write_workbook
    from planner.xlsx.write import _cell_value, _sheet_values

    plan = make_plan(n, 3 * n, seed=1)
    unique_names(plan)
    OUT.mkdir(parents=True, exist_ok=True)
    book = OUT / f"plan_{n}.xlsx"
    rows = {s: [[_cell_value(v) for v in r] for r in vals] for s, vals in _sheet_values(plan).items()}
    print(f"\n{n:,} actions / {len(plan.dependencies):,} links")
    with tempfile.TemporaryDirectory() as tmp:
        floor_book = Path(tmp) / "floor.xlsx"
        export = timing.compare(timing.in_process(lambda: write_workbook(plan, book)),
                                timing.in_process(lambda: write_floor(rows, floor_book)), repeat)
        print(export.line("  export: write_workbook (in process)",
                          "openpyxl write-only appending the same values, in process", 1.2))
        target = Path(tmp) / "imported.rcplan"
        imp = timing.compare(
            timing.whole_process(timing.python("main.py", "import-xlsx", str(book), str(target),
                                               "--force")),
            timing.whole_process(timing.python("-c", READ_FLOOR, str(book))), repeat)
    print(imp.line("  import: python main.py import-xlsx (whole process)",
                   "python: openpyxl reads every cell; whole process", 1.3))
    print(f"  workbook {book.stat().st_size / 1e6:.1f} MB; peak memory of the import "
          f"{imp.ours.peak_mb:.0f} MB (openpyxl's read alone {imp.floor.peak_mb:.0f} MB)")


@timing.with_own_settings  # never the user's settings, data folder or backups
def main(argv: list[str]) -> int:
    return timing.run_sizes(__doc__, bench, argv, repeat=3)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

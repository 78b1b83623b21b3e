"""Benchmark of the Excel exchange: export and import times for big plans.

Prints a small table. Run from the repository root:

    .venv/bin/python bench/bench_xlsx.py            # 2,000 actions / 6,000 links, 20,000 export
    .venv/bin/python bench/bench_xlsx.py --quick    # 2,000 only
    .venv/bin/python bench/bench_xlsx.py --full     # import the 20,000 too

Import is timed twice: reading the workbook into a Plan (read_workbook, which includes the
plan checks), and the whole import_workbook into a new .rcplan file.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.gen_plans import make_plan  # noqa: E402
from planner.xlsx import import_workbook, read_workbook, write_workbook  # noqa: E402


def _unique_names(plan) -> None:
    """The generator may give two people the same name; a plan (and its workbook, where owners
    are written as names) needs them different, so the later ones get their id added."""
    seen: set[str] = set()
    for person in plan.people.values():
        if person.name.casefold() in seen:
            person.name = f"{person.name} ({person.id})"
        seen.add(person.name.casefold())


def _timed(fn, *args):
    t0 = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - t0, result


def run(sizes: list[tuple[int, int, bool]]) -> list[tuple]:
    """(actions, links, export s, read s, import s, workbook KB) per size."""
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n_actions, n_links, with_import in sizes:
            plan = make_plan(n_actions, n_links, seed=1)
            _unique_names(plan)
            book = Path(tmp) / f"plan-{n_actions}.xlsx"
            t_export, _ = _timed(write_workbook, plan, book)
            t_read = t_import = None
            if with_import:
                t_read, (back, _w) = _timed(read_workbook, book)
                assert len(back.actions) == len(plan.actions)
                t_import, _ = _timed(import_workbook, book, Path(tmp) / f"plan-{n_actions}.rcplan")
            rows.append((n_actions, len(plan.dependencies), t_export, t_read, t_import,
                         book.stat().st_size // 1024))
    return rows


def main() -> None:
    """Print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="only the 2,000-action plan")
    parser.add_argument("--full", action="store_true",
                        help="also import the 20,000-action workbook")
    args = parser.parse_args()
    sizes = [(2000, 6000, True)] + ([] if args.quick else [(20000, 60000, args.full)])
    rows = run(sizes)
    fmt = lambda t: "-" if t is None else f"{t:6.2f} s"  # noqa: E731
    print(f"{'actions':>8} {'links':>7} {'export':>9} {'read':>9} {'import':>9} {'size':>8}")
    for n, links, t_exp, t_read, t_imp, kb in rows:
        print(f"{n:>8} {links:>7} {fmt(t_exp):>9} {fmt(t_read):>9} {fmt(t_imp):>9} "
              f"{kb:>6} KB")
    print("read = workbook to Plan with checks; import = workbook to a new .rcplan file "
          "(target under 5 s for 2,000 actions)")


if __name__ == "__main__":
    main()

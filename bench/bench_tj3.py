"""Compare the graph engine with TaskJuggler (tj3) on the same random plan: speed and dates.

    .venv/bin/python bench/bench_tj3.py              # 2,000 actions / 6,000 links
    .venv/bin/python bench/bench_tj3.py 500 1500     # any size

The plan from bench/gen_plans.py (no zero-duration actions, since TaskJuggler treats a zero
length differently) is written as a .tjp project: ``length Nd`` for durations,
``depends X { gaplength Ld }`` for finish-to-start with a lag, ``{ onstart }`` for
start-to-start, bank holidays as project-wide leaves, and each not-before date as a dependency on
a milestone fixed at that date. tj3 schedules it and writes a CSV report of start and end dates;
the script compares them with ``graph.analyse`` and prints both run times. The .tjp and the CSV
are kept in bench/out/ for inspection.
"""

from __future__ import annotations

import csv
import shutil
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import graph
from bench.gen_plans import make_plan
from planner.model import Plan

OUT = Path(__file__).resolve().parent / "out"


def _q(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def write_tjp(plan: Plan, path: Path, horizon_years: int) -> None:
    """Write ``plan`` as a TaskJuggler project with a CSV report of every task's dates."""
    s = plan.settings
    lines = [
        f'project rcp "{_q(s.name)}" {s.start.isoformat()} +{horizon_years}y {{',
        '  timezone "UTC"',
        '  timingresolution 60min',
        '  dailyworkinghours 8',
        '  workinghours mon - fri 9:00 - 17:00',
        '  workinghours sat, sun off',
        f'  now {s.start.isoformat()}',
        '}',
        '',
    ]
    last_year = s.start.year + horizon_years
    for h in s.holidays:
        if s.start <= h and h.year <= last_year:  # tj3 only knows years up to 2035
            lines.append(f'leaves holiday "Bank holiday" {h.isoformat()}')
    lines.append('')
    deps: dict[str, list[str]] = {}
    for d in plan.dependencies.values():
        opts = []
        if d.type == "SS":
            opts.append("onstart")
        if d.lag:
            opts.append(f"gaplength {d.lag}d")
        deps.setdefault(d.action, []).append(d.needs + (" { " + " ".join(opts) + " }" if opts else ""))
    for aid, a in plan.actions.items():
        if a.not_before is not None:
            lines.append(f'task nb_{aid} "Not before {a.not_before.isoformat()}" {{ '
                         f'start {a.not_before.isoformat()} milestone }}')
            deps.setdefault(aid, []).append(f"nb_{aid}")
    for aid, a in plan.actions.items():
        body = [f"length {a.duration}d"]
        if aid in deps:
            body.append("depends " + ", ".join(deps[aid]))
        lines.append(f'task {aid} "{_q(a.title)}" {{ ' + " ".join(body) + " }")
    lines += [
        '',
        'taskreport dates "dates" {',
        '  formats csv',
        '  columns id, start, end',
        '  timeformat "%Y-%m-%d %H:%M"',
        '}',
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def read_csv(path: Path, cal) -> dict[str, tuple[date, date]]:
    """Task id -> (first working day, last working day) from tj3's CSV report.

    tj3 reports instants: a successor "starts" at 17:00 on the day its predecessor ends, and
    work begins the next working morning; an end at 17:00 belongs to that day. Instants are
    turned into working days with the plan's calendar.
    """
    text = path.read_text(encoding="utf-8")
    dialect = csv.Sniffer().sniff(text.splitlines()[0], delimiters=";,")
    rows = list(csv.reader(text.splitlines(), dialect))
    out = {}
    for row in rows[1:]:
        if len(row) < 3:
            continue
        tid = row[0].strip().split(".")[-1]
        try:
            start = datetime.strptime(row[1].strip(), "%Y-%m-%d %H:%M")
            end = datetime.strptime(row[2].strip(), "%Y-%m-%d %H:%M")
        except ValueError:
            continue
        first = start.date() + timedelta(days=1) if start.hour >= 17 else start.date()
        last = end.date() - timedelta(days=1) if end.hour <= 9 else end.date()
        out[tid] = (cal.next_working(first), cal.date(cal.index_on_or_before(last)))
    return out


def main(argv: list[str]) -> int:
    n = int(argv[0]) if argv else 2000
    m = int(argv[1]) if len(argv) > 1 else 3 * n
    tj3 = shutil.which("tj3")
    if tj3 is None:
        print("tj3 is not installed (apt-get install -y tj3)")
        return 1
    plan = make_plan(n, m, seed=7, zero_share=0.0)
    runs = []
    for _ in range(7):  # median of several runs; tj3 runs once (it takes seconds)
        t = time.perf_counter()
        an = graph.analyse(plan)
        an.critical_path
        runs.append((time.perf_counter() - t) * 1000)
    ours_ms = sorted(runs)[len(runs) // 2]
    span_years = (an.plan_finish - plan.settings.start).days // 365 + 2
    OUT.mkdir(exist_ok=True)
    tjp = OUT / f"plan_{n}.tjp"
    write_tjp(plan, tjp, span_years)
    t = time.perf_counter()
    r = subprocess.run([tj3, "--no-color", "-o", str(OUT), tjp.name], cwd=OUT,
                       capture_output=True, text=True)
    tj_ms = (time.perf_counter() - t) * 1000
    if r.returncode != 0:
        print(r.stdout[-3000:], r.stderr[-3000:])
        return 1
    theirs = read_csv(OUT / "dates.csv", an.calendar)
    same = differ = 0
    examples = []
    for aid in plan.actions:
        row = an.rows[aid]
        if aid not in theirs:
            differ += 1
            examples.append(f"{aid}: missing from tj3's report")
            continue
        if theirs[aid] == (row.start, row.finish):
            same += 1
        else:
            differ += 1
            if len(examples) < 10:
                examples.append(f"{aid}: ours {row.start}..{row.finish}, tj3 "
                                f"{theirs[aid][0]}..{theirs[aid][1]}")
    print(f"{len(plan.actions):,} actions / {len(plan.dependencies):,} links, "
          f"{sum(1 for a in plan.actions.values() if a.not_before)} not-before dates, "
          f"{len(plan.settings.holidays)} holidays; plan finish {an.plan_finish}")
    print(f"  graph.analyse (full schedule + critical path): {ours_ms:10.1f} ms (median of 7)")
    print(f"  tj3 (parse, schedule, CSV report):              {tj_ms:10.1f} ms")
    print(f"  ratio tj3 / graph engine:                       {tj_ms / ours_ms:10.1f}x")
    print(f"  dates equal for {same:,} of {len(plan.actions):,} actions; {differ} differ")
    for e in examples:
        print("   ", e)
    return 0 if differ == 0 else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

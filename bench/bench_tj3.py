"""Compare the whole ``sequence --json`` command with TaskJuggler (tj3) on the same plan: speed and dates.

    .venv/bin/python bench/bench_tj3.py                 # 600, 2,000 and 6,000 actions (3 links each)
    .venv/bin/python bench/bench_tj3.py 2000            # one size
    .venv/bin/python bench/bench_tj3.py --repeat 3      # pairs per size (default 3; 1 at 6,000)

Whole process against whole process: ``python main.py sequence PLAN --json`` (interpreter start,
imports, opening and checking the plan file, the full schedule, critical path, milestones,
recommendations, warnings and the JSON written to a file) against ``tj3`` (parse, schedule,
CSV report), in alternating pairs, best of N each, wall and CPU time. Then every action's start
and finish in our JSON is compared with tj3's CSV.

The plan from bench/gen_plans.py (no zero-duration actions, since TaskJuggler treats a zero
length differently) is written as a .tjp project: ``length Nd`` for durations,
``depends X { gaplength Ld }`` for finish-to-start with a lag, ``{ onstart }`` for
start-to-start, bank holidays as project-wide leaves, and each not-before date as a dependency on
a milestone fixed at that date. The .tjp, the CSV and our JSON are kept in bench/out/.
tj3 comes from Debian's ``tj3`` package (``apt-get install -y tj3``); without it the benchmark
says so and stops.
"""

from __future__ import annotations

import csv
import shutil
import sys
from datetime import date, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import graph
from bench import timing
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


def _compare_dates(plan: Plan, ours: dict, theirs: dict) -> tuple[int, list[str]]:
    same, examples = 0, []
    for aid in plan.actions:
        row = ours["actions"].get(aid)
        if aid not in theirs or row is None:
            examples.append(f"{aid}: missing from {'tj3' if row else 'our'} report")
            continue
        mine = (date.fromisoformat(row["start"]), date.fromisoformat(row["finish"]))
        if theirs[aid] == mine:
            same += 1
        elif len(examples) < 10:
            examples.append(f"{aid}: ours {mine[0]}..{mine[1]}, tj3 {theirs[aid][0]}..{theirs[aid][1]}")
    return same, examples


def run_size(n: int, repeat: int, tj3: str) -> bool:
    """Time both whole processes on an ``n``-action plan and compare their dates; True if all agree."""
    import json

    from planner.document import PlanDocument

    plan = make_plan(n, 3 * n, seed=7, zero_share=0.0)
    an = graph.analyse(plan)
    span_years = (an.plan_finish - plan.settings.start).days // 365 + 2
    OUT.mkdir(exist_ok=True)
    plan_file = OUT / f"plan_{n}.rcplan"
    PlanDocument.create(plan_file, plan, overwrite=True).close()
    tjp = OUT / f"plan_{n}.tjp"
    write_tjp(plan, tjp, span_years)
    json_out = OUT / f"sequence_{n}.json"

    def ours():
        with open(json_out, "w", encoding="utf-8") as fh:
            return timing.whole_process(timing.python("main.py", "sequence", str(plan_file),
                                                      "--json"), stdout=fh)()

    their_run = timing.whole_process([tj3, "--no-color", "-o", str(OUT), tjp.name], cwd=OUT)
    c = timing.compare(ours, their_run, repeat=repeat, warm=False)
    theirs = read_csv(OUT / "dates.csv", an.calendar)
    same, examples = _compare_dates(plan, json.loads(json_out.read_text(encoding="utf-8")), theirs)
    print(f"\n{len(plan.actions):,} actions / {len(plan.dependencies):,} links, "
          f"{sum(1 for a in plan.actions.values() if a.not_before)} not-before dates, "
          f"{len(plan.settings.holidays)} holidays; plan finish {an.plan_finish}")
    print(c.line("  python main.py sequence PLAN --json (whole process)",
                 "tj3: parse, schedule, CSV report; whole process"))
    print(f"    TaskJuggler is {1 / c.ratio:,.0f}x slower (wall), {1 / c.cpu_ratio:,.0f}x (CPU)"
          + (f"; target >= 100x: {timing.met(1 / c.cpu_ratio >= 100)} on CPU, "
             f"{timing.met(1 / c.ratio >= 100)} on wall" if n == 2000 else ""))
    print(f"    peak memory: ours {c.ours.peak_mb:.0f} MB, tj3 {c.floor.peak_mb:.0f} MB")
    print(f"  dates equal for {same:,} of {len(plan.actions):,} actions; "
          f"{len(plan.actions) - same} differ")
    for e in examples:
        print("   ", e)
    return same == len(plan.actions)


@timing.with_own_settings  # never the user's settings, data folder or backups
def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(description="sequence --json against TaskJuggler")
    ap.add_argument("sizes", nargs="*", type=int, default=[600, 2000, 6000])
    ap.add_argument("--repeat", type=int, default=3,
                    help="alternating pairs per size (6,000 actions: at most 1 unless asked)")
    args = ap.parse_args(argv)
    tj3 = shutil.which("tj3")
    if tj3 is None:
        print("tj3 (TaskJuggler) is not installed, so there is nothing to compare with: "
              "apt-get install -y tj3")
        return 1
    print("Whole processes, alternating pairs, best of N; " + timing.load_note())
    ok = True
    for n in args.sizes:
        rep = args.repeat if n < 6000 or "--repeat" in argv else 1
        ok = run_size(n, rep, tj3) and ok
    return 0 if ok else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

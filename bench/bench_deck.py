"""Time the board deck: the sample plan (goal under 3 s) and a 2,000-action plan (goal under 10 s).

    .venv/bin/python bench/bench_deck.py [--repeat N]

Each figure is the best of N runs of the whole export as the command line does it: open the
plan file, schedule, build every slide, write the .pptx and store the snapshot (on a copy of
the plan, so the sample is left alone). Decks go to bench/out/.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.gen_plans import make_plan  # noqa: E402
from planner.document import PlanDocument  # noqa: E402
from reports import ExportOptions, export_deck  # noqa: E402
from planner.model import Assessment, Reading, Risk  # noqa: E402

SAMPLE = ROOT / "sample_plans" / "northmoor.rcplan"
OUT = ROOT / "bench" / "out"


def big_plan(n_actions: int = 2000, seed: int = 1):
    """The shared generated plan, with readings, risks and some progress so every slide is full."""
    plan = make_plan(n_actions, n_actions * 3 // 2, seed)
    rng = random.Random(seed)
    start = plan.settings.start
    plan.settings.as_of = start + timedelta(days=200)
    plan.settings.end = start + timedelta(days=3 * 365)
    plan.settings.board_meeting = "Trust Board"
    for a in list(plan.actions.values())[: n_actions // 5]:
        a.status = "done"
        a.actual_start = start
        a.actual_finish = start + timedelta(days=a.duration)
    for m in plan.measures.values():
        level = rng.uniform(20, 60)
        for k in range(24):
            r = Reading(m.id, start + timedelta(days=30 * k - 300), round(level + rng.gauss(0, 4), 1))
            plan.readings[r.uid] = r
        m.target = level + 10
    for i in range(1, 13):
        plan.risks[f"R{i}"] = Risk(f"R{i}", f"Risk {i}", rng.randint(1, 5), rng.randint(1, 5),
                                   mitigation="Mitigation agreed with the steering group.")
    for n in range(1, 11):
        a = Assessment(n, start + timedelta(days=150), plan.stages[rng.randrange(1, 4)])
        plan.assessments[a.uid] = a
    return plan


def time_export(plan_file: Path, out: Path, repeat: int) -> tuple[float, int]:
    best, slides = float("inf"), 0
    for _ in range(repeat):
        with tempfile.TemporaryDirectory() as tmp:
            copy = Path(tmp) / plan_file.name
            shutil.copy(plan_file, copy)
            t0 = time.perf_counter()
            with PlanDocument.open(copy) as doc:
                report = export_deck(doc, ExportOptions(output=out))
            best = min(best, time.perf_counter() - t0)
            slides = len(report.outline)
    return best, slides


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    secs, n = time_export(SAMPLE, OUT / "sample-deck.pptx", args.repeat)
    print(f"sample plan deck: {secs:.2f} s, {n} slides (goal < 3 s) -> {OUT / 'sample-deck.pptx'}")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.rcplan"
        t0 = time.perf_counter()
        PlanDocument.create(path, big_plan()).close()
        made = time.perf_counter() - t0
        secs2, n2 = time_export(path, OUT / "deck-2000.pptx", args.repeat)
    print(f"2,000-action plan deck: {secs2:.2f} s, {n2} slides (goal < 10 s; "
          f"plan file made in {made:.1f} s, not counted) -> {OUT / 'deck-2000.pptx'}")
    return 0 if secs < 3 and secs2 < 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())

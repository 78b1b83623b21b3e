"""Offline updates benchmark: merge two 2,000-action copies with 500 edits each; make a big pack.

Run: .venv/bin/python bench/bench_merge.py
Budgets (issue 11): the merge < 2 s; a pack for an owner of 2,000 actions < 1 s.
Prints wall-clock and CPU time for each (best of three; each run starts from fresh copies).
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import timing  # noqa: E402
from bench.gen_plans import make_plan  # noqa: E402
from planner.document import PlanDocument  # noqa: E402
from planner.merge import merge_copy  # noqa: E402
from planner.packs import make_pack  # noqa: E402


def timed(fn):
    w, c = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - w, time.process_time() - c, result


def edit(doc: PlanDocument, ids: list[str], n: int, seed: int, tag: str) -> None:
    rng = random.Random(seed)
    with doc.batch(f"{tag} edits"):
        for i in range(n):
            aid = rng.choice(ids)
            if i % 2:
                doc.update("action", aid, notes=f"{tag} note {i}")
            else:
                doc.update("action", aid, percent=rng.randint(0, 90))


def merge_run(folder: Path, plan) -> tuple[float, float, int, int]:
    mine = PlanDocument.create(folder / "mine.rcplan", plan, overwrite=True)
    theirs_path = mine.save_copy(folder / "theirs.rcplan")
    ids = sorted(mine.plan.actions)
    with PlanDocument.open(theirs_path) as theirs:
        edit(theirs, ids, 500, 1, "theirs")
    edit(mine, ids, 500, 2, "mine")
    wall, cpu, report = timed(lambda: merge_copy(mine, theirs_path))
    mine.close()
    return wall, cpu, len(report.applied), len(report.conflicts)


@timing.with_own_settings  # never the user's settings, data folder or backups
def main() -> None:
    plan = make_plan(2_000, 6_000, seed=11)
    runs = []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(3):
            runs.append(merge_run(Path(tmp), plan))
        wall, cpu, applied, conflicts = min(runs)
        print(f"merge two 2,000-action copies, 500 edits each: {wall:.2f} s wall, {cpu:.2f} s CPU "
              f"({applied} records changed, {conflicts} conflicts)  [budget < 2 s]")
        owner = next(iter(plan.people))
        for a in plan.actions.values():
            a.owner = owner
        with PlanDocument.create(Path(tmp) / "one-owner.rcplan", plan, overwrite=True) as doc:
            name = doc.plan.people[owner].name
            packs = [timed(lambda: make_pack(doc, owner, Path(tmp) / "pack.xlsx"))
                     for _ in range(3)]
            wall, cpu, info = min(packs, key=lambda r: r[0])
        print(f"pack for {name} ({info.actions} actions, {info.milestones} milestones): "
              f"{wall:.2f} s wall, {cpu:.2f} s CPU  [budget < 1 s]")


if __name__ == "__main__":
    main()

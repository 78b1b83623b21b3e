"""Plan core benchmark: create, open and validate plans of 2,000 and 20,000 actions; peak memory.

Run: .venv/bin/python bench/bench_core.py    (prints a Markdown table for README)
Budgets (issue 2): open the 20,000-action plan < 1.5 s; validate it < 1 s.
Each figure is the best of several runs in a fresh process-state; peak memory is measured in a
child process per size so one size does not inflate the other.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SIZES = [(2_000, 6_000), (20_000, 60_000)]


def best(fn, repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def measure(n_actions: int, n_links: int) -> dict:
    import resource

    from bench.gen_plans import make_plan
    from planner.document import PlanDocument
    from planner.validate import plan_warnings, validate_plan

    plan = make_plan(n_actions, n_links, seed=7)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "big.rcplan"
        t0 = time.perf_counter()
        PlanDocument.create(path, plan).close()
        create_s = time.perf_counter() - t0
        open_s = best(lambda: PlanDocument.open(path).close())
        doc = PlanDocument.open(path)
        validate_s = best(lambda: (validate_plan(doc.plan), plan_warnings(doc.plan)))
        edit_s = best(lambda: doc.update("action", next(iter(doc.plan.actions)),
                                         duration=doc.plan.actions[next(iter(doc.plan.actions))].duration + 1))
        from planner.model import Dependency
        ids = list(doc.plan.actions)
        link_s = best(lambda: (doc.add("dependency", Dependency(ids[-1], ids[0], lag=1)),
                               doc.undo()), repeat=3)
        size_mb = path.stat().st_size / 1e6
        doc.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"actions": n_actions, "links": n_links, "create_s": create_s, "open_s": open_s,
            "validate_s": validate_s, "edit_ms": edit_s * 1000, "link_ms": link_s * 1000,
            "file_mb": size_mb, "peak_mb": peak_mb}


def main() -> None:
    if len(sys.argv) == 3:  # child: one size
        print(json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]))))
        return
    rows = []
    for n, m in SIZES:
        out = subprocess.run([sys.executable, __file__, str(n), str(m)], capture_output=True,
                             text=True, check=True, cwd=ROOT).stdout
        rows.append(json.loads(out.strip().splitlines()[-1]))
    print("| plan | create file | open | validate | one edit | add a link (loop check) + undo | file | peak memory |")
    print("|---|---|---|---|---|---|---|---|")
    for r in rows:
        print(f"| {r['actions']:,} actions / {r['links']:,} links | {r['create_s']:.2f} s | "
              f"{r['open_s']:.2f} s | {r['validate_s']:.2f} s | {r['edit_ms']:.0f} ms | "
              f"{r['link_ms']:.0f} ms | {r['file_mb']:.1f} MB | {r['peak_mb']:.0f} MB |")


if __name__ == "__main__":
    main()

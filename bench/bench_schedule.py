"""Speed of the graph engine on big random plans; prints figures (not a timed test).

    .venv/bin/python bench/bench_schedule.py            # 2,000/6,000 and 20,000/60,000
    .venv/bin/python bench/bench_schedule.py --quick    # 2,000/6,000 only

Figures (median of several runs, milliseconds):
* full schedule: ``graph.analyse(plan)`` plus its critical path and milestone forecasts
  (compile the plan, forward and backward passes; what the window needs after opening a file);
* everything: the same plus recommendations, warnings and capacity overloads and the JSON
  of the command line;
* one edit: change one action's duration and ``Scheduler.refresh([id])`` plus the critical path;
* the floor: networkx's own ``topological_sort`` of the same dependency graph (graph already
  built), and the ratio of a full schedule to it.
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx

import graph
from bench.gen_plans import make_plan


def timed(fn, repeat: int) -> tuple[float, float, float]:
    """Median and best wall time, and best CPU time, of ``fn`` in milliseconds.

    The CPU figure is less disturbed by other programs sharing the machine.
    """
    times, cpu = [], []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        fn()
        cpu.append((time.process_time() - c) * 1000)
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times), min(cpu)


def full_schedule(plan):
    an = graph.analyse(plan)
    an.critical_path
    an.milestones
    return an


def everything(plan):
    an = full_schedule(plan)
    an.recommendations
    an.warnings
    an.to_json()
    return an


def bench(n: int, links: int, repeat: int, edits: int) -> dict:
    plan = make_plan(n, links, seed=7)
    full_schedule(plan)  # warm up imports and caches
    out = {"actions": len(plan.actions), "links": len(plan.dependencies)}
    out["full"] = timed(lambda: full_schedule(plan), repeat)
    out["everything"] = timed(lambda: everything(plan), max(1, repeat // 2))
    g = nx.DiGraph()
    g.add_nodes_from(plan.actions)
    g.add_edges_from((d.needs, d.action) for d in plan.dependencies.values())
    out["nx_topo"] = timed(lambda: list(nx.topological_sort(g)), repeat)

    def nx_build_and_sort():
        h = nx.DiGraph()
        h.add_nodes_from(plan.actions)
        h.add_edges_from((d.needs, d.action) for d in plan.dependencies.values())
        list(nx.topological_sort(h))
    out["nx_build_topo"] = timed(nx_build_and_sort, repeat)

    rng = random.Random(3)
    sched = graph.Scheduler(plan)
    sched.analyse()
    ids = list(plan.actions)
    times, crit_times, cpu_times, crit_cpu = [], [], [], []
    for k in range(edits):
        critical = k % 2 == 1
        if critical:
            an = sched.refresh(actions=[])
            aid = rng.choice(an.critical_path or ids)
        else:
            aid = rng.choice(ids)
        a = plan.actions[aid]
        a.duration = max(0, a.duration + rng.choice([-3, -1, 1, 2, 5]))
        t, c = time.perf_counter(), time.process_time()
        an = sched.refresh(actions=[aid])
        an.critical_path
        an.rows[aid]
        dc = (time.process_time() - c) * 1000
        dt = (time.perf_counter() - t) * 1000
        (crit_times if critical else times).append(dt)
        (crit_cpu if critical else cpu_times).append(dc)
    out["edit"] = (statistics.median(times), max(times), statistics.median(cpu_times),
                   max(cpu_times))
    out["edit_critical"] = (statistics.median(crit_times), max(crit_times),
                            statistics.median(crit_cpu), max(crit_cpu))
    check = full_schedule(plan)
    assert check.to_json()["actions"] == an.to_json()["actions"], "refresh differs from full run"
    out["finish"] = check.plan_finish
    return out


def report(r: dict) -> None:
    n, m = r["actions"], r["links"]
    print(f"\n{n:,} actions / {m:,} links (plan finishes {r['finish']})")
    print(f"  full schedule (analyse + critical path + milestones): median {r['full'][0]:8.1f} ms"
          f"  best {r['full'][1]:8.1f} ms  CPU best {r['full'][2]:8.1f} ms")
    print(f"  everything (+ recommendations, warnings, JSON):       median "
          f"{r['everything'][0]:8.1f} ms")
    for key, label in (("edit", "random action"), ("edit_critical", "critical action")):
        e = r[key]
        head = f"  recompute after one edit ({label}):".ljust(56)
        print(f"{head}median {e[0]:8.1f} ms"
              f"  worst {e[1]:8.1f} ms  CPU median {e[2]:.1f} worst {e[3]:.1f} ms")
    print(f"  networkx topological_sort (graph prebuilt):           median {r['nx_topo'][0]:8.1f} ms"
          f"  best {r['nx_topo'][1]:8.1f} ms  CPU best {r['nx_topo'][2]:8.1f} ms")
    print(f"  networkx build graph + topological_sort:              median "
          f"{r['nx_build_topo'][0]:8.1f} ms")
    print(f"  ratio full schedule / networkx topological sort:      "
          f"{r['full'][0] / r['nx_topo'][0]:6.2f}x median/median, "
          f"{r['full'][1] / r['nx_topo'][1]:.2f}x best/best, "
          f"{r['full'][2] / r['nx_topo'][2]:.2f}x CPU best/best; "
          f"against build + sort {r['full'][0] / r['nx_build_topo'][0]:.2f}x")


def main(argv: list[str]) -> int:
    quick = "--quick" in argv
    report(bench(2000, 6000, repeat=15, edits=60))
    if not quick:
        report(bench(20000, 60000, repeat=7, edits=60))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

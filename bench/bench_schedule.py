"""Speed of the graph engine against networkx's topological sort, and how it grows with size.

    .venv/bin/python bench/bench_schedule.py                 # 2,000 and 20,000; growth 1k..100k
    .venv/bin/python bench/bench_schedule.py --quick         # 2,000 only, growth to 20,000
    .venv/bin/python bench/bench_schedule.py --repeat 9      # alternating pairs (default 7)
    .venv/bin/python bench/bench_schedule.py --against DIR   # also an older checkout's engine

All in one process, plans from bench/gen_plans.py (seed 7, three links an action), imports warm.
In alternating pairs, best of N, wall and CPU time, against the floor: networkx's own
``topological_sort`` of the same dependency graph, already built (``list(nx.topological_sort(g))``):

* **full schedule** (its pairs one at a time, a second's pause before each: ``SPREAD_PAUSE``):
  ``graph.analyse(plan)`` (compile the plan, forward and backward passes), its
  critical path and milestone forecasts, **and every per-action row built**
  (``ScheduleRow``: dates, float, critical, phase, wave, the driver sentence);
* **everything**: the same plus recommendations, warnings, capacity overloads and the JSON of the
  command line;
* **one edit** on the 20,000-action plan: an action's duration changed, then
  ``Scheduler.refresh([id])``, its critical path, **milestone forecasts** and the action's row
  (median and worst of 60 edits, half of them on the critical path; target under 20 ms);
* **growth**: the full schedule (rows built) at 1,000 to 100,000 actions; the exponent k of
  time ~ size^k is fitted by least squares on log-log (CPU time, best of N); target k < 1.15.
  Beside the best, each size prints the median and the worst run, the CPU time spent in the
  cycle collector and how many runs it made a full pass in (a pass over every object of the
  process: the plan, and here also the sort's prebuilt graph, which the older copy's child
  process builds and holds too; what a user's run pays now and then, and the best of N leaves
  out); a second exponent is fitted on the medians. Pairs: 28 at every size, so that each
  size's best is taken over as many runs (``GROWTH_PAIRS``); the sizes are taken seven times, up
  and down in turn, four pairs each time, so that a load rising or falling during
  the run, or the host's slow spells, do not tilt the fit. Each fit is followed by its 5th to
  95th percentile when each size's runs are drawn again with replacement (a bootstrap): how
  much the exponent could move from these runs alone.

With ``--against DIR`` (a copy of older code, e.g. ``git -C /work/main archive HEAD | tar -x -C
DIR``), the full schedule and the growth figures also time that copy's engine in the same run,
in a child process of the same interpreter (its own ``graph`` and ``planner``, the same
``full_schedule`` above, the plan from its own ``bench/gen_plans.py``): ours, the sort, theirs,
ours, ... so that old and new are measured under the same load.
"""

from __future__ import annotations

import argparse
import gc
import math
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import networkx as nx  # noqa: E402

import graph  # noqa: E402
from bench import timing  # noqa: E402
from bench.gen_plans import make_plan  # noqa: E402


def full_schedule(plan):
    """The schedule, critical path, milestones and every action's row."""
    an = graph.analyse(plan)
    an.critical_path
    an.milestones
    rows = an.rows
    for aid in rows:
        rows[aid]
    return an


def everything(plan):
    an = full_schedule(plan)
    an.recommendations
    an.warnings
    an.to_json()
    return an


def sort_floor(plan):
    """networkx topological sort of the plan's dependency graph (the graph built beforehand)."""
    g = nx.DiGraph()
    g.add_nodes_from(plan.actions)
    g.add_edges_from((d.needs, d.action) for d in plan.dependencies.values())
    return timing.in_process(lambda: list(nx.topological_sort(g)))


def edits(plan, n: int = 60) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of ``n`` single-action edits recomputed incrementally."""
    rng = random.Random(3)
    sched = graph.Scheduler(plan)
    sched.analyse()
    ids = list(plan.actions)
    wall, cpu = [], []
    an = None
    for k in range(n):
        if k % 2 and an is not None:
            aid = rng.choice(an.critical_path or ids)
        else:
            aid = rng.choice(ids)
        a = plan.actions[aid]
        a.duration = max(0, a.duration + rng.choice([-3, -1, 1, 2, 5]))
        t, c = time.perf_counter(), time.process_time()
        an = sched.refresh(actions=[aid])
        an.critical_path
        an.milestones
        an.rows[aid]
        cpu.append((time.process_time() - c) * 1000)
        wall.append((time.perf_counter() - t) * 1000)
    check = graph.analyse(plan)
    assert check.to_json() == an.to_json(), "the incremental schedule differs from a full run"
    return wall, cpu


class Older:
    """An older copy's engine in a child process: ``run(n)`` times its full schedule once."""

    CODE = """
import gc, sys, time
sys.path.insert(0, sys.argv[1])
import graph
import networkx as nx
from bench.gen_plans import make_plan
plans = {}
full = [0]
gc.callbacks.append(lambda phase, info: phase == "stop" and info["generation"] == 2
                    and full.__setitem__(0, full[0] + 1))
%s
for line in sys.stdin:
    n = int(line)
    plan = plans.get(n)
    if plan is None:
        plans.clear()
        gc.collect()
        plan = plans[n] = make_plan(n, 3 * n, seed=7)
        # the sort's graph, held as in the benchmark's own process: the collector's full
        # passes walk the same objects on both sides
        plans["graph"] = nx.DiGraph()
        plans["graph"].add_nodes_from(plan.actions)
        plans["graph"].add_edges_from((d.needs, d.action) for d in plan.dependencies.values())
        full_schedule(plan)
    before = full[0]
    w, c = time.perf_counter(), time.process_time()
    full_schedule(plan)
    print(time.perf_counter() - w, time.process_time() - c, full[0] - before, flush=True)
"""

    def __init__(self, where: Path):
        import inspect

        self.where = where
        self.full: list[int] = []  # full collections in each run, as Watch.full
        self.proc = subprocess.Popen(
            [sys.executable, "-c", self.CODE % inspect.getsource(full_schedule), str(where)],
            cwd=where, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
            env=timing.child_env())

    def runner(self, n: int):
        """A runner timing one full schedule of the ``n``-action plan in the older copy."""
        def run() -> timing.Sample:
            self.proc.stdin.write(f"{n}\n")
            self.proc.stdin.flush()
            wall, cpu, full = self.proc.stdout.readline().split()
            self.full.append(int(full))
            return timing.Sample(float(wall), float(cpu))
        return run

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


OLDER: Older | None = None  # --against DIR


class Watch:
    """The cycle collector's passes during each timed run of ours: ``full[k]`` full passes (the
    oldest generation: every object of the process) and ``secs[k]`` CPU seconds in the collector
    in run k. ``runner(run)`` wraps a runner so that its runs are counted."""

    def __init__(self) -> None:
        self.full: list[int] = []
        self.secs: list[float] = []
        self._start = 0.0
        self._got = [0, 0.0]
        gc.callbacks.append(self._seen)

    def _seen(self, phase: str, info: dict) -> None:
        if phase == "start":
            self._start = time.process_time()
            return
        self._got[1] += time.process_time() - self._start
        if info["generation"] == 2:
            self._got[0] += 1

    def runner(self, run):
        def watched() -> timing.Sample:
            self._got = [0, 0.0]
            got = run()
            self.full.append(self._got[0])
            self.secs.append(self._got[1])
            return got
        return watched

    def close(self) -> None:
        gc.callbacks.remove(self._seen)


def spread(t: timing.Timing, full: list[int], secs: list[float] | None = None) -> str:
    """'median .., worst .. CPU; [in the collector ..;] its full pass in k of N runs' for the
    runs of ``t`` (the last N of ``full`` and ``secs``)."""
    cpu = [s.cpu for s in t.samples]
    n = len(cpu)
    text = f"median {_ms(statistics.median(cpu))}, worst {_ms(max(cpu))} CPU; "
    if secs is not None:
        text += (f"in the collector {_ms(statistics.median(secs[-n:]))} median, "
                 f"{_ms(max(secs[-n:]))} worst; ")
    return text + f"its full pass in {sum(1 for f in full[-n:] if f)} of {n} runs"


def _ms(s: float) -> str:
    return f"{s * 1000:.1f} ms" if s < 0.1 else f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


def three_way(ours, floor, theirs, repeat: int) -> tuple[timing.Comparison, timing.Comparison]:
    """Ours, the floor and the older copy, alternating (after one warm-up each):
    (ours against the floor, theirs against the same floor)."""
    got = [timing.Timing(), timing.Timing(), timing.Timing()]
    runs = (ours, floor, theirs)
    for run in runs:
        run()
    for _ in range(repeat):
        for t, run in zip(got, runs):
            t.samples.append(run())
    return timing.Comparison(got[0], got[1]), timing.Comparison(got[2], got[1])


def bench(n: int, repeat: int) -> None:
    plan = make_plan(n, 3 * n, seed=7)
    full_schedule(plan)  # warm up imports and caches
    print(f"\n{len(plan.actions):,} actions / {len(plan.dependencies):,} links")
    floor = sort_floor(plan)
    watch = Watch()
    plain = timing.in_process(lambda: full_schedule(plan))
    ours = watch.runner(plain)
    # One pair at a time, a pause before each (then one untimed run of each side): this host
    # runs the same code at one of two speeds for spells of some seconds, so pairs taken in
    # one burst all fall in one spell, and their best measures the spell more than the code
    # (at 2,000 actions the schedule is about 1.5 times slower in a slow spell, the sort about
    # 1.2 times). Spread out, each side's best is taken over as many spells.
    runs = (ours, floor) if OLDER is None else (ours, floor, OLDER.runner(n))
    got = [timing.Timing() for _ in runs]
    for _ in range(repeat):
        time.sleep(SPREAD_PAUSE)
        plain(), floor()  # untimed, after the pause (and not counted by the watch)
        if OLDER is not None:
            runs[2]()
            OLDER.full.pop()
        for t, run in zip(got, runs):
            t.samples.append(run())
    full = timing.Comparison(got[0], got[1])
    older = timing.Comparison(got[2], got[1]) if OLDER is not None else None
    watch.close()
    print(full.line("  full schedule, critical path, milestones, every row built",
                    "networkx topological_sort, graph prebuilt", 5))
    print(f"    ours: {spread(full.ours, watch.full, watch.secs)}")
    if OLDER is not None:
        print(f"    the same run, older code ({OLDER.where}): {older.ours.text()}, ratio "
              f"{older.ratio:.2f}x wall, {older.cpu_ratio:.2f}x CPU; "
              f"{spread(older.ours, OLDER.full)}")
    every = timing.compare(timing.in_process(lambda: everything(plan)), floor, max(3, repeat // 2))
    print(every.line("  everything (+ recommendations, warnings, overloads, JSON)", "the same"))
    if n >= 20_000:
        wall, cpu = edits(plan)
        print(f"  one edit (refresh, critical path, milestones, the row): median "
              f"{statistics.median(wall):.1f} ms, worst {max(wall):.1f} ms wall; CPU median "
              f"{statistics.median(cpu):.1f} ms, worst {max(cpu):.1f} ms; target < 20 ms: "
              f"{timing.met(statistics.median(cpu) < 20)} on CPU, "
              f"{timing.met(statistics.median(wall) < 20)} on wall (median)")


def fitted_exponent(points: list[tuple[int, float]]) -> float:
    """k of time ~ size^k, by least squares on log(time) against log(size) over every point."""
    xs = [math.log(n) for n, _ in points]
    ys = [math.log(t) for _, t in points]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


def fit_spread(runs: dict[int, list[float]], pick, draws: int = 2000) -> tuple[float, float]:
    """5th and 95th percentiles of the exponent fitted on ``pick`` (min or median) of each
    size's runs, the runs of every size drawn again with replacement (a bootstrap, seed 1):
    how far the fit could move with the same code on the same machine, from these runs alone."""
    rng = random.Random(1)
    got = sorted(fitted_exponent([(n, pick(rng.choices(cpu, k=len(cpu))))
                                  for n, cpu in runs.items()]) for _ in range(draws))
    return got[draws // 20], got[draws - 1 - draws // 20]


GROWTH_PAIRS = 4
"""Pairs timed at each size of the growth benchmark, in multiples of ``--repeat``: the same at
every size. The best of N runs is lower the more runs it is taken over, the more so on a host
that runs the same code at one of two speeds for spells of some seconds: with more runs at the
small sizes than at the big ones (56 at 1,000 actions, 7 at 100,000, before 3 December 15:40),
the small sizes' best was more often a fast spell's than the big ones', which tilted the fitted
exponent up. Taken over as many runs at every size, each best is the same kind of draw."""


GROWTH_ROUNDS = 7
"""How many times the growth benchmark takes the sizes, up and down in turn (see ``growth``):
each size's runs then fall in as many of the host's spells (four, before 3 December 16:40: a
size whose four rounds all fell in slow spells read 5.71x the sort at 2,000 actions, where the
other runs read 4.4-4.5x)."""

SPREAD_PAUSE = 1.0
"""Seconds paused before each pair of the full schedule's figures (see ``bench``)."""


def growth(sizes: list[int], repeat: int) -> None:
    """Full schedule (rows built) at each size, best CPU time of N alternating pairs with the
    sort; the plans have the same shape at every size (bench/gen_plans.py, seed 7, three links
    an action, initiatives of about twenty actions); as many pairs at every size (``GROWTH_PAIRS``).

    The sizes are taken ``GROWTH_ROUNDS`` times, up and down in turn (1k .. 100k, 100k .. 1k,
    1k .. 100k, ...), a share of each size's pairs each time: a load on the machine that rises or
    falls while the benchmark runs then weighs on the small and the big sizes alike, rather than
    tilting the fitted exponent. This host also runs the same code at one of two speeds for
    spells of some seconds (a 1,000-action schedule took 7.3-8.3 ms or 12-13.5 ms CPU, best of 40,
    from one process to the next): taken in more rounds, each size's best comes from more spells,
    and the best of the small sizes is less often a slow spell's (which lowered the exponent)."""
    print("\nGrowth: full schedule with every row built (best CPU of N), against the sort")
    got: dict[int, list] = {n: [timing.Timing(), timing.Timing(), timing.Timing(), [], [], []]
                            for n in sizes}  # ours, the sort, theirs; ours' and theirs' full
    # passes, ours' seconds in the collector
    for rnd in range(GROWTH_ROUNDS):
        for n in (sizes if rnd % 2 == 0 else sizes[::-1]):
            pairs = GROWTH_PAIRS * repeat
            pairs = pairs // GROWTH_ROUNDS + (rnd < pairs % GROWTH_ROUNDS)  # the first rounds
            # take what does not divide evenly
            if not pairs:
                continue
            plan = make_plan(n, 3 * n, seed=7)
            full_schedule(plan)
            ours, floor, theirs, full, their_full, secs = got[n]
            watch = Watch()
            mine = watch.runner(timing.in_process(lambda: full_schedule(plan)))
            before = len(OLDER.full) if OLDER is not None else 0
            if OLDER is None:
                c = timing.compare(mine, sort_floor(plan), pairs)
            else:
                c, o = three_way(mine, sort_floor(plan), OLDER.runner(n), pairs)
                theirs.samples += o.ours.samples
                their_full += OLDER.full[before:][-pairs:]
            watch.close()
            ours.samples += c.ours.samples
            floor.samples += c.floor.samples
            full += watch.full[-pairs:]
            secs += watch.secs[-pairs:]
            plan = None  # freed before the next size is made
    best, med, floor_best, runs = [], [], [], {}
    their_best, their_med, their_runs = [], [], {}
    for n in sizes:
        ours, floor, theirs, full, their_full, secs = got[n]
        c = timing.Comparison(ours, floor)
        runs[n] = [s.cpu for s in ours.samples]
        best.append((n, ours.cpu))
        med.append((n, statistics.median(runs[n])))
        floor_best.append((n, floor.cpu))
        print(f"  {n:>7,} actions: {ours.text()}  ({c.cpu_ratio:.2f}x the sort, CPU; "
              f"{ours.cpu / n * 1e6:.2f} us CPU an action, median "
              f"{med[-1][1] / n * 1e6:.2f}; best of {len(runs[n])})\n"
              f"           {spread(ours, full, secs)}")
        if OLDER is not None:
            o = timing.Comparison(theirs, floor)
            their_runs[n] = [s.cpu for s in theirs.samples]
            their_best.append((n, theirs.cpu))
            their_med.append((n, statistics.median(their_runs[n])))
            print(f"           older code: {theirs.text()}  ({o.cpu_ratio:.2f}x the sort, CPU; "
                  f"{theirs.cpu / n * 1e6:.2f} us CPU an action, median "
                  f"{their_med[-1][1] / n * 1e6:.2f})\n"
                  f"           {spread(theirs, their_full)}")
    k = fitted_exponent(best)
    lo, hi = fit_spread(runs, min)
    print(f"  fitted exponent: time ~ size^{k:.2f} from {sizes[0]:,} to {sizes[-1]:,} actions over "
          f"{len(sizes)} sizes (target < 1.15: {timing.met(k < 1.15)}); the runs drawn again: "
          f"{lo:.2f} to {hi:.2f} (5th to 95th percentile); the sort's own, same run: "
          f"size^{fitted_exponent(floor_best):.2f}")
    lo, hi = fit_spread(runs, statistics.median)
    print(f"  fitted on the medians (the collector's full passes included): "
          f"size^{fitted_exponent(med):.2f}; the runs drawn again: {lo:.2f} to {hi:.2f}")
    if OLDER is not None:
        lo, hi = fit_spread(their_runs, min)
        lo2, hi2 = fit_spread(their_runs, statistics.median)
        print(f"  the older code's, same run: size^{fitted_exponent(their_best):.2f} "
              f"({lo:.2f} to {hi:.2f}); on its medians size^{fitted_exponent(their_med):.2f} "
              f"({lo2:.2f} to {hi2:.2f})")


@timing.with_own_settings  # never the user's settings, data folder or backups
def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="2,000 only; growth to 20,000")
    ap.add_argument("--repeat", type=int, default=7)
    ap.add_argument("--against", type=Path, metavar="DIR",
                    help="also time an older copy's engine, in the same run")
    args = ap.parse_args(argv)
    global OLDER
    if args.against:
        OLDER = Older(args.against.resolve())
    print("In process, best of N alternating pairs, wall and CPU time " + timing.load_note())
    for n in [2_000] + ([] if args.quick else [20_000]):
        bench(n, args.repeat)
    growth([1_000, 2_000, 5_000, 10_000, 20_000] + ([] if args.quick else [50_000, 100_000]),
           args.repeat)
    if OLDER is not None:
        OLDER.close()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

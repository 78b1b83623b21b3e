"""Every kind of single edit a user makes in the window, on the 20,000-action plan, end to end.

    .venv/bin/python bench/bench_edits.py                  # 20,000 actions, 9 rounds
    .venv/bin/python bench/bench_edits.py --actions 2000   # another size
    .venv/bin/python bench/bench_edits.py --rounds 15      # edits of each kind (default 9)
    .venv/bin/python bench/bench_edits.py --against DIR    # the same run, older code beside ours

What is timed for each edit is what the window does for it (ui/context.py), without Qt: the
operation the window calls (``planner.operations``: its checks, one write transaction, the
change journal, the undo step), then what ``AppContext`` does with the change set the document
reports: ``graph.Scheduler.refresh_for(change)``, and what the views then read: the critical
path, every milestone's forecast and the rows of the actions and milestones the edit touched.
The plan is ``bench/gen_plans.make_plan(n, 3n, seed 7)`` (2,000 milestones at 20,000 actions)
written to a plan file in a temporary folder, so every write and journal row really goes to
SQLite. The kinds: an action's duration, not-before date, actual start, status, title and
owner; adding an action (next to another, as the Actions view does) and deleting one; adding
a link (and one refused because it would close a loop) and removing one; adding a milestone,
changing its forecast and marking one achieved; recording an outcome measure's value; and the
Undo and the Redo of each that changed the plan. Each round makes every kind once on other
records (half of them on the critical path).

Printed for each kind: CPU time (this process, user + system: honest on a busy machine) median
and worst, wall time median and worst, and the median CPU time of the engine's part (the
refresh and what the views read; the rest is the operation), in milliseconds; target under 20 ms (median CPU;
worst is shown beside it). With ``--against DIR`` (an older checkout, e.g.
``git -C /work/main archive HEAD | tar -x -C DIR``) each kind is measured in child processes
alternating older code and ours, and both are printed side by side.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if "--code" in sys.argv:  # a child timing another checkout's planner/ and graph/
    sys.path.insert(0, sys.argv[sys.argv.index("--code") + 1])
elif str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import argparse  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from datetime import timedelta  # noqa: E402

from bench import timing  # noqa: E402

TARGET_MS = 20.0


ENGINE = [0.0]  # CPU seconds spent in the engine's refresh (and what the views read) so far


def _timed(samples: dict, kind: str, fn) -> object:
    """Run ``fn()``; add its (wall ms, CPU ms, of which the engine's CPU ms) to ``samples[kind]``."""
    engine = ENGINE[0]
    w, c = time.perf_counter(), time.process_time()
    out = fn()
    samples.setdefault(kind, []).append(((time.perf_counter() - w) * 1000,
                                         (time.process_time() - c) * 1000,
                                         (ENGINE[0] - engine) * 1000))
    return out


def measure(n: int, rounds: int, seed: int = 5) -> dict[str, list[tuple[float, float, float]]]:
    """Kind of edit -> [(wall ms, CPU ms, engine CPU ms)] of ``rounds`` edits of each kind (and
    their undo and redo)."""
    import graph
    from bench.gen_plans import PLAN_START, make_plan
    from planner import operations
    from planner.document import PlanDocument
    from planner.errors import PlanError
    from planner.model import Milestone

    plan = make_plan(n, 3 * n, seed=7)
    folder = Path(tempfile.mkdtemp(prefix="bench_edits_"))
    doc = PlanDocument.create(folder / "big.rcplan", plan)
    plan = doc.plan
    sched = graph.Scheduler(plan)
    state = {"an": sched.analyse()}

    def window_refresh(change) -> None:
        """What AppContext and the views do with a change set (ui/context.py, the views)."""
        c = time.process_time()
        an = sched.refresh_for(change)
        an.critical_path
        milestones = an.milestones
        for aid in change.actions:
            if aid in plan.actions:
                an.rows.get(aid)
        for mid in change.milestones:
            milestones.get(mid)
        state["an"] = an
        ENGINE[0] += time.process_time() - c

    doc.listeners.append(window_refresh)
    rng = random.Random(seed)
    # gen_plans: initiatives of about twenty actions; a link always needs an earlier step
    n_init = max(1, n // 20)
    first: dict[int, int] = {}
    slot = {}
    for i in range(n):
        k = min(n_init - 1, i * n_init // n)
        slot[f"A{i + 1}"] = i - first.setdefault(k, i)

    def slot_of(aid: str) -> int | None:
        """The step of an original action in its initiative (None: an action added since)."""
        return slot.get(aid)

    def pick(on_critical: bool) -> str:
        crit = [a for a in state["an"].critical_path if a in plan.actions]
        pool = crit if on_critical and crit else None
        while True:
            aid = rng.choice(pool) if pool else f"A{rng.randrange(1, n + 1)}"
            if aid in plan.actions:
                return aid

    samples: dict[str, list[tuple[float, float, float]]] = {}

    def edit(kind: str, operation, *args, **kwargs) -> None:
        """One edit of ``kind``, then its Undo and its Redo, each timed the window's way."""
        change = _timed(samples, kind, lambda: operation(doc, *args, **kwargs))
        if change:
            _timed(samples, f"  undo {kind}", lambda: operations.undo(doc))
            _timed(samples, f"  redo {kind}", lambda: operations.redo(doc))

    # Untimed warm-up: imports, the day's first backup, caches.
    warm = pick(False)
    operations.edit_action(doc, warm, duration=plan.actions[warm].duration + 1)
    operations.undo(doc)
    operations.redo(doc)
    people = list(plan.people)
    milestone_ids = [m for m in plan.milestones]
    as_of = plan.settings.as_of
    for r in range(rounds):
        crit = bool(r % 2)
        aid = pick(crit)
        edit("duration", operations.edit_action, aid,
             duration=plan.actions[aid].duration + rng.choice([1, 2, 5]))
        aid = pick(crit)
        edit("not-before date", operations.edit_action, aid,
             not_before=PLAN_START + timedelta(days=rng.randrange(0, 400)))
        aid = pick(crit)
        edit("actual start", operations.edit_action, aid, status="in progress",
             actual_start=as_of)
        aid = pick(crit)
        edit("status", operations.edit_action, aid, status=rng.choice(["on hold", "done"]))
        aid = pick(crit)
        edit("rename", operations.edit_action, aid, title=f"Renamed step {r}")
        aid = pick(crit)
        edit("owner", operations.edit_action, aid, owner=rng.choice(people))
        edit("add action", operations.add_action_after, pick(crit))
        edit("delete action", operations.delete_action, pick(crit))
        # A link from an earlier step to a later one (of any initiative) never closes a loop.
        while True:
            a, b = pick(False), pick(False)
            sa, sb = slot_of(a), slot_of(b)
            if sa is not None and sb is not None and sa < sb and not any(
                    d.needs == a and d.action == b for d in plan.predecessors(b)):
                break
        edit("add link", operations.add_dependency, b, a)
        # The reverse of an existing chain: refused, the loop named (the window shows why).
        dep = rng.choice(list(plan.dependencies.values()))

        def refused(doc):
            try:
                operations.add_dependency(doc, dep.needs, dep.action)
            except PlanError:
                return None
            raise AssertionError("a loop was accepted")

        edit("add link closing a loop (refused)", refused)
        uid = rng.choice(list(plan.dependencies))
        edit("remove link", operations.remove_dependency, uid)
        target = pick(crit)
        mid = plan.next_id("milestone")
        edit("add milestone", lambda d, m: d.add("milestone", m),
             Milestone(mid, f"New milestone {r}", action=target,
                       baseline=PLAN_START + timedelta(days=rng.randrange(30, 900))))
        mid = rng.choice(milestone_ids)
        edit("milestone forecast", operations.edit_milestone, mid,
             forecast=PLAN_START + timedelta(days=rng.randrange(30, 900)))
        mid = rng.choice(milestone_ids)
        if plan.milestones[mid].status != "achieved":
            edit("mark milestone achieved", operations.mark_achieved, mid, on=as_of)
        edit("record a measure's value", operations.add_reading, rng.choice(list(plan.measures)),
             as_of - timedelta(days=7 * r), float(rng.randrange(10, 90)))
    check = graph.analyse(plan)
    assert check.to_json() == state["an"].to_json(), "the refreshed schedule differs from a full run"
    doc.close()
    return samples


def _ms(values: list[float]) -> str:
    return f"{statistics.median(values):6.1f} {max(values):6.1f}"


def report(samples: dict[str, list], older: dict | None = None) -> bool:
    """Print one line per kind; True when every median CPU figure is under the target."""
    ok = True
    head = (f"  {'edit (then its undo, redo)':38s} {'CPU med  worst':>14s} {'wall med  worst':>15s}"
            f" {'engine CPU med':>15s}")
    if older is not None:
        head += f"   {'older CPU med  worst':>20s}"
    print(head)
    for kind, got in samples.items():
        cpu = [x[1] for x in got]
        wall = [x[0] for x in got]
        engine = [x[2] for x in got]
        good = statistics.median(cpu) < TARGET_MS
        ok &= good
        line = (f"  {kind:38s} {_ms(cpu):>14s} {_ms(wall):>15s} "
                f"{statistics.median(engine):15.1f}")
        if older is not None and older.get(kind):
            line += f"   {_ms([x[1] for x in older[kind]]):>20s}"
        print(line + ("" if good else "   <- over 20 ms"))
    return ok


def _child(code: Path, n: int, rounds: int) -> dict:
    """``measure`` run by the checkout at ``code`` in a child process."""
    import subprocess

    out = subprocess.run(timing.python(str(Path(__file__).resolve()), "--code", str(code),
                                       "--actions", str(n), "--rounds", str(rounds), "--json"),
                         cwd=code, env=timing.child_env(), capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.splitlines()[-1])


def _merge(into: dict, more: dict) -> None:
    for kind, got in more.items():
        into.setdefault(kind, []).extend(tuple(x) for x in got)


def main(argv: list[str]) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--actions", type=int, default=20_000, help="size of the plan")
    ap.add_argument("--rounds", type=int, default=9, help="edits of each kind")
    ap.add_argument("--against", type=Path, help="an older checkout, timed in the same run")
    ap.add_argument("--passes", type=int, default=2, help="with --against: alternating passes")
    ap.add_argument("--code", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.json:
        with timing.own_settings():
            print(json.dumps(measure(args.actions, args.rounds)))
        return 0
    return _run(args)


@timing.with_own_settings
def _run(args) -> int:
    """The printed benchmark (never the user's settings, data folder or backups)."""
    print(f"One edit of each kind on {args.actions:,} actions, the window's path without Qt "
          f"(operation + Scheduler.refresh_for + critical path + milestone forecasts + the "
          f"edited rows), milliseconds " + timing.load_note())
    if args.against is None:
        samples = measure(args.actions, args.rounds)
        ok = report(samples)
    else:
        ours: dict = {}
        older: dict = {}
        for _ in range(args.passes):
            _merge(older, _child(args.against.resolve(), args.actions, args.rounds))
            _merge(ours, _child(ROOT, args.actions, args.rounds))
        print(f"  ours and older ({args.against}) in {args.passes} alternating passes of "
              f"{args.rounds} rounds each " + timing.load_note())
        ok = report(ours, older)
    print(f"Target: every kind under {TARGET_MS:g} ms CPU (median): {timing.met(ok)} "
          + timing.load_note())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""How long one edit takes to show in the Timeline and Graph views on a big plan.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_views.py [n_actions] [n_links]``
(default 2,000 actions and 6,000 links from ``bench/gen_plans.make_plan``).

For each edit (a duration change, the commonest edit, on actions spread through the plan) it
times, from the call of ``doc.update`` until both views have repainted what is on screen:
the operation and the engine's incremental analysis (the context does this), each view's sync
on ``analysis_changed``, and a forced synchronous repaint of both viewports. Both views are
shown at 1280 x 760, as in the window. Figures are medians and worst cases in milliseconds of
wall-clock time; "total CPU" is this process's CPU time for the same span, which stays honest
on a machine busy with other work (wall-clock figures then grow with the wait for a core).
Set BENCH_GC_FREEZE=1 to see how much of the worst case is Python's cyclic garbage collector.

``--window`` times the round trip in the whole window instead: every view is built once, then
for each of Overview, Actions, Timeline and Graph on screen it times duration edits from the call
of ``doc.update`` until the window has handled its events and repainted (CPU and wall, with the
load average). ``--against DIR`` runs the same window bench on another copy of the code (e.g.
``git -C /work/main archive HEAD | tar -x -C /tmp/old``) right after, for an old-vs-new
comparison in the same run. With the Graph on screen it then times the structural edits
(``structural``): a link added and one removed, an action added and one deleted, and the Undo
and Redo of each.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, os.environ.get("BENCH_CODE_ROOT") or str(Path(__file__).resolve().parent.parent))

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from bench import timing  # noqa: E402


@timing.with_own_settings  # never the user's settings, data folder or backups
def main(n_actions: int = 2000, n_links: int | None = None, edits: int = 15) -> dict:
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from bench.gen_plans import make_plan
    from planner.document import PlanDocument
    from ui.context import AppContext
    from ui.graph_view import GraphView
    from ui.timeline_view import TimelineView

    n_links = 3 * n_actions if n_links is None else n_links
    plan = make_plan(n_actions, n_links, 7)
    folder = tempfile.mkdtemp(prefix="bench_views_")
    doc = PlanDocument.create(Path(folder) / "big.rcplan", plan)
    t = time.perf_counter()
    context = AppContext(doc)
    context.wait_for_analysis()
    open_ms = (time.perf_counter() - t) * 1000

    timings: dict[str, list[float]] = {"operation+analysis": [], "timeline sync": [],
                                       "graph sync": [], "repaint": [], "total": [],
                                       "total CPU": []}

    t = time.perf_counter()
    timeline = TimelineView(context)
    timeline.resize(1280, 760)
    timeline.show()
    graph_view = GraphView(context)
    graph_view.resize(1280, 760)
    graph_view.show()
    app.processEvents()
    build_ms = (time.perf_counter() - t) * 1000

    # time each view's handler by wrapping it
    for view, name in ((timeline, "timeline sync"), (graph_view, "graph sync")):
        original = getattr(view, "_on_analysis_changed", None)  # both views on screen: redraws
        if original is None:  # the code before issue 13's stale views
            original = view.refresh if view is timeline else view.sync
        context.analysis_changed.disconnect(original)

        def timed(original=original, name=name):
            t0 = time.perf_counter()
            original()
            timings[name].append((time.perf_counter() - t0) * 1000)

        context.analysis_changed.connect(timed)

    if os.environ.get("BENCH_GC_FREEZE"):  # how much of the worst case is the cyclic GC?
        import gc

        gc.collect()
        gc.freeze()
    ids = sorted(context.plan.actions, key=lambda a: int(a[1:]))
    targets = [ids[int(i * (len(ids) - 1) / max(1, edits - 1))] for i in range(edits)]
    # put a selected action and the plan start in view, as a user would have
    context.select_action(ids[len(ids) // 2])
    app.processEvents()
    for aid in targets:
        before = context.plan.actions[aid].duration
        c0 = time.process_time()
        t0 = time.perf_counter()
        doc.update("action", aid, duration=before + 5)
        t1 = time.perf_counter()
        timeline.canvas.viewport().repaint()
        graph_view.canvas.viewport().repaint()
        t2 = time.perf_counter()
        sync = timings["timeline sync"][-1] + timings["graph sync"][-1]
        timings["operation+analysis"].append((t1 - t0) * 1000 - sync)
        timings["repaint"].append((t2 - t1) * 1000)
        timings["total"].append((t2 - t0) * 1000)
        timings["total CPU"].append((time.process_time() - c0) * 1000)
        app.processEvents()
    # a structural edit: a new link (moves boxes in the graph by wave)
    link_ms, link_cpu = [], []
    from planner.model import Dependency

    for k in range(5):
        a, b = ids[100 + k * 300], ids[150 + k * 300]
        if any(d.action == b and d.needs == a for d in context.plan.dependencies.values()):
            continue
        c0 = time.process_time()
        t0 = time.perf_counter()
        doc.add("dependency", Dependency(action=b, needs=a))
        timeline.canvas.viewport().repaint()
        graph_view.canvas.viewport().repaint()
        link_ms.append((time.perf_counter() - t0) * 1000)
        link_cpu.append((time.process_time() - c0) * 1000)
        app.processEvents()

    print("per edit, total ms:", [round(x) for x in timings["total"]])
    print(f"Plan: {len(context.plan.actions)} actions, {len(context.plan.dependencies)} links, "
          f"{len(context.plan.milestones)} milestones")
    print(f"Open + first analysis: {open_ms:.0f} ms; build both views: {build_ms:.0f} ms")
    print(f"One duration edit, {edits} edits (median / worst, ms):")
    for name, values in timings.items():
        print(f"  {name:20s} {statistics.median(values):7.1f} / {max(values):7.1f}")
    if link_ms:
        print(f"One new link (median / worst, ms): {statistics.median(link_ms):.1f} / "
              f"{max(link_ms):.1f}; CPU {statistics.median(link_cpu):.1f} / {max(link_cpu):.1f}")
    worst_wall, worst_cpu = max(timings["total"]), max(timings["total CPU"])
    print(f"Budget 150 ms per edit: wall-clock worst {worst_wall:.0f} ms "
          f"({'met' if worst_wall < 150 else 'NOT met'}), CPU worst {worst_cpu:.0f} ms "
          f"({'met' if worst_cpu < 150 else 'NOT met'}); load average "
          f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    graph_view.close()
    timeline.close()
    doc.close()
    return {k: statistics.median(v) for k, v in timings.items()}


WINDOW_VIEWS = ("overview", "actions", "timeline", "graph")


@timing.with_own_settings
def window(n_actions: int = 2000, edits: int = 8) -> dict:
    """Edit round trip in the whole window with each view on screen (all views built first)."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance() or QApplication([])
    from bench.gen_plans import make_plan
    from planner.document import PlanDocument
    from ui.context import AppContext
    from ui.main_window import MainWindow

    plan = make_plan(n_actions, 3 * n_actions, 7)
    folder = tempfile.mkdtemp(prefix="bench_window_")
    doc = PlanDocument.create(Path(folder) / "big.rcplan", plan)
    context = AppContext(doc)
    context.wait_for_analysis()
    win = MainWindow(context)
    win.resize(1400, 900)
    win.show()
    c0, t0 = time.process_time(), time.perf_counter()
    for key in WINDOW_VIEWS:
        win.show_view(key)
        app.processEvents()
    build = (time.process_time() - c0, time.perf_counter() - t0)
    ids = sorted(context.plan.actions, key=lambda a: int(a[1:]))
    print(f"code: {sys.path[0]}")
    print(f"window, {len(ids)} actions: building the four views {build[0]:.1f} s CPU, "
          f"{build[1]:.1f} s wall")
    out = {}
    k = 0
    for key in WINDOW_VIEWS:
        win.show_view(key)
        app.processEvents()
        win.repaint()
        cpu, wall = [], []
        for i in range(edits):
            aid = ids[(k * 7919 + 13) % len(ids)]
            k += 1
            before = context.plan.actions[aid].duration
            c0, t0 = time.process_time(), time.perf_counter()
            doc.update("action", aid, duration=before + 5)
            app.processEvents()
            win.repaint()
            cpu.append((time.process_time() - c0) * 1000)
            wall.append((time.perf_counter() - t0) * 1000)
        # the cost moved to showing the next view: time the switch too
        out[key] = (statistics.median(cpu), max(cpu), statistics.median(wall))
        print(f"  edit with {key:9s} on screen: CPU median {statistics.median(cpu):7.1f} ms, "
              f"worst {max(cpu):7.1f}; wall median {statistics.median(wall):7.1f} ms "
              f"(load {os.getloadavg()[0]:.1f})")
    structural(app, win, context, ids)
    for key in WINDOW_VIEWS:  # switching to a view after edits made elsewhere
        win.show_view("overview")
        app.processEvents()
        aid = ids[(k * 7919 + 13) % len(ids)]
        k += 1
        doc.update("action", aid, duration=context.plan.actions[aid].duration + 5)
        app.processEvents()
        c0, t0 = time.process_time(), time.perf_counter()
        win.show_view(key)
        app.processEvents()
        win.repaint()
        print(f"  show {key:9s} after an edit elsewhere: CPU {(time.process_time() - c0) * 1000:7.1f} ms, "
              f"wall {(time.perf_counter() - t0) * 1000:7.1f} ms (load {os.getloadavg()[0]:.1f})")
    win.close()
    doc.close()
    return out


STRUCTURAL = ("add link", "remove link", "add action", "delete action")


def structural(app, win, context, ids: list[str], reps: int = 5) -> dict:
    """With the Graph on screen: a link added, a link removed, an action added (after another,
    as the Actions view's button does) and one deleted, each followed by its Undo and Redo,
    through the operations the window calls; CPU and wall from the call until the window has
    handled its events and repainted. Medians of ``reps`` of each."""
    from planner import operations

    plan = context.plan
    win.show_view("graph")
    app.processEvents()
    win.repaint()
    times: dict[str, list[tuple[float, float]]] = {}

    def timed(what: str, operation, *args) -> object:
        c0, t0 = time.process_time(), time.perf_counter()
        change = context.run(operation, *args)
        app.processEvents()
        win.repaint()
        times.setdefault(what, []).append(((time.process_time() - c0) * 1000,
                                           (time.perf_counter() - t0) * 1000))
        assert change is not None, (what, args)
        return change

    def with_undo(what: str, operation, *args) -> None:
        timed(what, operation, *args)
        timed("  its Undo", operations.undo)
        timed("  its Redo", operations.redo)
        for step in ("Undo", "Redo"):
            times.setdefault(f"{what}: {step}", []).extend(times.pop(f"  its {step}"))

    n = len(ids)
    for r in range(reps):
        # a later action waits for an earlier one of a nearby initiative (no loop: the plan's
        # links all point to earlier steps)
        base = (r * 3001 + 517) % (n - 200)
        needs, action = ids[base], ids[base + 150]
        with_undo("add link", operations.add_dependency, action, needs)
        waiting = ids[(r * 4001 + 999) % n]
        uid = next((u for u, d in plan.dependencies.items() if d.action == waiting),
                   next(iter(plan.dependencies)))
        with_undo("remove link", operations.remove_dependency, uid)
        with_undo("add action", operations.add_action_after, ids[(r * 5003 + 77) % n])
        with_undo("delete action", operations.delete_action, ids[(r * 6007 + 1234) % n])
    out = {}
    for what, values in times.items():
        cpu = [c for c, _w in values]
        wall = [w for _c, w in values]
        out[what] = statistics.median(cpu)
        print(f"  Graph on screen, {what:22s}: CPU median {statistics.median(cpu):7.1f} ms, "
              f"worst {max(cpu):7.1f}; wall median {statistics.median(wall):7.1f} ms "
              f"(load {os.getloadavg()[0]:.1f})")
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    against = None
    if "--against" in args:
        i = args.index("--against")
        against = args[i + 1]
        del args[i:i + 2]
    if "--window" in args:
        args.remove("--window")
        n = int(args[0]) if args else 2000
        window(n)
        if against:
            import subprocess

            env = timing.child_env(BENCH_CODE_ROOT=str(Path(against).resolve()))
            subprocess.run([sys.executable, str(Path(__file__).resolve()), "--window", str(n)],
                           env=env, check=True)
    else:
        n = int(args[0]) if args else 2000
        links = int(args[1]) if len(args) > 1 else None
        main(n, links)

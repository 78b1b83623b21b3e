"""Crash harness: kill a program editing a plan at random moments and check nothing is lost (issue 9).

Each trial makes a fresh plan, starts one (or two) separate processes that make a stream of edits,
undos, snapshots, Excel exports and imports, and kills them with SIGKILL at a random moment. Each
child writes down, in a log it fsyncs, what it is about to do ("intent") and, once the operation
has returned, the plan's state as that program then knew it ("done", with the file's save
counter). After every kill the harness checks that the plan file:

- opens without being called damaged (a recovered interrupted save is fine);
- passes SQLite's integrity check and the planner's validation;
- holds every edit whose operation had returned, and nothing else than at most the one operation
  that was under way when the kill came (so the save counter is the last returned one, or one more);
- has a change journal (the undo history) consistent with the data: replaying the journal's newest
  value of every action title gives the titles stored;

and that every exported workbook and imported plan is either absent or whole.

A kill at a random moment leaves a hot rollback journal in a few trials in a hundred. To be sure
that case is met in every run, ``mid_save=N`` (``--mid-save N``) makes the first child's Nth
operation a big edit of every action and kills that child inside its save, after SQLite has
already written part of it into the plan file: the plan is left half-saved with a hot journal
beside it (``Report.hot`` counts the trials that left one).

    python scripts/crash_harness.py --trials 1000            # the long run (README: Reliability)
    python scripts/crash_harness.py --trials 200 --writers 2  # two processes on one file

The short version runs in the test suite (tests/planner/test_crash.py).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# ----- the child: a stream of operations ----------------------------------------------------------

def _log(fh, entry: dict) -> None:
    fh.write(json.dumps(entry) + "\n")
    fh.flush()
    os.fsync(fh.fileno())


def _die_inside_saves(doc) -> None:
    """From now on, kill this program inside its next save, with part of it already in the file."""
    from planner import storage

    doc.conn.execute("PRAGMA cache_size = 1")  # a big change spills into the file before commit
    real = storage.set_change_counter

    def set_then_die(conn, value):
        real(conn, value)  # the last write of the save: only COMMIT is left
        os.kill(os.getpid(), signal.SIGKILL)

    storage.set_change_counter = set_then_die


def child(plan_path: str, log_path: str, seed: int, name: str, mid_save: int = 0) -> None:
    """Edit the plan until killed, logging each operation before it starts and once it returns.

    ``mid_save``: the Nth operation edits every action at once and is killed inside its save.
    """
    from planner import storage
    from planner.document import PlanDocument
    from planner.errors import PlanError
    from planner.model import Action
    from planner.xlsx import export_workbook, import_workbook

    rng = random.Random(seed)
    folder = Path(plan_path).parent
    seq = 0
    with open(log_path, "a", encoding="utf-8") as log:
        print("ready", flush=True)
        while True:
            try:
                doc = PlanDocument.open(plan_path, user=name, take_over=True)
            except PlanError:
                time.sleep(0.01)
                continue
            try:
                for _ in range(rng.randint(1, 8)):
                    seq += 1
                    kind = rng.choice(["title", "title", "title", "add", "delete", "undo",
                                       "snapshot", "export", "import"])
                    ids = sorted(doc.plan.actions)
                    target = rng.choice(ids) if ids else None
                    touched = [target] if target else []
                    if kind == "add":
                        target = f"{name}{seq}"
                        touched = [target]
                    if kind == "undo":
                        step = doc._undo[-1] if doc._undo else None
                        touched = sorted({c.key for c in step.changes if c.kind == "action"}
                                         if step else set())
                    if seq == mid_save:
                        kind, touched = "bulk", ids
                        _die_inside_saves(doc)
                    _log(log, {"intent": seq, "who": name, "op": kind, "ids": touched})
                    try:
                        if kind == "title" and target:
                            doc.update("action", target, title=f"{name} {seq}")
                        elif kind == "add":
                            doc.add("action", Action(target, f"{name} added {seq}", duration=3))
                        elif kind == "delete" and target and len(ids) > 3:
                            doc.delete("action", target)
                        elif kind == "undo":
                            doc.undo()
                        elif kind == "bulk":
                            with doc.batch("edit every action"):
                                for i in ids:
                                    doc.update("action", i, title=f"{name} {seq}",
                                               notes=f"{name} {seq} " * 300)
                        elif kind == "snapshot":
                            doc.save_snapshot(f"snapshot {seq}")
                        elif kind == "export":
                            export_workbook(doc.plan, folder / f"export-{name}.xlsx")
                        elif kind == "import":
                            source = folder / f"export-{name}.xlsx"
                            if source.exists():
                                import_workbook(source, folder / f"imported-{name}.rcplan",
                                                force=True)
                    except PlanError:
                        continue  # refused (another writer saved first, or holds the plan)
                    state = {i: doc.plan.actions[i].title if i in doc.plan.actions else None
                             for i in touched}
                    _log(log, {"done": seq, "who": name,
                               "counter": storage.change_counter(doc.conn), "state": state})
            finally:
                doc.close()


# ----- the checks after a kill --------------------------------------------------------------------

@dataclass
class Report:
    """Figures of a run: trials, and the trials that failed each check."""

    trials: int = 0
    operations: int = 0
    recovered: int = 0
    hot: int = 0
    refused: int = 0
    corrupt: int = 0
    lost: int = 0
    journal: int = 0
    files: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def failed(self) -> int:
        return self.refused + self.corrupt + self.lost + self.journal + self.files

    def line(self) -> str:
        return (f"{self.trials} trials ({self.operations} operations returned before the kills): "
                f"{self.refused} refused, {self.corrupt} corrupt, "
                f"{self.lost} lost, {self.journal} journal inconsistent, {self.files} bad "
                f"exports/imports; {self.hot} left a rollback journal, {self.recovered} recovered "
                f"after an interrupted save")


def _read_logs(logs: list[Path]) -> tuple[list[dict], dict[str, dict]]:
    done, intents = [], {}
    for log in logs:
        if not log.exists():
            continue
        for line in log.read_text(encoding="utf-8").splitlines():
            try:
                entry = json.loads(line)
            except ValueError:
                continue  # a line cut by the kill
            if "done" in entry:
                done.append(entry)
                intents.pop(entry["who"], None)
            else:
                intents[entry["who"]] = entry
    done.sort(key=lambda e: e["counter"])
    return done, intents


def check(plan: Path, logs: list[Path], base: dict[str, str], report: Report) -> None:
    """Check one killed trial's files; count each failure in ``report``."""
    from planner.document import PlanDocument
    from planner.errors import PlanError
    from planner.validate import validate_plan

    from planner.storage import journal_path

    report.trials += 1
    journal = journal_path(plan)
    report.hot += journal.is_file() and journal.stat().st_size > 0
    try:
        doc = PlanDocument.open(plan, take_over=True)
    except PlanError as exc:
        report.refused += 1
        report.failures.append(f"refused: {exc}")
        return
    try:
        report.recovered += bool(doc.notices)
        conn = sqlite3.connect(f"file:{plan}?mode=ro", uri=True)
        try:
            ok = conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            counter_row = conn.execute("SELECT value FROM meta WHERE key='changes'").fetchone()
            journal = conn.execute("SELECT key, field, new FROM journal WHERE kind='action' "
                                   "ORDER BY seq").fetchall()
        finally:
            conn.close()
        problems = validate_plan(doc.plan)
        if not ok or problems:
            report.corrupt += 1
            report.failures.append(f"corrupt: integrity {ok}, problems {problems[:3]}")
            return
        counter = int(counter_row[0]) if counter_row else 0
        done, intents = _read_logs(logs)
        report.operations += len(done)
        expected = dict(base)
        for entry in done:
            expected.update(entry["state"])
        last = done[-1]["counter"] if done else 0
        in_flight = {i for e in intents.values() for i in e.get("ids", [])}
        stored = {i: a.title for i, a in doc.plan.actions.items()}
        if counter < last or counter > last + len(intents):
            report.lost += 1
            report.failures.append(f"lost: file counter {counter}, last returned {last}")
            return
        exact = counter == last
        for ident, title in expected.items():
            if not exact and ident in in_flight:
                continue
            if stored.get(ident) != title:
                report.lost += 1
                report.failures.append(f"lost: {ident} is {stored.get(ident)!r}, "
                                       f"returned {title!r}")
                return
        titles: dict[str, str | None] = {}
        for key, fld, new in journal:
            key = json.loads(key)
            value = json.loads(new) if new is not None else None
            if fld == "title":
                titles[key] = value
            elif fld == "*":
                titles[key] = value["title"] if value else None
        for key, title in titles.items():
            if stored.get(key) != title:
                report.journal += 1
                report.failures.append(f"journal: {key} journal says {title!r}, "
                                       f"stored {stored.get(key)!r}")
                return
    finally:
        doc.close()
    for path in plan.parent.iterdir():
        if path.name.startswith("export-") and path.suffix == ".xlsx":
            try:
                with zipfile.ZipFile(path) as z:
                    bad = z.testzip()
                if bad:
                    raise zipfile.BadZipFile(bad)
            except (zipfile.BadZipFile, OSError) as exc:
                report.files += 1
                report.failures.append(f"export {path.name} is not whole: {exc}")
        elif path.name.startswith("imported-") and path.suffix == ".rcplan":
            try:
                PlanDocument.open(path, readonly=True).close()
            except PlanError as exc:
                report.files += 1
                report.failures.append(f"import {path.name} is not whole: {exc}")


# ----- the parent ---------------------------------------------------------------------------------

def run_trials(trials: int, *, writers: int = 1, seed: int = 1, workdir: Path | None = None,
               max_wait: float = 0.6, progress=None, mid_save: int = 0) -> Report:
    """Run ``trials`` kill-and-check trials; return the figures.

    ``mid_save``: in each trial the first writer dies inside the save of its Nth operation (a
    big one); the others are killed then.
    """
    from planner.document import PlanDocument
    from planner.model import Action, Plan, ten_challenges

    rng = random.Random(seed)
    report = Report()
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
    with tempfile.TemporaryDirectory(dir=workdir) as tmp:
        # the plans' daily backups go with the trials, never into the user's data folder
        env.setdefault("RCP_BACKUP_DIR", str(Path(tmp) / "backups"))
        for n in range(trials):
            folder = Path(tmp) / f"trial{n}"
            folder.mkdir()
            plan = Plan(challenges=ten_challenges())
            for k in range(1, 7):
                plan.actions[f"A{k}"] = Action(f"A{k}", f"Action {k}", challenges=[k])
            path = folder / "plan.rcplan"
            PlanDocument.create(path, plan).close()
            base = {i: a.title for i, a in plan.actions.items()}
            logs = [folder / f"log-{w}.jsonl" for w in range(writers)]
            children = [subprocess.Popen(
                [sys.executable, str(Path(__file__).resolve()), "--child", str(path), str(log),
                 str(rng.randrange(1 << 30)), f"W{w}"]
                + (["--mid-save", str(mid_save)] if mid_save and w == 0 else []),
                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
                for w, log in enumerate(logs)]
            for c in children:
                c.stdout.readline()  # "ready": the program has started; its edits begin now
            if mid_save:  # the first writer kills itself inside its save
                try:
                    children[0].wait(timeout=60)
                except subprocess.TimeoutExpired:
                    report.failures.append("the writer did not die inside its save")
            else:
                time.sleep(rng.uniform(0.0, max_wait))
            for c in children:
                c.send_signal(signal.SIGKILL)
            for c in children:
                c.wait()
                stderr = c.stderr.read()
                c.stdout.close()
                c.stderr.close()
                if "Traceback" in stderr:
                    report.failures.append("child crashed: " + stderr.strip().splitlines()[-1])
            check(path, logs, base, report)
            if progress:
                progress(n + 1, report)
            if not report.failures or report.failures[-1:] == []:
                import shutil
                shutil.rmtree(folder, ignore_errors=True)
    return report


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--trials", type=int, default=1000)
    p.add_argument("--writers", type=int, default=1, choices=(1, 2))
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--mid-save", type=int, default=0, metavar="N",
                   help="the first writer dies inside the save of its Nth operation (a big one)")
    p.add_argument("--child", nargs=4, metavar=("PLAN", "LOG", "SEED", "NAME"),
                   help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.child:
        plan, log, seed, name = args.child
        child(plan, log, int(seed), name, args.mid_save)
        return 0
    started = time.time()

    def progress(n, report):
        if n % 50 == 0 or n == args.trials:
            print(f"  {report.line()} ({time.time() - started:.0f} s)", flush=True)

    report = run_trials(args.trials, writers=args.writers, seed=args.seed, progress=progress,
                        mid_save=args.mid_save)
    print(f"{args.writers} writer{'s' if args.writers > 1 else ''}, seed {args.seed}: "
          f"{report.line()}; {time.time() - started:.0f} s")
    for f in report.failures[:20]:
        print("  -", f)
    return 1 if report.failed or report.failures else 0


if __name__ == "__main__":
    sys.exit(main())

"""Board deck benchmark: the sample plan and a 2,000-action plan against python-pptx's open and save.

    .venv/bin/python bench/bench_deck.py [--repeat N] [--against DIR]

In alternating pairs, best of N (default 3), wall and CPU time, whole processes:
``python main.py export PLAN --pptx OUT.pptx`` (interpreter start, imports, opening and checking
the plan file, the schedule, every slide and writing the .pptx (a draft: no snapshot is
stored); each run on a fresh copy of the plan, copied before the clock starts, against the floor:
a ``python`` process in which python-pptx opens the product's template and saves it
(``Presentation(templates/board.pptx).save(out)``). Decks go to bench/out/.
Targets (issue 13): the 2,000-action deck within 3x of the floor. With ``--against DIR`` (another
copy of the program, e.g. ``git worktree add /tmp/old <commit>``) both decks are also timed in one
rotation with the floor, so old and new are compared under the same load.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import timing  # noqa: E402
from bench.gen_plans import make_plan  # noqa: E402
from planner.document import PlanDocument  # noqa: E402
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


FLOOR = ("import sys\n"
         "from pptx import Presentation\n"
         "Presentation(sys.argv[1]).save(sys.argv[2])\n")


def export_runner(plan_file: Path, out: Path, tmp: Path, checkout: Path = ROOT):
    """A runner: copy the plan (untimed), then time the whole ``main.py export`` process (of
    ``checkout``: this one, or another copy of the program to compare with)."""
    def run():
        copy = tmp / plan_file.name
        shutil.copy(plan_file, copy)
        return timing.whole_process(timing.python("main.py", "export", str(copy), "--pptx",
                                                  str(out)), cwd=checkout)()
    return run


def against_line(what: str, ours: timing.Timing, other: timing.Timing, floor: timing.Timing) -> str:
    """Ours and another checkout, measured in the same rotation with the floor."""
    return (f"{what}, the same run: this checkout {ours.text()} ({ours.cpu / floor.cpu:.2f}x "
            f"CPU); --against {other.text()} ({other.cpu / floor.cpu:.2f}x CPU); "
            f"floor {floor.text()}")


def rotate(runners, repeat: int) -> list[timing.Timing]:
    """Each runner once (untimed), then all of them in turn ``repeat`` times."""
    for run in runners:
        run()
    out = [timing.Timing() for _ in runners]
    for _ in range(repeat):
        for t, run in zip(out, runners):
            t.samples.append(run())
    return out


def slide_count(path: Path) -> int:
    from pptx import Presentation

    return len(Presentation(path).slides)


@timing.with_own_settings  # never the user's settings, data folder or backups
def main() -> int:
    from reports.template import PRODUCT_TEMPLATE

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--against", type=Path, metavar="DIR",
                    help="another copy of the program (e.g. an older commit, `git worktree add`): "
                         "its deck is timed in the same rotation as this one's and the floor's")
    args = ap.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    print("Whole processes, best of N alternating pairs, wall and CPU time " + timing.load_note())
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        floor = timing.whole_process(timing.python("-c", FLOOR, str(PRODUCT_TEMPLATE),
                                                   str(tmp / "floor.pptx")))
        sample = timing.compare(export_runner(SAMPLE, OUT / "sample-deck.pptx", tmp), floor,
                                args.repeat)
        print(sample.line(f"sample plan deck ({slide_count(OUT / 'sample-deck.pptx')} slides)",
                          "python-pptx opens and saves the template; whole process"))
        path = tmp / "big.rcplan"
        PlanDocument.create(path, big_plan()).close()  # not timed
        big = timing.compare(export_runner(path, OUT / "deck-2000.pptx", tmp / "run"), floor,
                             args.repeat) if (tmp / "run").mkdir() is None else None
        print(big.line(f"2,000-action plan deck ({slide_count(OUT / 'deck-2000.pptx')} slides)",
                       "the same", 3))
        if args.against:
            for what, plan_file in (("sample plan deck", SAMPLE), ("2,000-action plan deck", path)):
                ours, other, fl = rotate([
                    export_runner(plan_file, OUT / "ours.pptx", tmp / "run"),
                    export_runner(plan_file, OUT / "against.pptx", tmp / "run",
                                  args.against.resolve()),
                    floor], args.repeat)
                print(against_line(what, ours, other, fl))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

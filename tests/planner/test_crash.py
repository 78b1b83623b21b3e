"""Killed at random moments, a program editing a plan never leaves it damaged or missing an edit
that had returned (issue 9). The short run of scripts/crash_harness.py; the long one (1,000
trials) is ``python scripts/crash_harness.py --trials 1000`` (figures in README: Reliability)."""

from __future__ import annotations

import importlib.util
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
if sys.platform == "win32":  # pragma: no cover
    pytest.skip("SIGKILL is a POSIX signal", allow_module_level=True)


def harness():
    spec = importlib.util.spec_from_file_location("crash_harness",
                                                  ROOT / "scripts" / "crash_harness.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["crash_harness"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("writers,trials", [(1, 8), (2, 4)])
def test_killed_editors_lose_nothing(tmp_path, writers, trials):
    h = harness()
    report = h.run_trials(int(os.environ.get("RCP_CRASH_TRIALS", trials)), writers=writers,
                          seed=7 + writers, workdir=tmp_path)
    assert report.failures == [], report.failures
    assert report.failed == 0
    assert report.operations > 0  # the kills came while work was being done


def test_a_program_killed_inside_a_save_leaves_a_hot_journal_and_the_plan_opens(tmp_path):
    """The case a random kill meets only now and then, made sure: the writer dies inside a big
    save, after SQLite wrote part of it into the plan file (without its journal that file would
    be damaged). The plan opens, recovered, never called damaged, with every returned edit."""
    h = harness()
    report = h.run_trials(3, writers=1, seed=11, workdir=tmp_path, mid_save=2)
    assert report.hot == 3  # every trial left a hot journal beside the plan
    assert report.recovered == 3  # and each opened as "recovered after an interrupted save"
    assert report.refused == 0 and report.failed == 0, report.failures
    assert report.failures == []
    assert report.operations > 0  # edits returned before the killed save (and were kept)


def test_the_checks_catch_a_lost_edit(tmp_path):
    """The harness itself can fail: an edit logged as returned but not in the file is 'lost'."""
    import json

    from planner.document import PlanDocument
    from plan_factory import small_plan

    h = harness()
    path = tmp_path / "plan.rcplan"
    PlanDocument.create(path, small_plan()).close()
    log = tmp_path / "log.jsonl"
    log.write_text(json.dumps({"done": 1, "who": "W0", "counter": 0,
                               "state": {"A1": "an edit that never reached the file"}}) + "\n")
    report = h.Report()
    h.check(path, [log], {}, report)
    assert report.lost == 1

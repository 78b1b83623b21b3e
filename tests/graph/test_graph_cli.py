"""The sequence, impact and why command-line forms, as functions and through main.py."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from graph.cli import run_impact, run_sequence, run_why
from planner.errors import PlanError
from test_graph_explain import college_plan

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def test_sequence_json_has_the_documented_shape():
    out = io.StringIO()
    assert run_sequence(college_plan(), [], True, out) == 0
    data = json.loads(out.getvalue())
    assert set(data) == {"plan_finish", "critical_path", "actions", "milestones",
                         "recommendations", "warnings", "challenges"}
    assert data["critical_path"] == ["A1", "A2", "A4", "A5"]
    assert data["plan_finish"] == "2027-02-12"
    assert set(data["actions"]["A1"]) == {"start", "finish", "early_start", "early_finish",
                                          "late_start", "late_finish", "float_days", "critical",
                                          "phase", "wave"}
    assert data["actions"]["A7"]["float_days"] > 0
    assert data["milestones"]["M1"] == {"baseline": "2027-01-20", "forecast": "2027-01-25",
                                        "slip_days": 3, "state": "late"}
    assert set(data["challenges"]["3"]) == {"title", "actions", "filed", "done", "percent_done",
                                            "rag", "reason"}
    assert data["recommendations"][0]["challenge"] == 3
    assert all(isinstance(w, str) for w in data["warnings"])


def test_sequence_with_starts_shows_phase_preview():
    out = io.StringIO()
    run_sequence(college_plan(), ["C2", "A7"], False, out)
    text = out.getvalue()
    assert "Where to start" in text and "Start with 3, Recovery College" in text
    assert "A7 'Board recovery champion': no phase -> phase 1: chosen as a starting point" in text
    assert "Critical path" in text and "Milestones" in text


def test_sequence_json_with_start_sets_phase_one():
    out = io.StringIO()
    run_sequence(college_plan(), ["A3"], True, out)
    acts = json.loads(out.getvalue())["actions"]
    assert [a for a, r in acts.items() if r["phase"] == 1] == ["A1", "A2", "A3"]


def test_impact_and_why_text_and_errors():
    out = io.StringIO()
    assert run_impact(college_plan(), "A2", 2, False, out) == 0
    assert "2 working days late" in out.getvalue()
    out = io.StringIO()
    run_impact(college_plan(), "A2", 2, True, out)
    assert json.loads(out.getvalue())["plan_finish_days"] == 2
    out = io.StringIO()
    assert run_why(college_plan(), "M1", out) == 0
    assert "Root cause" in out.getvalue()
    with pytest.raises(PlanError):
        run_impact(college_plan(), "A42", 1, False, io.StringIO())
    with pytest.raises(PlanError):
        run_sequence(college_plan(), ["C99"], False, io.StringIO())


def test_main_py_runs_the_graph_commands(tmp_path):
    from planner.document import PlanDocument
    path = tmp_path / "college.rcplan"
    doc = PlanDocument.create(path, college_plan())
    doc.close() if hasattr(doc, "close") else None

    def run(*args):
        return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                              capture_output=True, text=True, timeout=120)

    r = run("sequence", str(path), "--start", "C3", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["critical_path"] == ["A1", "A2", "A4", "A5"]
    r = run("impact", str(path), "A2", "--slip", "3")
    assert r.returncode == 0 and "3 other actions and 2 milestones move" in r.stdout
    r = run("why", str(path), "M2")
    assert r.returncode == 0 and "Root cause" in r.stdout
    r = run("why", str(path), "M42")
    assert r.returncode != 0 and "no milestone or action M42" in r.stderr
    assert "Traceback" not in r.stderr


def test_empty_plan_and_plan_without_dates_still_sequence():
    from planner.model import Action, Plan, ten_challenges
    plan = Plan(challenges=ten_challenges())
    out = io.StringIO()
    assert run_sequence(plan, [], True, out) == 0
    data = json.loads(out.getvalue())
    assert data["plan_finish"] is None and data["critical_path"] == []
    recs = data["recommendations"]
    assert recs[0]["reason"].startswith("Start with the baseline self-assessment")  # none assessed
    assert "has no such actions yet" in recs[0]["reason"]
    assert all("no open actions" in r["reason"] for r in recs[1:])
    plan.actions["A1"] = Action("A1", "Agree the strategy", duration=3)
    out = io.StringIO()
    run_sequence(plan, [], False, out)
    assert "The plan has no start date" in out.getvalue()


def test_sequence_text_writes_dates_as_the_window_does_in_aligned_columns(tmp_path):
    """The sequence summary wrote "Starts 2025-01-06", "2026-10-29 to 2027-09-20" and
    "baseline 2027-08-27" where every screen and slide writes "6 Jan 2025" (short_date). The
    people-facing text now does too, its open-actions table still in columns though "3 Sep 2026"
    is narrower than "12 Mar 2026"; --json keeps ISO dates for tools."""
    import re
    import shutil

    from graph import analyse
    from planner import rules
    from planner.dates import short_date
    from planner.document import PlanDocument

    path = tmp_path / "northmoor.rcplan"
    shutil.copy(os.path.join(ROOT, "sample_plans", "northmoor.rcplan"), path)
    with PlanDocument.open(path, readonly=True) as doc:
        plan = doc.plan
    an = analyse(plan)
    out = io.StringIO()
    run_sequence(plan, [], False, out)
    text = out.getvalue()
    assert not re.search(r"\d{4}-\d\d-\d\d", text), re.findall(r".*\d{4}-\d\d-\d\d.*", text)[:3]
    assert (f"Starts {short_date(an.plan_start)}, status date {short_date(an.as_of)}; forecast to "
            f"finish {short_date(an.plan_finish)} (") in text
    best = an.recommendations[0]  # its score whole, as the start wizard writes it
    assert f"\n  1. [score {best.score:.0f}] {best.reason}\n" in text and "." in f"{best.score}"
    first = an.critical_path[0]
    row = an.rows[first]
    assert f"  {first} '{row.title}' {short_date(row.start)} to {short_date(row.finish)}\n" in text
    m = plan.milestones["M6"]
    f = an.milestones["M6"]
    assert (f"  M6 '{m.title}': baseline {short_date(f.baseline)}, "
            f"forecast {short_date(f.forecast)}") in text
    # a milestone's state and slip as the Milestones view and the deck word them
    m25 = an.milestones["M25"]
    assert (f"  M25 '{m25.title}': baseline {short_date(m25.baseline)}, "
            f"forecast {short_date(m25.forecast)} (missed), ") in text
    assert "late by" not in text
    for mid, fc in an.milestones.items():
        line = next(ln for ln in text.splitlines() if ln.startswith(f"  {mid} '"))
        assert line.endswith(rules.slip_text(fc.slip_days)), line
    lines = text.splitlines()
    head = next(i for i, ln in enumerate(lines) if ln.strip().startswith("ID ") and "Title" in ln)
    rows = [ln for ln in lines[head + 1:] if re.match(r" [ *]A\d", ln)]
    title_at, float_end = lines[head].index("Title"), lines[head].index("Float") + 5
    widths = set()
    for ln in rows:
        aid = ln[2:].split()[0]
        r = an.rows[aid]
        assert ln[title_at:] == r.title, ln
        assert ln[float_end - 5:float_end] == f"{r.float_days:>5}", ln
        start = ln.split()[1:4]
        assert " ".join(start) == short_date(r.start), ln
        widths.add(len(short_date(r.start)))
    assert widths == {10, 11} and len(rows) >= 20
    out = io.StringIO()
    run_sequence(plan, [], True, out)
    assert json.loads(out.getvalue())["plan_finish"] == an.plan_finish.isoformat()

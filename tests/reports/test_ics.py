"""Milestones and governance dates as a calendar file, read back with the icalendar package."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date

import icalendar

from planner.dates import short_date
from planner.document import PlanDocument
from plan_factory import small_plan
from reports.ics import milestone_day

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(*args):
    return subprocess.run([sys.executable, os.path.join(ROOT, "main.py"), *args],
                          capture_output=True, text=True, timeout=120)


def events(path) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(path.read_bytes())
    return {str(e["UID"]): e for e in cal.walk("VEVENT")}


def test_sample_calendar_has_every_dated_milestone_as_an_all_day_event(doc, tmp_path):
    out = tmp_path / "plan.ics"
    r = run("export-ics", str(doc.path), str(out))
    assert r.returncode == 0, r.stderr
    got = events(out)
    dated = [m for m in doc.plan.milestones.values() if milestone_day(m)]
    board = 1 if doc.plan.settings.board_date else 0
    assert len(got) == len(dated) + board
    by_summary = {str(e["SUMMARY"]): e for e in got.values()}
    for m in dated:
        prefix = "Governance: " if m.governance else "Milestone: "
        match = [e for s, e in by_summary.items() if s.startswith(prefix + m.title)]
        assert match, m.title
        start = match[0]["DTSTART"].dt
        assert type(start) is date and start == milestone_day(m)  # all-day, not a time
        # the description is read by people: the baseline as the window writes it, not ISO
        if m.baseline:
            text = str(match[0]["DESCRIPTION"])
            assert f"Baseline: {short_date(m.baseline)}" in text, text
            assert m.baseline.isoformat() not in text


def test_uids_stay_the_same_when_a_date_moves_so_reimport_updates(tmp_path):
    path = tmp_path / "p.rcplan"
    plan = small_plan()
    with PlanDocument.create(path, plan) as d:
        d.update("milestone", "M1", forecast=date(2026, 6, 15), governance=True)
    first, second = tmp_path / "a.ics", tmp_path / "b.ics"
    assert run("export-ics", str(path), str(first)).returncode == 0
    with PlanDocument.open(path) as d:
        d.update("milestone", "M1", forecast=date(2026, 7, 20))
    assert run("export-ics", str(path), str(second)).returncode == 0
    a, b = events(first), events(second)
    assert set(a) == set(b) and len(a) == 1
    uid = next(iter(a))
    assert plan.settings.plan_id in uid and plan.milestones["M1"].uid in uid
    assert a[uid]["DTSTART"].dt == date(2026, 6, 15)
    assert b[uid]["DTSTART"].dt == date(2026, 7, 20)
    assert str(b[uid]["CATEGORIES"].cats[0]) == "Governance"


def test_owner_filter_and_unknown_owner(doc, tmp_path):
    person = next(p for p in doc.plan.people.values()
                  if any(m.owner == p.id for m in doc.plan.milestones.values()))
    out = tmp_path / "mine.ics"
    r = run("export-ics", str(doc.path), str(out), "--owner", person.name.upper())
    assert r.returncode == 0, r.stderr
    mine = [m for m in doc.plan.milestones.values() if m.owner == person.id and milestone_day(m)]
    assert len(events(out)) == len(mine) > 0
    r = run("export-ics", str(doc.path), str(tmp_path / "x.ics"), "--owner", "Nobody Here")
    assert r.returncode == 1 and "nobody called 'Nobody Here'" in r.stderr
    assert not (tmp_path / "x.ics").exists()

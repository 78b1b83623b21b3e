"""Milestones and governance dates as an iCalendar file (``.ics``) for Outlook, Google or Apple.

Each event's UID is made from the plan's id and the milestone's lasting identity (its ``uid``), so
importing a newer export into the same calendar moves the existing event instead of adding a
second one. A cancelled milestone is written with STATUS:CANCELLED so the calendar drops it too.
"""

from __future__ import annotations

import os
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from planner.dates import short_date
from planner.errors import PlanError
from planner.files import replaced_atomically
from planner.model import Milestone, MilestoneStatus, Plan
from planner.owners import find_person

PRODID = "-//Recovery Change Planner//Milestones//EN"
UID_DOMAIN = "recovery-change-planner"


def event_uid(plan: Plan, record_uid: str) -> str:
    """The calendar UID of a plan record: the same in every export of every copy of the plan."""
    return f"{plan.settings.plan_id}-{record_uid}@{UID_DOMAIN}"


def milestone_day(m: Milestone) -> date | None:
    """The day a milestone sits on in a calendar: reached, else expected, else first agreed."""
    if m.actual is not None:
        return m.actual
    return m.forecast or m.baseline


def build_calendar(plan: Plan, owner: str | None = None, now: datetime | None = None):
    """An ``icalendar.Calendar`` of the plan's milestones (one owner's with ``owner``)."""
    from icalendar import Calendar, Event

    now = now or datetime.now(timezone.utc)
    person = find_person(plan, owner) if owner else None
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    title = plan.settings.name + (f": {person.name}" if person else "")
    cal.add("x-wr-calname", title)
    cal.add("name", title)

    def add_event(uid: str, day: date, summary: str, description: str, category: str,
                  status: str) -> None:
        event = Event()
        event.add("uid", uid)
        event.add("dtstamp", now)
        event.add("dtstart", day)
        event.add("dtend", day + timedelta(days=1))
        event.add("summary", summary)
        event.add("description", description)
        event.add("categories", [category])
        event.add("status", status)
        event.add("transp", "TRANSPARENT")  # a milestone does not make anyone busy
        cal.add_component(event)

    for m in plan.milestones.values():
        if person is not None and m.owner != person.id:
            continue
        day = milestone_day(m)
        if day is None:
            continue
        who = plan.people[m.owner].name if m.owner in plan.people else "nobody yet"
        lines = [f"{m.id}: {m.title}", f"Owner: {who}", f"Status: {m.status}"]
        if m.action:
            action = plan.actions.get(m.action)
            lines.append(f"Action: {m.action}" + (f" {action.title}" if action else ""))
        if m.baseline:
            lines.append(f"Baseline: {short_date(m.baseline)}")  # read by people, as on screen
        if m.comment:
            lines.append(m.comment)
        summary = ("Governance: " if m.governance else "Milestone: ") + m.title
        if m.status == MilestoneStatus.ACHIEVED:
            summary += " (achieved)"
        add_event(event_uid(plan, m.uid), day, summary, "\n".join(lines),
                  "Governance" if m.governance else "Milestone",
                  "CANCELLED" if m.status == MilestoneStatus.CANCELLED else "CONFIRMED")
    s = plan.settings
    if person is None and s.board_date is not None:
        add_event(event_uid(plan, "board-meeting"), s.board_date,
                  f"Board: {s.board_meeting or 'recovery programme update'}",
                  f"Board report for {s.name} ({s.board_purpose}).", "Governance", "CONFIRMED")
    return cal


def export_ics(plan: Plan, path: str | os.PathLike, owner: str | None = None) -> int:
    """Write the calendar to ``path`` (whole or not at all); returns the number of events."""
    cal = build_calendar(plan, owner)
    data = cal.to_ical()
    target = Path(path)
    if target.is_dir():
        raise PlanError(f"'{target}' is a folder; give a file name ending in .ics.")
    with replaced_atomically(target) as tmp:
        tmp.write_bytes(data)
    return len(cal.walk("VEVENT"))


def write_calendar(plan: Plan, path: str | os.PathLike, owner: str | None = None) -> str:
    """Write the calendar (``export_ics``) and say what was written, in the words the command
    line and the window's export dialog both show."""
    n = export_ics(plan, path, owner)
    who = f" for {owner}" if owner else ""
    return (f"Wrote {n} event{'s' if n != 1 else ''}{who} to '{path}'. Importing it again "
            "updates the same events.")

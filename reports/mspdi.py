"""The plan as MS Project XML (MSPDI), for teams that keep a Project schedule alongside.

What goes across: every action that is not cancelled as a task (dates from the planner's own
schedule, duration in working days, percent complete, actual dates, not-before as a
start-no-earlier-than constraint, deadline), milestones as zero-length tasks linked to their
action, with the baseline date as Project's baseline, dependencies with their type (FS or SS) and
lag, people as resources assigned to what they own, and the working calendar (Monday to Friday,
the plan's holidays as exceptions). Each task carries the planner's ID in Text1 ("Planner ID")
and the record's lasting identity as its GUID, so :mod:`planner.mspdi_read` can match records
when the file comes back.
"""

from __future__ import annotations

import os
import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from graph import analyse
from planner.files import replaced_atomically
from planner.mspdi_read import (
    DAY_MINUTES, LAG_DAYS_FORMAT, LINK_TYPES, NS, PLANNER_ID_FIELD, SNET,
)
from planner.model import Plan, id_order

_WORK_TIMES = (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00"))


@dataclass
class MspdiExport:
    """What an export wrote: counts for the command line, and what had no place in the file."""

    tasks: int = 0
    milestones: int = 0
    links: int = 0
    resources: int = 0
    left_out: list[str] = field(default_factory=list)


def _start(d: date) -> str:
    return f"{d.isoformat()}T08:00:00"


def _finish(d: date) -> str:
    return f"{d.isoformat()}T17:00:00"


def _hours(days: int) -> str:
    return f"PT{days * DAY_MINUTES // 60}H0M0S"


def _guid(uid: str) -> str:
    try:
        return str(uuid.UUID(hex=uid))
    except ValueError:  # a uid from elsewhere that is not 32 hex digits: a stable stand-in
        return str(uuid.uuid5(uuid.NAMESPACE_URL, uid))


def build_mspdi(plan: Plan) -> tuple[ET.Element, MspdiExport]:
    """The ``<Project>`` element for a plan, and a summary of what went in."""
    ET.register_namespace("", NS)
    analysis = analyse(plan)
    report = MspdiExport()

    def sub(parent: ET.Element, tag: str, text: object = None) -> ET.Element:
        el = ET.SubElement(parent, f"{{{NS}}}{tag}")
        if text is not None:
            el.text = str(text)
        return el

    s = plan.settings
    root = ET.Element(f"{{{NS}}}Project")
    sub(root, "SaveVersion", 14)
    sub(root, "Name", s.name)
    sub(root, "Title", s.name)
    if s.organisation:
        sub(root, "Company", s.organisation)
    sub(root, "ScheduleFromStart", 1)
    start = analysis.plan_start or s.start or date.today()
    sub(root, "StartDate", _start(start))
    if analysis.plan_finish:
        sub(root, "FinishDate", _finish(analysis.plan_finish))
    sub(root, "CalendarUID", 1)
    sub(root, "DefaultStartTime", "08:00:00")
    sub(root, "DefaultFinishTime", "17:00:00")
    sub(root, "MinutesPerDay", DAY_MINUTES)
    sub(root, "MinutesPerWeek", DAY_MINUTES * 5)
    sub(root, "DaysPerMonth", 20)
    if s.as_of:
        sub(root, "StatusDate", _finish(s.as_of))
    attrs = sub(root, "ExtendedAttributes")
    attr = sub(attrs, "ExtendedAttribute")
    sub(attr, "FieldID", PLANNER_ID_FIELD)
    sub(attr, "FieldName", "Text1")
    sub(attr, "Alias", "Planner ID")

    calendars = sub(root, "Calendars")
    cal = sub(calendars, "Calendar")
    sub(cal, "UID", 1)
    sub(cal, "Name", "Standard")
    sub(cal, "IsBaseCalendar", 1)
    days = sub(cal, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday ... 7 = Saturday
        wd = sub(days, "WeekDay")
        sub(wd, "DayType", day_type)
        working = day_type not in (1, 7)
        sub(wd, "DayWorking", int(working))
        if working:
            times = sub(wd, "WorkingTimes")
            for frm, to in _WORK_TIMES:
                wt = sub(times, "WorkingTime")
                sub(wt, "FromTime", frm)
                sub(wt, "ToTime", to)
    if s.holidays:
        exceptions = sub(cal, "Exceptions")
        for holiday in sorted(s.holidays):
            ex = sub(exceptions, "Exception")
            sub(ex, "EnteredByOccurrences", 0)
            period = sub(ex, "TimePeriod")
            sub(period, "FromDate", f"{holiday.isoformat()}T00:00:00")
            sub(period, "ToDate", f"{holiday.isoformat()}T23:59:00")
            sub(ex, "Occurrences", 1)
            sub(ex, "Name", "Holiday")
            sub(ex, "Type", 1)
            sub(ex, "DayWorking", 0)

    tasks = sub(root, "Tasks")
    task_uid: dict[str, int] = {}
    preds: dict[str, list[tuple[str, int, int]]] = {}
    for d in plan.dependencies.values():
        preds.setdefault(d.action, []).append((d.needs, LINK_TYPES[d.type], d.lag))
    actions = [a for a in plan.actions.values() if a.id in analysis.rows]
    cancelled = len(plan.actions) - len(actions)
    if cancelled:
        report.left_out.append(f"{cancelled} cancelled action{'s' if cancelled != 1 else ''}")
    actions.sort(key=lambda a: id_order(a.id))
    milestones = sorted(plan.milestones.values(), key=lambda m: id_order(m.id))
    for n, rec_id in enumerate([a.id for a in actions] + [m.id for m in milestones], start=1):
        task_uid[rec_id] = n

    def common(rec_id: str, uid: str, name: str) -> ET.Element:
        t = sub(tasks, "Task")
        sub(t, "UID", task_uid[rec_id])
        sub(t, "GUID", _guid(uid))
        sub(t, "ID", task_uid[rec_id])
        sub(t, "Name", name)
        sub(t, "Type", 1)  # fixed duration: the planner's durations are what was agreed
        sub(t, "IsNull", 0)
        sub(t, "OutlineNumber", task_uid[rec_id])
        sub(t, "OutlineLevel", 1)
        return t

    def links(t: ET.Element, rec_id: str) -> None:
        for needs, link_type, lag in preds.get(rec_id, []):
            if needs not in task_uid:
                continue
            link = sub(t, "PredecessorLink")
            sub(link, "PredecessorUID", task_uid[needs])
            sub(link, "Type", link_type)
            sub(link, "CrossProject", 0)
            sub(link, "LinkLag", lag * DAY_MINUTES * 10)  # tenths of a minute
            sub(link, "LagFormat", LAG_DAYS_FORMAT)
            report.links += 1

    def planner_id(t: ET.Element, rec_id: str) -> None:
        ext = sub(t, "ExtendedAttribute")
        sub(ext, "FieldID", PLANNER_ID_FIELD)
        sub(ext, "Value", rec_id)

    for a in actions:
        row = analysis.rows[a.id]
        t = common(a.id, a.uid, a.title)
        sub(t, "Start", _start(row.start))
        sub(t, "Finish", _finish(row.finish) if a.duration else _start(row.start))
        sub(t, "Duration", _hours(a.duration))
        sub(t, "DurationFormat", LAG_DAYS_FORMAT)
        sub(t, "Milestone", 0)
        sub(t, "Summary", 0)
        sub(t, "Critical", int(bool(row.critical)))
        sub(t, "PercentComplete", 100 if a.status == "done" else a.percent)
        if a.actual_start:
            sub(t, "ActualStart", _start(a.actual_start))
        if a.actual_finish:
            sub(t, "ActualFinish", _finish(a.actual_finish))
        if a.not_before:
            sub(t, "ConstraintType", SNET)
            sub(t, "ConstraintDate", _start(a.not_before))
        else:
            sub(t, "ConstraintType", 0)  # as soon as possible
        if a.deadline:
            sub(t, "Deadline", _finish(a.deadline))
        notes = "\n\n".join(x for x in (a.description, a.notes) if x)
        if notes:
            sub(t, "Notes", notes)
        links(t, a.id)
        planner_id(t, a.id)
        report.tasks += 1

    for m in milestones:
        forecast = analysis.milestones.get(m.id)
        day = m.actual or m.forecast or (forecast.forecast if forecast else None) or m.baseline
        t = common(m.id, m.uid, m.title)
        if day:
            sub(t, "Start", _finish(day))
            sub(t, "Finish", _finish(day))
        sub(t, "Duration", "PT0H0M0S")
        sub(t, "DurationFormat", LAG_DAYS_FORMAT)
        sub(t, "Milestone", 1)
        sub(t, "Summary", 0)
        sub(t, "PercentComplete", 100 if m.status == "achieved" else 0)
        if m.actual:
            sub(t, "ActualStart", _finish(m.actual))
            sub(t, "ActualFinish", _finish(m.actual))
        if m.forecast and not m.actual:
            sub(t, "ConstraintType", SNET)  # the owner's forecast holds the date
            sub(t, "ConstraintDate", _finish(m.forecast))
        else:
            sub(t, "ConstraintType", 0)
        if m.comment:
            sub(t, "Notes", m.comment)
        if m.action and m.action in task_uid:
            link = sub(t, "PredecessorLink")
            sub(link, "PredecessorUID", task_uid[m.action])
            sub(link, "Type", LINK_TYPES["FS"])
            sub(link, "CrossProject", 0)
            sub(link, "LinkLag", 0)
            sub(link, "LagFormat", LAG_DAYS_FORMAT)
        planner_id(t, m.id)
        if m.baseline:
            base = sub(t, "Baseline")
            sub(base, "Number", 0)
            sub(base, "Start", _finish(m.baseline))
            sub(base, "Finish", _finish(m.baseline))
            sub(base, "Duration", "PT0H0M0S")
            sub(base, "DurationFormat", LAG_DAYS_FORMAT)
        report.milestones += 1

    resources = sub(root, "Resources")
    res_uid: dict[str, int] = {}
    for n, p in enumerate(sorted(plan.people.values(), key=lambda p: id_order(p.id)), 1):
        res_uid[p.id] = n
        r = sub(resources, "Resource")
        sub(r, "UID", n)
        sub(r, "GUID", _guid(p.uid))
        sub(r, "ID", n)
        sub(r, "Name", p.name)
        sub(r, "Type", 1)
        sub(r, "IsNull", 0)
        if p.team:
            sub(r, "Group", p.team)
        if p.email:
            sub(r, "EmailAddress", p.email)
        report.resources += 1

    assignments = sub(root, "Assignments")
    n = 0
    for rec_id, owner in ([(a.id, a.owner) for a in actions]
                          + [(m.id, m.owner) for m in milestones]):
        if owner in res_uid:
            n += 1
            asg = sub(assignments, "Assignment")
            sub(asg, "UID", n)
            sub(asg, "TaskUID", task_uid[rec_id])
            sub(asg, "ResourceUID", res_uid[owner])
            sub(asg, "Units", 1)
    return root, report


def export_mspdi(plan: Plan, path: str | os.PathLike) -> MspdiExport:
    """Write the plan as MS Project XML at ``path`` (whole or not at all)."""
    root, report = build_mspdi(plan)
    data = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    with replaced_atomically(Path(path)) as tmp:
        tmp.write_bytes(data)
    return report


def write_project(plan: Plan, path: str | os.PathLike) -> list[str]:
    """Write the plan as MS Project XML (``export_mspdi``) and say what was written and what was
    left out, in the lines the command line and the window's export dialog both show."""
    report = export_mspdi(plan, path)
    return ([f"Wrote '{path}': {report.tasks} tasks, {report.milestones} milestones, "
             f"{report.links} links, {report.resources} people."]
            + [f"  left out: {item}" for item in report.left_out])

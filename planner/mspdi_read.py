"""Reading MS Project XML (MSPDI) into a plan: what fits is mapped, what does not is listed.

The file is untrusted: it is parsed with defusedxml, which refuses document type declarations,
entities and external references (the "billion laughs" and file-stealing tricks), and a refused
or unreadable file is reported in plain words with nothing written.

Mapping: ordinary tasks become actions (duration in whole working days, percent complete,
actual dates, start-no-earlier-than as not-before, finish-no-later-than or a deadline as the
deadline); milestone tasks become milestones (Project's baseline as the baseline date, the
task's date as the forecast, linked to the action before them); summary tasks become initiatives
holding the tasks under them; finish-to-start and start-to-start links with their lag in working
days become dependencies; work resources become people and own what they are assigned to; the
project calendar's non-working exceptions become holidays. Each thing that cannot be carried
(finish-to-finish links, elapsed or percentage lags, other constraints, extra resources on a
task, a non-standard working week...) is named in the import's ``dropped`` list.
"""

from __future__ import annotations

import os
import re
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element, ParseError

from planner.errors import ImportProblems, PlanError
from planner.model import (
    Action, ActionStatus, Dependency, Initiative, Milestone, MilestoneStatus, Person, Plan, new_uid,
    ten_challenges,
)

NS = "http://schemas.microsoft.com/project"
DAY_MINUTES = 480
LAG_DAYS_FORMAT = 7  # durations and lags shown in days
PLANNER_ID_FIELD = 188743731  # Text1, aliased "Planner ID"
SNET = 4  # start no earlier than
LINK_TYPES = {"FS": 1, "SS": 3}
_LINK_NAMES = {0: "finish-to-finish", 1: "FS", 2: "start-to-finish", 3: "SS"}
_CONSTRAINTS = {1: "as late as possible", 2: "must start on", 3: "must finish on",
                5: "start no later than", 6: "finish no earlier than"}
_ELAPSED_FORMATS = {4, 6, 8, 10, 12, 14, 16, 18, 20, 36, 38, 40, 42, 44, 46, 48, 50, 52, 54}
MAX_BYTES = 64 * 1024 * 1024
MAX_TASKS = 100_000
_DURATION = re.compile(r"-?P(?:(\d+(?:\.\d+)?)D)?T?(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?"
                       r"(?:(\d+(?:\.\d+)?)S)?")


@dataclass
class MspdiImport:
    """A plan read from MS Project XML, with what could not be carried into it."""

    plan: Plan
    dropped: list[str] = field(default_factory=list)


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _child(el: Element, name: str) -> Element | None:
    for c in el:
        if _local(c.tag) == name:
            return c
    return None


def _children(el: Element | None, name: str) -> list[Element]:
    return [c for c in el if _local(c.tag) == name] if el is not None else []


def _text(el: Element, name: str) -> str:
    c = _child(el, name)
    return (c.text or "").strip() if c is not None else ""


def _int(el: Element, name: str, default: int = 0) -> int:
    text = _text(el, name)
    try:
        return int(float(text)) if text else default
    except ValueError:
        return default


def _float(el: Element, name: str) -> float | None:
    try:
        return float(_text(el, name))
    except ValueError:
        return None


def _date(el: Element, name: str) -> date | None:
    text = _text(el, name)
    if not text:
        return None
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        try:
            return date.fromisoformat(text[:10])
        except ValueError:
            return None


def duration_minutes(text: str) -> float | None:
    """Minutes in an XML duration such as ``PT40H0M0S`` (days count as 24 hours, as Project writes)."""
    m = _DURATION.fullmatch(text.strip())
    if not m or not text.strip():
        return None
    d, h, mi, s = (float(x) if x else 0.0 for x in m.groups())
    minutes = d * 1440 + h * 60 + mi + s / 60
    return -minutes if text.strip().startswith("-") else minutes


def parse_project(path: str | os.PathLike) -> Element:
    """The ``<Project>`` element of an MSPDI file; PlanError (nothing read) for anything else."""
    import defusedxml
    import defusedxml.ElementTree as DET

    path = Path(path)
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PlanError(f"There is no file '{path}'.") from None
    if path.is_dir():
        raise PlanError(f"'{path.name}' is a folder, not an MS Project XML file.")
    if size > MAX_BYTES:
        raise PlanError(f"'{path.name}' is {size // (1024 * 1024)} MB, larger than any project "
                        f"file the planner reads ({MAX_BYTES // (1024 * 1024)} MB); it was not read.")
    try:
        tree = DET.parse(str(path), forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except (defusedxml.DTDForbidden, defusedxml.EntitiesForbidden,
            defusedxml.ExternalReferenceForbidden):
        raise PlanError(f"'{path.name}' was not read: it declares a document type, entities or "
                        "outside references, which MS Project files never need and which can be "
                        "used to attack a computer. Nothing was imported.") from None
    except ParseError as exc:
        raise PlanError(f"'{path.name}' is not readable XML ({exc}); it may be damaged or cut "
                        "short. Nothing was imported.") from None
    except UnicodeDecodeError:
        raise PlanError(f"'{path.name}' is not a text XML file. Nothing was imported.") from None
    root = tree.getroot()
    if _local(root.tag) != "Project":
        raise PlanError(f"'{path.name}' is XML but not an MS Project XML file (it starts with "
                        f"<{_local(root.tag)[:40]}>, not <Project>). Save it from Project with "
                        "File › Save As › XML. Nothing was imported.")
    return root


def read_mspdi(path: str | os.PathLike) -> MspdiImport:
    """Read an MSPDI file into a new Plan in memory; raises PlanError / ImportProblems if unusable."""
    root = parse_project(path)
    return _build(root, Path(path).stem)


def _holidays(root: Element, dropped: list[str]) -> list[date]:
    calendars = {_int(c, "UID", -1): c for c in _children(_child(root, "Calendars"), "Calendar")}
    uid = _int(root, "CalendarUID", 1)
    chain: list[Element] = []
    while uid in calendars and len(chain) < 10 and calendars[uid] not in chain:
        chain.append(calendars[uid])
        uid = _int(calendars[uid], "BaseCalendarUID", -1)
    days: set[date] = set()
    week_notes: set[str] = set()

    def add_period(period: Element | None) -> None:
        if period is None:
            return
        start, end = _date(period, "FromDate"), _date(period, "ToDate")
        if start is None:
            return
        end = end or start
        if (end - start).days > 366:
            dropped.append(f"a non-working period of more than a year from {start} was left out")
            return
        d = start
        while d <= end:
            if d.weekday() < 5:
                days.add(d)
            d += timedelta(days=1)

    for cal in chain:
        for wd in _children(_child(cal, "WeekDays"), "WeekDay"):
            day_type = _int(wd, "DayType", -1)
            working = _int(wd, "DayWorking", 0) == 1
            if day_type == 0:
                if not working:
                    add_period(_child(wd, "TimePeriod"))
                else:
                    week_notes.add("working days added as exceptions")
            elif day_type in (1, 7) and working:
                week_notes.add("weekend working days")
            elif 2 <= day_type <= 6 and not working and _child(wd, "DayWorking") is not None:
                week_notes.add("weekdays that are not worked")
        for ex in _children(_child(cal, "Exceptions"), "Exception"):
            if _int(ex, "DayWorking", 0) == 1:
                week_notes.add("working days added as exceptions")
            elif _int(ex, "Type", 1) not in (0, 1) or _int(ex, "Occurrences", 1) > 1:
                dropped.append(f"the repeating calendar exception '{_text(ex, 'Name') or '?'}' "
                               "(add its dates as holidays by hand)")
            else:
                add_period(_child(ex, "TimePeriod"))
    for note in sorted(week_notes):
        dropped.append(f"the calendar's {note} (the planner works Monday to Friday less holidays)")
    return sorted(days)


def _build(root: Element, fallback_name: str) -> MspdiImport:
    dropped: list[str] = []
    plan = Plan(challenges=ten_challenges())
    s = plan.settings
    s.name = _text(root, "Title") or _text(root, "Name") or fallback_name
    s.name = s.name.removesuffix(".xml")
    s.organisation = _text(root, "Company")
    s.start = _date(root, "StartDate")
    s.as_of = _date(root, "StatusDate") or s.start
    day_minutes = _int(root, "MinutesPerDay", DAY_MINUTES) or DAY_MINUTES
    s.holidays = _holidays(root, dropped)

    tasks = [t for t in _children(_child(root, "Tasks"), "Task")
             if _int(t, "IsNull", 0) == 0 and _int(t, "OutlineLevel", 1) > 0
             and _int(t, "UID", 0) != 0]
    if len(tasks) > MAX_TASKS:
        raise PlanError(f"The file has {len(tasks)} tasks; the planner reads up to {MAX_TASKS}.")
    used_uids: set[str] = set()

    def lasting(el: Element) -> str:
        text = _text(el, "GUID").strip("{}")
        try:
            uid = uuid.UUID(text).hex
        except ValueError:
            return new_uid()
        if uid in used_uids:
            return new_uid()
        used_uids.add(uid)
        return uid

    def planner_id(el: Element) -> str:
        for ext in _children(el, "ExtendedAttribute"):
            if _int(ext, "FieldID", 0) == PLANNER_ID_FIELD:
                return _text(ext, "Value")
        return ""

    def give_id(wanted: str, prefix: str, taken: dict) -> str:
        if re.fullmatch(prefix + r"\d+", wanted) and wanted not in taken:
            return wanted
        return ""

    # people
    person_of_resource: dict[int, str] = {}
    skipped_resources = 0
    for r in _children(_child(root, "Resources"), "Resource"):
        name = " ".join(_text(r, "Name").split())
        if _int(r, "UID", 0) == 0 or not name or _int(r, "IsNull", 0):
            continue
        if _int(r, "Type", 1) != 1:
            skipped_resources += 1
            continue
        same = next((p for p in plan.people.values() if p.name.casefold() == name.casefold()), None)
        if same is not None:
            person_of_resource[_int(r, "UID")] = same.id
            continue
        pid = plan.next_id("person")
        plan.people[pid] = Person(pid, name, team=_text(r, "Group"), email=_text(r, "EmailAddress"),
                                  uid=lasting(r))
        person_of_resource[_int(r, "UID")] = pid
    if skipped_resources:
        dropped.append(f"{skipped_resources} material or cost resource"
                       f"{'s' if skipped_resources != 1 else ''} (the planner has people only)")

    owners: dict[int, list[str]] = {}
    for a in _children(_child(root, "Assignments"), "Assignment"):
        pid = person_of_resource.get(_int(a, "ResourceUID", -1))
        if pid:
            owners.setdefault(_int(a, "TaskUID", -1), []).append(pid)

    # tasks: summaries become initiatives, milestones milestones, the rest actions
    outline: list[tuple[str, str]] = []  # (outline number, initiative id) of summary tasks
    by_uid: dict[int, tuple[str, str]] = {}  # task UID -> ("action"|"milestone", id)
    wanted_ids = {planner_id(t) for t in tasks}
    extra_owners = 0
    for t in tasks:
        task_uid = _int(t, "UID")
        name = " ".join(_text(t, "Name").split()) or f"Task {task_uid}"
        number = _text(t, "OutlineNumber")
        parent = next((iid for num, iid in sorted(outline, key=lambda x: -len(x[0]))
                       if number.startswith(num + ".")), None)
        who = owners.get(task_uid, [])
        if len(who) > 1:
            extra_owners += len(who) - 1
        owner = who[0] if who else None
        if _int(t, "Summary", 0) == 1:
            iid = plan.next_id("initiative")
            plan.initiatives[iid] = Initiative(iid, name, description=_text(t, "Notes"),
                                               owner=owner, uid=lasting(t))
            outline.append((number, iid))
            continue
        if _int(t, "Milestone", 0) == 1:
            mid = give_id(planner_id(t), "M", plan.milestones) or _next_free(plan, "milestone",
                                                                             wanted_ids)
            done = _int(t, "PercentComplete", 0) >= 100
            finish = _date(t, "Finish") or _date(t, "Start")
            baseline = next((_date(b, "Finish") or _date(b, "Start")
                             for b in _children(t, "Baseline") if _int(b, "Number", 0) == 0), None)
            actual = _date(t, "ActualFinish") or (finish if done else None)
            plan.milestones[mid] = Milestone(
                mid, name, owner=owner, initiative=parent, baseline=baseline,
                forecast=None if done else finish, actual=actual,
                status=(MilestoneStatus.ACHIEVED if done else MilestoneStatus.PLANNED).value, comment=_text(t, "Notes"),
                uid=lasting(t))
            by_uid[task_uid] = ("milestone", mid)
            continue
        aid = give_id(planner_id(t), "A", plan.actions) or _next_free(plan, "action", wanted_ids)
        minutes = duration_minutes(_text(t, "Duration")) or 0.0
        days_exact = max(minutes, 0.0) / day_minutes
        days = int(days_exact) if days_exact.is_integer() else int(days_exact) + 1
        if not days_exact.is_integer():
            dropped.append(f"{aid} '{name}': duration {days_exact:.2f} days rounded up to {days} "
                           "(the planner counts whole working days)")
        percent = min(max(_int(t, "PercentComplete", 0), 0), 100)
        actual_start, actual_finish = _date(t, "ActualStart"), _date(t, "ActualFinish")
        status = (ActionStatus.DONE if percent >= 100 else
                  ActionStatus.IN_PROGRESS if percent > 0 or actual_start else
                  ActionStatus.NOT_STARTED).value
        if status == ActionStatus.DONE and actual_finish is None:
            actual_finish = _date(t, "Finish")
        if status != ActionStatus.NOT_STARTED and actual_start is None:
            actual_start = _date(t, "Start")
        not_before = deadline = None
        constraint = _int(t, "ConstraintType", 0)
        if constraint == SNET:
            not_before = _date(t, "ConstraintDate")
        elif constraint == 7:
            deadline = _date(t, "ConstraintDate")
        elif constraint in _CONSTRAINTS:
            dropped.append(f"{aid} '{name}': the '{_CONSTRAINTS[constraint]}' constraint")
        project_deadline = _date(t, "Deadline")
        if project_deadline and (deadline is None or project_deadline < deadline):
            deadline = project_deadline
        plan.actions[aid] = Action(
            aid, name, initiative=parent, owner=owner, duration=days, not_before=not_before,
            deadline=deadline, status=status, percent=100 if status == "done" else percent,
            actual_start=actual_start, actual_finish=actual_finish, notes=_text(t, "Notes"),
            uid=lasting(t))
        by_uid[task_uid] = ("action", aid)
    if extra_owners:
        dropped.append(f"{extra_owners} extra resource assignment{'s' if extra_owners != 1 else ''}"
                       " (each action or milestone has one owner: the first resource was kept)")

    # links
    baseline_actions = sum(1 for t in tasks if _int(t, "Milestone", 0) == 0
                           and _int(t, "Summary", 0) == 0 and _children(t, "Baseline"))
    if baseline_actions:
        dropped.append(f"baseline dates of {baseline_actions} task"
                       f"{'s' if baseline_actions != 1 else ''} (the planner keeps baselines on "
                       "milestones)")
    seen_links: set[tuple[str, str]] = set()
    for t in tasks:
        target = by_uid.get(_int(t, "UID"))
        if target is None:
            continue
        for link in _children(t, "PredecessorLink"):
            source = by_uid.get(_int(link, "PredecessorUID", -1))
            if source is None or _int(link, "CrossProject", 0):
                dropped.append(f"a link into {target[1]} from a task outside this file or from a "
                               "summary task")
                continue
            link_type = _int(link, "Type", 1)
            where = f"the link {source[1]} → {target[1]}"
            if target[0] == "milestone":
                m = plan.milestones[target[1]]
                if source[0] == "action" and m.action is None:
                    m.action = source[1]
                else:
                    dropped.append(f"{where} (a milestone follows one action)")
                continue
            if source[0] == "milestone":
                dropped.append(f"{where} (actions wait for actions, not milestones)")
                continue
            if link_type not in (1, 3):
                dropped.append(f"{where}: {_LINK_NAMES.get(link_type, 'unknown')} links are not "
                               "used by the planner")
                continue
            lag_minutes = _int(link, "LinkLag", 0) / 10
            fmt = _int(link, "LagFormat", LAG_DAYS_FORMAT)
            lag = 0
            if fmt in (19, 20, 51, 52):
                dropped.append(f"{where}: a percentage lag")
            else:
                exact = lag_minutes / day_minutes
                if fmt in _ELAPSED_FORMATS:
                    exact = lag_minutes / 1440 * 5 / 7
                lag = round(exact)
                if lag < 0:
                    dropped.append(f"{where}: a lead of {-lag} days (the planner's waits "
                                   "cannot be negative)")
                    lag = 0
                elif abs(exact - lag) > 1e-6:
                    dropped.append(f"{where}: lag {exact:.2f} days rounded to {lag}")
            key = (target[1], source[1])
            if key in seen_links:
                continue
            seen_links.add(key)
            dep = Dependency(target[1], source[1], "FS" if link_type == 1 else "SS", lag)
            plan.dependencies[dep.uid] = dep
    problems = _plan_problems(plan)
    if problems:
        raise ImportProblems(problems)
    return MspdiImport(plan, dropped)


def _next_free(plan: Plan, kind: str, wanted: set[str]) -> str:
    """The next ID not already used and not claimed by a later task's Planner ID."""
    candidate = plan.next_id(kind)
    prefix = candidate.rstrip("0123456789")
    n = int(candidate[len(prefix):])
    while f"{prefix}{n}" in wanted or f"{prefix}{n}" in plan.collection(kind):
        n += 1
    return f"{prefix}{n}"


def _plan_problems(plan: Plan) -> list[str]:
    from planner.validate import validate_plan

    return validate_plan(plan)


def import_mspdi(xml_path: str | os.PathLike, plan_path: str | os.PathLike,
                 force: bool = False) -> MspdiImport:
    """Make a new plan file from an MSPDI file (all or nothing); returns what was dropped."""
    from planner.document import PlanDocument

    target = Path(plan_path)
    if target.exists() and not force:
        raise PlanError(f"'{target}' already exists; choose another name (or --force to "
                        "replace it).")
    result = read_mspdi(xml_path)
    PlanDocument.create(target, result.plan, overwrite=force).close()
    return result

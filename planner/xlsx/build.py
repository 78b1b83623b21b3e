"""Building a Plan from a workbook's rows: settings, records and the links between them."""

from __future__ import annotations

import re
from datetime import date
from typing import Hashable, TypeVar

from planner.dates import DATE_ORDERS, DAY_FIRST, MONTH_FIRST, is_day_first
from planner.model import (
    ACTION_TAGS, ASSURANCE_LEVELS, DEPENDENCY_TYPES, DIRECTIONS, MEASURE_KINDS,
    MEASURE_TYPES, PURPOSES, ROLES, Action, ActionStatus, Assessment, Challenge,
    Dependency, Initiative, Measure, Milestone, MilestoneStatus, Person, Phase, Plan, Reading, Risk,
    new_uid, ten_challenges,
)
from planner.spc import MIN_FIX_POINTS
from planner.words import ACTION_STATUS, MILESTONE_STATUS
from planner.xlsx.columns import _PLAN_KEY_INDEX, normalise
from planner.xlsx.values import _Row

_NOT_A_STAGE = "is not a stage on this plan's scale ({options})"
_K = TypeVar("_K", bound=Hashable)


class _Lookup:
    """Finds a record by id (exactly, then ignoring case) or by its title/name if that is unique."""

    def __init__(self) -> None:
        self.by_id: dict[str, str] = {}
        self.by_folded_id: dict[str, str] = {}
        self.by_title: dict[str, list[str]] = {}

    def add(self, record_id: str, title: str) -> None:
        self.by_id[record_id] = record_id
        self.by_folded_id.setdefault(record_id.casefold(), record_id)
        self.by_title.setdefault(" ".join(title.split()).casefold(), []).append(record_id)

    def find(self, text: str, prefer_title: bool = False) -> tuple[str | None, bool]:
        """(id, ambiguous) for a reference typed by the user."""
        if not prefer_title:  # an id wins over a title: no title looked up for one (issue 13)
            if text in self.by_id:
                return text, False
            found = self.by_folded_id.get(text.casefold())
            if found is not None:
                return found, False
        titles = self.by_title.get(" ".join(text.split()).casefold(), [])
        if prefer_title and len(titles) == 1:
            return titles[0], False
        if text in self.by_id:
            return text, False
        if text.casefold() in self.by_folded_id:
            return self.by_folded_id[text.casefold()], False
        if len(titles) == 1:
            return titles[0], False
        return None, len(titles) > 1

    def resolve(self, row: _Row, column: str, many: str, unknown: str,
                prefer_title: bool = False) -> str | None:
        """The id a cell refers to, or None (with a problem when it names no single record).

        ``many`` and ``unknown`` are the problems for a name shared by several records and for
        one that matches none, with ``{text}`` standing for the cell's text.
        """
        text = row.text(column)
        if not text:
            return None
        found, ambiguous = self.find(text, prefer_title)
        if found is None:
            row.problem(column, (many if ambiguous else unknown).format(text=text))
        return found


def _uid(row: _Row, seen: set[str], warnings: list[str]) -> str:
    uid = row.text("UID")
    if not uid:
        return new_uid()
    if uid in seen:
        warnings.append(f"{row.sheet}, row {row.number}: this row's UID repeats an earlier row's "
                        f"(perhaps a copied row), so it was treated as a new record")
        return new_uid()
    seen.add(uid)
    return uid


def _earlier_row(seen: dict[_K, int], key: _K, row: _Row) -> int | None:
    """The row that already gave ``key``, or None (noting ``row`` as the one that gives it)."""
    earlier = seen.setdefault(key, row.number)
    return earlier if earlier != row.number else None


def _assign_ids(rows: list[_Row], prefix: str, sheet: str) -> dict[int, str]:
    """Ids for rows, keeping the ones typed and numbering the blanks after the highest one."""
    given: dict[int, str] = {}
    highest = 0
    for r in rows:
        text = r.text("ID")
        if text:
            given[r.number] = text
            tail = text[len(prefix):]
            if text.upper().startswith(prefix) and tail.isdigit():
                highest = max(highest, int(tail))
    seen: dict[str, int] = {}
    for r in rows:
        text = given.get(r.number)
        if text is None:
            continue
        earlier = _earlier_row(seen, text.casefold(), r)
        if earlier is not None:
            r.problem("ID", f"'{text}' is already used in row {earlier}; "
                            f"each {sheet[:-1].lower()} needs its own ID")
    for r in rows:
        if r.number not in given:
            highest += 1
            given[r.number] = f"{prefix}{highest}"
    return given


def _numbered(rows: dict[str, list[_Row]], sheet: str, prefix: str) -> list[tuple[_Row, str]]:
    """The rows of ``sheet``, each with its id (as typed, or the next free one)."""
    sheet_rows = rows.get(sheet, [])
    ids = _assign_ids(sheet_rows, prefix, sheet)
    return [(r, ids[r.number]) for r in sheet_rows]


def _apply_date_order(rows: dict[str, list[_Row]], s) -> None:
    """Read every sheet's typed dates in the order the Plan sheet's "Date order" gives."""
    for r in rows.get("Plan", []):
        match = _PLAN_KEY_INDEX.get(normalise(r.text("Key")))
        if match and match[1] == "date_order":
            day_first = is_day_first("month first" if normalise(r.text("Value")) in (
                "monthfirst", "us", "mmddyyyy", "mdy") else None)
            for sheet_rows in rows.values():
                for row in sheet_rows:
                    row.day_first = day_first


def mapping_warnings(rows: dict[str, list[_Row]]) -> list[str]:
    """One warning per word read as a plan value, with the rows it was found in."""
    found: dict[tuple[str, str, str, str], list[int]] = {}
    for sheet, sheet_rows in rows.items():
        for r in sheet_rows:
            for column, typed, value in r.mapped:
                found.setdefault((sheet, column, typed, value), []).append(r.number)
    out = []
    for (sheet, column, typed, value), numbers in found.items():
        where = f"row {numbers[0]}" if len(numbers) == 1 else \
            f"rows {', '.join(str(n) for n in numbers[:8])}" + (" and more" if len(numbers) > 8 else "")
        out.append(f"{sheet}, {where}, column {column}: '{typed}' was read as '{value}'")
    return out


def build_plan(rows: dict[str, list[_Row]], default_name: str, problems: list[str],
               warnings: list[str]) -> Plan:
    """The plan the rows describe; problems and warnings are added to the lists given."""
    plan = Plan()
    uids: set[str] = set()

    def uid(r: _Row) -> str:
        return _uid(r, uids, warnings)

    # -- Plan sheet ------------------------------------------------------------------------
    s = plan.settings
    s.name = default_name
    _apply_date_order(rows, s)
    seen_keys: dict[str, int] = {}
    for r in rows.get("Plan", []):
        key = r.text("Key")
        if not key:
            r.problem("Key", "the key is missing (the row has a value but no Key)")
            continue
        match = _PLAN_KEY_INDEX.get(normalise(key))
        if match is None:
            warnings.append(f"Plan, row {r.number}: '{key}' is not a setting the planner knows, "
                            f"so it was ignored")
            continue
        label, fname = match
        earlier = _earlier_row(seen_keys, fname, r)
        if earlier is not None:
            r.problem("Key", f"'{label}' is already given in row {earlier}")
            continue
        if fname in ("start", "as_of", "end", "board_date"):
            setattr(s, fname, r.day("Value"))
        elif fname == "date_order":
            s.date_order = r.choice("Value", DATE_ORDERS, DAY_FIRST, {
                "uk": DAY_FIRST, "ddmmyyyy": DAY_FIRST, "dmy": DAY_FIRST, "us": MONTH_FIRST,
                "mmddyyyy": MONTH_FIRST, "mdy": MONTH_FIRST})
        elif fname == "board_purpose":
            s.board_purpose = r.choice("Value", PURPOSES, s.board_purpose)
        elif fname == "board_assurance":
            s.board_assurance = r.choice("Value", ASSURANCE_LEVELS, s.board_assurance)
        elif fname == "stage_scale":
            scale = [p.strip() for p in r.text("Value").split(";") if p.strip()]
            if not scale:
                pass  # blank: keep the product's default scale
            elif len({x.casefold() for x in scale}) != len(scale):
                r.problem("Value", "a stage appears twice in the stage scale")
            else:
                s.stage_scale = scale
        elif fname == "plan_id":
            s.plan_id = r.text("Value") or s.plan_id
        elif fname == "name":
            s.name = r.text("Value") or default_name
        else:
            setattr(s, fname, r.text("Value"))
    if "name" not in seen_keys and "Plan" in rows:
        warnings.append(f"The Plan sheet gives no Name, so the plan is called '{default_name}'")

    # -- Holidays --------------------------------------------------------------------------
    for r in rows.get("Holidays", []):
        d = r.day("Date")
        if d is not None and d not in s.holidays:
            s.holidays.append(d)
    s.holidays.sort()

    # -- Challenges ------------------------------------------------------------------------
    plan.challenges = ten_challenges()
    seen_numbers: dict[int, int] = {}
    for r in rows.get("Challenges", []):
        n = r.whole("Number", "a challenge number", None, 1)
        if n is None:
            r.require("Number", "the challenge number is missing")
            continue
        earlier = _earlier_row(seen_numbers, n, r)
        if earlier is not None:
            r.problem("Number", f"challenge {n} is already listed in row {earlier}")
            continue
        base = plan.challenges.get(n) or Challenge(n)
        base.title = r.text("Title") or base.title
        if not base.title:
            r.problem("Title", f"challenge {n} needs a title")
        base.description = r.text("Description") or base.description
        base.target_stage = r.choice("Target stage", plan.stages, base.target_stage,
                                     complaint=_NOT_A_STAGE)
        base.uid = uid(r)
        plan.challenges[n] = base
    for c in plan.challenges.values():
        if c.target_stage not in plan.stages:
            c.target_stage = plan.stages[-1]

    def challenge_list(r: _Row, column: str = "Challenges") -> list[int]:
        got = r.numbers(column, "challenge numbers")
        bad = [n for n in got if n not in plan.challenges]
        if bad:
            r.problem(column, f"there is no challenge {', '.join(map(str, bad))}; challenges are "
                              f"numbered {min(plan.challenges)} to {max(plan.challenges)}")
            return [n for n in got if n in plan.challenges]
        return got

    # -- Phases ----------------------------------------------------------------------------
    for r in rows.get("Phases", []):
        n = r.whole("Number", "a whole phase number", None, 1)
        if n is None:
            r.require("Number", "the phase number is missing")
            continue
        if n in plan.phases:
            r.problem("Number", f"phase {n} is listed twice")
            continue
        plan.phases[n] = Phase(n, r.text("Name"), r.day("Start"), uid(r))

    # -- People ----------------------------------------------------------------------------
    people = _Lookup()
    names_seen: dict[str, int] = {}
    for r, pid in _numbered(rows, "People", "P"):
        name = " ".join(r.required_text("Name", "the person's name").split())
        if name:
            folded = name.casefold()
            if folded in names_seen:
                r.problem("Name", f"'{name}' is already listed in row {names_seen[folded]}; "
                                  f"owners are matched by name, so each person needs a "
                                  f"different name")
            names_seen[folded] = r.number
        role = r.choice("Role", ROLES, "staff", {"peer": "peer worker", "peersupportworker":
                                                  "peer worker", "partner": "partner organisation",
                                                  "serviceuser": "service user",
                                                  "expertbyexperience": "service user",
                                                  "family": "carer"})
        capacity = r.whole("Capacity", "a whole number of actions", 3, 1)
        plan.people[pid] = Person(pid, name, role, r.text("Team"), r.text("Email"),
                                  capacity if capacity is not None else 3, uid(r))
        people.add(pid, name)

    def owner(r: _Row, column: str = "Owner") -> str | None:
        return people.resolve(
            r, column, "'{text}' matches more than one person on the People sheet",
            "'{text}' is not on the People sheet; add them there or check the spelling",
            prefer_title=True)

    # -- Initiatives -----------------------------------------------------------------------
    initiatives = _Lookup()
    for r, iid in _numbered(rows, "Initiatives", "I"):
        title = r.required_text("Title", "the initiative's title")
        plan.initiatives[iid] = Initiative(iid, title, r.text("Description"), owner(r),
                                           challenge_list(r), r.text("Rationale"), uid(r))
        initiatives.add(iid, title)

    def initiative(r: _Row, create: bool) -> str | None:
        text = r.text("Initiative")
        if not text:
            return None
        found, ambiguous = initiatives.find(text)
        if found is None and ambiguous:
            r.problem("Initiative", f"'{text}' matches more than one initiative; use its ID")
        elif found is None and create:
            found = plan.next_id("initiative")
            plan.initiatives[found] = Initiative(found, text)
            initiatives.add(found, text)
        elif found is None:
            r.problem("Initiative", f"'{text}' is not an initiative in this workbook")
        return found

    # -- Actions ---------------------------------------------------------------------------
    actions = _Lookup()
    for r, aid in _numbered(rows, "Actions", "A"):
        title = r.required_text("Title", "the action's title")
        duration = r.whole("Duration", "a whole number of working days", 5, 0)
        a = Action(
            id=aid, title=title, description=r.text("Description"),
            initiative=initiative(r, create=True), owner=owner(r),
            challenges=challenge_list(r), duration=duration if duration is not None else 5,
            not_before=r.day("Not before"), deadline=r.day("Deadline"),
            status=ActionStatus(r.word("Status", ACTION_STATUS, ActionStatus.NOT_STARTED)),
            percent=r.percent("Percent"), actual_start=r.day("Actual start"),
            actual_finish=r.day("Actual finish"), coproduced=r.yes_no("Co-produced"),
            coproduced_with=r.text("Co-produced with"),
            check_control=r.check("Control"), check_opportunity=r.check("Opportunity"),
            check_hope=r.check("Hope"),
            phase=r.whole("Phase", "a whole phase number", None, 1),
            notes=r.text("Notes"), tag=r.choice("Tag", ACTION_TAGS, ""), uid=uid(r),
        )
        if a.phase is not None and a.phase not in plan.phases:
            plan.phases[a.phase] = Phase(a.phase)
        if (a.actual_start and a.actual_finish and a.actual_finish < a.actual_start):
            r.problem("Actual finish", f"{a.actual_finish:%d/%m/%Y} is before the actual start "
                                       f"({a.actual_start:%d/%m/%Y})")
        plan.actions[aid] = a
        actions.add(aid, title)

    def action_ref(r: _Row, column: str) -> str | None:
        return actions.resolve(r, column,
                               "'{text}' matches more than one action by title; use its ID",
                               "there is no action '{text}' on the Actions sheet")

    # -- Dependencies ----------------------------------------------------------------------
    pairs: dict[tuple[str, str], int] = {}
    for r in rows.get("Dependencies", []):
        waiting = action_ref(r, "Action")
        needs = action_ref(r, "Needs")
        r.require("Action", "the waiting action is missing")
        r.require("Needs", "the action it waits for is missing")
        dtype = r.choice("Type", DEPENDENCY_TYPES, "FS", {"finishtostart": "FS",
                                                          "starttostart": "SS"})
        lag = r.whole("Lag", "a whole number of working days", 0, 0)
        if waiting is None or needs is None:
            continue
        if waiting == needs:
            r.problem("Needs", f"an action cannot wait for itself ('{waiting}')")
            continue
        earlier = _earlier_row(pairs, (waiting, needs), r)
        if earlier is not None:
            r.problem("Needs", f"'{waiting}' already waits for '{needs}' in row {earlier}")
            continue
        d = Dependency(waiting, needs, dtype, lag or 0, uid(r))
        plan.dependencies[d.uid] = d

    # -- Milestones ------------------------------------------------------------------------
    for r, mid in _numbered(rows, "Milestones", "M"):
        m = Milestone(
            id=mid, title=r.required_text("Title", "the milestone's title"), owner=owner(r),
            action=action_ref(r, "Action"), initiative=initiative(r, create=False),
            baseline=r.day("Baseline"), forecast=r.day("Forecast"), actual=r.day("Actual"),
            status=MilestoneStatus(r.word("Status", MILESTONE_STATUS, MilestoneStatus.PLANNED)),
            governance=r.yes_no("Governance"), comment=r.text("Comment"), uid=uid(r),
        )
        plan.milestones[mid] = m

    # -- Measures and readings -------------------------------------------------------------
    measures = _Lookup()
    for r, oid in _numbered(rows, "Measures", "OM"):
        name = r.required_text("Name", "the measure's name")
        plan.measures[oid] = Measure(
            id=oid, name=name, kind=r.choice("Kind", MEASURE_KINDS, "objective"),
            unit=r.text("Unit"),
            direction=r.choice("Direction", DIRECTIONS, "higher",
                               {"up": "higher", "down": "lower", "higherisbetter": "higher",
                                "lowerisbetter": "lower", "increase": "higher",
                                "decrease": "lower"}),
            source=r.text("Source"), challenges=challenge_list(r),
            baseline=r.decimal("Baseline"), baseline_date=r.day("Baseline date"),
            target=r.decimal("Target"), target_date=r.day("Target date"),
            spc_fix_after=r.whole("SPC fixed after", "a whole number of readings (12 or more)",
                                  None, MIN_FIX_POINTS),
            spc_rebase=r.days("SPC rebase"),
            measure_type=r.choice("Type", MEASURE_TYPES, "count"),
            denominator=r.text("Denominator"), so_what=r.text("So what"),
            next_action=r.text("Next action"), action_by=r.day("Action by"), uid=uid(r),
        )
        measures.add(oid, name)
    reading_keys: dict[tuple[str, date], int] = {}
    for r in rows.get("Readings", []):
        mid = measures.resolve(r, "Measure",
                               "'{text}' is not on the Measures sheet (more than one measure "
                               "has that name; use its ID)",
                               "'{text}' is not on the Measures sheet")
        r.require("Measure", "the measure is missing")
        when = r.day("Date")
        r.require("Date", "the date of the reading is missing")
        value = r.decimal("Value")
        r.require("Value", "the value is missing")
        if mid is None or when is None or value is None:
            continue
        earlier = _earlier_row(reading_keys, (mid, when), r)
        if earlier is not None:
            r.problem("Date", f"{mid} already has a reading on {when:%d/%m/%Y} in row {earlier}")
            continue
        reading = Reading(mid, when, value, r.text("Note"), uid(r))
        plan.readings[reading.uid] = reading

    # -- Assessments -----------------------------------------------------------------------
    for r in rows.get("Assessments", []):
        n = r.whole("Challenge", "a challenge number", None)
        if n is not None and n not in plan.challenges:
            r.problem("Challenge", f"there is no challenge {n}")
            n = None
        when = r.day("Date")
        r.require("Date", "the date of the assessment is missing")
        stage = r.choice("Stage", plan.stages, None, complaint=_NOT_A_STAGE)
        r.require("Stage", "the stage is missing")
        if n is None or when is None or stage is None:
            continue
        a = Assessment(n, when, stage, r.text("Evidence"), r.text("Assessed by"), uid(r))
        plan.assessments[a.uid] = a

    # -- Risks -----------------------------------------------------------------------------
    for r, rid in _numbered(rows, "Risks", "R"):
        linked: list[str] = []
        for part in [p.strip() for p in re.split(r"[,;]", r.text("Actions")) if p.strip()]:
            found, _ = actions.find(part)
            if found is None:
                r.problem("Actions", f"there is no action '{part}' on the Actions sheet")
            elif found not in linked:
                linked.append(found)
        plan.risks[rid] = Risk(
            id=rid, title=r.required_text("Title", "the risk's title"),
            likelihood=r.whole("Likelihood", "a score from 1 to 5", 3, 1, 5) or 3,
            impact=r.whole("Impact", "a score from 1 to 5", 3, 1, 5) or 3,
            owner=owner(r), mitigation=r.text("Mitigation"), actions=linked,
            challenges=challenge_list(r),
            target_likelihood=r.whole("Target likelihood", "a score from 1 to 5", None, 1, 5),
            target_impact=r.whole("Target impact", "a score from 1 to 5", None, 1, 5),
            baf_ref=r.text("BAF ref"), uid=uid(r),
        )
    warnings.extend(mapping_warnings(rows))
    return plan

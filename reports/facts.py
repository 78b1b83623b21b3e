"""The facts a board deck reports, worked out from the plan (and the last report's snapshot).

Nothing here knows about slides: each function takes plans and dates and returns plain records,
so the deck, the export dialog and the tests can all use them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

import graph
from planner import rules
from planner.dates import short_date
from planner.model import ActionStatus, Milestone, MilestoneStatus, Plan
from planner.rules import (AMBER_DAYS, RAG_DEFINITIONS, RAG_ORDER, RED_DAYS, RISK_BANDS,
                           challenge_title, is_achieved, milestone_challenges)
from planner.workdays import plan_calendar

__all__ = ["AMBER_DAYS", "RAG_DEFINITIONS", "RAG_ORDER", "RED_DAYS", "challenge_title",
           "is_achieved", "milestone_challenges"]  # the deck's modules read the rules from here

DEFAULT_PERIOD_DAYS = 30
"""Reporting period assumed when there is no earlier report."""


# ----- schedule: from the graph engine when it can, else from the dates in the plan ---------------

@dataclass
class MilestoneDates:
    """Baseline, forecast and slip of one milestone."""

    baseline: date | None
    forecast: date | None
    slip_days: int  # working days late against the baseline (negative = early)


@dataclass
class Schedule:
    """Action dates, milestone forecasts and explanations for one plan at one status date."""

    plan: Plan
    as_of: date
    actions: dict[str, tuple[date, date]] = field(default_factory=dict)
    milestones: dict[str, MilestoneDates] = field(default_factory=dict)
    plan_finish: date | None = None
    critical_path: list[str] = field(default_factory=list)
    source: str = "plan dates"
    problem: str = ""
    analysis: graph.Analysis | None = None

    @property
    def slips(self) -> dict[str, int]:
        """Milestone id -> working days late (what ``planner.rules`` rates challenges by)."""
        return {mid: md.slip_days for mid, md in self.milestones.items()}

    @property
    def finishes(self) -> Mapping[str, date]:
        """Action id -> forecast finish: the engine's (``graph.Analysis.finishes``, the one
        definition); without a schedule, the finishes of the plan's own dates."""
        if self.analysis is not None:
            return self.analysis.finishes
        return {aid: span[1] for aid, span in self.actions.items()}

    def root_cause(self, milestone_id: str) -> str:
        """One sentence on why a milestone is dated as it is (the engine's ``why``): the cause of
        its slip when something in its chain moved against its baseline, else what drives it
        now; "" without a schedule."""
        return self.cause(milestone_id)[1]

    def cause(self, milestone_id: str) -> tuple[str, str]:
        """``root_cause``'s sentence with the id of the action that caused the slip before it
        ("" when no action in the chain moved against its baseline, or without a schedule)."""
        if self.analysis is None:
            return "", ""
        ex = graph.why(self.plan, milestone_id, analysis=self.analysis)
        if ex.slip_cause is not None:  # briefly: the deck's table cell, not the command line's
            return ex.slip_cause.action_id, ex.slip_cause.brief + "."
        return "", ex.root_cause_sentence


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    cut = text.find(". ")
    return text[: cut + 1] if cut > 0 else text


def schedule(plan: Plan, as_of: date) -> Schedule:
    """Schedule ``plan`` with the graph engine; fall back to the plan's own dates if it cannot."""
    try:
        analysis = graph.analyse(plan, as_of=as_of)
    except Exception as e:  # a loop, or any engine failure: report it, don't crash the deck
        s = _plain_schedule(plan, as_of)
        s.problem = (f"The schedule could not be worked out ({_first_sentence(str(e)) or type(e).__name__}); "
                     "dates come from the plan as entered.")
        return s
    s = Schedule(plan, as_of, source="graph engine", analysis=analysis)
    d = analysis.data
    # most actions share their start and finish days with others: the calendar's kept dates
    # first (a C-level look-up), its working out for a day not seen yet
    to_date, known = analysis.calendar.date, analysis.calendar.known_date
    s.actions = {aid: (known(es) or to_date(es), known(ef) or to_date(ef))
                 for aid, es, ef in zip(d.ids, d.es, d.ef)}
    for mid, mf in analysis.milestones.items():
        s.milestones[mid] = MilestoneDates(mf.baseline, mf.forecast, int(mf.slip_days or 0))
    s.plan_finish = analysis.plan_finish
    s.critical_path = list(analysis.critical_path)
    return s


def _plain_milestone(plan: Plan, m: Milestone) -> MilestoneDates:
    forecast = rules.milestone_forecast(m, m.baseline)
    slip = rules.slip_days(plan_calendar(plan), m.baseline, forecast)
    return MilestoneDates(m.baseline, forecast, slip or 0)


def _plain_schedule(plan: Plan, as_of: date) -> Schedule:
    s = Schedule(plan, as_of)
    cal = plan_calendar(plan)
    start0 = plan.settings.start or as_of
    for aid, a in plan.actions.items():
        if not rules.is_live(a):
            continue
        start = a.actual_start or a.not_before or start0
        finish = a.actual_finish or cal.add(start, max(1, a.duration) - 1)
        s.actions[aid] = (start, max(start, finish))
    for mid, m in plan.milestones.items():
        s.milestones[mid] = _plain_milestone(plan, m)
    finishes = [f for _, f in s.actions.values()]
    s.plan_finish = max(finishes) if finishes else plan.settings.end
    return s


# ----- who, what, which challenge ----------------------------------------------------------------

def person_name(plan: Plan, pid: str | None) -> str:
    """A person's name, "Unassigned" for nobody, or the id of someone no longer in the plan."""
    if not pid:
        return "Unassigned"
    p = plan.people.get(pid)
    return p.name if p else pid


# ----- RAG per challenge ------------------------------------------------------------------------

Rag = rules.RagRating
"""A red/amber/green/grey rating with its one-line reason (``planner.rules.RagRating``)."""


def challenge_rag(plan: Plan, number: int, sched: Schedule) -> Rag:
    """Rate one challenge on this schedule (the rule is ``planner.rules.challenge_rag``)."""
    return rules.challenge_rag(plan, number, sched.slips, sched.finishes, sched.as_of)


@dataclass
class ChallengeRow:
    """One line of the ten-challenges slide."""

    number: int
    title: str
    stage_now: str
    stage_before: str
    assessed: date | None
    assessed_before: date | None
    target: str
    rag_now: Rag
    rag_before: Rag | None


def challenge_rows(plan: Plan, sched: Schedule, prev: Plan | None,
                   prev_sched: Schedule | None) -> list[ChallengeRow]:
    """Stage now, at the previous assessment and the target; RAG now beside the last report's."""
    numbers = sorted(set(plan.challenges) or set(range(1, 11)))
    # each schedule's slips and finishes worked out once for the ten ratings, not once each
    rate = _rater(plan, sched)
    rate_before = _rater(prev, prev_sched) if prev is not None and prev_sched is not None else None
    rows = []
    for n in numbers:
        history = [a for a in plan.assessments_of(n) if a.date <= sched.as_of]
        now = history[-1] if history else None
        before = history[-2] if len(history) > 1 else None
        ch = plan.challenges.get(n)
        rag_before = rate_before(n) if rate_before is not None else None
        rows.append(ChallengeRow(
            n, challenge_title(plan, n),
            now.stage if now else "Not assessed",
            before.stage if before else "—",
            now.date if now else None,
            before.date if before else None,
            ch.target_stage if ch else "",
            rate(n), rag_before))
    return rows


def _rater(plan: Plan, sched: Schedule):
    """``challenge_rag(plan, n, sched)`` as a function of ``n``."""
    slips, finishes = sched.slips, sched.finishes
    return lambda n: rules.challenge_rag(plan, n, slips, finishes, sched.as_of)


# ----- milestones since the last report ----------------------------------------------------------

@dataclass
class MilestoneRow:
    """A milestone as the board sees it."""

    id: str
    title: str
    owner: str
    challenges: list[int]
    baseline: date | None
    forecast: date | None
    actual: date | None
    slip_days: int
    slip_before: int | None = None
    reason: str = ""
    root_cause: str = ""
    status: str = MilestoneStatus.PLANNED
    cause_id: str = ""  # the action the slip comes from (Schedule.cause), "" when none


@dataclass
class MilestoneChanges:
    """Milestones achieved, slipped, new, removed and due, relative to the last report."""

    achieved: list[MilestoneRow]
    slipped: list[MilestoneRow]
    new: list[MilestoneRow]
    removed: list[MilestoneRow]
    due_next: list[MilestoneRow]
    since: date
    until: date
    next_until: date
    first_report: bool


def period_days(as_of: date, prev_as_of: date | None) -> int:
    """Length of the reporting period: the gap since the last report, kept within 2 to 17 weeks."""
    if prev_as_of is None or prev_as_of >= as_of:
        return DEFAULT_PERIOD_DAYS
    return max(14, min(120, (as_of - prev_as_of).days))


def achieved_in_period(m: Milestone, before: Milestone | None, since: date, as_of: date) -> bool:
    """Whether the board hears of ``m`` as achieved in the period after ``since`` up to
    ``as_of``: achieved (``planner.rules.is_achieved``) with its actual date in the period, or
    achieved since the last report (``before``, its state in the last report's snapshot, was
    not) with no actual date or one by the status date. The one rule for the milestones
    slide's Achieved table, the drafted summary's count and the sample plan's summary (which
    counted only milestones with an action: "five" beside a table of six, M33 the board
    report of September)."""
    if not is_achieved(m):
        return False
    when = m.actual
    if when is not None and since < when <= as_of:
        return True
    return before is not None and not is_achieved(before) and (when is None or when <= as_of)


def due_in_period(m: Milestone, forecast: date | None, as_of: date, until: date) -> bool:
    """Whether ``m`` is due after ``as_of`` up to ``until``: neither achieved nor cancelled,
    its ``forecast`` (the schedule's; a missed milestone's is its recovery date) in that window.
    The one rule for the "Due next period" table and the sample plan's summary (which left out
    the missed M25 and the milestones without an action)."""
    return (m.status != MilestoneStatus.CANCELLED and not is_achieved(m)
            and forecast is not None and as_of < forecast <= until)


def milestones_achieved(plan: Plan, since: date, as_of: date,
                        prev: Plan | None = None) -> list[Milestone]:
    """The plan's milestones achieved in the period (``achieved_in_period``), in id order;
    ``prev``: the last report's plan (its snapshot), if any."""
    before = {m.uid: m for m in prev.milestones.values()} if prev is not None else {}
    return [m for m in sorted(plan.milestones.values(), key=rules.milestone_sort_key)
            if achieved_in_period(m, before.get(m.uid), since, as_of)]


def _row(plan: Plan, sched: Schedule, m: Milestone) -> MilestoneRow:
    md = sched.milestones.get(m.id) or _plain_milestone(plan, m)
    return MilestoneRow(m.id, m.title, person_name(plan, m.owner), milestone_challenges(plan, m),
                        md.baseline or m.baseline, md.forecast, m.actual, md.slip_days,
                        reason=m.comment, status=m.status)


def milestone_changes(plan: Plan, sched: Schedule, prev: Plan | None,
                      prev_sched: Schedule | None, prev_as_of: date | None,
                      *, root_causes: bool = True) -> MilestoneChanges:
    """Sort the plan's milestones into what the board needs to hear this period."""
    as_of = sched.as_of
    days = period_days(as_of, prev_as_of)
    since = prev_as_of if prev_as_of and prev_as_of < as_of else as_of - timedelta(days=days)
    next_until = as_of + timedelta(days=days)
    prev_by_uid = {m.uid: m for m in prev.milestones.values()} if prev else {}
    cur_uids = {m.uid for m in plan.milestones.values()}
    achieved, slipped, new, removed, due = [], [], [], [], []
    for m in sorted(plan.milestones.values(), key=rules.milestone_sort_key):
        before = prev_by_uid.get(m.uid)
        row = _row(plan, sched, m)
        state = rules.milestone_state(m, row.slip_days)
        if state == rules.MilestoneState.ACHIEVED:
            if achieved_in_period(m, before, since, as_of):
                achieved.append(row)
            continue
        if state == rules.MilestoneState.CANCELLED:
            if before is not None and before.status != MilestoneStatus.CANCELLED:
                removed.append(row)
            continue
        if prev is not None and before is None:
            new.append(row)
        if state in (rules.MilestoneState.MISSED, rules.MilestoneState.LATE):
            if prev_sched is not None and before is not None:
                pmd = prev_sched.milestones.get(before.id)
                row.slip_before = pmd.slip_days if pmd else None
            slipped.append(row)
        if due_in_period(m, row.forecast, as_of, next_until):
            due.append(row)
    if prev is not None:
        for m in sorted(prev.milestones.values(), key=rules.milestone_sort_key):
            if m.uid not in cur_uids:
                md = prev_sched.milestones.get(m.id) if prev_sched else None
                removed.append(MilestoneRow(m.id, m.title, person_name(prev, m.owner),
                                            milestone_challenges(prev, m), m.baseline,
                                            md.forecast if md else m.forecast, m.actual,
                                            md.slip_days if md else 0, reason="Deleted from the plan",
                                            status="removed"))
    slipped.sort(key=lambda r: (-(r.slip_days if r.status != MilestoneStatus.MISSED else 10 ** 6),
                                r.id))
    due.sort(key=lambda r: (r.forecast, r.id))
    if root_causes:
        for r in slipped:
            r.cause_id, r.root_cause = sched.cause(r.id)
    return MilestoneChanges(achieved, slipped, new, removed, due, since, as_of, next_until,
                            prev is None)


# ----- the executive summary, drafted from the data ---------------------------------------------

@dataclass
class Summary:
    """The four answers on the executive summary slide; the lead edits them before export."""

    on_track: str = ""
    changed: str = ""
    next: str = ""
    decisions: str = ""

    FIELDS = ("on_track", "changed", "next", "decisions")

    def settings_fields(self) -> dict[str, str]:
        """The plan settings that keep this summary for next time."""
        return {"summary_on_track": self.on_track, "summary_changed": self.changed,
                "summary_next": self.next, "summary_decisions": self.decisions}


def plural(n: int, word: str, many: str | None = None) -> str:
    """"1 milestone", "3 milestones" (or the given plural form)."""
    return f"{n} {word if n == 1 else (many or word + 's')}"


def slip_cell(days: int | None) -> str:
    """A milestone's slip in a "Working days late" column, in the one wording every table of
    the deck uses: "on time" for 0 (the due-next table said "0" where the achieved table said
    "on time"), the working days when late, "3 early" when early; "—" without a baseline to
    count from. Outside such a column (the window, the notes) the unit goes with the number:
    ``planner.rules.slip_text``."""
    if days is None:
        return "—"
    return "on time" if days == 0 else str(days) if days > 0 else f"{-days} early"


def fmt_date(d: date | None) -> str:
    """A date on a slide: ``planner.dates.short_date``, as the window writes it; "—" for none."""
    return short_date(d, "—")


def draft_summary(plan: Plan, sched: Schedule, rows: list[ChallengeRow],
                  changes: MilestoneChanges, prev_as_of: date | None) -> Summary:
    """A first draft of the four answers, for the lead to edit."""
    counts = {c: sum(1 for r in rows if r.rag_now.colour == c) for c in ("Green", "Amber", "Red", "Grey")}
    rated = len(rows) - counts["Grey"]
    if counts["Red"]:
        verdict = f"Off track in {counts['Red']} of {len(rows)} challenges"
    elif counts["Amber"]:
        verdict = f"Broadly on track; {counts['Amber']} of {len(rows)} challenges at risk"
    elif rated:
        verdict = "On track"
    else:
        verdict = "Not yet started"
    parts = [f"{verdict} ({counts['Green']} green, {counts['Amber']} amber, {counts['Red']} red, "
             f"{counts['Grey']} not started)."]
    end = plan.settings.end
    if sched.plan_finish:
        if end:  # the window's words too (planner.rules.finish_against_end)
            parts.append(f"Forecast finish {fmt_date(sched.plan_finish)}, "
                         f"{rules.finish_against_end(sched.plan_finish, end)} ({fmt_date(end)}).")
        else:
            parts.append(f"Forecast finish {fmt_date(sched.plan_finish)}.")
    open_critical = [aid for aid in sched.critical_path
                     if aid in plan.actions and plan.actions[aid].status not in (ActionStatus.DONE, ActionStatus.CANCELLED)]
    if open_critical:
        a = plan.actions[open_critical[0]]
        parts.append(f"The finish date is set by the chain of {plural(len(open_critical), 'action')} "
                     f"starting with '{a.title}' ({a.id}).")
    on_track = " ".join(parts)

    if changes.first_report:
        changed = ("This is the first report from this plan, so there is nothing earlier to "
                   f"compare with. In the last {(changes.until - changes.since).days} days "
                   f"{plural(len(changes.achieved), 'milestone was', 'milestones were')} achieved.")
    else:
        bits = [f"Since the last report ({fmt_date(prev_as_of)}): "
                f"{plural(len(changes.achieved), 'milestone')} achieved"]
        worse = [r for r in changes.slipped if r.slip_before is not None and r.slip_days > r.slip_before]
        bits.append(f"{len(worse)} slipped further")
        if changes.new:
            bits.append(f"{len(changes.new)} new")
        if changes.removed:
            bits.append(f"{len(changes.removed)} removed")
        moved = [r for r in rows if r.rag_before and r.rag_before.colour != r.rag_now.colour]
        up = [r for r in moved if RAG_ORDER[r.rag_now.colour] < RAG_ORDER[r.rag_before.colour]]
        down = [r for r in moved if RAG_ORDER[r.rag_now.colour] > RAG_ORDER[r.rag_before.colour]]
        changed = ", ".join(bits) + "."
        if up or down:
            changed += (f" RAG improved for {plural(len(up), 'challenge')} and worsened for {len(down)}"
                        + (f" (worse: {', '.join('C' + str(r.number) for r in down)})" if down else "")
                        + ".")
        stage_moves = [r for r in rows if r.assessed_before and r.assessed and prev_as_of
                       and r.assessed > prev_as_of and r.stage_now != r.stage_before]
        if stage_moves:
            changed += " Re-assessed: " + "; ".join(
                f"C{r.number} {r.stage_before} → {r.stage_now}" for r in stage_moves[:3]) + "."
    if changes.due_next:
        top = changes.due_next[:3]
        listed = "; ".join(f"{r.title} ({fmt_date(r.forecast)})" for r in top)
        nxt = (f"{plural(len(changes.due_next), 'milestone')} due by {fmt_date(changes.next_until)}"
               + (f": {listed}." if len(changes.due_next) <= 3 else f", including {listed}."))
    else:
        nxt = f"No milestones fall due before {fmt_date(changes.next_until)}."
    ready = sched.analysis.ready_now if sched.analysis is not None else []
    if ready:
        nxt += f" {plural(len(ready), 'action is', 'actions are')} ready to start now."
    worst = [r for r in changes.slipped[:1]]
    if worst:
        nxt += f" Priority: recover {worst[0].id} '{worst[0].title}'."
    decisions = plan.settings.board_recommendation.strip()
    floor, _colour, band = RISK_BANDS[0]  # 15 or more: extreme, as everywhere
    high = sorted((r for r in plan.risks.values() if r.likelihood * r.impact >= floor),
                  key=lambda r: -r.likelihood * r.impact)
    if high:
        decisions = (decisions + " " if decisions else "") + (
            f"Consider {plural(len(high), band.lower() + ' risk')}, led by "
            f"{high[0].id} '{high[0].title}' "
            f"(score {high[0].likelihood * high[0].impact}).")
    if not decisions:
        decisions = "No decision is required; the board is asked to note the report."
    return Summary(on_track, changed, nxt, decisions)


def summary_from_settings(plan: Plan, draft: Summary) -> tuple[Summary, list[str]]:
    """The lead's kept text where there is some, the draft elsewhere; and which fields were drafted."""
    s = plan.settings
    kept = Summary(s.summary_on_track, s.summary_changed, s.summary_next, s.summary_decisions)
    out, drafted = Summary(), []
    for f in Summary.FIELDS:
        text = getattr(kept, f).strip()
        if not text:
            text = getattr(draft, f)
            drafted.append(f)
        setattr(out, f, text)
    return out, drafted

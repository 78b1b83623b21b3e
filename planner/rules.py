"""The plan's domain rules, each written once: the window, the board deck and the command line call them.

Issue 8 found the same rule written two or three times, and the copies had drifted (one challenge
was blamed on M6 on the Overview and on M24 in the deck; a lane counted 13 actions where its tile
counted 18). So each rule lives here, and nowhere else:

- which actions and milestones belong to a challenge, how many there are and what share is done;
- a challenge's RAG rating and the one-line reason for it;
- a milestone's state (open, achieved, missed, late) and its slip in working days;
- each person's open actions per calendar week (weekly load).

Rules that need a schedule take its results as plain mappings (milestone id -> slip in working
days, action id -> forecast finish), so ``planner/`` never needs the engine: the engine
(``graph/``) fills them in, and the deck can fill them in from the plan's own dates if the engine
cannot schedule the plan.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from itertools import compress, repeat
from operator import attrgetter, ne
from typing import Iterable, Mapping

from planner.model import CHALLENGES, Action, ActionStatus, Milestone, MilestoneStatus, Plan
from planner.workdays import WorkCalendar

AMBER_DAYS = 5
"""A milestone forecast more than this many working days late makes its challenge amber."""
RED_DAYS = 20
"""More than this many working days late (or a missed milestone) makes its challenge red."""


class Rag(StrEnum):
    """A red / amber / green rating; grey when nothing is planned yet."""

    RED = "Red"
    AMBER = "Amber"
    GREEN = "Green"
    GREY = "Grey"


RISK_BANDS = [(15, "Red", "Extreme"), (8, "Amber", "High"), (4, "Amber", "Moderate"),
              (0, "Green", "Low")]
"""The bands of a risk's score (likelihood x impact, out of 25), as the NHS 5 x 5 risk matrix
names them: ``(lowest score, RAG colour, band)``, highest band first. The risk slides, the
deck's summary, the challenge ratings and the advice on where to start all read them here."""

EXTREME_RISK = RISK_BANDS[0][0]
"""A risk scored this or more is extreme: it counts in its challenge's rating."""


def risk_band(score: int) -> tuple[str, str]:
    """``(RAG colour, band word)`` of a likelihood x impact score."""
    for floor, colour, word in RISK_BANDS:
        if score >= floor:
            return colour, word
    return "Green", "Low"

RAG_DEFINITIONS: list[tuple[Rag, str]] = [
    (Rag.GREEN, "On track: no milestone is forecast more than "
                f"{AMBER_DAYS} working days after its baseline or has been missed, no action is "
                "past or forecast past its deadline, no outcome measure filed under the challenge "
                f"shows a concern, and no extreme risk (scored {EXTREME_RISK} or more of 25) on it is "
                "above its target score."),
    (Rag.AMBER, f"At risk: a milestone is forecast {AMBER_DAYS + 1} to {RED_DAYS} working days "
                "late; or an action is past its deadline, or forecast to finish after it; or the "
                "latest reading of an outcome measure filed under the challenge is a special-cause "
                "concern, or (with no special-cause improvement) its limits consistently miss the "
                "trajectory to its target; or an extreme risk on the challenge (scored "
                f"{EXTREME_RISK} or more of 25) is still above its target score."),
    (Rag.RED, f"Off track: a milestone has been missed or is forecast more than {RED_DAYS} "
              f"working days late, or an action is more than {RED_DAYS} working days past its "
              "deadline and not done."),
    (Rag.GREY, "Not started: no actions or milestones are planned for the challenge yet."),
]
"""What each rating means, in the words the deck's appendix and the window's help use. The worst
fact decides the colour; the reason names it first, then up to two other facts that also count."""

RAG_ORDER = {Rag.RED: 3, Rag.AMBER: 2, Rag.GREEN: 1, Rag.GREY: 0}
"""Worse is higher."""


# ----- membership, counts and share done ---------------------------------------------------------

def is_live(action: Action) -> bool:
    """An action still in the plan's work (not cancelled)."""
    return action.status != ActionStatus.CANCELLED


def live_actions(actions: Iterable[Action]) -> list[Action]:
    """The live ones of ``actions`` (``is_live``), in order: one C-level pass over their
    statuses (a plan of 20,000 actions; issue 13)."""
    actions = list(actions)
    return list(compress(actions, map(ne, map(_STATUS, actions), repeat(ActionStatus.CANCELLED))))


_STATUS = attrgetter("status")


def primary_challenge(action: Action) -> int | None:
    """The challenge an action is filed under: the first it serves (the Timeline's lane)."""
    return action.challenges[0] if action.challenges else None


def challenge_actions(plan: Plan, number: int) -> list[Action]:
    """Live actions that serve a challenge (an action may serve several), in the plan's order."""
    return [a for a in plan.actions.values() if number in a.challenges and is_live(a)]


def share_done(actions: Iterable[Action]) -> float:
    """Share of the work done, 0 to 1, weighted by duration (a done action counts in full)."""
    total = done = 0.0
    for a in actions:
        weight = max(1, a.duration)
        total += weight
        done += weight * (1.0 if a.status == ActionStatus.DONE else max(0, min(100, a.percent)) / 100)
    return done / total if total else 0.0


@dataclass(frozen=True)
class ChallengeProgress:
    """How much work a challenge has and how much is done."""

    number: int
    actions: int        # live actions serving the challenge
    filed: int          # of those, the ones filed under it (their first challenge)
    done: int           # live actions serving it that are done
    share_done: float   # 0 to 1, weighted by duration

    @property
    def percent_done(self) -> int:
        """The share done as a whole percentage."""
        return round(100 * self.share_done)


def work_done_text(percent: int) -> str:
    """A share of the work done in the one wording the window and the deck use: "83% of the
    work done" (weighted by duration, ``share_done``), never a bare "83% done" beside a count of
    actions done ("12 of 18 actions done", a different figure for the same challenge)."""
    return f"{percent}% of the work done"


def finish_against_end(finish: date, end: date) -> str:
    """The plan's forecast finish against its end date, in calendar days, in the one wording the
    window and the deck use: "70 days after the planned end", "1 day before the planned end",
    "on the planned end" (each side adds the end date in its own date format)."""
    days = (finish - end).days
    if not days:
        return "on the planned end"
    n = abs(days)
    return f"{n} day{'s' if n != 1 else ''} {'after' if days > 0 else 'before'} the planned end"


def challenge_progress(plan: Plan, number: int, *, serving: list[Action] | None = None
                       ) -> ChallengeProgress:
    """Counts and share done of one challenge (``serving``: its ``challenge_actions``, when
    already known)."""
    acts = challenge_actions(plan, number) if serving is None else serving
    filed = sum(1 for a in acts if primary_challenge(a) == number)
    done = sum(1 for a in acts if a.status == ActionStatus.DONE)
    return ChallengeProgress(number, len(acts), filed, done, share_done(acts))


def milestone_challenges(plan: Plan, m: Milestone) -> list[int]:
    """Challenges a milestone serves, through its action (else its initiative)."""
    if m.action and m.action in plan.actions:
        return list(plan.actions[m.action].challenges)
    if m.initiative and m.initiative in plan.initiatives:
        return list(plan.initiatives[m.initiative].challenges)
    return []


def challenge_milestones(plan: Plan, number: int) -> list[Milestone]:
    """Milestones (not cancelled) that serve a challenge."""
    return [m for m in plan.milestones.values()
            if m.status != MilestoneStatus.CANCELLED and number in milestone_challenges(plan, m)]


def challenge_title(plan: Plan, number: int) -> str:
    """A challenge's title in this plan, else the product's wording, else "Challenge N"."""
    c = plan.challenges.get(number)
    if c is not None and c.title:
        return c.title
    for info in CHALLENGES:
        if info.number == number:
            return info.title
    return f"Challenge {number}"


def misses_deadline(action: Action, finish: date | None) -> bool:
    """Forecast to finish after its deadline while still to be done (not done or cancelled)."""
    return (action.deadline is not None and finish is not None and finish > action.deadline
            and action.status not in (ActionStatus.DONE, ActionStatus.CANCELLED))


# ----- milestones --------------------------------------------------------------------------------

class MilestoneState(StrEnum):
    """Where a milestone stands, from its status, its actual date and its slip."""

    OPEN = "open"            # still to come, forecast no later than its baseline
    LATE = "late"            # still to come, forecast after its baseline
    MISSED = "missed"        # its owner says it was missed
    ACHIEVED = "achieved"    # achieved (status, or an actual date)
    CANCELLED = "cancelled"


def is_achieved(m: Milestone) -> bool:
    """Achieved: so marked, or given an actual date (unless cancelled)."""
    return m.status == MilestoneStatus.ACHIEVED or (
        m.actual is not None and m.status != MilestoneStatus.CANCELLED)


def is_open(m: Milestone) -> bool:
    """Still to come: planned and without an actual date."""
    return m.status == MilestoneStatus.PLANNED and m.actual is None


def milestone_state(m: Milestone, slip: int | None) -> MilestoneState:
    """The state of a milestone whose forecast is ``slip`` working days after its baseline."""
    if m.status == MilestoneStatus.CANCELLED:
        return MilestoneState.CANCELLED
    if is_achieved(m):
        return MilestoneState.ACHIEVED
    if m.status == MilestoneStatus.MISSED:
        return MilestoneState.MISSED
    return MilestoneState.LATE if slip is not None and slip > 0 else MilestoneState.OPEN


def is_slipped(m: Milestone, slip: int | None) -> bool:
    """Later than its baseline: missed, forecast late, or achieved late (not cancelled)."""
    if m.status == MilestoneStatus.CANCELLED:
        return False
    return m.status == MilestoneStatus.MISSED or (slip is not None and slip > 0)


def slip_band(slip: int | None) -> Rag:
    """How bad a slip is: red over RED_DAYS, amber over AMBER_DAYS, else green."""
    if slip is not None and slip > RED_DAYS:
        return Rag.RED
    if slip is not None and slip > AMBER_DAYS:
        return Rag.AMBER
    return Rag.GREEN


def milestone_forecast(m: Milestone, scheduled: date | None) -> date | None:
    """The date a milestone is expected: its actual date, else its owner's forecast, else the schedule's."""
    return m.actual or m.forecast or scheduled


def slip_days(cal: WorkCalendar, baseline: date | None, forecast: date | None) -> int | None:
    """Working days from baseline to forecast (negative = early); None without both dates.

    A date on a weekend or holiday counts as the working day before it.
    """
    if baseline is None or forecast is None:
        return None
    return cal.index_on_or_before(forecast) - cal.index_on_or_before(baseline)


def slip_text(slip: int | None) -> str:
    """"3 working days late", "2 working days early", "on time"."""
    if not slip:
        return "on time"
    n = abs(slip)
    return f"{n} working day{'s' if n != 1 else ''} {'late' if slip > 0 else 'early'}"


def milestone_sort_key(m: Milestone) -> tuple:
    """M2 before M10."""
    tail = m.id[1:]
    return (int(tail) if tail.isdigit() else 10 ** 9, m.id)


# ----- a challenge's RAG -------------------------------------------------------------------------

@dataclass(frozen=True)
class RagRating:
    """A challenge's rating, its one-line reason and the record that decided it.

    ``also`` holds the other facts that count against the challenge (each naming its record),
    worst first; the reason repeats up to two of them.
    """

    colour: Rag
    reason: str
    milestone: str | None = None
    action: str | None = None
    measure: str | None = None
    risk: str | None = None
    also: tuple[str, ...] = ()


# ----- outcome concerns and extreme risks of a challenge (the RAG and the advice both use these) ----

def filed_under(challenges: list[int], number: int) -> bool:
    """A record tagged with challenges is filed under its first one (counted there once)."""
    return bool(challenges) and challenges[0] == number


def outcome_concerns(plan: Plan, number: int) -> list[tuple[str, str]]:
    """(measure id, what is wrong) for each outcome measure filed under a challenge whose latest
    reading is a special-cause concern, or whose limits consistently miss the trajectory to its
    target while its latest reading shows no special-cause improvement."""
    from planner import spc  # only here: validate imports this module and needs no SPC (issue 13)

    out = []
    for m in sorted(plan.measures.values(), key=lambda m: (len(m.id), m.id)):
        if not filed_under(m.challenges, number):
            continue
        r = spc.measure_xmr(plan, m)
        if r.variation == spc.CONCERN:
            out.append((m.id, "shows special-cause concern"))
        elif r.assurance == "fail" and r.variation != spc.IMPROVEMENT:
            # limits below the trajectory only count while the measure is not improving: a
            # special-cause improvement says the old limits no longer describe it
            out.append((m.id, "consistently misses its trajectory"))
    return out


def risk_score(risk) -> int:
    """Likelihood x impact (1 to 25)."""
    return int(risk.likelihood) * int(risk.impact)


def risk_target_score(risk) -> int | None:
    """The score the risk is meant to come down to, or None if no target is set."""
    if risk.target_likelihood is None or risk.target_impact is None:
        return None
    return int(risk.target_likelihood) * int(risk.target_impact)


def extreme_risks(plan: Plan, number: int) -> list:
    """Risks filed under a challenge scored :data:`EXTREME_RISK` or more, highest first."""
    rs = [r for r in plan.risks.values()
          if filed_under(r.challenges, number) and risk_score(r) >= EXTREME_RISK]
    return sorted(rs, key=lambda r: (-risk_score(r), len(r.id), r.id))


def risk_tail(risk) -> str:
    """"scored 16 against a target of 6" (and ", no mitigation recorded")."""
    target = risk_target_score(risk)
    text = f"scored {risk_score(risk)}"
    text += f" against a target of {target}" if target is not None else " with no target score"
    if not (risk.mitigation or "").strip() and not risk.actions:
        text += ", no mitigation recorded"
    return text


def overdue_days(cal: WorkCalendar, action: Action, as_of: date | None) -> int:
    """Working days an action still to be done is past its deadline at the status date (0 if not)."""
    if (as_of is None or action.deadline is None or as_of <= action.deadline
            or action.status in (ActionStatus.DONE, ActionStatus.CANCELLED)):
        return 0
    return max(0, cal.index_on_or_before(as_of) - cal.index_on_or_before(action.deadline))


def challenge_rag(plan: Plan, number: int, slips: Mapping[str, int | None],
                  finishes: Mapping[str, date], as_of: date | None = None, *,
                  serving: list[Action] | None = None,
                  milestones: list[Milestone] | None = None) -> RagRating:
    """Rate a challenge (see :data:`RAG_DEFINITIONS`): delivery, outcomes and risk.

    ``slips``: milestone id -> working days its forecast is after its baseline; ``finishes``:
    action id -> forecast finish; ``as_of``: the status date (default the plan's). Facts that
    count, each with a colour:

    - a missed milestone (red); an open milestone more than RED_DAYS late (red) or more than
      AMBER_DAYS late (amber): among equally late ones the one due first by its baseline (usually
      the cause of the others), then the lowest number;
    - an action past its deadline at the status date, red beyond RED_DAYS working days, else
      amber; an action forecast to finish after its deadline (amber);
    - an outcome measure filed under the challenge whose latest reading is a special-cause concern
      or whose limits consistently miss the trajectory to its target (amber);
    - a risk filed under the challenge scored EXTREME_RISK or more and above its target score (amber).

    The worst fact decides; the reason names it, then up to two more. ``serving`` and
    ``milestones``: the challenge's ``challenge_actions`` and ``challenge_milestones``, when
    already known.
    """
    ms = sorted(challenge_milestones(plan, number) if milestones is None else milestones,
                key=milestone_sort_key)
    acts = challenge_actions(plan, number) if serving is None else serving
    if not ms and not acts:
        return RagRating(Rag.GREY, "No actions or milestones planned yet")
    if as_of is None:
        as_of = plan.settings.as_of
    cal = WorkCalendar(plan.settings.holidays)
    # (colour, order within the colour, fact, the fact by id only, the record that decided it)
    facts: list[tuple[Rag, tuple, str, str, dict]] = []

    def add(colour: Rag, order: tuple, record, tail: str, key: str, brief: str = "") -> None:
        """A fact in full ("M3 'title' tail") and briefly, by id ("M3 brief"), for the "also"."""
        title = getattr(record, "title", None) or getattr(record, "name", "")
        facts.append((colour, order, f"{record.id} '{title}' {tail}",
                      f"{record.id} {brief or tail}", {key: record.id}))

    missed = [m for m in ms if m.status == MilestoneStatus.MISSED]
    for i, m in enumerate(missed):
        add(Rag.RED, (0, i), m, "was missed", "milestone")
    late = []
    for m in ms:
        slip = slips.get(m.id)
        if is_open(m) and slip_band(slip) != Rag.GREEN:
            late.append((-slip, m.baseline or date.max, milestone_sort_key(m), m))
    late.sort(key=lambda t: t[:3])
    for i, (neg, _b, _k, m) in enumerate(late):
        add(slip_band(-neg), (1, i), m, f"forecast {slip_text(-neg)}", "milestone",
            slip_text(-neg))
    ordered = sorted(acts, key=lambda a: (len(a.id), a.id))
    for i, a in enumerate(ordered):
        over = overdue_days(cal, a, as_of)
        if over:
            colour = Rag.RED if over > RED_DAYS else Rag.AMBER
            days = f"{over} working day{'s' if over != 1 else ''} past its deadline"
            add(colour, (2, -over, i), a, f"is {days} and not done", "action", days)
        elif misses_deadline(a, finishes.get(a.id)):
            add(Rag.AMBER, (3, i), a, "forecast to finish after its deadline", "action",
                "forecast past its deadline")
    for i, (mid, tail) in enumerate(outcome_concerns(plan, number)):
        add(Rag.AMBER, (4, i), plan.measures[mid], tail, "measure",
            tail.replace("consistently ", "").replace("shows ", "in "))
    for i, r in enumerate(extreme_risks(plan, number)):
        target = risk_target_score(r)
        if target is None or risk_score(r) > target:
            add(Rag.AMBER, (5, i), r, risk_tail(r), "risk",
                f"scored {risk_score(r)}" + (f" (target {target})" if target is not None else ""))
    if facts:
        facts.sort(key=lambda f: (-RAG_ORDER[f[0]], f[1]))
        colour, _order, text, _short, record = facts[0]
        rest = facts[1:]
        if len(missed) > 1 and record.get("milestone") == missed[0].id:
            text += f" (and {len(missed) - 1} more)"
            rest = [f for f in rest if f[1][0] != 0]
        reason = text
        if rest:
            # one fact of each other kind first (a risk is not hidden behind two late milestones)
            kinds = {next(iter(record))}
            picked = []
            for f in rest:
                if next(iter(f[4])) not in kinds and len(picked) < 2:
                    kinds.add(next(iter(f[4])))
                    picked.append(f)
            for f in rest:
                if f not in picked and len(picked) < 2:
                    picked.append(f)
            shown = [f[3] for f in sorted(picked, key=rest.index)]
            more = len(rest) - len(shown)
            reason += "; also " + ", ".join(shown) + (f" and {more} more" if more > 0 else "")
        return RagRating(colour, reason, also=tuple(f[2] for f in rest), **record)
    open_ms = [m for m in ms if is_open(m)]
    done = sum(1 for a in acts if a.status == ActionStatus.DONE)
    if open_ms:
        n = len(open_ms)
        return RagRating(Rag.GREEN, f"{'All ' if n > 1 else ''}{n} open milestone"
                                    f"{'s' if n != 1 else ''} within {AMBER_DAYS} working days "
                                    "of baseline")
    if acts and done == len(acts):
        return RagRating(Rag.GREEN, "All actions done")
    return RagRating(Rag.GREEN, f"{done} of {len(acts)} actions done; no milestone slipping")


# ----- weekly load per person --------------------------------------------------------------------

def weekly_load(plan: Plan, spans: Iterable[tuple[str, date, date]]
                ) -> dict[str, dict[date, list[str]]]:
    """Open actions each person owns, per calendar week (keyed by its Monday).

    ``spans``: (action id, first working day, last working day) from the schedule. An action counts
    in every week (Monday to Sunday) holding at least one of its scheduled days. Done and
    cancelled actions, and actions with no owner in the plan, do not count.
    """
    by_week: dict[str, dict[int, list[str]]] = {}
    week_no: dict[date, int] = {}  # few distinct dates: number each week once (Monday-based)
    actions, people = plan.actions, plan.people
    finished = (ActionStatus.DONE, ActionStatus.CANCELLED)
    for aid, start, finish in spans:
        a = actions.get(aid)
        if a is None or a.owner is None or a.owner not in people or a.status in finished:
            continue
        first = week_no.get(start)
        if first is None:
            first = week_no[start] = (start.toordinal() - 1) // 7
        last = week_no.get(finish)
        if last is None:
            last = week_no[finish] = (finish.toordinal() - 1) // 7
        weeks = by_week.setdefault(a.owner, {})
        for w in range(first, last + 1):
            got = weeks.get(w)
            if got is None:
                weeks[w] = [aid]
            else:
                got.append(aid)
    monday: dict[int, date] = {}
    out: dict[str, dict[date, list[str]]] = {}
    for pid, weeks in by_week.items():
        row = out[pid] = {}
        for w, ids in weeks.items():
            d = monday.get(w)
            if d is None:
                d = monday[w] = date.fromordinal(w * 7 + 1)
            row[d] = ids
    return out


def capacity_of(plan: Plan, person_id: str) -> int:
    """How many actions a person can carry at once (never negative)."""
    p = plan.people.get(person_id)
    return max(0, int(p.capacity or 0)) if p is not None else 0


def overloaded_weeks(plan: Plan, load: Mapping[str, Mapping[date, list[str]]],
                     spans: Mapping[str, tuple[date, date]] | None = None
                     ) -> list[tuple[str, date, list[str], int]]:
    """(person, week, action ids, most at once) wherever a person has more actions under way at
    once than their capacity, on some day of the week.

    With ``spans`` (action id -> first and last scheduled day) "at once" means on the same day:
    an action finishing on a Wednesday and the next one starting on the Thursday are one after the
    other, not two at once, even though both fall in that week (issue 10: a bank holiday moved
    such hand-overs into mid-week and the starter plan showed overloads nobody had). Without
    ``spans`` every action of the week counts.
    """
    out = []
    for pid in sorted(load, key=lambda p: (len(p), p)):
        cap = capacity_of(plan, pid)
        for w in sorted(load[pid]):
            ids = load[pid][w]
            if len(ids) <= cap:
                continue
            most = len(ids) if spans is None else _most_at_once(ids, spans, w)
            if most > cap:
                out.append((pid, w, ids, most))
    return out


def _most_at_once(ids: list[str], spans: Mapping[str, tuple[date, date]], monday: date) -> int:
    """The most of ``ids`` under way on any one day of the week starting ``monday``."""
    most = 0
    for k in range(7):
        day = monday + timedelta(days=k)
        most = max(most, sum(1 for a in ids if a in spans and spans[a][0] <= day <= spans[a][1]))
    return most

"""The facts a board deck reports, worked out from the plan (and the last report's snapshot).

Nothing here knows about slides: each function takes plans and dates and returns plain records,
so the deck, the export dialog and the tests can all use them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date, timedelta

from planner.model import Milestone, Plan

AMBER_DAYS = 5
"""A milestone forecast more than this many working days late makes its challenge amber."""
RED_DAYS = 20
"""More than this many working days late (or a missed milestone) makes its challenge red."""
DEFAULT_PERIOD_DAYS = 30
"""Reporting period assumed when there is no earlier report."""

RAG_TEXT = {"Red": "Off track", "Amber": "At risk", "Green": "On track", "Grey": "Not started"}
RAG_DEFINITIONS = [
    ("Green", "On track: no milestone for the challenge is forecast more than "
              f"{AMBER_DAYS} working days after its baseline, and none has been missed."),
    ("Amber", f"At risk: a milestone is forecast {AMBER_DAYS + 1} to {RED_DAYS} working days "
              "late, or an action is forecast to finish after its deadline."),
    ("Red", f"Off track: a milestone has been missed or is forecast more than {RED_DAYS} "
            "working days late."),
    ("Grey", "Not started: no actions or milestones are planned for the challenge yet."),
]
RAG_ORDER = {"Red": 3, "Amber": 2, "Green": 1, "Grey": 0}


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
    analysis: object = None

    def root_cause(self, milestone_id: str) -> str:
        """One sentence on why a milestone is dated as it is (from the graph engine's "why")."""
        if self.analysis is None:
            return ""
        try:
            import graph
            expl = graph.why(self.plan, milestone_id, analysis=self.analysis)
        except Exception:  # an explanation is a nicety; never fail the deck for it
            return ""
        for line in reversed((getattr(expl, "text", "") or "").splitlines()):
            if line.startswith("Root cause:"):
                return line[len("Root cause:"):].strip()
        rc = getattr(expl, "root_cause", None)
        if rc is None:
            return ""
        if isinstance(rc, str):
            return rc
        title = getattr(rc, "title", "")
        reason = getattr(rc, "reason", "")
        return f"{getattr(rc, 'action_id', '')} '{title}' {reason}".strip()


def _first_sentence(text: str) -> str:
    text = " ".join(text.split())
    cut = text.find(". ")
    return text[: cut + 1] if cut > 0 else text


def schedule(plan: Plan, as_of: date) -> Schedule:
    """Schedule ``plan`` with the graph engine; fall back to the plan's own dates if it cannot."""
    try:
        import graph
        analysis = graph.analyse(plan, as_of=as_of)
    except Exception as e:  # missing engine, a loop, or any engine failure: report, don't crash
        s = _plain_schedule(plan, as_of)
        s.problem = (f"The schedule could not be worked out ({_first_sentence(str(e)) or type(e).__name__}); "
                     "dates come from the plan as entered.")
        return s
    s = Schedule(plan, as_of, source="graph engine", analysis=analysis)
    try:
        for aid, row in analysis.rows.items():
            if row.start is not None and row.finish is not None:
                s.actions[aid] = (row.start, row.finish)
        for mid, mf in analysis.milestones.items():
            s.milestones[mid] = MilestoneDates(mf.baseline, mf.forecast, int(mf.slip_days or 0))
        s.plan_finish = analysis.plan_finish
        s.critical_path = list(analysis.critical_path or [])
    except Exception as e:  # an engine fault must not stop the board report
        s = _plain_schedule(plan, as_of)
        s.problem = (f"The schedule could not be read ({type(e).__name__}: {e}); dates come from "
                     "the plan as entered.")
        return s
    for mid, m in plan.milestones.items():  # anything the engine left out
        s.milestones.setdefault(mid, _plain_milestone(m))
    return s


def _plain_milestone(m: Milestone) -> MilestoneDates:
    forecast = m.actual or m.forecast or m.baseline
    slip = 0
    if forecast and m.baseline:
        slip = _working_days_between(m.baseline, forecast)
    return MilestoneDates(m.baseline, forecast, slip)


def _working_days_between(a: date, b: date) -> int:
    """Weekdays from ``a`` to ``b`` (negative if ``b`` is earlier); holidays are ignored."""
    sign = 1 if b >= a else -1
    lo, hi = (a, b) if b >= a else (b, a)
    days = (hi - lo).days
    weeks, rest = divmod(days, 7)
    n = weeks * 5
    d = lo
    for _ in range(rest):
        d += timedelta(days=1)
        if d.weekday() < 5:
            n += 1
    return sign * n


def _plain_schedule(plan: Plan, as_of: date) -> Schedule:
    s = Schedule(plan, as_of)
    start0 = plan.settings.start or as_of
    for aid, a in plan.actions.items():
        if a.status == "cancelled":
            continue
        start = a.actual_start or a.not_before or start0
        finish = a.actual_finish or start + timedelta(days=math.ceil(a.duration * 7 / 5))
        s.actions[aid] = (start, max(start, finish))
    for mid, m in plan.milestones.items():
        s.milestones[mid] = _plain_milestone(m)
    finishes = [f for _, f in s.actions.values()]
    s.plan_finish = max(finishes) if finishes else plan.settings.end
    return s


# ----- who, what, which challenge ----------------------------------------------------------------

def person_name(plan: Plan, pid: str | None) -> str:
    if not pid:
        return "Unassigned"
    p = plan.people.get(pid)
    return p.name if p else pid


def milestone_challenges(plan: Plan, m: Milestone) -> list[int]:
    """Challenges a milestone serves, through its action or initiative."""
    if m.action and m.action in plan.actions:
        return list(plan.actions[m.action].challenges)
    if m.initiative and m.initiative in plan.initiatives:
        return list(plan.initiatives[m.initiative].challenges)
    return []


def is_open(m: Milestone) -> bool:
    return m.status == "planned" and m.actual is None


def is_achieved(m: Milestone) -> bool:
    return m.status == "achieved" or (m.actual is not None and m.status != "cancelled")


def challenge_title(plan: Plan, number: int) -> str:
    c = plan.challenges.get(number)
    if c and c.title:
        return c.title
    from planner.model import CHALLENGES
    for info in CHALLENGES:
        if info.number == number:
            return info.title
    return f"Challenge {number}"


# ----- RAG per challenge ------------------------------------------------------------------------

@dataclass
class Rag:
    """A red/amber/green/grey rating with its one-line reason."""

    colour: str
    reason: str


def challenge_rag(plan: Plan, number: int, sched: Schedule) -> Rag:
    """Rate one challenge from its milestones and actions (see :data:`RAG_DEFINITIONS`)."""
    ms = [m for m in plan.milestones.values()
          if m.status != "cancelled" and number in milestone_challenges(plan, m)]
    acts = [a for a in plan.actions_of_challenge(number) if a.status != "cancelled"]
    if not ms and not acts:
        return Rag("Grey", "No actions or milestones planned yet")
    missed = [m for m in ms if m.status == "missed"]
    if missed:
        m = missed[0]
        more = f" (and {len(missed) - 1} more)" if len(missed) > 1 else ""
        return Rag("Red", f"{m.id} '{m.title}' was missed{more}")
    late = []
    for m in ms:
        if is_open(m):
            md = sched.milestones.get(m.id)
            if md and md.slip_days > AMBER_DAYS:
                late.append((md.slip_days, m))
    late.sort(key=lambda t: (-t[0], t[1].id))
    if late and late[0][0] > RED_DAYS:
        days, m = late[0]
        return Rag("Red", f"{m.id} '{m.title}' forecast {days} working days late")
    if late:
        days, m = late[0]
        return Rag("Amber", f"{m.id} '{m.title}' forecast {days} working days late")
    over = []
    for a in acts:
        if a.deadline and a.status != "done" and a.id in sched.actions:
            finish = sched.actions[a.id][1]
            if finish > a.deadline:
                over.append((finish - a.deadline).days)
                if len(over) == 1:
                    first = a
    if over:
        return Rag("Amber", f"{first.id} '{first.title}' forecast to finish after its deadline")
    open_ms = [m for m in ms if is_open(m)]
    done = sum(1 for a in acts if a.status == "done")
    if open_ms:
        return Rag("Green", f"All {len(open_ms)} open milestone{'s' if len(open_ms) != 1 else ''} on time")
    if acts and done == len(acts):
        return Rag("Green", "All actions done")
    return Rag("Green", f"{done} of {len(acts)} actions done; no milestone slipping")


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
    rows = []
    for n in numbers:
        history = [a for a in plan.assessments_of(n) if a.date <= sched.as_of]
        now = history[-1] if history else None
        before = history[-2] if len(history) > 1 else None
        ch = plan.challenges.get(n)
        rag_before = None
        if prev is not None and prev_sched is not None:
            rag_before = challenge_rag(prev, n, prev_sched)
        rows.append(ChallengeRow(
            n, challenge_title(plan, n),
            now.stage if now else "Not assessed",
            before.stage if before else "—",
            now.date if now else None,
            before.date if before else None,
            ch.target_stage if ch else "",
            challenge_rag(plan, n, sched), rag_before))
    return rows


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
    status: str = "planned"


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


def _row(plan: Plan, sched: Schedule, m: Milestone) -> MilestoneRow:
    md = sched.milestones.get(m.id) or _plain_milestone(m)
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
    for m in sorted(plan.milestones.values(), key=_milestone_key):
        before = prev_by_uid.get(m.uid)
        if is_achieved(m):
            when = m.actual
            newly = before is not None and not is_achieved(before)
            if (when and since < when <= as_of) or (newly and (when is None or when <= as_of)):
                achieved.append(_row(plan, sched, m))
            continue
        if m.status == "cancelled":
            if before is not None and before.status != "cancelled":
                removed.append(_row(plan, sched, m))
            continue
        row = _row(plan, sched, m)
        if prev is not None and before is None:
            new.append(row)
        if m.status == "missed" or row.slip_days > 0:
            if prev_sched is not None and before is not None:
                pmd = prev_sched.milestones.get(before.id)
                row.slip_before = pmd.slip_days if pmd else None
            slipped.append(row)
        if row.forecast and as_of < row.forecast <= next_until:
            due.append(row)
    if prev is not None:
        for m in sorted(prev.milestones.values(), key=_milestone_key):
            if m.uid not in cur_uids:
                md = prev_sched.milestones.get(m.id) if prev_sched else None
                removed.append(MilestoneRow(m.id, m.title, person_name(prev, m.owner),
                                            milestone_challenges(prev, m), m.baseline,
                                            md.forecast if md else m.forecast, m.actual,
                                            md.slip_days if md else 0, reason="Deleted from the plan",
                                            status="removed"))
    slipped.sort(key=lambda r: (-(r.slip_days if r.status != "missed" else 10 ** 6), r.id))
    due.sort(key=lambda r: (r.forecast, r.id))
    if root_causes:
        for r in slipped:
            r.root_cause = sched.root_cause(r.id)
    return MilestoneChanges(achieved, slipped, new, removed, due, since, as_of, next_until,
                            prev is None)


def _milestone_key(m: Milestone):
    tail = m.id[1:]
    return (int(tail) if tail.isdigit() else 10 ** 9, m.id)


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


def fmt_date(d: date | None) -> str:
    return d.strftime("%d %b %Y").lstrip("0") if d else "—"


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
        if end and sched.plan_finish > end:
            parts.append(f"Forecast finish {fmt_date(sched.plan_finish)}, "
                         f"{(sched.plan_finish - end).days} days after the planned end "
                         f"({fmt_date(end)}).")
        elif end:
            parts.append(f"Forecast finish {fmt_date(sched.plan_finish)}, within the planned end "
                         f"({fmt_date(end)}).")
        else:
            parts.append(f"Forecast finish {fmt_date(sched.plan_finish)}.")
    open_critical = [aid for aid in sched.critical_path
                     if aid in plan.actions and plan.actions[aid].status not in ("done", "cancelled")]
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
    ready = []
    if sched.analysis is not None:
        try:
            ready = list(sched.analysis.ready_now or [])
        except Exception:  # a nicety only
            ready = []
    if ready:
        nxt += f" {plural(len(ready), 'action is', 'actions are')} ready to start now."
    worst = [r for r in changes.slipped[:1]]
    if worst:
        nxt += f" Priority: recover {worst[0].id} '{worst[0].title}'."
    decisions = plan.settings.board_recommendation.strip()
    high = sorted((r for r in plan.risks.values() if r.likelihood * r.impact >= 15),
                  key=lambda r: -r.likelihood * r.impact)
    if high:
        decisions = (decisions + " " if decisions else "") + (
            f"Consider {plural(len(high), 'high risk')}, led by {high[0].id} '{high[0].title}' "
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

"""Statistical process control (XmR charts) in the Making Data Count style, in pure Python.

The conventions follow the NHS-R community's NHSRplotthedots package:

* centre line = mean of the points in the calculation period;
* moving range = |x[i] - x[i-1]| (the first point of a period has none);
* process limits = mean +/- 2.66 x mean moving range;
* special cause when
  (a) ``outside``: a point lies beyond a process limit,
  (b) ``shift``: 7 or more consecutive points lie on the same side of the mean
      (a point exactly on the mean ends a run),
  (c) ``trend``: 7 or more consecutive points all rise or all fall
      (two equal points end a run),
  (d) ``two_of_three``: 2 of 3 consecutive points lie close to a limit (beyond two-thirds of
      the way from the mean to it, but not beyond the limit itself), all three on the same side
      of the mean (only the close points are flagged; a point beyond a limit is a signal of its
      own and does not count towards this rule);
* each signal is an improvement or a concern according to the measure's direction: for a
  point beyond a limit, near a limit or in a shift, by the side of the mean it is on; for a
  trend, by the way the trend runs (a rising trend is an improvement when higher is better,
  even while still below the mean);
* when rules disagree on a point, the reference's order decides: beyond a limit first, then a
  trend, then two of three close to a limit, then a shift (so a falling trend above the mean
  reads as falling);
* assurance against a target: a target outside the limits on the good side means the process
  consistently meets it ("pass"), on the bad side consistently misses it ("fail"), between the
  limits it will hit and miss.

Limits can be fixed after the first N points of a period (N at least :data:`MIN_FIX_POINTS`, as
the reference requires; later points are judged against them but do not move them), and the
series can be re-based at known change dates, which start a new period with its own mean and
limits. Rules are applied within each period. A period with fewer than
:data:`MIN_POINTS_ADVISED` points has limits that are still settling (a warning, not an error).

Moving ranges far above the others can be screened out of the limits (``screen_outliers``: a
moving range of 3.267 times the mean moving range or more is left out and the mean recomputed),
which the reference does by default; the product leaves it off unless asked, so the limits
stay the plain textbook ones a board analyst can check by hand.

Cumulative measures (running totals, percent trained so far) rise by construction, so an XmR
chart of them always shows "special cause"; they get a run chart instead (:func:`run_chart`:
the points and their median, no limits and no signals).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Sequence

from planner.limits import MIN_FIX_POINTS  # kept with the limits of a plan's values

if TYPE_CHECKING:
    from planner.model import Measure, Plan

LIMIT_FACTOR = 2.66
"""Multiplier of the mean moving range giving the process limits (3 sigma for individuals)."""

RUN_LENGTH = 7
"""Points needed in a shift or a trend."""

MIN_POINTS_ADVISED = 20
"""Fewer points than this in a period give limits that are still settling (a warning)."""

SCREEN_FACTOR = 3.267
"""A moving range this many times the mean moving range or more is screened out (when asked)."""

RULES = ("outside", "trend", "two_of_three", "shift")
"""Rule names, in the order used to decide a point's label when signals disagree
(NHSRplotthedots' order: a trend decides over a shift or two close points)."""

RULE_TEXT = {
    "outside": "a point beyond a process limit",
    "two_of_three": "2 of 3 points close to a limit",
    "shift": f"{RUN_LENGTH} or more points on one side of the mean",
    "trend": f"{RUN_LENGTH} or more points rising or falling",
}

IMPROVEMENT = "improvement"
CONCERN = "concern"
NEITHER = "neither"


@dataclass
class Signal:
    """One special-cause rule firing on one point: which rule, which side, good or bad."""

    rule: str
    side: int  # +1 = above the mean / rising, -1 = below / falling
    meaning: str  # "improvement", "concern" or "neither" (no direction given)


@dataclass
class SpcPoint:
    """A point of an XmR chart with the centre line and limits that apply to it."""

    index: int
    value: float
    label: object = None  # usually the reading's date
    period: int = 0
    mean: float | None = None
    upper: float | None = None
    lower: float | None = None
    moving_range: float | None = None
    signals: list[Signal] = field(default_factory=list)

    @property
    def rules(self) -> set[str]:
        """Names of the rules that fired on this point."""
        return {s.rule for s in self.signals}

    @property
    def special(self) -> str | None:
        """``"improvement"``, ``"concern"``, ``"neither"`` or None (common cause).

        When rules disagree (say a falling trend while still above the mean), the rule earliest
        in :data:`RULES` wins, as in the reference: beyond a limit, then a trend, then two of
        three close to a limit, then a shift.
        """
        if not self.signals:
            return None
        return min(self.signals, key=lambda s: RULES.index(s.rule)).meaning


@dataclass
class SpcResult:
    """An XmR chart worked out: every point, the latest limits, variation and assurance."""

    points: list[SpcPoint]
    direction: str | None
    target: float | None

    @property
    def values(self) -> list[float]:
        return [p.value for p in self.points]

    @property
    def latest(self) -> SpcPoint | None:
        return self.points[-1] if self.points else None

    @property
    def mean(self) -> float | None:
        """Centre line of the latest period."""
        return self.latest.mean if self.latest else None

    @property
    def upper(self) -> float | None:
        return self.latest.upper if self.latest else None

    @property
    def lower(self) -> float | None:
        return self.latest.lower if self.latest else None

    kind: str = "xmr"  # "xmr", or "run" for a run chart (median only, no limits, no signals)

    @property
    def period_points(self) -> int:
        """How many points the latest period has."""
        latest = self.latest
        if latest is None:
            return 0
        return sum(1 for p in self.points if p.period == latest.period)

    @property
    def warning(self) -> str | None:
        """Why the limits cannot be relied on yet, in a reader's words, or None."""
        if self.kind == "run" or self.latest is None:
            return None
        n = self.period_points
        if n < MIN_POINTS_ADVISED:
            return (f"only {n} point{'s' if n != 1 else ''} since the limits were last set: "
                    f"limits settle with {MIN_POINTS_ADVISED} or more")
        return None

    @property
    def enough_points(self) -> bool:
        """True when the latest period has at least :data:`MIN_POINTS_ADVISED` points."""
        latest = self.latest
        if latest is None:
            return False
        return sum(1 for p in self.points if p.period == latest.period) >= MIN_POINTS_ADVISED

    @property
    def variation(self) -> str:
        """Variation shown by the latest point: ``"improvement"``, ``"concern"``,
        ``"neither"`` (special cause, no direction), ``"common"``, or ``"run"`` for a run chart
        (which makes no claim about variation)."""
        if self.kind == "run":
            return "run"
        latest = self.latest
        if latest is None or latest.special is None:
            return "common"
        return latest.special

    @property
    def variation_side(self) -> int:
        """+1 when the latest point's deciding signal is high or rising, -1 low or falling, 0 none."""
        latest = self.latest
        if latest is None or not latest.signals or self.kind == "run":
            return 0
        return min(latest.signals, key=lambda s: RULES.index(s.rule)).side

    @property
    def earlier_special(self) -> int:
        """How many points before the latest show special cause (so a header can say so)."""
        return sum(1 for p in self.points[:-1] if p.special is not None)

    @property
    def assurance(self) -> str | None:
        """``"pass"``, ``"fail"``, ``"hit and miss"``, or None with no target, direction or limits."""
        if self.kind == "run":
            return None
        return assurance(self.target, self.lower, self.upper, self.direction)

    def special_points(self, meaning: str) -> list[SpcPoint]:
        """Points labelled ``meaning`` (improvement or concern)."""
        return [p for p in self.points if p.special == meaning]


VARIATION_TEXT = {
    "run": "Run chart (cumulative measure: no limits)",
    "common": "Common cause variation",
    "improvement": "Special cause: improvement",
    "concern": "Special cause: concern",
    "neither": "Special cause (no direction set)",
}

ASSURANCE_TEXT = {
    "pass": "Consistently meets the target",
    "fail": "Consistently misses the target",
    "hit and miss": "Hit and miss: may or may not meet the target",
    None: "No target set",
}


ASSURANCE_SHORT = {"pass": "consistently meets", "fail": "consistently misses",
                   "hit and miss": "hit and miss against"}


def format_number(v: float) -> str:
    """A number as every screen and slide writes it (a measure's reading, target or trajectory, a
    chart's tick): whole numbers whole, else two decimals at most, thousands separated: 36,
    35.37, 12,345.6, never 35.3746 or 1.234e+04."""
    if abs(v - round(v)) < 1e-9:
        return f"{int(round(v)):,}"
    return f"{v:,.2f}".rstrip("0").rstrip(".")


def with_unit(v: float, unit: str | None) -> str:
    """A measure's figure with its unit, as the Outcomes view and every slide write it: ``45.7%``
    (a percentage sign close up), ``35 score 0-60`` and ``42 students per month`` (any other unit
    after a space, however long), ``12.5`` (no unit)."""
    text = format_number(v)
    if not unit:
        return text
    return f"{text}%" if unit == "%" else f"{text} {unit}"


def assurance_words(measure: "Measure", result: "SpcResult") -> str | None:
    """The assurance in words, judged as :func:`measure_xmr` judges it: against the trajectory
    when the measure is still on its way to a later target ("Consistently misses its trajectory
    (35.12 by now)"), else against the target; a run chart makes no claim; None without a target.
    The window's Outcomes view and the board deck both say it this way."""
    final = getattr(measure, "target", None)
    if final is None:
        return None
    if result.kind == "run":
        return "Run chart: no assurance claim against the target"
    if result.assurance is None:
        return "Too few readings to judge the target"
    on_way = result.target is not None and abs(result.target - final) > 1e-9
    return (ASSURANCE_SHORT[result.assurance].capitalize() + " "
            + (f"its trajectory ({format_number(result.target)} by now)" if on_way else "its target"))


def moving_ranges(values: Sequence[float]) -> list[float | None]:
    """|x[i] - x[i-1]| for every point; the first has none."""
    return [None] + [abs(values[i] - values[i - 1]) for i in range(1, len(values))]


def limits(values: Sequence[float], *, screen_outliers: bool = False
           ) -> tuple[float, float, float] | None:
    """(mean, lower, upper) of a calculation period, or None with fewer than two points.

    With ``screen_outliers``, moving ranges of :data:`SCREEN_FACTOR` times the mean moving range
    or more are left out and the mean moving range worked out again (as the reference does).
    """
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    mrs = [r for r in moving_ranges(values) if r is not None]
    mmr = sum(mrs) / len(mrs)
    if screen_outliers:
        kept = [r for r in mrs if r < SCREEN_FACTOR * mmr]
        if kept:
            mmr = sum(kept) / len(kept)
    return mean, mean - LIMIT_FACTOR * mmr, mean + LIMIT_FACTOR * mmr


def meaning_of(side: int, direction: str | None) -> str:
    """Whether a movement to ``side`` (+1 up, -1 down) is good or bad for a measure."""
    if direction == "higher":
        return IMPROVEMENT if side > 0 else CONCERN
    if direction == "lower":
        return IMPROVEMENT if side < 0 else CONCERN
    return NEITHER


def assurance(target: float | None, lower: float | None, upper: float | None,
              direction: str | None) -> str | None:
    """Assurance that a process meets a target, from where the target sits against the limits."""
    if target is None or lower is None or upper is None or direction not in ("higher", "lower"):
        return None
    if direction == "higher":
        if target < lower:
            return "pass"
        if target > upper:
            return "fail"
    else:
        if target > upper:
            return "pass"
        if target < lower:
            return "fail"
    return "hit and miss"


def _sign(x: float) -> int:
    return (x > 0) - (x < 0)


def outside_limits(values: Sequence[float], lower: Sequence[float], upper: Sequence[float]) -> list[int]:
    """+1 above the upper limit, -1 below the lower, 0 otherwise, for every point."""
    return [1 if v > u else -1 if v < lo else 0 for v, lo, u in zip(values, lower, upper)]


def runs_flag(signs: Sequence[int], length: int) -> list[int]:
    """For each position, the sign of the run of equal non-zero signs of ``length`` or more it is in."""
    out = [0] * len(signs)
    start = 0
    for i in range(1, len(signs) + 1):
        if i == len(signs) or signs[i] != signs[start]:
            if signs[start] != 0 and i - start >= length:
                for j in range(start, i):
                    out[j] = signs[start]
            start = i
    return out


def shift(values: Sequence[float], mean: Sequence[float], length: int = RUN_LENGTH) -> list[int]:
    """+1/-1 for points in a run of ``length`` or more on one side of the mean."""
    return runs_flag([_sign(v - m) for v, m in zip(values, mean)], length)


def trend(values: Sequence[float], length: int = RUN_LENGTH) -> list[int]:
    """+1/-1 for points in a run of ``length`` or more consecutive rising/falling points."""
    out = [0] * len(values)
    if len(values) < 2:
        return out
    steps = [_sign(values[i] - values[i - 1]) for i in range(1, len(values))]
    # A run of length-1 equal steps covers `length` points: the step's two ends.
    step_flags = runs_flag(steps, length - 1)
    for i, s in enumerate(step_flags):
        if s:
            out[i] = s
            out[i + 1] = s
    return out


def close_to_limits(values: Sequence[float], mean: Sequence[float], lower: Sequence[float],
                    upper: Sequence[float]) -> list[int]:
    """+1/-1 for points beyond two-thirds of the way from the mean to a limit but not beyond
    the limit itself, 0 otherwise (the reference's "close to limits")."""
    out = []
    for v, m, lo, u in zip(values, mean, lower, upper):
        if v > u or v < lo:
            out.append(0)
        elif v > m + (u - m) * 2 / 3:
            out.append(1)
        elif v < m - (m - lo) * 2 / 3:
            out.append(-1)
        else:
            out.append(0)
    return out


def two_in_three_flags(close: Sequence[int], side: Sequence[int]) -> list[int]:
    """The reference's two-in-three rule on precomputed flags.

    ``close`` marks points close to a limit (1/-1 or 0; a point beyond a limit is 0), ``side``
    is each point's side of the mean (+1, -1, 0). A window of three consecutive points qualifies
    when at least two of them are close and all three sit on the same side of the mean; the
    close points of a qualifying window are flagged with that side.
    """
    out = [0] * len(close)
    for start in range(0, max(0, len(close) - 2)):
        window = range(start, start + 3)
        s = side[start]
        if s == 0 or any(side[j] != s for j in window):
            continue
        if sum(1 for j in window if close[j]) >= 2:
            for j in window:
                if close[j]:
                    out[j] = s
    return out


def two_of_three(values: Sequence[float], mean: Sequence[float], lower: Sequence[float],
                 upper: Sequence[float]) -> list[int]:
    """+1/-1 for points close to a limit when 2 of 3 in a row are (see :func:`two_in_three_flags`).

    As in NHSRplotthedots, all three points of the window must sit on the same side of the mean
    (a point exactly on the mean spoils it), a point beyond the limit does not count as close,
    and only the close points are flagged.
    """
    close = close_to_limits(values, mean, lower, upper)
    return two_in_three_flags(close, [_sign(v - m) for v, m in zip(values, mean)])


def _period_starts(labels: Sequence[object], rebase: Sequence[object]) -> list[int]:
    """Indexes at which a new calculation period starts (always including 0)."""
    starts = {0}
    for r in rebase:
        if isinstance(r, int) and not isinstance(r, bool):
            if 0 < r < len(labels):
                starts.add(r)
            continue
        # A date (or other comparable label): the period starts at the first point on or after it.
        for i, lab in enumerate(labels):
            try:
                if lab is not None and lab >= r:
                    if i > 0:
                        starts.add(i)
                    break
            except TypeError:
                break
    return sorted(starts)


def xmr(values: Sequence[float], labels: Sequence[object] | None = None, *,
        direction: str | None = None, target: float | None = None,
        fix_after: int | None = None, rebase: Sequence[object] = (),
        screen_outliers: bool = False) -> SpcResult:
    """Work out an XmR chart.

    ``labels`` are carried onto the points (usually dates, in order). ``direction`` is
    ``"higher"`` or ``"lower"`` (which way is better), or None. ``fix_after`` fixes each period's
    mean and limits on its first N points (N at least :data:`MIN_FIX_POINTS`). ``rebase``
    lists change points (point indexes or dates, matched against ``labels``) where a new period
    starts. ``screen_outliers`` leaves very large moving ranges out of the limits.
    """
    values = [float(v) for v in values]
    labels = list(labels) if labels is not None else [None] * len(values)
    if len(labels) != len(values):
        raise ValueError("labels and values differ in length")
    if fix_after is not None and fix_after < MIN_FIX_POINTS:
        raise ValueError(f"limits need at least {MIN_FIX_POINTS} points to be fixed on")
    points = [SpcPoint(i, v, labels[i]) for i, v in enumerate(values)]
    starts = _period_starts(labels, rebase) if values else []
    bounds = list(zip(starts, starts[1:] + [len(values)]))
    for period, (a, b) in enumerate(bounds):
        seg = values[a:b]
        calc = seg[:fix_after] if fix_after else seg
        lim = limits(calc, screen_outliers=screen_outliers)
        for i, mr in zip(range(a, b), moving_ranges(seg)):
            p = points[i]
            p.period = period
            p.moving_range = mr
            if lim:
                p.mean, p.lower, p.upper = lim
        if not lim:
            continue
        mean = [lim[0]] * len(seg)
        low = [lim[1]] * len(seg)
        up = [lim[2]] * len(seg)
        flags = {
            "outside": outside_limits(seg, low, up),
            "two_of_three": two_of_three(seg, mean, low, up),
            "shift": shift(seg, mean),
            "trend": trend(seg),
        }
        for rule in RULES:
            for k, side in enumerate(flags[rule]):
                if side:
                    points[a + k].signals.append(Signal(rule, side, meaning_of(side, direction)))
    return SpcResult(points, direction, target)


def run_chart(values: Sequence[float], labels: Sequence[object] | None = None, *,
              direction: str | None = None, target: float | None = None) -> SpcResult:
    """A run chart: the points and their median as the centre line, no limits and no signals.

    Used for cumulative measures, which rise by construction: an XmR chart of them would show
    "special cause" every time and tell a board nothing.
    """
    values = [float(v) for v in values]
    labels = list(labels) if labels is not None else [None] * len(values)
    points = [SpcPoint(i, v, labels[i]) for i, v in enumerate(values)]
    if values:
        ordered = sorted(values)
        n = len(ordered)
        median = ordered[n // 2] if n % 2 else (ordered[n // 2 - 1] + ordered[n // 2]) / 2
        for p in points:
            p.mean = median
    return SpcResult(points, direction, target, kind="run")


def wants_run_chart(measure: "Measure") -> bool:
    """True when a measure is cumulative, so it is shown on a run chart, not an XmR chart."""
    return getattr(measure, "measure_type", "") == "cumulative"


def trajectory(measure: "Measure", on: object) -> float | None:
    """Where a measure is meant to be on date ``on``: a straight line from its baseline (on the
    baseline date) to its target (on the target date); the target itself without those dates
    or once the target date has passed; None without a target.

    Assurance is judged against this, so a measure 18 months from a 2027 target is not said to
    "consistently miss" a figure it was never meant to reach yet.
    """
    target = measure.target
    if target is None:
        return None
    start, end, base = measure.baseline_date, measure.target_date, measure.baseline
    if on is None or start is None or end is None or base is None or end <= start:
        return target
    if on <= start:
        return base
    if on >= end:
        return target
    share = (on - start).days / (end - start).days
    return base + (target - base) * share


def measure_xmr(plan: "Plan", measure: "Measure", *, fix_after: int | None = None,
                rebase: Sequence[object] | None = None) -> SpcResult:
    """The chart of an outcome measure's readings, in date order.

    An XmR chart using the measure's own settings (limits fixed after N readings, rebase dates
    at known changes) unless ``fix_after`` or ``rebase`` are given; limits are not fixed while
    there are fewer readings than that, nor on fewer than :data:`MIN_FIX_POINTS` readings (an
    older file may hold a smaller number). A cumulative measure gets a run chart instead
    (:func:`run_chart`): its result has ``kind == "run"``.
    """
    readings = plan.readings_of(measure.id)
    direction = measure.direction if measure.direction in ("higher", "lower") else None
    # assurance is judged against where the measure should be by its latest reading
    target = trajectory(measure, readings[-1].date if readings else None)
    if wants_run_chart(measure):
        return run_chart([r.value for r in readings], [r.date for r in readings],
                         direction=direction, target=target)
    if fix_after is None:
        fix_after = measure.spc_fix_after
    if rebase is None:
        rebase = measure.spc_rebase
    if fix_after is not None and (len(readings) < fix_after or fix_after < MIN_FIX_POINTS):
        fix_after = None
    return xmr([r.value for r in readings], [r.date for r in readings], direction=direction,
               target=target, fix_after=fix_after, rebase=list(rebase))


# ----- Making Data Count icons, described once (the deck draws them as shapes, the window paints them)

ICON_COLOURS = {"improvement": "289DE0", "concern": "E46C0A", "common": "7F7F7F",
                "neither": "7B5EA7", "run": "AEB7BD", "pass": "289DE0", "fail": "E46C0A",
                "hit and miss": "7F7F7F", None: "D9DDE0"}
"""Fill colour of each icon (blue good, orange bad, grey neither; purple: no direction set)."""


@dataclass(frozen=True)
class Icon:
    """One Making Data Count style icon as the product draws it: a filled circle, a short mark
    in it, and the words it stands for (for alt text, tooltips and screen readers)."""

    colour: str
    mark: str
    words: str


def variation_icon(result: SpcResult) -> Icon:
    """The variation icon for a chart's latest point: grey for common cause; blue or orange with
    H or L for special cause high or low; purple when the measure has no direction; a plain
    "R" for a run chart."""
    v = result.variation
    if v == "run":
        return Icon(ICON_COLOURS["run"], "R", "run chart: no limits, no variation signal")
    if not result.points or result.mean is None:
        return Icon(ICON_COLOURS[None], "–", "too few readings for limits")
    if v == "common":
        return Icon(ICON_COLOURS["common"], "~", "common cause variation")
    high = result.variation_side > 0
    mark = "H" if high else "L"
    word = "high" if high else "low"
    if v == "neither":
        return Icon(ICON_COLOURS["neither"], mark, f"special cause, {word} (no direction set)")
    return Icon(ICON_COLOURS[v], mark, f"special cause {v}, {word}")


def assurance_icon(result: SpcResult) -> Icon:
    """The assurance icon: P (consistently passes), F (consistently fails), ? (hit and miss),
    blank grey with no target."""
    a = result.assurance
    mark = {"pass": "P", "fail": "F", "hit and miss": "?"}.get(a, "")
    return Icon(ICON_COLOURS[a], mark, ASSURANCE_TEXT.get(a, "No target set").lower()
                if a else ("no target set" if result.kind != "run" else "run chart: no assurance"))

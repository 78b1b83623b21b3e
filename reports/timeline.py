"""The timeline slide: one swimlane per challenge drawn with native, editable shapes.

Each lane holds a bar spanning the scheduled work of every action serving the challenge (the darker
part is the share of work done, laid along the part of the bar drawn, and the lane's label gives
the percentage; both from ``planner.rules.challenge_progress``, as on the window's Overview tiles),
diamonds for milestones at their forecast (achieved ones at their actual date), small
hollow triangles at baselines that differ from the forecast, and a vertical line at the status
date. Month (or quarter) gridlines run behind. Everything sits in one group named "Timeline".
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import date

from pptx.util import Emu, Inches, Pt

from planner import rules
from planner.dates import axis_date
from planner.model import MilestoneStatus, Plan
from reports.facts import Schedule, fmt_date
from reports.shape_xml import (autoshape_xml, connector_xml, flat_xml, group_xml, line_xml,
                               text_body_xml, textbox_xml)
from reports.slide_text import INK, MUTED, clip, clip_head, wrap_count
from reports.writer import DeckWriter

MAX_DIAMONDS = 10
GAP = Inches(0.03)  # clear space kept between a label and the status-date line or another label
BAR = "9FC3E6"
BAR_DONE = "005EB8"
LANE_A = "F4F6F7"
LANE_B = "FFFFFF"
GRID = "D8DDE0"
AS_OF = "D5281B"
MS_ON_TIME = "005EB8"
MS_ACHIEVED = "007F3B"
MS_AMBER = "FFB81C"
MS_RED = "D5281B"
BASELINE = "768692"


def _month_start(d: date) -> date:
    return date(d.year, d.month, 1)


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    return date(d.year + y, m + 1, 1)


def window(plan: Plan, sched: Schedule) -> tuple[date, date]:
    """The dates shown: the whole plan, from the month of its first start (or the plan's start
    date) to the month after its last finish, milestone or end date, so no bar or milestone
    runs past the edge (issue 12: the slide stopped 18 months on while the plan ran longer)."""
    as_of = sched.as_of
    starts = [s for s, _ in sched.actions.values()]
    finishes = [f for _, f in sched.actions.values()]
    ms_dates = [d for md in sched.milestones.values() for d in (md.forecast, md.baseline) if d]
    bounds = [d for d in (plan.settings.start, plan.settings.end) if d]
    first = min(starts + ms_dates + bounds + [as_of])
    last = max(finishes + ms_dates + bounds + [as_of])
    return _month_start(first), _add_months(_month_start(last), 1)


@dataclass
class LaneFacts:
    """What one swimlane shows, for the notes and the tests."""

    number: int
    title: str
    bar: tuple[date, date] | None
    done_share: float
    shown: list[str]
    hidden: int
    percent_done: int = 0  # the lane label's figure (``work_done``)


def timeline_slide(w: DeckWriter, plan: Plan, sched: Schedule, title: str = "Timeline"):
    """Add the timeline slide; returns (slide, lanes)."""
    b = w.box
    start, end = window(plan, sched)
    span = max(1, (end - start).days)
    label_w = max(Inches(1.9), int(b.width * 0.2))
    axis_h = Inches(0.32)
    x0 = b.left + label_w
    plot_w = b.width - label_w
    legend_items = [("bar", BAR, "Scheduled work of all its actions"),
                    ("bar", BAR_DONE, "Work done"),
                    ("diamond", MS_ON_TIME, "Milestone on time"), ("diamond", MS_AMBER, "Late"),
                    ("diamond", MS_RED, f"Over {rules.RED_DAYS} working days late or missed"),
                    ("diamond", MS_ACHIEVED, "Achieved"), ("triangle", BASELINE, "Baseline"),
                    ("line", AS_OF, f"Status date {fmt_date(sched.as_of)}")]
    # under the plot; where it needs more room (a 4:3 slide), from under the lanes' labels, in
    # one row if it fits there (a second row takes height from the lanes, and lanes too low have
    # no room for their milestones' ids)
    legend_words = [words for *_, words in legend_items]
    legend_x, legend_rows = x0, _legend_rows(legend_words, plot_w)
    if len(legend_rows) > 1:
        legend_x, legend_rows = b.left, _legend_rows(legend_words, b.width)
    legend_h = Inches(0.3) * len(legend_rows)
    numbers = sorted(plan.challenges) or list(range(1, 11))
    lane_h = (b.height - axis_h - legend_h) // max(1, len(numbers))
    top = b.top + axis_h

    def x(d: date) -> int:
        d = min(max(d, start), end)
        return int(x0 + (d - start).days / span * plot_w)

    lanes: list[LaneFacts] = []

    def draw(first_id: int) -> str:
        """Every shape of the timeline, with ids from ``first_id`` on, in one group: written
        as the slide is made, so that the slide and its hundreds of shapes are parsed once."""
        # Every shape is written as XML (issue 13): the same XML python-pptx's add_shape /
        # add_textbox / add_connector and property calls make, with ids from the slide's
        # counter in the same order.
        xml: list[str] = []
        boxes: list[tuple[int, int, int, int]] = []  # each shape's x, y, width, height
        ids = itertools.count(first_id)

        def nid() -> int:
            return next(ids)

        def rect(name: str, prst: str, x_: int, y_: int, cx: int, cy: int, fill: str | None,
                 line: str | None = None, width: int | None = None) -> None:
            xml.append(autoshape_xml(nid(), name, prst, x_, y_, cx, cy,
                                     flat_xml(fill, line, width)))
            boxes.append((x_, y_, cx, cy))

        def text(name: str, x_: int, y_: int, cx: int, cy: int, words: str, size: float, ink: str,
                 align: str = "left", margin: int = Inches(0.03)) -> None:
            xml.append(textbox_xml(nid(), name, x_, y_, cx, cy, text_body_xml(
                [words], size, ink, margin_x=margin, margin_y=0, align=align, anchor="middle")))
            boxes.append((x_, y_, cx, cy))

        def rule(name: str, x1: int, y1: int, x2: int, y2: int, colour: str,
                 width: int | None) -> None:
            xml.append(connector_xml(nid(), name, x1, y1, x2, y2, line_xml(colour, width)))
            boxes.append((min(x1, x2), min(y1, y2), abs(x2 - x1), abs(y2 - y1)))

        # lanes (background bands and labels)
        progress: dict[int, rules.ChallengeProgress] = {}
        for i, n in enumerate(numbers):
            y = top + i * lane_h
            rect(f"Lane C{n}", "rect", b.left, y, b.width, lane_h, LANE_A if i % 2 == 0 else LANE_B)
            progress[n] = rules.challenge_progress(plan, n)
            # its right edge clear of a diamond (or baseline) on the first day shown; a long
            # title is cut, never the share of the work done after it
            text(f"Lane label C{n}", b.left, y, label_w - Inches(0.08), lane_h,
                 clip_head(f"{n}. {rules.challenge_title(plan, n)}",
                           f" · {work_done(progress[n])}", label_w - Inches(0.15), 9,
                           max(1, int(lane_h / (9 * 1.22 * 12700)))), 9, INK)

        # gridlines and month labels
        months = (end.year - start.year) * 12 + end.month - start.month
        step = 1 if months <= 13 else 3 if months <= 36 else 6
        while step * plot_w // max(1, months) < Inches(0.4):  # a long plan: labels never overlap
            step *= 2
        d = start
        while d <= end:
            xx = x(d)
            rule(f"Gridline {d.isoformat()}", xx, b.top + Inches(0.22), xx,
                 top + lane_h * len(numbers), GRID, Pt(0.5))
            nxt = _add_months(d, step)
            if nxt <= end:
                text(f"Axis label {d.isoformat()}", xx, b.top, max(Inches(0.4), x(nxt) - xx),
                     Inches(0.22), axis_date(d), 8, MUTED)
            d = nxt

        diamond = Inches(0.16)
        bar_h = max(Inches(0.08), int(lane_h * 0.28))
        label_h = Inches(0.14)
        ax = x(sched.as_of)  # the status-date line, which no label may cross
        # each milestone's challenges asked once, not once per lane
        serves = [(m, rules.milestone_challenges(plan, m)) for m in plan.milestones.values()
                  if m.status != MilestoneStatus.CANCELLED]
        for i, n in enumerate(numbers):
            y = top + i * lane_h
            mid = y + lane_h // 2
            acts = [a for a in rules.challenge_actions(plan, n) if a.id in sched.actions]
            bar = None
            done_share = progress[n].share_done
            if acts:
                bs = min(sched.actions[a.id][0] for a in acts)
                bf = max(sched.actions[a.id][1] for a in acts)
                bar = (bs, bf)
                if bf >= start and bs <= end:
                    bx, bw = x(bs), max(Emu(Inches(0.04)), x(bf) - x(bs))
                    rect(f"C{n} work bar", "rect", bx, mid - bar_h // 2, bw, bar_h, BAR)
                    # The share done along the bar as drawn: laid along the whole span it vanished
                    # when the work began before the window (issue 8: 0% drawn where 45% was done).
                    if done_share > 0:
                        dw = max(Emu(Inches(0.03)), int(bw * done_share))
                        rect(f"C{n} work done", "rect", bx, mid - bar_h // 2, dw, bar_h, BAR_DONE)
            ms = []
            for m, challenges in serves:
                if n not in challenges:
                    continue
                md = sched.milestones.get(m.id)
                when = m.actual if rules.is_achieved(m) and m.actual else (md.forecast if md else m.forecast)
                if when is None or not (start <= when <= end):
                    continue
                slip = md.slip_days if md else 0
                ms.append((m, when, md.baseline if md else m.baseline, slip))
            # keep the ones a board cares about: governance, slipping, closest to the status date
            ms.sort(key=lambda t: (not t[0].governance,
                                   -(t[3] > rules.AMBER_DAYS and not rules.is_achieved(t[0])),
                                   abs((t[1] - sched.as_of).days)))
            shown = ms[:MAX_DIAMONDS]
            # milestone ids in a row above the diamonds and the bar, none on another or on the
            # status-date line; the count of milestones not drawn at the row's right end. A
            # diamond whose id finds no place in the row is not drawn either, and is counted
            # in that "+N more" (it was drawn unnamed and not counted: on a 4:3 slide a cluster
            # at the status date left ten diamonds unnamed beside "+7 more")
            label_y = mid - max(diamond, bar_h) // 2 - label_h
            labels: list[tuple[list[str], int, int]] = []
            more_words = ""
            while label_y >= y:
                hidden = len(ms) - len(shown)
                right_limit = b.right
                more_words = f"+{hidden} more" if hidden else ""
                if hidden:
                    right_limit = b.right - _label_width(more_words) - GAP
                marks = [(m.id, x(when)) for m, when, *_ in sorted(shown, key=lambda t: (t[1], t[0].id))]
                labels = place_labels(marks, ax, x0 - diamond // 2, right_limit, diamond // 2)
                named = {i for ids, *_ in labels for i in ids}
                if len(named) == len(shown):
                    break
                shown = [t for t in shown if t[0].id in named]
            hidden = len(ms) - len(shown)
            for m, when, base, slip in shown:
                state = rules.milestone_state(m, slip)
                band = rules.slip_band(slip)
                if state == rules.MilestoneState.ACHIEVED:
                    colour = MS_ACHIEVED
                elif state == rules.MilestoneState.MISSED or band == rules.Rag.RED:
                    colour = MS_RED
                elif band == rules.Rag.AMBER:
                    colour = MS_AMBER
                else:
                    colour = MS_ON_TIME
                if base and base != when and start <= base <= end and state != rules.MilestoneState.ACHIEVED:
                    bx = x(base)
                    rule(f"{m.id} slip", bx, mid + diamond // 2, x(when), mid + diamond // 2,
                         BASELINE, Pt(0.75))
                    rect(f"{m.id} baseline", "triangle", bx - Inches(0.05),
                         mid + diamond // 2 - Inches(0.02), Inches(0.1), Inches(0.09), None,
                         BASELINE, Pt(1))
                rect(f"{m.id} milestone", "diamond", x(when) - diamond // 2, mid - diamond // 2,
                     diamond, diamond, colour, "FFFFFF", Pt(0.75))
            if label_y >= y:
                if more_words:
                    mw = _label_width(more_words)
                    text(f"C{n} more milestones", b.right - mw, label_y, mw, label_h, more_words,
                         7, MUTED, align="right", margin=0)
                for named_ids, lx, lw in labels:
                    words = ", ".join(named_ids)
                    text(f"{words} label", lx, label_y, lw, label_h, words, 7, INK,
                         align="center", margin=0)
            lanes.append(LaneFacts(n, rules.challenge_title(plan, n), bar, done_share,
                                   [m.id for m, *_ in shown], hidden,
                                   progress[n].percent_done))

        # the status date
        rule("As-of line", ax, b.top + Inches(0.22), ax, top + lane_h * len(numbers), AS_OF, Pt(2))

        # legend
        for r, row in enumerate(legend_rows):
            ly = top + lane_h * len(numbers) + Inches(0.06) + Inches(0.3) * r
            lx = legend_x
            for k, slot in row:
                kind, colour, words = legend_items[k]
                key = f"Legend key: {words}"
                if kind == "bar":
                    rect(key, "rect", lx, ly + Inches(0.05), Inches(0.22), Inches(0.1), colour)
                elif kind == "diamond":
                    rect(key, "diamond", lx + Inches(0.03), ly + Inches(0.02), Inches(0.15),
                         Inches(0.15), colour)
                elif kind == "triangle":
                    rect(key, "triangle", lx + Inches(0.05), ly + Inches(0.04), Inches(0.1),
                         Inches(0.09), None, colour)
                else:
                    rule(key, lx + Inches(0.1), ly, lx + Inches(0.1), ly + Inches(0.2), colour,
                         Pt(2))
                text(f"Legend: {words}", lx + Inches(0.25), ly, slot - Inches(0.27), Inches(0.22),
                     clip(words, slot - Inches(0.3), 7, 2), 7, MUTED)
                lx += slot

        alt = (f"Timeline from {fmt_date(start)} to {fmt_date(end)} with one lane per challenge; "
               f"the status date {fmt_date(sched.as_of)} is marked. "
               + " ".join(_lane_sentence(l) for l in lanes))
        # one group named "Timeline" holding every shape, sized to them, numbered after them
        # (as python-pptx's add_group_shape and ShapeBatch.group make it)
        return group_xml(nid(), "Timeline", alt[:1500], xml, boxes)

    s = w.slide(title, "timeline", content=[draw])
    w.notes(s, (
        "The timeline shows the scheduled work of every action serving each challenge as a bar "
        "(darker: the share of the work done, each action weighed by its duration, also given "
        "after the lane's title; the challenges slide counts actions done instead), "
        "milestones as diamonds at their forecast dates, and baselines as hollow triangles where "
        "the forecast has moved. The red line is the status date.\n\n"
        + "\n".join(_lane_sentence(l) for l in lanes)))
    return s, lanes


def work_done(progress: rules.ChallengeProgress) -> str:
    """A challenge's share of the work done (``planner.rules.work_done_text``)."""
    return rules.work_done_text(progress.percent_done)


def _legend_rows(words: list[str], width: int) -> list[list[tuple[int, int]]]:
    """The legend's rows, each a list of (entry index, width): every entry as wide as its key and
    its words in at most two 7 pt lines need, the room left in a row shared out evenly. One row
    when the entries fit ``width`` together, else as few rows as they fit in, the entries in
    order and shared evenly between the rows (on a 4:3 slide eight entries in one row had
    "Scheduled work of al…" and "Over 20 working da…" cut and the status date run to three
    lines)."""
    # the key and the words' box's margins: the words have the slot less 0.33 in (the box
    # starts 0.25 in along, ends 0.02 in short and keeps 0.03 in each side)
    key, step = Inches(0.33), Inches(0.05)
    needs = []
    for w in words:
        # the longest word on one line (``wrap_count`` never breaks a word, so it cannot tell),
        # and two lines at most
        need = _label_width(max(w.split(), key=len))
        while wrap_count(w, need, 7) > 2 and need < width:
            need += step
        needs.append(min(width, key + need * 5 // 4))  # a quarter to spare: the template's font
    for count in range(1, len(words) + 1):  # may be wider
        per = -(-len(words) // count)
        rows = [list(range(i, min(i + per, len(words)))) for i in range(0, len(words), per)]
        if all(sum(needs[k] for k in row) <= width for row in rows):
            break
    return [[(k, needs[k] + (width - sum(needs[j] for j in row)) // len(row)) for k in row]
            for row in rows]


def _label_width(words: str) -> int:
    """The width of a 7 pt label of ``words`` (an estimate a little wider than the text)."""
    return int(len(words) * 7 * 0.62 * 12700 + Inches(0.04))


def place_labels(marks: list[tuple[str, int]], line: int, free_from: int, free_to: int,
                 reach: int) -> list[tuple[list[str], int, int]]:
    """Labels for milestone diamonds (id, centre) in date order, in one row: each label is
    ``(ids, left, width)``. A label sits over its diamond (``_label_left``), else moved along
    the row by up to ``reach`` beyond the diamond's centre to clear the label before it; where
    diamonds are too close for a label each, their ids share one label over them ("M20, M9"),
    so that no label touches another or the status line. A diamond that fits in no label (a
    cluster too wide to share one beside the status line) is left out, and the labels placed
    before it are kept: the caller does not draw it."""
    placed: list[tuple[list[str], list[int], int, int]] = []
    for mid, centre in marks:
        ids, centres = [mid], [centre]
        kept = list(placed)
        while True:
            start = placed[-1][2] + placed[-1][3] + GAP if placed else free_from
            words = ", ".join(ids)
            width = _label_width(words)
            left = _label_left((min(centres) + max(centres)) // 2, width, line, start, free_to,
                               reach + (max(centres) - min(centres)) // 2)
            if left is not None:
                placed.append((ids, centres, left, width))
                break
            if not placed:
                placed = kept  # no room for it at all: this diamond is left out
                break
            before = placed.pop()
            ids, centres = before[0] + ids, before[1] + centres
    return [(ids, left, width) for ids, _, left, width in placed]


def _label_left(centre: int, width: int, line: int, free_from: int, free_to: int,
                reach: int = 0) -> int | None:
    """Where a label of ``width`` for the diamond at ``centre`` starts: centred on it, else,
    where that would cross the status-date line at ``line``, just beside the line on the
    diamond's side, else on the other side; None if it fits nowhere between ``free_from`` and
    ``free_to`` (the previous label's end and the row's)."""
    left = centre - width // 2
    if left < line + GAP and left + width > line - GAP:
        beside = [line - GAP - width, line + GAP]
        places = beside if centre <= line else beside[::-1]
    else:
        places = [left]
    for left in places:
        if left >= free_from and left + width <= free_to:
            return left
    # moved right of the label before it, or left of the row's end, still reaching its diamond
    # and clear of the status-date line
    for left in (free_from, free_to - width):
        if (left >= free_from and left + width <= free_to and left <= centre + reach
                and left + width >= centre - reach
                and not (left < line + GAP and left + width > line - GAP)):
            return left
    return None


def _lane_sentence(l: LaneFacts) -> str:
    if l.bar is None:
        return f"Challenge {l.number} ({l.title}): no scheduled work."
    text = (f"Challenge {l.number} ({l.title}): work from {fmt_date(l.bar[0])} to "
            f"{fmt_date(l.bar[1])}, {rules.work_done_text(l.percent_done)}")
    if l.shown:
        text += f"; milestones shown {', '.join(l.shown)}"
    if l.hidden:
        text += f" (+{l.hidden} more not drawn)"
    return text + "."

"""The Overview: the ten challenges as tiles (stage now and aimed for, change since the last
assessment, RAG, actions and the share of the work done), the plan finish against its dates, the
next milestones and the engine's warnings.

The words are the board deck's for the same facts: "83% of the work done" (the deck's timeline
lanes, ``planner.rules.work_done_text``), a slip in working days (``planner.rules.slip_text``), the
plan's finish in days after its end date (the deck's executive summary). ``reports`` is not
imported here: it brings python-pptx into every start of the window."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date
from itertools import compress
from operator import attrgetter

from PySide6.QtCore import QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QPen
from PySide6.QtWidgets import (QGridLayout, QGroupBox, QHBoxLayout, QLabel, QListWidget,
                               QListWidgetItem, QSizePolicy, QVBoxLayout, QWidget)

from graph import Analysis
from planner import rules
from planner.model import ActionStatus, Plan
from planner.dates import short_date
from ui import style
from ui.context import AppContext
from ui.view_common import PlanView

_STATUS = attrgetter("status")
_DEADLINE = attrgetter("deadline")


@dataclass
class ChallengeSummary:
    """What one tile shows (every figure from ``planner.rules``, as the deck and CLI show it)."""

    number: int
    title: str
    current: str | None
    target: str
    previous: str | None
    last_date: date | None
    rag: str            # 'red', 'amber', 'green', 'grey'
    rag_reason: str
    actions: int        # live actions serving the challenge
    percent_done: int
    filed: int = 0      # of those, the ones filed under it (the Timeline lane's actions)

    @property
    def work_done(self) -> str:
        """The share done in the deck's words: "83% of the work done" (weighted by duration;
        the RAG reason's "12 of 18 actions done" is a count, a different figure)."""
        return rules.work_done_text(self.percent_done)

    @property
    def actions_text(self) -> str:
        """"18 actions": how many serve the challenge."""
        return f"{self.actions} action{'s' if self.actions != 1 else ''}"


def finish_against_end(finish: date, end: date) -> str:
    """The plan's forecast finish against its end date in the deck summary's words
    (``planner.rules.finish_against_end``): "70 days after the planned end (29 Sep 2028)"."""
    return f"{rules.finish_against_end(finish, end)} ({short_date(end)})"


def challenge_summaries(plan: Plan, analysis: Analysis | None) -> list[ChallengeSummary]:
    """One summary per challenge, worked out from the plan and its analysis."""
    out = []
    # the analysis keeps them between edits: only the challenges an edit can change are
    # worked out again (graph.overview_memo)
    statuses = analysis.challenges if analysis is not None else {}
    for n, ch in sorted(plan.challenges.items()):
        history = plan.assessments_of(n)
        status = statuses.get(n)
        if status is not None:
            progress, rag = status.progress, status.rag
        else:
            progress = rules.challenge_progress(plan, n)
            rag = rules.challenge_rag(plan, n, {}, {})
        out.append(ChallengeSummary(n, ch.title, history[-1].stage if history else None,
                                    ch.target_stage, history[-2].stage if len(history) > 1 else None,
                                    history[-1].date if history else None,
                                    str(rag.colour).lower(), rag.reason + ".", progress.actions,
                                    progress.percent_done, progress.filed))
    return out


class ChallengeTile(QWidget):
    """One challenge, painted: colour, title, stage steps, change since last time, RAG, progress."""

    activated = Signal(int)

    def __init__(self, number: int, parent=None):
        super().__init__(parent)
        self.number = number
        self.summary: ChallengeSummary | None = None
        self.stages: list[str] = []
        self.painted: dict[str, str] = {}  # the texts as last painted (cut to fit), by part
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setMinimumSize(QSize(190, 168))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setObjectName(f"challengeTile{number}")

    def set_summary(self, summary: ChallengeSummary, stages: list[str]) -> None:
        """Show a summary."""
        self.summary, self.stages = summary, stages
        s = summary
        self.setAccessibleName(f"Challenge {s.number}: {s.title}")
        self.setAccessibleDescription(self.describe())
        self.setToolTip(self.describe() + "\nPress Enter or double-click to see its actions.")
        self.update()

    def describe(self) -> str:
        """The tile in words (tooltip and screen readers)."""
        s = self.summary
        if s is None:
            return ""
        return (f"Stage now: {s.current or 'not assessed'}; aiming for {s.target}. "
                f"{self.change_text()}. RAG {style.RAG_LABELS[s.rag]}: {s.rag_reason} "
                f"{s.actions_text} serve{'s' if s.actions == 1 else ''} this challenge "
                f"({s.filed} filed under it, as its Timeline lane shows), {s.work_done}.")

    def change_text(self) -> str:
        """Change since the last assessment, in words."""
        s = self.summary
        if s.current is None:
            return "Not assessed yet"
        if s.previous is None:
            return "First assessment"
        idx = {st: i for i, st in enumerate(self.stages)}
        a, b = idx.get(s.previous, 0), idx.get(s.current, 0)
        if b > a:
            return f"▲ up from {s.previous}"
        if b < a:
            return f"▼ down from {s.previous}"
        return "No change since last time"

    def mouseDoubleClickEvent(self, event):  # noqa: N802
        self.activated.emit(self.number)

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space):
            self.activated.emit(self.number)
            return
        super().keyPressEvent(event)

    def paintEvent(self, _event):  # noqa: N802
        s = self.summary
        if s is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        pal = self.palette()
        r = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
        colour = style.challenge_colour(s.number)
        p.setPen(QPen(pal.color(QPalette.ColorRole.Highlight), 2.5) if self.hasFocus()
                 else QPen(pal.color(QPalette.ColorRole.Mid), 1))
        p.setBrush(pal.color(QPalette.ColorRole.Base))
        p.drawRoundedRect(r, 6, 6)
        # colour band with the number
        band = QRectF(r.left(), r.top(), r.width(), 6)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(colour)
        p.drawRoundedRect(band.adjusted(0, 0, 0, 4), 6, 6)
        # the band's rounded lower corners covered (drawRect, not fillRect: resolving fillRect's
        # overloads makes PySide build QGradient's Python types, 2 ms of the first paint)
        p.setBrush(pal.color(QPalette.ColorRole.Base))
        p.drawRect(QRectF(r.left(), r.top() + 6, r.width(), 4))
        text = pal.color(QPalette.ColorRole.Text)
        muted = style.muted_text(pal)
        base_font = QFont(self.font())
        pad = 10
        x, y, w = int(r.left() + pad), int(r.top() + 12), int(r.width() - 2 * pad)
        # number badge + title (two lines at most)
        bold = QFont(base_font)
        bold.setBold(True)
        p.setFont(bold)
        fm = QFontMetrics(bold)
        badge = QRect(x, y, fm.height() + 6, fm.height() + 2)
        p.setBrush(colour)
        p.drawRoundedRect(badge, 3, 3)
        p.setPen(style.text_colour_on(colour))
        p.drawText(badge, Qt.AlignmentFlag.AlignCenter, str(s.number))
        p.setPen(text)
        title_rect = QRect(badge.right() + 6, y, w - badge.width() - 6, fm.height() * 2 + 2)
        title = self._two_lines(fm, s.title, title_rect.width())
        p.drawText(title_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, title)
        y = title_rect.bottom() + 6
        # stage steps
        small = QFont(base_font)
        small.setPointSizeF(base_font.pointSizeF() * 0.92)
        p.setFont(small)
        sfm = QFontMetrics(small)
        n = max(1, len(self.stages))
        cur = self.stages.index(s.current) if s.current in self.stages else -1
        tgt = self.stages.index(s.target) if s.target in self.stages else n - 1
        gap = 3
        seg_w = (w - gap * (n - 1)) / n
        for i in range(n):
            seg = QRectF(x + i * (seg_w + gap), y, seg_w, 8)
            if i <= cur:
                p.setPen(Qt.PenStyle.NoPen)
                p.setBrush(colour)
            else:
                p.setPen(QPen(muted, 1))
                p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(seg, 2, 2)
            if i == tgt:
                p.setPen(QPen(text, 1.5))
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.drawRoundedRect(seg.adjusted(-1.5, -1.5, 1.5, 1.5), 3, 3)
        y += 12
        p.setPen(text)
        now_text = sfm.elidedText(f"Now: {s.current or 'not assessed'}", Qt.TextElideMode.ElideRight, w)
        p.drawText(QRect(x, y, w, sfm.height()), Qt.AlignmentFlag.AlignLeft, now_text)
        y += sfm.height()
        p.setPen(muted)
        # the number of actions on the aim's line, on the right: the bottom row has no room for
        # it beside the RAG and "83% of the work done"
        count = s.actions_text
        count_w = sfm.horizontalAdvance(count)
        aim = sfm.elidedText(f"Aim: {s.target}", Qt.TextElideMode.ElideRight, w - count_w - 8)
        line = QRect(x, y, w, sfm.height())
        p.drawText(line, Qt.AlignmentFlag.AlignLeft, aim)
        p.drawText(line, Qt.AlignmentFlag.AlignRight, count)
        painted = {"now": now_text, "aim": aim, "actions": count}
        y += sfm.height() + 2
        change = self.change_text()
        if change.startswith("▲"):
            p.setPen(style.good_colour(pal))
        elif change.startswith("▼"):
            p.setPen(style.alert_colour(pal))
        else:
            p.setPen(muted)
        p.drawText(QRect(x, y, w, sfm.height()), Qt.AlignmentFlag.AlignLeft,
                   sfm.elidedText(change, Qt.TextElideMode.ElideRight, w))
        y += sfm.height() + 4
        # bottom row: RAG pill, actions and percent
        bottom = int(r.bottom() - pad - sfm.height() - 4)
        # the RAG's reason (and when it was last assessed) in the space left
        room = bottom - 12 - y
        if room >= sfm.height():
            when = f"Assessed {short_date(s.last_date)}. " if s.last_date else ""
            lines = max(1, room // sfm.height())
            p.setPen(muted)
            reason = self._wrap(sfm, when + s.rag_reason, w, lines)
            painted["reason"] = reason
            p.drawText(QRect(x, y, w, lines * sfm.height()),
                       Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, reason)
        rag_col = style.rag_colour(s.rag)
        label = style.RAG_LABELS[s.rag]
        pill = QRect(x, bottom, sfm.horizontalAdvance(label) + 14, sfm.height() + 4)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(rag_col)
        p.drawRoundedRect(pill, pill.height() / 2, pill.height() / 2)
        p.setPen(style.text_colour_on(rag_col))
        p.setFont(QFont(small.family(), small.pointSize(), QFont.Weight.Bold))
        p.drawText(pill, Qt.AlignmentFlag.AlignCenter, label)
        p.setFont(small)
        p.setPen(text)
        stats_rect = QRect(pill.right() + 8, bottom, w - pill.width() - 8, pill.height())
        painted["work done"] = sfm.elidedText(s.work_done, Qt.TextElideMode.ElideRight,
                                              stats_rect.width())
        painted["rag"] = label
        p.drawText(stats_rect, Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignRight,
                   painted["work done"])
        self.painted = painted
        # progress bar just above
        bar = QRectF(x, bottom - 8, w, 4)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(pal.color(QPalette.ColorRole.Mid))
        p.drawRoundedRect(bar, 2, 2)
        p.setBrush(colour)
        p.drawRoundedRect(QRectF(bar.left(), bar.top(), bar.width() * s.percent_done / 100, 4), 2, 2)
        p.end()

    @staticmethod
    def _two_lines(fm: QFontMetrics, text: str, width: int) -> str:
        return ChallengeTile._wrap(fm, text, width, 2)

    @staticmethod
    def _wrap(fm: QFontMetrics, text: str, width: int, max_lines: int) -> str:
        words, lines, line = text.split(), [], ""
        for word in words:
            trial = f"{line} {word}".strip()
            if fm.horizontalAdvance(trial) <= width or not line:
                line = trial
            else:
                lines.append(line)
                line = word
        lines.append(line)
        if len(lines) > max_lines:
            keep = lines[:max_lines - 1]
            rest = " ".join(lines[max_lines - 1:])
            lines = keep + [fm.elidedText(rest, Qt.TextElideMode.ElideRight, width)]
        return "\n".join(lines)


class OverviewView(PlanView):
    """The plan at a glance."""

    challenge_activated = Signal(int)  # a tile was opened: show that challenge's actions
    record_activated = Signal(str)     # an action ("A12") or milestone ("M3") id was opened

    def __init__(self, context: AppContext, parent=None):
        super().__init__(context, "overviewView", "Overview", parent)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(10, 8, 10, 8)
        outer.setSpacing(8)

        self.finish_label = QLabel("")
        self.finish_label.setObjectName("overviewFinish")
        self.finish_label.setWordWrap(True)
        self.finish_label.setTextFormat(Qt.TextFormat.RichText)
        self.finish_label.setAccessibleName("Plan finish against its dates")
        outer.addWidget(self.finish_label)
        outer.addWidget(self.banner)

        grid = QGridLayout()
        grid.setSpacing(8)
        self.tiles: dict[int, ChallengeTile] = {}
        for i in range(10):
            tile = ChallengeTile(i + 1)
            tile.activated.connect(self.challenge_activated)
            grid.addWidget(tile, i // 5, i % 5)
            self.tiles[i + 1] = tile
        outer.addLayout(grid, 3)

        lower = QHBoxLayout()
        lower.setSpacing(8)
        box = QGroupBox("Next milestones")
        bl = QVBoxLayout(box)
        bl.setContentsMargins(6, 4, 6, 6)
        self.milestones = QListWidget()
        self.milestones.setObjectName("overviewMilestones")
        self.milestones.setAccessibleName("Next milestones")
        self.milestones.setWordWrap(True)
        self.milestones.itemActivated.connect(self._activate)
        bl.addWidget(self.milestones)
        lower.addWidget(box, 1)
        box = QGroupBox("Warnings from the schedule")
        bl = QVBoxLayout(box)
        bl.setContentsMargins(6, 4, 6, 6)
        self.warnings = QListWidget()
        self.warnings.setObjectName("overviewWarnings")
        self.warnings.setAccessibleName("Warnings")
        self.warnings.setWordWrap(True)
        self.warnings.itemActivated.connect(self._activate)
        bl.addWidget(self.warnings)
        lower.addWidget(box, 1)
        outer.addLayout(lower, 2)

        context.document_replaced.connect(self.refresh_when_shown)
        context.analysis_changed.connect(self.refresh_when_shown)
        self.refresh()

    def _activate(self, item: QListWidgetItem) -> None:
        ident = item.data(Qt.ItemDataRole.UserRole)
        if ident:
            self.record_activated.emit(str(ident))

    def refresh(self) -> None:
        """Redraw everything from the plan and its analysis."""
        plan, analysis = self.context.plan, self.context.analysis
        self._stale = False
        if plan is None:
            return
        for s in challenge_summaries(plan, analysis):
            tile = self.tiles.get(s.number)
            if tile is not None and (tile.summary != s or tile.stages != plan.stages):
                tile.set_summary(s, plan.stages)
        self.finish_label.setText(self._finish_text(plan, analysis))
        self._fill_milestones(plan, analysis)
        self._fill_warnings(plan, analysis)

    def _finish_text(self, plan: Plan, analysis) -> str:
        if analysis is None:
            return ("<i>Scheduling the plan…</i>" if self.context.analysis_pending
                    else f"<b>The plan cannot be scheduled:</b> {self.context.analysis_error}")
        parts = []
        actions = list(plan.actions.values())
        statuses = Counter(map(_STATUS, actions))  # one pass in C (20,000 actions)
        done = statuses[ActionStatus.DONE]
        live = len(actions) - statuses[ActionStatus.CANCELLED]
        parts.append(f"<b>{live}</b> actions, <b>{done}</b> done")
        finish = analysis.plan_finish
        if finish:
            text = f"Plan finishes <b>{short_date(finish)}</b>"
            end = plan.settings.end
            if end and finish > end:
                text += (f", <span style='color:{style.alert_colour().name()}'><b>"
                         f"{finish_against_end(finish, end)}</b></span>")
            elif end:
                text += f", {finish_against_end(finish, end)}"
            parts.append(text)
        finishes = analysis.finishes  # each read when asked: few actions have a deadline
        open_deadlines = [a for a in compress(actions, map(_DEADLINE, actions))
                          if a.status not in (ActionStatus.DONE, ActionStatus.CANCELLED)]
        late = [a for a in open_deadlines if rules.misses_deadline(a, finishes.get(a.id))]
        with_deadline = len(open_deadlines)
        if with_deadline:
            if late:
                ids = ", ".join(a.id for a in late[:4]) + ("…" if len(late) > 4 else "")
                parts.append(f"<span style='color:{style.alert_colour().name()}'><b>{len(late)} of "
                             f"{with_deadline}</b> deadlines forecast to be missed ({ids})</span>")
            else:
                parts.append(f"all {with_deadline} open deadlines met")
        crit = analysis.critical_path
        if crit:
            parts.append(f"critical path: {len(crit)} actions")
        return " &nbsp;·&nbsp; ".join(parts)

    def _fill_milestones(self, plan: Plan, analysis) -> None:
        forecasts = analysis.milestones if analysis is not None else {}
        upcoming = []
        for m in plan.milestones.values():
            if not rules.is_open(m):
                continue
            f = forecasts.get(m.id)
            when = (f.forecast if f is not None else None) or m.forecast or m.baseline
            if when:
                upcoming.append((when, m, f))
        upcoming.sort(key=lambda t: t[0])
        entries = []  # (text, id, tooltip, late)
        for when, m, f in upcoming[:8]:
            owner = plan.people.get(m.owner).name if m.owner in plan.people else "no owner"
            slip = f.slip_days if f is not None and f.slip_days else 0
            late = f"  — {rules.slip_text(slip)}" if slip > 0 else ""
            entries.append((f"{short_date(when)}   {m.id}  {m.title}  ({owner}){late}", m.id,
                            "Enter or double-click: open it in Milestones",
                            rules.slip_band(slip) != rules.Rag.GREEN))
        if not upcoming:
            entries.append(("No open milestones.", None, "", False))
        if entries == getattr(self, "_milestone_entries", None):
            return  # the list shows them already: no new items (the selection stays)
        self._milestone_entries = entries
        self.milestones.clear()
        for text, ident, tip, late in entries:
            item = QListWidgetItem(text)
            if ident is not None:
                item.setData(Qt.ItemDataRole.UserRole, ident)
                item.setToolTip(tip)
            if late:
                item.setForeground(style.alert_colour())
            self.milestones.addItem(item)

    def _fill_warnings(self, plan: Plan, analysis) -> None:
        entries = []  # (text, id to open, tooltip)
        if analysis is None:
            if self.context.analysis_error:
                entries.append((self.context.analysis_error, None, None))
        else:
            try:
                warnings = list(analysis.warnings)
            except Exception as exc:  # one broken part of the analysis must not blank the overview
                warnings = None
                entries.append((f"The warnings could not be worked out ({type(exc).__name__}: "
                                f"{exc}).", None, None))
            for w in warnings or ():
                ids = [str(i) for i in w.ids if str(i)[:1] in ("A", "M")]
                entries.append((w.message, ids[0] if ids else None, w.message))
            if warnings == []:
                entries.append(("No warnings: every action has an owner, nobody is overloaded "
                                "and the forecasts agree with the schedule.", None, None))
        if entries == getattr(self, "_warning_entries", None):
            return  # after most edits the warnings are the same: no new items
        self._warning_entries = entries
        self.warnings.clear()
        for text, ident, tip in entries:
            item = QListWidgetItem(text)
            if tip is not None:
                item.setToolTip(tip)
            if ident is not None:
                item.setData(Qt.ItemDataRole.UserRole, ident)
            self.warnings.addItem(item)

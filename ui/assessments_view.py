"""The Assessments view: rate each challenge at a review date, and see each challenge's history.

A form at the top records a rating (challenge, review date, stage on the plan's scale, evidence,
assessor) through ``context.run(operations.record_assessment, ...)``, so it is validated, undoable
and journalled; a refusal shows in the view's banner, as everywhere. Below, one small chart per challenge steps through the stages
it was given at each review, with its target stage as a dashed line.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (QComboBox, QFormLayout, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QWidget)

from planner import operations
from planner.changes import ChangeSet
from planner.dates import short_date
from ui.charts import TARGET_COLOUR, ChartData, ChartPoint, RefLine
from ui.context import AppContext
from ui.editors import DateEditor
from ui.style import challenge_colour
from ui.view_common import ChartCard, LazyPlanView, card_grid, mute, page_layout


class ChallengeHistory(ChartCard):
    """One challenge's ratings over time as a step chart on the plan's stage scale."""

    def __init__(self, number: int, parent: QWidget | None = None):
        super().__init__(parent, status_name="challengeStatus", chart_height=150, height=240,
                         margins=(8, 6), spacing=2)
        self.number = number

    def show_history(self, plan, x_range: tuple[date, date] | None) -> None:
        ch = plan.challenges[self.number]
        stages = plan.stages
        history = plan.assessments_of(self.number)
        self.title.setText(f"{self.number}. {ch.title}")
        colour = challenge_colour(self.number)
        pts = []
        for a in history:
            i = plan.stage_index(a.stage)
            if i is not None:
                tip = f"{short_date(a.date)}: {a.stage}" + (f" ({a.assessor})" if a.assessor else "")
                pts.append(ChartPoint(a.date, float(i), colour, tip))
        target = plan.stage_index(ch.target_stage)
        lines = []
        if target is not None:
            lines.append(RefLine(float(target), f"target: {ch.target_stage}", TARGET_COLOUR))
        data = ChartData(points=pts, lines=lines, colour=colour, step=True,
                         y_range=(-0.4, len(stages) - 0.6), y_ticks=list(range(len(stages))),
                         y_labels=lambda v, s=stages: s[int(round(v))] if 0 <= round(v) < len(s) else "",
                         x_range=x_range, empty_text="Not rated yet")
        self.chart.set_data(data)
        if history:
            last = history[-1]
            prev = history[-2] if len(history) > 1 else None
            move = ""
            if prev is not None:
                a, b = plan.stage_index(prev.stage), plan.stage_index(last.stage)
                if a is not None and b is not None:
                    # the stage and the date of the previous rating, as the deck's challenges
                    # table gives them (it said "up from Jul 2025")
                    how = "up from" if b > a else "down from" if b < a else "also"
                    move = f" ({how} {prev.stage} on {short_date(prev.date)})"
            text = f"Now: {last.stage} since {short_date(last.date)}{move}; target {ch.target_stage}"
        else:
            text = f"Not rated yet; target {ch.target_stage}"
        self.status.setText(text)
        mute(self.status, self.palette())
        self.chart.setAccessibleName(f"History of challenge {self.number}")
        self.chart.setAccessibleDescription(
            text + ". Ratings: " + "; ".join(f"{short_date(a.date)} {a.stage}" for a in history))

    def mousePressEvent(self, event) -> None:
        view = self.parent()
        while view is not None and not isinstance(view, AssessmentsView):
            view = view.parent()
        if view is not None:
            view.choose_challenge(self.number)
        super().mousePressEvent(event)


class AssessmentsView(LazyPlanView):
    """Rate each challenge at a review date; a history chart per challenge."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, "assessmentsView", "Assessments view", parent)
        self.histories: dict[int, ChallengeHistory] = {}

        self.challenge = QComboBox(self)
        self.challenge.setAccessibleName("Challenge to rate")
        self.challenge.currentIndexChanged.connect(self._prefill)
        self.when = DateEditor(self, plan=context.plan, optional=False)
        self.when.setAccessibleName("Review date")
        self.stage = QComboBox(self)
        self.stage.setAccessibleName("Stage reached")
        self.evidence = QLineEdit(self)
        self.evidence.setPlaceholderText("What shows this stage has been reached")
        self.evidence.setAccessibleName("Evidence")
        self.assessor = QLineEdit(self)
        self.assessor.setPlaceholderText("Who rated it (e.g. steering group)")
        self.assessor.setAccessibleName("Assessed by")
        self.record = QPushButton("&Record rating", self)
        self.record.setAccessibleName("Record the rating")
        self.record.clicked.connect(self.record_rating)
        self.evidence.returnPressed.connect(self.record_rating)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        row1 = QHBoxLayout()
        row1.addWidget(self.challenge, 3)
        lbl_date = QLabel("Review &date:", self)
        lbl_date.setBuddy(self.when)
        row1.addWidget(lbl_date)
        row1.addWidget(self.when)
        lbl_stage = QLabel("&Stage:", self)
        lbl_stage.setBuddy(self.stage)
        row1.addWidget(lbl_stage)
        row1.addWidget(self.stage, 1)
        lbl_ch = QLabel("&Challenge:", self)
        lbl_ch.setBuddy(self.challenge)
        form.addRow(lbl_ch, row1)
        row2 = QHBoxLayout()
        row2.addWidget(self.evidence, 3)
        lbl_by = QLabel("Assessed &by:", self)
        lbl_by.setBuddy(self.assessor)
        row2.addWidget(lbl_by)
        row2.addWidget(self.assessor, 1)
        row2.addWidget(self.record)
        lbl_ev = QLabel("Ev&idence:", self)
        lbl_ev.setBuddy(self.evidence)
        form.addRow(lbl_ev, row2)

        self.grid_host, self.grid, scroll = card_grid(self, 8)
        self.scroll = scroll
        self.scale_note = QLabel(self)
        self.scale_note.setWordWrap(True)

        page_layout(self, form, self.banner, self.scale_note, (scroll, 1))

        context.document_replaced.connect(self._on_document_replaced)
        if context.doc is not None:
            self._on_document_replaced()

    # data -----------------------------------------------------------------------------------
    def _on_document_replaced(self) -> None:
        plan = self.context.plan
        self.challenge.blockSignals(True)
        self.challenge.clear()
        self.stage.clear()
        if plan is not None:
            for n, ch in sorted(plan.challenges.items()):
                self.challenge.addItem(f"{n}. {ch.title}", n)
            self.stage.addItems(plan.stages)
            self.when.set_plan(plan)
            self.when.set_value(plan.settings.as_of or date.today())
        self.challenge.blockSignals(False)
        self.evidence.setText("")  # setText also forgets the old plan's typing (no Ctrl+Z into it)
        self.assessor.setText("")
        self.banner.dismiss()
        self._prefill()
        for h in self.histories.values():
            self.grid.removeWidget(h)
            h.deleteLater()
        self.histories = {}
        self._changed()

    def apply_change(self, change: ChangeSet) -> None:
        if change.touches("assessment", "challenge", "settings"):
            if "stage_scale" in change.settings:
                cur = self.stage.currentText()
                self.stage.clear()
                self.stage.addItems(self.context.plan.stages)
                self.stage.setCurrentText(cur)
            self._changed()

    def refresh(self) -> None:
        """Redraw every challenge's history from the plan."""
        self._stale = False
        plan = self.context.plan
        if plan is None:
            return
        dates = [a.date for a in plan.assessments.values()]
        x_range = None
        if dates:
            lo, hi = min(dates), max(dates + [plan.settings.as_of or max(dates)])
            pad = max(30, (hi - lo).days // 12)
            from datetime import timedelta

            x_range = (lo - timedelta(days=pad), hi + timedelta(days=pad))
        cols = 3
        for i, n in enumerate(sorted(plan.challenges)):
            h = self.histories.get(n)
            if h is None:
                h = ChallengeHistory(n, self.grid_host)
                self.histories[n] = h
                self.grid.addWidget(h, i // cols, i % cols)
            h.show_history(plan, x_range)
        rounds = sorted(set(dates))
        self.scale_note.setText(
            f"Stages: {' → '.join(plan.stages)}"
            + (" (the product's default scale)" if plan.stages == _default_stages() else "")
            + f". {len(plan.assessments)} ratings over {len(rounds)} review date"
            + ("s" if len(rounds) != 1 else "") + ". Click a chart to rate that challenge.")

    def _prefill(self) -> None:
        """Offer the challenge's current stage, so a review only changes what moved."""
        plan = self.context.plan
        n = self.challenge.currentData()
        if plan is None or n is None:
            return
        current = plan.current_stage(n)
        if current is not None:
            self.stage.setCurrentText(current)

    # commands -------------------------------------------------------------------------------
    def choose_challenge(self, number: int) -> None:
        """Put a challenge in the form and move the keyboard focus to the stage."""
        i = self.challenge.findData(number)
        if i >= 0:
            self.challenge.setCurrentIndex(i)
            self.stage.setFocus()

    def record_rating(self) -> bool:
        """Add the rating in the form through the planner; show the refusal if any."""
        n = self.challenge.currentData()
        ok, when = self.when.read(
            lambda why: self.banner.show_message(f"Not recorded: {why}", "error"))
        if not ok:
            return False
        stage = self.stage.currentText()
        if self.context.run(operations.record_assessment, n, when, stage, self.evidence.text(),
                            self.assessor.text()) is None:
            return False
        self.banner.show_message(f"Recorded: challenge {n} at '{stage}' on "
                                 f"{short_date(when)}. Undo reverses it.", "info")
        self.context.status_message.emit(f"Recorded a rating for challenge {n}.")
        self.evidence.setText("")  # forgets its typing: Ctrl+Z in it undoes the rating
        # Rating the ten in a row: move on to the next challenge, ready for its stage (issue 10:
        # it cost seven Shift+Tabs per challenge to get back to the challenge box).
        i = self.challenge.currentIndex()
        if i + 1 < self.challenge.count():
            self.challenge.setCurrentIndex(i + 1)
            self.stage.setFocus()
        return True


def _default_stages() -> list[str]:
    from planner.model import DEFAULT_STAGES

    return DEFAULT_STAGES

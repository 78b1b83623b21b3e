"""The Outcomes view: one chart per outcome measure with its readings, baseline and target.

Each chart is a Making Data Count XmR chart worked out by ``planner.spc``: the readings, their
mean (centre line) and process limits, points coloured blue for special cause improvement and
orange for concern, plus the measure's baseline and target lines. A line of text under the title
says the variation and the assurance against the target in words, for people who cannot read
colour and for screen readers.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QPushButton, QSpinBox, QWidget

from planner import catalogue, operations, spc
from planner.changes import ChangeSet
from planner.xlsx.values import parse_number
from planner.dates import month_year, short_date
from ui.charts import (COMMON_COLOUR, CONCERN_COLOUR, IMPROVEMENT_COLOUR, TARGET_COLOUR, ChartData,
                       ChartPoint, RefLine, format_number)
from ui.context import AppContext
from ui.editors import DateEditor
from ui.view_common import ChartCard, LazyPlanView, card_grid, hbox, mute, page_layout

BASELINE_COLOUR = QColor("#6B7280")


def measure_chart(plan, measure) -> tuple[ChartData, str]:
    """The chart data and the one-line reading of it (variation, assurance) for a measure."""
    readings = plan.readings_of(measure.id)
    values = [r.value for r in readings]
    data = ChartData()
    lines: list[RefLine] = []
    words = []
    if len(values) >= 2:
        res = spc.measure_xmr(plan, measure)
        for pt, r in zip(res.points, readings):
            colour = {"improvement": IMPROVEMENT_COLOUR, "concern": CONCERN_COLOUR}.get(
                pt.special or "", COMMON_COLOUR)
            tip = f"{short_date(r.date)}: {format_number(r.value)}"
            if pt.signals:
                tip += " - " + "; ".join(spc.RULE_TEXT[s.rule] for s in pt.signals)
            data.points.append(ChartPoint(r.date, r.value, colour, tip))
        periods: dict[int, list] = {}
        for pt, r in zip(res.points, readings):
            if pt.mean is not None:
                periods.setdefault(pt.period, []).append((r.date, pt))
        last = max(periods, default=None)
        for period, members in sorted(periods.items()):
            # each SPC period's own mean and limits, drawn over that period's readings only
            start, end = (members[0][0], members[-1][0]) if len(periods) > 1 else (None, None)
            first = members[0][1]
            labelled = period == last
            centre = "median" if res.kind == "run" else "mean"
            lines.append(RefLine(first.mean, f"{centre} {format_number(round(first.mean, 2))}"
                                 if labelled else "", muted_colour(), Qt.PenStyle.SolidLine, 1.2,
                                 start, end))
            lines.append(RefLine(first.upper, "process limits" if labelled else "",
                                 muted_colour(), Qt.PenStyle.DotLine, 1.2, start, end))
            lines.append(RefLine(first.lower, "", muted_colour(), Qt.PenStyle.DotLine, 1.2,
                                 start, end))
        words.append(spc.VARIATION_TEXT.get(res.variation, res.variation))
        if measure.target is not None:  # the deck's words: trajectory or target (planner.spc)
            words.append(spc.assurance_words(measure, res))
        if res.warning:
            words.append(res.warning)
        since = [d for d in measure.spc_rebase if d <= readings[-1].date]
        if since:
            words.append(f"limits of the period since {month_year(max(since))}")
        if measure.spc_fix_after:
            words.append(f"limits fixed on the first {measure.spc_fix_after} readings")
    else:
        for r in readings:
            data.points.append(ChartPoint(r.date, r.value, COMMON_COLOUR,
                                          f"{short_date(r.date)}: {format_number(r.value)}"))
        words.append("Not enough readings for process limits" if readings else "No readings yet")
    if measure.baseline is not None:
        lines.append(RefLine(measure.baseline, f"baseline {format_number(measure.baseline)}",
                             BASELINE_COLOUR, Qt.PenStyle.DashLine, 1.5))
    if measure.target is not None:
        lines.append(RefLine(measure.target, f"target {format_number(measure.target)}",
                             TARGET_COLOUR, Qt.PenStyle.DashLine, 2))
    data.lines = [ln for ln in lines if ln.value is not None]
    if readings:
        latest = readings[-1]
        # "45.7%" and the reading's date, as the deck's table gives them (it said "45.7 %
        # (Oct 2026)" beside the deck's "45.7%, 28 Oct 2026")
        words.insert(0, f"Latest {spc.with_unit(latest.value, measure.unit)} "
                        f"({short_date(latest.date)})")
    return data, " · ".join(words)


class IconPair(QWidget):
    """The Making Data Count variation and assurance icons, painted by the product (filled
    circles with a mark, as described once in ``planner.spc``), with their words for screen
    readers and the tooltip."""

    SIZE = 26

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.icons: list[spc.Icon] = []
        self.setFixedSize(self.SIZE * 2 + 6, self.SIZE)

    def set_icons(self, icons: list[spc.Icon]) -> None:
        self.icons = icons
        words = "; ".join(f"{k}: {i.words}" for k, i in zip(("Variation", "Assurance"), icons))
        self.setToolTip(words)
        self.setAccessibleName("Making Data Count icons")
        self.setAccessibleDescription(words)
        self.update()

    def paintEvent(self, _event) -> None:
        from PySide6.QtGui import QFont, QPainter

        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        f = QFont(self.font())
        f.setBold(True)
        f.setPixelSize(int(self.SIZE * 0.5))
        painter.setFont(f)
        for k, icon in enumerate(self.icons):
            x = k * (self.SIZE + 6)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor("#" + icon.colour))
            painter.drawEllipse(x, 0, self.SIZE, self.SIZE)
            painter.setPen(QColor("#FFFFFF"))
            painter.drawText(x, 0, self.SIZE, self.SIZE, Qt.AlignmentFlag.AlignCenter, icon.mark)
        painter.end()


def measure_icons(plan, measure) -> list[spc.Icon]:
    """The two icons for a measure's chart as it stands."""
    r = spc.measure_xmr(plan, measure)
    return [spc.variation_icon(r), spc.assurance_icon(r)]


def muted_colour() -> QColor:
    return QColor("#8A8F98")


class MeasureCard(ChartCard):
    """A measure's title, what it shows in words, and its chart."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent, status_name="measureStatus", chart_height=230, height=360,
                         margins=(10, 8), spacing=3, subtitle=True)
        self.icons = IconPair(self)
        at = self.layout().indexOf(self.status)
        self.layout().removeWidget(self.status)
        self.layout().insertLayout(at, hbox(self.icons, 8, (self.status, 1)))

    def show_measure(self, plan, m) -> None:
        self.measure_id = m.id
        data, words = measure_chart(plan, m)
        self.title.setText(f"{m.id}  {m.name}" + (f" ({m.unit})" if m.unit else ""))
        chs = ", ".join(f"{n}" for n in m.challenges)
        better = {"higher": "higher is better", "lower": "lower is better"}.get(m.direction, "")
        bits = [m.kind.capitalize(), better, f"challenge {chs}" if m.challenges else "",
                m.source and f"source: {m.source}"]
        self.subtitle.setText(" · ".join(b for b in bits if b))
        mute(self.subtitle, self.palette())
        self.status.setText(words)
        self.icons.set_icons(measure_icons(plan, m))
        self.chart.set_data(data)
        self.chart.setAccessibleName(f"Chart of {m.name}")
        self.chart.setAccessibleDescription(words)
        self.chart.setToolTip("\n".join(p.tip for p in data.points[-6:]))
        self.setAccessibleName(f"Measure {m.id} {m.name}")


class OutcomesView(LazyPlanView):
    """Outcome measures, each with an XmR chart of its readings, its baseline and its target."""

    def __init__(self, context: AppContext, parent: QWidget | None = None):
        super().__init__(context, "outcomesView", "Outcomes view", parent)
        self.cards: dict[str, MeasureCard] = {}

        self.filter = QComboBox(self)
        self.filter.setAccessibleName("Show measures of")
        self.filter.currentIndexChanged.connect(lambda _i: self.refresh())
        filter_label = QLabel("&Show:", self)
        filter_label.setBuddy(self.filter)
        dot = '<span style="color:{};">●</span>'
        self.key = QLabel(
            f"Points: {dot.format(IMPROVEMENT_COLOUR.name())} special cause improvement, "
            f"{dot.format(CONCERN_COLOUR.name())} concern, {dot.format(COMMON_COLOUR.name())} "
            "common cause. Dotted: process limits; solid grey: mean; dashed red: target; "
            "dashed grey: baseline.", self)
        self.key.setTextFormat(Qt.TextFormat.RichText)
        self.key.setWordWrap(True)
        self.empty = QLabel("This plan has no outcome measures yet.", self)
        self.grid_host, self.grid, scroll = card_grid(self, 10)
        self.scroll = scroll

        # adding a reading: through the planner, so it is checked, journalled and undoable
        self.measure_box = QComboBox(self)
        self.measure_box.setAccessibleName("Measure for the new reading")
        self.reading_date = DateEditor(self, plan=context.plan, optional=False)
        self.reading_date.setAccessibleName("Date of the reading")
        # No default value: an empty box must never add a reading of 0 (issue 10).
        self.reading_value = QLineEdit(self)
        self.reading_value.setPlaceholderText("value")
        self.reading_value.setAccessibleName("Value of the reading")
        self.reading_value.setMaximumWidth(110)
        self.reading_value.returnPressed.connect(self.add_reading)
        self.reading_note = QLineEdit(self)
        self.reading_note.setPlaceholderText("Note (optional)")
        self.reading_note.setAccessibleName("Note on the reading")
        self.reading_note.returnPressed.connect(self.add_reading)
        self.add_button = QPushButton("Add &reading", self)
        self.add_button.setAccessibleName("Add the reading")
        self.add_button.clicked.connect(self.add_reading)
        measure_label = QLabel("New reading for &measure:", self)
        measure_label.setBuddy(self.measure_box)
        value_label = QLabel("Val&ue:", self)
        value_label.setBuddy(self.reading_value)
        date_label_ = QLabel("Da&te:", self)
        date_label_.setBuddy(self.reading_date)
        form = hbox(measure_label, (self.measure_box, 2), date_label_, self.reading_date, value_label,
                    self.reading_value, (self.reading_note, 1), self.add_button)

        # SPC settings of the chosen measure, kept in the plan (and used by the board deck)
        self.rebase_button = QPushButton("Start new &limits on this date", self)
        self.rebase_button.setAccessibleName("Start new process limits for the measure on the date")
        self.rebase_button.setToolTip("A known change (a new service, a new way of counting): "
                                      "the chart works out new limits from this date.")
        self.rebase_button.clicked.connect(self.rebase_here)
        self.fix_after = QSpinBox(self)
        # the lowest value means "not fixed"; limits are fixed on 12 readings or more
        self.fix_after.setRange(spc.MIN_FIX_POINTS - 1, 60)
        self.fix_after.setSpecialValueText("not fixed")
        self.fix_after.setAccessibleName("Fix the limits on the first N readings of each period")
        self.fix_button = QPushButton("Fi&x limits", self)
        self.fix_button.setAccessibleName("Fix the limits of the measure's chart")
        self.fix_button.clicked.connect(self.fix_limits)
        self.clear_spc_button = QPushButton("Cle&ar SPC settings", self)
        self.clear_spc_button.setAccessibleName("Clear the measure's new-limit dates and fixed limits")
        self.clear_spc_button.clicked.connect(self.clear_spc)
        self.measure_box.currentIndexChanged.connect(lambda _i: self._show_fix_after())
        fix_label = QLabel("Limits from the first", self)
        fix_label.setBuddy(self.fix_after)
        spc_row = hbox(self.rebase_button, 12, fix_label, self.fix_after, QLabel("readings", self),
                       self.fix_button, self.clear_spc_button, (QWidget(self), 1))

        # a new measure from the catalogue of measures trusts use (filled, then edited)
        self.catalogue_box = QComboBox(self)
        self.catalogue_box.setAccessibleName("New measure from the catalogue")
        self.catalogue_box.addItem("New from catalogue…", None)
        for e in catalogue.CATALOGUE:
            self.catalogue_box.addItem(e.label, e.key)
            tip = f"{e.source}. {e.measure_type.capitalize()}" + (
                f" {e.denominator}" if e.denominator else "") + (f". {e.note}" if e.note else "")
            self.catalogue_box.setItemData(self.catalogue_box.count() - 1, tip,
                                           Qt.ItemDataRole.ToolTipRole)
        self.catalogue_box.activated.connect(lambda _i: self.add_from_catalogue())

        top = hbox(filter_label, self.filter, 12, (self.key, 1), self.catalogue_box)
        page_layout(self, top, form, spc_row, self.banner, self.empty, (scroll, 1))

        context.document_replaced.connect(self._on_document_replaced)
        if context.doc is not None:
            self._on_document_replaced()

    def _fill_measure_box(self) -> None:
        plan = self.context.plan
        current = self.measure_box.currentData()
        self.measure_box.clear()
        if plan is not None:
            for m in sorted(plan.measures.values(), key=lambda m: (_num(m.id), m.id)):
                self.measure_box.addItem(f"{m.id}  {m.name}", m.id)
        i = self.measure_box.findData(current)
        self.measure_box.setCurrentIndex(max(0, i))

    def add_reading(self) -> bool:
        """Add the reading in the form to its measure; a refusal shows in the banner."""
        mid = self.measure_box.currentData()
        ok, when = self.reading_date.read(
            lambda why: self.banner.show_message(f"Not added: {why}", "error"))
        if not ok:
            return False
        value = parse_number(self.reading_value.text())
        if value is None:
            typed = self.reading_value.text().strip()
            self.banner.show_message(
                f"Not added: '{typed}' is not a number." if typed else
                "Not added: type the reading's value first (a number such as 42 or 3.5).",
                "error")
            self.reading_value.setFocus()
            return False
        if self.context.run(operations.add_reading, mid, when, value,
                            self.reading_note.text()) is None:
            return False
        same_day = [r for r in self.context.plan.readings_of(mid) if r.date == when]
        note = (" There is now more than one reading on that date; the chart shows both."
                if len(same_day) > 1 else "")
        self.banner.show_message(f"Added {format_number(value)} for {mid} on {short_date(when)}. "
                                 f"Undo removes it.{note}", "warning" if note else "info")
        # setText, not clear(): the boxes forget the typing that is now a step in the plan, so
        # Ctrl+Z here undoes that step instead of putting the number back into the box
        self.reading_note.setText("")
        self.reading_value.setText("")
        return True

    def _spc_edit(self, operation, args: tuple, done: str) -> bool:
        """Change the chosen measure's SPC settings through the one path (undoable)."""
        mid = self.measure_box.currentData()
        if self.context.run(operation, mid, *args) is None:
            return False
        self.banner.show_message(f"{mid}: {done} Undo puts it back.", "info")
        return True

    def _show_fix_after(self) -> None:
        m = self.context.plan.measures.get(self.measure_box.currentData()) if self.context.plan else None
        self.fix_after.setValue((m.spc_fix_after or 0) if m else 0)  # clamps to "not fixed"

    def rebase_here(self) -> bool:
        """Start new process limits for the chosen measure on the form's date."""
        ok, when = self.reading_date.read(
            lambda why: self.banner.show_message(f"Not changed: {why}", "error"))
        if not ok:
            return False
        return self._spc_edit(operations.add_spc_rebase, (when,),
                              f"new limits from {short_date(when)}.")

    def fix_limits(self) -> bool:
        """Fix the chosen measure's limits on its first N readings ("not fixed" below 12)."""
        n = self.fix_after.value()
        n = n if n >= spc.MIN_FIX_POINTS else None
        return self._spc_edit(operations.fix_spc_limits, (n,),
                              f"limits fixed on the first {n} readings." if n else
                              "limits worked out from all readings.")

    def clear_spc(self) -> bool:
        """Go back to one set of limits over all readings for the chosen measure."""
        return self._spc_edit(operations.clear_spc_settings, (),
                              "one set of limits over all readings.")

    def add_from_catalogue(self, key: str | None = None) -> str | None:
        """Add a measure filled from the catalogue entry picked (or ``key``); its new ID."""
        key = key or self.catalogue_box.currentData()
        self.catalogue_box.setCurrentIndex(0)
        if not key or self.context.plan is None:
            return None
        change = self.context.run(operations.add_measure_from_catalogue, key)
        if change is None:
            return None
        measure = self.context.plan.measures[next(iter(change.records["measure"]))]
        self.banner.show_message(
            f"{measure.id} '{measure.name}' added from the catalogue: add its baseline, target "
            "and readings. Undo removes it.", "info")
        return measure.id

    def _on_document_replaced(self) -> None:
        plan = self.context.plan
        if plan is not None:
            self.reading_date.set_plan(plan)
            self.reading_date.set_value(plan.settings.as_of or date.today())
        self._fill_measure_box()
        self.reading_value.setText("")
        self.banner.dismiss()
        self.filter.blockSignals(True)
        self.filter.clear()
        self.filter.addItem("All measures", None)
        plan = self.context.plan
        if plan is not None:
            for n, ch in sorted(plan.challenges.items()):
                if any(n in m.challenges for m in plan.measures.values()):
                    self.filter.addItem(f"Challenge {n}: {ch.title}", n)
        self.filter.blockSignals(False)
        self._changed()

    def apply_change(self, change: ChangeSet) -> None:
        if change.touches("measure", "reading", "settings", "challenge"):
            if change.measures:
                self._fill_measure_box()
            self._changed()

    def refresh(self) -> None:
        """Rebuild every measure's card from the plan."""
        self._stale = False
        plan = self.context.plan
        want = self.filter.currentData()
        measures = [] if plan is None else [
            m for m in sorted(plan.measures.values(), key=lambda m: (_num(m.id), m.id))
            if want is None or want in m.challenges]
        for mid in [k for k in self.cards if k not in {m.id for m in measures}]:
            card = self.cards.pop(mid)
            self.grid.removeWidget(card)
            card.deleteLater()
        cols = 2
        for i, m in enumerate(measures):
            card = self.cards.get(m.id)
            if card is None:
                card = MeasureCard(self.grid_host)
                self.cards[m.id] = card
            card.show_measure(plan, m)
            self.grid.addWidget(card, i // cols, i % cols)
        self.grid.setRowStretch(len(measures) // cols + 1, 1)
        self.empty.setVisible(not measures)

    def card(self, measure_id: str) -> MeasureCard | None:
        """The card showing a measure (for tests)."""
        return self.cards.get(measure_id)


def _num(mid: str) -> int:
    digits = "".join(ch for ch in mid if ch.isdigit())
    return int(digits) if digits else 0

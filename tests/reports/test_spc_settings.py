"""Per-measure SPC settings (new limits at a known change, limits fixed on the first N readings):
kept in the plan, used by the Outcomes view and by the board deck."""

from __future__ import annotations

from datetime import date

import pytest

from planner import spc
from planner.document import PlanDocument
from planner.errors import ValidationError
from planner.model import Measure, Reading
from plan_factory import small_plan

STEP = [10, 11, 9, 10, 12, 10, 11, 9, 10, 11, 20, 21, 19, 20, 22, 21, 20, 19]


def stepped_plan():
    plan = small_plan()
    plan.measures["OM2"] = Measure("OM2", "Peer worker WTE", unit="WTE", challenges=[8])
    for i, v in enumerate(STEP):
        r = Reading("OM2", date(2025 + (i // 12), i % 12 + 1, 1), float(v))
        plan.readings[r.uid] = r
    return plan


@pytest.fixture
def doc(tmp_path):
    d = PlanDocument.create(tmp_path / "spc.rcplan", stepped_plan())
    yield d
    d.close()


def test_a_known_change_starts_new_limits(doc):
    before = spc.measure_xmr(doc.plan, doc.plan.measures["OM2"])
    assert before.variation == "improvement"  # the step shows as a shift against one mean
    doc.update("measure", "OM2", spc_rebase=[date(2025, 11, 1)])
    after = spc.measure_xmr(doc.plan, doc.plan.measures["OM2"])
    assert {p.period for p in after.points} == {0, 1}
    assert after.mean == pytest.approx(sum(STEP[10:]) / len(STEP[10:]))
    assert after.variation == "common"  # within the new period nothing special is going on


def test_fixed_limits_and_bad_values(doc):
    doc.update("measure", "OM2", spc_fix_after=12)
    fixed = spc.measure_xmr(doc.plan, doc.plan.measures["OM2"])
    assert fixed.mean == pytest.approx(sum(STEP[:12]) / 12)
    with pytest.raises(ValidationError, match="at least 12 readings"):
        doc.update("measure", "OM2", spc_fix_after=1)
    with pytest.raises(ValidationError, match="at least 12 readings"):
        doc.update("measure", "OM2", spc_fix_after=11)


def test_settings_survive_reopening_and_excel(doc, tmp_path):
    from planner.xlsx import export_workbook, read_workbook

    doc.update("measure", "OM2", spc_rebase=[date(2025, 11, 1), date(2026, 3, 1)],
               spc_fix_after=12)
    path = doc.path
    doc.close()
    again = PlanDocument.open(path)
    m = again.plan.measures["OM2"]
    assert m.spc_rebase == [date(2025, 11, 1), date(2026, 3, 1)] and m.spc_fix_after == 12
    export_workbook(again.plan, tmp_path / "p.xlsx")
    back, _warnings = read_workbook(tmp_path / "p.xlsx")
    assert back.measures["OM2"].spc_rebase == m.spc_rebase
    assert back.measures["OM2"].spc_fix_after == 12
    again.close()


def test_the_deck_draws_each_measures_own_periods(doc):
    from reports import ExportOptions, build_deck

    doc.update("measure", "OM2", spc_rebase=[date(2025, 11, 1)])
    prs, _ = build_deck(doc.plan, ExportOptions(output="x.pptx", sections=frozenset({"outcomes"})))
    notes = "\n".join(s.notes_slide.notes_text_frame.text for s in prs.slides
                      if s.has_notes_slide)
    assert "Peer worker WTE" in notes
    chart = next(sh.chart for s in prs.slides for sh in s.shapes
                 if sh.has_chart and "WTE" in (sh.chart.chart_title.text_frame.text
                                                if sh.chart.has_title else ""))
    series = {p.name: list(p.values) for p in chart.plots[0].series}
    mean = next(v for k, v in series.items() if k.lower().startswith("mean"))
    assert mean[0] != pytest.approx(mean[-1])  # a different mean after the change


def test_outcomes_view_sets_new_limits_through_the_planner(qtbot, doc):
    from ui.context import AppContext
    from ui.outcomes_view import OutcomesView

    context = AppContext(doc)
    view = OutcomesView(context)
    qtbot.addWidget(view)
    view.resize(1200, 700)
    view.show()
    view.measure_box.setCurrentIndex(view.measure_box.findData("OM2"))
    from PySide6.QtTest import QTest

    view.reading_date.selectAll()
    QTest.keyClicks(view.reading_date, "01/11/2025")
    assert view.rebase_button.isEnabled()
    view.rebase_button.click()
    assert doc.plan.measures["OM2"].spc_rebase == [date(2025, 11, 1)]
    assert doc.undo_label == "change spc rebase of OM2"
    card = view.cards["OM2"]
    assert "limits of the period since Nov 2025" in card.chart.accessibleDescription()
    view.fix_after.setValue(4)  # below 12: the box stays at "not fixed"
    assert view.fix_after.text() == "not fixed"
    view.fix_after.setValue(12)
    view.fix_button.click()
    assert doc.plan.measures["OM2"].spc_fix_after == 12
    view.clear_spc_button.click()
    assert doc.plan.measures["OM2"].spc_rebase == [] and doc.plan.measures["OM2"].spc_fix_after is None
    doc.undo()
    assert doc.plan.measures["OM2"].spc_fix_after == 12

"""Every table model passes Qt's own model checks (pytest-qt's qtmodeltester), before and after
edits, undo and a plan switch; the fixed-column models share one column definition."""

from __future__ import annotations


from PySide6.QtCore import Qt

from planner import operations
from ui.actions_model import COLUMNS as ACTION_COLUMNS
from ui.actions_model import ActionsFilterModel, ActionsTableModel
from ui.columns import ColumnTableModel
from ui.milestones_view import COLUMNS as MILESTONE_COLUMNS
from ui.milestones_view import MilestonesFilter, MilestonesModel
from ui.people_view import Workload, WorkloadModel

from tests.ui_helpers import small_context  # noqa: F401  (the fixture)


def test_actions_model_and_its_filter_pass_the_model_checks(qtmodeltester, small_context):
    model = ActionsTableModel(small_context)
    proxy = ActionsFilterModel(model)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    small_context.run(operations.add_action_after, "A2")
    small_context.run(operations.edit_action, "A1", duration=12)
    small_context.undo()
    model.sort(ACTION_COLUMNS.index["finish"])
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    assert model.rowCount() == len(small_context.plan.actions)


def test_milestones_model_and_its_filter_pass_the_model_checks(qtmodeltester, small_context):
    model = MilestonesModel(small_context)
    proxy = MilestonesFilter(model)
    qtmodeltester.check(model)
    # (on the status date: an actual date after it is refused, issue 10)
    small_context.run(operations.mark_achieved, "M1", small_context.plan.settings.as_of)
    proxy.set_filter(None, True, False)
    qtmodeltester.check(model)
    qtmodeltester.check(proxy)
    assert proxy.rowCount() == 0, "an achieved milestone leaves 'open only'"


def test_workload_model_passes_the_model_checks(qtmodeltester, small_context):
    model = WorkloadModel()
    qtmodeltester.check(model)  # empty
    model.set_workload(Workload(small_context.plan, small_context.analysis), False)
    assert model.rowCount() == 2 and model.columnCount() > 0
    qtmodeltester.check(model)


def test_fixed_column_tables_declare_their_columns_once(small_context):
    for cls, columns in ((ActionsTableModel, ACTION_COLUMNS), (MilestonesModel, MILESTONE_COLUMNS)):
        model = cls(small_context)
        assert isinstance(model, ColumnTableModel) and model.columns is columns
        assert model.columnCount() == len(columns)
        headers = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(len(columns))]
        assert headers == [c.header for c in columns]
        editable = [bool(model.flags(model.index(0, i)) & Qt.ItemFlag.ItemIsEditable)
                    for i in range(len(columns))]
        assert editable == [c.field is not None for c in columns]

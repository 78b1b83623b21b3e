"""Plan › Working days and bank holidays…: the plan's non-working days (issue 10, item 8).

The region's bank holidays come from ``planner.bank_holidays`` (England and Wales, Scotland or
Northern Ireland); the list below holds every day the schedule skips, and the lead may add a day
(a trust-wide closure) or take one out. Every change is an operation (``set_bank_holidays``,
``set_days_off``), so it is checked, saved at once and undoable like any edit.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QHBoxLayout,
                               QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout)

from planner import operations
from planner.bank_holidays import REGIONS
from planner.dates import short_date
from ui.context import AppContext
from ui.editors import DateEditor
from ui.widgets import OperationBanner

NO_REGION = "None: only the days listed"


class CalendarDialog(QDialog):
    """Choose the region whose bank holidays the plan follows; add or remove non-working days."""

    def __init__(self, context: AppContext, parent=None):
        super().__init__(parent)
        self.context = context
        self.setWindowTitle("Working days and bank holidays")
        lay = QVBoxLayout(self)
        self.banner = OperationBanner(context, self)
        lay.addWidget(self.banner)
        form = QFormLayout()
        self.region = QComboBox()
        self.region.addItems([*REGIONS, NO_REGION])
        self.region.setAccessibleName("Bank holidays of")
        label = QLabel("&Bank holidays of:")
        label.setBuddy(self.region)
        form.addRow(label, self.region)
        lay.addLayout(form)
        lay.addWidget(QLabel("Days nobody works (the schedule skips them):"))
        self.days = QListWidget()
        self.days.setAccessibleName("Non-working days")
        lay.addWidget(self.days, 1)
        row = QHBoxLayout()
        self.new_day = DateEditor(self, plan=context.plan, optional=False)
        self.new_day.setAccessibleName("Day to add")
        add_label = QLabel("&Add a day:")
        add_label.setBuddy(self.new_day)
        self.add_button = QPushButton("Add")
        self.add_button.setAutoDefault(False)
        self.remove_button = QPushButton("&Remove the selected day")
        self.remove_button.setAutoDefault(False)
        row.addWidget(add_label)
        row.addWidget(self.new_day, 1)
        row.addWidget(self.add_button)
        row.addWidget(self.remove_button)
        lay.addLayout(row)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
        self.refresh()
        self.region.currentTextChanged.connect(self.choose_region)
        self.add_button.clicked.connect(self.add_day)
        self.new_day.returnPressed.connect(self.add_day)
        self.remove_button.clicked.connect(self.remove_day)
        context.plan_changed.connect(lambda change: self.refresh() if change.settings else None)
        self.resize(520, 560)

    def refresh(self) -> None:
        """Show the plan's region and non-working days."""
        s = self.context.plan.settings
        self.region.blockSignals(True)
        self.region.setCurrentText(s.holiday_region or NO_REGION)
        self.region.blockSignals(False)
        self.days.clear()
        for d in sorted(s.holidays):
            item = QListWidgetItem(short_date(d, weekday=True))
            item.setData(Qt.ItemDataRole.UserRole, d.isoformat())
            self.days.addItem(item)

    def choose_region(self, text: str) -> None:
        """Follow another region's bank holidays (one undoable step)."""
        region = "" if text == NO_REGION else text
        if self.context.run(operations.set_bank_holidays, region) is None:
            self.refresh()

    def add_day(self) -> None:
        """Add the typed day to the non-working days."""
        ok, day = self.new_day.read(self.context.refuse)
        if not ok or day is None:
            return
        days = list(self.context.plan.settings.holidays)
        if self.context.run(operations.set_days_off, [*days, day]) is not None:
            self.new_day.clear()

    def remove_day(self) -> None:
        """Take the selected day out of the non-working days."""
        item = self.days.currentItem()
        if item is None:
            self.context.refuse("Choose the day to remove first.")
            return
        day = date.fromisoformat(item.data(Qt.ItemDataRole.UserRole))
        days = [d for d in self.context.plan.settings.holidays if d != day]
        self.context.run(operations.set_days_off, days)

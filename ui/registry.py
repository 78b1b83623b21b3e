"""The one list of the window's views: title, shortcut, what builds it, its screenshot, one line on it.

The navigator, the View menu, the F1 list of shortcuts, ``main.py --screenshot --view`` and
``main.py --help`` all read this list, so a view is added in one place: write its file (a
``PlanView`` subclass, ui/view_common.py) and add one ``ViewSpec`` line to ``VIEWS`` below (or call
``register`` for a view that lives elsewhere, as the tests do). This module imports no Qt, so the
command line can read it without starting Qt; a view's module is imported only when it is shown.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ui.context import AppContext


@dataclass(frozen=True)
class ViewSpec:
    """One view of the window."""

    key: str            # its name on the command line (--view) and in the settings: "timeline"
    title: str          # in the navigator and the View menu: "Timeline"
    factory: str        # "module:Class", called with the AppContext when the view is first shown
    summary: str        # one line for --help and the F1 list
    screenshot: str = ""  # the picture of it in docs/screenshots ("" = key + ".png")

    @property
    def screenshot_name(self) -> str:
        """File name of the view's screenshot in docs/screenshots."""
        return self.screenshot or f"{self.key}.png"

    def make(self, context: "AppContext") -> Any:
        """Build the view (imports its module now, so start-up pays only for what is shown)."""
        module, _, name = self.factory.partition(":")
        return getattr(importlib.import_module(module), name)(context)


VIEWS: list[ViewSpec] = [
    ViewSpec("overview", "Overview", "ui.overview_view:OverviewView",
             "the ten challenges as tiles, next milestones and warnings"),
    ViewSpec("actions", "Actions", "ui.actions_view:ActionsView",
             "every action in a table to filter, sort and edit, with its links"),
    ViewSpec("graph", "Graph", "ui.graph_view:GraphView",
             "actions by wave with their links; drag to make one wait for another"),
    ViewSpec("timeline", "Timeline", "ui.timeline_view:TimelineView",
             "a Gantt chart with one lane per challenge"),
    ViewSpec("milestones", "Milestones", "ui.milestones_view:MilestonesView",
             "fast keyboard updates of milestones for project managers"),
    ViewSpec("outcomes", "Outcomes", "ui.outcomes_view:OutcomesView",
             "outcome measures as SPC charts; add readings"),
    ViewSpec("people", "People", "ui.people_view:PeopleView",
             "weekly workload per person against capacity"),
    ViewSpec("assessments", "Assessments", "ui.assessments_view:AssessmentsView",
             "rate the challenges and see their history"),
]


def register(spec: ViewSpec) -> None:
    """Add a view at the end of the list (or replace the one with the same key)."""
    for i, existing in enumerate(VIEWS):
        if existing.key == spec.key:
            VIEWS[i] = spec
            return
    VIEWS.append(spec)


def unregister(key: str) -> None:
    """Take a view off the list (tests that registered one clean up with this)."""
    VIEWS[:] = [v for v in VIEWS if v.key != key]


def view_keys() -> list[str]:
    """The views' keys in navigator order."""
    return [v.key for v in VIEWS]


def spec(key: str) -> ViewSpec:
    """The view called ``key``; KeyError if there is none."""
    for v in VIEWS:
        if v.key == key:
            return v
    raise KeyError(key)


def shortcut(key: str) -> str:
    """The view's keyboard shortcut: Ctrl+1 for the first view … Ctrl+9 ("" after the ninth)."""
    i = view_keys().index(key)
    return f"Ctrl+{i + 1}" if i < 9 else ""


def help_lines() -> list[str]:
    """One line per view for ``--help`` and the F1 list: "timeline (Ctrl+4): a Gantt chart…"."""
    return [f"{v.key} ({shortcut(v.key)}): {v.summary}" if shortcut(v.key) else
            f"{v.key}: {v.summary}" for v in VIEWS]

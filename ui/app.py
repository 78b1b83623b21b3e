"""Start the window: ``run(plan_path, screenshot=None, view="overview")`` is what main.py calls.

With ``screenshot`` the window is laid out at 1280×800 (offscreen works), switched to ``view``,
given time to draw, grabbed to a PNG and closed; the exit code is 0, or 2 when the plan cannot
be opened (the reason goes to stderr).
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path

ORGANISATION = "Recovery Change Planner"
APPLICATION = "Recovery Change Planner"
SCREEN_SIZE = (1280, 800)


_QT_NOISE = ("does not support propagateSizeHints",)  # offscreen plugin, on every window shown


def _qt_message(_mode, _context, message: str) -> None:
    """Pass Qt's messages to stderr, less the offscreen plugin's harmless notices."""
    if not any(noise in message for noise in _QT_NOISE):
        sys.stderr.write(message + "\n")


def make_application(argv: list[str] | None = None):
    """The QApplication (created once), with the program's names, style and palette."""
    from PySide6.QtCore import QCoreApplication, QSettings, qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    from ui import style

    app = QApplication.instance()
    created = app is None
    if created:
        qInstallMessageHandler(_qt_message)
        if not QCoreApplication.organizationName():
            QCoreApplication.setOrganizationName(ORGANISATION)
            QCoreApplication.setApplicationName(APPLICATION)
        # Fusion from the start (as if given -style Fusion): cheaper than replacing the default
        args = list(argv if argv is not None else [sys.argv[0]])
        app = QApplication(args + ["-style", "Fusion"])
        app.setApplicationDisplayName(APPLICATION)
    theme = QSettings().value("theme", "light")
    if os.environ.get("RCP_THEME") in ("light", "dark"):
        theme = os.environ["RCP_THEME"]
    style.apply_style(app, theme, fusion_already=created)
    return app


def _starting_plan(plan_path: str | None) -> str:
    from PySide6.QtCore import QSettings

    from ui.window_files import SAMPLE_PLAN

    if plan_path:
        return plan_path
    last = QSettings().value("lastPlan")
    if last and Path(str(last)).exists():
        return str(last)
    return str(SAMPLE_PLAN)


def settle(app, window, wait_ms: int = 60000) -> None:
    """Process events until the window has drawn and any background analysis has arrived."""
    context = window.context
    context.wait_for_analysis(wait_ms)
    for _ in range(5):
        app.processEvents()
        time.sleep(0.01)


def take_screenshot(window, out: str) -> bool:
    """Grab the whole window (menus, header, view, status bar) to a PNG."""
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    settle(app, window)
    pixmap = window.grab()
    out_path = Path(out)
    if out_path.parent and not out_path.parent.exists():
        out_path.parent.mkdir(parents=True, exist_ok=True)
    return pixmap.save(str(out_path), "PNG")


BEFORE_QT = ("planner.document", "graph", "planner.lock", "planner.places")
"""The modules the window's start imports that never use Qt (planner.lock and planner.places are
imported by ui/ modules, after Qt, otherwise)."""


def run(plan_path: str | None, screenshot: str | None = None, view: str = "overview", *,
        leave_when_closed: bool = False) -> int:
    """Open the window on ``plan_path`` (default: the last plan, else the sample) and run it.

    ``leave_when_closed`` (``python main.py``, not a test): once the window is closed, the program
    leaves at once (``leave_now``)."""
    # While the window starts, the garbage collector would walk its objects (some 30,000, all
    # alive) again and again for nothing: about 10 ms of every start.
    gc_was_on = gc.isenabled()
    gc.disable()
    try:
        # The planner and the engine first, before Qt: once PySide6 is loaded it reads the source
        # of every module imported after it, looking for "PySide6" (for its ``__feature__``
        # switches), about 0.1 ms a module, and these sixty-odd never use Qt (issue 13).
        import importlib

        for module in BEFORE_QT:
            importlib.import_module(module)
        app, window = _start(plan_path, screenshot, view)
    finally:
        if gc_was_on:
            gc.enable()
    if window is None:
        return app
    code = app.exec()
    if leave_when_closed:
        leave_now(window, code)
    return code


def leave_now(window, code: int) -> None:
    """The program, its window closed, leaves at once (``os._exit``) instead of taking down
    every Qt object and Python module one by one first: about 5 ms of a 0.25 s start and quit
    (issue 13). Only when the window was closed as a user closes it (``closed_cleanly``: its
    layout saved and its plan file closed, the lock given up; every setting is written as it is
    set), no background work is still running (an export being written) and the output is
    flushed; otherwise the usual exit runs, as it always has."""
    from PySide6.QtCore import QThreadPool

    if (not getattr(window, "closed_cleanly", False) or window.isVisible()
            or QThreadPool.globalInstance().activeThreadCount()):
        return
    from planner.cli import exit_at_once

    exit_at_once(code)


def _start(plan_path: str | None, screenshot: str | None, view: str):
    """Build the window and open the plan: (application, window) to run, or (exit code, None)
    when there is nothing to run (a screenshot was taken, or the plan could not be opened)."""
    app = make_application()
    from ui import registry
    from ui.main_window import MainWindow

    window = MainWindow()
    # What start-up has made so far (modules, classes, functions, Qt's types, the window) lives as
    # long as the program: frozen, the collector never walks it again, which saves about 6 ms at
    # every full collection, the last one as the program quits included. The plan opened next
    # is not frozen: it is collected as usual when another replaces it.
    gc.freeze()
    path = _starting_plan(plan_path)
    if screenshot:
        ok = window.open_plan(path, quiet=True)
        if not ok:
            sys.stderr.write(f"{window.last_open_error}\n")
            return 2, None
        if view not in registry.view_keys():
            sys.stderr.write(f"There is no view called '{view}'.\n")
            return 2, None
        window.resize(*SCREEN_SIZE)
        window.show_view(view)
        window.show()
        window.resize(*SCREEN_SIZE)
        if not take_screenshot(window, screenshot):
            sys.stderr.write(f"Could not write the picture to {screenshot}.\n")
            return 1, None
        window.close()
        return 0, None

    window.show()
    opened = window.open_plan(path, quiet=plan_path is None)
    if not opened:
        # The plan asked for (or the last one) cannot be opened; the dialog said why. Rather
        # than an empty window, open the last plan, else the sample.
        sys.stderr.write(f"{window.last_open_error}\n")
        fallback = _starting_plan(None)
        if fallback == path or not window.open_plan(fallback, quiet=True):
            window.open_plan(window_sample(), quiet=True)
    from PySide6.QtCore import QSettings

    last_view = QSettings().value("window/view", "overview")
    window.show_view(view if view != "overview" else (last_view if last_view in registry.view_keys()
                                                      else "overview"))
    return app, window


def window_sample() -> Path:
    """The bundled sample plan."""
    from ui.window_files import SAMPLE_PLAN

    return SAMPLE_PLAN


def screenshot_wizard(plan_path: str, out: str, starts: tuple[str, ...] = ("C8",),
                      page: int = 0) -> int:
    """Render the starting-point wizard over the window to a PNG (page 0: choose, 1: preview).

    ``python -c "from ui.app import screenshot_wizard as s; s('PLAN', 'wizard.png')"``
    """
    app = make_application()
    from ui.main_window import MainWindow
    from ui.wizard import StartingPointWizard

    window = MainWindow()
    if not window.open_plan(plan_path, quiet=True):
        sys.stderr.write(f"{window.last_open_error}\n")
        return 2
    window.resize(*SCREEN_SIZE)
    window.show()
    settle(app, window)
    wizard = StartingPointWizard(window.context, window)
    wizard.resize(1000, 660)
    wizard.show()
    wizard.choose.set_starts(list(starts))
    if page:
        wizard.next()
    settle(app, window)
    ok = wizard.grab().save(out, "PNG")
    wizard.reject()
    window.close()
    return 0 if ok else 1

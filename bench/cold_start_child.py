"""The cold-start benchmark's child: ``python main.py`` as a user starts it, stopped once painted.

It runs ``main.main([])`` (the window on the last plan, else the bundled sample, Overview
first), the same code path as ``python main.py``; the only difference is that the event loop,
instead of waiting for the user, processes the pending events once, repaints the window and
returns. It imports nothing from the benchmarks, so the process times the program's own imports.
"""

import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import ui.app  # noqa: E402  (light: Qt and the window are imported by main.main, as usual)

_make_application = ui.app.make_application


def _make_application_painting_once(argv=None):
    app = _make_application(argv)

    def exec_once() -> int:
        app.processEvents()
        for widget in app.topLevelWidgets():
            if widget.isVisible():
                widget.repaint()
        print("shown", flush=True)
        return 0

    app.exec = exec_once
    return app


ui.app.make_application = _make_application_painting_once

if __name__ == "__main__":
    import main

    sys.argv = [str(REPO / "main.py")]
    sys.exit(main.main([]))

"""The cold-start benchmark's child: ``python main.py`` as a user starts it, stopped once painted.

It runs main.py as ``python main.py`` runs it (as ``__main__``, compiled from its source as a
script is: the window on the last plan, else the bundled sample, Overview first, and, the window
closed, the program's exit); the only difference is the event loop: instead of waiting for the
user, it processes events until the window has painted once (as the real loop's first pass does),
then closes the window as a user quitting does (the window saves its layout and closes the plan,
giving up its lock, so the next run is a start like this one and not a read-only open beside a
stale lock) and returns. It imports nothing from the benchmarks, so the process times the
program's own imports.
"""

import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

import ui.app  # noqa: E402  (light: Qt and the window are imported by main.main, as usual)

_make_application = ui.app.make_application


def _make_application_painting_once(argv=None):
    app = _make_application(argv)

    def exec_once() -> int:
        windows = [w for w in app.topLevelWidgets() if w.isVisible()]
        # A window paints all of itself when it is first exposed (the offscreen platform exposes
        # it at once; a display may take a moment), as the real loop's first pass does.
        for _ in range(200):
            app.processEvents()
            if all(w.windowHandle().isExposed() for w in windows):
                break
            time.sleep(0.005)
        else:
            for widget in windows:
                widget.repaint()
        print("shown", flush=True)
        for widget in windows:
            widget.close()
        return 0

    app.exec = exec_once
    return app


ui.app.make_application = _make_application_painting_once

if __name__ == "__main__":
    import runpy

    sys.argv = [str(REPO / "main.py")]
    runpy.run_path(sys.argv[0], run_name="__main__")

"""Shared fixtures: a fresh copy of the sample plan, and per-test Qt settings and data folders.

Qt runs offscreen, so the tests need no display. Every test gets its own settings file and
per-user data folder, so the window's remembered layout, recent files and the copied sample
never leak between tests or into the developer's own settings.
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_plans" / "northmoor.rcplan"


@pytest.fixture(autouse=True)
def isolated_backups(tmp_path_factory, monkeypatch):
    """Plan backups of this test go into its own folder, never the user's data folder."""
    monkeypatch.setenv("RCP_BACKUP_DIR", str(tmp_path_factory.mktemp("backups")))
    yield


@pytest.fixture(autouse=True)
def isolated_qt_settings(tmp_path_factory, monkeypatch):
    """QSettings and QStandardPaths of this test point into its own temporary folders."""
    try:
        from PySide6.QtCore import QCoreApplication, QSettings
    except ImportError:  # the core tests run without Qt installed
        yield
        return
    base = tmp_path_factory.mktemp("qt-user")
    monkeypatch.setenv("XDG_DATA_HOME", str(base / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "config"))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(base / "settings"))
    QCoreApplication.setOrganizationName("RCP tests")
    QCoreApplication.setApplicationName("Recovery Change Planner (tests)")
    yield


@pytest.fixture
def sample_copy(tmp_path) -> Path:
    """A private copy of the bundled sample plan (the bundled file is never edited)."""
    target = tmp_path / "northmoor.rcplan"
    shutil.copyfile(SAMPLE, target)
    return target


@pytest.fixture
def doc(sample_copy):
    """The sample plan copy, open."""
    from planner.document import PlanDocument

    d = PlanDocument.open(sample_copy)
    yield d
    try:
        d.close()
    except Exception:
        pass


@pytest.fixture
def context(qapp, doc):
    """An AppContext holding the sample plan copy."""
    from ui.context import AppContext

    return AppContext(doc)


@pytest.fixture
def window(qtbot, sample_copy):
    """The main window at laptop size, showing the sample plan copy."""
    from ui import style
    from ui.main_window import MainWindow

    from PySide6.QtWidgets import QApplication

    style.apply_style(QApplication.instance(), "light")
    w = MainWindow()
    qtbot.addWidget(w)
    assert w.open_plan(sample_copy, quiet=True)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    return w

"""Where the program keeps its files and where it offers the user's (issue 10, item 8): one data
folder without the doubled name, what an old version left there still found, and file dialogs
starting in the current plan's folder or Documents, never a hidden data folder."""

from __future__ import annotations

import os
import sys

import pytest

from planner import backups, places


@pytest.fixture
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home" / ".local" / "share"))
    (tmp_path / "home").mkdir()
    return tmp_path / "home"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG layout is Linux's")
def test_one_data_folder_without_the_doubled_name(home, monkeypatch):
    folder = places.data_folder()
    assert folder == home / ".local" / "share" / "Recovery Change Planner"
    assert "Recovery Change Planner/Recovery Change Planner" not in str(folder)
    monkeypatch.delenv("RCP_BACKUP_DIR")
    assert backups.data_folder() == folder / "backups"  # backups live in the same one


def test_what_the_old_doubled_folder_holds_is_still_found(home):
    old = places.data_folder() / "Recovery Change Planner"
    old.mkdir(parents=True)
    (old / "northmoor.rcplan").write_bytes(b"edited copy")
    found = places.found_in_data_folder("northmoor.rcplan")
    assert found == places.data_folder() / "northmoor.rcplan"
    assert found.read_bytes() == b"edited copy"  # moved, with the user's edits
    # a recent-files entry naming the old place opens the moved file
    assert places.current_place(old / "northmoor.rcplan") == found
    other = home / "plans" / "mine.rcplan"
    assert places.current_place(other) == other  # anything else is left as it is


def test_dialogs_start_in_the_plans_folder_else_documents_else_home(home):
    plans = home / "shared" / "plans"
    plans.mkdir(parents=True)
    assert places.start_folder(plans / "northmoor.rcplan") == plans
    # no plan, or the copied sample in the hidden data folder: Documents if there is one ...
    sample = places.data_folder() / "northmoor.rcplan"
    sample.parent.mkdir(parents=True)
    assert places.start_folder(None) == home
    assert places.start_folder(sample) == home
    assert not (home / "Documents").exists()  # never created
    (home / "Documents").mkdir()
    assert places.start_folder(None) == home / "Documents"
    assert places.start_folder(sample) == home / "Documents"
    # a plan whose folder has gone
    assert places.start_folder(home / "gone" / "p.rcplan") == home / "Documents"
    assert os.path.isdir(places.start_folder(None))

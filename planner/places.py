"""Where the program keeps its own files, and where it offers to put the user's (issue 10, item 8).

- ``data_folder()``: the per-user data folder (the copied sample plan; backups go in its
  ``backups`` folder): ``$XDG_DATA_HOME/Recovery Change Planner`` (``~/.local/share/…``) on Linux,
  ``%APPDATA%\\Recovery Change Planner`` on Windows, ``~/Library/Application Support/…`` on a Mac.
  Earlier versions asked Qt for it with the organisation named like the program, which doubled the
  name (``…/Recovery Change Planner/Recovery Change Planner``); ``old_data_folders()`` lists that
  folder so what it holds is still found (``found_in_data_folder``).
- ``start_folder(current_plan)``: where a save or open dialog starts: the folder of the plan open
  now, else the user's Documents folder (never created), else the home folder. A plan in the
  program's own data folder (the copied sample) does not count: nobody should be offered a hidden
  folder for their new plan or board deck.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP = "Recovery Change Planner"


def data_folder() -> Path:
    """The per-user folder of the program's own files (not created here)."""
    if sys.platform.startswith("win"):
        base = Path(os.environ.get("APPDATA") or Path.home() / "AppData" / "Roaming")
    elif sys.platform == "darwin":
        base = Path.home() / "Library" / "Application Support"
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / APP


def old_data_folders() -> list[Path]:
    """Data folders of earlier versions (the doubled name), still read so nothing is lost."""
    return [data_folder() / APP]


def found_in_data_folder(name: str) -> Path:
    """``name`` in the data folder; one left in an old data folder is moved there first (kept
    where it is if it cannot be moved, and then that copy is the one returned)."""
    target = data_folder() / name
    if target.exists():
        return target
    for old in old_data_folders():
        source = old / name
        if source.is_file():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                os.replace(source, target)
            except OSError:
                return source
            return target
    return target


def current_place(path: str | os.PathLike) -> Path:
    """Where a file remembered in an old data folder (a recent-files entry) is now."""
    path = Path(path)
    if not path.exists() and any(path.parent == old for old in old_data_folders()):
        return found_in_data_folder(path.name)
    return path


def in_data_folder(path: Path) -> bool:
    """Whether ``path`` is inside the program's data folder (or an old one)."""
    try:
        resolved = Path(path).resolve()
        return resolved.is_relative_to(data_folder().resolve())
    except (OSError, ValueError):
        return False


def documents_folder() -> Path:
    """The user's Documents folder if it exists, else the home folder (nothing is created)."""
    home = Path.home()
    docs = home / "Documents"
    return docs if docs.is_dir() else home


def start_folder(current_plan: str | os.PathLike | None = None) -> Path:
    """Where a file dialog starts: the current plan's folder, else Documents, else home."""
    if current_plan is not None:
        folder = Path(current_plan).parent
        if folder.is_dir() and not in_data_folder(folder):
            return folder
    return documents_folder()

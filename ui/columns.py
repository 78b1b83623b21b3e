"""The one way a table model declares its columns: ``Column`` rows in a ``Columns`` list, and a base
model that answers Qt's column questions (count, headers, tooltips, which cells edit) from it.

A table model with fixed columns subclasses ``ColumnTableModel`` and sets ``columns``; it then writes
only ``rowCount`` and ``data`` (and ``setData`` when a column has a ``field``). Views size their
columns from ``width`` and find one by key with ``columns.index["finish"]``.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QFont


@dataclass(frozen=True)
class Column:
    """One column: its key, header, the record field it edits (None: shown only), tooltip, width."""

    key: str
    header: str
    field: str | None = None
    tip: str = ""
    width: int = 80


class Columns(Sequence[Column]):
    """A table's columns in order, with ``index`` from key to position."""

    def __init__(self, *columns: Column):
        self._columns = tuple(columns)
        self.index: dict[str, int] = {c.key: i for i, c in enumerate(self._columns)}

    def __getitem__(self, i):  # type: ignore[override]
        return self._columns[i]

    def __len__(self) -> int:
        return len(self._columns)

    def __iter__(self) -> Iterator[Column]:
        return iter(self._columns)

    def key(self, section: int) -> str:
        """The key of the column at ``section``."""
        return self._columns[section].key


class ColumnTableModel(QAbstractTableModel):
    """A table model whose columns are ``columns``: count, headers, tooltips and editable flags."""

    columns: Columns = Columns()

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation, role=Qt.ItemDataRole.DisplayRole):  # noqa: N802
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(self.columns):
            return None
        col = self.columns[section]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.header
        if role == Qt.ItemDataRole.ToolTipRole:
            return col.tip or None
        return None

    def flags(self, index):
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.columns[index.column()].field is not None:
            base |= Qt.ItemFlag.ItemIsEditable
        return base

    def unsaved_cell(self, context, kind: str, key: str, index, role, fmt):
        """What a cell shows while the edit typed into it could not be saved (issue 10, item 3):
        the typed value (``fmt`` makes it text) marked "not saved", in the alert colour; None for
        every other cell, which shows the plan as usual."""
        edit = getattr(context, "unsaved", None)
        name = self.columns[index.column()].field
        if edit is None or edit.kind != kind or edit.key != key or name not in edit.fields:
            return None
        shown = fmt(edit.fields[name])
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{shown}  ⚠ not saved"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{self.columns[index.column()].header}: {shown or 'none'}, not saved"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"Not saved: {edit.reason}"
        if role == Qt.ItemDataRole.ForegroundRole:
            from ui import style

            return QBrush(style.alert_colour())
        if role == Qt.ItemDataRole.FontRole:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def repaint_rows(self, first: int = 0, last: int | None = None) -> None:
        """Tell the views that rows ``first``..``last`` (default: to the end) need drawing again."""
        last = self.rowCount() - 1 if last is None else last
        if last >= first >= 0:
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))

"""Where the Graph view's boxes sit: a column for each wave (or phase) and a row in it.

Opening a plan, Tidy, the Columns choice and Show done lay every box out afresh in the order
that keeps links short (``ui.graph_layout.column_grid``); after an edit only the boxes new to a
column are placed, each in the free row nearest its prerequisites. The column headings and the
scene's extent follow.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QPalette
from PySide6.QtWidgets import QGraphicsSimpleTextItem

from ui.graph_items import COL_GAP, HEADER_Y, NODE_H, NODE_W, ROW_GAP
from ui.graph_layout import cell_position, column_grid, column_heading, scene_rect
from ui.view_common import id_key


class GraphPlaces:
    """The part of the Graph view that places its boxes: each box's cell (``_grid``: column,
    row), the columns' keys in order (``_keys``) and each column's rows (``_rows``). Mixed into
    ``GraphView``."""

    def _free_row(self, aid: str) -> None:
        cell = self._grid.pop(aid, None)
        if cell is not None:
            rows = self._rows.get(self._keys[cell[0]])
            if rows is not None and rows.get(cell[1]) == aid:
                del rows[cell[1]]

    def _place(self, boxes: list[str], removed: bool = False) -> set[str]:
        """Put ``boxes`` (new, or in another column now) in their columns, each in the free row
        nearest the average row of its prerequisites (the end of its column if it has none);
        every other box keeps its row (``removed``: boxes were taken away, leaving their rows
        free). Returns the ids of the boxes that moved."""
        grid, rows_of, columns, nodes = self._grid, self._rows, self._columns, self.nodes
        for aid in boxes:
            self._free_row(aid)
        keys = sorted({k for k, rows in rows_of.items() if rows} | {columns[a] for a in boxes},
                      key=lambda k: (k is None, k))
        moved: set[str] = set()
        if keys != self._keys:  # a column came or went: the columns after it move sideways
            index = {k: ci for ci, k in enumerate(keys)}
            for key, rows in list(rows_of.items()):
                if not rows:
                    del rows_of[key]
                    continue
                ci = index[key]
                if ci != self._keys.index(key):
                    for ri, aid in rows.items():
                        grid[aid] = (ci, ri)
                        nodes[aid].setPos(cell_position(ci, ri))
                        moved.add(aid)
            self._keys = keys
        index = {k: ci for ci, k in enumerate(keys)}
        ends, at = self._ends, self._at
        for aid in sorted(boxes, key=lambda a: (index[columns[a]], id_key(a))):
            key = columns[aid]
            rows = rows_of.setdefault(key, {})
            above = [grid[n][1] for n in (ends[u][1] for u in at.get(aid, ()) if ends[u][0] == aid)
                     if n in grid]
            if above:
                want = int(round(sum(above) / len(above)))
            else:
                want = max(rows) + 1 if rows else 0
            ri = next(r for step in range(len(rows) + 2)
                      for r in (want + step, want - step) if r >= 0 and r not in rows)
            rows[ri] = aid
            ci = index[key]
            grid[aid] = (ci, ri)
            nodes[aid].setPos(cell_position(ci, ri))
            moved.add(aid)
        for aid in moved:
            for i, m in enumerate(nodes[aid].milestones):
                m.place(i)
        if boxes or moved or removed:
            self._headings()
        return moved

    def _layout(self) -> set[str]:
        """Place boxes in columns (by wave or phase), ordered to keep links short; move only what moved."""
        d = self.context.analysis.data
        waves = dict(zip(d.ids, d.waves())) if self.layout_by == "phase" else {}
        keys, by_col, grid = column_grid(self._columns, self.edges, self.context.plan, waves,
                                         by_phase=self.layout_by == "phase")
        moved = []
        for aid, (ci, ri) in grid.items():
            node = self.nodes[aid]
            pos = cell_position(ci, ri)
            if node.pos() != pos:
                node.setPos(pos)
                moved.append(node)
        self._grid = grid
        self._keys = keys
        self._rows = {key: dict(enumerate(members)) for key, members in by_col.items()}
        for node in moved:
            for i, m in enumerate(node.milestones):
                m.place(i)
        self._headings(afresh=True)
        return {node.action_id for node in moved}

    def _headings(self, afresh: bool = False) -> None:
        """Column headings (each column's key and number of boxes) and the scene's extent
        (``afresh``: every box was laid out again)."""
        # the headings kept and their text changed where it did: adding a text item to a
        # scene of 20,000 boxes costs ~0.5 ms
        headers = self.headers
        while len(headers) > len(self._keys):
            self.scene.removeItem(headers.pop())
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        brush = self.palette().color(QPalette.ColorRole.WindowText)
        for ci, key in enumerate(self._keys):
            text = column_heading(key, len(self._rows[key]), self.layout_by == "wave")
            if ci < len(headers):
                h = headers[ci]
                if h.text() != text:
                    h.setText(text)
            else:
                h = QGraphicsSimpleTextItem(text)
                h.setPos(cell_position(ci, 0).x(), HEADER_Y)
                self.scene.addItem(h)
                headers.append(h)
            if h.font() != font:
                h.setFont(font)
            if h.brush().color() != brush:
                h.setBrush(brush)
        rect = scene_rect(len(self._keys), max([max(r) + 1 for r in self._rows.values() if r] + [1]))
        self.canvas.setSceneRect(rect)  # what can be scrolled to and shown: the graph itself
        # the scene's own rect bounds its index of items, which Qt builds again over every box
        # when that rect changes (~100 ms on 20,000 boxes, after a link that makes a new
        # column): it only grows, by a few columns and rows at a time, until laid out afresh
        have = self.scene.sceneRect()
        if afresh or not have.contains(rect):
            self.scene.setSceneRect(rect if afresh else have.united(rect.adjusted(
                0, 0, 2 * (NODE_W + COL_GAP), 32 * (NODE_H + ROW_GAP))))

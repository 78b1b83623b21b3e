"""The Graph view's pictures: the whole graph written as a PNG or an SVG drawing."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QRectF
from PySide6.QtGui import QImage, QPainter, QPalette
from PySide6.QtWidgets import QFileDialog, QGraphicsItem

from planner import places


class GraphExport:
    """The part of the Graph view that draws its scene into a file. Mixed into ``GraphView``."""

    def _render(self, painter: QPainter, target: QRectF, source: QRectF) -> None:
        # cached boxes would be drawn as pictures: an SVG must get real text and shapes
        for node in self.nodes.values():
            node.setCacheMode(QGraphicsItem.CacheMode.NoCache)
        try:
            self.scene.render(painter, target, source)
        finally:
            for node in self.nodes.values():
                node.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)

    def export_png(self, path: str | Path, scale: float = 2.0) -> Path:
        """Write the whole graph as a PNG (at ``scale`` x, capped to keep the file manageable)."""
        self.up_to_date()
        rect = self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        scale = min(scale, 16000 / max(1.0, rect.width()), 16000 / max(1.0, rect.height()))
        image = QImage(max(1, int(rect.width() * scale)), max(1, int(rect.height() * scale)),
                       QImage.Format.Format_ARGB32)
        image.fill(self.palette().color(QPalette.ColorRole.Base))
        p = QPainter(image)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        self._render(p, QRectF(image.rect()), rect)
        p.end()
        image.save(str(path), "PNG")
        return Path(path)

    def export_svg(self, path: str | Path) -> Path:
        """Write the whole graph as an SVG drawing."""
        from PySide6.QtSvg import QSvgGenerator

        self.up_to_date()
        rect = self.scene.itemsBoundingRect().adjusted(-20, -20, 20, 20)
        gen = QSvgGenerator()
        gen.setFileName(str(path))
        gen.setSize(rect.size().toSize())
        gen.setViewBox(QRectF(0, 0, rect.width(), rect.height()))
        gen.setTitle(f"{self.context.plan.settings.name}: action graph" if self.context.plan else "Graph")
        p = QPainter(gen)
        p.fillRect(QRectF(0, 0, rect.width(), rect.height()), self.palette().color(QPalette.ColorRole.Base))
        self._render(p, QRectF(0, 0, rect.width(), rect.height()), rect)
        p.end()
        return Path(path)

    def _export_dialog(self, suffix: str, writer) -> None:
        name = (self.context.plan.settings.name if self.context.plan else "graph") or "graph"
        path, _ = QFileDialog.getSaveFileName(self, f"Export graph as {suffix.upper()}",
                                              str(places.start_folder(
                                                  self.context.doc.path if self.context.doc
                                                  else None) / f"{name} graph.{suffix}"),
                                              f"{suffix.upper()} files (*.{suffix})")
        if path:
            writer(path)
            self.banner.show_message(f"Saved the graph to {path}.", "info")

    def export_png_dialog(self) -> None:
        self._export_dialog("png", self.export_png)

    def export_svg_dialog(self) -> None:
        self._export_dialog("svg", self.export_svg)

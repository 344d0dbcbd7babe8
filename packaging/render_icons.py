"""Render resources/icons/sijoint-exam.svg to the PNG sizes the desktop and bundle use.

Run it after editing the SVG (the PNGs are committed, so nothing renders at build time):

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/render_icons.py

Qt's own SVG renderer draws them, so no system tool is needed.
"""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parents[1] / "resources" / "icons"
SOURCE = ICONS / "sijoint-exam.svg"
SIZES = (48, 256)


def render(renderer: QSvgRenderer, size: int, target: Path) -> None:
    """Draw the SVG into a transparent `size`×`size` image and save it as PNG."""
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    if not image.save(str(target)):
        raise OSError(f"could not write {target}")


def main() -> int:
    app = QGuiApplication.instance() or QGuiApplication(sys.argv)  # noqa: F841
    renderer = QSvgRenderer(str(SOURCE))
    if not renderer.isValid():
        print(f"render_icons: {SOURCE} is not a valid SVG", file=sys.stderr)
        return 1
    for size in SIZES:
        target = ICONS / f"sijoint-exam-{size}.png"
        render(renderer, size, target)
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Draw the app icon with Qt (offscreen) and write the PNG, the Windows .ico and the macOS .icns.

Run once when the design changes; the outputs are committed in ``packaging/icons``:

    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

ICONS = Path(__file__).resolve().parent / "icons"
NAME = "treatment_returns"
SIZE = 512


def draw_png(path: Path, size: int = SIZE) -> None:
    """A blue rounded tile with a white ledger (three rows) and a green tick: checked returns."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QPointF, QRectF, Qt
    from PySide6.QtGui import QColor, QGuiApplication, QImage, QPainter, QPainterPath, QPen

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - needed for painting
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    s = size / 512
    tile = QPainterPath()
    tile.addRoundedRect(QRectF(16 * s, 16 * s, 480 * s, 480 * s), 96 * s, 96 * s)
    p.fillPath(tile, QColor("#005eb8"))
    sheet = QPainterPath()
    sheet.addRoundedRect(QRectF(104 * s, 84 * s, 250 * s, 330 * s), 24 * s, 24 * s)
    p.fillPath(sheet, QColor("#ffffff"))
    for i in range(4):
        y = (150 + i * 64) * s
        p.fillRect(QRectF(140 * s, y, 178 * s, 22 * s), QColor("#9dbce0"))
    pen = QPen(QColor("#ffffff"), 92 * s, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap, Qt.PenJoinStyle.RoundJoin)
    tick = [QPointF(262 * s, 352 * s), QPointF(326 * s, 416 * s), QPointF(440 * s, 270 * s)]
    p.setPen(pen)
    p.drawPolyline(tick)
    pen.setColor(QColor("#009639"))
    pen.setWidthF(52 * s)
    p.setPen(pen)
    p.drawPolyline(tick)
    p.end()
    if not image.save(str(path)):
        raise OSError(f"could not write {path}")


def convert(png: Path) -> list[Path]:
    """The .ico (Windows: 16 to 256 px) and .icns (macOS) from the PNG, with Pillow."""
    from PIL import Image

    image = Image.open(png).convert("RGBA")
    ico, icns = png.with_suffix(".ico"), png.with_suffix(".icns")
    image.save(ico, sizes=[(n, n) for n in (16, 24, 32, 48, 64, 128, 256)])
    image.save(icns)
    return [ico, icns]


def main() -> int:
    ICONS.mkdir(exist_ok=True)
    png = ICONS / f"{NAME}.png"
    draw_png(png)
    for path in [png, *convert(png)]:
        print(f"{path} ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

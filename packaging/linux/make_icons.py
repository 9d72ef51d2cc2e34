"""Render the application icon (resources/icons/workbench.svg) into the hicolor theme sizes:
`python packaging/linux/make_icons.py` writes packaging/linux/icons/hicolor/NxN/apps/*.png
and scalable/apps/*.svg. Run it again after changing the SVG; the PNGs are kept in the
repository so that installing needs no Qt."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
SOURCE = REPO / "resources" / "icons" / "workbench.svg"
APP_ID = "io.github.annotationworkbench.Workbench"
SIZES = (16, 22, 24, 32, 48, 64, 128, 256, 512)
THEME = HERE / "icons" / "hicolor"


def icon_paths() -> dict[str, Path]:
    """Each hicolor size folder ("16x16" ... "scalable") and the icon file in it."""
    paths = {f"{n}x{n}": THEME / f"{n}x{n}" / "apps" / f"{APP_ID}.png" for n in SIZES}
    paths["scalable"] = THEME / "scalable" / "apps" / f"{APP_ID}.svg"
    return paths


def render() -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    renderer = QSvgRenderer(str(SOURCE))
    for size, path in icon_paths().items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if size == "scalable":
            shutil.copyfile(SOURCE, path)
            continue
        n = int(size.split("x")[0])
        image = QImage(n, n, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        if not image.save(str(path)):
            raise SystemExit(f"could not write {path}")
    del app


if __name__ == "__main__":
    render()
    print(f"wrote {len(SIZES) + 1} icons under {THEME}")

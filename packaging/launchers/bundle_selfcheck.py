"""`sijoint-exam-selfcheck`: does the bundle find its fonts and icons? Prints JSON.

Built into the bundle beside the program by packaging/sijoint-exam.spec and run by
`make bundle-test` (packaging/check_bundle.py); a clinic's IT person can run it too.
It looks the resources up exactly as the program does, through
`importlib.resources.files("sijoint_exam.resources")`, then asks reportlab to load the
fonts and Qt to draw the SVG and PNG icons. Exit status 0 if everything was found.
"""

from __future__ import annotations

import json
import os
import sys
from importlib.resources import files


def check() -> dict[str, object]:
    # Qt's default platform where there is a display (xcb under Xvfb), else offscreen.
    headless = sys.platform.startswith("linux") and not (
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )
    if headless:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtGui import QGuiApplication, QIcon, QImageReader
    from PySide6.QtSvg import QSvgRenderer

    from sijoint_exam.report.fonts import register_fonts

    resources = files("sijoint_exam.resources")
    icons = resources / "icons"
    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])
    svg = str(icons / "sijoint-exam.svg")
    png_icon = QIcon()
    for size in (48, 256):
        png_icon.addFile(str(icons / f"sijoint-exam-{size}.png"))
    formats = {bytes(f).decode() for f in QImageReader.supportedImageFormats()}
    report = {
        "frozen": bool(getattr(sys, "frozen", False)),
        "resources": str(resources),
        "fonts": sorted(p.name for p in (resources / "fonts").iterdir()),
        "registered_font": register_fonts().regular,
        "desktop_file": (resources / "sijoint-exam.desktop").is_file(),
        "svg_valid": QSvgRenderer(svg).isValid(),
        "svg_image_format": "svg" in formats,
        # QIcon draws an SVG only through Qt's svg plugins: are they in the bundle?
        "svg_icon_48": not QIcon(svg).pixmap(48, 48).isNull(),
        "png_icon_256": not png_icon.pixmap(256, 256).isNull(),
        "qt_platform": app.platformName(),
        "reportlab_accelerated": _reportlab_accelerated(),
    }
    return report


def _reportlab_accelerated() -> bool:
    """Whether reportlab found its C accelerator (`_rl_accel`) in the bundle."""
    from reportlab.lib import rl_accel

    return type(rl_accel.fp_str).__name__ == "builtin_function_or_method"


def main() -> int:
    try:
        report = check()
    except Exception as error:  # report any failure as JSON, and fail
        print(json.dumps({"error": f"{type(error).__name__}: {error}"}))
        return 1
    print(json.dumps(report, indent=2))
    required = (
        "desktop_file",
        "svg_valid",
        "svg_image_format",
        "svg_icon_48",
        "png_icon_256",
    )
    fonts_ok = {"NanumGothic.ttf", "NanumGothicBold.ttf"} <= set(report["fonts"])
    return 0 if fonts_ok and all(report[key] for key in required) else 1


if __name__ == "__main__":
    sys.exit(main())

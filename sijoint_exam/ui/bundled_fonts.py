"""The bundled fonts, made available to Qt too, so that names in scripts the
system's fonts lack (Hangul, Chinese) show in the window, not as boxes.

The PDF side registers the same files with reportlab (report/fonts.py); Qt finds
these by its own font fallback once they are application fonts.
"""

from __future__ import annotations

import logging

from PySide6.QtGui import QFontDatabase

from sijoint_exam import resources

log = logging.getLogger(__name__)

# Hangul (and Latin), and the Chinese/Japanese fallback; Noto Sans is left out:
# Latin, Greek and Cyrillic are covered by every desktop's own fonts.
WINDOW_FONTS = ("NanumGothic.ttf", "NanumGothicBold.ttf", "DroidSansFallbackFull.ttf")


def add_bundled_fonts() -> list[str]:
    """Add the bundled fonts to the application's fonts; the families added.

    A font that cannot be read is logged and left out: the window still works,
    with the system's fonts.
    """
    folder = resources.FOLDER / "fonts"
    families: list[str] = []
    for name in WINDOW_FONTS:
        font_id = QFontDatabase.addApplicationFont(str(folder / name))
        if font_id < 0:
            log.warning("the bundled font %s could not be added", name)
            continue
        families.extend(QFontDatabase.applicationFontFamilies(font_id))
    return families

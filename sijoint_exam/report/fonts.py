"""Register the bundled Unicode TrueType fonts with reportlab, once.

reportlab's standard 14 fonts are not embedded and print non-Latin names as black
boxes, so every PDF uses NanumGothic (SIL OFL, resources/fonts/): Latin-1, Latin
Extended-A and Hangul, embedded as subsets.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FAMILY = "NanumGothic"
REGULAR = "NanumGothic"
BOLD = "NanumGothic-Bold"
_FILES = {REGULAR: "NanumGothic.ttf", BOLD: "NanumGothicBold.ttf"}

# Characters the bundled font lacks, drawn as a close look-alike instead of a box.
# NanumGothic has no U+2212 MINUS SIGN, which the domain writes in "LR−".
SUBSTITUTES = {"\u2212": "\u2013"}


@dataclass(frozen=True)
class FontFamily:
    """The registered font names a style sheet uses."""

    regular: str
    bold: str


def _fonts_dir() -> Traversable:
    """The bundled fonts: from the `sijoint_exam.resources` package when installed."""
    try:
        return files("sijoint_exam.resources") / "fonts"
    except ModuleNotFoundError:
        # A bare checkout that was never installed: resources/ beside the package.
        return Path(__file__).resolve().parents[2] / "resources" / "fonts"


@functools.cache
def register_fonts() -> FontFamily:
    """Register the bundled fonts and their family; later calls do nothing.

    Returns:
        The names to use in styles; `<b>` in a Paragraph maps to the bold face.
    """
    fonts_dir = _fonts_dir()
    for name, filename in _FILES.items():
        with (fonts_dir / filename).open("rb") as handle:
            pdfmetrics.registerFont(TTFont(name, handle))
    # No italic face is bundled: italic markup falls back to the upright faces.
    pdfmetrics.registerFontFamily(
        FAMILY, normal=REGULAR, bold=BOLD, italic=REGULAR, boldItalic=BOLD
    )
    return FontFamily(regular=REGULAR, bold=BOLD)


def font_covers(text: str, font_name: str) -> bool:
    """True if the registered TrueType font has a glyph for every visible character.

    Args:
        text: what will be drawn; whitespace is not checked.
        font_name: a name registered by `register_fonts`.
    """
    glyphs = pdfmetrics.getFont(font_name).face.charToGlyph
    return all(ord(ch) in glyphs for ch in text if not ch.isspace())


def fit_to_font(text: str) -> str:
    """Swap characters the bundled font lacks for their look-alikes."""
    for missing, stand_in in SUBSTITUTES.items():
        text = text.replace(missing, stand_in)
    return text

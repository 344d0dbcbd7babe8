"""The bundled Unicode fonts, and automatic font switching for scripts they split.

reportlab's standard 14 fonts are not embedded and print non-Latin names as black
boxes, so every PDF uses bundled TrueType fonts, embedded as subsets
(resources/fonts/, each with its licence):

- NanumGothic (SIL OFL), the main font: Latin-1, Latin Extended-A, Hangul, basic
  Greek and Cyrillic, and the 4,620 hanja of KS X 1001;
- Noto Sans (SIL OFL): the rest of Latin (Vietnamese, Romanian …), accented Greek,
  all of Cyrillic;
- Droid Sans Fallback (Apache-2.0): the CJK ideographs and kana NanumGothic lacks.

Every run of text is drawn in the first font of that chain that has its characters
(`font_runs`), so a name never prints as boxes. The fallbacks are loaded only when
a character needs them: a Latin or Korean note never pays for the 4 MB CJK font.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from html import escape
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from sijoint_exam.report.glyph_tables import SUFFIX, StoredTablesFont

FAMILY = "NanumGothic"
REGULAR = "NanumGothic"
BOLD = "NanumGothic-Bold"

# Characters no bundled font has, drawn as a close look-alike instead of a box.
# No bundled font has U+2212 MINUS SIGN, which the domain writes in "LR−".
SUBSTITUTES = {"\u2212": "\u2013"}


@dataclass(frozen=True)
class FontFamily:
    """The registered font names a style sheet uses."""

    regular: str
    bold: str


@dataclass(frozen=True)
class _Face:
    """A bundled family: its registered names and files (no bold file: regular)."""

    regular: str
    regular_file: str
    bold: str
    bold_file: str | None


_MAIN = _Face(REGULAR, "NanumGothic.ttf", BOLD, "NanumGothicBold.ttf")
# In the order they are tried after the main font.
FALLBACKS: tuple[_Face, ...] = (
    _Face("NotoSans", "NotoSans-Regular.ttf", "NotoSans-Bold", "NotoSans-Bold.ttf"),
    # No bold face: CJK runs in a bold line are drawn regular.
    _Face("DroidSansFallback", "DroidSansFallbackFull.ttf", "DroidSansFallback", None),
)


def _fonts_dir() -> Traversable:
    """The bundled fonts: from the `sijoint_exam.resources` package when installed."""
    try:
        return files("sijoint_exam.resources") / "fonts"
    except ModuleNotFoundError:
        # A bare checkout that was never installed: resources/ beside the package.
        return Path(__file__).resolve().parents[2] / "resources" / "fonts"


def _register(face: _Face) -> None:
    fonts_dir = _fonts_dir()
    for name, filename in (
        (face.regular, face.regular_file),
        (face.bold, face.bold_file),
    ):
        if filename is None:
            continue
        # The font's precomputed glyph tables (glyph_tables.py): reading them is
        # several times quicker than reportlab's reading of the font's own. Without
        # them the font is read the slow way.
        try:
            glyph_file = (fonts_dir / (filename + SUFFIX)).read_bytes()
        except OSError:
            glyph_file = None
        with (fonts_dir / filename).open("rb") as handle:
            pdfmetrics.registerFont(StoredTablesFont(name, handle, glyph_file))
    # A family, so Paragraph markup maps <font face=…> with bold to the bold face.
    # No italic face is bundled: italic falls back to the upright faces.
    pdfmetrics.registerFontFamily(
        face.regular,
        normal=face.regular,
        bold=face.bold,
        italic=face.regular,
        boldItalic=face.bold,
    )


@functools.cache
def register_fonts() -> FontFamily:
    """Register the main font and its family; later calls do nothing.

    Returns:
        The names to use in styles; `<b>` in a Paragraph maps to the bold face.
    """
    _register(_MAIN)
    return FontFamily(regular=REGULAR, bold=BOLD)


@functools.cache
def _fallback(index: int) -> _Face:
    """The index-th fallback family, registered on first use."""
    face = FALLBACKS[index]
    _register(face)
    return face


@functools.cache
def _glyphs(font_name: str) -> frozenset[int]:
    return frozenset(pdfmetrics.getFont(font_name).face.charToGlyph)


def font_covers(text: str, font_name: str) -> bool:
    """True if the registered TrueType font has a glyph for every visible character.

    Args:
        text: what will be drawn; whitespace is not checked.
        font_name: a registered font name.
    """
    glyphs = _glyphs(font_name)
    # Most text is covered whole, spaces and all: one set operation in C decides
    # it; only text with a character missing needs the look at each character.
    if glyphs.issuperset(map(ord, text)):
        return True
    return all(ord(ch) in glyphs for ch in text if not ch.isspace())


def fit_to_font(text: str) -> str:
    """Compose accents (NFC) and swap characters no font has for look-alikes."""
    text = unicodedata.normalize("NFC", text)
    for missing, stand_in in SUBSTITUTES.items():
        text = text.replace(missing, stand_in)
    return text


def _font_for(ch: str, bold: bool) -> str | None:
    """The first font of the chain with a glyph for `ch`; None if none has one."""
    main = BOLD if bold else REGULAR
    if ch.isspace() or ord(ch) in _glyphs(main):
        return main
    for index in range(len(FALLBACKS)):
        face = _fallback(index)
        name = face.bold if bold else face.regular
        if ord(ch) in _glyphs(name):
            return name
    return None


def _word_font(word: str, bold: bool) -> str | None:
    """One font for the whole word, so its letters match; None if none has all."""
    main = BOLD if bold else REGULAR
    if font_covers(word, main):
        return main
    for index in range(len(FALLBACKS)):
        face = _fallback(index)
        name = face.bold if bold else face.regular
        if font_covers(word, name):
            return name
    return None


def _pieces(word: str, bold: bool) -> Iterator[tuple[str, str]]:
    """(font, text) for a word: whole when one font has it, else letter by letter.

    A character no bundled font has is written as its code point, `[U+1F600]`, in
    the main font: visible and searchable, never a box.
    """
    font = _word_font(word, bold)
    if font is not None:
        yield font, word
        return
    main = BOLD if bold else REGULAR
    for ch in word:
        found = _font_for(ch, bold)
        yield (found, ch) if found is not None else (main, f"[U+{ord(ch):04X}]")


def font_runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """Split text into (font name, run) pairs, each run in a font that has it.

    The whole text is kept in one font when one font has all of it (a name is not
    drawn half in each font), else each word when one font has all its letters;
    spaces join the run before them.

    Args:
        text: plain text (not markup).
        bold: pick bold faces where the family has one.
    """
    register_fonts()
    text = fit_to_font(text)
    if (whole := _word_font(text, bold)) is not None:
        return [(whole, text)] if text else []
    runs: list[tuple[str, str]] = []
    for token in re.split(r"(\s+)", text):
        if not token:
            continue
        pieces = [(runs[-1][0] if runs else BOLD if bold else REGULAR, token)]
        if not token.isspace():
            pieces = list(_pieces(token, bold))
        for font, piece in pieces:
            if runs and (runs[-1][0] == font or piece.isspace()):
                runs[-1] = (runs[-1][0], runs[-1][1] + piece)
            else:
                runs.append((font, piece))
    return runs


def markup(text: str, bold: bool = False) -> str:
    """Plain text as Paragraph markup: escaped, line breaks kept, fonts switched."""
    main = BOLD if bold else REGULAR
    lines = []
    for line in text.splitlines() or [""]:
        parts = []
        for font, run in font_runs(line, bold):
            # html.escape, not xml.sax.saxutils: the same three entities, without
            # the 20 ms saxutils takes to import (it pulls in urllib and email).
            text_run = escape(run, quote=False)
            if font == main:
                parts.append(text_run)
            else:
                parts.append(f'<font face="{font}">{text_run}</font>')
        lines.append("".join(parts))
    return "<br/>".join(lines)


def string_width(text: str, size: float, bold: bool = False) -> float:
    """The width of `text` drawn with `draw_string`."""
    return float(
        sum(stringWidth(run, font, size) for font, run in font_runs(text, bold))
    )


def draw_string(
    canvas: Canvas,
    x: float,
    y: float,
    text: str,
    size: float,
    *,
    bold: bool = False,
    align: str = "left",
) -> None:
    """Draw one line on a canvas, switching fonts run by run.

    The runs share one text object, so a reader extracts them as one string
    (separate strings would read as "张 , 晓燕").

    Args:
        align: "left" (x is the start), "right" (x is the end) or "centre".
    """
    width = string_width(text, size, bold)
    start = {"left": x, "right": x - width, "centre": x - width / 2}[align]
    line = canvas.beginText(start, y)
    for font, run in font_runs(text, bold):
        line.setFont(font, size)
        line.textOut(run)
    canvas.drawText(line)

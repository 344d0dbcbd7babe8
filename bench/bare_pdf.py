"""The export benchmarks' baseline: a bare reportlab document of the note's text.

Every string the note holds (title, facts, headings, paragraphs, table cells,
captions, signature) becomes one plain Paragraph in a SimpleDocTemplate, in stock
reportlab: the bundled fonts registered with `TTFont` as the reportlab docs show,
the first of NanumGothic, Noto Sans, Droid Sans Fallback that has a string's
characters (so a Korean name costs the baseline the same Korean font), one regular
face, no header, footer, tables, charts or font switching. What the export costs
beyond this is what the program adds.
"""

from __future__ import annotations

import dataclasses
import functools
from enum import Enum
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the cold baseline imports reportlab inside its timing
    from sijoint_exam.domain.note import NoteContent

FONTS = Path(__file__).resolve().parent.parent / "resources" / "fonts"
# The bundled fonts in the order the program tries them, regular faces only.
CHAIN = (
    ("NanumGothic", "NanumGothic.ttf"),
    ("NotoSans", "NotoSans-Regular.ttf"),
    ("DroidSansFallback", "DroidSansFallbackFull.ttf"),
)


def _strings(value: object) -> list[str]:
    if isinstance(value, Enum):
        return []  # a tone or a kind: how text looks, not text
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [
            s
            for f in dataclasses.fields(value)
            for s in _strings(getattr(value, f.name))
        ]
    if isinstance(value, tuple | list):
        return [s for item in value for s in _strings(item)]
    return []


def note_text(note: NoteContent) -> list[str]:
    """Every string the note prints, in the order the note holds them."""
    from sijoint_exam.domain.note import BodyChart

    hidden = {note.letterhead.logo_path}  # a file path, not printed
    for section in note.sections:
        for block in section.blocks:
            if isinstance(block, BodyChart):
                hidden.update(block.regions)  # region ids: drawn, not printed
    return [s for s in _strings(note) if s.strip() and s not in hidden]


@functools.cache
def _font(index: int) -> tuple[str, frozenset[int]]:
    """The index-th font of the chain, registered on first use, and its characters."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name, filename = CHAIN[index]
    font = TTFont(name, str(FONTS / filename))
    pdfmetrics.registerFont(font)
    return name, frozenset(font.face.charToGlyph)


def register_main_font() -> None:
    """Register NanumGothic now (a batch does it once, before its workers fork)."""
    _font(0)


def _font_for(text: str) -> str:
    codes = {ord(ch) for ch in text if not ch.isspace()}
    for index in range(len(CHAIN)):
        name, covered = _font(index)
        if codes <= covered:
            return name
    return CHAIN[0][0]  # boxes for what no font has; a baseline need not care


def write_bare_pdf(texts: list[str], target: Path | str) -> None:
    """The texts as plain paragraphs in a SimpleDocTemplate (A4, default margins)."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    styles: dict[str, ParagraphStyle] = {}
    story: list[Any] = []
    for text in texts:
        font = _font_for(text)
        style = styles.setdefault(
            font, ParagraphStyle(font, fontName=font, fontSize=10, leading=13.5)
        )
        markup = escape(text, quote=False).replace("\n", "<br/>")
        story.append(Paragraph(markup, style))
    SimpleDocTemplate(str(target), pagesize=A4).build(story)

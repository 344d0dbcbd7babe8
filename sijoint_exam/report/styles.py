"""The look of the PDF reports: page, margins, paragraph and table styles."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

from sijoint_exam.report.fonts import FontFamily

PAGE_SIZE = A4
LEFT_MARGIN = RIGHT_MARGIN = 20 * mm
TOP_MARGIN = 30 * mm  # room for the patient header above the frame
BOTTOM_MARGIN = 22 * mm  # room for the footer below the frame
FRAME_WIDTH = PAGE_SIZE[0] - LEFT_MARGIN - RIGHT_MARGIN

# The running header (patient label) and footer (draft notice, page X of Y).
HEADER_BASELINE = PAGE_SIZE[1] - 15 * mm
HEADER_RULE_Y = HEADER_BASELINE - 4 * mm
HEADER_FONT_SIZE = 9.5
HEADER_MIN_FONT_SIZE = 6.5
FOOTER_BASELINE = 12 * mm
FOOTER_RULE_Y = FOOTER_BASELINE + 4 * mm
FOOTER_FONT_SIZE = 8

INK = colors.black
MUTED = colors.HexColor("#555555")
RULE = colors.HexColor("#999999")
GRID = colors.HexColor("#BBBBBB")
HEADER_FILL = colors.HexColor("#E6E6E6")
COUNTED_FILL = colors.HexColor("#F3F6FA")
DRAFT_INK = colors.HexColor("#9B1C1C")

# Test table columns: test, side, result, detail, in tally.
PROVOCATION_COLUMNS = (
    FRAME_WIDTH * 0.30,
    FRAME_WIDTH * 0.11,
    FRAME_WIDTH * 0.17,
    FRAME_WIDTH * 0.27,
    FRAME_WIDTH * 0.15,
)
# Patient and visit facts: the label hangs in the margin of an indented value.
FACT_LABEL_WIDTH = FRAME_WIDTH * 0.25


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a report, all in the bundled fonts."""

    fonts: FontFamily
    title: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    strong: ParagraphStyle
    muted: ParagraphStyle
    caution: ParagraphStyle
    fact: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    draft: ParagraphStyle


def make_styles(fonts: FontFamily) -> Styles:
    """Fresh styles (never reportlab's shared sample sheet, which others may edit)."""
    body = ParagraphStyle(
        "Body",
        fontName=fonts.regular,
        bulletFontName=fonts.regular,  # the default, Helvetica, is not embedded
        fontSize=10,
        leading=13.5,
        textColor=INK,
        spaceAfter=4,
    )
    cell = ParagraphStyle("Cell", parent=body, fontSize=9.5, leading=12, spaceAfter=0)
    return Styles(
        fonts=fonts,
        title=ParagraphStyle(
            "Title",
            parent=body,
            fontName=fonts.bold,
            fontSize=16,
            leading=20,
            spaceAfter=6,
        ),
        heading=ParagraphStyle(
            "Heading",
            parent=body,
            fontName=fonts.bold,
            fontSize=11.5,
            leading=15,
            spaceBefore=10,
            spaceAfter=4,
            keepWithNext=1,
        ),
        body=body,
        strong=ParagraphStyle("Strong", parent=body, fontName=fonts.bold),
        muted=ParagraphStyle("Muted", parent=body, textColor=MUTED),
        caution=ParagraphStyle(
            "Caution",
            parent=body,
            fontSize=9.5,
            leading=12.5,
            leftIndent=10,
            bulletIndent=0,
            spaceAfter=2,
        ),
        # A paragraph, not a table row, so a long value can break across pages.
        fact=ParagraphStyle(
            "Fact",
            parent=body,
            leftIndent=FACT_LABEL_WIDTH,
            bulletIndent=0,
            bulletFontName=fonts.bold,
            spaceAfter=1,
        ),
        cell=cell,
        cell_head=ParagraphStyle("CellHead", parent=cell, fontName=fonts.bold),
        draft=ParagraphStyle(
            "Draft",
            parent=body,
            fontName=fonts.bold,
            fontSize=10.5,
            textColor=DRAFT_INK,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
    )


def _cell_font(fonts: FontFamily) -> tuple[object, ...]:
    # Tables set a cell font even for Paragraph cells; the default, Helvetica,
    # would be a font reference that is not embedded.
    return ("FONT", (0, 0), (-1, -1), fonts.regular)


def provocation_table_style(fonts: FontFamily, counted_rows: list[int]) -> TableStyle:
    """Grid, a shaded header row, and a light fill on the rows the tally counts.

    Args:
        fonts: the registered fonts.
        counted_rows: table row indexes (the header is row 0) that enter the tally.
    """
    commands: list[tuple[object, ...]] = [
        _cell_font(fonts),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), COUNTED_FILL) for r in counted_rows]
    return TableStyle(commands)


def draft_box_style(fonts: FontFamily) -> TableStyle:
    """A bordered box around the draft notice."""
    return TableStyle(
        [
            _cell_font(fonts),
            ("BOX", (0, 0), (-1, -1), 1, DRAFT_INK),
            ("TOPPADDING", (0, 0), (-1, -1), 4),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ]
    )

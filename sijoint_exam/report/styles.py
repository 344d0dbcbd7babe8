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
COUNTED_FILL = colors.HexColor("#E6EDF6")
DRAFT_INK = colors.HexColor("#9B1C1C")
# The diagonal DRAFT watermark: light enough to read the note through it.
WATERMARK_INK = colors.Color(0.61, 0.11, 0.11, alpha=0.13)
WATERMARK_FONT_SIZE = 64
EMERGENCY_FILL = colors.HexColor("#FDECEC")
SIGNED_INK = colors.HexColor("#1D5C2E")
# The body chart: marked regions filled, the rest outlined.
MARKED_FILL = colors.HexColor("#D9534F")
MARKED_STROKE = colors.HexColor("#8E2A27")
SILHOUETTE_FILL = colors.HexColor("#F1F1F1")
OUTLINE = colors.HexColor("#8A8A8A")
TREND_LINE = colors.HexColor("#2F5D8A")

# Table columns as shares of the frame, by column count; the first is the widest.
# Five columns: test, side, result, detail, in tally (or a block's readings).
COLUMN_SHARES: dict[int, tuple[float, ...]] = {
    2: (0.45, 0.55),
    4: (0.31, 0.23, 0.23, 0.23),
    5: (0.30, 0.11, 0.17, 0.27, 0.15),
}
# Patient and visit facts: the label hangs in the margin of an indented value.
FACT_LABEL_WIDTH = FRAME_WIDTH * 0.25
# Letterhead: the logo's box at the right of the clinic's name and address.
LOGO_MAX_WIDTH = 40 * mm
LOGO_MAX_HEIGHT = 18 * mm


@dataclass(frozen=True)
class Styles:
    """The paragraph styles of a report, all in the bundled fonts."""

    fonts: FontFamily
    title: ParagraphStyle
    part: ParagraphStyle
    heading: ParagraphStyle
    body: ParagraphStyle
    strong: ParagraphStyle
    muted: ParagraphStyle
    caution: ParagraphStyle
    bulleted: ParagraphStyle
    fact: ParagraphStyle
    cell: ParagraphStyle
    cell_head: ParagraphStyle
    draft: ParagraphStyle
    emergency: ParagraphStyle
    caption: ParagraphStyle
    clinic: ParagraphStyle
    clinic_detail: ParagraphStyle
    signed: ParagraphStyle


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
        part=ParagraphStyle(
            "Part",
            parent=body,
            fontName=fonts.bold,
            fontSize=13,
            leading=17,
            spaceBefore=14,
            spaceAfter=2,
            keepWithNext=1,
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
            spaceAfter=4,
        ),
        bulleted=ParagraphStyle(
            "Bulleted",
            parent=body,
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
        emergency=ParagraphStyle(
            "Emergency",
            parent=body,
            fontName=fonts.bold,
            fontSize=10.5,
            leading=14,
            textColor=DRAFT_INK,
            spaceAfter=0,
        ),
        caption=ParagraphStyle(
            "Caption",
            parent=body,
            fontSize=8.5,
            leading=11,
            textColor=MUTED,
            spaceBefore=2,
        ),
        clinic=ParagraphStyle(
            "Clinic", parent=body, fontName=fonts.bold, fontSize=12, leading=15
        ),
        clinic_detail=ParagraphStyle(
            "ClinicDetail",
            parent=body,
            fontSize=9,
            leading=11.5,
            textColor=MUTED,
            spaceAfter=0,
        ),
        signed=ParagraphStyle(
            "Signed", parent=body, fontName=fonts.bold, textColor=SIGNED_INK
        ),
    )


def _cell_font(fonts: FontFamily) -> tuple[object, ...]:
    # Tables set a cell font even for Paragraph cells; the default, Helvetica,
    # would be a font reference that is not embedded.
    return ("FONT", (0, 0), (-1, -1), fonts.regular)


def table_style(fonts: FontFamily, shaded_rows: list[int]) -> TableStyle:
    """Grid, a shaded header row, and a light fill on the highlighted rows.

    Args:
        fonts: the registered fonts.
        shaded_rows: table row indexes (the header is row 0) to fill, e.g. the
            rows that enter the tally.
    """
    commands: list[tuple[object, ...]] = [
        _cell_font(fonts),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER_FILL),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    commands += [("BACKGROUND", (0, r), (-1, r), COUNTED_FILL) for r in shaded_rows]
    return TableStyle(commands)


def box_style(
    fonts: FontFamily, ink: colors.Color, fill: colors.Color | None = None
) -> TableStyle:
    """A bordered box around a notice: the draft, the emergency, the signature."""
    commands: list[tuple[object, ...]] = [
        _cell_font(fonts),
        ("BOX", (0, 0), (-1, -1), 1, ink),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
        ("LEFTPADDING", (0, 0), (-1, -1), 6),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
    ]
    if fill is not None:
        commands.append(("BACKGROUND", (0, 0), (-1, -1), fill))
    return TableStyle(commands)


def letterhead_style(fonts: FontFamily) -> TableStyle:
    """Name and address on the left, the logo on the right, no borders."""
    return TableStyle(
        [
            _cell_font(fonts),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("ALIGN", (1, 0), (1, 0), "RIGHT"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("LINEBELOW", (0, 0), (-1, 0), 0.5, RULE),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
        ]
    )

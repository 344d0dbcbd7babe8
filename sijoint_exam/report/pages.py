"""The page around the story: patient header, DRAFT watermark, footer, page X of Y.

Shared by the visit note and the referral letter. `write_pdf` writes the document
whole (never half a file) and can make byte-identical output for tests.
"""

from __future__ import annotations

import functools
import io
import os
import pathlib
import tempfile
import typing

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from sijoint_exam import __version__
from sijoint_exam.domain.note import NoteContent
from sijoint_exam.report import styles as look
from sijoint_exam.report.fonts import (
    FontFamily,
    draw_string,
    register_fonts,
    string_width,
)

Target = pathlib.Path | str | typing.BinaryIO


def fitted(text: str, width: float, bold: bool) -> tuple[str, float]:
    """Shrink the font, then cut with an ellipsis, until `text` fits `width`."""
    size = look.HEADER_FONT_SIZE
    while size > look.HEADER_MIN_FONT_SIZE and string_width(text, size, bold) > width:
        size -= 0.5
    if string_width(text, size, bold) <= width:
        return text, size
    # The longest prefix that fits with the ellipsis, by bisection (names can be long).
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if string_width(text[:mid] + "…", size, bold) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…", size


class PageDecorations:
    """The patient header and the watermark (onPage), the footer (onPageEnd).

    The header and watermark are drawn before the page's story and the footer
    after it, so extracted text reads header, body, footer.
    """

    def __init__(self, note: NoteContent) -> None:
        p = note.patient
        self._name = p.name
        self._details = f"DOB {p.date_of_birth}   MRN {p.mrn}   Visit {note.visit_date}"
        self._status = note.status
        self._signed = note.signed

    def header(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        left, right = look.LEFT_MARGIN, look.PAGE_SIZE[0] - look.RIGHT_MARGIN
        half = (right - left) / 2
        canvas.saveState()
        if not self._signed:
            self._watermark(canvas)
        name, size = fitted(self._name, half - 6, bold=True)
        draw_string(canvas, left, look.HEADER_BASELINE, name, size, bold=True)
        details, size = fitted(self._details, half - 6, bold=False)
        draw_string(canvas, right, look.HEADER_BASELINE, details, size, align="right")
        canvas.setStrokeColor(look.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, look.HEADER_RULE_Y, right, look.HEADER_RULE_Y)
        canvas.restoreState()

    def footer(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        left, right = look.LEFT_MARGIN, look.PAGE_SIZE[0] - look.RIGHT_MARGIN
        canvas.saveState()
        canvas.setStrokeColor(look.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, look.FOOTER_RULE_Y, right, look.FOOTER_RULE_Y)
        canvas.setFillColor(look.SIGNED_INK if self._signed else look.DRAFT_INK)
        status, size = fitted(self._status, (right - left) * 0.7, bold=True)
        draw_string(canvas, left, look.FOOTER_BASELINE, status, min(size, 8), bold=True)
        canvas.restoreState()

    def _watermark(self, canvas: Canvas) -> None:
        width, height = look.PAGE_SIZE
        canvas.saveState()
        canvas.setFillColor(look.WATERMARK_INK)
        canvas.translate(width / 2, height / 2)
        canvas.rotate(52)
        draw_string(
            canvas, 0, -look.WATERMARK_FONT_SIZE / 3, "DRAFT — not signed",
            look.WATERMARK_FONT_SIZE, bold=True, align="centre",
        )  # fmt: skip
        canvas.restoreState()


class NumberedCanvas(Canvas):
    """Holds every page back until the end, then stamps 'page X of Y' on each.

    The reportlab-users recipe: the page count is known only after the last page.
    """

    def __init__(
        self, *args: typing.Any, footer_font: str, **kwargs: typing.Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.footer_font = footer_font
        self._held_pages: list[dict[str, typing.Any]] = []

    def showPage(self) -> None:  # reportlab's camelCase override
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, page in enumerate(self._held_pages, start=1):
            self.__dict__.update(page)
            self._stamp_page_number(number, total)
            super().showPage()
        super().save()

    def _stamp_page_number(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(self.footer_font, look.FOOTER_FONT_SIZE)
        self.setFillColor(look.MUTED)
        right = look.PAGE_SIZE[0] - look.RIGHT_MARGIN
        self.drawRightString(right, look.FOOTER_BASELINE, f"page {number} of {total}")
        self.restoreState()


def _render(
    note: NoteContent,
    story: list[Flowable],
    out: typing.BinaryIO,
    invariant: bool,
    fonts: FontFamily,
) -> None:
    doc = BaseDocTemplate(
        out,
        pagesize=look.PAGE_SIZE,
        leftMargin=look.LEFT_MARGIN,
        rightMargin=look.RIGHT_MARGIN,
        topMargin=look.TOP_MARGIN,
        bottomMargin=look.BOTTOM_MARGIN,
        # Metadata: what the document is and who wrote it; no patient data.
        title=note.title,
        author=note.clinician,
        subject="",
        keywords="",
        creator=f"sijoint-exam {__version__}",
        lang="en",
        # Else the canvas starts in Helvetica, a font reference that is not embedded.
        initialFontName=fonts.regular,
        # Passed to this document's canvas only: rl_config.invariant is left alone.
        invariant=int(invariant),
    )
    # No frame padding: the story lines up with the header and footer rules.
    frame = Frame(
        doc.leftMargin,
        doc.bottomMargin,
        doc.width,
        doc.height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    decorations = PageDecorations(note)
    template = PageTemplate(
        id=note.kind.value,
        frames=[frame],
        onPage=decorations.header,
        onPageEnd=decorations.footer,
    )
    doc.addPageTemplates([template])
    doc.build(
        story,
        canvasmaker=functools.partial(NumberedCanvas, footer_font=fonts.regular),
    )


def write_pdf(
    note: NoteContent, story: list[Flowable], target: Target, invariant: bool
) -> None:
    """Write the story as a PDF with the note's pages around it.

    Args:
        note: the content (header, footer, metadata come from it).
        story: the flowables, from the visit note or the referral letter.
        target: a path (replaced whole, only once the PDF is complete) or a binary
            stream to write to.
        invariant: byte-identical output for the same note (fixed dates and ids).
    """
    fonts = register_fonts()
    if not isinstance(target, pathlib.Path | str):
        _render(note, story, target, invariant, fonts)
        return
    target = pathlib.Path(target)
    buffer = io.BytesIO()
    _render(note, story, buffer, invariant, fonts)
    # Write beside the target and rename, so a failed write never leaves half a PDF.
    fd, tmp = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(buffer.getvalue())
        os.replace(tmp, target)
    except BaseException:
        pathlib.Path(tmp).unlink(missing_ok=True)
        raise

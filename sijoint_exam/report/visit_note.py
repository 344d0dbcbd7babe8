"""NoteContent -> the PDF visit note: a story of flowables, a running patient header."""

from __future__ import annotations

import functools
import io
import os
import pathlib
import tempfile
import typing
from xml.sax.saxutils import escape

from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    HRFlowable,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
)

from sijoint_exam import __version__
from sijoint_exam.domain.note import NoteContent
from sijoint_exam.report import styles as look
from sijoint_exam.report.fonts import FontFamily, fit_to_font, register_fonts

NOT_RECORDED = "Not recorded"


def _markup(text: str) -> str:
    """Free text as Paragraph markup: escaped, line breaks kept, glyphs the font has."""
    return "<br/>".join(fit_to_font(escape(line)) for line in text.splitlines())


def _para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(_markup(text), style)


def _free_text(text: str, st: look.Styles) -> Paragraph:
    """A clinician's free text, or a muted 'Not recorded'."""
    if not text.strip():
        return _para(NOT_RECORDED, st.muted)
    return _para(text, st.body)


def _facts(note: NoteContent, st: look.Styles) -> list[Flowable]:
    p = note.patient
    rows = [
        ("Patient", p.name),
        ("Date of birth", p.date_of_birth),
        ("Sex", p.sex),
        ("MRN", p.mrn),
        ("Visit date", note.visit_date),
        ("Clinician", note.clinician or NOT_RECORDED),
        ("Symptomatic side", note.symptomatic_side),
    ]
    story: list[Flowable] = [
        Paragraph(_markup(value), st.fact, bulletText=label) for label, value in rows
    ]
    story.append(HRFlowable(width="100%", thickness=0.5, color=look.RULE))
    return story


def _provocation_table(note: NoteContent, st: look.Styles) -> Table:
    head = ["Test", "Side", "Result", "Detail", "In tally"]
    data = [[_para(h, st.cell_head) for h in head]]
    for row in note.provocation:
        cells = (
            row.test,
            row.side,
            row.result,
            row.detail,
            "Yes" if row.counts else "",
        )
        data.append([_para(c, st.cell) for c in cells])
    counted = [i for i, row in enumerate(note.provocation, start=1) if row.counts]
    table = Table(data, colWidths=look.PROVOCATION_COLUMNS, repeatRows=1, hAlign="LEFT")
    table.setStyle(look.provocation_table_style(st.fonts, counted))
    return table


def _draft_notice(note: NoteContent, st: look.Styles) -> Table:
    box = Table([[_para(note.status, st.draft)]], colWidths=[look.FRAME_WIDTH])
    box.setStyle(look.draft_box_style(st.fonts))
    return box


def _cluster_section(note: NoteContent, st: look.Styles) -> list[Flowable]:
    story: list[Flowable] = [
        _para("Cluster result", st.heading),
        _para(note.tally, st.strong),
        _para(f"Source: {note.citation}", st.body),
        _para(note.post_test, st.body),
        _para(note.per_side, st.body),
        _para(note.centralisation, st.body),
    ]
    story += [Paragraph(_markup(c), st.caution, bulletText="•") for c in note.cautions]
    return story


def build_story(note: NoteContent) -> list[Flowable]:
    """The flowables of a visit note, top to bottom (header and footer excluded).

    Args:
        note: the note's content; every string in it is treated as plain text.
    """
    st = look.make_styles(register_fonts())
    story: list[Flowable] = [
        _para(note.title, st.title),
        _draft_notice(note, st),
        Spacer(1, 8),
        *_facts(note, st),
        _para("Chief complaint", st.heading),
        _free_text(note.chief_complaint, st),
        _para(f"Provocation tests — {note.rule_name}", st.heading),
        _provocation_table(note, st),
    ]
    if note.test_remarks:
        story.append(_para("Remarks on tests", st.heading))
        story += [
            Paragraph(f"<b>{_markup(r.test)}:</b> {_markup(r.text)}", st.body)
            for r in note.test_remarks
        ]
    story += _cluster_section(note, st)
    story += [
        _para("Assessment", st.heading),
        _free_text(note.assessment, st),
        _para("Plan", st.heading),
        _free_text(note.plan, st),
    ]
    return story


def _fitted(text: str, font: str, width: float) -> tuple[str, float]:
    """Shrink the font, then cut with an ellipsis, until `text` fits `width`."""
    size = look.HEADER_FONT_SIZE
    while size > look.HEADER_MIN_FONT_SIZE and stringWidth(text, font, size) > width:
        size -= 0.5
    if stringWidth(text, font, size) <= width:
        return text, size
    # The longest prefix that fits with the ellipsis, by bisection (names can be long).
    low, high = 0, len(text)
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(text[:mid] + "…", font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text[:low].rstrip() + "…", size


class _PageDecorations:
    """Draws the patient header and the draft notice on every page (onPage)."""

    def __init__(self, note: NoteContent, fonts: FontFamily) -> None:
        p = note.patient
        self._name = fit_to_font(p.name)
        self._details = fit_to_font(
            f"DOB {p.date_of_birth}   MRN {p.mrn}   Visit {note.visit_date}"
        )
        self._status = fit_to_font(note.status)
        self._fonts = fonts

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        left, right = look.LEFT_MARGIN, look.PAGE_SIZE[0] - look.RIGHT_MARGIN
        half = (right - left) / 2
        canvas.saveState()
        name, size = _fitted(self._name, self._fonts.bold, half - 6)
        canvas.setFont(self._fonts.bold, size)
        canvas.drawString(left, look.HEADER_BASELINE, name)
        details, size = _fitted(self._details, self._fonts.regular, half - 6)
        canvas.setFont(self._fonts.regular, size)
        canvas.drawRightString(right, look.HEADER_BASELINE, details)
        canvas.setStrokeColor(look.RULE)
        canvas.setLineWidth(0.5)
        canvas.line(left, look.HEADER_RULE_Y, right, look.HEADER_RULE_Y)
        canvas.line(left, look.FOOTER_RULE_Y, right, look.FOOTER_RULE_Y)
        canvas.setFont(self._fonts.bold, look.FOOTER_FONT_SIZE)
        canvas.setFillColor(look.DRAFT_INK)
        canvas.drawString(left, look.FOOTER_BASELINE, self._status)
        canvas.restoreState()


class _NumberedCanvas(Canvas):
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


def _render(note: NoteContent, out: typing.BinaryIO, invariant: bool) -> None:
    fonts = register_fonts()
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
    doc.addPageTemplates(
        [PageTemplate(id="note", frames=[frame], onPage=_PageDecorations(note, fonts))]
    )
    doc.build(
        build_story(note),
        canvasmaker=functools.partial(_NumberedCanvas, footer_font=fonts.regular),
    )


def write_visit_note(
    note: NoteContent,
    target: pathlib.Path | str | typing.BinaryIO,
    *,
    invariant: bool = False,
) -> None:
    """Write the visit note as a PDF.

    Args:
        note: the note's content.
        target: a path (replaced whole, only once the PDF is complete) or a binary
            stream to write to.
        invariant: byte-identical output for the same note (fixed dates and ids),
            for regression tests.
    """
    if not isinstance(target, pathlib.Path | str):
        _render(note, target, invariant)
        return
    target = pathlib.Path(target)
    buffer = io.BytesIO()
    _render(note, buffer, invariant)
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

"""NotePreview: the visit note or referral letter on screen, read-only.

It renders the same `NoteContent` the PDF renders, block by block, as rich text in a
QTextBrowser, so what the clinician reads in the window is what leaves the building.
The body chart and the trend chart are the PDF's own drawings, rasterised through
SVG. Every string of the note is escaped: none is ever read as markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from PySide6.QtCore import QByteArray, QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QImage, QPainter, QTextDocument
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from sijoint_exam.domain import note as outline
from sijoint_exam.domain.note import NoteContent, Tone
from sijoint_exam.ui import tones

# Charts are shown 1.5 px per point (their labels are 6.5–8 pt), rasterised at
# twice that for crisp text on high-density screens.
CHART_SCALE = 1.5
CHART_PIXEL_RATIO = 2.0
BODY_CHART_HEIGHT = 170.0
TREND_CHART_WIDTH = 460.0
LOGO_URL = "letterhead:logo"
LOGO_HEIGHT = 48


def _text(value: str) -> str:
    """Plain text as HTML: escaped, line breaks kept."""
    return "<br/>".join(escape(line) for line in value.splitlines()) or ""


class _Html:
    """Builds the preview's HTML; charts are named for `addResource`."""

    def __init__(self, dark: bool, logo: bool) -> None:
        self.logo = logo  # the letterhead's logo could be read
        pick = 1 if dark else 0
        self.alert = tones.Tone.ALERT.value[pick]
        self.signed = tones.Tone.REASSURING.value[pick]
        self.muted = "#9a9a9a" if dark else "#666666"
        self.shade = "#2b3440" if dark else "#e6edf6"
        self.charts: list[tuple[str, outline.BodyChart | outline.TrendChart]] = []

    def box(self, text: str, colour: str, bold: bool = True) -> str:
        weight = "font-weight:bold;" if bold else ""
        return (
            f'<table width="100%" cellpadding="5" style="border:1px solid {colour};">'
            f'<tr><td style="color:{colour};{weight}">{text}</td></tr></table>'
            "<p></p>"
        )

    def facts(self, rows: tuple[tuple[str, str], ...]) -> str:
        cells = "".join(
            f'<tr><td style="font-weight:bold;padding-right:12px;">{_text(label)}</td>'
            f"<td>{_text(value)}</td></tr>"
            for label, value in rows
        )
        return f'<table cellpadding="1">{cells}</table>'

    def table(self, block: outline.Table) -> str:
        head = "".join(f"<th align='left'>{_text(c)}</th>" for c in block.columns)
        rows = []
        for index, row in enumerate(block.rows):
            fill = f' bgcolor="{self.shade}"' if index in block.highlighted else ""
            cells = "".join(f"<td>{_text(cell)}</td>" for cell in row)
            rows.append(f"<tr{fill}>{cells}</tr>")
        caption = ""
        if block.caption:
            caption = f'<p style="color:{self.muted};">{_text(block.caption)}</p>'
        return (
            '<table border="1" cellspacing="0" cellpadding="3" width="100%">'
            f"<tr>{head}</tr>{''.join(rows)}</table>{caption}"
        )

    def chart(self, block: outline.BodyChart | outline.TrendChart) -> str:
        name = f"chart:{len(self.charts)}"
        self.charts.append((name, block))
        return f'<p><img src="{name}"/></p>'

    def block(self, block: outline.Block) -> str:
        match block:
            case outline.Text(text, Tone.EMERGENCY):
                return self.box(_text(text), self.alert)
            case outline.Text(text, Tone.STRONG):
                return f"<p><b>{_text(text)}</b></p>"
            case outline.Text(text, Tone.MUTED):
                return f'<p style="color:{self.muted};">{_text(text)}</p>'
            case outline.Text(text, Tone.CAUTION):
                return f"<ul><li><small>{_text(text)}</small></li></ul>"
            case outline.Text(text, _):
                return f"<p>{_text(text)}</p>"
            case outline.Facts(rows):
                return self.facts(rows)
            case outline.Bullets(items, tone):
                small = ("<small>", "</small>") if tone is Tone.CAUTION else ("", "")
                entries = "".join(
                    f"<li>{small[0]}{_text(i)}{small[1]}</li>" for i in items
                )
                return f"<ul>{entries}</ul>"
            case outline.Table():
                return self.table(block)
            case outline.BodyChart() | outline.TrendChart():
                return self.chart(block)
        raise TypeError(f"not an outline block: {block!r}")

    def section(self, section: outline.Section) -> str:
        tag = "h2" if section.level == 1 else "h3"
        heading = f"<{tag}>{_text(section.heading)}</{tag}>" if section.heading else ""
        return heading + "".join(self.block(b) for b in section.blocks)

    def document(self, note: NoteContent) -> str:
        parts = [self.letterhead(note.letterhead), f"<h1>{_text(note.title)}</h1>"]
        if note.emergency:
            parts.append(self.box(_text(note.emergency), self.alert))
        if not note.signed:
            parts.append(self.box(_text(note.status), self.alert))
        parts.append(self.facts(note.facts))
        parts += [self.section(s) for s in note.sections]
        parts.append(self.signature(note))
        parts.append(self.addenda(note))
        return "<html><body>" + "".join(parts) + "</body></html>"

    def letterhead(self, head: outline.Letterhead) -> str:
        if head.is_empty:
            return ""
        lines = [f"<b>{_text(head.name)}</b>"] if head.name else []
        lines += [_text(head.address)] if head.address else []
        lines += [f"Tel. {_text(head.phone)}"] if head.phone else []
        logo = f'<td align="right"><img src="{LOGO_URL}"/></td>' if self.logo else ""
        return (
            f'<table width="100%"><tr><td>{"<br/>".join(lines)}</td>{logo}</tr>'
            "</table><hr/>"
        )

    def signature(self, note: NoteContent) -> str:
        s = note.signature
        if s is None:
            return self.box(_text(note.status), self.alert)
        lines = (
            f"Electronically signed by {_text(s.signed_by)}<br/>"
            f"Signed at {_text(s.signed_at)}<br/>"
            f"<small>Content hash (SHA-256): {_text(s.content_hash)}</small>"
        )
        return self.box(lines, self.signed, bold=False)

    def addenda(self, note: NoteContent) -> str:
        if not note.addenda:
            return ""
        parts = ["<h2>Addenda</h2>"]
        for a in note.addenda:
            parts.append(f"<h3>{_text(a.heading)}</h3><p>{_text(a.text)}</p>")
            parts.append(f'<p style="color:{self.signed};">{_text(a.signed)}</p>')
        return "".join(parts)


def _rasterise(svg: str, size: QSize) -> QImage:
    # Qt SVG (SVG Tiny 1.2) has no clipPath and would paint its rectangle black.
    svg = re.sub(r"<clipPath.*?</clipPath>", "", svg, flags=re.DOTALL)
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        QSvgRenderer(QByteArray(svg.encode("utf-8"))).render(painter)
    finally:
        painter.end()
    image.setDevicePixelRatio(CHART_PIXEL_RATIO)
    return image


def chart_image(block: outline.BodyChart | outline.TrendChart) -> QImage:
    """The PDF's drawing of a chart, as an image for the preview."""
    # reportlab is imported on first use: opening the window need not pay for it.
    from reportlab.graphics import renderSVG

    from sijoint_exam.report.body_chart import body_chart
    from sijoint_exam.report.fonts import register_fonts
    from sijoint_exam.report.trend_chart import trend_chart

    fonts = register_fonts()
    if isinstance(block, outline.BodyChart):
        drawing = body_chart(block.regions, fonts, BODY_CHART_HEIGHT)
    else:
        drawing = trend_chart(block, fonts, TREND_CHART_WIDTH)
    size = QSize(
        round(drawing.width * CHART_SCALE * CHART_PIXEL_RATIO),
        round(drawing.height * CHART_SCALE * CHART_PIXEL_RATIO),
    )
    return _rasterise(renderSVG.drawToString(drawing), size)


class NotePreview(QTextBrowser):
    """A read-only view of a visit note or referral letter (`show_note`)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("note_preview")
        self.setReadOnly(True)
        self.setOpenLinks(False)
        self.setAccessibleName("Note preview")
        self._note: NoteContent | None = None
        self._images: dict[str, QImage] = {}

    @property
    def note(self) -> NoteContent | None:
        """The note shown, or None before the first `show_note`."""
        return self._note

    def show_note(self, note: NoteContent) -> None:
        """Show `note`, replacing what was shown; the scroll position is kept."""
        position = self.verticalScrollBar().value()
        path = note.letterhead.logo_path
        logo = QImage(path) if path else QImage()
        builder = _Html(tones.is_dark(self), logo=not logo.isNull())
        html = builder.document(note)
        # Drawn before the HTML is set: the layout asks for them (loadResource).
        self._images = {name: chart_image(block) for name, block in builder.charts}
        if not logo.isNull():
            self._images[LOGO_URL] = logo.scaledToHeight(
                LOGO_HEIGHT, Qt.TransformationMode.SmoothTransformation
            )
        self.setHtml(html)
        self._note = note
        self.verticalScrollBar().setValue(position)

    def loadResource(self, kind: int, name: QUrl) -> object:  # Qt override
        image = self._images.get(name.toString())
        if kind == QTextDocument.ResourceType.ImageResource.value and image:
            return image
        return super().loadResource(kind, name)


class NotePreviewDialog(QDialog):
    """The note beside the exam, rebuilt shortly after edits while it is open."""

    REFRESH_DELAY_MS = 300  # off the keystroke path: once typing pauses

    def __init__(
        self, build: Callable[[], NoteContent | None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("preview.dialog")
        self.setWindowTitle("Visit note preview")
        self._build = build
        self.preview = NotePreview(self)
        QVBoxLayout(self).addWidget(self.preview)
        # A page's width and most of its height, within the screen (a 768-pixel
        # screen has no room for 800).
        screen = (parent or self).screen().availableGeometry()
        self.resize(min(720, screen.width() - 40), min(800, screen.height() - 80))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(self.REFRESH_DELAY_MS)
        self._timer.timeout.connect(self.refresh)

    def schedule_refresh(self) -> None:
        """An edit happened: refresh once typing pauses (only while shown)."""
        if self.isVisible():
            self._timer.start()

    def refresh(self) -> None:
        """Rebuild the note now."""
        note = self._build()
        if note is not None:
            self.preview.show_note(note)

"""NoteContent -> flowables: the outline's blocks as Platypus paragraphs and tables.

Shared by the visit note and the referral letter. Every string of the note is plain
text: `fonts.markup` escapes it and switches fonts for scripts the main font lacks.
"""

from __future__ import annotations

import functools

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    Image,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
)

from sijoint_exam.domain import note as outline
from sijoint_exam.domain.note import Letterhead, NoteContent, Tone
from sijoint_exam.report import styles as look
from sijoint_exam.report.body_chart import body_chart
from sijoint_exam.report.fonts import markup, register_fonts
from sijoint_exam.report.trend_chart import trend_chart

BODY_CHART_HEIGHT = 170.0
# Start a level-1 part on a new page rather than leave its heading near the foot.
PART_MIN_ROOM = 90.0
# Tables up to this many rows move whole to the next page rather than split.
KEEP_TABLE_ROWS = 12


@functools.cache
def styles() -> look.Styles:
    """The report's styles, made once the fonts are registered."""
    return look.make_styles(register_fonts())


def para(text: str, style: ParagraphStyle, bullet: str | None = None) -> Paragraph:
    """Plain text as a paragraph: escaped, line breaks kept, fonts switched."""
    bold = style.fontName == styles().fonts.bold
    return Paragraph(markup(text, bold), style, bulletText=bullet)


def _tone_style(tone: Tone) -> ParagraphStyle:
    st = styles()
    return {
        Tone.BODY: st.body,
        Tone.STRONG: st.strong,
        Tone.MUTED: st.muted,
        Tone.CAUTION: st.caution,
        Tone.EMERGENCY: st.emergency,
    }[tone]


def boxed(text: str, style: ParagraphStyle, ink: object, fill: object = None) -> Table:
    """A notice in a bordered box across the frame."""
    box = Table([[para(text, style)]], colWidths=[look.FRAME_WIDTH])
    box.setStyle(look.box_style(styles().fonts, ink, fill))
    return box


def _table(block: outline.Table) -> list[Flowable]:
    st = styles()
    data = [[para(h, st.cell_head) for h in block.columns]]
    data += [[para(cell, st.cell) for cell in row] for row in block.rows]
    count = len(block.columns)
    shares = look.COLUMN_SHARES.get(count, (1.0 / count,) * count)
    table = Table(
        data,
        colWidths=[look.FRAME_WIDTH * share for share in shares],
        repeatRows=1,
        hAlign="LEFT",
    )
    shaded = sorted(i + 1 for i in block.highlighted)  # row 0 is the header
    table.setStyle(look.table_style(st.fonts, shaded))
    found: list[Flowable] = [table]
    if block.caption:
        found.append(para(block.caption, st.caption))
    if len(block.rows) <= KEEP_TABLE_ROWS:
        # A short table (and its caption) is not split, so no row is orphaned.
        found = [KeepTogether(found)]
    return [*found, Spacer(1, 6)]


def block_flowables(block: outline.Block) -> list[Flowable]:
    """One outline block as flowables."""
    st = styles()
    match block:
        case outline.Text(text, Tone.EMERGENCY):
            banner = boxed(text, st.emergency, look.DRAFT_INK, look.EMERGENCY_FILL)
            return [banner, Spacer(1, 6)]
        case outline.Text(text, Tone.CAUTION):
            return [para(text, st.caution, bullet="•")]
        case outline.Text(text, tone):
            return [para(text, _tone_style(tone))]
        case outline.Facts(rows):
            return [para(value, st.fact, bullet=label) for label, value in rows]
        case outline.Bullets(items, tone):
            style = st.caution if tone is Tone.CAUTION else st.bulleted
            return [para(item, style, bullet="•") for item in items]
        case outline.Table():
            return _table(block)
        case outline.BodyChart(regions):
            chart = body_chart(regions, st.fonts, BODY_CHART_HEIGHT)
            chart.hAlign = "LEFT"
            return [Spacer(1, 4), chart, Spacer(1, 4)]
        case outline.TrendChart():
            chart = trend_chart(block, st.fonts, look.FRAME_WIDTH)
            chart.hAlign = "LEFT"
            return [Spacer(1, 4), chart, Spacer(1, 6)]
    raise TypeError(f"not an outline block: {block!r}")


def _part_rule() -> HRFlowable:
    return HRFlowable(width="100%", thickness=0.8, color=look.INK, spaceAfter=4)


def _boxed_section(section: outline.Section) -> list[Flowable]:
    """A section in a bordered box, on one page: the letter's bottom line."""
    st = styles()
    inside: list[Flowable] = [para(section.heading, st.heading)]
    for block in section.blocks:
        if isinstance(block, outline.Text) and block.tone is Tone.EMERGENCY:
            # No box within the box: the emergency style alone (red, bold).
            inside.append(para(block.text, st.emergency))
            continue
        inside += block_flowables(block)
    box = Table([[inside]], colWidths=[look.FRAME_WIDTH])
    box.setStyle(look.box_style(st.fonts, look.INK))
    return [Spacer(1, 6), box, Spacer(1, 6)]


def section_flowables(
    section: outline.Section, keep_heading: bool = True
) -> list[Flowable]:
    """A heading (kept with what follows) and the section's blocks."""
    if section.boxed:
        return _boxed_section(section)
    st = styles()
    head: list[Flowable] = []
    if section.heading:
        if section.level == 1:
            head += [CondPageBreak(PART_MIN_ROOM), para(section.heading, st.part)]
            head.append(_part_rule())
        else:
            head.append(para(section.heading, st.heading))
    else:
        head.append(Spacer(1, 8))  # an untitled section: the letter's greeting
    bodies = [block_flowables(block) for block in section.blocks]
    if not bodies:
        return head
    rest = [f for b in bodies[1:] for f in b]
    if not keep_heading:
        return [*head, *bodies[0], *rest]
    # A heading is never the last line of a page: it goes with its first block.
    return [KeepTogether([*head, *bodies[0]]), *rest]


def _logo(path: str) -> Image | None:
    """The logo scaled into its box, or None when it cannot be read."""
    try:
        width, height = ImageReader(path).getSize()
    except Exception:  # noqa: BLE001 — any unreadable image: print without a logo
        return None
    scale = min(look.LOGO_MAX_WIDTH / width, look.LOGO_MAX_HEIGHT / height)
    return Image(path, width=width * scale, height=height * scale)


def letterhead(head: Letterhead) -> list[Flowable]:
    """The clinic's name, address and phone, with the logo at the right."""
    if head.is_empty:
        return []
    st = styles()
    lines: list[Flowable] = []
    if head.name:
        lines.append(para(head.name, st.clinic))
    if head.address:
        lines.append(para(head.address, st.clinic_detail))
    if head.phone:
        lines.append(para(f"Tel. {head.phone}", st.clinic_detail))
    logo = _logo(head.logo_path) if head.logo_path else None
    logo_width = look.LOGO_MAX_WIDTH if logo is not None else 0
    table = Table(
        [[lines, logo or ""]],
        colWidths=[look.FRAME_WIDTH - logo_width, logo_width],
    )
    table.setStyle(look.letterhead_style(st.fonts))
    return [table, Spacer(1, 8)]


def signature_flowables(note: NoteContent) -> list[Flowable]:
    """The signature block of a signed document, or the draft notice again."""
    st = styles()
    signature = note.signature
    if signature is None:
        return [Spacer(1, 10), boxed(note.status, st.draft, look.DRAFT_INK)]
    lines = [
        para(f"Electronically signed by {signature.signed_by}", st.signed),
        para(f"Signed at {signature.signed_at}", st.body),
        para(f"Content hash (SHA-256): {signature.content_hash}", st.caption),
    ]
    box = Table([[lines]], colWidths=[look.FRAME_WIDTH])
    box.setStyle(look.box_style(st.fonts, look.SIGNED_INK))
    return [Spacer(1, 10), KeepTogether([box])]


def addenda_flowables(note: NoteContent) -> list[Flowable]:
    """The addenda, after the original, each dated and signed."""
    if not note.addenda:
        return []
    st = styles()
    found: list[Flowable] = [CondPageBreak(PART_MIN_ROOM), para("Addenda", st.part)]
    found.append(_part_rule())
    for addendum in note.addenda:
        found += [
            para(addendum.heading, st.heading),
            para(addendum.text, st.body),
            para(addendum.signed, st.signed),
        ]
    return found


def document(note: NoteContent) -> list[Flowable]:
    """Letterhead, title, notices, facts, sections, signature and addenda.

    The visit note and the referral letter differ only in their outlines.
    """
    st = styles()
    found: list[Flowable] = [*letterhead(note.letterhead), para(note.title, st.title)]
    if note.emergency:
        banner = boxed(
            note.emergency, st.emergency, look.DRAFT_INK, look.EMERGENCY_FILL
        )
        found += [banner, Spacer(1, 6)]
    if not note.signed:
        found += [boxed(note.status, st.draft, look.DRAFT_INK), Spacer(1, 8)]
    found += facts_flowables(note)
    *body, last = note.sections or (outline.Section("", ()),)
    for section in body:
        found += section_flowables(section)
    # The signature (or the draft notice) goes with the last section: never alone
    # on a page of its own.
    # (Its heading is not kept apart too: one KeepTogether inside another made
    # reportlab move the group to a new page with room left on this one.)
    closing = section_flowables(last, keep_heading=False)
    found.append(KeepTogether([*closing, *signature_flowables(note)]))
    found += addenda_flowables(note)
    return found


def facts_flowables(note: NoteContent) -> list[Flowable]:
    """The facts under the title: the patient and visit, or the address block."""
    st = styles()
    found: list[Flowable] = [
        para(value, st.fact, bullet=label) for label, value in note.facts
    ]
    found.append(HRFlowable(width="100%", thickness=0.5, color=look.RULE))
    return found

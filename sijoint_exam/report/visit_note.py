"""NoteContent -> the PDF visit note (SOAP), with the patient on every page.

The running header, the DRAFT watermark and "page X of Y" are in `pages`; the
outline's blocks become flowables in `story`.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from sijoint_exam.domain.note import DocumentKind, NoteContent
from sijoint_exam.report import pages, story


def build_story(note: NoteContent) -> list[Flowable]:
    """The flowables of a visit note, top to bottom (header and footer excluded).

    Args:
        note: the note's content; every string in it is treated as plain text.
    """
    return story.document(note)


def write_visit_note(
    note: NoteContent, target: pages.Target, *, invariant: bool = False
) -> None:
    """Write the visit note as a PDF.

    Args:
        note: the note's content (from `domain.note.build_note`).
        target: a path (replaced whole, only once the PDF is complete) or a binary
            stream to write to.
        invariant: byte-identical output for the same note (fixed dates and ids),
            for regression tests.
    """
    if note.kind is not DocumentKind.NOTE:
        raise ValueError("write_visit_note takes a note from build_note")
    pages.write_pdf(note, build_story(note), target, invariant)


def write_document(
    note: NoteContent, target: pages.Target, *, invariant: bool = False
) -> None:
    """Write a visit note or a referral letter, whichever `note` is."""
    pages.write_pdf(note, story.document(note), target, invariant)

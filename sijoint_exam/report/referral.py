"""NoteContent -> the PDF referral letter, on the same page as the visit note.

The letter's own order (address block, question first, copies last) is in its
outline (`domain.note_letter`); the page and the blocks are shared with the note.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from sijoint_exam.domain.note import DocumentKind, NoteContent
from sijoint_exam.report import pages, story


def build_story(note: NoteContent) -> list[Flowable]:
    """The flowables of a referral letter, top to bottom.

    Args:
        note: the letter's content (from `domain.note.build_referral`).
    """
    return story.document(note)


def write_referral(
    note: NoteContent, target: pages.Target, *, invariant: bool = False
) -> None:
    """Write the referral letter as a PDF.

    Args:
        note: the letter's content (from `domain.note.build_referral`).
        target: a path (replaced whole, only once the PDF is complete) or a binary
            stream to write to.
        invariant: byte-identical output for the same letter, for tests.
    """
    if note.kind is not DocumentKind.REFERRAL:
        raise ValueError("write_referral takes a letter from build_referral")
    pages.write_pdf(note, build_story(note), target, invariant)

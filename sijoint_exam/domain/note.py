"""NoteContent: what a visit note or referral letter says, for the PDF and the preview.

A note is an outline — sections of plain-text blocks (paragraphs, facts, tables,
bullet lists, the body chart, the trend chart) — that the PDF and the on-screen
preview both walk, so they say the same thing in the same order. Every clinical
number and statement comes from the catalogue, the cluster tally, the block and
outcome rules (`note_sections`); this module only arranges them. The note supports
reasoning; it never states a diagnosis (clinical-rules.md).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from sijoint_exam.domain import note_findings, note_sections, note_together
from sijoint_exam.domain import note_outline as parts
from sijoint_exam.domain.note_letter import letter
from sijoint_exam.domain.score import score_visit
from sijoint_exam.domain.visit import Patient, Visit

NOTE_TITLE = "SIJ examination — visit note"
REFERRAL_TITLE = "Referral letter — SIJ examination"
DRAFT_STATUS = "DRAFT — not signed"
NOT_RECORDED = parts.NOT_RECORDED


# ---------------------------------------------------------------------------
# What the caller fills in: letterhead, signature, addenda.
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Letterhead:
    """The clinic, as printed at the top of the first page (from the settings)."""

    name: str = ""
    address: str = ""
    phone: str = ""
    logo_path: str = ""  # an image file; "" for none

    @property
    def is_empty(self) -> bool:
        return not (self.name or self.address or self.phone or self.logo_path)


@dataclass(frozen=True)
class SigningInfo:
    """Who signed the visit, when, and the hash of the signed content."""

    signed_by: str
    signed_at: dt.datetime
    content_hash: str
    # The checks before signing the clinician acknowledged by name (§8).
    acknowledged_checks: tuple[str, ...] = ()


def _acknowledged(signing: SigningInfo | None) -> tuple[str, ...]:
    return () if signing is None else signing.acknowledged_checks


@dataclass(frozen=True)
class AddendumInfo:
    """A dated, signed correction of a signed visit."""

    written_at: dt.datetime
    text: str
    signed_by: str


# ---------------------------------------------------------------------------
# The outline the renderers walk. Every string is plain text, never markup.
# ---------------------------------------------------------------------------

Tone = parts.Tone
Text = parts.Text
Facts = parts.Facts
Bullets = parts.Bullets
Table = parts.Table
BodyChart = parts.BodyChart
TrendPoint = parts.TrendPoint
TrendChart = parts.TrendChart
Block = parts.Block
Section = parts.Section


class DocumentKind(StrEnum):
    """Which document a NoteContent is."""

    NOTE = "note"
    REFERRAL = "referral"


@dataclass(frozen=True)
class PatientLabel:
    """The patient as printed on every page: name, date of birth, record number."""

    name: str
    date_of_birth: str  # ISO 8601: unambiguous in every locale
    mrn: str
    sex: str


@dataclass(frozen=True)
class SignatureBlock:
    """The signature printed at the end of a signed document."""

    signed_by: str
    signed_at: str
    content_hash: str


@dataclass(frozen=True)
class AddendumBlock:
    """One addendum, printed after the original, each dated and signed."""

    heading: str
    text: str
    signed: str


@dataclass(frozen=True)
class NoteContent:
    """A visit note or referral letter, as plain strings, ready to render."""

    kind: DocumentKind
    title: str
    status: str  # "DRAFT — not signed", or who signed it and when
    patient: PatientLabel
    visit_date: str
    clinician: str
    letterhead: Letterhead
    facts: tuple[tuple[str, str], ...]  # under the title: patient, visit, or address
    emergency: str | None  # the cauda equina banner, when any item is yes
    sections: tuple[Section, ...]
    signature: SignatureBlock | None  # None: a draft
    addenda: tuple[AddendumBlock, ...]

    @property
    def signed(self) -> bool:
        return self.signature is not None

    def section(self, heading: str) -> Section:
        """The first section with this heading.

        Raises:
            KeyError: No section has it.
        """
        for section in self.sections:
            if section.heading == heading:
                return section
        raise KeyError(heading)


def _label(patient: Patient) -> PatientLabel:
    return PatientLabel(
        name=patient.display_name,
        date_of_birth=patient.date_of_birth.isoformat(),
        mrn=patient.mrn,
        sex=parts.capitalised(patient.sex.value),
    )


def _signature(signing: SigningInfo | None) -> SignatureBlock | None:
    if signing is None:
        return None
    return SignatureBlock(
        signed_by=signing.signed_by,
        signed_at=parts.when(signing.signed_at),
        content_hash=signing.content_hash,
    )


def _status(signing: SigningInfo | None) -> str:
    if signing is None:
        return DRAFT_STATUS
    return f"Signed {parts.when(signing.signed_at)} by {signing.signed_by}"


def _addenda(addenda: Sequence[AddendumInfo]) -> tuple[AddendumBlock, ...]:
    ordered = sorted(addenda, key=lambda a: a.written_at)
    return tuple(
        AddendumBlock(
            heading=f"Addendum {number} — {parts.when(a.written_at)}",
            text=a.text,
            signed=f"Signed {parts.when(a.written_at)} by {a.signed_by}",
        )
        for number, a in enumerate(ordered, start=1)
    )


def _visit_facts(label: PatientLabel, visit: Visit) -> tuple[tuple[str, str], ...]:
    return (
        ("Patient", label.name),
        ("Date of birth", label.date_of_birth),
        ("Sex", label.sex),
        ("MRN", label.mrn),
        ("Visit date", visit.date.isoformat()),
        ("Clinician", visit.clinician or NOT_RECORDED),
        ("Symptomatic side", parts.capitalised(visit.symptomatic_side.value)),
    )


def build_note(
    patient: Patient,
    visit: Visit,
    *,
    letterhead: Letterhead | None = None,
    signing: SigningInfo | None = None,
    addenda: Sequence[AddendumInfo] = (),
    earlier_visits: Sequence[Visit] = (),
    unreadable_dates: Sequence[dt.date] = (),
) -> NoteContent:
    """Arrange one visit of one patient as a SOAP visit note.

    Args:
        patient: whose visit it is.
        visit: the examination; its own scoring settings are the ones applied.
        letterhead: the clinic printed on the first page; none by default.
        signing: the visit's signature; None prints the note as a draft.
        addenda: corrections written after signing, printed after the original.
        earlier_visits: the patient's other visits; those up to this visit's date
            make the trend of pain, ODI and positive tests (shown from two visits).
        unreadable_dates: the dates of other visits whose stored record cannot
            be read; the trend names them as left out.

    Returns:
        The note's content as strings, shared by the PDF and the preview.
    """
    score = score_visit(visit)
    label = _label(patient)
    lead = (
        *note_together.headline_blocks(score),
        *note_together.checks_blocks(
            score, _acknowledged(signing), signing is not None
        ),
    )
    sections = [
        Section("Headline", lead, level=1),
        *note_sections.subjective(visit, score),
        *note_sections.objective(visit, score),
        *note_findings.block_sections(visit, score),
        *note_findings.assessment_and_plan(visit, score),
        *note_findings.trend(visit, earlier_visits, unreadable_dates),
    ]
    return NoteContent(
        kind=DocumentKind.NOTE,
        title=NOTE_TITLE,
        status=_status(signing),
        patient=label,
        visit_date=visit.date.isoformat(),
        clinician=visit.clinician,
        letterhead=letterhead or Letterhead(),
        facts=_visit_facts(label, visit),
        emergency=note_sections.emergency(score),
        sections=tuple(sections),
        signature=_signature(signing),
        addenda=_addenda(addenda),
    )


def build_document(
    kind: DocumentKind | str,
    patient: Patient,
    visit: Visit,
    *,
    letterhead: Letterhead | None = None,
    signing: SigningInfo | None = None,
    addenda: Sequence[AddendumInfo] = (),
    earlier_visits: Sequence[Visit] = (),
    unreadable_dates: Sequence[dt.date] = (),
) -> NoteContent:
    """The one entry to both documents: the window, its preview, the batch and the
    command line all build notes and letters here. The letter reports its own
    visit only: the other visits go to the note's trend."""
    if DocumentKind(kind) is DocumentKind.REFERRAL:
        return build_referral(
            patient, visit, letterhead=letterhead, signing=signing, addenda=addenda
        )
    return build_note(
        patient,
        visit,
        letterhead=letterhead,
        signing=signing,
        addenda=addenda,
        earlier_visits=earlier_visits,
        unreadable_dates=unreadable_dates,
    )


def _address(
    label: PatientLabel,
    visit: Visit,
    letterhead: Letterhead,
    signing: SigningInfo | None,
) -> tuple[tuple[str, str], ...]:
    # A signed letter is dated when it was signed; a draft, by the visit.
    date = signing.signed_at.date() if signing else visit.date
    sender = ", ".join(x for x in (visit.clinician, letterhead.name) if x)
    referral = visit.referral
    return (
        ("Date", date.isoformat()),
        ("To", referral.recipient or NOT_RECORDED),
        ("From", sender or NOT_RECORDED),
        ("Patient", label.name),
        ("Date of birth", label.date_of_birth),
        ("Sex", label.sex),
        ("MRN", label.mrn),
        ("Examined on", visit.date.isoformat()),
        (
            "Urgency",
            parts.capitalised(referral.urgency.value)
            if referral.urgency
            else NOT_RECORDED,
        ),
    )


def build_referral(
    patient: Patient,
    visit: Visit,
    *,
    letterhead: Letterhead | None = None,
    signing: SigningInfo | None = None,
    addenda: Sequence[AddendumInfo] = (),
) -> NoteContent:
    """Arrange one visit as a referral letter (its structure after the PRSB
    outpatient-letter standard v2.2, 2023).

    Args:
        patient: whom the letter is about.
        visit: the examination; `visit.referral` names the recipient, the question,
            the urgency and the copy list.
        letterhead: the referring clinic; none by default.
        signing: the visit's signature; None prints the letter as a draft.
        addenda: corrections written after signing, printed after the letter.

    Returns:
        The letter's content as strings, shared by the PDF and the preview.
    """
    score = score_visit(visit)
    label = _label(patient)
    head = letterhead or Letterhead()
    return NoteContent(
        kind=DocumentKind.REFERRAL,
        title=REFERRAL_TITLE,
        status=_status(signing),
        patient=label,
        visit_date=visit.date.isoformat(),
        clinician=visit.clinician,
        letterhead=head,
        facts=_address(label, visit, head, signing),
        emergency=note_sections.emergency(score),
        sections=letter(
            visit,
            score,
            note_together.natural_name(patient),
            note_together.bottom_line(
                visit, score, _acknowledged(signing), signing is not None
            ),
        ),
        signature=_signature(signing),
        addenda=_addenda(addenda),
    )

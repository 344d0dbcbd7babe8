"""A stored visit's FHIR Bundle: the visit, its signature, addenda and note PDF read
from the store and the report, handed to `exchange.fhir_bundle`. Free of Qt, so the
window's File ▸ Export as FHIR… and `export --format fhir` share it."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import TYPE_CHECKING

from sijoint_exam.exchange.fhir import build_bundle
from sijoint_exam.exchange.fhir_bundle import (
    AddendumRecord,
    SignatureRecord,
    VisitExport,
)

if TYPE_CHECKING:
    from sijoint_exam.domain.note import Letterhead, NoteContent
    from sijoint_exam.store.repository import Repository

AUDIT_KIND = "FHIR R4 bundle"


def render_note_pdf(note: NoteContent) -> bytes:
    """The visit note as PDF bytes, in invariant mode: the same visit gives the same
    PDF, so a second send carries the same attachment hash. Module-level, so a
    worker process can run it."""
    from sijoint_exam.report.visit_note import write_document

    pdf = io.BytesIO()
    write_document(note, pdf, invariant=True)
    return pdf.getvalue()


def stored_note(repo: Repository, visit_id: int, letterhead: Letterhead) -> NoteContent:
    """The visit note's content of a stored visit (NotFoundError: no such visit)."""
    from sijoint_exam.store.notes import note_for_visit

    return note_for_visit(repo, visit_id, "note", letterhead)


def stored_visit_export(
    repo: Repository,
    visit_id: int,
    identifier_system: str,
    letterhead: Letterhead,
    note_pdf: bytes | None = None,
) -> VisitExport:
    """Everything the Bundle of a stored visit is made from; the note PDF is
    rendered here unless the caller rendered it (`note_pdf`).

    Raises:
        NotFoundError: No visit has this id.
    """
    visit = repo.get_visit(visit_id)
    patient = repo.get_patient(repo.visit_patient_id(visit_id))
    if note_pdf is None:
        note_pdf = render_note_pdf(stored_note(repo, visit_id, letterhead))
    signed = repo.signature(visit_id)
    return VisitExport(
        identifier_system=identifier_system,
        visit_key=str(visit_id),
        patient=patient,
        visit=visit,
        note_pdf=note_pdf,
        signature=None
        if signed is None
        else SignatureRecord(signed.clinician, signed.signed_at, signed.content_sha256),
        addenda=tuple(
            AddendumRecord(a.id, a.clinician, a.created_at, a.text, a.content_sha256)
            for a in repo.addenda(visit_id)
        ),
    )


def bundle_text(export: VisitExport) -> str:
    """The Bundle as the JSON text written to a file or sent."""
    return json.dumps(build_bundle(export), ensure_ascii=False, indent=2) + "\n"


def fhir_file_name(mrn: str, day: dt.date, visit_id: int) -> str:
    """`fhir-A-1001-2026-11-20-12.json`: no patient name in the file name."""
    safe_mrn = "".join(c if c.isalnum() or c in "-_" else "_" for c in mrn)
    return f"fhir-{safe_mrn}-{day.isoformat()}-{visit_id}.json"

"""A stored visit's FHIR Bundle: the visit, its signature, addenda and note PDF read
from the store and the report, handed to `exchange.fhir_bundle`. Free of Qt, so the
window's File ▸ Export as FHIR… and `export --format fhir` share it."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import TYPE_CHECKING

from sijoint_exam.exchange.fhir_bundle import (
    AddendumRecord,
    SignatureRecord,
    VisitExport,
    build_bundle,
)

if TYPE_CHECKING:
    from sijoint_exam.domain.note import Letterhead
    from sijoint_exam.store.repository import Repository

AUDIT_KIND = "FHIR R4 bundle"


def stored_visit_export(
    repo: Repository, visit_id: int, identifier_system: str, letterhead: Letterhead
) -> VisitExport:
    """Everything the Bundle of a stored visit is made from.

    Raises:
        NotFoundError: No visit has this id.
    """
    from sijoint_exam.report.visit_note import write_document
    from sijoint_exam.store.notes import note_for_visit

    visit = repo.get_visit(visit_id)
    patient = repo.get_patient(repo.visit_patient_id(visit_id))
    pdf = io.BytesIO()
    # Invariant: the same visit gives the same PDF, so a second send carries the
    # same attachment hash.
    write_document(
        note_for_visit(repo, visit_id, "note", letterhead), pdf, invariant=True
    )
    signed = repo.signature(visit_id)
    return VisitExport(
        identifier_system=identifier_system,
        visit_key=str(visit_id),
        patient=patient,
        visit=visit,
        note_pdf=pdf.getvalue(),
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

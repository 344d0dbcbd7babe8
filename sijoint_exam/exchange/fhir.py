"""The FHIR R4 transaction Bundle of one visit: the entry point of the export.

`fhir_bundle` holds the builder and the visit's own resources (Patient,
Practitioner, Encounter); `fhir_findings`, `fhir_blocks` and `fhir_documents` add
theirs to it. This module puts them together, so that none of them imports another
back.
"""

from __future__ import annotations

from typing import Any

from sijoint_exam.exchange import fhir_blocks, fhir_documents, fhir_findings
from sijoint_exam.exchange.fhir_bundle import BundleBuilder, VisitExport


def build_bundle(source: VisitExport) -> dict[str, Any]:
    """The transaction Bundle of one visit (plain JSON values)."""
    builder = BundleBuilder(source)
    patient = builder.add_patient()
    clinician = builder.practitioner(source.visit.clinician)
    encounter = builder.add_encounter(patient, clinician)
    context = fhir_findings.Context(builder, patient, encounter, clinician)
    fhir_findings.add_findings(context)
    fhir_blocks.add_blocks(context)
    fhir_documents.add_documents(context)
    return {"resourceType": "Bundle", "type": "transaction", "entry": builder.entries}

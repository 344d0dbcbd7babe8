"""The note PDF as a DocumentReference; for a signed visit a Provenance with the
signature, and each addendum a later DocumentReference that `appends` to the note."""

from __future__ import annotations

import base64
import hashlib
from typing import Any

from sijoint_exam.exchange.fhir_bundle import instant
from sijoint_exam.exchange.fhir_findings import Context
from sijoint_exam.exchange.fhir_terms import (
    AUTHOR_SIGNATURE,
    LEGAL_AUTHENTICATOR,
    LEGALLY_AUTHENTICATED,
    PT_PROGRESS_NOTE,
    coding,
    concept,
)


def attachment(data: bytes, content_type: str, title: str) -> dict[str, Any]:
    """An inline attachment with its size and SHA-1 (base64), as FHIR defines them."""
    return {
        "contentType": content_type,
        "data": base64.b64encode(data).decode("ascii"),
        "size": len(data),
        "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),
        "title": title,
    }


def _provenance(
    context: Context,
    key: str,
    targets: list[dict[str, str]],
    signer: str,
    when: str,
    content_sha256: str,
) -> None:
    """Who signed what, when, and the SHA-256 the signature covers.

    The program's signature is a record of the signed content's hash, not a
    cryptographic signature: `data` carries that hash as text.
    """
    who = context.builder.practitioner(signer)
    if who is None:
        return
    signed = f"sha256:{content_sha256}".encode("ascii")
    context.builder.add(
        {
            "resourceType": "Provenance",
            "target": targets,
            "recorded": when,
            "activity": concept(LEGALLY_AUTHENTICATED),
            "agent": [{"type": concept(LEGAL_AUTHENTICATOR), "who": who}],
            "signature": [
                {
                    "type": [coding(AUTHOR_SIGNATURE)],
                    "when": when,
                    "who": who,
                    "targetFormat": "application/json",
                    "sigFormat": "text/plain",
                    "data": base64.b64encode(signed).decode("ascii"),
                }
            ],
        },
        context.builder.visit_uuid(key),
    )


def add_documents(context: Context) -> None:
    """The note, and for a signed visit its Provenance and addenda."""
    builder = context.builder
    source = builder.source
    signature = source.signature
    note: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "status": "current",
        "docStatus": "final" if signature else "preliminary",
        "type": concept(PT_PROGRESS_NOTE),
        "subject": context.patient,
        "description": "Visit note" if signature else "Visit note (draft, unsigned)",
        "content": [
            {"attachment": attachment(source.note_pdf, "application/pdf", "Visit note")}
        ],
        "context": {"encounter": [context.encounter]},
    }
    if context.clinician is not None:
        note["author"] = [context.clinician]
    if signature is not None:
        note["date"] = instant(signature.signed_at)
        signer = builder.practitioner(signature.clinician)
        if signer is not None:
            note["authenticator"] = signer
    note_ref = builder.add(note, builder.visit_uuid("note"))
    if signature is None:
        return
    # Everything the signed visit holds: the entries so far, less Patient and
    # Practitioners, which the signature does not cover.
    covered = [
        {"reference": e["fullUrl"]}
        for e in builder.entries
        if e["resource"]["resourceType"] not in ("Patient", "Practitioner")
    ]
    _provenance(
        context,
        "signature",
        covered,
        signature.clinician,
        instant(signature.signed_at),
        signature.content_sha256,
    )
    for addendum in source.addenda:
        text = addendum.text.encode("utf-8")
        author = builder.practitioner(addendum.clinician)
        resource: dict[str, Any] = {
            "resourceType": "DocumentReference",
            "status": "current",
            "docStatus": "final",
            "type": concept(PT_PROGRESS_NOTE),
            "subject": context.patient,
            "date": instant(addendum.written_at),
            "description": "Addendum",
            "relatesTo": [{"code": "appends", "target": note_ref}],
            "content": [
                {
                    "attachment": attachment(
                        text, "text/plain; charset=utf-8", "Addendum"
                    )
                }
            ],
            "context": {"encounter": [context.encounter]},
        }
        if author is not None:
            resource["author"] = [author]
            resource["authenticator"] = author
        key = f"addendum {addendum.key}"
        ref = builder.add(resource, builder.visit_uuid(key))
        _provenance(
            context,
            f"{key}|signature",
            [ref],
            addendum.clinician,
            instant(addendum.written_at),
            addendum.content_sha256,
        )

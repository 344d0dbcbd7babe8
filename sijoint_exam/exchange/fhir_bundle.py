"""A stored visit as a FHIR R4 (4.0.1) `transaction` Bundle: one `POST [base]`.

Every resource carries a stable identifier, a `urn:uuid:` derived from the clinic's
patient identifier system, the MRN, the visit's key and what the resource is; its
entry is a conditional update on that identifier (`PUT Type?identifier=…`), so a
visit sent twice updates what the first send created instead of duplicating it.
The Patient is matched on its MRN in the clinic's identifier system.

The mapping, code by code, is in docs/fhir.md.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from sijoint_exam.domain.visit import Patient, Sex, Visit
from sijoint_exam.exchange.fhir_terms import AMBULATORY, URI_IDENTIFIER, coding

# Fixed for ever: the uuids of every exported resource are derived from it.
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:sijoint-exam:fhir")
_MRN_TYPE = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/v2-0203",
            "code": "MR",
            "display": "Medical record number",
        }
    ]
}
# R4 gives these one Identifier, not a list; Provenance has none.
_ONE_IDENTIFIER = frozenset({"QuestionnaireResponse"})
_NO_IDENTIFIER = frozenset({"Provenance"})
_GENDER = {
    Sex.FEMALE: "female",
    Sex.MALE: "male",
    Sex.OTHER: "other",
    Sex.UNKNOWN: "unknown",
}


@dataclass(frozen=True)
class SignatureRecord:
    """Who signed the visit, when, and the SHA-256 of the signed content."""

    clinician: str
    signed_at: dt.datetime
    content_sha256: str


@dataclass(frozen=True)
class AddendumRecord:
    """A signed correction of a signed visit; `key` is stable (the store's id)."""

    key: int
    clinician: str
    written_at: dt.datetime
    text: str
    content_sha256: str


@dataclass(frozen=True)
class VisitExport:
    """What one visit's Bundle is made from.

    `identifier_system` is the clinic's URI for its record numbers (a setting);
    `visit_key` identifies the visit among the clinic's records (the store's id);
    `note_pdf` is the visit note as the caller rendered it.
    """

    identifier_system: str
    visit_key: str
    patient: Patient
    visit: Visit
    note_pdf: bytes
    signature: SignatureRecord | None = None
    addenda: tuple[AddendumRecord, ...] = ()


def instant(moment: dt.datetime) -> str:
    """A FHIR instant: UTC, to the second, with its zone."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


@dataclass
class BundleBuilder:
    """Collects the entries of one visit's Bundle and knows its shared references."""

    source: VisitExport
    entries: list[dict[str, Any]] = field(default_factory=list)
    _practitioners: dict[str, str] = field(default_factory=dict)

    @property
    def visit(self) -> Visit:
        return self.source.visit

    @property
    def final(self) -> bool:
        """A signed visit's results are final; an unsigned one's preliminary."""
        return self.source.signature is not None

    @property
    def status(self) -> str:
        return "final" if self.final else "preliminary"

    def stable_uuid(self, what: str) -> str:
        """`urn:uuid:` of one resource of this visit (or of the patient)."""
        s = self.source
        name = f"{s.identifier_system}|{s.patient.mrn}|{what}"
        return f"urn:uuid:{uuid.uuid5(_NAMESPACE, name)}"

    def visit_uuid(self, what: str) -> str:
        return self.stable_uuid(f"visit {self.source.visit_key}|{what}")

    def add(self, resource: dict[str, Any], full_url: str) -> dict[str, str]:
        """Add a resource identified by `full_url`; returns a Reference to it."""
        kind = resource["resourceType"]
        body = {k: v for k, v in resource.items() if k != "resourceType"}
        if kind in _NO_IDENTIFIER:
            # No identifier to match on: an update by a logical id derived the
            # same way, so a second send still replaces the first.
            logical_id = full_url.removeprefix("urn:uuid:")
            resource = {"resourceType": kind, "id": logical_id, **body}
            self._entry(resource, full_url, f"{kind}/{logical_id}")
            return {"reference": full_url}
        identifier = {"system": URI_IDENTIFIER, "value": full_url}
        resource = {
            "resourceType": kind,
            "identifier": identifier if kind in _ONE_IDENTIFIER else [identifier],
            **body,
        }
        self._append(resource, full_url, URI_IDENTIFIER, full_url)
        return {"reference": full_url}

    def _append(
        self, resource: dict[str, Any], full_url: str, system: str, value: str
    ) -> None:
        search = f"identifier={quote(system, safe=':/')}|{quote(value, safe=':/')}"
        self._entry(resource, full_url, f"{resource['resourceType']}?{search}")

    def _entry(self, resource: dict[str, Any], full_url: str, url: str) -> None:
        self.entries.append(
            {
                "fullUrl": full_url,
                "resource": resource,
                "request": {"method": "PUT", "url": url},
            }
        )

    def add_patient(self) -> dict[str, str]:
        """The Patient, matched on the MRN in the clinic's identifier system."""
        patient = self.source.patient
        full_url = self.stable_uuid("patient")
        name: dict[str, Any] = {"use": "official", "family": patient.family_name}
        if patient.given_names:
            name["given"] = patient.given_names.split()
        resource = {
            "resourceType": "Patient",
            "identifier": [
                {
                    "use": "usual",
                    "type": _MRN_TYPE,
                    "system": self.source.identifier_system,
                    "value": patient.mrn,
                }
            ],
            "name": [name],
            "gender": _GENDER[patient.sex],
            "birthDate": patient.date_of_birth.isoformat(),
        }
        self._append(resource, full_url, self.source.identifier_system, patient.mrn)
        return {"reference": full_url}

    def practitioner(self, name: str) -> dict[str, str] | None:
        """The Practitioner named `name` (one entry per name); None for no name."""
        name = name.strip()
        if not name:
            return None
        if name not in self._practitioners:
            full_url = self.stable_uuid(f"practitioner|{name}")
            self._practitioners[name] = full_url
            self.add(
                {"resourceType": "Practitioner", "name": [{"text": name}]}, full_url
            )
        return {"reference": self._practitioners[name]}

    def add_encounter(
        self, subject: dict[str, str], clinician: dict[str, str] | None
    ) -> dict[str, str]:
        day = self.visit.date.isoformat()
        resource: dict[str, Any] = {
            "resourceType": "Encounter",
            "status": "finished",
            "class": coding(AMBULATORY),
            "subject": subject,
            "period": {"start": day, "end": day},
        }
        if clinician is not None:
            resource["participant"] = [{"individual": clinician}]
        return self.add(resource, self.visit_uuid("encounter"))


def identifier_system_problem(system: str) -> str | None:
    """Why `system` cannot name the clinic's record numbers (None: it can).

    It must be an absolute URI (`urn:oid:…`, `https://…`): a receiving EHR matches
    patients on it, so a bare word would merge one clinic's MRN 123 with another's.
    """
    scheme, colon, rest = system.partition(":")
    if not system:
        return "no patient identifier system is set"
    if not (
        colon and rest and scheme[:1].isalpha() and not any(c.isspace() for c in system)
    ):
        return f"{system!r} is not an absolute URI (e.g. urn:oid:1.2.3.4 or https://…)"
    if not all(c.isalnum() or c in "+-." for c in scheme):
        return f"{system!r} is not an absolute URI (e.g. urn:oid:1.2.3.4 or https://…)"
    return None

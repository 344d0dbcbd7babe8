"""The code systems, codes and canonical URIs a FHIR export uses.

Every external code here was checked against its source before use (docs/fhir.md
lists each with where it was checked). What has no LOINC or SNOMED CT code — the
individual provocation tests, their results, the cluster rules — is coded in the
program's own code systems, under one stable canonical base: never an invented
LOINC or SNOMED CT code.
"""

from __future__ import annotations

from typing import Any

FHIR_VERSION = "4.0.1"

# The program's own canonical base, in the URN form its visit schema already uses
# (`urn:sijoint-exam:visit:1`). Never change it: receivers key codes on it.
CANONICAL_BASE = "urn:sijoint-exam:fhir"


def own_system(name: str) -> str:
    """The canonical URI of one of the program's code systems."""
    return f"{CANONICAL_BASE}:CodeSystem:{name}"


def own_extension(name: str) -> str:
    """The canonical URI of one of the program's extensions."""
    return f"{CANONICAL_BASE}:StructureDefinition:{name}"


# The program's code systems (documented, code by code, in docs/fhir.md).
PROVOCATION_TEST_SYSTEM = own_system("provocation-test")
PROVOCATION_RESULT_SYSTEM = own_system("provocation-result")
CLUSTER_RULE_SYSTEM = own_system("cluster-rule")
CLUSTER_DECISION_SYSTEM = own_system("cluster-decision")
OBSERVATION_SYSTEM = own_system("observation")
RED_FLAG_SYSTEM = own_system("red-flag")
BLOCK_SYSTEM = own_system("diagnostic-block")
AGENT_SYSTEM = own_system("block-agent")
PAIN_REGION_SYSTEM = own_system("pain-region")
ODI_QUESTIONNAIRE = f"{CANONICAL_BASE}:Questionnaire:odi"
LATERALITY_EXTENSION_OWN = own_extension("body-site-laterality")

# External code systems.
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
URI_IDENTIFIER = "urn:ietf:rfc:3986"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
DOCUMENT_COMPLETION = "http://terminology.hl7.org/CodeSystem/v3-DocumentCompletion"
PARTICIPANT_TYPE = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
SIGNATURE_TYPE = "urn:iso-astm:E1762-95:2013"
# HL7 Extensions Pack: laterality beside Observation.bodySite (its only context).
LATERALITY_EXTENSION = (
    "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"
)

# Checked: SNOMED CT body structure and the laterality qualifiers (HL7 value set
# bodystructure-laterality); LOINC pain NRS and document type (HL7 doc-typecodes).
SIJ_STRUCTURE = (SNOMED, "39723000", "Sacroiliac joint structure")
LATERALITY = {
    "left": (SNOMED, "7771000", "Left"),
    "right": (SNOMED, "24028007", "Right"),
    "bilateral": (SNOMED, "51440002", "Right and left"),
}
PAIN_NRS = (
    LOINC,
    "72514-3",
    "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
)
PT_PROGRESS_NOTE = (LOINC, "11508-9", "Physical therapy Progress note")
AUTHOR_SIGNATURE = (SIGNATURE_TYPE, "1.2.840.10065.1.12.1.1", "Author's Signature")
LEGALLY_AUTHENTICATED = (DOCUMENT_COMPLETION, "LA", "legally authenticated")
LEGAL_AUTHENTICATOR = (PARTICIPANT_TYPE, "legal", "Legal Authenticator")
AUTHOR = (PARTICIPANT_TYPE, "author", "Author")
AMBULATORY = (ACT_CODE, "AMB", "ambulatory")
EXAM = (OBSERVATION_CATEGORY, "exam", "Exam")
SURVEY = (OBSERVATION_CATEGORY, "survey", "Survey")
PROCEDURE_CATEGORY = (OBSERVATION_CATEGORY, "procedure", "Procedure")

Code = tuple[str, str, str]


def coding(code: Code) -> dict[str, str]:
    """A Coding from (system, code, display)."""
    system, value, display = code
    return {"system": system, "code": value, "display": display}


def concept(*codes: Code, text: str | None = None) -> dict[str, Any]:
    """A CodeableConcept with these codings (and text, when given)."""
    out: dict[str, Any] = {"coding": [coding(c) for c in codes]}
    if text:
        out["text"] = text
    return out


def own(system: str, code: str, display: str) -> Code:
    """A code of one of the program's code systems."""
    return (system, code, display)


def quantity(value: float, unit: str, ucum: str) -> dict[str, Any]:
    """A UCUM Quantity."""
    return {"value": value, "unit": unit, "system": UCUM, "code": ucum}


def sij_body_site(side: str | None, *, observation: bool) -> dict[str, Any]:
    """The sacroiliac joint as a body site, with its side as an extension.

    On an Observation, HL7's observation-structureLaterality; elsewhere (a
    Procedure) the program's own extension of the same shape, since HL7's is
    defined for Observation.bodySite only.
    """
    site = concept(SIJ_STRUCTURE)
    if side in LATERALITY:
        url = LATERALITY_EXTENSION if observation else LATERALITY_EXTENSION_OWN
        site["extension"] = [
            {"url": url, "valueCodeableConcept": concept(LATERALITY[side])}
        ]
    return site

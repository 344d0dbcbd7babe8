"""Diagnostic blocks: each a Procedure (body site, side, agent), its pain readings
Observations `partOf` it, and its result an Observation `derivedFrom` the readings."""

from __future__ import annotations

from typing import Any

from sijoint_exam.domain.block import Block, BlockReading, read_blocks
from sijoint_exam.exchange.fhir_findings import (
    Context,
    component,
    obs_code,
    quantity_components,
)
from sijoint_exam.exchange.fhir_terms import (
    AGENT_SYSTEM,
    BLOCK_SYSTEM,
    PAIN_NRS,
    PROCEDURE_CATEGORY,
    concept,
    own,
    own_system,
    sij_body_site,
)

BLOCK_RESULT_SYSTEM = own_system("block-result")
COMPARATIVE_SYSTEM = own_system("comparative-block")
_NUMBER = {1: "screening", 2: "confirmatory"}


def _procedure(context: Context, index: int, block: Block) -> dict[str, str]:
    purpose = _NUMBER.get(block.number, f"number {block.number}")
    strength = " ".join(x for x in (block.concentration, block.volume) if x)
    used = [
        concept(
            own(AGENT_SYSTEM, block.agent.value, block.agent.value.capitalize()),
            text=f"{block.agent.value} {strength}".strip(),
        )
    ]
    if block.steroid:
        used.append(
            concept(own(AGENT_SYSTEM, "corticosteroid", "Corticosteroid added"))
        )
    resource: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": "completed",
        "code": concept(
            own(
                BLOCK_SYSTEM,
                "diagnostic-sij-block",
                "Diagnostic sacroiliac joint block",
            ),
            text=f"Diagnostic SIJ block {block.number} ({purpose})",
        ),
        "subject": context.patient,
        "encounter": context.encounter,
        "performedDateTime": block.date.isoformat(),
        "bodySite": [sij_body_site(block.side.value, observation=False)],
        "usedCode": used,
    }
    if block.guidance is not None:
        resource["note"] = [{"text": f"Guidance: {block.guidance.value}"}]
    return context.builder.add(resource, context.builder.visit_uuid(f"block {index}"))


def _reading(
    context: Context, key: str, procedure: dict[str, str], block: Block, **fields: Any
) -> dict[str, str]:
    return context.observation(
        key,
        concept(PAIN_NRS),
        PROCEDURE_CATEGORY,
        effectiveDateTime=block.date.isoformat(),
        partOf=[procedure],
        bodySite=sij_body_site(block.side.value, observation=True),
        **fields,
    )


def _readings(
    context: Context, index: int, procedure: dict[str, str], block: Block
) -> list[dict[str, str]]:
    """The pain rated before the block, then each reading after it."""
    refs = [
        _reading(
            context,
            f"block {index}|pre",
            procedure,
            block,
            valueInteger=block.pre,
            component=[
                component(
                    obs_code("before-block", "Rated immediately before the block"),
                    valueBoolean=True,
                )
            ],
        )
    ]
    for number, reading in enumerate(block.readings):
        parts = quantity_components(
            (
                obs_code("minutes-after-block", "Minutes after the block"),
                reading.minutes,
                "min",
                "min",
            ),
            (
                obs_code("patient-reported-relief", "Patient-reported relief"),
                reading.patient_percent,
                "%",
                "%",
            ),
        )
        refs.append(
            _reading(
                context,
                f"block {index}|reading {number}",
                procedure,
                block,
                valueInteger=reading.nrs,
                component=parts,
            )
        )
    return refs


def _result(
    context: Context,
    index: int,
    procedure: dict[str, str],
    reading: BlockReading,
    readings: list[dict[str, str]],
) -> dict[str, str]:
    parts = quantity_components(
        (
            obs_code("relief-threshold", "Relief threshold"),
            reading.threshold_percent,
            "%",
            "%",
        ),
        (
            obs_code("peak-relief", "Peak relief within the agent's window"),
            reading.peak_relief_percent,
            "%",
            "%",
        ),
        (
            obs_code("agent-window", "Agent's window"),
            reading.window_minutes,
            "min",
            "min",
        ),
    )
    fields: dict[str, Any] = {"component": parts}
    if reading.cautions:
        fields["note"] = [{"text": line} for line in reading.cautions]
    result = reading.result
    return context.observation(
        f"block {index}|result",
        concept(obs_code("block-result", "Diagnostic block result")),
        PROCEDURE_CATEGORY,
        effectiveDateTime=reading.block.date.isoformat(),
        partOf=[procedure],
        derivedFrom=readings,
        valueCodeableConcept=concept(
            own(BLOCK_RESULT_SYSTEM, result.value, f"Block {result.value}")
        ),
        **fields,
    )


def add_blocks(context: Context) -> None:
    """Every block of the visit, read with the settings stored in it."""
    visit = context.builder.visit
    if not visit.blocks:
        return
    scoring = visit.scoring
    read = read_blocks(
        visit.blocks, scoring.block_threshold_percent, scoring.agent_window_hours
    )
    results = []
    for index, reading in enumerate(read.blocks):
        procedure = _procedure(context, index, reading.block)
        readings = _readings(context, index, procedure, reading.block)
        results.append(_result(context, index, procedure, reading, readings))
    if read.comparative is not None:
        fields: dict[str, Any] = {}
        if read.comparative_cautions:
            fields["note"] = [{"text": line} for line in read.comparative_cautions]
        context.observation(
            "comparative-blocks",
            concept(obs_code("comparative-blocks", "Comparative block result")),
            PROCEDURE_CATEGORY,
            derivedFrom=results,
            valueCodeableConcept=concept(
                own(
                    COMPARATIVE_SYSTEM,
                    read.comparative.value,
                    read.comparative.value.replace("_", " ").capitalize(),
                )
            ),
            **fields,
        )

"""Writing the visit file: a Patient and a Visit as the file's plain JSON values.

The reading half, with validation, is `visit_file`; this half imports neither, so
that validation can hold a visit to the file's limits without a cycle.
"""

from __future__ import annotations

import json
from typing import Any

from sijoint_exam.domain.alignment import Alignment, Sided
from sijoint_exam.domain.block import Block
from sijoint_exam.domain.catalogue import TESTS_BY_ID
from sijoint_exam.domain.catalogue_measures import RED_FLAGS
from sijoint_exam.domain.screens_file import hip_screen_to_dict, neuro_screen_to_dict
from sijoint_exam.domain.visit import (
    Patient,
    ProvocationFinding,
    Scoring,
    Visit,
)


def patient_to_dict(patient: Patient) -> dict[str, Any]:
    """A patient as the visit file's `patient` object."""
    return {
        "mrn": patient.mrn,
        "family_name": patient.family_name,
        "given_names": patient.given_names,
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex.value,
    }


def _finding_to_dict(test_id: str, finding: ProvocationFinding) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if TESTS_BY_ID[test_id].lateral:
        out["left"] = finding.left.value
        out["right"] = finding.right.value
    else:
        out["result"] = finding.result.value
    if finding.pain_side is not None:
        out["pain_side"] = finding.pain_side.value
    if finding.lying_side is not None:
        out["lying_side"] = finding.lying_side.value
    if finding.note:
        out["note"] = finding.note
    return out


def _present(**values: Any) -> dict[str, Any]:
    """The values that hold something, in the order given."""
    return {k: v for k, v in values.items() if v is not None and v != "" and v != []}


def _value(member: Any) -> Any:
    return None if member is None else member.value


def _sided(found: Sided[Any]) -> dict[str, Any]:
    return _present(left=_value(found.left), right=_value(found.right))


def _alignment_to_dict(alignment: Alignment) -> dict[str, Any]:
    screening = alignment.screening
    return _present(
        patterns=[
            _present(pattern=p.pattern.value, side=_value(p.side))
            for p in alignment.patterns
        ],
        landmarks={k.value: _sided(v) for k, v in alignment.landmarks.items()} or None,
        screening=_present(
            standing_flexion=_value(screening.standing_flexion),
            seated_flexion=_value(screening.seated_flexion),
            gillet=_sided(screening.gillet) or None,
            supine_to_long_sit=_sided(screening.supine_to_long_sit) or None,
            sacral_spring=_value(screening.sacral_spring),
            sphinx=_value(screening.sphinx),
        )
        or None,
    )


def _block_to_dict(block: Block) -> dict[str, Any]:
    out = _present(
        date=block.date.isoformat(),
        number=block.number,
        side=block.side.value,
        agent=block.agent.value,
        concentration=block.concentration,
        volume=block.volume,
        steroid=block.steroid,
        guidance=_value(block.guidance),
        pre=block.pre,
    )
    out["readings"] = [
        _present(minutes=r.minutes, nrs=r.nrs, patient_percent=r.patient_percent)
        for r in block.readings
    ]
    return out | _present(relief_hours=block.relief_hours)


def _scoring_to_dict(scoring: Scoring) -> dict[str, Any]:
    out: dict[str, Any] = {
        "rule": scoring.rule,
        "pretest_probability": scoring.pretest_probability,
        "block_threshold_percent": scoring.block_threshold_percent,
    }
    windows = scoring.agent_window_hours
    # Only when changed, so that a file (and a stored visit's hash) read with the
    # default windows stays what it was before windows were settings. Then every
    # agent is written, so the file says in full which windows were used.
    if not windows.is_default:
        out["agent_window_hours"] = {
            agent.value: hours for agent, hours in windows.by_agent().items()
        }
    return out


def _later_sections(visit: Visit) -> dict[str, dict[str, Any]]:
    """history, referral, pain, red_flags: written when they hold something."""
    history, referral, pain = visit.history, visit.referral, visit.pain
    return _present(
        history=_present(
            onset=history.onset.isoformat() if history.onset else None,
            mechanism=history.mechanism,
            conservative_care=history.conservative_care,
            conservative_care_weeks=history.conservative_care_weeks,
            imaging=history.imaging,
            medications=history.medications,
            anticoagulation=history.anticoagulation,
            contrast_allergy=history.contrast_allergy,
            pregnant=history.pregnant,
        )
        or None,
        referral=_present(
            recipient=referral.recipient,
            question=referral.question,
            urgency=_value(referral.urgency),
            copies=list(referral.copies),
        )
        or None,
        pain=_present(
            now=pain.now,
            best_24h=pain.best_24h,
            worst_24h=pain.worst_24h,
            regions=list(pain.regions),
        )
        or None,
        # The whole screen, once any answer is recorded: "not asked" is documentation.
        red_flags={f.id: visit.red_flag(f.id).value for f in RED_FLAGS}
        if visit.red_flags
        else None,
    )


def visit_to_dict(visit: Visit) -> dict[str, Any]:
    """A visit as the visit file's `visit` object, in canonical key order."""
    odi, aslr = visit.odi, visit.aslr
    return {
        "date": visit.date.isoformat(),
        "clinician": visit.clinician,
        "symptomatic_side": visit.symptomatic_side.value,
        "chief_complaint": visit.chief_complaint,
        "centralised": visit.centralised,
        **_later_sections(visit),
        "provocation": {
            test.id: _finding_to_dict(test.id, visit.provocation[test.id])
            for test in TESTS_BY_ID.values()
            if test.id in visit.provocation
        },
        "scoring": _scoring_to_dict(visit.scoring),
        **_present(
            alignment=_alignment_to_dict(visit.alignment) or None,
            blocks=[_block_to_dict(b) for b in visit.blocks],
            odi={"version": odi.version, "answers": list(odi.answers)}
            if not odi.is_empty
            else None,
            aslr=_present(left=aslr.left, right=aslr.right) or None,
            neuro_screen=neuro_screen_to_dict(visit.neuro_screen),
            hip_screen=hip_screen_to_dict(visit.hip_screen),
        ),
        "assessment": visit.assessment,
        "plan": visit.plan,
    }


def canonical_json(value: dict[str, Any]) -> str:
    """JSON text that is the same for the same content (the hash and storage form)."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))

"""The sample exam the benchmarks export: a full five-test exam, Korean name."""

import datetime as dt

from sijoint_exam.domain.catalogue import PainSide, Result, Side, SymptomaticSide
from sijoint_exam.domain.note import NoteContent, build_note
from sijoint_exam.domain.visit import Patient, ProvocationFinding, Sex, Visit


def sample_note() -> NoteContent:
    """A note of realistic length for timing."""
    patient = Patient("A-1001", "김", "선애", dt.date(1978, 3, 14), Sex.FEMALE)
    visit = Visit(
        date=dt.date(2026, 11, 20),
        clinician="J. Doe, PT",
        symptomatic_side=SymptomaticSide.LEFT,
        chief_complaint="Left buttock pain radiating to the foot",
        centralised=False,
        provocation={
            "distraction": ProvocationFinding(
                result=Result.POSITIVE, pain_side=PainSide.LEFT
            ),
            "thigh_thrust": ProvocationFinding(
                left=Result.POSITIVE, right=Result.NEGATIVE
            ),
            "compression": ProvocationFinding(
                result=Result.NEGATIVE, lying_side=Side.RIGHT
            ),
            "faber": ProvocationFinding(
                left=Result.POSITIVE_OTHER, right=Result.NEGATIVE, note="groin"
            ),
            "gaenslen": ProvocationFinding(
                left=Result.POSITIVE, right=Result.NOT_TESTED
            ),
        },
        assessment="Findings consistent with left SIJ pain. " * 10,
        plan="Review in two weeks; consider referral for a diagnostic block. " * 10,
    )
    return build_note(patient, visit)

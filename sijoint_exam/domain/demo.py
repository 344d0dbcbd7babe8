"""Realistic generated patients and visits for demonstrations and benchmarks.

Names are drawn from several scripts (Latin with accents, Hangul) so that every
part of the program sees them; findings follow the catalogue, never a real person.
Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from sijoint_exam.domain.block import Block, BlockSide, Reading
from sijoint_exam.domain.catalogue import (
    PROVOCATION_TESTS,
    Agent,
    Result,
    SymptomaticSide,
)
from sijoint_exam.domain.catalogue_measures import PAIN_REGIONS, RED_FLAGS
from sijoint_exam.domain.outcomes import Answer, Aslr, Odi, Pain
from sijoint_exam.domain.visit import (
    History,
    Patient,
    ProvocationFinding,
    Sex,
    Visit,
)

FAMILY_NAMES = (
    "Kim", "Park", "김", "이", "Ñúñez", "García", "Łukasz", "Müller", "O'Brien",
    "Nguyen", "Okafor", "Rossi", "Dubois", "Svensson", "Kowalski", "Haddad",
)  # fmt: skip
GIVEN_NAMES = (
    "Sungae", "선애", "민준", "José", "Zoë", "Amélie", "Jürgen", "Aoife", "Chidi",
    "Giulia", "Linh", "Ingrid", "Marta", "Omar", "Noah", "Ana",
)  # fmt: skip
COMPLAINTS = (
    "Left buttock pain radiating to the foot",
    "Right-sided low back and buttock pain after a fall",
    "Bilateral sacral pain, worse on standing",
    "Pelvic girdle pain since pregnancy",
)
DEMO_MRN_PREFIX = "DEMO-"

# Results drawn for a test on the symptomatic side and on the other side.
_AFFECTED = (Result.POSITIVE, Result.POSITIVE, Result.NEGATIVE, Result.POSITIVE_OTHER)
_UNAFFECTED = (Result.NEGATIVE, Result.NEGATIVE, Result.NEGATIVE, Result.NOT_TESTED)


def demo_patient(index: int, rng: random.Random, today: dt.date) -> Patient:
    """A patient with a DEMO- record number, aged 20–85."""
    born = today - dt.timedelta(days=rng.randint(20 * 365, 85 * 365))
    return Patient(
        mrn=f"{DEMO_MRN_PREFIX}{index:06d}",
        family_name=rng.choice(FAMILY_NAMES),
        given_names=rng.choice(GIVEN_NAMES),
        date_of_birth=born,
        sex=rng.choice((Sex.FEMALE, Sex.MALE)),
    )


def _findings(rng: random.Random, side: str) -> dict[str, ProvocationFinding]:
    findings = {}
    for test in PROVOCATION_TESTS:
        if test.lateral:
            left = rng.choice(
                _AFFECTED if side in ("left", "bilateral") else _UNAFFECTED
            )
            right = rng.choice(
                _AFFECTED if side in ("right", "bilateral") else _UNAFFECTED
            )
            findings[test.id] = ProvocationFinding(left=left, right=right)
        else:
            findings[test.id] = ProvocationFinding(result=rng.choice(_AFFECTED))
    return findings


def _block(rng: random.Random, day: dt.date, side: str) -> Block:
    pre = rng.randint(5, 9)
    readings = tuple(
        Reading(minutes=m, nrs=max(0, pre - rng.randint(1, pre))) for m in (30, 60)
    )
    return Block(
        date=day,
        number=1,
        side=BlockSide(side if side != "unknown" else "bilateral"),
        agent=Agent.LIDOCAINE,
        pre=pre,
        steroid=False,
        readings=readings,
    )


def demo_visits(
    rng: random.Random, born: dt.date, today: dt.date, count: int
) -> list[Visit]:
    """`count` visits two weeks apart ending before `today`, improving over time."""
    side = rng.choice(("left", "right", "bilateral"))
    first = max(today - dt.timedelta(days=14 * count), born + dt.timedelta(days=1))
    complaint = rng.choice(COMPLAINTS)
    history = History(
        mechanism=rng.choice(("fall", "lifting", "pregnancy", "no clear cause")),
        conservative_care="physiotherapy, exercise programme",
    )
    visits = []
    for n in range(count):
        day = first + dt.timedelta(days=14 * n)
        pain_now = max(0, rng.randint(5, 8) - 2 * n)
        sided = [r for r in PAIN_REGIONS if r.startswith(side) or side == "bilateral"]
        visits.append(
            Visit(
                date=day,
                clinician="Demo clinician, PT",
                symptomatic_side=SymptomaticSide(side),
                chief_complaint=complaint,
                centralised=rng.random() < 0.1,
                provocation=_findings(rng, side),
                history=history,
                pain=Pain(
                    now=pain_now,
                    best_24h=max(0, pain_now - 2),
                    worst_24h=min(10, pain_now + 2),
                    regions=tuple(rng.sample(sided, k=min(3, len(sided)))),
                ),
                red_flags={flag.id: Answer.NO for flag in RED_FLAGS},
                odi=Odi(answers=tuple(rng.randint(0, 4) for _ in range(10))),
                aslr=Aslr(left=rng.randint(0, 3), right=rng.randint(0, 2)),
                blocks=(_block(rng, day, side),) if n == count - 1 else (),
            )
        )
    return visits


def demo_clinic(
    patients: int, today: dt.date, seed: int = 2006, first_index: int = 1
) -> Iterator[tuple[Patient, list[Visit]]]:
    """`patients` patients with one to three visits each, numbered from
    `first_index` (so a second run adds new patients instead of clashing)."""
    rng = random.Random(seed + first_index)
    for index in range(first_index, first_index + patients):
        patient = demo_patient(index, rng, today)
        yield patient, demo_visits(rng, patient.date_of_birth, today, rng.randint(1, 3))

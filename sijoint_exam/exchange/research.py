"""The research dataset: visits, tests and blocks as CSV rows, with a REDCap data
dictionary, de-identified by HIPAA Safe Harbor (45 CFR 164.514(b)(2)).

No names, record numbers, free text or database ids; dates reduced to the year; an
age of 90 or over as "90+"; each patient a `record_id` drawn afresh for every
export, in a random order, so two exports cannot be joined on it. The rows are
REDCap's import format for repeating instruments (`visit`, `test`, `block`), and
`data_dictionary` describes every column.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sijoint_exam.domain import cluster
from sijoint_exam.domain.block import (
    AgentWindows,
    BlockResult,
    BlockSide,
    Comparative,
    Guidance,
    read_blocks,
)
from sijoint_exam.domain.catalogue import (
    PROVOCATION_TESTS,
    RESULT_LABELS,
    RULE_SETS,
    Agent,
    Result,
    Side,
    SymptomaticSide,
)
from sijoint_exam.domain.catalogue_measures import RED_FLAGS
from sijoint_exam.domain.outcomes import Answer, odi_score
from sijoint_exam.domain.visit import Patient, Sex, Visit

# Safe Harbor: ages over 89 are aggregated into one category.
AGE_CEILING = 90
AGE_CEILING_TEXT = "90+"

DICTIONARY_COLUMNS = (
    "Variable / Field Name",
    "Form Name",
    "Section Header",
    "Field Type",
    "Field Label",
    "Choices, Calculations, OR Slider Labels",
    "Field Note",
    "Text Validation Type OR Show Slider Number",
    "Text Validation Min",
    "Text Validation Max",
    "Identifier?",
    "Branching Logic (Show field only if...)",
    "Required Field?",
    "Custom Alignment",
    "Question Number (surveys only)",
    "Matrix Group Name",
    "Matrix Ranking?",
    "Field Annotation",
)
REPEAT_COLUMNS = ("record_id", "redcap_repeat_instrument", "redcap_repeat_instance")


@dataclass(frozen=True)
class Field:
    """One variable of the dataset, as its data dictionary row describes it."""

    name: str
    form: str
    kind: str  # REDCap field type: text, radio, dropdown, yesno
    label: str
    choices: tuple[tuple[str, str], ...] = ()
    validation: str = ""  # integer, number
    minimum: str = ""
    maximum: str = ""
    note: str = ""

    def dictionary_row(self) -> dict[str, str]:
        values = dict.fromkeys(DICTIONARY_COLUMNS, "")
        values.update(
            {
                "Variable / Field Name": self.name,
                "Form Name": self.form,
                "Field Type": self.kind,
                "Field Label": self.label,
                "Choices, Calculations, OR Slider Labels": " | ".join(
                    f"{code}, {label}" for code, label in self.choices
                ),
                "Field Note": self.note,
                "Text Validation Type OR Show Slider Number": self.validation,
                "Text Validation Min": self.minimum,
                "Text Validation Max": self.maximum,
            }
        )
        return values


def _choices(values: Iterable[Any]) -> tuple[tuple[str, str], ...]:
    return tuple((str(v), str(v).replace("_", " ")) for v in values)


def _int(
    name: str, form: str, label: str, low: int, high: int, note: str = ""
) -> Field:
    return Field(name, form, "text", label, (), "integer", str(low), str(high), note)


def _number(name: str, form: str, label: str, note: str = "") -> Field:
    return Field(name, form, "text", label, (), "number", note=note)


def _radio(name: str, form: str, label: str, values: Iterable[Any]) -> Field:
    return Field(name, form, "radio", label, _choices(values))


def _yesno(name: str, form: str, label: str) -> Field:
    return Field(name, form, "yesno", label)


_DECISIONS = [d.value for d in cluster.Decision]
_BLOCK_RESULTS = [r.value for r in BlockResult]

VISIT_FIELDS: tuple[Field, ...] = (
    Field("record_id", "visit", "text", "Record ID (a pseudonym new for each export)"),
    _int("visit_year", "visit", "Year of the visit", 1900, 2100),
    Field(
        "age_at_visit",
        "visit",
        "text",
        "Age at the visit, whole years",
        note="90 and over reads 90+ (HIPAA Safe Harbor)",
    ),
    _radio("sex", "visit", "Sex", [s.value for s in Sex]),
    _radio("symptomatic_side", "visit", "Symptomatic side", list(SymptomaticSide)),
    _yesno("centralised", "visit", "Pain centralised with repeated movements"),
    _radio("cluster_rule", "visit", "Cluster rule", [r.id for r in RULE_SETS]),
    _int("cluster_positive", "visit", "Cluster items positive", 0, 10),
    _int("cluster_items", "visit", "Cluster items in the rule", 0, 10),
    _radio("cluster_result", "visit", "Cluster result", _DECISIONS),
    _number("pretest_pct", "visit", "Pretest probability, % (clinic setting)"),
    _number("post_test_pct", "visit", "Post-test probability, %"),
    _int("pain_now", "visit", "Pain NRS now", 0, 10),
    _int("pain_best_24h", "visit", "Pain NRS, least in 24 h", 0, 10),
    _int("pain_worst_24h", "visit", "Pain NRS, worst in 24 h", 0, 10),
    _number("odi_pct", "visit", "ODI score, %"),
    _int("odi_answered", "visit", "ODI sections answered", 0, 10),
    _int("aslr_left", "visit", "ASLR difficulty, left leg", 0, 5),
    _int("aslr_right", "visit", "ASLR difficulty, right leg", 0, 5),
    *(
        _yesno(f"rf_{flag.id}"[:26], "visit", f"Red flag: {flag.label}")
        for flag in RED_FLAGS
    ),
    _radio("block_overall", "visit", "Block result beside the cluster", _BLOCK_RESULTS),
    _radio(
        "block_comparative",
        "visit",
        "Comparative block pair",
        [c.value for c in Comparative],
    ),
    _yesno("signed", "visit", "Visit signed"),
)
TEST_FIELDS: tuple[Field, ...] = (
    _int("test_visit", "test", "Visit instance the test belongs to", 1, 10_000),
    _radio("test_name", "test", "Provocation test", [t.id for t in PROVOCATION_TESTS]),
    _radio(
        "test_side",
        "test",
        "Side (none: a non-lateral test)",
        ["left", "right", "none"],
    ),
    Field(
        "test_result",
        "test",
        "radio",
        "Result",
        tuple((r.value, RESULT_LABELS[r]) for r in Result),
    ),
)
BLOCK_FIELDS: tuple[Field, ...] = (
    _int("block_visit", "block", "Visit instance the block belongs to", 1, 10_000),
    _int("block_year", "block", "Year of the block", 1900, 2100),
    _int("block_number", "block", "Block number (1 screening, 2 confirmatory)", 1, 9),
    _radio("block_side", "block", "Joint injected", list(BlockSide)),
    _radio("block_agent", "block", "Local anaesthetic", list(Agent)),
    _yesno("block_steroid", "block", "Steroid added"),
    _radio("block_guidance", "block", "Guidance", list(Guidance)),
    _int("block_pre_nrs", "block", "Pain NRS before the block", 1, 10),
    _int(
        "block_peak_relief", "block", "Peak relief in the agent's window, %", -900, 100
    ),
    _int("block_threshold", "block", "Relief threshold, %", 0, 100),
    _radio("block_result", "block", "Block result", _BLOCK_RESULTS),
)


def data_dictionary() -> list[dict[str, str]]:
    """The REDCap data dictionary of every column the dataset has."""
    return [f.dictionary_row() for f in (*VISIT_FIELDS, *TEST_FIELDS, *BLOCK_FIELDS)]


@dataclass(frozen=True)
class Dataset:
    """The rows of the three files, and which MRN each record_id stands for."""

    visits: list[dict[str, str]]
    tests: list[dict[str, str]]
    blocks: list[dict[str, str]]
    key: list[tuple[str, str]]  # (record_id, MRN): written only when asked


def age_text(born: Patient, on: Any) -> str:
    """Whole years at `on`; 90 and over as "90+"."""
    years = on.year - born.date_of_birth.year
    if (on.month, on.day) < (born.date_of_birth.month, born.date_of_birth.day):
        years -= 1
    return AGE_CEILING_TEXT if years >= AGE_CEILING else str(years)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _row(
    fields: Sequence[Field], record: str, form: str, n: int, **values: Any
) -> dict[str, str]:
    row = {
        "record_id": record,
        "redcap_repeat_instrument": form,
        "redcap_repeat_instance": str(n),
    }
    row.update(
        {f.name: _text(values.get(f.name)) for f in fields if f.name != "record_id"}
    )
    return row


def _visit_values(patient: Patient, visit: Visit, signed: bool) -> dict[str, Any]:
    tally = cluster.evaluate(visit)
    scoring = visit.scoring
    blocks = read_blocks(
        visit.blocks, scoring.block_threshold_percent, scoring.agent_window_hours
    )
    odi = None if visit.odi.is_empty else odi_score(visit.odi)
    post = tally.post_test_probability
    flags = {
        f"rf_{flag.id}"[:26]: None
        if visit.red_flag(flag.id) is Answer.NOT_ASKED
        else visit.red_flag(flag.id) is Answer.YES
        for flag in RED_FLAGS
    }
    return {
        "visit_year": visit.date.year,
        "age_at_visit": age_text(patient, visit.date),
        "sex": patient.sex.value,
        "symptomatic_side": visit.symptomatic_side.value,
        "centralised": visit.centralised,
        "cluster_rule": tally.rule.id,
        "cluster_positive": tally.positive,
        "cluster_items": len(tally.items),
        "cluster_result": tally.decision.value,
        "pretest_pct": round(scoring.pretest_probability * 100, 1),
        "post_test_pct": None if post is None else round(post * 100, 1),
        "pain_now": visit.pain.now,
        "pain_best_24h": visit.pain.best_24h,
        "pain_worst_24h": visit.pain.worst_24h,
        "odi_pct": None if odi is None else odi.percent,
        "odi_answered": None if odi is None else odi.answered,
        "aslr_left": visit.aslr.left,
        "aslr_right": visit.aslr.right,
        **flags,
        "block_overall": None if blocks.overall is None else blocks.overall.value,
        "block_comparative": None
        if blocks.comparative is None
        else blocks.comparative.value,
        "signed": signed,
    }


def _test_rows(
    record: str, instance: int, visit: Visit, first: int
) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    for test in PROVOCATION_TESTS:
        finding = visit.finding(test.id)
        sides = (
            [(s.value, finding.on_side(s)) for s in Side]
            if test.lateral
            else [("none", finding.result)]
        )
        for side, result in sides:
            rows.append(
                _row(
                    TEST_FIELDS,
                    record,
                    "test",
                    first + len(rows),
                    test_visit=instance,
                    test_name=test.id,
                    test_side=side,
                    test_result=result.value,
                )
            )
    return rows


def _block_rows(
    record: str, instance: int, visit: Visit, first: int
) -> list[dict[str, str]]:
    scoring = visit.scoring
    windows: AgentWindows = scoring.agent_window_hours
    read = read_blocks(visit.blocks, scoring.block_threshold_percent, windows)
    return [
        _row(
            BLOCK_FIELDS,
            record,
            "block",
            first + n,
            block_visit=instance,
            block_year=r.block.date.year,
            block_number=r.block.number,
            block_side=r.block.side.value,
            block_agent=r.block.agent.value,
            block_steroid=r.block.steroid,
            block_guidance=None if r.block.guidance is None else r.block.guidance.value,
            block_pre_nrs=r.block.pre,
            block_peak_relief=r.peak_relief_percent,
            block_threshold=r.threshold_percent,
            block_result=r.result.value,
        )
        for n, r in enumerate(read.blocks)
    ]


def build_dataset(
    patients: Sequence[tuple[Patient, Sequence[tuple[Visit, bool]]]],
    rng: random.Random,
) -> Dataset:
    """The dataset of these patients' visits (each with whether it is signed).

    `rng` orders the pseudonyms: the command passes `random.SystemRandom()`, so
    record_id 1 is nobody in particular and differs from one export to the next.
    """
    order = list(range(len(patients)))
    rng.shuffle(order)
    visits: list[dict[str, str]] = []
    tests: list[dict[str, str]] = []
    blocks: list[dict[str, str]] = []
    key = []
    for number, index in enumerate(order, start=1):
        patient, patient_visits = patients[index]
        record = str(number)
        key.append((record, patient.mrn))
        by_date = sorted(patient_visits, key=lambda vs: vs[0].date)
        test_count = block_count = 0
        for instance, (visit, signed) in enumerate(by_date, start=1):
            values = _visit_values(patient, visit, signed)
            visits.append(_row(VISIT_FIELDS, record, "visit", instance, **values))
            new_tests = _test_rows(record, instance, visit, test_count + 1)
            new_blocks = _block_rows(record, instance, visit, block_count + 1)
            tests += new_tests
            blocks += new_blocks
            test_count += len(new_tests)
            block_count += len(new_blocks)
    return Dataset(visits, tests, blocks, key)


def columns(fields: Sequence[Field]) -> list[str]:
    """The header of one file: the repeat columns, then the form's fields."""
    return [*REPEAT_COLUMNS, *(f.name for f in fields if f.name != "record_id")]

"""Read the visit file's JSON values strictly: shapes, types, names — never raises.

Every key must be known, every value of the right type and vocabulary; each problem
names its path (`visit.blocks[0].pre`). A bad value is reported and replaced by a
stand-in, so that the rest can still be read and every problem is found in one pass;
ranges and cross-field rules are left to `validation`.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sijoint_exam.domain.block import (
    DEFAULT_AGENT_WINDOWS,
    AgentWindows,
)
from sijoint_exam.domain.catalogue import (
    AGENT_WINDOW_HOURS_RANGE,
    DEFAULT_AGENT_WINDOW_HOURS,
    TESTS_BY_ID,
    Agent,
    PainSide,
    Result,
    Side,
    SymptomaticSide,
)
from sijoint_exam.domain.catalogue_measures import (
    DEFAULT_ODI_VERSION,
    ODI_SECTIONS,
    RED_FLAGS,
)
from sijoint_exam.domain.catalogue_together import CONSERVATIVE_CARE_WEEKS_RANGE
from sijoint_exam.domain.json_reader import E, Reader, show
from sijoint_exam.domain.outcomes import Answer, Aslr, Odi, Pain
from sijoint_exam.domain.screens_file import read_hip_screen, read_neuro_screen
from sijoint_exam.domain.visit import (
    History,
    Patient,
    ProvocationFinding,
    Referral,
    Scoring,
    Sex,
    Urgency,
    Visit,
)
from sijoint_exam.domain.visit_reader_findings import read_alignment, read_block


def read_patient(r: Reader, value: object) -> Patient:
    """The `patient` object; a bad date of birth stands in as the earliest date."""
    path = "patient"
    keys = ("mrn", "family_name", "given_names", "date_of_birth", "sex")
    data = r.fields(value, path, keys, ("mrn", "family_name", "date_of_birth"))
    sex = data.get("sex")
    return Patient(
        mrn=r.text(data.get("mrn", ""), f"{path}.mrn"),
        family_name=r.text(data.get("family_name", ""), f"{path}.family_name"),
        given_names=r.text(data.get("given_names", ""), f"{path}.given_names"),
        date_of_birth=(
            r.date(data["date_of_birth"], f"{path}.date_of_birth", dt.date.min)
            if "date_of_birth" in data
            else dt.date.min
        ),
        sex=(r.choice(sex, f"{path}.sex", Sex) or Sex.UNKNOWN) if sex else Sex.UNKNOWN,
    )


def _finding(r: Reader, test_id: str, value: object, path: str) -> ProvocationFinding:
    lateral = TESTS_BY_ID[test_id].lateral
    keys = ["left", "right"] if lateral else ["result", "pain_side"]
    if TESTS_BY_ID[test_id].records_lying_side:
        keys.append("lying_side")
    data = r.fields(value, path, [*keys, "note"])

    def result(key: str) -> Result:
        if key not in data:
            return Result.NOT_TESTED
        return r.choice(data[key], f"{path}.{key}", Result) or Result.NOT_TESTED

    def optional(key: str, kind: type[E]) -> E | None:
        return r.choice(data[key], f"{path}.{key}", kind) if key in data else None

    return ProvocationFinding(
        result=result("result"),
        left=result("left"),
        right=result("right"),
        pain_side=optional("pain_side", PainSide),
        lying_side=optional("lying_side", Side),
        note=r.text(data.get("note", ""), f"{path}.note"),
    )


def _provocation(r: Reader, value: object, path: str) -> dict[str, ProvocationFinding]:
    data = r.fields(value, path, TESTS_BY_ID, kind="test")
    return {
        test_id: _finding(r, test_id, finding, f"{path}.{test_id}")
        for test_id, finding in data.items()
    }


def _agent_windows(r: Reader, value: object, path: str) -> AgentWindows:
    """Whole hours per agent; an agent left out keeps its default window."""
    names = [agent.value for agent in DEFAULT_AGENT_WINDOW_HOURS]
    if isinstance(value, dict) and Agent.OTHER.value in value:
        # Known, but not settable: say why rather than calling it unknown.
        r.fail(
            f"{path}.{Agent.OTHER.value}",
            "has no window: every reading counts for other agents "
            f"(allowed: {', '.join(names)})",
        )
        value = {k: v for k, v in value.items() if k != Agent.OTHER.value}
    data = r.fields(value, path, names, kind="agent")
    low, high = AGENT_WINDOW_HOURS_RANGE
    return AgentWindows(
        **{
            agent: r.integer(
                hours,
                f"{path}.{agent}",
                f"whole hours {low}–{high}",
                getattr(DEFAULT_AGENT_WINDOWS, agent),
            )
            for agent, hours in data.items()
        }
    )


def _scoring(r: Reader, value: object, path: str) -> Scoring:
    keys = (
        "rule",
        "pretest_probability",
        "block_threshold_percent",
        "agent_window_hours",  # optional: written only when not the defaults
    )
    data = r.fields(value, path, keys)
    default = Scoring()
    windows = data.get("agent_window_hours")
    return Scoring(
        rule=r.text(data.get("rule", default.rule), f"{path}.rule", default.rule),
        pretest_probability=r.number(
            data.get("pretest_probability", default.pretest_probability),
            f"{path}.pretest_probability",
            "0.01–0.99",
            default.pretest_probability,
        ),
        block_threshold_percent=r.integer(
            data.get("block_threshold_percent", default.block_threshold_percent),
            f"{path}.block_threshold_percent",
            "50, 75, 80, 90 or 100",
            default.block_threshold_percent,
        ),
        agent_window_hours=default.agent_window_hours
        if windows is None
        else _agent_windows(r, windows, f"{path}.agent_window_hours"),
    )


def _history(r: Reader, value: object, path: str) -> History:
    texts = ("mechanism", "conservative_care", "imaging", "medications")
    flags = ("anticoagulation", "contrast_allergy", "pregnant")
    data = r.fields(value, path, ("onset", *texts, "conservative_care_weeks", *flags))
    onset = data.get("onset")
    weeks = None
    if "conservative_care_weeks" in data:
        low, high = CONSERVATIVE_CARE_WEEKS_RANGE
        where = f"{path}.conservative_care_weeks"
        weeks = r.integer(data["conservative_care_weeks"], where, f"{low}–{high}", 0)
        if not low <= weeks <= high:
            r.fail(where, f"{weeks} is outside {low}–{high} (whole weeks)")
    written: dict[str, Any] = {
        **{k: r.text(data.get(k, ""), f"{path}.{k}") for k in texts},
        **{k: r.boolean(data[k], f"{path}.{k}") if k in data else None for k in flags},
    }
    return History(
        conservative_care_weeks=weeks,
        # A bad onset stands in as unknown: it then meets no cross-field rule.
        onset=r.date(onset, f"{path}.onset", dt.date.min) if onset else None,
        **written,
    )


def _referral(r: Reader, value: object, path: str) -> Referral:
    data = r.fields(value, path, ("recipient", "question", "urgency", "copies"))
    urgency = data.get("urgency")
    copies = r.items(data.get("copies", []), f"{path}.copies")
    return Referral(
        recipient=r.text(data.get("recipient", ""), f"{path}.recipient"),
        question=r.text(data.get("question", ""), f"{path}.question"),
        urgency=r.choice(urgency, f"{path}.urgency", Urgency) if urgency else None,
        copies=tuple(r.text(c, f"{path}.copies[{i}]") for i, c in enumerate(copies)),
    )


def _nrs(r: Reader, data: dict[str, Any], key: str, path: str) -> int | None:
    if key not in data:
        return None
    return r.integer(data[key], f"{path}.{key}", "0–10", 0)


def _pain(r: Reader, value: object, path: str) -> Pain:
    data = r.fields(value, path, ("now", "best_24h", "worst_24h", "regions"))
    regions = []
    for i, region in enumerate(r.items(data.get("regions", []), f"{path}.regions")):
        name = r.text(region, f"{path}.regions[{i}]")
        if name in regions:
            r.fail(f"{path}.regions[{i}]", f"{show(name)} is listed twice")
        regions.append(name)
    return Pain(
        now=_nrs(r, data, "now", path),
        best_24h=_nrs(r, data, "best_24h", path),
        worst_24h=_nrs(r, data, "worst_24h", path),
        regions=tuple(regions),
    )


def _red_flags(r: Reader, value: object, path: str) -> dict[str, Answer]:
    data = r.fields(value, path, [flag.id for flag in RED_FLAGS])
    answers = {k: r.choice(v, f"{path}.{k}", Answer) for k, v in data.items()}
    return {k: v for k, v in answers.items() if v is not None}


def _odi(r: Reader, value: object, path: str) -> Odi:
    data = r.fields(value, path, ("version", "answers"))
    version = r.text(data.get("version", DEFAULT_ODI_VERSION), f"{path}.version")
    raw = r.items(data.get("answers", [None] * ODI_SECTIONS), f"{path}.answers")
    answers = tuple(
        None if a is None else r.integer(a, f"{path}.answers[{i}]", "0–5 or null", 0)
        for i, a in enumerate(raw)
    )
    return Odi(version=version or DEFAULT_ODI_VERSION, answers=answers)


def _aslr(r: Reader, value: object, path: str) -> Aslr:
    data = r.fields(value, path, ("left", "right"))
    left, right = (
        r.integer(data[k], f"{path}.{k}", "0–5", 0) if k in data else None
        for k in ("left", "right")
    )
    return Aslr(left, right)


VISIT_KEYS = (
    "date",
    "clinician",
    "symptomatic_side",
    "chief_complaint",
    "centralised",
    "history",
    "referral",
    "pain",
    "red_flags",
    "provocation",
    "scoring",
    "alignment",
    "blocks",
    "odi",
    "aslr",
    "neuro_screen",
    "hip_screen",
    "assessment",
    "plan",
)

_SECTIONS = {
    "history": _history,
    "referral": _referral,
    "pain": _pain,
    "red_flags": _red_flags,
    "provocation": _provocation,
    "scoring": _scoring,
    "alignment": read_alignment,
    "odi": _odi,
    "aslr": _aslr,
    "neuro_screen": read_neuro_screen,
    "hip_screen": read_hip_screen,
}


def read_visit(r: Reader, value: object) -> Visit:
    """The `visit` object; a bad visit date stands in as the latest date."""
    path = "visit"
    data = r.fields(value, path, VISIT_KEYS, ("date",))
    side = data.get("symptomatic_side")
    centralised = data.get("centralised")
    sections: dict[str, Any] = {
        key: read(r, data[key], f"{path}.{key}")
        for key, read in _SECTIONS.items()
        if key in data
    }
    blocks = r.items(data.get("blocks", []), f"{path}.blocks")
    return Visit(
        date=r.date(data["date"], f"{path}.date", dt.date.max)
        if "date" in data
        else dt.date.max,
        clinician=r.text(data.get("clinician", ""), f"{path}.clinician"),
        symptomatic_side=(
            r.choice(side, f"{path}.symptomatic_side", SymptomaticSide)
            or SymptomaticSide.UNKNOWN
        )
        if side is not None
        else SymptomaticSide.UNKNOWN,
        chief_complaint=r.text(
            data.get("chief_complaint", ""), f"{path}.chief_complaint"
        ),
        centralised=None
        if centralised is None
        else r.boolean(centralised, f"{path}.centralised"),
        blocks=tuple(
            read_block(r, item, f"{path}.blocks[{i}]") for i, item in enumerate(blocks)
        ),
        assessment=r.text(data.get("assessment", ""), f"{path}.assessment"),
        plan=r.text(data.get("plan", ""), f"{path}.plan"),
        **sections,
    )

"""Problems said in the clinic's words: "MRN is required", not "patient.mrn: ...".

The domain names a problem by its field path (`visit.blocks[0].pre`), which is what
a visit file and the command line need. The window says the same problem with the
field's name as the form shows it ("Block 1 pre-block NRS").
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from sijoint_exam.domain.catalogue import TESTS_BY_ID
from sijoint_exam.domain.catalogue_measures import ODI_SECTION_TOPICS, RED_FLAGS_BY_ID
from sijoint_exam.domain.validation import Problem

_NAMES = {
    "patient.mrn": "MRN",
    "patient.family_name": "Family name",
    "patient.given_names": "Given names",
    "patient.date_of_birth": "Date of birth",
    "patient.sex": "Sex",
    "visit.date": "Visit date",
    "visit.clinician": "Clinician",
    "visit.history.onset": "Onset",
    "history.onset": "Onset",
    "visit.pain.now": "Pain now",
    "visit.pain.best_24h": "Pain at its best (24 h)",
    "visit.pain.worst_24h": "Pain at its worst (24 h)",
    "visit.pain.regions": "Pain regions",
    "visit.aslr.left": "ASLR left",
    "visit.aslr.right": "ASLR right",
    "visit.odi.version": "ODI version",
    "visit.odi.answers": "ODI answers",
    "visit.scoring.rule": "Cluster rule",
    "visit.scoring.pretest_probability": "Pretest probability",
    "visit.scoring.block_threshold_percent": "Block relief threshold",
}
_BLOCK_FIELDS = {
    "date": "date",
    "number": "number",
    "pre": "pre-block NRS",
    "relief_hours": "relief lasted (h)",
    "minutes": "minutes",
    "nrs": "NRS",
    "patient_percent": "patient %",
}
_BLOCK = re.compile(r"(?:visit\.blocks\[(\d+)\]|block\.(\d+))\.(.+)")
_READING = re.compile(r"readings\[(\d+)\]\.(\w+)|reading\.(\d+)\.(\w+)")


def _words(path: str) -> str:
    last = path.rsplit(".", 1)[-1]
    last = re.sub(r"\[(\d+)\]", lambda m: f" {int(m[1]) + 1}", last)
    text = last.replace("_", " ")
    return text[:1].upper() + text[1:]


def _block_label(match: re.Match[str]) -> str:
    number = int(match[1]) + 1 if match[1] is not None else int(match[2])
    rest = match[3]
    reading = _READING.fullmatch(rest)
    if reading is not None:
        index = int(reading[1]) + 1 if reading[1] is not None else int(reading[3])
        key = reading[2] or reading[4]
        return f"Block {number} reading {index} {_BLOCK_FIELDS.get(key, key)}"
    return f"Block {number} {_BLOCK_FIELDS.get(rest, rest.replace('_', ' '))}"


def field_label(field: str) -> str:
    """The name the form gives the field a problem names."""
    if field in _NAMES:
        return _NAMES[field]
    block = _BLOCK.fullmatch(field)
    if block is not None:
        return _block_label(block)
    if m := re.fullmatch(r"visit\.odi\.answers\[(\d+)\]", field):
        index = int(m[1])
        topic = ODI_SECTION_TOPICS[index] if index < len(ODI_SECTION_TOPICS) else ""
        return f"ODI section {index + 1}" + (f" ({topic})" if topic else "")
    if m := re.fullmatch(r"visit\.provocation\.(\w+)(?:\.(\w+))?", field):
        test = TESTS_BY_ID.get(m[1])
        name = test.name if test else m[1].replace("_", " ")
        return name + (f" {m[2].replace('_', ' ')}" if m[2] else "")
    if m := re.fullmatch(r"visit\.red_flags\.(\w+)", field):
        flag = RED_FLAGS_BY_ID.get(m[1])
        return f"Red flag: {flag.label if flag else m[1].replace('_', ' ')}"
    if m := re.fullmatch(r"visit\.alignment\.patterns\[(\d+)\](?:\.side)?", field):
        side = " side" if field.endswith(".side") else ""
        return f"Positional pattern {int(m[1]) + 1}{side}"
    if m := re.fullmatch(r"visit\.scoring\.agent_window_hours\.(\w+)", field):
        return f"{m[1].capitalize()} window (h)"
    return _words(field)


def describe(problem: Problem) -> str:
    """`MRN is required`; `Block 1 pre-block NRS: 0 is refused …`."""
    label = field_label(problem.field)
    message = problem.message
    if message.startswith(("is ", "has ")):
        return f"{label} {message}"
    return f"{label}: {message}"


def describe_all(problems: Iterable[Problem]) -> str:
    """One line per problem, in the clinic's words."""
    return "\n".join(describe(p) for p in problems)

"""The limits a visit file is held to before its contents are read.

docs/visit-format.md lists them for users.

A visit file can come from anywhere: another clinic's export, a script, a hostile
sender. Before the reader looks at what the values mean, every text is checked
for characters that have no place in a record — control characters, which can
end a database write or rewrite a terminal line, and the bidirectional override
characters that make an MRN or a name read differently from what it is — and
every text and list for a length no real visit reaches. A file that breaks a
limit is refused on that ground alone, with one line per breach.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

from sijoint_exam.domain.alignment import Pattern
from sijoint_exam.domain.catalogue_measures import ODI_SECTIONS, PAIN_REGIONS
from sijoint_exam.domain.problems import MRN_MAX_LENGTH, Problem
from sijoint_exam.domain.signing_checks import CHECK_IDS

# Texts that identify a person, by field ([] stands for any index): no control
# character at all, no bidirectional control, and a name's length at most.
NAME_LENGTH = 200
IDENTIFIERS = {"patient.mrn": MRN_MAX_LENGTH}
NAMES = dict.fromkeys(
    (
        "patient.family_name",
        "patient.given_names",
        "visit.clinician",
        "visit.referral.recipient",
        "visit.referral.copies[]",
    ),
    NAME_LENGTH,
)
# Every other text: free text keeps its tabs and line breaks, nothing else below
# U+0020. Ten thousand characters is some four pages of a note.
FREE_TEXT_LENGTH = 10_000
KEY_LENGTH = 100

# The most items a list can hold: what the rules allow, or what no visit needs.
LIST_LENGTHS = {
    "visit.pain.regions": len(PAIN_REGIONS),
    "visit.referral.copies": 20,
    "visit.blocks": 20,
    "visit.blocks[].readings": 50,
    "visit.alignment.patterns": 2 * len(Pattern),
    "visit.odi.answers": ODI_SECTIONS,
    "visit.signing.acknowledged_checks": len(CHECK_IDS),
}
LIST_LENGTH = 100  # any other list
# The visit file nests six levels deep at most; below twice that, values are
# left to the reader (whose paths would otherwise grow with a hostile depth).
DEPTH = 12

# Bidirectional embeddings, overrides and isolates (Unicode UAX #9): in an MRN
# or a name they make the text display in another order than it is stored.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_FREE_TEXT_ALLOWED = frozenset("\t\n")
_CONTROLS = "\x00-\x1f\x7f-\x9f\ud800-\udfff"
_STRICT_SUSPECTS = re.compile(f"[{_CONTROLS}{''.join(sorted(BIDI_CONTROLS))}]")
_FREE_SUSPECTS = re.compile(f"[{_CONTROLS}]")
_INDEX = re.compile(r"\[\d+\]")


def _name(char: str) -> str:
    code = f"U+{ord(char):04X}"
    name = unicodedata.name(char, "") or _CONTROL_NAMES.get(char, "")
    return f"{code} {name}" if name else code


# unicodedata gives control characters no name; these are the ones to expect.
_CONTROL_NAMES = {
    "\0": "NUL",
    "\t": "TAB",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x1b": "ESCAPE",
    "\x7f": "DELETE",
}


def _forbidden(text: str, strict: bool) -> tuple[int, str] | None:
    """The first character not allowed in `text`, as (1-based position, what is
    wrong with it), if any: control characters (C0, DEL, C1), tab and line feed
    excepted in free text; unpaired surrogates; bidirectional controls where
    `strict` (identifiers and names)."""
    where = "identifiers and names" if strict else "free text"
    # One search finds the first suspect: a loop over every character of every
    # text cost the form a third of a millisecond per change.
    found = (_STRICT_SUSPECTS if strict else _FREE_SUSPECTS).search(text)
    if found is None:
        return None
    for position, char in enumerate(text[found.start() :], found.start() + 1):
        code = ord(char)
        if code < 0x20 or 0x7F <= code <= 0x9F:
            if strict or char not in _FREE_TEXT_ALLOWED:
                return (
                    position,
                    f"a control character ({_name(char)}), refused in {where}",
                )
        elif 0xD800 <= code <= 0xDFFF:
            return position, f"an unpaired surrogate (U+{code:04X}), which is not text"
        elif strict and char in BIDI_CONTROLS:
            return position, (
                f"a bidirectional control character ({_name(char)}), refused in {where}"
            )
    return None


def _text_problem(text: str, field: str) -> Problem | None:
    pattern = _INDEX.sub("[]", field)
    strict = pattern in IDENTIFIERS or pattern in NAMES
    found = _forbidden(text, strict)
    if found is not None:
        position, what = found
        return Problem(field, f"character {position} is {what}")
    limit = IDENTIFIERS.get(pattern) or NAMES.get(pattern) or FREE_TEXT_LENGTH
    if len(text) > limit:
        return Problem(
            field, f"is {len(text):,} characters long; at most {limit:,} are allowed"
        )
    return None


def _key_problem(key: str, parent: str) -> Problem | None:
    found = _forbidden(key, strict=True)
    if found is not None:
        position, what = found
        what = what.replace("identifiers and names", "keys")
        return Problem(parent, f"character {position} of a key is {what}")
    if len(key) > KEY_LENGTH:
        return Problem(
            parent,
            f"a key is {len(key):,} characters long; at most {KEY_LENGTH} are allowed",
        )
    return None


def limit_problems(value: object) -> list[Problem]:
    """Every breach of the limits in a parsed visit file, by field; [] if none."""
    return [
        problem if problem.field else Problem("document", problem.message)
        for problem in _walk(value)
    ]


def _walk(root: object) -> Iterator[Problem]:
    # A stack, not recursion: the depth of a hostile file is the sender's choice.
    stack: list[tuple[object, str, int]] = [(root, "", 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > DEPTH:
            # No place in a visit file is this deep: the reader refuses the
            # shape by name, and nothing below it is ever stored.
            continue
        if isinstance(value, str):
            problem = _text_problem(value, path)
            if problem is not None:
                yield problem
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                problem = _key_problem(str(key), path)
                if problem is not None:
                    yield problem
                    continue  # its path would carry the character on
                children.append((item, f"{path}.{key}" if path else key, depth + 1))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            limit = LIST_LENGTHS.get(_INDEX.sub("[]", path), LIST_LENGTH)
            if len(value) > limit:
                yield Problem(
                    path, f"has {len(value):,} items; at most {limit:,} are allowed"
                )
                continue  # reading each of them would only repeat the point
            stack.extend(
                (item, f"{path}[{i}]", depth + 1)
                for i, item in reversed(list(enumerate(value)))
            )

"""The ids of the checks before signing (the open problems a clinician must
acknowledge by name to sign a visit), as a signature stores them and the visit
file's `visit.signing.acknowledged_checks` carries them.

The ids are part of the stored record and of the file format: never rename one.
"""

from __future__ import annotations

from collections.abc import Iterable

from sijoint_exam.domain.catalogue_together import CHECKS
from sijoint_exam.domain.json_reader import Reader, show

# In the order they are listed beside the headline, in the note and in
# `score --json` (the catalogue's order).
CHECK_IDS = tuple(check.id for check in CHECKS)


def in_check_order(ids: Iterable[str]) -> tuple[str, ...]:
    """Known check ids, each once, in `CHECK_IDS` order.

    Raises:
        ValueError: an id is not one of `CHECK_IDS`.
    """
    given = set(ids)
    unknown = sorted(given - set(CHECK_IDS))
    if unknown:
        raise ValueError(
            f"Unknown check before signing: {', '.join(unknown)} "
            f"(known: {', '.join(CHECK_IDS)})"
        )
    return tuple(check for check in CHECK_IDS if check in given)


def read_signing(r: Reader, value: object, path: str) -> tuple[str, ...]:
    """The visit file's `signing` object (exports of signed visits): the checks
    acknowledged at signing, known ids, each once."""
    data = r.fields(value, path, ("acknowledged_checks",))
    found: list[str] = []
    items = r.items(data.get("acknowledged_checks", []), f"{path}.acknowledged_checks")
    for i, item in enumerate(items):
        where = f"{path}.acknowledged_checks[{i}]"
        check = r.text(item, where, "")
        if isinstance(item, str) and check not in CHECK_IDS:
            r.fail(where, f"{show(item)} is not one of {', '.join(CHECK_IDS)}")
        elif check in found:
            r.fail(where, f"{show(item)} is listed twice")
        elif check:
            found.append(check)
    return in_check_order(found)

"""Read plain JSON values strictly: each read checks a type and reports by path.

A bad value is reported and replaced by a stand-in, so that a caller can go on
reading and find every problem in one pass. Never raises for any JSON value.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from enum import StrEnum
from typing import Any, TypeVar

from sijoint_exam.domain.problems import Problem

E = TypeVar("E", bound=StrEnum)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def show(value: object) -> str:
    """A value as the message quotes it: JSON, shortened."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError, RecursionError):
        # Not JSON after all, or nested too deep to print: say what kind it is.
        text = f"a {type(value).__name__}"
    return text if len(text) <= 40 else text[:37] + "..."


class Reader:
    """Collects problems while reading; each read returns a value or a stand-in."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, message: str) -> None:
        self.problems.append(Problem(path, message))

    def fields(
        self,
        value: object,
        path: str,
        allowed: Iterable[str],
        required: Iterable[str] = (),
        kind: str = "key",
    ) -> dict[str, Any]:
        """An object's members, nulls left out; unknown and missing keys reported."""
        if not isinstance(value, dict):
            self.fail(path, f"{show(value)} is not an object")
            return {}
        allowed = tuple(allowed)
        for key in value:
            if key not in allowed:
                names = ", ".join(allowed)
                self.fail(f"{path}.{key}", f"unknown {kind} (allowed: {names})")
        for key in required:
            if value.get(key) is None:
                self.fail(f"{path}.{key}", "is required")
        return {k: v for k, v in value.items() if k in allowed and v is not None}

    def items(self, value: object, path: str) -> list[Any]:
        if not isinstance(value, list):
            self.fail(path, f"{show(value)} is not a list")
            return []
        return value

    def text(self, value: object, path: str, default: str = "") -> str:
        if isinstance(value, str):
            return value
        self.fail(path, f"{show(value)} is not text")
        return default

    def integer(self, value: object, path: str, allowed: str, default: int) -> int:
        # bool is an int in Python, never in JSON.
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.fail(path, f"{show(value)} is not an integer ({allowed})")
        return default

    def number(self, value: object, path: str, allowed: str, default: float) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value
        self.fail(path, f"{show(value)} is not a number ({allowed})")
        return default

    def boolean(self, value: object, path: str) -> bool | None:
        if isinstance(value, bool):
            return value
        self.fail(path, f"{show(value)} is not true, false or null")
        return None

    def choice(self, value: object, path: str, kind: type[E]) -> E | None:
        if isinstance(value, str) and value in kind._value2member_map_:
            return kind(value)
        allowed = ", ".join(member.value for member in kind)
        self.fail(path, f"{show(value)} is not one of {allowed}")
        return None

    def date(self, value: object, path: str, default: dt.date) -> dt.date:
        if isinstance(value, str) and _ISO_DATE.fullmatch(value):
            try:
                return dt.date.fromisoformat(value)
            except ValueError:
                pass
        self.fail(path, f"{show(value)} is not a date (YYYY-MM-DD)")
        return default

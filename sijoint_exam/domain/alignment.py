"""Positional ("misalignment") findings: patterns, landmarks, screening, suggestions.

Normative behaviour: docs/clinical-rules.md §4; the pattern signatures are
osteopathic teaching sources (tagged [S]: taught, not validated).
These findings have poor reliability: wherever they are shown, the caution
`POSITIONAL_RELIABILITY_CAUTION` goes with them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Generic, TypeVar

from sijoint_exam.domain.catalogue import Side
from sijoint_exam.domain.catalogue_measures import SUGGESTION_MIN_MATCHES


class Pattern(StrEnum):
    """A positional pattern, in the osteopathic (Mitchell) taxonomy."""

    ANTERIOR_ROTATION = "anterior_rotation"
    POSTERIOR_ROTATION = "posterior_rotation"
    UPSLIP = "upslip"
    DOWNSLIP = "downslip"
    INFLARE = "inflare"
    OUTFLARE = "outflare"
    PUBIC_SUPERIOR_SHEAR = "pubic_superior_shear"
    PUBIC_INFERIOR_SHEAR = "pubic_inferior_shear"
    BILATERAL_FLEXION = "bilateral_flexion"
    BILATERAL_EXTENSION = "bilateral_extension"
    UNILATERAL_FLEXION = "unilateral_flexion"
    UNILATERAL_EXTENSION = "unilateral_extension"
    LEFT_ON_LEFT = "left_on_left"  # forward torsion
    RIGHT_ON_RIGHT = "right_on_right"  # forward torsion
    RIGHT_ON_LEFT = "right_on_left"  # backward torsion
    LEFT_ON_RIGHT = "left_on_right"  # backward torsion


# Bilateral sacral patterns and torsions take no side: torsions name theirs.
UNSIDED_PATTERNS = frozenset(
    {
        Pattern.BILATERAL_FLEXION,
        Pattern.BILATERAL_EXTENSION,
        Pattern.LEFT_ON_LEFT,
        Pattern.RIGHT_ON_RIGHT,
        Pattern.RIGHT_ON_LEFT,
        Pattern.LEFT_ON_RIGHT,
    }
)


class Landmark(StrEnum):
    """A palpated landmark, reported for one side relative to the other."""

    ASIS = "asis"
    PSIS = "psis"
    ILIAC_CREST = "iliac_crest"
    PUBIC_TUBERCLE = "pubic_tubercle"
    ISCHIAL_TUBEROSITY = "ischial_tuberosity"
    MEDIAL_MALLEOLUS = "medial_malleolus"
    SACRAL_SULCUS = "sacral_sulcus"
    ILA = "ila"  # inferior lateral angle of the sacrum


class Position(StrEnum):
    """What a landmark was found to be."""

    HIGHER = "higher"
    LOWER = "lower"
    LEVEL = "level"
    DEEP = "deep"
    SHALLOW = "shallow"
    POSTERIOR = "posterior"
    ANTERIOR = "anterior"


_HEIGHTS = (Position.HIGHER, Position.LOWER, Position.LEVEL)
LANDMARK_POSITIONS: dict[Landmark, tuple[Position, ...]] = {
    **{landmark: _HEIGHTS for landmark in list(Landmark)[:6]},
    Landmark.SACRAL_SULCUS: (Position.DEEP, Position.SHALLOW, Position.LEVEL),
    Landmark.ILA: (Position.POSTERIOR, Position.ANTERIOR, Position.LEVEL),
}
_LANDMARK_IDS = frozenset(lm.value for lm in Landmark)
# Heights are relative: left higher says right lower.
_MIRROR = {Position.HIGHER: Position.LOWER, Position.LOWER: Position.HIGHER}


class FlexionSide(StrEnum):
    """Standing or seated flexion test: the side whose PSIS rises more, or none."""

    LEFT = "left"
    RIGHT = "right"
    NEGATIVE = "negative"


class Outcome(StrEnum):
    """Gillet (positive: hypomobile) and sacral spring (positive: no spring)."""

    POSITIVE = "positive"
    NEGATIVE = "negative"


class LongSit(StrEnum):
    """Supine-to-long-sit: how the medial malleolus moved on that side."""

    LONG_TO_SHORT = "long_to_short"
    SHORT_TO_LONG = "short_to_long"
    NO_CHANGE = "no_change"


class Sphinx(StrEnum):
    """Sphinx (backward bending): how the asymmetry changed."""

    IMPROVES = "improves"
    WORSENS = "worsens"
    NO_CHANGE = "no_change"


T = TypeVar("T", bound=StrEnum)


@dataclass(frozen=True)
class Sided(Generic[T]):
    """A finding per side; None where the side was not recorded."""

    left: T | None = None
    right: T | None = None

    def on(self, side: Side) -> T | None:
        """The finding on one side."""
        return self.left if side is Side.LEFT else self.right

    @property
    def is_empty(self) -> bool:
        return self.left is None and self.right is None


@dataclass(frozen=True)
class Screening:
    """The positional screening tests, recorded as found."""

    standing_flexion: FlexionSide | None = None
    seated_flexion: FlexionSide | None = None
    gillet: Sided[Outcome] = Sided()
    supine_to_long_sit: Sided[LongSit] = Sided()
    sacral_spring: Outcome | None = None
    sphinx: Sphinx | None = None


@dataclass(frozen=True)
class PatternFinding:
    """A pattern the clinician chose, with its side (None for unsided patterns)."""

    pattern: Pattern
    side: Side | None = None


def _frozen_landmarks(
    landmarks: Mapping[Landmark, Sided[Position]],
) -> Mapping[Landmark, Sided[Position]]:
    order = list(Landmark)
    kept = {k: v for k, v in landmarks.items() if not v.is_empty}
    return MappingProxyType(
        dict(sorted(kept.items(), key=lambda kv: order.index(kv[0])))
    )


@dataclass(frozen=True)
class Alignment:
    """The positional section of a visit."""

    patterns: tuple[PatternFinding, ...] = ()
    landmarks: Mapping[Landmark, Sided[Position]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    screening: Screening = Screening()

    def __post_init__(self) -> None:
        object.__setattr__(self, "patterns", tuple(self.patterns))
        object.__setattr__(self, "landmarks", _frozen_landmarks(self.landmarks))

    @property
    def is_empty(self) -> bool:
        return (
            not self.patterns and not self.landmarks and self.screening == Screening()
        )

    def landmark(self, landmark: Landmark) -> Sided[Position]:
        """The finding of one landmark (empty when not recorded)."""
        return self.landmarks.get(landmark, Sided())


# Each pattern's defining findings (osteopathic teaching sources) as (what, where,
# value). `where` is `same`/`other` (relative to the pattern's side) for sided
# patterns, `left`/`right` for unsided ones, `any` for midline tests. `!value`
# means "anything but" (it only rules out), `=value` "recorded, and value".
# Heights are relative (left higher is right lower), so the landmarks of a left
# upslip are those of a right downslip: the positive flexion test names the side.
# Sulcus and ILA are read per side: a unilateral finding is one the other side
# does not share.
_Signature = tuple[tuple[str, str, str], ...]


def _shear(height: str) -> _Signature:
    landmarks = [lm.value for lm in list(Landmark)[:6]]
    return (("standing_flexion", "same", "positive"),) + tuple(
        (lm, "same", height) for lm in landmarks
    )


def _pubic(height: str) -> _Signature:
    level = tuple((lm, "same", "level") for lm in ("asis", "psis", "iliac_crest"))
    return (("pubic_tubercle", "same", height), *level)


def _torsion(deep: str, posterior: str, seated: str, spring: str) -> _Signature:
    sphinx = "improves" if spring == "negative" else "worsens"
    other = {"left": "right", "right": "left"}
    return (
        ("sacral_sulcus", deep, "deep"),
        ("sacral_sulcus", other[deep], "!deep"),
        ("ila", posterior, "posterior"),
        ("ila", other[posterior], "!posterior"),
        ("seated_flexion", seated, "positive"),
        ("sacral_spring", "any", spring),
        ("sphinx", "any", sphinx),
    )


def _bilateral(sulcus: str, ila: str, spring: str) -> _Signature:
    # Both sides must be recorded: one side alone reads as a unilateral finding.
    return (
        ("sacral_sulcus", "left", f"={sulcus}"),
        ("sacral_sulcus", "right", f"={sulcus}"),
        ("ila", "left", f"={ila}"),
        ("ila", "right", f"={ila}"),
        ("sacral_spring", "any", spring),
    )


SIGNATURES: dict[Pattern, _Signature] = {
    Pattern.ANTERIOR_ROTATION: (
        ("standing_flexion", "same", "positive"),
        ("asis", "same", "lower"),
        ("psis", "same", "higher"),
        ("medial_malleolus", "same", "lower"),
        ("supine_to_long_sit", "same", "long_to_short"),
    ),
    Pattern.POSTERIOR_ROTATION: (
        ("standing_flexion", "same", "positive"),
        ("asis", "same", "higher"),
        ("psis", "same", "lower"),
        ("medial_malleolus", "same", "higher"),
        ("supine_to_long_sit", "same", "short_to_long"),
    ),
    Pattern.UPSLIP: _shear("higher"),
    Pattern.DOWNSLIP: _shear("lower"),
    # Flares move the ASIS toward or away from the midline, which the landmark
    # vocabulary (higher/lower/level) cannot record: never suggested.
    Pattern.INFLARE: (("standing_flexion", "same", "positive"),),
    Pattern.OUTFLARE: (("standing_flexion", "same", "positive"),),
    Pattern.PUBIC_SUPERIOR_SHEAR: _pubic("higher"),
    Pattern.PUBIC_INFERIOR_SHEAR: _pubic("lower"),
    Pattern.BILATERAL_FLEXION: _bilateral("deep", "posterior", "negative"),
    Pattern.BILATERAL_EXTENSION: _bilateral("shallow", "anterior", "positive"),
    Pattern.UNILATERAL_FLEXION: (
        ("sacral_sulcus", "same", "deep"),
        ("sacral_sulcus", "other", "!deep"),
        ("ila", "same", "posterior"),
        ("ila", "other", "!posterior"),
        ("seated_flexion", "same", "positive"),
        ("sacral_spring", "any", "negative"),
        ("sphinx", "any", "improves"),
    ),
    Pattern.UNILATERAL_EXTENSION: (
        ("sacral_sulcus", "same", "shallow"),
        ("sacral_sulcus", "other", "!shallow"),
        ("ila", "same", "anterior"),
        ("ila", "other", "!anterior"),
        ("sacral_spring", "any", "positive"),
        ("sphinx", "any", "worsens"),
    ),
    Pattern.LEFT_ON_LEFT: _torsion("right", "left", "right", "negative"),
    Pattern.RIGHT_ON_RIGHT: _torsion("left", "right", "left", "negative"),
    Pattern.LEFT_ON_RIGHT: _torsion("right", "left", "left", "positive"),
    Pattern.RIGHT_ON_LEFT: _torsion("left", "right", "right", "positive"),
}


@dataclass(frozen=True)
class Suggestion:
    """A pattern consistent with the recorded findings — for the clinician to weigh."""

    pattern: Pattern
    side: Side | None
    matches: int  # defining findings recorded and fitting
    of: int  # defining findings of the pattern

    @property
    def text(self) -> str:
        side = f" ({self.side.value})" if self.side else ""
        name = self.pattern.value.replace("_", " ")
        return (
            f"{name}{side}: fits {self.matches} of {self.of} defining findings "
            "— a suggestion; the clinician chooses"
        )


def _other(side: Side) -> Side:
    return Side.RIGHT if side is Side.LEFT else Side.LEFT


def _fits(found: StrEnum, value: str) -> bool:
    """`deep` fits deep; `!deep` fits anything but deep."""
    if value.startswith("!"):
        return found.value != value[1:]
    return found.value == value


def _landmark_evidence(
    found: Sided[Position], side: Side, value: str, relative: bool
) -> list[bool]:
    evidence = []
    here = found.on(side)
    if here is not None:
        evidence.append(_fits(here, value))
    there = found.on(_other(side))
    if relative and there is not None:
        evidence.append(_fits(_MIRROR.get(there, there), value))
    return evidence


def _evidence(
    alignment: Alignment, what: str, side: Side | None, value: str
) -> list[bool]:
    """True for each recorded finding that fits, False for each that contradicts."""
    screening = alignment.screening
    if what in _LANDMARK_IDS and side is not None:
        landmark = Landmark(what)
        relative = LANDMARK_POSITIONS[landmark] == _HEIGHTS
        return _landmark_evidence(alignment.landmark(landmark), side, value, relative)
    if what in ("standing_flexion", "seated_flexion"):
        found = getattr(screening, what)
        return [] if found is None else [side is not None and found.value == side.value]
    if what == "supine_to_long_sit" and side is not None:
        on_side = screening.supine_to_long_sit.on(side)
        return [] if on_side is None else [_fits(on_side, value)]
    found = getattr(screening, what)  # sacral_spring, sphinx: midline
    return [] if found is None else [_fits(found, value)]


def _resolve(where: str, side: Side | None) -> Side | None:
    if where == "same":
        return side
    if where == "other":
        return _other(side) if side else None
    return None if where == "any" else Side(where)


def _defining(pattern: Pattern) -> int:
    return sum(not value.startswith("!") for _, _, value in SIGNATURES[pattern])


def _fit(alignment: Alignment, pattern: Pattern, side: Side | None) -> int | None:
    """How many defining findings fit; None when any contradicts."""
    matches = 0
    for what, where, value in SIGNATURES[pattern]:
        needed = value.startswith("=")
        evidence = _evidence(alignment, what, _resolve(where, side), value.lstrip("="))
        if False in evidence or (needed and not evidence):
            return None
        # "Anything but" only rules out: it is no evidence for the pattern.
        matches += bool(evidence) and not value.startswith("!")
    return matches


def suggest_patterns(alignment: Alignment) -> tuple[Suggestion, ...]:
    """Patterns consistent with the recorded landmarks and screening tests.

    A pattern is suggested when at least `SUGGESTION_MIN_MATCHES` of its defining
    findings are recorded and fit, and none recorded contradicts it. Best fit first.
    Never chosen for the clinician: `alignment.patterns` is theirs alone.
    """
    found = []
    for pattern in Pattern:
        sides: tuple[Side | None, ...] = (
            (None,) if pattern in UNSIDED_PATTERNS else tuple(Side)
        )
        for side in sides:
            matches = _fit(alignment, pattern, side)
            if matches is not None and matches >= SUGGESTION_MIN_MATCHES:
                found.append(Suggestion(pattern, side, matches, _defining(pattern)))
    return tuple(sorted(found, key=lambda s: -s.matches))

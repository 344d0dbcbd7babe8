"""The body chart: back and front views with the marked pain regions filled.

Drawn with reportlab graphics in a 100 × 200 unit box per view. Shapes are given
for the patient's left side as seen from behind (the viewer's left) and mirrored:
on the back view the patient's left is on the left, on the front view on the right,
as on a paper chart. The chart reaches the foot (clinical-rules.md §5).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from reportlab.graphics.shapes import Circle, Drawing, Ellipse, Polygon, Rect, String

from sijoint_exam.report import styles as look
from sijoint_exam.report.fonts import FontFamily

Point = tuple[float, float]
# ("polygon", points) or ("ellipse", (cx, cy, rx, ry)) in view units.
Shape = tuple[str, tuple[float, ...]]

VIEW_WIDTH, VIEW_HEIGHT = 100.0, 200.0
GAP = 26.0  # between the views, in view units
LABEL_ROOM = 16.0  # below the views: view names and side letters


def _poly(*points: Point) -> Shape:
    return ("polygon", tuple(c for p in points for c in p))


def _ellipse(cx: float, cy: float, rx: float, ry: float) -> Shape:
    return ("ellipse", (cx, cy, rx, ry))


# The patient's left half (viewer's left on the back view); mirrored for the right.
_LOW_BACK = _poly((30, 112), (48.5, 112), (48.5, 130), (28.5, 130))
_BUTTOCK = _ellipse(38, 100, 10.5, 8.5)
_HIP = _ellipse(24.5, 100, 3.2, 7.5)
_THIGH = _poly((28.5, 89), (48.5, 89), (47.8, 58), (32, 58))
_KNEE = _poly((32, 56), (47.8, 56), (47.4, 46), (32.6, 46))
_LOWER_LEG = _poly((32.6, 44), (47.4, 44), (46, 14), (34.5, 14))
_FOOT = _poly((34, 11.5), (46.2, 11.5), (47, 3), (29.5, 3))
_GROIN = _poly((36, 97), (48.8, 91), (48.8, 85))
_SACRUM = _poly((44, 109), (56, 109), (50, 93))

# Which shape draws each area on each view (an area absent from a view is not drawn).
BACK_AREAS: dict[str, Shape] = {
    "low_back": _LOW_BACK,
    "buttock": _BUTTOCK,
    "hip": _HIP,
    "posterior_thigh": _THIGH,
    "knee": _KNEE,
    "lower_leg": _LOWER_LEG,
    "foot": _FOOT,
}
FRONT_AREAS: dict[str, Shape] = {
    "groin": _GROIN,
    "hip": _HIP,
    "anterior_thigh": _THIGH,
    "knee": _KNEE,
    "lower_leg": _LOWER_LEG,
    "foot": _FOOT,
}

_TORSO = _poly(
    (44, 177), (56, 177), (74, 169), (73, 130), (77, 104), (76, 91), (24, 91),
    (23, 104), (27, 130), (26, 169),
)  # fmt: skip
_ARM = _poly((26, 169), (17, 160), (11, 108), (17, 106), (23, 148), (27, 136))
_LEG = _poly((24, 94), (49.5, 91), (48.5, 50), (47, 12), (33.5, 12), (31, 50), (26, 80))
_SOLE = _poly((33.5, 12), (47, 12), (47.8, 2.5), (28.8, 2.5))


def _mirrored(shape: Shape) -> Shape:
    kind, values = shape
    if kind == "ellipse":
        cx, cy, rx, ry = values
        return (kind, (VIEW_WIDTH - cx, cy, rx, ry))
    flipped = []
    for i, value in enumerate(values):
        flipped.append(VIEW_WIDTH - value if i % 2 == 0 else value)
    return (kind, tuple(flipped))


def _draw(shape: Shape, origin: Point, scale: float, **paint: object) -> object:
    kind, values = shape
    ox, oy = origin
    if kind == "ellipse":
        cx, cy, rx, ry = values
        return Ellipse(
            ox + cx * scale, oy + cy * scale, rx * scale, ry * scale, **paint
        )
    points = [
        (ox if i % 2 == 0 else oy) + value * scale for i, value in enumerate(values)
    ]
    return Polygon(points, **paint)


def _silhouette(origin: Point, scale: float) -> Iterable[object]:
    paint = {
        "fillColor": look.SILHOUETTE_FILL,
        "strokeColor": look.OUTLINE,
        "strokeWidth": 0.6,
    }
    ox, oy = origin
    yield Circle(ox + 50 * scale, oy + 188 * scale, 11 * scale, **paint)
    yield _draw(_TORSO, origin, scale, **paint)
    for part in (_ARM, _LEG, _SOLE):
        yield _draw(part, origin, scale, **paint)
        yield _draw(_mirrored(part), origin, scale, **paint)


def _regions(
    areas: dict[str, Shape],
    marked: set[str],
    left_on_left: bool,
    origin: Point,
    scale: float,
) -> Iterable[object]:
    for side in ("left", "right"):
        mirror = (side == "left") != left_on_left
        for area, shape in areas.items():
            on = f"{side}_{area}" in marked
            yield _draw(
                _mirrored(shape) if mirror else shape,
                origin,
                scale,
                fillColor=look.MARKED_FILL if on else None,
                strokeColor=look.MARKED_STROKE if on else look.OUTLINE,
                strokeWidth=0.9 if on else 0.4,
                strokeDashArray=None if on else [1.5, 1.5],
            )


def _label(x: float, y: float, text: str, font: str, size: float) -> String:
    return String(x, y, text, fontName=font, fontSize=size, textAnchor="middle")


def body_chart(regions: Sequence[str], fonts: FontFamily, height: float) -> Drawing:
    """The back and front views with `regions` (catalogue ids) filled.

    Args:
        regions: marked region ids, e.g. `left_buttock`, `midline_sacrum`.
        fonts: the registered fonts for the labels (never an unembedded font).
        height: the drawing's height in points; the width follows.
    """
    scale = (height - LABEL_ROOM) / VIEW_HEIGHT
    view_width = VIEW_WIDTH * scale
    legend_width = 110.0
    drawing = Drawing(2 * view_width + GAP * scale + legend_width, height)
    # The renderer starts in Helvetica, a font reference that is not embedded.
    drawing.initialFontName = fonts.regular
    marked = set(regions)
    views = (("Back", BACK_AREAS, True, 0.0), ("Front", FRONT_AREAS, False, 1.0))
    for name, areas, left_on_left, slot in views:
        x0 = slot * (view_width + GAP * scale)
        origin = (x0, LABEL_ROOM)
        for shape in _silhouette(origin, scale):
            drawing.add(shape)
        for shape in _regions(areas, marked, left_on_left, origin, scale):
            drawing.add(shape)
        if name == "Back":
            on = "midline_sacrum" in marked
            drawing.add(
                _draw(
                    _SACRUM,
                    origin,
                    scale,
                    fillColor=look.MARKED_FILL if on else None,
                    strokeColor=look.MARKED_STROKE if on else look.OUTLINE,
                    strokeWidth=0.9 if on else 0.4,
                )
            )
        near, far = ("L", "R") if left_on_left else ("R", "L")
        drawing.add(_label(x0 + view_width / 2, 2, name, fonts.bold, 8))
        drawing.add(_label(x0 + 0.2 * view_width, 2, near, fonts.regular, 7.5))
        drawing.add(_label(x0 + 0.8 * view_width, 2, far, fonts.regular, 7.5))
    legend_x = 2 * view_width + GAP * scale + 12
    drawing.add(
        Rect(
            legend_x,
            height - 26,
            9,
            9,
            fillColor=look.MARKED_FILL,
            strokeColor=look.MARKED_STROKE,
            strokeWidth=0.9,
        )
    )
    legend = String(
        legend_x + 14, height - 24, "painful region", fontName=fonts.regular
    )
    legend.fontSize = 8
    drawing.add(legend)
    return drawing

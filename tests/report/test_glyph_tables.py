"""The stored glyph tables: used for every bundled font, equal to reportlab's own
reading of it, current, and ignored (the font read the slow way) when they do not fit.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from reportlab import Version as REPORTLAB_VERSION
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from sijoint_exam.domain.note import build_note
from sijoint_exam.report import fonts
from sijoint_exam.report.fonts import BOLD, FALLBACKS, REGULAR, font_runs
from sijoint_exam.report.glyph_tables import (
    SUFFIX,
    StoredTablesFont,
    dump,
    read,
)
from tests.report.helpers import full_sample, pages, pdf

FONTS_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
BUNDLED = sorted(FONTS_DIR.glob("*.ttf"))
# Every name fonts.py registers: the main family and both fallbacks.
REGISTERED = sorted(
    {REGULAR, BOLD} | {name for face in FALLBACKS for name in (face.regular, face.bold)}
)
# Text that needs every face: Korean and Latin (NanumGothic), Vietnamese (Noto
# Sans) and hanzi (Droid Sans Fallback), regular and bold.
EVERY_FACE = "김선애 Nguyễn 张晓燕"
SCALE_SAMPLES = (0, 1, 255, 256, 1000, 2048, -300)


def glyph_file(font: Path) -> bytes:
    return font.with_name(font.name + SUFFIX).read_bytes()


def stored(font: Path, glyphs: bytes | None) -> StoredTablesFont:
    with font.open("rb") as handle:
        return StoredTablesFont(font.stem, handle, glyphs)


def stock(font: Path) -> TTFont:
    """reportlab's own reading of the font, as its docs show."""
    with font.open("rb") as handle:
        return TTFont(font.stem, handle)


def attributes(font: TTFont) -> dict[str, str]:
    """Every attribute of a font and its face, as a repr that tells 1 from 1.0."""
    font.face.glyphToChar  # noqa: B018 -- the stored face builds it on first use
    face = vars(font.face).copy()
    face.pop("used_stored_tables", None)  # ours, not reportlab's
    # A function made at each reading: compared by what it gives.
    scale = face.pop("_pdfScale")
    face["_pdfScale"] = [scale(v) for v in SCALE_SAMPLES]
    # The read cursor: the stored path stops reading after the maxp table, the
    # slow path after loca; every later read (makeSubset) seeks first.
    face["_pos"] = "cursor" if "_pos" in face else None
    found = {f"face.{name}": repr(value) for name, value in face.items()}
    for name, value in vars(font).items():
        if name == "face":
            continue
        if name == "state":  # per-document subsetting state, empty until drawn
            value = (type(value), len(value))
        elif name == "encoding":
            value = (type(value), vars(value))
        found[name] = repr(value)
    return found


def differences(ours: TTFont, theirs: TTFont) -> list[str]:
    """The names of the attributes that differ, or that only one of them has."""
    mine, other = attributes(ours), attributes(theirs)
    return sorted(
        name
        for name in mine.keys() | other.keys()
        if mine.get(name, "(missing)") != other.get(name, "(missing)")
    )


@pytest.mark.parametrize("font", BUNDLED, ids=lambda p: p.name)
def test_a_stored_face_is_reportlabs_own_reading(font):
    ours = stored(font, glyph_file(font))
    assert ours.face.used_stored_tables
    assert differences(ours, stock(font)) == []


def _forget_fonts() -> None:
    """Unregister the bundled fonts, so fonts.py registers them again when used."""
    for name in REGISTERED:
        if name in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.getFont(name).unregister()
    for cached in (fonts.register_fonts, fonts._fallback, fonts._glyphs):
        cached.cache_clear()


@pytest.fixture
def fonts_afresh() -> Iterator[None]:
    """The bundled fonts registered anew in the test, and again after it."""
    _forget_fonts()
    yield
    _forget_fonts()


def test_the_bundled_fonts_are_registered_from_their_glyph_files(fonts_afresh):
    font_runs(EVERY_FACE)  # registers the main family and both fallbacks
    used = {
        name: getattr(pdfmetrics.getFont(name).face, "used_stored_tables", None)
        for name in REGISTERED
    }
    assert used == dict.fromkeys(REGISTERED, True)


def _corrupt(data: bytes) -> bytes:
    middle = len(data) // 2
    return data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1 :]


def _header_changed(**changes: Any) -> Callable[[bytes], bytes]:
    def change(data: bytes) -> bytes:
        head, _, rest = data.partition(b"\n")
        return json.dumps({**json.loads(head), **changes}).encode() + b"\n" + rest

    return change


NANUM = FONTS_DIR / "NanumGothic.ttf"
UNFIT = {
    "empty": lambda data: b"",
    "corrupt": _corrupt,
    "truncated": lambda data: data[: len(data) * 2 // 3],
    "header only": lambda data: data.partition(b"\n")[0],
    "the font file": lambda data: NANUM.read_bytes(),
    "a JSON list": lambda data: b"[1, 2]\n" + data.partition(b"\n")[2],
    "another format": _header_changed(format=2),
    "another reportlab": _header_changed(reportlab="3.0"),
    "table sizes swapped": lambda data: _header_changed(
        arrays=[[n, "H" if c == "I" else c, k] for n, c, k in read(data)[0]["arrays"]]
    )(data),
    "another font's": lambda data: glyph_file(FONTS_DIR / "NanumGothicBold.ttf"),
}


@pytest.mark.parametrize("unfit", list(UNFIT))
def test_a_glyph_file_that_does_not_fit_is_not_used(unfit):
    glyphs = UNFIT[unfit](glyph_file(NANUM))
    ours = stored(NANUM, glyphs)
    assert not ours.face.used_stored_tables
    theirs = stock(NANUM)
    assert ours.face.charWidths == theirs.face.charWidths
    assert ours.stringWidth("김선애 Kim", 10) == theirs.stringWidth("김선애 Kim", 10)
    assert differences(ours, theirs) == []


def test_no_glyph_file_reads_the_font_the_slow_way():
    ours = stored(NANUM, None)
    assert not ours.face.used_stored_tables
    assert differences(ours, stock(NANUM)) == []


def test_the_unfit_files_are_whole_glyph_files_when_unchanged():
    """The cases above change a glyph file that is used as it is."""
    assert stored(NANUM, glyph_file(NANUM)).face.used_stored_tables
    head = json.loads(glyph_file(NANUM).partition(b"\n")[0])
    assert head["reportlab"] == REPORTLAB_VERSION
    assert {"I", "H"} <= {code for _, code, _ in head["arrays"]}


def test_a_note_pdf_is_the_same_from_stored_and_read_tables(fonts_afresh, monkeypatch):
    patient, visit = full_sample()
    note = build_note(
        replace(patient, family_name="김 张晓燕", given_names="Nguyễn"),
        replace(visit, clinician="선애 Ştefănescu"),
    )
    from_stored = pdf(note)
    assert all(pdfmetrics.getFont(n).face.used_stored_tables for n in REGISTERED)

    _forget_fonts()
    monkeypatch.setattr(
        fonts, "StoredTablesFont", lambda name, handle, glyphs: TTFont(name, handle)
    )
    from_font_files = pdf(note)
    assert all(type(pdfmetrics.getFont(n)) is TTFont for n in REGISTERED)

    assert "김 张晓燕, Nguyễn" in pages(from_stored)[0]
    assert from_stored == from_font_files


@pytest.mark.parametrize("font", BUNDLED, ids=lambda p: p.name)
def test_the_committed_glyph_files_are_current(font):
    """Regenerate with `python -m sijoint_exam.report.glyph_tables` if this fails.

    The decoded header and tables are compared, not the bytes: another zlib build
    may compress the same tables differently.
    """
    committed_header, committed = read(glyph_file(font))
    header, tables = read(dump(stock(font).face))
    assert committed_header == header
    assert committed.keys() == tables.keys()
    changed = [name for name in tables if committed[name] != tables[name]]
    assert changed == []

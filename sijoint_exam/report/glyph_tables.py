"""Precomputed glyph tables of the bundled fonts, so that registering a font is quick.

reportlab's TTFont reads a font's character map, advance widths and glyph offsets in
Python, one glyph at a time: about 50 ms for each NanumGothic face (20,000 glyphs),
the largest part of a first export. Those tables depend on the font file and the
reportlab version alone, so reportlab's own reading of them is stored once beside
the font ("NanumGothic.ttf" -> "NanumGothic.ttf.glyphs") and read back in a few ms:

    python -m sijoint_exam.report.glyph_tables   (after changing a bundled font or
                                                  upgrading reportlab)

Everything else about a font (names, metrics, flags) is still read by reportlab from
the font file at every registration. The stored tables are used only when the glyph
file reads back whole, was written by the installed reportlab version, and records
the same checksums and lengths for the source tables as the font's table directory
does; otherwise the font is read the slow way. tests/report/test_glyph_tables.py
checks that the bundled fonts use their glyph files and that the faces they give
equal, attribute by attribute, what the installed reportlab reads from the fonts.
"""

from __future__ import annotations

import json
import sys
import zlib
from array import array
from collections.abc import Iterable, Sequence
from fnmatch import fnmatch
from pathlib import Path
from typing import IO, Any
from weakref import WeakKeyDictionary

from reportlab import Version as REPORTLAB_VERSION
from reportlab import rl_config
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

SUFFIX = ".glyphs"
FORMAT = 1
# The font tables the stored ones are read from; their checksums tie a glyph file
# to the font it was made from.
SOURCE_TABLES = ("cmap", "head", "hhea", "hmtx", "loca", "maxp")
# Integer array types, smallest first, with the range each holds.
_INT_TYPES = (("H", 0, 0xFFFF), ("I", 0, 0xFFFFFFFF), ("q", -(2**63), 2**63 - 1))
# Beside a table that mixes integers and floats: which of its values are floats.
FLOAT_MARKS = ".is_float"

Arrays = dict[str, "array[Any]"]


def _source(face: TTFontFace) -> dict[str, list[int]]:
    """Checksum and length of each source table, as the font's table directory
    records them."""
    return {
        tag: [entry["checksum"], entry["length"]]
        for tag in SOURCE_TABLES
        if (entry := face.table.get(tag)) is not None
    }


def _packed(name: str, values: Sequence[int | float]) -> Arrays:
    """The values in the smallest array type that gives them back unchanged.

    reportlab mixes integers and floats in one table when a font's units per em are
    not 1000 (the advances after the last full horizontal metric come scaled), so
    such a table is stored as floats with a mark on each float, to read back with
    the same types.
    """
    if all(type(v) is int for v in values):
        low, high = min(values, default=0), max(values, default=0)
        typecode = next(
            code for code, bottom, top in _INT_TYPES if bottom <= low and high <= top
        )
        return {name: array(typecode, values)}
    if not all(type(v) in (int, float) for v in values):
        raise ValueError(f"glyph table {name} holds something other than numbers")
    found: dict[str, array[Any]] = {name: array("d", values)}
    if not all(type(v) is float for v in values):
        found[name + FLOAT_MARKS] = array("B", (type(v) is float for v in values))
    return found


def _unpacked(arrays: Arrays, name: str) -> Sequence[int | float]:
    """A table as `_packed` was given it."""
    values = arrays[name]
    marks = arrays.get(name + FLOAT_MARKS)
    if marks is None:
        return values
    return [
        v if is_float else int(v) for v, is_float in zip(values, marks, strict=True)
    ]


def _tables(face: TTFontFace) -> dict[str, Sequence[int | float]]:
    """reportlab's per-glyph tables of a parsed face, as flat sequences."""
    glyph_chars = face.glyphToChar
    return {
        "char_codes": list(face.charToGlyph),
        "char_glyphs": list(face.charToGlyph.values()),
        "width_codes": list(face.charWidths),
        "widths": list(face.charWidths.values()),
        "advances": [advance for advance, _ in face.hmetrics],
        "side_bearings": [bearing for _, bearing in face.hmetrics],
        "glyph_offsets": face.glyphPos,
        "glyph_char_glyphs": list(glyph_chars),
        "glyph_char_counts": [len(chars) for chars in glyph_chars.values()],
        "glyph_char_codes": [code for chars in glyph_chars.values() for code in chars],
    }


def dump(face: TTFontFace) -> bytes:
    """A parsed face's glyph tables as the bytes of a glyph file: a JSON header
    line, then the arrays, little-endian, compressed."""
    arrays: Arrays = {}
    for name, values in _tables(face).items():
        arrays.update(_packed(name, values))
    header = {
        "format": FORMAT,
        "reportlab": REPORTLAB_VERSION,
        "source": _source(face),
        "default_width": face.defaultWidth,
        "arrays": [[name, a.typecode, len(a)] for name, a in arrays.items()],
    }
    if sys.byteorder == "big":
        for a in arrays.values():
            a.byteswap()
    payload = b"".join(a.tobytes() for a in arrays.values())
    return json.dumps(header).encode() + b"\n" + zlib.compress(payload, 9)


def read(data: bytes) -> tuple[dict[str, Any], Arrays]:
    """The header and arrays of a glyph file.

    Raises:
        ValueError: the bytes are not a whole glyph file of this format.
    """
    head, _, packed = data.partition(b"\n")
    try:
        header = json.loads(head)
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError(f"not a glyph file of format {FORMAT}")
        payload = memoryview(zlib.decompress(packed))
        arrays: Arrays = {}
        for name, typecode, count in header["arrays"]:
            values = array(typecode)
            size = values.itemsize * count
            if count < 0 or len(payload) < size:
                raise ValueError(f"glyph table {name} is cut short")
            values.frombytes(payload[:size])
            payload = payload[size:]
            if sys.byteorder == "big":
                values.byteswap()
            arrays[name] = values
    except (KeyError, TypeError, zlib.error) as error:
        raise ValueError(f"not a glyph file: {error}") from error
    if payload:
        raise ValueError("glyph file has bytes after its tables")
    return header, arrays


def _stored(glyph_file: bytes, face: TTFontFace) -> dict[str, Any] | None:
    """The face's per-glyph tables from its glyph file, by reportlab's attribute
    names; None unless the file is whole, made by the installed reportlab and from
    this font's source tables."""
    try:
        header, arrays = read(glyph_file)
        if header.get("reportlab") != REPORTLAB_VERSION:
            return None
        if header.get("source") != _source(face):
            return None
        counts = arrays["glyph_char_counts"]
        if sum(counts) != len(arrays["glyph_char_codes"]):
            return None
        if len(counts) != len(arrays["glyph_char_glyphs"]):
            return None
        codes, widths = arrays["width_codes"], _unpacked(arrays, "widths")
        advances = _unpacked(arrays, "advances")
        return {
            "charToGlyph": dict(
                zip(arrays["char_codes"], arrays["char_glyphs"], strict=True)
            ),
            "charWidths": dict(zip(codes, widths, strict=True)),
            "hmetrics": list(zip(advances, arrays["side_bearings"], strict=True)),
            "glyphPos": arrays["glyph_offsets"].tolist(),
            "defaultWidth": header["default_width"],
            # glyphToChar, flat: built on first use (StoredTablesFace.__getattr__)
            "_glyph_chars": tuple(
                arrays[name]
                for name in (
                    "glyph_char_glyphs",
                    "glyph_char_counts",
                    "glyph_char_codes",
                )
            ),
        }
    except (ValueError, KeyError):
        return None


class StoredTablesFace(TTFontFace):
    """A TrueType face whose per-glyph tables come from its glyph file when that
    fits the font; `used_stored_tables` says whether they did."""

    def __init__(self, file: IO[bytes], glyph_file: bytes | None) -> None:
        self._glyph_file = glyph_file
        self.used_stored_tables = False
        super().__init__(file)

    def extractInfo(self, charInfo: int = 1) -> None:  # reportlab's name
        # TTFontFile.__init__ calls this with no way to pass the glyph file along.
        glyph_file = self.__dict__.pop("_glyph_file", None)
        # The table directory, which the source checksums come from, is read.
        stored = _stored(glyph_file, self) if glyph_file and charInfo else None
        if stored is None:
            super().extractInfo(charInfo)
            return
        # Names, metrics and flags from the font, as reportlab reads them ...
        super().extractInfo(charInfo=0)
        # ... and the per-glyph tables it would have read, from the glyph file.
        self.__dict__.update(stored)
        self.used_stored_tables = True

    def __getattr__(self, name: str) -> Any:
        # glyphToChar is read only when text is shaped (uharfbuzz, not installed),
        # so it is built on first use rather than at every registration (10 ms
        # for each NanumGothic face).
        flat = self.__dict__.get("_glyph_chars")
        if name != "glyphToChar" or flat is None:
            raise AttributeError(name)
        glyphs, counts, codes = flat
        next_code = iter(codes).__next__
        self.glyphToChar = {
            glyph: [next_code() for _ in range(count)]
            for glyph, count in zip(glyphs, counts, strict=True)
        }
        del self._glyph_chars
        return self.glyphToChar


class StoredTablesFont(TTFont):
    """reportlab's TTFont with a `StoredTablesFace`.

    TTFont.__init__ always reads its face itself, so this sets the same attributes
    around the face made here; a test compares the two attribute by attribute.
    """

    def __init__(self, name: str, file: IO[bytes], glyph_file: bytes | None) -> None:
        self.fontName = name
        self.face = StoredTablesFace(file, glyph_file)
        self.encoding = TTEncoding()
        self.state: WeakKeyDictionary[Any, Any] = WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(
            fnmatch(name, glob) for glob in rl_config.unShapedFontGlob
        )


def write_glyph_files(fonts: Iterable[Path]) -> list[Path]:
    """Read each font with reportlab and write its glyph file beside it."""
    written = []
    for font in fonts:
        target = font.with_name(font.name + SUFFIX)
        with font.open("rb") as handle:
            target.write_bytes(dump(TTFont(font.stem, handle).face))
        written.append(target)
    return written


def main() -> None:
    """Write the glyph file of every bundled font (run from a checkout)."""
    folder = Path(__file__).resolve().parents[2] / "resources" / "fonts"
    for path in write_glyph_files(sorted(folder.glob("*.ttf"))):
        print(f"{path} ({path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()

"""What the report tests share: the full sample visit, writing and reading PDFs."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
from enum import Enum
from pathlib import Path

import pytest
from pypdf import PdfReader

from sijoint_exam.domain.note import BodyChart, DocumentKind, NoteContent, SigningInfo
from sijoint_exam.domain.visit import Patient, Visit
from sijoint_exam.domain.visit_file import parse_document
from sijoint_exam.report.fonts import fit_to_font
from sijoint_exam.report.referral import write_referral
from sijoint_exam.report.visit_note import write_visit_note

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "sample-visit.json"
SIGNED = SigningInfo(
    "J. Doe, PT", dt.datetime(2026, 11, 20, 9, 30, tzinfo=dt.UTC), "3f" * 32
)


def full_sample() -> tuple[Patient, Visit]:
    """The visit-format.md sample: every section of the note filled."""
    return parse_document(json.loads(SAMPLE.read_text("utf-8")), dt.date(2026, 11, 21))


def pdf(note: NoteContent, *, invariant: bool = True) -> bytes:
    """The note or letter as PDF bytes (byte-identical for the same note)."""
    out = io.BytesIO()
    writer = write_visit_note if note.kind is DocumentKind.NOTE else write_referral
    writer(note, out, invariant=invariant)
    return out.getvalue()


def pages(data: bytes) -> list[str]:
    """Each page's text, whitespace collapsed so wrapped lines compare as one."""
    reader = PdfReader(io.BytesIO(data))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


_HEADER = re.compile(r"^(DRAFT — not signed )?.*? DOB \S+ MRN \S+ Visit \S+ ")
# The footer's status is "Signed <date> <time> by …": a sentence in the body that
# starts "Signed with …" is not the footer.
_FOOTER = re.compile(
    r" (DRAFT — not signed|Signed \d{4}-\d\d-\d\d .*?) page \d+ of \d+$"
)


def body(page: str) -> str:
    """A page's text without the running header and footer (and watermark)."""
    return _FOOTER.sub("", _HEADER.sub("", page, count=1), count=1)


def strings(value: object) -> list[str]:
    """Every string a note holds, nested dataclasses included."""
    if isinstance(value, Enum):
        return []  # a tone or a kind: how the text looks, not text
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [
            s
            for f in dataclasses.fields(value)
            for s in strings(getattr(value, f.name))
        ]
    if isinstance(value, tuple | list):
        return [s for item in value for s in strings(item)]
    return []


def collapsed(text: str) -> str:
    """Text as the PDF prints it: glyph stand-ins, whitespace collapsed."""
    return " ".join(fit_to_font(text).split())


def printed(note: NoteContent) -> list[str]:
    """Every string the reader should find in the PDF (ids and paths are not)."""
    hidden = {note.letterhead.logo_path}
    for section in note.sections:
        for block in section.blocks:
            if isinstance(block, BodyChart):
                hidden.update(block.regions)
    return [s for s in strings(note) if s.strip() and s not in hidden]


def tool(name: str) -> str:
    """The path of a command-line tool, or skip the test that needs it."""
    found = shutil.which(name)
    if found is None:
        reason = (
            f"{name} is not installed; install it with scripts/bootstrap-system.sh "
            "--pdf-tools (make test does, as root)"
        )
        # In CI the bootstrap has installed it: missing there is a failure.
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return found


def run_tool(name: str, pdf_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [tool(name), str(pdf_path)], capture_output=True, text=True, check=False
    )


def embedded_fonts(pdf_path: Path) -> dict[str, bool]:
    """`pdffonts`: each font's base name (subset tag removed) and whether embedded."""
    result = run_tool("pdffonts", pdf_path)
    assert result.returncode == 0, result.stderr
    fonts = {}
    for line in result.stdout.splitlines()[2:]:
        columns = line.split()
        # name type [type…] encoding emb sub uni object ID: count from the end.
        name, embedded = columns[0], columns[-5]
        fonts[name.split("+", 1)[-1]] = embedded == "yes"
    return fonts

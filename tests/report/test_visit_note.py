"""The PDF visit note: content, Unicode names, escaping, paging, invariance."""

from __future__ import annotations

import dataclasses
import io
import re

import pytest
from pypdf import PdfReader
from reportlab import rl_config
from reportlab.platypus import Paragraph

from sijoint_exam.domain.note import NoteContent, build_note
from sijoint_exam.report.fonts import (
    BOLD,
    REGULAR,
    fit_to_font,
    font_covers,
    register_fonts,
)
from sijoint_exam.report.visit_note import build_story, write_visit_note


@pytest.fixture
def note(sample_patient, sample_visit) -> NoteContent:
    return build_note(sample_patient(), sample_visit())


def _pdf(note: NoteContent, *, invariant: bool = True) -> bytes:
    out = io.BytesIO()
    write_visit_note(note, out, invariant=invariant)
    return out.getvalue()


def _pages(pdf: bytes) -> list[str]:
    """Each page's text, whitespace collapsed so wrapped lines compare as one."""
    reader = PdfReader(io.BytesIO(pdf))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def _strings(note: NoteContent) -> list[str]:
    """Every string the note holds, nested dataclasses included."""
    found: list[str] = []

    def walk(value: object) -> None:
        if isinstance(value, str):
            found.append(value)
        elif dataclasses.is_dataclass(value):
            for field in dataclasses.fields(value):
                walk(getattr(value, field.name))
        elif isinstance(value, tuple):
            for item in value:
                walk(item)

    walk(note)
    return found


def test_pdf_states_the_tally_and_its_source(note):
    (page,) = _pages(_pdf(note))
    assert "Kim, Sungae" in page
    assert "3 of 5" in page
    assert "cluster positive — consistent with SIJ pain" in page
    assert "van der Wurff 2006" in page
    assert "Post-test probability 50%" in page
    assert "Per side: left 3, right 1" in page
    assert "DRAFT — not signed" in page
    assert "page 1 of 1" in page


def test_every_table_row_is_printed(note):
    (page,) = _pages(_pdf(note))
    for row in note.provocation:
        assert f"{row.test} {row.side} {row.result}" in page


def test_build_story_is_a_list_of_flowables(note):
    story = build_story(note)
    texts = [f.getPlainText() for f in story if isinstance(f, Paragraph)]
    assert texts[0] == "SIJ examination — visit note"
    assert "Cluster result" in texts and "Plan" in texts


def test_every_note_string_has_glyphs_in_the_font(note):
    register_fonts()
    for text in _strings(note):
        assert font_covers(fit_to_font(text), REGULAR), text
        assert font_covers(fit_to_font(text), BOLD), text


def test_minus_sign_is_drawn_as_a_dash_the_font_has():
    register_fonts()
    assert not font_covers("LR−", REGULAR)
    assert font_covers(fit_to_font("LR−"), REGULAR)


@pytest.mark.parametrize("name", ["José Ñúñez", "Zoë Łukasz", "김선애"])
def test_unicode_names_are_embedded_and_extractable(sample_patient, sample_visit, name):
    family, given = name.split(" ") if " " in name else (name, "")
    patient = sample_patient(family_name=family, given_names=given)
    note = build_note(patient, sample_visit(clinician=name, plan=name))
    register_fonts()
    assert font_covers(name, REGULAR) and font_covers(name, BOLD)
    (page,) = _pages(_pdf(note))
    assert patient.display_name in page
    assert page.count(name) >= 2  # clinician and plan


def test_all_fonts_are_embedded_nanumgothic(note):
    reader = PdfReader(io.BytesIO(_pdf(note)))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for ref in fonts.values():
        font = ref.get_object()
        assert "NanumGothic" in font["/BaseFont"]
        assert "/FontFile2" in font["/FontDescriptor"]


def test_invariant_output_is_byte_identical(note):
    first, second = _pdf(note), _pdf(note)
    assert first == second


def test_invariant_to_a_path_matches_the_stream(note, tmp_path):
    target = tmp_path / "note.pdf"
    write_visit_note(note, target, invariant=True)
    assert target.read_bytes() == _pdf(note)
    assert [p.name for p in tmp_path.iterdir()] == ["note.pdf"]  # no temp file left


def test_invariant_does_not_leak_to_later_exports(note):
    before = rl_config.invariant
    _pdf(note, invariant=True)
    assert rl_config.invariant == before
    reader = PdfReader(io.BytesIO(_pdf(note, invariant=False)))
    assert reader.metadata.creation_date.year != 2000  # invariant mode's fixed date


def test_metadata_names_the_note_and_its_author_only(note):
    meta = PdfReader(io.BytesIO(_pdf(note))).metadata
    assert meta.title == "SIJ examination — visit note"
    assert meta.author == "J. Doe, PT"
    values = " ".join(str(v) for v in meta.values())
    for private in ("Kim", "Sungae", "A-1001", "1978"):
        assert private not in values


def test_markup_characters_are_escaped(sample_patient, sample_visit):
    plan = ("Walk <b>& stretch daily; review </para> in 2 weeks. " * 60)[:2000]
    assert len(plan) == 2000
    visit = sample_visit(
        plan=plan, assessment="a < b & c > d", chief_complaint="<i>pain</i> & ache"
    )
    text = " ".join(_pages(_pdf(build_note(sample_patient(), visit))))
    assert "Walk <b>& stretch daily; review </para> in 2 weeks." in text
    assert "a < b & c > d" in text
    assert "<i>pain</i> & ache" in text
    assert "&amp;" not in text and "&lt;" not in text


def test_an_unbroken_2000_character_plan_is_wrapped(sample_patient, sample_visit):
    visit = sample_visit(plan="x" * 2000)
    text = "".join(_pages(_pdf(build_note(sample_patient(), visit)))).replace(" ", "")
    assert "x" * 2000 in text


def test_long_note_has_the_header_on_every_page(sample_patient, sample_visit):
    lines = "\n".join(f"Step {i}: exercise, review and advice." for i in range(120))
    visit = sample_visit(assessment=lines, plan=lines)
    pages = _pages(_pdf(build_note(sample_patient(), visit)))
    assert len(pages) >= 2
    for number, page in enumerate(pages, start=1):
        assert "Kim, Sungae" in page
        assert "DOB 1978-03-14 MRN A-1001 Visit 2026-11-20" in page
        assert "DRAFT — not signed" in page
        assert f"page {number} of {len(pages)}" in page


def test_an_overlong_name_is_fitted_into_the_header(sample_patient, sample_visit):
    patient = sample_patient(family_name="Łukasz-Ñúñez " * 12)
    page = _pages(_pdf(build_note(patient, sample_visit())))[0]
    assert "…" in page  # cut to fit the header; printed whole in the facts table
    assert "MRN A-1001" in page


def test_register_fonts_is_idempotent():
    assert register_fonts() is register_fonts()


def test_huge_facts_break_across_pages(sample_patient, sample_visit):
    patient = sample_patient(given_names="Sungae " * 600)
    visit = sample_visit(clinician="J" * 5000, chief_complaint="ache " * 1000)
    pages = _pages(_pdf(build_note(patient, visit)))
    assert len(pages) >= 3
    runs = re.findall(r"J{20,}", "".join(pages).replace(" ", ""))
    assert sum(len(run) for run in runs) == 5000  # all of it, across page breaks


def test_a_string_path_is_written_whole(note, tmp_path):
    target = tmp_path / "note.pdf"
    write_visit_note(note, str(target), invariant=True)
    assert target.read_bytes() == _pdf(note)

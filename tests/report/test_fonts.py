"""Font switching: every character in a font that has it, every font embedded."""

from __future__ import annotations

import pytest
from reportlab.pdfbase import pdfmetrics

from sijoint_exam.domain.note import build_note, build_referral
from sijoint_exam.report.fonts import (
    BOLD,
    REGULAR,
    fit_to_font,
    font_covers,
    font_runs,
    markup,
    register_fonts,
    string_width,
)
from tests.report.helpers import body, embedded_fonts, pages, pdf, strings

NAMES = {
    "Korean": ("김", "선애"),
    "accented": ("Ñúñez-Nguyễn", "José Zoë"),
    "Cyrillic": ("Шевченко", "Олексій"),
    "Greek": ("Παπαδόπουλος", "Γιώργος"),
    "Chinese": ("王", "小明"),
    "simplified Chinese": ("张", "晓燕"),
    "Japanese": ("山田", "はなこ"),
}


@pytest.mark.parametrize("bold", [False, True])
@pytest.mark.parametrize("script", list(NAMES))
def test_every_character_of_a_name_is_in_the_font_drawing_it(script, bold):
    family, given = NAMES[script]
    name = f"{family}, {given}"
    runs = font_runs(name, bold)
    assert "".join(run for _, run in runs) == name  # nothing lost or replaced
    for font, run in runs:
        assert font_covers(run, font), (font, run)


def test_scripts_go_to_the_fallbacks():
    assert font_runs("김선애") == [(REGULAR, "김선애")]
    assert font_runs("张晓燕") == [("DroidSansFallback", "张晓燕")]
    assert font_runs("Nguyễn", bold=True) == [("NotoSans-Bold", "Nguyễn")]
    # Mixed: Hangul stays in the main font, the Romanian word in Noto.
    assert font_runs("김선애 Ştefănescu") == [
        (REGULAR, "김선애 "),
        ("NotoSans", "Ştefănescu"),
    ]


def test_a_character_no_font_has_is_written_as_its_code_point():
    assert font_runs("a😀b") == [(REGULAR, "a[U+1F600]b")]


def test_decomposed_accents_are_composed_first():
    assert font_runs("Jose\u0301") == [(REGULAR, "José")]


def test_minus_sign_is_drawn_as_a_dash_the_font_has():
    register_fonts()
    assert not font_covers("LR−", REGULAR)
    assert font_covers(fit_to_font("LR−"), REGULAR)


def test_markup_escapes_and_switches_fonts():
    assert (
        markup("a < b & 张")
        == 'a &lt; b &amp; <font face="DroidSansFallback">张</font>'
    )
    assert markup("one\ntwo") == "one<br/>two"


def test_string_width_counts_every_run():
    mixed = string_width("Kim 张", 10)
    assert mixed == pytest.approx(
        pdfmetrics.stringWidth("Kim ", REGULAR, 10)
        + pdfmetrics.stringWidth("张", "DroidSansFallback", 10)
    )


def test_register_fonts_is_idempotent():
    assert register_fonts() is register_fonts()
    assert (register_fonts().regular, register_fonts().bold) == (REGULAR, BOLD)


@pytest.mark.parametrize("script", list(NAMES))
@pytest.mark.parametrize("build", [build_note, build_referral])
def test_names_extract_and_every_font_is_embedded(
    sample_patient, sample_visit, script, build, tmp_path
):
    family, given = NAMES[script]
    patient = sample_patient(family_name=family, given_names=given)
    note = build(patient, sample_visit(clinician=f"{given} {family}"))
    data = pdf(note)
    found = pages(data)
    for page in found:
        assert patient.display_name in page  # the header, on every page
    assert f"{given} {family}" in " ".join(body(p) for p in found)
    target = tmp_path / "note.pdf"
    target.write_bytes(data)
    fonts = embedded_fonts(target)
    assert fonts and all(fonts.values()), fonts


def test_every_fixed_string_is_in_the_main_fonts(sample_patient, sample_visit):
    """The program's own words never need a fallback (it is for names)."""
    register_fonts()
    for text in strings(build_note(sample_patient(), sample_visit())):
        assert font_covers(fit_to_font(text), REGULAR), text
        assert font_covers(fit_to_font(text), BOLD), text

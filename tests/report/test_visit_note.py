"""The PDF visit note: every section, the page around it, signing, paging, escaping."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

import pytest
from pypdf import PdfReader
from reportlab import rl_config

from sijoint_exam.domain.note import (
    AddendumInfo,
    Letterhead,
    NoteContent,
    build_note,
    build_referral,
)
from sijoint_exam.domain.outcomes import Answer, Pain
from sijoint_exam.report.visit_note import build_story, write_visit_note
from tests.report.helpers import (
    SIGNED,
    body,
    collapsed,
    full_sample,
    pages,
    pdf,
    printed,
)

LOGO = (
    __import__("pathlib").Path(__file__).resolve().parents[2]
    / "resources"
    / "icons"
    / "sijoint-exam-48.png"
)


@pytest.fixture
def full_note() -> NoteContent:
    patient, visit = full_sample()
    earlier = replace(visit, date=dt.date(2026, 9, 1), pain=Pain(now=8))
    return build_note(patient, visit, earlier_visits=[earlier])


def test_every_string_of_the_note_is_in_the_pdf(full_note):
    text = " ".join(body(page) for page in pages(pdf(full_note)))
    missing = [s for s in printed(full_note) if collapsed(s) not in text]
    assert missing == []


def test_sections_read_in_order(full_note):
    text = " ".join(pages(pdf(full_note)))
    headings = [s.heading for s in full_note.sections if s.heading]
    # Each heading after the one before it (a word like "Pain" also stands in
    # the headline's checks above).
    position = 0
    for heading in headings:
        position = text.index(heading, position) + len(heading)
    assert headings[:3] == ["Headline", "Subjective", "Chief complaint"]
    assert "Trend across visits" in headings


def test_key_clinical_lines(full_note):
    text = " ".join(pages(pdf(full_note)))
    for line in (
        "3 of 5 positive on the left — cluster positive — consistent with SIJ pain",
        "Post-test probability 50% (34–66%) (pretest 20% (assumed; clinic",
        "cauda equina screen not documented: new sexual dysfunction",
        "Documented negatives: new bladder dysfunction",
        "Palpatory positional findings — low reliability",
        "Peak 86% relief within 2 h — positive (threshold 75%)",
        "a single positive block is not confirmed by a second block in 12.5–47%",
        "ODI 2.1a: 51.1% — severe disability",
        "Left 2, right 0, total 2 of 10 — positive",
        "Pain NRS 8 → 6 since 2026-09-01: an important change",
    ):
        assert line in text, line
    assert "diagnosed" not in text.lower()


def test_each_page_has_the_header_first_and_the_footer_last(full_note):
    found = pages(pdf(full_note))
    assert len(found) >= 3
    for number, page in enumerate(found, start=1):
        assert page.startswith("DRAFT — not signed Kim, Sungae DOB 1978-03-14"), page[
            :80
        ]
        assert "MRN A-1001 Visit 2026-11-20" in page[:120]
        assert page.endswith(f"DRAFT — not signed page {number} of {len(found)}")


def test_a_long_note_has_the_header_and_page_n_of_n_on_every_page(
    sample_patient, sample_visit
):
    plan = "\n".join(f"Step {i}: exercise, review and advice." for i in range(20))
    found = pages(pdf(build_note(sample_patient(), sample_visit(plan=plan))))
    assert len(found) >= 3
    for number, page in enumerate(found, start=1):
        assert "Kim, Sungae DOB 1978-03-14 MRN A-1001 Visit 2026-11-20" in page
        assert page.endswith(f"page {number} of {len(found)}")


def test_draft_has_the_watermark_on_every_page(full_note):
    reader = PdfReader(io.BytesIO(pdf(full_note)))
    for page in reader.pages:
        # Watermark (diagonal, first), footer: twice on each page, plus the boxes.
        assert page.extract_text().count("DRAFT — not signed") >= 2


def test_signed_note_has_the_signature_and_no_draft_mark():
    patient, visit = full_sample()
    note = build_note(patient, visit, signing=SIGNED)
    text = " ".join(pages(pdf(note)))
    assert "DRAFT" not in text
    assert "Electronically signed by J. Doe, PT" in text
    assert "Signed at 2026-11-20 09:30 UTC" in text
    assert f"Content hash (SHA-256): {'3f' * 32}" in text
    assert "Signed 2026-11-20 09:30 UTC by J. Doe, PT" in text  # the footer


def test_addenda_come_after_the_original():
    patient, visit = full_sample()
    addenda = [
        AddendumInfo(dt.datetime(2026, 11, 21, 10, tzinfo=dt.UTC), "Asked: no.", "A. B")
    ]
    note = build_note(patient, visit, signing=SIGNED, addenda=addenda)
    text = " ".join(pages(pdf(note)))
    signed = text.index("Electronically signed by")
    assert (
        signed < text.index("Addenda") < text.index("Addendum 1 — 2026-11-21 10:00 UTC")
    )
    assert text.index("Asked: no.") < text.index("Signed 2026-11-21 10:00 UTC by A. B")


def test_emergency_banner_on_the_first_page():
    patient, visit = full_sample()
    visit = replace(visit, red_flags={**visit.red_flags, "bladder": Answer.YES})
    first = pages(pdf(build_note(patient, visit)))[0]
    banner = first.index("EMERGENCY — cauda equina red flag")
    assert banner < first.index("Patient Kim, Sungae")


def test_letterhead_and_logo():
    patient, visit = full_sample()
    head = Letterhead("Riverside Spine", "12 Harbour Road", "555 0100", str(LOGO))
    data = pdf(build_note(patient, visit, letterhead=head))
    first = pages(data)[0]
    assert first.index("Riverside Spine") < first.index("SIJ examination — visit note")
    assert "12 Harbour Road" in first and "Tel. 555 0100" in first
    images = PdfReader(io.BytesIO(data)).pages[0].images
    assert len(images) == 1


def test_an_unreadable_logo_is_left_out(tmp_path):
    patient, visit = full_sample()
    bad = tmp_path / "logo.png"
    bad.write_text("not an image")
    for path in (bad, tmp_path / "missing.png"):
        data = pdf(
            build_note(patient, visit, letterhead=Letterhead("C", logo_path=str(path)))
        )
        assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 0


def test_markup_characters_are_escaped(sample_patient, sample_visit):
    plan = ("Walk <b>& stretch daily; review </para> in 2 weeks. " * 60)[:2000]
    visit = sample_visit(
        plan=plan, assessment="a < b & c > d", chief_complaint="<i>pain</i> & ache"
    )
    text = " ".join(pages(pdf(build_note(sample_patient(), visit))))
    assert "Walk <b>& stretch daily; review </para> in 2 weeks." in text
    assert "a < b & c > d" in text and "<i>pain</i> & ache" in text
    assert "&amp;" not in text and "&lt;" not in text


@pytest.mark.parametrize("length", [2000, 5000])
def test_a_long_plan_wraps_across_pages_without_loss(
    sample_patient, sample_visit, length
):
    words = "Gluteal strengthening, pelvic belt trial, review in two weeks. " * 100
    plan = words[:length]
    note = build_note(sample_patient(), sample_visit(plan=plan))
    found = pages(pdf(note))
    assert len(found) >= 3
    # The page header and footer sit between the parts of a plan that breaks.
    text = "".join(body(page) for page in found).replace(" ", "")
    assert plan.replace(" ", "") in text


def test_an_unbroken_5000_character_plan_is_cut_into_lines(
    sample_patient, sample_visit
):
    note = build_note(sample_patient(), sample_visit(plan="x" * 5000))
    found = pages(pdf(note))
    runs = re.findall(r"x{20,}", "".join(found).replace(" ", ""))
    assert sum(len(run) for run in runs) == 5000 and len(found) >= 2


def test_an_overlong_name_is_fitted_into_the_header(sample_patient, sample_visit):
    patient = sample_patient(family_name="Łukasz-Ñúñez " * 12)
    page = pages(pdf(build_note(patient, sample_visit())))[0]
    assert "…" in page  # cut to fit the header; printed whole in the facts
    assert "MRN A-1001" in page


def test_build_story_starts_with_the_title(full_note):
    story = build_story(full_note)
    assert story[0].getPlainText() == "SIJ examination — visit note"


def test_invariant_output_is_byte_identical(full_note):
    assert pdf(full_note) == pdf(full_note)


def test_invariant_to_a_path_matches_the_stream(full_note, tmp_path):
    target = tmp_path / "note.pdf"
    write_visit_note(full_note, str(target), invariant=True)
    assert target.read_bytes() == pdf(full_note)
    assert [p.name for p in tmp_path.iterdir()] == ["note.pdf"]  # no temp file left


def test_a_failed_write_leaves_no_file(full_note, tmp_path):
    target = tmp_path / "missing-folder" / "note.pdf"
    with pytest.raises(OSError):
        write_visit_note(full_note, target)
    assert list(tmp_path.iterdir()) == []


def test_invariant_does_not_leak_to_later_exports(full_note):
    before = rl_config.invariant
    pdf(full_note, invariant=True)
    assert rl_config.invariant == before
    reader = PdfReader(io.BytesIO(pdf(full_note, invariant=False)))
    assert reader.metadata.creation_date.year != 2000  # invariant mode's fixed date


def test_metadata_names_the_note_and_its_author_only(full_note):
    meta = PdfReader(io.BytesIO(pdf(full_note))).metadata
    assert meta.title == "SIJ examination — visit note"
    assert meta.author == "J. Doe, PT"
    values = " ".join(str(v) for v in meta.values())
    for private in ("Kim", "Sungae", "A-1001", "1978", "2026-11-20"):
        assert private not in values


def test_the_note_writer_refuses_a_letter():
    with pytest.raises(ValueError, match="build_note"):
        write_visit_note(build_referral(*full_sample()), io.BytesIO())

"""The PDF referral letter: its sections in order, the CMS line, the page around it."""

from __future__ import annotations

import io
from dataclasses import replace

import pytest
from pypdf import PdfReader

from sijoint_exam.domain.catalogue import Result
from sijoint_exam.domain.note import Letterhead, build_note, build_referral
from sijoint_exam.domain.visit import ProvocationFinding
from sijoint_exam.report.referral import write_referral
from tests.report.helpers import (
    SIGNED,
    body,
    collapsed,
    full_sample,
    pages,
    pdf,
    printed,
)


@pytest.fixture
def letter():
    head = Letterhead("Riverside Spine", "12 Harbour Road", "555 0100")
    return build_referral(*full_sample(), letterhead=head)


def _text(data: bytes) -> str:
    return " ".join(body(page) for page in pages(data))


def test_every_string_of_the_letter_is_in_the_pdf(letter):
    text = _text(pdf(letter))
    assert [s for s in printed(letter) if collapsed(s) not in text] == []


def test_letter_reads_in_the_order_of_a_referral(letter):
    text = _text(pdf(letter))
    order = [
        "Riverside Spine",
        "Referral letter — SIJ examination",
        "To Dr A. Example, Spine Clinic",
        "Dear colleague,",
        "Reason for referral",
        "Question: consideration of an image-guided diagnostic SIJ block",
        "History",
        "Red-flag screen",
        "Examination findings",
        "Conservative care to date",
        "Imaging and previous injections",
        "Relevant comorbidities",
        "Impression",
        "Requested",
        "Yours sincerely,",
        "Copies GP, patient",
    ]
    positions = [text.index(line) for line in order]
    assert positions == sorted(positions)


def test_cms_checklist_never_claims_all_met_unless_all_six_are(letter):
    text = _text(pdf(letter))
    assert "CMS 2023 criteria:" in text and "not documented" in text
    assert "All six CMS 2023 criteria are met" not in text


def test_letter_has_the_patient_header_and_page_x_of_y(letter):
    found = pages(pdf(letter))
    assert len(found) >= 2
    for number, page in enumerate(found, start=1):
        assert "Kim, Sungae DOB 1978-03-14 MRN A-1001 Visit 2026-11-20" in page
        assert page.endswith(f"page {number} of {len(found)}")


def test_signed_letter_carries_the_signature(letter):
    signed = build_referral(*full_sample(), signing=SIGNED)
    text = " ".join(pages(pdf(signed)))
    assert "DRAFT" not in text and f"Content hash (SHA-256): {'3f' * 32}" in text
    assert "DRAFT — not signed" in " ".join(pages(pdf(letter)))


def test_metadata_and_invariance(letter):
    data = pdf(letter)
    assert data == pdf(letter)
    meta = PdfReader(io.BytesIO(data)).metadata
    assert meta.title == "Referral letter — SIJ examination"
    assert meta.author == "J. Doe, PT"
    assert "Kim" not in " ".join(str(v) for v in meta.values())


def test_the_letter_writer_refuses_a_note():
    with pytest.raises(ValueError, match="build_referral"):
        write_referral(build_note(*full_sample()), io.BytesIO())


# ---------------------------------------------------------------------------
# Read as the receiving spine physician would (issue: findings read together).
# ---------------------------------------------------------------------------

HEADINGS = (
    "Bottom line",
    "Reason for referral",
    "History",
    "Red-flag screen",
    "Examination findings",
    "Neuro and hip screens",
    "Conservative care to date",
    "Imaging and previous injections",
    "Relevant comorbidities",
    "Impression",
    "Requested",
    "Copies",
)


def _letter(**changes) -> bytes:
    patient, visit = full_sample()
    return pdf(build_referral(patient, replace(visit, **changes)))


def test_the_bottom_line_box_is_on_page_one(letter):
    first = pages(pdf(letter))[0]
    for line in (
        "Bottom line",
        "3 of 5 positive on the left — cluster positive — consistent with SIJ pain",
        "Per side: left: 3 of 5 positive",
        "Post-test probability 50% (34–66%)",
        "pretest 20% (assumed; clinic setting)",
        "Pooled evidence is weaker: LR+ 2.13",
        "Diagnostic blocks: single block — positive (left); beside the cluster: agree",
        "CMS 2023 criteria:",
        "Question for you: consideration of an image-guided diagnostic SIJ block",
    ):
        assert line in collapsed(first), line


def test_unable_and_not_tested_are_named_apart():
    patient, visit = full_sample()
    findings = dict(visit.provocation)
    findings["gaenslen"] = ProvocationFinding(left=Result.UNABLE, right=Result.UNABLE)
    text = _text(_letter(provocation=findings))
    assert "Unable Gaenslen left; Gaenslen right" in text
    assert "Sacral thrust (outside the rule)" in text
    assert "Not tested none" not in text


def test_no_probability_prints_as_0_or_100_percent():
    import re

    from sijoint_exam.domain.visit import Scoring

    for pretest in (0.01, 0.99):
        text = _text(_letter(scoring=Scoring(pretest_probability=pretest)))
        assert not re.search(r"(?<![\d.])(0|100)%", text), pretest


def test_no_heading_is_the_last_line_of_a_page():
    # A long assessment pushes the headings about; none may end a page.
    long = " ".join(["The patient reports pain on sitting."] * 60)
    for changes in ({}, {"assessment": long}, {"chief_complaint": long}):
        for page in pages(_letter(**changes)):
            text = collapsed(page).removesuffix(
                page.rsplit("DRAFT — not signed", 1)[-1]
            )
            last = text.removesuffix("DRAFT — not signed").strip()
            assert not any(last.endswith(h) for h in HEADINGS), last[-80:]


def test_names_in_sentences_read_in_their_natural_order():
    from sijoint_exam.domain.visit import Patient, Sex

    patient, visit = full_sample()
    korean = replace(patient, family_name="김", given_names="선애")
    text = _text(pdf(build_referral(korean, visit)))
    assert "Thank you for seeing 김선애," in text
    assert "김, 선애," not in text
    french = Patient("B-2", "Lefèvre", "Anne-Sophie", patient.date_of_birth, Sex.FEMALE)
    assert "Thank you for seeing Anne-Sophie Lefèvre," in _text(
        pdf(build_referral(french, visit))
    )


def test_signed_letter_prints_the_acknowledged_checks():
    from sijoint_exam.domain.note import SigningInfo

    patient, visit = full_sample()
    signing = SigningInfo(
        SIGNED.signed_by,
        SIGNED.signed_at,
        SIGNED.content_hash,
        ("radiculopathy_screen_missing",),
    )
    text = _text(pdf(build_referral(patient, visit, signing=signing)))
    assert (
        "Signed with acknowledged checks: Pain below the knee without a recorded "
        "neuro screen"
    ) in text


def test_the_closing_notice_is_never_alone_on_a_page():
    # Whatever the length, the draft notice (or signature) shares its page with
    # the end of the letter: a last page holding only the notice is a wasted page.
    for words in range(0, 400, 40):
        text = " ".join(["Pain eases on walking."] * words)
        last = body(pages(_letter(assessment=text))[-1])
        assert collapsed(last).replace("DRAFT — not signed", "").strip(), words
        assert "Copies" in last

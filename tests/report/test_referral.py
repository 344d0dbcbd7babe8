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
    strings,
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


def test_cms_line_only_when_the_criterion_is_met(letter):
    met = "The recorded provocation tests meet the CMS 2023 test criterion"
    assert met in _text(pdf(letter))
    patient, visit = full_sample()
    findings = dict(visit.provocation)
    findings["gaenslen"] = ProvocationFinding(left=Result.NEGATIVE)
    fewer = build_referral(patient, replace(visit, provocation=findings))
    text = _text(pdf(fewer))
    assert "CMS 2023 test criterion" not in text
    assert "meet" not in " ".join(strings(fewer)).replace("CMS LCD", "")


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

"""NotePreview: the same NoteContent as the PDF, as read-only rich text."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest
from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument

from sijoint_exam.domain.note import (
    Letterhead,
    TrendChart,
    build_document,
    build_note,
)
from sijoint_exam.domain.outcomes import Answer, Pain
from sijoint_exam.ui.note_preview import LOGO_URL, NotePreview, chart_image
from tests.report.helpers import SIGNED, full_sample, printed

LOGO = (
    __import__("pathlib").Path(__file__).resolve().parents[2]
    / "resources/icons/sijoint-exam-48.png"
)


@pytest.fixture
def preview(qtbot) -> NotePreview:
    widget = NotePreview()
    qtbot.addWidget(widget)
    return widget


def _shown(preview: NotePreview) -> str:
    return " ".join(preview.toPlainText().split())


@pytest.mark.parametrize("kind", ["note", "referral"])
def test_every_string_of_the_note_is_shown(preview, kind):
    patient, visit = full_sample()
    earlier = replace(visit, date=dt.date(2026, 9, 1), pain=Pain(now=8))
    note = build_document(kind, patient, visit, earlier_visits=[earlier])
    preview.show_note(note)
    shown = _shown(preview)
    # The trend panels' titles are drawn inside the chart image.
    drawn = {
        b.positive_label
        for s in note.sections
        for b in s.blocks
        if isinstance(b, TrendChart)
    }
    missing = [s for s in printed(note) if " ".join(s.split()) not in shown]
    assert [s for s in missing if s not in drawn] == []
    assert preview.note is note
    assert preview.isReadOnly()


def test_sections_in_the_note_order(preview):
    note = build_note(*full_sample())
    preview.show_note(note)
    shown = _shown(preview)
    headings = [s.heading for s in note.sections if s.heading]
    # Each heading after the one before (a heading's word may also stand earlier
    # in running text, e.g. "Pain" in the headline's checks).
    after = 0
    for heading in headings:
        found = shown.find(heading, after)
        assert found >= 0, f"{heading!r} not shown after the heading before it"
        after = found + len(heading)


def test_free_text_is_never_markup(preview, sample_patient, sample_visit):
    visit = sample_visit(plan='<b>bold</b> & <img src="x"> stays text')
    preview.show_note(build_note(sample_patient(), visit))
    assert '<b>bold</b> & <img src="x"> stays text' in preview.toPlainText()


def test_draft_emergency_signature(preview):
    patient, visit = full_sample()
    red = replace(visit, red_flags={**visit.red_flags, "bowel": Answer.YES})
    preview.show_note(build_note(patient, red))
    shown = _shown(preview)
    assert shown.count("DRAFT — not signed") == 2  # at the top and at the end
    assert shown.count("EMERGENCY — cauda equina red flag") == 2  # top, red flags
    preview.show_note(build_note(patient, visit, signing=SIGNED))
    shown = _shown(preview)
    assert "DRAFT" not in shown and "EMERGENCY" not in shown
    assert f"Content hash (SHA-256): {'3f' * 32}" in shown


def test_charts_are_the_pdf_drawings(preview, qtbot):
    patient, visit = full_sample()
    earlier = replace(visit, date=dt.date(2026, 9, 1))
    preview.show_note(build_note(patient, visit, earlier_visits=[earlier]))
    kind = QTextDocument.ResourceType.ImageResource.value
    body = preview.loadResource(kind, QUrl("chart:0"))
    trend = preview.loadResource(kind, QUrl("chart:1"))
    assert not body.isNull() and not trend.isNull()
    assert body.width() > 0 and trend.width() > body.width()
    # The marked regions are drawn in the chart's red, somewhere in the image.
    reds = [
        (x, y)
        for x in range(0, body.width(), 3)
        for y in range(0, body.height(), 3)
        if (c := body.pixelColor(x, y)).red() > 180 and max(c.green(), c.blue()) < 120
    ]
    assert reds


def test_chart_image_has_a_white_background():
    from sijoint_exam.domain.note import BodyChart

    image = chart_image(BodyChart(()))
    assert image.pixelColor(1, 1).name() == "#ffffff"


def test_letterhead_logo_when_it_can_be_read(preview, tmp_path):
    kind = QTextDocument.ResourceType.ImageResource.value
    patient, visit = full_sample()
    preview.show_note(
        build_note(patient, visit, letterhead=Letterhead("Clinic", logo_path=str(LOGO)))
    )
    assert "Clinic" in _shown(preview)
    assert not preview.loadResource(kind, QUrl(LOGO_URL)).isNull()
    missing = Letterhead("Clinic", logo_path=str(tmp_path / "none.png"))
    preview.show_note(build_note(patient, visit, letterhead=missing))
    assert LOGO_URL not in preview.toHtml()


def test_a_new_note_replaces_the_old(preview, sample_patient, sample_visit):
    preview.show_note(build_note(sample_patient(), sample_visit(plan="first plan")))
    preview.show_note(build_note(sample_patient(), sample_visit(plan="second plan")))
    assert "second plan" in preview.toPlainText()
    assert "first plan" not in preview.toPlainText()

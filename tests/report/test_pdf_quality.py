"""What leaves the building: qpdf finds nothing wrong, every font is embedded.

These run the command-line tools (qpdf, poppler's pdffonts) when they are installed
and are skipped, saying so, when they are not.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import replace
from pathlib import Path

import pytest

from sijoint_exam.domain.note import (
    AddendumInfo,
    Letterhead,
    build_note,
    build_referral,
)
from tests.report.helpers import SIGNED, embedded_fonts, full_sample, pdf, tool

LOGO = (
    Path(__file__).resolve().parents[2] / "resources" / "icons" / "sijoint-exam-48.png"
)


def _documents():
    patient, visit = full_sample()
    head = Letterhead("Riverside Spine", "12 Harbour Road", "555 0100", str(LOGO))
    cjk = replace(patient, family_name="张", given_names="晓燕")
    greek = replace(patient, family_name="Παπαδόπουλος", given_names="Nguyễn")
    addenda = [AddendumInfo(dt.datetime(2026, 11, 21, tzinfo=dt.UTC), "Added.", "A")]
    earlier = [replace(visit, date=dt.date(2026, 9, 1))]
    return {
        "note": build_note(patient, visit, letterhead=head, earlier_visits=earlier),
        "signed note": build_note(patient, visit, signing=SIGNED, addenda=addenda),
        "CJK letter": build_referral(cjk, visit, letterhead=head),
        "Greek note": build_note(greek, visit),
    }


@pytest.fixture(params=list(_documents()))
def written(request, tmp_path) -> Path:
    target = tmp_path / "out.pdf"
    target.write_bytes(pdf(_documents()[request.param]))
    return target


def test_qpdf_check_is_clean(written):
    checked = subprocess.run(
        [tool("qpdf"), "--check", str(written)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "No syntax or stream encoding errors found" in checked.stdout
    assert "WARNING" not in checked.stdout + checked.stderr


def test_every_font_is_embedded(written):
    fonts = embedded_fonts(written)
    assert fonts, "no fonts listed"
    assert all(fonts.values()), fonts
    assert "Helvetica" not in fonts

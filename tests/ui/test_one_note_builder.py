"""One note builder: the window and the command line leave the open visit out of
its own trend by id — an edited visit is not equal to its saved copy."""

from __future__ import annotations

from dataclasses import replace

from sijoint_exam.domain.note import Letterhead
from sijoint_exam.domain.outcomes import Pain
from sijoint_exam.store.notes import note_for_visit
from sijoint_exam.ui import operations

TREND = "Trend across visits"


def _headings(note) -> list[str]:
    return [s.heading for s in note.sections]


def test_an_edited_saved_visit_has_no_trend_against_itself(
    make_main_window, repo, sample_patient, sample_visit, qtbot
):
    patient_id = repo.add_patient(sample_patient())
    saved = sample_visit(pain=Pain(now=6))
    visit_id = repo.save_visit(patient_id, saved)
    window = make_main_window()
    window.open_patient(patient_id)
    qtbot.waitUntil(lambda: window.session is not None and window.session.is_open)
    edited = replace(saved, pain=Pain(now=3))
    window.form.load(edited)  # unsaved edits, as typed at the table
    assert window.session.is_dirty

    for kind in ("note", "referral"):
        request = operations.note_request(
            window.session, window.settings.preferences, kind
        )
        assert request is not None and request.visit == edited
        assert TREND not in _headings(request.build())
    # The command line's builder reads the same with the same edits.
    cli = note_for_visit(repo, visit_id, "note", Letterhead(), current=edited)
    assert TREND not in _headings(cli)


def test_a_second_visit_still_makes_the_trend(
    make_main_window, repo, sample_patient, sample_visit, qtbot
):
    patient_id = repo.add_patient(sample_patient())
    first = sample_visit(pain=Pain(now=8))
    repo.save_visit(patient_id, replace(first, date=first.date.replace(month=9)))
    visit_id = repo.save_visit(patient_id, sample_visit(pain=Pain(now=6)))
    window = make_main_window()
    window.open_patient(patient_id)
    qtbot.waitUntil(lambda: window.session is not None and window.session.is_open)
    assert window.session.visit_id == visit_id
    note = operations.note_request(
        window.session, window.settings.preferences, "note"
    ).build()
    assert TREND in _headings(note)
    assert TREND in _headings(note_for_visit(repo, visit_id, "note", Letterhead()))
    # The other visits are read once per opened visit, not on every refresh.
    assert window.session.other_visits() is window.session.other_visits()

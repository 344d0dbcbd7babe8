"""Autosave: drafts within a second of the last edit, nothing asked on close,
drafts offered back on the next start."""

from __future__ import annotations

from sijoint_exam.ui.autosave import DELAY_MS
from sijoint_exam.ui.main_window import MainWindow


def open_new_visit(make_main_window, repo, sample_patient):
    patient_id = repo.add_patient(sample_patient())
    window = make_main_window()
    window.open_patient(patient_id)
    return window, patient_id


def test_an_edit_is_autosaved_as_a_draft(make_main_window, repo, sample_patient, qtbot):
    window, patient_id = open_new_visit(make_main_window, repo, sample_patient)
    assert repo.drafts() == []  # opening is not an edit
    window.form.complaint_edit.setText("Left buttock pain")
    qtbot.waitUntil(lambda: len(repo.drafts()) == 1, timeout=DELAY_MS * 3)
    draft = repo.drafts()[0]
    assert (draft.patient_id, draft.visit_id) == (patient_id, None)
    assert draft.visit.chief_complaint == "Left buttock pain"
    assert "autosaved" in window.widgets.draft_label.text()


def test_typing_does_not_write_on_every_key(make_main_window, repo, sample_patient):
    window, _ = open_new_visit(make_main_window, repo, sample_patient)
    for text in ("L", "Le", "Lef", "Left"):
        window.form.complaint_edit.setText(text)
    assert repo.drafts() == []  # still within the second after the last edit
    window._autosave.flush()
    assert [d.visit.chief_complaint for d in repo.drafts()] == ["Left"]


def test_saving_clears_the_draft(make_main_window, repo, sample_patient):
    window, patient_id = open_new_visit(make_main_window, repo, sample_patient)
    window.form.complaint_edit.setText("Left buttock pain")
    window._autosave.flush()
    assert window.save_visit()
    assert repo.drafts() == []
    assert repo.list_visits(patient_id)[0].id is not None
    assert not window.is_dirty


def test_closing_asks_nothing_and_the_next_start_offers_the_draft(
    make_main_window, repo, sample_patient, monkeypatch
):
    window, patient_id = open_new_visit(make_main_window, repo, sample_patient)
    window.form.complaint_edit.setText("Left buttock pain")
    assert window.close()  # nothing asked: the draft is written on the way out
    assert len(repo.drafts()) == 1

    offered: list[str] = []

    def accept(self, text: str) -> bool:
        offered.append(text)
        return True

    monkeypatch.setattr(MainWindow, "ask_restore_draft", accept)
    reopened = make_main_window()
    assert "Kim, Sungae" in offered[0]
    assert reopened.form.visit().chief_complaint == "Left buttock pain"
    assert reopened.is_dirty
    assert "restored" in reopened.widgets.draft_label.text()


def test_a_saved_visit_reopens_with_its_draft(
    make_main_window, repo, sample_patient, sample_visit, monkeypatch
):
    patient_id = repo.add_patient(sample_patient())
    visit_id = repo.save_visit(patient_id, sample_visit())
    window = make_main_window()
    window.open_patient(patient_id)
    window.form.plan_edit.setPlainText("Review in 2 weeks")
    window._autosave.flush()
    monkeypatch.setattr(MainWindow, "ask_restore_draft", lambda self, text: False)
    later = make_main_window()
    later.open_patient(patient_id)  # declined at start; comes back with the visit
    assert later.form.visit().plan == "Review in 2 weeks"
    assert repo.get_visit(visit_id).plan == ""  # the record itself is unchanged


def test_revert_drops_the_draft(make_main_window, repo, sample_patient, sample_visit):
    patient_id = repo.add_patient(sample_patient())
    repo.save_visit(patient_id, sample_visit())
    window = make_main_window()
    window.open_patient(patient_id)
    window.form.plan_edit.setPlainText("Changed my mind")
    window._autosave.flush()
    asked = []
    window.confirm_revert = lambda: asked.append(True) or False
    window.revert_visit()  # declined: the changes stay
    assert asked and window.form.visit().plan == "Changed my mind"
    window.confirm_revert = lambda: True
    window.revert_visit()
    assert repo.drafts() == []
    assert window.form.visit() == sample_visit()
    assert not window.is_dirty


def test_undoing_an_edit_by_hand_drops_the_stale_draft(
    make_main_window, repo, sample_patient
):
    window, _ = open_new_visit(make_main_window, repo, sample_patient)
    window.form.complaint_edit.setText("x")
    window._autosave.flush()
    window.form.complaint_edit.setText("")
    window._autosave.flush()
    assert repo.drafts() == []

"""Signing in the window: read-only afterwards, corrections as addenda."""

from __future__ import annotations

import pytest

from sijoint_exam.ui import signing
from sijoint_exam.ui.preferences import Preferences


@pytest.fixture
def saved_visit_window(make_main_window, repo, sample_patient, sample_visit):
    patient_id = repo.add_patient(sample_patient())
    visit_id = repo.save_visit(patient_id, sample_visit())
    window = make_main_window()
    window.open_patient(patient_id)
    return window, visit_id


def test_signing_makes_the_visit_read_only(saved_visit_window, repo, monkeypatch):
    window, visit_id = saved_visit_window
    asked: list[str] = []
    monkeypatch.setattr(
        signing,
        "ask_clinician",
        lambda parent, current: asked.append(current) or "A. Lee, PT",
    )
    monkeypatch.setattr(signing, "confirm_signing", lambda parent, who: True)
    assert window.menu_actions.sign.isEnabled()
    assert window.sign_visit()
    assert asked == ["J. Doe, PT"]  # offered the visit's clinician to confirm
    assert repo.signature(visit_id).clinician == "A. Lee, PT"
    assert not window.form.isEnabled()
    assert not window.menu_actions.save.isEnabled()
    assert not window.menu_actions.sign.isEnabled()
    assert window.menu_actions.addendum.isEnabled()
    assert "A. Lee, PT" in window.widgets.signature_panel.text()
    assert window.visit_list.model.row(0).signed


def test_the_clinician_is_asked_once_then_remembered(
    saved_visit_window, settings, monkeypatch
):
    window, _ = saved_visit_window
    settings.preferences = Preferences(clinician="J. Doe, PT")

    def must_not_ask(parent, current):
        raise AssertionError("asked again")

    monkeypatch.setattr(signing, "ask_clinician", must_not_ask)
    monkeypatch.setattr(signing, "confirm_signing", lambda parent, who: True)
    assert window.sign_visit()


def test_declining_the_confirmation_signs_nothing(
    saved_visit_window, repo, monkeypatch
):
    window, visit_id = saved_visit_window
    monkeypatch.setattr(signing, "ask_clinician", lambda parent, current: "A. Lee")
    monkeypatch.setattr(signing, "confirm_signing", lambda parent, who: False)
    assert not window.sign_visit()
    assert repo.signature(visit_id) is None
    assert window.form.isEnabled()


def test_unsaved_changes_must_be_saved_before_signing(saved_visit_window):
    window, _ = saved_visit_window
    window.form.plan_edit.setPlainText("changed")
    assert not window.menu_actions.sign.isEnabled()
    assert not window.sign_visit()


def test_addendum_is_listed_after_the_signature(saved_visit_window, repo, monkeypatch):
    window, visit_id = saved_visit_window
    monkeypatch.setattr(signing, "ask_clinician", lambda parent, current: "A. Lee")
    monkeypatch.setattr(signing, "confirm_signing", lambda parent, who: True)
    window.sign_visit()
    monkeypatch.setattr(signing, "ask_addendum_text", lambda parent: "FABER was left")
    window.add_addendum()
    assert [a.text for a in repo.addenda(visit_id)] == ["FABER was left"]
    text = window.widgets.signature_panel.text()
    assert text.index("Signed") < text.index("FABER was left")
    assert repo.get_visit(visit_id).plan == ""  # the signed record is untouched
